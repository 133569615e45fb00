"""Formatting speed of `charl fmt` next to Black on a Python file of the same line count, in one process.

Run as `python3 bench/fmt.py [LINES]` (default 10,000). It prints lines per second for both and their
ratio (target: Charl ≥ 3× Black's lines/s); it asserts nothing (STYLE.md: timing lives in bench/).

Both sides do the same work, each formatter's safe mode on an input that needs formatting:
- Charl: `formatter.api.format_text` on `generate_large_program(LINES)` with its spacing squeezed
  (`x = 1` → `x=1`); that is parse, format, re-parse and compare ASTs and comments, format again
  (idempotence);
- Black: `black.format_file_contents(fast=False)` on bench/parse.py's Python program of the same line count,
  squeezed the same way; Black then formats, checks AST equivalence and formats again (stability).
Runs alternate between the two, and the median of each is reported.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import black
from parse import python_program

from charl_core.testing.programs import generate_large_program
from formatter.api import format_text

RUNS = 3


def squeezed(text: str) -> str:
    """The same program with the spaces around `=` removed, so that every formatter has work to do."""
    return text.replace(" = ", "=")


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    charl = squeezed(generate_large_program(lines, seed=0))
    python = squeezed(python_program(lines))
    assert charl.count("\n") == python.count("\n") == lines
    mode = black.Mode(line_length=100)
    charl_times, black_times = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = format_text(charl)
        charl_times.append(time.perf_counter() - start)
        assert result.changed
        start = time.perf_counter()
        black.format_file_contents(python, fast=False, mode=mode)
        black_times.append(time.perf_counter() - start)
    charl_time, black_time = statistics.median(charl_times), statistics.median(black_times)
    charl_rate, black_rate = lines / charl_time, lines / black_time
    print(f"safe formatting of {lines:,} lines (median of {RUNS})")
    print(f"  charl fmt (format_text)  {charl_time * 1000:9.0f} ms  {charl_rate:9,.0f} lines/s")
    print(f"  black {black.__version__:<18} {black_time * 1000:9.0f} ms  {black_rate:9,.0f} lines/s")
    print(f"  ratio                    {charl_rate / black_rate:9.1f}×  (target ≥ 3×)")


if __name__ == "__main__":
    main()
