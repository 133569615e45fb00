"""Lowering from the tree-sitter tree to the AST (charl_core.syntax.lower), through real Charl text."""

from __future__ import annotations

import gc
import random
import sys
import types
import typing
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charl_core import ast
from charl_core.ast import (
    ArrayLiteral,
    ArrayRepeat,
    ArrayType,
    Assign,
    Autograd,
    BinaryOperation,
    BindingPattern,
    Block,
    BooleanLiteral,
    Break,
    Call,
    Cast,
    Continue,
    ErrorExpression,
    ErrorPattern,
    ErrorStatement,
    ErrorType,
    ExpressionStatement,
    FloatLiteral,
    For,
    FunctionDef,
    Identifier,
    If,
    IfExpression,
    Index,
    IntDimension,
    IntegerLiteral,
    Let,
    LiteralPattern,
    Match,
    MatchArm,
    ModelDef,
    Name,
    NamedDimension,
    Parameter,
    PrimitiveType,
    Program,
    Range,
    Return,
    StringLiteral,
    TensorType,
    TupleIndex,
    TupleLiteral,
    TupleType,
    UnaryOperation,
    UnknownDimension,
    While,
    WildcardPattern,
)
from charl_core.syntax.language import parse_bytes
from charl_core.syntax.lower import lower, lower_source
from tests.conftest import CONFORMANCE_CASES, require_conformance

ERRORS = (ErrorStatement, ErrorExpression, ErrorType, ErrorPattern)


def errors_in(program: Program) -> list[ast.Node]:
    return [node for node in program.walk() if isinstance(node, ERRORS)]


def assert_well_typed(program: Program) -> None:
    """Every field of every node holds what ast.py declares: a rule that put, say, an `ErrorExpression`
    where a statement belongs would fail here."""
    for node in program.walk():
        hints = typing.get_type_hints(type(node))
        for field in fields(node):
            if field.name != "span":
                value = getattr(node, field.name)
                assert conforms(value, hints[field.name]), f"{type(node).__name__}.{field.name} = {value!r}"


def conforms(value: object, hint: typing.Any) -> bool:
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        return isinstance(value, list) and all(conforms(item, arguments[0]) for item in value)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, argument) for argument in arguments)
    if hint is None or hint is type(None):
        return value is None
    return isinstance(value, hint)


def statements(text: str) -> list[ast.Statement]:
    return lower_source(text).statements


def expression(text: str) -> ast.Expression:
    """The value of `let v = <text>`."""
    (let,) = statements(f"let v = {text}")
    assert isinstance(let, Let)
    return let.value


def annotation(text: str) -> ast.Type | None:
    """The type of `let v: <text> = 0`."""
    (let,) = statements(f"let v: {text} = 0")
    assert isinstance(let, Let)
    return let.annotation


def var(name: str) -> Identifier:
    return Identifier(name)


def op(symbol: str, left: ast.Expression, right: ast.Expression) -> BinaryOperation:
    return BinaryOperation(symbol, left, right)


def num(value: int) -> IntegerLiteral:
    return IntegerLiteral(value)


def block(*items: ast.Statement) -> Block:
    return Block(list(items))


def say(value: ast.Expression) -> ExpressionStatement:
    return ExpressionStatement(value)


# ───────────────────────────── (1) the conformance programs ─────────────────────────────


@pytest.mark.parametrize("path", CONFORMANCE_CASES, ids=[path.stem for path in CONFORMANCE_CASES])
def test_conformance_program_lowers_without_error_nodes(path: Path) -> None:
    source = path.read_bytes()
    program = lower(parse_bytes(source), source)
    assert errors_in(program) == []
    assert_well_typed(program)
    for node in program.walk():
        assert 0 <= node.span.start <= node.span.end <= len(source), node
        if isinstance(node, Identifier | Name):
            written = node.name if isinstance(node, Identifier) else node.id
            assert source[node.span.start : node.span.end] == written.encode()


def test_the_conformance_cases_are_there() -> None:
    assert len(require_conformance()) > 100


