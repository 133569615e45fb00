"""A deterministic generator of large, realistic Charl programs, for benchmarks and scale tests.

The programs look like the ones people write (LANGUAGE.md §6.10, the conformance cases): data sets filled by
`while` loops, helper functions with static tensor types (§9.5), seeded weights, training loops with
`nn_linear`/`nn_mse_loss`/`tensor_backward`/`sgd_step`, `match`, `else if`, `for`, tuples, multi-line calls
and arrays, non-ASCII strings, line and block comments, and both statement styles (with and without `;`).

The program is a sequence of independent sections. Every name a section defines carries the section's index
as a suffix, every name is defined before it is used, and shapes agree, so a checker has nothing to report.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["generate_large_program"]


def _training(k: int, rng: random.Random, semi: str) -> str:
    n = rng.choice([12, 20, 28, 40])
    hidden = rng.choice([4, 8, 16])
    epochs = rng.choice([5, 10, 20, 50])
    lr = rng.choice(["0.01", "0.05", "0.1"])
    return f"""\
// ── section {k}: a two-layer regression network on a synthetic data set ──
let n_{k} = {n}{semi}
let xs_{k}: [float32; {2 * n}] = [0.0; {2 * n}]
let ys_{k}: [float32; {n}] = [0.0; {n}]{semi}
let i_{k} = 0
while i_{k} < n_{k} {{
    let a_{k} = (i_{k} % 7) as float32 * 0.25 - 0.75
    let c_{k} = (i_{k} / 7) as float32 * 0.5 - 1.0{semi}
    xs_{k}[i_{k} * 2] = a_{k}
    xs_{k}[i_{k} * 2 + 1] = c_{k}{semi}
    ys_{k}[i_{k}] = a_{k} * c_{k} + 0.5 * a_{k}
    i_{k} = i_{k} + 1
}}
let X_{k}: tensor<float32, [{n}, 2]> = tensor(xs_{k}, [{n}, 2])
let Y_{k} = tensor(ys_{k}, [{n}, 1]){semi}
fn dense_{k}(x: tensor<float32, [B, 2]>, W: tensor<float32, [2, {hidden}]>,
             b: tensor<float32, [{hidden}]>) -> tensor<float32, [B, {hidden}]> {{
    nn_relu(nn_linear(x, W, b))
}}
fn head_{k}(h: tensor<float32, [B, {hidden}]>, W: tensor<float32, [{hidden}, 1]>, b: tensor<float32, [1]>)
    -> tensor<float32, [B, 1]> {{
    return nn_linear(h, W, b){semi}
}}
let W1_{k} = tensor_requires_grad(tensor_randn_seeded([2, {hidden}], {rng.randrange(1000)}), true)
let b1_{k} = tensor_requires_grad(tensor_zeros([{hidden}]), true)
let W2_{k} = tensor_requires_grad(
    tensor_mul(tensor_randn_seeded([{hidden}, 1], {rng.randrange(1000)}), 0.5),
    true
)
let b2_{k} = tensor_requires_grad(tensor_zeros([1]), true)
let opt_{k} = sgd_create({lr})
let epoch_{k} = 0
/* Training loop. sgd_step is functional (LANGUAGE.md §6.8):
   it returns fresh parameters that must be reassigned. */
while epoch_{k} < {epochs} {{
    let hidden_{k} = dense_{k}(X_{k}, W1_{k}, b1_{k})
    let pred_{k} = head_{k}(hidden_{k}, W2_{k}, b2_{k})
    let loss_{k} = nn_mse_loss(pred_{k}, Y_{k}){semi}
    tensor_backward(loss_{k})
    let u_{k} = sgd_step(opt_{k}, [W1_{k}, b1_{k}, W2_{k}, b2_{k}])
    W1_{k} = u_{k}[0]  b1_{k} = u_{k}[1]
    W2_{k} = u_{k}[2]{semi}
    b2_{k} = u_{k}[3]
    if epoch_{k} % 5 == 0 {{
        print("époque", epoch_{k}, "→ perte", tensor_item(loss_{k}))
    }}
    epoch_{k} = epoch_{k} + 1
}}
print("section {k} terminée ✓", tensor_shape(W1_{k}))
"""


def _classifier(k: int, rng: random.Random, semi: str) -> str:
    classes = 3
    n = rng.choice([9, 18, 27])
    epochs = rng.choice([5, 10, 30])
    return f"""\
