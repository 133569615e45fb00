"""Semantic tokens, full, range and delta (`charl_core.ide.semantic_tokens` documents the legend).

Tokens are encoded the LSP way (five integers each, relative to the previous token) in the negotiated
position encoding; a token over several lines (a block comment, a multi-line string) is split into one
token per line, since clients need not support multi-line tokens. For delta requests the last full
result of each document is kept with its id, and the delta is the one edit that replaces what changed
between the common prefix and the common suffix of the two integer arrays: a keystroke changes a few
tokens, so the edit is small.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ast import Span
from charl_core.ide.semantic_tokens import SemanticToken, TokenModifier, TokenType
from charl_core.syntax.positions import Encoding
from charl_ls.language_server import CharlLanguageServer

TOKEN_TYPES = [token_type.value for token_type in TokenType]
TOKEN_MODIFIERS = [modifier.value for modifier in TokenModifier]
LEGEND = types.SemanticTokensLegend(TOKEN_TYPES, TOKEN_MODIFIERS)

_TYPE_INDEX = {token_type: index for index, token_type in enumerate(TokenType)}
_MODIFIER_BIT = {modifier: 1 << index for index, modifier in enumerate(TokenModifier)}


def register(server: CharlLanguageServer) -> None:
    results = _Results(server)

    # pygls builds the capability from the legend: full with delta, and range.
    @server.query(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND, empty=types.SemanticTokens([]))
    def full(analysis: Analysis, params: types.SemanticTokensParams) -> types.SemanticTokens:
        """Every token of the document, remembered for the next delta request."""
        data = encode(analysis, analysis.semantic_tokens())
        return types.SemanticTokens(data, results.remember(analysis.uri, data))

    @server.query(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, empty=types.SemanticTokens([]))
    def delta(
        analysis: Analysis, params: types.SemanticTokensDeltaParams
    ) -> types.SemanticTokens | types.SemanticTokensDelta:
        """The edit from the previous result to this version's tokens (all tokens if that one is gone)."""
        data = encode(analysis, analysis.semantic_tokens())
        previous = results.get(analysis.uri, params.previous_result_id)
        result_id = results.remember(analysis.uri, data)
        if previous is None:
            return types.SemanticTokens(data, result_id)
        return types.SemanticTokensDelta(diff(previous, data), result_id)

    @server.query(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, empty=types.SemanticTokens([]))
    def range_tokens(analysis: Analysis, params: types.SemanticTokensRangeParams) -> types.SemanticTokens:
        """The tokens of the visible part of a large file."""
        span = analysis.lines.span_of(
            (params.range.start.line, params.range.start.character),
            (params.range.end.line, params.range.end.character),
            analysis.encoding,
        )
        return types.SemanticTokens(encode(analysis, analysis.semantic_tokens(span)))


class _Results:
    """The last full result of each open document, for deltas; shared by worker threads. Closed
    documents are dropped on the next `remember` (`sync` owns the close notification)."""

    def __init__(self, server: CharlLanguageServer) -> None:
        self._server = server
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._by_uri: dict[str, tuple[str, list[int]]] = {}

    def remember(self, uri: str, data: list[int]) -> str:
        with self._lock:
            result_id = str(next(self._ids))
            self._by_uri[uri] = (result_id, data)
            for known in [known for known in self._by_uri if known not in self._server.documents]:
                del self._by_uri[known]
            return result_id

    def get(self, uri: str, result_id: str) -> list[int] | None:
        with self._lock:
            known = self._by_uri.get(uri)
        return known[1] if known is not None and known[0] == result_id else None


def encode(analysis: Analysis, tokens: Iterable[SemanticToken]) -> list[int]:
    """LSP's relative encoding: (line delta, start delta, length, type, modifier bits) per token. On an
    ASCII line (or when the client counts UTF-8) columns are byte counts; only other lines pay for a
    conversion to the client's units."""
    data: list[int] = []
    lines = analysis.lines
    encoding = analysis.encoding
    source = analysis.source
    every_line_in_bytes = encoding is Encoding.UTF8 or source.isascii()
    ascii_lines: dict[int, bool] = {}
    previous_line = previous_start = 0
    for token in tokens:
        kind = _TYPE_INDEX[token.type]
        bits = 0
        for modifier in token.modifiers:
            bits |= _MODIFIER_BIT[modifier]
        span = token.span
        pieces = _per_line(analysis, span) if token.type in _MULTI_LINE else None
        for piece in pieces or (span,):
            start, end = piece.start, piece.end
            line = lines.line_of(start)
            line_start = lines.line_start(line)
            in_bytes = every_line_in_bytes or ascii_lines.get(line)
            if in_bytes is None:
                in_bytes = ascii_lines[line] = source[line_start : lines.line_start(line + 1)].isascii()
            if in_bytes:
                character, length = start - line_start, end - start
            else:
                character = lines.position_of(start, encoding).character
                length = lines.position_of(end, encoding).character - character
            if length <= 0:
                continue
            line_delta = line - previous_line
            start_delta = character - previous_start if line_delta == 0 else character
            data += (line_delta, start_delta, length, kind, bits)
            previous_line, previous_start = line, character
    return data


_MULTI_LINE = frozenset({TokenType.COMMENT, TokenType.STRING})
"""The only tokens that may span lines (block comments, multi-line strings, §2.4)."""


def _per_line(analysis: Analysis, span: Span) -> Iterable[Span]:
    lines = analysis.lines
    first, last = lines.line_of(span.start), lines.line_of(span.end)
    if first == last:
        yield span
        return
    for line in range(first, last + 1):
        start = max(span.start, lines.line_start(line))
        end = min(span.end, lines.line_end(line))
        if end > start:
            yield Span(start, end)


def diff(old: list[int], new: list[int]) -> list[types.SemanticTokensEdit]:
    """One edit replacing the middle that differs, aligned to whole tokens (five integers)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    prefix -= prefix % 5
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    suffix -= suffix % 5
    if prefix == len(old) == len(new):
        return []
    return [types.SemanticTokensEdit(prefix, len(old) - prefix - suffix, new[prefix : len(new) - suffix])]
