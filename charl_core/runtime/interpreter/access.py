"""Reading and writing parts of values: indexing, slicing and index assignment (LANGUAGE.md §5.9, §9.4),
tuple fields, ranges, `[v; n]` and casts (§5.10, §9.5), with the original's exact messages.

The rules differ between reading and writing on purpose (they did in the original): a read normalises a
negative index from the end, a write converts it to an unsigned 64-bit number and fails; a read rejects a
float index, a write truncates it.
"""

from __future__ import annotations

from typing import Any

from charl_core.runtime.errors import CharlError
from charl_core.runtime.library.arguments import to_int, truncate_to_int
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor, as_data
from charl_core.runtime.values import kind_name

_U64 = 2**64


# ───────────────────────────── reading ─────────────────────────────


def index_value(ctx: Any, container: Any, index: Any) -> Any:
    """`container[index]`: an element (integer index) or a slice (array index)."""
    kind = type(container)
    if kind is list:
        if type(index) is int:
            n = len(container)
            position = index + n if index < 0 else index
            if 0 <= position < n:
                return container[position]
            raise CharlError(f"Index out of bounds: {position % _U64}")
        if type(index) is list:
            start, end = _slice_bounds(index, len(container))
            return container[start:end]
        raise CharlError(f"Index must be an integer or range, got {kind_name(index)}")
    if kind is LegacyTensor:
        return _index_legacy(container, index)
    if isinstance(container, Tensor) and not isinstance(container, GpuTensor):
        from charl_core.runtime import tensor_operators

        return tensor_operators.index(ctx, container, index)
    if type(index) is list and not isinstance(container, GpuTensor):
        raise CharlError(f"Cannot slice {kind_name(container)}")
    raise CharlError(f"Cannot index into {kind_name(container)}")


def _index_legacy(tensor: LegacyTensor, index: Any) -> Any:
    """A legacy tensor indexes and slices its flat data like an array; a slice is a 1-D legacy tensor."""
    n = int(tensor.data.shape[0])
    if type(index) is int:
        position = index + n if index < 0 else index
        if 0 <= position < n:
            return float(tensor.data[position])
        raise CharlError(f"Index out of bounds: {position % _U64}")
    if type(index) is list:
        start, end = _slice_bounds(index, n)
        data = as_data(tensor.data[start:end])
        return LegacyTensor(data, (int(data.shape[0]),))
    raise CharlError(f"Index must be an integer or range, got {kind_name(index)}")


def _slice_bounds(index: list, length: int) -> tuple[int, int]:
    """A slice runs from the index array's first element to its last + 1, clamped (§5.9)."""
    if not index:
        return 0, 0
    first, last = index[0], index[-1]
    if type(first) is not int or type(last) is not int:
        raise CharlError("Range values must be integers")
    start = _clamp(first, length)
    end = _clamp(last + 1, length)
    return (start, end) if start <= end else (0, 0)


def _clamp(bound: int, length: int) -> int:
    return max(length + bound, 0) if bound < 0 else min(bound, length)


def tuple_field(value: Any, position: int) -> Any:
    """`t.N`."""
    if type(value) is not tuple:
        raise CharlError(f"Cannot index type {kind_name(value)} with tuple index syntax")
    if position >= len(value):
        raise CharlError(f"Tuple index out of bounds: index {position} on tuple of length {len(value)}")
    return value[position]


# ───────────────────────────── index assignment ─────────────────────────────


def assignment_index(index: Any) -> int:
    """An index of `a[i] = v`: an integer, or a float truncated; as an unsigned 64-bit number (§5.9)."""
    kind = type(index)
    if kind is int:
        return index % _U64
    if kind is float:
        return truncate_to_int(index) % _U64
    raise CharlError("Array index must be a number")


def store(name: str, root: Any, indices: list[int], value: Any, owned: bool) -> list:
    """`name[i][j]… = value` on the array `root`; returns the array to bind to `name`.

    `root` is written in place when `owned` (the binding alone references it), otherwise copied; nested
    arrays on the path are always copied, since other values may share them."""
    if type(root) is not list:
        if len(indices) == 1:
            raise CharlError(f"{name} is not an array")
        raise CharlError("Expected array at this level")
    top = root if owned else root.copy()
    if len(indices) == 1:
        position = indices[0]
        if position >= len(top):
            raise CharlError(f"Index {position} out of bounds (len={len(top)})")
        top[position] = value
        return top
    container = top
    last = len(indices) - 1
    for level, position in enumerate(indices):
        if position >= len(container):
            raise CharlError(f"Index {position} out of bounds")
        if level == last:
            container[position] = value
            break
        inner = container[position]
        if type(inner) is not list:
            raise CharlError(
                "Cannot index into non-array" if level + 1 == last else "Expected array at this level"
            )
        inner = inner.copy()
        container[position] = inner
        container = inner
    return top


# ───────────────────────────── ranges, repeats, casts ─────────────────────────────


def make_range(start: Any, end: Any, inclusive: bool) -> list[int]:
    """`a..b` and `a..=b` are arrays of integers (§5.9)."""
    low, high = to_int(start), to_int(end)
    return list(range(low, high + 1 if inclusive else high))


def repeat(value: Any, count: Any) -> list:
    """`[value; count]`; a float count is truncated."""
    kind = type(count)
    if kind is float:
        count = truncate_to_int(count)
    elif kind is not int:
        raise CharlError(f"Array repeat count must be integer, got {kind_name(count)}")
    return [value] * max(count, 0)


def _to_int(value: Any, target: str) -> int:
    kind = type(value)
    if kind is int:
        return value
    if kind is float:
        return truncate_to_int(value)
    if kind is bool:
        return int(value)
    raise CharlError(f"Cannot cast {kind_name(value)} to {target}")


def _to_float(value: Any, target: str) -> float:
    kind = type(value)
    if kind is float:
        return value
    if kind is int or kind is bool:
        return float(value)
    raise CharlError(f"Cannot cast {kind_name(value)} to {target}")


def _to_bool(value: Any, target: str) -> bool:
    kind = type(value)
    if kind is bool:
        return value
    if kind is int or kind is float:
        return value != 0
    raise CharlError(f"Cannot cast {kind_name(value)} to {target}")


CASTS = {
    "int32": _to_int,
    "int64": _to_int,
    "int": _to_int,  # §9.5 alias of int64
    "float32": _to_float,  # no binary32 rounding (§5.10)
    "float64": _to_float,
    "float": _to_float,  # §9.5 alias of float64
    "bool": _to_bool,
}
"""Cast target as written → conversion `(value, target) -> value`."""


def cast(value: Any, target: str) -> Any:
    convert = CASTS.get(target)
    if convert is None:
        raise CharlError(f"Unknown cast target type: {target}")
    return convert(value, target)
