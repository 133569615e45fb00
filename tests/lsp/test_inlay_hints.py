"""Inlay hints over stdio: shapes after tensor `let`s and loop-carried assignments, parameter names at
builtin calls, and `charl.inlayHints.*` read from the client through `workspace/configuration`."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import WATCHDOG_S, answer, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

TRAINING = (
    "let X = tensor_randn_seeded([40, 2], 1)\n"
    "let W = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)\n"
    "let b = tensor_requires_grad(tensor_zeros([16]), true)\n"
    "let opt = sgd_create(0.1)\n"
    "let epoch = 0\n"
    "while epoch < 3 {\n"
    "    let h = nn_relu(nn_linear(X, W, b))\n"
    "    let loss = nn_mse_loss(h, tensor_zeros([40, 16]))\n"
    "    tensor_backward(loss)\n"
    "    let u = sgd_step(opt, [W, b])\n"
    "    W = u[0]\n"
    "    b = u[1]\n"
    "    epoch = epoch + 1\n"
    "}\n"
)


async def hints(client: LanguageClient, uri: str, lines: int = 14) -> list[tuple[int, int, str, int]]:
    found = await answer(
        client.text_document_inlay_hint_async(
            types.InlayHintParams(
                types.TextDocumentIdentifier(uri), types.Range(types.Position(0, 0), types.Position(lines, 0))
            )
        )
    )
    return [(h.position.line, h.position.character, h.label, h.kind) for h in found]


async def test_capability(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.inlay_hint_provider


async def test_shapes_of_a_training_loop(vscode: LanguageClient):
    uri = open_document(vscode, "hints.ch", TRAINING)
    shapes = [
        (line, label) for line, _, label, kind in await hints(vscode, uri) if kind == types.InlayHintKind.Type
    ]
    # nn_linear: [40, 2] · [2, 16] + [16] → [40, 16]; nn_mse_loss of grad-requiring input → [1] (§6.7);
    # W and b keep the shapes of their parameters through sgd_step (§6.8).
    assert shapes == [
        (0, ": tensor<float32, [40, 2]>"),
        (1, ": tensor<float32, [2, 16]>"),
        (2, ": tensor<float32, [16]>"),
        (6, ": tensor<float32, [40, 16]>"),
        (7, ": tensor<float32, [1]>"),
        (10, ": tensor<float32, [2, 16]>"),
        (11, ": tensor<float32, [16]>"),
    ]


async def test_positions_and_parameter_names(vscode: LanguageClient):
    uri = open_document(vscode, "hints_params.ch", 'let é = 1\nlet t = tensor([1.0, 2.0], [2]) // "π"\n')
    found = await hints(vscode, uri, 2)
    assert found == [
        (1, 5, ": tensor<float32, [2]>", types.InlayHintKind.Type),
        (1, 15, "data:", types.InlayHintKind.Parameter),
        (1, 27, "shape:", types.InlayHintKind.Parameter),
    ]


async def test_settings_turn_hints_off(vscode: LanguageClient):
    uri = open_document(vscode, "hints_settings.ch", TRAINING)
    kinds = {kind for *_, kind in await hints(vscode, uri)}
    assert kinds == {types.InlayHintKind.Type, types.InlayHintKind.Parameter}
    vscode.set_configuration({"inlayHints": {"parameterNames": False}}, section="charl")
    try:
        vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

        async def settled() -> set:
            while True:  # the server fetches the settings asynchronously
                kinds = {kind for *_, kind in await hints(vscode, uri)}
                if types.InlayHintKind.Parameter not in kinds:
                    return kinds
                await asyncio.sleep(0.05)

        assert await asyncio.wait_for(settled(), WATCHDOG_S) == {types.InlayHintKind.Type}
    finally:
        vscode.set_configuration({}, section="charl")
        vscode.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
