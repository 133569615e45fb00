"""LANGUAGE.md §8.15: reasoning containers — chains of thought, trees of thoughts, and short-term, long-term
and working memory.

All of them are opaque objects updated functionally: every "add" returns the updated container, which the
program reassigns (`cot = cot_add_step(cot, 1, "…")`, §5.1). Their observable behaviour is their print text
(§5.4) and the few getters listed here. The tree-of-thoughts and memory builtins are R builtins (§8.0): their
arity message is `NAME requires N arguments: …` and extra arguments are ignored.
"""

from __future__ import annotations

from charl_core.builtins.rules import fixed_array, returns
from charl_core.builtins.spec import ArityStyle, Builtin, Kind, Param
from charl_core.types import INT, ArrayType, ObjectType

CHAIN = ObjectType("chain_of_thought")
TREE = ObjectType("tree_of_thoughts")
SHORT_TERM = ObjectType("short_term_memory")
LONG_TERM = ObjectType("long_term_memory")
WORKING = ObjectType("working_memory_system")


def _object(name: str, kind: ObjectType) -> Param:
    return Param(name, Kind.OBJECT, object_kind=kind.kind)


_COT = _object("cot", CHAIN)
_TOT = _object("tot", TREE)
_ITEM = _object("item", ObjectType("memory_item"))
_CHAIN_TEXT = (
    "Prints as `ChainOfThought(‹n› steps, answer: ‹answer›)`, the answer cut to its first 30 bytes "
    "followed by `...` when longer."
)
_TREE_TEXT = "Prints as `TreeOfThoughts(nodes=‹n›, strategy=BestFirst)` (or `BreadthFirst`, `DepthFirst`)."