# ───────────────────────────── (2) constructs, exactly ─────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # LANGUAGE.md §3.4: one shared logical level, left-associative.
        ("a or b and c", op("and", op("or", var("a"), var("b")), var("c"))),
        ("a && !b || c", op("or", op("and", var("a"), UnaryOperation("not", var("b"))), var("c"))),
        ("a + b as float32", Cast(op("+", var("a"), var("b")), "float32")),
        ("x as float32 * 2.0", op("*", Cast(var("x"), "float32"), FloatLiteral(2.0))),
        ("not a == b", op("==", UnaryOperation("not", var("a")), var("b"))),
        ("-x[0]", UnaryOperation("-", Index(var("x"), num(0)))),
        ("-a * b", op("*", UnaryOperation("-", var("a")), var("b"))),
        ("0..n+1", Range(num(0), op("+", var("n"), num(1)), False)),
        ("1..5", Range(num(1), num(5), False)),
        ("0..=n", Range(num(0), var("n"), True)),
        ("a < b < c", op("<", op("<", var("a"), var("b")), var("c"))),
        ("a @ b * c", op("*", op("@", var("a"), var("b")), var("c"))),
        ("a - b - c", op("-", op("-", var("a"), var("b")), var("c"))),
        ("a == b != c", op("!=", op("==", var("a"), var("b")), var("c"))),
        ("x % 2 / y", op("/", op("%", var("x"), num(2)), var("y"))),
        ("(a + b) * c", op("*", op("+", var("a"), var("b")), var("c"))),
        ("x as int", Cast(var("x"), "int")),
        ("x as Foo", Cast(var("x"), "Foo")),
        ("f(x)[0]", Index(Call(var("f"), [var("x")]), num(0))),
        ("a[i](x)", Call(Index(var("a"), var("i")), [var("x")])),
        ("t.0", TupleIndex(var("t"), 0)),
        ("t.0[1]", Index(TupleIndex(var("t"), 0), num(1))),
        ("(t.0).1", TupleIndex(TupleIndex(var("t"), 0), 1)),
        ("f()()", Call(Call(var("f"), []), [])),
        ("()", TupleLiteral([])),
        ("(a,)", TupleLiteral([var("a")])),
        ("(a, b,)", TupleLiteral([var("a"), var("b")])),
        ("(a)", var("a")),
        ("[]", ArrayLiteral([])),
        ("[1, 2.5]", ArrayLiteral([num(1), FloatLiteral(2.5)])),
        ("[0.0; 100]", ArrayRepeat(FloatLiteral(0.0), num(100))),
        ("true", BooleanLiteral(True)),
        ("false", BooleanLiteral(False)),
        ("007", num(7)),
        ("9223372036854775808", num(9223372036854775808)),
        ("1e5", FloatLiteral(1e5)),
        ("1.5e-10", FloatLiteral(1.5e-10)),
        ("2.0E+3", FloatLiteral(2000.0)),
        (
            "tensor([1.0], [1])",
            Call(var("tensor"), [ArrayLiteral([FloatLiteral(1.0)]), ArrayLiteral([num(1)])]),
        ),
        ("autograd(loss)", Autograd(var("loss"))),
        ("ñame + Ⅻ", op("+", var("ñame"), var("Ⅻ"))),
        (
            "if c { 1 } else if d { 2 } else { 3 }",
            IfExpression(
                var("c"),
                block(say(num(1))),
                IfExpression(var("d"), block(say(num(2))), block(say(num(3)))),
            ),
        ),
    ],
)
def test_expression(text: str, expected: ast.Expression) -> None:
    assert expression(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r'"a\"b"', r"a\"b"),  # §2.4: both characters stay
        (r'"Loss:\n"', r"Loss:\n"),  # backslash and n, not a newline
        ('"say \\"hi\\""', 'say \\"hi\\"'),
        ('"two\nlines"', "two\nlines"),
        ('"héllo ✅ 🚀 ─┼─"', "héllo ✅ 🚀 ─┼─"),
        ('""', ""),
    ],
)
def test_string_is_verbatim(text: str, value: str) -> None:
    assert expression(text) == StringLiteral(value)


