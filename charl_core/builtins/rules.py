"""Shape rules shared by many catalog entries, and the helpers group-specific rules are built from.

A rule is `rule(call) -> Type` (see `spec.Call`). Messages of certain failures repeat the run-time error text
of §8 (E107 `tensor_add(): shape mismatch [2, 3] vs [3, 2]`), so a user reads the same words in the editor and
at run time; conditional ones say which dimension variables would have to be equal (W206).
"""

from __future__ import annotations

from collections.abc import Callable

from charl_core.builtins.spec import Call, Rule
from charl_core.shapes import ShapeConflict, matmul_2d, reshape_count, unify_shapes
from charl_core.types import (
    ANY,
    FLOAT,
    UNKNOWN,
    AnyType,
    ArrayType,
    Dim,
    FloatType,
    Grad,
    IntType,
    Shape,
    TensorType,
    Type,
    UnionType,
    element_count,
    join_all,
    shape_text,
)

SHAPE_MISMATCH = "E107"
NEEDS_EQUAL_DIMENSIONS = "W206"

# ───────────────────────────── reading argument types ─────────────────────────────


def tensor(call: Call, index: int) -> TensorType | None:
    """Argument `index` if it is certainly a tensor."""
    argument = call.argument(index)
    return argument if isinstance(argument, TensorType) else None


def constant_int(t: Type | None) -> int | None:
    return t.value if isinstance(t, IntType) else None


def constant_number(t: Type | None) -> float | None:
    if isinstance(t, IntType | FloatType) and t.value is not None:
        return float(t.value)
    return None


def constant_shape(t: Type | None) -> Shape | None:
    """The shape an array argument spells (`[n, 3]` with `n` a known constant gives `(4, 3)`); unknown
    entries become `_`; None when not even the length is known."""
    if not isinstance(t, ArrayType) or t.length is None:
        return None
    if t.items is None:
        return (UNKNOWN,) * t.length
    return tuple(
        item.value if isinstance(item, IntType) and item.value is not None else UNKNOWN for item in t.items
    )


def grad_of(*types: Type | None) -> Grad:
    """The grad state of a tracked op's output: yes if any tensor input may require grad (§6.3)."""
    grad = Grad.NO
    for t in types:
        if isinstance(t, TensorType):
            grad = grad.either(t.grad)
        elif isinstance(t, AnyType | UnionType):
            grad = grad.either(Grad.MAYBE)
    return grad


def tensor_of(shape: Shape | None, grad: Grad = Grad.NO, *, like: TensorType | None = None) -> TensorType:
    """A result tensor; GPU-ness and dtype follow `like` when given."""
    if like is not None:
        return TensorType(like.dtype, shape, grad, like.gpu)
    return TensorType(shape=shape, grad=grad)


def dims_text(shape: Shape | None) -> str:
    """`(2, 3)`: the form tensor_matmul's run-time message uses."""
    return "(" + ", ".join(str(d) for d in shape) + ")" if shape is not None else "(?)"


def report_conflict(
    call: Call, conflict: ShapeConflict, certain: str, conditional: str, argument: int
) -> None:
    """E107 with `certain` when two known sizes disagree, else W206 with `conditional`."""
    if conflict.certain:
        call.report(SHAPE_MISMATCH, certain, argument)
    else:
        call.report(NEEDS_EQUAL_DIMENSIONS, conditional, argument)


# ───────────────────────────── rule factories ─────────────────────────────


def returns(result: Type) -> Rule:
    """A builtin whose result type does not depend on its arguments."""
    return lambda call: result


def creates_from_shape(index: int = 0) -> Rule:
    """`tensor_zeros([2, 3])` and friends: an untracked tensor of the shape spelled by argument `index`."""
    return lambda call: tensor_of(constant_shape(call.argument(index)))


def same_shape(prefix: str, *, tracked: bool) -> Rule:
    """`S, S → S` with no broadcasting (tensor_add/sub, §8.4); `prefix` is the message's builtin name."""

    def rule(call: Call) -> Type:
        a, b = tensor(call, 0), tensor(call, 1)
        if a is None or b is None:
            return tensor_of(None, grad_of(call.argument(0), call.argument(1)) if tracked else Grad.NO)
        unified = unify_shapes(a.shape, b.shape)
        grad = grad_of(a, b) if tracked else Grad.NO
        if isinstance(unified, ShapeConflict):
            report_conflict(
                call,
                unified,
                f"{prefix}(): shape mismatch {shape_text(a.shape)} vs {shape_text(b.shape)}",
                f"{prefix} needs equal shapes; {shape_text(a.shape)} vs {shape_text(b.shape)} requires "
                f"{unified.left} == {unified.right}",
                1,
            )
            return tensor_of(a.shape, grad, like=a)
        return tensor_of(unified, grad, like=a)

    return rule


