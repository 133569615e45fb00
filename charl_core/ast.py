"""The typed AST of Charl: what the checker, the interpreter, the compilers and the formatter's safety check
read, lowered from the tree-sitter tree by `charl_core.syntax.lower`.

Every node carries the `Span` of the text it came from. Spans never take part in equality, so two ASTs of
texts that differ only in trivia (spacing, comments, line breaks, redundant parentheses) compare equal: the
formatter relies on that. Broken code lowers to explicit `ErrorStatement`/`ErrorExpression`/`ErrorType`/
`ErrorPattern` nodes, never to an exception.

Invariant: this module imports nothing from the rest of Charl and knows nothing about tree-sitter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of UTF-8 byte offsets into the document's text."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end


NO_SPAN = Span(0, 0)


@dataclass(eq=True, slots=True)
class Node:
    """Base of every AST node. `span` is excluded from equality and from `children()`."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order (lists flattened, `None`s skipped)."""
        for f in fields(self):
            if f.name == "span":
                continue
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, list):
                yield from (item for item in value if isinstance(item, Node))

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, pre-order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children())))


# ───────────────────────────── names and types ─────────────────────────────


@dataclass(eq=True, slots=True)
class Name(Node):
    """An identifier where it is declared or read (`tensor` in expression position included)."""

    id: str


class Type(Node):
    """A written type annotation (LANGUAGE.md §3.5, §9.5)."""

    __slots__ = ()


@dataclass(eq=True, slots=True)
class PrimitiveType(Type):
    """`int32 int64 float32 float64 bool string concept int float`."""

    name: str


@dataclass(eq=True, slots=True)
class ArrayType(Type):
    """`[T]`, or `[T; N]` when `length` is set."""

    element: Type
    length: int | None = None


class Dimension(Node):
    """One dimension of a tensor type's shape."""

    __slots__ = ()


@dataclass(eq=True, slots=True)
class IntDimension(Dimension):
    value: int


@dataclass(eq=True, slots=True)
class NamedDimension(Dimension):
    """A dimension variable such as `N` or `batch` (§9.5)."""

    name: str


@dataclass(eq=True, slots=True)
class UnknownDimension(Dimension):
    """`_`: matches anything, never bound."""


@dataclass(eq=True, slots=True)
class TensorType(Type):
    """`tensor<dtype, [dims]>`; bare `tensor` has neither (`dtype` and `shape` are `None`)."""

    dtype: Type | None = None
    shape: list[Dimension] | None = None


@dataclass(eq=True, slots=True)
class TupleType(Type):
    elements: list[Type]


@dataclass(eq=True, slots=True)
class ErrorType(Type):
    """A type annotation that did not parse."""


# ───────────────────────────── expressions ─────────────────────────────


class Expression(Node):
    __slots__ = ()


@dataclass(eq=True, slots=True)
class Identifier(Expression):
    name: str


@dataclass(eq=True, slots=True)
class IntegerLiteral(Expression):
    """An integer literal; `value` may exceed the 64-bit range, which the syntax diagnostics report."""

    value: int


@dataclass(eq=True, slots=True)
class FloatLiteral(Expression):
    value: float


@dataclass(eq=True, slots=True)
class StringLiteral(Expression):
    """The verbatim characters between the quotes: Charl strings have no escapes (§2.4)."""

    value: str


@dataclass(eq=True, slots=True)
class BooleanLiteral(Expression):
    value: bool


@dataclass(eq=True, slots=True)
class BinaryOperation(Expression):
    """`left op right`. `op` is the operator as written; `and`/`&&` and `or`/`||` are normalised to
    `and`/`or` because they are the same token (§2.5)."""

    op: str
    left: Expression
    right: Expression

    LOGICAL: ClassVar[dict[str, str]] = {"&&": "and", "||": "or"}


@dataclass(eq=True, slots=True)
class UnaryOperation(Expression):
    """`-x`, `!x`, `not x`; `!` is normalised to `not` (§2.5)."""

    op: str
    operand: Expression


@dataclass(eq=True, slots=True)
class Cast(Expression):
    """`value as target`; `target` is the type name as written (an unknown name fails at run time)."""

    value: Expression
    target: str


@dataclass(eq=True, slots=True)
class Range(Expression):
    """`start..end`, or `start..=end` when `inclusive`."""

    start: Expression
    end: Expression
    inclusive: bool


@dataclass(eq=True, slots=True)
class Call(Expression):
    callee: Expression
    arguments: list[Expression]