def test_integer_longer_than_python_digit_limit_keeps_its_value() -> None:
    digits = "9" * 5000
    literal = expression(digits)
    assert isinstance(literal, IntegerLiteral)
    assert literal.value == 10**5000 - 1


def test_statement_continues_across_lines() -> None:
    # §2.6: newlines are whitespace; the expression keeps consuming operators.
    assert statements("let c = a\n-b") == [Let(Name("c"), None, op("-", var("a"), var("b")))]
    assert statements("print(x)\n(1, 2)") == [say(Call(Call(var("print"), [var("x")]), [num(1), num(2)]))]


def test_statements() -> None:
    text = """
    let x: int = 1;
    x = x + 1
    xs[0][1] = 2
    t.0 = v
    while x < 10 { x = x * 2; }
    for i in 0..3 { if i == 1 { continue } if i == 2 { break; } }
    fn f() { return }
    fn g(n: int) -> int { return n; }
    return
    """
    assert statements(text) == [
        Let(Name("x"), PrimitiveType("int"), num(1)),
        Assign(var("x"), op("+", var("x"), num(1))),
        Assign(Index(Index(var("xs"), num(0)), num(1)), num(2)),
        Assign(TupleIndex(var("t"), 0), var("v")),
        While(op("<", var("x"), num(10)), block(Assign(var("x"), op("*", var("x"), num(2))))),
        For(
            Name("i"),
            Range(num(0), num(3), False),
            block(
                If(op("==", var("i"), num(1)), block(Continue()), None),
                If(op("==", var("i"), num(2)), block(Break()), None),
            ),
        ),
        FunctionDef(Name("f"), [], None, block(Return(None))),
        FunctionDef(
            Name("g"),
            [Parameter(Name("n"), PrimitiveType("int"))],
            PrimitiveType("int"),
            block(Return(var("n"))),
        ),
        Return(None),
    ]


def test_else_if_nests_an_if_in_otherwise() -> None:
    text = 'if s >= 90 { print("A") } else if s >= 75 { print("B") } else { print("C") }'
    grade = {letter: block(say(Call(var("print"), [StringLiteral(letter)]))) for letter in "ABC"}
    assert statements(text) == [
        If(
            op(">=", var("s"), num(90)),
            grade["A"],
            If(op(">=", var("s"), num(75)), grade["B"], grade["C"]),
        )
    ]


def test_if_statement_without_else() -> None:
    assert statements("if p { f() }") == [If(var("p"), block(say(Call(var("f"), []))), None)]


def test_match_with_every_pattern_kind() -> None:
    text = 'match x { 0 => "zero" 1.5 => "f", "s" => 3 true => 4 false => 5, _ => 6, n => n, }'
    assert expression(text) == Match(
        var("x"),
        [
            MatchArm(LiteralPattern(num(0)), StringLiteral("zero")),
            MatchArm(LiteralPattern(FloatLiteral(1.5)), StringLiteral("f")),
            MatchArm(LiteralPattern(StringLiteral("s")), num(3)),
            MatchArm(LiteralPattern(BooleanLiteral(True)), num(4)),
            MatchArm(LiteralPattern(BooleanLiteral(False)), num(5)),
            MatchArm(WildcardPattern(), num(6)),
            MatchArm(BindingPattern(Name("n")), var("n")),
        ],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("int32", PrimitiveType("int32")),
        ("concept", PrimitiveType("concept")),
        ("[float32]", ArrayType(PrimitiveType("float32"))),
        ("[float32; 80]", ArrayType(PrimitiveType("float32"), 80)),
        ("[[int]]", ArrayType(ArrayType(PrimitiveType("int")))),
        ("tensor", TensorType(None, None)),
        ("tensor<float32, []>", TensorType(PrimitiveType("float32"), [])),
        (
            "tensor<float32, [N, _, 784]>",
            TensorType(
                PrimitiveType("float32"), [NamedDimension("N"), UnknownDimension(), IntDimension(784)]
            ),
        ),
        ("()", TupleType([])),
        ("(int,)", TupleType([PrimitiveType("int")])),
        (
            "(int, [bool], tensor)",
            TupleType([PrimitiveType("int"), ArrayType(PrimitiveType("bool")), TensorType()]),
        ),
    ],
)
def test_type(text: str, expected: ast.Type) -> None:
    assert annotation(text) == expected


