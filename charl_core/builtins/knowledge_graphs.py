"""LANGUAGE.md §8.19 Knowledge graphs and GNN: entity/triple graphs, their getters, and graph neural networks.

A `knowledge_graph` is a container value (§8.14): every adder returns the updated graph and the program
reassigns it (`kg = kg_add_entity(kg, "Function", "f")`). The rows marked R in §8.19 use the R arity message
and ignore extra arguments; `kg_create` ignores all its arguments; the node/edge rows and the last three GNN
rows use the ordinary `expects` message. No builtin here takes or returns a tensor, so the rules only give
result kinds. Where §8.19 says just "array" the element type is left unknown: a guessed element kind could
make the checker report an error in a program that runs.
"""

from __future__ import annotations

from charl_core.builtins.rules import returns
from charl_core.builtins.spec import ArityStyle, Builtin, Kind, Param
from charl_core.types import INT, NULL, STRING, ArrayType, ObjectType, union

KNOWLEDGE_GRAPH = ObjectType("knowledge_graph")
KG_ENTITY = ObjectType("kg_entity")
KG_TRIPLE = ObjectType("kg_triple")
GRAPH_NEURAL_NETWORK = ObjectType("graph_neural_network")
NODE_EMBEDDINGS = ObjectType("node_embeddings")
ARRAY = ArrayType()

# §8.19 says kg_get_stats returns an array, but §5.1/§5.4 list a `graph_stats` object
# (`GraphStats(entities=…, triples=…, relations=…)`) that only this builtin can make: accept either.
STATS = union(ARRAY, ObjectType("graph_stats"))

GRAPH = Param("graph", Kind.OBJECT, object_kind="knowledge_graph")
KG = Param("kg", Kind.OBJECT, object_kind="knowledge_graph")
GNN = Param("gnn", Kind.OBJECT, object_kind="graph_neural_network")
ENTITY = Param("entity", Kind.OBJECT, object_kind="kg_entity")
TRIPLE = Param("triple", Kind.OBJECT, object_kind="kg_triple")
EMBEDDINGS = Param("embeddings", Kind.OBJECT, object_kind="node_embeddings")

ENTITY_TYPE_ERROR = (
    "kg_add_entity: unknown entity type '‹x›'. Supported types: class, function, method, variable, module, "
    "package, interface, trait, struct, enum, type, concept"
)

