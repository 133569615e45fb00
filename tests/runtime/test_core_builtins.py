"""§8.1 builtins through the real interpreter: results against Python's `math` (the binary64 libm the
original also used; tolerance: exact, since both sides call the same C functions) and the exact messages."""

from __future__ import annotations

import math

import pytest

from charl_core.builtins import lookup
from charl_core.runtime.interpreter import run_captured
from charl_core.runtime.printing import format_value

CORE = (
    "print",
    "str",
    "len",
    "range",
    "type",
    "assert",
    "push",
    "pop",
    "pow",
    "sqrt",
    "exp",
    "log",
    "abs",
    "sin",
    "cos",
    "tan",
    "min",
    "max",
)


def value_of(expression: str) -> str:
    result = run_captured(f"print({expression})")
    assert result.code == 0, result.stderr
    return result.stdout.rstrip("\n")


def error_of(program: str) -> str:
    result = run_captured(program)
    assert result.code == 1
    return result.stderr.splitlines()[1]


@pytest.mark.parametrize("name", CORE)
def test_every_core_builtin_has_an_implementation_and_its_example_runs(name: str) -> None:
    from charl_core.runtime.library import load

    load()
    entry = lookup(name)
    assert entry.implementation is not None
    result = run_captured(entry.example)
    if name in ("push", "pop"):  # their examples show the error they always raise
        assert f"{name}() requires mutable array support (not yet implemented)" in result.stderr
    else:
        assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("pow(2, 10)", 1024.0),
        ("pow(2.0, 0.5)", math.pow(2.0, 0.5)),
        ("sqrt(16)", 4.0),
        ("sqrt(2.0)", math.sqrt(2.0)),
        ("exp(1.0)", math.exp(1.0)),
        ("log(10)", math.log(10)),
        ("sin(1.5)", math.sin(1.5)),
        ("cos(3)", math.cos(3)),
        ("tan(0.7853981633974483)", math.tan(0.7853981633974483)),
    ],
)
def test_scalar_math_matches_libm(expression: str, expected: float) -> None:
    assert value_of(expression) == format_value(expected)


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("exp(1000)", "inf"),
        ("pow(10, 400)", "inf"),
        ("pow(-10, 401)", "-inf"),
        ("pow(0, -1)", "inf"),
        ("pow(-8, 0.5)", "NaN"),
        ("abs(-3)", "3"),
        ("abs(-2.5)", "2.5"),
        ("abs(-9223372036854775807 - 1)", "-9223372036854775808"),
        ("min(3, 1)", "1"),
        ("min(3.0, 1)", "1.0"),
        ("max(1, 2.5)", "2.5"),
        ("max(1.0, 2)", "2.0"),
        ("len([1, [2, 3]])", "2"),
        ('len("héllo")', "6"),
        ('len("")', "0"),
        ("range(4)", "[0, 1, 2, 3]"),
        ("range(1, 10, 3)", "[1, 4, 7]"),
        ("range(3, 0, -1)", "[3, 2, 1]"),
        ("range(2.9)", "[0, 1]"),
        (
            'type(1) + type(2.5) + type("s") + type(true) + type([]) + type(()) + type(print())',
            "\nintegerfloatstringbooleanarraytuplenull",  # print() wrote its empty line first
        ),
        ("str(0.1 + 0.2) + str([1.0])", "0.30000000000000004[1.0]"),
        ("print(1, 2)", "1 2\nnull"),
    ],
)
def test_core_results(expression: str, printed: str) -> None:
    assert value_of(expression) == printed


@pytest.mark.parametrize(
    ("program", "message"),
    [
        ("sqrt(-1)", "sqrt() of negative number: -1"),
        ("sqrt(-2.5)", "sqrt() of negative number: -2.5"),
        ('sqrt("x")', "sqrt() expects number, got string"),
        ("log(0)", "log() of non-positive number: 0"),
        ("log(-0.001)", "log() of non-positive number: -0.001"),
        ("min([1], 2)", "min() expects numbers, got array"),
        ('max(1, "2")', "max() expects numbers, got string"),
        ("len(5)", "len() requires array, string, or tensor, got integer"),
        ("len(tensor([1.0]))", "len() requires array, string, or tensor, got autograd_tensor"),
        ("range(1, 5, 0)", "range() step cannot be zero"),
        ('range("a")', "Cannot convert string to integer"),
        ('pow("a", 2)', "Cannot convert string to float"),
        ("range(1, 2, 3, 4)", "range() takes 1, 2, or 3 arguments, got 4"),
        ("assert()", "assert() takes 1 or 2 arguments, got 0"),
        ("push([1])", "push() takes exactly 2 arguments, got 1"),
        ("push([1], 2)", "push() requires mutable array support (not yet implemented)"),
        ("pop([1])", "pop() requires mutable array support (not yet implemented)"),
        ("str()", "str() takes exactly 1 argument, got 0"),
        ("sin(1, 2)", "sin() expects 1 argument: sin(x)"),
        ("assert(0, 42)", "❌ 42"),
        ("assert(0.0, [1, 2.0])", "❌ [1, 2.0]"),
        ('assert(print(), "null is falsy")', "❌ null is falsy"),
    ],
)
def test_core_errors(program: str, message: str) -> None:
    assert error_of(program) == message


def test_arguments_are_evaluated_before_the_arity_check() -> None:
    result = run_captured('len(print("first"), print("second"))')
    assert result.stdout == "first\nsecond\n"
    assert "len() takes exactly 1 argument, got 2" in result.stderr
