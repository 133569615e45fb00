"""Code actions: quick fixes for W202, W203, E101, W207 and W208, and the "add type annotation" refactor
(`charl_core.ide.code_actions`). Fixes come from the server's own diagnostics of the version the request
is about; each names the client's copy of the diagnostic it resolves when the client sent one."""

from __future__ import annotations

from enum import Enum

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.diagnostics import Diagnostic
from charl_core.ide.code_actions import ActionKind, CodeAction
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer

_KIND = {
    ActionKind.QUICK_FIX: types.CodeActionKind.QuickFix,
    ActionKind.REWRITE: types.CodeActionKind.RefactorRewrite,
}

OPTIONS = types.CodeActionOptions(code_action_kinds=list(_KIND.values()), resolve_provider=False)


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_CODE_ACTION, OPTIONS, empty=[])
    def code_actions(analysis: Analysis, params: types.CodeActionParams) -> list[types.CodeAction]:
        """The fixes and refactors at the range, of the kinds the client asked for (`only`)."""
        span = analysis.lines.span_of(
            (params.range.start.line, params.range.start.character),
            (params.range.end.line, params.range.end.character),
            analysis.encoding,
        )
        only = params.context.only
        sent = params.context.diagnostics
        return [
            _action(analysis, action, sent)
            for action in analysis.code_actions(span)
            if only is None or any(_within(_KIND[action.kind], kind) for kind in only)
        ]


def _within(kind: str, asked: str) -> bool:
    """LSP kinds are hierarchical: asking for `refactor` includes `refactor.rewrite`."""
    kind, asked = _text(kind), _text(asked)
    return kind == asked or kind.startswith(asked + ".")


def _text(kind: str) -> str:
    return kind.value if isinstance(kind, Enum) else kind  # clients' kinds arrive as plain strings


def _action(analysis: Analysis, action: CodeAction, sent: list[types.Diagnostic]) -> types.CodeAction:
    edits = [types.TextEdit(convert.lsp_range(analysis, edit.span), edit.new_text) for edit in action.edits]
    diagnostics = None
    if action.diagnostic is not None:
        diagnostics = [_client_copy(analysis, action.diagnostic, sent)]
    return types.CodeAction(
        title=action.title,
        kind=_KIND[action.kind],
        diagnostics=diagnostics,
        is_preferred=action.preferred or None,
        edit=types.WorkspaceEdit(changes={analysis.uri: edits}),
    )


def _client_copy(analysis: Analysis, found: Diagnostic, sent: list[types.Diagnostic]) -> types.Diagnostic:
    """The diagnostic as the client has it (same code and range), else as the server would publish it."""
    converted = convert.diagnostic(analysis, found)
    for candidate in sent:
        if candidate.code == found.code and candidate.range == converted.range:
            return candidate
    return converted
