"""Speed of the interpreter (issue 4, item 1).

Run as `python3 bench/interpreter.py [a] [b] [c]` (all parts by default). Prints times and ratios,
asserts nothing (STYLE.md: timing lives in bench/). Measured in one process, best of a few runs each,
compile time included, start-up excluded, as CPU time of the process (steadier than wall time on a shared
machine):

  (a) scalar: nested `while` loops over floats and integers (about 10^6 operations) as a Charl program
      under the interpreter, against the same code in plain Python. Target: within 10x (goal 5x).
  (b) training: a 2→128→64→20 MLP on 80 samples for 300 epochs with `nn_linear`, `nn_relu`,
      `nn_cross_entropy_logits`, `tensor_backward` and `sgd_step`, against the same computation in plain
      Python (2 epochs: it is slow) and in NumPy, per epoch; the final losses are printed to show that the
      three compute the same thing.
  (c) function calls: a recursive `fib(22)` (about 57 000 calls), a loop calling a small function 10^5
      times, and nested loops over the locals and parameters of a function, each against the same code
      in plain Python; the per-call figure is the time of the calling loop over its call count.
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
# A 2→128→64→20 MLP on 80 samples trained with SGD. The three versions start from the same weights (the
# Charl builtin `tensor_randn_seeded` is called from Python for the other two) and apply the same
# formulas (LANGUAGE.md §6.6, §6.8), so their final losses agree (plain Python exactly: same sequential
# sums; NumPy to about 1e-12: its matmul sums in another order).

EPOCHS = 300
PYTHON_EPOCHS = 2  # plain Python needs about half a second per epoch: timed per epoch
LAYERS = ((2, 128, 1, 0.5), (128, 64, 2, 0.1), (64, 20, 3, 0.1))  # (inputs, outputs, seed, scale)
SAMPLES, CLASSES, RATE = 80, 20, 0.1

TRAINING_CHARL = """
let xs = [0.0; 160]
let ys = [0.0; 1600]
let i = 0
while i < 80 {
    xs[i * 2] = (i % 10) as float * 0.2 - 1.0
    xs[i * 2 + 1] = (i / 10) as float * 0.25 - 1.0
    ys[i * 20 + (i * 7) % 20] = 1.0
    i = i + 1
}
let X = tensor(xs, [80, 2])
let Y = tensor(ys, [80, 20])
let W1 = tensor_requires_grad(tensor_mul(tensor_randn_seeded([2, 128], 1), 0.5), true)
let b1 = tensor_requires_grad(tensor_zeros([128]), true)
let W2 = tensor_requires_grad(tensor_mul(tensor_randn_seeded([128, 64], 2), 0.1), true)
let b2 = tensor_requires_grad(tensor_zeros([64]), true)
let W3 = tensor_requires_grad(tensor_mul(tensor_randn_seeded([64, 20], 3), 0.1), true)
let b3 = tensor_requires_grad(tensor_zeros([20]), true)
let opt = sgd_create(0.1)
let epoch = 0
let loss = 0.0
while epoch < EPOCHS {
    let h1 = nn_relu(nn_linear(X, W1, b1))
    let h2 = nn_relu(nn_linear(h1, W2, b2))
    loss = nn_cross_entropy_logits(nn_linear(h2, W3, b3), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2, W3, b3])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]  W3 = u[4]  b3 = u[5]
    epoch = epoch + 1
}
print(tensor_item(loss))
"""


def dataset() -> tuple[list[list[float]], list[list[float]]]:
    xs = [[(i % 10) * 0.2 - 1.0, (i // 10) * 0.25 - 1.0] for i in range(SAMPLES)]
    ys = [[1.0 if c == (i * 7) % CLASSES else 0.0 for c in range(CLASSES)] for i in range(SAMPLES)]
    return xs, ys


def initial_weights() -> list[tuple[list[list[float]], list[float]]]:
    """The Charl program's starting weights, from the Charl builtin itself."""
    from charl_core.builtins import lookup

    randn = lookup("tensor_randn_seeded").implementation
    layers = []
    for inputs, outputs, seed, scale in LAYERS:
        data = randn(Context(), [[inputs, outputs], seed]).data
        weights = [[float(data[i * outputs + j]) * scale for j in range(outputs)] for i in range(inputs)]
        layers.append((weights, [0.0] * outputs))
    return layers


