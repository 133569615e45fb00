"""Argument conversions shared by the builtin implementations, with the run time's exact messages (§8.0).

Implementations receive evaluated arguments after the interpreter has checked the arity against the
catalog entry; these helpers turn them into Python/NumPy values or raise `CharlError` with the text the
original printed. Kind names come from `kind_name` (§5.1).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import kind_name


def to_float(value: Any) -> float:
    """A numeric scalar parameter: integers and floats are accepted (`Cannot convert string to float`)."""
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return float(value)
    raise CharlError(f"Cannot convert {kind_name(value)} to float")


def to_int(value: Any) -> int:
    """An integer parameter: floats are truncated toward zero (`Cannot convert string to integer`)."""
    kind = type(value)
    if kind is int:
        return value
    if kind is float:
        return truncate_to_int(value)
    raise CharlError(f"Cannot convert {kind_name(value)} to integer")


def truncate_to_int(x: float) -> int:
    """Float to integer toward zero, saturating at the 64-bit range; NaN gives 0 (Rust's `as i64`, §5.10)."""
    if x != x:
        return 0
    if x >= 9223372036854775807.0:
        return I64_MAX
    if x <= -9223372036854775808.0:
        return I64_MIN
    return int(x)


I64_MAX = 2**63 - 1
I64_MIN = -(2**63)


def expect_tensor(builtin: str, value: Any, *, gpu: bool = False) -> Tensor:
    """An autograd tensor argument (`tensor_shape() expects a tensor, got tensor`); `gpu=True` also accepts
    GPU tensors (§6.11)."""
    if isinstance(value, Tensor) and (gpu or not isinstance(value, GpuTensor)):
        return value
    raise CharlError(f"{builtin}() expects a tensor, got {kind_name(value)}")


def float_array(values: Any) -> np.ndarray:
    """A flat array of numbers as float64 data (`Cannot convert array to float` for a nested array)."""
    if type(values) is not list:
        raise CharlError(f"Cannot convert {kind_name(values)} to float")
    return np.array([to_float(v) for v in values], dtype=np.float64)


def shape_argument(builtin: str, value: Any) -> tuple[int, ...]:
    """A shape: an array of integers (`tensor_reshape() shape must contain integers`)."""
    if type(value) is not list or any(type(d) is not int for d in value):
        raise CharlError(f"{builtin}() shape must contain integers")
    return tuple(value)


def ieee_arithmetic(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run a builtin with NumPy's floating-point warnings off: overflow to ±inf, `inf - inf` and `0/0` are
    ordinary IEEE results in the reference (§6.9), while NumPy would print a RuntimeWarning on stderr,
    where only Charl's own error text may appear."""

    @functools.wraps(function)
    def quiet(*args: Any) -> Any:
        with np.errstate(all="ignore"):
            return function(*args)

    return quiet
