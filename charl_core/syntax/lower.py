"""Lowering: the tree-sitter tree of a Charl file to the typed AST of `charl_core.ast`.

Every consumer (checker, interpreter, compilers, formatter, editor features) reads the AST, so lowering
promises two things: it never raises, whatever the input, and it is cheap enough to run on every keystroke.

How it works. One small rule per CST node type, in one table per position (statement, expression, type,
pattern), keyed by tree-sitter's numeric kind id (cheaper than `Node.type`, and it tells the `float`
literal from the `float` keyword). A rule that needs lowered children is a generator: it yields
`(position, child)` and receives the child's AST node. `_drive` runs these generators on an explicit stack,
so nesting depth is bounded by memory, not by Python's recursion limit (`1+1+…+1` with 20 000 terms is
20 000 levels of left-nested `binary_expression`). Leaf rules return their node directly.

Broken code (LANGUAGE.md §3.7: the parser recovers, so lowering must too), where it is → what it becomes:
- ERROR, MISSING or unexpected node in a statement, expression, type or pattern position, or an absent
  child field → `ErrorStatement`/`ErrorExpression`/`ErrorType`/`ErrorPattern` spanning it (an absent
  field: an empty span at its parent's end).
- ERROR in a statement list (file or block) → salvaged: the statements directly inside it (nested ERRORs
  flattened) lower as usual, and each run of other text between them becomes one `ErrorStatement`.
- ERROR in an argument, array, tuple or tuple-type list → an error element in its place.
- ERROR in a parameter list or a match block → dropped (there is no error parameter or arm), so the
  function or match stays useful.
- ERROR the parser inserted between the fields of a node (`x = = 3`) → ignored: the fields carry the
  meaning.
- A declared name (`let`, `fn`, `for`, `model`) or a body block that cannot be lowered → the whole
  statement is an `ErrorStatement`; a parameter without a name is dropped.
- A cast target or tuple index that cannot be lowered → the whole expression is an `ErrorExpression`; an
  array length or tensor dimension → the whole type is an `ErrorType`.

Syntax diagnostics are computed from the tree (`charl_core.syntax.errors`), not from these nodes: error nodes
only keep the AST total and tell analysis where to stay quiet.

Invariant: lowering never raises and never recurses once per tree level.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from types import GeneratorType
from typing import Any

from tree_sitter import Node, Tree

from charl_core import ast
from charl_core.syntax.language import LANGUAGE, parse_bytes

Lowering = Generator[tuple["Position", Any], Any, Any]
"""A rule with children: yields `(position, child)` requests, receives their AST nodes, returns its own."""

Rule = Callable[[Any, bytes], "ast.Node | Lowering"]
"""Lowers one CST node type, its kind already checked."""

Position = tuple[dict[int, Rule], Callable[..., ast.Node]]
"""Where a statement, expression, type or pattern belongs: the rules by kind id, and the error node for
anything else (ERROR, MISSING, an absent field, an unexpected kind)."""


def lower(tree_or_root: Tree | Node, source: bytes) -> ast.Program:
    """The AST of a parsed file. `source` must be the bytes the tree was parsed from; a subtree root lowers
    to a one-statement program."""
    root = tree_or_root.root_node if isinstance(tree_or_root, Tree) else tree_or_root
    with collector_paused():
        return _drive(_program(root, source), source)


def top_level_nodes(tree: Tree) -> list[Node]:
    """The CST nodes of the top-level statements, in order, as `lower` sees them in a tree without ERROR
    nodes (comments left out). With `lower_statement`, a caller can lower statement by statement and reuse
    the AST of a statement whose text did not change (`charl_core.check.items`)."""
    root = tree.root_node
    children = root.children if root.kind_id == _SOURCE_FILE else [root]
    return [child for child in children if child.is_named and child.kind_id not in _NOT_STATEMENTS]


def lower_statement(node: Node, source: bytes) -> ast.Statement:
    """The AST of one statement node (spans absolute in `source`), exactly as `lower` builds it in place."""
    with collector_paused():
        return _drive(_statement_node(node), source)


def _statement_node(node: Node) -> Lowering:
    return (yield _AS_STATEMENT, node)


def lower_source(source: bytes | str) -> ast.Program:
    """Parse and lower in one step, for tests and one-shot tools."""
    if isinstance(source, str):
        source = source.encode("utf-8", "surrogatepass")
    return lower(parse_bytes(source), source)


def _drive(lowering: Lowering, src: bytes) -> Any:
    """Run a rule and every rule it requests, depth-first, on an explicit stack instead of the call stack.
    Dispatch is inlined here: it runs once per node."""
    stack = [lowering]
    value = None
    while True:
        try:
            (rules, error), child = stack[-1].send(value)
        except StopIteration as finished:
            stack.pop()
            if not stack:
                return finished.value
            value = finished.value
            continue
        rule = rules.get(child.kind_id)
        if rule is None or child.is_missing:
            value = error(span=_span(child))
            continue
        value = rule(child, src)
        if type(value) is GeneratorType:
            stack.append(value)
            value = None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Lowering allocates two objects per node and frees none, and nothing it builds is cyclic, so the
    cyclic garbage collector would only rescan the growing AST, again and again: pausing it measured ~15%
    faster on 10 000 lines and more on larger files (the AST is then scanned once, after lowering). Only
    re-enables what it disabled: a caller may have turned collection off itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ───────────────────────────── the tree ─────────────────────────────


def _kind(name: str, named: bool = True) -> int:
    kind = LANGUAGE.id_for_node_kind(name, named)
    if kind is None:
        raise LookupError(f"the Charl grammar has no node type {name!r}")
    return kind


def _field_id(name: str) -> int:
    field = LANGUAGE.field_id_for_name(name)
    if field is None:
        raise LookupError(f"the Charl grammar has no field {name!r}")
    return field


_COMMENT = _kind("comment")
_IDENTIFIER = _kind("identifier")
_INTEGER = _kind("integer")
_BLOCK = _kind("block")
_IF_STATEMENT = _kind("if_statement")
_IF_EXPRESSION = _kind("if_expression")
_PARAMETER = _kind("parameter")
_MATCH_ARM = _kind("match_arm")
_DIMENSION = _kind("dimension")
_PRIMITIVE_TYPE = _kind("primitive_type")
_SOURCE_FILE = _kind("source_file")
_CLOSING_BRACE = _kind("}", named=False)
_END_OF_FILE_CLOSE = _kind("end_of_file_close")
_NOT_STATEMENTS = frozenset({_COMMENT, _END_OF_FILE_CLOSE})
"""Named children of a statement list that are no statement: comments, and the empty token that closes a
block still open at the end of the file (§3.2)."""
_INCLUSIVE_RANGE = _kind("..=", named=False)

_NAME, _TYPE, _VALUE, _BODY = map(_field_id, ("name", "type", "value", "body"))
_PARAMETERS, _RETURN_TYPE, _ITERABLE = map(_field_id, ("parameters", "return_type", "iterable"))
_CONDITION, _CONSEQUENCE, _ALTERNATIVE = map(_field_id, ("condition", "consequence", "alternative"))
_LEFT, _RIGHT, _OPERATOR, _OPERAND = map(_field_id, ("left", "right", "operator", "operand"))
_START, _END, _FUNCTION, _ARGUMENTS = map(_field_id, ("start", "end", "function", "arguments"))
_INDEX, _FIELD, _COUNT, _ARGUMENT = map(_field_id, ("index", "field", "count", "argument"))
_PATTERN = _field_id("pattern")
_ELEMENT, _LENGTH, _DTYPE, _SHAPE = map(_field_id, ("element", "length", "dtype", "shape"))


class _Absent:
    """Stands in for a child field the parser left out, so that positions lower it like a MISSING node: to
    an error node, placed (empty) where the child would have started."""

    __slots__ = ("end_byte", "start_byte")
    kind_id = -1
    is_missing = True

    def __init__(self, offset: int) -> None:
        self.start_byte = self.end_byte = offset


def _field(node: Node, field: int) -> Node | _Absent:
    return node.child_by_field_id(field) or _Absent(node.end_byte)


def _sole_child(node: Node) -> Node | _Absent:
    """The one named child of a wrapper (`expression_statement`, parentheses, `dimension`), skipping
    comments and ERRORs the parser inserted beside it; an ERROR only when nothing else is there."""
    error = None
    for child in node.children:
        if not child.is_named:
            continue
        if not child.is_extra:
            return child
        if error is None and child.is_error:
            error = child
    return error or _Absent(node.end_byte)


def _elements(node: Node) -> Iterator[Node]:
    """The named children of a list node, comments skipped (ERRORs kept: each list decides)."""
    return (child for child in node.children if child.is_named and child.kind_id != _COMMENT)


def _integer_child(node: Node | None, src: bytes) -> int | None:
    """The value of an integer token that is part of a larger node (`t.0`, `[T; 3]`), if it is one."""
    if node is None or node.kind_id != _INTEGER or node.is_missing:
        return None
    return _integer_value(src[node.start_byte : node.end_byte])


_new_span = ast.Span.__new__
_set_start = ast.Span.start.__set__  # the slot descriptors
_set_end = ast.Span.end.__set__


def span_at(start: int, end: int) -> ast.Span:
    """`ast.Span(start, end)` the fast way (see `_span`)."""
    span = _new_span(ast.Span)
    _set_start(span, start)
    _set_end(span, end)
    return span


def _span(node: Node | _Absent) -> ast.Span:
    """`ast.Span(node.start_byte, node.end_byte)`, built without the frozen dataclass's `__init__`: that one
    sets each field through `object.__setattr__` and was a third of all lowering time (one span per node).
    Same class, same fields, same equality and hash."""
    span = _new_span(ast.Span)
    _set_start(span, node.start_byte)
    _set_end(span, node.end_byte)
    return span


def _text(node: Node, src: bytes) -> str:
    return src[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _name(node: Node | None, src: bytes) -> ast.Name | None:
    """A declared name, or None when the identifier is absent or MISSING."""
    if node is None or node.kind_id != _IDENTIFIER or node.is_missing:
        return None
    return ast.Name(_text(node, src), span=_span(node))


_INT_CHUNK = 600
"""Digits converted at a time; below Python's smallest `int_max_str_digits` (640)."""


