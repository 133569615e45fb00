"""Speed of the interpreter (issue 4, item 1).

Run as `python3 bench/interpreter.py`. Prints times and ratios, asserts nothing (STYLE.md: timing lives in
bench/). Measured in one process, best of a few runs each, compile time included, start-up excluded, as
CPU time of the process (steadier than wall time on a shared machine):

  (a) scalar: nested `while` loops over floats and integers (about 10^6 operations) as a Charl program
      under the interpreter, against the same code in plain Python. Target: within 10x (goal 5x).
  (b) training: a 2→128→64→20 MLP on 80 samples for a few hundred epochs with `nn_linear`, `nn_relu`,
      `nn_cross_entropy_logits`, `tensor_backward` and `sgd_step`, against the same computation in plain
      Python and in NumPy. Skipped (with a note) while the tensor builtins lack implementations.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charl_core.runtime.context import Context
from charl_core.runtime.interpreter import run_program
from charl_core.runtime.library import load

RUNS = 3

# ───────────────────────────── (a) scalar loops ─────────────────────────────

OUTER = 2000
INNER = 100

SCALAR_CHARL = f"""
let total = 0.0
let count = 0
let i = 0
while i < {OUTER} {{
    let x = i * 0.001
    let j = 0
    while j < {INNER} {{
        total = total + x * 0.5 - j * 0.25
        count = count + 1
        j = j + 1
    }}
    i = i + 1
}}
print(total, count)
"""

SCALAR_PYTHON = f"""
total = 0.0
count = 0
i = 0
while i < {OUTER}:
    x = i * 0.001
    j = 0
    while j < {INNER}:
        total = total + x * 0.5 - j * 0.25
        count = count + 1
        j = j + 1
    i = i + 1
result = f"{{total}} {{count}}"
"""


def best_time(function: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return min(times), result


def run_charl(text: str) -> str:
    out = io.StringIO()
    errors = io.StringIO()
    code = run_program(text, "<bench>", Context(out=out), errors)
    if code != 0:
        raise RuntimeError(f"the benchmark program failed:\n{errors.getvalue()}")
    return out.getvalue().strip()


def run_python(text: str) -> str:
    namespace: dict[str, object] = {}
    exec(compile(text, "<bench>", "exec"), namespace)
    return str(namespace.get("result", ""))


def scalar() -> None:
    charl_time, charl_out = best_time(lambda: run_charl(SCALAR_CHARL))
    python_time, python_out = best_time(lambda: run_python(SCALAR_PYTHON))
    operations = OUTER * INNER * 8
    print(f"(a) scalar loops, {OUTER} x {INNER} iterations (~{operations:,} operations)")
    print(f"    Charl interpreter {charl_time * 1000:8.1f} ms   output {charl_out}")
    print(f"    plain Python      {python_time * 1000:8.1f} ms   output {python_out}")
    print(f"    ratio             {charl_time / python_time:8.2f}x   (target 10x, goal 5x)")


# ───────────────────────────── (b) training ─────────────────────────────
# A 2→128→64→20 MLP, 80 samples, a few hundred epochs. Needs the tensor builtins (nn_linear, nn_relu,
# the loss, tensor_backward, sgd_step): the section runs only once they are implemented.

TRAINING_BUILTINS = ("nn_linear", "nn_relu", "nn_cross_entropy_logits", "tensor_backward", "sgd_step")


def training() -> None:
    from charl_core.builtins import lookup

    missing = [name for name in TRAINING_BUILTINS if lookup(name).implementation is None]
    print("(b) training: 2→128→64→20 MLP, 80 samples")
    if missing:
        print(f"    skipped: no implementation yet for {', '.join(missing)}")
        return
    from bench.training import compare  # the Charl, plain-Python and NumPy versions of the same loop

    compare(best_time, run_charl)


def main() -> None:
    load()
    scalar()
    training()


if __name__ == "__main__":
    main()
