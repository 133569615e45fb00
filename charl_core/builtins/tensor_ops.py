"""LANGUAGE.md §8.4: element-wise arithmetic, matrix product, shape operations and reductions.

Builtins never broadcast (only the operators of §9.3 do): `tensor_add` needs identical shapes, and only
`tensor_mul`/`tensor_div` accept a number. Which of these record gradients is §6.3's decision and is
easy to get wrong: `tensor_matmul`, `tensor_reshape`, `tensor_transpose` and every reduction cut the graph.
"""

from __future__ import annotations

from charl_core.builtins.core import is_number
from charl_core.builtins.rules import (
    SHAPE_MISMATCH,
    constant_int,
    constant_number,
    grad_of,
    matmul,
    reduces_to_float,
    report_conflict,
    reshape,
    same_shape,
    tensor,
    tensor_of,
)
from charl_core.builtins.spec import Builtin, Call, Gpu, Kind, Param, Rule, Tracking
from charl_core.shapes import ShapeConflict, unify_dim
from charl_core.types import (
    ANY,
    FLOAT,
    UNKNOWN,
    ArrayType,
    Dim,
    Grad,
    LegacyTensorType,
    TensorType,
    Type,
    element_count,
    shape_text,
)

DIVISION_BY_ZERO = "E110"
MAY_FAIL_WITH_GRAD = "W204"
GPU_MIX_HINT = "Use tensor_to_gpu() or tensor_to_cpu() to convert first."

# ───────────────────────────── rules ─────────────────────────────


def _tensor_or_scalar(by_tensor: Rule, by_scalar: Rule) -> Rule:
    """`tensor_mul`/`tensor_div`: (tensor, tensor) follows `by_tensor`, (tensor, number) `by_scalar`; when
    the second argument's kind is unknown, either may run, and only the shape is certain."""

    def rule(call: Call) -> Type:
        t, other = tensor(call, 0), call.argument(1)
        if isinstance(other, TensorType):
            return by_tensor(call)
        if t is not None and is_number(other):
            return by_scalar(call)
        return tensor_of(t.shape if t is not None else None, grad_of(call.argument(0), other), like=t)

    return rule


def scale(call: Call) -> Type:
    """`tensor_mul(t, scalar)`: tracked when `t` requires grad, and then the scalar becomes a `[1]` tensor
    that the tracked Mul requires to have `t`'s shape (§6.3). So a grad-requiring `t` of any shape but `[1]`
    fails (`Shape mismatch: [2] vs [1]`): certain (E107) when `t` certainly requires grad and its shape is
    known, otherwise the W204 trap warning."""
    t = tensor(call, 0)
    if t is None:
        return tensor_of(None)
    if t.gpu:
        return tensor_of(t.shape, Grad.NO, like=t)  # GPU operations are never tracked (§6.11)
    if t.grad is not Grad.NO and t.shape != (1,):
        if t.grad is Grad.YES and element_count(t.shape) is not None:
            call.report(SHAPE_MISMATCH, f"Shape mismatch: {shape_text(t.shape)} vs [1]", 0)
        else:
            call.report(
                MAY_FAIL_WITH_GRAD,
                "tensor_mul(t, scalar) on a tensor that requires grad fails unless t has shape [1]",
                0,
            )
    return tensor_of(t.shape, t.grad, like=t)


def divide_by_scalar(call: Call) -> Type:
    """`tensor_div(t, scalar)`: never tracked (§6.4); a constant zero divisor certainly fails."""
    t = tensor(call, 0)
    if constant_number(call.argument(1)) == 0.0:
        call.report(DIVISION_BY_ZERO, "tensor_div(): division by zero", 1)
    return tensor_of(t.shape if t is not None else None, Grad.NO, like=t)


def transpose(call: Call) -> Type:
    """`tensor_transpose`: `[r, c] → [c, r]`, 2-D only, untracked."""
    t = tensor(call, 0)
    if t is None or t.shape is None:
        return tensor_of((UNKNOWN, UNKNOWN), like=t)
    if len(t.shape) != 2:
        call.report(SHAPE_MISMATCH, "tensor_transpose() currently only supports 2D tensors", 0)
        return tensor_of(None, like=t)
    return tensor_of((t.shape[1], t.shape[0]), like=t)


