"""The global graph of §6.2 and `tensor_backward` of §6.5, through the §8.7 builtins: insert-if-absent
(nodes never refreshed), accumulation, the graph-node-first gradient lookup, deep graphs without Python
recursion, and every error text of §6.5 and §8.7."""

from __future__ import annotations

import numpy as np
import pytest

from charl_core.builtins import ENTRIES
from charl_core.builtins.spec import Tracking
from charl_core.ir.ops import RECORDED
from charl_core.runtime import autograd
from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor, LegacyTensor
from charl_core.runtime.tensor_operators import binary
from tests.runtime.optest import call, new_context, tensor

ZERO2 = tensor([0.0, 0.0])


def grad_values(ctx, t) -> list[float]:
    result = call(ctx, "tensor_grad", t)
    assert isinstance(result, LegacyTensor)
    return result.data.tolist()


def test_requires_grad_keeps_the_id_and_allocates_a_zero_gradient() -> None:
    ctx = new_context()
    x = tensor([1.0, 2.0])
    flagged = call(ctx, "tensor_requires_grad", x, True)
    assert flagged.id == x.id and flagged.requires_grad and flagged.grad.tolist() == [0.0, 0.0]
    assert not x.requires_grad and ctx.graph is None  # nothing inserted, argument unchanged
    assert not call(ctx, "tensor_requires_grad", flagged, False).requires_grad


def test_backward_accumulates_and_zero_grad_clears_the_node() -> None:
    ctx = new_context()
    w = call(ctx, "tensor_requires_grad", tensor([1.0, 2.0]), True)
    call(ctx, "tensor_backward", call(ctx, "loss_mse", w, ZERO2))
    assert grad_values(ctx, w) == [1.0, 2.0]
    call(ctx, "tensor_backward", call(ctx, "loss_mse", w, ZERO2))
    assert grad_values(ctx, w) == [2.0, 4.0]
    assert call(ctx, "tensor_zero_grad", w) is w
    assert grad_values(ctx, w) == [0.0, 0.0]


def test_same_tensor_twice_receives_both_contributions() -> None:
    ctx = new_context()
    x = call(ctx, "tensor_requires_grad", tensor([3.0, 4.0]), True)
    z = call(ctx, "tensor_mul", call(ctx, "tensor_mul", x, x), tensor([1.5, 4.0]))
    call(ctx, "tensor_backward", call(ctx, "loss_mse", z, ZERO2))
    assert call(ctx, "tensor_grad", x).text() == "Tensor([2], [121.5, 2048.0])"


def test_nodes_are_never_refreshed() -> None:
    """After `tensor_set` (same id), backward still uses the data the node had when first inserted."""
    ctx = new_context()
    w = call(ctx, "tensor_requires_grad", tensor([1.0, 2.0]), True)
    call(ctx, "loss_mse", w, ZERO2)  # inserts w as it is now
    changed = call(ctx, "tensor_set", w, [0], 10.0)
    assert changed.id == w.id
    call(ctx, "tensor_backward", call(ctx, "loss_mse", changed, ZERO2))
    assert grad_values(ctx, changed) == [1.0, 2.0]  # from [1, 2], not [10, 2]


def test_a_node_inserted_without_grad_receives_nothing() -> None:
    ctx = new_context()
    x = tensor([1.0, 2.0])
    w = call(ctx, "tensor_requires_grad", tensor([0.5, 0.5]), True)
    call(ctx, "tensor_add", x, w)  # inserts x, not requiring grad
    x_grad = call(ctx, "tensor_requires_grad", x, True)  # same id, flag on: the node keeps the old flag
    loss = call(ctx, "loss_mse", call(ctx, "tensor_add", x_grad, w), ZERO2)
    call(ctx, "tensor_backward", loss)
    assert grad_values(ctx, w) == [1.5, 2.5]
    stale = autograd.graph_of(ctx).get(x.id)
    assert not stale.requires_grad and stale.grad is None


def test_gradient_lookup_prefers_the_graph_node() -> None:
    ctx = new_context()
    w = call(ctx, "tensor_set_grad", call(ctx, "tensor_requires_grad", tensor([1.0, 2.0]), True), [0.5, -0.5])
    assert grad_values(ctx, w) == [0.5, -0.5]  # id absent: the value's own buffer
    call(ctx, "tensor_backward", call(ctx, "loss_mse", w, ZERO2))
    assert grad_values(ctx, w) == [1.5, 1.5]  # the node copied the own buffer, then accumulated


def test_backward_seed_overwrites_the_root_gradient() -> None:
    ctx = new_context()
    w = call(ctx, "tensor_requires_grad", tensor([1.0, 2.0]), True)
    y = call(ctx, "tensor_add", w, ZERO2)
    loss = call(ctx, "loss_mse", y, ZERO2)
    call(ctx, "tensor_backward", loss)
    call(ctx, "tensor_backward", loss)
    assert grad_values(ctx, loss) == [1.0]
    assert grad_values(ctx, y) == [2.0, 4.0]  # intermediate nodes keep accumulating


def test_deep_graphs_do_not_use_python_recursion() -> None:
    ctx = new_context()
    x = call(ctx, "tensor_requires_grad", tensor([1.0]), True)
    y = x
    for _ in range(20_000):
        y = binary(ctx, "+", y, 1.0)
    call(ctx, "tensor_backward", call(ctx, "loss_mse", y, tensor([0.0])))
    assert grad_values(ctx, x) == [2.0 * 20_001.0]


