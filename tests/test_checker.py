"""The checker on real programs: LANGUAGE.md §1's promise (a program that ran to completion checks without
errors), the certain failures it must find (with the original interpreter's own error text), and robustness.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charl_core.check import check_program
from charl_core.diagnostics import Severity
from charl_core.syntax.lower import lower_source
from charl_core.testing.printer import print_program
from charl_core.testing.programs import generate_large_program
from charl_core.testing.strategies import programs
from tests.conftest import EXAMPLES, SHARED


def errors_of(text: str | bytes) -> list:
    result = check_program(lower_source(text))
    return [d for d in result.diagnostics if d.severity is Severity.ERROR]


def expected(case: Path, suffix: str) -> str:
    return (SHARED / "conformance" / "expected" / case.with_suffix(suffix).name).read_text(encoding="utf-8")


# Failing conformance programs whose failure the checker cannot call certain, and why (§4.6: an error only
# for what certainly fails). Every other failing case must be flagged with the run time's message.
NOT_CERTAIN = {
    "119_layer_objects_forward": "needs the GPU backend: fails only on a machine without a GPU",
    "126_gpu_required_error": "needs the GPU backend: fails only on a machine without a GPU",
    "157_err_non_exhaustive_match": "match exhaustiveness over values is not checked",
    "159_err_unknown_cast_target": "`as float` is an alias of float64 in this implementation (§9.5)",
    "167_err_tensor_nested_array": "element kinds of nested arrays are not checked against tensor()",
    "178_err_sqrt_negative": "argument values (not kinds) are not checked",
    "179_err_log_non_positive": "argument values (not kinds) are not checked",
}

# Failing programs flagged with an error whose message cannot be the run time's: the text is computed.
FLAGGED_WITHOUT_RUN_TIME_TEXT = {
    "180_err_assert_message": ("E106", "the assertion's message is built with str(), which is not folded"),
}
# Flagged, and why it is certain: 176 (push always fails, §8.1), 177 (range step is the constant 0),
# 181 (assert(0): a constant falsy condition); the other 41 by kinds, shapes, names and arities.


def test_programs_that_run_to_completion_check_without_errors(conformance_cases) -> None:
    for case in conformance_cases:
        if expected(case, ".rc").strip() == "0":
            assert errors_of(case.read_bytes()) == [], case.name
    for example in EXAMPLES:
        assert errors_of(example.read_bytes()) == [], example.name


def test_certain_failures_are_errors_with_the_run_time_message(conformance_cases) -> None:
    failing = [case for case in conformance_cases if expected(case, ".rc").strip() == "1"]
    assert len(failing) == 56
    for case in failing:
        found = errors_of(case.read_bytes())
        if case.stem in NOT_CERTAIN:
            assert found == [], (case.name, NOT_CERTAIN[case.stem])
            continue
        if case.stem in FLAGGED_WITHOUT_RUN_TIME_TEXT:
            assert [d.code for d in found] == [FLAGGED_WITHOUT_RUN_TIME_TEXT[case.stem][0]], case.name
            continue
        run_time_message = expected(case, ".err").strip().splitlines()[-1]
        assert len(found) == 1 and run_time_message in found[0].message, (case.name, found)


def test_training_program_shapes_are_all_known() -> None:
    source = (Path(__file__).resolve().parents[1] / "examples" / "mlp_classifier.ch").read_bytes()
    result = check_program(lower_source(source))
    tensors = {name.id: t for name, t in result.let_types.values() if "tensor" in str(t)}
    assert {"X", "Y", "W1", "b1", "W2", "b2", "h", "logits", "loss", "row"} <= set(tensors)
    for name, t in tensors.items():
        assert "?" not in str(t) and "_" not in str(t), (name, str(t))
    assert str(tensors["h"]) == "tensor<float32, [40, 16]>, requires grad"
    assert str(tensors["loss"]) == "tensor<float32, [1]>, requires grad"


CASES = [
    # (program, line:col of the error's start (1-based), code, message)
    ("let xs = [1, 2]\npop(xs)", 2, "E106", "pop() requires mutable array support (not yet implemented)"),
    ("let step = 0.5\nprint(range(0, 4, step))", 2, "E106", "range() step cannot be zero"),
    # The step alone decides: the bounds need not be known.
    ("let xs = [1, 2]\nprint(range(len(xs) * 0 + xs[0], 4, -0.9))", 2, "E106", "range() step cannot be zero"),
    (
        "let xs = [1]\nassert(0, xs)",
        2,
        "E106",
        "❌ ‹message› (an assertion that always fails; its message is computed at run time)",
    ),
    ('let n = 3\nassert(n == 3)\nassert(n * 2 == 7, "n is " + "3")', 3, "E106", "❌ n is 3"),
    # The first iteration of a loop whose condition holds on entry certainly runs (§4.6).
    ("let i = 0\nwhile i < 3 {\n    assert(i < 0)\n    i = i + 1\n}", 3, "E106", "❌ Assertion failed"),
    (
        "let a = tensor_zeros([2, 3])\nlet b = tensor_zeros([3, 2])\nlet c = tensor_add(a, b)",
        3,
        "E107",
        "tensor_add(): shape mismatch [2, 3] vs [3, 2]",
    ),
    (
        "let n = 4\nlet m = n * 2\nlet z = tensor_zeros([m, 3])\nlet r = tensor_reshape(z, [5, 5])",
        4,
        "E107",
        "tensor_reshape(): cannot reshape tensor of 24 elements to shape [5, 5] (25 elements)",
    ),
    ("print(x)", 1, "E101", "undefined name 'x' (runtime: Undefined variable: x)"),
    ("total = 1", 1, "E102", "Cannot assign to undefined variable: total"),
    (
        "fn f(a: int, b: int) { a + b }\nprint(f(1))",
        2,
        "E104",
        "Wrong number of arguments: expected 2, got 1",
    ),
    (
        "let x = tensor_zeros([2, 3]) + tensor_zeros([4])",
        1,
        "E107",
        "Cannot broadcast shapes [2, 3] and [4] for +",
    ),
    (
        "let x = tensor_zeros([2, 3]) @ tensor_zeros([4, 5])",
        1,
        "E107",
        "Cannot matmul shapes [2, 3] and [4, 5]",
    ),
    ("let a = [1, 2, 3]\na[3] = 0", 2, "E109", "Index 3 out of bounds (len=3)"),
    (
        "let i = 0\nwhile i < 3 {\n    let t = tensor_zeros([2]) + tensor_zeros([3])\n    i = i + 1\n}",
        3,
        "E107",
        "Cannot broadcast shapes [2] and [3] for +",
    ),
]


@pytest.mark.parametrize(("text", "line", "code", "message"), CASES)
def test_certain_failure(text: str, line: int, code: str, message: str) -> None:
    found = errors_of(text)
    assert [(d.code, d.message) for d in found] == [(code, message)]
    assert text.encode()[: found[0].span.start].count(b"\n") + 1 == line


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (
            "if len([1]) > 5 { print(y) }",
            "E101",
            "if reached: undefined name 'y' (runtime: Undefined variable: y)",
        ),
        ("fn main() { print(1) }", "W208", "fn main is never called (Charl has no implicit main)"),
        (
            "if len([1]) > 5 { push([1], 2) }",
            "E106",
            "if reached: push() requires mutable array support (not yet implemented)",
        ),
        (
            'print("a\\nb")',
            "W203",
            "'\\n' is printed literally (Charl strings have no escapes); use a separate print()",
        ),
        (
            "let x: tensor<float32, [4, 3]> = tensor_zeros([3, 4])",
            "W205",
            "annotation says tensor<float32, [4, 3]> but the value is tensor<float32, [3, 4]>",
        ),
        ("print(1 == 1.0)", "W211", "an integer never equals a float: 1 == 1.0 is false"),
    ],
)
def test_conditional_findings_are_warnings(text: str, code: str, message: str) -> None:
    result = check_program(lower_source(text))
    assert [(d.severity, d.code, d.message) for d in result.diagnostics] == [
        (Severity.WARNING, code, message)
    ]


def test_a_name_defined_only_in_a_loop_body_that_may_not_run_is_w201_with_the_loop_wording() -> None:
    loop = "let n = len([1])\nwhile n > 5 {\n    let loss = 1\n    n = n - 1\n}\nprint(loss)"
    branch_too = loop.replace("print(loss)", "if n > 2 { let loss = 2 }\nprint(loss)")
    for text, message in [
        (loop, "'loss' is defined only when the loop body runs"),
        (branch_too, "'loss' may be undefined here: it is defined only on some paths"),
    ]:
        result = check_program(lower_source(text))
        assert [(d.code, d.message) for d in result.diagnostics] == [("W201", message)]
        assert text.encode()[result.diagnostics[0].span.start :].startswith(b"loss)")


def test_a_function_reading_a_global_assigned_after_its_fn_statement_is_w212() -> None:
    """LANGUAGE.md §5.7's example: getg() still returns 5 after `g = 7`."""
    text = "let g = 5\nfn getg() -> int32 { return g }\ng = 7\nprint(getg(), g)\n"
    result = check_program(lower_source(text))
    [found] = result.diagnostics
    assert (found.code, found.message) == (
        "W212",
        "fn getg reads 'g' from its snapshot: the assignment after the fn statement does not reach it",
    )
    assert text.encode()[found.span.start : found.span.end] == b"g"
    assert text[: found.span.start].count("\n") == 1  # the read inside getg, line 2
    [related] = found.related
    assert text.encode()[related.span.start :].startswith(b"g = 7")
    # Assigned before the fn statement, or a global the function does not read: nothing to say.
    assert (
        check_program(
            lower_source(text.replace("g = 7\n", "").replace("let g = 5\n", "let g = 5\ng = 7\n"))
        ).diagnostics
        == []
    )
    assert check_program(lower_source(text.replace("return g", "return 1"))).diagnostics == []


