"""Numerical kernels in the evaluation order of LANGUAGE.md §6.9, shared by every builtin implementation.

Bit-identical output needs the reference's operation order: every reduction is a sequential left-to-right
accumulation starting from 0.0. NumPy's `sum`, `dot` and `matmul` use pairwise or blocked orders (and BLAS
may fuse multiply-adds), and Python's `sum()` is compensated since 3.12, so none of them may be used for a
value a program can print. These kernels vectorise across *independent* outputs only and accumulate over
the reduced axis one term at a time, which keeps NumPy's speed and the reference's rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def sequential_sum(values: np.ndarray) -> float:
    """`acc = 0.0; for x in values: acc += x` (starting from +0.0, so a sum of `[-0.0]` is `0.0`)."""
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    if flat.size == 0:
        return 0.0
    return float(np.add.accumulate(np.concatenate(([0.0], flat)))[-1])


def sequential_sum_last_axis(values: np.ndarray) -> np.ndarray:
    """Row sums of an array (over its last axis), each accumulated sequentially from 0.0."""
    array = np.asarray(values, dtype=np.float64)
    acc = np.zeros(array.shape[:-1], dtype=np.float64)
    for k in range(array.shape[-1]):
        acc = acc + array[..., k]
    return acc


def sequential_sum_first_axis(values: np.ndarray) -> np.ndarray:
    """Column sums (over the first axis), each accumulated sequentially from 0.0 in row order."""
    array = np.asarray(values, dtype=np.float64)
    acc = np.zeros(array.shape[1:], dtype=np.float64)
    for k in range(array.shape[0]):
        acc = acc + array[k]
    return acc


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`[m, k] × [k, n]` with `acc = 0.0; for k: acc += a[i, k] * b[k, j]` for every output (§6.9).

    Leading (batch) dimensions, if any, must already be broadcast to the same shape. The product and the
    sum are two separate roundings, as in the reference (no fused multiply-add); in-place updates keep the
    loop to two array passes per `k`."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    out_shape = (*np.broadcast_shapes(a.shape[:-2], b.shape[:-2]), a.shape[-2], b.shape[-1])
    acc = np.zeros(out_shape, dtype=np.float64)
    term = np.empty(out_shape, dtype=np.float64)
    for k in range(a.shape[-1]):
        np.multiply(a[..., :, k : k + 1], b[..., k : k + 1, :], out=term)
        np.add(acc, term, out=acc)
    return acc


def powi(x: float, n: int) -> float:
    """Integer power by binary exponentiation (§6.9): `x³` is `x * (x * x)`, not `math.pow(x, 3)`. A negative
    exponent gives the reciprocal of the positive power (LLVM's `powi`)."""
    if n < 0:
        return 1.0 / powi(x, -n)
    result = 1.0
    while True:
        if n & 1:
            result *= x
        n >>= 1
        if n == 0:
            return result
        x *= x


def powi_array(x: np.ndarray, n: int) -> np.ndarray:
    """`powi` element-wise, with the same multiplication order."""
    result = np.ones_like(x, dtype=np.float64)
    base = np.array(x, dtype=np.float64)
    while True:
        if n & 1:
            result = result * base
        n >>= 1
        if n == 0:
            return result
        base = base * base


def first_maximum(values: np.ndarray) -> float:
    """The fold `m = x if x > m else m` from -inf (§6.9): NaN never wins, and of equal maxima (0.0 and -0.0)
    the first one is kept; `np.max` would return either zero."""
    return _first_extreme(values, np.max)


def first_minimum(values: np.ndarray) -> float:
    """The fold `m = x if x < m else m` from +inf, with the same rules as `first_maximum`."""
    return _first_extreme(values, np.min)


def _first_extreme(values: np.ndarray, extreme: Callable[[np.ndarray], np.floating]) -> float:
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    numbers = flat[~np.isnan(flat)]
    if numbers.size == 0:
        return float("-inf") if extreme is np.max else float("inf")
    best = float(extreme(numbers))
    return float(numbers[np.argmax(numbers == best)])  # -0.0 == 0.0: the first of the two


def fold_max_last_axis(values: np.ndarray) -> np.ndarray:
    """`first_maximum` of every row (over the last axis), vectorised across rows."""
    array = np.asarray(values, dtype=np.float64)
    best = np.full(array.shape[:-1], -np.inf)
    for k in range(array.shape[-1]):
        column = array[..., k]
        best = np.where(column > best, column, best)
    return best


def softmax_last_axis(values: np.ndarray) -> np.ndarray:
    """Softmax of every row: `m = max(row)` (the fold), `e = exp(z - m)` through libm, `e / Σe` with a
    sequential sum per row."""
    array = np.asarray(values, dtype=np.float64)
    e = libm(math.exp, array - fold_max_last_axis(array)[..., None])
    return e / sequential_sum_last_axis(e)[..., None]


def libm(function: Callable[[float], float], values: np.ndarray) -> np.ndarray:
    """`function` applied to each element through Python's `math`, the platform libm of §6.9 (NumPy's
    vectorised exp/tanh/log may differ from libm in the last bit). Overflow gives ±inf and a domain error
    NaN, as the libm functions of the reference do."""
    array = np.asarray(values, dtype=np.float64)
    flat = array.reshape(-1).tolist()
    try:
        results = list(map(function, flat))  # the common case, without a Python frame per element
    except (OverflowError, ValueError):
        results = [_libm_call(function, x) for x in flat]
    return np.array(results, dtype=np.float64).reshape(array.shape)


def _libm_call(function: Callable[[float], float], x: float) -> float:
    try:
        return function(x)
    except OverflowError:
        return math.copysign(math.inf, x) if function is not math.exp else math.inf
    except ValueError:
        if function is math.log and x == 0.0:
            return -math.inf
        return math.nan
