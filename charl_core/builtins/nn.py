"""LANGUAGE.md §8.6: the linear layer, embedding lookup and losses — the tracked builtins a training loop is
built from (§6.3), with the shape rules that catch a wrong weight layout before the program runs."""

from __future__ import annotations

from charl_core.builtins.rules import (
    SHAPE_MISMATCH,
    count_of,
    grad_of,
    loss,
    report_conflict,
    returns,
    tensor,
    tensor_of,
)
from charl_core.builtins.spec import Builtin, Call, Gpu, Kind, Param, Tracking
from charl_core.shapes import ShapeConflict, unify_dim
from charl_core.types import (
    UNKNOWN,
    Dim,
    Grad,
    LegacyTensorType,
    ObjectType,
    Shape,
    Type,
    element_count,
    kind_name,
    shape_text,
)

WRONG_KIND = "E106"
MIX_DEVICES = "Cannot mix CPU and GPU tensors. Use tensor_to_gpu() or tensor_to_cpu() to convert first."

# ───────────────────────────── shape rules ─────────────────────────────


def linear_rule(call: Call) -> Type:
    """nn_linear: `[I], [I, O], [O] → [O]` and `[B, I], [I, O], [O] → [B, O]` (W is `[in, out]`, §8.6).

    The run time names the path in its messages: `linear():` when the op is tracked (an input requires
    grad), `nn_linear():` otherwise, so the prefix follows the grad state; when that is only `maybe`, the
    untracked wording is used. GPU inputs are never tracked (§6.11)."""
    x, weight, bias = tensor(call, 0), tensor(call, 1), tensor(call, 2)
    on_gpu = any(t is not None and t.gpu for t in (x, weight, bias))
    grad = Grad.NO if on_gpu else grad_of(call.argument(0), call.argument(1), call.argument(2))
    prefix = "linear" if grad is Grad.YES else "nn_linear"
    if x is not None and weight is not None and bias is not None and len({x.gpu, weight.gpu, bias.gpu}) > 1:
        call.report(WRONG_KIND, f"nn_linear(): {MIX_DEVICES}", 1 if weight.gpu != x.gpu else 2)
    x_shape = x.shape if x is not None else None
    w_shape = weight.shape if weight is not None else None
    b_shape = bias.shape if bias is not None else None
    ranks_known = x_shape is not None and w_shape is not None and b_shape is not None
    if ranks_known and (len(x_shape) not in (1, 2) or len(w_shape) != 2):
        call.report(
            SHAPE_MISMATCH,
            f"{prefix}(): invalid shapes - input: {shape_text(x_shape)}, weight: {shape_text(w_shape)}, "
            f"bias: {shape_text(b_shape)}",
            0 if len(x_shape) not in (1, 2) else 1,
        )
        return tensor_of(None, grad, like=x)
    outputs = _linear_outputs(call, prefix, x_shape, w_shape, b_shape)
    if x_shape is None or len(x_shape) not in (1, 2):
        return tensor_of(None, grad, like=x)
    return tensor_of((outputs,) if len(x_shape) == 1 else (x_shape[0], outputs), grad, like=x)


def _linear_outputs(
    call: Call, prefix: str, x_shape: Shape | None, w_shape: Shape | None, b_shape: Shape | None
) -> Dim:
    """Checks the input features against W's rows and the bias against W's columns (in the run time's
    order); returns the output feature count as precisely as known."""
    if w_shape is None or len(w_shape) != 2:
        return b_shape[0] if b_shape is not None and len(b_shape) == 1 else UNKNOWN
    rows, outputs = w_shape
    if x_shape is not None and len(x_shape) in (1, 2):
        features = x_shape[-1]
        conflict = unify_dim(features, rows)
        if isinstance(conflict, ShapeConflict):
            report_conflict(
                call,
                conflict,
                f"{prefix}(): input features {features} doesn't match weight input {rows}",
                f"nn_linear needs the input's features to equal the weight's rows (W is [in, out]); input "
                f"{shape_text(x_shape)}, weight {shape_text(w_shape)} requires {features} == {rows}",
                1,
            )
            return outputs
    if b_shape is None:
        return outputs
    if len(b_shape) == 1:
        unified = unify_dim(b_shape[0], outputs)
        if isinstance(unified, ShapeConflict):
            report_conflict(
                call,
                unified,
                f"{prefix}(): bias size {b_shape[0]} doesn't match output features {outputs}",
                f"nn_linear needs the bias size to equal the weight's columns; weight {shape_text(w_shape)}, "
                f"bias {shape_text(b_shape)} requires {b_shape[0]} == {outputs}",
                2,
            )
            return outputs
        return unified
    size = element_count(b_shape)
    if size is not None and isinstance(outputs, int) and size != outputs:
        message = f"{prefix}(): bias size {size} doesn't match output features {outputs}"
        call.report(SHAPE_MISMATCH, message, 2)
    return outputs


