"""Sync and diagnostics over stdio: pushed (debounced, final version only) and pulled; related
information and tags; incremental edits give the same diagnostics as a fresh open."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import SERVER, answer, edit, open_document, pushed_diagnostics, start

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHAPE_BUG = "let a = tensor_zeros([2, 3])\nlet b = tensor_zeros([3, 2])\nlet c = tensor_add(a, b)\nprint(c)\n"


async def test_capabilities_announce_incremental_sync_and_pull(vscode: LanguageClient):
    capabilities = vscode.initialize_result.capabilities
    sync = capabilities.text_document_sync
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert sync.open_close
    assert capabilities.diagnostic_provider is not None
    assert vscode.initialize_result.server_info.name == "charl-ls"


async def test_shape_error_is_published_at_its_position(vscode: LanguageClient):
    uri = open_document(vscode, "shape_bug.ch", SHAPE_BUG)
    found = await pushed_diagnostics(vscode, uri, 1)
    assert [(d.code, d.severity, d.range.start.line) for d in found] == [
        ("E107", types.DiagnosticSeverity.Error, 2)
    ]
    assert "[2, 3]" in found[0].message and "[3, 2]" in found[0].message
    assert found[0].source == "charl"


async def test_incremental_edit_fixes_the_error(vscode: LanguageClient):
    uri = open_document(vscode, "fix_me.ch", SHAPE_BUG)
    assert len(await pushed_diagnostics(vscode, uri, 1)) == 1
    # `[3, 2]` → `[2, 3]` on line 1, one character at a time, as typed
    edits = [((1, 22), (1, 23), "2"), ((1, 25), (1, 26), "3")]
    for version, (first, last, text) in enumerate(edits, start=2):
        edit(vscode, uri, version, first, last, text)
    assert await pushed_diagnostics(vscode, uri, 3) == []


async def test_uncalled_main_is_tagged_unnecessary(vscode: LanguageClient):
    uri = open_document(vscode, "main.ch", "fn main() {\n    print(1)\n}\nprint(2)\n")
    found = await pushed_diagnostics(vscode, uri, 1)
    assert [(d.code, list(d.tags or ())) for d in found] == [("W208", [types.DiagnosticTag.Unnecessary])]


async def test_unbalanced_bracket_has_related_information(vscode: LanguageClient):
    uri = open_document(vscode, "unbalanced.ch", "let xs = [1, 2\nprint(xs)\n")
    found = await pushed_diagnostics(vscode, uri, 1)
    related = [info for d in found for info in d.related_information or ()]
    assert related, found
    assert related[0].location.uri == uri
    assert related[0].location.range.start == types.Position(0, 9)  # the `[` that is never closed
    assert "opened here" in related[0].message


async def test_close_clears_diagnostics(vscode: LanguageClient):
    uri = open_document(vscode, "closing.ch", SHAPE_BUG)
    assert await pushed_diagnostics(vscode, uri, 1)
    vscode.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await vscode.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(vscode.published[uri].diagnostics) == []


async def test_binary_document_is_refused_with_a_message(vscode: LanguageClient):
    uri = open_document(vscode, "binary.ch", "\x00\x01\x02ELF\x00" * 50)
    await answer(vscode.wait_for_notification(types.WINDOW_SHOW_MESSAGE))
    assert any("binary.ch" in message.message for message in vscode.messages)
    hover = await answer(
        vscode.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 1))
        )
    )
    assert hover is None


async def test_pull_diagnostics_and_unchanged_report(neovim: LanguageClient):
    uri = open_document(neovim, "pulled.ch", SHAPE_BUG)
    identifier = types.TextDocumentIdentifier(uri)
    report = await answer(neovim.text_document_diagnostic_async(types.DocumentDiagnosticParams(identifier)))
    assert report.kind == "full"
    assert [d.code for d in report.items] == ["E107"]
    again = await answer(
        neovim.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(identifier, previous_result_id=report.result_id)
        )
    )
    assert again.kind == "unchanged" and again.result_id == report.result_id
    assert uri not in neovim.diagnostics, "a client that pulls gets no pushes"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def slow_debounce(lsp_client: LanguageClient):
    lsp_client.set_configuration({"diagnostics": {"debounceMs": 400}}, section="charl")
    await start(lsp_client, "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


async def test_a_burst_of_edits_publishes_only_the_last_version(slow_debounce: LanguageClient):
    uri = open_document(slow_debounce, "burst.ch", SHAPE_BUG)
    assert len(await pushed_diagnostics(slow_debounce, uri, 1)) == 1
    await asyncio.sleep(0.5)  # the settings requested after `initialized` have arrived by now
    text = SHAPE_BUG
    for version in range(2, 12):  # type `// 0123456789` at the end, one character per change
        character = "// "[version - 2] if version < 5 else str(version - 5)
        line = text.count("\n")
        edit(
            slow_debounce,
            uri,
            version,
            (line, 0 if version == 2 else version - 2),
            (line, version - 2),
            character,
        )
        text += character
    assert len(await pushed_diagnostics(slow_debounce, uri, 11)) == 1
    assert slow_debounce.published_versions[uri] == [1, 11], "intermediate versions are never published"
