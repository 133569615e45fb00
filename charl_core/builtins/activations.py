"""LANGUAGE.md §8.5: activations, all element-wise `S → S`.

The trap this table encodes: only `nn_relu` and `nn_sigmoid` record gradients (§6.3). `nn_tanh`,
`nn_softmax`, `nn_gelu`, `nn_leaky_relu`, `nn_elu` and every `tensor_*` activation return untracked
tensors, so a model that uses them between layers trains only the layers after them (§6.4, W202).
"""

from __future__ import annotations

from charl_core.builtins.rules import elementwise
from charl_core.builtins.spec import Builtin, Gpu, Kind, Param, Tracking
from charl_core.builtins.tensor_ops import elementwise_to_cpu

_CUTS_NOTE = (
    " The result is a new untracked tensor even when the input requires grad, so gradients stop here (§6.4)."
)
_GPU_KEEPS_NOTE = " GPU tensors stay on the GPU."
_GPU_TO_CPU_NOTE = " A GPU tensor gives a CPU tensor."


def _activation(
    name: str,
    formula: str,
    summary: str,
    doc: str,
    *,
    tracked: bool = False,
    gpu: Gpu = Gpu.KEEPS,
    alpha: bool = False,
    core: bool = False,
    tracked_twin: str | None = None,
) -> Builtin:
    """One row of §8.5: the tracking and GPU behaviour decide the rule and the closing notes of the doc."""
    params = (Param("tensor", Kind.TENSOR),) + ((Param("alpha", Kind.NUMBER),) if alpha else ())
    usage = f"{name}(tensor, alpha)" if alpha else f"{name}(tensor)"
    result = elementwise_to_cpu if gpu is Gpu.TO_CPU else elementwise(tracked=tracked)
    notes = ("" if tracked else _CUTS_NOTE) + (_GPU_TO_CPU_NOTE if gpu is Gpu.TO_CPU else _GPU_KEEPS_NOTE)
    argument = "x, 0.1" if alpha else "x"
    return Builtin(
        name=name,
        section="8.5",
        usage=usage,
        params=params,
        result=result,
        summary=summary,
        doc=f"Applies `{formula}` to every element. {doc}{notes}",
        example=f"let x = tensor([-2.0, 0.0, 1.5])\nprint({name}({argument}))",
        tracking=Tracking.ANY_INPUT if tracked else Tracking.CUTS,
        gpu=gpu,
        core=core,
        tracked_twin=tracked_twin,
    )


BUILTINS: tuple[Builtin, ...] = (
    _activation(
        "nn_relu",
        "x if x > 0 else 0.0",
        "Rectified linear unit, tracked by autograd",
        "NaN gives `0.0`. Tracked when the input requires grad (the gradient passes where `x > 0`): "
        "use it, not `tensor_relu`, between layers that train.",
        tracked=True,
        core=True,
    ),
    _activation(
        "nn_sigmoid",
        "1.0 / (1.0 + exp(-x))",
        "Logistic sigmoid, tracked by autograd",
        "Tracked when the input requires grad (gradient `g * y * (1.0 - y)`).",
        tracked=True,
        core=True,
    ),
    _activation(
        "nn_tanh",
        "tanh(x)",
        "Hyperbolic tangent; never tracked",
        "Despite the `nn_` prefix it does not record gradients.",
    ),
    _activation(
        "nn_softmax",
        "exp(x - m) / Σ exp(x - m)",
        "Softmax over all elements; never tracked",
        "`m` is the maximum of **all** elements and the sum runs over all elements, even for 2-D input: "
        "the rows of a batch are not normalised separately.",
    ),
    _activation(
        "nn_gelu",
        "0.5 * x * (1.0 + tanh(sqrt(2.0 / π) * (x + 0.044715 * powi(x, 3))))",
        "Gaussian error linear unit (tanh approximation); never tracked",
        "`powi(x, 3)` is `x * (x * x)` (§6.9).",
        gpu=Gpu.TO_CPU,
    ),
    _activation(
        "nn_leaky_relu",
        "x if x > 0 else alpha * x",
        "Leaky ReLU with slope alpha for negative inputs; never tracked",
        "`alpha` is a number (typically `0.01`).",
        gpu=Gpu.TO_CPU,
        alpha=True,
    ),
    _activation(
        "nn_elu",
        "x if x > 0 else alpha * (exp(x) - 1.0)",
        "Exponential linear unit with scale alpha; never tracked",
        "`alpha` is a number (typically `1.0`).",
        gpu=Gpu.TO_CPU,
        alpha=True,
    ),
    _activation(
        "tensor_relu",
        "x if x > 0 else 0.0",
        "ReLU that never records gradients (use nn_relu to train)",
        "Same numbers as `nn_relu`, but never tracked: programs that call it between layers train only "
        "the layers after it.",
        core=True,
        tracked_twin="nn_relu",
    ),
    _activation(
        "tensor_sigmoid",
        "1.0 / (1.0 + exp(-x))",
        "Sigmoid that never records gradients (use nn_sigmoid to train)",
        "Same numbers as `nn_sigmoid`, but never tracked.",
        tracked_twin="nn_sigmoid",
    ),
    _activation(
        "tensor_tanh",
        "tanh(x)",
        "Hyperbolic tangent; never tracked",
        "Same numbers as `nn_tanh`.",
    ),
    _activation(
        "tensor_gelu",
        "0.5 * x * (1.0 + tanh(sqrt(2.0 / π) * (x + 0.044715 * powi(x, 3))))",
        "Gaussian error linear unit (tanh approximation); never tracked",
        "Same numbers as `nn_gelu`, but a GPU tensor stays on the GPU.",
    ),
    _activation(
        "tensor_softmax",
        "exp(x - m) / Σ exp(x - m)",
        "Softmax over all elements; never tracked",
        "Same numbers as `nn_softmax`: `m` and the sum run over **all** elements, even for 2-D input.",
        core=True,
    ),
)
