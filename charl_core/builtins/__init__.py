"""THE builtin catalog (ARCHITECTURE.md decision 1): one `Builtin` entry per builtin of LANGUAGE.md §8,
declared in the module of its section, collected here. Aliases resolve to their canonical entry.

Invariant: no other module keeps a list of builtin names, arities or shape rules; they ask `lookup`.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from charl_core.builtins.spec import Builtin

GROUP_MODULES = (
    "core",  # §8.1
    "tensors",  # §8.2, §8.3
    "tensor_ops",  # §8.4
    "activations",  # §8.5
    "nn",  # §8.6
    "autograd",  # §8.7
    "optimizers",  # §8.8
    "layers",  # §8.9, §8.10
    "attention",  # §8.11
    "gpu",  # §8.12
    "quantization",  # §8.13
    "sequence",  # §8.14
    "reasoning",  # §8.15
    "fusion",  # §8.16
    "multimodal",  # §8.17
    "meta_learning",  # §8.18
    "knowledge_graphs",  # §8.19
    "symbolic",  # §8.20
    "advanced",  # §8.21
)


def _load() -> tuple[tuple[Builtin, ...], dict[str, Builtin]]:
    entries: list[Builtin] = []
    for module in GROUP_MODULES:
        entries.extend(import_module(f"charl_core.builtins.{module}").BUILTINS)
    by_name: dict[str, Builtin] = {}
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            if name in by_name:
                raise ValueError(f"builtin {name!r} is declared twice")
            by_name[name] = entry
    return tuple(entries), by_name


ENTRIES, _BY_NAME = _load()
"""Every canonical entry, in catalog order."""


def lookup(name: str) -> Builtin | None:
    """The entry for a builtin name or alias; None if `name` is not a builtin."""
    return _BY_NAME.get(name)


def is_builtin(name: str) -> bool:
    return name in _BY_NAME


def names() -> Iterator[str]:
    """Every builtin name, aliases included (308 of them)."""
    return iter(_BY_NAME)