def _array_items(t: Type | None) -> tuple[Type, ...] | None:
    """The type of each position of an array argument, when its length is known."""
    if not isinstance(t, ArrayType) or t.length is None:
        return None
    return t.items if t.items is not None else (t.element,) * t.length


def concat(call: Call) -> Type:
    """`tensor_concat(tensors, 1)`: `[B, c1], [B, c2], … → [B, c1 + c2 + …]`. Only `dim == 1`; every input
    must have the first input's batch size. Tracked when any input requires grad, and then the run-time
    messages start with `concat():` instead of `tensor_concat():` (§8.4)."""
    array = call.argument(0)
    items = _array_items(array)
    element = array.element if isinstance(array, ArrayType) else array
    grad = grad_of(*items) if items is not None else grad_of(element)
    prefix = "concat()" if grad is Grad.YES else "tensor_concat()"
    dim = constant_int(call.argument(1))
    if dim is not None and dim != 1:
        call.report(SHAPE_MISMATCH, f"{prefix}: only dim=1 supported, got dim={dim}", 1)
        return tensor_of((UNKNOWN, UNKNOWN), grad)
    if not items:
        return tensor_of((UNKNOWN, UNKNOWN), grad)
    batch: Dim | None = None
    columns: list[Dim] = []
    for item in items:
        if not isinstance(item, TensorType) or item.shape is None or len(item.shape) != 2:
            columns.append(UNKNOWN)
            continue
        rows, cols = item.shape
        columns.append(cols)
        if batch is None:
            batch = rows
            continue
        unified = unify_dim(batch, rows)
        if isinstance(unified, ShapeConflict):
            report_conflict(
                call,
                unified,
                f"{prefix}: batch size mismatch {batch} vs {rows}",
                f"tensor_concat needs equal batch sizes; {batch} vs {rows} requires {batch} == {rows}",
                0,
            )
        else:
            batch = unified
    known = [c for c in columns if isinstance(c, int)]
    width: Dim = sum(known) if len(known) == len(columns) else columns[0] if len(columns) == 1 else UNKNOWN
    return tensor_of((UNKNOWN if batch is None else batch, width), grad)


def nonempty_reduction(name: str) -> Rule:
    """`tensor_max`/`tensor_min`: a float; an empty tensor certainly fails."""

    def rule(call: Call) -> Type:
        t = tensor(call, 0)
        if t is not None and element_count(t.shape) == 0:
            call.report(SHAPE_MISMATCH, f"{name}() cannot operate on empty tensor", 0)
        return FLOAT

    return rule


def elementwise_to_cpu(call: Call) -> Type:
    """`S → S`, untracked, and a GPU input gives a CPU result (§6.11: `tensor_abs`, `nn_gelu`, …)."""
    t = tensor(call, 0)
    return TensorType(t.dtype, t.shape) if t is not None else tensor_of(None)


def legacy_elementwise(call: Call) -> Type:
    """`tensor_sin`/`tensor_cos`: a legacy tensor gives a legacy tensor of its shape; what a number gives is
    not specified, and autograd tensors are rejected."""
    x = call.argument(0)
    return LegacyTensorType(x.shape) if isinstance(x, LegacyTensorType) else ANY


# ───────────────────────────── entries ─────────────────────────────

_TENSOR = Param("tensor", Kind.TENSOR)


def _mismatch(name: str) -> str:
    return f"{name}(): shape mismatch ‹a› vs ‹b›"


