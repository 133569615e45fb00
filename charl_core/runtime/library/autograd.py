"""LANGUAGE.md §8.7: flagging tensors, `tensor_backward`, reading and setting gradients, and the manual
gradient helpers. The graph itself and the gradient rules are `runtime/autograd.py`.

Gradients are read from the graph node with the tensor's id first and from the value's own buffer only when
the id is absent (§6.2); `tensor_zero_grad` and `tensor_set_grad` therefore touch different buffers, and
programs print the difference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from charl_core.runtime import autograd, kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor, float_array, ieee_arithmetic, to_float
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor

NO_GRADIENT = "Tensor doesn't have gradients. Call backward() first or use tensor_with_grad()."


@implements("tensor_requires_grad")
@ieee_arithmetic
def tensor_requires_grad(ctx: Any, args: list) -> Tensor:
    """A copy with the flag set and the same id; enabling allocates a zero own gradient if there is none.
    Nothing is inserted in the graph (the next tracked op does that)."""
    t, enabled = args
    if not isinstance(t, Tensor) or isinstance(t, GpuTensor) or type(enabled) is not bool:
        raise CharlError("tensor_requires_grad() expects (tensor, bool)")
    grad = t.grad
    if enabled and grad is None:
        grad = np.zeros(t.size)
    return t.copy_with(requires_grad=enabled, grad=grad)


@implements("tensor_backward")
@ieee_arithmetic
def tensor_backward(ctx: Any, args: list) -> None:
    autograd.backward(ctx, args[0])


@implements("tensor_grad")
@ieee_arithmetic
def tensor_grad(ctx: Any, args: list) -> LegacyTensor:
    t = expect_tensor("tensor_grad", args[0])
    gradient = autograd.gradient_of(ctx, t)
    if gradient is None:
        raise CharlError(NO_GRADIENT)
    return LegacyTensor(gradient.copy(), t.shape)


@implements("tensor_zero_grad")
@ieee_arithmetic
def tensor_zero_grad(ctx: Any, args: list) -> Tensor:
    """Zeroes the graph node's buffer (nothing if the id is absent); the value's own buffer is kept."""
    t = expect_tensor("tensor_zero_grad", args[0])
    node = autograd.graph_of(ctx).get(t.id)
    if node is not None and node.grad is not None:
        node.grad = np.zeros(node.grad.shape[0])
    return t


@implements("tensor_set_grad")
@ieee_arithmetic
def tensor_set_grad(ctx: Any, args: list) -> Tensor:
    t = expect_tensor("tensor_set_grad", args[0])
    gradient = float_array(args[1])
    if gradient.shape[0] != t.size:
        raise CharlError(
            f"tensor_set_grad(): gradient size {gradient.shape[0]} doesn't match tensor size {t.size}"
        )
    return t.copy_with(grad=gradient)


def _gradient_values(builtin: str, value: Any) -> np.ndarray:
    """A gradient given as a tensor, a legacy tensor (what `tensor_grad` returns) or an array of numbers."""
    if isinstance(value, LegacyTensor) or (isinstance(value, Tensor) and not isinstance(value, GpuTensor)):
        return value.data
    if type(value) is list:
        return float_array(value)
    return expect_tensor(builtin, value).data


@implements("tensor_update_inplace")
@ieee_arithmetic
def tensor_update_inplace(ctx: Any, args: list) -> Tensor:
    """`p - lr * g` as a fresh grad-requiring leaf inserted in the graph; nothing changes in place."""
    param = expect_tensor("tensor_update_inplace", args[0])
    gradient = _gradient_values("tensor_update_inplace", args[1])
    rate = to_float(args[2])
    if gradient.shape[0] != param.size:
        raise CharlError(
            f"tensor_update_inplace(): gradient size {gradient.shape[0]} doesn't match parameter size "
            f"{param.size}"
        )
    return autograd.new_leaf(ctx, param.data - rate * gradient, param.shape)


@implements("reset_graph")
@ieee_arithmetic
def reset_graph(ctx: Any, args: list) -> None:
    autograd.graph_of(ctx).clear()


# ───────────────────────────── manual gradient helpers ─────────────────────────────


def _floats(values: np.ndarray) -> list[float]:
    return [float(v) for v in values.reshape(-1).tolist()]


@implements("autograd_compute_linear_grad")
@ieee_arithmetic
def autograd_compute_linear_grad(ctx: Any, args: list) -> tuple[list, list, list]:
    """The Linear rules of §6.6 with fresh sequential sums: `(g·Wᵀ, xᵀ·g, column sums of g)`."""
    name = "autograd_compute_linear_grad"
    x, weight = expect_tensor(name, args[0]), expect_tensor(name, args[1])
    expect_tensor(name, args[2])
    gradient = float_array(args[3])
    if len(weight.shape) != 2 or len(x.shape) not in (1, 2) or x.shape[-1] != weight.shape[0]:
        raise CharlError(f"{name}(): incompatible shapes")
    features, outputs = weight.shape
    batch = x.size // features if features else 0
    if gradient.shape[0] != batch * outputs:
        raise CharlError(
            f"{name}(): output gradient size {gradient.shape[0]} doesn't match expected {batch * outputs}"
        )
    g = gradient.reshape(batch, outputs)
    x2 = x.data.reshape(batch, features)
    w = weight.data.reshape(features, outputs)
    return (
        _floats(kernels.matmul(g, w.T)),
        _floats(kernels.matmul(x2.T, g)),
        _floats(kernels.sequential_sum_first_axis(g)),
    )


def _paired(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Element pairs up to the shorter length (the reference zips the two sequences)."""
    n = min(first.shape[0], second.shape[0])
    return first[:n], second[:n]


@implements("autograd_compute_relu_grad")
@ieee_arithmetic
def autograd_compute_relu_grad(ctx: Any, args: list) -> list[float]:
    x = expect_tensor("autograd_compute_relu_grad", args[0])
    inputs, g = _paired(x.data, float_array(args[1]))
    return _floats(np.where(inputs > 0.0, g, 0.0))


@implements("autograd_compute_sigmoid_grad")
@ieee_arithmetic
def autograd_compute_sigmoid_grad(ctx: Any, args: list) -> list[float]:
    """`g * y * (1.0 - y)` from the sigmoid's **output** y."""
    y_tensor = expect_tensor("autograd_compute_sigmoid_grad", args[0])
    y, g = _paired(y_tensor.data, float_array(args[1]))
    return _floats(g * y * (1.0 - y))


@implements("autograd_compute_mse_grad")
@ieee_arithmetic
def autograd_compute_mse_grad(ctx: Any, args: list) -> list[float]:
    """`2.0 * (p - t) / n` (not the MSELoss rule's `2.0 / n * (p - t)`: the rounding differs)."""
    pred = expect_tensor("autograd_compute_mse_grad", args[0])
    target = expect_tensor("autograd_compute_mse_grad", args[1])
    p, t = _paired(pred.data, target.data)
    with np.errstate(all="ignore"):
        return _floats(2.0 * (p - t) / float(pred.size))