Matrix = list[list[float]]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    """`acc = 0.0; for k: acc += a[i][k] * b[k][j]`, the sequential order of §6.9."""
    columns = list(zip(*b, strict=True))
    out = []
    for row in a:
        out_row = []
        for column in columns:
            acc = 0.0
            for x, y in zip(row, column, strict=True):
                acc += x * y
            out_row.append(acc)
        out.append(out_row)
    return out


def transpose(a: Matrix) -> Matrix:
    return [list(column) for column in zip(*a, strict=True)]


def train_python(epochs: int) -> float:
    """The same training in plain Python lists: forward, softmax cross-entropy per row, backward, SGD."""
    import math

    xs, ys = dataset()
    layers = initial_weights()
    loss = 0.0
    for _ in range(epochs):
        inputs, outputs = [], []
        x = xs
        for index, (weights, bias) in enumerate(layers):
            z = [[v + b for v, b in zip(row, bias, strict=True)] for row in matmul(x, weights)]
            inputs.append(x)
            outputs.append(z)
            x = z if index == len(layers) - 1 else [[v if v > 0.0 else 0.0 for v in row] for row in z]
        loss, grad = 0.0, []
        for row, target in zip(x, ys, strict=True):
            m = max(row)
            e = [math.exp(v - m) for v in row]
            total = 0.0
            for v in e:
                total += v
            s = [v / total for v in e]
            for p, t in zip(s, target, strict=True):
                loss += -t * math.log(min(max(p, 1e-10), 1.0 - 1e-10))
            grad.append([(p - t) / SAMPLES for p, t in zip(s, target, strict=True)])
        loss /= SAMPLES
        new_layers = list(layers)
        for index in range(len(layers) - 1, -1, -1):
            weights, bias = layers[index]
            dw = matmul(transpose(inputs[index]), grad)
            db = [sum_sequential(column) for column in zip(*grad, strict=True)]
            new_layers[index] = (
                [
                    [w - RATE * d for w, d in zip(wr, dr, strict=True)]
                    for wr, dr in zip(weights, dw, strict=True)
                ],
                [b - RATE * d for b, d in zip(bias, db, strict=True)],
            )
            if index > 0:
                dx = matmul(grad, transpose(weights))
                grad = [
                    [d if z > 0.0 else 0.0 for d, z in zip(dr, zr, strict=True)]
                    for dr, zr in zip(dx, outputs[index - 1], strict=True)
                ]
        layers = new_layers
    return loss


def sum_sequential(values: tuple[float, ...]) -> float:
    acc = 0.0
    for v in values:
        acc += v
    return acc


def train_numpy(epochs: int) -> float:
    """The same training with NumPy arrays (matmul sums in its own order)."""
    import numpy as np

    xs, ys = dataset()
    x0, target = np.array(xs), np.array(ys)
    layers = [(np.array(w), np.array(b)) for w, b in initial_weights()]
    loss = 0.0
    for _ in range(epochs):
        inputs, outputs, x = [], [], x0
        for index, (weights, bias) in enumerate(layers):
            z = x @ weights + bias
            inputs.append(x)
            outputs.append(z)
            x = z if index == len(layers) - 1 else np.maximum(z, 0.0)
        e = np.exp(x - x.max(axis=1, keepdims=True))
        s = e / e.sum(axis=1, keepdims=True)
        loss = float(np.sum(-target * np.log(np.clip(s, 1e-10, 1.0 - 1e-10))) / SAMPLES)
        grad = (s - target) / SAMPLES
        new_layers = list(layers)
        for index in range(len(layers) - 1, -1, -1):
            weights, bias = layers[index]
            new_layers[index] = (weights - RATE * (inputs[index].T @ grad), bias - RATE * grad.sum(axis=0))
            if index > 0:
                grad = (grad @ weights.T) * (outputs[index - 1] > 0.0)
        layers = new_layers
    return loss


