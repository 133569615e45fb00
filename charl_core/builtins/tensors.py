"""LANGUAGE.md §8.2 (tensor creation) and §8.3 (inspection and element access).

Creators take their shape from an array argument, so a shape is known exactly when the array's entries are
constants (`let n = 4  tensor_zeros([n, 3])` is `[4, 3]`). `tensor(data, shape)` and `tensor_from_array`
also know the data length of arrays such as `[0.0; 80]`, which lets the checker report a wrong shape before
the program runs and fill in a single unknown dimension (`tensor(xs, [_, 2])` with 80 elements is `[40, 2]`).
"""

from __future__ import annotations

from collections.abc import Callable

from charl_core.builtins.rules import (
    SHAPE_MISMATCH,
    constant_shape,
    creates_from_shape,
    grad_of,
    returns,
    tensor,
    tensor_of,
)
from charl_core.builtins.spec import Builtin, Call, Gpu, Kind, Param, Rule, Tracking
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    NULL,
    UNKNOWN,
    ArrayType,
    BoolType,
    Dim,
    FloatType,
    Grad,
    IntType,
    LegacyTensorType,
    Shape,
    TensorType,
    Type,
    element_count,
    join,
    shape_text,
)

# ───────────────────────────── creation rules ─────────────────────────────

MismatchText = Callable[[Shape, int, int], str]


def _data_length(t: Type | None) -> int | None:
    return t.length if isinstance(t, ArrayType) else None


def _fill_single_unknown(shape: Shape, count: int) -> Shape:
    """The one `_` of `shape` that makes its element count `count`, when the other dimensions are known."""
    unknown = [index for index, dim in enumerate(shape) if not isinstance(dim, int)]
    known = 1
    for dim in shape:
        if isinstance(dim, int):
            known *= dim
    if len(unknown) != 1 or known <= 0 or count % known:
        return shape
    filled = list(shape)
    filled[unknown[0]] = count // known
    return tuple(filled)


def from_data(mismatch: MismatchText, *, shape_optional: bool) -> Rule:
    """`tensor(data, shape)`, `tensor_from_array(data, shape)`: the shape's element count must equal the
    data length (E107 with the builtin's own run-time text when both are known); `tensor(data)` is 1-D."""

    def rule(call: Call) -> Type:
        length = _data_length(call.argument(0))
        if len(call.arguments) < 2:
            return tensor_of((length if length is not None else UNKNOWN,) if shape_optional else None)
        shape = constant_shape(call.argument(1))
        if shape is None or length is None or any(isinstance(d, int) and d < 0 for d in shape):
            return tensor_of(shape)
        total = element_count(shape)
        if total is None:
            return tensor_of(_fill_single_unknown(shape, length))
        if total != length:
            call.report(SHAPE_MISMATCH, mismatch(shape, total, length), 1)
        return tensor_of(shape)

    return rule


def _tensor_mismatch(shape: Shape, total: int, length: int) -> str:
    return f"tensor() shape {shape_text(shape)} (total: {total}) does not match data length {length}"


def _from_array_mismatch(shape: Shape, total: int, length: int) -> str:
    return (
        f"tensor_from_array() data length {length} doesn't match shape {shape_text(shape)} (expected {total})"
    )


def _grad_shape(t: Type | None) -> Shape | None:
    """A `tensor_with_grad` shape: integers or non-negative integral floats (§8.2); other entries are `_`."""
    if not isinstance(t, ArrayType) or t.length is None:
        return None
    if t.items is None:
        return (UNKNOWN,) * t.length

    def dim(item: Type) -> Dim:
        if isinstance(item, IntType) and item.value is not None:
            return item.value
        if isinstance(item, FloatType) and item.value is not None and item.value.is_integer():
            return int(item.value) if item.value >= 0 else UNKNOWN
        return UNKNOWN

    return tuple(dim(item) for item in t.items)


def with_grad(call: Call) -> Type:
    """`tensor_with_grad(data, shape)`: a grad-requiring leaf of the given shape (§6.3)."""
    return tensor_of(_grad_shape(call.argument(1)), Grad.YES)


def from_data_flag(call: Call) -> Type:
    """`tensor_from_data(data, shape, requires_grad)`: a true or non-zero flag behaves as `tensor_with_grad`,
    false or 0 as `tensor(data)`, ignoring the shape; an unknown flag gives the join of both."""
    flag = call.argument(2)
    flag_value = flag.value if isinstance(flag, BoolType | IntType | FloatType) else None
    length = _data_length(call.argument(0))
    plain = tensor_of((length if length is not None else UNKNOWN,))
    if flag_value is None:
        return join(with_grad(call), plain)
    return with_grad(call) if flag_value else plain


