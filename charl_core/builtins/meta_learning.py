"""LANGUAGE.md §8.18 Meta-learning: MAML settings, meta-tasks, few-shot episodes and prototypical networks.

These builtins exist so that demo programs run (§8.14): they build opaque objects whose observable behaviour
is their print text (§5.4) and a few getters. Every one of them is R (`NAME requires N arguments: …`); two say
"exactly", so they also reject extra arguments and use a custom arity message with the R wording. None touches
tensors, so there is no shape rule here beyond the result kinds.
"""

from __future__ import annotations

from charl_core.builtins.rules import fixed_array, returns
from charl_core.builtins.spec import ArityStyle, Builtin, Kind, Param
from charl_core.types import FLOAT, INT, BoolType, ObjectType

MAML = ObjectType("maml")
META_TASK = ObjectType("meta_task")
MODEL_PARAMS = ObjectType("model_params")
EPISODE = ObjectType("episode")
PROTOTYPICAL_NETWORK = ObjectType("prototypical_network")

# `[inner_lr, outer_lr, inner_steps, num_params]` and `[n_way, k_shot, num_support, num_query]` (§8.18).
MAML_INFO = fixed_array(FLOAT, FLOAT, INT, INT)
EPISODE_INFO = fixed_array(INT, INT, INT, INT)

