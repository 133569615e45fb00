"""The tensor operators of LANGUAGE.md §9.3 (`+ - * /` with NumPy broadcasting, unary `-`, `@`), tensor
indexing of §9.4, and the `autograd(expr)` form of §8.7. The interpreter calls exactly these functions.

Each result element is one binary64 operation (`x op y`), so equal shapes give `tensor_add`'s bits, and
matrix products accumulate sequentially over k from 0.0, so 2-D `a @ b` equals `tensor_matmul(a, b)`.
Unlike the builtins, division follows IEEE (`x / 0.0` is ±inf). A (CPU) operand that requires grad makes
the operation recorded (BAdd … BDiv, Neg, MatMul, Index, Slice); GPU operands are never tracked.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from charl_core.ir.ops import Op
from charl_core.runtime import autograd, kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library.arguments import float_array
from charl_core.runtime.printing import format_shape
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import is_number, kind_name

GPU_HINT = "Use tensor_to_gpu() or tensor_to_cpu() to convert first."

_OPERATORS: dict[str, tuple[Op, Any]] = {
    "+": (Op.BADD, np.add),
    "-": (Op.BSUB, np.subtract),
    "*": (Op.BMUL, np.multiply),
    "/": (Op.BDIV, np.divide),
}


def device_mix_error(symbol: str, left: Tensor, right: Tensor) -> CharlError | None:
    """§6.11: a CPU and a GPU tensor in one operation. `+` and `-` name the devices in operand order;
    `*`, `/` and `@` use one wording for both orders."""
    left_gpu, right_gpu = isinstance(left, GpuTensor), isinstance(right, GpuTensor)
    if left_gpu == right_gpu:
        return None
    first, second = ("GPU", "CPU") if left_gpu else ("CPU", "GPU")
    texts = {
        "+": f"Cannot add {first} tensor + {second} tensor.",
        "-": f"Cannot subtract {first} tensor - {second} tensor.",
        "*": "Cannot multiply CPU tensor and GPU tensor.",
        "/": "Cannot divide CPU tensor and GPU tensor.",
        "@": "Cannot matmul CPU tensor and GPU tensor.",
    }
    return CharlError(f"{texts[symbol]} {GPU_HINT}")


def _shaped(value: Tensor | float | int) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data.reshape(value.shape)
    return np.array(float(value))


def binary(ctx: Any, symbol: str, left: Any, right: Any) -> Tensor:
    """`left symbol right` where at least one operand is a tensor and the other a tensor or a number."""
    op, ufunc = _OPERATORS[symbol]
    if isinstance(left, Tensor) and isinstance(right, Tensor):
        mixed = device_mix_error(symbol, left, right)
        if mixed is not None:
            raise mixed
    a, b = _shaped(left), _shaped(right)
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise CharlError(
            f"Cannot broadcast shapes {format_shape(a.shape)} and {format_shape(b.shape)} for {symbol}"
        ) from None
    with np.errstate(all="ignore"):
        data = np.ascontiguousarray(ufunc(a, b), dtype=np.float64).reshape(-1)
    tensors = [v for v in (left, right) if isinstance(v, Tensor)]
    if any(isinstance(t, GpuTensor) for t in tensors):
        return GpuTensor(data, shape)
    if not any(t.requires_grad for t in tensors):
        return Tensor(data, shape)
    constant = None
    if len(tensors) == 1:
        side = 0 if is_number(left) else 1
        constant = autograd.Constant(side, float(left if side == 0 else right))
    return autograd.record(ctx, op, tensors, data, shape, constant)


def negate(ctx: Any, tensor: Tensor) -> Tensor:
    """`-t`: element-wise negation (Neg when recorded)."""
    data = -tensor.data
    if isinstance(tensor, GpuTensor):
        return GpuTensor(data, tensor.shape)
    if tensor.requires_grad:
        return autograd.record(ctx, Op.NEG, [tensor], data, tensor.shape)
    return Tensor(data, tensor.shape)


def matmul_shape(left: tuple[int, ...], right: tuple[int, ...]) -> tuple[int, ...] | None:
    """The result shape of NumPy's matmul, or None when the shapes do not fit (rank 0 never does)."""
    if not left or not right:
        return None
    a = (1, *left) if len(left) == 1 else left
    b = (*right, 1) if len(right) == 1 else right
    if a[-1] != b[-2]:
        return None
    try:
        batch = np.broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        return None
    rows = () if len(left) == 1 else (a[-2],)
    columns = () if len(right) == 1 else (b[-1],)
    return (*batch, *rows, *columns)


