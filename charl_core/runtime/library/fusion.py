"""LANGUAGE.md §8.16: the operator-fusion demo.

`fusion_analyze` reads a computation as an array of operation names in execution order and finds the
fusable chains the way a fusing compiler does: a run of element-wise operations (optionally headed by one
`matmul`/`linear`/`conv2d` whose output feeds it) becomes one kernel. Each chain of `n ≥ 2` operations is an
opportunity; fusing it saves `n - 1` intermediate tensors (`memory_saved`). A `"none"` (or `"disabled"`,
`"off"`) configuration records the opportunities but applies none. `fusion_get_stats` is
`[opportunities, applied, memory_saved]`. `fusion_enable` and `fusion_set_strategy` are global switches that,
as §8.16 says, change no other builtin's result: they accept any value and return null.
"""

from __future__ import annotations

from charl_core.runtime.library import implements
from charl_core.runtime.library.specialised import ObjectValue, checked, label

ELEMENTWISE = frozenset(
    [
        "add",
        "sub",
        "mul",
        "div",
        "neg",
        "exp",
        "log",
        "sqrt",
        "abs",
        "relu",
        "leaky_relu",
        "gelu",
        "sigmoid",
        "tanh",
        "silu",
        "swish",
        "softplus",
        "elu",
        "bias",
        "bias_add",
        "scale",
        "dropout",
        "clamp",
        "pow",
        "square",
    ]
)
PRODUCERS = frozenset({"matmul", "linear", "conv2d", "conv", "gemm", "dense"})
DISABLED = frozenset({"none", "disabled", "off"})


def fusable_chains(ops: list[str]) -> list[list[str]]:
    """Maximal chains `[producer?] elementwise+` of length ≥ 2, scanning left to right."""
    chains: list[list[str]] = []
    current: list[str] = []
    for op in ops:
        name = op.lower()
        if name in ELEMENTWISE and current:
            current.append(name)
            continue
        if len(current) >= 2:
            chains.append(current)
        current = [name] if name in PRODUCERS or name in ELEMENTWISE else []
    if len(current) >= 2:
        chains.append(current)
    return chains


class FusionOptimizer(ObjectValue):
    KIND = "fusion_optimizer"
    config: str
    opportunities: int = 0
    applied: int = 0
    memory_saved: int = 0

    def text(self) -> str:
        return "FusionOptimizer"


@implements("fusion_create")
def fusion_create(ctx, args):
    return FusionOptimizer(label(checked("fusion_create", args)[0]).lower())


@implements("fusion_analyze")
def fusion_analyze(ctx, args):
    optimizer, graph = checked("fusion_analyze", args)[:2]
    ops = [label(op) for op in graph] if type(graph) is list else []
    chains = fusable_chains(ops)
    applied = [] if optimizer.config in DISABLED else chains
    return optimizer.with_(
        opportunities=optimizer.opportunities + len(chains),
        applied=optimizer.applied + len(applied),
        memory_saved=optimizer.memory_saved + sum(len(chain) - 1 for chain in applied),
    )


@implements("fusion_get_stats")
def fusion_get_stats(ctx, args):
    optimizer = checked("fusion_get_stats", args)[0]
    return [optimizer.opportunities, optimizer.applied, optimizer.memory_saved]


@implements("fusion_enable", "fusion_set_strategy")
def fusion_setting(ctx, args):
    return None


@implements("fusion_detect_patterns")
def fusion_detect_patterns(ctx, args):
    return []


@implements("fusion_apply_pattern")
def fusion_apply_pattern(ctx, args):
    return args[0]


@implements("fusion_estimate_speedup")
def fusion_estimate_speedup(ctx, args):
    return 2.0
