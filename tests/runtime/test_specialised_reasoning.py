"""LANGUAGE.md §8.15 (chains and trees of thoughts, memory) and §8.16 (operator fusion): the documented
values, value semantics of the containers, print texts and error messages."""

from __future__ import annotations

import io

import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.values import to_text

load()


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def message(name: str, *args) -> str:
    with pytest.raises(CharlError) as error:
        call(name, *args)
    return error.value.message


# ───────────────────────────── chain of thought ─────────────────────────────


def test_chain_of_thought_steps_answer_and_value_semantics():
    empty = call("cot_create", "What is 12 * 3?")
    one = call("cot_add_step", empty, 1, "12 * 3 = 36")
    two = call("cot_add_step_conf", one, 2.9, "so 36", 0.5)
    done = call("cot_with_answer", two, 36)
    assert to_text(empty) == "ChainOfThought(0 steps, answer: )"
    assert to_text(one) == "ChainOfThought(1 steps, answer: )"
    assert to_text(done) == "ChainOfThought(2 steps, answer: 36)"
    assert call("cot_get_step", done, 2) == [2, "so 36", 0.5]  # the step number truncates like an index
    assert call("cot_get_step", done, 1) == [1, "12 * 3 = 36", 1.0]
    assert call("cot_get_step", done, 3) == []
    assert call("cot_get_info", done) == ["What is 12 * 3?", "36", 0.0, 2]
    assert call("cot_get_info", call("cot_compute_confidence", done)) == ["What is 12 * 3?", "36", 0.75, 2]


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        ("x" * 30, "x" * 30),
        ("x" * 31, "x" * 30 + "..."),
        ("é" * 16, "é" * 15 + "..."),  # 32 bytes: the first 30 are 15 characters
        ("a" + "é" * 15, "a" + "é" * 14 + "..."),  # 31 bytes: the cut falls inside a character
    ],
)
def test_answer_is_cut_to_thirty_bytes(answer, shown):
    cot = call("cot_with_answer", call("cot_create", "q"), answer)
    assert to_text(cot) == f"ChainOfThought(0 steps, answer: {shown})"


# ───────────────────────────── tree of thoughts ─────────────────────────────


@pytest.mark.parametrize(
    ("strategy", "name"), [("bfs", "BreadthFirst"), ("dfs", "DepthFirst"), ("best_first", "BestFirst")]
)
def test_tree_strategies(strategy, name):
    assert to_text(call("tot_create", "root", strategy)) == f"TreeOfThoughts(nodes=1, strategy={name})"


def test_unknown_strategy():
    assert (
        message("tot_create", "root", "BFS")
        == "tot_create: unknown strategy 'BFS'. Use 'bfs', 'dfs', or 'best_first'"
    )


def test_tree_ids_depths_values_and_stats_order():
    tot = call("tot_create", "root", "bfs")
    tot = call("tot_add_thought", tot, 0, "a", 0.8)  # node 1, depth 1
    tot = call("tot_add_thought", tot, 1, "b", 0.1)  # node 2, depth 2
    tot = call("tot_add_thought", tot, 0, "c", 1)  # node 3, depth 1
    assert [n.id for n in tot.nodes] == [0, 1, 2, 3]
    assert [n.depth for n in tot.nodes] == [0, 1, 2, 1]
    assert tot.nodes[1].value == 0.800000011920929  # binary32 storage (§8.15)
    solved = call("tot_mark_solution", call("tot_mark_solution", tot, 2), 3)
    # [nodes, max_depth, solutions]: index 1 is the depth, whatever the usage text says.
    assert call("tot_stats", solved) == [4, 2, 2]
    assert call("tot_stats", tot) == [4, 2, 0]  # marking returned a new tree
    assert to_text(tot.nodes[2]) == "ThoughtNode(id=2, depth=2)"