def _integer_value(digits: bytes) -> int | None:
    """`int(digits)`, also past Python's limit on digits converted at once: a huge literal is a diagnostic
    (§2.3), not a crash, and the diagnostic wants the value. None if `digits` are not ASCII digits, which
    happens only when `source` is not the text the tree was parsed from."""
    if not digits.isdigit():
        return None
    if len(digits) <= _INT_CHUNK:
        return int(digits)
    value = 0
    for start in range(0, len(digits), _INT_CHUNK):
        chunk = digits[start : start + _INT_CHUNK]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


# ───────────────────────────── statements (§3.1, §3.2, §9.1) ─────────────────────────────


def _program(root: Node, src: bytes) -> Lowering:
    children = root.children if root.kind_id == _SOURCE_FILE else [root]
    statements = yield from _statement_list(children)
    return ast.Program(statements, span=_span(root))


def _statement_list(children: Sequence[Node]) -> Lowering:
    statements = []
    for child in children:
        if child.is_error:
            for piece in _salvage(child):
                salvaged = piece if isinstance(piece, ast.ErrorStatement) else (yield _AS_STATEMENT, piece)
                statements.append(salvaged)
        elif child.is_named and child.kind_id not in _NOT_STATEMENTS:
            statements.append((yield _AS_STATEMENT, child))
    return statements


