"""Seeded shape bugs that the static checker must find (LANGUAGE.md §4.4–§4.6, §8, §9.3–§9.5).

`tests/checker/seeded/` holds pairs of small, realistic programs. `NAME.bug.ch` contains one seeded bug on a
path certain to run (top level, or a loop whose condition is constant-true on entry, §4.6), so a shape rule
violation is an error, not an `if reached:` warning. Its expected diagnostics are written in the file, as
ordinary `//` comments directly under the offending line (STYLE.md):

    let h = nn_relu(nn_linear(X, W1, b1))
    //              ^^^^^^^^^^^^^^^^^^^^^ error[E107]: linear(): input features 3 doesn't match weight input 2

The carets mark the span's columns on the nearest line above that is not itself an expectation. Columns are
absolute character columns, so the `//` may start anywhere left of the carets (at column 0 when the code is
indented too little to leave room); several expectation lines may follow one code line. A bug file's
diagnostics must equal its expectations exactly: every diagnostic, warnings included, each reported once
(however many fixpoint passes a loop takes). A loop's later iterations start from the state its earlier
iterations leave, so a failure that only the second iteration would meet is an `if reached:` warning
(sgd_step_slot). `NAME.fixed.ch` is the corrected program: it lists no expectations and must check without
any error-severity diagnostic (warnings are tolerated there).

SPAN CONVENTION (the checker follows it):
- a builtin's shape rule (the E107 of a catalog rule): the whole call expression, from the builtin's name
  to its closing parenthesis (`nn_linear(X, W1, b1)`, also when nested in another call), not the argument
  that `Finding.argument` points at;
- a tensor operator (§9.3): the whole binary expression `left op right`: all of `X @ W1 + b1` when the `+`
  cannot broadcast, just `X @ W1` when the `@` fails;
- a user-function call that certainly fails inside the callee (§4.4, E107 `this call fails inside mm: …`):
  the whole call expression `mm(X, P)` at the call site;
- W205 for a dimension variable bound inconsistently at a call (§9.5): the argument whose type conflicts
  with the earlier binding (bindings go left to right, so in `dense_relu(X, W2, b2)` it is `W2`, 'W');
- W205 for a `let` annotation: the initializer expression;
- W205 for a declared return type: the return type annotation of the `fn`; reported once, by the generic
  check of the body (dimension variables by name), not again for each call.

MESSAGES THAT LANGUAGE.md DOES NOT GIVE (chosen here; they agree with charl_core/check/annotations.py):

| code | message | example (bug file) |
|---|---|---|
| W205 | `annotation says ‹annotated› but the value is ‹inferred›` | annotation_let |
| W205 | `return type: annotation says ‹declared› but the value is ‹inferred›` | return_type |

Types in both are `display()` without the grad suffix (an annotation cannot state it), with the signature's
dimension variables for return types. Taken from the builtin catalog, not spelled out in LANGUAGE.md:
`nn_conv2d(): input channels 3 doesn't match in_channels 1` (builtins/layers.py) and, for tensor × tensor,
`tensor_mul(): shape mismatch [40, 16] vs [40, 8]` (§8.4 spells the form for tensor_add/tensor_sub only).
Every other message is quoted from LANGUAGE.md (§4.4, §6.3, §6.7, §8, §9.3, §9.5).

`charl check --show-types`: after the diagnostics, one stdout line per `let` statement in source order,
`FILE:LINE:COL: let NAME: TYPE`. FILE is the path as given on the command line; LINE:COL is the 1-based
position of the declared name, columns in characters as for diagnostics; TYPE is
`charl_core.types.display()` of the type inferred for the initializer: `tensor<float32, [40, 16]>,
requires grad`, `[float; 80]`, `int`, `sgd_optimizer`, and for an array whose positions have different
types one type per position. A `let` inside a loop is printed once, with its type at the loop's fixpoint
(the join over all iterations). Exit code and stderr summary are those of `charl check`. For
`tests/checker/training_program.ch` every tensor shape shown, also inside arrays, is fully known (no `_`,
no `?`); the expected output is the golden file `training_program.types`, written by hand from the language
rules, not produced by running the checker.

`check_program` is imported lazily, so that collection and the corpus tests (parsing, expectation syntax,
span convention, golden file) work whatever state the checker is in.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from charl_core import ast
from charl_core.builtins import is_builtin
from charl_core.diagnostics import Diagnostic, Severity
from charl_core.syntax.errors import syntax_diagnostics
from charl_core.syntax.language import parse_bytes
from charl_core.syntax.lower import lower_source
from charl_core.syntax.positions import LineIndex
from tests.conftest import ROOT

CHECKER_DIR = ROOT / "tests" / "checker"
SEEDED = CHECKER_DIR / "seeded"
BUG_FILES = sorted(SEEDED.glob("*.bug.ch"))
FIXED_FILES = sorted(SEEDED.glob("*.fixed.ch"))
ALL_PROGRAMS = sorted(CHECKER_DIR.rglob("*.ch"))
TRAINING_PROGRAM = CHECKER_DIR / "training_program.ch"
TRAINING_TYPES = CHECKER_DIR / "training_program.types"

# The message forms LANGUAGE.md does not give (the table above): (code, form, an example from the corpus).
CHOSEN_MESSAGES = (
    (
        "W205",
        "annotation says ‹annotated› but the value is ‹inferred›",
        "annotation says tensor<float32, [2, 40]> but the value is tensor<float32, [40, 2]>",
    ),
    (
        "W205",
        "return type: annotation says ‹declared› but the value is ‹inferred›",
        "return type: annotation says tensor<float32, [B, 8]> but the value is tensor<float32, [B, 16]>",
    ),
)

# A comment whose first non-space character after `//` is a caret is meant as an expectation.
CARET_COMMENT = re.compile(r"^\s*//\s*\^")
EXPECTATION = re.compile(
    r"^(?P<lead>\s*//\s*)(?P<carets>\^+) "
    r"(?P<severity>error|warning)\[(?P<code>[EW]\d{3})\]: (?P<message>\S.*)$"
)
TENSOR_SHAPE = re.compile(r"tensor<\w+, (\[[^\]]*\])>")
SHOW_TYPES_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): let (?P<name>\w+): (?P<type>.+)$")


@dataclass(frozen=True, order=True)
class Expected:
    """One diagnostic: byte span, severity label, code, message; `where` is `LINE:COL-COL` for messages."""

    start: int
    end: int
    severity: str
    code: str
    message: str
    where: str = ""

    def key(self) -> tuple[int, int, str, str, str]:
        return (self.start, self.end, self.severity, self.code, self.message)

    def text(self) -> str:
        return f"{self.where} {self.severity}[{self.code}]: {self.message}"


def pair_name(path: Path) -> str:
    return path.name.split(".")[0]


def parse_expectations(text: str) -> list[Expected]:
    """The expectations written under the code lines of `text`, with byte spans."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()) + 1)
    found: list[Expected] = []
    code_line: int | None = None
    for number, line in enumerate(lines):
        match = EXPECTATION.match(line)
        if match is None:
            assert not CARET_COMMENT.match(line), f"line {number + 1}: malformed expectation {line!r}"
            code_line = number
            continue
        assert code_line is not None, f"line {number + 1}: an expectation needs a code line above it"
        code = lines[code_line]
        assert code.strip() and not code.lstrip().startswith("//"), (
            f"line {number + 1}: the line above the expectation is not code"
        )
        start = len(match["lead"])
        end = start + len(match["carets"])
        assert end <= len(code), f"line {number + 1}: the carets run past the end of line {code_line + 1}"
        base = offsets[code_line]
        found.append(
            Expected(
                base + len(code[:start].encode()),
                base + len(code[:end].encode()),
                match["severity"],
                match["code"],
                match["message"],
                f"{code_line + 1}:{start + 1}-{end + 1}",
            )
        )
    return found


