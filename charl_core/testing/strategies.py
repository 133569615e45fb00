"""Hypothesis strategies for random, syntactically valid Charl ASTs and their printed texts.

`programs()` covers every statement and expression kind of LANGUAGE.md §3 and §9 (types with named and `_`
dimensions, `else if` chains, `break;`), with identifiers that stress the lexer (non-ASCII letters, letter
numbers, names that start with a keyword, and the non-reserved `in int float mut`). What it builds is only
*syntactically* valid: names may be undefined and types may disagree, as property tests of the parser,
lowering and formatter want; `break`/`continue` only appear inside loops and `return` inside functions so the
programs also stay close to something a checker would see. `program_texts()` pairs each program with a
randomly styled printing of it (`charl_core.testing.printer`).

Invariant: this is the only module of charl_core that imports hypothesis.
"""

from __future__ import annotations

import random
from functools import cache

from hypothesis import strategies as st

from charl_core import ast
from charl_core.testing.printer import INT64_MAX, Style, print_program, valid_string_value

__all__ = [
    "IDENTIFIERS",
    "expressions",
    "program_texts",
    "programs",
    "styles",
    "types",
]

IDENTIFIERS = [
    *["x", "y", "n", "i", "W1", "b1", "loss", "epoch", "xs", "ñame", "日本", "x2", "_tmp", "Ⅻ", "_", "ß"],
    *["in", "int", "float", "mut", "const", "null", "self", "conv2d", "dropout"],
    *["letter", "iffy", "format", "notable", "android", "oracle", "asx", "truex", "tensor_x", "fnord"],
]
"""Never a reserved word (§2.2); `_` is an ordinary identifier except as a pattern or a dimension."""

