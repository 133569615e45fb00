"""Formatting over stdio. The capability is announced exactly when the formatter package can be imported;
when it is, the edits the server sends turn the text into what `formatter.api` produces for the file."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from charl_ls.features.formatting import formatter_api
from tests.lsp.conftest import answer, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

MESSY = "let   x=tensor_zeros( [2,3] )\nfn f(a:int)->int{a*2}\nprint( f(2) ,x)\n"


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply edits given in UTF-16 positions to an ASCII text."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda edit: offset(edit.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def require_formatter():
    api = formatter_api()
    assert api is not None, "the formatter package is part of Charl and must be importable"
    return api


async def test_capability_matches_the_formatter_package(vscode: LanguageClient):
    capabilities = vscode.initialize_result.capabilities
    present = formatter_api() is not None
    assert bool(capabilities.document_formatting_provider) is present
    assert bool(capabilities.document_range_formatting_provider) is present


async def test_document_formatting_gives_the_formatter_output(vscode: LanguageClient):
    api = require_formatter()
    uri = open_document(vscode, "messy.ch", MESSY)
    options = types.FormattingOptions(tab_size=4, insert_spaces=True)
    edits = await answer(
        vscode.text_document_formatting_async(
            types.DocumentFormattingParams(types.TextDocumentIdentifier(uri), options)
        )
    )
    expected = api.format_text(MESSY).text
    assert expected != MESSY
    assert apply(MESSY, edits) == expected


async def test_range_formatting_touches_only_the_selected_statement(vscode: LanguageClient):
    api = require_formatter()
    text = "let a = 1\nlet   b=[1,2]\nlet c = 3\nlet   d=[3,4]\n"
    uri = open_document(vscode, "messy_range.ch", text)
    options = types.FormattingOptions(tab_size=4, insert_spaces=True)
    line_two = types.Range(types.Position(1, 0), types.Position(1, 5))
    edits = await answer(
        vscode.text_document_range_formatting_async(
            types.DocumentRangeFormattingParams(types.TextDocumentIdentifier(uri), line_two, options)
        )
    )
    assert apply(text, edits) == "let a = 1\nlet b = [1, 2]\nlet c = 3\nlet   d=[3,4]\n"
    assert apply(text, edits) == api.apply_edits(text, api.format_range(text, 10, 15))


async def test_text_with_syntax_errors_is_left_alone(vscode: LanguageClient):
    require_formatter()
    uri = open_document(vscode, "broken_format.ch", "let x = (1 +\n")
    options = types.FormattingOptions(tab_size=4, insert_spaces=True)
    edits = await answer(
        vscode.text_document_formatting_async(
            types.DocumentFormattingParams(types.TextDocumentIdentifier(uri), options)
        )
    )
    assert not edits


async def test_a_bad_configuration_is_shown_to_the_user_and_nothing_changes(vscode: LanguageClient, tmp_path):
    require_formatter()
    (tmp_path / "charl.toml").write_text("[format]\nline-width = 5\n", encoding="utf-8")
    uri = (tmp_path / "configured.ch").as_uri()
    vscode.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "charl", 1, MESSY))
    )
    options = types.FormattingOptions(tab_size=4, insert_spaces=True)
    edits = await answer(
        vscode.text_document_formatting_async(
            types.DocumentFormattingParams(types.TextDocumentIdentifier(uri), options)
        )
    )
    assert not edits
    for _ in range(50):  # the message is scheduled on the server's event loop after the answer
        if any("charl.toml" in message.message for message in vscode.messages):
            break
        await asyncio.sleep(0.05)
    assert any(
        message.type == types.MessageType.Warning and "line-width" in message.message
        for message in vscode.messages
    ), vscode.messages
