"""§8.4 builtins: values against NumPy or hand-computed numbers, gradients of the tracked ones against
finite differences, the graph cuts of §6.4, GPU behaviour of §6.11, and every error text they raise."""

from __future__ import annotations

import math
from importlib import import_module

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.builtins.spec import Gpu, Kind
from charl_core.ir.ops import Op
from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor
from tests.runtime.optest import call, check_op, new_context, tensor

GROUPS = ("tensor_ops", "activations", "nn", "autograd", "optimizers")
HINT = "Use tensor_to_gpu() or tensor_to_cpu() to convert first."


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("tensor_add", np.add),
        ("tensor_sub", np.subtract),
        ("tensor_mul", np.multiply),
        ("tensor_div", np.divide),
    ],
)
def test_tracked_elementwise_builtins(name: str, reference) -> None:
    check_op([(2, 3), (2, 3)], lambda ctx, a, b: call(ctx, name, a, b), reference)


def test_tracked_scalar_multiplication_of_a_one_element_tensor() -> None:
    check_op([(1,)], lambda ctx, a: call(ctx, "tensor_mul", a, 2.5), lambda a: a * 2.5)


def test_tracked_concat() -> None:
    check_op(
        [(2, 1), (2, 3), (2, 2)],
        lambda ctx, a, b, c: call(ctx, "tensor_concat", [a, b, c], 1),
        lambda a, b, c: np.concatenate([a, b, c], axis=1),
    )


def test_catalog_names_the_recorded_op() -> None:
    assert lookup("tensor_add").gradient is Op.ADD
    assert lookup("tensor_div").gradient is Op.DIV
    assert lookup("tensor_concat").gradient is Op.CONCAT
    assert lookup("tensor_matmul").gradient is None  # cuts the graph (§6.4)


def test_untracked_division_by_a_zero_element_is_nan_whatever_the_numerator() -> None:
    result = call(new_context(), "tensor_div", tensor([1.0, 0.0, -1.0, 6.0]), tensor([0.0, 0.0, 0.0, 3.0]))
    assert np.isnan(result.data[:3]).all() and result.data[3] == 2.0


@pytest.mark.parametrize(
    ("name", "args"),
    [
        (
            "tensor_matmul",
            (tensor([1.0, 2.0, 3.0, 4.0], (2, 2), grad=True), tensor([1.0, 0.0, 0.0, 1.0], (2, 2))),
        ),
        ("tensor_transpose", (tensor([1.0, 2.0], (1, 2), grad=True),)),
        ("tensor_reshape", (tensor([1.0, 2.0], grad=True), [2, 1])),
        ("tensor_div", (tensor([1.0, 2.0], grad=True), 2.0)),
        ("tensor_abs", (tensor([-1.0, 2.0], grad=True),)),
        ("tensor_sqrt", (tensor([1.0, 4.0], grad=True),)),
    ],
)
def test_graph_cutting_builtins_return_fresh_untracked_tensors(name: str, args: tuple) -> None:
    ctx = new_context()
    result = call(ctx, name, *args)
    assert isinstance(result, Tensor) and not result.requires_grad and result.op is None
    assert result.id != args[0].id


def test_shape_operations() -> None:
    ctx = new_context()
    a = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], (2, 3))
    assert call(ctx, "tensor_transpose", a).data.tolist() == [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]
    reshaped = call(ctx, "tensor_reshape", a, [3, 2])
    assert reshaped.shape == (3, 2) and reshaped.data.tolist() == a.data.tolist()
    joined = call(ctx, "tensor_concat", [tensor([1.0, 2.0, 3.0, 4.0], (2, 2)), tensor([5.0, 6.0], (2, 1))], 1)
    assert joined.text() == "AutogradTensor([1.0, 2.0, 5.0, 3.0, 4.0, 6.0], shape=[2, 3])"


def test_matmul_matches_a_pure_python_sequential_loop_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(5, 7)), rng.normal(size=(7, 3))
    result = call(new_context(), "tensor_matmul", tensor(a, a.shape), tensor(b, b.shape))
    expected = []
    for i in range(5):
        for j in range(3):
            acc = 0.0
            for k in range(7):
                acc += a[i, k] * b[k, j]
            expected.append(acc)
    assert result.data.tolist() == expected


