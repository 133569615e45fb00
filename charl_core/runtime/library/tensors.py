"""LANGUAGE.md §8.2 (tensor creation) and §8.3 (inspection and element access).

Every creator returns a new untracked leaf (§6.1) except `tensor_with_grad`, which enters the autograd graph
as a grad-requiring leaf (§6.3). Element access never mutates: `tensor_set` returns a copy that keeps the id.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from charl_core.runtime import autograd, random
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor, float_array, shape_argument, to_float
from charl_core.runtime.printing import format_shape, format_tensor_data
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor, as_data
from charl_core.runtime.values import is_number, is_truthy, kind_name

_U64 = 1 << 64


def creation_shape(builtin: str, value: Any) -> tuple[int, ...]:
    """A shape to create a tensor of: an array of non-negative integers (§8.0)."""
    shape = shape_argument(builtin, value)
    if any(d < 0 for d in shape):
        raise CharlError(f"{builtin}() shape must contain non-negative integers")
    return shape


def _filled(shape: tuple[int, ...], value: float) -> Tensor:
    return Tensor(np.full(math.prod(shape), value, dtype=np.float64), shape)


# ───────────────────────────── §8.2 creation ─────────────────────────────


@implements("tensor")
def tensor(ctx: Any, args: list) -> Tensor:
    data = args[0]
    if type(data) is not list:
        raise CharlError(f"tensor() expects an array, got {kind_name(data)}")
    values = float_array(data)
    if len(args) < 2:
        return Tensor(values, (values.size,))
    shape = creation_shape("tensor", args[1])
    total = math.prod(shape)
    if total != values.size:
        raise CharlError(
            f"tensor() shape {format_shape(shape)} (total: {total}) does not match data length {values.size}"
        )
    return Tensor(values, shape)


@implements("tensor_from_array")
def tensor_from_array(ctx: Any, args: list) -> Tensor:
    data = args[0]
    if type(data) is not list:
        raise CharlError(f"tensor_from_array() expects an array, got {kind_name(data)}")
    if not all(is_number(v) for v in data):
        raise CharlError("tensor_from_array() data must contain numbers")
    shape = creation_shape("tensor_from_array", args[1])
    total = math.prod(shape)
    if total != len(data):
        raise CharlError(
            f"tensor_from_array() data length {len(data)} doesn't match shape {format_shape(shape)} "
            f"(expected {total})"
        )
    return Tensor(as_data(data), shape)


@implements("tensor_zeros")
def tensor_zeros(ctx: Any, args: list) -> Tensor:
    return _filled(creation_shape("tensor_zeros", args[0]), 0.0)


@implements("tensor_ones")
def tensor_ones(ctx: Any, args: list) -> Tensor:
    return _filled(creation_shape("tensor_ones", args[0]), 1.0)


@implements("tensor_full")
def tensor_full(ctx: Any, args: list) -> Tensor:
    shape = creation_shape("tensor_full", args[0])
    return _filled(shape, to_float(args[1]))


@implements("tensor_eye")
def tensor_eye(ctx: Any, args: list) -> Tensor:
    n = args[0]
    if type(n) is not int or n < 0:
        raise CharlError("tensor_eye() expects an integer")
    return Tensor(np.eye(n, dtype=np.float64).reshape(-1), (n, n))


@implements("tensor_zeros_like")
def tensor_zeros_like(ctx: Any, args: list) -> Tensor | list:
    """Zeros of a tensor's shape; given an array, an array of `0.0` of its length (§8.2)."""
    x = args[0]
    if isinstance(x, Tensor):
        return _filled(x.shape, 0.0)
    if type(x) is list:
        return [0.0] * len(x)
    raise CharlError(f"tensor_zeros_like() expects a tensor or an array, got {kind_name(x)}")


@implements("tensor_randn")
def tensor_randn(ctx: Any, args: list) -> Tensor:
    shape = creation_shape("tensor_randn", args[0])
    return Tensor(random.unseeded(ctx).normal(math.prod(shape)), shape)


@implements("tensor_rand")
def tensor_rand(ctx: Any, args: list) -> Tensor:
    shape = creation_shape("tensor_rand", args[0])
    return Tensor(random.unseeded(ctx).uniform(math.prod(shape)), shape)


@implements("tensor_randn_seeded")
def tensor_randn_seeded(ctx: Any, args: list) -> Tensor:
    shape = creation_shape("tensor_randn_seeded", args[0])
    seed = args[1]
    if type(seed) is not int:
        raise CharlError("tensor_randn_seeded() second argument must be an integer")
    return Tensor(random.randn_seeded(math.prod(shape), seed), shape)


def _grad_shape(value: Any) -> tuple[int, ...]:
    """`tensor_with_grad`'s shape: integers or integral floats, none negative (§8.2)."""
    message = "tensor_with_grad() shape must contain positive integers"
    if type(value) is not list:
        raise CharlError(message)
    shape = []
    for d in value:
        if type(d) is float and math.isfinite(d) and d.is_integer():
            d = int(d)
        if type(d) is not int or d < 0:
            raise CharlError(message)
        shape.append(d)
    return tuple(shape)