def test_findings_in_a_function_that_is_never_called_are_w209() -> None:
    result = check_program(lower_source("fn main() { print(1 / 0) }"))
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("W208", "fn main is never called (Charl has no implicit main)"),
        ("W209", "(never executed) Division by zero"),
    ]


def test_a_function_called_before_its_fn_statement_sees_the_globals_of_that_moment() -> None:
    """§9.2: the late-bound function's snapshot is the global scope at the call, not an empty one."""
    assert errors_of("let g = 5\nprint(f())\nfn f() -> int { g }\n") == []
    found = errors_of("print(f())\nlet g = 5\nfn f() -> int { g }\n")
    assert [d.message for d in found] == [
        "this call fails inside f: undefined name 'g' (runtime: Undefined variable: g)"
    ]


def test_statements_after_break_in_an_else_block_are_w210() -> None:
    text = "let i = 0\nwhile i < 2 { if i == 9 { print(1) } else { break  print(2) }  i = i + 1 }"
    result = check_program(lower_source(text))
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("W210", "this statement still runs after break (§5.8)")
    ]


def test_a_call_that_fails_inside_the_function_is_an_error_at_the_call() -> None:
    text = (
        "fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]> {\n"
        "    tensor_matmul(a, b)\n}\n"
        "let x = tensor_zeros([2, 3])\n"
        "let z = mm(x, tensor_zeros([3, 4]))\n"
        "let bad = mm(x, tensor_zeros([4, 4]))\n"
    )
    result = check_program(lower_source(text))
    found = [(d.severity.label, d.code, d.message) for d in result.diagnostics]
    assert ("warning", "W205", "argument 'b' of mm: K = 3 (from 'a') but got [4, 4]") in found
    assert (
        "error",
        "E107",
        "this call fails inside mm: tensor_matmul(): incompatible shapes (2, 3) x (4, 4)",
    ) in found
    types = {name.id: str(t) for name, t in result.let_types.values()}
    assert types["z"] == "tensor<float32, [2, 4]>"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs())