def elementwise(*, tracked: bool, index: int = 0) -> Rule:
    """`S → S` (activations, tensor_abs…): the result has the input's shape."""

    def rule(call: Call) -> Type:
        t = tensor(call, index)
        if t is None:
            return tensor_of(None, grad_of(call.argument(index)) if tracked else Grad.NO)
        return tensor_of(t.shape, t.grad if tracked else Grad.NO, like=t)

    return rule


def reduces_to_float(call: Call) -> Type:
    """`S → float` (tensor_sum, tensor_mean, tensor_max…): a plain number, which cuts the graph."""
    return FLOAT


def matmul(call: Call) -> Type:
    """tensor_matmul: `[m, k], [k, n] → [m, n]`, 2-D only, never tracked (§8.4)."""
    a, b = tensor(call, 0), tensor(call, 1)
    if a is None or b is None or a.shape is None or b.shape is None:
        return tensor_of(None)
    if len(a.shape) != 2 or len(b.shape) != 2:
        call.report(
            SHAPE_MISMATCH,
            "tensor_matmul() currently only supports 2D matrices",
            0 if len(a.shape) != 2 else 1,
        )
        return tensor_of(None)
    result = matmul_2d(a.shape, b.shape)
    if isinstance(result, ShapeConflict):
        report_conflict(
            call,
            result,
            f"tensor_matmul(): incompatible shapes {dims_text(a.shape)} x {dims_text(b.shape)}",
            f"tensor_matmul needs {a.shape[1]} == {b.shape[0]} for "
            f"{shape_text(a.shape)} x {shape_text(b.shape)}",
            1,
        )
        return tensor_of((a.shape[0], b.shape[1]), like=a)
    return tensor_of(result, like=a)


def reshape(call: Call) -> Type:
    """tensor_reshape: the element count is kept; the result is a new untracked tensor (§8.4)."""
    source = tensor(call, 0)
    target = constant_shape(call.argument(1))
    if source is not None:
        conflict = reshape_count(source.shape, target)
        if conflict is not None:
            call.report(
                SHAPE_MISMATCH,
                f"tensor_reshape(): cannot reshape tensor of {conflict.left} elements to shape "
                f"{shape_text(target)} ({conflict.right} elements)",
                1,
            )
    return tensor_of(target, like=source)


def first_dimension(shape: Shape | None) -> Dim:
    return shape[0] if shape else UNKNOWN


def loss(prefix: str, labels: tuple[str, str] = ("pred", "target")) -> Rule:
    """Losses (§6.7): identical shapes; a `[1]` tensor when the prediction requires grad, else a float."""

    def rule(call: Call) -> Type:
        prediction, target = tensor(call, 0), tensor(call, 1)
        if prediction is not None and target is not None:
            unified = unify_shapes(prediction.shape, target.shape)
            if isinstance(unified, ShapeConflict):
                report_conflict(
                    call,
                    unified,
                    f"{prefix}(): shape mismatch - {labels[0]}: {shape_text(prediction.shape)}, "
                    f"{labels[1]}: {shape_text(target.shape)}",
                    f"{prefix} needs equal shapes; {shape_text(prediction.shape)} vs "
                    f"{shape_text(target.shape)} requires {unified.left} == {unified.right}",
                    1,
                )
        return loss_result(prediction.grad if prediction is not None else Grad.MAYBE)

    return rule


def loss_result(grad: Grad) -> Type:
    tracked = TensorType(shape=(1,), grad=Grad.YES)
    if grad is Grad.YES:
        return tracked
    if grad is Grad.NO:
        return FLOAT
    return UnionType(frozenset({tracked, FLOAT}))


def count_of(shape: Shape | None) -> Dim:
    """The element count as a dimension (`_` when unknown)."""
    count = element_count(shape)
    return count if count is not None else UNKNOWN


def argument_unchanged(index: int) -> Rule:
    """Builtins that return one of their arguments unchanged: the result has exactly that argument's type."""

    def rule(call: Call) -> Type:
        argument = call.argument(index)
        return ANY if argument is None else argument

    return rule


def fixed_array(*items: Type) -> ArrayType:
    """An array whose length and per-position types are known (§4.4), like a getter's `[a, b, c]`."""
    return ArrayType(join_all(*items), len(items), items)


def any_result(call: Call) -> Type:
    return ANY


RuleFactory = Callable[..., Rule]