def test_function_signature_types() -> None:
    text = "fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]> { a }"
    (function,) = statements(text)

    def matrix(rows: str, columns: str) -> TensorType:
        return TensorType(PrimitiveType("float32"), [NamedDimension(rows), NamedDimension(columns)])

    assert function == FunctionDef(
        Name("mm"),
        [Parameter(Name("a"), matrix("M", "K")), Parameter(Name("b"), matrix("K", "N"))],
        matrix("M", "N"),
        block(say(var("a"))),
    )


def test_model_definition_keeps_only_its_name() -> None:
    assert statements("model Classifier { layers { dense(784, 128, activation: relu) } }") == [
        ModelDef(Name("Classifier"))
    ]
    assert statements("model M { }") == [ModelDef(Name("M"))]


def test_comments_are_ignored_everywhere() -> None:
    text = """
    // leading
    let /* a */ x /* b */ = /* c */ f( // d
        1, /* e */ 2 /* f */ ) // g
    /* h */ print(x) /* unterminated to end of file
    """
    assert statements(text) == [
        Let(Name("x"), None, Call(var("f"), [num(1), num(2)])),
        say(Call(var("print"), [var("x")])),
    ]


def test_spans_are_byte_ranges_of_the_cst_node() -> None:
    source = 'let naïve = "🚀 ─" + café\nprint(naïve)'.encode()
    program = lower(parse_bytes(source), source)
    names = [node for node in program.walk() if isinstance(node, Identifier | Name)]
    assert [source[n.span.start : n.span.end].decode() for n in names] == ["naïve", "café", "print", "naïve"]
    let = program.statements[0]
    assert source[let.span.start : let.span.end] == 'let naïve = "🚀 ─" + café'.encode()
    string = next(node for node in program.walk() if isinstance(node, StringLiteral))
    assert source[string.span.start : string.span.end] == '"🚀 ─"'.encode()
    assert program.span == ast.Span(0, len(source))


def test_grouping_leaves_no_node_and_keeps_inner_span() -> None:
    source = b"let v = ((a + b))"
    inner = lower(parse_bytes(source), source).statements[0].value
    assert isinstance(inner, BinaryOperation)
    assert source[inner.span.start : inner.span.end] == b"a + b"


def test_block_closed_by_end_of_file() -> None:
    (function,) = statements("fn f() {\n    let x = 1")
    assert function == FunctionDef(Name("f"), [], None, block(Let(Name("x"), None, num(1))))
    assert function.body.closed is False
    (closed,) = statements("fn f() { let x = 1 }")
    assert closed.body.closed is True


def test_lower_accepts_a_root_node_or_any_statement_node() -> None:
    source = b"let a = 1\nprint(a)"
    tree = parse_bytes(source)
    assert lower(tree.root_node, source) == lower(tree, source)
    assert lower(tree.root_node.children[1], source) == Program([say(Call(var("print"), [var("a")]))])


def test_lowering_leaves_the_garbage_collector_as_it_was() -> None:
    assert gc.isenabled()
    lower_source("let x = 1")
    assert gc.isenabled()
    gc.disable()
    try:
        lower_source("let x = 1")
        assert not gc.isenabled()
    finally:
        gc.enable()


# ───────────────────────────── (3) broken input ─────────────────────────────

