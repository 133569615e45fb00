"""Print an AST back to Charl text, canonically or with randomised trivia.

The printer exists for tests: the round-trip `lower_source(print_program(p)) == p` checks the printer and the
lowering against each other, and the randomised style (spacing, line breaks, comments, optional `;`,
redundant parentheses) checks that trivia never changes the tree (LANGUAGE.md §2.1, §2.6).

It is token-based: the program is first flattened into tokens, each carrying a layout hint for the gap before
it (nothing, a space, or a new line at some indentation); a renderer then fills every gap. Only the token
stream has to be right, so the syntactic care lives in one place:

- parentheses wherever precedence needs them (§3.4: binary operators are left-associative, `as` is a postfix
  at level 3, ranges level 2, logic level 1, prefix operators 9, calls 10, index and `.N` 11);
- a `;` where the next statement would otherwise continue the previous expression (§2.6: a statement that
  starts with `(`, `[` or `-` after one that ends with an expression), and after a bare `return` that is not
  the last statement of its block;
- parentheses around a statement-start expression whose first token is `if` (that `if` would be the
  statement form, §3.2), around a number literal before `.N` (`1.0` would lex as a float) and around a
  tuple index before `.N` (`t.0.1` lexes `0.1` as a float, §3.3);
- a space between two tokens that would otherwise merge (`let x`, `1 as`, `> =`, `/ /* … */`).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from charl_core import ast

__all__ = ["Style", "print_expression", "print_program", "valid_string_value"]

INT64_MAX = 9_223_372_036_854_775_807

# ───────────────────────────── precedence (LANGUAGE.md §3.4) ─────────────────────────────

LOGICAL, RANGE, CAST, EQUALS, COMPARE, SUM, PRODUCT, MATMUL, PREFIX, CALL, INDEX, ATOM = range(1, 13)

BINARY_LEVEL = {
    "and": LOGICAL,
    "or": LOGICAL,
    "==": EQUALS,
    "!=": EQUALS,
    "<": COMPARE,
    "<=": COMPARE,
    ">": COMPARE,
    ">=": COMPARE,
    "+": SUM,
    "-": SUM,
    "*": PRODUCT,
    "/": PRODUCT,
    "%": PRODUCT,
    "@": MATMUL,
}

# Spellings that denote the same token (§2.5); the AST keeps the first one.
SPELLINGS = {"and": ("and", "&&"), "or": ("or", "||"), "not": ("not", "!"), "-": ("-",)}

CONTINUING_TOKENS = frozenset(
    {"(", "[", ".", "-", "+", "*", "/", "%", "@", "==", "!=", "<", "<=", ">", ">=", "..", "..="}
    | {"and", "or", "&&", "||", "as"}
)
"""Tokens that continue an expression (§2.6): a statement starting with one of them must be separated."""

_STRING_VALUE = re.compile(r'([^"\\]|\\+[^\\])*', re.DOTALL)


def valid_string_value(value: str) -> bool:
    """Whether `"value"` lexes as one string literal with exactly this value (§2.4: no escapes; a `"` must
    follow a backslash, and the value cannot end with one)."""
    return _STRING_VALUE.fullmatch(value) is not None and "\0" not in value


def _level(expression: ast.Expression) -> int:
    match expression:
        case ast.BinaryOperation(op=op):
            return BINARY_LEVEL[op]
        case ast.Range():
            return RANGE
        case ast.Cast():
            return CAST
        case ast.UnaryOperation():
            return PREFIX
        case ast.Call():
            return CALL
        case ast.Index() | ast.TupleIndex():
            return INDEX
        case _:
            return ATOM


# ───────────────────────────── style ─────────────────────────────


@dataclass(frozen=True)
class Style:
    """How much trivia the randomised printer inserts. Probabilities are per gap between two tokens (or per
    place where the choice exists); `print_program` with no style prints canonically."""

    max_spaces: int = 3
    tab: float = 0.05
    newline: float = 0.15
    unicode_space: float = 0.01
    line_comment: float = 0.03
    block_comment: float = 0.03
    semicolon: float = 0.3
    parentheses: float = 0.05
    alternative_spelling: float = 0.3
    """`&&`/`||`/`!` for `and`/`or`/`not`, `007` for `7`, `1.5e+00` for `1.5`, trailing commas, `(T,)`."""


_LINE_COMMENTS = ["// note", "//", "// TODO: ñandú 日本 🚀", "//// ---", "// /* not a block", "// a // b"]
_BLOCK_COMMENTS = [
    "/**/",
    "/* c */",
    "/* multi\n   line */",
    "/* ─ box │ ✓ */",
    "/* // inside */",
    "/*/ x */",
]
_UNICODE_SPACES = ["\u00a0", "\u3000", "\u2003", "\x0b", "\x0c"]

_NONE, _SPACE, _LINE = 0, 1, 2
_SEMICOLON_STATEMENTS = (ast.Let, ast.Assign, ast.ExpressionStatement, ast.Return, ast.Break, ast.Continue)
"""Statements that may be followed by one optional `;` (§2.6, §9.1)."""
_WORDISH = re.compile(r"\w", re.UNICODE)
_PUNCT = frozenset("=<>!-.&|/*+%@:")


def _needs_separation(left: str, right: str) -> bool:
    """Whether the tokens `left` and `right` would lex differently if written with nothing between them."""
    a, b = left[-1], right[0]
    if (_WORDISH.match(a) or ord(a) > 127) and (_WORDISH.match(b) or ord(b) > 127):
        return True
    if a in _PUNCT and b in _PUNCT:
        return True
    return a.isdigit() and right == "."  # `1 .0` is a tuple index, `1.0` a float; `1..2` is a range


# ───────────────────────────── token stream ─────────────────────────────


class _Printer:
    def __init__(self, style: Style | None, rng: random.Random | None) -> None:
        self.style = style
        self.rng = rng
        self.tokens: list[str] = []
        self.gaps: list[tuple[int, int]] = []  # (hint, indentation) of the gap before each token
        self.indent = 0

    # ── helpers ──

    def chance(self, probability: float) -> bool:
        return self.rng is not None and self.style is not None and self.rng.random() < probability

    def emit(self, text: str, gap: int = _SPACE) -> None:
        self.tokens.append(text)
        self.gaps.append((gap, self.indent))

    def wrap(self, start: int) -> None:
        """Parenthesise the tokens emitted since `start`."""
        gap = self.gaps[start]
        self.tokens.insert(start, "(")
        self.gaps.insert(start, gap)
        self.gaps[start + 1] = (_NONE, self.indent)
        self.emit(")", _NONE)

    def spelling(self, op: str) -> str:
        choices = SPELLINGS.get(op, (op,))
        if len(choices) > 1 and self.chance(self.alternative):
            return choices[1]
        return choices[0]

    # ── statements ──

    def statements(self, statements: list[ast.Statement]) -> None:
        """A statement sequence, with the `;`s the grammar needs (§2.6, §3.2) and random optional ones."""
        pending: str | None = None  # what the previous statement leaves open: "expression" or "bare return"
        for statement in statements:
            start = len(self.tokens)
            self.statement(statement, first_gap=_LINE if self.tokens else _NONE)
            if pending == "bare return" or (
                pending == "expression" and self.tokens[start] in CONTINUING_TOKENS
            ):
                self.tokens.insert(start, ";")
                self.gaps.insert(start, (_NONE, self.indent))
            pending = None
            if not isinstance(statement, _SEMICOLON_STATEMENTS):
                continue
            if self.chance(self.style.semicolon if self.style else 0):
                self.emit(";", _NONE)
            elif isinstance(statement, ast.Return) and statement.value is None:
                pending = "bare return"
            elif not isinstance(statement, ast.Break | ast.Continue):
                pending = "expression"

    def statement(self, statement: ast.Statement, first_gap: int) -> None:
        match statement:
            case ast.Let(name=name, annotation=annotation, value=value):
                self.emit("let", first_gap)
                self.emit(name.id)
                if annotation is not None:
                    self.emit(":", _NONE)
                    self.type(annotation)
                self.emit("=")
                self.expression(value, 0)
            case ast.Assign(target=target, value=value):
                self.statement_start_expression(target, first_gap)
                self.emit("=")
                self.expression(value, 0)
            case ast.ExpressionStatement(expression=expression):
                self.statement_start_expression(expression, first_gap)
            case ast.FunctionDef(name=name, parameters=parameters, return_type=return_type, body=body):
                self.emit("fn", first_gap)
                self.emit(name.id)
                self.emit("(", _NONE)
                for i, parameter in enumerate(parameters):
                    if i:
                        self.emit(",", _NONE)
                    self.emit(parameter.name.id, _SPACE if i else _NONE)
                    self.emit(":", _NONE)
                    self.type(parameter.annotation)
                self.emit(")", _NONE)
                if return_type is not None:
                    self.emit("->")
                    self.type(return_type)
                self.block(body)
            case ast.If(condition=condition, then=then, otherwise=otherwise):
                self.emit("if", first_gap)
                self.expression(condition, 0)
                self.block(then)
                if isinstance(otherwise, ast.If):
                    self.emit("else")
                    self.statement(otherwise, _SPACE)
                elif otherwise is not None:
                    self.emit("else")
                    self.block(otherwise)
            case ast.While(condition=condition, body=body):
                self.emit("while", first_gap)
                self.expression(condition, 0)
                self.block(body)
            case ast.For(variable=variable, iterable=iterable, body=body):
                self.emit("for", first_gap)
                self.emit(variable.id)
                self.emit("in")
                self.expression(iterable, 0)
                self.block(body)
            case ast.Return(value=value):
                self.emit("return", first_gap)
                if value is not None:
                    self.expression(value, 0)
            case ast.Break():
                self.emit("break", first_gap)
            case ast.Continue():
                self.emit("continue", first_gap)
            case ast.ModelDef(name=name):
                self.emit("model", first_gap)
                self.emit(name.id)
                self.emit("{")
                self.emit("}", _NONE)
            case _:
                raise ValueError(f"cannot print {type(statement).__name__}")

    def statement_start_expression(self, expression: ast.Expression, first_gap: int) -> None:
        """An expression at the start of a statement: a leading `if` would begin the statement form."""
        start = len(self.tokens)
        self.expression(expression, 0)
        self.gaps[start] = (first_gap, self.indent)
        if self.tokens[start] == "if":
            self.wrap(start)

    def block(self, block: ast.Block) -> None:
        self.emit("{")
        if not block.statements:
            self.emit("}", _NONE)
            return
        self.indent += 1
        before = len(self.tokens)
        self.statements(block.statements)
        self.gaps[before] = (_LINE, self.indent)
        self.indent -= 1
        self.emit("}", _LINE)

    # ── types ──

    def type(self, annotation: ast.Type, gap: int = _SPACE) -> None:
        match annotation:
            case ast.PrimitiveType(name=name):
                self.emit(name, gap)
            case ast.ArrayType(element=element, length=length):
                self.emit("[", gap)
                self.type(element, _NONE)
                if length is not None:
                    self.emit(";", _NONE)
                    self.emit(self.integer(length))
                self.emit("]", _NONE)
            case ast.TensorType(dtype=None, shape=None):
                self.emit("tensor", gap)
            case ast.TensorType(dtype=ast.Type() as dtype, shape=list(shape)):
                self.emit("tensor", gap)
                self.emit("<", _NONE)
                self.type(dtype, _NONE)
                self.emit(",", _NONE)
                self.emit("[")
                for i, dimension in enumerate(shape):
                    if i:
                        self.emit(",", _NONE)
                    self.emit(self.dimension(dimension), _SPACE if i else _NONE)
                self.emit("]", _NONE)
                self.emit(">", _NONE)
            case ast.TupleType(elements=elements):
                self.emit("(", gap)
                for i, element in enumerate(elements):
                    if i:
                        self.emit(",", _NONE)
                    self.type(element, _SPACE if i else _NONE)
                if len(elements) == 1 or (elements and self.chance(self.alternative)):
                    self.emit(",", _NONE)
                self.emit(")", _NONE)
            case _:
                raise ValueError(f"cannot print type {annotation!r}")

    @staticmethod
    def dimension(dimension: ast.Dimension) -> str:
        match dimension:
            case ast.IntDimension(value=value):
                return str(value)
            case ast.NamedDimension(name=name):
                return name
            case ast.UnknownDimension():
                return "_"
        raise ValueError(f"cannot print {type(dimension).__name__}")

    @property
    def alternative(self) -> float:
        return self.style.alternative_spelling if self.style else 0.0

    # ── expressions ──

    def expression(self, expression: ast.Expression, min_level: int, gap: int = _SPACE) -> None:
        """Print `expression` where the grammar parses an operand of at least `min_level`."""
        start = len(self.tokens)
        needs_parentheses = _level(expression) < min_level
        self.bare_expression(expression, gap)
        if needs_parentheses or self.chance(self.style.parentheses if self.style else 0):
            self.wrap(start)

    def bare_expression(self, expression: ast.Expression, gap: int) -> None:
        match expression:
            case ast.Identifier(name=name):
                self.emit(name, gap)
            case ast.IntegerLiteral(value=value):
                self.emit(self.integer(value), gap)
            case ast.FloatLiteral(value=value):
                self.emit(self.float(value), gap)
            case ast.StringLiteral(value=value):
                if not valid_string_value(value):
                    raise ValueError(f"string value {value!r} cannot be written as a Charl literal")
                self.emit(f'"{value}"', gap)
            case ast.BooleanLiteral(value=value):
                self.emit("true" if value else "false", gap)
            case ast.BinaryOperation(op=op, left=left, right=right):
                level = BINARY_LEVEL[op]
                self.expression(left, level, gap)
                self.emit(self.spelling(op))
                self.expression(right, level + 1)
            case ast.UnaryOperation(op=op, operand=operand):
                self.emit(self.spelling(op), gap)
                self.expression(operand, PREFIX, _SPACE if op == "not" else _NONE)
            case ast.Cast(value=value, target=target):
                self.expression(value, CAST, gap)
                self.emit("as")
                self.emit(target)
            case ast.Range(start=start, end=end, inclusive=inclusive):
                self.expression(start, RANGE, gap)
                self.emit("..=" if inclusive else "..", _NONE)
                self.expression(end, CAST, _NONE)
            case ast.Call(callee=callee, arguments=arguments):
                self.expression(callee, CALL, gap)
                self.emit("(", _NONE)
                self.comma_list(arguments, trailing_comma=False)
                self.emit(")", _NONE)
            case ast.Index(value=value, index=index):
                self.expression(value, CALL, gap)
                self.emit("[", _NONE)
                self.expression(index, 0, _NONE)
                self.emit("]", _NONE)
            case ast.TupleIndex(value=value, index=index):
                start = len(self.tokens)
                self.expression(value, CALL, gap)
                if isinstance(value, ast.IntegerLiteral | ast.FloatLiteral | ast.TupleIndex) and (
                    self.tokens[-1] != ")"
                ):
                    self.wrap(start)
                self.emit(".", _NONE)
                self.emit(str(index), _NONE)
            case ast.TupleLiteral(elements=elements):
                self.emit("(", gap)
                self.comma_list(elements, trailing_comma=len(elements) >= 2 and self.chance(self.alternative))
                if len(elements) == 1:
                    self.emit(",", _NONE)
                self.emit(")", _NONE)
            case ast.ArrayLiteral(elements=elements):
                self.emit("[", gap)
                self.comma_list(elements, trailing_comma=False)
                self.emit("]", _NONE)
            case ast.ArrayRepeat(value=value, count=count):
                self.emit("[", gap)
                self.expression(value, 0, _NONE)
                self.emit(";", _NONE)
                self.expression(count, 0)
                self.emit("]", _NONE)
            case ast.IfExpression(condition=condition, then=then, otherwise=otherwise):
                self.emit("if", gap)
                self.expression(condition, 0)
                self.block(then)
                self.emit("else")
                if isinstance(otherwise, ast.IfExpression):
                    self.bare_expression(otherwise, _SPACE)
                else:
                    self.block(otherwise)
            case ast.Match(value=value, arms=arms):
                if not arms:
                    raise ValueError("a match needs at least one arm")
                self.emit("match", gap)
                self.expression(value, 0)
                self.emit("{")
                self.indent += 1
                for i, arm in enumerate(arms):
                    if i and (self.style is None or self.chance(0.5)):
                        self.emit(",", _NONE)
                    self.emit(self.pattern(arm.pattern), _LINE)
                    self.emit("=>")
                    self.expression(arm.value, 0)
                if self.style is None or self.chance(0.3):
                    self.emit(",", _NONE)
                self.indent -= 1
                self.emit("}", _LINE)
            case ast.Autograd(argument=argument):
                self.emit("autograd", gap)
                self.emit("(", _NONE)
                self.expression(argument, 0, _NONE)
                self.emit(")", _NONE)
            case _:
                raise ValueError(f"cannot print {type(expression).__name__}")

    def comma_list(self, elements: list[ast.Expression], trailing_comma: bool) -> None:
        for i, element in enumerate(elements):
            if i:
                self.emit(",", _NONE)
            self.expression(element, 0, _SPACE if i else _NONE)
        if trailing_comma:
            self.emit(",", _NONE)

    def pattern(self, pattern: ast.Pattern) -> str:
        match pattern:
            case ast.WildcardPattern():
                return "_"
            case ast.BindingPattern(name=name):
                return name.id
            case ast.LiteralPattern(value=ast.IntegerLiteral(value=value)):
                return self.integer(value)
            case ast.LiteralPattern(value=ast.FloatLiteral(value=value)):
                return self.float(value)
            case ast.LiteralPattern(value=ast.StringLiteral(value=value)) if valid_string_value(value):
                return f'"{value}"'
            case ast.LiteralPattern(value=ast.BooleanLiteral(value=value)):
                return "true" if value else "false"
        raise ValueError(f"cannot print pattern {pattern!r}")

    def integer(self, value: int) -> str:
        if not 0 <= value <= INT64_MAX:
            raise ValueError(f"integer literal {value} is out of range (negative numbers are unary minus)")
        text = str(value)
        if self.chance(self.alternative / 4):
            text = "0" * self.rng.randint(1, 2) + text
        return text

    def float(self, value: float) -> str:
        """repr() always has a `.` followed by a digit or an exponent, as the grammar wants (§2.3)."""
        if not math.isfinite(value) or math.copysign(1.0, value) < 0:
            raise ValueError(
                f"float literal {value!r} cannot be written (no negative or non-finite literals)"
            )
        text = repr(value)
        if self.chance(self.alternative / 2):
            text = self.rng.choice([f"{value:.17e}", f"{value:.17E}", f"{value:.20f}".rstrip("0") + "0"])
            if float(text) != value:
                text = repr(value)
        return text

    # ── rendering ──

    def render(self) -> str:
        if self.style is None or self.rng is None:
            return self.render_canonical()
        return self.render_random()

    def render_canonical(self) -> str:
        parts: list[str] = []
        previous = None
        for token, (gap, indent) in zip(self.tokens, self.gaps, strict=True):
            if previous is not None:
                if gap == _LINE:
                    parts.append("\n" + "    " * indent)
                elif gap == _SPACE or _needs_separation(previous, token):
                    parts.append(" ")
            parts.append(token)
            previous = token
        parts.append("\n")
        return "".join(parts)

    def render_random(self) -> str:
        parts: list[str] = [self.trivia(_NONE, 0, leading=True)]
        previous = None
        for token, (gap, indent) in zip(self.tokens, self.gaps, strict=True):
            if previous is not None:
                trivia = self.trivia(gap, indent)
                if not trivia and _needs_separation(previous, token):
                    trivia = " "
                parts.append(trivia)
            parts.append(token)
            previous = token
        parts.append(self.trivia(_LINE, 0))
        parts.append("\n")
        return "".join(parts)

    def trivia(self, gap: int, indent: int, leading: bool = False) -> str:
        style, rng = self.style, self.rng
        assert style is not None and rng is not None
        pieces: list[str] = []
        if (gap == _LINE and rng.random() < 0.8) or rng.random() < style.newline:
            pieces.append("\n" * rng.choice([1, 1, 1, 2]) + rng.choice(["    ", "\t", "  ", ""]) * indent)
        elif leading:
            pass
        elif rng.random() < style.tab:
            pieces.append("\t")
        elif rng.random() < style.unicode_space:
            pieces.append(rng.choice(_UNICODE_SPACES))
        else:
            pieces.append(" " * rng.randint(0, style.max_spaces))
        if rng.random() < style.block_comment:
            pieces.append(" " + rng.choice(_BLOCK_COMMENTS) + " " * rng.randint(1, 2))
        if rng.random() < style.line_comment:
            pieces.append(" " + rng.choice(_LINE_COMMENTS) + rng.choice(["\n", "\r\n", "\n\n"]))
        return "".join(pieces)


# ───────────────────────────── public API ─────────────────────────────


def print_program(program: ast.Program, style: Style | None = None, rng: random.Random | None = None) -> str:
    """Charl text whose lowering equals `program` (spans aside).

    With neither `style` nor `rng`, the text is canonical: one statement per line, four-space indentation,
    single spaces around binary operators, `;` only where the grammar needs one. With either, trivia is
    randomised from `rng` (default `random.Random(0)`) at the densities of `style` (default `Style()`).
    Raises `ValueError` for what no text can express: error nodes, negative or non-finite number literals,
    string values that are not valid literals, a match with no arms.
    """
    if style is not None or rng is not None:
        style = style or Style()
        rng = rng or random.Random(0)
    printer = _Printer(style, rng)
    printer.statements(program.statements)
    return printer.render()


def print_expression(expression: ast.Expression) -> str:
    """The canonical text of one expression (without a trailing newline)."""
    printer = _Printer(None, None)
    printer.expression(expression, 0, _NONE)
    return printer.render_canonical().rstrip("\n")
