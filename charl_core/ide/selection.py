"""Selection ranges ("expand selection"): the nested spans around a cursor, innermost first, from the syntax
tree: the token, then each enclosing node up to the whole file. Two steps that are not nodes come in
between, because they are what one usually wants to select: the contents of brackets (the arguments
without their parentheses, a block's statements without its braces) and a string's text without its
quotes. Spans that would not grow the selection are skipped, so each step is strictly larger.

Invariant: never raises, whatever the offset; costs the depth of the tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from charl_core.ast import Span
from charl_core.ide.cursor import ancestors, leaf_at

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


_OPENERS = {"{": "}", "(": ")", "[": "]", "<": ">"}


def selection_ranges(analysis: Analysis, offset: int) -> tuple[Span, ...]:
    """The spans around `offset`, innermost first, each containing the one before it."""
    offset = min(max(offset, 0), analysis.parsed_end)
    root = analysis.tree.root_node
    start = leaf_at(analysis.tree, offset, analysis.parsed_end)
    if start is None:
        start = root.descendant_for_byte_range(offset, offset)
    chain: list[Span] = []

    def add(span: Span) -> None:
        if span.start <= offset <= span.end and (not chain or _grows(chain[-1], span)):
            chain.append(span)

    for node in ancestors(start):
        inner = _inside(analysis.source, node)
        if inner is not None:
            add(inner)
        add(Span(node.start_byte, node.end_byte))
    add(Span(0, analysis.parsed_end))
    return tuple(chain)


def _grows(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and outer != inner


def _inside(source: bytes, node: Node) -> Span | None:
    """The text between a node's brackets or quotes, without the spaces next to them."""
    if node.type == "string":
        if node.end_byte - node.start_byte >= 2:
            return Span(node.start_byte + 1, node.end_byte - 1)
        return None
    if node.child_count < 2:
        return None
    first, last = node.child(0), node.child(node.child_count - 1)
    if first is None or last is None or _OPENERS.get(first.type) != last.type or last.is_missing:
        return None
    start, end = first.end_byte, last.start_byte
    content = source[start:end]
    start += len(content) - len(content.lstrip())
    end -= len(content) - len(content.rstrip())
    return Span(start, end) if start < end else None
