"""Rename: where a rename may start (`prepare_rename`) and the spans a new name replaces (`rename`).

A rename works on what the symbol table resolves (LANGUAGE.md §5.6, §5.7, §9.2): every declaration the name
may refer to and every read and write of them. Refused, with a message the editor shows: builtins (they
are declared by the language, not the file), keywords, anything that is not a name, and new names that
are not identifiers (§2.2) or are reserved words. A function may not take a builtin's name: calls would
then go to the builtin (§5.7, W207). Whether a new name is an identifier is decided by the grammar itself:
`let NAME = 0` must parse without a diagnostic and declare exactly NAME.

Invariant: never raises; pure over one analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from charl_core.ast import Span
from charl_core.builtins import lookup
from charl_core.check.symbols import SymbolKind
from charl_core.ide.cursor import leaf_at
from charl_core.syntax.lexical import RESERVED_WORDS

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


@dataclass(frozen=True, slots=True)
class RenameTarget:
    """What may be renamed at the cursor: the name's span and its current text."""

    span: Span
    name: str


@dataclass(frozen=True, slots=True)
class RenameRefusal:
    message: str


@dataclass(frozen=True, slots=True)
class RenameEdits:
    """The spans of every occurrence (declarations included) and the name they become."""

    spans: tuple[Span, ...]
    new_name: str


def prepare_rename(analysis: Analysis, offset: int) -> RenameTarget | RenameRefusal:
    leaf = leaf_at(analysis.tree, offset, analysis.parsed_end)
    if leaf is None:
        return RenameRefusal("there is no name here to rename")
    text = leaf.text.decode("utf-8", "replace") if leaf.text is not None else ""
    if leaf.type != "identifier":
        if text in RESERVED_WORDS:
            return RenameRefusal(f"'{text}' is a keyword and cannot be renamed")
        return RenameRefusal("there is no name here to rename")
    symbols = analysis.symbols
    if symbols.builtin_at(leaf.start_byte) is not None or (
        not symbols.definition_at(leaf.start_byte) and lookup(text) is not None
    ):
        return RenameRefusal(f"'{text}' is a builtin and cannot be renamed")
    if not symbols.definition_at(leaf.start_byte):
        return RenameRefusal(f"'{text}' is not declared in this file")
    return RenameTarget(Span(leaf.start_byte, leaf.end_byte), text)


def rename(analysis: Analysis, offset: int, new_name: str) -> RenameEdits | RenameRefusal:
    target = prepare_rename(analysis, offset)
    if isinstance(target, RenameRefusal):
        return target
    if new_name in RESERVED_WORDS:
        return RenameRefusal(f"'{new_name}' is a keyword")
    if not is_identifier(new_name):
        return RenameRefusal(f"'{new_name}' is not a valid name")
    definitions = analysis.symbols.definition_at(target.span.start)
    if lookup(new_name) is not None and any(d.kind is SymbolKind.FUNCTION for d in definitions):
        return RenameRefusal(f"'{new_name}' is a builtin: calls to a function of that name call the builtin")
    spans = analysis.references(target.span.start, include_declaration=True)
    return RenameEdits(spans, new_name)


@lru_cache(maxsize=256)
def is_identifier(name: str) -> bool:
    """Whether `name` is an identifier, by the grammar's own rules (LANGUAGE.md §2.2)."""
    from charl_core.analysis import Analysis  # the facade imports this module

    if not name or any(c.isspace() for c in name):
        return False
    probe = Analysis.of_text(f"let {name} = 0\n")
    if probe.diagnostics():
        return False
    statements = probe.program.statements
    return len(statements) == 1 and getattr(getattr(statements[0], "name", None), "id", None) == name
