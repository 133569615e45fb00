"""Moving a lowered AST: `rebased` copies a statement with every span shifted, so that the AST of a statement
an edit did not change, only moved, is reused instead of lowered again (`charl_core.check.items`).

Invariant: like lowering, never recurses once per tree level (an explicit stack).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from charl_core import ast
from charl_core.syntax.lower import collector_paused, span_at


def rebased(statement: ast.Statement, delta: int) -> ast.Statement:
    """A copy of a lowered statement with every span moved by `delta` bytes: the AST of an unchanged
    statement that an edit above it moved, without lowering it again. Walks with an explicit stack, like
    lowering (deeply nested expressions must not hit the recursion limit)."""
    if not delta:
        return statement
    with collector_paused():
        root = _moved(statement, delta)
        stack = [root]
        while stack:
            node = stack.pop()
            for name in _child_fields(type(node)):
                value = getattr(node, name)
                if isinstance(value, ast.Node):
                    moved = _moved(value, delta)
                    setattr(node, name, moved)
                    stack.append(moved)
                elif isinstance(value, list) and value and isinstance(value[0], ast.Node):
                    moved_items = [_moved(item, delta) for item in value]
                    setattr(node, name, moved_items)
                    stack.extend(moved_items)
        return root


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_ALL_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    found = _CHILD_FIELDS.get(cls)
    if found is None:
        found = _CHILD_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name != "span")
    return found


def _moved(node: ast.Node, delta: int) -> Any:
    cls = type(node)
    names = _ALL_FIELDS.get(cls)
    if names is None:
        names = _ALL_FIELDS[cls] = tuple(f.name for f in fields(cls))
    copy = object.__new__(cls)
    for name in names:
        setattr(copy, name, getattr(node, name))
    span = node.span
    copy.span = span_at(span.start + delta, span.end + delta)
    return copy
