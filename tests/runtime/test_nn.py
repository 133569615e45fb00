"""§8.5–§8.6: activations, `nn_linear`, `nn_embedding` and the losses. Tracked ones are checked forward
against NumPy and backward against finite differences; the §6.9 evaluation order is checked bit for bit
against pure-Python loops over `math`."""

from __future__ import annotations

import math

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.ir.ops import Op
from charl_core.runtime import autograd
from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor
from tests.runtime.optest import call, check_op, new_context, tensor


def numpy_linear(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return x @ w + b


def numpy_softmax_rows(z: np.ndarray) -> np.ndarray:
    rows = z.reshape(-1, z.shape[-1])
    e = np.exp(rows - rows.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def clip(p: np.ndarray) -> np.ndarray:
    return np.clip(p, 1e-10, 1.0 - 1e-10)


@pytest.mark.parametrize("x_shape", [(3,), (4, 3)])
def test_linear(x_shape: tuple) -> None:
    check_op([x_shape, (3, 2), (2,)], lambda ctx, x, w, b: call(ctx, "nn_linear", x, w, b), numpy_linear)


def test_relu_and_sigmoid() -> None:
    check_op([(2, 3)], lambda ctx, x: call(ctx, "nn_relu", x), lambda x: np.where(x > 0, x, 0.0))
    check_op([(5,)], lambda ctx, x: call(ctx, "nn_sigmoid", x), lambda x: 1.0 / (1.0 + np.exp(-x)))


def test_embedding_gradient_accumulates_repeated_rows() -> None:
    indices = np.array([2.0, 0.0, 2.0, 3.9])
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(4, 3))
    check_op(
        [],
        lambda ctx, idx, m: call(ctx, "nn_embedding", idx, m),
        lambda idx, m: m[idx.astype(int)],
        inputs=[indices, matrix],
        grad_inputs=[1],
    )


def test_losses_as_graph_roots() -> None:
    rng = np.random.default_rng(2)
    p = rng.uniform(0.1, 0.9, size=(2, 3))
    t = rng.uniform(0.0, 1.0, size=(2, 3))
    check_op(
        [],
        lambda ctx, a, b: call(ctx, "loss_mse", a, b),
        lambda a, b: np.mean((a - b) ** 2),
        inputs=[p, t],
        grad_inputs=[0],
        is_loss=True,
    )
    check_op(
        [],
        lambda ctx, a, b: call(ctx, "loss_cross_entropy", a, b),
        lambda a, b: np.mean(-b * np.log(clip(a))),
        inputs=[p, t],
        grad_inputs=[0],
        is_loss=True,
    )


@pytest.mark.parametrize("shape", [(4,), (3, 4)])
def test_cross_entropy_logits_tracked_is_row_wise(shape: tuple) -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=shape)
    t = np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[0] if len(shape) == 2 else 1)].reshape(shape)
    rows = shape[0] if len(shape) == 2 else 1
    check_op(
        [],
        lambda ctx, a, b: call(ctx, "nn_cross_entropy_logits", a, b),
        lambda a, b: np.sum(-b * np.log(clip(numpy_softmax_rows(a).reshape(a.shape)))) / rows,
        inputs=[z, t],
        grad_inputs=[0],
        is_loss=True,
    )


def test_catalog_gradient_slots() -> None:
    expected = {
        "nn_linear": Op.LINEAR,
        "nn_relu": Op.RELU,
        "nn_sigmoid": Op.SIGMOID,
        "nn_embedding": Op.EMBEDDING,
        "loss_mse": Op.MSE_LOSS,
        "nn_cross_entropy": Op.CROSS_ENTROPY_LOSS,
        "nn_cross_entropy_logits": Op.CROSS_ENTROPY_LOGITS_LOSS,
    }
    for name, op in expected.items():
        assert lookup(name).gradient is op, name
        assert op in autograd.RULES
    assert lookup("nn_tanh").gradient is None and lookup("tensor_relu").gradient is None


def test_linear_is_bit_exact_with_a_sequential_loop() -> None:
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(3, 5)), rng.normal(size=(5, 4)), rng.normal(size=4)
    result = call(new_context(), "nn_linear", tensor(x, x.shape), tensor(w, w.shape), tensor(b))
    expected = []
    for i in range(3):
        for j in range(4):
            acc = 0.0
            for k in range(5):
                acc += x[i, k] * w[k, j]
            expected.append(acc + b[j])
    assert result.data.tolist() == expected