TASK = Param("task", Kind.OBJECT, object_kind="meta_task")
AN_EPISODE = Param("episode", Kind.OBJECT, object_kind="episode")

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="maml_create",
        section="8.18",
        usage="maml_create(param_shapes, inner_lr, outer_lr, inner_steps)",
        params=(
            Param("param_shapes", Kind.ARRAY),
            Param("inner_lr", Kind.NUMBER),
            Param("outer_lr", Kind.NUMBER),
            Param("inner_steps", Kind.NUMBER),
        ),
        result=returns(MAML),
        summary="MAML meta-learner settings for parameters of the given shapes",
        doc="Creates a `maml` object holding the inner (per-task) learning rate, the outer (meta) learning "
        "rate, the number of inner steps and the parameters described by `param_shapes` (an array of "
        "shapes). It prints `MAML(inner_lr=0.01, outer_lr=0.001, steps=5)`; `maml_get_info` reads the "
        "values back. Takes exactly 4 arguments: unlike most R builtins, extra arguments are an error.",
        example="let maml = maml_create([[2, 3], [3]], 0.01, 0.001, 5)\nprint(maml)",
        arity_style=ArityStyle.CUSTOM,
        arity_message="maml_create requires 4 arguments: param_shapes, inner_lr, outer_lr, inner_steps",
    ),
    Builtin(
        name="maml_get_info",
        section="8.18",
        usage="maml_get_info(maml)",
        params=(Param("maml", Kind.OBJECT, object_kind="maml"),),
        result=returns(MAML_INFO),
        summary="The settings of a MAML object as [inner_lr, outer_lr, inner_steps, num_params]",
        doc="Returns a four-element array: the inner and outer learning rates (floats), the number of inner "
        "steps and the number of parameters (integers). Extra arguments are ignored.",
        example="let info = maml_get_info(maml_create([[2, 3], [3]], 0.01, 0.001, 5))\nprint(info[2])",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="meta_task_create",
        section="8.18",
        usage="meta_task_create(task_id)",
        params=(Param("task_id"),),
        result=returns(META_TASK),
        summary="An empty meta-learning task (no support or query examples yet)",
        doc="Creates a `meta_task` with the given id and empty support and query sets; fill them with "
        "`meta_task_add_support` and `meta_task_add_query`. It prints `MetaTask(id=‹task_id›, "
        "support=0, query=0)`. Takes exactly 1 argument: extra arguments are an error.",
        example="let task = meta_task_create(0)\nprint(task)",
        arity_style=ArityStyle.CUSTOM,
        arity_message="meta_task_create requires 1 argument: task_id",
    ),
    Builtin(
        name="meta_task_add_support",
        section="8.18",
        usage="meta_task_add_support(task, input, target)",
        params=(TASK, Param("input"), Param("target")),
        result=returns(META_TASK),
        summary="The task with one more support (training) example",
        doc="Returns a copy of `task` whose support set has the pair (`input`, `target`) appended; the "
        "argument is unchanged, so programs reassign: `task = meta_task_add_support(task, x, y)`. "
        "Extra arguments are ignored.",
        example="let task = meta_task_create(0)\ntask = meta_task_add_support(task, [1.0, 2.0], [3.0])\n"
        "print(task)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="meta_task_add_query",
        section="8.18",
        usage="meta_task_add_query(task, input, target)",
        params=(TASK, Param("input"), Param("target")),
        result=returns(META_TASK),
        summary="The task with one more query (evaluation) example",
        doc="Returns a copy of `task` whose query set has the pair (`input`, `target`) appended; the "
        "argument is unchanged, so programs reassign the result. Extra arguments are ignored.",
        example="let task = meta_task_create(0)\ntask = meta_task_add_query(task, [1.0, 2.0], [3.0])\n"
        "print(task)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="model_params_create",
        section="8.18",
        usage="model_params_create(shapes_array)",
        params=(Param("shapes_array", Kind.ARRAY),),
        result=returns(MODEL_PARAMS),
        summary="A set of model parameters with the given shapes",
        doc="Creates a `model_params` object with one parameter per shape in `shapes_array` (an array of "
        "shapes such as `[[2, 3], [3]]`). It prints `ModelParams(‹n› params)`. Extra arguments are ignored.",
        example="print(model_params_create([[2, 3], [3]]))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="episode_create",
        section="8.18",
        usage="episode_create(n_way, k_shot)",
        params=(Param("n_way", Kind.NUMBER), Param("k_shot", Kind.NUMBER)),
        result=returns(EPISODE),
        summary="An empty N-way K-shot few-shot episode",
        doc="Creates an `episode` for `n_way` classes with `k_shot` support examples per class; add examples "
        "with `episode_add_support` and `episode_add_query`, check it with `episode_validate`. It prints "
        "`Episode(5-way 1-shot, support=0, query=0)`. Extra arguments are ignored.",
        example="print(episode_create(5, 1))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="episode_add_support",
        section="8.18",
        usage="episode_add_support(episode, input, class_id)",
        params=(AN_EPISODE, Param("input"), Param("class_id", Kind.NUMBER)),
        result=returns(EPISODE),
        summary="The episode with one more labelled support example",
        doc="Returns a copy of `episode` whose support set has `input` with class `class_id` appended; "
        "programs reassign the result. Extra arguments are ignored.",
        example="let ep = episode_create(2, 1)\nep = episode_add_support(ep, [0.0, 1.0], 0)\nprint(ep)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="episode_add_query",
        section="8.18",
        usage="episode_add_query(episode, input, class_id)",
        params=(AN_EPISODE, Param("input"), Param("class_id", Kind.NUMBER)),
        result=returns(EPISODE),
        summary="The episode with one more labelled query example",
        doc="Returns a copy of `episode` whose query set has `input` with class `class_id` appended; "
        "programs reassign the result. Extra arguments are ignored.",
        example="let ep = episode_create(2, 1)\nep = episode_add_query(ep, [0.9, 0.1], 1)\nprint(ep)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="episode_validate",
        section="8.18",
        usage="episode_validate(episode)",
        params=(AN_EPISODE,),
        result=returns(BoolType(True)),
        summary="Check that an episode is well formed: true, or a run-time error",
        doc="Returns `true` when the episode is consistent with its N-way K-shot settings; otherwise it "
        "stops the program with an error (it never returns `false`). Extra arguments are ignored.",
        example="let ep = episode_add_support(episode_create(2, 1), [0.0, 1.0], 0)\n"
        "ep = episode_add_support(ep, [1.0, 0.0], 1)\nep = episode_add_query(ep, [0.9, 0.1], 1)\n"
        "print(episode_validate(ep))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="episode_get_info",
        section="8.18",
        usage="episode_get_info(episode)",
        params=(AN_EPISODE,),
        result=returns(EPISODE_INFO),
        summary="The episode's [n_way, k_shot, num_support, num_query]",
        doc="Returns a four-element array of integers: the number of classes, the shots per class, and the "
        "numbers of support and query examples added so far. Extra arguments are ignored.",
        example="let ep = episode_add_support(episode_create(2, 1), [0.0, 1.0], 0)\n"
        "print(episode_get_info(ep))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="prototypical_network_create",
        section="8.18",
        usage="prototypical_network_create(embedding_dim, distance_metric)",
        params=(Param("embedding_dim", Kind.NUMBER), Param("distance_metric", Kind.STRING)),
        result=returns(PROTOTYPICAL_NETWORK),
        summary="A prototypical network for embeddings of the given size and distance metric",
        doc="Creates a `prototypical_network` that classifies by the distance to class prototypes in an "
        "`embedding_dim`-dimensional space, using the metric named by `distance_metric`. It prints "
        "`PrototypicalNetwork(dim=64, metric=‹Metric›)` with the metric's name in CamelCase. Extra "
        "arguments are ignored.",
        example='print(prototypical_network_create(64, "euclidean"))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="distance_compute",
        section="8.18",
        usage="distance_compute(metric_name, emb1, emb2)",
        params=(Param("metric_name", Kind.STRING), Param("emb1"), Param("emb2")),
        result=returns(FLOAT),
        summary="The distance between two embeddings under the named metric, as a float",
        doc="Computes the distance between `emb1` and `emb2` with the metric `metric_name` (the names "
        "`prototypical_network_create` accepts) and returns it as a float. Extra arguments are ignored.",
        example='print(distance_compute("euclidean", [0.0, 0.0], [3.0, 4.0]))',
        arity_style=ArityStyle.REQUIRES,
    ),
)