def test_tree_node_errors():
    tot = call("tot_create", "root", "dfs")
    assert (
        message("tot_add_thought", tot, 5, "x", 0.5)
        == "tot_add_thought: node 5 does not exist (the tree has 1 nodes)"
    )
    assert (
        message("tot_mark_solution", tot, -1)
        == "tot_mark_solution: node -1 does not exist (the tree has 1 nodes)"
    )


# ───────────────────────────── memory ─────────────────────────────


def _item(n: int, kind: str = "episodic"):
    return call("memory_item_create", n, f"item {n}", kind)


def test_memory_items():
    assert to_text(_item(1, "semantic")) == "MemoryItem(id=1, type=Semantic)"
    assert to_text(call("memory_item_create", "m", 2.5, "episodic")) == "MemoryItem(id=m, type=Episodic)"
    assert message("memory_item_create", 1, "x", "Semantic") == (
        "memory_item_create: unknown memory type 'Semantic'. Use 'episodic', 'semantic', or 'procedural'"
    )


def test_short_term_memory_forgets_the_oldest_when_full():
    stm = call("stm_create", 2)
    for n in range(3):
        stm = call("stm_add", stm, _item(n))
    assert to_text(stm) == "ShortTermMemory(capacity=2, used=2)"
    assert call("stm_len", stm) == 2
    assert [item.id for item in stm.items] == ["1", "2"]
    assert call("stm_len", call("stm_create", 2)) == 0
    assert message("stm_create", -1) == "stm_create: capacity must not be negative, got -1"


def test_long_term_memory():
    ltm = call("ltm_create", "ignored")
    bigger = call("ltm_store", call("ltm_store", ltm, _item(1)), _item(2))
    assert (call("ltm_size", ltm), call("ltm_size", bigger)) == (0, 2)


def test_working_memory_consolidates_what_short_term_memory_overflows():
    wm = call("working_memory_create", 2)
    for n in range(3):
        wm = call("working_memory_remember", wm, _item(n))
    assert [i.id for i in wm.short_term.items] == ["1", "2"]
    assert [i.id for i in wm.long_term.items] == ["0"]
    moved = call("working_memory_consolidate", wm)
    assert (len(moved.short_term.items), [i.id for i in moved.long_term.items]) == (0, ["0", "1", "2"])
    assert len(wm.short_term.items) == 2  # the argument is unchanged
    assert to_text(moved) == "WorkingMemorySystem"


# ───────────────────────────── fusion ─────────────────────────────

GRAPH = ["matmul", "add", "relu", "conv2d", "softmax", "mul", "add", "transpose", "gelu"]


def test_fusion_finds_producer_and_elementwise_chains():
    optimizer = call("fusion_analyze", call("fusion_create", "aggressive"), GRAPH)
    # [matmul add relu] saves 2 intermediates, [mul add] saves 1; softmax and transpose break chains.
    assert call("fusion_get_stats", optimizer) == [2, 2, 3]
    twice = call("fusion_analyze", optimizer, ["linear", "bias", "tanh"])
    assert call("fusion_get_stats", twice) == [3, 3, 5]
    assert call("fusion_get_stats", optimizer) == [2, 2, 3]
    assert to_text(optimizer) == "FusionOptimizer"


def test_fusion_disabled_config_records_but_applies_nothing():
    optimizer = call("fusion_analyze", call("fusion_create", "None"), GRAPH)
    assert call("fusion_get_stats", optimizer) == [2, 0, 0]
    assert call("fusion_get_stats", call("fusion_analyze", call("fusion_create", "x"), "matmul")) == [0, 0, 0]


def test_fusion_settings_and_stubs():
    assert call("fusion_enable", True) is None
    assert call("fusion_set_strategy", "greedy", "extra") is None
    assert call("fusion_detect_patterns", GRAPH) == []
    ops = ["matmul", "add"]
    assert call("fusion_apply_pattern", ops, "linear") is ops
    assert call("fusion_estimate_speedup", 1, 2) == 2.0
