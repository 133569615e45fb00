"""Completion: scoped names, builtins with snippet arguments, keywords, and types in type position
(`charl_core.ide.completion`), ranked; `completionItem/resolve` adds a builtin's documentation.

Items are those whose label holds the typed prefix as a subsequence (see `_subsequence`), at most
`MAX_ITEMS` of them. Ranking
(`sortText`): in code, names declared in scope first (parameters and locals before functions),
then keywords, the 40 core builtins, and the rest of the catalog; every group alphabetical. Items the
typed prefix starts exactly come before fuzzy matches within their group, since editors keep sortText order
among equal fuzzy scores.
"""

from __future__ import annotations

import re

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.builtins import lookup
from charl_core.ide.completion import CompletionItem, CompletionKind
from charl_core.ide.hover import builtin_doc
from charl_ls import convert
from charl_ls.features.hover import markdown_builtin
from charl_ls.language_server import CharlLanguageServer

_LSP_KIND = {
    CompletionKind.VARIABLE: types.CompletionItemKind.Variable,
    CompletionKind.PARAMETER: types.CompletionItemKind.Variable,
    CompletionKind.LOOP_VARIABLE: types.CompletionItemKind.Variable,
    CompletionKind.MATCH_BINDING: types.CompletionItemKind.Variable,
    CompletionKind.FUNCTION: types.CompletionItemKind.Function,
    CompletionKind.BUILTIN: types.CompletionItemKind.Function,
    CompletionKind.KEYWORD: types.CompletionItemKind.Keyword,
    CompletionKind.TYPE: types.CompletionItemKind.TypeParameter,
    CompletionKind.DIMENSION: types.CompletionItemKind.TypeParameter,
    CompletionKind.TUPLE_INDEX: types.CompletionItemKind.Field,
}

_GROUP = {
    CompletionKind.PARAMETER: 0,
    CompletionKind.LOOP_VARIABLE: 0,
    CompletionKind.MATCH_BINDING: 0,
    CompletionKind.VARIABLE: 1,
    CompletionKind.TUPLE_INDEX: 1,
    CompletionKind.TYPE: 1,
    CompletionKind.DIMENSION: 1,
    CompletionKind.FUNCTION: 2,
    CompletionKind.KEYWORD: 3,
    CompletionKind.BUILTIN: 4,  # 5 for builtins outside the core set
}

MAX_ITEMS = 400
"""At most this many items per answer, the best ranked, marked incomplete so that the next letter typed
asks again (as rust-analyzer does): a large file has thousands of names, and converting and sending them
all costs more than a keystroke's budget."""

_ARGUMENTS = re.compile(r"\((.*)\)")


def register(server: CharlLanguageServer) -> None:
    options = types.CompletionOptions(trigger_characters=[".", "<", "[", ":"], resolve_provider=True)

    @server.query(types.TEXT_DOCUMENT_COMPLETION, options, empty=None)
    def complete(analysis: Analysis, params: types.CompletionParams) -> types.CompletionList | None:
        """The candidates at the cursor, replacing the word typed so far."""
        found = analysis.completions_context(convert.offset(analysis, params.position))
        if not found.items:
            return None
        replace = convert.lsp_range(analysis, found.replace)
        snippets = _client_snippets(server)
        wanted = found.prefix.lower()
        matching = [
            (_sort_text(item, found.prefix), item)
            for item in found.items
            if not wanted or _subsequence(wanted, item.label.lower())
        ]
        ranked = sorted(matching, key=lambda ranked_item: ranked_item[0])
        items = [_item(item, sort_text, replace, snippets) for sort_text, item in ranked[:MAX_ITEMS]]
        return types.CompletionList(is_incomplete=len(ranked) > MAX_ITEMS, items=items)

    @server.request(types.COMPLETION_ITEM_RESOLVE)
    def resolve(item: types.CompletionItem) -> types.CompletionItem:
        """A builtin's documentation, fetched only for the item the user looks at."""
        builtin = isinstance(item.data, dict) and item.data.get("builtin") is True
        doc = builtin_doc(item.label) if builtin else None
        if doc is not None:
            item.documentation = types.MarkupContent(types.MarkupKind.Markdown, markdown_builtin(doc, None))
        return item


def _subsequence(wanted: str, label: str) -> bool:
    """Whether the typed letters occur in order in the label: every fuzzy matcher editors use accepts
    only such labels, so dropping the others changes nothing the user sees (and typing more letters only
    narrows the list, so it stays complete). A 5,000-line file has over a thousand names in scope."""
    position = 0
    for char in wanted:
        position = label.find(char, position) + 1
        if position == 0:
            return False
    return True


def _client_snippets(server: CharlLanguageServer) -> bool:
    text_document = server.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    item = completion.completion_item if completion else None
    return bool(item and item.snippet_support)


def _sort_text(item: CompletionItem, prefix: str) -> str:
    group = _GROUP[item.kind]
    if item.kind is CompletionKind.BUILTIN:
        entry = lookup(item.label)
        group += 0 if entry is not None and entry.core else 1
    exact = 0 if prefix and item.label.startswith(prefix) else 1
    return f"{exact}{group}{item.label}"


def _item(item: CompletionItem, sort_text: str, replace: types.Range, snippets: bool) -> types.CompletionItem:
    builtin = item.kind is CompletionKind.BUILTIN
    text, fmt = item.label, types.InsertTextFormat.PlainText
    if builtin and snippets and item.usage:
        text, fmt = _snippet(item.label, item.usage), types.InsertTextFormat.Snippet
    return types.CompletionItem(
        label=item.label,
        kind=_LSP_KIND[item.kind],
        detail=item.detail,
        label_details=types.CompletionItemLabelDetails(description=item.summary) if item.summary else None,
        sort_text=sort_text,
        filter_text=item.label,
        text_edit=types.TextEdit(replace, text),
        insert_text_format=fmt,
        data={"builtin": True} if builtin else None,
    )


def _snippet(name: str, usage: str) -> str:
    """`tensor_full([shape], value)` → `tensor_full(${1:[shape]}, ${2:value})$0`; optional and variadic
    parameters are left for the user to add."""
    found = _ARGUMENTS.search(usage)
    names = [part.strip() for part in found.group(1).split(",")] if found else []
    required = [part for part in names if part and not part.endswith("?") and part != "..."]
    placeholders = ", ".join(f"${{{index}:{_escape(part)}}}" for index, part in enumerate(required, 1))
    return f"{_escape(name)}({placeholders})$0"


def _escape(text: str) -> str:
    return re.sub(r"([$}\\])", r"\\\1", text)