def _salvage(error: Node) -> Iterator[Node | ast.ErrorStatement]:
    """The statements directly inside an ERROR of a statement list (nested ERRORs flattened), and one
    `ErrorStatement` for each run of other text between them; at least one `ErrorStatement` in all.

    Tree-sitter wraps the finished statements of a construct it cannot finish in the ERROR: in
    `while i < 3 {⏎ let loss = f(p)⏎ g(loss)⏎ let upd = h(` the `let loss` and `g(loss)` are intact.
    Keeping them (at the level of the list, since their enclosing construct is lost) keeps outline, hover
    and go-to-definition working while the user types. Bare expressions inside the ERROR are not salvaged:
    they are mostly fragments of the broken construct (`while`'s condition above)."""
    run_start: int | None = None
    run_end = 0
    separated = False
    stack = [error]
    while stack:
        node = stack.pop()
        if node.is_error and node.child_count:
            stack.extend(reversed(node.children))
        elif node.kind_id in _STATEMENTS and not node.is_missing:
            if run_start is not None:
                yield ast.ErrorStatement(span=ast.Span(run_start, run_end))
                run_start, separated = None, True
            yield node
        elif node.kind_id not in _NOT_STATEMENTS:
            if run_start is None:
                run_start = node.start_byte
            run_end = node.end_byte
    if run_start is not None:
        yield ast.ErrorStatement(span=ast.Span(run_start, run_end))
    elif not separated:
        yield ast.ErrorStatement(span=ast.Span(error.start_byte, error.start_byte))


