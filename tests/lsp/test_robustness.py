"""No request crashes or hangs the server: failing handlers answer empty, stale and cancelled requests
are harmless, 50,000-line files stay responsive, odd text is refused or handled, shutdown is clean."""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from charl_core.testing.programs import generate_large_program
from tests.lsp.conftest import SERVER, answer, cursor, edit, open_document, start

pytestmark = pytest.mark.asyncio(loop_scope="module")

FAILING = [sys.executable, "-m", "tests.lsp.failing_server"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=FAILING), scope="module")
async def failing(lsp_client: LanguageClient):
    await start(lsp_client, "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


async def test_a_failing_handler_answers_empty_and_the_server_goes_on(failing: LanguageClient):
    uri = open_document(failing, "failing.ch", "let x = 1\nprint(x)\n")
    document = types.TextDocumentIdentifier(uri)
    found = await answer(failing.text_document_document_link_async(types.DocumentLinkParams(document)))
    assert list(found) == []
    failing.text_document_did_save(types.DidSaveTextDocumentParams(document))
    hover = await answer(failing.text_document_hover_async(types.HoverParams(document, types.Position(1, 6))))
    assert "x" in hover.contents.value


async def test_requests_on_unknown_documents_and_positions_answer_empty(vscode: LanguageClient):
    missing = types.TextDocumentIdentifier("file:///nowhere/never_opened.ch")
    assert (
        await answer(vscode.text_document_hover_async(types.HoverParams(missing, types.Position(0, 0))))
        is None
    )
    uri = open_document(vscode, "far.ch", "let x = 1\n")
    far = types.Position(10**6, 10**6)
    document = types.TextDocumentIdentifier(uri)
    assert await answer(vscode.text_document_hover_async(types.HoverParams(document, far))) is None
    found = await answer(
        vscode.text_document_definition_async(types.DefinitionParams(document, types.Position(0, 10**6)))
    )
    assert list(found) == []


async def test_cancelled_requests_are_answered_and_harmless(vscode: LanguageClient):
    text = generate_large_program(5_000, seed=3)
    uri = open_document(vscode, "cancel.ch", text)
    document = types.TextDocumentIdentifier(uri)
    pending = [
        vscode.protocol.send_request_async(
            types.TEXT_DOCUMENT_HOVER, types.HoverParams(document, types.Position(line, 4))
        )
        for line in range(0, 2_000, 50)
    ]
    for request_id in list(vscode.protocol._request_futures)[-len(pending) :]:
        vscode.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=request_id))
    results = await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 30)
    for result in results:
        assert not isinstance(result, Exception) or isinstance(result, JsonRpcRequestCancelled), result
    hover = await answer(vscode.text_document_hover_async(types.HoverParams(document, types.Position(1, 4))))
    assert "let n_0: int" in hover.contents.value  # line 1 is `let n_0 = …`


async def test_a_file_of_50_000_lines_stays_responsive(vscode: LanguageClient):
    """While a 50,000-line file is checked (its first check takes seconds), requests on
    other documents are answered at once and requests on it within a generous bound, without types until
    its check lands."""
    text = generate_large_program(50_000, seed=5)
    uri = open_document(vscode, "huge.ch", text)
    small, position = cursor("let weights = tensor_zeros([2, 3])\nprint(we$0ights)\n")
    small_uri = open_document(vscode, "small_beside_huge.ch", small)
    hover = await answer(
        vscode.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(small_uri), position))
    )
    assert "tensor<float32, [2, 3]>" in hover.contents.value
    document = types.TextDocumentIdentifier(uri)
    lines = text.split("\n")
    line = next(n for n in range(len(lines) // 2, len(lines)) if lines[n].startswith("fn "))
    edit(vscode, uri, 2, (line, 0), (line, 0), "let inserted = 1\n")
    slow = 60.0
    hover = await asyncio.wait_for(
        vscode.text_document_hover_async(types.HoverParams(document, types.Position(line, 5))), slow
    )
    assert hover is not None and "inserted" in hover.contents.value
    symbols = await asyncio.wait_for(
        vscode.text_document_document_symbol_async(types.DocumentSymbolParams(document)), slow
    )
    assert any(symbol.name == "inserted" for symbol in symbols)
    vscode.text_document_did_close(types.DidCloseTextDocumentParams(document))


async def test_lone_surrogates_are_refused(vscode: LanguageClient):
    before = len(vscode.messages)
    open_document(vscode, "surrogate.ch", 'let s = "\ud800"\n')
    await answer(vscode.wait_for_notification(types.WINDOW_SHOW_MESSAGE))
    assert "not valid UTF-8" in vscode.messages[before].message


async def test_non_ascii_positions_in_utf16(vscode: LanguageClient):
    text, position = cursor('let ñame = "日本🎉"\nprint(ña$0me)\n')
    uri = open_document(vscode, "unicode.ch", text)
    document = types.TextDocumentIdentifier(uri)
    found = await answer(vscode.text_document_definition_async(types.DefinitionParams(document, position)))
    assert found[0].target_selection_range == types.Range(types.Position(0, 4), types.Position(0, 8))
    highlights = await answer(
        vscode.text_document_document_highlight_async(types.DocumentHighlightParams(document, position))
    )
    assert [h.range.start for h in highlights] == [types.Position(0, 4), types.Position(1, 6)]


async def test_utf8_position_encoding_when_the_client_prefers_it():
    client = make_test_lsp_client()
    await client.start_io(*SERVER)
    _ = await _initialize_with_encodings(client, ["utf-8", "utf-16"])
    text = 'let s = "日本🎉"\nlet after = s\n'
    uri = open_document(client, "utf8.ch", text)
    document = types.TextDocumentIdentifier(uri)
    position = types.Position(1, 12)  # `s` on the second line
    found = await answer(client.text_document_definition_async(types.DefinitionParams(document, position)))
    assert found[0].target_selection_range.start == types.Position(0, 4)
    hover = await answer(client.text_document_hover_async(types.HoverParams(document, types.Position(0, 4))))
    assert hover.range.end == types.Position(0, 5)
    symbols = await answer(client.text_document_document_symbol_async(types.DocumentSymbolParams(document)))
    after = next(symbol for symbol in symbols if symbol.name == "after")
    assert after.range.start == types.Position(1, 0)
    # the end of line 0 is 8 + len('"日本🎉"'.encode()) bytes: 8 + 12 = 20, in UTF-8 units
    scale = next(symbol for symbol in symbols if symbol.name == "s")
    assert scale.range.end == types.Position(0, 20)
    await client.shutdown_session()
    await client.stop()


async def _initialize_with_encodings(client: LanguageClient, encodings: list[str]) -> types.InitializeResult:
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    result = await client.initialize_session(types.InitializeParams(capabilities=capabilities))
    assert result.capabilities.position_encoding == "utf-8"
    return result


async def test_shutdown_and_exit_are_clean():
    client = make_test_lsp_client()
    await client.start_io(*SERVER)
    await start(client, "visual-studio-code")
    open_document(client, "bye.ch", "print(1)\n")
    await client.shutdown_session()
    assert client._server.returncode == 0
    await client.stop()
