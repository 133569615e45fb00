"""Catalog entries of LANGUAGE.md §8.18–§8.21 (meta-learning, knowledge graphs, symbolic AI, advanced stubs):
which rows are R, the exact arity messages, the result kinds and the few rules that compute something.

These sections state no shape-mismatch message, so their rules must never report a finding: any E107 or W206
here would be invented (§4.4).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core import builtins
from charl_core.builtins.spec import ArityStyle, Call
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    NULL,
    STRING,
    UNKNOWN,
    ArrayType,
    BoolType,
    DimVar,
    FloatType,
    Grad,
    IntType,
    ObjectType,
    StringType,
    TensorType,
    Type,
    UnionType,
)
from tests.conftest import SHARED

SECTIONS = ("8.18", "8.19", "8.20", "8.21")
ENTRIES = [entry for entry in builtins.ENTRIES if entry.section in SECTIONS]
LANGUAGE = (SHARED / "LANGUAGE.md").read_text(encoding="utf-8")

# The rows marked R in §8.18–§8.21 ("all R" for §8.18, except the two "exactly N" rows, which reject extra
# arguments and so cannot share the R arity).
R_ROWS = {
    "maml_get_info",
    "meta_task_add_support",
    "meta_task_add_query",
    "model_params_create",
    "episode_create",
    "episode_add_support",
    "episode_add_query",
    "episode_validate",
    "episode_get_info",
    "prototypical_network_create",
    "distance_compute",
    "kg_add_entity",
    "kg_add_triple",
    "kg_add_triple_conf",
    "kg_query",
    "kg_get_entity",
    "kg_find_by_name",
    "kg_find_by_type",
    "kg_get_related",
    "kg_find_paths",
    "kg_get_stats",
    "entity_get_id",
    "entity_get_type",
    "entity_get_name",
    "triple_get_subject",
    "triple_get_predicate",
    "triple_get_object",
    "gnn_create",
    "gnn_init_embeddings",
    "gnn_forward",
    "gnn_forward_multilayer",
    "rule_create",
    "rule_engine_create",
    "rule_engine_add_rule",
    "rule_engine_count",
    "fol_var",
    "fol_const",
    "fol_func",
    "fol_unify",
    "fuzzy_create",
    "fuzzy_and",
    "fuzzy_or",
    "fuzzy_not",
    "fuzzy_get_value",
    "concept_graph_count",
}


def result(name: str, *arguments: Type) -> tuple[Type, list]:
    entry = builtins.lookup(name)
    call = Call(entry, arguments)
    return entry.result(call), call.findings


def test_every_r_row_and_only_those_use_the_r_arity_message() -> None:
    required = {entry.name for entry in ENTRIES if entry.arity_style is ArityStyle.REQUIRES}
    assert required == R_ROWS


ARITY = [
    ("kg_add_entity", 1, "kg_add_entity requires 3 arguments: graph, entity_type, name"),
    ("fuzzy_not", 0, "fuzzy_not requires 1 argument: val"),
    ("concept_graph_count", 0, "concept_graph_count requires 1 argument: graph"),
    ("concept_graph_add", 1, "concept_graph_add() expects 2 arguments: concept_graph_add(graph, concept)"),
    # an alias reports its canonical name (§8.0)
    (
        "concept_graph_add_concept",
        3,
        "concept_graph_add() expects 2 arguments: concept_graph_add(graph, concept)",
    ),
    ("fol_variable", 2, "fol_variable() expects 1 argument: fol_variable(name)"),
    ("fol_var", 0, "fol_var requires 1 argument: name"),
    ("concept_create", 3, "concept_create() expects 1-2 arguments: concept_create(name, properties)"),
    ("kg_add_node", 3, "kg_add_node() expects 4 arguments: kg_add_node(kg, id, label, properties)"),
    (
        "task_sample_batch",
        2,
        "task_sample_batch() expects 3 arguments: task_sample_batch(tasks, batch_size, strategy)",
    ),
    ("maml_create", 5, "maml_create requires 4 arguments: param_shapes, inner_lr, outer_lr, inner_steps"),
    ("maml_create", 3, "maml_create requires 4 arguments: param_shapes, inner_lr, outer_lr, inner_steps"),
    ("meta_task_create", 2, "meta_task_create requires 1 argument: task_id"),
    ("meta_task_create", 0, "meta_task_create requires 1 argument: task_id"),
]


@pytest.mark.parametrize(("name", "got", "message"), ARITY)
def test_arity_messages(name: str, got: int, message: str) -> None:
    entry = builtins.lookup(name)
    assert not entry.accepts_count(got)
    assert entry.arity_error(got) == message


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("kg_create", (0, 1, 7)),  # arguments ignored
        ("rule_engine_create", (0, 2)),  # R with no parameters
        ("kg_add_entity", (3, 4, 9)),  # R: extra arguments ignored
        ("concept_create", (1, 2)),
        ("few_shot_classify", (4,)),
    ],
)
def test_accepted_argument_counts(name: str, counts: tuple[int, ...]) -> None:
    entry = builtins.lookup(name)
    assert all(entry.accepts_count(count) for count in counts)


def test_object_results_use_the_type_names_of_section_5_1() -> None:
    row = next(line for line in LANGUAGE.splitlines() if line.startswith("| objects |"))
    kinds = set(re.search(r"`([^`]*)`", row).group(1).split())
    made = set()
    for entry in ENTRIES:
        produced = entry.result(Call(entry, ()))
        members = produced.members if isinstance(produced, UnionType) else {produced}
        made |= {member.kind for member in members if isinstance(member, ObjectType)}
    assert made and made <= kinds
    expected = {"maml", "meta_task", "model_params", "episode", "prototypical_network", "knowledge_graph"}
    expected |= {"kg_entity", "graph_stats", "graph_neural_network", "node_embeddings", "symbolic_rule"}
    expected |= {
        "rule_engine",
        "fol_term",
        "fol_formula",
        "fol_solver",
        "fuzzy_value",
        "concept",
        "concept_graph",
    }
    assert expected <= made


CONSTANT_RESULTS = [
    ("curriculum_create", StringType("CurriculumLearner")),
    ("few_shot_classify", IntType(0)),
    ("temporal_align", FloatType(0.85)),
    ("causal_intervene", ArrayType(ANY, 0, ())),
    ("abductive_explain", ArrayType(ANY, 0, ())),
    ("planning_search", ArrayType(ANY, 0, ())),
    ("counterfactual_generate", NULL),
    ("causal_graph_create", STRING),
    ("episode_validate", BoolType(True)),
    ("kg_get_entity", UnionType(frozenset({ObjectType("kg_entity"), NULL}))),
    ("kg_query", ArrayType(ObjectType("kg_triple"))),
    ("triple_get_subject", INT),
    ("triple_get_predicate", STRING),
    ("fuzzy_get_value", FLOAT),
    ("concept_graph_count", INT),
    ("episode_get_info", ArrayType(INT, 4, (INT, INT, INT, INT))),
]


@pytest.mark.parametrize(("name", "expected"), CONSTANT_RESULTS)
def test_fixed_results(name: str, expected: Type) -> None:
    assert result(name) == (expected, [])


def test_maml_get_info_types_each_position() -> None:
    info, _ = result("maml_get_info", ObjectType("maml"))
    assert info.length == 4 and info.items == (FLOAT, FLOAT, INT, INT)


# ── task_sample_batch: the first batch_size tasks ──

LETTERS = ArrayType(STRING, 3, (StringType("a"), StringType("b"), StringType("c")))


@pytest.mark.parametrize(
    ("tasks", "batch_size", "expected"),
    [
        (LETTERS, IntType(2), ArrayType(STRING, 2, (StringType("a"), StringType("b")))),
        (LETTERS, IntType(0), ArrayType(STRING, 0, ())),
        (LETTERS, IntType(5), LETTERS),  # more than there are: all of them
        (ArrayType(INT, 4), IntType(3), ArrayType(INT, 3)),  # per-position types unknown
        (LETTERS, INT, ArrayType(STRING)),  # unknown batch size: unknown length
        (LETTERS, FloatType(1.5), ArrayType(STRING)),
        (LETTERS, IntType(-1), ArrayType(STRING)),
        (ArrayType(FLOAT), IntType(2), ArrayType(FLOAT)),  # unknown length
        (ANY, IntType(2), ArrayType()),
    ],
)
def test_task_sample_batch(tasks: Type, batch_size: Type, expected: Type) -> None:
    assert result("task_sample_batch", tasks, batch_size, STRING) == (expected, [])


# ── meta_adapt_lr: 0.9 * base_lr ──


@pytest.mark.parametrize(
    ("base_lr", "expected"),
    [
        (FloatType(0.1), FloatType(0.09000000000000001)),
        (IntType(2), FloatType(1.8)),
        (FLOAT, FLOAT),
        (ANY, FLOAT),
        (STRING, FLOAT),
    ],
)
def test_meta_adapt_lr_folds_a_constant_base(base_lr: Type, expected: Type) -> None:
    assert result("meta_adapt_lr", FLOAT, base_lr) == (expected, [])
    assert result("meta_adapt_lr", FLOAT) == (FLOAT, [])  # too few arguments: still a float, no exception


# ── stubs that hand an argument back ──


def test_pass_through_stubs_keep_the_argument_type() -> None:
    graph = StringType("CausalGraph")
    assert result("causal_add_edge", graph, STRING, STRING, FLOAT) == (graph, [])
    memory = ObjectType("long_term_memory")
    assert result("memory_consolidate_threshold", ObjectType("short_term_memory"), memory, FLOAT) == (
        memory,
        [],
    )
    assert result("memory_consolidate_threshold", ANY) == (ANY, [])  # absent argument: unknown


# ── audio_spectrogram: a constant [16, 8] tensor whatever the input ──


@pytest.mark.parametrize(
    "waveform",
    [
        TensorType(shape=(1024,)),
        TensorType(shape=(DimVar("N"),), grad=Grad.YES),
        TensorType(shape=(UNKNOWN, 3)),
        TensorType(),
        ArrayType(FLOAT),
    ],
)
def test_audio_spectrogram_is_always_an_untracked_16_by_8_tensor(waveform: Type) -> None:
    assert result("audio_spectrogram", waveform, IntType(16000)) == (TensorType(shape=(16, 8)), [])


def test_audio_mfcc_has_an_unspecified_shape() -> None:
    assert result("audio_mfcc", TensorType(shape=(1024,)), IntType(16000), IntType(13)) == (TensorType(), [])


SAMPLE_TYPES = st.sampled_from(
    [
        ANY,
        NULL,
        INT,
        IntType(-3),
        IntType(2),
        FloatType(0.5),
        STRING,
        ArrayType(),
        LETTERS,
        ObjectType("knowledge_graph"),
        TensorType(shape=(2, 3), grad=Grad.YES),
        TensorType(shape=(3, 2)),
        TensorType(shape=(DimVar("M"), DimVar("K"))),
        TensorType(shape=(DimVar("K"), DimVar("N"))),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRIES), st.lists(SAMPLE_TYPES, max_size=6))
def test_rules_of_these_sections_never_report(entry, arguments) -> None:
    call = Call(entry, tuple(arguments))
    assert entry.result(call) is not None
    assert call.findings == []
