"""LANGUAGE.md §8.4: element-wise arithmetic, the matrix product, shape operations and reductions.

The builtins never broadcast (only the operators of §9.3 do). Only the tensor-by-tensor arithmetic,
`tensor_mul(t, scalar)` and `tensor_concat` are tracked (§6.3); everything else returns an untracked tensor
or a float (§6.4). GPU tensors follow §6.11: arithmetic on the binary64 copy, a GPU result for the
"GPU in, GPU out" builtins, never tracked.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from charl_core.ir.ops import Op
from charl_core.runtime import autograd, kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import differentiates, implements
from charl_core.runtime.library.arguments import expect_tensor, ieee_arithmetic, shape_argument, to_int
from charl_core.runtime.printing import format_shape
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor
from charl_core.runtime.tensor_operators import device_mix_error
from charl_core.runtime.values import is_number, kind_name

_SYMBOLS = {"tensor_add": "+", "tensor_sub": "-", "tensor_mul": "*", "tensor_div": "/"}
_UFUNCS = {"tensor_add": np.add, "tensor_sub": np.subtract, "tensor_mul": np.multiply}
_OPS = {"tensor_add": Op.ADD, "tensor_sub": Op.SUB, "tensor_mul": Op.MUL, "tensor_div": Op.DIV}


def result_like(source: Tensor, data: np.ndarray, shape: tuple[int, ...]) -> Tensor:
    """A new untracked tensor: a GPU tensor when `source` is one ("GPU in, GPU out", §6.11)."""
    if isinstance(source, GpuTensor):
        return GpuTensor(data, shape)
    return Tensor(data, shape)


def _untracked_division(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The untracked Div gives NaN wherever the divisor is zero, whatever the numerator (`1/0` too)."""
    return np.where(b == 0.0, np.nan, a / b)


