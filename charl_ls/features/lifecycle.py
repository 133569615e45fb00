"""Initialize, settings and shutdown: what every other feature relies on.

At `initialize` the server adopts the position encoding pygls negotiated, picks push or pull diagnostics
from the client's capabilities, and reads settings from `initializationOptions` (`{"charl": {…}}` or the
section itself). After `initialized` it asks for the `charl` section through `workspace/configuration`
when the client supports it, and again on each `workspace/didChangeConfiguration` (whose payload clients
that support pulling leave empty); other clients send the settings in that notification.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any

from lsprotocol import types

from charl_ls.language_server import CharlLanguageServer

logger = logging.getLogger("charl_ls")

SECTION = "charl"

_PENDING: set[asyncio.Future[None]] = set()


def register(server: CharlLanguageServer) -> None:
    @server.notification(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        """Encoding, diagnostics mode and initial settings."""
        encoding = server.workspace.position_encoding or types.PositionEncodingKind.Utf16
        server.set_encoding(getattr(encoding, "value", encoding))
        text_document = params.capabilities.text_document
        server.diagnostics.push = text_document is None or text_document.diagnostic is None
        options = params.initialization_options
        if isinstance(options, dict):
            server.apply_settings(options.get(SECTION, options), notify=False)
        logger.info(
            "initialized: encoding %s, %s diagnostics",
            server.documents.encoding,
            "pushed" if server.diagnostics.push else "pulled",
        )

    @server.notification(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        """Ask the client for the settings, if it can answer."""
        _request_settings(server)

    @server.notification(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration_changed(params: types.DidChangeConfigurationParams) -> None:
        """Re-read the settings: pulled when the client supports it, else taken from the notification."""
        if _client_answers_configuration(server):
            _request_settings(server)
        elif isinstance(params.settings, dict) and SECTION in params.settings:
            server.apply_settings(params.settings[SECTION])

    @server.notification(types.SHUTDOWN)
    def shutdown(params: Any) -> None:
        """Stop timers and workers; `exit` follows."""
        server.diagnostics.shutdown()
        server.checks.shutdown()

    @server.notification(types.EXIT)
    def exit_now(params: Any) -> None:
        """Leave at once, with LSP's exit code (0 only after `shutdown`). A check still running cannot be
        interrupted, and the interpreter's normal exit would wait for its thread."""
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0 if server.protocol._shutdown else 1)


def _client_answers_configuration(server: CharlLanguageServer) -> bool:
    workspace = server.client_capabilities.workspace
    return bool(workspace is not None and workspace.configuration)


def _request_settings(server: CharlLanguageServer) -> None:
    if not _client_answers_configuration(server):
        return

    async def fetch() -> None:
        try:
            answer = await server.workspace_configuration_async(
                types.ConfigurationParams([types.ConfigurationItem(section=SECTION)])
            )
        except Exception:
            logger.exception("workspace/configuration failed; keeping the current settings")
            return
        server.apply_settings(answer[0] if answer else None)

    task = asyncio.ensure_future(fetch())
    _PENDING.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_PENDING.discard)