def _reduction(name: str, summary: str, doc: str, example: str, *, core: bool = False) -> Builtin:
    empty = name in ("tensor_max", "tensor_min")
    return Builtin(
        name=name,
        section="8.4",
        usage=f"{name}(tensor)",
        params=(_TENSOR,),
        result=nonempty_reduction(name) if empty else reduces_to_float,
        summary=summary,
        doc=doc + " The result is a plain float, so the autograd graph is cut (§6.4); a GPU tensor is "
        "reduced from its CPU copy.",
        example=example,
        tracking=Tracking.CUTS,
        gpu=Gpu.READS_CPU_COPY,
        core=core,
        errors=(f"{name}() cannot operate on empty tensor",) if empty else (),
    )


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="tensor_add",
        section="8.4",
        usage="tensor_add(a, b)",
        params=(Param("a", Kind.TENSOR), Param("b", Kind.TENSOR)),
        result=same_shape("tensor_add", tracked=True),
        summary="Element-wise sum of two tensors of identical shape (no broadcasting)",
        doc="Adds `a` and `b` element by element. The shapes must be identical: builtins never broadcast "
        "(the `+` operator does, §9.3), and a number argument is rejected. Tracked by autograd when either "
        "input requires grad. Two GPU tensors give a GPU tensor; mixing a CPU and a GPU tensor fails.",
        example="let a = tensor([1.0, 2.0])\nprint(tensor_add(a, tensor([3.0, 4.0])))",
        tracking=Tracking.ANY_INPUT,
        gpu=Gpu.KEEPS,
        core=True,
        errors=(
            _mismatch("tensor_add"),
            "tensor_add() expects two tensors",
            f"Cannot add CPU tensor + GPU tensor. {GPU_MIX_HINT}",
            f"Cannot add GPU tensor + CPU tensor. {GPU_MIX_HINT}",
        ),
    ),
    Builtin(
        name="tensor_sub",
        section="8.4",
        usage="tensor_sub(a, b)",
        params=(Param("a", Kind.TENSOR), Param("b", Kind.TENSOR)),
        result=same_shape("tensor_sub", tracked=True),
        summary="Element-wise difference of two tensors of identical shape (no broadcasting)",
        doc="Computes `a - b` element by element. The shapes must be identical: builtins never broadcast "
        "(the `-` operator does, §9.3), and a number argument is rejected. Tracked by autograd when either "
        "input requires grad (the gradient of `b` is negated). GPU tensors stay on the GPU.",
        example="let a = tensor([5.0, 7.0])\nprint(tensor_sub(a, tensor([1.0, 2.0])))",
        tracking=Tracking.ANY_INPUT,
        gpu=Gpu.KEEPS,
        core=True,
        errors=(_mismatch("tensor_sub"), "tensor_sub() expects two tensors"),
    ),
    Builtin(
        name="tensor_mul",
        section="8.4",
        usage="tensor_mul(tensor, scalar)",
        params=(Param("tensor", Kind.TENSOR), Param("scalar", Kind.TENSOR_OR_NUMBER)),
        result=_tensor_or_scalar(same_shape("tensor_mul", tracked=True), scale),
        summary="Element-wise product of two same-shape tensors, or of a tensor and a number",
        doc="With two tensors, multiplies element by element (identical shapes, no broadcasting). With a "
        "number, scales every element. Tracked when an input requires grad — but on that path the number "
        "becomes a `[1]` tensor that must match `t`'s shape, so `tensor_mul(t, 2.0)` on a grad-requiring "
        "`t` fails unless `t` has shape `[1]` (`Shape mismatch: [2] vs [1]`, §6.3). Untracked tensors of "
        "any shape can be scaled. GPU tensors stay on the GPU.",
        example="let x = tensor([1.0, 2.0, 3.0])\nprint(tensor_mul(x, 2.0), tensor_mul(x, x))",
        tracking=Tracking.ANY_INPUT,
        gpu=Gpu.KEEPS,
        core=True,
        errors=(
            "tensor_mul() expects (tensor, tensor) or (tensor, scalar)",
            "Shape mismatch: ‹shape› vs [1]",
            f"Cannot multiply CPU tensor and GPU tensor. {GPU_MIX_HINT}",
        ),
    ),
    Builtin(
        name="tensor_div",
        section="8.4",
        usage="tensor_div(tensor, divisor)",
        params=(Param("tensor", Kind.TENSOR), Param("divisor", Kind.TENSOR_OR_NUMBER)),
        result=_tensor_or_scalar(same_shape("tensor_div", tracked=True), divide_by_scalar),
        summary="Element-wise quotient by a same-shape tensor or by a number",
        doc="Tensor ÷ tensor needs identical shapes and is tracked when either input requires grad; a zero "
        "divisor element gives NaN on the untracked path but fails with `Division by zero` on the tracked "
        "one. Tensor ÷ number is never tracked (it cuts the graph) and fails on a zero divisor. Unlike the "
        "`/` operator (§9.3) there is no broadcasting. GPU tensors stay on the GPU.",
        example="let x = tensor([2.0, 4.0])\nprint(tensor_div(x, 2.0), tensor_div(x, tensor([4.0, 8.0])))",
        tracking=Tracking.ANY_INPUT,
        gpu=Gpu.KEEPS,
        errors=("Division by zero", "tensor_div(): division by zero"),
    ),
    Builtin(
        name="tensor_matmul",
        section="8.4",
        usage="tensor_matmul(a, b)",
        params=(Param("a", Kind.TENSOR), Param("b", Kind.TENSOR)),
        result=matmul,
        summary="Matrix product of two 2-D tensors; never tracked",
        doc="`[m, k] × [k, n] → [m, n]`, with sequential sums over `k`. Only 2-D inputs are supported. The "
        "result is a new untracked tensor even when an input requires grad, so gradients stop here (§6.4); "
        "use `nn_linear` (or the `@` operator, §9.3) in a model that trains. GPU tensors stay on the GPU.",
        example="let a = tensor([1.0, 2.0, 3.0, 4.0], [2, 2])\nprint(tensor_matmul(a, tensor_eye(2)))",
        tracking=Tracking.CUTS,
        gpu=Gpu.KEEPS,
        core=True,
        errors=(
            "tensor_matmul() currently only supports 2D matrices",
            "tensor_matmul(): incompatible shapes ‹(m, k)› x ‹(k2, n)›",
            f"Cannot matmul CPU tensor and GPU tensor. {GPU_MIX_HINT}",
        ),
    ),
    Builtin(
        name="tensor_transpose",
        section="8.4",
        usage="tensor_transpose(tensor)",
        params=(_TENSOR,),
        result=transpose,
        summary="Transpose of a 2-D tensor; never tracked",
        doc="`[r, c] → [c, r]`. Only 2-D tensors are supported. The result is a new untracked tensor, so "
        "gradients stop here (§6.4). GPU tensors stay on the GPU.",
        example="print(tensor_transpose(tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])))",
        tracking=Tracking.CUTS,
        gpu=Gpu.KEEPS,
        errors=("tensor_transpose() currently only supports 2D tensors",),
    ),
    Builtin(
        name="tensor_reshape",
        section="8.4",
        usage="tensor_reshape(tensor, shape)",
        params=(_TENSOR, Param("shape", Kind.SHAPE)),
        result=reshape,
        summary="The same data with a new shape of equal element count; never tracked",
        doc="Returns a new tensor (new id) with the data in the same row-major order and shape `shape`, "
        "whose element count must equal the input's. The result is untracked: reshaping a parameter cuts "
        "its gradient (§6.4). GPU tensors stay on the GPU.",
        example="print(tensor_reshape(tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), [3, 2]))",
        tracking=Tracking.CUTS,
        gpu=Gpu.KEEPS,
        core=True,
        errors=(
            "tensor_reshape(): cannot reshape tensor of ‹n› elements to shape ‹shape› (‹m› elements)",
            "tensor_reshape() shape must contain integers",
        ),
    ),
    Builtin(
        name="tensor_concat",
        section="8.4",
        usage="tensor_concat(tensors, dim)",
        params=(Param("tensors", Kind.TENSORS), Param("dim", Kind.INTEGER)),
        result=concat,
        summary="Join 2-D tensors side by side along dimension 1",
        doc="`[B, c1], [B, c2], … → [B, c1 + c2 + …]`: only `dim == 1` and 2-D inputs with the same first "
        "dimension are supported. Tracked when any input requires grad (each input then receives its "
        "column block of the gradient); on that path error messages start with `concat():`.",
        example="let a = tensor([1.0, 2.0], [2, 1])\nprint(tensor_concat([a, tensor_ones([2, 2])], 1))",
        tracking=Tracking.ANY_INPUT,
        errors=(
            "tensor_concat(): only dim=1 supported, got dim=‹dim›",
            "tensor_concat(): batch size mismatch ‹b1› vs ‹b2›",
            "concat(): only dim=1 supported, got dim=‹dim›",
            "concat(): batch size mismatch ‹b1› vs ‹b2›",
        ),
    ),
    _reduction(
        "tensor_sum",
        "Sum of all elements, as a float",
        "Adds every element in row-major order, sequentially from `0.0` (§6.9).",
        "print(tensor_sum(tensor([1.0, 2.0, 3.0, 4.0], [2, 2])))",
        core=True,
    ),
    _reduction(
        "tensor_mean",
        "Mean of all elements, as a float",
        "The sequential sum of every element divided by the element count; an empty tensor gives `0.0`.",
        "print(tensor_mean(tensor([1.0, 2.0, 3.0, 4.0])))",
    ),
    _reduction(
        "tensor_max",
        "Largest element, as a float",
        "The maximum over all elements (a fold from `-inf` that skips NaN); an empty tensor is an error.",
        "print(tensor_max(tensor([3.0, -1.0, 7.5])))",
    ),
    _reduction(
        "tensor_min",
        "Smallest element, as a float",
        "The minimum over all elements (NaN is skipped); an empty tensor is an error.",
        "print(tensor_min(tensor([3.0, -1.0, 7.5])))",
    ),
    Builtin(
        name="tensor_abs",
        section="8.4",
        usage="tensor_abs(tensor)",
        params=(_TENSOR,),
        result=elementwise_to_cpu,
        summary="Element-wise absolute value; never tracked",
        doc="`S → S`. The result is a new untracked tensor (§6.4). A GPU tensor gives a CPU tensor.",
        example="print(tensor_abs(tensor([-1.5, 0.0, 2.0])))",
        tracking=Tracking.CUTS,
        gpu=Gpu.TO_CPU,
    ),
    Builtin(
        name="tensor_sqrt",
        section="8.4",
        usage="tensor_sqrt(tensor)",
        params=(_TENSOR,),
        result=elementwise_to_cpu,
        summary="Element-wise square root; never tracked",
        doc="`S → S`; negative elements give NaN. The result is a new untracked tensor (§6.4). A GPU tensor "
        "gives a CPU tensor.",
        example="print(tensor_sqrt(tensor([1.0, 4.0, 9.0])))",
        tracking=Tracking.CUTS,
        gpu=Gpu.TO_CPU,
    ),
    Builtin(
        name="tensor_sin",
        section="8.4",
        usage="tensor_sin(tensor)",
        params=(Param("tensor", Kind.ANY),),
        result=legacy_elementwise,
        summary="Element-wise sine of a legacy tensor or a number (autograd tensors are rejected)",
        doc="Accepts only legacy tensors (such as the result of `tensor_from_scalar` or `tensor_grad`), "
        "giving a legacy tensor of the same shape, and numbers. Autograd tensors are rejected; use the "
        "scalar `sin` on `tensor_get_data` values instead.",
        example="print(tensor_sin(tensor_from_scalar(0.0)))",
    ),
    Builtin(
        name="tensor_cos",
        section="8.4",
        usage="tensor_cos(tensor)",
        params=(Param("tensor", Kind.ANY),),
        result=legacy_elementwise,
        summary="Element-wise cosine of a legacy tensor or a number (autograd tensors are rejected)",
        doc="Accepts only legacy tensors (such as the result of `tensor_from_scalar` or `tensor_grad`), "
        "giving a legacy tensor of the same shape, and numbers. Autograd tensors are rejected; use the "
        "scalar `cos` on `tensor_get_data` values instead.",
        example="print(tensor_cos(tensor_from_scalar(0.0)))",
    ),
)
