"""Every standard run-time error of LANGUAGE.md §5.11, with its location line (§5.5): the exact message,
`  at FILE:LINE:COL` of the failing expression, then one `  in fn NAME at …` line per user frame."""

from __future__ import annotations

import pytest

from charl_core.runtime.interpreter import run_captured


def position(program: str, fragment: str) -> str:
    """1-based LINE:COL of the last occurrence of `fragment` (the failing expression)."""
    offset = program.rindex(fragment)
    line = program.count("\n", 0, offset) + 1
    column = offset - (program.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


CASES = [
    ("print(nope)", "nope", "Undefined variable: nope"),
    ("nope = 1", "nope", "Cannot assign to undefined variable: nope"),
    ("fn f(a: int) { a }\nf(1, 2)", "f(1, 2)", "Wrong number of arguments: expected 1, got 2"),
    ("let x = 3\nx(1)", "x(1)", "Cannot call non-function value: integer"),
    ('let s = "a" + 1', '"a" + 1', "Cannot add string and integer"),
    ("let s = [1] - [1]", "[1] - [1]", "Cannot subtract array and array"),
    ('let s = "a" * 2', '"a" * 2', "Cannot multiply string and integer"),
    ("let s = true / 2", "true / 2", "Cannot divide boolean and integer"),
    ("let s = 5.0 % 2", "5.0 % 2", "Cannot modulo float and integer"),
    ('let s = "a" < "b"', '"a" < "b"', "Cannot compare string and string"),
    ("let s = 1 < 2 < 3", "1 < 2 < 3", "Cannot compare boolean and integer"),
    ('let s = -"a"', '-"a"', "Cannot negate string"),
    ("let s = 1 / 0", "1 / 0", "Division by zero"),
    ("let s = 1.5 / -0.0", "1.5 / -0.0", "Division by zero"),
    ("let s = 1 % 0", "1 % 0", "Modulo by zero"),
    ("let a = [1, 2, 3]\nprint(a[5])", "a[5]", "Index out of bounds: 5"),
    ("let a = [1, 2, 3]\nprint(a[-4])", "a[-4]", "Index out of bounds: 18446744073709551615"),
    ("let a = [1, 2, 3]\na[3] = 1", "a[3]", "Index 3 out of bounds (len=3)"),
    ("let a = [1, 2, 3]\na[-1] = 1", "a[-1]", "Index 18446744073709551615 out of bounds (len=3)"),
    ("let a = [[1], [2]]\na[1][4] = 1", "a[1][4]", "Index 4 out of bounds"),
    ("let a = [1, 2]\na[0][0] = 1", "a[0][0]", "Cannot index into non-array"),
    ("let a = [1, 2]\na[0][0][0] = 1", "a[0][0][0]", "Expected array at this level"),
    ("let a = [1]\nprint(a[1.0])", "a[1.0]", "Index must be an integer or range, got float"),
    ("let a = [1]\nprint(a[[0.5, 1]])", "a[[0.5, 1]]", "Range values must be integers"),
    ('let a = [1]\na["x"] = 2', 'a["x"]', "Array index must be a number"),
    ('print("abc"[0])', '"abc"[0]', "Cannot index into string"),
    ('print("abc"[0..1])', '"abc"[0..1]', "Cannot slice string"),
    ("let x = 5\nx[0] = 1", "x[0]", "x is not an array"),
    ("let t = (1, 2)\nt.0 = 5", "t.0", "Invalid assignment target"),
    ("for x in 5 { }", "5", "Cannot iterate over type integer"),
    ("let t = (1, 2)\nprint(t.3)", "t.3", "Tuple index out of bounds: index 3 on tuple of length 2"),
    ("print([1].0)", "[1].0", "Cannot index type array with tuple index syntax"),
    ("match 2.5 { 1 => 0 }", "match", "Non-exhaustive match: value float didn't match any pattern"),
    ('print("s" as int32)', '"s" as int32', "Cannot cast string to int32"),
    ("print([1] as float64)", "[1] as float64", "Cannot cast array to float64"),
    ("print(() as bool)", "() as bool", "Cannot cast tuple to bool"),
    ("print(1 as Foo)", "1 as Foo", "Unknown cast target type: Foo"),
    ('print("a"..3)', '"a"..3', "Cannot convert string to integer"),
    ("print([1] @ [2])", "[1] @ [2]", "Matrix multiplication not yet implemented"),
    ('print([0; "n"])', '[0; "n"]', "Array repeat count must be integer, got string"),
    ("print(len(1, 2, 3))", "len(1, 2, 3)", "len() takes exactly 1 argument, got 3"),
    ("print(nn_mse_loss(1))", "nn_mse_loss(1)", "loss_mse() expects 2 arguments: loss_mse(pred, target)"),
]


@pytest.mark.parametrize(("program", "fragment", "message"), CASES, ids=[case[2] for case in CASES])
def test_error_message_and_location(program: str, fragment: str, message: str) -> None:
    result = run_captured(program, "prog.ch")
    assert result.code == 1
    location = f"  at prog.ch:{position(program, fragment)}"
    assert result.stderr.splitlines() == ["❌ Runtime error:", message, location]


FUSED = [
    ('if "a" < 1 { print(1) }', '"a" < 1', "Cannot compare string and integer"),
    ("let n = 2\nlet i = 0\nwhile i < n { i = i + 1  n = [n] }", "i < n", "Cannot compare integer and array"),
    ("print(if 1 / 0 > 0 { 1 } else { 2 })", "1 / 0", "Division by zero"),
    ("fn f(a: int) -> int { return a % 0 }\nf(1)", "a % 0", "Modulo by zero"),
]
"""Conditions of `if`/`while` and values of `return` compile into one function with their statement."""


@pytest.mark.parametrize(("program", "fragment", "message"), FUSED, ids=[case[2] for case in FUSED])
def test_errors_in_conditions_and_returns_point_at_the_operation(
    program: str, fragment: str, message: str
) -> None:
    result = run_captured(program, "prog.ch")
    assert result.code == 1
    location = f"  at prog.ch:{position(program, fragment)}"
    assert result.stderr.splitlines()[:3] == ["❌ Runtime error:", message, location]


def test_stack_lines_name_each_user_frame_innermost_first() -> None:
    program = """fn inner(v: int) -> int {
  v - "s"
}
fn outer(v: int) -> int { inner(v) }
print(1)
outer(1)"""
    result = run_captured(program, "prog.ch")
    assert result.stdout == "1\n"
    assert result.stderr.splitlines() == [
        "❌ Runtime error:",
        "Cannot subtract integer and string",
        f"  at prog.ch:{position(program, 'v - ')}",
        f"  in fn inner at prog.ch:{position(program, 'inner(v)')}",
        f"  in fn outer at prog.ch:{position(program, 'outer(1)')}",
    ]


def test_errors_inside_builtins_point_at_the_call() -> None:
    program = "fn f(x: float) -> float { sqrt(x) }\nf(-1)"
    result = run_captured(program, "p.ch")
    assert result.stderr.splitlines()[1:] == [
        "sqrt() of negative number: -1",
        f"  at p.ch:{position(program, 'sqrt(x)')}",
        f"  in fn f at p.ch:{position(program, 'f(-1)')}",
    ]


def test_assert_failure_message_starts_with_the_cross() -> None:
    result = run_captured('assert(1 == 2, "math is broken")')
    assert result.stderr.splitlines()[:2] == ["❌ Runtime error:", "❌ math is broken"]
    result = run_captured("assert(false)")
    assert result.stderr.splitlines()[1] == "❌ Assertion failed"


def test_output_before_the_error_is_kept() -> None:
    result = run_captured('print("first")\nprint(1 / 0)\nprint("never")')
    assert (result.stdout, result.code) == ("first\n", 1)


def test_parse_errors_run_nothing() -> None:
    result = run_captured('print("side effect")\nlet x = (1 +\n', "p.ch")
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:2] == ["❌ Parse error:", "Parser errors:"]
    assert lines[2].startswith("p.ch:3:1: ") or lines[2].startswith("p.ch:2:")
    assert result.code == 1


