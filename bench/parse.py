"""Parsing speed of Charl's tree-sitter grammar, next to CPython's own parser on a file of the same size.

Run as `python3 bench/parse.py`. It prints a table and asserts nothing (STYLE.md: timing lives in bench/,
printed as ratios). Measured in one process, one after the other:

  (a) a full parse of a generated 10,000-line Charl program (`generate_large_program`), in lines/s, against
      `ast.parse` of a generated 10,000-line Python program of the same shape (functions, loops,
      arithmetic); target: Charl faster;
  (b) a one-line edit in the same file, reparsed incrementally with the old tree (py-tree-sitter directly,
      and through `Document.apply_edit` when it exists), median and p95; target: under 1 ms;
  (c) lowering the 10,000-line tree to the AST (`charl_core.syntax.lower`), when it exists.
"""

from __future__ import annotations

import ast as python_ast
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charl_core.syntax.language import new_parser
from charl_core.testing.programs import generate_large_program

LINES = 10_000
FULL_RUNS = 9
EDITS = 300


def python_program(lines: int, seed: int = 0) -> str:
    """A realistic Python module of exactly `lines` lines: numeric helper functions with loops."""
    rng = random.Random(seed)
    parts: list[str] = ["import math\n", "\n"]
    k = 0
    while True:
        n = rng.randrange(4, 64)
        block = f"""\
def train_step_{k}(xs, ys, weights, lr={rng.choice(["0.01", "0.1", "0.5"])}):
    \"\"\"One gradient step of a tiny linear model ({n} features).\"\"\"
    total = 0.0
    grads = [0.0] * len(weights)
    for i in range(len(xs)):
        pred = sum(w * x for w, x in zip(weights, xs[i]))
        err = pred - ys[i]
        total += err * err / {n}
        for j, x in enumerate(xs[i]):
            grads[j] += 2.0 * err * x
    if total > {rng.randrange(1, 100)}.0:
        print(f"step {k}: loss {{total:.4f}} is large")
    elif math.isnan(total):
        raise ValueError("diverged")
    return [w - lr * g for w, g in zip(weights, grads)], total


"""
        if sum(part.count("\n") for part in parts) + block.count("\n") > lines:
            break
        parts.append(block)
        k += 1
    used = sum(part.count("\n") for part in parts)
    parts.extend(f"CONSTANT_{j} = {j} * 2 + 1\n" for j in range(lines - used))
    return "".join(parts)


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(0.95 * len(values)))]


NUMBER_DIGIT = re.compile(rb"(?<![A-Za-z0-9_])[0-9]")
"""The first digit of a number literal (not a digit inside a name such as `W1` or `float32`)."""


def one_line_edits(source: bytes, count: int, seed: int = 0) -> list[tuple[int, int, bytes]]:
    """`count` edits `(line, column, digit)`, each retyping the first digit of a number on a random line:
    the file stays valid and every line keeps its length, so the positions stay right edit after edit."""
    rng = random.Random(seed)
    lines = source.split(b"\n")
    candidates = [(i, line) for i, line in enumerate(lines) if line.isascii() and NUMBER_DIGIT.search(line)]
    edits = []
    for _ in range(count):
        row, line = rng.choice(candidates)
        column = rng.choice([match.start() for match in NUMBER_DIGIT.finditer(line)])
        edits.append((row, column, str(rng.randrange(1, 10)).encode()))
    return edits


def main() -> None:
    charl = generate_large_program(LINES, seed=0).encode("utf-8")
    python = python_program(LINES)
    assert charl.count(b"\n") == python.count("\n") == LINES
    parser = new_parser()

    # (a) full parses, interleaved so that both see the same machine state.
    charl_times, python_times = [], []
    for _ in range(FULL_RUNS):
        charl_times += timed(lambda: parser.parse(charl), 1)
        python_times += timed(lambda: python_ast.parse(python), 1)
    charl_full, python_full = statistics.median(charl_times), statistics.median(python_times)

    # (b) incremental: one-line edits in sequence, each reparsed with the previous tree.
    source, tree = charl, parser.parse(charl)
    line_starts = [0] + [i + 1 for i, byte in enumerate(charl) if byte == 10]
    incremental: list[float] = []
    for row, column, digits in one_line_edits(charl, EDITS):
        start = line_starts[row] + column  # a digit: edits replace one character, so line starts stay valid
        new_source = source[:start] + digits + source[start + 1 :]
        begin = time.perf_counter()
        tree.edit(
            start_byte=start,
            old_end_byte=start + 1,
            new_end_byte=start + 1,
            start_point=(row, column),
            old_end_point=(row, column + 1),
            new_end_point=(row, column + 1),
        )
        tree = parser.parse(new_source, tree)
        incremental.append(time.perf_counter() - begin)
        source = new_source
    assert not tree.root_node.has_error

    rows: list[tuple[str, str, str]] = [
        (
            f"full parse, {LINES:,} lines: Charl (tree-sitter)",
            ms(charl_full),
            f"{LINES / charl_full:,.0f} lines/s",
        ),
        (
            f"full parse, {LINES:,} lines: Python (ast.parse)",
            ms(python_full),
            f"{LINES / python_full:,.0f} lines/s",
        ),
        ("  ratio ast.parse / Charl (>1: Charl faster)", f"{python_full / charl_full:.1f}x", ""),
        ("one-line edit + incremental reparse, median", ms(statistics.median(incremental)), ""),
        ("one-line edit + incremental reparse, p95", ms(p95(incremental)), ""),
        (
            "  ratio ast.parse / incremental median",
            f"{python_full / statistics.median(incremental):,.0f}x",
            "",
        ),
    ]

    try:
        from charl_core.syntax.document import Document
    except ImportError:
        Document = None
    if Document is not None:
        document = Document(charl.decode("utf-8"))
        through_document: list[float] = []
        for row, column, digits in one_line_edits(charl, EDITS, seed=1):
            text = digits.decode()
            begin = time.perf_counter()
            document.apply_edit((row, column), (row, column + 1), text)
            through_document.append(time.perf_counter() - begin)
        assert not document.tree.root_node.has_error
        rows += [
            ("Document.apply_edit (one line), median", ms(statistics.median(through_document)), ""),
            ("Document.apply_edit (one line), p95", ms(p95(through_document)), ""),
        ]

    try:
        from charl_core.syntax.lower import lower
    except ImportError:
        lower = None
    if lower is not None:
        full_tree = parser.parse(charl)
        lowering = statistics.median(timed(lambda: lower(full_tree, charl), 5))
        rows.append(
            (f"lowering to the AST, {LINES:,} lines", ms(lowering), f"{LINES / lowering:,.0f} lines/s")
        )

    width = max(len(label) for label, _, _ in rows)
    print(f"{'measure':<{width}}  {'time':>10}  throughput")
    print("-" * (width + 36))
    for label, value, extra in rows:
        print(f"{label:<{width}}  {value:>10}  {extra}")
    print(f"\nCharl file: {len(charl):,} bytes; Python file: {len(python.encode()):,} bytes; {EDITS} edits.")


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


if __name__ == "__main__":
    main()
