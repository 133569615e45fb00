"""LANGUAGE.md §8.19: knowledge-graph entities, triples and queries, the node/edge graph (BFS), and the graph
neural networks against NumPy references of GAT and GCN."""

from __future__ import annotations

import io

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.values import to_text

load()
TOLERANCE = {"rtol": 1e-10, "atol": 1e-12}


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def message(name: str, *args) -> str:
    with pytest.raises(CharlError) as error:
        call(name, *args)
    return error.value.message


def graph(*entities: tuple[str, str], triples=()):
    kg = call("kg_create", "ignored", 1)
    for kind, name in entities:
        kg = call("kg_add_entity", kg, kind, name)
    for triple in triples:
        kg = call("kg_add_triple", kg, *triple)
    return kg


# ───────────────────────────── entities and triples ─────────────────────────────


def test_entities_ids_types_and_value_semantics():
    empty = call("kg_create")
    kg = call("kg_add_entity", empty, "Function", "f")
    kg = call("kg_add_entity", kg, "PKG", "numpy")
    kg = call("kg_add_entity", kg, "var", "x")
    assert to_text(empty) == "KnowledgeGraph(entities=0, triples=0)"
    assert to_text(kg) == "KnowledgeGraph(entities=3, triples=0)"
    assert [to_text(call("kg_get_entity", kg, i)) for i in range(3)] == [
        "Entity(id=0, type=Function, name=f)",
        "Entity(id=1, type=Package, name=numpy)",
        "Entity(id=2, type=Variable, name=x)",
    ]
    entity = call("kg_get_entity", kg, 1)
    assert (
        call("entity_get_id", entity),
        call("entity_get_type", entity),
        call("entity_get_name", entity),
    ) == (
        1,
        "package",
        "numpy",
    )
    assert call("kg_get_entity", kg, 3) is None and call("kg_get_entity", kg, -1) is None


def test_unknown_entity_type():
    assert message("kg_add_entity", call("kg_create"), "widget", "w") == (
        "kg_add_entity: unknown entity type 'widget'. Supported types: class, function, method, variable, "
        "module, package, interface, trait, struct, enum, type, concept"
    )


def test_triples_confidence_text_rounds_half_even():
    kg = graph(("class", "A"), ("class", "B"))
    kg = call("kg_add_triple_conf", kg, 0, "uses", 1, 0.125)
    kg = call("kg_add_triple_conf", kg, 1, "uses", 0, 0.375)
    kg = call("kg_add_triple", kg, 0, "owns", 1)
    assert [to_text(t) for t in call("kg_query", kg, -1, -1, -1)] == [
        "Triple(0, uses, 1, conf=0.12)",
        "Triple(1, uses, 0, conf=0.38)",
        "Triple(0, owns, 1)",
    ]
    triple = call("kg_query", kg, -1, "owns", -1)[0]
    assert [call(f"triple_get_{p}", triple) for p in ("subject", "predicate", "object")] == [0, "owns", 1]


def test_query_wildcards_and_filters():
    kg = graph(
        ("class", "A"),
        ("class", "B"),
        ("class", "C"),
        triples=[(0, "uses", 1), (0, "owns", 2), (1, "uses", 2)],
    )
    written = [to_text(t) for t in call("kg_query", kg, 0, -1, -1)]
    assert written == ["Triple(0, uses, 1)", "Triple(0, owns, 2)"]
    assert [to_text(t) for t in call("kg_query", kg, -1, "uses", 2)] == ["Triple(1, uses, 2)"]
    assert call("kg_query", kg, 2, -1, -1) == []
    assert [e.name for e in call("kg_get_related", kg, 0, "uses")] == ["B"]
    assert [e.name for e in call("kg_find_by_type", kg, "CLASS")] == ["A", "B", "C"]
    assert call("kg_find_by_type", kg, "widget") == []
    assert [e.id for e in call("kg_find_by_name", graph(("func", "f"), ("method", "f")), "f")] == [0, 1]
    assert to_text(call("kg_get_stats", kg)) == "GraphStats(entities=3, triples=3, relations=2)"


def test_find_paths_depth_limit_and_cycles():
    kg = graph(
        *[("concept", c) for c in "ABCD"],
        triples=[(0, "r", 1), (1, "r", 3), (0, "r", 2), (2, "r", 3), (0, "r", 3), (3, "r", 0)],
    )
    assert call("kg_find_paths", kg, 0, 3, 1) == [[0, 3]]
    assert call("kg_find_paths", kg, 0, 3, 2) == [[0, 1, 3], [0, 2, 3], [0, 3]]
    assert call("kg_find_paths", kg, 3, 2, 5) == [[3, 0, 2]]
    assert call("kg_find_paths", kg, 1, 2, 1) == []


# ───────────────────────────── node/edge graph ─────────────────────────────


def nodes_and_edges(count: int, edges):
    kg = call("kg_create")
    for n in range(count):
        kg = call("kg_add_node", kg, n, f"n{n}", [])
    for source, target in edges:
        kg = call("kg_add_edge", kg, source, target, "link")
    return kg


def test_nodes_edges_neighbours_and_degree():
    kg = nodes_and_edges(4, [(0, 1), (0, 2), (2, 0), (0, 1)])
    assert (call("kg_node_count", kg), call("kg_edge_count", kg)) == (4, 4)
    assert call("kg_neighbors", kg, 0) == [1, 2]
    assert call("kg_neighbors", kg, 3) == []
    assert call("kg_degree", kg, 0) == 4 and call("kg_degree", kg, 1) == 2
    assert call("kg_node_count", call("kg_add_node", kg, 2, "again", [])) == 4  # the id is a key
    assert to_text(kg) == "KnowledgeGraph(entities=0, triples=0)"