def _block(node: Node, src: bytes) -> Lowering:
    """`closed` is false when the end of the file closed the block: the grammar's `end_of_file_close`, or
    a MISSING `}` from error recovery (§3.2)."""
    children = node.children
    statements = yield from _statement_list(children)
    closed = any(child.kind_id == _CLOSING_BRACE and not child.is_missing for child in reversed(children))
    return ast.Block(statements, closed, span=_span(node))


def _let(node: Node, src: bytes) -> Lowering:
    name = _name(node.child_by_field_id(_NAME), src)
    if name is None:
        return ast.ErrorStatement(span=_span(node))
    written = node.child_by_field_id(_TYPE)
    annotation = None if written is None else (yield _AS_TYPE, written)
    value = yield _AS_EXPRESSION, _field(node, _VALUE)
    return ast.Let(name, annotation, value, span=_span(node))


def _assignment(node: Node, src: bytes) -> Lowering:
    target = yield _AS_EXPRESSION, _field(node, _LEFT)
    value = yield _AS_EXPRESSION, _field(node, _RIGHT)
    return ast.Assign(target, value, span=_span(node))


def _expression_statement(node: Node, src: bytes) -> Lowering:
    expression = yield _AS_EXPRESSION, _sole_child(node)
    return ast.ExpressionStatement(expression, span=_span(node))


def _function(node: Node, src: bytes) -> Lowering:
    name = _name(node.child_by_field_id(_NAME), src)
    body = node.child_by_field_id(_BODY)
    if name is None or body is None or body.kind_id != _BLOCK:
        return ast.ErrorStatement(span=_span(node))
    listed = node.child_by_field_id(_PARAMETERS)
    parameters = [] if listed is None else (yield from _parameters(listed, src))
    written = node.child_by_field_id(_RETURN_TYPE)
    return_type = None if written is None else (yield _AS_TYPE, written)
    block = yield _AS_BLOCK, body
    return ast.FunctionDef(name, parameters, return_type, block, span=_span(node))


def _parameters(node: Node, src: bytes) -> Lowering:
    """ERRORs and parameters without a name are dropped: there is no error parameter."""
    parameters = []
    for parameter in _elements(node):
        name = _name(parameter.child_by_field_id(_NAME), src) if parameter.kind_id == _PARAMETER else None
        if name is not None:
            annotation = yield _AS_TYPE, _field(parameter, _TYPE)
            parameters.append(ast.Parameter(name, annotation, span=_span(parameter)))
    return parameters


