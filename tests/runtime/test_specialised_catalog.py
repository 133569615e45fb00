"""The specialised groups (§8.14–§8.21) against their catalog entries: every entry has an implementation,
every argument of a wrong kind is rejected with the exact message the checker gives for it (E106), every
object kind prints its §5.4 text, and every entry's documented example runs under the real interpreter
(in process for all of them, and through `charl run` for one per group)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pytest

from charl_core.builtins import ENTRIES, lookup
from charl_core.builtins.spec import Kind
from charl_core.check.arguments import kind_problem
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import kind_name, to_text
from charl_core.types import FLOAT, INT, STRING

load()
SECTIONS = ("8.14", "8.15", "8.16", "8.17", "8.18", "8.19", "8.20", "8.21")
MINE = [e for e in ENTRIES if e.section in SECTIONS]


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def _kg():
    kg = call("kg_add_entity", call("kg_add_entity", call("kg_create"), "class", "A"), "function", "f")
    return call("kg_add_triple_conf", kg, 0, "calls", 1, 0.125)


def _scene():
    return call(
        "scene_graph_add_object",
        call("scene_graph_create"),
        call("scene_object_create", 1, "cat", [0, 0, 1, 1]),
    )


def _encoder():
    return call("clip_encoder_create", 16)


def _formula():
    return call("fol_predicate", "human", [call("fol_const", "socrates")])


# Each object kind the specialised builtins take, a way to make one, and its §5.4 text.
OBJECTS = {
    "linformer_layer": (lambda: call("linformer_create", 8, 2, 4, 2), "Linformer(d_model=8, heads=2, k=2)"),
    "performer_layer": (lambda: call("performer_create", 8, 4), "Performer(d_model=8, features=4)"),
    "fnet_layer": (lambda: call("fnet_create", 8), "FNet(d_model=8)"),
    "rwkv_layer": (lambda: call("rwkv_create", 8), "RWKV(d_model=8)"),
    "mamba_layer": (lambda: call("mamba_create", 8, 2), "Mamba(d_model=8, d_state=2)"),
    "s4_layer": (lambda: call("s4_create", 4, 8), "S4(state=4, hidden=8)"),
    "moe_layer": (lambda: call("moe_create", 8, 4, 3, 1), "MoE(experts=3, top_k=1)"),
    "lstm": (lambda: call("lstm_create", 3, 2), "LSTM(input_size=3, hidden_size=2)"),
    "gru": (lambda: call("gru_create", 3, 2), "GRU(input_size=3, hidden_size=2)"),
    "chain_of_thought": (
        lambda: call("cot_with_answer", call("cot_create", "p"), "a" * 31),
        "ChainOfThought(0 steps, answer: " + "a" * 30 + "...)",
    ),
    "tree_of_thoughts": (
        lambda: call("tot_create", "r", "dfs"),
        "TreeOfThoughts(nodes=1, strategy=DepthFirst)",
    ),
    "memory_item": (
        lambda: call("memory_item_create", 3, "c", "procedural"),
        "MemoryItem(id=3, type=Procedural)",
    ),
    "short_term_memory": (lambda: call("stm_create", 2), "ShortTermMemory(capacity=2, used=0)"),
    "long_term_memory": (lambda: call("ltm_create"), "LongTermMemory"),
    "working_memory_system": (lambda: call("working_memory_create", 2), "WorkingMemorySystem"),
    "fusion_optimizer": (lambda: call("fusion_create", "aggressive"), "FusionOptimizer"),
    "clip_encoder": (_encoder, "CLIPEncoder(dim=16, temp=0.07)"),
    "image": (lambda: call("image_create", "img", 3, 1, [1, 2, 3]), "Image(id=img, 3x1, 3 pixels)"),
    "multimodal_embedding": (
        lambda: call("clip_encode_text", _encoder(), "x"),
        "MultimodalEmbedding(Text, dim=16)",
    ),
    "vqa_system": (lambda: call("vqa_create", _encoder()), "VQASystem"),
    "scene_object": (
        lambda: call("scene_object_create", 2, "dog", [0, 0, 1, 1]),
        "SceneObject(id=2, class=dog, conf=1.00)",
    ),
    "scene_graph": (_scene, "SceneGraph(objects=1, relations=0)"),
    "scene_graph_generator": (lambda: call("scene_graph_generator_create"), "SceneGraphGenerator"),
    "temporal_event": (
        lambda: call("temporal_event_create", 1, "e", 0.25, 1.75),
        "TemporalEvent(id=1, 0.2-1.8)",
    ),
    "visual_grounding": (lambda: call("visual_grounding_create", _encoder()), "VisualGrounding"),
    "multimodal_reasoner": (
        lambda: call("multimodal_reasoner_create", call("visual_grounding_create", _encoder())),
        "MultimodalReasoner",
    ),
    "multimodal_cot": (
        lambda: call(
            "multimodal_reasoner_reason",
            call("multimodal_reasoner_create", call("visual_grounding_create", _encoder())),
            "where?",
            call("scene_graph_create"),
        ),
        "MultimodalCoT(question=where?, answer=unknown, steps=2)",
    ),
    "maml": (
        lambda: call("maml_create", [[2]], 0.5, 1e-8, 3),
        "MAML(inner_lr=0.5, outer_lr=0.00000001, steps=3)",
    ),
    "meta_task": (lambda: call("meta_task_create", "t"), "MetaTask(id=t, support=0, query=0)"),
    "model_params": (lambda: call("model_params_create", [[2, 2], [2], [1]]), "ModelParams(3 params)"),
    "episode": (lambda: call("episode_create", 3, 2), "Episode(3-way 2-shot, support=0, query=0)"),
    "prototypical_network": (
        lambda: call("prototypical_network_create", 4, "Squared_Euclidean"),
        "PrototypicalNetwork(dim=4, metric=SquaredEuclidean)",
    ),
    "knowledge_graph": (_kg, "KnowledgeGraph(entities=2, triples=1)"),
    "kg_entity": (lambda: call("kg_get_entity", _kg(), 1), "Entity(id=1, type=Function, name=f)"),
    "kg_triple": (lambda: call("kg_query", _kg(), -1, -1, -1)[0], "Triple(0, calls, 1, conf=0.12)"),
    "graph_stats": (lambda: call("kg_get_stats", _kg()), "GraphStats(entities=2, triples=1, relations=1)"),
    "graph_neural_network": (lambda: call("gnn_create", 4, 2), "GNN(embedding_dim=4)"),
    "node_embeddings": (
        lambda: call("gnn_init_embeddings", call("gnn_create", 4, 2), _kg()),
        "NodeEmbeddings(nodes=2)",
    ),
    "symbolic_rule": (lambda: call("rule_create", "r", "d"), "Rule(r)"),
    "rule_engine": (lambda: call("rule_engine_create"), "RuleEngine"),
    "fol_term": (
        lambda: call("fol_func", "f", [call("fol_var", "x"), call("fol_const", "a")]),
        "FOLTerm(f(x, a))",
    ),
    "fol_formula": (_formula, "FOLFormula"),
    "fol_solver": (lambda: call("fol_solver_create"), "FOLSolver"),
    "fuzzy_value": (lambda: call("fuzzy_create", 0.5, "half"), "FuzzyValue"),
    "concept": (lambda: call("concept_create", "c"), "Concept"),
    "concept_graph": (lambda: call("concept_graph_create"), "ConceptGraph"),
    "thought_node": (lambda: call("tot_create", "r", "bfs").nodes[0], "ThoughtNode(id=0, depth=0)"),
}


@pytest.mark.parametrize("kind", sorted(OBJECTS))
def test_object_kind_and_text(kind):
    make, text = OBJECTS[kind]
    value = make()
    assert kind_name(value) == kind
    assert to_text(value) == text
    assert value.equals(value) is False  # §5.3: objects are never equal, even to themselves


def test_every_entry_is_implemented():
    assert len(MINE) == 174
    assert [e.name for e in MINE if e.implementation is None] == []


_WRONG = {
    Kind.OBJECT: (1.5, FLOAT),
    Kind.NUMBER: ("s", STRING),
    Kind.STRING: (7, INT),
    Kind.ARRAY: (7, INT),
    Kind.TENSOR: (1.5, FLOAT),
    Kind.NUMBERS: ("s", STRING),
}


def _valid(param):
    if param.kind is Kind.OBJECT:
        return OBJECTS[param.object_kind][0]()
    return {
        Kind.NUMBER: 1,
        Kind.STRING: "bfs",
        Kind.ARRAY: [],
        Kind.TENSOR: Tensor(np.zeros(2), (2,)),
        Kind.NUMBERS: [1.0],
    }.get(param.kind, "any")


KIND_CASES = [
    pytest.param(entry, index, id=f"{entry.name}-{param.name}")
    for entry in MINE
    for index, param in enumerate(entry.params)
    if param.kind in _WRONG
]


@pytest.mark.parametrize(("entry", "index"), KIND_CASES)
def test_wrong_kind_message_matches_the_checker(entry, index):
    params = entry.params
    param = params[index]
    wrong, wrong_type = _WRONG[param.kind]
    args = [_valid(p) for p in params[:index]] + [wrong] + [_valid(p) for p in params[index + 1 :]]
    with pytest.raises(CharlError) as error:
        entry.implementation(Context(out=io.StringIO()), args)
    assert error.value.message == kind_problem(entry, param.kind, param.object_kind, wrong_type)


def test_numbers_parameters_reject_non_numeric_elements():
    with pytest.raises(CharlError, match=r"^Cannot convert string to float$"):
        call("image_create", 1, 2, 2, [1.0, "x"])


def test_aliases_report_the_canonical_name():
    with pytest.raises(CharlError) as error:
        call("concept_graph_add_concept", 1, call("concept_create", "c"))
    assert error.value.message == "concept_graph_add() expects concept_graph, got integer"


def test_r_builtins_ignore_extra_arguments():
    assert to_text(call("lstm_create", 3, 5, "extra", None)) == "LSTM(input_size=3, hidden_size=5)"
    assert call("tot_stats", OBJECTS["tree_of_thoughts"][0](), 1, 2) == [1, 0, 0]


# ───────────────────────────── examples under the real interpreter ─────────────────────────────


def _run(text: str) -> tuple[int, str, str]:
    from charl_core.runtime.interpreter.run import run_program

    out, err = io.StringIO(), io.StringIO()
    code = run_program(text, "example.ch", Context(out=out), err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("entry", MINE, ids=[e.name for e in MINE])
def test_catalog_example_runs(entry):
    code, out, err = _run(entry.example)
    assert (code, err) == (0, "")
    assert out.endswith("\n")


FIRST_OF_EACH_GROUP = [next(e for e in MINE if e.section == s) for s in SECTIONS]


@pytest.mark.parametrize("entry", FIRST_OF_EACH_GROUP, ids=[e.name for e in FIRST_OF_EACH_GROUP])
def test_catalog_example_through_charl_run(entry, tmp_path):
    program = tmp_path / "example.ch"
    program.write_text(entry.example, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "run", str(program)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == _run(entry.example)[1]


@pytest.mark.parametrize(
    ("program", "message"),
    [
        ("lstm_forward(lstm_create(3, 5))", "lstm_forward requires 2 arguments: lstm, input"),
        ('kg_add_entity(kg_create(), "widget", "w")', "kg_add_entity: unknown entity type 'widget'."),
        (
            'tot_create("r", "random")',
            "tot_create: unknown strategy 'random'. Use 'bfs', 'dfs', or 'best_first'",
        ),
        ('fuzzy_create(1.5, "x")', "fuzzy_create: value must be in [0.0, 1.0]"),
        ("mamba_forward(mamba_create(8), tensor([1.0, 2.0, 3.0, 4.0]))", "got shape [4]"),
        ("fusion_estimate_speedup(1)", "fusion_estimate_speedup() expects 2 arguments"),
    ],
)
def test_runtime_errors_in_programs(program, message):
    code, _, err = _run(program)
    assert code == 1 and message in err


def _charl_kinds(value) -> bool:
    """True when `value` and everything in it is a Charl value (no NumPy scalar leaks into a program)."""
    if type(value) in (list, tuple):
        return all(_charl_kinds(item) for item in value)
    return type(value) in (int, float, str, bool, type(None)) or hasattr(type(value), "KIND")


@pytest.mark.parametrize(
    "program",
    [
        "let e = clip_encoder_create(8)\n"
        'print(embedding_cosine_similarity(clip_encode_text(e, "a"), clip_encode_text(e, "b")))',
        'print(distance_compute("cosine", [1.0, 2.0], [2.0, 1.0]), task_difficulty([1, -2]))',
        'print(concept_similarity(concept_create("a", ["x"]), concept_create("b", ["x", "y"])))',
        'print(gnn_aggregate([[1, 2], [3, 4]], "mean"), maml_get_info(maml_create([[2]], 0.1, 0.2, 1)))',
        'print(fuzzy_get_value(fuzzy_and(0.2, 0.3)), tot_stats(tot_create("r", "bfs")))',
    ],
)
def test_results_are_charl_values(program):
    code, out, err = _run(program)
    assert (code, err, out.count("\n")) == (0, "", 1)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("embedding_cosine_similarity", lambda: [OBJECTS["multimodal_embedding"][0]()] * 2),
        ("distance_compute", lambda: ["manhattan", [1, 2], [3.5, -1]]),
        ("concept_similarity", lambda: [OBJECTS["concept"][0](), OBJECTS["concept"][0]()]),
        ("gnn_aggregate", lambda: [[[1, 2], [3, 4]], "max"]),
        ("gnn_node_classification", lambda: [call("gnn_gcn_layer", 1, 2), _kg(), [[1.0], [2.0]], [0, 1]]),
        ("visual_grounding_ground_phrase", lambda: [OBJECTS["visual_grounding"][0](), "cat", _scene()]),
        ("multimodal_cot_get_info", lambda: [OBJECTS["multimodal_cot"][0]()]),
        ("kg_degree", lambda: [call("kg_add_edge", call("kg_create"), 0, 0, "self"), 0]),
        ("task_difficulty", lambda: [Tensor(np.ones(3), (3,))]),
        (
            "cot_get_info",
            lambda: [call("cot_compute_confidence", call("cot_add_step", call("cot_create", "p"), 1, "t"))],
        ),
    ],
)
def test_results_hold_no_numpy_scalars(name, args):
    assert _charl_kinds(call(name, *args()))


def test_gpu_tensors_are_rejected():
    gpu = GpuTensor(np.zeros(6), (1, 2, 3), device="CPU")
    with pytest.raises(CharlError, match=r"^lstm_forward\(\) expects a tensor, got gpu_tensor$"):
        call("lstm_forward", OBJECTS["lstm"][0](), gpu)


def test_float_ids_in_object_texts_use_format_d():
    assert to_text(call("meta_task_create", 2.0)) == "MetaTask(id=2, support=0, query=0)"
    assert to_text(call("memory_item_create", 0.5, "c", "semantic")) == "MemoryItem(id=0.5, type=Semantic)"
    assert (
        to_text(call("scene_object_create", 1e-5, 3.0, [0, 0, 1, 1]))
        == "SceneObject(id=0.00001, class=3, conf=1.00)"
    )
    assert to_text(call("image_create", -0.0, 1, 1, [0.5])) == "Image(id=-0, 1x1, 1 pixels)"


def test_objects_are_immutable_records():
    cot = OBJECTS["chain_of_thought"][0]()
    with pytest.raises(AttributeError):
        cot.answer = "changed"
    changed = cot.with_(answer="b")
    assert (cot.answer, changed.answer, changed.problem) == ("a" * 31, "b", cot.problem)
    assert type(changed) is type(cot) and changed.FIELDS == ("problem", "steps", "answer", "confidence")
    with pytest.raises(TypeError):
        type(cot)()  # `problem` has no default


ARITY_CASES = [
    pytest.param(entry, got, id=f"{entry.name}-{got}")
    for entry in MINE
    for got in (entry.arity[0] - 1, None if entry.arity[1] is None else entry.arity[1] + 1)
    if got is not None and got >= 0
]


@pytest.mark.parametrize(("entry", "got"), ARITY_CASES)
def test_arity_messages_in_programs(entry, got):
    """§8.0: too few arguments, or too many where the entry is not R, stop with the entry's arity text."""
    code, out, err = _run(f"print({entry.name}({', '.join(['0'] * got)}))")
    assert (code, out) == (1, "")
    assert f"Runtime error:\n{entry.arity_error(got)}\n" in err


