"""LANGUAGE.md §8.15: chains of thought, trees of thoughts and the memory containers.

Every container is an immutable value (§5.1): each "add" returns a changed copy, built from tuples, so the
caller's old value is untouched. Layouts the language leaves open are chosen here and kept stable:
`cot_get_info` is `[problem, answer, confidence, num_steps]` (the shape of `multimodal_cot_get_info`),
`cot_get_step` is `[step_number, thought, confidence]` (`[]` when there is no such step), a step added without
a confidence has 1.0, and a chain's confidence is 0.0 until `cot_compute_confidence` sets it to the mean
of its steps'. A chain with no answer prints an empty answer. Short-term memory forgets its oldest item
when full; working memory first moves that item to its long-term memory.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import to_float
from charl_core.runtime.library.specialised import ObjectValue, checked, count, label, mean, shown

# ───────────────────────────── chain of thought ─────────────────────────────


class Step(NamedTuple):
    number: int
    thought: str
    confidence: float


class ChainOfThought(ObjectValue):
    KIND = "chain_of_thought"
    problem: str
    steps: tuple[Step, ...] = ()
    answer: str = ""
    confidence: float = 0.0

    def text(self) -> str:
        raw = self.answer.encode()
        answer = raw[:30].decode(errors="ignore") + "..." if len(raw) > 30 else self.answer
        return f"ChainOfThought({len(self.steps)} steps, answer: {answer})"


@implements("cot_create")
def cot_create(ctx, args):
    return ChainOfThought(label(checked("cot_create", args)[0]))


def _add_step(args: list, confidence: float) -> ChainOfThought:
    cot, number, thought = args[:3]
    return cot.with_(steps=(*cot.steps, Step(count(number), label(thought), confidence)))


@implements("cot_add_step")
def cot_add_step(ctx, args):
    return _add_step(checked("cot_add_step", args), 1.0)


@implements("cot_add_step_conf")
def cot_add_step_conf(ctx, args):
    checked("cot_add_step_conf", args)
    return _add_step(args, to_float(args[3]))


@implements("cot_with_answer")
def cot_with_answer(ctx, args):
    cot, answer = checked("cot_with_answer", args)[:2]
    return cot.with_(answer=label(answer))


@implements("cot_compute_confidence")
def cot_compute_confidence(ctx, args):
    cot = checked("cot_compute_confidence", args)[0]
    return cot.with_(confidence=mean(np.array([step.confidence for step in cot.steps])))


@implements("cot_get_info")
def cot_get_info(ctx, args):
    cot = checked("cot_get_info", args)[0]
    return [cot.problem, cot.answer, cot.confidence, len(cot.steps)]


@implements("cot_get_step")
def cot_get_step(ctx, args):
    cot, number = checked("cot_get_step", args)[:2]
    wanted = count(number)
    for step in cot.steps:
        if step.number == wanted:
            return [step.number, step.thought, step.confidence]
    return []


# ───────────────────────────── tree of thoughts ─────────────────────────────

STRATEGIES = {"bfs": "BreadthFirst", "dfs": "DepthFirst", "best_first": "BestFirst"}


class ThoughtNode(ObjectValue):
    KIND = "thought_node"
    id: int
    parent: int | None
    thought: str
    value: float
    depth: int
    solution: bool = False

    def text(self) -> str:
        return f"ThoughtNode(id={self.id}, depth={self.depth})"


class TreeOfThoughts(ObjectValue):
    KIND = "tree_of_thoughts"
    strategy: str
    nodes: tuple[ThoughtNode, ...]

    def text(self) -> str:
        return f"TreeOfThoughts(nodes={len(self.nodes)}, strategy={STRATEGIES[self.strategy]})"

    def node(self, name: str, value) -> ThoughtNode:
        index = count(value)
        if not 0 <= index < len(self.nodes):
            raise CharlError(f"{name}: node {index} does not exist (the tree has {len(self.nodes)} nodes)")
        return self.nodes[index]


@implements("tot_create")
def tot_create(ctx, args):
    root, strategy = checked("tot_create", args)[:2]
    if strategy not in STRATEGIES:
        raise CharlError(f"tot_create: unknown strategy '{strategy}'. Use 'bfs', 'dfs', or 'best_first'")
    return TreeOfThoughts(strategy, (ThoughtNode(0, None, label(root), 0.0, 0),))


@implements("tot_add_thought")
def tot_add_thought(ctx, args):
    tot, parent_id, thought, value = checked("tot_add_thought", args)[:4]
    parent = tot.node("tot_add_thought", parent_id)
    score = float(np.float32(to_float(value)))  # stored as binary32 (§8.15)
    node = ThoughtNode(len(tot.nodes), parent.id, label(thought), score, parent.depth + 1)
    return tot.with_(nodes=(*tot.nodes, node))


@implements("tot_mark_solution")
def tot_mark_solution(ctx, args):
    tot, node_id = checked("tot_mark_solution", args)[:2]
    node = tot.node("tot_mark_solution", node_id)
    nodes = list(tot.nodes)
    nodes[node.id] = node.with_(solution=True)
    return tot.with_(nodes=tuple(nodes))


@implements("tot_stats")
def tot_stats(ctx, args):
    """`[nodes, max_depth, solutions]`: the order the original returns, not the one its usage text states."""
    tot = checked("tot_stats", args)[0]
    return [len(tot.nodes), max(n.depth for n in tot.nodes), sum(n.solution for n in tot.nodes)]


# ───────────────────────────── memory ─────────────────────────────

MEMORY_TYPES = {"episodic": "Episodic", "semantic": "Semantic", "procedural": "Procedural"}


class MemoryItem(ObjectValue):
    KIND = "memory_item"
    id: str
    content: str
    type: str

    def text(self) -> str:
        return f"MemoryItem(id={self.id}, type={MEMORY_TYPES[self.type]})"


class ShortTermMemory(ObjectValue):
    KIND = "short_term_memory"
    capacity: int
    items: tuple[MemoryItem, ...] = ()

    def text(self) -> str:
        return f"ShortTermMemory(capacity={self.capacity}, used={len(self.items)})"

    def add(self, item: MemoryItem) -> tuple[ShortTermMemory, tuple[MemoryItem, ...]]:
        """The memory with `item` appended, and the oldest items it had to forget to stay in capacity."""
        items = (*self.items, item)
        overflow = max(len(items) - self.capacity, 0)
        return self.with_(items=items[overflow:]), items[:overflow]


class LongTermMemory(ObjectValue):
    KIND = "long_term_memory"
    items: tuple[MemoryItem, ...] = ()

    def text(self) -> str:
        return "LongTermMemory"


class WorkingMemory(ObjectValue):
    KIND = "working_memory_system"
    short_term: ShortTermMemory
    long_term: LongTermMemory

    def text(self) -> str:
        return "WorkingMemorySystem"


@implements("memory_item_create")
def memory_item_create(ctx, args):
    item_id, content, kind = checked("memory_item_create", args)[:3]
    if kind not in MEMORY_TYPES:
        raise CharlError(
            f"memory_item_create: unknown memory type '{kind}'. Use 'episodic', 'semantic', or 'procedural'"
        )
    return MemoryItem(shown(item_id), label(content), kind)


def _capacity(name: str, value) -> int:
    capacity = count(value)
    if capacity < 0:
        raise CharlError(f"{name}: capacity must not be negative, got {capacity}")
    return capacity


@implements("stm_create")
def stm_create(ctx, args):
    return ShortTermMemory(_capacity("stm_create", checked("stm_create", args)[0]))


@implements("stm_add")
def stm_add(ctx, args):
    stm, item = checked("stm_add", args)[:2]
    return stm.add(item)[0]


@implements("stm_len")
def stm_len(ctx, args):
    return len(checked("stm_len", args)[0].items)


@implements("ltm_create")
def ltm_create(ctx, args):
    return LongTermMemory()


@implements("ltm_store")
def ltm_store(ctx, args):
    ltm, item = checked("ltm_store", args)[:2]
    return ltm.with_(items=(*ltm.items, item))


@implements("ltm_size")
def ltm_size(ctx, args):
    return len(checked("ltm_size", args)[0].items)


@implements("working_memory_create")
def working_memory_create(ctx, args):
    capacity = _capacity("working_memory_create", checked("working_memory_create", args)[0])
    return WorkingMemory(ShortTermMemory(capacity), LongTermMemory())


@implements("working_memory_remember")
def working_memory_remember(ctx, args):
    wm, item = checked("working_memory_remember", args)[:2]
    short_term, forgotten = wm.short_term.add(item)
    long_term = wm.long_term.with_(items=(*wm.long_term.items, *forgotten))
    return wm.with_(short_term=short_term, long_term=long_term)


@implements("working_memory_consolidate")
def working_memory_consolidate(ctx, args):
    wm = checked("working_memory_consolidate", args)[0]
    long_term = wm.long_term.with_(items=(*wm.long_term.items, *wm.short_term.items))
    return wm.with_(short_term=wm.short_term.with_(items=()), long_term=long_term)