def test_a_broken_builtin_is_an_internal_error_not_a_traceback() -> None:
    from charl_core.builtins import lookup
    from charl_core.runtime.library import load

    load()
    entry = lookup("sin")

    def broken(ctx: object, args: list) -> float:
        return {}["missing"]

    working = entry.implementation
    object.__setattr__(entry, "implementation", broken)  # catalog entries are frozen dataclasses
    try:
        result = run_captured("print(1)\nprint(sin(1.0))", "p.ch")
    finally:
        object.__setattr__(entry, "implementation", working)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "❌ Runtime error:",
        "sin(): internal error: KeyError: 'missing'",
        "  at p.ch:2:7",
    ]


def test_running_out_of_memory_is_a_runtime_error() -> None:
    result = run_captured('print("before")\nlet a = [0; 9223372036854775807]')
    assert (result.stdout, result.code) == ("before\n", 1)
    assert result.stderr.splitlines() == ["❌ Runtime error:", "out of memory"]


def test_a_value_nested_too_deeply_to_print_is_a_runtime_error() -> None:
    program = "let a = [1]\nlet i = 0\nwhile i < 500000 { a = [a]  i = i + 1 }\nprint(str(a) == str(a))"
    result = run_captured(program)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "❌ Runtime error:",
        "value or expression nested too deeply for this interpreter",
    ]
