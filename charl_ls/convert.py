"""Conversions between LSP types and charl_core's byte spans and dataclasses.

The analysis speaks UTF-8 byte offsets; positions are converted through the snapshot's line index in the
position encoding negotiated at initialize (`Analysis.encoding`), so every handler agrees with the client
on columns, whatever the client chose.

Invariant: pure functions; no state, no IO.
"""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ast import Span
from charl_core.diagnostics import Diagnostic

DIAGNOSTIC_TAGS: dict[str, tuple[types.DiagnosticTag, ...]] = {
    "W207": (types.DiagnosticTag.Unnecessary,),  # fn shadowed by a builtin: never called
    "W208": (types.DiagnosticTag.Unnecessary,),  # fn declared and never referenced
    "W209": (types.DiagnosticTag.Unnecessary,),  # finding in code that never runs
    "W213": (types.DiagnosticTag.Unnecessary,),  # optimizer setting without effect
}
"""LSP's tags by code: editors fade unnecessary code. No code marks deprecated use today (Charl has no
deprecated builtins), so `Deprecated` is not used."""

SOURCE = "charl"


def offset(analysis: Analysis, position: types.Position) -> int:
    return analysis.offset_at(position.line, position.character)


def lsp_range(analysis: Analysis, span: Span) -> types.Range:
    start, end = analysis.range_of(span)
    return types.Range(types.Position(*start), types.Position(*end))


def location(analysis: Analysis, span: Span) -> types.Location:
    return types.Location(analysis.uri, lsp_range(analysis, span))


def diagnostic(analysis: Analysis, found: Diagnostic) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(location(analysis, item.span), item.message)
        for item in found.related
    ]
    return types.Diagnostic(
        range=lsp_range(analysis, found.span),
        message=found.message,
        severity=types.DiagnosticSeverity(int(found.severity)),
        code=found.code,
        source=SOURCE,
        related_information=related or None,
        tags=list(DIAGNOSTIC_TAGS.get(found.code, ())) or None,
        data=found.data,
    )


def diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    return [diagnostic(analysis, found) for found in analysis.diagnostics()]
