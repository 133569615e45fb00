"""Incremental checking gives exactly the results of a fresh check (issue 3).

Random edit sequences on real programs (conformance cases, examples, generated programs) go through the
editor's path, `Workspace.change` then `Analysis`; after each edit the diagnostics, `let` types and
expression types must equal those of a fresh `Analysis` of the same text. The edits are the kind that
stress the cache: lines moved, copied, deleted, numbers changed (shapes change), names changed (definitions
appear and disappear), edits that break the syntax for a while (the next check then starts from an older
cache). Also tested: that the cache is actually used (an edit inside one function re-checks few items).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from charl_core import ast
from charl_core.analysis import Analysis, Workspace
from charl_core.check import check_tree
from charl_core.check.items import FunctionFacts, summarise
from charl_core.check.symbols import SymbolKind, symbol_table
from charl_core.syntax.document import Document, TextChange
from charl_core.syntax.lower import lower, lower_source
from charl_core.testing.programs import generate_large_program
from charl_core.types import display
from tests.conftest import EXAMPLES, require_conformance

EDITS_PER_PROGRAM = 6


def snapshot(analysis: Analysis) -> tuple[object, ...]:
    """Everything the checker reports, in comparable form (types printed)."""
    check = analysis.check
    diagnostics = [(d.span.start, d.span.end, d.severity, d.code, d.message) for d in analysis.diagnostics()]
    syntax = [(d.span, d.code, d.message, d.related, d.data) for d in analysis.syntax_diagnostics]
    diagnostics.append(syntax)
    if check is None:
        return diagnostics, None, None
    lets = sorted(
        (span.start, span.end, name.id, name.span.start, name.span.end, display(t))
        for span, (name, t) in check.let_types.items()
    )
    expressions = sorted((span.start, span.end, display(t)) for span, t in check.expression_types.items())
    return diagnostics, lets, expressions


def random_edit(text: str, rng: random.Random) -> tuple[int, int, int, int, str]:
    """A one-line-scale edit as an LSP change: (start line, start column, end line, end column, new text),
    columns in UTF-16 units (the workspace's encoding) measured on whole lines to stay simple."""
    lines = text.split("\n")
    row = rng.randrange(len(lines))
    line = lines[row]
    kind = rng.randrange(10)
    if kind == 0:  # delete a line
        return row, 0, min(row + 1, len(lines) - 1), 0 if row + 1 < len(lines) else _units(line), ""
    if kind == 1:  # copy a line from elsewhere
        return row, 0, row, 0, lines[rng.randrange(len(lines))] + "\n"
    if kind == 2:  # change a number
        numbers = list(re.finditer(r"\d+", line))
        if numbers:
            found = rng.choice(numbers)
            start, end = _units(line[: found.start()]), _units(line[: found.end()])
            return row, start, row, end, str(rng.choice([0, 1, 2, 3, 4, 8, 16, int(found.group()) + 1]))
    if kind == 3:  # rename an identifier occurrence
        names = list(re.finditer(r"[A-Za-z_]\w*", line))
        if names:
            found = rng.choice(names)
            start, end = _units(line[: found.start()]), _units(line[: found.end()])
            return row, start, row, end, found.group() + rng.choice(["", "_2", "x"])
    if kind == 4:  # insert a statement at the start of the line (inside a function body, often)
        indent = len(line) - len(line.lstrip())
        statement = rng.choice(
            ["let tmp = 1\n", "x = x + 1\n", "print(0)\n", "return 1\n", "let w = [1.0; 3]\n"]
        )
        return row, indent, row, indent, statement + line[:indent]
    if kind == 5:  # a keystroke that breaks the syntax
        return row, 0, row, 0, rng.choice(["(", "let ", "{", "fn "])
    if kind == 7:  # a statement that parses but breaks a lexical rule (reserved name, bad number, model)
        indent = len(line) - len(line.lstrip())
        return row, indent, row, indent, rng.choice(LEXICAL_MISTAKES) + line[:indent]
    if kind == 8:  # a glued number or a reserved word in place of a name or number of this line
        tokens = list(re.finditer(r"[A-Za-z_]\w*|\d+", line))
        if tokens:
            found = rng.choice(tokens)
            start, end = _units(line[: found.start()]), _units(line[: found.end()])
            return row, start, row, end, rng.choice(["relu", "string", "model", "2x", "1e", "9" * 20])
    if kind == 9:  # a block left open at the end of the file (W215), or closed again
        if text.endswith("{\n"):
            return len(lines) - 2, 0, len(lines) - 1, 0, ""
        return len(lines) - 1, _units(line), len(lines) - 1, _units(line), "\nfn open() {\n"
    other = rng.randrange(len(lines))  # swap two lines' text
    return row, 0, row, _units(line), lines[other]


LEXICAL_MISTAKES = [
    "let relu = 1\n",
    "let big = 99999999999999999999\n",
    "let e = 2x\n",
    "fn string() { 1e }\n",
    "model M { }\n",
    "let t = 3 as string\n",
]
"""Statements that parse without error but break a rule checked after parsing (`syntax/lexical.py`):
their findings are the ones cached per statement."""


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def edit_sequence(text: str, seed: int, edits: int = EDITS_PER_PROGRAM) -> None:
    rng = random.Random(seed)
    workspace = Workspace()
    workspace.open("file", text, 0)
    snapshot(workspace.analysis("file"))  # fill the cache
    document = Document(text)
    for version in range(1, edits + 1):
        start_row, start_column, end_row, end_column, new = random_edit(document.text, rng)
        change = TextChange(new, (start_row, start_column), (end_row, end_column))
        workspace.change("file", [change], version)
        document.apply_changes([change], version)
        analysis = workspace.analysis("file")
        incremental = snapshot(analysis)
        fresh = snapshot(Analysis.of_text(document.text))
        assert incremental == fresh, f"seed {seed}, edit {version}: {change!r}"
        assert spans(analysis.program) == spans(lower(document.tree, document.source)), (seed, version)


def spans(program: ast.Program) -> list[tuple[str, int, int]]:
    """The AST as (node class, start, end) in walk order: equal ASTs with equal spans."""
    return [(type(node).__name__, node.span.start, node.span.end) for node in program.walk()]


def real_programs() -> list[Path]:
    cases = require_conformance()
    return [*cases[::4], *EXAMPLES]


@pytest.mark.parametrize("index", range(0, 60, 3))
def test_random_edits_of_real_programs_match_a_fresh_check(index: int) -> None:
    programs = real_programs()
    for offset, path in enumerate(programs[index : index + 3]):
        edit_sequence(path.read_text(encoding="utf-8"), seed=index * 7 + offset)


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_of_generated_programs_match_a_fresh_check(seed: int) -> None:
    edit_sequence(generate_large_program(250, seed=seed), seed=seed, edits=10)


STRESS = """\
let n = 3
let lr = 0.1
fn helper(x: int) { x + n }
fn rec(k: int) {
    if k <= 0 { return tensor_zeros([2, n]) }
    rec(k - 1)
}
print(late(2))
fn late(a: int) { helper(a) * 2 }
fn make() {
    fn inner(t: tensor<float32, [2, 3]>) { tensor_matmul(t, tensor_zeros([n, 4])) }
    inner
}
let g = make()
let t = g(tensor_zeros([2, 3]))
let w = rec(3)
n = 4
let i = 0
while i < 3 {
    let loss = tensor_sum(tensor_matmul(w, tensor_zeros([3, 2])))
    i = i + 1
}
fn f() { 1 }
fn f() { 2 }
print(f(), late(1), lr, loss)
"""
"""Late binding, recursion cut by the depth limit, a nested function escaping its maker, globals assigned
after the functions that captured them, a redefinition, a loop-defined name: the cache's hard cases."""


@pytest.mark.parametrize("seed", range(12))
def test_random_edits_of_a_program_full_of_hard_cases_match_a_fresh_check(seed: int) -> None:
    edit_sequence(STRESS, seed=100 + seed, edits=8)


def test_an_edit_inside_a_function_rechecks_few_items() -> None:
    """The cache is used: after a one-line edit inside a function body most items are replayed (the same
    result objects as before), and the result still equals a fresh check."""
    text = generate_large_program(600, seed=3)
    lines = text.split("\n")
    row = next(
        n + 1
        for n in range(len(lines) // 2, len(lines))
        if lines[n].startswith("fn ") and lines[n].endswith("{")
    )
    document = Document(text)
    _, before = check_tree(document.tree, document.source)
    document.apply_changes([TextChange("let tmp = 1\n    ", (row, 4), (row, 4))], 1)
    result, after = check_tree(document.tree, document.source, before)
    kept = sum(1 for old in before.results for new in after.results if old is new)
    assert kept >= len(after.results) - 5
    fresh, _ = check_tree(document.tree, document.source)
    assert result.diagnostics == fresh.diagnostics


def test_a_function_whose_snapshot_changed_rechecks_its_callers() -> None:
    """`f` reads `n` from its snapshot (§5.7); `n = 4` after it restores the global, so the call site reads
    nothing that changed, but the function it calls did: it must be checked again."""
    text = (
        "let n = 3\nfn f() {\n    tensor_zeros([2, n])\n}\nn = 4\n"
        "let t = tensor_matmul(f(), tensor_zeros([3, 5]))\n"
    )
    workspace = Workspace()
    workspace.open("file", text, 0)
    assert [d.code for d in workspace.analysis("file").diagnostics()] == ["W212"]  # f's read of n
    workspace.change("file", [TextChange("2", (0, 8), (0, 9))], 1)
    found = workspace.analysis("file").diagnostics()
    assert [(d.code, d.message) for d in found if d.is_error] == [
        ("E107", "tensor_matmul(): incompatible shapes (2, 2) x (3, 5)")
    ]
    assert snapshot(workspace.analysis("file")) == snapshot(Analysis.of_text(text.replace("3", "2", 1)))


TRICKY_REFERENCES = [
    "fn f() { 1 }\nfn f() { 2 }\nprint(f())",  # redefinition: W208's answer needs the whole file
    "fn f() { f() }\nfn g() { 1 }\nlet h = g",  # a self-call is no reference; storing is one
    "fn outer() {\n    fn inner() { 1 }\n    inner()\n}\nouter()",
    "fn outer() {\n    fn inner() { 1 }\n    1\n}\nfn inner() { 2 }\nouter()\ninner()",
    "print(late())\nfn late() { 3 }",
    "let c = len([1])\nif c > 0 {\n    fn inside() { 1 }\n}\ninside()",
    "let f = 1\nfn f() { 2 }\nprint(f)",
]


def test_referenced_functions_agree_with_the_symbol_table() -> None:
    """W208/W209's "is this fn referenced" comes from per-item facts (`FunctionFacts`); it must say what the
    symbol table of the whole file says, for every function of real and tricky programs."""
    texts = [path.read_text(encoding="utf-8") for path in real_programs()]
    texts += [generate_large_program(400, seed=9), *TRICKY_REFERENCES]
    compared = 0
    fallbacks: list[tuple] = []  # the answers the items alone could not give
    for text in texts:
        program = lower_source(text)
        table = symbol_table(program)
        items = [summarise(f"s{index}", s, s.span.start) for index, s in enumerate(program.statements)]
        answers: dict[int, bool] = {}
        for definition in table.definitions:
            if definition.kind is SymbolKind.FUNCTION:
                answers[definition.span.start] = table.is_referenced(definition)

        def whole_file(place: tuple, items: list = items, answers: dict = answers) -> bool:
            fallbacks.append(place)
            return answers[_start(place, items)]

        with_functions = {item.id: item for item in items if item.functions}
        facts = FunctionFacts(with_functions, *FunctionFacts.counted(None, [], items), whole_file)
        for start, expected_answer in answers.items():
            key = _key_at(start, items)
            assert facts.is_referenced(key) == expected_answer, (text[:80], key)
            compared += 1
    assert compared > 30
    assert 0 < len(fallbacks) <= 3, fallbacks


def _key_at(start: int, items: list) -> tuple[str, str, int]:
    item = next(i for i in reversed(items) if i.base <= start)
    statement = item.statement
    name = next(
        node.name.id
        for node in statement.walk()
        if isinstance(node, ast.FunctionDef) and node.span.start == start
    )
    return (name, item.id, start - item.base)


def _start(place: tuple[str, str, int], items: list) -> int:
    _, identity, offset = place
    return next(item.base for item in items if item.id == identity) + offset


def test_syntax_findings_of_unchanged_statements_are_reused() -> None:
    """The lexical rules re-run only on the statements an edit changed: the other statements' findings are
    the cached ones (moved, here, since the edit adds a line above them), and they equal a fresh analysis."""
    text = "let relu = 1\nfn f() {\n    let x = 2x\n    x\n}\nlet big = 99999999999999999999\n"
    workspace = Workspace()
    workspace.open("file", text, 0)
    before = workspace.analysis("file").syntax_diagnostics
    assert [d.message.split(":")[0] for d in before] == [
        "`relu` is a reserved word and cannot be used as a name",
        "invalid number `2x`",
        "integer literal 99999999999999999999 does not fit in 64 bits (the largest is 9223372036854775807)",
    ]
    slot = workspace._caches["file"]
    cached = dict(slot.syntax.by_key)
    workspace.change("file", [TextChange("let string = 0\n", (1, 0), (1, 0))], 1)
    after = workspace.analysis("file").syntax_diagnostics
    assert after == Analysis.of_text(text.replace("fn f", "let string = 0\nfn f")).syntax_diagnostics
    assert len(after) == 4
    reused = [key for key, entry in slot.syntax.by_key.items() if cached.get(key) is entry]
    assert len(reused) == 3  # all but the new statement


@pytest.mark.parametrize(
    ("text", "change", "message"),
    [
        # `let x = 2x` parses as `let x = 2` and `x`: the statement's text is unchanged, its neighbour not.
        ("let x = 2\nx\n", TextChange("", (0, 9), (1, 0)), "invalid number `2x`"),
        ("print(1)\n1e\n", TextChange("", (0, 8), (1, 0)), None),
        ("let y = 1\nlet z = y\n", TextChange("let tensor = 3e", (0, 0), (0, 9)), "invalid number `3e`"),
    ],
)
def test_syntax_findings_follow_the_neighbouring_statements(
    text: str, change: TextChange, message: str | None
) -> None:
    """Whether a number is glued to the token after it depends on the next statement: the cached findings
    of a statement are keyed by its neighbouring bytes too."""
    workspace = Workspace()
    workspace.open("file", text, 0)
    _ = workspace.analysis("file").syntax_diagnostics
    workspace.change("file", [change], 1)
    document = Document(text)
    document.apply_changes([change], 1)
    found = workspace.analysis("file").syntax_diagnostics
    assert found == Analysis.of_text(document.text).syntax_diagnostics
    if message is not None:
        assert any(d.message.startswith(message) for d in found), found
