"""The builtins' run-time implementations, one module per catalog group (`charl_core/builtins/`).

Each module declares functions with `@implements("name")`; importing this package imports them all, which
fills the `implementation` slot of every catalog entry. The signature is `fn(ctx, args) -> value`:
`ctx` is the run's `Context`, `args` the evaluated arguments (a list, never mutated). The interpreter checks
the arity with the catalog entry before calling (`Builtin.accepts_count`/`arity_error`); the implementation
checks argument kinds and raises `CharlError` with the exact message of §8.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from charl_core.builtins import lookup

Implementation = Callable[[Any, list], Any]

MODULES = (
    "core",
    "tensors",
    "tensor_ops",
    "activations",
    "nn",
    "autograd",
    "optimizers",
    "layers",
    "attention",
    "gpu",
    "quantization",
    "sequence",
    "reasoning",
    "fusion",
    "multimodal",
    "meta_learning",
    "knowledge_graphs",
    "symbolic",
    "advanced",
)


def implements(*names: str) -> Callable[[Implementation], Implementation]:
    """Attach `function` to the catalog entries of `names` (canonical names; aliases share the entry)."""

    def attach(function: Implementation) -> Implementation:
        for name in names:
            entry = lookup(name)
            if entry is None:
                raise ValueError(f"{name!r} is not a catalog builtin")
            if entry.implementation is not None and entry.implementation is not function:
                raise ValueError(f"builtin {name!r} is implemented twice")
            object.__setattr__(entry, "implementation", function)
        return function

    return attach


def differentiates(name: str, op: Any) -> None:
    """Record in the catalog entry of `name` the graph op its tracked path records (`ir.ops.Op`), whose
    gradient rule is `runtime.autograd.RULES[op]`: the catalog says how each tracked builtin
    differentiates (ARCHITECTURE.md decision 1)."""
    entry = lookup(name)
    if entry is None:
        raise ValueError(f"{name!r} is not a catalog builtin")
    object.__setattr__(entry, "gradient", op)


def load() -> None:
    """Import every implementation module, which fills the `implementation` slot of every catalog entry.
    All the modules of `MODULES` exist: a missing one is a broken installation and fails loudly here."""
    for module in MODULES:
        import_module(f"{__name__}.{module}")
