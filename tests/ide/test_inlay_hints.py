"""Inlay hints through `Analysis.inlay_hints`: the source with each hint written in at its place as
`⟨label⟩`. Shapes are checked against hand-computed shapes of the builtins' rules (LANGUAGE.md §8)."""

from __future__ import annotations

from charl_core.analysis import Analysis
from charl_core.ast import Span
from charl_core.ide.inlay_hints import HintKind, InlayHintOptions


def render(source: str, span: Span | None = None, options: InlayHintOptions | None = None) -> str:
    analysis = Analysis.of_text(source)
    text = analysis.source
    for hint in reversed(analysis.inlay_hints(span, options)):
        text = text[: hint.offset] + f"⟨{hint.label}⟩".encode() + text[hint.offset :]
    return text.decode()


def check(source: str, expected: str, options: InlayHintOptions | None = None) -> None:
    """`$0…$0` marks the requested range; without it, the whole text."""
    span = None
    if "$0" in source:
        before, inside, after = source.split("$0")
        start = len(before.encode())
        span = Span(start, start + len(inside.encode()))
        source = before + inside + after
    assert render(source, span, options) == expected


def test_shapes_after_tensor_lets_only():
    check(
        "let n = 4\nlet x = tensor_zeros([n, 3])\nlet y = tensor_matmul(x, tensor_ones([3, 5]))\n"
        "let z: tensor<float32, [4, 5]> = y\n",
        "let n = 4\nlet x⟨: tensor<float32, [4, 3]>⟩ = tensor_zeros([n, 3])\n"
        "let y⟨: tensor<float32, [4, 5]>⟩ = tensor_matmul(x, tensor_ones([3, 5]))\n"
        "let z: tensor<float32, [4, 5]> = y\n",
        InlayHintOptions(parameter_names=False),
    )


def test_loop_carried_assignments_get_the_shape_of_their_value():
    check(
        "let W = tensor_requires_grad(tensor_zeros([2, 3]), true)\n"
        "let i = 0\n"
        "while i < 2 {\n"
        "    let u = sgd_step(sgd_create(0.1), [W])\n"
        "    W = u[0]\n"
        "    let fresh = tensor_zeros([1])\n"
        "    fresh = tensor_ones([1])\n"
        "    i = i + 1\n"
        "}\n",
        "let W⟨: tensor<float32, [2, 3]>⟩ = tensor_requires_grad(tensor_zeros([2, 3]), true)\n"
        "let i = 0\n"
        "while i < 2 {\n"
        "    let u = sgd_step(sgd_create(0.1), [W])\n"
        "    W⟨: tensor<float32, [2, 3]>⟩ = u[0]\n"
        "    let fresh⟨: tensor<float32, [1]>⟩ = tensor_zeros([1])\n"
        "    fresh = tensor_ones([1])\n"
        "    i = i + 1\n"
        "}\n",
        InlayHintOptions(parameter_names=False),
    )


def test_gpu_tensors_are_labelled_as_such():
    check(
        "let g = tensor_to_gpu(tensor_zeros([2, 3]))\n",
        "let g⟨: gpu_tensor<float32, [2, 3]>⟩ = tensor_to_gpu(tensor_zeros([2, 3]))\n",
        InlayHintOptions(parameter_names=False),
    )


def test_parameter_names_at_builtin_calls():
    check(
        "let xs = [1.0, 2.0, 3.0, 4.0]\nlet shape = [2, 2]\nlet t = tensor(xs, shape)\n"
        "print(nn_relu(t), tensor_reshape(t, [4]))\n",
        "let xs = [1.0, 2.0, 3.0, 4.0]\nlet shape = [2, 2]\nlet t = tensor(⟨data:⟩xs, shape)\n"
        "print(nn_relu(t), tensor_reshape(⟨tensor:⟩t, ⟨shape:⟩[4]))\n",
        InlayHintOptions(shapes=False),
    )


def test_a_user_function_shadowed_by_nothing_gets_no_parameter_names():
    check(
        "fn scale(t: tensor, k: float) { t }\nscale(tensor_zeros([2]), 2.0)\n",
        "fn scale(t: tensor, k: float) { t }\nscale(tensor_zeros([2]), 2.0)\n",
    )


def test_range_limits_the_hints():
    check(
        "let a = tensor_zeros([1])\n$0let b = tensor_zeros([2])\n$0let c = tensor_zeros([3])\n",
        "let a = tensor_zeros([1])\nlet b⟨: tensor<float32, [2]>⟩ = tensor_zeros([2])\n"
        "let c = tensor_zeros([3])\n",
    )


def test_shapes_of_a_real_training_program():
    source = (
        "let X = tensor_randn_seeded([40, 2], 1)\n"
        "let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)\n"
        "let b1 = tensor_requires_grad(tensor_zeros([16]), true)\n"
        "let h = nn_relu(nn_linear(X, W1, b1))\n"
        "let s = tensor_sum(h)\n"
    )
    analysis = Analysis.of_text(source)
    hints = [h for h in analysis.inlay_hints() if h.kind is HintKind.TYPE]
    # nn_linear: [40, 2] x [2, 16] + [16] -> [40, 16]; tensor_sum returns a float: no hint (§8.4).
    assert [h.label for h in hints] == [
        ": tensor<float32, [40, 2]>",
        ": tensor<float32, [2, 16]>",
        ": tensor<float32, [16]>",
        ": tensor<float32, [40, 16]>",
    ]
    assert hints[1].tooltip == "tensor<float32, [2, 16]>, requires grad"


def test_broken_text_has_parameter_names_but_no_shapes():
    check("let t = tensor([1.0], [1])\nlet u = (\n", "let t = tensor(⟨data:⟩[1.0], ⟨shape:⟩[1])\nlet u = (\n")
