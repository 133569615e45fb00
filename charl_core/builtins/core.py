"""LANGUAGE.md §8.1: printing, conversion, arrays and scalar math.

These builtins touch no tensors; their rules fold what is certain about scalars (`len` of an array of known
length, `type` of a value of known kind, `min`/`max` of constants) so that later shape rules see constants,
e.g. `tensor_zeros([len(xs), 2])`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from charl_core.builtins.rules import constant_number, returns
from charl_core.builtins.spec import ArityStyle, Builtin, Call, Kind, Param, Rule
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    NULL,
    STRING,
    AnyType,
    ArrayType,
    BoolType,
    FloatType,
    IntType,
    LegacyTensorType,
    NullType,
    StringType,
    Type,
    UnionType,
    element_count,
    kind_name,
    union,
)

WRONG_KIND = "E106"
INT_OR_FLOAT = union(INT, FLOAT)
_I64_MIN = -(2**63)

# ───────────────────────────── rules ─────────────────────────────


def _number_kind(t: Type | None) -> str | None:
    """ "int" or "float" when `t` is certainly that kind of number; None otherwise."""
    if isinstance(t, IntType):
        return "int"
    if isinstance(t, FloatType):
        return "float"
    return None


def is_number(t: Type | None) -> bool:
    """Whether `t` is certainly an integer or a float (the scalar forms of `tensor_mul`, `min`…)."""
    if isinstance(t, UnionType):
        return all(isinstance(member, IntType | FloatType) for member in t.members)
    return isinstance(t, IntType | FloatType)


_LEN_KINDS = ("array", "string", "tensor")


def length(call: Call) -> Type:
    """`len`: folds arrays of known length, constant strings (UTF-8 bytes, §5.9) and legacy tensors of known
    shape; an argument of another known kind certainly fails (E106, the run-time text)."""
    x = call.argument(0)
    if isinstance(x, ArrayType):
        return IntType(x.length)
    if isinstance(x, StringType):
        return IntType(len(x.value.encode("utf-8")) if x.value is not None else None)
    if isinstance(x, LegacyTensorType):
        return IntType(element_count(x.shape))
    kind = kind_name(x) if x is not None else None
    if kind is not None and kind not in _LEN_KINDS:
        call.report(WRONG_KIND, f"len() requires array, string, or tensor, got {kind}", 0)
    return INT


def _integer_bound(t: Type | None) -> int | None:
    """A constant `range` argument, truncated toward zero as the run time does."""
    if isinstance(t, IntType):
        return t.value
    if isinstance(t, FloatType) and t.value is not None and math.isfinite(t.value):
        return int(t.value)
    return None


def range_array(call: Call) -> Type:
    """`range`: an array of integers whose length is known when every argument is a constant. A constant
    step that truncates to 0 certainly fails, whatever the bounds (E106, the run-time text)."""
    if len(call.arguments) == 3 and _integer_bound(call.arguments[2]) == 0:
        call.report(WRONG_KIND, call.builtin.errors[0])
        return ArrayType(INT)
    bounds = [_integer_bound(argument) for argument in call.arguments]
    if not 1 <= len(bounds) <= 3 or None in bounds:
        return ArrayType(INT)
    if len(bounds) == 1:
        bounds = [0, *bounds]
    start, end, step = (*bounds, 1)[:3]
    span, stride = (end - start, step) if step > 0 else (start - end, -step)
    return ArrayType(INT, max(0, -(-span // stride)))  # len(range(…)) overflows on huge spans


def kind_of(call: Call) -> Type:
    """`type`: the §5.1 name as a constant string when the argument's kind is certain."""
    argument = call.argument(0)
    return StringType(kind_name(argument)) if argument is not None else STRING


def absolute(call: Call) -> Type:
    """`abs` keeps the kind: an integer stays an integer (§8.1)."""
    x = call.argument(0)
    if isinstance(x, IntType):
        return IntType(abs(x.value) if x.value is not None and x.value != _I64_MIN else None)
    if isinstance(x, FloatType):
        return FloatType(abs(x.value) if x.value is not None else None)
    return INT_OR_FLOAT if x is None or isinstance(x, AnyType) or is_number(x) else ANY