def test_reductions_are_sequential_folds() -> None:
    ctx = new_context()
    values = [0.1, 0.2, 0.3, 1e16, 1.0, -1e16]
    t = tensor(values)
    acc = 0.0
    for v in values:
        acc += v
    assert call(ctx, "tensor_sum", t) == acc
    assert call(ctx, "tensor_mean", t) == acc / 6
    assert call(ctx, "tensor_mean", tensor([])) == 0.0
    assert call(ctx, "tensor_max", tensor([math.nan, -1.0, 3.5])) == 3.5
    assert call(ctx, "tensor_min", tensor([2.0, math.nan, -0.5])) == -0.5
    assert math.copysign(1.0, call(ctx, "tensor_max", tensor([-0.0, 0.0]))) == -1.0
    assert math.copysign(1.0, call(ctx, "tensor_min", tensor([0.0, -0.0]))) == 1.0


def test_abs_and_sqrt() -> None:
    ctx = new_context()
    assert call(ctx, "tensor_abs", tensor([-1.5, 0.0, 2.0])).data.tolist() == [1.5, 0.0, 2.0]
    root = call(ctx, "tensor_sqrt", tensor([4.0, 2.0, -1.0]))
    assert root.data[:2].tolist() == [2.0, math.sqrt(2.0)] and math.isnan(root.data[2])


def test_legacy_trigonometry() -> None:
    ctx = new_context()
    legacy = LegacyTensor(np.array([0.0, 1.0]), (2,))
    assert call(ctx, "tensor_sin", legacy).data.tolist() == [0.0, math.sin(1.0)]
    assert call(ctx, "tensor_cos", 0) == 1.0


