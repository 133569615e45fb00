"""Speed of the symbol table after an edit (issue 5: hover p95 ≤ 10 ms at 5,000 lines).

Run as `python3 bench/symbols.py`. Prints a table, asserts nothing (STYLE.md). CPU time, as in
`bench/check.py`. On generated programs of 5,000 and 20,000 lines:

  - after a one-line edit inside a function, with the check of the new version done (the editor's usual
    order: diagnostics first): `Analysis.symbols` plus the first navigation queries on the name the edit
    declared (`definition_at`, `references_of` its definition), median and p95;
  - before: the same queries on `symbol_table(analysis.program)`, the whole file resolved again (what
    `Analysis.symbols` did on every version), without and with building `Analysis.program` (the re-based
    AST, which that path needed and the linked table does not);
  - the same before the check has run (the table lowers and resolves the edited item itself);
  - the worst case for `references_of`: a global and a function read by every item of the file, where
    every item must be built (about what resolving the file again costs);
  - for context, the whole first hover after the edit (`type_at` on the same name): it also needs the AST
    of the file (`Analysis.program`) and the checker's `let` types, which are not the symbol table's.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charl_core.analysis import Analysis, Workspace
from charl_core.check.symbols import SymbolTable, symbol_table
from charl_core.syntax.document import TextChange
from charl_core.testing.programs import generate_large_program

clock = time.process_time
SIZES = (5_000, 20_000)
EDITS = 20


def edit_line(text: str) -> int:
    """The first body line of a function in the second half of the file (as `bench/check.py`)."""
    lines = text.split("\n")
    for number in range(len(lines) // 2, len(lines)):
        if lines[number].startswith("fn ") and lines[number].endswith("{"):
            return number + 1
    raise ValueError("the generated program has no function in its second half")


def navigate(analysis: Analysis, offset: int) -> None:
    queries(analysis.symbols, offset)


def queries(table: SymbolTable, offset: int) -> None:
    for definition in table.definition_at(offset):
        table.references_of(definition)


def hover(analysis: Analysis, offset: int) -> None:
    analysis.type_at(offset)


def full_build(analysis: Analysis, offset: int) -> None:
    queries(symbol_table(analysis.program), offset)


def full_build_from_program(analysis: Analysis, offset: int) -> float:
    program = analysis.program  # built before the clock starts
    start = clock()
    queries(symbol_table(program), offset)
    return clock() - start


def after_edits(
    text: str, checked: bool, query: Callable[[Analysis, int], float | None], line: int | None = None
) -> list[float]:
    """Seconds of `query` on each edited version (the edit inserts a `let` and its query reads it); a
    query that returns a number has timed itself. By default the edit is inside a function (`edit_line`);
    given a `line`, it inserts a top-level statement there."""
    column = 4 if line is None else 0
    line = edit_line(text) if line is None else line
    workspace = Workspace()
    workspace.open("file", text, 0)
    workspace.analysis("file").diagnostics()
    times = []
    for edit in range(EDITS):
        inserted = f"let tmp_{edit} = {edit}\n" + " " * column
        workspace.change("file", [TextChange(inserted, (line, column), (line, column))], edit + 1)
        analysis = workspace.analysis("file")
        if checked:
            analysis.diagnostics()
        offset = analysis.offset_at(line, column + 4)  # the name `tmp_…` just declared
        start = clock()
        inner = query(analysis, offset)
        times.append(clock() - start if inner is None else inner)
        if not checked:
            analysis.diagnostics()  # the next version starts from this one's cache, as in the server
    return times


def popular_text(lines: int) -> str:
    """`lr` and `helper` read by every item."""
    parts = ["let lr = 0.1", "fn helper(x: int) { x + 1 }"]
    parts += [f"let v_{k} = helper({k}) + lr" if k % 2 else f"print(lr, helper({k}))" for k in range(lines)]
    return "\n".join(parts) + "\n"


def popular_references(analysis: Analysis, offset: int) -> None:
    del offset  # the query is about `lr`, declared on the first line
    queries(analysis.symbols, len("let "))


def popular_references_before(analysis: Analysis, offset: int) -> float:
    del offset
    program = analysis.program  # built before the clock starts
    start = clock()
    queries(symbol_table(program), len("let "))
    return clock() - start


def p95(times: list[float]) -> float:
    return sorted(times)[int(0.95 * (len(times) - 1))]


def main() -> None:
    print(f"{'measure':<66}{'median':>10}{'p95':>10}{'before/this, p95':>18}")
    print("-" * 104)
    for size in SIZES:
        text = generate_large_program(size, seed=2)
        before = after_edits(text, True, full_build_from_program)
        rows = [
            (f"{size:,} lines, after an edit, before: symbol_table(program) + queries", before),
            ("  same, building Analysis.program too", after_edits(text, True, full_build)),
            ("  linked table, checked: symbols + definition + references", after_edits(text, True, navigate)),
            ("  linked table, not checked yet: the same", after_edits(text, False, navigate)),
            ("  the whole first hover (type_at), checked", after_edits(text, True, hover)),
        ]
        for label, times in rows:
            median = statistics.median(times)
            ratio = p95(before) / p95(times)
            print(f"{label:<66}{median * 1e3:>7.1f} ms{p95(times) * 1e3:>7.1f} ms{ratio:>8.1f}x")
    text = popular_text(5_000)
    before = after_edits(text, True, popular_references_before, line=2_500)
    rows = [
        ("5,000 items reading one global, after an edit, before: its references", before),
        ("  linked table", after_edits(text, True, popular_references, line=2_500)),
    ]
    for label, times in rows:
        ratio = p95(before) / p95(times)
        print(
            f"{label:<66}{statistics.median(times) * 1e3:>7.1f} ms{p95(times) * 1e3:>7.1f} ms{ratio:>8.1f}x"
        )


if __name__ == "__main__":
    main()
