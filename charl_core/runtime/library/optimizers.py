"""LANGUAGE.md §8.8 and §6.8: optimizer objects, their functional steps, and learning-rate schedules.

The optimizer objects are functional and forgetful, and programs depend on it: `sgd_step` ignores momentum
and weight decay, `adam_step` takes a first Adam step from zero moments on every call (≈ sign-SGD), and
`rmsprop_step` reads each value's own gradient buffer, which `tensor_backward` never writes. Each returns
fresh grad-requiring leaves to reassign. Only `optim_sgd_momentum_step` and `optim_adam_step` carry state,
in the tuples they return.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from charl_core.runtime import autograd, kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor, float_array, ieee_arithmetic, to_float, to_int
from charl_core.runtime.printing import format_display
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import RuntimeValue

EPSILON = 1e-8


class SgdOptimizer(RuntimeValue):
    __slots__ = ("lr", "momentum", "weight_decay")
    KIND = "sgd_optimizer"

    def __init__(self, lr: float, momentum: float, weight_decay: float) -> None:
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay

    def text(self) -> str:
        """`SGD(lr=0.1, momentum=0, weight_decay=0)`: floats in format D (§5.4)."""
        return (
            f"SGD(lr={format_display(self.lr)}, momentum={format_display(self.momentum)}, "
            f"weight_decay={format_display(self.weight_decay)})"
        )


class AdamOptimizer(RuntimeValue):
    __slots__ = ("beta1", "beta2", "eps", "lr", "weight_decay")
    KIND = "adam_optimizer"

    def __init__(self, lr: float, beta1: float, beta2: float, weight_decay: float) -> None:
        self.lr, self.beta1, self.beta2, self.weight_decay = lr, beta1, beta2, weight_decay
        self.eps = EPSILON

    def text(self) -> str:
        return (
            f"Adam(lr={format_display(self.lr)}, beta1={format_display(self.beta1)}, "
            f"beta2={format_display(self.beta2)}, eps={format_display(self.eps)})"
        )


class RmspropOptimizer(RuntimeValue):
    __slots__ = ("alpha", "eps", "lr")
    KIND = "rmsprop_optimizer"

    def __init__(self, lr: float, alpha: float, eps: float) -> None:
        self.lr, self.alpha, self.eps = lr, alpha, eps

    def text(self) -> str:
        return (
            f"RMSprop(lr={format_display(self.lr)}, alpha={format_display(self.alpha)}, "
            f"eps={format_display(self.eps)})"
        )


@implements("sgd_create")
@ieee_arithmetic
def sgd_create(ctx: Any, args: list) -> SgdOptimizer:
    values = [to_float(a) for a in args] + [0.0, 0.0]
    return SgdOptimizer(values[0], values[1], values[2])


@implements("adam_create")
@ieee_arithmetic
def adam_create(ctx: Any, args: list) -> AdamOptimizer:
    """β1 0.9, β2 0.999, ε 1e-8. With 2 arguments the second is ignored; a 4th is weight decay (ε is not
    settable), which `adam_step` does not use (§6.8 gives its whole update)."""
    values = [to_float(a) for a in args]
    beta1, beta2, weight_decay = 0.9, 0.999, 0.0
    if len(values) >= 3:
        beta1, beta2 = values[1], values[2]
    if len(values) == 4:
        weight_decay = values[3]
    return AdamOptimizer(values[0], beta1, beta2, weight_decay)


@implements("rmsprop_create")
@ieee_arithmetic
def rmsprop_create(ctx: Any, args: list) -> RmspropOptimizer:
    values = [to_float(a) for a in args]
    defaults = [0.0, 0.99, EPSILON]
    lr, alpha, eps = values + defaults[len(values) :]
    return RmspropOptimizer(lr, alpha, eps)


def _parameters(name: str, optimizer: Any, kind: type, kind_text: str, params: Any) -> list[Tensor]:
    if not isinstance(optimizer, kind):
        raise CharlError(f"{name}() first argument must be {kind_text}")
    if type(params) is not list or not all(
        isinstance(p, Tensor) and not isinstance(p, GpuTensor) for p in params
    ):
        raise CharlError(f"{name}() params must be array of AutogradTensor")
    return params


def _graph_gradient(ctx: Any, name: str, parameter: Tensor) -> np.ndarray:
    """§6.8: the parameter must require grad; its gradient comes from the graph node (or its own buffer
    when the id is absent)."""
    if not parameter.requires_grad:
        raise CharlError(f"{name}(): all parameters must have requires_grad=true")
    gradient = autograd.gradient_of(ctx, parameter)
    if gradient is None:
        raise CharlError(f"{name}(): parameter has no gradient. Did you call tensor_backward()?")
    return gradient


@implements("sgd_step")
@ieee_arithmetic
def sgd_step(ctx: Any, args: list) -> list[Tensor]:
    """`p - lr * g` for each parameter, as fresh leaves in the graph; momentum and weight decay ignored."""
    optimizer, params = args
    params = _parameters("sgd_step", optimizer, SgdOptimizer, "SGDOptimizer", params)
    updated = []
    for p in params:
        gradient = _graph_gradient(ctx, "sgd_step", p)
        updated.append(autograd.new_leaf(ctx, p.data - optimizer.lr * gradient, p.shape))
    return updated


def adam_update(
    p: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam step, in the reference's operation order: `m' = b1*m + (1-b1)*g`,
    `v' = b2*v + (1-b2)*g*g`, `p - lr * (m'/(1-b1^t)) / (sqrt(v'/(1-b2^t)) + 1e-8)`."""
    m_next = beta1 * m + (1.0 - beta1) * g
    v_next = beta2 * v + (1.0 - beta2) * g * g
    with np.errstate(all="ignore"):
        m_hat = m_next / (1.0 - kernels.powi(beta1, step))
        v_hat = v_next / (1.0 - kernels.powi(beta2, step))
        return p - lr * m_hat / (np.sqrt(v_hat) + EPSILON), m_next, v_next