@dataclass(eq=True, slots=True)
class Index(Expression):
    """`value[index]`: indexing or slicing (the index may be an array, normally a range)."""

    value: Expression
    index: Expression


@dataclass(eq=True, slots=True)
class TupleIndex(Expression):
    """`value.N`."""

    value: Expression
    index: int


@dataclass(eq=True, slots=True)
class TupleLiteral(Expression):
    elements: list[Expression]


@dataclass(eq=True, slots=True)
class ArrayLiteral(Expression):
    elements: list[Expression]


@dataclass(eq=True, slots=True)
class ArrayRepeat(Expression):
    """`[value; count]`."""

    value: Expression
    count: Expression


@dataclass(eq=True, slots=True)
class Block(Node):
    """`{ statements }`. `closed` is false when the end of the file closed it (§3.2, warning W215)."""

    statements: list[Statement]
    closed: bool = field(default=True, compare=False)


@dataclass(eq=True, slots=True)
class IfExpression(Expression):
    """The expression form: `else` is mandatory; an `else if` chain nests in `otherwise` (§9.1)."""

    condition: Expression
    then: Block
    otherwise: Block | IfExpression


@dataclass(eq=True, slots=True)
class Pattern(Node):
    """A match pattern (§3.6): a literal, a binding name, or `_`."""


@dataclass(eq=True, slots=True)
class LiteralPattern(Pattern):
    value: IntegerLiteral | FloatLiteral | StringLiteral | BooleanLiteral


@dataclass(eq=True, slots=True)
class BindingPattern(Pattern):
    name: Name


@dataclass(eq=True, slots=True)
class WildcardPattern(Pattern):
    """`_`."""


@dataclass(eq=True, slots=True)
class ErrorPattern(Pattern):
    """A match pattern that did not parse (or is missing)."""


@dataclass(eq=True, slots=True)
class MatchArm(Node):
    pattern: Pattern
    value: Expression


@dataclass(eq=True, slots=True)
class Match(Expression):
    value: Expression
    arms: list[MatchArm]


@dataclass(eq=True, slots=True)
class Autograd(Expression):
    """The special form `autograd(expr)` (§3.3, §8.7)."""

    argument: Expression


@dataclass(eq=True, slots=True)
class ErrorExpression(Expression):
    """An expression that did not parse (or is missing)."""


# ───────────────────────────── statements ─────────────────────────────


class Statement(Node):
    __slots__ = ()


@dataclass(eq=True, slots=True)
class Let(Statement):
    name: Name
    annotation: Type | None
    value: Expression


@dataclass(eq=True, slots=True)
class Assign(Statement):
    """`target = value`; any expression parses as a target, only `x` and `x[i]…` run (§3.2)."""

    target: Expression
    value: Expression


@dataclass(eq=True, slots=True)
class ExpressionStatement(Statement):
    expression: Expression


@dataclass(eq=True, slots=True)
class Parameter(Node):
    name: Name
    annotation: Type


@dataclass(eq=True, slots=True)
class FunctionDef(Statement):
    name: Name
    parameters: list[Parameter]
    return_type: Type | None
    body: Block


@dataclass(eq=True, slots=True)
class If(Statement):
    """The statement form: `else` optional; `else if` nests an `If` in `otherwise` (§9.1)."""

    condition: Expression
    then: Block
    otherwise: Block | If | None


@dataclass(eq=True, slots=True)
class While(Statement):
    condition: Expression
    body: Block


@dataclass(eq=True, slots=True)
class For(Statement):
    variable: Name
    iterable: Expression
    body: Block


@dataclass(eq=True, slots=True)
class Return(Statement):
    """`return value`; a bare `return` (`value` is `None`) returns `false` (§3.2)."""

    value: Expression | None


@dataclass(eq=True, slots=True)
class Break(Statement):
    pass


@dataclass(eq=True, slots=True)
class Continue(Statement):
    pass


@dataclass(eq=True, slots=True)
class ModelDef(Statement):
    """A `model Name { … }` block (§9.6): parsed so that it gives one clear error, never executed."""

    name: Name


@dataclass(eq=True, slots=True)
class ErrorStatement(Statement):
    """Text that did not parse as a statement."""


@dataclass(eq=True, slots=True)
class Program(Node):
    statements: list[Statement]


SCOPE_OPENERS = (FunctionDef, For, MatchArm)
"""The only constructs that open a scope at run time (§5.6): calls, `for` loops and match arms."""
