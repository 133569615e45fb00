"""Whole programs through the interpreter's entry point (`run_program`, what `charl run` calls): the
documented examples of LANGUAGE.md §9.3–§9.4 with their printed results, every catalog example of §8.4–§8.8
(they are the hover documentation, so they must run), and a training loop with the `@` and `+` operators
whose gradients are compared with a NumPy re-derivation."""

from __future__ import annotations

import io
from importlib import import_module

import numpy as np
import pytest

from charl_core.runtime.context import Context
from charl_core.runtime.interpreter.run import run_program

GROUPS = ("tensor_ops", "activations", "nn", "autograd", "optimizers")
ENTRIES = [entry for group in GROUPS for entry in import_module(f"charl_core.builtins.{group}").BUILTINS]


def run(source: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_program(source, "test.ch", Context(out=out, no_gpu=True), stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_operator_examples_of_section_9_3() -> None:
    code, out, err = run(
        """
let x = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])
let b = tensor([10.0, 20.0, 30.0])
print(x + b)
print(2 * x - 1)
print(-x / 2)
print(tensor([1.0, 2.0]) @ tensor([3.0, 4.0]))
"""
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "AutogradTensor([11.0, 22.0, 33.0, 14.0, 25.0, 36.0], shape=[2, 3])",
        "AutogradTensor([1.0, 3.0, 5.0, 7.0, 9.0, 11.0], shape=[2, 3])",
        "AutogradTensor([-0.5, -1.0, -1.5, -2.0, -2.5, -3.0], shape=[2, 3])",
        "AutogradTensor([11.0], shape=[])",
    ]


def test_indexing_examples_of_section_9_4() -> None:
    code, out, _ = run(
        """
let x = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])
print(x[1])
print(x[-1][0])
print(x[0..1])
"""
    )
    assert code == 0
    assert out.splitlines() == [
        "AutogradTensor([4.0, 5.0, 6.0], shape=[3])",
        "4.0",
        "AutogradTensor([1.0, 2.0, 3.0], shape=[1, 3])",
    ]


def test_operator_errors_reach_the_user_with_their_exact_text() -> None:
    code, out, err = run('print("before")\nprint(tensor([1.0, 2.0]) + tensor([1.0, 2.0, 3.0]))\n')
    assert code == 1 and out == "before\n"
    assert "Cannot broadcast shapes [2] and [3] for +" in err


def test_operator_gradients_through_a_program() -> None:
    """§9.3's example: W receives xᵀ · dL/dy, and a [2] bias broadcast over [2, 2] gets its column sums."""
    code, out, err = run(
        """
let x = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])
let W = tensor_requires_grad(tensor_ones([3, 2]), true)
let c = tensor_requires_grad(tensor([0.5, 0.5]), true)
let loss = nn_mse_loss(x @ W + c, tensor_zeros([2, 2]))
tensor_backward(loss)
print(tensor_get_data(tensor_grad(W)))
print(tensor_get_data(tensor_grad(c)))
"""
    )
    assert (code, err) == (0, "")
    x = np.arange(1.0, 7.0).reshape(2, 3)
    y = x @ np.ones((3, 2)) + 0.5
    g = 2.0 / y.size * y
    lines = out.splitlines()
    got_w = [float(v) for v in lines[0].strip("[]").split(", ")]
    got_c = [float(v) for v in lines[1].strip("[]").split(", ")]
    np.testing.assert_allclose(got_w, (x.T @ g).reshape(-1), rtol=1e-15)
    np.testing.assert_allclose(got_c, g.sum(axis=0), rtol=1e-15)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_catalog_example_runs(entry) -> None:
    code, out, err = run(entry.example)
    assert (code, err) == (0, ""), entry.example
    assert out, "every example prints something"