@implements("adam_step")
@ieee_arithmetic
def adam_step(ctx: Any, args: list) -> list[Tensor]:
    """The optimizer is copied on every call and its state never saved: each update is a first step
    (t = 1) from zero moments."""
    optimizer, params = args
    params = _parameters("adam_step", optimizer, AdamOptimizer, "AdamOptimizer", params)
    updated = []
    for p in params:
        g = _graph_gradient(ctx, "adam_step", p)
        zeros = np.zeros(p.size)
        data, _, _ = adam_update(p.data, g, zeros, zeros, 1, optimizer.lr, optimizer.beta1, optimizer.beta2)
        updated.append(autograd.new_leaf(ctx, data, p.shape))
    return updated


@implements("rmsprop_step")
@ieee_arithmetic
def rmsprop_step(ctx: Any, args: list) -> list[Tensor]:
    """Reads each value's **own** gradient buffer (zeros unless `tensor_set_grad` wrote it), from a fresh
    squared average: `v = alpha*0 + (1-alpha)*g*g`, `p - lr * g / (sqrt(v) + eps)`."""
    optimizer, params = args
    params = _parameters("rmsprop_step", optimizer, RmspropOptimizer, "RMSpropOptimizer", params)
    updated = []
    for p in params:
        g = p.grad if p.grad is not None else np.zeros(p.size)
        v = optimizer.alpha * 0.0 + (1.0 - optimizer.alpha) * g * g
        with np.errstate(all="ignore"):
            data = p.data - optimizer.lr * g / (np.sqrt(v) + optimizer.eps)
        updated.append(autograd.new_leaf(ctx, data, p.shape))
    return updated


# ───────────────────────────── functional steps with caller-held state ─────────────────────────────


