"""The state one program run owns. Builtins receive it as their first argument; nothing else in the runtime
is global, so tests can run many programs in one process."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO


@dataclass(slots=True)
class Context:
    out: TextIO = field(default_factory=lambda: sys.stdout)  # where `print` and `tensor_print` write
    seed: int | None = None  # `charl run --seed N`: seeds the generator of unseeded tensor_randn/tensor_rand
    no_gpu: bool = field(default_factory=lambda: os.environ.get("CHARL_NO_GPU") == "1")  # §6.11
    graph: Any = None  # the global autograd graph of §6.2 (runtime/autograd.py), created on first use
    random: Any = None  # the generator behind tensor_randn/tensor_rand (§7.4), created on first use
    gpu: Any = None  # the GPU adapter/device probe of §6.11 (created on first use; None: not probed yet)

    def write(self, text: str) -> None:
        self.out.write(text)
