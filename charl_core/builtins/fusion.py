"""LANGUAGE.md §8.16: the operator-fusion demo builtins.

`fusion_optimizer` objects and two global settings exist so that demo programs run; they do not change how
any other builtin computes. Three entries are stubs with a fixed result (`[]`, the first argument, `2.0`).
The non-stub builtins are R builtins (§8.0): `NAME requires N arguments: …`, extra arguments ignored.
"""

from __future__ import annotations

from charl_core.builtins.rules import argument_unchanged, returns
from charl_core.builtins.spec import ArityStyle, Builtin, Kind, Param
from charl_core.types import ANY, NULL, ArrayType, FloatType, ObjectType

OPTIMIZER = ObjectType("fusion_optimizer")
_OPTIMIZER_PARAM = Param("optimizer", Kind.OBJECT, object_kind=OPTIMIZER.kind)


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="fusion_create",
        section="8.16",
        usage="fusion_create(config_type)",
        params=(Param("config_type"),),
        result=returns(OPTIMIZER),
        summary="Create an operator-fusion optimizer with a named configuration",
        doc="Makes a `fusion_optimizer` configured by `config_type` (a configuration name). Prints as "
        "`FusionOptimizer`. Feed it a computation with `fusion_analyze` and read the results with "
        "`fusion_get_stats`. Extra arguments are ignored.",
        example='let fuser = fusion_create("aggressive")\nprint(fuser)',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fusion_analyze",
        section="8.16",
        usage="fusion_analyze(optimizer, graph)",
        params=(_OPTIMIZER_PARAM, Param("graph")),
        result=returns(OPTIMIZER),
        summary="Return the fusion optimizer after analysing a computation graph for fusion opportunities",
        doc="Looks for operations of `graph` that can be fused and returns the updated `fusion_optimizer`, "
        "which records what it found (reassign it; read it with `fusion_get_stats`). Extra arguments are "
        "ignored.",
        example='let fuser = fusion_create("aggressive")\n'
        'fuser = fusion_analyze(fuser, ["matmul", "add", "relu"])\nprint(fusion_get_stats(fuser))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fusion_get_stats",
        section="8.16",
        usage="fusion_get_stats(optimizer)",
        params=(_OPTIMIZER_PARAM,),
        result=returns(ArrayType()),
        summary="The fusion optimizer's statistics as an array",
        doc="Returns an array of statistics about the fusion opportunities found and applied. LANGUAGE.md "
        "does not fix its layout, so the checker knows neither its length nor its element kinds. Extra "
        "arguments are ignored.",
        example='print(fusion_get_stats(fusion_create("aggressive")))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fusion_enable",
        section="8.16",
        usage="fusion_enable(enabled)",
        params=(Param("enabled"),),
        result=returns(NULL),
        summary="Turn operator fusion on or off globally",
        doc="Sets the global fusion switch and returns null. It is a setting of the fusion demo only: no "
        "other builtin computes differently. Extra arguments are ignored.",
        example="print(fusion_enable(true))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fusion_set_strategy",
        section="8.16",
        usage="fusion_set_strategy(strategy)",
        params=(Param("strategy"),),
        result=returns(NULL),
        summary="Set the global operator-fusion strategy",
        doc="Sets the global fusion strategy and returns null. It is a setting of the fusion demo only: no "
        "other builtin computes differently. Extra arguments are ignored.",
        example='print(fusion_set_strategy("aggressive"))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fusion_detect_patterns",
        section="8.16",
        usage="fusion_detect_patterns(computation)",
        params=(Param("computation"),),
        result=returns(ArrayType(ANY, 0, ())),
        summary="Stub: always returns an empty array of patterns",
        doc="A stub: whatever `computation` is, the result is the empty array `[]`.",
        example='print(fusion_detect_patterns(["matmul", "add", "relu"]))',
    ),
    Builtin(
        name="fusion_apply_pattern",
        section="8.16",
        usage="fusion_apply_pattern(ops, pattern)",
        params=(Param("ops"), Param("pattern")),
        result=argument_unchanged(0),
        summary="Stub: returns its first argument unchanged",
        doc="A stub: returns `ops` unchanged, whatever `pattern` is.",
        example='print(fusion_apply_pattern(["matmul", "add"], "linear"))',
    ),
    Builtin(
        name="fusion_estimate_speedup",
        section="8.16",
        usage="fusion_estimate_speedup(original, fused)",
        params=(Param("original"), Param("fused")),
        result=returns(FloatType(2.0)),
        summary="Stub: always estimates a speed-up of 2.0",
        doc="A stub: returns the float `2.0` whatever its arguments are.",
        example='print(fusion_estimate_speedup(["matmul", "add"], ["linear"]))',
    ),
)