def _if(node: Node, src: bytes) -> Lowering:
    """`else if` nests an `If` in `otherwise` (§9.1)."""
    parts = yield from _if_parts(node, _STATEMENT_ALTERNATIVES, optional_else=True)
    if parts is None:
        return ast.ErrorStatement(span=_span(node))
    return ast.If(*parts, span=_span(node))


def _if_parts(node: Node, alternatives: dict[int, Position], optional_else: bool) -> Lowering:
    """(condition, then, otherwise) of either `if` form, or None when a block is absent or unexpected."""
    consequence = node.child_by_field_id(_CONSEQUENCE)
    alternative = node.child_by_field_id(_ALTERNATIVE)
    if consequence is None or consequence.kind_id != _BLOCK:
        return None
    if alternative is None and not optional_else:
        return None
    if alternative is not None and alternative.kind_id not in alternatives:
        return None
    condition = yield _AS_EXPRESSION, _field(node, _CONDITION)
    then = yield _AS_BLOCK, consequence
    otherwise = None if alternative is None else (yield alternatives[alternative.kind_id], alternative)
    return condition, then, otherwise


def _while(node: Node, src: bytes) -> Lowering:
    body = node.child_by_field_id(_BODY)
    if body is None or body.kind_id != _BLOCK:
        return ast.ErrorStatement(span=_span(node))
    condition = yield _AS_EXPRESSION, _field(node, _CONDITION)
    block = yield _AS_BLOCK, body
    return ast.While(condition, block, span=_span(node))


def _for(node: Node, src: bytes) -> Lowering:
    variable = _name(node.child_by_field_id(_NAME), src)
    body = node.child_by_field_id(_BODY)
    if variable is None or body is None or body.kind_id != _BLOCK:
        return ast.ErrorStatement(span=_span(node))
    iterable = yield _AS_EXPRESSION, _field(node, _ITERABLE)
    block = yield _AS_BLOCK, body
    return ast.For(variable, iterable, block, span=_span(node))


def _return(node: Node, src: bytes) -> Lowering:
    """A bare `return` (no `value` field) has value None (§3.2)."""
    written = node.child_by_field_id(_VALUE)
    value = None if written is None else (yield _AS_EXPRESSION, written)
    return ast.Return(value, span=_span(node))


def _break(node: Node, src: bytes) -> ast.Statement:
    return ast.Break(span=_span(node))


def _continue(node: Node, src: bytes) -> ast.Statement:
    return ast.Continue(span=_span(node))


def _model(node: Node, src: bytes) -> ast.Statement:
    """Only the name is kept: the analysis reports one error for the whole block (§9.6)."""
    name = _name(node.child_by_field_id(_NAME), src)
    if name is None:
        return ast.ErrorStatement(span=_span(node))
    return ast.ModelDef(name, span=_span(node))


# ───────────────────────────── expressions (§3.3, §3.4, §9.3, §9.4) ─────────────────────────────


def _binary(node: Node, src: bytes) -> Lowering:
    """`&&`/`||` are the same tokens as `and`/`or` (§2.5)."""
    operator = node.child_by_field_id(_OPERATOR)
    if operator is None:
        return ast.ErrorExpression(span=_span(node))
    left = yield _AS_EXPRESSION, _field(node, _LEFT)
    right = yield _AS_EXPRESSION, _field(node, _RIGHT)
    op = operator.type
    return ast.BinaryOperation(ast.BinaryOperation.LOGICAL.get(op, op), left, right, span=_span(node))


_PREFIX_OPERATORS = {"-": "-", "!": "not", "not": "not"}
"""`!` is the same token as `not` (§2.5)."""


def _unary(node: Node, src: bytes) -> Lowering:
    operator = node.child_by_field_id(_OPERATOR)
    op = _PREFIX_OPERATORS.get(operator.type) if operator is not None else None
    if op is None:
        return ast.ErrorExpression(span=_span(node))
    operand = yield _AS_EXPRESSION, _field(node, _OPERAND)
    return ast.UnaryOperation(op, operand, span=_span(node))


