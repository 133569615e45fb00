"""The global autograd graph of LANGUAGE.md §6.2 and `tensor_backward` (§6.5), with the gradient rules of
§6.6, §9.3 and §9.4 as one table op → rule (tinygrad's `gradient.py`).

The graph maps a tensor id to a *node*: a copy of the tensor taken when it was first inserted. Nodes are
never refreshed (a later `tensor_set` or `tensor_requires_grad` on the same id is invisible to backward),
the table is never cleared except by `reset_graph`, and gradients accumulate across calls. These rules look
like accidents but existing programs print their consequences, so they are kept exactly.

Arrays are never written in place: a node's gradient is replaced by a new array on each accumulation, so
a node may share its arrays with the tensor it was copied from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from charl_core.ir.ops import Op
from charl_core.runtime import kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import kind_name


@dataclass(frozen=True, slots=True)
class Recorded:
    """How a tracked tensor was produced: the op, the ids of its tensor inputs in argument order, and the
    op's own data (a constant operand, an index, the looked-up rows…)."""

    op: Op
    inputs: tuple[int, ...]
    attribute: Any = None


@dataclass(frozen=True, slots=True)
class Constant:
    """A number operand of a broadcasting operator (§9.3: numbers are constants, not graph inputs).
    `side` is 0 when the number is the left operand."""

    side: int
    value: float


@dataclass(slots=True)
class Node:
    id: int
    data: np.ndarray
    shape: tuple[int, ...]
    requires_grad: bool
    grad: np.ndarray | None
    op: Recorded | None


class Graph:
    """The one global table of §6.2, owned by the run's `Context`."""

    __slots__ = ("nodes",)

    def __init__(self) -> None:
        self.nodes: dict[int, Node] = {}

    def insert(self, tensor: Tensor) -> None:
        """Insert if absent: an existing node keeps the data and flag it had when first inserted."""
        if tensor.id not in self.nodes:
            self.nodes[tensor.id] = Node(
                tensor.id, tensor.data, tensor.shape, tensor.requires_grad, tensor.grad, tensor.op
            )

    def get(self, tensor_id: int) -> Node | None:
        return self.nodes.get(tensor_id)

    def clear(self) -> None:
        self.nodes.clear()


def graph_of(ctx: Any) -> Graph:
    """The run's graph, created on first use."""
    if ctx.graph is None:
        ctx.graph = Graph()
    return ctx.graph


def record(
    ctx: Any,
    op: Op,
    inputs: Sequence[Tensor],
    data: np.ndarray,
    shape: tuple[int, ...],
    attribute: Any = None,
    *,
    loss: bool = False,
) -> Tensor:
    """The tracked path of §6.3: insert the inputs if absent, then the output, a fresh tensor whose
    `requires_grad` is the OR of the inputs' flags (losses: true) with a zero gradient (losses: `[1.0]`)."""
    graph = graph_of(ctx)
    for tensor in inputs:
        graph.insert(tensor)
    requires_grad = loss or any(t.requires_grad for t in inputs)
    grad = np.ones(1) if loss else np.zeros(data.shape[0])
    recorded = Recorded(op, tuple(t.id for t in inputs), attribute)
    output = Tensor(data, shape, requires_grad=requires_grad, grad=grad, op=recorded)
    graph.insert(output)
    return output


def new_leaf(ctx: Any, data: np.ndarray, shape: tuple[int, ...]) -> Tensor:
    """A leaf that enters the graph directly (`tensor_with_grad`, optimizer results, §6.3): fresh id,
    requires grad, zero gradient, inserted."""
    leaf = Tensor(data, shape, requires_grad=True, grad=np.zeros(data.shape[0]))
    graph_of(ctx).insert(leaf)
    return leaf


def gradient_of(ctx: Any, tensor: Tensor) -> np.ndarray | None:
    """§6.2: the gradient of `graph[t.id]`; the value's own buffer only when the id is absent."""
    node = graph_of(ctx).get(tensor.id)
    return node.grad if node is not None else tensor.grad


