"""LANGUAGE.md §8.8: optimizers and learning-rate schedules. The optimizer objects are functional (§6.8):
`sgd_step` and friends return new parameter tensors that the program reassigns, one per position of the
params array, so the result types mirror that array position by position (§4.4)."""

from __future__ import annotations

from charl_core.builtins.rules import SHAPE_MISMATCH, constant_number, returns, tensor, tensor_of
from charl_core.builtins.spec import Builtin, Call, Kind, Param, Rule, Tracking
from charl_core.types import (
    FLOAT,
    ArrayType,
    Grad,
    ObjectType,
    TensorType,
    TupleType,
    Type,
    element_count,
    join_all,
)

INEFFECTIVE_SETTING = "W213"

# ───────────────────────────── shape rules ─────────────────────────────


def stepped_parameters(*, warning: str | None = None, needs_grad: str | None = None) -> Rule:
    """`sgd_step(opt, [W1, b1])`: an array of fresh grad-requiring tensors with the shapes of the params
    array's positions, so `u[0]` has W1's shape (§4.4). `warning` (W213) flags a step that ignores state."""

    def rule(call: Call) -> Type:
        if warning is not None:
            call.report(INEFFECTIVE_SETTING, warning)
        params = call.argument(1)
        if not isinstance(params, ArrayType):
            return ArrayType(TensorType(grad=Grad.YES))
        frozen = params.items is not None and any(
            isinstance(item, TensorType) and item.grad is Grad.NO for item in params.items
        )
        if needs_grad is not None and frozen:
            call.report("E106", needs_grad, 1)  # §6.8: every parameter must require grad
        items = tuple(_stepped(item) for item in params.items) if params.items is not None else None
        element = _stepped(params.element)
        if items:
            element = join_all(*items)
        return ArrayType(element, params.length, items)

    return rule


def _stepped(parameter: Type) -> TensorType:
    """The new tensor an optimizer returns for one parameter: same shape, requires grad, on the CPU."""
    if isinstance(parameter, TensorType):
        return TensorType(parameter.dtype, parameter.shape, Grad.YES)
    return TensorType(grad=Grad.YES)


def sgd_create_rule(call: Call) -> Type:
    """sgd_create: momentum and weight decay are stored and printed but `sgd_step` ignores them (W213)."""
    for index, setting in ((1, "momentum"), (2, "weight decay")):
        if _may_be_nonzero(call, index):
            call.report(INEFFECTIVE_SETTING, f"sgd_step ignores {setting}", index)
    return ObjectType("sgd_optimizer")


def adam_create_rule(call: Call) -> Type:
    """adam_create: with 2 arguments the second is ignored; a 4th is weight decay, not eps (W213)."""
    if len(call.arguments) == 2:
        call.report(INEFFECTIVE_SETTING, "adam_create ignores its second argument when given 2", 1)
    elif len(call.arguments) == 4:
        message = "adam_create's 4th argument is weight decay, not eps (always 1e-8)"
        call.report(INEFFECTIVE_SETTING, message, 3)
    return ObjectType("adam_optimizer")


def _may_be_nonzero(call: Call, index: int) -> bool:
    argument = call.argument(index)
    return argument is not None and constant_number(argument) != 0.0


def functional_sgd_rule(call: Call) -> Type:
    """optim_sgd_step: a new untracked tensor of the parameters' shape; one gradient number per element."""
    return _checked_step(call, "optim_sgd_step")


def momentum_step_rule(call: Call) -> Type:
    """optim_sgd_momentum_step: `(tensor, velocity array)`, the velocity one number per element."""
    updated = _checked_step(call, None)
    return TupleType((updated, ArrayType(FLOAT, _state_length(call, 1, 2))))


def adam_functional_rule(call: Call) -> Type:
    """optim_adam_step: `(tensor, m array, v array)`, the moments one number per element."""
    updated = _checked_step(call, None)
    return TupleType(
        (updated, ArrayType(FLOAT, _state_length(call, 1, 2)), ArrayType(FLOAT, _state_length(call, 1, 3)))
    )


def _checked_step(call: Call, checked_by: str | None) -> TensorType:
    """The updated parameters (untracked, same shape); when the run time's size check is documented
    (`checked_by`), a gradient array of a known other length is a certain failure."""
    params, grads = tensor(call, 0), call.argument(1)
    size = element_count(params.shape) if params is not None else None
    if checked_by and size is not None and isinstance(grads, ArrayType) and grads.length not in (None, size):
        call.report(
            SHAPE_MISMATCH,
            f"{checked_by}(): gradient size {grads.length} doesn't match params size {size}",
            1,
        )
    return tensor_of(params.shape if params is not None else None, like=params)