def with_grad(ctx: Any, data: Any, shape_value: Any) -> Tensor:
    """`tensor_with_grad(data, shape)`: a grad-requiring leaf with a zero gradient, inserted in the graph."""
    if type(data) is not list:
        raise CharlError(f"tensor_with_grad() expects an array, got {kind_name(data)}")
    values = float_array(data)
    shape = _grad_shape(shape_value)
    total = math.prod(shape)
    if total != values.size:
        raise CharlError(
            f"tensor_with_grad() data length {values.size} doesn't match shape {format_shape(shape)} "
            f"(expected {total})"
        )
    return autograd.new_leaf(ctx, values, shape)


@implements("tensor_with_grad")
def tensor_with_grad(ctx: Any, args: list) -> Tensor:
    return with_grad(ctx, args[0], args[1])


@implements("tensor_from_data")
def tensor_from_data(ctx: Any, args: list) -> Tensor:
    """A true or non-zero flag means `tensor_with_grad(data, shape)`; otherwise `tensor(data)`, the shape
    ignored (§8.2)."""
    if is_truthy(args[2]):
        return with_grad(ctx, args[0], args[1])
    return tensor(ctx, [args[0]])


@implements("tensor_from_scalar")
def tensor_from_scalar(ctx: Any, args: list) -> LegacyTensor:
    return LegacyTensor(as_data([to_float(args[0])]), (1,))


# ───────────────────────────── §8.3 inspection ─────────────────────────────


@implements("tensor_shape")
def tensor_shape(ctx: Any, args: list) -> list[int]:
    return list(expect_tensor("tensor_shape", args[0], gpu=True).shape)


def _any_tensor(builtin: str, value: Any) -> Tensor | LegacyTensor:
    """Builtins that also read legacy tensors (and GPU tensors' binary64 copy)."""
    if isinstance(value, Tensor | LegacyTensor):
        return value
    raise CharlError(f"{builtin}() expects a tensor, got {kind_name(value)}")


@implements("tensor_size")
def tensor_size(ctx: Any, args: list) -> int:
    return math.prod(_any_tensor("tensor_size", args[0]).shape)


@implements("tensor_get_data")
def tensor_get_data(ctx: Any, args: list) -> list[float]:
    return _any_tensor("tensor_get_data", args[0]).data.tolist()


@implements("tensor_print")
def tensor_print(ctx: Any, args: list) -> None:
    """`Tensor(shape: [2, 2], data: [1.5, 2.0, 3.0, 4.0])`; legacy tensors too, GPU tensors rejected."""
    t = args[0]
    if isinstance(t, GpuTensor) or not isinstance(t, Tensor | LegacyTensor):
        raise CharlError(f"tensor_print() expects a tensor, got {kind_name(t)}")
    ctx.write(f"Tensor(shape: {format_shape(t.shape)}, data: {format_tensor_data(t.data)})\n")


@implements("tensor_item")
def tensor_item(ctx: Any, args: list) -> float:
    t = expect_tensor("tensor_item", args[0])
    if t.size != 1:
        raise CharlError(f"item() only works on 1-element tensors, got {t.size} elements")
    return float(t.data[0])


def flat_index(t: Tensor, indices: Any) -> int:
    """The row-major position of one index per dimension (§8.3). A negative index is read as the unsigned
    64-bit value it wraps to, so it fails the bound check."""
    if type(indices) is not list or any(type(i) is not int for i in indices):
        raise CharlError("Indices must be integers")
    if len(indices) != len(t.shape):
        raise CharlError(f"Index length {len(indices)} doesn't match tensor dimensions {len(t.shape)}")
    position = 0
    for axis, (index, size) in enumerate(zip(indices, t.shape, strict=True)):
        index %= _U64
        if index >= size:
            raise CharlError(f"Index {index} out of bounds for dimension {axis} (size {size})")
        position = position * size + index
    return position


@implements("tensor_get")
def tensor_get(ctx: Any, args: list) -> float:
    t = expect_tensor("tensor_get", args[0])
    return float(t.data[flat_index(t, args[1])])


@implements("tensor_set")
def tensor_set(ctx: Any, args: list) -> Tensor:
    """A copy with one element replaced; it keeps the id, the flag and the gradient buffer (§6.1)."""
    t = expect_tensor("tensor_set", args[0])
    position = flat_index(t, args[1])
    value = to_float(args[2])
    data = t.data.copy()
    data[position] = value
    return t.copy_with(data=data)


@implements("argmax")
def argmax(ctx: Any, args: list) -> int:
    """The first maximum of the flattened data: `if x > best` from `-inf`, so NaN never wins and index 0 is
    returned when nothing beats `-inf` (§6.9)."""
    t = expect_tensor("argmax", args[0], gpu=True)
    if t.size == 0:
        raise CharlError("argmax() cannot operate on empty tensor")
    data = np.where(np.isnan(t.data), -np.inf, t.data)
    return int(np.argmax(data))