BACKWARD_GPU = (
    "tensor_backward() is not yet supported for GPU tensors. Transfer to CPU first using tensor_to_cpu()."
)
BACKWARD_WITHOUT_GRAD = (
    "Cannot call backward() on tensor that doesn't require grad. "
    "Use tensor_with_grad() to create tensors that track gradients."
)


def backward(ctx: Any, output: Any) -> None:
    """`tensor_backward(t)` exactly as §6.5 writes it: seed with ones (overwriting), walk the nodes in
    reverse post-order and accumulate each rule's contributions into the inputs' buffers."""
    if isinstance(output, GpuTensor):
        raise CharlError(BACKWARD_GPU)
    if not isinstance(output, Tensor):
        raise CharlError(f"tensor_backward() expects a tensor, got {kind_name(output)}")
    if not output.requires_grad:
        raise CharlError(BACKWARD_WITHOUT_GRAD)
    graph = graph_of(ctx)
    root = graph.get(output.id)
    if root is None:
        raise CharlError("Output node not found in graph")
    if not root.requires_grad:
        raise CharlError("Cannot call backward on tensor that doesn't require grad")
    root.grad = np.ones(root.data.shape[0])
    with np.errstate(all="ignore"):  # IEEE results (inf, NaN) without NumPy's warnings on stderr
        _propagate(graph, post_order(graph, root))


def _propagate(graph: Graph, order: list[Node]) -> None:
    """Each grad-requiring node, last produced first, adds its rule's contributions to its inputs."""
    for node in reversed(order):
        if not node.requires_grad or node.op is None:
            continue
        g = node.grad if node.grad is not None else np.zeros(node.data.shape[0])
        inputs = [graph.nodes[i] for i in node.op.inputs]
        contributions = RULES[node.op.op](node, inputs, g)
        for target, contribution in zip(inputs, contributions, strict=True):
            if contribution is None or not target.requires_grad or target.grad is None:
                continue
            target.grad = _accumulate(target, contribution)


def post_order(graph: Graph, root: Node) -> list[Node]:
    """Depth-first post-order over op inputs in argument order, each id once. Iterative, because training
    loops build graphs far deeper than Python's recursion limit."""
    order: list[Node] = []
    visited: set[int] = set()
    stack: list[tuple[int, bool]] = [(root.id, False)]
    while stack:
        node_id, finished = stack.pop()
        if finished:
            order.append(graph.nodes[node_id])
            continue
        if node_id in visited:
            continue
        visited.add(node_id)
        node = graph.get(node_id)
        if node is None:
            raise CharlError(f"Node {node_id} not found")
        stack.append((node_id, True))
        if node.op is not None:
            stack.extend((i, False) for i in reversed(node.op.inputs) if i not in visited)
    return order


@dataclass(frozen=True, slots=True)
class ScatterRows:
    """A contribution added row by row into the first axis of the input (`M[idx[p]] += g[p]`), in order,
    so a row selected twice receives both additions one after the other (Embedding, Index, Slice)."""

    rows: tuple[int, ...]
    values: np.ndarray  # [len(rows), row size]


