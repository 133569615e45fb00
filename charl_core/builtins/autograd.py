"""LANGUAGE.md §8.7: the autograd builtins — flagging tensors, running backward over the global graph (§6.2,
§6.5), reading and setting gradients, and the manual gradient helpers. The `autograd(expr)` special form is
grammar (§3.3), not a builtin, and is not here."""

from __future__ import annotations

from charl_core.builtins.rules import SHAPE_MISMATCH, grad_of, returns, tensor, tensor_of
from charl_core.builtins.spec import ArityStyle, Builtin, Call, Kind, Param, Rule, Tracking
from charl_core.types import (
    FLOAT,
    NULL,
    ArrayType,
    BoolType,
    Grad,
    LegacyTensorType,
    TupleType,
    Type,
    element_count,
)

# ───────────────────────────── shape rules ─────────────────────────────


def requires_grad_rule(call: Call) -> Type:
    """tensor_requires_grad: the same shape with the flag from a constant `enabled`; `maybe` when the flag is
    not a known boolean."""
    t, enabled = tensor(call, 0), call.argument(1)
    grad = Grad.MAYBE
    if isinstance(enabled, BoolType) and enabled.value is not None:
        grad = Grad.YES if enabled.value else Grad.NO
    return tensor_of(t.shape if t is not None else None, grad, like=t)


BACKWARD_WITHOUT_GRAD = (
    "Cannot call backward() on tensor that doesn't require grad. "
    "Use tensor_with_grad() to create tensors that track gradients."
)


def backward_rule(call: Call) -> Type:
    """tensor_backward on a tensor that certainly does not require grad fails (§6.5)."""
    output = tensor(call, 0)
    if output is not None and output.grad is Grad.NO and not output.gpu:
        call.report("E106", BACKWARD_WITHOUT_GRAD, 0)
    return NULL


def same_tensor(call: Call) -> Type:
    """A builtin that returns (a copy of) its tensor argument: same shape, same grad state."""
    t = tensor(call, 0)
    return t if t is not None else tensor_of(None, grad_of(call.argument(0)))


def gradient_rule(call: Call) -> Type:
    """tensor_grad: a legacy tensor of the argument's shape (the graph node has the same id, so the same
    shape)."""
    t = tensor(call, 0)
    return LegacyTensorType(t.shape if t is not None else None)


def set_grad_rule(call: Call) -> Type:
    """tensor_set_grad: the gradient array must have one number per tensor element."""
    t, data = tensor(call, 0), call.argument(1)
    if t is not None and isinstance(data, ArrayType):
        size = element_count(t.shape)
        if size is not None and data.length is not None and data.length != size:
            call.report(
                SHAPE_MISMATCH,
                f"tensor_set_grad(): gradient size {data.length} doesn't match tensor size {size}",
                1,
            )
    return same_tensor(call)


def update_rule(call: Call) -> Type:
    """tensor_update_inplace: a fresh grad-requiring leaf of the parameter's shape (§6.3)."""
    t = tensor(call, 0)
    return tensor_of(t.shape if t is not None else None, Grad.YES)


def float_arrays(*positions: int) -> Rule:
    """A manual gradient helper: one array of floats per tensor argument in `positions`, each as long as that
    tensor has elements; a single array when one position is given, a tuple otherwise."""

    def rule(call: Call) -> Type:
        arrays = tuple(ArrayType(FLOAT, _count(call, index)) for index in positions)
        return arrays[0] if len(arrays) == 1 else TupleType(arrays)

    return rule


def _count(call: Call, index: int) -> int | None:
    t = tensor(call, index)
    return element_count(t.shape) if t is not None else None