def _state(name: str, label: str, value: Any, size: int) -> np.ndarray:
    values = float_array(value)
    if values.shape[0] != size:
        raise CharlError(f"{name}(): {label} size {values.shape[0]} doesn't match params size {size}")
    return values


@implements("optim_sgd_step")
@ieee_arithmetic
def optim_sgd_step(ctx: Any, args: list) -> Tensor:
    p = expect_tensor("optim_sgd_step", args[0])
    g = _state("optim_sgd_step", "gradient", args[1], p.size)
    return Tensor(p.data - to_float(args[2]) * g, p.shape)


@implements("optim_sgd_momentum_step")
@ieee_arithmetic
def optim_sgd_momentum_step(ctx: Any, args: list) -> tuple[Tensor, list]:
    """`v' = momentum * v + g`, `p - lr * v'`; returns `(new params, v')`."""
    name = "optim_sgd_momentum_step"
    p = expect_tensor(name, args[0])
    g = _state(name, "gradient", args[1], p.size)
    velocity = _state(name, "velocity", args[2], p.size)
    lr, momentum = to_float(args[3]), to_float(args[4])
    v_next = momentum * velocity + g
    return Tensor(p.data - lr * v_next, p.shape), v_next.tolist()


@implements("optim_adam_step")
@ieee_arithmetic
def optim_adam_step(ctx: Any, args: list) -> tuple[Tensor, list, list]:
    name = "optim_adam_step"
    p = expect_tensor(name, args[0])
    g = _state(name, "gradient", args[1], p.size)
    m = _state(name, "m", args[2], p.size)
    v = _state(name, "v", args[3], p.size)
    step = to_int(args[4])
    lr, beta1, beta2 = (to_float(a) for a in args[5:8])
    data, m_next, v_next = adam_update(p.data, g, m, v, step, lr, beta1, beta2)
    return Tensor(data, p.shape), m_next.tolist(), v_next.tolist()


@implements("tensor_clip_grad")
@ieee_arithmetic
def tensor_clip_grad(ctx: Any, args: list) -> list[float]:
    """If `‖g‖₂ > max_norm` (sequential sum of squares), each `g * (max_norm / ‖g‖₂)`."""
    g = float_array(args[0])
    max_norm = to_float(args[1])
    norm = math.sqrt(kernels.sequential_sum(g * g))
    if norm > max_norm:
        with np.errstate(all="ignore"):
            g = g * (np.float64(max_norm) / np.float64(norm))  # IEEE: a zero norm gives inf, not an exception
    return g.tolist()


# ───────────────────────────── schedules ─────────────────────────────


@implements("step_lr")
@ieee_arithmetic
def step_lr(ctx: Any, args: list) -> float:
    """`base_lr * powi(gamma, epoch div step_size)`, the division truncating toward zero."""
    base, gamma = to_float(args[0]), to_float(args[3])
    epoch, step_size = to_int(args[1]), to_int(args[2])
    if step_size == 0:
        raise CharlError("step_lr() step_size must be > 0")
    quotient = abs(epoch) // abs(step_size) * (1 if (epoch >= 0) == (step_size > 0) else -1)
    return base * kernels.powi(gamma, quotient)


@implements("exponential_lr")
@ieee_arithmetic
def exponential_lr(ctx: Any, args: list) -> float:
    return to_float(args[0]) * kernels.powi(to_float(args[2]), to_int(args[1]))


@implements("cosine_annealing_lr")
@ieee_arithmetic
def cosine_annealing_lr(ctx: Any, args: list) -> float:
    """`lr_min + (lr_max - lr_min) * (1.0 + cos(π * t / T_max)) / 2.0` with `t = min(epoch, T_max)`."""
    lr_max, lr_min, epoch, t_max = (to_float(a) for a in args)
    if not t_max > 0.0:
        raise CharlError("cosine_annealing_lr() T_max must be > 0")
    t = min(epoch, t_max)
    return lr_min + (lr_max - lr_min) * (1.0 + math.cos(math.pi * t / t_max)) / 2.0