def training() -> None:
    charl_time, charl_loss = best_time(lambda: run_charl(TRAINING_CHARL.replace("EPOCHS", str(EPOCHS))))
    numpy_time, numpy_loss = best_time(lambda: train_numpy(EPOCHS))
    python_time, python_loss = best_time(lambda: train_python(PYTHON_EPOCHS))
    _, charl_short = best_time(lambda: run_charl(TRAINING_CHARL.replace("EPOCHS", str(PYTHON_EPOCHS))))
    per_epoch = {
        "Charl interpreter": charl_time / EPOCHS,
        "plain Python": python_time / PYTHON_EPOCHS,
        "NumPy": numpy_time / EPOCHS,
    }
    print(f"(b) training: 2→128→64→20 MLP, {SAMPLES} samples, SGD")
    print(f"    final loss after {EPOCHS} epochs: Charl {charl_loss}, NumPy {numpy_loss!r}")
    print(f"    after {PYTHON_EPOCHS} epochs: Charl {charl_short}, plain Python {python_loss!r}")
    for name, seconds in per_epoch.items():
        ratio = per_epoch["Charl interpreter"] / seconds
        print(f"    {name:<18}{seconds * 1000:8.2f} ms/epoch   Charl / this = {ratio:6.2f}x")


# ───────────────────────────── (c) function calls ─────────────────────────────

FIB_N = 22
CALLS = 100_000
LOCAL_OUTER, LOCAL_INNER = 300, 100

CALLS_CHARL = {
    "recursive fib(22)": f"""
fn fib(n: int) -> int {{
    if n < 2 {{ return n }}
    fib(n - 1) + fib(n - 2)
}}
print(fib({FIB_N}))
""",
    f"{CALLS:,} calls of a small function": f"""
fn step(a: int, b: int) -> int {{ a + b * 2 }}
let i = 0
let total = 0
while i < {CALLS} {{
    total = step(total, i) % 1000003
    i = i + 1
}}
print(total)
""",
    "nested loops on locals in a function": f"""
fn work(n: int, m: int) -> float {{
    let total = 0.0
    let i = 0
    while i < n {{
        let x = i * 0.5
        let j = 0
        while j < m {{
            total = total + x - j * 0.25
            j = j + 1
        }}
        i = i + 1
    }}
    total
}}
print(work({LOCAL_OUTER}, {LOCAL_INNER}))
""",
}

CALLS_PYTHON = {
    "recursive fib(22)": f"""
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
result = str(fib({FIB_N}))
""",
    f"{CALLS:,} calls of a small function": f"""
def step(a, b):
    return a + b * 2
i = 0
total = 0
while i < {CALLS}:
    total = step(total, i) % 1000003
    i = i + 1
result = str(total)
""",
    "nested loops on locals in a function": f"""
def work(n, m):
    total = 0.0
    i = 0
    while i < n:
        x = i * 0.5
        j = 0
        while j < m:
            total = total + x - j * 0.25
            j = j + 1
        i = i + 1
    return total
result = str(work({LOCAL_OUTER}, {LOCAL_INNER}))
""",
}


def fib_calls(n: int) -> int:
    """The number of calls `fib(n)` makes, itself included."""
    return 1 if n < 2 else 1 + fib_calls(n - 1) + fib_calls(n - 2)


def calls() -> None:
    call_counts = {"recursive fib(22)": fib_calls(FIB_N), f"{CALLS:,} calls of a small function": CALLS}
    print("(c) function calls")
    for name, program in CALLS_CHARL.items():
        charl_time, charl_out = best_time(lambda program=program: run_charl(program))
        python_time, python_out = best_time(lambda name=name: run_python(CALLS_PYTHON[name]))
        if charl_out != python_out:
            raise RuntimeError(f"{name}: Charl printed {charl_out}, Python {python_out}")
        line = (
            f"    {name:<38} Charl {charl_time * 1000:7.1f} ms   Python {python_time * 1000:6.1f} ms"
            f"   ratio {charl_time / python_time:6.2f}x"
        )
        if name in call_counts:
            line += f"   {charl_time / call_counts[name] * 1e6:5.2f} µs/call"
        print(line)


def main() -> None:
    load()
    parts = sys.argv[1:] or ["a", "b", "c"]  # `python3 bench/interpreter.py c` runs part (c) only
    for part, run in (("a", scalar), ("b", training), ("c", calls)):
        if part in parts:
            run()


if __name__ == "__main__":
    main()