def _extremum(pick: Callable[..., Any]) -> Rule:
    """`min`/`max`: an integer when both are integers, else a float (§8.1: `min(3.0, 1) ⇒ 1.0`); folded
    when both are constants."""

    def rule(call: Call) -> Type:
        a, b = call.argument(0), call.argument(1)
        if isinstance(a, IntType) and isinstance(b, IntType):
            return IntType(pick(a.value, b.value) if a.value is not None and b.value is not None else None)
        kinds = (_number_kind(a), _number_kind(b))
        x, y = constant_number(a), constant_number(b)
        if "float" in kinds and is_number(a) and is_number(b):
            return FloatType(pick(x, y) if x is not None and y is not None else None)
        return FLOAT if "float" in kinds else INT_OR_FLOAT

    return rule


def always_fails(call: Call) -> Type:
    """`push`/`pop` fail on every call after the arity check (E106, the entry's run-time text): nothing is
    known of a result."""
    call.report(WRONG_KIND, call.builtin.errors[0])
    return ANY


def assertion(call: Call) -> Type:
    """`assert` with a constant falsy condition (§5.3: `false`, `null`, `0`, `0.0`) certainly stops the
    program with its message (E106: the builtin rejects the argument). A message computed at run time is
    shown as the template."""
    condition = call.argument(0)
    falsy = isinstance(condition, NullType) or (
        isinstance(condition, BoolType | IntType | FloatType)
        and condition.value is not None
        and not condition.value
    )
    if falsy:
        with_message, without_message = call.builtin.errors
        message = call.argument(1)
        if message is None:
            call.report(WRONG_KIND, without_message)
        elif isinstance(message, StringType) and message.value is not None:
            call.report(WRONG_KIND, with_message.replace("‹message›", message.value))
        else:
            call.report(
                WRONG_KIND,
                f"{with_message} (an assertion that always fails; its message is computed at run time)",
            )
    return NULL


# ───────────────────────────── entries ─────────────────────────────

_NUMBER_X = (Param("x", Kind.NUMBER),)


