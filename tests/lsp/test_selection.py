"""Selection ranges over stdio: the chain of parents from the cursor out to the whole file, in UTF-16."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import answer, cursor, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")


def text_of(text: str, selection: types.Range) -> str:
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        units = lines[position.line].encode("utf-16-le")[: 2 * position.character]
        return before + len(units.decode("utf-16-le"))

    return text[offset(selection.start) : offset(selection.end)]


async def test_capability(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.selection_range_provider


async def test_expanding_from_an_argument(vscode: LanguageClient):
    text, position = cursor('let é = "π"\nprint(é, tensor_zeros([2, $03]))\n')
    uri = open_document(vscode, "selection.ch", text)
    found = await answer(
        vscode.text_document_selection_range_async(
            types.SelectionRangeParams(types.TextDocumentIdentifier(uri), [position, types.Position(0, 4)])
        )
    )
    assert len(found) == 2
    chain, selection = [], found[0]
    while selection is not None:
        chain.append(text_of(text, selection.range))
        selection = selection.parent
    assert chain == [
        "3",
        "2, 3",
        "[2, 3]",
        "([2, 3])",
        "tensor_zeros([2, 3])",
        "é, tensor_zeros([2, 3])",
        "(é, tensor_zeros([2, 3]))",
        "print(é, tensor_zeros([2, 3]))",
        text,
    ]
    assert text_of(text, found[1].range) == "é"