DETERMINISM_PROGRAM = """
let x = tensor_randn_seeded([2, 4, 8], 3)
print(linformer_forward(linformer_create(8, 2, 4, 2), x))
print(performer_forward(performer_create(8, 6), x))
print(fnet_forward(fnet_create(8), x))
print(rwkv_forward(rwkv_create(8), x))
print(mamba_forward(mamba_create(8, 4), x))
print(s4_forward(s4_create(4, 8), x))
print(moe_forward(moe_create(8, 16, 4, 2), x))
print(lstm_forward(lstm_create(8, 3), x), gru_forward(gru_create(8, 3), x))
let enc = clip_encoder_create(16)
print(embedding_cosine_similarity(clip_encode_text(enc, "a red cat"), clip_encode_text(enc, "the cat")))
let a = concept_add_property(concept_create("a", ["x", "y", "z"]), "w", 0.3)
print(concept_similarity(a, concept_create("b", ["w", "z", "q"])))
print(audio_mfcc(tensor_randn_seeded([600], 2), 8000, 5))
"""


def test_results_are_identical_across_processes_and_hash_seeds(tmp_path):
    """§8.14: deterministic means the same numbers in every run, whatever Python's string-hash seed."""
    program = tmp_path / "determinism.ch"
    program.write_text(DETERMINISM_PROGRAM, encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "charl_core.cli", "run", str(program)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert (result.returncode, result.stderr) == (0, "")
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") == 11
