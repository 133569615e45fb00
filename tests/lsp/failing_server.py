"""`charl-ls` with one extra feature table row whose handlers raise: the guard under test. Started by
`test_robustness.py` as `python -m tests.lsp.failing_server`."""

from __future__ import annotations

import sys

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_ls.language_server import CharlLanguageServer
from charl_ls.server import build_server, main


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_DOCUMENT_LINK, empty=[])
    def links(analysis: Analysis, params: types.DocumentLinkParams) -> list[types.DocumentLink]:
        raise RuntimeError("a bug in a feature")

    @server.notification(types.TEXT_DOCUMENT_DID_SAVE)
    def saved(params: types.DidSaveTextDocumentParams) -> None:
        raise RuntimeError("a bug in a notification")


def build_failing_server() -> CharlLanguageServer:
    server = build_server()
    register(server)
    return server


if __name__ == "__main__":
    import charl_ls.server

    charl_ls.server.build_server = build_failing_server
    sys.exit(main())