# ───────────────────────────── entries ─────────────────────────────

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="tensor_requires_grad",
        section="8.7",
        usage="tensor_requires_grad(tensor, enabled)",
        params=(Param("tensor", Kind.TENSOR), Param("enabled", Kind.BOOLEAN)),
        result=requires_grad_rule,
        summary="Copy of a tensor with the requires-grad flag set (same id)",
        doc="Returns a copy of `tensor` with `requires_grad = enabled` and the **same id**; the argument "
        "variable is unchanged, so programs reassign (`W = tensor_requires_grad(W, true)`). Enabling "
        "allocates a zero gradient buffer on the value if it has none. Nothing is inserted into the graph: "
        "the first tracked op that uses the tensor does that (§6.2), and from then on that graph node keeps "
        "the flag and data it had, even if the flag is changed later. `enabled` must be a boolean.",
        example="let w = tensor_requires_grad(tensor([1.0, 2.0]), true)\n"
        "print(loss_mse(w, tensor([0.0, 0.0])))",
        tracking=Tracking.FLAG,
        core=True,
        errors=("tensor_requires_grad() expects (tensor, bool)",),
    ),
    Builtin(
        name="tensor_backward",
        section="8.7",
        usage="tensor_backward(output_tensor)",
        params=(Param("output_tensor", Kind.TENSOR),),
        result=backward_rule,
        summary="Back-propagates from a tracked tensor, accumulating gradients in the global graph",
        doc="Seeds the graph node of `output_tensor` with ones (overwriting its gradient) and walks the "
        "graph backwards in reverse post-order, **adding** each op's contribution to its inputs' gradients "
        "(§6.5, rules in §6.6). Gradients accumulate across calls: nothing is reset except by "
        "`tensor_zero_grad` or by the fresh tensors the optimizers return. The tensor must require grad "
        "and be in the graph, so a loss computed from untracked tensors (a float) or a tensor that went "
        "only through graph-cutting builtins fails. GPU tensors are rejected. Returns null.",
        example="let w = tensor_requires_grad(tensor([1.0, 2.0]), true)\n"
        "tensor_backward(loss_mse(w, tensor([0.0, 0.0])))\n"
        "print(tensor_grad(w))",
        core=True,
        errors=(
            "tensor_backward() is not yet supported for GPU tensors. Transfer to CPU first using "
            "tensor_to_cpu().",
            "tensor_backward() expects a tensor, got ‹kind›",
            "Cannot call backward() on tensor that doesn't require grad. Use tensor_with_grad() to create "
            "tensors that track gradients.",
            "Output node not found in graph",
            "Cannot call backward on tensor that doesn't require grad",
            "Node ‹id› not found",
        ),
        runs_backward=True,
    ),
    Builtin(
        name="tensor_grad",
        section="8.7",
        usage="tensor_grad(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=gradient_rule,
        summary="The accumulated gradient of a tensor, as a legacy tensor",
        doc="Returns the gradient of the graph node with this tensor's id, or the value's own gradient "
        "buffer when the id is not in the graph, as a **legacy tensor** (`type()` = `tensor`) that prints "
        "like `Tensor([2], [9.0, 32.0])`. A tensor with neither is an error.",
        example="let w = tensor_requires_grad(tensor([1.0, 2.0]), true)\n"
        "tensor_backward(loss_mse(w, tensor([0.0, 0.0])))\n"
        "print(tensor_grad(w))",
        core=True,
        errors=("Tensor doesn't have gradients. Call backward() first or use tensor_with_grad().",),
    ),
    Builtin(
        name="tensor_zero_grad",
        section="8.7",
        usage="tensor_zero_grad(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=same_tensor,
        summary="Zeroes the gradient of the tensor's graph node and returns the tensor",
        doc="Sets the gradient buffer of the **graph node** with this tensor's id to zeros (nothing happens "
        "if the id is not in the graph) and returns the argument unchanged. The value's own gradient buffer "
        "is not touched. Needed only when the same tensor is used for several backward passes; the "
        "optimizers' fresh tensors start at zero anyway.",
        example="let w = tensor_requires_grad(tensor([1.0, 2.0]), true)\n"
        "tensor_backward(loss_mse(w, tensor([0.0, 0.0])))\n"
        "w = tensor_zero_grad(w)\n"
        "print(tensor_grad(w))",
        core=True,
    ),
    Builtin(
        name="tensor_set_grad",
        section="8.7",
        usage="tensor_set_grad(tensor, grad_data)",
        params=(Param("tensor", Kind.TENSOR), Param("grad_data", Kind.NUMBERS)),
        result=set_grad_rule,
        summary="Copy of a tensor whose own gradient buffer is set to the given numbers",
        doc="Returns a copy of `tensor` (same id) whose **own** gradient buffer holds `grad_data`, one "
        "number per element. The graph is not changed: `tensor_grad` shows this buffer only while the id "
        "is not in the graph, since a graph node's gradient wins.",
        example="let w = tensor_set_grad(tensor_requires_grad(tensor([1.0, 2.0]), true), [0.5, -0.5])\n"
        "print(tensor_grad(w))",
        errors=("tensor_set_grad(): gradient size ‹n› doesn't match tensor size ‹m›",),
    ),
    Builtin(
        name="tensor_update_inplace",
        section="8.7",
        usage="tensor_update_inplace(param, grad, learning_rate)",
        params=(Param("param", Kind.TENSOR), Param("grad"), Param("learning_rate", Kind.NUMBER)),
        result=update_rule,
        summary="Gradient step p - lr * g as a fresh grad-requiring leaf in the graph",
        doc="Despite its name it changes nothing in place: it returns `param - learning_rate * grad`, "
        "element by element, as a new tensor (fresh id) that requires grad, has a zero gradient and is "
        "inserted into the graph as a leaf (§6.3). Reassign the result.",
        example="let w = tensor([1.0, 2.0])\nprint(tensor_update_inplace(w, tensor([0.5, 0.5]), 0.1))",
        tracking=Tracking.LEAF,
    ),
    Builtin(
        name="reset_graph",
        section="8.7",
        usage="reset_graph()",
        params=(),
        result=returns(NULL),
        summary="Empties the global autograd graph",
        doc="Removes every node from the global graph (§6.2), which otherwise grows with every tracked op "
        "and is never cleared. Gradients stored there are lost; `tensor_grad` then falls back to each "
        "value's own buffer. Returns null.",
        example='reset_graph()\nprint("graph cleared")',
        arity_style=ArityStyle.CUSTOM,
        arity_message="reset_graph() expects no arguments",
        errors=("reset_graph() expects no arguments",),
    ),
    Builtin(
        name="autograd_compute_linear_grad",
        section="8.7",
        usage="autograd_compute_linear_grad(input, weight, bias, output_grad)",
        params=(
            Param("input", Kind.TENSOR),
            Param("weight", Kind.TENSOR),
            Param("bias", Kind.TENSOR),
            Param("output_grad", Kind.NUMBERS),
        ),
        result=float_arrays(0, 1, 2),
        summary="Manual backward of x·W + b: a tuple (grad_x, grad_W, grad_b) of float arrays",
        doc="Computes the gradients of `input · weight + bias` for the upstream gradient `output_grad` "
        "with the Linear rules of §6.6 (`dx = g·Wᵀ`, `dW = xᵀ·g`, `db` = column sums of `g`), using fresh "
        "sequential sums. Returns a tuple of three flat arrays of floats, one element per element of "
        "`input`, `weight` and `bias`. Uses no graph and records nothing.",
        example="let W = tensor([0.5, -0.5, 1.0, 2.0], [2, 2])\n"
        "let g = autograd_compute_linear_grad(tensor([1.0, 2.0]), W, tensor([0.1, 0.1]), [1.0, 1.0])\n"
        "print(g.0, g.1, g.2)",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="autograd_compute_relu_grad",
        section="8.7",
        usage="autograd_compute_relu_grad(input, output_grad)",
        params=(Param("input", Kind.TENSOR), Param("output_grad", Kind.NUMBERS)),
        result=float_arrays(0),
        summary="Manual ReLU backward: g where the input is positive, else 0.0",
        doc="Returns a flat array of floats: `g[k]` where `input[k] > 0`, otherwise `0.0` (so also at 0). "
        "Uses no graph and records nothing.",
        example="print(autograd_compute_relu_grad(tensor([-1.0, 2.0, 0.0]), [1.0, 1.0, 1.0]))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="autograd_compute_sigmoid_grad",
        section="8.7",
        usage="autograd_compute_sigmoid_grad(output, output_grad)",
        params=(Param("output", Kind.TENSOR), Param("output_grad", Kind.NUMBERS)),
        result=float_arrays(0),
        summary="Manual sigmoid backward from the sigmoid's output: g * y * (1 - y)",
        doc="Returns a flat array of floats `g[k] * y[k] * (1.0 - y[k])`, where `output` holds the "
        "sigmoid's **output** `y` (not its input). Uses no graph and records nothing.",
        example="print(autograd_compute_sigmoid_grad(tensor([0.5, 0.9]), [1.0, 2.0]))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="autograd_compute_mse_grad",
        section="8.7",
        usage="autograd_compute_mse_grad(pred, target)",
        params=(Param("pred", Kind.TENSOR), Param("target", Kind.TENSOR)),
        result=float_arrays(0),
        summary="Manual MSE gradient with respect to the prediction: 2 * (p - t) / n",
        doc="Returns a flat array of floats `2.0 * (p[k] - t[k]) / n`, `n` being the element count: the "
        "gradient of `loss_mse(pred, target)` with respect to `pred`. Uses no graph and records nothing.",
        example="print(autograd_compute_mse_grad(tensor([1.0, 2.0]), tensor([0.0, 0.5])))",
        tracking=Tracking.CUTS,
    ),
)
