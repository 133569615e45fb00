"""Readable dumps of the syntax tree and the AST for `charl parse`: one node per line, indented, with field
names, 1-based `line:column` ranges (columns in characters) and the text of tokens."""

from __future__ import annotations

from dataclasses import fields

from tree_sitter import Tree

from charl_core import ast
from charl_core.syntax.positions import LineIndex

_MAX_TOKEN_TEXT = 40


def syntax_tree_text(tree: Tree, source: bytes, index: LineIndex) -> str:
    lines: list[str] = []
    cursor = tree.walk()
    depth = 0
    while True:
        node = cursor.node
        if node is not None and (node.is_named or node.is_missing or node.is_error):
            lines.append(_node_line(node, cursor.field_name, depth, source, index))
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return "\n".join(lines)
            depth -= 1


def _node_line(node, field: str | None, depth: int, source: bytes, index: LineIndex) -> str:
    start = _where(index, node.start_byte)
    end = _where(index, node.end_byte)
    label = f"MISSING {node.type}" if node.is_missing else node.type
    prefix = f"{field}: " if field else ""
    text = ""
    if node.child_count == 0 and not node.is_missing:
        token = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
        if len(token) > _MAX_TOKEN_TEXT:
            token = token[: _MAX_TOKEN_TEXT - 1] + "…"
        text = f" {token!r}"
    return f"{'  ' * depth}{prefix}{label} {start}-{end}{text}"


def _where(index: LineIndex, offset: int) -> str:
    line, column = index.display_position(offset)
    return f"{line}:{column}"


def ast_text(root: ast.Node) -> str:
    """The AST as an indented outline: scalar fields inline, child nodes below. Iterative, because a
    20,000-term `1 + 1 + …` is 20,000 levels deep."""
    lines: list[str] = []
    stack: list[tuple[ast.Node, int, str]] = [(root, 0, "")]
    while stack:
        node, depth, label = stack.pop()
        scalars, children = _split_fields(node)
        head = f"{'  ' * depth}{label + ': ' if label else ''}{type(node).__name__}"
        inline = " " + " ".join(scalars) if scalars else ""
        lines.append(f"{head}{inline} @{node.span.start}..{node.span.end}")
        stack.extend((child, depth + 1, name) for name, child in reversed(children))
    return "\n".join(lines)


def _split_fields(node: ast.Node) -> tuple[list[str], list[tuple[str, ast.Node]]]:
    scalars: list[str] = []
    children: list[tuple[str, ast.Node]] = []
    for f in fields(node):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            children.append((f.name, value))
        elif isinstance(value, list) and any(isinstance(item, ast.Node) for item in value):
            children.extend((f"{f.name}[{i}]", item) for i, item in enumerate(value))
        elif not isinstance(value, list) or value:
            scalars.append(f"{f.name}={value!r}")
    return scalars, children