def _state_length(call: Call, *positions: int) -> int | None:
    """The length of a returned state array: the parameter count, else the first known array length among
    `positions`."""
    params = tensor(call, 0)
    size = element_count(params.shape) if params is not None else None
    if size is not None:
        return size
    for index in positions:
        argument = call.argument(index)
        if isinstance(argument, ArrayType) and argument.length is not None:
            return argument.length
    return None


def clip_rule(call: Call) -> Type:
    """tensor_clip_grad: an array of floats as long as the gradient array."""
    grads = call.argument(0)
    return ArrayType(FLOAT, grads.length if isinstance(grads, ArrayType) else None)


# ───────────────────────────── entries ─────────────────────────────


def _optimizer_params(kind: str) -> tuple[Param, ...]:
    return (Param("optimizer", Kind.OBJECT, object_kind=kind), Param("params", Kind.TENSORS))


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="sgd_create",
        section="8.8",
        usage="sgd_create(lr, momentum?, weight_decay?)",
        params=(
            Param("lr", Kind.NUMBER),
            Param("momentum", Kind.NUMBER, optional=True),
            Param("weight_decay", Kind.NUMBER, optional=True),
        ),
        result=sgd_create_rule,
        summary="Creates an SGD optimizer object (momentum and weight decay are stored but ignored)",
        doc="Stores the learning rate and, when given, momentum and weight decay; prints as "
        "`SGD(lr=0.1, momentum=0, weight_decay=0)`. `sgd_step` uses only the learning rate: momentum and "
        "weight decay have no effect (W213). For real momentum use `optim_sgd_momentum_step`, which "
        "returns its velocity for the program to keep.",
        example="let opt = sgd_create(0.1)\nprint(opt)",
        core=True,
    ),
    Builtin(
        name="sgd_step",
        section="8.8",
        usage="sgd_step(optimizer, params)",
        params=_optimizer_params("sgd_optimizer"),
        result=stepped_parameters(needs_grad="sgd_step(): all parameters must have requires_grad=true"),
        summary="One SGD step: new parameter tensors p - lr * grad, to be reassigned",
        doc="For each tensor of `params` (each must require grad) reads its gradient from the graph node "
        "with its id, or from its own buffer if the id is absent (no gradient at all is an error), and "
        "returns an **array of new tensors** `p - lr * g`, in the same order. Each is a fresh leaf (new "
        "id, requires grad, zero gradient) inserted in the graph, so gradients never leak between "
        "iterations. Nothing else changes: reassign every parameter from the result. Momentum and weight "
        "decay are ignored. A parameter whose gradient was cut by a graph-cutting builtin comes back "
        "unchanged (with a new id) (§6.8).",
        example="let w = tensor_requires_grad(tensor([1.0, 2.0]), true)\n"
        "tensor_backward(loss_mse(w, tensor([0.0, 0.0])))\n"
        "let u = sgd_step(sgd_create(0.1), [w])\n"
        "print(u[0])",
        tracking=Tracking.LEAF,
        core=True,
        errors=(
            "sgd_step() first argument must be SGDOptimizer",
            "sgd_step() params must be array of AutogradTensor",
            "sgd_step(): all parameters must have requires_grad=true",
            "sgd_step(): parameter has no gradient. Did you call tensor_backward()?",
        ),
    ),
    Builtin(
        name="adam_create",
        section="8.8",
        usage="adam_create(lr, beta1?, beta2?, eps?)",
        params=(
            Param("lr", Kind.NUMBER),
            Param("beta1", Kind.NUMBER, optional=True),
            Param("beta2", Kind.NUMBER, optional=True),
            Param("eps", Kind.NUMBER, optional=True),
        ),
        result=adam_create_rule,
        summary="Creates an Adam optimizer object (β1 0.9, β2 0.999, ε 1e-8 by default)",
        doc="Prints as `Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=0.00000001)`. Quirks (W213): with 2 "
        "arguments the second is ignored; the **4th argument is weight decay** despite the usage text, and "
        "ε stays 1e-8. Since `adam_step` always takes a first step from zero moments, β1 and β2 cancel out "
        "of the update (up to rounding) anyway; use `optim_adam_step` for Adam with state.",
        example="print(adam_create(0.001))",
    ),
    Builtin(
        name="adam_step",
        section="8.8",
        usage="adam_step(optimizer, params)",
        params=_optimizer_params("adam_optimizer"),
        result=stepped_parameters(
            warning="adam_step forgets its state: every call is a first Adam step (about lr * sign(g)); "
            "optim_adam_step keeps the moments"
        ),
        summary="One stateless Adam step: new parameter tensors, about p - lr * sign(grad)",
        doc="Same protocol as `sgd_step` (gradients from the graph, an array of fresh grad-requiring "
        "tensors to reassign), but the optimizer is copied on every call and its state is never saved: "
        "the step counter is always 1 and the moments start at 0, so each update is "
        "`p - lr * mh / (sqrt(vh) + 1e-8)` with the bias-corrected `mh ≈ g` and `vh ≈ g * g`: about "
        "`lr * sign(g)`, i.e. sign-SGD (§6.8, W213).",
        example="let w = tensor_requires_grad(tensor([1.0, -2.0]), true)\n"
        "tensor_backward(loss_mse(w, tensor([0.0, 0.0])))\n"
        "let u = adam_step(adam_create(0.1), [w])\n"
        "print(u[0])",
        tracking=Tracking.LEAF,
    ),
    Builtin(
        name="rmsprop_create",
        section="8.8",
        usage="rmsprop_create(lr, alpha?, eps?)",
        params=(
            Param("lr", Kind.NUMBER),
            Param("alpha", Kind.NUMBER, optional=True),
            Param("eps", Kind.NUMBER, optional=True),
        ),
        result=returns(ObjectType("rmsprop_optimizer")),
        summary="Creates an RMSprop optimizer object (α 0.99, ε 1e-8 by default)",
        doc="Stores the learning rate, the smoothing constant α (default 0.99) and ε (default 1e-8); prints "
        "as `RMSprop(lr=‹lr›, alpha=‹alpha›, eps=‹eps›)`.",
        example="print(rmsprop_create(0.01))",
    ),
    Builtin(
        name="rmsprop_step",
        section="8.8",
        usage="rmsprop_step(optimizer, params)",
        params=_optimizer_params("rmsprop_optimizer"),
        result=stepped_parameters(),
        summary="One RMSprop step from each parameter's own gradient buffer (usually no change)",
        doc="Returns an array with one new tensor per parameter, like `sgd_step`, but reads each "
        "parameter's **own** gradient buffer rather than the graph. Since `tensor_backward` writes "
        "gradients into the graph, that buffer is normally zeros and the parameters usually come back "
        "unchanged (§6.8).",
        example="let w = tensor_requires_grad(tensor([1.0, 2.0]), true)\n"
        "let u = rmsprop_step(rmsprop_create(0.01), [w])\n"
        "print(u[0])",
        tracking=Tracking.LEAF,
    ),
    Builtin(
        name="optim_sgd_step",
        section="8.8",
        usage="optim_sgd_step(params, grads, lr)",
        params=(Param("params", Kind.TENSOR), Param("grads", Kind.NUMBERS), Param("lr", Kind.NUMBER)),
        result=functional_sgd_rule,
        summary="Plain gradient step p - lr * g with the gradient given as an array of numbers",
        doc="Returns a new untracked tensor of the shape of `params` holding `p[k] - lr * g[k]`, where "
        "`grads` is a flat array with one number per element (for example an array from "
        "`autograd_compute_linear_grad`). Uses no graph.",
        example="print(optim_sgd_step(tensor([1.0, 2.0, 3.0]), [0.5, -1.0, 2.0], 0.1))",
        tracking=Tracking.CUTS,
        core=True,
        errors=("optim_sgd_step(): gradient size ‹n› doesn't match params size ‹m›",),
    ),
    Builtin(
        name="optim_sgd_momentum_step",
        section="8.8",
        usage="optim_sgd_momentum_step(params, grads, velocity, lr, momentum)",
        params=(
            Param("params", Kind.TENSOR),
            Param("grads", Kind.NUMBERS),
            Param("velocity", Kind.NUMBERS),
            Param("lr", Kind.NUMBER),
            Param("momentum", Kind.NUMBER),
        ),
        result=momentum_step_rule,
        summary="SGD with momentum and caller-held velocity: returns (new params, new velocity)",
        doc="Computes `v' = momentum * v + g` and `p - lr * v'` element by element and returns the tuple "
        "`(new parameter tensor, v' as an array of floats)`. The velocity is state the program keeps and "
        "passes back on the next call (start with zeros). The tensor is untracked.",
        example="let s = optim_sgd_momentum_step(tensor([1.0, 2.0]), [0.5, -1.0], [0.0, 0.0], 0.1, 0.9)\n"
        "print(s.0, s.1)",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="optim_adam_step",
        section="8.8",
        usage="optim_adam_step(params, grads, m, v, t, lr, beta1, beta2)",
        params=(
            Param("params", Kind.TENSOR),
            Param("grads", Kind.NUMBERS),
            Param("m", Kind.NUMBERS),
            Param("v", Kind.NUMBERS),
            Param("t", Kind.NUMBER),
            Param("lr", Kind.NUMBER),
            Param("beta1", Kind.NUMBER),
            Param("beta2", Kind.NUMBER),
        ),
        result=adam_functional_rule,
        summary="Adam with caller-held moments: returns (new params, new m, new v)",
        doc="Computes `m' = b1*m + (1-b1)*g`, `v' = b2*v + (1-b2)*g*g` and "
        "`p - lr * (m' / (1 - powi(b1, t))) / (sqrt(v' / (1 - powi(b2, t))) + 1e-8)` element by element "
        "(`t` is the 1-based step number, truncated to an integer) and returns the tuple "
        "`(new parameter tensor, m' array, v' array)`. Unlike `adam_step` this is real Adam: keep `m`, `v` "
        "and `t` between calls. The tensor is untracked.",
        example="let r = optim_adam_step(tensor([1.0, 2.0]), [0.5, -1.0], [0.0, 0.0], [0.0, 0.0], 1, 0.01, "
        "0.9, 0.999)\nprint(r.0, r.1, r.2)",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="tensor_clip_grad",
        section="8.8",
        usage="tensor_clip_grad(grads, max_norm)",
        params=(Param("grads", Kind.NUMBERS), Param("max_norm", Kind.NUMBER)),
        result=clip_rule,
        summary="Rescales a gradient array to an L2 norm of at most max_norm",
        doc="Takes a flat array of numbers (not a tensor). If its L2 norm `‖g‖₂` exceeds `max_norm`, every "
        "element is multiplied by `max_norm / ‖g‖₂`; otherwise the values are returned unchanged. Returns "
        "an array of floats.",
        example="print(tensor_clip_grad([3.0, 4.0], 1.0))",
    ),
    Builtin(
        name="step_lr",
        section="8.8",
        usage="step_lr(base_lr, epoch, step_size, gamma)",
        params=(
            Param("base_lr", Kind.NUMBER),
            Param("epoch", Kind.NUMBER),
            Param("step_size", Kind.NUMBER),
            Param("gamma", Kind.NUMBER),
        ),
        result=returns(FLOAT),
        summary="Step decay schedule: base_lr * gamma^(epoch div step_size)",
        doc="Returns `base_lr * powi(gamma, epoch div step_size)`: the rate is multiplied by `gamma` once "
        "every `step_size` epochs (integer division; `powi` is binary exponentiation, §6.9).",
        example="print(step_lr(0.1, 10, 5, 0.5))",
    ),
    Builtin(
        name="exponential_lr",
        section="8.8",
        usage="exponential_lr(base_lr, epoch, gamma)",
        params=(Param("base_lr", Kind.NUMBER), Param("epoch", Kind.NUMBER), Param("gamma", Kind.NUMBER)),
        result=returns(FLOAT),
        summary="Exponential decay schedule: base_lr * gamma^epoch",
        doc="Returns `base_lr * powi(gamma, epoch)` (binary exponentiation, §6.9).",
        example="print(exponential_lr(0.1, 2, 0.9))",
    ),
    Builtin(
        name="cosine_annealing_lr",
        section="8.8",
        usage="cosine_annealing_lr(lr_max, lr_min, epoch, T_max)",
        params=(
            Param("lr_max", Kind.NUMBER),
            Param("lr_min", Kind.NUMBER),
            Param("epoch", Kind.NUMBER),
            Param("T_max", Kind.NUMBER),
        ),
        result=returns(FLOAT),
        summary="Cosine annealing from lr_max down to lr_min over T_max epochs",
        doc="With `t = min(epoch, T_max)` returns `lr_min + (lr_max - lr_min) * (1.0 + cos(π * t / T_max)) "
        "/ 2.0`: `lr_max` at epoch 0, `lr_min` from epoch `T_max` on (no restarts). `T_max` must be "
        "positive.",
        example="print(cosine_annealing_lr(0.1, 0.001, 5, 10))",
        errors=("cosine_annealing_lr() T_max must be > 0",),
    ),
)
