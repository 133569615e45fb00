"""The shared argument conversions keep the run time's rules: integers from floats truncate toward zero and
saturate at the 64-bit range like Rust's `as i64` (LANGUAGE.md §5.10), and wrong kinds name the kind."""

from __future__ import annotations

import math

import pytest

from charl_core.runtime.errors import CharlError
from charl_core.runtime.library.arguments import I64_MAX, I64_MIN, to_float, to_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, 7), (7.9, 7), (-7.9, -7), (1e300, I64_MAX), (-1e300, I64_MIN), (math.inf, I64_MAX), (math.nan, 0)],
)
def test_to_int_truncates_and_saturates(value: float, expected: int) -> None:
    assert to_int(value) == expected


def test_wrong_kinds_are_named() -> None:
    with pytest.raises(CharlError, match=r"^Cannot convert string to integer$"):
        to_int("3")
    with pytest.raises(CharlError, match=r"^Cannot convert array to float$"):
        to_float([1.0])
