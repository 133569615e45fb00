"""Semantic tokens over stdio: the legend, full results decoded back to text, range results, and deltas
that rebuild the new full result from the old one after an edit."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import answer, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROGRAM = (
    "fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]> {\n"
    "    tensor_matmul(a, b)\n"
    "}\n"
    "/* the\n   inputs */\n"
    'let é = tensor_zeros([2, 3]) // "π"\n'
    "let z = mm(é, tensor_ones([3, 4]))\n"
)


def decode(client: LanguageClient, text: str, data: list[int]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(text, type, modifiers) of each encoded token, positions read in UTF-16 units."""
    legend = client.initialize_result.capabilities.semantic_tokens_provider.legend
    lines = text.split("\n")
    found = []
    line = character = 0
    for index in range(0, len(data), 5):
        line_delta, start_delta, length, kind, bits = data[index : index + 5]
        line += line_delta
        character = start_delta if line_delta else character + start_delta
        units = lines[line].encode("utf-16-le")
        token = units[2 * character : 2 * (character + length)].decode("utf-16-le")
        modifiers = tuple(name for bit, name in enumerate(legend.token_modifiers) if bits >> bit & 1)
        found.append((token, legend.token_types[kind], modifiers))
    return found


async def full_tokens(client: LanguageClient, document: types.TextDocumentIdentifier) -> types.SemanticTokens:
    return await answer(client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(document)))


async def test_capability_announces_the_legend_full_delta_and_range(vscode: LanguageClient):
    provider = vscode.initialize_result.capabilities.semantic_tokens_provider
    assert provider is not None
    assert list(provider.legend.token_types) == [
        "function", "parameter", "variable", "type", "typeParameter", "keyword", "number", "string",
        "comment",
    ]  # fmt: skip
    assert list(provider.legend.token_modifiers) == ["declaration", "defaultLibrary", "readonly"]
    assert provider.full == types.SemanticTokensFullDelta(delta=True)
    assert provider.range is True


async def test_full_tokens_decode_to_the_program_text(vscode: LanguageClient):
    uri = open_document(vscode, "tokens_full.ch", PROGRAM)
    result = await answer(
        vscode.text_document_semantic_tokens_full_async(
            types.SemanticTokensParams(types.TextDocumentIdentifier(uri))
        )
    )
    tokens = decode(vscode, PROGRAM, result.data)
    assert tokens[:6] == [
        ("fn", "keyword", ()),
        ("mm", "function", ("declaration",)),
        ("a", "parameter", ("declaration",)),
        ("tensor", "type", ()),
        ("float32", "type", ()),
        ("M", "typeParameter", ()),
    ]
    assert ("tensor_matmul", "function", ("defaultLibrary",)) in tokens
    # a block comment over two lines comes back as one token per line
    assert ("/* the", "comment", ()) in tokens and ("   inputs */", "comment", ()) in tokens
    # UTF-16 columns: `é` is one unit, and the comment after it starts where the client expects
    assert ("é", "variable", ("declaration", "readonly")) in tokens
    assert ('// "π"', "comment", ()) in tokens
    assert tokens[-3:] == [
        ("tensor_ones", "function", ("defaultLibrary",)),
        ("3", "number", ()),
        ("4", "number", ()),
    ]


async def test_range_tokens_are_the_full_tokens_of_those_lines(vscode: LanguageClient):
    uri = open_document(vscode, "tokens_range.ch", PROGRAM)
    document = types.TextDocumentIdentifier(uri)
    full = await full_tokens(vscode, document)
    ranged = await answer(
        vscode.text_document_semantic_tokens_range_async(
            types.SemanticTokensRangeParams(document, types.Range(types.Position(5, 0), types.Position(6, 0)))
        )
    )
    line_five = [token for token in decode(vscode, PROGRAM, full.data) if token[0] in ("é", "tensor_zeros")]
    assert decode(vscode, PROGRAM, ranged.data)[:2] == [("let", "keyword", ()), line_five[0]]
    assert len(ranged.data) < len(full.data)


async def test_delta_after_an_edit_rebuilds_the_new_tokens(vscode: LanguageClient):
    uri = open_document(vscode, "tokens_delta.ch", PROGRAM)
    document = types.TextDocumentIdentifier(uri)
    first = await full_tokens(vscode, document)
    # rename the variable `z` to `zeta` and add a line that reassigns it (no longer readonly)
    edited = PROGRAM.replace("let z =", "let zeta =") + "zeta = 1\n"
    change = types.TextDocumentContentChangeWholeDocument(edited)
    vscode.text_document_did_change(
        types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(version=2, uri=uri), [change])
    )
    delta = await answer(
        vscode.text_document_semantic_tokens_full_delta_async(
            types.SemanticTokensDeltaParams(document, first.result_id)
        )
    )
    assert isinstance(delta, types.SemanticTokensDelta)
    rebuilt = list(first.data)
    for edit in sorted(delta.edits, key=lambda edit: edit.start, reverse=True):
        rebuilt[edit.start : edit.start + edit.delete_count] = edit.data or []
    fresh = await full_tokens(vscode, document)
    assert rebuilt == list(fresh.data)
    assert sum(len(edit.data or []) for edit in delta.edits) < len(fresh.data)
    tokens = decode(vscode, edited, fresh.data)
    assert ("zeta", "variable", ("declaration",)) in tokens


async def test_delta_with_an_unknown_previous_result_gets_full_tokens(vscode: LanguageClient):
    uri = open_document(vscode, "tokens_unknown.ch", "let x = 1\n")
    result = await answer(
        vscode.text_document_semantic_tokens_full_delta_async(
            types.SemanticTokensDeltaParams(types.TextDocumentIdentifier(uri), "no-such-result")
        )
    )
    assert isinstance(result, types.SemanticTokens)
    assert decode(vscode, "let x = 1\n", result.data) == [
        ("let", "keyword", ()),
        ("x", "variable", ("declaration", "readonly")),
        ("1", "number", ()),
    ]
