"""The concrete syntax tree the formatter's rules read: tree-sitter's tree copied into small Python objects,
with the comments taken out (they are attached to tokens instead, `comments.py`).

Why a copy: py-tree-sitter builds a new `Node` object for every `children` access, which made a plain walk
of a 10,000-line file cost ~0.9 s; one pass with a `TreeCursor` that builds these slotted objects costs a
fraction of that, and the rules then read plain lists. Comments are tree-sitter `extras` and can sit in any
node; taking them out of `children` lets every rule assume its children are exactly the grammar's.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Tree


class Node:
    """A node of the copied tree. `field` is the grammar field this node fills in its parent (or None);
    `children` is empty for a token."""

    __slots__ = ("children", "end", "field", "kind", "named", "start")

    def __init__(self, kind: str, field: str | None, start: int, end: int, named: bool) -> None:
        self.kind = kind
        self.field = field
        self.start = start
        self.end = end
        self.named = named
        self.children: list[Node] = []

    def child(self, field: str) -> Node | None:
        for child in self.children:
            if child.field == field:
                return child
        return None

    def first_token(self) -> Node:
        node = self
        while node.children:
            node = node.children[0]
        return node

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.start}..{self.end})"


@dataclass(frozen=True, slots=True)
class RawComment:
    """A comment as found: its bytes, and the end of the token before it / start of the token after it
    (-1 when there is none)."""

    start: int
    end: int
    previous_end: int
    next_start: int


STATEMENT_LISTS = frozenset({"source_file", "block"})


def copy_tree(tree: Tree) -> tuple[Node, list[RawComment], set[int]]:
    """The comment-free copy of `tree`, its comments in source order, and the statement boundaries: where
    each statement of a file or block, and each block's `}`, starts."""
    cursor = tree.walk()
    top = cursor.node
    root = Node(top.type, None, top.start_byte, top.end_byte, True)
    comments: list[tuple[int, int, int]] = []
    next_starts: list[int] = []
    pending = 0  # comments still waiting for the token after them
    previous_end = -1
    boundaries: set[int] = set()
    if not cursor.goto_first_child():
        return root, [], boundaries
    parents = [root]
    while True:
        ts_node = cursor.node
        kind = ts_node.type
        if kind == "comment":
            comments.append((ts_node.start_byte, ts_node.end_byte, previous_end))
        else:
            node = Node(kind, cursor.field_name, ts_node.start_byte, ts_node.end_byte, ts_node.is_named)
            parent = parents[-1]
            parent.children.append(node)
            if parent.kind in STATEMENT_LISTS and kind != "{":
                boundaries.add(node.start)
            if ts_node.child_count:
                parents.append(node)
                cursor.goto_first_child()
                continue
            while pending < len(comments):
                next_starts.append(node.start)
                pending += 1
            previous_end = node.end
        while not cursor.goto_next_sibling():
            cursor.goto_parent()
            parents.pop()
            if not parents:
                break
        if not parents:
            break
    next_starts.extend([-1] * (len(comments) - len(next_starts)))
    raw = [
        RawComment(start, end, before, after)
        for (start, end, before), after in zip(comments, next_starts, strict=True)
    ]
    return root, raw, boundaries
