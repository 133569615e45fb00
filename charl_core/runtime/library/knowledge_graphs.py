"""LANGUAGE.md §8.19: knowledge graphs (typed entities and triples, plus a plain node/edge graph in the same
value) and graph neural networks over them.

Entity ids are insertion indices. `kg_query` matches subject, predicate and object, where the integer `-1`
matches anything. `kg_get_related` gives the object entities of the entity's triples with that predicate;
`kg_find_paths` every simple path of at most `max_depth` triples (depth-first, in triple order), each an
array of entity ids. The node/edge graph is directed: `kg_neighbors` are the targets of a node's edges and
`kg_shortest_path` searches breadth-first along edges; `kg_degree` counts the edges at a node either way.
`kg_get_stats` returns the `graph_stats` object §5.1 lists (its text is §5.4's `GraphStats(…)`).

`gnn_create` makes a graph attention network (GAT: per-head attention over each entity's neighbours in
either direction plus itself, heads averaged, ELU); `gnn_gcn_layer` a graph convolution (Kipf & Welling:
`D^-½ (A + I) D^-½ X W`). Weights follow §7.3, so results are deterministic.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import matmul, sequential_sum_first_axis, sequential_sum_last_axis
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import float_array, to_float
from charl_core.runtime.library.specialised import (
    ObjectValue,
    checked,
    count,
    fixed2,
    pseudo_random,
    softmax_rows,
    xavier,
)
from charl_core.runtime.values import kind_name, values_equal

ENTITY_TYPES = {
    "class": "class",
    "function": "function",
    "func": "function",
    "method": "method",
    "variable": "variable",
    "var": "variable",
    "module": "module",
    "mod": "module",
    "package": "package",
    "pkg": "package",
    "interface": "interface",
    "trait": "trait",
    "struct": "struct",
    "enum": "enum",
    "type": "type",
    "concept": "concept",
}


class Entity(ObjectValue):
    KIND = "kg_entity"
    id: int
    type: str  # the canonical lower-case name
    name: str

    def text(self) -> str:
        return f"Entity(id={self.id}, type={self.type.capitalize()}, name={self.name})"


class Triple(ObjectValue):
    KIND = "kg_triple"
    subject: int
    predicate: str
    object: int
    confidence: float | None = None

    def text(self) -> str:
        conf = "" if self.confidence is None else f", conf={fixed2(self.confidence)}"
        return f"Triple({self.subject}, {self.predicate}, {self.object}{conf})"


class GraphStats(ObjectValue):
    KIND = "graph_stats"
    entities: int
    triples: int
    relations: int

    def text(self) -> str:
        return f"GraphStats(entities={self.entities}, triples={self.triples}, relations={self.relations})"


class KnowledgeGraph(ObjectValue):
    KIND = "knowledge_graph"
    entities: tuple[Entity, ...] = ()
    triples: tuple[Triple, ...] = ()
    nodes: tuple[tuple[Any, Any, Any], ...] = ()  # (id, label, properties)
    edges: tuple[tuple[Any, Any, Any], ...] = ()  # (from, to, relation)

    def text(self) -> str:
        return f"KnowledgeGraph(entities={len(self.entities)}, triples={len(self.triples)})"

    def entity_neighbours(self) -> list[list[int]]:
        """For each entity: itself, then every entity a triple links it to in either direction."""
        size = len(self.entities)
        neighbours = [[i] for i in range(size)]
        for triple in self.triples:
            s, o = triple.subject, triple.object
            if 0 <= s < size and 0 <= o < size and s != o:
                neighbours[s].append(o)
                neighbours[o].append(s)
        return neighbours

    def successors(self, node: Any) -> list[Any]:
        result: list[Any] = []
        for source, target, _ in self.edges:
            if values_equal(source, node) and not any(values_equal(target, seen) for seen in result):
                result.append(target)
        return result


def _entity_type(value: str) -> str | None:
    return ENTITY_TYPES.get(value.lower())


@implements("kg_create")
def kg_create(ctx, args):
    return KnowledgeGraph()


@implements("kg_add_entity")
def kg_add_entity(ctx, args):
    graph, entity_type, name = checked("kg_add_entity", args)[:3]
    canonical = _entity_type(entity_type)
    if canonical is None:
        raise CharlError(
            f"kg_add_entity: unknown entity type '{entity_type}'. Supported types: class, function, method, "
            "variable, module, package, interface, trait, struct, enum, type, concept"
        )
    return graph.with_(entities=(*graph.entities, Entity(len(graph.entities), canonical, name)))


def _add_triple(graph: KnowledgeGraph, args: list, confidence: float | None) -> KnowledgeGraph:
    triple = Triple(count(args[1]), args[2], count(args[3]), confidence)
    return graph.with_(triples=(*graph.triples, triple))


@implements("kg_add_triple")
def kg_add_triple(ctx, args):
    return _add_triple(checked("kg_add_triple", args)[0], args, None)


@implements("kg_add_triple_conf")
def kg_add_triple_conf(ctx, args):
    graph = checked("kg_add_triple_conf", args)[0]
    return _add_triple(graph, args, to_float(args[4]))


def _wildcard(value: Any) -> bool:
    return type(value) is int and value == -1


@implements("kg_query")
def kg_query(ctx, args):
    graph, subject, predicate, obj = checked("kg_query", args)[:4]
    return [
        t
        for t in graph.triples
        if (_wildcard(subject) or values_equal(t.subject, subject))
        and (_wildcard(predicate) or values_equal(t.predicate, predicate))
        and (_wildcard(obj) or values_equal(t.object, obj))
    ]


@implements("kg_get_entity")
def kg_get_entity(ctx, args):
    graph, entity_id = checked("kg_get_entity", args)[:2]
    index = count(entity_id)
    return graph.entities[index] if 0 <= index < len(graph.entities) else None


@implements("kg_find_by_name")
def kg_find_by_name(ctx, args):
    graph, name = checked("kg_find_by_name", args)[:2]
    return [e for e in graph.entities if e.name == name]


@implements("kg_find_by_type")
def kg_find_by_type(ctx, args):
    graph, entity_type = checked("kg_find_by_type", args)[:2]
    canonical = _entity_type(entity_type)
    return [e for e in graph.entities if e.type == canonical]


@implements("kg_get_related")
def kg_get_related(ctx, args):
    graph, entity_id, predicate = checked("kg_get_related", args)[:3]
    source = count(entity_id)
    size = len(graph.entities)
    return [
        graph.entities[t.object]
        for t in graph.triples
        if t.subject == source and values_equal(t.predicate, predicate) and 0 <= t.object < size
    ]


@implements("kg_find_paths")
def kg_find_paths(ctx, args):
    graph, start, goal, depth = checked("kg_find_paths", args)[:4]
    start, goal, depth = count(start), count(goal), count(depth)
    paths: list[list[int]] = []

    def walk(path: list[int]) -> None:
        if path[-1] == goal:
            paths.append(list(path))
            return
        if len(path) > depth:
            return
        for triple in graph.triples:
            if triple.subject == path[-1] and triple.object not in path:
                walk([*path, triple.object])

    walk([start])
    return paths


@implements("kg_get_stats")
def kg_get_stats(ctx, args):
    graph = checked("kg_get_stats", args)[0]
    relations = {t.predicate for t in graph.triples}
    return GraphStats(len(graph.entities), len(graph.triples), len(relations))


@implements("entity_get_id")
def entity_get_id(ctx, args):
    return checked("entity_get_id", args)[0].id


@implements("entity_get_type")
def entity_get_type(ctx, args):
    return checked("entity_get_type", args)[0].type


@implements("entity_get_name")
def entity_get_name(ctx, args):
    return checked("entity_get_name", args)[0].name


@implements("triple_get_subject")
def triple_get_subject(ctx, args):
    return checked("triple_get_subject", args)[0].subject


@implements("triple_get_predicate")
def triple_get_predicate(ctx, args):
    return checked("triple_get_predicate", args)[0].predicate


@implements("triple_get_object")
def triple_get_object(ctx, args):
    return checked("triple_get_object", args)[0].object


# ───────────────────────────── node/edge graph ─────────────────────────────


@implements("kg_add_node")
def kg_add_node(ctx, args):
    """A node id added again replaces the earlier node (ids are keys)."""
    graph, node_id, node_label, properties = checked("kg_add_node", args)[:4]
    kept = tuple(node for node in graph.nodes if not values_equal(node[0], node_id))
    return graph.with_(nodes=(*kept, (node_id, node_label, properties)))


@implements("kg_add_edge")
def kg_add_edge(ctx, args):
    graph, source, target, relation = checked("kg_add_edge", args)[:4]
    return graph.with_(edges=(*graph.edges, (source, target, relation)))


@implements("kg_neighbors")
def kg_neighbors(ctx, args):
    graph, node = checked("kg_neighbors", args)[:2]
    return graph.successors(node)


@implements("kg_node_count")
def kg_node_count(ctx, args):
    return len(checked("kg_node_count", args)[0].nodes)


@implements("kg_edge_count")
def kg_edge_count(ctx, args):
    return len(checked("kg_edge_count", args)[0].edges)


@implements("kg_degree")
def kg_degree(ctx, args):
    graph, node = checked("kg_degree", args)[:2]
    return sum(values_equal(s, node) + values_equal(t, node) for s, t, _ in graph.edges)


@implements("kg_shortest_path")
def kg_shortest_path(ctx, args):
    """Breadth-first along edges in insertion order, so among equal-length paths the first found wins;
    `[]` when `to` is unreachable, `[from]` when they are the same node."""
    graph, source, target = checked("kg_shortest_path", args)[:3]
    parents: list[tuple[Any, int]] = [(source, -1)]
    queue = deque([0])
    while queue:
        index = queue.popleft()
        node = parents[index][0]
        if values_equal(node, target):
            path = []
            while index >= 0:
                path.append(parents[index][0])
                index = parents[index][1]
            return path[::-1]
        for successor in graph.successors(node):
            if not any(values_equal(successor, seen) for seen, _ in parents):
                parents.append((successor, index))
                queue.append(len(parents) - 1)
    return []


# ───────────────────────────── graph neural networks ─────────────────────────────


class GraphNeuralNetwork(ObjectValue):
    KIND = "graph_neural_network"
    in_features: int
    dim: int
    heads: int
    weights: np.ndarray  # [in, dim]
    attention: np.ndarray | None  # [heads, 2, dim] for attention (GAT); None for a convolution (GCN)

    def text(self) -> str:
        return f"GNN(embedding_dim={self.dim})"


class NodeEmbeddings(ObjectValue):
    KIND = "node_embeddings"
    values: np.ndarray  # [nodes, dim]

    def text(self) -> str:
        return f"NodeEmbeddings(nodes={self.values.shape[0]})"


def _positive(name: str, value: Any, what: str) -> int:
    size = count(value)
    if size < 1:
        raise CharlError(f"{name}: {what} must be positive, got {size}")
    return size


@implements("gnn_create")
def gnn_create(ctx, args):
    dim, heads = checked("gnn_create", args)[:2]
    dim, heads = _positive("gnn_create", dim, "embedding_dim"), _positive("gnn_create", heads, "num_heads")
    attention = pseudo_random(heads * 2 * dim, dim * dim).reshape(heads, 2, dim) / math.sqrt(dim)
    return GraphNeuralNetwork(dim, dim, heads, xavier(dim, dim, 0), attention)


@implements("gnn_gcn_layer")
def gnn_gcn_layer(ctx, args):
    fan_in, fan_out = checked("gnn_gcn_layer", args)[:2]
    fan_in = _positive("gnn_gcn_layer", fan_in, "in_features")
    fan_out = _positive("gnn_gcn_layer", fan_out, "out_features")
    return GraphNeuralNetwork(fan_in, fan_out, 1, xavier(fan_in, fan_out, 0), None)


@implements("gnn_init_embeddings")
def gnn_init_embeddings(ctx, args):
    gnn, graph = checked("gnn_init_embeddings", args)[:2]
    size = len(graph.entities)
    values = pseudo_random(size * gnn.in_features).reshape(size, gnn.in_features) / math.sqrt(gnn.in_features)
    return NodeEmbeddings(values)


def attention_layer(gnn: GraphNeuralNetwork, neighbours: list[list[int]], x: np.ndarray) -> np.ndarray:
    """GAT: `α_ij = softmax_j(LeakyReLU(a_s·h_i + a_d·h_j))`, `h'_i = ELU(mean_heads Σ_j α_ij h_j)`."""
    h = matmul(x, gnn.weights)
    out = np.zeros_like(h)
    for head in range(gnn.heads):
        source = matmul(h, gnn.attention[head, 0][:, None])[:, 0]
        target = matmul(h, gnn.attention[head, 1][:, None])[:, 0]
        for i, around in enumerate(neighbours):
            scores = source[i] + target[around]
            alpha = softmax_rows(np.where(scores > 0, scores, 0.2 * scores))
            out[i] = out[i] + sequential_sum_first_axis(alpha[:, None] * h[around])
    mixed = out / gnn.heads
    return np.where(mixed > 0, mixed, np.expm1(np.minimum(mixed, 0.0)))


def convolution_layer(gnn: GraphNeuralNetwork, neighbours: list[list[int]], x: np.ndarray) -> np.ndarray:
    """GCN: `D^-½ (A + I) D^-½ X W` (each `neighbours[i]` starts with `i`, the self loop)."""
    size = len(neighbours)
    adjacency = np.zeros((size, size))
    for i, around in enumerate(neighbours):
        adjacency[i, around] = 1.0
    adjacency = np.maximum(adjacency, adjacency.T)
    scale = 1.0 / np.sqrt(sequential_sum_last_axis(adjacency))
    return matmul(adjacency * scale[:, None] * scale[None, :], matmul(x, gnn.weights))


def _forward(gnn: GraphNeuralNetwork, neighbours: list[list[int]], x: np.ndarray) -> np.ndarray:
    layer = convolution_layer if gnn.attention is None else attention_layer
    return layer(gnn, neighbours, x)


def _embeddings(name: str, gnn: GraphNeuralNetwork, graph: KnowledgeGraph, embeddings) -> np.ndarray:
    values = embeddings.values
    if values.shape != (len(graph.entities), gnn.in_features):
        raise CharlError(
            f"{name}: expected embeddings for {len(graph.entities)} entities of {gnn.in_features} "
            f"features, got {values.shape[0]} of {values.shape[1]}"
        )
    return values


@implements("gnn_forward")
def gnn_forward(ctx, args):
    gnn, graph, embeddings = checked("gnn_forward", args)[:3]
    x = _embeddings("gnn_forward", gnn, graph, embeddings)
    return NodeEmbeddings(_forward(gnn, graph.entity_neighbours(), x))


@implements("gnn_forward_multilayer")
def gnn_forward_multilayer(ctx, args):
    gnn, graph, embeddings, layers = checked("gnn_forward_multilayer", args)[:4]
    x = _embeddings("gnn_forward_multilayer", gnn, graph, embeddings)
    if gnn.in_features != gnn.dim and count(layers) > 1:
        raise CharlError("gnn_forward_multilayer: a layer that changes the width cannot be repeated")
    neighbours = graph.entity_neighbours()
    for _ in range(count(layers)):
        x = _forward(gnn, neighbours, x)
    return NodeEmbeddings(x)


@implements("gnn_aggregate")
def gnn_aggregate(ctx, args):
    """Element-wise over the message vectors (numbers count as 1-vectors); `[]` when there is none."""
    messages, method = checked("gnn_aggregate", args)[:2]
    if type(messages) is not list:
        raise CharlError(f"gnn_aggregate() expects an array of messages, got {kind_name(messages)}")
    if method not in ("sum", "mean", "max"):
        raise CharlError(f"gnn_aggregate: unknown method '{method}'. Use 'sum', 'mean', or 'max'")
    if not messages:
        return []
    rows = [float_array(m) if type(m) is list else float_array([m]) for m in messages]
    if len({row.size for row in rows}) != 1:
        raise CharlError("gnn_aggregate: messages have different lengths")
    stacked = np.stack(rows)
    if method == "max":
        combined = stacked.max(axis=0)
    else:
        combined = sequential_sum_first_axis(stacked)
        if method == "mean":
            combined = combined / len(rows)
    return [float(v) for v in combined]


def _node_graph(graph: KnowledgeGraph) -> list[list[int]]:
    """The node/edge graph as neighbour lists over node positions (self first; edges either way)."""
    positions = [node[0] for node in graph.nodes]

    def position(node_id: Any) -> int | None:
        return next((i for i, known in enumerate(positions) if values_equal(known, node_id)), None)

    neighbours = [[i] for i in range(len(positions))]
    for source, target, _ in graph.edges:
        s, t = position(source), position(target)
        if s is not None and t is not None and s != t:
            neighbours[s].append(t)
            neighbours[t].append(s)
    return neighbours


@implements("gnn_node_classification")
def gnn_node_classification(ctx, args):
    """One pass of the network over the graph's nodes (its entities when it has no nodes); each node's
    predicted class is the index of its largest output. `labels` must name one class per node."""
    gnn, graph, embeddings, labels = args[:4]
    for value, kind in ((gnn, "graph_neural_network"), (graph, "knowledge_graph")):
        if kind_name(value) != kind:
            raise CharlError(f"gnn_node_classification() expects {kind}, got {kind_name(value)}")
    neighbours = _node_graph(graph) if graph.nodes else graph.entity_neighbours()
    if isinstance(embeddings, NodeEmbeddings):
        x = embeddings.values
    elif type(embeddings) is list and embeddings:
        x = np.stack([float_array(row) for row in embeddings])
    else:
        raise CharlError(f"gnn_node_classification() expects node embeddings, got {kind_name(embeddings)}")
    if x.shape != (len(neighbours), gnn.in_features) or type(labels) is not list or len(labels) != len(x):
        raise CharlError(
            f"gnn_node_classification: expected {len(neighbours)} nodes of {gnn.in_features} features "
            "and one label per node"
        )
    scores = _forward(gnn, neighbours, x)
    return [int(np.argmax(row)) for row in scores]
