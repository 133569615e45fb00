"""Catalog entries of LANGUAGE.md §8.14–§8.17: every name of those sections is declared by its group module,
and the group-specific shape rules give the documented result, report certain failures with the run-time text
(E107), propagate dimension variables and stay silent on unknown shapes."""

from __future__ import annotations

import pytest

from charl_core import builtins
from charl_core.builtins import fusion, multimodal, reasoning, sequence
from charl_core.builtins.spec import ArityStyle, Call, Finding
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    NULL,
    STRING,
    UNKNOWN,
    ArrayType,
    DimVar,
    FloatType,
    Grad,
    ObjectType,
    TensorType,
    Type,
    UnionType,
)
from tests.test_catalog import DOCUMENTED

GROUPS = {"8.14": sequence, "8.15": reasoning, "8.16": fusion, "8.17": multimodal}
N, S = DimVar("N"), DimVar("S")


def apply(name: str, *arguments: Type) -> tuple[Type, list[Finding]]:
    entry = builtins.lookup(name)
    call = Call(entry, arguments)
    return entry.result(call), call.findings


def layer(kind: str) -> ObjectType:
    return ObjectType(kind)


@pytest.mark.parametrize("section", sorted(GROUPS))
def test_group_module_declares_exactly_its_section(section: str) -> None:
    module = GROUPS[section]
    declared = {entry.name for entry in module.BUILTINS}
    assert declared == {name for name, where in DOCUMENTED.items() if where == section}
    assert {entry.section for entry in module.BUILTINS} == {section}


# ───────────────────────────── §8.14 forward passes ─────────────────────────────

SAME_SHAPE_FORWARDS = [
    ("linformer_forward", "linformer_layer"),
    ("performer_forward", "performer_layer"),
    ("fnet_forward", "fnet_layer"),
    ("rwkv_forward", "rwkv_layer"),
    ("s4_forward", "s4_layer"),
    ("moe_forward", "moe_layer"),
    ("mamba_forward", "mamba_layer"),
]


@pytest.mark.parametrize(("name", "kind"), SAME_SHAPE_FORWARDS)
def test_forward_keeps_the_input_shape_and_cuts_the_graph(name: str, kind: str) -> None:
    result, findings = apply(name, layer(kind), TensorType(shape=(2, 4, 8), grad=Grad.YES))
    assert result == TensorType(shape=(2, 4, 8), grad=Grad.NO)
    assert findings == []


@pytest.mark.parametrize(("name", "kind"), SAME_SHAPE_FORWARDS)
def test_forward_propagates_dimension_variables(name: str, kind: str) -> None:
    result, findings = apply(name, layer(kind), TensorType(shape=(N, 8)))
    assert result == TensorType(shape=(N, 8))
    assert findings == []


@pytest.mark.parametrize(("name", "kind"), SAME_SHAPE_FORWARDS)
def test_forward_of_unknown_input_is_unknown_and_silent(name: str, kind: str) -> None:
    for argument in (TensorType(), ANY):
        result, findings = apply(name, layer(kind), argument)
        assert result == TensorType(shape=None)
        assert findings == []


def test_attention_forward_with_q_k_v_has_the_query_shape() -> None:
    q, kv = TensorType(shape=(4, 8)), TensorType(shape=(6, 8))
    for name, kind in SAME_SHAPE_FORWARDS[:2]:
        result, findings = apply(name, layer(kind), q, kv, kv)
        assert result == TensorType(shape=(4, 8))
        assert findings == []
        assert builtins.lookup(name).arity == (2, 4)


def test_mamba_forward_rejects_a_known_rank_other_than_2_or_3() -> None:
    for shape, text in (((4,), "[4]"), ((1, 2, 3, 4), "[1, 2, 3, 4]"), ((N,), "[N]")):
        _, findings = apply("mamba_forward", layer("mamba_layer"), TensorType(shape=shape))
        assert findings == [Finding("E107", f"mamba_forward() expects 2D or 3D tensor, got shape {text}", 1)]
    _, findings = apply("mamba_forward", layer("mamba_layer"), TensorType(shape=(UNKNOWN, UNKNOWN)))
    assert findings == []


def test_lstm_forward_gives_batch_seq_and_an_unknown_hidden_size() -> None:
    result, findings = apply("lstm_forward", layer("lstm"), TensorType(shape=(2, 4, 3), grad=Grad.YES))
    assert result == TensorType(shape=(2, 4, UNKNOWN))
    assert findings == []
    result, findings = apply("lstm_forward", layer("lstm"), TensorType(shape=(N, S, 3)))
    assert result == TensorType(shape=(N, S, UNKNOWN))
    assert findings == []


