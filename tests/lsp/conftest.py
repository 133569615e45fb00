"""The language server under test: `charl-ls` started as a subprocess over stdio, driven by pytest-lsp.

Two clients: `vscode` announces VS Code 1.65's capabilities (diagnostics are pushed to it, as that
version cannot pull); `neovim` announces Neovim 0.10's (it pulls diagnostics). One server per test module
keeps the suite quick on a small machine; each test opens its own document URI.

Sources in tests mark the cursor with `$0` (`cursor()` strips it and returns the LSP position).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "charl_ls.server", "--log-level", "DEBUG"]
WATCHDOG_S = 10.0
"""A generous bound on any single answer: a hang becomes a failure rather than a stuck test."""


def utf16_position(text: str, offset: int) -> types.Position:
    """The LSP position of character `offset` of `text`."""
    before = text[:offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return types.Position(line, len(column.encode("utf-16-le")) // 2)


def cursor(source: str) -> tuple[str, types.Position]:
    """`source` without its `$0` marker, and the marker's position."""
    offset = source.index("$0")
    text = source[:offset] + source[offset + 2 :]
    return text, utf16_position(text, offset)


def open_document(client: LanguageClient, name: str, text: str, version: int = 1) -> str:
    uri = (ROOT / "tests" / "lsp" / "virtual" / name).as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "charl", version, text))
    )
    return uri


Point = tuple[int, int]


def edit(client: LanguageClient, uri: str, version: int, start: Point, end: Point, text: str) -> None:
    """Send one incremental change replacing `start`..`end` (line, UTF-16 character) with `text`."""
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(*start), types.Position(*end)), text=text
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[change],
        )
    )


async def answer(awaitable):
    """The result of a request, or a test failure after `WATCHDOG_S`."""
    return await asyncio.wait_for(awaitable, WATCHDOG_S)


async def pushed_diagnostics(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics published for `version` of `uri`, waiting for them (watchdog bounded)."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            params = getattr(client, "published", {}).get(uri)
            if params is not None and params.version == version:
                return list(params.diagnostics)
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), WATCHDOG_S)


def _record_versions(client: LanguageClient) -> None:
    """pytest-lsp keeps only the diagnostics; the tests also need the version they were published for."""
    client.published = {}

    client.published_versions = {}

    def publish(params: types.PublishDiagnosticsParams) -> None:
        client.published[params.uri] = params
        client.published_versions.setdefault(params.uri, []).append(params.version)
        client.diagnostics[params.uri] = params.diagnostics

    client.protocol.fm._features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish  # replaces pytest-lsp's


def _accept_refreshes(client: LanguageClient) -> None:
    """The refresh requests a server may send after a settings change; pytest-lsp answers none of them."""
    for method in (
        types.WORKSPACE_INLAY_HINT_REFRESH,
        types.WORKSPACE_SEMANTIC_TOKENS_REFRESH,
        types.WORKSPACE_CODE_LENS_REFRESH,
        types.WORKSPACE_DIAGNOSTIC_REFRESH,
        types.WORKSPACE_FOLDING_RANGE_REFRESH,
    ):
        client.protocol.fm._features.setdefault(method, lambda params: None)


async def start(client: LanguageClient, capabilities: str, **initialize) -> None:
    _record_versions(client)
    _accept_refreshes(client)
    params = types.InitializeParams(
        capabilities=client_capabilities(capabilities),
        workspace_folders=initialize.pop("workspace_folders", None),
        **initialize,
    )
    client.initialize_result = await client.initialize_session(params)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def vscode(lsp_client: LanguageClient):
    await start(lsp_client, "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def neovim(lsp_client: LanguageClient):
    await start(lsp_client, "neovim@v0.10.0")
    yield
    await lsp_client.shutdown_session()
