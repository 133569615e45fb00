"""One helper for tensor-op tests (tinygrad's `helper_test_op`): `check_op` runs a Charl op on random
inputs that require grad, compares the forward values with a NumPy reference, runs `tensor_backward`
through the real global graph and compares every input's gradient with central finite differences of the
NumPy reference. One line per case in the test modules.

Tolerances are stated here once: forward values within `FORWARD_RTOL` (the reference is NumPy, whose sums
are pairwise, so equality is not expected), gradients within `GRAD_ATOL + GRAD_RTOL * |g|` of finite
differences with step `FD_STEP` (central differences in binary64 have an error of about 1e-10 here).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from charl_core.builtins import lookup
from charl_core.runtime import autograd
from charl_core.runtime.context import Context
from charl_core.runtime.library import load
from charl_core.runtime.tensor import Tensor

FORWARD_RTOL = 1e-12
FORWARD_ATOL = 1e-12
FD_STEP = 1e-6
GRAD_RTOL = 1e-6
GRAD_ATOL = 1e-7

load()


def new_context() -> Context:
    return Context(out=io.StringIO(), no_gpu=True)


def call(ctx: Context, name: str, *args: Any) -> Any:
    """Call a builtin through the catalog, as the interpreter does (after its arity check)."""
    entry = lookup(name)
    assert entry is not None and entry.accepts_count(len(args)), name
    return entry.implementation(ctx, list(args))


def tensor(values: Any, shape: Sequence[int] | None = None, *, grad: bool = False) -> Tensor:
    data = np.array(values, dtype=np.float64).reshape(-1)
    shape = tuple(shape) if shape is not None else (data.shape[0],)
    return Tensor(data, shape, requires_grad=grad, grad=np.zeros(data.shape[0]) if grad else None)


def away_from_zero(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    """Values in ±[0.2, 2]: far from ReLU's kink and from zero divisors, so finite differences hold."""
    magnitude = rng.uniform(0.2, 2.0, size=tuple(shape))
    return magnitude * rng.choice([-1.0, 1.0], size=tuple(shape))


def check_op(
    shapes: Sequence[Sequence[int]],
    charl_op: Callable[..., Any],
    numpy_op: Callable[..., np.ndarray],
    *,
    inputs: Sequence[np.ndarray] | None = None,
    grad_inputs: Sequence[int] | None = None,
    is_loss: bool = False,
    seed: int = 0,
) -> None:
    """Check a tracked op forward and backward.

    `charl_op(ctx, *tensors)` builds the Charl result from Charl tensors that require grad;
    `numpy_op(*arrays)` is the reference on shaped arrays. Backward starts from an MSE loss against a
    fixed random target (or from the op's own output when `is_loss`); `grad_inputs` names the inputs whose
    gradient is checked (default: all)."""
    rng = np.random.default_rng(seed)
    arrays = list(inputs) if inputs is not None else [away_from_zero(rng, s) for s in shapes]
    ctx = new_context()
    tensors = [tensor(a.reshape(-1), a.shape, grad=True) for a in arrays]
    result = charl_op(ctx, *tensors)
    expected = np.asarray(numpy_op(*arrays), dtype=np.float64)
    if is_loss:
        expected = expected.reshape(1)  # a tracked loss is a [1] tensor (§6.7)
    assert isinstance(result, Tensor), f"expected a tensor, got {result!r}"
    assert result.shape == expected.shape, (result.shape, expected.shape)
    np.testing.assert_allclose(result.data, expected.reshape(-1), rtol=FORWARD_RTOL, atol=FORWARD_ATOL)
    assert result.requires_grad, "a tracked op on grad-requiring inputs must give a grad-requiring result"

    target = rng.normal(size=expected.shape)
    if is_loss:
        root = result

        def objective(*xs: np.ndarray) -> float:
            return float(np.asarray(numpy_op(*xs)).reshape(-1)[0])
    else:
        root = call(ctx, "loss_mse", result, tensor(target.reshape(-1), target.shape))

        def objective(*xs: np.ndarray) -> float:
            return float(np.mean((np.asarray(numpy_op(*xs)) - target) ** 2))

    autograd.backward(ctx, root)
    for position in grad_inputs if grad_inputs is not None else range(len(arrays)):
        got = autograd.gradient_of(ctx, tensors[position])
        assert got is not None
        want = finite_difference(objective, arrays, position)
        np.testing.assert_allclose(
            got, want.reshape(-1), rtol=GRAD_RTOL, atol=GRAD_ATOL, err_msg=f"gradient of input {position}"
        )


def finite_difference(objective: Callable[..., float], arrays: list[np.ndarray], position: int) -> np.ndarray:
    """Central differences of `objective` with respect to `arrays[position]`, element by element."""
    base = arrays[position]
    grad = np.zeros(base.size)
    for k in range(base.size):
        shifted = []
        for sign in (1.0, -1.0):
            moved = base.astype(np.float64).copy().reshape(-1)
            moved[k] += sign * FD_STEP
            changed = list(arrays)
            changed[position] = moved.reshape(base.shape)
            shifted.append(objective(*changed))
        grad[k] = (shifted[0] - shifted[1]) / (2 * FD_STEP)
    return grad.reshape(base.shape)