def test_lstm_forward_needs_a_3d_input() -> None:
    result, findings = apply("lstm_forward", layer("lstm"), TensorType(shape=(4, 3)))
    assert findings == [
        Finding("E107", "lstm_forward(): input must be 3-D [batch, seq, features], got shape [4, 3]", 1)
    ]
    assert result == TensorType(shape=(UNKNOWN, UNKNOWN, UNKNOWN))
    for unknown in (TensorType(), ANY):
        result, findings = apply("lstm_forward", layer("lstm"), unknown)
        assert result == TensorType(shape=(UNKNOWN, UNKNOWN, UNKNOWN))
        assert findings == []


def test_gru_forward_has_the_lstm_shape_without_the_3d_check() -> None:
    result, findings = apply("gru_forward", layer("gru"), TensorType(shape=(N, 4, 3)))
    assert result == TensorType(shape=(N, 4, UNKNOWN))
    assert findings == []
    result, findings = apply("gru_forward", layer("gru"), TensorType(shape=(4, 3)))
    assert result == TensorType(shape=(UNKNOWN, UNKNOWN, UNKNOWN))
    assert findings == []


def test_rules_survive_missing_arguments() -> None:
    for module in GROUPS.values():
        for entry in module.BUILTINS:
            for count in range(len(entry.params) + 1):
                call = Call(entry, (TensorType(shape=(4,)),) * count)
                assert entry.result(call) is not None


# ───────────────────────────── results of §8.15–§8.17 ─────────────────────────────


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tot_stats", ArrayType(INT, 3, (INT, INT, INT))),
        ("stm_len", INT),
        ("fusion_detect_patterns", ArrayType(ANY, 0, ())),
        ("fusion_estimate_speedup", FloatType(2.0)),
        ("fusion_enable", NULL),
        ("embedding_cosine_similarity", FLOAT),
        ("scene_graph_get_relations", ArrayType(STRING)),
        ("vqa_add_qa", NULL),
        (
            "vqa_answer",
            UnionType(frozenset({ArrayType(ANY, 3, (STRING, FLOAT, ANY)), NULL})),
        ),
        ("multimodal_cot_get_info", multimodal.fixed_array(STRING, STRING, FLOAT, INT)),
        ("cot_create", ObjectType("chain_of_thought")),
        ("working_memory_remember", ObjectType("working_memory_system")),
        ("scene_graph_generate", ObjectType("scene_graph")),
    ],
)
def test_result_types(name: str, expected: Type) -> None:
    assert apply(name)[0] == expected


def test_fusion_apply_pattern_returns_its_first_argument() -> None:
    ops = ArrayType(STRING, 2, (STRING, STRING))
    assert apply("fusion_apply_pattern", ops, STRING) == (ops, [])
    assert apply("fusion_apply_pattern") == (ANY, [])


def test_multimodal_getter_positions_are_typed() -> None:
    info = multimodal.COT_INFO
    assert info.length == 4 and info.items == (STRING, STRING, FLOAT, INT)
    assert multimodal.GROUNDED.element == ArrayType(ANY, 2, (ANY, FLOAT))


# ───────────────────────────── arity ─────────────────────────────


@pytest.mark.parametrize(
    ("name", "got", "message"),
    [
        ("lstm_forward", 1, "lstm_forward requires 2 arguments: lstm, input"),
        ("tot_add_thought", 2, "tot_add_thought requires 4 arguments: tot, parent_id, thought, value"),
        ("image_create", 0, "image_create requires 4 arguments: id, width, height, pixels_array"),
        ("mamba_create", 0, "mamba_create() expects 1-2 arguments: mamba_create(d_model, d_state)"),
        ("cot_add_step", 2, "cot_add_step() expects 3 arguments: cot_add_step(cot, step_number, thought)"),
        (
            "fusion_detect_patterns",
            0,
            "fusion_detect_patterns() expects 1 argument: fusion_detect_patterns(computation)",
        ),
    ],
)
def test_arity_messages(name: str, got: int, message: str) -> None:
    entry = builtins.lookup(name)
    assert not entry.accepts_count(got)
    assert entry.arity_error(got) == message


def test_r_marks_follow_language_md() -> None:
    required = {
        entry.name
        for module in GROUPS.values()
        for entry in module.BUILTINS
        if entry.arity_style is ArityStyle.REQUIRES
    }
    not_required = {
        "linformer_create", "linformer_forward", "mamba_forward", "cot_create", "cot_get_step",
        "fusion_detect_patterns", "fusion_apply_pattern", "fusion_estimate_speedup",
    }  # fmt: skip
    assert required.isdisjoint(not_required)
    assert {"lstm_create", "gru_forward", "tot_stats", "ltm_create", "fusion_enable"} <= required
    assert {entry.name for entry in multimodal.BUILTINS} <= required
    assert builtins.lookup("scene_graph_create").accepts_count(3)
