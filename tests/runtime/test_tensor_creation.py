"""LANGUAGE.md §8.2 (tensor creation) and §8.3 (inspection and element access): values against NumPy, ids and
flags of §6.1, the print texts of §5.4, and every error message these builtins raise."""

from __future__ import annotations

import io
import textwrap

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter.run import run_program
from charl_core.runtime.library import load
from charl_core.runtime.tensor import GpuTensor, LegacyTensor, Tensor
from charl_core.runtime.values import kind_name, to_text

load()


def run(source: str, **context) -> tuple[int, str, str]:
    """Runs a real program in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = run_program(textwrap.dedent(source), "test.ch", Context(out=out, **context), err)
    return code, out.getvalue(), err.getvalue()


def call(name: str, *args, ctx: Context | None = None):
    return lookup(name).implementation(ctx or Context(out=io.StringIO()), list(args))


def fails(message: str, name: str, *args) -> None:
    with pytest.raises(CharlError) as caught:
        call(name, *args)
    assert caught.value.message == message


# ───────────────────────────── creation ─────────────────────────────


def test_tensor_converts_integers_and_defaults_to_one_dimension():
    t = call("tensor", [1, 2, 3, 4])
    assert isinstance(t, Tensor)
    assert kind_name(t) == "autograd_tensor"
    assert t.shape == (4,)
    assert t.data.dtype == np.float64
    assert to_text(t) == "AutogradTensor([1.0, 2.0, 3.0, 4.0], shape=[4])"
    assert not t.requires_grad
    assert t.grad is None


def test_tensor_with_shape_and_an_empty_tensor():
    assert to_text(call("tensor", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1, 2, 3])) == (
        "AutogradTensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape=[1, 2, 3])"
    )
    assert to_text(call("tensor", [])) == "AutogradTensor([], shape=[0])"


def test_every_creator_gives_a_fresh_id():
    ids = {call("tensor_zeros", [2]).id for _ in range(5)}
    assert len(ids) == 5


def test_tensor_errors():
    fails("tensor() shape [2, 2] (total: 4) does not match data length 3", "tensor", [1.0, 2.0, 3.0], [2, 2])
    fails("Cannot convert array to float", "tensor", [[1.0, 2.0], [3.0, 4.0]])
    fails("Cannot convert string to float", "tensor", [1.0, "a"])
    fails("tensor() expects an array, got autograd_tensor", "tensor", call("tensor", [1.0]))
    fails("tensor() shape must contain integers", "tensor", [1.0, 2.0], [2.0])
    fails("tensor() shape must contain non-negative integers", "tensor", [1.0], [-1, -1])


def test_tensor_from_array():
    t = call("tensor_from_array", [0.5, 1.5, 2.5, 3.5, 4.5, 5.5], [3, 2])
    assert (t.shape, t.data.tolist()) == ((3, 2), [0.5, 1.5, 2.5, 3.5, 4.5, 5.5])
    fails(
        "tensor_from_array() data length 3 doesn't match shape [2, 2] (expected 4)",
        "tensor_from_array",
        [1.0, 2.0, 3.0],
        [2, 2],
    )
    fails("tensor_from_array() data must contain numbers", "tensor_from_array", [1.0, "x"], [2])
    fails("tensor_from_array() expects an array, got integer", "tensor_from_array", 3, [1])


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("tensor_zeros", ([2, 3],), np.zeros((2, 3))),
        ("tensor_ones", ([2, 3],), np.ones((2, 3))),
        ("tensor_full", ([2, 2], 7.5), np.full((2, 2), 7.5)),
        ("tensor_full", ([3], 2), np.full(3, 2.0)),
        ("tensor_eye", (3,), np.eye(3)),
        ("tensor_eye", (1,), np.eye(1)),
        ("tensor_zeros", ([4, 0],), np.zeros((4, 0))),
    ],
)
def test_constant_creators_match_numpy(name, args, expected):
    t = call(name, *args)
    assert t.shape == expected.shape
    assert t.data.tolist() == expected.reshape(-1).tolist()


def test_constant_creator_errors():
    for name in ("tensor_zeros", "tensor_ones", "tensor_randn", "tensor_rand"):
        fails(f"{name}() shape must contain integers", name, [2, "3"])
        fails(f"{name}() shape must contain integers", name, 4)
    fails("tensor_full() shape must contain integers", "tensor_full", [1.5], 1.0)
    fails("Cannot convert string to float", "tensor_full", [2], "a")
    fails("tensor_eye() expects an integer", "tensor_eye", 3.0)


def test_zeros_like_of_a_tensor_and_of_an_array():
    z = call("tensor_zeros_like", call("tensor", [1.0, 2.0, 3.0, 4.0], [2, 2]))
    assert to_text(z) == "AutogradTensor([0.0, 0.0, 0.0, 0.0], shape=[2, 2])"
    assert call("tensor_zeros_like", [1, 2, 3]) == [0.0, 0.0, 0.0]
    fails("tensor_zeros_like() expects a tensor or an array, got float", "tensor_zeros_like", 1.5)


def test_tensor_from_scalar_is_a_legacy_tensor():
    t = call("tensor_from_scalar", 2.5)
    assert isinstance(t, LegacyTensor)
    assert to_text(t) == "Tensor([1], [2.5])"


def test_with_grad_is_a_grad_requiring_leaf_in_the_graph():
    ctx = Context(out=io.StringIO())
    w = call("tensor_with_grad", [1.0, 2.0, 3.0, 4.0], [2.0, 2], ctx=ctx)
    assert (w.shape, w.requires_grad, w.grad.tolist()) == ((2, 2), True, [0.0, 0.0, 0.0, 0.0])
    node = ctx.graph.get(w.id)
    assert node is not None
    assert node.requires_grad
    flagged = call("tensor_from_data", [1.0, 2.0, 3.0, 4.0], [2, 2], 1, ctx=ctx)
    assert (flagged.shape, flagged.requires_grad, ctx.graph.get(flagged.id) is not None) == (
        (2, 2),
        True,
        True,
    )
    plain = call("tensor_from_data", [1.0, 2.0, 3.0, 4.0], [2, 2], False, ctx=ctx)
    assert (plain.shape, plain.requires_grad, ctx.graph.get(plain.id)) == ((4,), False, None)
    fails(
        "tensor_with_grad() data length 3 doesn't match shape [2, 2] (expected 4)",
        "tensor_with_grad",
        [1.0, 2.0, 3.0],
        [2, 2],
    )


def test_with_grad_shape_entries_are_checked():
    fails("tensor_with_grad() shape must contain positive integers", "tensor_with_grad", [1.0], [1.5])
    fails("tensor_with_grad() shape must contain positive integers", "tensor_with_grad", [1.0], [-1])


# ───────────────────────────── inspection ─────────────────────────────

T23 = ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])


def test_shape_size_and_data():
    t = call("tensor", *T23)
    assert call("tensor_shape", t) == [2, 3]
    assert call("tensor_size", t) == 6
    assert call("tensor_get_data", t) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert call("tensor_size", call("tensor_zeros", [3, 4, 5])) == 60
    legacy = call("tensor_from_scalar", 4)
    assert call("tensor_size", legacy) == 1
    assert call("tensor_get_data", legacy) == [4.0]
    fails("tensor_shape() expects a tensor, got tensor", "tensor_shape", legacy)
    fails("tensor_size() expects a tensor, got array", "tensor_size", [1])


def test_gpu_tensors_report_their_binary64_copy():
    g = GpuTensor(np.array([0.1, 0.2]), (2,))
    assert call("tensor_shape", g) == [2]
    assert call("tensor_get_data", g) == [0.1, 0.2]
    assert call("argmax", g) == 1
    fails("tensor_print() expects a tensor, got gpu_tensor", "tensor_print", g)
    fails("tensor_item() expects a tensor, got gpu_tensor", "tensor_item", g)


def test_tensor_print_uses_the_tensor_float_format():
    ctx = Context(out=io.StringIO())
    assert call("tensor_print", call("tensor", [1.5, 2.0, 1e-5, 1e16], [2, 2]), ctx=ctx) is None
    call("tensor_print", call("tensor_from_scalar", 0.5), ctx=ctx)
    assert ctx.out.getvalue() == (
        "Tensor(shape: [2, 2], data: [1.5, 2.0, 1e-5, 1e16])\nTensor(shape: [1], data: [0.5])\n"
    )
    fails("tensor_print() expects a tensor, got integer", "tensor_print", 3)


def test_item_and_get():
    t = call("tensor", *T23)
    assert call("tensor_item", call("tensor", [7.0], [1, 1])) == 7.0
    assert type(call("tensor_item", call("tensor", [3.25]))) is float
    assert [call("tensor_get", t, [0, 0]), call("tensor_get", t, [0, 2]), call("tensor_get", t, [1, 1])] == [
        1.0,
        3.0,
        5.0,
    ]
    fails("item() only works on 1-element tensors, got 6 elements", "tensor_item", t)
    fails("Index length 1 doesn't match tensor dimensions 2", "tensor_get", t, [1])
    fails("Index 2 out of bounds for dimension 0 (size 2)", "tensor_get", t, [2, 0])
    fails("Index 3 out of bounds for dimension 1 (size 3)", "tensor_get", t, [1, 3])
    fails("Index 18446744073709551615 out of bounds for dimension 0 (size 2)", "tensor_get", t, [-1, 0])
    fails("Indices must be integers", "tensor_get", t, [1.0, 0])
    fails("tensor_get() expects a tensor, got array", "tensor_get", [1.0], [0])


def test_set_returns_a_copy_with_the_same_id_and_flag():
    t = call("tensor", [1.0, 2.0, 3.0, 4.0], [2, 2]).copy_with(requires_grad=True)
    u = call("tensor_set", t, [1, 0], 2)
    assert u.data.tolist() == [1.0, 2.0, 2.0, 4.0]
    assert t.data.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert (u.id, u.requires_grad, u.shape) == (t.id, True, (2, 2))
    fails("Cannot convert string to float", "tensor_set", t, [0, 0], "x")
    fails("Index length 3 doesn't match tensor dimensions 2", "tensor_set", t, [0, 0, 0], 1.0)


def test_argmax_first_maximum_of_the_flattened_data():
    cases = [
        ([0.1, 0.7, 0.2, 0.7], 1),
        ([-5.0, -2.0, -9.0], 1),
        ([float("nan"), 1.0, 3.0], 2),
        ([float("nan"), float("nan")], 0),
        ([float("-inf"), float("-inf")], 0),
        ([1.0, 2.0, 9.0, 4.0, 5.0, 6.0], 2),
    ]
    for data, expected in cases:
        result = call("argmax", call("tensor", data))
        assert (type(result), result) == (int, expected)
    fails("argmax() cannot operate on empty tensor", "argmax", call("tensor", []))


def test_program_creates_inspects_and_fails_with_the_message():
    code, out, err = run(
        """
        let xs = [0.0; 6]
        for i in 0..6 {
            xs[i] = i * 1.5
        }
        let t = tensor(xs, [2, 3])
        print(t, tensor_shape(t), tensor_size(t))
        t = tensor_set(t, [1, 2], -1)
        tensor_print(t)
        print(tensor_get(t, [1, 2]), argmax(t), tensor_item(tensor([2.5], [1, 1])))
        print(tensor_zeros_like([1, 2]), tensor_eye(2))
        print(tensor(xs, [4, 2]))
        print("not reached")
        """
    )
    assert out == (
        "AutogradTensor([0.0, 1.5, 3.0, 4.5, 6.0, 7.5], shape=[2, 3]) [2, 3] 6\n"
        "Tensor(shape: [2, 3], data: [0.0, 1.5, 3.0, 4.5, 6.0, -1.0])\n"
        "-1.0 4 2.5\n"
        "[0.0, 0.0] AutogradTensor([1.0, 0.0, 0.0, 1.0], shape=[2, 2])\n"
    )
    assert code == 1
    assert "tensor() shape [4, 2] (total: 8) does not match data length 6" in err