def described(diagnostic: Diagnostic, source: bytes) -> Expected:
    index = LineIndex(source)
    line, column = index.display_position(diagnostic.span.start)
    end_line, end_column = index.display_position(diagnostic.span.end)
    where = (
        f"{line}:{column}-{end_column}" if end_line == line else f"{line}:{column}-{end_line}:{end_column}"
    )
    return Expected(
        diagnostic.span.start,
        diagnostic.span.end,
        diagnostic.severity.label,
        diagnostic.code,
        diagnostic.message,
        where,
    )


def check(source: bytes) -> list[Diagnostic]:
    """The checker's diagnostics for the program `source` lowers to."""
    from charl_core.check import check_program  # lazily: see the module docstring

    return list(check_program(lower_source(source)).diagnostics)


def report(title: str, items: list[Expected]) -> str:
    return title + ("\n  " + "\n  ".join(item.text() for item in items) if items else " (none)")


# ───────────────────────────── the corpus itself (independent of the checker) ─────────────────────────────


def test_every_bug_has_a_fixed_twin() -> None:
    assert len(BUG_FILES) >= 25
    assert [pair_name(p) for p in BUG_FILES] == [pair_name(p) for p in FIXED_FILES]


@pytest.mark.parametrize("path", ALL_PROGRAMS, ids=lambda p: str(p.relative_to(CHECKER_DIR)))
def test_program_parses_without_syntax_errors(path: Path) -> None:
    source = path.read_bytes()
    index = LineIndex(source)
    assert syntax_diagnostics(parse_bytes(source), source, index.display_position) == []
    broken = [
        type(node).__name__ for node in lower_source(source).walk() if type(node).__name__.startswith("Error")
    ]
    assert broken == []
    assert 10 <= len(source.decode().splitlines()) <= (60 if path == TRAINING_PROGRAM else 40)


