"""LANGUAGE.md §8.5: the activations, one table row each (formula, graph op if tracked).

Only `nn_relu` and `nn_sigmoid` are tracked (§6.3); the `tensor_*` twins and the other `nn_*` activations
compute the same numbers but cut the graph (§6.4). What a GPU input gives is the catalog entry's `gpu`
field (§6.11: most stay on the GPU; `nn_gelu`, `nn_leaky_relu`, `nn_elu` return a CPU tensor).
Transcendental functions go through libm element by element (§6.9), never NumPy's vectorised versions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from charl_core.builtins import lookup
from charl_core.builtins.spec import Gpu
from charl_core.ir.ops import Op
from charl_core.runtime import autograd, kernels
from charl_core.runtime.library import differentiates, implements
from charl_core.runtime.library.arguments import expect_tensor, ieee_arithmetic, to_float
from charl_core.runtime.tensor import GpuTensor, Tensor

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def relu(x: np.ndarray) -> np.ndarray:
    """`x if x > 0.0 else 0.0`: NaN gives 0.0 (`maximum(x, 0)` would keep NaN)."""
    return np.where(x > 0.0, x, 0.0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + kernels.libm(math.exp, -x))


def tanh(x: np.ndarray) -> np.ndarray:
    return kernels.libm(math.tanh, x)


def gelu(x: np.ndarray) -> np.ndarray:
    """The tanh approximation with `x³ = powi(x, 3) = x * (x * x)` (§6.9)."""
    inner = SQRT_2_OVER_PI * (x + 0.044715 * kernels.powi_array(x, 3))
    return 0.5 * x * (1.0 + kernels.libm(math.tanh, inner))


def softmax(x: np.ndarray) -> np.ndarray:
    """Over **all** elements, even for 2-D input: `exp(x - m) / Σ exp(x - m)`, `m` the maximum."""
    if x.size == 0:
        return x.copy()
    return kernels.softmax_last_axis(x.reshape(1, -1)).reshape(-1)


def leaky_relu(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x > 0.0, x, alpha * x)


def elu(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x > 0.0, x, alpha * (kernels.libm(math.exp, x) - 1.0))


_ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Op | None]] = {
    "nn_relu": (relu, Op.RELU),
    "nn_sigmoid": (sigmoid, Op.SIGMOID),
    "nn_tanh": (tanh, None),
    "nn_softmax": (softmax, None),
    "nn_gelu": (gelu, None),
    "nn_leaky_relu": (leaky_relu, None),
    "nn_elu": (elu, None),
    "tensor_relu": (relu, None),
    "tensor_sigmoid": (sigmoid, None),
    "tensor_tanh": (tanh, None),
    "tensor_gelu": (gelu, None),
    "tensor_softmax": (softmax, None),
}


def _activation(name: str, formula: Callable[..., np.ndarray], op: Op | None) -> Callable[[Any, list], Any]:
    keeps_gpu = lookup(name).gpu is Gpu.KEEPS

    def implementation(ctx: Any, args: list) -> Tensor:
        x = expect_tensor(name, args[0], gpu=True)
        extra = [to_float(a) for a in args[1:]]
        data = formula(x.data, *extra)
        if isinstance(x, GpuTensor):
            return GpuTensor(data, x.shape) if keeps_gpu else Tensor(data, x.shape)
        if op is not None and x.requires_grad:
            return autograd.record(ctx, op, [x], data, x.shape)
        return Tensor(data, x.shape)

    return implementation


for _name, (_formula, _op) in _ACTIVATIONS.items():
    implements(_name)(ieee_arithmetic(_activation(_name, _formula, _op)))
    if _op is not None:
        differentiates(_name, _op)