def test_shortest_path_is_breadth_first():
    kg = nodes_and_edges(6, [(0, 1), (1, 2), (2, 3), (3, 5), (0, 4), (4, 5)])
    assert call("kg_shortest_path", kg, 0, 5) == [0, 4, 5]
    assert call("kg_shortest_path", kg, 1, 5) == [1, 2, 3, 5]
    assert call("kg_shortest_path", kg, 5, 0) == []  # edges are directed
    assert call("kg_shortest_path", kg, 2, 2) == [2]
    labelled = call("kg_add_edge", call("kg_create"), "a", "b", "r")
    assert call("kg_shortest_path", labelled, "a", "b") == ["a", "b"]


# ───────────────────────────── GNN ─────────────────────────────


def _leaky(x):
    return np.where(x > 0, x, 0.2 * x)


def _gat_reference(gnn, neighbours, x):
    h = x @ gnn.weights
    out = np.zeros_like(h)
    for head in range(gnn.heads):
        a_s, a_d = gnn.attention[head]
        for i, around in enumerate(neighbours):
            e = _leaky(h[i] @ a_s + h[around] @ a_d)
            alpha = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
            out[i] += alpha @ h[around]
    out /= gnn.heads
    return np.where(out > 0, out, np.exp(np.minimum(out, 0)) - 1)


def test_gnn_attention_layer_against_numpy():
    kg = graph(*[("class", c) for c in "ABCD"], triples=[(0, "r", 1), (1, "r", 2), (3, "r", 3)])
    gnn = call("gnn_create", 6, 3)
    start = call("gnn_init_embeddings", gnn, kg)
    assert to_text(gnn) == "GNN(embedding_dim=6)" and to_text(start) == "NodeEmbeddings(nodes=4)"
    assert start.values.shape == (4, 6)
    assert np.array_equal(start.values, call("gnn_init_embeddings", gnn, kg).values)
    neighbours = [[0, 1], [1, 0, 2], [2, 1], [3]]
    once = call("gnn_forward", gnn, kg, start)
    np.testing.assert_allclose(once.values, _gat_reference(gnn, neighbours, start.values), **TOLERANCE)
    twice = call("gnn_forward_multilayer", gnn, kg, start, 2)
    expected = _gat_reference(gnn, neighbours, _gat_reference(gnn, neighbours, start.values))
    np.testing.assert_allclose(twice.values, expected, **TOLERANCE)
    assert to_text(twice) == "NodeEmbeddings(nodes=4)"


def test_gnn_embedding_shape_errors():
    gnn = call("gnn_create", 4, 1)
    small = graph(("class", "A"))
    embeddings = call("gnn_init_embeddings", gnn, graph(("class", "A"), ("class", "B")))
    assert message("gnn_forward", gnn, small, embeddings) == (
        "gnn_forward: expected embeddings for 1 entities of 4 features, got 2 of 4"
    )
    assert message("gnn_create", 0, 1) == "gnn_create: embedding_dim must be positive, got 0"


def test_gcn_node_classification_against_numpy():
    kg = nodes_and_edges(3, [(0, 1), (1, 2)])
    gcn = call("gnn_gcn_layer", 2, 3)
    assert to_text(gcn) == "GNN(embedding_dim=3)"
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -2.0]])
    adjacency = np.eye(3) + np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    scale = 1 / np.sqrt(adjacency.sum(axis=1))
    scores = (adjacency * scale[:, None] * scale[None, :]) @ x @ gcn.weights
    predicted = call("gnn_node_classification", gcn, kg, x.tolist(), [0, 1, 2])
    assert predicted == [int(np.argmax(row)) for row in scores]
    assert message("gnn_node_classification", gcn, kg, x.tolist(), [0]) == (
        "gnn_node_classification: expected 3 nodes of 2 features and one label per node"
    )
    assert message("gnn_node_classification", 1, kg, x.tolist(), [0]) == (
        "gnn_node_classification() expects graph_neural_network, got integer"
    )


@pytest.mark.parametrize(("method", "reduce"), [("sum", np.sum), ("mean", np.mean), ("max", np.max)])
def test_gnn_aggregate(method, reduce):
    messages = [[1.0, -2.0, 3.5], [4.0, 0.5, -1.0], [0.25, 2.0, 2.0]]
    assert call("gnn_aggregate", messages, method) == pytest.approx(
        list(reduce(np.array(messages), axis=0)), rel=1e-12
    )


def test_gnn_aggregate_documented_value_and_errors():
    assert call("gnn_aggregate", [[1.0, 2.0], [3.0, 4.0]], "sum") == [4.0, 6.0]
    assert call("gnn_aggregate", [], "mean") == []
    assert call("gnn_aggregate", [1, 2.5], "max") == [2.5]
    assert message("gnn_aggregate", [[1.0]], "median") == (
        "gnn_aggregate: unknown method 'median'. Use 'sum', 'mean', or 'max'"
    )
    assert (
        message("gnn_aggregate", [[1.0], [1.0, 2.0]], "sum")
        == "gnn_aggregate: messages have different lengths"
    )
