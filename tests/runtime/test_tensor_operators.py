"""The tensor operators and indexing of LANGUAGE.md §9.3–§9.4: NumPy semantics forward, the recorded graph
ops (BAdd … BDiv, Neg, MatMul, Index, Slice) backward, and the exact error texts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from charl_core.ir.ops import Op
from charl_core.runtime import autograd
from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor
from charl_core.runtime.tensor_operators import autograd_form, binary, index, matmul, negate
from tests.runtime.optest import call, check_op, new_context, tensor

HINT = "Use tensor_to_gpu() or tensor_to_cpu() to convert first."
OPERATORS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}


@pytest.mark.parametrize("symbol", list(OPERATORS))
@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((2, 1), (1, 4)),
        ((4, 1, 3), (2, 1)),
        ((), (2, 2)),
        ((2, 3), (2, 3)),
    ],
)
def test_broadcasting_operator_forward_and_gradient(symbol: str, left: tuple, right: tuple) -> None:
    check_op([left, right], lambda ctx, a, b: binary(ctx, symbol, a, b), OPERATORS[symbol])


@pytest.mark.parametrize("symbol", list(OPERATORS))
def test_number_on_either_side_is_a_constant(symbol: str) -> None:
    check_op([(2, 3)], lambda ctx, a: binary(ctx, symbol, 2.5, a), lambda a: OPERATORS[symbol](2.5, a))
    check_op([(2, 3)], lambda ctx, a: binary(ctx, symbol, a, -3), lambda a: OPERATORS[symbol](a, -3.0))


def test_same_tensor_on_both_sides_receives_both_contributions() -> None:
    check_op([(4,)], lambda ctx, a: binary(ctx, "*", a, a), lambda a: a * a)


def test_negation() -> None:
    check_op([(2, 3)], negate, np.negative)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((2, 3), (3, 4)),
        ((3,), (3, 2)),
        ((2, 3), (3,)),
        ((4,), (4,)),
        ((2, 2, 3), (3, 2)),
        ((1, 2, 3), (4, 3, 2)),
    ],
)
def test_matmul_forward_and_gradient(left: tuple, right: tuple) -> None:
    check_op([left, right], matmul, np.matmul)


def test_index_and_slice_gradients_land_in_the_selected_rows() -> None:
    check_op([(3, 2)], lambda ctx, a: index(ctx, a, 1), lambda a: a[1])
    check_op([(3, 2)], lambda ctx, a: index(ctx, a, -3), lambda a: a[0])
    check_op([(4, 2)], lambda ctx, a: index(ctx, a, [1, 2]), lambda a: a[1:3])
    check_op([(4, 2)], lambda ctx, a: index(ctx, a, [-2, 10]), lambda a: a[2:4])


def test_recorded_ops_name_the_graph_op() -> None:
    ctx = new_context()
    x = tensor([1.0, 2.0], grad=True)
    assert binary(ctx, "+", x, 1).op.op is Op.BADD
    assert binary(ctx, "/", 1, x).op.op is Op.BDIV
    assert negate(ctx, x).op.op is Op.NEG
    assert matmul(ctx, x, x).op.op is Op.MATMUL
    assert index(ctx, tensor([1.0, 2.0, 3.0, 4.0], [2, 2], grad=True), 0).op.op is Op.INDEX
    assert index(ctx, x, [0, 0]).op.op is Op.SLICE


def test_untracked_operands_give_untracked_leaves() -> None:
    ctx = new_context()
    result = binary(ctx, "+", tensor([1.0, 2.0]), 1)
    assert not result.requires_grad and result.op is None and ctx.graph is None


def test_equal_shapes_give_the_builtins_bits() -> None:
    ctx = new_context()
    rng = np.random.default_rng(3)
    a = tensor(rng.normal(size=12), (3, 4))
    b = tensor(rng.normal(size=12), (4, 3))
    c = tensor(rng.normal(size=12), (3, 4))
    assert binary(ctx, "+", a, c).data.tolist() == call(ctx, "tensor_add", a, c).data.tolist()
    assert binary(ctx, "*", a, c).data.tolist() == call(ctx, "tensor_mul", a, c).data.tolist()
    assert matmul(ctx, a, b).data.tolist() == call(ctx, "tensor_matmul", a, b).data.tolist()


def test_matmul_accumulates_sequentially_over_k() -> None:
    """`((0.0 + 1e16 * 1) + 1 * 1) + -1e16 * 1` is 0.0 sequentially (a pairwise or fused sum gives 1.0)."""
    ctx = new_context()
    row = tensor([1e16, 1.0, -1e16], (1, 3))
    column = tensor([1.0, 1.0, 1.0], (3, 1))
    assert matmul(ctx, row, column).data.tolist() == [0.0]


def test_division_follows_ieee() -> None:
    result = binary(new_context(), "/", tensor([1.0, -1.0, 0.0]), 0.0)
    assert result.data[0] == np.inf and result.data[1] == -np.inf and np.isnan(result.data[2])


def test_one_d_at_one_d_is_rank_zero() -> None:
    result = matmul(new_context(), tensor([1.0, 2.0]), tensor([3.0, 4.0]))
    assert result.shape == () and result.text() == "AutogradTensor([11.0], shape=[])"


def test_indexing_values() -> None:
    ctx = new_context()
    x = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], (2, 3))
    assert index(ctx, x, 1).text() == "AutogradTensor([4.0, 5.0, 6.0], shape=[3])"
    assert index(ctx, index(ctx, x, -1), 0) == 4.0
    assert index(ctx, x, [0, 0]).text() == "AutogradTensor([1.0, 2.0, 3.0], shape=[1, 3])"
    assert index(ctx, x, [3, 1, 1]).shape == (0, 3)
    assert index(ctx, x, []).shape == (0, 3)


def test_rank_one_index_is_a_float_and_cuts_the_graph() -> None:
    value = index(new_context(), tensor([1.5, 2.5], grad=True), 1)
    assert value == 2.5 and type(value) is float


def test_gpu_operands_stay_on_the_gpu_and_are_never_tracked() -> None:
    ctx = new_context()
    a = GpuTensor(np.array([1.0, 2.0]), (2,))
    result = binary(ctx, "*", a, 2)
    assert isinstance(result, GpuTensor) and result.data.tolist() == [2.0, 4.0] and ctx.graph is None
    assert isinstance(negate(ctx, a), GpuTensor)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda c: binary(c, "+", tensor([0.0] * 6, (2, 3)), tensor([0.0] * 4)),
            "Cannot broadcast shapes [2, 3] and [4] for +",
        ),
        (
            lambda c: binary(c, "/", tensor([0.0] * 2), tensor([0.0] * 3)),
            "Cannot broadcast shapes [2] and [3] for /",
        ),
        (
            lambda c: matmul(c, tensor([0.0] * 6, (2, 3)), tensor([0.0] * 20, (4, 5))),
            "Cannot matmul shapes [2, 3] and [4, 5]",
        ),
        (lambda c: matmul(c, tensor([1.0], ()), tensor([1.0])), "Cannot matmul shapes [] and [1]"),
        (lambda c: index(c, tensor([1.0, 2.0, 3.0]), 5), "Index 5 out of bounds for dimension 0 (size 3)"),
        (lambda c: index(c, tensor([1.0], ()), 0), "Cannot index into a 0-d tensor"),
        (lambda c: index(c, tensor([1.0]), 0.5), "Index must be an integer or range, got float"),
        (lambda c: index(c, tensor([1.0]), [0.5, 1]), "Range values must be integers"),
        (lambda c: index(c, GpuTensor(np.zeros(2), (2,)), 0), "Cannot index into gpu_tensor"),
        (
            lambda c: binary(c, "+", tensor([1.0]), GpuTensor(np.zeros(1), (1,))),
            f"Cannot add CPU tensor + GPU tensor. {HINT}",
        ),
        (
            lambda c: binary(c, "+", GpuTensor(np.zeros(1), (1,)), tensor([1.0])),
            f"Cannot add GPU tensor + CPU tensor. {HINT}",
        ),
        (
            lambda c: binary(c, "*", GpuTensor(np.zeros(1), (1,)), tensor([1.0])),
            f"Cannot multiply CPU tensor and GPU tensor. {HINT}",
        ),
        (
            lambda c: matmul(c, tensor([1.0]), GpuTensor(np.zeros(1), (1,))),
            f"Cannot matmul CPU tensor and GPU tensor. {HINT}",
        ),
        (lambda c: autograd_form(c, "x"), "autograd() can only be applied to numbers or arrays, got string"),
    ],
)
def test_error_messages(action, message: str) -> None:
    with pytest.raises(CharlError) as raised:
        action(new_context())
    assert raised.value.message == message


def test_autograd_form() -> None:
    ctx = new_context()
    number = autograd_form(ctx, 3)
    array = autograd_form(ctx, [1, 2.5])
    assert number.text() == "AutogradTensor([3.0], shape=[1])" and number.requires_grad
    assert array.shape == (2,) and array.requires_grad and array.grad.tolist() == [0.0, 0.0]
    existing = tensor([1.0])
    assert autograd_form(ctx, existing) is existing
    assert ctx.graph is None or number.id not in ctx.graph.nodes


def test_broadcast_gradient_sums_sequentially_in_output_order() -> None:
    """b of shape [1] broadcast over [3]: its gradient is `((0.0 + g0) + g1) + g2` exactly."""
    ctx = new_context()
    a = tensor([1e16, 1.0, -1e16], grad=True)
    b = tensor([0.0], grad=True)
    out = binary(ctx, "*", a, b)
    graph = autograd.graph_of(ctx)
    node = graph.get(out.id)
    node.grad = np.ones(3)
    grads = autograd.RULES[Op.BMUL](node, [graph.get(a.id), graph.get(b.id)], np.ones(3))
    assert grads[1].tolist() == [0.0]


@settings(max_examples=50, deadline=None)
@given(data=st.data(), symbol=st.sampled_from(list(OPERATORS)))
def test_forward_equals_numpy_elementwise_bit_for_bit(data, symbol: str) -> None:
    """Each element is one IEEE operation, so NumPy's broadcasting ufunc gives the very same bits."""
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    values = st.floats(-1e3, 1e3, allow_nan=False)
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=values))
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=values))
    result = binary(new_context(), symbol, tensor(a.reshape(-1), a.shape), tensor(b.reshape(-1), b.shape))
    with np.errstate(all="ignore"):
        expected = OPERATORS[symbol](a, b)
    assert result.shape == expected.shape
    np.testing.assert_array_equal(result.data, expected.reshape(-1))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_broadcast_addition_gradient_is_the_sum_over_broadcast_dimensions(data) -> None:
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=3))
    a_shape, b_shape = shapes.input_shapes
    ctx = new_context()
    a = tensor(np.arange(1.0, 1.0 + np.prod(a_shape)), a_shape, grad=True)
    b = tensor(np.full(int(np.prod(b_shape)), 0.5), b_shape, grad=True)
    y = binary(ctx, "+", a, b)
    autograd.backward(ctx, call(ctx, "loss_mse", y, tensor(np.zeros(y.size), y.shape)))
    g = 2.0 / y.size * y.data.reshape(y.shape)
    for operand, shape in ((a, a_shape), (b, b_shape)):
        padded = (1,) * (len(y.shape) - len(shape)) + tuple(shape)
        axes = tuple(i for i, size in enumerate(padded) if size == 1 and y.shape[i] != 1)
        expected = g.sum(axis=axes, keepdims=True).reshape(-1) if axes else g.reshape(-1)
        np.testing.assert_allclose(autograd.gradient_of(ctx, operand), expected, rtol=1e-13)
