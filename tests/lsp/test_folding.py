"""Folding ranges over stdio on a real training program: blocks, a comment run and a region."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import ROOT, answer, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def folds(client: LanguageClient, name: str, text: str) -> list[tuple[int, int, str | None]]:
    uri = open_document(client, name, text)
    found = await answer(
        client.text_document_folding_range_async(types.FoldingRangeParams(types.TextDocumentIdentifier(uri)))
    )
    return [(f.start_line, f.end_line, str(f.kind) if f.kind else None) for f in found]


async def test_capability(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.folding_range_provider


async def test_blocks_comments_and_regions(vscode: LanguageClient):
    text = (
        "// #region data\n"  # 0
        "// Two points per sample,\n"  # 1
        "// one label each.\n"  # 2
        "let xs = [0.0; 8]\n"  # 3
        "// #endregion\n"  # 4
        "let i = 0\n"  # 5
        "while i < 4 {\n"  # 6
        "    if i > 1 {\n"  # 7
        "        xs[i] = 1.0\n"  # 8
        "    }\n"  # 9
        "    i = i + 1\n"  # 10
        "}\n"  # 11
    )
    assert await folds(vscode, "folds.ch", text) == [
        (0, 4, "region"),
        (1, 2, "comment"),
        (6, 10, None),
        (7, 8, None),
    ]


async def test_every_fold_of_an_example_is_within_the_file(vscode: LanguageClient):
    text = (ROOT / "examples" / "mlp_classifier.ch").read_text()
    found = await folds(vscode, "mlp_folds.ch", text)
    last = text.count("\n")
    assert found and all(0 <= start < end <= last for start, end, _ in found)
    assert len({start for start, _, _ in found}) == len(found)  # one fold per start line
    assert (6, 17, None) in found  # the data-generation `while` loop, up to its `}` line (exclusive)
