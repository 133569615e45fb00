"""Numerical kernels in the evaluation order of LANGUAGE.md §6.9, shared by every builtin implementation.

Bit-identical output needs the reference's operation order: every reduction is a sequential left-to-right
accumulation starting from 0.0. NumPy's `sum`, `dot` and `matmul` use pairwise or blocked orders (and BLAS
may fuse multiply-adds), and Python's `sum()` is compensated since 3.12, so none of them may be used for a
value a program can print. These kernels vectorise across *independent* outputs only and accumulate over
the reduced axis one term at a time, which keeps NumPy's speed and the reference's rounding.
"""

from __future__ import annotations

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

    Leading (batch) dimensions, if any, must already be broadcast to the same shape."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    out_shape = (*a.shape[:-1], b.shape[-1])
    acc = np.zeros(out_shape, dtype=np.float64)
    for k in range(a.shape[-1]):
        acc = acc + a[..., :, k : k + 1] * b[..., k : k + 1, :]
    return acc


def powi(x: float, n: int) -> float:
    """Integer power by binary exponentiation (§6.9): `x³` is `x * (x * x)`, not `math.pow(x, 3)`."""
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


def max_skipping_nan(values: np.ndarray) -> float:
    """`m = -inf; for x: m = x if x > m else m` (NaN never wins, §6.9)."""
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    finite = flat[~np.isnan(flat)]
    return float(finite.max()) if finite.size else float("-inf")


def min_skipping_nan(values: np.ndarray) -> float:
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    finite = flat[~np.isnan(flat)]
    return float(finite.min()) if finite.size else float("inf")