def _cast(node: Node, src: bytes) -> Lowering:
    """The target is kept as written: `as Foo` parses and fails at run time (§3.3, §5.10)."""
    target = node.child_by_field_id(_TYPE)
    if target is None or target.kind_id not in (_PRIMITIVE_TYPE, _IDENTIFIER) or target.is_missing:
        return ast.ErrorExpression(span=_span(node))
    value = yield _AS_EXPRESSION, _field(node, _VALUE)
    return ast.Cast(value, _text(target, src), span=_span(node))


def _range(node: Node, src: bytes) -> Lowering:
    operator = node.child_by_field_id(_OPERATOR)
    start = yield _AS_EXPRESSION, _field(node, _START)
    end = yield _AS_EXPRESSION, _field(node, _END)
    inclusive = operator is not None and operator.kind_id == _INCLUSIVE_RANGE
    return ast.Range(start, end, inclusive, span=_span(node))


def _call(node: Node, src: bytes) -> Lowering:
    callee = yield _AS_EXPRESSION, _field(node, _FUNCTION)
    listed = node.child_by_field_id(_ARGUMENTS)
    arguments = [] if listed is None else (yield from _expression_list(listed))
    return ast.Call(callee, arguments, span=_span(node))


def _expression_list(node: Node) -> Lowering:
    """Arguments, array or tuple elements; an ERROR among them is an `ErrorExpression` in its place."""
    elements = []
    for child in _elements(node):
        elements.append((yield _AS_EXPRESSION, child))
    return elements


def _index(node: Node, src: bytes) -> Lowering:
    value = yield _AS_EXPRESSION, _field(node, _VALUE)
    index = yield _AS_EXPRESSION, _field(node, _INDEX)
    return ast.Index(value, index, span=_span(node))


def _tuple_index(node: Node, src: bytes) -> Lowering:
    """`t.0`; `t.0.1` does not parse as two indexes (`0.1` is a float, §3.3)."""
    index = _integer_child(node.child_by_field_id(_FIELD), src)
    if index is None:
        return ast.ErrorExpression(span=_span(node))
    value = yield _AS_EXPRESSION, _field(node, _VALUE)
    return ast.TupleIndex(value, index, span=_span(node))


def _parenthesized(node: Node, src: bytes) -> Lowering:
    """Grouping leaves no node: the inner expression (with its own span) takes its place."""
    return (yield _AS_EXPRESSION, _sole_child(node))


def _tuple(node: Node, src: bytes) -> Lowering:
    elements = yield from _expression_list(node)
    return ast.TupleLiteral(elements, span=_span(node))


def _array(node: Node, src: bytes) -> Lowering:
    elements = yield from _expression_list(node)
    return ast.ArrayLiteral(elements, span=_span(node))


def _array_repeat(node: Node, src: bytes) -> Lowering:
    value = yield _AS_EXPRESSION, _field(node, _VALUE)
    count = yield _AS_EXPRESSION, _field(node, _COUNT)
    return ast.ArrayRepeat(value, count, span=_span(node))


def _if_expression(node: Node, src: bytes) -> Lowering:
    """The expression form needs its `else` (§3.2); `else if` nests an `IfExpression` (§9.1)."""
    parts = yield from _if_parts(node, _EXPRESSION_ALTERNATIVES, optional_else=False)
    if parts is None:
        return ast.ErrorExpression(span=_span(node))
    return ast.IfExpression(*parts, span=_span(node))


