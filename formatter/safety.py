"""The checks that make formatting safe, run on every format (like `black --safe`):

1. the input has no syntax error (E001; warnings such as W215 are fine): a tree with errors has no
   meaning to preserve;
2. the output parses without error to the same AST as the input (`==` on `charl_core.ast` nodes ignores
   spans, `&&`/`and` spellings and parentheses: exactly the trivia the formatter may change);
3. the output has the same comments, in the same order, as the input;
4. formatting the output again changes nothing (idempotence; `api.py` runs the second pass).

Any failure raises `FormatError` with a reason the CLI prints; the caller then leaves the file untouched.
"""

from __future__ import annotations

from charl_core import ast
from charl_core.syntax.errors import syntax_diagnostics
from charl_core.syntax.language import parse_bytes
from charl_core.syntax.lower import lower
from charl_core.syntax.positions import LineIndex
from formatter.comments import comment_text
from formatter.cst import copy_tree


class FormatError(Exception):
    """Why a text was left unformatted. `kind` is `syntax` (the input has syntax errors), `unsafe` (the
    output would mean something else: a formatter bug), `unstable` (not idempotent: a formatter bug) or
    `unsupported` (a construct with no rule, or nesting too deep to format)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Parsed:
    """One parse of a text: the tree-sitter tree, its comment-free copy and its comments."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.tree = parse_bytes(source)
        self.root, self.comments, self.boundaries = copy_tree(self.tree)

    def program(self) -> ast.Program:
        return lower(self.tree, self.source)

    def comment_texts(self) -> list[str]:
        return [comment_text(self.source[c.start : c.end]) for c in self.comments]

    def syntax_errors(self) -> list[str]:
        """`LINE:COL: message` of each syntax error (not warnings)."""
        index = LineIndex(self.source)
        found = syntax_diagnostics(self.tree, self.source, index.display_position)
        messages = []
        for diagnostic in found:
            if diagnostic.severity.label == "error":
                line, column = index.display_position(diagnostic.span.start)
                messages.append(f"{line}:{column}: {diagnostic.message}")
        return messages


def parse_input(source: bytes) -> Parsed:
    """The parse of a text to format; raises `FormatError("syntax", …)` if it has syntax errors."""
    if b"\0" in source:
        message = "the file contains a NUL character (LANGUAGE.md §2.1: the input ends there)"
        raise FormatError("unsupported", message)
    parsed = Parsed(source)
    errors = parsed.syntax_errors()  # also the lexical rules (reserved words, integer range): no ERROR node
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise FormatError("syntax", f"cannot format a file with syntax errors: {errors[0]}{more}")
    return parsed


def check_equivalent(original: Parsed, formatted: Parsed) -> None:
    """Raise `FormatError("unsafe", …)` unless `formatted` means the same as `original`."""
    if formatted.tree.root_node.has_error:
        errors = formatted.syntax_errors()
        where = errors[0] if errors else "a syntax error"
        raise FormatError("unsafe", f"formatting would produce invalid code ({where}); file left unchanged")
    if original.program() != formatted.program():
        raise FormatError("unsafe", "formatting would change the program's syntax tree; file left unchanged")
    if original.comment_texts() != formatted.comment_texts():
        raise FormatError("unsafe", "formatting would lose or reorder a comment; file left unchanged")
