"""Hover, completion and signature help over stdio, on real Charl programs; each test first checks that the
capability is announced."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from charl_core.testing.programs import generate_large_program
from tests.lsp.conftest import ROOT, answer, cursor, open_document, utf16_position

pytestmark = pytest.mark.asyncio(loop_scope="module")

MLP = (ROOT / "examples" / "mlp_classifier.ch").read_text(encoding="utf-8")

MATMUL = """fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]> {
    return tensor_matmul(a, b)
}
let x = tensor_randn([16, 32])
let w = tensor_zeros([32, 8])
let y = mm(x, w)
let z = tensor_relu(y)
print(z)
"""


async def hover_at(client: LanguageClient, name: str, source: str) -> types.Hover | None:
    text, position = cursor(source)
    uri = open_document(client, name, text)
    return await answer(
        client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), position))
    )


async def test_hover_shows_tensor_shape_and_grad_state(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.hover_provider
    found = await hover_at(vscode, "hover_y.ch", MATMUL.replace("let y =", "let $0y ="))
    assert found is not None
    assert "let y: tensor<float32, [16, 8]>" in found.contents.value
    assert "requires grad: **no**" in found.contents.value
    assert found.range == types.Range(types.Position(5, 4), types.Position(5, 5))


async def test_hover_on_parameter_names_where_dimensions_were_bound(vscode: LanguageClient):
    found = await hover_at(vscode, "hover_a.ch", MATMUL.replace("fn mm(a:", "fn mm($0a:"))
    value = found.contents.value
    assert "a: tensor<float32, [M, K]>" in value
    assert "`M` bound at line 1" in value and "`K` bound at line 1" in value


async def test_hover_on_builtin_shows_catalog_documentation(vscode: LanguageClient):
    found = await hover_at(vscode, "hover_relu.ch", MATMUL.replace("tensor_relu(y)", "tensor_re$0lu(y)"))
    value = found.contents.value
    assert "tensor_relu(tensor)" in value
    assert "LANGUAGE.md §8.5" in value and "returns `tensor<float32, [16, 8]>`" in value
    assert "Example:" in value and "cuts the graph" in value


async def test_hover_on_function_shows_its_signature_and_per_call_types(vscode: LanguageClient):
    source = MATMUL.replace("= mm(x", "= m$0m(x") + "let q = mm(tensor_ones([2, 16]), x)\n"
    found = await hover_at(vscode, "hover_mm.ch", source)
    value = found.contents.value
    assert "fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]>" in value
    assert (
        "line 6: mm(tensor<float32, [16, 32]>, tensor<float32, [32, 8]>) -> tensor<float32, [16, 8]>" in value
    )
    assert (
        "line 9: mm(tensor<float32, [2, 16]>, tensor<float32, [16, 32]>) -> tensor<float32, [2, 32]>" in value
    )


async def test_hover_on_expression_in_real_program(vscode: LanguageClient):
    source = MLP.replace("let logits = nn_linear(h, W2, b2)", "let logits = nn_linear($0h, W2, b2)")
    found = await hover_at(vscode, "hover_mlp.ch", source)
    assert "tensor<float32, [40, 16]>" in found.contents.value


async def test_hover_in_whitespace_or_comment_is_empty(vscode: LanguageClient):
    assert await hover_at(vscode, "hover_comment.ch", "// a $0comment\nlet x = 1\n") is None


async def complete_at(client: LanguageClient, name: str, source: str) -> types.CompletionList:
    text, position = cursor(source)
    uri = open_document(client, name, text)
    return await answer(
        client.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(uri), position)
        )
    )


async def test_completion_offers_scoped_names_builtins_and_keywords(vscode: LanguageClient):
    options = vscode.initialize_result.capabilities.completion_provider
    assert options is not None and options.resolve_provider
    found = await complete_at(vscode, "complete.ch", "let weights = tensor_zeros([2, 2])\nprint($0)\n")
    labels = {item.label for item in found.items}
    assert {"weights", "tensor_zeros", "nn_linear", "if", "autograd"} <= labels
    weights = next(item for item in found.items if item.label == "weights")
    assert weights.detail == "tensor<float32, [2, 2]>"
    zeros = next(item for item in found.items if item.label == "tensor_zeros")
    assert zeros.insert_text_format == types.InsertTextFormat.Snippet
    assert zeros.text_edit.new_text == "tensor_zeros(${1:shape})$0"


async def test_completion_ranks_and_narrows_by_the_typed_prefix(vscode: LanguageClient):
    source = "let weights = tensor_zeros([2, 2])\nlet wall = 1\nlet out = we$0\n"
    found = await complete_at(vscode, "complete_prefix.ch", source)
    labels = [item.label for item in sorted(found.items, key=lambda item: item.sort_text)]
    assert labels[0] == "weights", "a name in scope that starts with the prefix ranks first"
    assert "if" not in labels and "wall" not in labels, "labels without `w…e` in order are left out"
    assert "quantize_model_weights" in labels  # `we` as a subsequence: editors match fuzzily
    weights = next(item for item in found.items if item.label == "weights")
    assert weights.text_edit.range == types.Range(types.Position(2, 10), types.Position(2, 12))


async def test_completion_in_a_large_file_sends_the_best_items_and_says_there_are_more(
    vscode: LanguageClient,
):
    text = generate_large_program(3_000, seed=2)
    last = text.rstrip("\n").rsplit("\n", 1)[0].count("\n") + 1
    source = "\n".join(text.split("\n")[:last]) + "\nprint($0)\n"
    found = await complete_at(vscode, "complete_large.ch", source)
    assert found.is_incomplete and len(found.items) == 400
    assert all(item.data is None for item in found.items), "names in scope outrank builtins"
    narrowed = await complete_at(vscode, "complete_large_prefix.ch", source.replace("$0", "tensor_ze$0"))
    assert "tensor_zeros" in {item.label for item in narrowed.items}


async def test_completion_resolve_adds_documentation(vscode: LanguageClient):
    text, position = cursor("let y = nn_$0\n")
    uri = open_document(vscode, "resolve.ch", text)
    found = await answer(
        vscode.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(uri), position)
        )
    )
    linear = next(item for item in found.items if item.label == "nn_linear")
    assert linear.documentation is None, "documentation waits for resolve"
    resolved = await answer(vscode.completion_item_resolve_async(linear))
    assert "nn_linear(" in resolved.documentation.value and "LANGUAGE.md §8.6" in resolved.documentation.value


async def test_completion_in_type_position_offers_dtypes(vscode: LanguageClient):
    text, position = cursor("let t: tensor<$0\n")
    uri = open_document(vscode, "types.ch", text)
    found = await answer(
        vscode.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(uri), position)
        )
    )
    labels = {item.label for item in found.items}
    assert {"float32", "int64"} <= labels and "tensor_zeros" not in labels


async def test_completion_in_a_shape_offers_the_annotation_dimensions(vscode: LanguageClient):
    found = await complete_at(vscode, "dimensions.ch", "let t: tensor<float32, [Rows, $0\n")
    labels = {item.label for item in found.items}
    assert labels == {"Rows", "_"}


async def test_signature_help_tracks_the_active_parameter(vscode: LanguageClient):
    options = vscode.initialize_result.capabilities.signature_help_provider
    assert "(" in options.trigger_characters
    text = MATMUL + "let q = mm(x, \n"
    uri = open_document(vscode, "signature.ch", text)
    position = utf16_position(text, len(text) - 1)
    found = await answer(
        vscode.text_document_signature_help_async(
            types.SignatureHelpParams(types.TextDocumentIdentifier(uri), position)
        )
    )
    signature = found.signatures[found.active_signature]
    assert signature.label.startswith("mm(a: tensor<float32, [M, K]>, b:")
    assert found.active_parameter == 1
    start, end = signature.parameters[1].label
    assert signature.label[start:end].startswith("b")


async def test_signature_help_for_builtin(vscode: LanguageClient):
    text, position = cursor("let a = tensor_add(tensor_zeros([2]), $0\n")
    uri = open_document(vscode, "signature_builtin.ch", text)
    found = await answer(
        vscode.text_document_signature_help_async(
            types.SignatureHelpParams(types.TextDocumentIdentifier(uri), position)
        )
    )
    assert found.signatures[0].label == "tensor_add(a, b)" and found.active_parameter == 1
    assert "Element-wise sum" in found.signatures[0].documentation.value
