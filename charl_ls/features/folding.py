"""Folding ranges as whole lines: blocks, comment runs, `// #region` markers (`charl_core.ide.folding`)."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ide.folding import FoldKind
from charl_ls.language_server import CharlLanguageServer

_KIND = {
    FoldKind.BLOCK: None,
    FoldKind.COMMENT: types.FoldingRangeKind.Comment,
    FoldKind.REGION: types.FoldingRangeKind.Region,
}


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_FOLDING_RANGE, empty=[])
    def folding_ranges(analysis: Analysis, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        """One range per fold, outermost first on each line; at most the client's `rangeLimit`."""
        lines = analysis.lines
        found = [
            types.FoldingRange(lines.line_of(fold.start), lines.line_of(fold.end), kind=_KIND[fold.kind])
            for fold in analysis.folding_ranges()
        ]
        return found[: _range_limit(server)]


def _range_limit(server: CharlLanguageServer) -> int | None:
    document = server.client_capabilities.text_document
    folding = document.folding_range if document is not None else None
    return folding.range_limit if folding is not None else None
