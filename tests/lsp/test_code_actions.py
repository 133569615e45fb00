"""Code actions over stdio: the W202 quick fix on a real training loop, applied by the client, makes the
server publish diagnostics without W202; `only` filters kinds; the refactor adds the inferred shape."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import answer, cursor, open_document, pushed_diagnostics

pytestmark = pytest.mark.asyncio(loop_scope="module")

TRAINING = """let W = tensor_requires_grad(tensor_randn_seeded([2, 2], 1), true)
let b = tensor_requires_grad(tensor_zeros([2]), true)
let x = tensor_randn_seeded([3, 2], 2)
let i = 0
while i < 3 {
    let h = tensor_relu(nn_linear(x, W, b))
    let loss = nn_mse_loss(h, x)
    tensor_backward(loss)
    i = i + 1
}
"""


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply edits given in UTF-16 positions (ASCII texts here: one unit per character)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda edit: offset(edit.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def actions(
    client: LanguageClient, uri: str, where: types.Range, sent: list[types.Diagnostic], only=None
) -> list[types.CodeAction]:
    return await answer(
        client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri), where, types.CodeActionContext(sent, only=only)
            )
        )
    )


async def test_capability_lists_the_kinds(vscode: LanguageClient):
    provider = vscode.initialize_result.capabilities.code_action_provider
    assert set(provider.code_action_kinds) == {
        types.CodeActionKind.QuickFix,
        types.CodeActionKind.RefactorRewrite,
    }


async def test_w202_fix_applied_by_the_client_clears_the_warning(vscode: LanguageClient):
    uri = open_document(vscode, "w202.ch", TRAINING)
    found = await pushed_diagnostics(vscode, uri, 1)
    w202 = next(d for d in found if d.code == "W202")
    assert w202.data == {"builtin": "tensor_relu", "replacement": "nn_relu"}
    offered = await actions(vscode, uri, w202.range, [w202], only=[types.CodeActionKind.QuickFix])
    fix = next(a for a in offered if a.title == "Replace tensor_relu with nn_relu (records gradients)")
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert list(fix.diagnostics) == [w202]
    fixed = apply(TRAINING, fix.edit.changes[uri])
    assert fixed == TRAINING.replace("tensor_relu", "nn_relu")
    vscode.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(fixed)],
        )
    )
    after = await pushed_diagnostics(vscode, uri, 2)
    assert not [d for d in after if d.code == "W202" or d.severity == types.DiagnosticSeverity.Error]


async def test_did_you_mean_and_the_annotation_refactor(vscode: LanguageClient):
    text, position = cursor("let $0weights = tensor_zeros([4, 3])\nprint(weigths)\n")
    uri = open_document(vscode, "e101.ch", text)
    found = await pushed_diagnostics(vscode, uri, 1)
    e101 = next(d for d in found if d.code == "E101")
    offered = await actions(vscode, uri, e101.range, found)
    assert [a.title for a in offered] == ["Change to 'weights'"]
    assert apply(text, offered[0].edit.changes[uri]) == text.replace("weigths", "weights")
    refactors = await actions(
        vscode, uri, types.Range(position, position), [], only=[types.CodeActionKind.Refactor]
    )
    assert [a.title for a in refactors] == ["Add type annotation: tensor<float32, [4, 3]>"]
    annotated = apply(text, refactors[0].edit.changes[uri])
    assert annotated.startswith("let weights: tensor<float32, [4, 3]> = tensor_zeros([4, 3])\n")