def test_the_checker_never_raises_on_random_programs(program) -> None:
    check_program(program)
    check_program(lower_source(print_program(program)))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(EXAMPLES), st.data())
def test_the_checker_never_raises_on_edited_programs(example: Path, data: st.DataObject) -> None:
    text = example.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        text = (
            text[:start]
            + data.draw(st.sampled_from(["", "}", "{", "(", "let ", "x", "1", "[", "@", "\n"]))
            + text[end:]
        )
    check_program(lower_source(text))


def test_a_large_generated_program_checks_without_errors() -> None:
    assert errors_of(generate_large_program(3000, seed=5)) == []


def test_docs_checker_examples(tmp_path: Path) -> None:
    """Each Charl block of docs/checker.md is followed by the diagnostics `charl check` prints for it."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "checker.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(charl|text)\n(.*?)```", page, re.DOTALL)
    pairs = [(blocks[i][1], blocks[i + 1][1]) for i in range(0, len(blocks), 2)]
    assert len(pairs) == 3 and all(blocks[i][0] == "charl" for i in range(0, len(blocks), 2))
    for program, expected_output in pairs:
        (tmp_path / "example.ch").write_text(program, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "charl_core.cli", "check", "example.ch"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        printed = [line for line in run.stdout.splitlines() if line.startswith("example.ch:")]
        assert printed == expected_output.strip().splitlines(), program
