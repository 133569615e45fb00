"""Speed of the type and shape checker (issue: analysis core).

Run as `python3 bench/check.py`. Prints a table, asserts nothing (STYLE.md: timing lives in bench/, printed as
ratios). Measured in one process:

  (a) a full check of a generated 10,000-line program: lowering (CST → AST) and checking, separately;
  (b) the editor's path after a one-line edit inside one function of a generated 5,000-line program:
      `Workspace.change` (incremental reparse) then `Analysis.diagnostics()`, median and p95, as a ratio to
      the same path on a fresh workspace (a full check). The same edits are also timed for the checker alone
      (`check_tree` with the previous version's cache), and the syntax diagnostics separately, because
      `diagnostics()` runs both. Targets: p95 under 20 ms and at least 20x faster than a full check.
  (c) for information, the editor's path after an edit that leaves a syntax error (no target).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charl_core.analysis import Workspace
from charl_core.check import check_program, check_tree
from charl_core.syntax.document import Document, TextChange
from charl_core.syntax.lower import lower
from charl_core.testing.programs import generate_large_program

clock = time.process_time
"""CPU time of this process: the measured path is single-threaded, and on a shared machine wall time mostly
measures the other jobs (runs on a loaded 2-core machine differed by 3x in wall time, not in CPU time)."""

FULL_LINES = 10_000
EDIT_LINES = 5_000
FULL_RUNS = 3
EDITS = 40
BROKEN_EDITS = 5


def full_check(lines: int) -> tuple[float, float]:
    """Median seconds to lower and to check a generated program of `lines` lines."""
    document = Document(generate_large_program(lines, seed=1))
    lowering, checking = [], []
    for _ in range(FULL_RUNS):
        start = clock()
        program = lower(document.tree, document.source)
        lowered = clock()
        check_program(program)
        lowering.append(lowered - start)
        checking.append(clock() - lowered)
    return statistics.median(lowering), statistics.median(checking)


def edit_line(text: str) -> int:
    """A line inside a function body in the middle of the file: the first line of a body whose `fn` line
    ends with its opening brace."""
    lines = text.split("\n")
    for number in range(len(lines) // 2, len(lines)):
        if lines[number].startswith("fn ") and lines[number].endswith("{"):
            return number + 1
    raise ValueError("the generated program has no function in its second half")


def editor_full(text: str) -> float:
    """Median seconds for a fresh workspace to open the text and produce its diagnostics."""
    times = []
    for _ in range(FULL_RUNS):
        start = clock()
        workspace = Workspace()
        workspace.open("file", text, 0)
        workspace.analysis("file").diagnostics()
        times.append(clock() - start)
    return statistics.median(times)


def editor_edits(text: str) -> tuple[list[float], list[float], list[float]]:
    """Per edit: seconds for change + diagnostics, of which syntax diagnostics; and the checker alone."""
    gc.collect()  # the garbage of the earlier measurements is theirs: a full collection costs ~70 ms here
    line = edit_line(text)
    workspace = Workspace()
    workspace.open("file", text, 0)
    workspace.analysis("file").diagnostics()
    total, syntax, checker = [], [], []
    for edit in range(EDITS):
        start = clock()
        workspace.change(
            "file", [TextChange(f"let tmp_{edit} = {edit}\n    ", (line, 4), (line, 4))], edit + 1
        )
        analysis = workspace.analysis("file")
        changed = clock()
        _ = analysis.syntax_diagnostics
        syntax.append(clock() - changed)
        found = analysis.diagnostics()
        total.append(clock() - start)
        assert not any(d.is_error for d in found), "the edit must keep the program valid"
    document = Document(text)
    cache = check_tree(document.tree, document.source)[1]
    for edit in range(EDITS):
        document.apply_edit((line, 4), (line, 4), f"let tmp_{edit} = {edit}\n    ")
        start = clock()
        _, cache = check_tree(document.tree, document.source, cache)
        checker.append(clock() - start)
    return total, syntax, checker


def broken_edits(text: str) -> list[float]:
    """Seconds for change + diagnostics when the edit leaves a syntax error (a `(` typed at the start of a
    function body, then removed again, untimed): the state of a file while it is being typed. Then the
    document parses from scratch and nothing of the tree is cached (`Document._reparse`)."""
    line = edit_line(text)
    workspace = Workspace()
    workspace.open("file", text, 0)
    workspace.analysis("file").diagnostics()
    times = []
    for edit in range(BROKEN_EDITS):
        start = clock()
        workspace.change("file", [TextChange("(", (line, 4), (line, 4))], 2 * edit + 1)
        found = workspace.analysis("file").diagnostics()
        times.append(clock() - start)
        assert any(d.is_error for d in found), "the edit must break the program"
        workspace.change("file", [TextChange("", (line, 4), (line, 5))], 2 * edit + 2)
        workspace.analysis("file").diagnostics()
    return times


def checker_full(text: str) -> float:
    """Median seconds for `check_tree` without a cache (lowering and resolving every item included)."""
    document = Document(text)
    times = []
    for _ in range(FULL_RUNS):
        start = clock()
        check_tree(document.tree, document.source)
        times.append(clock() - start)
    return statistics.median(times)


def p95(times: list[float]) -> float:
    return sorted(times)[int(0.95 * (len(times) - 1))]


def main() -> None:
    lowering, checking = full_check(FULL_LINES)
    print(f"{'measure':<62}{'time':>12}")
    print("-" * 74)
    print(f"{f'lower {FULL_LINES:,} lines (CST → AST)':<62}{lowering * 1e3:>9.1f} ms")
    print(f"{f'check {FULL_LINES:,} lines':<62}{checking * 1e3:>9.1f} ms")
    print(f"{'  checked lines per second':<62}{FULL_LINES / checking:>12,.0f}")
    text = generate_large_program(EDIT_LINES, seed=2)
    full = editor_full(text)
    total, syntax, checker = editor_edits(text)
    fresh = checker_full(text)
    broken = broken_edits(text)
    rows = [
        (f"editor, full: open + diagnostics(), {EDIT_LINES:,} lines", full),
        ("editor, one-line edit in a function: change + diagnostics(), median", statistics.median(total)),
        ("  same, p95", p95(total)),
        ("  of which syntax diagnostics (cached per statement), median", statistics.median(syntax)),
        (f"checker, full: check_tree without a cache, {EDIT_LINES:,} lines", fresh),
        ("checker after the edit: check_tree with the cache, median", statistics.median(checker)),
        ("  same, p95", p95(checker)),
        ("editor, an edit that breaks the syntax: change + diagnostics(), median", statistics.median(broken)),
    ]
    for label, seconds in rows:
        print(f"{label:<62}{seconds * 1e3:>9.1f} ms")
    ratios = [
        ("editor: full / edit, p95 (target >= 20x)", full / p95(total)),
        ("checker: full / edit, p95 (target >= 20x)", fresh / p95(checker)),
    ]
    for label, ratio in ratios:
        print(f"{'  ' + label:<62}{ratio:>11.1f}x")


if __name__ == "__main__":
    main()