def identity_matrix(call: Call) -> Type:
    """`tensor_eye(n)`: `[n, n]`."""
    n = call.argument(0)
    size = n.value if isinstance(n, IntType) and n.value is not None else UNKNOWN
    return tensor_of((size, size))


def zeros_like(call: Call) -> Type:
    """`tensor_zeros_like`: zeros of a tensor's shape, or an array of `0.0` as long as an array argument."""
    x = call.argument(0)
    if isinstance(x, TensorType):
        return tensor_of(x.shape)
    if isinstance(x, ArrayType):
        return ArrayType(FLOAT, x.length)
    return ANY


# ───────────────────────────── inspection rules ─────────────────────────────


def _shape_of(t: Type | None) -> Shape | None:
    return t.shape if isinstance(t, TensorType | LegacyTensorType) else None


def shape_array(call: Call) -> Type:
    """`tensor_shape`: an array of integers whose length is the rank and whose known entries are constants,
    so `tensor_zeros(tensor_shape(x))` has `x`'s shape."""
    shape = _shape_of(tensor(call, 0))
    if shape is None:
        return ArrayType(INT)
    return ArrayType(INT, len(shape), tuple(IntType(d) if isinstance(d, int) else INT for d in shape))


def size(call: Call) -> Type:
    """`tensor_size`: the element count, a constant when the shape is known (legacy tensors too)."""
    return IntType(element_count(_shape_of(call.argument(0))))


def flat_data(call: Call) -> Type:
    """`tensor_get_data`: the flat data as an array of floats, as long as the element count."""
    return ArrayType(FLOAT, element_count(_shape_of(call.argument(0))))


def single_item(call: Call) -> Type:
    """`tensor_item`: a float; a tensor whose known element count is not 1 certainly fails."""
    count = element_count(_shape_of(tensor(call, 0)))
    if count is not None and count != 1:
        call.report(SHAPE_MISMATCH, f"item() only works on 1-element tensors, got {count} elements", 0)
    return FLOAT


_U64 = 2**64


def _check_indices(call: Call) -> None:
    """`tensor_get`'s run-time checks, where certain: one index per dimension, each below its dimension's
    size. A negative index wraps to a huge unsigned value and fails the bound check (§8.3). Checks stop at
    the first index the checker cannot decide, so a reported message is the one the run time prints."""
    t, indices = tensor(call, 0), call.argument(1)
    if t is None or t.shape is None or not t.shape or not isinstance(indices, ArrayType):
        return
    if not isinstance(indices.element, IntType) or indices.length is None:
        return
    if indices.length != len(t.shape):
        call.report(
            SHAPE_MISMATCH,
            f"Index length {indices.length} doesn't match tensor dimensions {len(t.shape)}",
            1,
        )
        return
    for axis, (item, dim) in enumerate(zip(indices.items or (), t.shape, strict=False)):
        if not isinstance(item, IntType) or item.value is None or not isinstance(dim, int):
            return
        index = item.value % _U64
        if index >= dim:
            call.report(SHAPE_MISMATCH, f"Index {index} out of bounds for dimension {axis} (size {dim})", 1)
            return


def get_element(call: Call) -> Type:
    _check_indices(call)
    return FLOAT


def set_element(call: Call) -> Type:
    """`tensor_set`: a copy of the tensor (same id, same requires-grad flag) with one element replaced."""
    t = tensor(call, 0)
    return t if t is not None else tensor_of(None, grad_of(call.argument(0)))


def first_maximum(call: Call) -> Type:
    """`argmax`: an integer index into the flattened data; an empty tensor certainly fails."""
    if element_count(_shape_of(tensor(call, 0))) == 0:
        call.report(SHAPE_MISMATCH, "argmax() cannot operate on empty tensor", 0)
    return INT


# ───────────────────────────── entries ─────────────────────────────

_SHAPE = Param("shape", Kind.SHAPE)
_TENSOR = Param("tensor", Kind.TENSOR)


def _shape_error(name: str) -> str:
    return f"{name}() shape must contain integers"


