"""Fuzzing the server over the protocol: random edit sequences (insertions, deletions, pastes of real
code, unbalanced brackets, non-ASCII text, CRLF) with requests of every kind in between. The server never
crashes, answers every request within the watchdog, and its final diagnostics equal those of a fresh open
of the same text: incremental sync never drifts from the text the client holds.

Seeded and reproducible: a failure names its sequence's seed. `CHARL_FUZZ_SEQUENCES` sets how many
sequences run (default 1000, the pull client; plus a tenth of that with pushed diagnostics).
"""

from __future__ import annotations

import os
import random

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import ROOT, answer, edit, open_document, pushed_diagnostics, utf16_position

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEQUENCES = int(os.environ.get("CHARL_FUZZ_SEQUENCES", "1000"))
PROGRAMS = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").glob("*.ch"))]
FRAGMENTS = [
    "{", "}", "(", ")", "[", "]", "<", ">", ",", ";", "\n", "\r\n", "\"", "// ", " ", "    ",
    "let ", "fn ", "while ", "if x { ", "} else {", "return ", "for i in 0..3 {",
    "tensor_add(", "nn_linear(x, W, b)", "tensor<float32, [", "M, K]>", ": int", " -> ",
    "ñame", "日本", "🎉", "é", "\u200b", "x", "42", "3.5", "+", "@", "as float32",
]  # fmt: skip


def _position(text: str, index: int) -> types.Position:
    return utf16_position(text, index)


def _boundary(text: str, index: int) -> int:
    """Never between the two characters of a CRLF: clients do not address that point."""
    if 0 < index < len(text) and text[index - 1] == "\r" and text[index] == "\n":
        return index + 1
    return index


def _random_edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    start = _boundary(text, rng.randint(0, len(text)))
    kind = rng.random()
    if kind < 0.45:  # insertion
        end, inserted = start, "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 4)))
    elif kind < 0.75:  # deletion
        end, inserted = _boundary(text, min(len(text), start + rng.randint(1, 40))), ""
    elif kind < 0.9:  # paste of real code
        lines = rng.choice(PROGRAMS).split("\n")
        first = rng.randrange(len(lines))
        end, inserted = start, "\n".join(lines[first : first + rng.randint(1, 8)]) + "\n"
    else:  # replacement
        end = _boundary(text, min(len(text), start + rng.randint(1, 12)))
        inserted = rng.choice(FRAGMENTS)
    return start, end, inserted


async def _some_request(rng: random.Random, client: LanguageClient, uri: str, text: str) -> None:
    document = types.TextDocumentIdentifier(uri)
    position = _position(text, _boundary(text, rng.randint(0, len(text))))
    choice = rng.randrange(8)
    if choice == 0:
        request = client.text_document_hover_async(types.HoverParams(document, position))
    elif choice == 1:
        request = client.text_document_completion_async(types.CompletionParams(document, position))
    elif choice == 2:
        request = client.text_document_signature_help_async(types.SignatureHelpParams(document, position))
    elif choice == 3:
        request = client.text_document_definition_async(types.DefinitionParams(document, position))
    elif choice == 4:
        request = client.text_document_document_symbol_async(types.DocumentSymbolParams(document))
    elif choice == 5:
        request = client.text_document_document_highlight_async(
            types.DocumentHighlightParams(document, position)
        )
    elif choice == 6:
        request = client.text_document_references_async(
            types.ReferenceParams(
                text_document=document, position=position, context=types.ReferenceContext(True)
            )
        )
    else:
        request = client.text_document_prepare_rename_async(types.PrepareRenameParams(document, position))
    try:
        await answer(request)
    except TimeoutError:
        raise
    except Exception as error:  # a refusal (prepareRename) is an answer; anything else is not
        assert (
            "cannot be renamed" in str(error) or "no name here" in str(error) or "not declared" in str(error)
        ), error


def _key(diagnostics) -> list[tuple]:
    return [
        (
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.code,
            d.message,
        )
        for d in diagnostics
    ]


async def _pulled(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    report = await answer(
        client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
        )
    )
    return list(report.items)


async def _edit_sequence(client: LanguageClient, seed: int, requests: bool) -> tuple[str, str, str]:
    rng = random.Random(seed)
    lines = rng.choice(PROGRAMS).split("\n")
    first = rng.randrange(len(lines))
    text = "\n".join(lines[first : first + rng.randint(0, 25)])
    uri = open_document(client, f"fuzz_{seed}.ch", text)
    version = 1
    for _ in range(rng.randint(1, 12)):
        start, end, inserted = _random_edit(rng, text)
        version += 1
        first_point, last_point = _position(text, start), _position(text, end)
        edit(
            client,
            uri,
            version,
            (first_point.line, first_point.character),
            (last_point.line, last_point.character),
            inserted,
        )
        text = text[:start] + inserted + text[end:]
        if requests and rng.random() < 0.5:
            await _some_request(rng, client, uri, text)
    return uri, text, str(version)


def _close(client: LanguageClient, *uris: str) -> None:
    for uri in uris:
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))


async def test_fuzzed_edits_pulled_diagnostics_equal_a_fresh_open(neovim: LanguageClient):
    for seed in range(SEQUENCES):
        uri, text, _ = await _edit_sequence(neovim, seed, requests=True)
        fresh = open_document(neovim, f"fresh_{seed}.ch", text)
        edited, reopened = await _pulled(neovim, uri), await _pulled(neovim, fresh)
        assert _key(edited) == _key(reopened), f"seed {seed}: {text!r}"
        _close(neovim, uri, fresh)
    assert neovim._server.returncode is None, "the server died"


async def test_fuzzed_edits_published_diagnostics_equal_a_fresh_open(vscode: LanguageClient):
    for seed in range(SEQUENCES, SEQUENCES + max(SEQUENCES // 10, 1)):
        uri, text, version = await _edit_sequence(vscode, seed, requests=False)
        fresh = open_document(vscode, f"fresh_{seed}.ch", text)
        edited = await pushed_diagnostics(vscode, uri, int(version))
        reopened = await pushed_diagnostics(vscode, fresh, 1)
        assert _key(edited) == _key(reopened), f"seed {seed}: {text!r}"
        _close(vscode, uri, fresh)
    assert vscode._server.returncode is None, "the server died"
