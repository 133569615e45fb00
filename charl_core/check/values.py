"""Calls that certainly fail because of their argument *values*, not their kinds or shapes (LANGUAGE.md §8.1).

The catalog's rules see types; these few failures need constants: `push`/`pop` fail on every call after the
arity check, `range` with a step that truncates to 0, `assert` with a constant falsy condition. The code is
E106 ("builtin argument of a certainly wrong kind", §4.5): of §4.5's codes it is the one about a builtin
rejecting its arguments, and a zero step or a false assertion is an argument the builtin certainly rejects.
The certainty rule of §4.6 applies as for every E-finding (the caller reports through `Reporter`).

The messages are the run-time texts, read from the catalog entry's `errors`.

These rows belong with their entries in `charl_core/builtins/core.py` (a rule may report findings); they
live here until the catalog's owners move them, keyed by builtin name.
"""

from __future__ import annotations

from collections.abc import Callable

from charl_core.builtins.spec import Builtin
from charl_core.types import BoolType, FloatType, IntType, NullType, StringType, Type

ValueRule = Callable[[Builtin, list[Type]], str | None]
"""The run-time message of a certain failure of this call, or None."""


def _always(entry: Builtin, arguments: list[Type]) -> str | None:
    return entry.errors[0] if entry.errors else None


def _zero_step(entry: Builtin, arguments: list[Type]) -> str | None:
    step = arguments[2] if len(arguments) == 3 else None
    value = step.value if isinstance(step, IntType | FloatType) else None
    if value is not None and value == value and abs(value) < 1 and entry.errors:  # truncated to 0 (§8.1)
        return entry.errors[0]
    return None


def _false_assertion(entry: Builtin, arguments: list[Type]) -> str | None:
    condition = arguments[0] if arguments else None
    falsy = isinstance(condition, NullType) or (
        isinstance(condition, BoolType | IntType | FloatType)
        and condition.value is not None
        and not condition.value
    )
    if not falsy:
        return None
    if len(arguments) == 1:
        return "❌ Assertion failed"
    message = arguments[1]
    if isinstance(message, StringType) and message.value is not None:
        return f"❌ {message.value}"
    return "❌ ‹message› (an assertion that always fails; its message is computed at run time)"


VALUE_RULES: dict[str, ValueRule] = {
    "push": _always,
    "pop": _always,
    "range": _zero_step,
    "assert": _false_assertion,
}


def certain_failure(entry: Builtin, arguments: list[Type]) -> str | None:
    rule = VALUE_RULES.get(entry.name)
    return rule(entry, arguments) if rule is not None else None
