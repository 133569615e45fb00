"""Workspace symbols: every function and variable of a file's outline, flattened, with its container, and
the matching rule for the editor's query.

Built from the symbol table alone (no checker run), so indexing a folder of files costs one parse and one
name resolution per file. Matching is case-insensitive subsequence matching, as VS Code's own quick-open
does: `trl` finds `train_loop`; better matches (a prefix, then a contiguous run) sort first.

Invariant: no IO (the server reads the files); never raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from charl_core.ast import Span
from charl_core.check.symbols import DocumentSymbol

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


@dataclass(frozen=True, slots=True)
class WorkspaceSymbol:
    name: str
    kind: str  # a `SymbolKind` value: "function" or "variable"
    name_span: Span
    container: str | None  # the enclosing function's name


def file_symbols(analysis: Analysis) -> tuple[WorkspaceSymbol, ...]:
    found: list[WorkspaceSymbol] = []
    stack: list[tuple[DocumentSymbol, str | None]] = [(entry, None) for entry in analysis.symbols.symbols()]
    while stack:  # explicit: functions may nest deeper than Python's recursion limit
        entry, container = stack.pop()
        found.append(WorkspaceSymbol(entry.name, entry.kind.value, entry.name_span, container))
        stack.extend((child, entry.name) for child in entry.children)
    found.sort(key=lambda symbol: symbol.name_span.start)
    return tuple(found)


def match_rank(query: str, name: str) -> int | None:
    """None if `name` does not match `query`; else a rank, lower is better (0: prefix, 1: contiguous,
    2: subsequence). An empty query matches everything."""
    if not query:
        return 0
    wanted, text = query.lower(), name.lower()
    if text.startswith(wanted):
        return 0
    if wanted in text:
        return 1
    position = 0
    for char in wanted:
        position = text.find(char, position) + 1
        if position == 0:
            return None
    return 2