def matmul(ctx: Any, left: Tensor, right: Tensor) -> Tensor:
    """`a @ b` with NumPy matmul semantics and sequential sums over k (§9.3)."""
    mixed = device_mix_error("@", left, right)
    if mixed is not None:
        raise mixed
    shape = matmul_shape(left.shape, right.shape)
    if shape is None:
        raise CharlError(f"Cannot matmul shapes {format_shape(left.shape)} and {format_shape(right.shape)}")
    a = left.data.reshape(left.shape)
    b = right.data.reshape(right.shape)
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(-1, 1) if b.ndim == 1 else b
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    with np.errstate(all="ignore"):
        product = kernels.matmul(
            np.broadcast_to(a2, (*batch, *a2.shape[-2:])), np.broadcast_to(b2, (*batch, *b2.shape[-2:]))
        )
    data = np.ascontiguousarray(product).reshape(-1)
    if isinstance(left, GpuTensor):
        return GpuTensor(data, shape)
    if left.requires_grad or right.requires_grad:
        return autograd.record(ctx, Op.MATMUL, [left, right], data, shape)
    return Tensor(data, shape)


def index(ctx: Any, tensor: Tensor, index_value: Any) -> Tensor | float:
    """`t[i]` selects along the first axis (a float for rank 1); `t[a..b]` slices it with the array
    slicing bounds of §5.9 and keeps the rank (§9.4)."""
    if isinstance(tensor, GpuTensor):
        raise CharlError("Cannot index into gpu_tensor")
    kind = type(index_value)
    if kind is list:
        return _slice(ctx, tensor, index_value)
    if kind is not int:
        raise CharlError(f"Index must be an integer or range, got {kind_name(index_value)}")
    if not tensor.shape:
        raise CharlError("Cannot index into a 0-d tensor")
    size = tensor.shape[0]
    position = index_value + size if index_value < 0 else index_value
    if not 0 <= position < size:
        raise CharlError(f"Index {index_value} out of bounds for dimension 0 (size {size})")
    rest = tensor.shape[1:]
    row = _rows(tensor)[position]
    if not rest:
        return float(row[0])
    data = row.copy()
    if tensor.requires_grad:
        return autograd.record(ctx, Op.INDEX, [tensor], data, rest, position)
    return Tensor(data, rest)


def _rows(tensor: Tensor) -> np.ndarray:
    """The data as `[first dimension, everything else]` (explicit sizes: `-1` is ambiguous when empty)."""
    return tensor.data.reshape(tensor.shape[0], int(np.prod(tensor.shape[1:], dtype=np.int64)))


def slice_bounds(bounds: list, length: int) -> tuple[int, int]:
    """§5.9: from the first element to the last + 1; a negative bound becomes `max(len + b, 0)`, a
    non-negative one `min(b, len)`; start > end gives an empty slice."""
    if not bounds:
        return 0, 0
    first, last = bounds[0], bounds[-1]
    if type(first) is not int or type(last) is not int:
        raise CharlError("Range values must be integers")

    def clamp(bound: int) -> int:
        return max(length + bound, 0) if bound < 0 else min(bound, length)

    start, stop = clamp(first), clamp(last + 1)
    return start, max(start, stop)


def _slice(ctx: Any, tensor: Tensor, bounds: list) -> Tensor:
    if not tensor.shape:
        raise CharlError("Cannot index into a 0-d tensor")
    size = tensor.shape[0]
    start, stop = slice_bounds(bounds, size)
    shape = (stop - start, *tensor.shape[1:])
    data = _rows(tensor)[start:stop].reshape(-1).copy()
    if tensor.requires_grad:
        return autograd.record(ctx, Op.SLICE, [tensor], data, shape, (start, stop))
    return Tensor(data, shape)


def autograd_form(ctx: Any, value: Any) -> Tensor:
    """`autograd(expr)` (§8.7): a number gives a `[1]` tensor and a numeric array a 1-D tensor, both
    requiring grad (zero gradient) but not inserted in the graph; a tensor is returned unchanged."""
    if isinstance(value, Tensor):
        return value
    if is_number(value):
        data = np.array([float(value)])
    elif type(value) is list:
        data = float_array(value)
    else:
        raise CharlError(f"autograd() can only be applied to numbers or arrays, got {kind_name(value)}")
    return Tensor(data, (data.shape[0],), requires_grad=True, grad=np.zeros(data.shape[0]))
