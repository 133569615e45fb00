"""LANGUAGE.md §8.1: printing, conversion, arrays and scalar math.

Scalar math is binary64 with the original's edge cases: results that overflow are `inf` and domain
errors are NaN, as Rust's `f64` methods give them (Python's `math` raises instead), except where §8.1
names an error (`sqrt` of a negative number, `log` of a non-positive one).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import to_float, to_int
from charl_core.runtime.printing import format_display
from charl_core.runtime.tensor import LegacyTensor
from charl_core.runtime.values import is_truthy, kind_name, to_text

_INT_MIN = -(2**63)


@implements("print")
def print_values(ctx: Any, args: list) -> None:
    ctx.write(" ".join([to_text(value) for value in args]) + "\n")


@implements("str")
def text_of(ctx: Any, args: list) -> str:
    return to_text(args[0])


@implements("len")
def length(ctx: Any, args: list) -> int:
    """Arrays: elements; strings: UTF-8 bytes (§5.9); legacy tensors: elements."""
    value = args[0]
    kind = type(value)
    if kind is list:
        return len(value)
    if kind is str:
        return len(value.encode("utf-8", "surrogatepass"))
    if kind is LegacyTensor:
        return int(value.data.shape[0])
    raise CharlError(f"len() requires array, string, or tensor, got {kind_name(value)}")


@implements("range")
def range_array(ctx: Any, args: list) -> list[int]:
    bounds = [to_int(value) for value in args]
    if len(bounds) == 3 and bounds[2] == 0:
        raise CharlError("range() step cannot be zero")
    return list(range(*bounds))


@implements("type")
def type_name(ctx: Any, args: list) -> str:
    return kind_name(args[0])


@implements("assert")
def assert_true(ctx: Any, args: list) -> None:
    if is_truthy(args[0]):
        return None
    if len(args) == 1:
        raise CharlError("❌ Assertion failed")
    message = args[1]
    raise CharlError(f"❌ {message if type(message) is str else to_text(message)}")


@implements("push")
def push(ctx: Any, args: list) -> None:
    raise CharlError("push() requires mutable array support (not yet implemented)")


@implements("pop")
def pop(ctx: Any, args: list) -> None:
    raise CharlError("pop() requires mutable array support (not yet implemented)")


def _odd_integer(x: float) -> bool:
    return math.isfinite(x) and x == math.floor(x) and math.fmod(x, 2.0) != 0.0


@implements("pow")
def power(ctx: Any, args: list) -> float:
    """`math.pow`, but with IEEE results where Python raises (`pow(0, -1) ⇒ inf`, `pow(10, 400) ⇒ inf`)."""
    base, exponent = to_float(args[0]), to_float(args[1])
    try:
        return math.pow(base, exponent)
    except OverflowError:
        negative = base < 0 and _odd_integer(exponent)
        return -math.inf if negative else math.inf
    except ValueError:
        if base == 0.0:  # a negative power of zero: a pole
            negative = math.copysign(1.0, base) < 0 and _odd_integer(exponent)
            return -math.inf if negative else math.inf
        return math.nan  # a negative base to a fractional power


def _number(name: str, value: Any) -> float:
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return float(value)
    raise CharlError(f"{name}() expects number, got {kind_name(value)}")


@implements("sqrt")
def square_root(ctx: Any, args: list) -> float:
    x = _number("sqrt", args[0])
    if x < 0:
        raise CharlError(f"sqrt() of negative number: {format_display(x)}")
    return math.sqrt(x)


@implements("exp")
def exponential(ctx: Any, args: list) -> float:
    x = _number("exp", args[0])
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


@implements("log")
def logarithm(ctx: Any, args: list) -> float:
    x = _number("log", args[0])
    if x <= 0:
        raise CharlError(f"log() of non-positive number: {format_display(x)}")
    return math.log(x)


@implements("abs")
def absolute(ctx: Any, args: list) -> Any:
    """Keeps the kind; `abs` of the smallest integer wraps to itself, as 64-bit arithmetic does."""
    x = args[0]
    if type(x) is int:
        return x if x == _INT_MIN else abs(x)
    return abs(_number("abs", x))


def _trigonometric(name: str, function: Callable[[float], float]) -> None:
    def apply(ctx: Any, args: list) -> float:
        x = _number(name, args[0])
        try:
            return function(x)
        except ValueError:  # sin(inf) and friends: NaN in IEEE arithmetic
            return math.nan

    apply.__name__ = name
    implements(name)(apply)


for _name, _function in (("sin", math.sin), ("cos", math.cos), ("tan", math.tan)):
    _trigonometric(_name, _function)


def _extremum(name: str, pick_first: Callable[[float, float], bool]) -> None:
    """`min`/`max`: two numbers compared as floats; an integer result only when both are integers. A NaN
    loses to a number (Rust's `f64::min`/`max`)."""

    def apply(ctx: Any, args: list) -> Any:
        a, b = args
        for value in (a, b):
            if type(value) is not int and type(value) is not float:
                raise CharlError(f"{name}() expects numbers, got {kind_name(value)}")
        x, y = float(a), float(b)
        if math.isnan(x) or math.isnan(y):
            chosen = b if math.isnan(x) else a
        else:
            chosen = a if pick_first(x, y) else b
        if type(a) is int and type(b) is int:
            return chosen
        return float(chosen)

    apply.__name__ = name
    implements(name)(apply)


_extremum("min", lambda x, y: x <= y)
_extremum("max", lambda x, y: x >= y)
