"""The runtime invariant "no Python exception other than `CharlError` leaves a run" for the builtins of
§8.4–§8.8 and the operators of §9.3–§9.4: every builtin is called with every pair (and a fixed sample of
longer combinations) of odd argument values — wrong kinds, NaN, empty and rank-0 tensors, GPU and legacy
tensors, nested arrays."""

from __future__ import annotations

import contextlib
import itertools
from importlib import import_module

import numpy as np
import pytest

from charl_core.runtime import autograd
from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor
from charl_core.runtime.tensor_operators import binary, index, matmul
from tests.runtime.optest import call, new_context, tensor

GROUPS = ("tensor_ops", "activations", "nn", "autograd", "optimizers")
ENTRIES = [entry for group in GROUPS for entry in import_module(f"charl_core.builtins.{group}").BUILTINS]
LONG_CALLS = 300


def odd_values() -> list:
    """Built afresh for each call site, so a value mutated by a faulty builtin cannot leak into others."""
    return [
        None,
        True,
        0,
        -1,
        2,
        0.5,
        float("nan"),
        float("inf"),
        1e308,
        "s",
        [],
        [1, 2],
        [[1]],
        [1.5, "a"],
        (1,),
        tensor([1.0, 2.0]),
        tensor([1.0, 2.0], grad=True),
        tensor([1.0, 2.0, 3.0, 4.0], (2, 2), grad=True),
        tensor([5.0], ()),
        tensor([1e308, -1e308, float("inf"), 0.0], grad=True),
        tensor([], (0,)),
        tensor([], (0, 3)),
        tensor([], (0, 3), grad=True),
        tensor([], (2, 0), grad=True),
        tensor([3.0], (), grad=True),
        GpuTensor(np.array([1.0, 2.0]), (2,)),
        LegacyTensor(np.array([1.0]), (1,)),
        [tensor([1.0, 2.0], (2, 1))],
        [tensor([1.0, 2.0], (1, 2), grad=True), 3],
    ]


def argument_lists(count: int, seed: int):
    values = odd_values()
    if count <= 2:
        yield from (list(c) for c in itertools.product(values, repeat=count))
        return
    rng = np.random.default_rng(seed)
    for _ in range(LONG_CALLS):
        yield [values[i] for i in rng.integers(0, len(values), size=count)]


@pytest.mark.filterwarnings("error")  # a NumPy RuntimeWarning would reach the user's stderr
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_builtins_raise_only_charl_errors(entry) -> None:
    low, high = entry.arity
    for count in range(low, (high if high is not None else low) + 1):
        for args in argument_lists(count, seed=count):
            ctx = new_context()
            with contextlib.suppress(CharlError):
                backward_through(ctx, entry.implementation(ctx, args))


def backward_through(ctx, result) -> None:
    """A grad-requiring result must also survive `tensor_backward` from a loss over it (empty shapes
    included): the gradient rules divide by counts that can be zero."""
    results = result if isinstance(result, list) else [result]
    for value in results:
        if isinstance(value, Tensor) and value.requires_grad and not isinstance(value, GpuTensor):
            root = value if value.shape == (1,) else call(ctx, "loss_mse", value, zeros_like(value))
            with contextlib.suppress(CharlError):
                autograd.backward(ctx, root)


def zeros_like(value: Tensor) -> Tensor:
    return tensor(np.zeros(value.size), value.shape)


@pytest.mark.filterwarnings("error")
def test_operators_raise_only_charl_errors() -> None:
    for left, right in itertools.product(odd_values(), repeat=2):
        operands_ok = all(isinstance(v, Tensor) or type(v) in (int, float) for v in (left, right))
        if operands_ok and (isinstance(left, Tensor) or isinstance(right, Tensor)):
            for symbol in "+-*/":
                ctx = new_context()
                with contextlib.suppress(CharlError):
                    backward_through(ctx, binary(ctx, symbol, left, right))
        if isinstance(left, Tensor) and isinstance(right, Tensor):
            ctx = new_context()
            with contextlib.suppress(CharlError):
                backward_through(ctx, matmul(ctx, left, right))
        if isinstance(left, Tensor):
            ctx = new_context()
            with contextlib.suppress(CharlError):
                backward_through(ctx, index(ctx, left, right))
