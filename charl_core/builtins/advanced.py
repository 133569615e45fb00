"""LANGUAGE.md §8.21 Advanced (mostly stubs): curriculum and meta-learning helpers, causal and abductive
reasoning, planning, temporal sequences and audio features.

Most rows are stubs that return a constant or hand back one of their arguments; the checker knows those
results exactly (a stub's constant is part of what programs print), so the rules return the constants
themselves and pass argument types through. None of these builtins is R: their arity errors use the ordinary
`expects` message. §8.21 gives no parameter names for `few_shot_classify` ("4 arguments"); the names below are
ours.
"""

from __future__ import annotations

from charl_core.builtins.rules import argument_unchanged, constant_int, constant_number, returns, tensor_of
from charl_core.builtins.spec import Builtin, Call, Kind, Param, Tracking
from charl_core.types import ANY, FLOAT, NULL, STRING, ArrayType, FloatType, IntType, StringType, Type

EMPTY_ARRAY = ArrayType(ANY, 0, ())
SPECTROGRAM_SHAPE = (16, 8)


def first_tasks(call: Call) -> Type:
    """task_sample_batch: the first `batch_size` elements of `tasks`, so the element type (and, with a
    constant batch size, the length and per-position types) carry over. A negative batch size is left
    unknown."""
    tasks, count = call.argument(0), constant_int(call.argument(1))
    if not isinstance(tasks, ArrayType):
        return ArrayType()
    if count is None or count < 0 or tasks.length is None:
        return ArrayType(tasks.element)
    length = min(count, tasks.length)
    items = tasks.items[:length] if tasks.items is not None else None
    return ArrayType(tasks.element, length, items)


