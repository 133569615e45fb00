"""The value model of LANGUAGE.md §5.1, §5.3 and §5.4.

Charl values are Python values where a Python type fits exactly: `int` (kept in the signed 64-bit range by
the operators), `float`, `bool`, `str`, `list` (array), `tuple`, `None` (null). Every other value (tensors,
functions, layer and optimizer objects, …) is an instance of a `RuntimeValue` subclass, which names its kind
and knows its text and its equality. Builtins never mutate a `list` they receive (value semantics, §5.1).
"""

from __future__ import annotations

from typing import Any, ClassVar

from charl_core.runtime.printing import format_value


class RuntimeValue:
    """A non-primitive value. `KIND` is its `type()` name (§5.1)."""

    __slots__ = ()
    KIND: ClassVar[str] = "object"

    def text(self) -> str:
        """What `print`/`str` show (§5.4)."""
        raise NotImplementedError

    def equals(self, other: Any) -> bool:
        """§5.3: functions and objects are never equal, even to themselves; tensors override this."""
        return False


def kind_name(value: Any) -> str:
    """`type(value)` (§5.1); also the kind names inside error messages."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "boolean"
    if type(value) is int:
        return "integer"
    if type(value) is float:
        return "float"
    if type(value) is str:
        return "string"
    if type(value) is list:
        return "array"
    if type(value) is tuple:
        return "tuple"
    return type(value).KIND


def is_truthy(value: Any) -> bool:
    """§5.3: false, null, 0 and 0.0 are falsy; everything else (NaN, "", [], tensors…) is truthy."""
    if value is None or value is False:
        return False
    if type(value) is int or type(value) is float:
        return value != 0
    return True


def values_equal(left: Any, right: Any) -> bool:
    """`==` (§5.3): never an error; different kinds are never equal."""
    kind = kind_name(left)
    if kind != kind_name(right):
        return False
    if kind in ("array", "tuple"):
        return len(left) == len(right) and all(values_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, RuntimeValue):
        return left.equals(right)
    return left == right


def to_text(value: Any) -> str:
    """`str(value)`: the text `print` shows (§5.4)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is int or kind is str:
        return str(value)
    if kind is float:
        return format_value(value)
    if kind is list:
        return "[" + ", ".join(to_text(item) for item in value) + "]"
    if kind is tuple:
        return "(" + ", ".join(to_text(item) for item in value) + ")"
    return value.text()


def is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float