def _unary_float(name: str, summary: str, doc: str, example: str, errors: tuple[str, ...] = ()) -> Builtin:
    """`sqrt`, `exp`, `log`, `sin`, `cos`, `tan`: one number in, always a float out."""
    return Builtin(
        name=name,
        section="8.1",
        usage=f"{name}(x)",
        params=_NUMBER_X,
        result=returns(FLOAT),
        summary=summary,
        doc=doc,
        example=example,
        errors=errors,
    )


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="print",
        section="8.1",
        usage="print(value, ...)",
        params=(Param("values", Kind.ANY, optional=True),),
        max_args=None,
        result=returns(NULL),
        summary="Write the values to stdout, separated by spaces, then a newline",
        doc='Writes `str(a) + " " + str(b) + …` followed by a newline; `print()` writes an empty line. '
        "Takes any number of values of any kind and returns null. Float scalars print as `3.0`, `0.1`, "
        "`0.00001` (never in exponent form) while tensor data prints as `1e-5`, `1e16` (§5.4). Strings "
        'print raw: Charl has no escapes, so `"a\\nb"` prints a backslash and an `n`.',
        example='print("loss:", 0.25, [1, 2.0, "a"])\nprint(tensor([1e-5, 2.0]))',
        core=True,
        keeps_arguments=False,
    ),
    Builtin(
        name="str",
        section="8.1",
        usage="str(value)",
        params=(Param("value"),),
        arity_style=ArityStyle.TAKES_EXACTLY,
        result=returns(STRING),
        summary="The text `print` shows for a value",
        doc="Converts any value to the exact text `print` writes for it (§5.4): `str(3.0)` is `3.0`, "
        "`str(0.1 + 0.2)` is `0.30000000000000004`. Programs use it to build messages, since `+` between a "
        'string and a number is an error: `"n=" + str(n)`.',
        example='let n = 3\nprint("n=" + str(n), str(2.5))',
        core=True,
        keeps_arguments=False,
    ),
    Builtin(
        name="len",
        section="8.1",
        usage="len(x)",
        params=(Param("x"),),
        arity_style=ArityStyle.TAKES_EXACTLY,
        result=length,
        summary="Length of an array, a string (in UTF-8 bytes) or a legacy tensor",
        doc="The number of elements of an array, the number of **UTF-8 bytes** of a string "
        '(`len("héllo")` is 6), or the element count of a legacy tensor. Autograd tensors are rejected: '
        "use `tensor_size` or `tensor_shape`.",
        example='print(len([1, 2, 3]), len("héllo"))',
        errors=("len() requires array, string, or tensor, got ‹kind›",),
        keeps_arguments=False,
    ),
    Builtin(
        name="range",
        section="8.1",
        usage="range(start, end, step)",
        params=(
            Param("start", Kind.NUMBER),
            Param("end", Kind.NUMBER, optional=True),
            Param("step", Kind.NUMBER, optional=True),
        ),
        arity_style=ArityStyle.CUSTOM,
        arity_message="range() takes 1, 2, or 3 arguments, got {got}",
        result=range_array,
        summary="An array of integers from start (default 0) up to but excluding end",
        doc="Like Python's `range`: `range(end)` counts 0, 1, … while below `end`; `range(start, end)` "
        "starts at `start`; a negative `step` counts down. Arguments are truncated to integers. Returns "
        "an array, like the `a..b` operator.",
        example="print(range(4), range(1, 10, 3), range(3, 0, -1))",
        errors=("range() step cannot be zero",),
    ),
    Builtin(
        name="type",
        section="8.1",
        usage="type(value)",
        params=(Param("value"),),
        arity_style=ArityStyle.TAKES_EXACTLY,
        result=kind_of,
        summary="The kind name of a value, as a string",
        doc="Returns the run-time kind name of §5.1: `integer`, `float`, `boolean`, `string`, `array`, "
        "`tuple`, `autograd_tensor`, `tensor` (legacy), `gpu_tensor`, `function`, `null`, or an object "
        "kind such as `sgd_optimizer`. Error messages use the same names.",
        example="print(type(1), type(2.5), type(tensor([1.0])))",
        keeps_arguments=False,
    ),
    Builtin(
        name="assert",
        section="8.1",
        usage="assert(cond, message)",
        params=(Param("cond"), Param("message", optional=True)),
        arity_style=ArityStyle.CUSTOM,
        arity_message="assert() takes 1 or 2 arguments, got {got}",
        result=assertion,
        summary="Stop the program with an error when the condition is falsy",
        doc="Tests the truthiness of `cond` (§5.3: `false`, `null`, `0` and `0.0` are falsy). When falsy, "
        "the program stops with the runtime error `❌ ‹message›`, or `❌ Assertion failed` without a "
        "message; a message that is not a string is formatted as by `str`. Returns null otherwise.",
        example='assert(1 + 1 == 2, "arithmetic works")\nprint("ok")',
        errors=("❌ ‹message›", "❌ Assertion failed"),
        keeps_arguments=False,
    ),
    Builtin(
        name="push",
        section="8.1",
        usage="push(array, v)",
        params=(Param("array"), Param("v")),
        arity_style=ArityStyle.TAKES_EXACTLY,
        result=always_fails,
        summary="Not implemented: always fails after the arity check",
        doc="Every call with two arguments fails with `push() requires mutable array support (not yet "
        "implemented)`. To grow an array, concatenate: `xs = xs + [v]`. The example shows the call and "
        "therefore stops with that error.",
        example="let xs = [1, 2]\npush(xs, 3)",
        errors=("push() requires mutable array support (not yet implemented)",),
        keeps_arguments=False,
    ),
    Builtin(
        name="pop",
        section="8.1",
        usage="pop(array)",
        params=(Param("array"),),
        arity_style=ArityStyle.TAKES_EXACTLY,
        result=always_fails,
        summary="Not implemented: always fails after the arity check",
        doc="Every call with one argument fails with `pop() requires mutable array support (not yet "
        "implemented)`. To drop the last element, slice: `xs = xs[0..len(xs) - 1]`. The example shows the "
        "call and therefore stops with that error.",
        example="let xs = [1, 2]\npop(xs)",
        errors=("pop() requires mutable array support (not yet implemented)",),
        keeps_arguments=False,
    ),
    Builtin(
        name="pow",
        section="8.1",
        usage="pow(base, exponent)",
        params=(Param("base", Kind.NUMBER), Param("exponent", Kind.NUMBER)),
        result=returns(FLOAT),
        summary="base raised to the power exponent, always a float",
        doc="Computes `math.pow(base, exponent)` in binary64. The result is a float even for integer "
        "arguments: `pow(2, 10)` is `1024.0`.",
        example="print(pow(2, 10), pow(2.0, 0.5))",
    ),
    _unary_float(
        "sqrt",
        "Square root of a number, as a float",
        "The square root in binary64; integers are accepted. A negative argument is an error "
        "(`sqrt() of negative number: -1`, the number printed without a fractional part for integral "
        "values).",
        "print(sqrt(16), sqrt(2.0))",
        ("sqrt() of negative number: ‹x›", "sqrt() expects number, got ‹kind›"),
    ),
    _unary_float(
        "exp",
        "e raised to a number, as a float",
        "The exponential in binary64; large arguments overflow to `inf` rather than failing.",
        "print(exp(0), exp(1.0))",
        ("exp() expects number, got ‹kind›",),
    ),
    _unary_float(
        "log",
        "Natural logarithm of a positive number, as a float",
        "The natural (base e) logarithm in binary64. Zero or a negative argument is an error "
        "(`log() of non-positive number: 0`).",
        "print(log(1), log(exp(2.0)))",
        ("log() of non-positive number: ‹x›", "log() expects number, got ‹kind›"),
    ),
    Builtin(
        name="abs",
        section="8.1",
        usage="abs(x)",
        params=_NUMBER_X,
        result=absolute,
        summary="Absolute value of a number, keeping its kind",
        doc="An integer argument gives an integer, a float gives a float: `abs(-3)` is `3`, `abs(-2.5)` "
        "is `2.5`.",
        example="print(abs(-3), abs(-2.5))",
    ),
    _unary_float(
        "sin",
        "Sine of an angle in radians, as a float",
        "The sine in binary64 (platform libm); the argument is in radians and may be an integer.",
        "print(sin(0), sin(1.5707963267948966))",
    ),
    _unary_float(
        "cos",
        "Cosine of an angle in radians, as a float",
        "The cosine in binary64 (platform libm); the argument is in radians and may be an integer.",
        "print(cos(0), cos(3.141592653589793))",
    ),
    _unary_float(
        "tan",
        "Tangent of an angle in radians, as a float",
        "The tangent in binary64 (platform libm); the argument is in radians and may be an integer.",
        "print(tan(0), tan(0.7853981633974483))",
    ),
    Builtin(
        name="min",
        section="8.1",
        usage="min(a, b)",
        params=(Param("a", Kind.NUMBER), Param("b", Kind.NUMBER)),
        result=_extremum(min),
        summary="The smaller of exactly two numbers",
        doc="Compares the two numbers as floats. The result is an integer when both arguments are "
        "integers, otherwise a float: `min(3.0, 1)` is `1.0`. Arrays are not accepted "
        "(`min() expects numbers, got array`).",
        example="print(min(3, 1), min(3.0, 1))",
        errors=("min() expects numbers, got ‹kind›",),
    ),
    Builtin(
        name="max",
        section="8.1",
        usage="max(a, b)",
        params=(Param("a", Kind.NUMBER), Param("b", Kind.NUMBER)),
        result=_extremum(max),
        summary="The larger of exactly two numbers",
        doc="Compares the two numbers as floats. The result is an integer when both arguments are "
        "integers, otherwise a float: `max(1, 2.5)` is `2.5`, `max(1.0, 2)` is `2.0`. Arrays are not "
        "accepted (`max() expects numbers, got array`).",
        example="print(max(1, 2), max(1, 2.5))",
        errors=("max() expects numbers, got ‹kind›",),
    ),
)
