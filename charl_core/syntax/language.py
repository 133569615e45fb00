"""The compiled Charl grammar, loaded once per process.

Invariant: the syntax layer never imports pygls, the analysis or the runtime.
"""

from __future__ import annotations

import threading

from tree_sitter import Language, Parser

from charl_core.syntax import _grammar

LANGUAGE = Language(_grammar.language())


_PER_THREAD = threading.local()


def _shared_parser() -> Parser:
    """One parser per thread: the language server analyses documents off its request thread."""
    parser = getattr(_PER_THREAD, "parser", None)
    if parser is None:
        parser = _PER_THREAD.parser = Parser(LANGUAGE)
    return parser


def new_parser() -> Parser:
    """A parser of one's own: tree-sitter parsers are not safe to share between threads."""
    return Parser(LANGUAGE)


def parse_bytes(source: bytes):
    """A fresh (non-incremental) parse of `source`, for one-shot uses such as `charl parse`."""
    return _shared_parser().parse(source)