def test_linear_gradient_is_bit_exact_with_sequential_loops() -> None:
    """§6.6 Linear: dW[i, j] = Σ_k x[k, i] * g[k, j] with g = 2/n (y - t) from the MSE root."""
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)
    ctx = new_context()
    weight = tensor(w, w.shape, grad=True)
    y = call(ctx, "nn_linear", tensor(x, x.shape), weight, tensor(b))
    target = np.zeros(6)
    autograd.backward(ctx, call(ctx, "loss_mse", y, tensor(target, (3, 2))))
    g = [2.0 / 6 * (v - 0.0) for v in y.data.tolist()]
    expected = []
    for i in range(2):
        for j in range(2):
            acc = 0.0
            for k in range(3):
                acc += x[k, i] * g[k * 2 + j]
            expected.append(0.0 + acc)
    assert autograd.gradient_of(ctx, weight).tolist() == expected


def test_activation_formulas_are_bit_exact_with_libm() -> None:
    values = [-3.0, -0.7, -1e-3, 0.0, 0.25, 1.3, 4.0]
    ctx = new_context()
    x = tensor(values)
    c = math.sqrt(2.0 / math.pi)
    formulas = {
        "nn_sigmoid": lambda v: 1.0 / (1.0 + math.exp(-v)),
        "nn_tanh": math.tanh,
        "nn_gelu": lambda v: 0.5 * v * (1.0 + math.tanh(c * (v + 0.044715 * (v * (v * v))))),
        "tensor_relu": lambda v: v if v > 0.0 else 0.0,
    }
    for name, formula in formulas.items():
        assert call(ctx, name, x).data.tolist() == [formula(v) for v in values], name
    assert call(ctx, "nn_leaky_relu", x, 0.1).data.tolist() == [v if v > 0 else 0.1 * v for v in values]
    assert call(ctx, "nn_elu", x, 0.5).data.tolist() == [
        v if v > 0 else 0.5 * (math.exp(v) - 1.0) for v in values
    ]


def test_softmax_is_over_all_elements_and_bit_exact() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    m = max(values)
    e = [math.exp(v - m) for v in values]
    total = 0.0
    for v in e:
        total += v
    result = call(new_context(), "nn_softmax", tensor(values, (2, 2)))
    assert result.shape == (2, 2) and result.data.tolist() == [v / total for v in e]


def test_relu_of_nan_is_zero() -> None:
    assert call(new_context(), "nn_relu", tensor([math.nan])).data.tolist() == [0.0]


def test_only_nn_relu_and_nn_sigmoid_are_tracked() -> None:
    ctx = new_context()
    x = tensor([0.5, -0.5], grad=True)
    for name in ("nn_relu", "nn_sigmoid"):
        assert call(ctx, name, x).requires_grad
    for name in ("nn_tanh", "nn_softmax", "nn_gelu", "tensor_relu", "tensor_sigmoid", "tensor_softmax"):
        assert not call(ctx, name, x).requires_grad, name


def test_gpu_activations_follow_the_catalog() -> None:
    ctx = new_context()
    x = GpuTensor(np.array([-1.0, 2.0]), (2,))
    for name in ("nn_relu", "nn_sigmoid", "nn_tanh", "nn_softmax", "tensor_gelu"):
        assert isinstance(call(ctx, name, x), GpuTensor), name
    assert type(call(ctx, "nn_gelu", x)) is Tensor
    assert type(call(ctx, "nn_elu", x, 1.0)) is Tensor
    w = GpuTensor(np.array([1.0, 0.0, 0.0, 1.0]), (2, 2))
    assert isinstance(call(ctx, "nn_linear", x, w, GpuTensor(np.zeros(2), (2,))), GpuTensor)


def test_loss_kind_depends_on_the_prediction() -> None:
    ctx = new_context()
    p, t = tensor([2.5, 3.0, 1.5]), tensor([2.0, 3.5, 1.0])
    assert call(ctx, "loss_mse", p, t) == 0.25
    tracked = call(ctx, "nn_mse_loss", tensor([2.5, 3.0, 1.5], grad=True), t)
    assert tracked.text() == "AutogradTensor([0.25], shape=[1])" and tracked.grad.tolist() == [1.0]
    assert type(call(ctx, "loss_mse", p, tensor([2.0, 3.5, 1.0], grad=True))) is float