def adapted_lr(call: Call) -> Type:
    """meta_adapt_lr: `0.9 * base_lr`, folded when `base_lr` is a known constant."""
    base = constant_number(call.argument(1))
    return FloatType(0.9 * base) if base is not None else FLOAT


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="curriculum_create",
        section="8.21",
        usage="curriculum_create()",
        params=(),
        result=returns(StringType("CurriculumLearner")),
        summary='Stub: returns the string "CurriculumLearner"',
        doc='A stub: returns the string `"CurriculumLearner"` (not an object).',
        example="print(curriculum_create())",
    ),
    Builtin(
        name="task_difficulty",
        section="8.21",
        usage="task_difficulty(features)",
        params=(Param("features"),),
        result=returns(FLOAT),
        summary="The difficulty of a task: the mean of the absolute values of its features",
        doc="Returns the mean of the absolute values of `features`, as a float.",
        example="print(task_difficulty([1.0, -3.0]))",
    ),
    Builtin(
        name="task_sample_batch",
        section="8.21",
        usage="task_sample_batch(tasks, batch_size, strategy)",
        params=(Param("tasks", Kind.ARRAY), Param("batch_size", Kind.NUMBER), Param("strategy")),
        result=first_tasks,
        summary="The first batch_size tasks (the strategy is ignored)",
        doc="Returns an array of the first `batch_size` elements of `tasks`, in order. `strategy` is "
        "accepted and ignored: there is no random sampling.",
        example='print(task_sample_batch(["a", "b", "c"], 2, "random"))',
    ),
    Builtin(
        name="meta_adapt_lr",
        section="8.21",
        usage="meta_adapt_lr(performance, base_lr)",
        params=(Param("performance"), Param("base_lr", Kind.NUMBER)),
        result=adapted_lr,
        summary="Stub: returns 0.9 * base_lr",
        doc="A stub: returns the float `0.9 * base_lr` whatever `performance` is "
        "(`meta_adapt_lr(0.5, 0.1)` is `0.09000000000000001`).",
        example="print(meta_adapt_lr(0.5, 0.1))",
    ),
    Builtin(
        name="few_shot_classify",
        section="8.21",
        usage="few_shot_classify(support_set, support_labels, query, n_way)",
        params=(Param("support_set"), Param("support_labels"), Param("query"), Param("n_way")),
        result=returns(IntType(0)),
        summary="Stub: always returns the class 0",
        doc="A stub: takes 4 arguments and always returns the integer `0`.",
        example="print(few_shot_classify([[0.0, 1.0]], [0], [0.0, 1.0], 1))",
    ),
    Builtin(
        name="causal_graph_create",
        section="8.21",
        usage="causal_graph_create()",
        params=(),
        result=returns(STRING),
        summary="Stub: a placeholder causal graph (a string)",
        doc="A stub: returns a string standing for an empty causal graph. `causal_add_edge` returns it "
        "unchanged.",
        example='let g = causal_graph_create()\nprint(causal_add_edge(g, "rain", "wet", 0.9) == g)',
    ),
    Builtin(
        name="causal_add_edge",
        section="8.21",
        usage="causal_add_edge(graph, from, to, strength)",
        params=(Param("graph"), Param("from"), Param("to"), Param("strength")),
        result=argument_unchanged(0),
        summary="Stub: returns the graph unchanged",
        doc="A stub: returns its first argument unchanged; no edge is recorded.",
        example='let g = causal_add_edge(causal_graph_create(), "rain", "wet", 0.9)\nprint(g)',
    ),
    Builtin(
        name="causal_intervene",
        section="8.21",
        usage="causal_intervene(graph, variable, value)",
        params=(Param("graph"), Param("variable"), Param("value")),
        result=returns(EMPTY_ARRAY),
        summary="Stub: returns an empty array",
        doc="A stub for a do-intervention: always returns `[]`.",
        example='print(causal_intervene(causal_graph_create(), "rain", 1.0))',
    ),
    Builtin(
        name="abductive_explain",
        section="8.21",
        usage="abductive_explain(observation, model, top_k)",
        params=(Param("observation"), Param("model"), Param("top_k")),
        result=returns(EMPTY_ARRAY),
        summary="Stub: returns an empty array of explanations",
        doc="A stub for abductive reasoning: always returns `[]`.",
        example='print(abductive_explain("wet grass", "weather", 3))',
    ),
    Builtin(
        name="planning_search",
        section="8.21",
        usage="planning_search(init_state, goal, heuristic)",
        params=(Param("init_state"), Param("goal"), Param("heuristic")),
        result=returns(EMPTY_ARRAY),
        summary="Stub: returns an empty plan",
        doc="A stub for heuristic plan search: always returns `[]`.",
        example='print(planning_search("start", "goal", "manhattan"))',
    ),
    Builtin(
        name="counterfactual_generate",
        section="8.21",
        usage="counterfactual_generate(fact, change, model)",
        params=(Param("fact"), Param("change"), Param("model")),
        result=returns(NULL),
        summary="Stub: returns null",
        doc="A stub for counterfactual reasoning: always returns `null`.",
        example='print(counterfactual_generate("it rained", "no rain", "weather"))',
    ),
    Builtin(
        name="temporal_sequence_create",
        section="8.21",
        usage="temporal_sequence_create(events, timestamps)",
        params=(Param("events"), Param("timestamps")),
        result=returns(STRING),
        summary="Stub: a placeholder temporal sequence (a string)",
        doc="A stub: returns a string standing for the sequence of `events` at `timestamps`.",
        example='let seq = temporal_sequence_create(["a", "b"], [0.0, 1.0])\nprint(temporal_align(seq, seq))',
    ),
    Builtin(
        name="temporal_align",
        section="8.21",
        usage="temporal_align(seq1, seq2)",
        params=(Param("seq1"), Param("seq2")),
        result=returns(FloatType(0.85)),
        summary="Stub: always returns 0.85",
        doc="A stub for sequence alignment: always returns the float `0.85`.",
        example='let seq = temporal_sequence_create(["a", "b"], [0.0, 1.0])\nprint(temporal_align(seq, seq))',
    ),
    Builtin(
        name="audio_spectrogram",
        section="8.21",
        usage="audio_spectrogram(waveform, sample_rate)",
        params=(Param("waveform"), Param("sample_rate")),
        result=returns(tensor_of(SPECTROGRAM_SHAPE)),
        summary="Stub: a constant [16, 8] tensor",
        doc="A stub: whatever the waveform, returns a new untracked `[16, 8]` tensor whose element `i` (in "
        "row-major order) is `sin(i / 128)`.",
        example="print(tensor_shape(audio_spectrogram(tensor([0.0, 0.5, 1.0]), 16000)))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="audio_mfcc",
        section="8.21",
        usage="audio_mfcc(waveform, sample_rate, num_coeffs)",
        params=(Param("waveform"), Param("sample_rate", Kind.NUMBER), Param("num_coeffs", Kind.NUMBER)),
        result=returns(tensor_of(None)),
        summary="Mel-frequency cepstral coefficients of a waveform, as a tensor",
        doc="Computes `num_coeffs` MFCC features of `waveform` sampled at `sample_rate` and returns them as "
        "a new untracked tensor. Its shape and values are not part of the promise (§8.14).",
        example="let feats = audio_mfcc(tensor_randn_seeded([1024], 1), 16000, 13)\nprint(type(feats))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="memory_consolidate_threshold",
        section="8.21",
        usage="memory_consolidate_threshold(stm, ltm, threshold)",
        params=(Param("stm"), Param("ltm"), Param("threshold")),
        result=argument_unchanged(1),
        summary="Stub: returns the long-term memory unchanged",
        doc="A stub: returns its second argument (`ltm`) unchanged; nothing is consolidated.",
        example="print(memory_consolidate_threshold(stm_create(5), ltm_create(), 0.5))",
    ),
    Builtin(
        name="planning_create_goal",
        section="8.21",
        usage="planning_create_goal(description, subgoals)",
        params=(Param("description"), Param("subgoals")),
        result=returns(STRING),
        summary="Stub: a placeholder goal (a string)",
        doc="A stub: returns a string standing for a goal with its subgoals.",
        example='print(planning_create_goal("make tea", ["boil water", "steep"]))',
    ),
)
