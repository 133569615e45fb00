"""LANGUAGE.md §8.6: `nn_linear`, `nn_embedding` and the losses — the tracked builtins a training loop is
built from (§6.3).

Two run-time quirks live here. The error prefixes name the path taken (`linear():`/`embedding():` when
tracked, `nn_linear():`/`nn_embedding():` otherwise). And a loss is a `[1]` tensor in the graph only when
the prediction requires grad; otherwise it is a plain float (§6.7), which `tensor_backward` rejects.
`nn_cross_entropy_logits` even computes a different number on its two paths.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from charl_core.ir.ops import Op
from charl_core.runtime import autograd, kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import differentiates, implements
from charl_core.runtime.library.activations import softmax
from charl_core.runtime.library.arguments import expect_tensor, ieee_arithmetic
from charl_core.runtime.library.layers import LinearLayer, size_argument
from charl_core.runtime.printing import format_shape
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor

MIX_DEVICES = "Cannot mix CPU and GPU tensors. Use tensor_to_gpu() or tensor_to_cpu() to convert first."


@implements("nn_linear")
@ieee_arithmetic
def nn_linear(ctx: Any, args: list) -> Tensor:
    """`x·W + b` with W `[in, out]`: each output is `acc = 0.0; for k: acc += x[k] * W[k][j]`, then
    `acc + b[j]` (§6.9). Tracked (Linear) when any CPU input requires grad; three GPU tensors give a GPU
    tensor."""
    x, weight, bias = (expect_tensor("nn_linear", a, gpu=True) for a in args)
    on_gpu = [isinstance(t, GpuTensor) for t in (x, weight, bias)]
    if any(on_gpu) and not all(on_gpu):
        raise CharlError(f"nn_linear(): {MIX_DEVICES}")
    tracked = not any(on_gpu) and any(t.requires_grad for t in (x, weight, bias))
    prefix = "linear()" if tracked else "nn_linear()"
    if len(x.shape) not in (1, 2) or len(weight.shape) != 2:
        raise CharlError(
            f"{prefix}: invalid shapes - input: {format_shape(x.shape)}, weight: "
            f"{format_shape(weight.shape)}, bias: {format_shape(bias.shape)}"
        )
    features, outputs = weight.shape
    if x.shape[-1] != features:
        raise CharlError(f"{prefix}: input features {x.shape[-1]} doesn't match weight input {features}")
    if bias.size != outputs:
        raise CharlError(f"{prefix}: bias size {bias.size} doesn't match output features {outputs}")
    batch = x.shape[0] if len(x.shape) == 2 else 1
    product = kernels.matmul(x.data.reshape(batch, features), weight.data.reshape(features, outputs))
    data = (product + bias.data).reshape(-1)
    shape = (outputs,) if len(x.shape) == 1 else (x.shape[0], outputs)
    if all(on_gpu):
        return GpuTensor(data, shape)
    if tracked:
        return autograd.record(ctx, Op.LINEAR, [x, weight, bias], data, shape)
    return Tensor(data, shape)


def embedding_row(value: float) -> int:
    """An index value as the reference converts it (Rust's saturating `as usize`): truncated toward
    zero, negative and NaN values become 0."""
    if value != value or value <= 0.0:
        return 0
    return int(min(value, 2.0**64 - 1))


@implements("nn_embedding")
@ieee_arithmetic
def nn_embedding(ctx: Any, args: list) -> Tensor:
    """Rows of `[V, D]` selected by the flattened index values → `[n, D]`; tracked (Embedding) when the
    matrix requires grad."""
    indices = expect_tensor("nn_embedding", args[0])
    matrix = expect_tensor("nn_embedding", args[1])
    tracked = matrix.requires_grad
    prefix = "embedding()" if tracked else "nn_embedding()"
    if len(matrix.shape) != 2:
        raise CharlError(f"{prefix}: embedding matrix must be 2D, got shape {format_shape(matrix.shape)}")
    vocabulary, width = matrix.shape
    rows = tuple(embedding_row(v) for v in indices.data.tolist())
    for row in rows:
        if row >= vocabulary:
            raise CharlError(f"{prefix}: index {row} out of range [0, {vocabulary})")
    data = matrix.data.reshape(vocabulary, width)[list(rows)].reshape(-1)
    shape = (len(rows), width)
    if tracked:
        return autograd.record(ctx, Op.EMBEDDING, [indices, matrix], data, shape, rows)
    return Tensor(data, shape)


@implements("nn_linear_create")
@ieee_arithmetic
def nn_linear_create(ctx: Any, args: list) -> LinearLayer:
    """The same object as `linear(in, out)` (§8.9)."""
    return LinearLayer(size_argument(args[0]), size_argument(args[1]))


@implements("nn_linear_forward")
@ieee_arithmetic
def nn_linear_forward(ctx: Any, args: list) -> LegacyTensor:
    """A linear layer object applied to a **legacy** tensor only, giving a legacy tensor; never tracked."""
    layer, x = args
    if not isinstance(layer, LinearLayer):
        raise CharlError("nn_linear_forward: first argument must be a Linear layer")
    if not isinstance(x, LegacyTensor):
        raise CharlError("nn_linear_forward: second argument must be a Tensor")
    data, shape = layer.forward(x.data, x.shape)
    return LegacyTensor(data, shape)


differentiates("nn_linear", Op.LINEAR)
differentiates("nn_embedding", Op.EMBEDDING)


# ───────────────────────────── losses (§6.7) ─────────────────────────────


def ieee_divide(numerator: float, count: int) -> float:
    """Binary64 division as the reference does it: an empty tensor gives NaN, not a Python exception."""
    with np.errstate(all="ignore"):
        return float(np.float64(numerator) / np.float64(count))


def mean_squared_error(p: np.ndarray, t: np.ndarray) -> float:
    """`Σ (p - t) * (p - t)` sequentially from 0.0, then `/ n`."""
    d = p - t
    return ieee_divide(kernels.sequential_sum(d * d), p.shape[0])


def cross_entropy(p: np.ndarray, t: np.ndarray) -> float:
    """`Σ -t * ln(clip(p))` over all elements, then `/ n`."""
    terms = -t * kernels.libm(math.log, autograd.clip_probability(p))
    return ieee_divide(kernels.sequential_sum(terms), p.shape[0])


def _loss(
    name: str,
    labels: tuple[str, str],
    op: Op,
    tracked_value: Callable[[Tensor, Tensor], float],
    untracked_value: Callable[[Tensor, Tensor], float],
) -> Callable[[Any, list], Any]:
    def implementation(ctx: Any, args: list) -> Any:
        prediction = expect_tensor(name, args[0])
        target = expect_tensor(name, args[1])
        if prediction.shape != target.shape:
            raise CharlError(
                f"{name}(): shape mismatch - {labels[0]}: {format_shape(prediction.shape)}, "
                f"{labels[1]}: {format_shape(target.shape)}"
            )
        if not prediction.requires_grad:
            return untracked_value(prediction, target)
        value = tracked_value(prediction, target)
        return autograd.record(ctx, op, [prediction, target], np.array([value]), (1,), loss=True)

    implements(name)(ieee_arithmetic(implementation))
    differentiates(name, op)
    return implementation


def _logits_tracked(z: Tensor, t: Tensor) -> float:
    """Row-wise softmax (`[B, C]`; 1-D is one row), the loss over all elements divided by B."""
    if len(z.shape) > 2:
        raise CharlError("cross_entropy_loss_with_logits() expects 1D or 2D tensor")
    rows = z.shape[0] if len(z.shape) == 2 else 1
    s = kernels.softmax_last_axis(autograd.as_rows(z.data, z.shape)).reshape(-1)
    terms = -t.data * kernels.libm(math.log, autograd.clip_probability(s))
    return ieee_divide(kernels.sequential_sum(terms), rows)


def _logits_untracked(z: Tensor, t: Tensor) -> float:
    """One softmax over **all** elements and division by the element count: another number than the
    tracked path for 2-D input (§6.7)."""
    return cross_entropy(softmax(z.data), t.data)


def _mse(p: Tensor, t: Tensor) -> float:
    return mean_squared_error(p.data, t.data)


def _cross_entropy(p: Tensor, t: Tensor) -> float:
    return cross_entropy(p.data, t.data)


_loss("loss_mse", ("pred", "target"), Op.MSE_LOSS, _mse, _mse)
_loss("loss_cross_entropy", ("pred", "target"), Op.CROSS_ENTROPY_LOSS, _cross_entropy, _cross_entropy)
_loss(
    "nn_cross_entropy_logits",
    ("logits", "target"),
    Op.CROSS_ENTROPY_LOGITS_LOSS,
    _logits_tracked,
    _logits_untracked,
)
