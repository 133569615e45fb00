"""Hover: the name or expression under the cursor, its type with the tensor shape, its grad state, where
its dimension variables were bound, and a builtin's catalog documentation (`charl_core.ide.hover`)."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ide.calls import call_types
from charl_core.ide.hover import BuiltinDoc, Hover, HoverKind
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer

SHOWN_CALLS = 5

_DECLARED_AS = {
    HoverKind.VARIABLE: "let",
    HoverKind.PARAMETER: "parameter",
    HoverKind.LOOP_VARIABLE: "for",
    HoverKind.MATCH_BINDING: "match binding",
}


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_HOVER)
    def hover(analysis: Analysis, params: types.HoverParams) -> types.Hover | None:
        """Markdown for what is under the cursor."""
        offset = convert.offset(analysis, params.position)
        found = analysis.type_at(offset)
        if found is None:
            return None
        text = markdown(analysis, found)
        if found.kind is HoverKind.FUNCTION:
            text += _calls(analysis, found)
        if not text:
            return None
        return types.Hover(
            types.MarkupContent(types.MarkupKind.Markdown, text), convert.lsp_range(analysis, found.span)
        )


def markdown(analysis: Analysis, found: Hover) -> str:
    parts: list[str] = []
    if found.builtin is not None:
        parts.append(markdown_builtin(found.builtin, found.type))
    elif found.signature is not None:
        parts.append(_code(found.signature))
    elif found.kind is HoverKind.EXPRESSION:
        if found.type:
            parts.append(_code(found.type))
    else:
        keyword = _DECLARED_AS.get(found.kind, found.kind.value)
        declared = f"{found.name}: {found.type}" if found.type else f"{found.name}"
        parts.append(_code(f"let {declared}" if keyword == "let" else declared))
        if keyword != "let":
            parts.append(f"({keyword})")
    if found.grad is not None and found.builtin is None:
        parts.append(f"requires grad: **{found.grad}**")
    if found.dimensions:
        bound = ", ".join(
            f"`{origin.name}` bound at line {analysis.range_of(origin.span)[0].line + 1}"
            for origin in found.dimensions
        )
        parts.append(f"Dimensions: {bound}")
    return "\n\n".join(part for part in parts if part)


def _calls(analysis: Analysis, found: Hover) -> str:
    """The types inferred at each call of the function in this file (LANGUAGE.md §4.4)."""
    calls = call_types(analysis, found.span.start, limit=SHOWN_CALLS + 1)
    if not calls:
        return ""
    name = found.name or ""
    lines = []
    for call in calls[:SHOWN_CALLS]:
        line = analysis.position_at(call.span.start).line + 1
        lines.append(f"line {line}: {name}({', '.join(call.arguments)}) -> {call.result}")
    if len(calls) > SHOWN_CALLS:
        lines.append("…")
    return "\n\nCalls in this file:\n" + _code("\n".join(lines))


def markdown_builtin(doc: BuiltinDoc, returned: str | None) -> str:
    """A builtin's catalog entry: usage, section, summary, semantics, autograd behaviour, one example."""
    where = f"builtin, LANGUAGE.md §{doc.section}"
    parts = [_code(doc.usage), f"{where} · returns `{returned}`" if returned else where, doc.summary, doc.doc]
    if doc.tracking:
        parts.append(f"Autograd: {doc.tracking}")
    if doc.example:
        parts.append("Example:\n" + _code(doc.example))
    return "\n\n".join(part for part in parts if part)


def _code(text: str) -> str:
    return f"```charl\n{text}\n```"
