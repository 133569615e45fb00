"""Indexing and index assignment on static types (LANGUAGE.md §5.9 arrays, §9.4 tensors): the element or
slice type, and the run time's message when the access certainly fails."""

from __future__ import annotations

from charl_core import ast
from charl_core.types import (
    ANY,
    FLOAT,
    UNKNOWN,
    AnyType,
    ArrayType,
    FloatType,
    IntType,
    LegacyTensorType,
    TensorType,
    Type,
    UnionType,
    join,
    kind_name,
    union,
)


def index_type(container: Type, index: Type) -> tuple[Type, str | None]:
    """`a[i]` (§5.9, §9.4): the element, or the certain failure."""
    if isinstance(index, FloatType):
        return ANY, "Index must be an integer or range, got float"
    slicing = isinstance(index, ArrayType)
    position = index.value if isinstance(index, IntType) else None
    if isinstance(container, ArrayType):
        if slicing:
            return ArrayType(container.element), None
        if position is not None and container.length is not None:
            normalised = position + container.length if position < 0 else position
            if not 0 <= normalised < container.length:
                return ANY, f"Index out of bounds: {normalised % (1 << 64)}"
            if container.items is not None:
                return container.items[normalised], None
        return container.element, None
    if isinstance(container, TensorType):
        return _tensor_index(container, slicing, position)
    if isinstance(container, LegacyTensorType):
        return (container if slicing else FLOAT), None
    kind = kind_name(container)
    if kind is None or isinstance(container, AnyType | UnionType):
        return ANY, None
    if slicing and kind in ("string", "tuple"):
        return ANY, f"Cannot slice {kind}"
    return ANY, f"Cannot index into {kind}"


def _tensor_index(tensor: TensorType, slicing: bool, position: int | None) -> tuple[Type, str | None]:
    if tensor.gpu:
        return ANY, "Cannot index into gpu_tensor"
    shape = tensor.shape
    if shape is None:
        return (TensorType(tensor.dtype, None, tensor.grad) if slicing else union(FLOAT, TensorType())), None
    if len(shape) == 0:
        return ANY, "Cannot index into a 0-d tensor"
    if slicing:
        return TensorType(tensor.dtype, (UNKNOWN, *shape[1:]), tensor.grad), None
    first = shape[0]
    if position is not None and isinstance(first, int):
        normalised = position + first if position < 0 else position
        if not 0 <= normalised < first:
            return ANY, f"Index {position} out of bounds for dimension 0 (size {first})"
    if len(shape) == 1:
        return FLOAT, None
    return TensorType(tensor.dtype, shape[1:], tensor.grad), None


def store(array: ArrayType, index: ast.Expression, value: Type, depth: int) -> ArrayType:
    """The array after `a[…][index] = value`: the length is kept (§4.4)."""
    if depth > 0:
        return ArrayType(ANY, array.length)
    element = join(array.element, value) if array.length else value
    items = None
    if (
        array.items is not None
        and isinstance(index, ast.IntegerLiteral)
        and 0 <= index.value < len(array.items)
    ):
        items = (*array.items[: index.value], value, *array.items[index.value + 1 :])
    elif array.items is not None:
        # Positions mostly hold the same few type objects (`[0.0; 80]` holds one): join each distinct
        # object once. `join` is pure, so sharing a result among equal inputs changes no outcome.
        joined: dict[int, Type] = {}
        for item in array.items:
            if id(item) not in joined:
                joined[id(item)] = join(item, value)
        items = tuple(joined[id(item)] for item in array.items)
    return ArrayType(element, array.length, items)