def test_gpu_tensors_keep_or_leave_the_device_as_the_catalog_says() -> None:
    ctx = new_context()
    a = GpuTensor(np.array([1.0, -2.0, 3.0, 4.0]), (2, 2))
    b = GpuTensor(np.array([0.5, 0.5, 0.5, 0.5]), (2, 2))
    for name in ("tensor_add", "tensor_sub", "tensor_mul", "tensor_div", "tensor_matmul"):
        assert isinstance(call(ctx, name, a, b), GpuTensor), name
    assert isinstance(call(ctx, "tensor_transpose", a), GpuTensor)
    assert isinstance(call(ctx, "tensor_reshape", a, [4]), GpuTensor)
    assert type(call(ctx, "tensor_abs", a)) is Tensor
    assert type(call(ctx, "tensor_sqrt", b)) is Tensor
    assert call(ctx, "tensor_sum", a) == 6.0 and ctx.graph is None


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        (
            "tensor_add",
            (tensor([1.0, 2.0]), tensor([1.0, 2.0, 3.0])),
            "tensor_add(): shape mismatch [2] vs [3]",
        ),
        ("tensor_sub", (tensor([1.0]), tensor([1.0, 2.0])), "tensor_sub(): shape mismatch [1] vs [2]"),
        ("tensor_add", (tensor([1.0]), 1.0), "tensor_add() expects two tensors"),
        ("tensor_sub", (2, tensor([1.0])), "tensor_sub() expects two tensors"),
        ("tensor_mul", (tensor([1.0]), "x"), "tensor_mul() expects (tensor, tensor) or (tensor, scalar)"),
        ("tensor_mul", (tensor([1.0, 2.0], grad=True), 2.0), "Shape mismatch: [2] vs [1]"),
        ("tensor_div", (tensor([1.0, 2.0]), 0), "tensor_div(): division by zero"),
        ("tensor_div", (tensor([1.0], grad=True), tensor([0.0])), "Division by zero"),
        (
            "tensor_matmul",
            (tensor([1.0, 2.0]), tensor([1.0, 2.0])),
            "tensor_matmul() currently only supports 2D matrices",
        ),
        (
            "tensor_matmul",
            (tensor([0.0] * 4, (2, 2)), tensor([0.0] * 3, (3, 1))),
            "tensor_matmul(): incompatible shapes (2, 2) x (3, 1)",
        ),
        ("tensor_transpose", (tensor([1.0]),), "tensor_transpose() currently only supports 2D tensors"),
        (
            "tensor_reshape",
            (tensor([0.0] * 6), [4, 2]),
            "tensor_reshape(): cannot reshape tensor of 6 elements to shape [4, 2] (8 elements)",
        ),
        ("tensor_reshape", (tensor([0.0]), [1.0]), "tensor_reshape() shape must contain integers"),
        (
            "tensor_reshape",
            (tensor([]), [2**62, 4]),
            "tensor_reshape(): cannot reshape tensor of 0 elements to shape [4611686018427387904, 4] "
            "(18446744073709551616 elements)",
        ),
        ("tensor_concat", ([tensor([0.0], (1, 1))], 0), "tensor_concat(): only dim=1 supported, got dim=0"),
        (
            "tensor_concat",
            ([tensor([0.0], (1, 1), grad=True)], 0),
            "concat(): only dim=1 supported, got dim=0",
        ),
        (
            "tensor_concat",
            ([tensor([0.0] * 3, (3, 1)), tensor([0.0] * 2, (2, 1))], 1),
            "tensor_concat(): batch size mismatch 3 vs 2",
        ),
        (
            "tensor_concat",
            ([tensor([0.0] * 3, (3, 1), grad=True), tensor([0.0] * 2, (2, 1))], 1),
            "concat(): batch size mismatch 3 vs 2",
        ),
        ("tensor_max", (tensor([]),), "tensor_max() cannot operate on empty tensor"),
        ("tensor_min", (tensor([]),), "tensor_min() cannot operate on empty tensor"),
        ("tensor_sum", (1.0,), "tensor_sum() expects a tensor, got float"),
        (
            "tensor_add",
            (tensor([1.0]), GpuTensor(np.zeros(1), (1,))),
            f"Cannot add CPU tensor + GPU tensor. {HINT}",
        ),
        (
            "tensor_add",
            (GpuTensor(np.zeros(1), (1,)), tensor([1.0])),
            f"Cannot add GPU tensor + CPU tensor. {HINT}",
        ),
        (
            "tensor_mul",
            (tensor([1.0]), GpuTensor(np.zeros(1), (1,))),
            f"Cannot multiply CPU tensor and GPU tensor. {HINT}",
        ),
        (
            "tensor_matmul",
            (GpuTensor(np.zeros(1), (1, 1)), tensor([1.0], (1, 1))),
            f"Cannot matmul CPU tensor and GPU tensor. {HINT}",
        ),
    ],
)
def test_error_messages(name: str, args: tuple, message: str) -> None:
    with pytest.raises(CharlError) as raised:
        call(new_context(), name, *args)
    assert raised.value.message == message


def _gpu_arguments(entry) -> list:
    """GPU `[2, 2]` tensors for tensor parameters (a `[2]` bias for `nn_linear`), 0.5 for numbers."""
    square = GpuTensor(np.array([1.0, -2.0, 3.0, 0.5]), (2, 2))
    if entry.name == "nn_linear":
        return [square, square, GpuTensor(np.array([0.1, 0.2]), (2,))]
    kinds = {Kind.TENSOR: square, Kind.TENSOR_OR_NUMBER: square, Kind.NUMBER: 0.5, Kind.SHAPE: [4]}
    return [kinds[p.kind] for p in entry.params if not p.optional]


@pytest.mark.parametrize(
    "entry",
    [
        e
        for g in GROUPS
        for e in import_module(f"charl_core.builtins.{g}").BUILTINS
        if e.gpu in (Gpu.KEEPS, Gpu.TO_CPU)
    ],
    ids=lambda e: e.name,
)
def test_gpu_results_follow_the_catalog_entry(entry) -> None:
    """§6.11 is a catalog fact (`Builtin.gpu`); the implementations must agree with it."""
    result = call(new_context(), entry.name, *_gpu_arguments(entry))
    expected = GpuTensor if entry.gpu is Gpu.KEEPS else Tensor
    assert type(result) is expected
