"""The §6.9 kernels against the reference's scalar loops, compared bit for bit (`==` on floats)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core.runtime import kernels

floats = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)


def loop_sum(values: list[float]) -> float:
    acc = 0.0
    for x in values:
        acc += x
    return acc


@settings(max_examples=60, deadline=None)
@given(st.lists(floats, max_size=40))
def test_sequential_sum_is_the_left_to_right_loop(values: list[float]) -> None:
    assert kernels.sequential_sum(np.array(values)) == loop_sum(values)


def test_sequential_sum_starts_from_positive_zero() -> None:
    assert math.copysign(1.0, kernels.sequential_sum(np.array([-0.0]))) == 1.0


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.integers(1, 4), st.randoms(use_true_random=False))
def test_matmul_accumulates_over_k_in_order(m: int, k: int, n: int, rng) -> None:
    a = [[rng.uniform(-10, 10) for _ in range(k)] for _ in range(m)]
    b = [[rng.uniform(-10, 10) for _ in range(n)] for _ in range(k)]
    expected = [[loop_sum([a[i][t] * b[t][j] for t in range(k)]) for j in range(n)] for i in range(m)]
    assert kernels.matmul(np.array(a), np.array(b)).tolist() == expected


def test_matmul_broadcasts_batch_dimensions() -> None:
    a = np.arange(12.0).reshape(2, 2, 3)
    b = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(kernels.matmul(a, b), np.matmul(a, b))


@pytest.mark.parametrize(
    ("x", "n", "expected"), [(1.1, 3, 1.1 * (1.1 * 1.1)), (2.0, 10, 1024.0), (2.0, -2, 0.25)]
)
def test_powi_is_binary_exponentiation(x: float, n: int, expected: float) -> None:
    assert kernels.powi(x, n) == expected
    assert kernels.powi_array(np.array([x]), abs(n))[0] == kernels.powi(x, abs(n))


def test_extremes_fold_keeps_the_first_of_equal_zeros_and_skips_nan() -> None:
    assert str(kernels.first_maximum(np.array([-0.0, 0.0]))) == "-0.0"
    assert str(kernels.first_minimum(np.array([0.0, -0.0]))) == "0.0"
    assert kernels.first_maximum(np.array([math.nan, 1.0, 3.0, math.nan])) == 3.0
    assert kernels.first_maximum(np.array([math.nan])) == -math.inf
    assert str(kernels.fold_max_last_axis(np.array([[-0.0, 0.0], [0.0, -0.0]])).tolist()) == "[-0.0, 0.0]"


def test_softmax_rows_follow_the_reference_order() -> None:
    rows = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]])
    for row, result in zip(rows.tolist(), kernels.softmax_last_axis(rows).tolist(), strict=True):
        m = max(row)
        e = [math.exp(z - m) for z in row]
        total = loop_sum(e)
        assert result == [v / total for v in e]


def test_libm_maps_overflow_and_domain_errors_to_ieee_values() -> None:
    assert kernels.libm(math.exp, np.array([1000.0]))[0] == math.inf
    assert kernels.libm(math.log, np.array([0.0]))[0] == -math.inf
    assert math.isnan(kernels.libm(math.log, np.array([-1.0]))[0])
