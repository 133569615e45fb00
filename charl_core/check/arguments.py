"""Argument kinds of builtin calls (E106): does an argument certainly have a kind the parameter rejects,
and with which of the run time's messages."""

from __future__ import annotations

from charl_core.builtins.spec import Builtin, Kind
from charl_core.types import (
    ArrayType,
    BoolType,
    FloatType,
    IntType,
    StringType,
    TensorType,
    Type,
    kind_name,
)


def _kind_message(entry: Builtin) -> str | None:
    """The builtin's own wrong-kind message from the catalog (`tensor_add() expects two tensors`)."""
    prefix = f"{entry.name}() expects "
    for message in entry.errors:
        if (
            message.startswith(prefix)
            and not message[len(prefix) :][:1].isdigit()
            and "argument" not in message
        ):
            return message
    return None


_KIND_TESTS = {
    Kind.TENSOR: lambda t: isinstance(t, TensorType),
    Kind.NUMBER: lambda t: isinstance(t, IntType | FloatType),
    Kind.INTEGER: lambda t: isinstance(t, IntType),
    Kind.BOOLEAN: lambda t: isinstance(t, BoolType),
    Kind.STRING: lambda t: isinstance(t, StringType),
    Kind.ARRAY: lambda t: isinstance(t, ArrayType),
    Kind.SHAPE: lambda t: isinstance(t, ArrayType),
    Kind.NUMBERS: lambda t: isinstance(t, ArrayType),
    Kind.TENSORS: lambda t: isinstance(t, ArrayType),
    Kind.TENSOR_OR_NUMBER: lambda t: isinstance(t, TensorType | IntType | FloatType),
}


def kind_problem(entry: Builtin, kind: Kind, object_kind: str | None, argument: Type) -> str | None:
    """The run time's message when `argument` certainly has a kind the parameter rejects (E106)."""
    actual = kind_name(argument)
    if actual is None or kind is Kind.ANY:
        return None
    if kind is Kind.OBJECT:
        if object_kind is None or actual == object_kind:
            return None
        return f"{entry.name}() expects {object_kind}, got {actual}"
    test = _KIND_TESTS.get(kind)
    if test is None or test(argument):
        return None
    documented = _kind_message(entry)
    if documented is not None:
        return documented.replace("‹kind›", actual)
    if kind in (Kind.NUMBER, Kind.TENSOR_OR_NUMBER) and not isinstance(argument, TensorType):
        return f"Cannot convert {actual} to float"
    article = "an" if kind.value[0] in "aeiou" else "a"
    return f"{entry.name}() expects {article} {kind.value}, got {actual}"
