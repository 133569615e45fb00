"""Selection ranges ("expand selection") from the syntax tree (`charl_core.ide.selection`)."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_SELECTION_RANGE, empty=[])
    def selection_ranges(
        analysis: Analysis, params: types.SelectionRangeParams
    ) -> list[types.SelectionRange]:
        """For each position, its innermost range with the enclosing ones chained as parents."""
        answers = []
        for position in params.positions:
            chain = analysis.selection_ranges(convert.offset(analysis, position))
            parent: types.SelectionRange | None = None
            for span in reversed(chain):
                parent = types.SelectionRange(convert.lsp_range(analysis, span), parent)
            answers.append(parent or types.SelectionRange(types.Range(position, position)))
        return answers