# A graph with two entities and a triple between them, shared by the examples of the getters.
_TWO = 'let kg = kg_add_entity(kg_add_entity(kg_create(), "class", "A"), "class", "B")\n'
_LINKED = _TWO + 'kg = kg_add_triple(kg, 0, "uses", 1)\n'
_NODES = 'let kg = kg_add_edge(kg_add_node(kg_add_node(kg_create(), 0, "a", []), 1, "b", []), 0, 1, "link")\n'

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="kg_create",
        section="8.19",
        usage="kg_create()",
        params=(),
        result=returns(KNOWLEDGE_GRAPH),
        summary="An empty knowledge graph",
        doc="Creates a `knowledge_graph` with no entities and no triples; it prints "
        "`KnowledgeGraph(entities=0, triples=0)`. Arguments are evaluated and ignored, so any count is "
        "accepted. The graph is a value: the adders return an updated graph that the program reassigns.",
        example="let kg = kg_create()\nprint(kg)",
        min_args=0,
        max_args=None,
    ),
    Builtin(
        name="kg_add_entity",
        section="8.19",
        usage="kg_add_entity(graph, entity_type, name)",
        params=(GRAPH, Param("entity_type", Kind.STRING), Param("name", Kind.STRING)),
        result=returns(KNOWLEDGE_GRAPH),
        summary="The graph with one more entity of the given type and name",
        doc="Returns the **updated graph** (not the entity): entities get the ids 0, 1, 2, … in insertion "
        "order. `entity_type` is case-insensitive: `class`, `function`/`func`, `method`, `variable`/`var`, "
        "`module`/`mod`, `package`/`pkg`, `interface`, `trait`, `struct`, `enum`, `type` or `concept`; any "
        "other type is a run-time error. Extra arguments are ignored.",
        example='let kg = kg_create()\nkg = kg_add_entity(kg, "Function", "f")\nprint(kg)',
        arity_style=ArityStyle.REQUIRES,
        errors=(ENTITY_TYPE_ERROR,),
    ),
    Builtin(
        name="kg_add_triple",
        section="8.19",
        usage="kg_add_triple(graph, subject, predicate, object)",
        params=(
            GRAPH,
            Param("subject", Kind.NUMBER),
            Param("predicate", Kind.STRING),
            Param("object", Kind.NUMBER),
        ),
        result=returns(KNOWLEDGE_GRAPH),
        summary="The graph with one more (subject, predicate, object) triple",
        doc="Returns the updated graph with the relation `predicate` from entity id `subject` to entity id "
        "`object`. The triple prints as `Triple(‹s›, ‹p›, ‹o›)`. Extra arguments are ignored.",
        example=_TWO + 'kg = kg_add_triple(kg, 0, "uses", 1)\nprint(kg)',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_add_triple_conf",
        section="8.19",
        usage="kg_add_triple_conf(graph, subject, predicate, object, confidence)",
        params=(
            GRAPH,
            Param("subject", Kind.NUMBER),
            Param("predicate", Kind.STRING),
            Param("object", Kind.NUMBER),
            Param("confidence", Kind.NUMBER),
        ),
        result=returns(KNOWLEDGE_GRAPH),
        summary="The graph with one more triple carrying a confidence",
        doc="Like `kg_add_triple`, with a confidence attached to the triple; such a triple prints as "
        "`Triple(‹s›, ‹p›, ‹o›, conf=0.90)` (two decimals). Extra arguments are ignored.",
        example=_TWO + 'kg = kg_add_triple_conf(kg, 0, "uses", 1, 0.9)\nprint(kg)',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_query",
        section="8.19",
        usage="kg_query(graph, subject, predicate, object)",
        params=(GRAPH, Param("subject"), Param("predicate"), Param("object")),
        result=returns(ArrayType(KG_TRIPLE)),
        summary="The triples matching a pattern, with -1 as a wildcard",
        doc="Returns an array of the `kg_triple`s whose subject, predicate and object match the arguments; "
        "`-1` in a position matches anything. Read the parts with `triple_get_subject`, "
        "`triple_get_predicate` and `triple_get_object`. Extra arguments are ignored.",
        example=_LINKED + "print(kg_query(kg, 0, -1, -1))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_get_entity",
        section="8.19",
        usage="kg_get_entity(graph, entity_id)",
        params=(GRAPH, Param("entity_id", Kind.NUMBER)),
        result=returns(union(KG_ENTITY, NULL)),
        summary="The entity with the given id, or null",
        doc="Returns the `kg_entity` with id `entity_id` (it prints `Entity(id=‹›, type=‹›, name=‹›)`), or "
        "`null` when there is none. Extra arguments are ignored.",
        example=_TWO + "print(kg_get_entity(kg, 1))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_find_by_name",
        section="8.19",
        usage="kg_find_by_name(graph, name)",
        params=(GRAPH, Param("name", Kind.STRING)),
        result=returns(ARRAY),
        summary="An array of the entities with the given name",
        doc="Looks up the entities called `name` and returns the matches as an array (empty when there "
        "is none). Extra arguments are ignored.",
        example=_TWO + 'print(kg_find_by_name(kg, "B"))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_find_by_type",
        section="8.19",
        usage="kg_find_by_type(graph, entity_type)",
        params=(GRAPH, Param("entity_type", Kind.STRING)),
        result=returns(ARRAY),
        summary="An array of the entities of the given type",
        doc="Looks up the entities of type `entity_type` (the names `kg_add_entity` accepts) and returns "
        "the matches as an array. Extra arguments are ignored.",
        example=_TWO + 'print(kg_find_by_type(kg, "class"))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_get_related",
        section="8.19",
        usage="kg_get_related(graph, entity_id, predicate)",
        params=(GRAPH, Param("entity_id", Kind.NUMBER), Param("predicate")),
        result=returns(ARRAY),
        summary="An array of what an entity is related to through a predicate",
        doc="Returns what entity `entity_id` is related to through the relation `predicate`, as an array. "
        "Extra arguments are ignored.",
        example=_LINKED + 'print(kg_get_related(kg, 0, "uses"))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_find_paths",
        section="8.19",
        usage="kg_find_paths(graph, from_id, to_id, max_depth)",
        params=(
            GRAPH,
            Param("from_id", Kind.NUMBER),
            Param("to_id", Kind.NUMBER),
            Param("max_depth", Kind.NUMBER),
        ),
        result=returns(ARRAY),
        summary="An array of the paths between two entities, up to a maximum depth",
        doc="Searches the triples for paths from entity `from_id` to entity `to_id` of at most `max_depth` "
        "steps and returns them as an array. Extra arguments are ignored.",
        example=_LINKED + "print(kg_find_paths(kg, 0, 1, 3))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_get_stats",
        section="8.19",
        usage="kg_get_stats(graph)",
        params=(GRAPH,),
        result=returns(STATS),
        summary="Statistics of a knowledge graph: entities, triples, relations",
        doc="Returns the graph's statistics: the numbers of entities, triples and distinct relations "
        "(printed as `GraphStats(entities=‹›, triples=‹›, relations=‹›)`). §8.19 lists the result as an "
        "array while §5.1 names a `graph_stats` object, so the checker accepts either. Extra arguments "
        "are ignored.",
        example=_LINKED + "print(kg_get_stats(kg))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="entity_get_id",
        section="8.19",
        usage="entity_get_id(entity)",
        params=(ENTITY,),
        result=returns(INT),
        summary="The id of a knowledge-graph entity",
        doc="Returns the integer id of `entity` (its insertion index in the graph). Extra arguments are "
        "ignored.",
        example=_TWO + "print(entity_get_id(kg_get_entity(kg, 1)))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="entity_get_type",
        section="8.19",
        usage="entity_get_type(entity)",
        params=(ENTITY,),
        result=returns(STRING),
        summary="The type of a knowledge-graph entity, as a string",
        doc="Returns the entity's type (one of the types of `kg_add_entity`) as a string. Extra arguments "
        "are ignored.",
        example=_TWO + "print(entity_get_type(kg_get_entity(kg, 0)))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="entity_get_name",
        section="8.19",
        usage="entity_get_name(entity)",
        params=(ENTITY,),
        result=returns(STRING),
        summary="The name of a knowledge-graph entity",
        doc="Returns the name the entity was added with. Extra arguments are ignored.",
        example=_TWO + "print(entity_get_name(kg_get_entity(kg, 0)))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="triple_get_subject",
        section="8.19",
        usage="triple_get_subject(triple)",
        params=(TRIPLE,),
        result=returns(INT),
        summary="The subject entity id of a triple",
        doc="Returns the integer id of the triple's subject entity. Extra arguments are ignored.",
        example=_LINKED + "print(triple_get_subject(kg_query(kg, -1, -1, -1)[0]))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="triple_get_predicate",
        section="8.19",
        usage="triple_get_predicate(triple)",
        params=(TRIPLE,),
        result=returns(STRING),
        summary="The predicate (relation) of a triple, as a string",
        doc="Returns the triple's predicate as a string. Extra arguments are ignored.",
        example=_LINKED + "print(triple_get_predicate(kg_query(kg, -1, -1, -1)[0]))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="triple_get_object",
        section="8.19",
        usage="triple_get_object(triple)",
        params=(TRIPLE,),
        result=returns(INT),
        summary="The object entity id of a triple",
        doc="Returns the integer id of the triple's object entity. Extra arguments are ignored.",
        example=_LINKED + "print(triple_get_object(kg_query(kg, -1, -1, -1)[0]))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="gnn_create",
        section="8.19",
        usage="gnn_create(embedding_dim, num_heads)",
        params=(Param("embedding_dim", Kind.NUMBER), Param("num_heads", Kind.NUMBER)),
        result=returns(GRAPH_NEURAL_NETWORK),
        summary="A graph neural network over knowledge-graph entities",
        doc="Creates a `graph_neural_network` producing `embedding_dim`-dimensional node embeddings with "
        "`num_heads` attention heads; it prints `GNN(embedding_dim=‹›)`. Use it with "
        "`gnn_init_embeddings` and `gnn_forward`. Extra arguments are ignored.",
        example="print(gnn_create(8, 2))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="gnn_init_embeddings",
        section="8.19",
        usage="gnn_init_embeddings(gnn, graph)",
        params=(GNN, GRAPH),
        result=returns(NODE_EMBEDDINGS),
        summary="Initial node embeddings for every entity of a graph",
        doc="Returns `node_embeddings` with one deterministic initial embedding per entity of `graph`; it "
        "prints `NodeEmbeddings(nodes=‹›)`. The values are not part of the promise (§8.14). Extra "
        "arguments are ignored.",
        example=_TWO + "print(gnn_init_embeddings(gnn_create(8, 2), kg))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="gnn_forward",
        section="8.19",
        usage="gnn_forward(gnn, graph, embeddings)",
        params=(GNN, GRAPH, EMBEDDINGS),
        result=returns(NODE_EMBEDDINGS),
        summary="Node embeddings after one round of message passing over the graph",
        doc="Runs one GNN layer: each entity's embedding is updated from its neighbours along the graph's "
        "triples. Returns new `node_embeddings`; the numbers are deterministic but not part of the promise "
        "(§8.14). Extra arguments are ignored.",
        example=_LINKED
        + "let gnn = gnn_create(8, 2)\nprint(gnn_forward(gnn, kg, gnn_init_embeddings(gnn, kg)))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="gnn_forward_multilayer",
        section="8.19",
        usage="gnn_forward_multilayer(gnn, graph, embeddings, num_layers)",
        params=(GNN, GRAPH, EMBEDDINGS, Param("num_layers", Kind.NUMBER)),
        result=returns(NODE_EMBEDDINGS),
        summary="Node embeddings after several rounds of message passing",
        doc="Like `gnn_forward`, applied `num_layers` times. Returns new `node_embeddings`. Extra arguments "
        "are ignored.",
        example=_LINKED + "let gnn = gnn_create(8, 2)\n"
        "print(gnn_forward_multilayer(gnn, kg, gnn_init_embeddings(gnn, kg), 2))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="kg_add_node",
        section="8.19",
        usage="kg_add_node(kg, id, label, properties)",
        params=(KG, Param("id"), Param("label"), Param("properties")),
        result=returns(KNOWLEDGE_GRAPH),
        summary="The graph with one more labelled node",
        doc="Returns the updated graph with a node `id` carrying `label` and `properties`; programs "
        "reassign the result. Use `kg_add_edge` to connect nodes.",
        example='let kg = kg_add_node(kg_create(), 0, "Person", [])\nprint(kg_node_count(kg))',
    ),
    Builtin(
        name="kg_add_edge",
        section="8.19",
        usage="kg_add_edge(kg, from, to, relation)",
        params=(KG, Param("from"), Param("to"), Param("relation")),
        result=returns(KNOWLEDGE_GRAPH),
        summary="The graph with one more edge between two nodes",
        doc="Returns the updated graph with an edge labelled `relation` from node `from` to node `to`; "
        "programs reassign the result.",
        example=_NODES + "print(kg_edge_count(kg))",
    ),
    Builtin(
        name="kg_neighbors",
        section="8.19",
        usage="kg_neighbors(kg, node_id)",
        params=(KG, Param("node_id")),
        result=returns(ARRAY),
        summary="An array of the neighbours of a node",
        doc="Returns the neighbours of node `node_id` as an array.",
        example=_NODES + "print(kg_neighbors(kg, 0))",
    ),
    Builtin(
        name="kg_node_count",
        section="8.19",
        usage="kg_node_count(kg)",
        params=(KG,),
        result=returns(INT),
        summary="The number of nodes of a graph",
        doc="Returns the number of nodes added with `kg_add_node`, as an integer.",
        example=_NODES + "print(kg_node_count(kg))",
    ),
    Builtin(
        name="kg_edge_count",
        section="8.19",
        usage="kg_edge_count(kg)",
        params=(KG,),
        result=returns(INT),
        summary="The number of edges of a graph",
        doc="Returns the number of edges added with `kg_add_edge`, as an integer.",
        example=_NODES + "print(kg_edge_count(kg))",
    ),
    Builtin(
        name="kg_degree",
        section="8.19",
        usage="kg_degree(kg, node_id)",
        params=(KG, Param("node_id")),
        result=returns(INT),
        summary="The number of edges at a node",
        doc="Returns the degree of node `node_id` as an integer.",
        example=_NODES + "print(kg_degree(kg, 0))",
    ),
    Builtin(
        name="kg_shortest_path",
        section="8.19",
        usage="kg_shortest_path(kg, from, to)",
        params=(KG, Param("from"), Param("to")),
        result=returns(ARRAY),
        summary="A shortest path between two nodes, found by breadth-first search",
        doc="Returns the nodes of a shortest path from `from` to `to` as an array, found by breadth-first "
        "search over the edges.",
        example=_NODES + "print(kg_shortest_path(kg, 0, 1))",
    ),
    Builtin(
        name="gnn_gcn_layer",
        section="8.19",
        usage="gnn_gcn_layer(in_features, out_features)",
        params=(Param("in_features", Kind.NUMBER), Param("out_features", Kind.NUMBER)),
        result=returns(GRAPH_NEURAL_NETWORK),
        summary="A graph-convolution (GCN) layer",
        doc="Creates a `graph_neural_network` for one graph-convolution layer mapping `in_features` node "
        "features to `out_features`; use it with `gnn_node_classification`.",
        example="print(gnn_gcn_layer(4, 2))",
    ),
    Builtin(
        name="gnn_aggregate",
        section="8.19",
        usage="gnn_aggregate(messages, method)",
        params=(Param("messages"), Param("method", Kind.STRING)),
        result=returns(ARRAY),
        summary='Aggregate neighbour messages with "sum", "mean" or "max"',
        doc='Combines the message vectors in `messages` with `method`, one of `"sum"`, `"mean"` or `"max"`, '
        "and returns the result as an array.",
        example='print(gnn_aggregate([[1.0, 2.0], [3.0, 4.0]], "sum"))',
    ),
    Builtin(
        name="gnn_node_classification",
        section="8.19",
        usage="gnn_node_classification(gnn, graph, embeddings, labels)",
        params=(Param("gnn"), Param("graph"), Param("embeddings"), Param("labels")),
        result=returns(ARRAY),
        summary="Predicted classes of the nodes of a graph",
        doc="Runs `gnn` over `graph` from the node `embeddings` and returns the predicted class of each node "
        "as an array, given the node `labels`.",
        example=_NODES + "let gnn = gnn_gcn_layer(2, 2)\n"
        "print(gnn_node_classification(gnn, kg, [[1.0, 0.0], [0.0, 1.0]], [0, 1]))",
    ),
)