BUILTINS: tuple[Builtin, ...] = (
    # ── chain of thought ──
    Builtin(
        name="cot_create",
        section="8.15",
        usage="cot_create(problem)",
        params=(Param("problem"),),
        result=returns(CHAIN),
        summary="Start an empty chain of thought for a problem",
        doc="Makes a `chain_of_thought` for the `problem` text, with no steps and no answer yet. Add steps "
        f"with `cot_add_step` and the answer with `cot_with_answer`, reassigning the result. {_CHAIN_TEXT}",
        example='let cot = cot_create("What is 12 * 3?")\nprint(cot)',
    ),
    Builtin(
        name="cot_add_step",
        section="8.15",
        usage="cot_add_step(cot, step_number, thought)",
        params=(_COT, Param("step_number", Kind.NUMBER), Param("thought")),
        result=returns(CHAIN),
        summary="Return the chain of thought with one more reasoning step",
        doc="Appends the step `step_number` with the text `thought` and returns the updated "
        "`chain_of_thought`; the argument itself is unchanged (value semantics), so reassign it. "
        f"{_CHAIN_TEXT}",
        example='let cot = cot_create("What is 12 * 3?")\n'
        'cot = cot_add_step(cot, 1, "12 * 3 = 36")\nprint(cot)',
    ),
    Builtin(
        name="cot_add_step_conf",
        section="8.15",
        usage="cot_add_step_conf(cot, step_number, thought, confidence)",
        params=(_COT, Param("step_number", Kind.NUMBER), Param("thought"), Param("confidence", Kind.NUMBER)),
        result=returns(CHAIN),
        summary="Return the chain of thought with one more step that carries a confidence",
        doc="Like `cot_add_step`, with the step's `confidence` (a number, normally in [0, 1]); returns the "
        f"updated `chain_of_thought`. {_CHAIN_TEXT}",
        example='let cot = cot_create("What is 12 * 3?")\n'
        'cot = cot_add_step_conf(cot, 1, "12 * 3 = 36", 0.9)\nprint(cot)',
    ),
    Builtin(
        name="cot_with_answer",
        section="8.15",
        usage="cot_with_answer(cot, answer)",
        params=(_COT, Param("answer")),
        result=returns(CHAIN),
        summary="Return the chain of thought with its final answer set",
        doc=f"Sets the chain's final `answer` and returns the updated `chain_of_thought`. {_CHAIN_TEXT}",
        example='let cot = cot_create("What is 12 * 3?")\ncot = cot_with_answer(cot, "36")\nprint(cot)',
    ),
    Builtin(
        name="cot_compute_confidence",
        section="8.15",
        usage="cot_compute_confidence(cot)",
        params=(_COT,),
        result=returns(CHAIN),
        summary="Return the chain of thought with its overall confidence computed from its steps",
        doc="Derives the chain's overall confidence from the confidences of its steps and returns the "
        f"updated `chain_of_thought`. {_CHAIN_TEXT}",
        example='let cot = cot_create("What is 12 * 3?")\n'
        'cot = cot_add_step_conf(cot, 1, "12 * 3 = 36", 0.9)\nprint(cot_compute_confidence(cot))',
    ),
    Builtin(
        name="cot_get_info",
        section="8.15",
        usage="cot_get_info(cot)",
        params=(_COT,),
        result=returns(ArrayType()),
        summary="An array describing the chain of thought",
        doc="Returns an array describing the chain. LANGUAGE.md does not fix its layout, so the checker "
        "knows neither its length nor its element kinds.",
        example='let cot = cot_create("What is 12 * 3?")\nprint(cot_get_info(cot_with_answer(cot, "36")))',
    ),
    Builtin(
        name="cot_get_step",
        section="8.15",
        usage="cot_get_step(cot, step_number)",
        params=(_COT, Param("step_number", Kind.NUMBER)),
        result=returns(ArrayType()),
        summary="An array describing one step of the chain of thought",
        doc="Returns an array describing the step `step_number`. LANGUAGE.md does not fix its layout, so "
        "the checker knows neither its length nor its element kinds.",
        example='let cot = cot_add_step(cot_create("What is 12 * 3?"), 1, "12 * 3 = 36")\n'
        'cot = cot_add_step(cot, 2, "so the answer is 36")\nprint(cot_get_step(cot, 1))',
    ),
    # ── tree of thoughts ──
    Builtin(
        name="tot_create",
        section="8.15",
        usage="tot_create(root_thought, strategy)",
        params=(Param("root_thought"), Param("strategy", Kind.STRING)),
        result=returns(TREE),
        summary="Start a tree of thoughts from a root thought, with a search strategy",
        doc="Makes a `tree_of_thoughts` whose root node (id 0) holds `root_thought`. `strategy` is "
        '`"bfs"`, `"dfs"` or `"best_first"` (breadth-first, depth-first, best-first search); anything '
        f"else is an error. {_TREE_TEXT} Extra arguments are ignored.",
        example='let tot = tot_create("Plan a route", "best_first")\nprint(tot)',
        arity_style=ArityStyle.REQUIRES,
        errors=("tot_create: unknown strategy '‹strategy›'. Use 'bfs', 'dfs', or 'best_first'",),
    ),
    Builtin(
        name="tot_add_thought",
        section="8.15",
        usage="tot_add_thought(tot, parent_id, thought, value)",
        params=(_TOT, Param("parent_id", Kind.NUMBER), Param("thought"), Param("value", Kind.NUMBER)),
        result=returns(TREE),
        summary="Return the tree of thoughts with a new child thought under a node",
        doc="Adds `thought` as a child of node `parent_id`, scored `value`, and returns the updated tree. "
        "Node ids are sequential (the root is 0, the first added node 1, …). The value is stored as a "
        f"binary32 float, so it reads back rounded. {_TREE_TEXT} Extra arguments are ignored.",
        example='let tot = tot_create("Plan a route", "best_first")\n'
        'tot = tot_add_thought(tot, 0, "Go north first", 0.8)\nprint(tot)',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="tot_mark_solution",
        section="8.15",
        usage="tot_mark_solution(tot, node_id)",
        params=(_TOT, Param("node_id", Kind.NUMBER)),
        result=returns(TREE),
        summary="Return the tree of thoughts with a node marked as a solution",
        doc=f"Marks node `node_id` as a solution and returns the updated tree. {_TREE_TEXT} Extra arguments "
        "are ignored.",
        example='let tot = tot_create("Plan a route", "best_first")\n'
        'tot = tot_add_thought(tot, 0, "Go north first", 0.8)\n'
        "print(tot_stats(tot_mark_solution(tot, 1)))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="tot_stats",
        section="8.15",
        usage="tot_stats(tot)",
        params=(_TOT,),
        result=returns(fixed_array(INT, INT, INT)),
        summary="The tree's statistics as [nodes, max_depth, solutions]",
        doc="Returns three integers in the order `[nodes, max_depth, solutions]`. The original usage text "
        "says `[nodes, solutions, max_depth]`, but the run time returns the depth at index 1: a program "
        "that reads index 1 as the number of solutions gets the depth. Extra arguments are ignored.",
        example='let tot = tot_create("Plan a route", "bfs")\n'
        'tot = tot_add_thought(tot, 0, "Go north first", 0.8)\nprint(tot_stats(tot))',
        arity_style=ArityStyle.REQUIRES,
    ),
    # ── memory ──
    Builtin(
        name="memory_item_create",
        section="8.15",
        usage="memory_item_create(id, content, type)",
        params=(Param("id"), Param("content"), Param("type", Kind.STRING)),
        result=returns(ObjectType("memory_item")),
        summary="Create a memory item (episodic, semantic or procedural)",
        doc='Makes a `memory_item` with an `id`, its `content` and a `type` of `"episodic"`, `"semantic"` '
        'or `"procedural"`. Prints as `MemoryItem(id=1, type=Semantic)`. Store it with `stm_add`, '
        "`ltm_store` or `working_memory_remember`. Extra arguments are ignored.",
        example='let fact = memory_item_create(1, "Paris is in France", "semantic")\nprint(fact)',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="stm_create",
        section="8.15",
        usage="stm_create(capacity)",
        params=(Param("capacity", Kind.NUMBER),),
        result=returns(SHORT_TERM),
        summary="Create an empty short-term memory holding at most capacity items",
        doc="Makes a `short_term_memory` of the given `capacity`. Prints as "
        "`ShortTermMemory(capacity=5, used=0)`. Extra arguments are ignored.",
        example="let stm = stm_create(5)\nprint(stm)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="stm_add",
        section="8.15",
        usage="stm_add(stm, item)",
        params=(_object("stm", SHORT_TERM), _ITEM),
        result=returns(SHORT_TERM),
        summary="Return the short-term memory with one more item",
        doc="Adds the `memory_item` and returns the updated `short_term_memory` (reassign it). Extra "
        "arguments are ignored.",
        example='let stm = stm_create(5)\nstm = stm_add(stm, memory_item_create(1, "a cat", "episodic"))\n'
        "print(stm)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="stm_len",
        section="8.15",
        usage="stm_len(stm)",
        params=(_object("stm", SHORT_TERM),),
        result=returns(INT),
        summary="The number of items in a short-term memory",
        doc="Returns the number of items the short-term memory holds, an integer. Extra arguments are "
        "ignored.",
        example='let stm = stm_add(stm_create(5), memory_item_create(1, "a cat", "episodic"))\n'
        "print(stm_len(stm))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="ltm_create",
        section="8.15",
        usage="ltm_create()",
        params=(),
        result=returns(LONG_TERM),
        summary="Create an empty long-term memory",
        doc="Makes an empty `long_term_memory`. Prints as `LongTermMemory`. Arguments are ignored.",
        example="let ltm = ltm_create()\nprint(ltm)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="ltm_store",
        section="8.15",
        usage="ltm_store(ltm, item)",
        params=(_object("ltm", LONG_TERM), _ITEM),
        result=returns(LONG_TERM),
        summary="Return the long-term memory with one more item stored",
        doc="Stores the `memory_item` and returns the updated `long_term_memory` (reassign it). Extra "
        "arguments are ignored.",
        example='let ltm = ltm_store(ltm_create(), memory_item_create(1, "Paris is in France", "semantic"))\n'
        "print(ltm_size(ltm))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="ltm_size",
        section="8.15",
        usage="ltm_size(ltm)",
        params=(_object("ltm", LONG_TERM),),
        result=returns(INT),
        summary="The number of items in a long-term memory",
        doc="Returns the number of stored items, an integer. Extra arguments are ignored.",
        example="print(ltm_size(ltm_create()))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="working_memory_create",
        section="8.15",
        usage="working_memory_create(capacity)",
        params=(Param("capacity", Kind.NUMBER),),
        result=returns(WORKING),
        summary="Create a working memory: a short-term memory of capacity items backed by a long-term one",
        doc="Makes a `working_memory_system` whose short-term part holds `capacity` items and whose "
        "long-term part is empty. Prints as `WorkingMemorySystem`. Extra arguments are ignored.",
        example="let wm = working_memory_create(3)\nprint(wm)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="working_memory_remember",
        section="8.15",
        usage="working_memory_remember(wm, item)",
        params=(_object("wm", WORKING), _ITEM),
        result=returns(WORKING),
        summary="Return the working memory with an item remembered in its short-term part",
        doc="Adds the `memory_item` to the short-term memory, which may consolidate items into the "
        "long-term memory, and returns the updated `working_memory_system`. Extra arguments are ignored.",
        example="let wm = working_memory_create(3)\n"
        'wm = working_memory_remember(wm, memory_item_create(1, "a cat", "episodic"))\nprint(wm)',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="working_memory_consolidate",
        section="8.15",
        usage="working_memory_consolidate(wm)",
        params=(_object("wm", WORKING),),
        result=returns(WORKING),
        summary="Return the working memory with short-term items consolidated into long-term memory",
        doc="Moves items from the short-term memory into the long-term memory and returns the updated "
        "`working_memory_system`. Extra arguments are ignored.",
        example="let wm = working_memory_create(3)\nprint(working_memory_consolidate(wm))",
        arity_style=ArityStyle.REQUIRES,
    ),
)