def _spans(program: ast.Program) -> dict[tuple[int, int], ast.Node]:
    """The expressions and the declared return types of `program`, by span."""
    nodes: dict[tuple[int, int], ast.Node] = {}
    for node in program.walk():
        if isinstance(node, ast.FunctionDef) and node.return_type is not None:
            nodes[(node.return_type.span.start, node.return_type.span.end)] = node.return_type
        elif isinstance(node, ast.Expression):
            nodes.setdefault((node.span.start, node.span.end), node)
    return nodes


def _is_builtin_call(node: ast.Expression) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.callee, ast.Identifier)
        and is_builtin(node.callee.name)
    )


@pytest.mark.parametrize("path", BUG_FILES, ids=pair_name)
def test_expectations_follow_the_span_convention(path: Path) -> None:
    """Each expectation underlines exactly one node of the kind the span convention names."""
    source = path.read_bytes()
    expectations = parse_expectations(source.decode())
    assert expectations, "a bug file lists the diagnostics it expects"
    assert sum(e.severity == "error" for e in expectations) <= 1, "one seeded bug: at most one error"
    nodes = _spans(lower_source(source))
    for expected in expectations:
        node = nodes.get((expected.start, expected.end))
        assert node is not None, f"{expected.where}: the carets do not cover exactly one expression"
        if expected.code == "W205" and expected.message.startswith("return type: "):
            assert isinstance(node, ast.Type), f"{expected.where}: return types span the annotation"
        elif expected.code == "W205":
            assert isinstance(node, ast.Expression), f"{expected.where}: W205 spans the disagreeing value"
        elif expected.code == "E107" and expected.message.startswith(("Cannot broadcast", "Cannot matmul")):
            assert isinstance(node, ast.BinaryOperation), f"{expected.where}: operators span the operation"
        elif expected.code == "E107" and expected.message.startswith("this call fails inside "):
            callee = expected.message.removeprefix("this call fails inside ").split(":")[0]
            assert isinstance(node, ast.Call) and node.callee == ast.Identifier(callee), expected.where
        elif expected.code == "E107":
            assert _is_builtin_call(node), f"{expected.where}: builtin shape rules span the whole call"


@pytest.mark.parametrize("path", FIXED_FILES, ids=pair_name)
def test_fixed_twin_lists_no_expectations_and_differs(path: Path) -> None:
    fixed = path.read_text()
    assert parse_expectations(fixed) == []
    bug = (SEEDED / f"{pair_name(path)}.bug.ch").read_text()

    def code_of(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.lstrip().startswith("//")]

    assert code_of(fixed) != code_of(bug)


