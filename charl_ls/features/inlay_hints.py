"""Inlay hints: tensor shapes after `let`s and loop-carried assignments, parameter names at builtin calls
(`charl_core.ide.inlay_hints`). Each kind can be turned off with `charl.inlayHints.*`; a change of those
settings asks the client to fetch the hints again."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ide.inlay_hints import HintKind, InlayHint, InlayHintOptions
from charl_ls.language_server import CharlLanguageServer

SHAPES = "inlayHints.shapes"
PARAMETER_NAMES = "inlayHints.parameterNames"

_KIND = {HintKind.TYPE: types.InlayHintKind.Type, HintKind.PARAMETER: types.InlayHintKind.Parameter}


def register(server: CharlLanguageServer) -> None:
    server.declare_setting(
        SHAPES, True, "Show the inferred tensor type after each `let` and loop-carried assignment."
    )
    server.declare_setting(
        PARAMETER_NAMES, True, "Show parameter names before the arguments of builtin calls."
    )

    @server.query(types.TEXT_DOCUMENT_INLAY_HINT, empty=[])
    def inlay_hints(analysis: Analysis, params: types.InlayHintParams) -> list[types.InlayHint]:
        """The hints in the requested range, as the current settings select them."""
        span = analysis.lines.span_of(
            (params.range.start.line, params.range.start.character),
            (params.range.end.line, params.range.end.character),
            analysis.encoding,
        )
        options = InlayHintOptions(
            shapes=bool(server.setting(SHAPES)), parameter_names=bool(server.setting(PARAMETER_NAMES))
        )
        return [_hint(analysis, hint) for hint in analysis.inlay_hints(span, options)]

    server.on_settings_changed(lambda: _refresh(server))


def _hint(analysis: Analysis, hint: InlayHint) -> types.InlayHint:
    line, character = analysis.position_at(hint.offset)
    return types.InlayHint(
        position=types.Position(line, character),
        label=hint.label,
        kind=_KIND[hint.kind],
        tooltip=hint.tooltip,
        padding_right=hint.kind is HintKind.PARAMETER,
    )


def _refresh(server: CharlLanguageServer) -> None:
    """`workspace/inlayHint/refresh`, for clients that support it."""
    workspace = server.client_capabilities.workspace
    hints = workspace.inlay_hint if workspace is not None else None
    if hints is not None and hints.refresh_support:
        server.workspace_inlay_hint_refresh(None)
