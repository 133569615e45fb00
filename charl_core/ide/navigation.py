"""Go to definition, find references, document highlights and the outline, from the symbol table
(`charl_core.check.symbols`), which resolves names by the run-time scope rules (LANGUAGE.md §5.6, §5.7,
§9.2).

A name may refer to several declarations (`let x` in both branches of an `if`): definition lists them all,
and references are those of every one of them. A builtin is declared nowhere: definition gives nothing, and
references and highlights give every call of that builtin in the file (a user `fn` of the same name is
never called by them, §5.7).

Invariant: never raises; a query is a bisection in the symbol table plus the size of its answer.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from charl_core.ast import Span
from charl_core.check.symbols import Definition, DocumentSymbol, Reference

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


@dataclass(frozen=True, slots=True)
class Target:
    """A declaration to jump to: `name_span` is the declared name (where the cursor lands), `span` the
    whole declaring statement, parameter, loop or match arm."""

    name: str
    kind: str  # a `SymbolKind` value: "variable", "function", "parameter", "loop_variable", "match_binding"
    name_span: Span
    span: Span


class HighlightKind(StrEnum):
    READ = "read"
    WRITE = "write"  # an assignment, or the declaration itself


@dataclass(frozen=True, slots=True)
class Highlight:
    span: Span
    kind: HighlightKind


@dataclass(frozen=True, slots=True)
class Symbol:
    """One outline entry: a function (holding what its body declares) or a variable. `detail` is a
    function's signature or a variable's type, when known."""

    name: str
    kind: str  # "function" or "variable"
    span: Span
    name_span: Span
    detail: str | None
    children: tuple[Symbol, ...]


def definition(analysis: Analysis, offset: int) -> tuple[Target, ...]:
    return tuple(
        Target(found.name, found.kind.value, found.name_span, found.span)
        for found in analysis.symbols.definition_at(offset)
    )


def references(analysis: Analysis, offset: int, include_declaration: bool = True) -> tuple[Span, ...]:
    symbols = analysis.symbols
    definitions = symbols.definition_at(offset)
    if definitions:
        spans = {span for found in definitions for span in symbols.references_of(found, include_declaration)}
        return tuple(sorted(spans, key=lambda span: span.start))
    builtin = symbols.builtin_at(offset)
    if builtin is not None:
        return tuple(call.span for call in symbols.builtin_references if call.name == builtin)
    return ()


def highlights(analysis: Analysis, offset: int) -> tuple[Highlight, ...]:
    symbols = analysis.symbols
    definitions = symbols.definition_at(offset)
    if not definitions:
        return tuple(Highlight(span, HighlightKind.READ) for span in references(analysis, offset))
    found: dict[Span, HighlightKind] = {}
    for declared in definitions:
        found[declared.name_span] = HighlightKind.WRITE
        for span in symbols.references_of(declared, include_declaration=False):
            reference = _reference_at(symbols.references, span)
            write = reference is not None and reference.write
            found.setdefault(span, HighlightKind.WRITE if write else HighlightKind.READ)
    return tuple(
        Highlight(span, kind) for span, kind in sorted(found.items(), key=lambda item: item[0].start)
    )


def _reference_at(references: list[Reference], span: Span) -> Reference | None:
    """The reference with this span; the table's references are sorted by start."""
    index = bisect_left(references, span.start, key=lambda reference: reference.span.start)
    if index < len(references) and references[index].span == span:
        return references[index]
    return None


def document_symbols(analysis: Analysis) -> tuple[Symbol, ...]:
    """The outline, converted bottom-up on an explicit stack: functions may nest deeper than Python's
    recursion limit."""
    symbols = analysis.symbols
    by_name_span: dict[Span, Definition] = {found.name_span: found for found in symbols.definitions}
    declarations = analysis.declarations
    roots = symbols.symbols()
    converted: dict[int, Symbol] = {}
    stack: list[tuple[DocumentSymbol, bool]] = [(entry, False) for entry in roots]
    while stack:
        entry, children_done = stack.pop()
        if not children_done:
            stack.append((entry, True))
            stack.extend((child, False) for child in entry.children)
            continue
        declared = by_name_span.get(entry.name_span)
        detail = declarations.detail(declared) if declared is not None else None
        children = tuple(converted.pop(id(child)) for child in entry.children)
        converted[id(entry)] = Symbol(
            entry.name, entry.kind.value, entry.span, entry.name_span, detail, children
        )
    return tuple(converted[id(entry)] for entry in roots)