def test_chosen_messages_are_used_by_the_corpus() -> None:
    expected = {(e.code, e.message) for path in BUG_FILES for e in parse_expectations(path.read_text())}
    for code, _form, example in CHOSEN_MESSAGES:
        assert (code, example) in expected


# ───────────────────────────── the checker on the corpus ─────────────────────────────


@pytest.mark.parametrize("path", BUG_FILES, ids=pair_name)
def test_seeded_bug_is_reported_exactly(path: Path) -> None:
    source = path.read_bytes()
    expected = sorted(parse_expectations(source.decode()), key=Expected.key)
    actual = sorted((described(d, source) for d in check(source)), key=Expected.key)
    if [e.key() for e in actual] != [e.key() for e in expected]:
        pytest.fail(report("expected:", expected) + "\n" + report("got:", actual), pytrace=False)


@pytest.mark.parametrize("path", FIXED_FILES, ids=pair_name)
def test_fixed_twin_has_no_errors(path: Path) -> None:
    source = path.read_bytes()
    errors = [described(d, source) for d in check(source) if d.severity is Severity.ERROR]
    assert errors == [], report("unexpected errors:", errors)


# ───────────────────────────── charl check --show-types ─────────────────────────────


def _lets(path: Path) -> list[tuple[int, int, str]]:
    """(line, column, name) of every `let` of the file, 1-based, in source order."""
    source = path.read_bytes()
    index = LineIndex(source)
    lets = [node for node in lower_source(source).walk() if isinstance(node, ast.Let)]
    return sorted((*index.display_position(let.name.span.start), let.name.id) for let in lets)


def _type_lines(text: str) -> list[tuple[str, int, int, str, str]]:
    parsed = []
    for line in text.splitlines():
        match = SHOW_TYPES_LINE.match(line)
        assert match is not None, f"not a show-types line: {line!r}"
        parsed.append((match["file"], int(match["line"]), int(match["column"]), match["name"], match["type"]))
    return parsed


def _assert_every_let_fully_typed(text: str) -> None:
    """One line per `let` of the training program, in order, and every tensor's shape fully known."""
    lines = _type_lines(text)
    assert [(line, column, name) for _, line, column, name, _ in lines] == _lets(TRAINING_PROGRAM)
    assert {file for file, *_ in lines} == {"tests/checker/training_program.ch"}
    for _, line, _, name, shown in lines:
        for shape in TENSOR_SHAPE.findall(shown):  # tensors, also inside arrays (`let u = sgd_step(…)`)
            assert "_" not in shape and "?" not in shape, f"line {line}: let {name}: {shown}"


def test_golden_types_cover_every_let() -> None:
    """The hand-written golden file itself: one line per `let`, in order, every tensor shape known."""
    _assert_every_let_fully_typed(TRAINING_TYPES.read_text())


def _show_types() -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "charl_core.cli",
            "check",
            "--show-types",
            "tests/checker/training_program.ch",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_show_types_matches_golden() -> None:
    result = _show_types()
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == TRAINING_TYPES.read_text()
    assert "no problems in 1 file" in result.stderr.decode()


def test_show_types_knows_every_tensor_shape() -> None:
    result = _show_types()
    assert result.returncode == 0, result.stderr.decode()
    _assert_every_let_fully_typed(result.stdout.decode())


def test_show_types_names_functions_as_written(tmp_path: Path) -> None:
    """A function-valued `let` prints the function's name, not the checker's key of its declaration
    (`inner@2083…`), including inside an array."""
    path = tmp_path / "functions.ch"
    path.write_text(
        "fn make() {\n    fn inner(x: int) { x + 1 }\n    inner\n}\nlet g = make()\nlet h = [g, g]\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "check", "--show-types", str(path)],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert [line.split(": let ", 1)[1] for line in result.stdout.decode().splitlines()] == [
        "g: fn inner(int) -> any",
        "h: [fn inner(int) -> any; 2]",
    ]
