"""The scalar operators of LANGUAGE.md §5.2 (and the dispatch of tensor operands to §9.3).

Integers wrap in two's-complement 64-bit arithmetic, `/` truncates toward zero, `%` takes the dividend's
sign, and every division by zero is an error. `bool` is not a number here (`true + 1` is
`Cannot add boolean and integer`), so the checks compare exact types rather than using `isinstance`.
Each function first tries the common float/int cases, so the interpreter's hot loops pay one or two type
tests per operation.
"""

from __future__ import annotations

from typing import Any

from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import is_truthy, kind_name, values_equal

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
_MODULUS = 2**64

VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "modulo"}


def wrap(value: int) -> int:
    """An integer result brought back into the signed 64-bit range (§5.2: arithmetic wraps)."""
    if INT_MIN <= value <= INT_MAX:
        return value
    return (value - INT_MIN) % _MODULUS + INT_MIN


def _tensor_operation(ctx: Any, symbol: str, left: Any, right: Any) -> Any:
    """§9.3: `+ - * /` with a tensor and a tensor or number (bool is not a number)."""
    lt, rt = type(left), type(right)
    if (isinstance(left, Tensor) and (isinstance(right, Tensor) or rt is int or rt is float)) or (
        isinstance(right, Tensor) and (lt is int or lt is float)
    ):
        from charl_core.runtime import tensor_operators

        return tensor_operators.binary(ctx, symbol, left, right)
    raise CharlError(f"Cannot {VERBS[symbol]} {kind_name(left)} and {kind_name(right)}")


def add(ctx: Any, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is float:
        if tb is float or tb is int:
            return a + b
    elif ta is int:
        if tb is int:
            r = a + b
            return r if INT_MIN <= r <= INT_MAX else wrap(r)
        if tb is float:
            return a + b
    elif (ta is str and tb is str) or (ta is list and tb is list):
        return a + b
    return _tensor_operation(ctx, "+", a, b)


def subtract(ctx: Any, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is float:
        if tb is float or tb is int:
            return a - b
    elif ta is int:
        if tb is int:
            r = a - b
            return r if INT_MIN <= r <= INT_MAX else wrap(r)
        if tb is float:
            return a - b
    return _tensor_operation(ctx, "-", a, b)


def multiply(ctx: Any, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is float:
        if tb is float or tb is int:
            return a * b
    elif ta is int:
        if tb is int:
            r = a * b
            return r if INT_MIN <= r <= INT_MAX else wrap(r)
        if tb is float:
            return a * b
    return _tensor_operation(ctx, "*", a, b)


def divide(ctx: Any, a: Any, b: Any) -> Any:
    """Integers truncate toward zero; any zero divisor (`0`, `0.0`, `-0.0`) is an error, never inf/NaN."""
    ta, tb = type(a), type(b)
    if (ta is float or ta is int) and (tb is float or tb is int):
        if b == 0:
            raise CharlError("Division by zero")
        if ta is int and tb is int:
            q = abs(a) // abs(b)
            return wrap(q if (a < 0) == (b < 0) else -q)
        return a / b
    return _tensor_operation(ctx, "/", a, b)


def modulo(ctx: Any, a: Any, b: Any) -> Any:
    """Integers only; the result has the dividend's sign (`-7 % 3 ⇒ -1`)."""
    if type(a) is int and type(b) is int:
        if b == 0:
            raise CharlError("Modulo by zero")
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    raise CharlError(f"Cannot modulo {kind_name(a)} and {kind_name(b)}")


def matmul(ctx: Any, a: Any, b: Any) -> Any:
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        from charl_core.runtime import tensor_operators

        return tensor_operators.matmul(ctx, a, b)
    raise CharlError("Matrix multiplication not yet implemented")


def _comparable(a: Any, b: Any) -> tuple[Any, Any]:
    """Integers and floats only; a mixed pair compares as floats (the integer converted, §5.2)."""
    ta, tb = type(a), type(b)
    if ta is tb and (ta is float or ta is int):
        return a, b
    if (ta is float or ta is int) and (tb is float or tb is int):
        return float(a), float(b)
    raise CharlError(f"Cannot compare {kind_name(a)} and {kind_name(b)}")


def less(ctx: Any, a: Any, b: Any) -> bool:
    if type(a) is float and type(b) is float:
        return a < b
    a, b = _comparable(a, b)
    return a < b


def less_equal(ctx: Any, a: Any, b: Any) -> bool:
    if type(a) is float and type(b) is float:
        return a <= b
    a, b = _comparable(a, b)
    return a <= b


def greater(ctx: Any, a: Any, b: Any) -> bool:
    if type(a) is float and type(b) is float:
        return a > b
    a, b = _comparable(a, b)
    return a > b


def greater_equal(ctx: Any, a: Any, b: Any) -> bool:
    if type(a) is float and type(b) is float:
        return a >= b
    a, b = _comparable(a, b)
    return a >= b


_SIMPLE = (int, float, str)


def equal(ctx: Any, a: Any, b: Any) -> bool:
    """§5.3: never an error; different kinds are never equal (`1 == 1.0 ⇒ false`)."""
    ta = type(a)
    if ta is type(b) and ta in _SIMPLE:
        return a == b
    return values_equal(a, b)


def not_equal(ctx: Any, a: Any, b: Any) -> bool:
    return not equal(ctx, a, b)


def logical_and(ctx: Any, a: Any, b: Any) -> bool:
    """Both operands were evaluated: `and`/`or` never short-circuit (§5.2)."""
    return is_truthy(a) and is_truthy(b)


def logical_or(ctx: Any, a: Any, b: Any) -> bool:
    return is_truthy(a) or is_truthy(b)


BINARY = {
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "%": modulo,
    "@": matmul,
    "<": less,
    "<=": less_equal,
    ">": greater,
    ">=": greater_equal,
    "==": equal,
    "!=": not_equal,
    "and": logical_and,
    "or": logical_or,
}
"""Operator spelling (as the AST normalises it) → implementation `(ctx, left, right) -> value`."""


def negate(ctx: Any, value: Any) -> Any:
    kind = type(value)
    if kind is float:
        return -value
    if kind is int:
        return wrap(-value)
    if isinstance(value, Tensor):
        from charl_core.runtime import tensor_operators

        return tensor_operators.negate(ctx, value)
    raise CharlError(f"Cannot negate {kind_name(value)}")


def logical_not(ctx: Any, value: Any) -> bool:
    return not is_truthy(value)


UNARY = {"-": negate, "not": logical_not}
