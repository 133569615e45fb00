"""Shape algebra: the small pure functions over dimensions that the builtin catalog's shape rules and the
tensor operators (§9.3) are made of.

Every function returns either a result or a `ShapeConflict`. A conflict is *certain* when two known integer
dimensions disagree (error E107 when the code certainly runs, §4.6) and *conditional* when the rule holds only
if two different dimension variables are equal (W206). Unknown dimensions (`_`) never conflict (§4.4:
inference never invents an error).
"""

from __future__ import annotations

from dataclasses import dataclass

from charl_core.types import UNKNOWN, Dim, DimVar, Shape, UnknownDim, element_count


@dataclass(frozen=True, slots=True)
class ShapeConflict:
    """Two dimensions that must be equal and are not (certainly, or unless two variables are equal)."""

    left: Dim
    right: Dim

    @property
    def certain(self) -> bool:
        return isinstance(self.left, int) and isinstance(self.right, int)


def unify_dim(a: Dim, b: Dim) -> Dim | ShapeConflict:
    """The dimension both `a` and `b` denote, or the conflict. An integer is more precise than a variable,
    and a variable more than `_`."""
    if a == b:
        return a
    if isinstance(a, UnknownDim):
        return b
    if isinstance(b, UnknownDim):
        return a
    if isinstance(a, int) and isinstance(b, int):
        return ShapeConflict(a, b)
    if isinstance(a, DimVar) and isinstance(b, DimVar):
        return ShapeConflict(a, b)
    return a if isinstance(a, int) else b  # an integer and a variable: the variable may be that integer


def unify_shapes(a: Shape | None, b: Shape | None) -> Shape | ShapeConflict | None:
    """Identical shapes, as the builtins require (no broadcasting, §8.4). Ranks that differ conflict; the
    conflict then carries the ranks."""
    if a is None or b is None:
        return a if b is None else b
    if len(a) != len(b):
        return ShapeConflict(len(a), len(b))
    dims: list[Dim] = []
    conditional: ShapeConflict | None = None
    for x, y in zip(a, b, strict=True):
        unified = unify_dim(x, y)
        if isinstance(unified, ShapeConflict):
            if unified.certain:
                return unified
            conditional = conditional or unified
            dims.append(x)
        else:
            dims.append(unified)
    return conditional if conditional is not None else tuple(dims)


def broadcast_shapes(a: Shape | None, b: Shape | None) -> Shape | ShapeConflict | None:
    """NumPy broadcasting (§9.3): shapes aligned from the right, each pair equal or one of them 1."""
    if a is None or b is None:
        return None
    result: list[Dim] = []
    for index in range(1, max(len(a), len(b)) + 1):
        x = a[-index] if index <= len(a) else 1
        y = b[-index] if index <= len(b) else 1
        if x == 1:
            result.append(y)
        elif y == 1:
            result.append(x)
        elif isinstance(x, int) and isinstance(y, int):
            if x != y:
                return ShapeConflict(x, y)
            result.append(x)
        elif isinstance(x, UnknownDim) or isinstance(y, UnknownDim):
            result.append(UNKNOWN)  # either could be 1
        else:
            unified = unify_dim(x, y)
            result.append(x if isinstance(unified, ShapeConflict) else unified)
    return tuple(reversed(result))


def matmul_2d(a: Shape | None, b: Shape | None) -> Shape | ShapeConflict | None:
    """`[m, k] x [k, n] → [m, n]` (tensor_matmul; callers check the ranks first)."""
    if a is None or b is None:
        return None
    inner = unify_dim(a[1], b[0])
    if isinstance(inner, ShapeConflict):
        return inner
    return (a[0], b[1])


def reshape_count(source: Shape | None, target: Shape | None) -> ShapeConflict | None:
    """Reshaping keeps the element count: a conflict of the two counts when both are known and differ."""
    have, want = element_count(source), element_count(target)
    if have is not None and want is not None and have != want:
        return ShapeConflict(have, want)
    return None


def window_output(size: Dim, kernel: Dim, stride: Dim, padding: Dim = 0) -> Dim:
    """Convolution/pooling output size `(size + 2p - k) / s + 1` (§8.9), when every input is known."""
    if all(isinstance(value, int) for value in (size, kernel, stride, padding)) and stride:
        return (size + 2 * padding - kernel) // stride + 1  # type: ignore[operator]
    return UNKNOWN