TENSOR_CREATION: tuple[Builtin, ...] = (
    Builtin(
        name="tensor",
        section="8.2",
        usage="tensor(data, shape)",
        params=(Param("data", Kind.NUMBERS), Param("shape", Kind.SHAPE, optional=True)),
        result=from_data(_tensor_mismatch, shape_optional=True),
        summary="A tensor from a flat array of numbers, with an optional shape",
        doc="`data` must be a **flat** array of numbers (integers become floats; a nested array fails with "
        "`Cannot convert array to float`). Without `shape` the tensor is 1-D of the data's length; with "
        "it, the shape's element count must equal the data length. The result is a new untracked leaf. "
        "Programs commonly fill `let xs = [0.0; 80]` in a loop and then call `tensor(xs, [40, 2])`.",
        example="let x = tensor([1.0, 2.0, 3.0, 4.0], [2, 2])\nprint(x, tensor([1, 2]))",
        core=True,
        errors=(
            "tensor() shape ‹shape› (total: ‹total›) does not match data length ‹length›",
            "tensor() expects an array, got ‹kind›",
            "Cannot convert ‹kind› to float",
        ),
    ),
    Builtin(
        name="tensor_from_array",
        section="8.2",
        usage="tensor_from_array(data, shape)",
        params=(Param("data", Kind.NUMBERS), _SHAPE),
        result=from_data(_from_array_mismatch, shape_optional=False),
        summary="A tensor from a flat array of numbers and a mandatory shape",
        doc="Like `tensor(data, shape)` with the shape required: the data length must equal the shape's "
        "element count. The result is a new untracked leaf.",
        example="let x = tensor_from_array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])\nprint(x)",
        core=True,
        errors=(
            "tensor_from_array() data length ‹length› doesn't match shape ‹shape› (expected ‹total›)",
            "tensor_from_array() data must contain numbers",
        ),
    ),
    Builtin(
        name="tensor_zeros",
        section="8.2",
        usage="tensor_zeros(shape)",
        params=(_SHAPE,),
        result=creates_from_shape(0),
        summary="A tensor of the given shape filled with 0.0",
        doc="Creates an untracked leaf of shape `shape` (an array of integers) whose elements are all "
        "`0.0`. Bias parameters start here: `tensor_requires_grad(tensor_zeros([20]), true)`.",
        example="print(tensor_zeros([2, 3]))",
        core=True,
        errors=(_shape_error("tensor_zeros"),),
    ),
    Builtin(
        name="tensor_ones",
        section="8.2",
        usage="tensor_ones(shape)",
        params=(_SHAPE,),
        result=creates_from_shape(0),
        summary="A tensor of the given shape filled with 1.0",
        doc="Creates an untracked leaf of shape `shape` (an array of integers) whose elements are all `1.0`.",
        example="print(tensor_ones([2, 2]))",
        errors=(_shape_error("tensor_ones"),),
    ),
    Builtin(
        name="tensor_full",
        section="8.2",
        usage="tensor_full([shape], value)",
        params=(_SHAPE, Param("value", Kind.NUMBER)),
        result=creates_from_shape(0),
        summary="A tensor of the given shape filled with one value",
        doc="Creates an untracked leaf of shape `shape` whose elements all equal `value` (an integer "
        "value is stored as a float).",
        example="print(tensor_full([2, 2], 0.5))",
        errors=(_shape_error("tensor_full"),),
    ),
    Builtin(
        name="tensor_eye",
        section="8.2",
        usage="tensor_eye(n)",
        params=(Param("n", Kind.INTEGER),),
        result=identity_matrix,
        summary="The n × n identity matrix",
        doc="An untracked `[n, n]` tensor with `1.0` on the diagonal and `0.0` elsewhere. `n` must be an "
        "integer.",
        example="print(tensor_eye(3))",
        errors=("tensor_eye() expects an integer",),
    ),
    Builtin(
        name="tensor_zeros_like",
        section="8.2",
        usage="tensor_zeros_like(tensor)",
        params=(Param("tensor", Kind.ANY),),
        result=zeros_like,
        summary="Zeros of the same shape as a tensor (or the same length as an array)",
        doc="Given a tensor, a new untracked tensor of the same shape filled with `0.0`. Given an array, "
        "an array of `0.0` of the same length (useful for velocity or moment arrays of `optim_*_step`).",
        example="let w = tensor([1.0, 2.0, 3.0])\nprint(tensor_zeros_like(w), tensor_zeros_like([1, 2]))",
    ),
    Builtin(
        name="tensor_randn",
        section="8.2",
        usage="tensor_randn(shape)",
        params=(_SHAPE,),
        result=creates_from_shape(0),
        summary="Unseeded standard normal samples of the given shape",
        doc="Fills a new untracked tensor with N(0, 1) samples (Box–Muller) from an operating-system "
        "seeded generator. The values are not reproducible and there is no seeding API (§7.4); use "
        "`tensor_randn_seeded` for reproducible programs.",
        example="let x = tensor_randn([2, 3])\nprint(tensor_shape(x))",
        core=True,
        errors=(_shape_error("tensor_randn"),),
    ),
    Builtin(
        name="tensor_randn_seeded",
        section="8.2",
        usage="tensor_randn_seeded(shape, seed)",
        params=(_SHAPE, Param("seed", Kind.INTEGER)),
        result=creates_from_shape(0),
        summary="Reproducible standard normal samples from an integer seed",
        doc="Bit-exact N(0, 1) samples (§7.1): a fresh ChaCha12 generator keyed by PCG32 from `seed` on "
        "every call, two uniforms per element, Box–Muller cosine branch. The same element count and seed "
        "always give the same values in row-major order. Negative seeds are taken modulo 2⁶⁴.",
        example="print(tensor_randn_seeded([2, 3], 42))",
        core=True,
        errors=(
            _shape_error("tensor_randn_seeded"),
            "tensor_randn_seeded() second argument must be an integer",
        ),
    ),
    Builtin(
        name="tensor_rand",
        section="8.2",
        usage="tensor_rand([shape])",
        params=(_SHAPE,),
        result=creates_from_shape(0),
        summary="Unseeded uniform samples in [0, 1) of the given shape",
        doc="Fills a new untracked tensor with uniform samples in [0, 1) from an operating-system seeded "
        "generator; the values are not reproducible (§7.4).",
        example="let x = tensor_rand([4])\nprint(tensor_size(x))",
        errors=(_shape_error("tensor_rand"),),
    ),
    Builtin(
        name="tensor_with_grad",
        section="8.2",
        usage="tensor_with_grad(data, shape)",
        params=(Param("data", Kind.NUMBERS), Param("shape", Kind.NUMBERS)),
        result=with_grad,
        summary="A grad-requiring tensor, inserted in the autograd graph as a leaf",
        doc="Creates a tensor with `requires_grad = true` and a zero gradient and inserts it in the "
        "global graph (§6.3), so `tensor_backward` reaches it. Shape entries may be non-negative integral "
        "floats (`2.0`).",
        example="let w = tensor_with_grad([1.0, 2.0], [2])\nprint(w)",
        tracking=Tracking.LEAF,
        errors=("tensor_with_grad() shape must contain positive integers",),
    ),
    Builtin(
        name="tensor_from_data",
        section="8.2",
        usage="tensor_from_data(data, shape, requires_grad)",
        params=(Param("data", Kind.NUMBERS), Param("shape", Kind.NUMBERS), Param("requires_grad")),
        result=from_data_flag,
        summary="tensor_with_grad(data, shape) when the flag is set, else tensor(data) ignoring the shape",
        doc="With `requires_grad` true or non-zero, exactly `tensor_with_grad(data, shape)`. With `false` "
        "or `0`, exactly `tensor(data)`: the shape argument is **ignored** and the result is 1-D.",
        example="let x = tensor_from_data([1.0, 2.0, 3.0, 4.0], [2, 2], false)\nprint(x)",
        tracking=Tracking.LEAF,
    ),
    Builtin(
        name="tensor_from_scalar",
        section="8.2",
        usage="tensor_from_scalar(value)",
        params=(Param("value", Kind.NUMBER),),
        result=returns(LegacyTensorType((1,))),
        summary="A one-element legacy tensor holding a number",
        doc="Returns a legacy tensor (`type()` is `tensor`) of shape `[1]`, printed like "
        "`Tensor([1], [2.5])`. Most tensor builtins reject legacy tensors.",
        example="print(tensor_from_scalar(2.5))",
    ),
)