def embedding_rule(call: Call) -> Type:
    """nn_embedding: indices of any shape with `n` elements, matrix `[V, D]` → `[n, D]`; tracked when the
    matrix requires grad (§6.3). A 1-D index tensor `[N]` gives `[N, D]` even when N is a variable."""
    indices, matrix = tensor(call, 0), tensor(call, 1)
    grad = matrix.grad if matrix is not None else grad_of(call.argument(1))
    rows: Dim = UNKNOWN
    if indices is not None and indices.shape is not None:
        rows = indices.shape[0] if len(indices.shape) == 1 else count_of(indices.shape)
    width: Dim = UNKNOWN
    if matrix is not None and matrix.shape is not None and len(matrix.shape) == 2:
        width = matrix.shape[1]
    return tensor_of((rows, width), grad)


def logits_loss_rule(call: Call) -> Type:
    """nn_cross_entropy_logits: the loss rule (identical shapes), plus the tracked path's rank limit: a
    prediction that certainly requires grad and has rank > 2 fails (the untracked path accepts any rank)."""
    result = _logits_loss(call)
    logits = tensor(call, 0)
    if (
        not call.findings
        and logits is not None
        and logits.grad is Grad.YES
        and logits.shape is not None
        and len(logits.shape) > 2
    ):
        call.report(SHAPE_MISMATCH, "cross_entropy_loss_with_logits() expects 1D or 2D tensor", 0)
    return result


_logits_loss = loss("nn_cross_entropy_logits", ("logits", "target"))


def linear_forward_rule(call: Call) -> Type:
    """nn_linear_forward accepts only the legacy tensor (`type()` = `tensor`): any other certain kind, the
    autograd tensor included, fails. The argument kinds of `Param` cannot say "legacy tensor", so the rule
    reports it."""
    kind = kind_name(call.argument(1)) if call.argument(1) is not None else None
    if kind is not None and kind != "tensor":
        call.report(WRONG_KIND, "nn_linear_forward: second argument must be a Tensor", 1)
    return LegacyTensorType()