CALLEES = ["print", "tensor", "nn_linear", "nn_relu", "sgd_step", "tensor_zeros", "len", "range", "str"]
DIMENSION_NAMES = ["N", "B", "batch", "in_features", "日本", "K2"]
PRIMITIVE_TYPES = ["int32", "int64", "float32", "float64", "bool", "string", "concept", "int", "float"]
DTYPES = ["float32", "float64", "int32", "int64", "bool", "float", "int"]
CAST_TARGETS = ["int32", "int64", "float32", "float64", "bool", "int", "float", "Foo", "ñame", "in"]
BINARY_OPERATORS = ["+", "-", "*", "/", "%", "@", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
STRING_PIECES = [
    "hello",
    " ",
    "Loss:",
    "ñandú",
    "日本語",
    "🚀",
    "─│✓",
    "\\n",
    '\\"hi\\"',
    "C:\\\\path",
    "multi\nline",
    "tab\there",
    "// not a comment",
    "/* nor this */",
    "'",
    "{}",
    "=>",
]


def _names() -> st.SearchStrategy[ast.Name]:
    return st.sampled_from(IDENTIFIERS).map(ast.Name)


def _binding_names() -> st.SearchStrategy[ast.Name]:
    return st.sampled_from([name for name in IDENTIFIERS if name != "_"]).map(ast.Name)


# ───────────────────────────── literals ─────────────────────────────

_integers = st.one_of(
    st.integers(0, 20), st.integers(0, INT64_MAX), st.sampled_from([INT64_MAX, 0, 7, 100])
).map(ast.IntegerLiteral)

_floats = (
    st.one_of(
        st.sampled_from([0.0, 0.5, 1.0, 0.1, 1e-5, 1e16, 2.5e-10, 1e300, 5e-324]),
        st.floats(min_value=0.0, max_value=1e308, allow_nan=False, allow_infinity=False),
    )
    .filter(lambda value: str(value)[0] != "-")
    .map(ast.FloatLiteral)
)

_strings = (
    st.lists(st.sampled_from(STRING_PIECES), max_size=3)
    .map("".join)
    .filter(valid_string_value)
    .map(ast.StringLiteral)
)

_booleans = st.booleans().map(ast.BooleanLiteral)

_literals = st.one_of(_integers, _floats, _strings, _booleans)


# ───────────────────────────── types ─────────────────────────────


@cache
def _dimensions() -> st.SearchStrategy[ast.Dimension]:
    return st.one_of(
        st.integers(0, 10_000).map(ast.IntDimension),
        st.sampled_from(DIMENSION_NAMES).map(ast.NamedDimension),
        st.just(ast.UnknownDimension()),
    )


@cache
def types(depth: int = 2) -> st.SearchStrategy[ast.Type]:
    """Every annotation form of §3.5 and §9.5."""
    primitive = st.sampled_from(PRIMITIVE_TYPES).map(ast.PrimitiveType)
    tensor = st.one_of(
        st.just(ast.TensorType()),
        st.builds(
            ast.TensorType,
            st.sampled_from(DTYPES).map(ast.PrimitiveType),
            st.lists(_dimensions(), max_size=4),
        ),
    )
    if depth <= 0:
        return st.one_of(primitive, tensor)
    inner = types(depth - 1)
    return st.one_of(
        primitive,
        tensor,
        st.builds(ast.ArrayType, inner, st.none() | st.integers(0, 1000)),
        st.builds(ast.TupleType, st.lists(inner, max_size=3)),
    )


# ───────────────────────────── expressions ─────────────────────────────


@cache
def _blocks(statement_depth: int, context: frozenset[str]) -> st.SearchStrategy[ast.Block]:
    return st.lists(statements(statement_depth, context), max_size=3).map(ast.Block)


@cache
def _patterns() -> st.SearchStrategy[ast.Pattern]:
    return st.one_of(
        st.just(ast.WildcardPattern()),
        _binding_names().map(ast.BindingPattern),
        st.one_of(_integers, _floats, _strings, _booleans).map(ast.LiteralPattern),
    )


@st.composite
def _if_expressions(draw: st.DrawFn, depth: int, context: frozenset[str]) -> ast.IfExpression:
    condition = draw(expressions(depth - 1, context))
    then = draw(_blocks(depth - 2, context))
    if draw(st.booleans()):
        otherwise: ast.Block | ast.IfExpression = draw(_if_expressions(depth - 1, context))
    else:
        otherwise = draw(_blocks(depth - 2, context))
    return ast.IfExpression(condition, then, otherwise)


@cache
def expressions(depth: int = 3, context: frozenset[str] = frozenset()) -> st.SearchStrategy[ast.Expression]:
    """Every expression kind of §3.3; `depth` bounds the nesting (blocks of `if`s count one level)."""
    leaves = st.one_of(_literals, st.sampled_from([*IDENTIFIERS, "tensor"]).map(ast.Identifier))
    if depth <= 0:
        return leaves
    sub = expressions(depth - 1, context)
    small = st.lists(sub, max_size=3)
    callee = st.one_of(st.sampled_from([*CALLEES, *IDENTIFIERS]).map(ast.Identifier), sub)
    return st.one_of(
        leaves,
        st.builds(ast.BinaryOperation, st.sampled_from(BINARY_OPERATORS), sub, sub),
        st.builds(ast.UnaryOperation, st.sampled_from(["-", "not"]), sub),
        st.builds(ast.Cast, sub, st.sampled_from(CAST_TARGETS)),
        st.builds(ast.Range, sub, sub, st.booleans()),
        st.builds(ast.Call, callee, small),
        st.builds(ast.Index, sub, sub),
        st.builds(ast.TupleIndex, sub, st.integers(0, 12)),
        st.builds(ast.TupleLiteral, small),
        st.builds(ast.ArrayLiteral, small),
        st.builds(ast.ArrayRepeat, sub, sub),
        _if_expressions(depth, context),
        st.builds(
            ast.Match, sub, st.lists(st.builds(ast.MatchArm, _patterns(), sub), min_size=1, max_size=3)
        ),
        st.builds(ast.Autograd, sub),
    )


# ───────────────────────────── statements ─────────────────────────────


@cache
def _targets(depth: int) -> st.SearchStrategy[ast.Expression]:
    """What assignment can write at run time: a name or an index chain rooted at one (§3.2)."""
    indices = st.lists(expressions(min(depth, 1)), max_size=2)

    def chain(parts: tuple[str, list[ast.Expression]]) -> ast.Expression:
        target: ast.Expression = ast.Identifier(parts[0])
        for index in parts[1]:
            target = ast.Index(target, index)
        return target

    return st.tuples(st.sampled_from(IDENTIFIERS), indices).map(chain)


@st.composite
def _ifs(draw: st.DrawFn, depth: int, context: frozenset[str]) -> ast.If:
    condition = draw(expressions(depth, context))
    then = draw(_blocks(depth - 1, context))
    choice = draw(st.integers(0, 2))
    otherwise: ast.Block | ast.If | None = None
    if choice == 1:
        otherwise = draw(_blocks(depth - 1, context))
    elif choice == 2:
        otherwise = draw(_ifs(depth - 1, context)) if depth > 1 else draw(_blocks(depth - 1, context))
    return ast.If(condition, then, otherwise)


@cache
def statements(depth: int = 2, context: frozenset[str] = frozenset()) -> st.SearchStrategy[ast.Statement]:
    """Every statement kind; `context` says whether we are inside a loop ("loop") or a function ("fn").
    Compound statements appear from `depth` 1; their blocks hold statements of `depth - 1`."""
    value = expressions(max(min(depth + 1, 3), 0), context)
    simple = [
        st.builds(ast.Let, _names(), st.none() | types(), value),
        st.builds(ast.Assign, _targets(depth), value),
        st.builds(ast.ExpressionStatement, value),
    ]
    if "loop" in context:
        simple += [st.just(ast.Break()), st.just(ast.Continue())]
    if "fn" in context:
        simple.append(st.builds(ast.Return, st.none() | value))
    if depth <= 0:
        return st.one_of(simple)
    loop = context | {"loop"}
    function_body = frozenset({"fn"})
    parameters = st.lists(st.builds(ast.Parameter, _names(), types()), max_size=3)
    compound = [
        st.builds(
            ast.FunctionDef, _names(), parameters, st.none() | types(), _blocks(depth - 1, function_body)
        ),
        _ifs(depth, context),
        st.builds(ast.While, expressions(2, context), _blocks(depth - 1, loop)),
        st.builds(ast.For, _names(), expressions(2, context), _blocks(depth - 1, loop)),
    ]
    return st.one_of(*simple, *compound)


@cache
def programs(max_statements: int = 6, depth: int = 2) -> st.SearchStrategy[ast.Program]:
    """Random syntactically valid programs of up to `max_statements` top-level statements."""
    return st.lists(statements(depth), max_size=max_statements).map(ast.Program)


def styles() -> st.SearchStrategy[Style]:
    """Printer styles from sparse to dense trivia."""
    probability = st.sampled_from([0.0, 0.05, 0.2, 0.5])
    return st.builds(
        Style,
        max_spaces=st.integers(0, 3),
        tab=probability,
        newline=probability,
        unicode_space=st.sampled_from([0.0, 0.02]),
        line_comment=probability,
        block_comment=probability,
        semicolon=st.sampled_from([0.0, 0.5, 1.0]),
        parentheses=probability,
        alternative_spelling=st.sampled_from([0.0, 0.5]),
    )


@st.composite
def program_texts(draw: st.DrawFn, max_statements: int = 6, depth: int = 2) -> tuple[ast.Program, str]:
    """A random program and one randomly styled printing of it."""
    program = draw(programs(max_statements, depth))
    style = draw(styles())
    seed = draw(st.integers(0, 2**32 - 1))
    return program, print_program(program, style, random.Random(seed))