INSPECTION: tuple[Builtin, ...] = (
    Builtin(
        name="tensor_shape",
        section="8.3",
        usage="tensor_shape(tensor)",
        params=(_TENSOR,),
        result=shape_array,
        summary="The shape of a tensor, as an array of integers",
        doc="Returns the dimensions as an array (`[]` for a rank-0 tensor). GPU tensors report the shape "
        "of their CPU copy; legacy tensors are rejected.",
        example="print(tensor_shape(tensor_zeros([2, 3])))",
        gpu=Gpu.READS_CPU_COPY,
        core=True,
        errors=("tensor_shape() expects a tensor, got ‹kind›",),
    ),
    Builtin(
        name="tensor_size",
        section="8.3",
        usage="tensor_size(tensor)",
        params=(Param("tensor", Kind.ANY),),
        result=size,
        summary="The number of elements of a tensor",
        doc="The product of the shape. Legacy tensors are accepted; GPU tensors report their CPU copy.",
        example="print(tensor_size(tensor_zeros([2, 3])))",
        gpu=Gpu.READS_CPU_COPY,
    ),
    Builtin(
        name="tensor_print",
        section="8.3",
        usage="tensor_print(tensor)",
        params=(Param("tensor", Kind.ANY),),
        result=returns(NULL),
        summary="Print a tensor as `Tensor(shape: [...], data: [...])`",
        doc="Writes one line `Tensor(shape: [2, 2], data: [1.5, 2.0, 3.0, 4.0])`, the data in the tensor "
        "float format (`1e-5`, §5.4), and returns null. Legacy tensors are accepted, GPU tensors rejected.",
        example="tensor_print(tensor([1.5, 2.0, 3.0, 4.0], [2, 2]))",
        core=True,
    ),
    Builtin(
        name="tensor_item",
        section="8.3",
        usage="tensor_item(tensor)",
        params=(_TENSOR,),
        result=single_item,
        summary="The value of a one-element tensor, as a float",
        doc="Returns the single element as a float (shape `[1]`, `[1, 1]` or `[]`). The result is a plain "
        "number, so it cuts the autograd graph.",
        example="print(tensor_item(tensor([2.5])))",
        tracking=Tracking.CUTS,
        errors=("item() only works on 1-element tensors, got ‹n› elements",),
    ),
    Builtin(
        name="tensor_get",
        section="8.3",
        usage="tensor_get(tensor, [indices])",
        params=(_TENSOR, Param("indices", Kind.SHAPE)),
        result=get_element,
        summary="One element of a tensor, addressed by one index per dimension",
        doc="Reads the element at `indices` (row-major) as a float, which cuts the autograd graph. There "
        "must be exactly one index per dimension; negative indices are not supported (they wrap to huge "
        "values and fail the bound check).",
        example="let x = tensor([1.0, 2.0, 3.0, 4.0], [2, 2])\nprint(tensor_get(x, [1, 0]))",
        tracking=Tracking.CUTS,
        errors=(
            "Index length ‹given› doesn't match tensor dimensions ‹rank›",
            "Index ‹i› out of bounds for dimension ‹axis› (size ‹size›)",
            "Indices must be integers",
        ),
    ),
    Builtin(
        name="tensor_set",
        section="8.3",
        usage="tensor_set(tensor, [indices], value)",
        params=(_TENSOR, Param("indices", Kind.SHAPE), Param("value", Kind.NUMBER)),
        result=set_element,
        summary="A copy of a tensor with one element replaced (same id)",
        doc="Returns a copy in which the element at `indices` is `value`; the argument variable is "
        "unchanged, so programs reassign (`x = tensor_set(x, [0], 5.0)`). The copy keeps the tensor's "
        "**id** and requires-grad flag: if the id is already in the autograd graph, backward still uses "
        "the data recorded there (§6.2).",
        example="let x = tensor([1.0, 2.0, 3.0])\nx = tensor_set(x, [1], 9.0)\nprint(x)",
    ),
    Builtin(
        name="tensor_get_data",
        section="8.3",
        usage="tensor_get_data(tensor)",
        params=(Param("tensor", Kind.ANY),),
        result=flat_data,
        summary="The flat row-major data of a tensor, as an array of floats",
        doc="Returns the elements in row-major order as an array of floats (numbers, so the graph is cut). "
        "A legacy tensor gives its values; a GPU tensor gives its unrounded binary64 copy.",
        example="print(tensor_get_data(tensor([1.0, 2.0, 3.0, 4.0], [2, 2])))",
        tracking=Tracking.CUTS,
        gpu=Gpu.READS_CPU_COPY,
    ),
    Builtin(
        name="argmax",
        section="8.3",
        usage="argmax(tensor)",
        params=(_TENSOR,),
        result=first_maximum,
        summary="Index of the first maximum of the flattened tensor",
        doc="Scans the data in row-major order and returns the integer index of the first largest element; "
        "NaN never wins. For a 2-D tensor the index is into the flattened data, not per row.",
        example="print(argmax(tensor([0.1, 0.7, 0.2, 0.7])))",
        tracking=Tracking.CUTS,
        gpu=Gpu.READS_CPU_COPY,
        core=True,
        errors=("argmax() cannot operate on empty tensor",),
    ),
)

BUILTINS: tuple[Builtin, ...] = TENSOR_CREATION + INSPECTION