NASTY = [
    "",
    "// only a comment",
    "/* unterminated block comment",
    "let x =",
    "let = 5",
    "let : int = 5",
    "fn (",
    "fn f(",
    "fn f(x: ) {}",
    "fn f(: int) {}",
    ")))",
    "(((",
    "{{{",
    "}}}",
    "{ let a = 1",
    "let x = [1, 2",
    "let x = (1 +",
    "x = = 3",
    "x += 1",
    "if { }",
    "if x { } else",
    "while { }",
    "for in { }",
    "for x in { }",
    "return return",
    "match x { }",
    "match x { => 1 }",
    "match { 1 => }",
    "let t: tensor<float32, [N, ]> = x",
    "let t: tensor<float32> = x",
    "let t: [int; ] = x",
    "let t: (int, ) = x",
    "let y = x as",
    "let y = x as string",
    "let y = t.",
    "let y = t.x",
    "autograd()",
    "autograd(a, b)",
    "f(1, )",
    "[1, 2,]",
    "model",
    "model M",
    "model { }",
    'print("unterminated',
    "let x = 1 # comment",
    "let \x00 x = 1",
    "\ufeff let x = 1",
    "let x = 1\x1c",
    "@ @ @ .. ..= -> => ; ; ,",
    "else else else",
    "fn f() -> { }",
    "let let let",
    "1.e5 1e .5",
]


@pytest.mark.parametrize("text", NASTY)
def test_broken_text_lowers_without_raising(text: str) -> None:
    assert_well_typed(lower_source(text))


def test_random_bytes_lower_without_raising() -> None:
    assert_well_typed(lower_source(bytes(range(256))))
    generator = random.Random(7)
    for _ in range(200):
        assert_well_typed(lower_source(generator.randbytes(generator.randrange(1, 400))))


def test_lowering_with_the_wrong_source_does_not_raise() -> None:
    tree = parse_bytes(b'let x = 12345 + 1.5 + t.0\nlet y: [int; 3] = "s"')
    assert_well_typed(lower(tree, b""))
    assert_well_typed(lower(tree, b"x" * 10))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("// only a comment\n/* and another */", []),
        ("let x =", [Let(Name("x"), None, ErrorExpression())]),
        ("fn (", [ErrorStatement()]),
        (")))", [ErrorStatement()]),
        ("x = = 3", [Assign(var("x"), num(3))]),
        ("f(1, )", [say(Call(var("f"), [num(1), ErrorExpression()]))]),
        (
            "fn f(x: int, ) { }",
            [FunctionDef(Name("f"), [Parameter(Name("x"), PrimitiveType("int"))], None, block())],
        ),
        ("match x { => 1 }", [say(Match(var("x"), [MatchArm(ErrorPattern(), num(1))]))]),
        ("if x { } else", [If(var("x"), block(), None), ErrorStatement()]),
        ("let t: tensor<float32, [N, ]> = x", [Let(Name("t"), ErrorType(), var("x"))]),
    ],
)
def test_broken_text_gives_error_nodes(text: str, expected: list[ast.Statement]) -> None:
    assert statements(text) == expected


def test_error_node_spans() -> None:
    source = b"let y = 2\n)))\nlet x ="
    program = lower(parse_bytes(source), source)
    let_y, error, let_x = program.statements
    assert let_y == Let(Name("y"), None, num(2))
    assert source[error.span.start : error.span.end] == b")))"
    assert let_x == Let(Name("x"), None, ErrorExpression())
    assert let_x.value.span == ast.Span(len(source), len(source))  # empty, where the value is missing


def test_statements_inside_a_statement_level_error_are_salvaged() -> None:
    # The parser wraps the finished statements of the unfinished `while` in one ERROR node.
    source = b"while i < 3 {\n    let loss = f(p)\n    g(loss)\n    let upd = h(opt, [p]"
    program = lower(parse_bytes(source), source)
    assert program.statements == [
        ErrorStatement(),
        Let(Name("loss"), None, Call(var("f"), [var("p")])),
        say(Call(var("g"), [var("loss")])),
        ErrorStatement(),
    ]
    first, *_, last = program.statements
    assert source[first.span.start : first.span.end] == b"while i < 3 {"
    assert source[last.span.start : last.span.end] == b"let upd = h(opt, [p]"


