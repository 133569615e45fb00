"""§5.1, §5.4, §5.8–§5.10 through the real interpreter: value semantics of arrays, indexing, slicing,
index assignment, tuples, ranges, `[v; n]`, match patterns, casts and the print formats."""

from __future__ import annotations

import pytest

from charl_core.runtime.interpreter import run_captured


def output(program: str) -> str:
    result = run_captured(program)
    assert result.code == 0, result.stderr
    return result.stdout


# ── value semantics (§5.1) ──


def test_index_assignment_never_changes_another_variable() -> None:
    program = """
let a = [1, 2, 3]
let b = a
b[0] = 100
let m = [[0, 0], [0, 0]]
let row = m[0]
m[0][1] = 5
row[0] = 7
let nested = [a, a]
nested[0][0] = -1
let t = (a, 1)
a[2] = 30
print(a, b, m, row, nested, t)
"""
    expected = "[1, 2, 30] [100, 2, 3] [[0, 5], [0, 0]] [7, 0] [[-1, 2, 3], [1, 2, 3]] ([1, 2, 3], 1)\n"
    assert output(program) == expected


def test_snapshot_and_for_loop_see_the_array_as_it_was() -> None:
    program = """
let xs = [1, 2, 3]
fn show() { print(xs) }
for x in xs { xs[0] = x * 10 }
show()
print(xs)
"""
    assert output(program) == "[1, 2, 3]\n[30, 2, 3]\n"


def test_array_repeat_elements_are_independent() -> None:
    assert output("let g = [[0; 2]; 2]\ng[0][0] = 1\nprint(g)") == "[[1, 0], [0, 0]]\n"


def test_the_dataset_idiom_is_linear() -> None:
    """`xs[i] = …` in a loop writes in place: 20 000 writes into a 20 000-element array would take
    minutes if every write copied the array."""
    program = """
let n = 20000
let xs = [0.0; 20000]
let i = 0
while i < len(xs) { xs[i] = i * 0.5  i = i + 1 }
print(xs[n - 1], len(xs))
"""
    assert output(program) == "9999.5 20000\n"


# ── indexing, slicing, tuples, ranges (§5.9) ──


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("a[-1]", "50"),
        ("a[-5]", "10"),
        ("a[1..3]", "[20, 30]"),
        ("a[0..=2]", "[10, 20, 30]"),
        ("a[-2..10]", "[40, 50]"),
        ("a[4..1]", "[]"),
        ("a[[3, 1, 1]]", "[]"),
        ("a[[1, 5, 3]]", "[20, 30, 40]"),
        ("a[[]]", "[]"),
        ("[[1, 2], [3, 4]][-1][-1]", "4"),
        ("(1, (2, 3)).1", "(2, 3)"),
        ("((1, (2, 3)).1).0", "2"),
        ("0..3", "[0, 1, 2]"),
        ("3..0", "[]"),
        ("1.9..=3.5", "[1, 2, 3]"),
        ("0..2 + 1", "[0, 1, 2]"),
        ("[0.5; 3]", "[0.5, 0.5, 0.5]"),
        ("[1; 2.9]", "[1, 1]"),
        ("[1; -2]", "[]"),
    ],
)
def test_access(expression: str, printed: str) -> None:
    assert output(f"let a = [10, 20, 30, 40, 50]\nprint({expression})") == printed + "\n"


def test_index_assignment_forms() -> None:
    program = """
let cube = [[[0, 0], [0, 0]], [[0, 0], [0, 0]]]
cube[1][1][0] = 9
let b = [1, 2, 3]
b[1.9] = 20
let rows = [[1, 2], [3, 4]]
rows[0] = [10, 20, 30]
rows[1][0] = rows[0][2] + 1
print(cube, b, rows)
"""
    assert output(program) == "[[[0, 0], [0, 0]], [[0, 0], [9, 0]]] [1, 20, 3] [[10, 20, 30], [31, 4]]\n"


# ── match (§5.8) ──


def test_match_patterns_compare_kinds() -> None:
    program = """
fn kind(v: int) -> string {
    match v { 1 => "int one", 1.0 => "float one", "1" => "text", true => "yes", _ => "other" }
}
print(kind(1), kind(1.0), kind("1"), kind(true), kind(1.0 + 1e-17), kind(1.0 + 1e-15))
print(match 3 { 0 => "zero" 1 => "one" n => n * 2 })
"""
    assert output(program) == "int one float one text yes float one other\n6\n"


# ── casts (§5.10, §9.5) ──


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("7.9 as int32", "7"),
        ("-7.9 as int64", "-7"),
        ("3 as float32", "3.0"),
        ("0.0 as bool", "false"),
        ("true as int", "1"),
        ("false as float", "0.0"),
        ("2 as float", "2.0"),
        ("1e300 as int", "9223372036854775807"),
        ("-1e300 as int", "-9223372036854775808"),
        ("(1e308 * 10.0 - 1e308 * 10.0) as int", "0"),
        ("0.1 as float32", "0.1"),
        ("5 as bool", "true"),
        ("1 + 2 as float32", "3.0"),
    ],
)
def test_casts(expression: str, printed: str) -> None:
    assert output(f"print({expression})") == printed + "\n"


# ── printing (§5.4) ──


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("3.0", "3.0"),
        ("-0.0", "-0.0"),
        ("1e-5", "0.00001"),
        ("-7.25e-9", "-0.00000000725"),
        ("1e16", "10000000000000000.0"),
        ("1e20", "100000000000000000000.0"),
        ("0.7379999999999999", "0.7379999999999999"),
        ("1e308 * 10.0", "inf"),
        ("-1e308 * 10.0", "-inf"),
        ('[1, 2.0, "a", [true, ()]]', "[1, 2.0, a, [true, ()]]"),
        ("(1.0,)", "(1.0)"),
        ("print()", "null"),
        ('"a\\nb \\"q\\""', 'a\\nb \\"q\\"'),
    ],
)
def test_print_formats(value: str, printed: str) -> None:
    lines = output(f"print({value})").splitlines()
    assert lines[-1] == printed


def test_nan_prints_and_is_not_equal_to_itself() -> None:
    program = "let inf = 1e308 * 10.0\nlet nan = inf - inf\nprint(nan, nan == nan, str(nan))"
    assert output(program) == "NaN false NaN\n"


# The P/T/D table of §5.4: each value as a scalar (P), as tensor data (T) and inside an object text (D).
FORMAT_TABLE = [
    ("3.0", "3.0", "3.0", "3"),
    ("-0.0", "-0.0", "-0.0", "-0"),
    ("0.1 + 0.2", "0.30000000000000004", "0.30000000000000004", "0.30000000000000004"),
    ("1e-5", "0.00001", "1e-5", "0.00001"),
    ("-7.25e-9", "-0.00000000725", "-7.25e-9", "-0.00000000725"),
    ("1e16", "10000000000000000.0", "1e16", "10000000000000000"),
    ("1e-8", "0.00000001", "1e-8", "0.00000001"),
]


@pytest.mark.parametrize(("value", "p", "t", "d"), FORMAT_TABLE)
def test_the_three_float_formats(value: str, p: str, t: str, d: str) -> None:
    printed = output(f"print({value})\nprint(tensor([{value}]))\nprint(sgd_create({value}))")
    assert printed.splitlines() == [
        p,
        f"AutogradTensor([{t}], shape=[1])",
        f"SGD(lr={d}, momentum=0, weight_decay=0)",
    ]
