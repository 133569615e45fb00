"""Node kind → document for expressions, types and patterns (LANGUAGE.md §3.3–§3.6, §9.3–§9.5).

Spacing follows precedence (§3.4): one space around every binary operator and `as`; prefix operators
touch their operand (`-x`, `!x`), except the word `not`; a range is tight (`0..n`) unless an operand holds
an operator that binds looser than a call, then spaced (`0 .. n + 1`), so the loosest operator gets the
most space. A chain of operators of one precedence level breaks as a whole, one operand per line with its
operator first (`\n    + b`); §2.6 makes that safe, since an expression always continues across a newline
when it can. Calls, arrays, tuples and parameter lists print on one line if they fit, else one element per
line (trailing comma only where the grammar allows one: tuples, tuple types, match arms). Parentheses,
operator spellings (`&&`/`and`), number literals and strings are kept exactly as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formatter.cst import Node
from formatter.document import HARDLINE, LINE, SOFTLINE, Doc, Group, IfBreak, Indent

if TYPE_CHECKING:
    from formatter.rules import Formatter, Rule

LEVELS = {
    "and": 1, "or": 1, "&&": 1, "||": 1,
    "==": 4, "!=": 4,
    "<": 5, "<=": 5, ">": 5, ">=": 5,
    "+": 6, "-": 6,
    "*": 7, "/": 7, "%": 7,
    "@": 8,
}  # fmt: skip
"""§3.4: binary operator → precedence level (higher binds tighter)."""


class UnsupportedSyntax(Exception):
    """A node kind with no formatting rule (a grammar change the formatter has not caught up with)."""


_LOOSE = frozenset({"binary_expression", "cast_expression", "range_expression"})
"""Operands that make a range spaced."""


def binary_expression(f: Formatter, node: Node) -> Doc:
    """The same-level chain `a + b - c` (left-nested in the tree) is walked iteratively: `1 + 1 + … + 1`
    with 20,000 terms is 20,000 levels deep."""
    level = LEVELS[f.text(node.children[1])]
    tail: list[tuple[Node, Node]] = []
    current = node
    while current.kind == "binary_expression" and LEVELS.get(f.text(current.children[1])) == level:
        left, operator, right = current.children
        tail.append((operator, right))
        current = left
    rest: list[Doc] = []
    for operator, operand in reversed(tail):
        rest.extend([LINE, f.token(operator), " ", f.format(operand)])
    return Group([f.format(current), Indent(rest)])


def unary_expression(f: Formatter, node: Node) -> Doc:
    operator, operand = node.children
    nested_minus = operator.kind == "-" and f.text(operand.first_token()) == "-"  # `- -a`, not `--a`
    space = " " if operator.kind == "not" or nested_minus else ""
    return [f.token(operator), space, f.format(operand)]


def cast_expression(f: Formatter, node: Node) -> Doc:
    value, keyword, target = node.children
    return [f.format(value), " ", f.token(keyword), " ", f.format(target)]


def range_expression(f: Formatter, node: Node) -> Doc:
    start, operator, end = node.children
    space = " " if start.kind in _LOOSE or end.kind in _LOOSE else ""
    return [f.format(start), space, f.token(operator), space, f.format(end)]


def call_expression(f: Formatter, node: Node) -> Doc:
    return [f.format(node.child("function")), f.format(node.child("arguments"))]


def arguments(f: Formatter, node: Node) -> Doc:
    return delimited(f, node, trailing_comma=False)


def index_expression(f: Formatter, node: Node) -> Doc:
    value, opening, index, close = node.children
    return [f.format(value), f.token(opening), f.format(index), f.token(close)]


def tuple_index_expression(f: Formatter, node: Node) -> Doc:
    value, dot, field = node.children
    return [f.format(value), f.token(dot), f.token(field)]


def parenthesized_expression(f: Formatter, node: Node) -> Doc:
    opening, inner, close = node.children
    return [f.token(opening), f.format(inner), f.token(close)]


def tuple_expression(f: Formatter, node: Node) -> Doc:
    elements = sum(1 for child in node.children if child.named)
    return delimited(f, node, trailing_comma=True, always_comma=elements == 1)


def array_expression(f: Formatter, node: Node) -> Doc:
    """§3.3: no trailing comma in arrays."""
    return delimited(f, node, trailing_comma=False)


def array_repeat_expression(f: Formatter, node: Node) -> Doc:
    opening, value, semicolon, count, close = node.children
    return [f.token(opening), f.format(value), f.token(semicolon), " ", f.format(count), f.token(close)]


def match_expression(f: Formatter, node: Node) -> Doc:
    return [f.token(node.children[0]), " ", f.format(node.child("value")), " ", f.format(node.child("body"))]


def match_block(f: Formatter, node: Node) -> Doc:
    """Always one arm per line, each followed by a comma (§3.3 allows commas between arms and after the
    last)."""
    opening, *inside, close = node.children
    comments, closing = f.closing(close)
    arms: list[list] = []
    for child in inside:
        if child.kind == ",":
            arms[-1][1] = child
        else:
            arms.append([f.format(child), None])
    parts: list[Doc] = []
    for arm, comma in arms:
        parts.extend([HARDLINE, arm, f.token(comma) if comma is not None else ","])
    return [f.token(opening), Indent([parts, comments]), HARDLINE, closing]


def match_arm(f: Formatter, node: Node) -> Doc:
    pattern, arrow, value = node.children
    return [f.format(pattern), " ", f.token(arrow), " ", f.format(value)]


def autograd_expression(f: Formatter, node: Node) -> Doc:
    keyword, opening, argument, close = node.children
    return [f.token(keyword), f.token(opening), f.format(argument), f.token(close)]


def token(f: Formatter, node: Node) -> Doc:
    """A literal or a name, exactly as written (`007`, `1.5e+00` and string contents are kept)."""
    if not node.children:
        return f.token(node)
    return f.token(node.children[0])


def keyword(node: Node, kind: str) -> Node:
    """The anonymous token `kind` among the children of `node`."""
    for child in node.children:
        if child.kind == kind:
            return child
    raise UnsupportedSyntax(f"`{node.kind}` without `{kind}`")


def delimited(f: Formatter, node: Node, trailing_comma: bool, always_comma: bool = False) -> Doc:
    """`(a, b)`, `[a, b]`: on one line if it fits, else one element per line, with a trailing comma where
    the grammar allows one (`trailing_comma`: tuples, tuple types). `always_comma`: a one-element tuple
    keeps its comma on one line too (`(a,)`)."""
    opening, *inside, close = node.children
    comments, closing = f.closing(close)
    elements: list[list] = []
    for child in inside:
        if child.kind == ",":
            elements[-1][1] = child
        else:
            elements.append([f.format(child), None])
    if not elements:
        return (
            [f.token(opening), Indent(comments), HARDLINE, closing]
            if comments
            else [f.token(opening), closing]
        )
    parts: list[Doc] = [SOFTLINE]
    last = len(elements) - 1
    for i, (element, comma) in enumerate(elements):
        parts.append(element)
        if i < last:
            parts.append(f.token(comma))
            parts.append(LINE)
        elif always_comma:
            parts.append(f.token(comma) if comma is not None else ",")
        elif comma is not None:
            parts.append(IfBreak(f.token(comma), f.drop(comma)) if trailing_comma else f.token(comma))
        elif trailing_comma:
            parts.append(IfBreak(","))
    parts.append(comments)
    return Group([f.token(opening), Indent(parts), SOFTLINE, closing])


# ───────────────────────────── types (§3.5, §9.5) ─────────────────────────────


def array_type(f: Formatter, node: Node) -> Doc:
    parts: list[Doc] = []
    for child in node.children:
        if child.named:
            parts.append(f.format(child))
        elif child.kind == ";":
            parts.extend([f.token(child), " "])
        else:
            parts.append(f.token(child))
    return parts


def tensor_type(f: Formatter, node: Node) -> Doc:
    """`tensor` or `tensor<dtype, [dims]>`."""
    parts: list[Doc] = []
    for child in node.children:
        if child.named:
            parts.append(f.format(child))
        elif child.kind == ",":
            parts.extend([f.token(child), " "])
        else:
            parts.append(f.token(child))
    return parts


def shape(f: Formatter, node: Node) -> Doc:
    """Types never break: they are short, and a breakable type would let a signature's parameters stay on
    one line while its return type breaks instead."""
    return flat_list(f, node, always_comma=False)


def dimension(f: Formatter, node: Node) -> Doc:
    return f.format(node.children[0])


def tuple_type(f: Formatter, node: Node) -> Doc:
    elements = sum(1 for child in node.children if child.named)
    return flat_list(f, node, always_comma=elements == 1)


def flat_list(f: Formatter, node: Node, always_comma: bool) -> Doc:
    """`[a, b]`, `(a, b)` on one line; a trailing comma only where it is needed (`(T,)`)."""
    opening, *inside, close = node.children
    comments, closing = f.closing(close)
    parts: list[Doc] = [f.token(opening)]
    elements = [child for child in inside if child.kind != ","]
    commas = [child for child in inside if child.kind == ","]
    for i, element in enumerate(elements):
        parts.append(f.format(element))
        if i < len(commas):
            if i < len(elements) - 1:
                parts.extend([f.token(commas[i]), " "])
            else:
                parts.append(f.token(commas[i]) if always_comma else f.drop(commas[i]))
    if comments:
        parts.extend([Indent(comments), HARDLINE])
    parts.append(closing)
    return parts


EXPRESSION_RULES: dict[str, Rule] = {
    "binary_expression": binary_expression,
    "unary_expression": unary_expression,
    "cast_expression": cast_expression,
    "range_expression": range_expression,
    "call_expression": call_expression,
    "arguments": arguments,
    "index_expression": index_expression,
    "tuple_index_expression": tuple_index_expression,
    "parenthesized_expression": parenthesized_expression,
    "tuple_expression": tuple_expression,
    "array_expression": array_expression,
    "array_repeat_expression": array_repeat_expression,
    "match_expression": match_expression,
    "match_block": match_block,
    "match_arm": match_arm,
    "autograd_expression": autograd_expression,
    "identifier": token,
    "integer": token,
    "float": token,
    "string": token,
    "boolean": token,
    "primitive_type": token,
    "array_type": array_type,
    "tensor_type": tensor_type,
    "shape": shape,
    "dimension": dimension,
    "tuple_type": tuple_type,
}