def _accumulate(target: Node, contribution: np.ndarray | ScatterRows) -> np.ndarray:
    assert target.grad is not None
    if isinstance(contribution, ScatterRows):
        count = target.shape[0] if target.shape else 1
        rows = target.grad.reshape(count, target.grad.shape[0] // count if count else 0).copy()
        for row, values in zip(contribution.rows, contribution.values, strict=True):
            rows[row] = rows[row] + values
        return rows.reshape(-1)
    return target.grad + contribution.reshape(-1)


# ───────────────────────────── gradient rules (§6.6, §9.3, §9.4) ─────────────────────────────
# A rule receives the node, its input nodes (argument order) and the node's gradient `g` (flat), and returns
# one contribution per input (None: nothing). Expressions are written exactly as §6.6 gives them, because
# the order of binary64 operations decides the printed digits.

Contribution = np.ndarray | ScatterRows | None
Rule = Callable[[Node, list[Node], np.ndarray], list[Contribution]]


def _same_shape_rule(left: Callable, right: Callable) -> Rule:
    def rule(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
        a, b = inputs[0].data, inputs[1].data
        return [left(g, a, b), right(g, a, b)]

    return rule


def _division_right(g: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`b -= g * a / (b * b)`; adding the negation is the same IEEE operation as subtracting."""
    with np.errstate(all="ignore"):
        return -(g * a / (b * b))


def _divide(g: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return g / b


_BINARY: dict[Op, tuple[Callable, Callable]] = {
    Op.ADD: (lambda g, a, b: g, lambda g, a, b: g),
    Op.SUB: (lambda g, a, b: g, lambda g, a, b: -g),
    Op.MUL: (lambda g, a, b: g * b, lambda g, a, b: g * a),
    Op.DIV: (_divide, _division_right),
}


def reduce_to_shape(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a contribution computed at the broadcast output shape back to an operand's `shape`: for each
    operand element, the terms in row-major order of the output, sequentially from 0.0 (§9.3)."""
    if values.shape == shape:
        return values
    padded = (1,) * (values.ndim - len(shape)) + shape
    reduced = [axis for axis, size in enumerate(padded) if size == 1 and values.shape[axis] != 1]
    kept = [axis for axis in range(values.ndim) if axis not in reduced]
    moved = values.transpose(kept + reduced)
    reduced_size = int(np.prod([values.shape[a] for a in reduced], dtype=np.int64))
    flat = moved.reshape((*(values.shape[a] for a in kept), reduced_size))
    return kernels.sequential_sum_last_axis(flat).reshape(shape)


def _broadcast_rule(op: Op) -> Rule:
    left, right = _BINARY[op]

    def rule(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
        operands = _operands(node, inputs)
        (a, a_shape), (b, b_shape) = operands
        grad = g.reshape(node.shape)
        a_full, b_full = np.broadcast_to(a, node.shape), np.broadcast_to(b, node.shape)
        pieces = (
            reduce_to_shape(left(grad, a_full, b_full), a_shape),
            reduce_to_shape(right(grad, a_full, b_full), b_shape),
        )
        constant = node.op.attribute if node.op is not None else None
        if isinstance(constant, Constant):
            return [pieces[1 - constant.side]]
        return list(pieces)

    return rule


def _operands(node: Node, inputs: list[Node]) -> list[tuple[np.ndarray, tuple[int, ...]]]:
    """The two operands of a broadcasting op as shaped arrays; a number operand has shape `()`."""
    constant = node.op.attribute if node.op is not None else None
    tensors = [(i.data.reshape(i.shape), i.shape) for i in inputs]
    if isinstance(constant, Constant):
        tensors.insert(constant.side, (np.array(constant.value), ()))
    return tensors


def _negate(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    return [-g]


def _matmul(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    """`dA = g · Bᵀ`, `dB = Aᵀ · g` on the operands promoted as NumPy's matmul does (1-D left → `[1, k]`,
    1-D right → `[k, 1]`), then summed back over broadcast batch dimensions."""
    a_node, b_node = inputs
    a = a_node.data.reshape(a_node.shape)
    b = b_node.data.reshape(b_node.shape)
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(-1, 1) if b.ndim == 1 else b
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    grad = g.reshape((*batch, a2.shape[-2], b2.shape[-1]))
    a_full = np.broadcast_to(a2, (*batch, *a2.shape[-2:]))
    b_full = np.broadcast_to(b2, (*batch, *b2.shape[-2:]))
    da = reduce_to_shape(kernels.matmul(grad, np.swapaxes(b_full, -1, -2)), a2.shape)
    db = reduce_to_shape(kernels.matmul(np.swapaxes(a_full, -1, -2), grad), b2.shape)
    return [da, db]


def _linear(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    """x `[B, I]` (or `[I]` as B = 1), W `[I, O]`: `dx = g·Wᵀ`, `dW = xᵀ·g`, `db` = column sums of g."""
    x_node, w_node, _ = inputs
    inputs_count, outputs = w_node.shape
    batch = x_node.shape[0] if len(x_node.shape) == 2 else 1
    x = x_node.data.reshape(batch, inputs_count)
    w = w_node.data.reshape(inputs_count, outputs)
    grad = g.reshape(batch, outputs)
    return [
        kernels.matmul(grad, w.T),
        kernels.matmul(x.T, grad),
        kernels.sequential_sum_first_axis(grad),
    ]


def _relu(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    return [np.where(inputs[0].data > 0.0, g, 0.0)]


def _sigmoid(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    y = node.data
    return [g * y * (1.0 - y)]


def _embedding(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    rows: tuple[int, ...] = node.op.attribute if node.op is not None else ()
    return [None, ScatterRows(rows, g.reshape(node.shape))]


def _concat(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    """Each input receives its column block of g."""
    grad = g.reshape(node.shape)
    blocks: list[Contribution] = []
    start = 0
    for item in inputs:
        width = item.shape[1]
        blocks.append(np.ascontiguousarray(grad[:, start : start + width]))
        start += width
    return blocks


def _mse(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    p, t = inputs[0].data, inputs[1].data
    with np.errstate(all="ignore"):  # an empty prediction divides by zero (IEEE, as the reference)
        return [np.float64(2.0) / p.shape[0] * (p - t), None]


def clip_probability(p: np.ndarray) -> np.ndarray:
    """`min(max(v, 1e-10), 1.0 - 1e-10)` with Rust's NaN-ignoring max/min (NaN ⇒ 1e-10)."""
    return np.fmin(np.fmax(p, 1e-10), 1.0 - 1e-10)


def _cross_entropy(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    p, t = inputs[0].data, inputs[1].data
    with np.errstate(all="ignore"):
        return [-t / clip_probability(p) / p.shape[0], None]


def _cross_entropy_logits(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    z, t = inputs[0], inputs[1].data
    rows = z.shape[0] if len(z.shape) == 2 else 1
    s = kernels.softmax_last_axis(as_rows(z.data, z.shape)).reshape(-1)
    with np.errstate(all="ignore"):
        return [(s - t) / rows, None]


def as_rows(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Logits as `[B, C]`: a 2-D tensor as it is, anything else as one row."""
    return data.reshape(shape if len(shape) == 2 else (1, data.shape[0]))


def _index(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    row: int = node.op.attribute if node.op is not None else 0
    return [ScatterRows((row,), g.reshape(1, -1))]


def _slice(node: Node, inputs: list[Node], g: np.ndarray) -> list[Contribution]:
    start, stop = node.op.attribute if node.op is not None else (0, 0)
    row_size = int(np.prod(inputs[0].shape[1:], dtype=np.int64))
    return [ScatterRows(tuple(range(start, stop)), g.reshape(stop - start, row_size))]


RULES: dict[Op, Rule] = {
    Op.ADD: _same_shape_rule(*_BINARY[Op.ADD]),
    Op.SUB: _same_shape_rule(*_BINARY[Op.SUB]),
    Op.MUL: _same_shape_rule(*_BINARY[Op.MUL]),
    Op.DIV: _same_shape_rule(*_BINARY[Op.DIV]),
    Op.BADD: _broadcast_rule(Op.ADD),
    Op.BSUB: _broadcast_rule(Op.SUB),
    Op.BMUL: _broadcast_rule(Op.MUL),
    Op.BDIV: _broadcast_rule(Op.DIV),
    Op.NEG: _negate,
    Op.MATMUL: _matmul,
    Op.LINEAR: _linear,
    Op.RELU: _relu,
    Op.SIGMOID: _sigmoid,
    Op.EMBEDDING: _embedding,
    Op.CONCAT: _concat,
    Op.MSE_LOSS: _mse,
    Op.CROSS_ENTROPY_LOSS: _cross_entropy,
    Op.CROSS_ENTROPY_LOGITS_LOSS: _cross_entropy_logits,
    Op.INDEX: _index,
    Op.SLICE: _slice,
}
"""One row per recorded op (`ir.ops.RECORDED`)."""