def _match(node: Node, src: bytes) -> Lowering:
    """An ERROR among the arms is dropped (there is no error arm); a broken arm keeps its place."""
    value = yield _AS_EXPRESSION, _field(node, _VALUE)
    arms = []
    listed = node.child_by_field_id(_BODY)
    for arm in _elements(listed) if listed is not None else ():
        if arm.kind_id == _MATCH_ARM:
            pattern = yield _AS_PATTERN, _field(arm, _PATTERN)
            result = yield _AS_EXPRESSION, _field(arm, _VALUE)
            arms.append(ast.MatchArm(pattern, result, span=_span(arm)))
    return ast.Match(value, arms, span=_span(node))


def _autograd(node: Node, src: bytes) -> Lowering:
    argument = yield _AS_EXPRESSION, _field(node, _ARGUMENT)
    return ast.Autograd(argument, span=_span(node))


def _identifier(node: Node, src: bytes) -> ast.Expression:
    """Also `tensor` in expression position, which the grammar aliases to an identifier (§2.2)."""
    return ast.Identifier(_text(node, src), span=_span(node))


def _integer(node: Node, src: bytes) -> ast.Expression:
    """Values above the 64-bit range are kept; the syntax diagnostics report them (§2.3)."""
    value = _integer_value(src[node.start_byte : node.end_byte])
    if value is None:
        return ast.ErrorExpression(span=_span(node))
    return ast.IntegerLiteral(value, span=_span(node))


def _float(node: Node, src: bytes) -> ast.Expression:
    """The nearest binary64, as Python's `float` reads it (§2.3)."""
    try:
        return ast.FloatLiteral(float(src[node.start_byte : node.end_byte]), span=_span(node))
    except ValueError:  # only when `source` is not the text the tree was parsed from
        return ast.ErrorExpression(span=_span(node))


def _string(node: Node, src: bytes) -> ast.Expression:
    """Verbatim: no escape processing at all, `"a\\"b"` is the four characters `a\\"b` (§2.4)."""
    text = _text(node, src)
    return ast.StringLiteral(text[1:-1] if len(text) >= 2 else "", span=_span(node))


def _boolean(node: Node, src: bytes) -> ast.Expression:
    return ast.BooleanLiteral(src[node.start_byte : node.end_byte] == b"true", span=_span(node))


# ───────────────────────────── types (§3.5, §9.5) ─────────────────────────────


def _primitive_type(node: Node, src: bytes) -> ast.Type:
    return ast.PrimitiveType(_text(node, src), span=_span(node))


def _array_type(node: Node, src: bytes) -> Lowering:
    written = node.child_by_field_id(_LENGTH)
    length = None if written is None else _integer_child(written, src)
    if written is not None and length is None:
        return ast.ErrorType(span=_span(node))
    element = yield _AS_TYPE, _field(node, _ELEMENT)
    return ast.ArrayType(element, length, span=_span(node))


def _tensor_type(node: Node, src: bytes) -> Lowering:
    """Bare `tensor` has neither dtype nor shape; `tensor<dtype, [dims]>` has both (§9.5)."""
    written_dtype = node.child_by_field_id(_DTYPE)
    written_shape = node.child_by_field_id(_SHAPE)
    if written_dtype is None and written_shape is None:
        return ast.TensorType(None, None, span=_span(node))
    shape = None if written_shape is None else _shape(written_shape, src)
    if written_dtype is None or shape is None:
        return ast.ErrorType(span=_span(node))
    dtype = yield _AS_TYPE, written_dtype
    return ast.TensorType(dtype, shape, span=_span(node))


def _shape(node: Node, src: bytes) -> list[ast.Dimension] | None:
    """The dimensions, or None when one of them (or an ERROR among them) cannot be lowered."""
    dimensions = []
    for written in _elements(node):
        child = _sole_child(written) if written.kind_id == _DIMENSION else written
        rule = _DIMENSIONS.get(child.kind_id)
        dimension = None if rule is None or child.is_missing else rule(child, src)
        if dimension is None:
            return None
        dimensions.append(dimension)
    return dimensions


def _int_dimension(node: Node, src: bytes) -> ast.Dimension | None:
    value = _integer_value(src[node.start_byte : node.end_byte])
    return None if value is None else ast.IntDimension(value, span=_span(node))


