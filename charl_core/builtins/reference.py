"""The builtin reference for users (docs/builtins.md), rendered from the catalog so it cannot drift.

Regenerate with `python3 -m charl_core.builtins.reference > docs/builtins.md`; a test fails when the committed
file differs from what the catalog renders.
"""

from __future__ import annotations

from itertools import groupby

from charl_core.builtins import ENTRIES
from charl_core.builtins.spec import Builtin, Tracking

SECTION_TITLES = {
    "8.1": "Core and scalar math",
    "8.2": "Tensor creation",
    "8.3": "Inspection and element access",
    "8.4": "Element-wise math, reductions, shape operations",
    "8.5": "Activations",
    "8.6": "Linear layer, embedding, losses",
    "8.7": "Autograd",
    "8.8": "Optimizers and schedules",
    "8.9": "Layer objects",
    "8.10": "Functional CNN operations",
    "8.11": "Attention",
    "8.12": "GPU",
    "8.13": "Quantization",
    "8.14": "Efficient architectures and RNNs",
    "8.15": "Reasoning: chain of thought, tree of thoughts, memory",
    "8.16": "Operator fusion",
    "8.17": "Multimodal",
    "8.18": "Meta-learning",
    "8.19": "Knowledge graphs and GNN",
    "8.20": "Symbolic AI",
    "8.21": "Advanced (mostly stubs)",
}


def _section_key(entry: Builtin) -> tuple[int, ...]:
    return tuple(int(part) for part in entry.section.split("."))


def render_entry(entry: Builtin) -> str:
    lines = [f"### `{entry.name}`", ""]
    if entry.aliases:
        lines += ["Also: " + ", ".join(f"`{alias}`" for alias in entry.aliases) + ".", ""]
    lines += [f"`{entry.usage}` — {entry.summary}.", ""]
    facts = []
    if entry.tracking is not Tracking.NONE:
        facts.append(f"autograd: {entry.tracking.value}")
    if entry.core:
        facts.append("core")
    if facts:
        lines += ["*" + "; ".join(facts) + "*", ""]
    lines += [entry.doc, "", "```charl", entry.example.rstrip(), "```", ""]
    return "\n".join(lines)


def render_markdown() -> str:
    parts = [
        "# Builtin reference",
        "",
        "Generated from the builtin catalog (`charl_core/builtins/`) by "
        "`python3 -m charl_core.builtins.reference`; LANGUAGE.md §8 is the specification.",
        "",
    ]
    ordered = sorted(ENTRIES, key=_section_key)
    for section, entries in groupby(ordered, key=lambda entry: entry.section):
        parts += [f"## {section} {SECTION_TITLES.get(section, '')}".rstrip(), ""]
        parts += [render_entry(entry) for entry in entries]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
