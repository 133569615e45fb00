"""Speed of the type and shape checker (issue: analysis core).

Run as `python3 bench/check.py`. Prints a table, asserts nothing (STYLE.md: timing lives in bench/, printed as
ratios). Measured in one process:

  (a) a full check of a generated 10,000-line program: lowering (CST → AST) and checking, separately;
  (b) re-checking after a one-line edit inside one function of a generated 5,000-line program, the way an
      editor does it (apply the edit to the `Document`, lower, check), median and p95, as a ratio to a full
      check of the same file. Targets: p95 under 20 ms and at least 20x faster than a full check.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charl_core.check import check_program
from charl_core.syntax.document import Document
from charl_core.syntax.lower import lower
from charl_core.testing.programs import generate_large_program

FULL_LINES = 10_000
EDIT_LINES = 5_000
FULL_RUNS = 3
EDITS = 15


def full_check(lines: int) -> tuple[float, float]:
    """Median seconds to lower and to check a generated program of `lines` lines."""
    document = Document(generate_large_program(lines, seed=1))
    lowering, checking = [], []
    for _ in range(FULL_RUNS):
        start = time.perf_counter()
        program = lower(document.tree, document.source)
        lowered = time.perf_counter()
        check_program(program)
        lowering.append(lowered - start)
        checking.append(time.perf_counter() - lowered)
    return statistics.median(lowering), statistics.median(checking)


def edit_position(document: Document) -> tuple[int, int]:
    """A line inside a function body in the middle of the file: the line after a `fn` line."""
    lines = document.text.splitlines()
    middle = len(lines) // 2
    for number in range(middle, len(lines)):
        if lines[number].startswith("fn "):
            return number + 1, 4
    return middle, 0


def recheck_after_edits() -> list[float]:
    document = Document(generate_large_program(EDIT_LINES, seed=2))
    line, column = edit_position(document)
    times = []
    for edit in range(EDITS):
        start = time.perf_counter()
        document.apply_edit((line, column), (line, column), f"let tmp_{edit} = {edit}\n    ")
        check_program(lower(document.tree, document.source))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    lowering, checking = full_check(FULL_LINES)
    print(f"{'measure':<58}{'time':>12}")
    print("-" * 70)
    print(f"{f'lower {FULL_LINES:,} lines (CST → AST)':<58}{lowering * 1e3:>9.1f} ms")
    print(f"{f'check {FULL_LINES:,} lines':<58}{checking * 1e3:>9.1f} ms")
    print(f"{'  checked lines per second':<58}{FULL_LINES / checking:>12,.0f}")
    edit_lowering, edit_checking = full_check(EDIT_LINES)
    full = edit_lowering + edit_checking
    times = recheck_after_edits()
    median, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
    print(f"{f'full lower + check, {EDIT_LINES:,} lines':<58}{full * 1e3:>9.1f} ms")
    print(f"{'re-check after a one-line edit in a function, median':<58}{median * 1e3:>9.1f} ms")
    print(f"{'re-check after a one-line edit in a function, p95':<58}{p95 * 1e3:>9.1f} ms")
    print(f"{'  ratio full / re-check median (target >= 20x)':<58}{full / median:>11.1f}x")


if __name__ == "__main__":
    main()