# ───────────────────────────── entries ─────────────────────────────

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="nn_linear",
        section="8.6",
        usage="nn_linear(input, weight, bias)",
        params=(Param("input", Kind.TENSOR), Param("weight", Kind.TENSOR), Param("bias", Kind.TENSOR)),
        result=linear_rule,
        summary="Affine layer y = x·W + b with the weight shaped [in, out]",
        doc="Computes `input · weight + bias`. The weight is laid out **`[in, out]`** (not PyTorch's "
        "`[out, in]`): `[I], [I, O], [O] → [O]` for one sample and `[B, I], [I, O], [O] → [B, O]` for a "
        "batch. Each output is a sequential sum from 0.0 over the input features, then the bias is added "
        "(§6.9). Tracked by autograd when any of the three inputs requires grad (graph op Linear: "
        "`dx = g·Wᵀ`, `dW = xᵀ·g`, `db` = column sums of `g`). Error messages start with `nn_linear():` "
        "on the untracked path and with `linear():` on the tracked path. With all three tensors on the GPU "
        "the result stays on the GPU (untracked); mixing CPU and GPU tensors is an error.",
        example="let W = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [3, 2])\n"
        "let b = tensor([0.5, -0.5])\n"
        "print(nn_linear(tensor([1.0, 0.0, -1.0]), W, b))",
        tracking=Tracking.ANY_INPUT,
        gpu=Gpu.KEEPS,
        core=True,
        errors=(
            "nn_linear(): input features ‹n› doesn't match weight input ‹m›",
            "nn_linear(): bias size ‹n› doesn't match output features ‹m›",
            "nn_linear(): invalid shapes - input: ‹shape›, weight: ‹shape›, bias: ‹shape›",
            "linear(): input features ‹n› doesn't match weight input ‹m›",
            "linear(): bias size ‹n› doesn't match output features ‹m›",
            "linear(): invalid shapes - input: ‹shape›, weight: ‹shape›, bias: ‹shape›",
            f"nn_linear(): {MIX_DEVICES}",
        ),
    ),
    Builtin(
        name="nn_embedding",
        section="8.6",
        usage="nn_embedding(indices, embedding_matrix)",
        params=(Param("indices", Kind.TENSOR), Param("embedding_matrix", Kind.TENSOR)),
        result=embedding_rule,
        summary="Looks up rows of an embedding matrix: n indices, [V, D] → [n, D]",
        doc="Reads the values of `indices` (a tensor of any shape, flattened in row-major order) truncated "
        "to integers, and returns the matching rows of `embedding_matrix` `[V, D]` stacked into "
        "`[n, D]`, where `n` is the number of indices (`tensor([2.0])` gives `[1, D]`, a `[2, 2]` index "
        "tensor gives `[4, D]`). Tracked when the matrix requires grad (graph op Embedding: each looked-up "
        "row receives its output row's gradient). An index outside `[0, V)` is an error, prefixed "
        "`embedding():` on the tracked path.",
        example="let table = tensor([0.0, 0.1, 1.0, 1.1, 2.0, 2.1], [3, 2])\n"
        "print(nn_embedding(tensor([2.0, 0.0]), table))",
        tracking=Tracking.MATRIX,
        errors=(
            "nn_embedding(): index ‹i› out of range [0, ‹V›)",
            "embedding(): index ‹i› out of range [0, ‹V›)",
        ),
    ),
    Builtin(
        name="nn_linear_create",
        section="8.6",
        usage="nn_linear_create(in_features, out_features)",
        params=(Param("in_features", Kind.NUMBER), Param("out_features", Kind.NUMBER)),
        result=returns(ObjectType("linear_layer")),
        summary="Creates a linear layer object (the same object as linear(in, out))",
        doc="Returns the same `linear_layer` object as `linear(in_features, out_features)`: weight "
        "`[in, out]` initialised with the fixed Xavier sequence `pseudo_random(i) * sqrt(2.0 / (in + out))` "
        "(§7.3), bias zeros. It prints as `Linear(4 → 2)`. Layer objects cannot be trained.",
        example="let fc = nn_linear_create(4, 2)\nprint(fc)",
    ),
    Builtin(
        name="nn_linear_forward",
        section="8.6",
        usage="nn_linear_forward(layer, input)",
        params=(Param("layer", Kind.OBJECT, object_kind="linear_layer"), Param("input", Kind.ANY)),
        result=linear_forward_rule,
        summary="Applies a linear layer object to a legacy tensor, giving a legacy tensor",
        doc="Runs a `linear_layer` on a **legacy** tensor (`type()` = `tensor`, as `tensor_grad` and "
        "`tensor_from_scalar` return) and returns a legacy tensor. An autograd tensor is rejected: use "
        "`layer_forward` (GPU backend) or `nn_linear` with explicit weights instead. Not tracked.",
        example="let fc = nn_linear_create(1, 2)\nprint(nn_linear_forward(fc, tensor_from_scalar(3.0)))",
        tracking=Tracking.CUTS,
        errors=("nn_linear_forward: second argument must be a Tensor",),
    ),
    Builtin(
        name="loss_mse",
        section="8.6",
        usage="loss_mse(pred, target)",
        params=(Param("pred", Kind.TENSOR), Param("target", Kind.TENSOR)),
        result=loss("loss_mse"),
        summary="Mean squared error of two tensors of identical shape: a [1] tensor or a float",
        doc="Returns `Σ (p - t) * (p - t) / n` over all `n` elements (a sequential sum from 0.0). The "
        "shapes must be identical (no broadcasting). **The result kind depends on the prediction**: when "
        "`pred` requires grad the loss is tracked (graph op MSELoss, gradient `2.0 / n * (p - t)`) and is "
        "a `[1]` tensor that `tensor_backward` accepts; otherwise it is a plain float, and "
        "`tensor_backward` on it fails (§6.7). A target that requires grad does not make it tracked.",
        example="let p = tensor([2.5, 3.0, 1.5])\n"
        "let y = tensor([2.0, 3.5, 1.0])\n"
        "print(loss_mse(p, y))\n"
        "print(loss_mse(tensor_requires_grad(p, true), y))",
        aliases=("nn_mse_loss",),
        tracking=Tracking.PREDICTION,
        core=True,
        errors=("loss_mse(): shape mismatch - pred: ‹shape›, target: ‹shape›",),
    ),
    Builtin(
        name="loss_cross_entropy",
        section="8.6",
        usage="loss_cross_entropy(pred, target)",
        params=(Param("pred", Kind.TENSOR), Param("target", Kind.TENSOR)),
        result=loss("loss_cross_entropy"),
        summary="Cross-entropy of probabilities against targets, averaged over all elements",
        doc="Returns `Σ -t * ln(clip(p)) / n` over **all** `n` elements, with `clip(v) = min(max(v, 1e-10), "
        "1.0 - 1e-10)`; `pred` holds probabilities (not logits: see `nn_cross_entropy_logits`). The shapes "
        "must be identical. The aliases, `nn_binary_cross_entropy` included, compute exactly this formula. "
        "Like every loss it is a `[1]` tensor (graph op CrossEntropyLoss, gradient `-t / clip(p) / n`) when "
        "`pred` requires grad, and a plain float otherwise (§6.7).",
        example="print(loss_cross_entropy(tensor([0.7, 0.2, 0.1]), tensor([1.0, 0.0, 0.0])))",
        aliases=("nn_cross_entropy_loss", "nn_cross_entropy", "nn_binary_cross_entropy"),
        tracking=Tracking.PREDICTION,
        core=True,
        errors=("loss_cross_entropy(): shape mismatch - pred: ‹shape›, target: ‹shape›",),
    ),
    Builtin(
        name="nn_cross_entropy_logits",
        section="8.6",
        usage="nn_cross_entropy_logits(logits, target)",
        params=(Param("logits", Kind.TENSOR), Param("target", Kind.TENSOR)),
        result=logits_loss_rule,
        summary="Softmax cross-entropy from logits; row-wise only when the logits require grad",
        doc="Cross-entropy of `softmax(logits)` against `target` (identical shapes, `[B, C]` or `[C]`). "
        "**The two paths compute different numbers for 2-D input.** Tracked (logits require grad): a "
        "softmax per row (`m = max(row)`, `e = exp(z - m)`, `s = e / Σe`), loss `Σ -t * ln(clip(s))` over "
        "all elements divided by the number of rows `B` (1 for 1-D), returned as a `[1]` tensor; gradient "
        "`(s - t) / B`; rank > 2 is an error. Untracked: one softmax over **all** elements, divided by the "
        "element count, returned as a float (§6.7).",
        example="print(nn_cross_entropy_logits(tensor([2.0, 1.0, 0.1]), tensor([1.0, 0.0, 0.0])))",
        tracking=Tracking.PREDICTION,
        core=True,
        errors=(
            "nn_cross_entropy_logits(): shape mismatch - logits: ‹shape›, target: ‹shape›",
            "cross_entropy_loss_with_logits() expects 1D or 2D tensor",
        ),
    ),
)
