"""Formatting and range formatting, delegated to the formatter package (`formatter.api`).

The capability is registered only when that package can be imported, so an editor never offers a
formatter that is not there. Options come from the `charl.toml`/`pyproject.toml` nearest the file, as for
`charl fmt`; the editor's tab size is not used (Charl's style is fixed, like ruff's). Text with syntax
errors is left alone (its diagnostics already say why); any other refusal of the formatter, or a bad
configuration file, is shown to the user (`warn_user`) and answered with no edits, so the text is never
changed.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from charl_core.analysis import Analysis
from charl_core.ast import Span
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer

logger = logging.getLogger("charl_ls")

_API = ("format_text", "format_range", "format_document_edits", "FormatError")


def formatter_api() -> ModuleType | None:
    """`formatter.api` if it is installed and complete; a half-installed formatter counts as absent."""
    try:
        from formatter import api
    except Exception:  # ImportError, or any error while the package imports
        logger.info("formatter package not importable: formatting is not offered", exc_info=True)
        return None
    return api if all(hasattr(api, name) for name in _API) else None


def register(server: CharlLanguageServer) -> None:
    api = formatter_api()
    if api is None:
        return

    @server.query(types.TEXT_DOCUMENT_FORMATTING, empty=[])
    def format_document(analysis: Analysis, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        """The minimal edits that format the whole file."""
        return _run(server, api, analysis, lambda text, options: api.format_document_edits(text, options))

    @server.query(types.TEXT_DOCUMENT_RANGE_FORMATTING, empty=[])
    def format_range(analysis: Analysis, params: types.DocumentRangeFormattingParams) -> list[types.TextEdit]:
        """The edits that format the statements the range touches."""
        span = analysis.lines.span_of(
            (params.range.start.line, params.range.start.character),
            (params.range.end.line, params.range.end.character),
            analysis.encoding,
        )
        return _run(
            server, api, analysis, lambda text, options: api.format_range(text, span.start, span.end, options)
        )


def _run(
    server: CharlLanguageServer, api: ModuleType, analysis: Analysis, edits_of: Any
) -> list[types.TextEdit]:
    options = _options(server, api, analysis.uri)
    if options is None:
        return []
    if analysis.parsed_end != len(analysis.source):
        return []  # text after a NUL is not Charl (§2.1): formatting would drop it
    text = analysis.source.decode("utf-8", "surrogatepass")
    try:
        found = edits_of(text, options)
    except api.FormatError as error:
        if error.kind == "syntax":  # the diagnostics already say why
            logger.info("formatting %s refused: %s", analysis.uri, error.message)
        else:
            server.warn_user(f"charl fmt left {analysis.uri.rsplit('/', 1)[-1]} unchanged: {error.message}")
        return []
    return [
        types.TextEdit(convert.lsp_range(analysis, Span(edit.start, edit.end)), edit.new_text)
        for edit in found
    ]


def _options(server: CharlLanguageServer, api: ModuleType, uri: str) -> Any:
    """The formatter options for the file; the defaults for an unsaved (non-file) document."""
    try:
        from formatter.config import ConfigError, options_for
    except Exception:
        return api.FormatOptions()
    path = to_fs_path(uri) if uri.startswith("file:") else None
    if path is None:
        return api.FormatOptions()
    try:
        return options_for(path)
    except ConfigError as error:
        server.warn_user(f"the file was not formatted: {error}")
        return None