def mutations(text: bytes, generator: random.Random) -> bytes:
    """`text` with a few random deletions, duplications and insertions of Charl punctuation."""
    pieces = [*b'{ } ( ) [ ] " , ; = => -> .. let if fn'.split(), b"let ", b"if ", b"fn "]
    for _ in range(generator.randrange(1, 4)):
        at = generator.randrange(len(text) + 1)
        choice = generator.randrange(3)
        if choice == 0:
            text = text[:at] + text[at + generator.randrange(1, 12) :]
        elif choice == 1:
            text = text[:at] + text[at : at + 20] + text[at:]
        else:
            text = text[:at] + generator.choice(pieces) + text[at:]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CONFORMANCE_CASES), st.randoms(use_true_random=False))
def test_mutated_programs_lower_without_raising(path: Path, generator: random.Random) -> None:
    source = mutations(path.read_bytes(), generator)
    program = lower(parse_bytes(source), source)
    assert_well_typed(program)
    for node in program.walk():
        assert 0 <= node.span.start <= node.span.end <= len(source)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='letfnifmatch{}()[]<>=;:,.+-*/@!&|"\\_0123456789 \n\tabxyzé🚀#', max_size=200))
def test_token_soup_lowers_without_raising(text: str) -> None:
    assert_well_typed(lower_source(text))


# ───────────────────────────── (4) deep nesting ─────────────────────────────


def test_deep_nesting_does_not_use_the_call_stack() -> None:
    limit = sys.getrecursionlimit()
    assert expression("(" * 5000 + "1" + ")" * 5000) == num(1)

    chain = expression("+".join(["1"] * 20000))
    depth = 0
    while isinstance(chain, BinaryOperation):
        assert chain.right == num(1)
        chain, depth = chain.left, depth + 1
    assert (chain, depth) == (num(1), 19999)

    nested = expression("[" * 5000 + "x" + "]" * 5000)
    depth = 0
    while isinstance(nested, ArrayLiteral):
        (nested,), depth = nested.elements, depth + 1
    assert (nested, depth) == (var("x"), 5000)

    negated = expression("-" * 5000 + "x")
    assert sum(isinstance(node, UnaryOperation) for node in negated.walk()) == 5000

    calls = expression("f(" * 3000 + ")" * 3000)
    assert sum(isinstance(node, Call) for node in calls.walk()) == 3000

    chain_of_else_ifs = "if c { 0 }" + " else if c { 0 }" * 3000 + " else { 1 }"
    (first,) = statements(chain_of_else_ifs)
    assert sum(isinstance(node, If) for node in first.walk()) == 3001

    blocks = statements("while c {" * 3000 + "}" * 3000)
    assert sum(isinstance(node, While) for node in blocks[0].walk()) == 3000
    assert sys.getrecursionlimit() == limit


# ───────────────────────────── (5) trivia does not change the AST ─────────────────────────────

PLAIN = """
fn fact(n: int) -> int {
    if n <= 1 { return 1 }
    return n * fact(n - 1)
}
let xs: [tensor<float32, [N, 2]>; 2] = [tensor([1.0, 2.0], [1, 2]), tensor_zeros([1, 2])]
let grade = if x >= 90 { "A" } else if x >= 75 { "B" } else { "C" }
for i in 0..len(xs) { print(i, xs[i], match i { 0 => "zero" _ => "more" }) }
let t = (1, (2, 3),)
print(t.0 + fact(3) * 2, not done and ok)
"""

NOISY = """// a header comment
fn fact( n : int )->int{if(n<=1){return 1;}
  return ((n)) * fact( (n - 1) ) /* recursion */ }
let xs : [ tensor< float32 , [ N , 2 ] > ; 2 ] = [ tensor( [1.0,2.0] , [1,2] ) ,
    tensor_zeros( [ 1 , 2 ] ) ]
let grade=if (x>=90) {"A"} else if x>=75 {"B"}
    else {"C"}
for i in (0..len(xs)) {
    print(i, (xs[i]), (match i { 0 => "zero", _ => "more", }))
}
let t = ((1), ((2), 3),);
print((t.0) + (fact(3) * 2), ((! done) && ok)) // trailing
"""


def test_trivia_does_not_change_the_ast() -> None:
    plain, noisy = lower_source(PLAIN), lower_source(NOISY)
    assert errors_in(plain) == []
    assert plain == noisy
    assert [s.span for s in plain.statements] != [s.span for s in noisy.statements]
