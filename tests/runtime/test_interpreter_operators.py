"""§5.2–§5.3 through the real interpreter: arithmetic, wrapping, division, comparisons, equality,
truthiness, and/or without short-circuit. Expected values are hand-computed from LANGUAGE.md."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core.runtime.interpreter import run_captured


def output(program: str) -> str:
    result = run_captured(program)
    assert result.code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("7 / 2", "3"),
        ("-7 / 2", "-3"),
        ("7 / -2", "-3"),
        ("1 / 3 * 3.0", "0.0"),
        ("-7 % 3", "-1"),
        ("7 % -3", "1"),
        ("9223372036854775807 + 1", "-9223372036854775808"),
        ("-9223372036854775807 - 2", "9223372036854775807"),
        ("4611686018427387904 * 2", "-9223372036854775808"),
        ("-(-9223372036854775807 - 1)", "-9223372036854775808"),
        ("(-9223372036854775807 - 1) / -1", "-9223372036854775808"),
        ("1 + 0.5", "1.5"),
        ("0.1 + 0.2", "0.30000000000000004"),
        ("2 * 3.0", "6.0"),
        ("7.0 / 2", "3.5"),
        ('"ab" + "cd"', "abcd"),
        ("[1] + [2, 3]", "[1, 2, 3]"),
        ("-2.5", "-2.5"),
        ("2 + 3 * 4", "14"),
        ("-2 * 3", "-6"),
        ("10 - 4 - 3", "3"),
        ("1 < 2.5", "true"),
        ("2.0 >= 2", "true"),
        ("3 <= 2", "false"),
        ("1 == 1.0", "false"),
        ("true == 1", "false"),
        ("[1, 2] == [1, 2]", "true"),
        ("(1, [2]) == (1, [2])", "true"),
        ('"a" != "b"', "true"),
        ("0.1 + 0.2 == 0.3", "false"),
        ("not 1 == 2", "false"),
        ("1 or 0 and 0", "false"),
        ("!0", "true"),
        ("0.0 or -0.0", "false"),
        ('"" and [] and ()', "true"),
    ],
)
def test_operator_results(expression: str, printed: str) -> None:
    assert output(f"print({expression})") == printed + "\n"


def test_float_comparison_with_integer_converts_the_integer() -> None:
    # 2^53 + 1 is not a float; converted it becomes 2^53, so the two compare equal as floats.
    assert output("print(9007199254740993 <= 9007199254740992.0)") == "true\n"


def test_and_or_evaluate_both_operands() -> None:
    program = """
fn noisy(tag: string, v: bool) -> bool { print(tag)  v }
let a = noisy("left", false) and noisy("right", true)
let b = noisy("left2", true) or noisy("right2", false)
print(a, b)
"""
    assert output(program) == "left\nright\nleft2\nright2\nfalse true\n"


@pytest.mark.parametrize(
    ("value", "truthy"),
    [
        ("0", False),
        ("0.0", False),
        ("-0.0", False),
        ("false", False),
        ("print()", False),
        ("1", True),
        ('""', True),
        ("[]", True),
        ("()", True),
        ("0.0 / 1.0 - 0.5", True),
        ("sqrt(-1.0 * 0.0)", False),
    ],
)
def test_truthiness(value: str, truthy: bool) -> None:
    printed = output(f'if {value} {{ print("yes") }} else {{ print("no") }}').splitlines()[-1]
    assert printed == ("yes" if truthy else "no")


def test_operands_are_evaluated_left_to_right_before_the_error() -> None:
    result = run_captured('fn p(x: int) -> int { print(x)  x }\nlet z = p(1) + p(2) * "s"')
    assert result.stdout == "1\n2\n"
    assert "Cannot multiply integer and string" in result.stderr


def test_errors_inside_an_operator_tree_point_at_their_own_operation() -> None:
    program = 'let s = "s"\nlet z = 1.5 + (2 * s) - 3'
    result = run_captured(program, "p.ch")
    column = program.splitlines()[1].index("2 * s") + 1
    assert result.stderr.splitlines()[1:] == ["Cannot multiply integer and string", f"  at p.ch:2:{column}"]


def test_operator_trees_mix_tensors_and_late_bound_names() -> None:
    program = """
fn scale() -> float { 2.0 * half() + 1 }
fn half() -> float { 0.5 }
let t = tensor([1.0, 2.0])
print(scale(), (t * 2.0 + 1) - t)
"""
    assert output(program) == "2.0 AutogradTensor([2.0, 3.0], shape=[2])\n"


# ── a randomised check of the inline arithmetic against a reference written from §5.2 ──

_I64 = 2**64


def _wrap(value: int) -> int:
    return (value + 2**63) % _I64 - 2**63


def _reference(tree: object) -> int | float:
    if isinstance(tree, list):  # a leaf read from a variable
        return tree[0]
    if not isinstance(tree, tuple):
        return tree
    symbol, left, right = tree
    a, b = _reference(left), _reference(right)
    result = {"+": a + b, "-": a - b, "*": a * b}[symbol]
    return _wrap(result) if type(a) is int and type(b) is int else float(result)


def _text(tree: object, lets: list[str]) -> str:
    """The Charl text of `tree`; leaves held in variables get a `let` in `lets`."""
    if isinstance(tree, list):
        name = f"v{len(lets)}"
        lets.append(f"let {name} = {_text(tree[0], lets)}")
        return name
    if not isinstance(tree, tuple):
        return repr(tree) if type(tree) is float else str(tree)
    symbol, left, right = tree
    return f"({_text(left, lets)} {symbol} {_text(right, lets)})"


_leaves = st.one_of(
    st.integers(min_value=0, max_value=2**63 - 1),
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)),
)
_trees = st.recursive(_leaves, lambda inner: st.tuples(st.sampled_from("+-*"), inner, inner), max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(_trees)
def test_inline_arithmetic_matches_the_reference(tree: object) -> None:
    from charl_core.runtime.values import to_text

    lets: list[str] = []
    expression = _text(tree, lets)
    program = "\n".join([*lets, f"let result = {expression}", "print(result)"])
    assert output(program) == to_text(_reference(tree)) + "\n"


_scalars = st.one_of(
    st.integers(min_value=-50, max_value=50), st.sampled_from([0.5, -1.0, 3.0, "a", "b", True])
)


def _literal(value: object) -> str:
    if type(value) is str:
        return f'"{value}"'
    if type(value) is bool:
        return "true" if value else "false"
    return repr(value)


@settings(max_examples=60, deadline=None)
@given(_scalars, _scalars)
def test_inline_modulo_and_equality_match_the_reference(a: object, b: object) -> None:
    """§5.3: different kinds are never equal; §5.2: `%` takes integers only, with the dividend's sign.
    Through variables (the generic inline code) and literals (the code specialised for a known kind)."""
    left, right = _literal(a), _literal(b)
    lets = f"let a = {left}\nlet b = {right}\n"
    program = f"{lets}print(a == b, a != b, a == {right})\nprint(a % b, {left} % {right})"
    result = run_captured(program)
    equal = str(type(a) is type(b) and a == b).lower()
    unequal = "false" if equal == "true" else "true"
    if type(a) is int and type(b) is int and b != 0:
        remainder = abs(a) % abs(b) * (-1 if a < 0 else 1)
        assert result.stdout == f"{equal} {unequal} {equal}\n{remainder} {remainder}\n"
    else:
        assert result.stdout == f"{equal} {unequal} {equal}\n"
        assert ("Modulo by zero" if type(a) is int and type(b) is int else "Cannot modulo") in result.stderr