def test_untracked_logits_loss_uses_one_global_softmax() -> None:
    z = np.array([2.0, 1.0, 0.5, 3.0])
    t = np.array([1.0, 0.0, 0.0, 1.0])
    value = call(new_context(), "nn_cross_entropy_logits", tensor(z, (2, 2)), tensor(t, (2, 2)))
    e = np.exp(z - z.max())
    assert value == pytest.approx(np.sum(-t * np.log(e / e.sum())) / 4, rel=1e-14)


def test_embedding_values_and_tracking() -> None:
    ctx = new_context()
    table = tensor([0.0, 0.1, 1.0, 1.1, 2.0, 2.1], (3, 2))
    looked = call(ctx, "nn_embedding", tensor([1.9, -1.0, 2.0], (3,)), table)
    assert looked.text() == "AutogradTensor([1.0, 1.1, 0.0, 0.1, 2.0, 2.1], shape=[3, 2])"
    assert not looked.requires_grad
    assert call(ctx, "nn_embedding", tensor([0.0]), tensor([1.0, 2.0], (1, 2), grad=True)).requires_grad


def test_linear_create_and_forward_on_legacy_tensors() -> None:
    ctx = new_context()
    layer = call(ctx, "nn_linear_create", 4, 2)
    assert layer.text() == "Linear(4 → 2)"
    out = call(ctx, "nn_linear_forward", layer, LegacyTensor(np.ones(4), (4,)))
    assert isinstance(out, LegacyTensor) and out.shape == (2,)


LINEAR_X = tensor([1.0, 1.0, 1.0])
LINEAR_W = tensor([0.0] * 6, (2, 3))
MIX = "Cannot mix CPU and GPU tensors. Use tensor_to_gpu() or tensor_to_cpu() to convert first."


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        (
            "nn_linear",
            (LINEAR_X, LINEAR_W, tensor([0.0] * 3)),
            "nn_linear(): input features 3 doesn't match weight input 2",
        ),
        (
            "nn_linear",
            (tensor([1.0, 1.0], grad=True), LINEAR_W, tensor([0.0] * 4)),
            "linear(): bias size 4 doesn't match output features 3",
        ),
        (
            "nn_linear",
            (tensor([0.0] * 3, (1, 3)), tensor([0.0] * 3), tensor([0.0] * 2)),
            "nn_linear(): invalid shapes - input: [1, 3], weight: [3], bias: [2]",
        ),
        ("nn_linear", (GpuTensor(np.zeros(2), (2,)), LINEAR_W, tensor([0.0] * 3)), f"nn_linear(): {MIX}"),
        (
            "nn_embedding",
            (tensor([7.0]), tensor([0.0] * 10, (5, 2))),
            "nn_embedding(): index 7 out of range [0, 5)",
        ),
        (
            "nn_embedding",
            (tensor([5.0]), tensor([0.0] * 10, (5, 2), grad=True)),
            "embedding(): index 5 out of range [0, 5)",
        ),
        (
            "loss_mse",
            (tensor([1.0, 2.0]), tensor([1.0])),
            "loss_mse(): shape mismatch - pred: [2], target: [1]",
        ),
        (
            "nn_binary_cross_entropy",
            (tensor([0.5]), tensor([1.0, 0.0])),
            "loss_cross_entropy(): shape mismatch - pred: [1], target: [2]",
        ),
        (
            "nn_cross_entropy_logits",
            (tensor([0.5]), tensor([1.0, 0.0])),
            "nn_cross_entropy_logits(): shape mismatch - logits: [1], target: [2]",
        ),
        (
            "nn_cross_entropy_logits",
            (tensor([0.0] * 8, (2, 2, 2), grad=True), tensor([0.0] * 8, (2, 2, 2))),
            "cross_entropy_loss_with_logits() expects 1D or 2D tensor",
        ),
        ("nn_relu", (1.0,), "nn_relu() expects a tensor, got float"),
        ("nn_leaky_relu", (LINEAR_X, "a"), "Cannot convert string to float"),
    ],
)
def test_error_messages(name: str, args: tuple, message: str) -> None:
    with pytest.raises(CharlError) as raised:
        call(new_context(), name, *args)
    assert raised.value.message == message


def test_linear_forward_accepts_only_legacy_tensors() -> None:
    ctx = new_context()
    layer = call(ctx, "nn_linear_create", 3, 1)
    with pytest.raises(CharlError) as raised:
        call(ctx, "nn_linear_forward", layer, LINEAR_X)
    assert raised.value.message == "nn_linear_forward: second argument must be a Tensor"