// ── section {k}: a linear classifier with a cross-entropy loss ──
let cx_{k}: [float; {2 * n}] = [0.0; {2 * n}]
let cy_{k}: [float; {classes * n}] = [0.0; {classes * n}]
let labels_{k}: [int; {n}] = [0; {n}]
let j_{k} = 0
while j_{k} < {n} {{
    let p_{k} = (j_{k} % 3) as float * 0.5
    let q_{k} = (j_{k} / 3) as float * 0.1{semi}
    cx_{k}[j_{k} * 2] = p_{k}
    cx_{k}[j_{k} * 2 + 1] = q_{k}
    let cls_{k} = 0
    if p_{k} + q_{k} > 1.0 {{
        cls_{k} = 2
    }} else if p_{k} > 0.4 {{ cls_{k} = 1 }}
    labels_{k}[j_{k}] = cls_{k}{semi}
    cy_{k}[j_{k} * {classes} + cls_{k}] = 1.0
    j_{k} = j_{k} + 1
}}
let CX_{k} = tensor_from_array(cx_{k}, [{n}, 2])
let CY_{k} = tensor(cy_{k}, [{n}, {classes}])
let CW_{k} = tensor_requires_grad(tensor_randn_seeded([2, {classes}], {rng.randrange(1000)}), true)
let cb_{k} = tensor_requires_grad(tensor_zeros([{classes}]), true)
let copt_{k} = sgd_create(0.5)
for step_{k} in range(0, {epochs}) {{
    let logits_{k} = nn_linear(CX_{k}, CW_{k}, cb_{k})
    let ce_{k} = nn_cross_entropy_logits(logits_{k}, CY_{k})
    tensor_backward(ce_{k}){semi}
    let upd_{k} = sgd_step(copt_{k}, [CW_{k}, cb_{k}])
    CW_{k} = upd_{k}[0]{semi}
    cb_{k} = upd_{k}[1]
}}
let correct_{k} = 0
let r_{k} = 0
while r_{k} < {n} {{
    let row_{k} = tensor([cx_{k}[r_{k} * 2], cx_{k}[r_{k} * 2 + 1]])
    if argmax(nn_linear(row_{k}, CW_{k}, cb_{k})) == labels_{k}[r_{k}] {{ correct_{k} = correct_{k} + 1; }}
    r_{k} = r_{k} + 1
}}
print("Précision: " + str(correct_{k} * 100 / {n}) + " %")
"""


def _match(k: int, rng: random.Random, semi: str) -> str:
    value = rng.randrange(100)
    return f"""\
// ── section {k}: match, else-if chains and non-ASCII text ──
let code_{k} = {value} % 5{semi}
let label_{k} = match code_{k} {{
    0 => "zéro",
    1 => "一"
    2 => "два",
    3 => "🚀 trois"
    other => str(other) + " (autre)"
}}
fn grade_{k}(score: float) -> string {{
    if score > 0.66 {{ return "haut" }} else if score > 0.33 {{
        return "moyen"
    }}
    "bas"
}}
let level_{k} = if code_{k} > 2 {{ "≥ 3" }} else {{ "< 3" }}
print("label:", label_{k}, "niveau:", level_{k}, grade_{k}(code_{k} as float / 5.0)){semi}
"""


def _layout(k: int, rng: random.Random, semi: str) -> str:
    a, b = rng.randrange(1, 9), rng.randrange(1, 9)
    return f"""\
/*
 * section {k}: multi-line calls and arrays — the layout real programs use.
 */
let m_{k} = tensor([
    {a}.0, 2.0, 3.0,
    4.0, 5.0, {b}.5], [2, 3]
)
let w_{k} = tensor_from_array(
    [0.5, -0.25,
     0.125, 1.0,
     -1.5, 0.75],
    [3, 2]){semi}
let prod_{k} = tensor_matmul(m_{k},
                          w_{k})
let total_{k} = tensor_sum(prod_{k})   // a scalar
print("matmul:", tensor_shape(prod_{k}),
      "somme =", total_{k})
"""


def _scalars(k: int, rng: random.Random, semi: str) -> str:
    values = ", ".join(f"{rng.randrange(100) / 4}" for _ in range(rng.randrange(3, 7)))
    return f"""\
// section {k}: scalar statistics (∑, mean, tuples)
let values_{k} = [{values}]
let sum_{k} = 0.0{semi} let count_{k} = 0
for v_{k} in values_{k} {{ sum_{k} = sum_{k} + v_{k}; count_{k} = count_{k} + 1; }}
let mean_{k} = sum_{k} / (count_{k} as float)
let stats_{k} = (mean_{k}, count_{k}, "μ")
let ok_{k} = stats_{k}.1 > 0 and not (mean_{k} < 0.0) || false
print(stats_{k}.2, "=", stats_{k}.0, ok_{k}){semi}
"""


def _autograd(k: int, rng: random.Random, semi: str) -> str:
    seed = rng.randrange(1000)
    return f"""\
// section {k}: gradients of a small expression
let g_{k} = tensor_requires_grad(tensor_randn_seeded([4], {seed}), true)
let y_{k} = nn_mse_loss(nn_sigmoid(g_{k}), tensor_ones([4])){semi}
tensor_backward(y_{k})
print("∂y/∂g:", tensor_grad(g_{k}))
"""


_SECTIONS: list[Callable[[int, random.Random, str], str]] = [
    _training,
    _classifier,
    _match,
    _layout,
    _scalars,
    _autograd,
]
_WEIGHTS = [3, 2, 2, 2, 2, 1]


def _filler(k: int, j: int) -> str:
    """One line on its own: what pads the program to the exact line count."""
    if j % 3 == 0:
        return f"// padding line {j} of section {k}\n"
    return f"let pad_{k}_{j} = {j} * 2 + 1\n"


def generate_large_program(lines: int, seed: int = 0) -> str:
    """A realistic Charl program of exactly `lines` lines (`text.count("\\n") == lines`; every line ends
    with a newline), the same for the same `lines` and `seed`. Sections are drawn at random until the next
    one would not fit; the rest is padded with one-line statements and comments."""
    rng = random.Random(seed)
    parts: list[str] = []
    remaining = lines
    k = 0
    while remaining > 0:
        section = rng.choices(_SECTIONS, _WEIGHTS)[0](k, rng, rng.choice(["", ";"]))
        size = section.count("\n")
        if size > remaining:
            break
        parts.append(section)
        remaining -= size
        k += 1
    parts.extend(_filler(k, j) for j in range(remaining))
    return "".join(parts)