def _tracked_division(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.any(b == 0.0):
        raise CharlError("Division by zero")
    return a / b


def _elementwise(ctx: Any, name: str, a: Tensor, b: Tensor) -> Tensor:
    """Tensor ⊕ tensor of identical shapes; tracked (Add/Sub/Mul/Div) when a CPU input requires grad."""
    mixed = device_mix_error(_SYMBOLS[name], a, b)
    if mixed is not None:
        raise mixed
    if a.shape != b.shape:
        raise CharlError(f"{name}(): shape mismatch {format_shape(a.shape)} vs {format_shape(b.shape)}")
    tracked = not isinstance(a, GpuTensor) and (a.requires_grad or b.requires_grad)
    if name == "tensor_div":
        data = (_tracked_division if tracked else _untracked_division)(a.data, b.data)
    else:
        data = _UFUNCS[name](a.data, b.data)
    if tracked:
        return autograd.record(ctx, _OPS[name], [a, b], data, a.shape)
    return result_like(a, data, a.shape)


@implements("tensor_add")
@ieee_arithmetic
def tensor_add(ctx: Any, args: list) -> Tensor:
    a, b = args
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise CharlError("tensor_add() expects two tensors")
    return _elementwise(ctx, "tensor_add", a, b)


@implements("tensor_sub")
@ieee_arithmetic
def tensor_sub(ctx: Any, args: list) -> Tensor:
    a, b = args
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise CharlError("tensor_sub() expects two tensors")
    return _elementwise(ctx, "tensor_sub", a, b)


@implements("tensor_mul")
@ieee_arithmetic
def tensor_mul(ctx: Any, args: list) -> Tensor:
    """With a scalar on the tracked path, the scalar becomes a new `[1]` tensor and the tracked Mul needs
    equal shapes, so only a `[1]` tensor can be scaled while it requires grad (§6.3)."""
    t, other = args
    if isinstance(t, Tensor) and isinstance(other, Tensor):
        return _elementwise(ctx, "tensor_mul", t, other)
    if not isinstance(t, Tensor) or not is_number(other):
        raise CharlError("tensor_mul() expects (tensor, tensor) or (tensor, scalar)")
    scalar = float(other)
    if t.requires_grad and not isinstance(t, GpuTensor):
        if t.shape != (1,):
            raise CharlError(f"Shape mismatch: {format_shape(t.shape)} vs [1]")
        factor = Tensor(np.array([scalar]), (1,))
        return autograd.record(ctx, Op.MUL, [t, factor], t.data * factor.data, t.shape)
    return result_like(t, t.data * scalar, t.shape)


@implements("tensor_div")
@ieee_arithmetic
def tensor_div(ctx: Any, args: list) -> Tensor:
    t, divisor = args
    if isinstance(t, Tensor) and isinstance(divisor, Tensor):
        return _elementwise(ctx, "tensor_div", t, divisor)
    if not isinstance(t, Tensor) or not is_number(divisor):
        raise CharlError("tensor_div() expects (tensor, tensor) or (tensor, scalar)")
    if divisor == 0:
        raise CharlError("tensor_div(): division by zero")
    return result_like(t, t.data / float(divisor), t.shape)


differentiates("tensor_add", Op.ADD)
differentiates("tensor_sub", Op.SUB)
differentiates("tensor_mul", Op.MUL)
differentiates("tensor_div", Op.DIV)


@implements("tensor_matmul")
@ieee_arithmetic
def tensor_matmul(ctx: Any, args: list) -> Tensor:
    a = expect_tensor("tensor_matmul", args[0], gpu=True)
    b = expect_tensor("tensor_matmul", args[1], gpu=True)
    mixed = device_mix_error("@", a, b)
    if mixed is not None:
        raise mixed
    if len(a.shape) != 2 or len(b.shape) != 2:
        raise CharlError("tensor_matmul() currently only supports 2D matrices")
    if a.shape[1] != b.shape[0]:
        raise CharlError(
            f"tensor_matmul(): incompatible shapes ({a.shape[0]}, {a.shape[1]}) "
            f"x ({b.shape[0]}, {b.shape[1]})"
        )
    product = kernels.matmul(a.data.reshape(a.shape), b.data.reshape(b.shape))
    return result_like(a, product.reshape(-1), (a.shape[0], b.shape[1]))


@implements("tensor_transpose")
@ieee_arithmetic
def tensor_transpose(ctx: Any, args: list) -> Tensor:
    t = expect_tensor("tensor_transpose", args[0], gpu=True)
    if len(t.shape) != 2:
        raise CharlError("tensor_transpose() currently only supports 2D tensors")
    rows, columns = t.shape
    data = np.ascontiguousarray(t.data.reshape(rows, columns).T).reshape(-1)
    return result_like(t, data, (columns, rows))


@implements("tensor_reshape")
@ieee_arithmetic
def tensor_reshape(ctx: Any, args: list) -> Tensor:
    """A new untracked tensor (new id): reshaping a parameter cuts its gradient (§6.4)."""
    t = expect_tensor("tensor_reshape", args[0], gpu=True)
    shape = shape_argument("tensor_reshape", args[1])
    if any(d < 0 for d in shape):
        raise CharlError("tensor_reshape() shape must contain integers")
    count = math.prod(shape)  # exact: an int64 product could wrap around to the element count
    if count != t.size:
        raise CharlError(
            f"tensor_reshape(): cannot reshape tensor of {t.size} elements to shape "
            f"{format_shape(shape)} ({count} elements)"
        )
    return result_like(t, t.data, shape)


@implements("tensor_concat")
@ieee_arithmetic
def tensor_concat(ctx: Any, args: list) -> Tensor:
    """Only `dim == 1` of 2-D tensors with equal first dimensions; when an input requires grad the
    tracked Concat runs and its messages start with `concat():` (§8.4)."""
    tensors, dim = args
    if type(tensors) is not list or not all(
        isinstance(t, Tensor) and not isinstance(t, GpuTensor) for t in tensors
    ):
        raise CharlError("tensor_concat() expects an array of tensors")
    dim = to_int(dim)
    tracked = any(t.requires_grad for t in tensors)
    prefix = "concat()" if tracked else "tensor_concat()"
    if dim != 1:
        raise CharlError(f"{prefix}: only dim=1 supported, got dim={dim}")
    if not tensors:
        raise CharlError(f"{prefix}: no tensors to concatenate")
    if any(len(t.shape) != 2 for t in tensors):
        raise CharlError(f"{prefix}: only 2D tensors supported")
    batch = tensors[0].shape[0]
    for t in tensors[1:]:
        if t.shape[0] != batch:
            raise CharlError(f"{prefix}: batch size mismatch {batch} vs {t.shape[0]}")
    blocks = [t.data.reshape(t.shape) for t in tensors]
    data = np.concatenate(blocks, axis=1).reshape(-1)
    shape = (batch, sum(t.shape[1] for t in tensors))
    if tracked:
        return autograd.record(ctx, Op.CONCAT, tensors, data, shape)
    return Tensor(data, shape)


differentiates("tensor_concat", Op.CONCAT)


@implements("tensor_sum")
@ieee_arithmetic
def tensor_sum(ctx: Any, args: list) -> float:
    return kernels.sequential_sum(expect_tensor("tensor_sum", args[0], gpu=True).data)


@implements("tensor_mean")
@ieee_arithmetic
def tensor_mean(ctx: Any, args: list) -> float:
    t = expect_tensor("tensor_mean", args[0], gpu=True)
    if t.size == 0:
        return 0.0
    return kernels.sequential_sum(t.data) / t.size


@implements("tensor_max")
@ieee_arithmetic
def tensor_max(ctx: Any, args: list) -> float:
    t = expect_tensor("tensor_max", args[0], gpu=True)
    if t.size == 0:
        raise CharlError("tensor_max() cannot operate on empty tensor")
    return kernels.first_maximum(t.data)


@implements("tensor_min")
@ieee_arithmetic
def tensor_min(ctx: Any, args: list) -> float:
    """The fold `m = x if x < m else m` from +inf: NaN never wins; of 0.0 and -0.0 the first is kept."""
    t = expect_tensor("tensor_min", args[0], gpu=True)
    if t.size == 0:
        raise CharlError("tensor_min() cannot operate on empty tensor")
    return kernels.first_minimum(t.data)


@implements("tensor_abs")
@ieee_arithmetic
def tensor_abs(ctx: Any, args: list) -> Tensor:
    """GPU input, CPU result (§6.11)."""
    t = expect_tensor("tensor_abs", args[0], gpu=True)
    return Tensor(np.abs(t.data), t.shape)


@implements("tensor_sqrt")
@ieee_arithmetic
def tensor_sqrt(ctx: Any, args: list) -> Tensor:
    """GPU input, CPU result (§6.11); a negative element gives NaN. IEEE sqrt is correctly rounded, so
    NumPy's equals libm's bit for bit."""
    t = expect_tensor("tensor_sqrt", args[0], gpu=True)
    with np.errstate(invalid="ignore"):
        return Tensor(np.sqrt(t.data), t.shape)


def _legacy_trig(name: str, function: Any) -> Any:
    """`tensor_sin`/`tensor_cos` predate the autograd tensor: a legacy tensor gives a legacy tensor of its
    shape and a number a float; autograd and GPU tensors are rejected."""

    def implementation(ctx: Any, args: list) -> Any:
        value = args[0]
        if isinstance(value, LegacyTensor):
            return LegacyTensor(kernels.libm(function, value.data), value.shape)
        if is_number(value):
            return kernels.libm(function, np.array([float(value)]))[0].item()
        raise CharlError(f"{name}() expects a tensor or number, got {kind_name(value)}")

    return implementation


implements("tensor_sin")(ieee_arithmetic(_legacy_trig("tensor_sin", math.sin)))
implements("tensor_cos")(ieee_arithmetic(_legacy_trig("tensor_cos", math.cos)))