def test_post_order_walks_inputs_left_to_right() -> None:
    ctx = new_context()
    a = call(ctx, "tensor_requires_grad", tensor([1.0]), True)
    b = call(ctx, "tensor_requires_grad", tensor([2.0]), True)
    s = call(ctx, "tensor_add", a, b)
    graph = autograd.graph_of(ctx)
    order = [node.id for node in autograd.post_order(graph, graph.get(s.id))]
    assert order == [a.id, b.id, s.id]


def test_update_inplace_and_reset_graph() -> None:
    ctx = new_context()
    leaf = call(ctx, "tensor_update_inplace", tensor([1.0, 2.0]), tensor([0.5, 0.5]), 0.1)
    assert leaf.text() == "AutogradTensor([0.95, 1.95], shape=[2])" and leaf.requires_grad
    assert autograd.graph_of(ctx).get(leaf.id) is not None
    from_grad = call(ctx, "tensor_update_inplace", leaf, LegacyTensor(np.array([1.0, 1.0]), (2,)), 0.5)
    assert from_grad.data.tolist() == [0.95 - 0.5, 1.95 - 0.5]
    call(ctx, "reset_graph")
    assert autograd.graph_of(ctx).nodes == {}


def test_manual_gradient_helpers() -> None:
    ctx = new_context()
    w = tensor([0.5, -0.5, 1.0, 2.0], (2, 2))
    grads = call(ctx, "autograd_compute_linear_grad", tensor([1.0, 2.0]), w, tensor([0.1, 0.1]), [1.0, 1.0])
    assert grads == ([0.0, 3.0], [1.0, 1.0, 2.0, 2.0], [1.0, 1.0])
    assert call(ctx, "autograd_compute_relu_grad", tensor([-1.0, 2.0, 0.0]), [1.0, 1.0, 1.0]) == [
        0.0,
        1.0,
        0.0,
    ]
    assert call(ctx, "autograd_compute_sigmoid_grad", tensor([0.5, 0.9]), [1.0, 2.0]) == [
        1.0 * 0.5 * (1.0 - 0.5),
        2.0 * 0.9 * (1.0 - 0.9),
    ]
    assert call(ctx, "autograd_compute_mse_grad", tensor([1.0, 2.0]), tensor([0.0, 0.5])) == [1.0, 1.5]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            lambda ctx: call(ctx, "tensor_backward", GpuTensor(np.zeros(1), (1,))),
            "tensor_backward() is not yet supported for GPU tensors. "
            "Transfer to CPU first using tensor_to_cpu().",
        ),
        (lambda ctx: call(ctx, "tensor_backward", 0.25), "tensor_backward() expects a tensor, got float"),
        (
            lambda ctx: call(ctx, "tensor_backward", tensor([1.0])),
            "Cannot call backward() on tensor that doesn't require grad. "
            "Use tensor_with_grad() to create tensors that track gradients.",
        ),
        (
            lambda ctx: call(ctx, "tensor_backward", tensor([1.0], grad=True)),
            "Output node not found in graph",
        ),
        (
            lambda ctx: call(ctx, "tensor_grad", tensor([1.0])),
            "Tensor doesn't have gradients. Call backward() first or use tensor_with_grad().",
        ),
        (
            lambda ctx: call(ctx, "tensor_requires_grad", tensor([1.0]), 1),
            "tensor_requires_grad() expects (tensor, bool)",
        ),
        (
            lambda ctx: call(ctx, "tensor_set_grad", tensor([1.0, 2.0]), [1.0, 2.0, 3.0]),
            "tensor_set_grad(): gradient size 3 doesn't match tensor size 2",
        ),
    ],
)
def test_error_messages(setup, message: str) -> None:
    with pytest.raises(CharlError) as raised:
        setup(new_context())
    assert raised.value.message == message


def test_backward_on_a_stale_node_that_does_not_require_grad() -> None:
    ctx = new_context()
    x = tensor([1.0])
    call(ctx, "tensor_add", x, tensor([1.0], grad=True))  # inserts x without grad
    with pytest.raises(CharlError) as raised:
        call(ctx, "tensor_backward", call(ctx, "tensor_requires_grad", x, True))
    assert raised.value.message == "Cannot call backward on tensor that doesn't require grad"


def test_backward_after_reset_reports_the_missing_node() -> None:
    ctx = new_context()
    x = call(ctx, "tensor_requires_grad", tensor([1.0]), True)
    y = call(ctx, "nn_relu", x)
    call(ctx, "reset_graph")
    loss = call(ctx, "loss_mse", y, tensor([0.0]))  # inserts y again; x is gone
    with pytest.raises(CharlError) as raised:
        call(ctx, "tensor_backward", loss)
    assert raised.value.message == f"Node {x.id} not found"


def test_every_tracked_builtin_names_its_graph_op_in_the_catalog() -> None:
    """ARCHITECTURE decision 1: the catalog says how each tracked builtin differentiates, and the op has a
    gradient rule; graph-cutting builtins have none."""
    tracked = (Tracking.ANY_INPUT, Tracking.PREDICTION, Tracking.MATRIX)
    for entry in ENTRIES:
        if entry.tracking in tracked:
            assert entry.gradient in RECORDED and entry.gradient in autograd.RULES, entry.name
        elif entry.tracking is Tracking.CUTS:
            assert entry.gradient is None, entry.name
    assert set(autograd.RULES) == RECORDED