def _named_dimension(node: Node, src: bytes) -> ast.Dimension:
    """A dimension variable, or `_`: unknown, never bound (§9.5)."""
    name = _text(node, src)
    if name == "_":
        return ast.UnknownDimension(span=_span(node))
    return ast.NamedDimension(name, span=_span(node))


def _tuple_type(node: Node, src: bytes) -> Lowering:
    elements = []
    for child in _elements(node):
        elements.append((yield _AS_TYPE, child))
    return ast.TupleType(elements, span=_span(node))


# ───────────────────────────── patterns (§3.6) ─────────────────────────────


def _literal_pattern(node: Node, src: bytes) -> ast.Pattern:
    literal = _LITERALS[node.kind_id](node, src)
    if isinstance(literal, ast.ErrorExpression):
        return ast.ErrorPattern(span=_span(node))
    return ast.LiteralPattern(literal, span=_span(node))


def _name_pattern(node: Node, src: bytes) -> ast.Pattern:
    """`_` matches anything; any other identifier binds the value (§3.6)."""
    name = _text(node, src)
    if name == "_":
        return ast.WildcardPattern(span=_span(node))
    return ast.BindingPattern(ast.Name(name, span=_span(node)), span=_span(node))


# ───────────────────────────── tables ─────────────────────────────


def _by_kind(rules: dict[str, Rule]) -> dict[int, Rule]:
    return {_kind(name): rule for name, rule in rules.items()}


_STATEMENTS = _by_kind({
    "let_statement": _let,
    "assignment_statement": _assignment,
    "expression_statement": _expression_statement,
    "function_definition": _function,
    "if_statement": _if,
    "while_statement": _while,
    "for_statement": _for,
    "return_statement": _return,
    "break_statement": _break,
    "continue_statement": _continue,
    "model_definition": _model,
})  # fmt: skip

_LITERALS = _by_kind({
    "integer": _integer,
    "float": _float,
    "string": _string,
    "boolean": _boolean,
})  # fmt: skip

_EXPRESSIONS = _LITERALS | _by_kind({
    "binary_expression": _binary,
    "unary_expression": _unary,
    "cast_expression": _cast,
    "range_expression": _range,
    "call_expression": _call,
    "index_expression": _index,
    "tuple_index_expression": _tuple_index,
    "parenthesized_expression": _parenthesized,
    "tuple_expression": _tuple,
    "array_expression": _array,
    "array_repeat_expression": _array_repeat,
    "if_expression": _if_expression,
    "match_expression": _match,
    "autograd_expression": _autograd,
    "identifier": _identifier,
})  # fmt: skip

_TYPES = _by_kind({
    "primitive_type": _primitive_type,
    "array_type": _array_type,
    "tensor_type": _tensor_type,
    "tuple_type": _tuple_type,
})  # fmt: skip

_DIMENSIONS = _by_kind({
    "integer": _int_dimension,
    "identifier": _named_dimension,
})  # fmt: skip

_PATTERNS = dict.fromkeys(_LITERALS, _literal_pattern) | _by_kind({"identifier": _name_pattern})


_AS_STATEMENT: Position = (_STATEMENTS, ast.ErrorStatement)
_AS_EXPRESSION: Position = (_EXPRESSIONS, ast.ErrorExpression)
_AS_TYPE: Position = (_TYPES, ast.ErrorType)
_AS_PATTERN: Position = (_PATTERNS, ast.ErrorPattern)
_AS_BLOCK: Position = (_by_kind({"block": _block}), ast.ErrorStatement)
"""Where a body belongs; rules check the kind first, since a `Block` has no error form."""

_STATEMENT_ALTERNATIVES = {_BLOCK: _AS_BLOCK, _IF_STATEMENT: _AS_STATEMENT}
_EXPRESSION_ALTERNATIVES = {_BLOCK: _AS_BLOCK, _IF_EXPRESSION: _AS_EXPRESSION}
