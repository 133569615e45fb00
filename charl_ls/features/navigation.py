"""Go to definition, find references, document highlights and the hierarchical outline
(`charl_core.ide.navigation`)."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ide.navigation import HighlightKind, Symbol
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer

_HIGHLIGHT = {
    HighlightKind.READ: types.DocumentHighlightKind.Read,
    HighlightKind.WRITE: types.DocumentHighlightKind.Write,
}

SYMBOL_KIND = {"function": types.SymbolKind.Function, "variable": types.SymbolKind.Variable}


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_DEFINITION, empty=[])
    def definition(analysis: Analysis, params: types.DefinitionParams) -> list[types.LocationLink]:
        """Every declaration the name may refer to (both branches' `let x`); none for a builtin."""
        targets = analysis.definition(convert.offset(analysis, params.position))
        return [
            types.LocationLink(
                target_uri=analysis.uri,
                target_range=convert.lsp_range(analysis, target.span),
                target_selection_range=convert.lsp_range(analysis, target.name_span),
            )
            for target in targets
        ]

    @server.query(types.TEXT_DOCUMENT_REFERENCES, empty=[])
    def references(analysis: Analysis, params: types.ReferenceParams) -> list[types.Location]:
        """Reads and writes of the name, with its declaration when the client asks."""
        found = analysis.references(
            convert.offset(analysis, params.position), params.context.include_declaration
        )
        return [convert.location(analysis, span) for span in found]

    @server.query(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, empty=[])
    def highlights(
        analysis: Analysis, params: types.DocumentHighlightParams
    ) -> list[types.DocumentHighlight]:
        """The name's occurrences in this file, writes marked as such."""
        found = analysis.highlights(convert.offset(analysis, params.position))
        return [
            types.DocumentHighlight(convert.lsp_range(analysis, h.span), _HIGHLIGHT[h.kind]) for h in found
        ]

    @server.query(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, empty=[])
    def document_symbols(
        analysis: Analysis, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol]:
        """Functions holding what they declare, and top-level variables."""
        return [_symbol(analysis, symbol) for symbol in analysis.document_symbols()]


def _symbol(analysis: Analysis, root: Symbol) -> types.DocumentSymbol:
    """Converted on an explicit stack: functions may nest deeper than Python's recursion limit."""
    converted: dict[int, types.DocumentSymbol] = {}
    stack: list[tuple[Symbol, bool]] = [(root, False)]
    while stack:
        symbol, children_done = stack.pop()
        if not children_done:
            stack.append((symbol, True))
            stack.extend((child, False) for child in symbol.children)
            continue
        converted[id(symbol)] = types.DocumentSymbol(
            name=symbol.name,
            kind=SYMBOL_KIND.get(symbol.kind, types.SymbolKind.Variable),
            range=convert.lsp_range(analysis, symbol.span),
            selection_range=convert.lsp_range(analysis, symbol.name_span),
            detail=symbol.detail,
            children=[converted.pop(id(child)) for child in symbol.children] or None,
        )
    return converted[id(root)]
