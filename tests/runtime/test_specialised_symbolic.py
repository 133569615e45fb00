"""LANGUAGE.md §8.20 (rules, first-order logic, fuzzy logic, concepts) and §8.21 (advanced: the stubs'
constants, task helpers, the spectrogram constant and MFCC against a NumPy reference)."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import to_text

load()


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def message(name: str, *args) -> str:
    with pytest.raises(CharlError) as error:
        call(name, *args)
    return error.value.message


def var(name):
    return call("fol_var", name)


def const(name):
    return call("fol_const", name)


def func(name, *args):
    return call("fol_func", name, list(args))


def pred(name, *args):
    return call("fol_predicate", name, list(args))


# ───────────────────────────── rules and terms ─────────────────────────────


def test_rule_engine_counts_and_value_semantics():
    rule = call("rule_create", "mortality", "every human is mortal")
    assert to_text(rule) == "Rule(mortality)"
    engine = call("rule_engine_create")
    bigger = call("rule_engine_add_rule", call("rule_engine_add_rule", engine, rule), rule)
    assert (call("rule_engine_count", engine), call("rule_engine_count", bigger)) == (0, 2)
    assert to_text(engine) == "RuleEngine"


def test_terms_print_their_written_form():
    assert to_text(var("x")) == "FOLTerm(x)"
    assert to_text(call("fol_constant", "socrates")) == "FOLTerm(socrates)"
    assert to_text(call("fol_function", "f", [var("x"), func("g", const("a"))])) == "FOLTerm(f(x, g(a)))"
    assert message("fol_func", "f", [1]) == "fol_func() expects an array of fol_term, got integer in it"


@pytest.mark.parametrize(
    ("left", "right", "unifies"),
    [
        (var("x"), const("socrates"), True),
        (const("a"), const("b"), False),
        (const("a"), const("a"), True),
        (func("f", var("x"), const("a")), func("f", const("b"), var("y")), True),
        (func("f", var("x"), var("x")), func("f", const("a"), const("b")), False),
        (var("x"), func("f", var("x")), False),  # occurs check
        (func("f", const("a")), func("f", const("a"), const("a")), False),
        (func("f", const("a")), func("g", const("a")), False),
        (func("f", var("x"), func("g", var("x"))), func("f", var("y"), func("g", const("c"))), True),
    ],
)
def test_unification(left, right, unifies):
    assert call("fol_unify", left, right) is unifies


# ───────────────────────────── solver ─────────────────────────────


def solver(facts=(), rules=()):
    s = call("fol_solver_create")
    for fact in facts:
        s = call("fol_solver_add_fact", s, fact)
    for head, body in rules:
        s = call("fol_solver_add_rule", s, head, body)
    return s


def prove(s, goal) -> bool:
    return call("fol_solver_prove", s, goal)


def test_modus_ponens_through_a_rule():
    x = var("x")
    s = solver([pred("human", const("socrates"))], [(pred("mortal", x), [pred("human", x)])])
    assert prove(s, pred("mortal", const("socrates"))) is True
    assert prove(s, pred("mortal", const("zeus"))) is False
    assert prove(s, pred("mortal", var("who"))) is True
    assert to_text(s) == "FOLSolver"


def test_universal_implication_told_as_a_fact():
    x = var("x")
    law = call("fol_forall", x, call("fol_implies", pred("human", x), pred("mortal", x)))
    s = solver([law, pred("human", const("plato"))])
    assert prove(s, pred("mortal", const("plato"))) is True
    assert prove(s, call("fol_exists", var("y"), pred("mortal", var("y")))) is True


def test_connectives_and_negation_as_failure():
    a, b = const("a"), const("b")
    s = solver([call("fol_and", pred("p", a), pred("q", b))])
    assert prove(s, call("fol_and", pred("p", a), pred("q", b))) is True
    assert prove(s, call("fol_and", pred("p", a), pred("q", a))) is False
    assert prove(s, call("fol_or", pred("q", a), pred("q", b))) is True
    assert prove(s, call("fol_not", pred("q", a))) is True
    assert prove(s, call("fol_not", pred("p", a))) is False
    assert prove(s, call("fol_implies", pred("q", a), pred("r", a))) is True  # ¬q(a) holds
    assert prove(s, call("fol_implies", pred("p", a), pred("r", a))) is False


def test_forall_goal_needs_a_universal_fact():
    x = var("x")
    assert prove(solver([pred("p", const("a"))]), call("fol_forall", x, pred("p", x))) is False
    assert prove(solver([pred("p", var("z"))]), call("fol_forall", x, pred("p", x))) is True


def test_recursive_rules_and_depth_limit():
    x, y, z = var("x"), var("y"), var("z")
    parents = [pred("parent", const(a), const(b)) for a, b in [("ann", "bob"), ("bob", "cy"), ("cy", "di")]]
    rules = [
        (pred("ancestor", x, y), [pred("parent", x, y)]),
        (pred("ancestor", x, y), [pred("parent", x, z), pred("ancestor", z, y)]),
    ]
    s = solver(parents, rules)
    assert prove(s, pred("ancestor", const("ann"), const("di"))) is True
    assert prove(s, pred("ancestor", const("di"), const("ann"))) is False
    looping = solver([], [(pred("loop", x), [pred("loop", x)])])
    assert prove(looping, pred("loop", const("a"))) is False  # the depth limit ends the search
    # Two left-recursive rules branch 2^64 ways within the depth limit: the step budget ends that search.
    branching = solver(
        [], [(pred("loop", x), [pred("loop", x)])] * 2 + [(pred("loop", x), [pred("base", x)])]
    )
    assert prove(branching, pred("loop", const("a"))) is False


def test_solver_rule_errors():
    assert message("fol_solver_add_rule", solver(), pred("p", var("x")), [1]) == (
        "fol_solver_add_rule() expects a fol_formula body, got integer"
    )
    assert message("fol_solver_add_rule", solver(), call("fol_not", pred("p", var("x"))), []) == (
        "fol_solver_add_rule: the head must be a predicate"
    )


# ───────────────────────────── fuzzy logic ─────────────────────────────


def fuzzy(v):
    return call("fuzzy_create", v, "f")


@pytest.mark.parametrize("value", [1.5, -0.1, float("nan")])
def test_fuzzy_range(value):
    assert message("fuzzy_create", value, "x") == "fuzzy_create: value must be in [0.0, 1.0]"


def test_fuzzy_operators_are_min_max_and_complement():
    assert call("fuzzy_get_value", fuzzy(0)) == 0.0 and call("fuzzy_get_value", fuzzy(1)) == 1.0
    assert call("fuzzy_get_value", call("fuzzy_and", fuzzy(0.7), fuzzy(0.4))) == 0.4
    assert call("fuzzy_get_value", call("fuzzy_or", fuzzy(0.7), 0.4)) == 0.7
    assert call("fuzzy_get_value", call("fuzzy_and", 0.2, 1)) == 0.2
    assert call("fuzzy_get_value", call("fuzzy_not", fuzzy(0.25))) == 0.75
    assert call("fuzzy_to_float", call("fuzzy_implies", call("fuzzy_value", 0.8), 0.1)) == 1.0 - 0.8
    assert call("fuzzy_to_float", call("fuzzy_implies", 0.8, call("fuzzy_value", 0.3))) == 0.3
    assert call("fuzzy_to_bool", call("fuzzy_value", 0.5)) is True
    assert call("fuzzy_to_bool", 0.49) is False
    assert to_text(fuzzy(0.5)) == "FuzzyValue"
    assert message("fuzzy_and", "a", 0.5) == "fuzzy_and() expects a fuzzy_value or a number, got string"


@pytest.mark.parametrize(
    ("a", "b", "degree"),
    [
        ("colour", "color", 1 - 1 / 6),
        ("kitten", "sitting", 1 - 3 / 7),
        ("", "", 1.0),
        ("abc", "abc", 1.0),
        ("ab", "", 0.0),
    ],
)
def test_soft_unification_is_normalised_levenshtein(a, b, degree):
    assert call("fuzzy_to_float", call("soft_unify_strings", a, b)) == pytest.approx(degree, rel=1e-15)


# ───────────────────────────── concepts ─────────────────────────────


def concept(name, *properties):
    return call("concept_create", name, list(properties))


def test_concept_similarity_documented_examples():
    mlp = concept("mlp", "supervised", "classification", "neural")
    tree = concept("tree", "supervised", "classification", "tree")
    kmeans = concept("kmeans", "unsupervised", "clustering", "neural")
    assert call("concept_similarity", mlp, tree) == 0.5
    assert call("concept_similarity", mlp, kmeans) == 0.2
    assert call("concept_similarity", call("concept_create", "a"), call("concept_create", "b")) == 1.0


def test_concept_strengths_are_weighted():
    cat = call("concept_add_property", call("concept_create", "cat"), "furry", 0.9)
    assert call("concept_similarity", cat, concept("dog", "furry")) == 0.9
    cat = call("concept_add_property", cat, "furry", 0.5)  # replaces the strength
    cat = call("concept_add_property", cat, "small", 1)
    # min: furry 0.5, small 0 → 0.5; max: furry 1.0, small 1.0 → 2.0
    assert call("concept_similarity", cat, concept("dog", "furry")) == 0.25
    assert to_text(cat) == "Concept"
    assert (
        message("concept_create", "c", ["ok", 3])
        == "concept_create() expects an array of strings, got integer in it"
    )


def test_concept_graph():
    g = call("concept_graph_create")
    bigger = call("concept_graph_add_concept", call("concept_graph_add", g, concept("a")), concept("b"))
    assert (call("concept_graph_count", g), call("concept_graph_count", bigger, "extra")) == (0, 2)
    assert to_text(g) == "ConceptGraph"


# ───────────────────────────── §8.21 ─────────────────────────────


def test_stub_constants():
    graph = call("causal_graph_create")
    assert call("curriculum_create") == "CurriculumLearner"
    assert type(graph) is str and call("causal_add_edge", graph, "rain", "wet", 0.9) is graph
    assert call("meta_adapt_lr", "anything", 0.1) == 0.09000000000000001
    assert call("few_shot_classify", [], [], [], 1) == 0
    assert [call(n, 1, 2, 3) for n in ("causal_intervene", "abductive_explain", "planning_search")] == [
        [],
        [],
        [],
    ]
    assert call("counterfactual_generate", 1, 2, 3) is None
    assert type(call("temporal_sequence_create", [], [])) is str
    assert call("temporal_align", 1, 2) == 0.85
    ltm = call("ltm_create")
    assert call("memory_consolidate_threshold", call("stm_create", 1), ltm, 0.5) is ltm
    assert type(call("planning_create_goal", "make tea", ["boil"])) is str


def test_task_helpers():
    assert call("task_difficulty", [1.0, -3.0]) == 2.0
    assert call("task_difficulty", Tensor(np.array([-1.0, 0.5, 0.0, 2.5]), (2, 2))) == 1.0
    assert call("task_difficulty", -4) == 4.0 and call("task_difficulty", []) == 0.0
    assert call("task_sample_batch", ["a", "b", "c"], 2, "random") == ["a", "b"]
    assert (
        call("task_sample_batch", ["a"], 5, None) == ["a"]
        and call("task_sample_batch", ["a"], -1, None) == []
    )


def test_spectrogram_constant():
    spectrogram = call("audio_spectrogram", Tensor(np.zeros(3), (3,)), 16000)
    assert spectrogram.shape == (16, 8) and not spectrogram.requires_grad
    assert spectrogram.data == pytest.approx([math.sin(i / 128) for i in range(128)], rel=1e-15, abs=0)


def _mfcc_reference(signal, rate, coeffs, frame=256, hop=128, filters=26):
    window = np.hanning(frame + 1)[:-1]  # periodic Hann
    frames = np.stack([signal[s : s + frame] * window for s in range(0, len(signal) - frame + 1, hop)])
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2 / frame
    edges = 700 * (10 ** (np.linspace(0, 2595 * np.log10(1 + rate / 2 / 700), filters + 2) / 2595) - 1)
    freqs = np.linspace(0, rate / 2, frame // 2 + 1)
    bank = np.array(
        [
            np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0, None)
            for lo, mid, hi in zip(edges, edges[1:], edges[2:], strict=False)
        ]
    )
    logs = np.log(power @ bank.T + 1e-10)
    n = np.arange(filters)
    dct = np.array([np.cos(np.pi * k * (2 * n + 1) / (2 * filters)) for k in range(coeffs)]) * np.sqrt(
        2 / filters
    )
    dct[0] /= np.sqrt(2)
    return logs @ dct.T


def test_mfcc_against_numpy():
    rate = 16000
    t = np.arange(1024) / rate
    signal = np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 3000 * t)
    mfcc = call("audio_mfcc", Tensor(signal, (1024,)), rate, 13)
    assert mfcc.shape == (7, 13) and not mfcc.requires_grad
    np.testing.assert_allclose(
        mfcc.data.reshape(7, 13), _mfcc_reference(signal, rate, 13), rtol=1e-8, atol=1e-8
    )
    assert call("audio_mfcc", signal.tolist()[:100], rate, 4).shape == (1, 4)  # one frame of the whole input


def test_mfcc_errors():
    assert message("audio_mfcc", [], 16000, 13).startswith("audio_mfcc: needs a non-empty waveform")
    assert message("audio_mfcc", [1.0, 2.0], 16000.0, 40).endswith(
        "got 2 samples, rate 16000, 40 coefficients"
    )
