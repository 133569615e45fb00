"""What one entry of the builtin catalog says about a builtin (ARCHITECTURE.md decision 1).

An entry is declared once, in the module of its LANGUAGE.md §8 group, and read by everyone: the checker
(arity, argument kinds, the shape rule), the language server (summary, documentation, example, usage for
signature help), the interpreter (`implementation`, `gradient`) and the compilers (`lowering`). The last
three are slots that the runtime and compiler milestones fill; nothing else keeps its own list of builtin
names or arities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from charl_core.types import Type


class Kind(Enum):
    """What an argument position accepts, as the run time checks it (§8.0)."""

    ANY = "any value"
    TENSOR = "tensor"  # an autograd tensor (GPU tensors where the entry's `gpu` allows them)
    NUMBER = "number"  # an integer or a float
    INTEGER = "integer"
    BOOLEAN = "boolean"
    STRING = "string"
    ARRAY = "array"
    SHAPE = "shape"  # an array of integers
    NUMBERS = "array of numbers"
    TENSORS = "array of tensors"
    TENSOR_OR_NUMBER = "tensor or number"
    OBJECT = "object"  # an object of the kind named in `Param.object_kind`


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: Kind = Kind.ANY
    optional: bool = False
    object_kind: str | None = None  # for Kind.OBJECT: the `type()` name, e.g. "sgd_optimizer"


class ArityStyle(Enum):
    """The wording of the arity error (§8.0)."""

    EXPECTS = "expects"  # `tensor_add() expects 2 arguments: tensor_add(a, b)`
    TAKES_EXACTLY = "takes exactly"  # `len() takes exactly 1 argument, got 3`
    REQUIRES = "requires"  # R: `lstm_forward requires 2 arguments: lstm, input` (extra arguments ignored)
    CUSTOM = "custom"  # the entry's `arity_message` template, with {got}


class Tracking(Enum):
    """How a builtin relates to the autograd graph (§6.3, §6.4)."""

    NONE = "no tensors"  # not a tensor operation
    CUTS = "cuts the graph"  # returns an untracked tensor or a number even for grad-requiring input
    ANY_INPUT = "tracked when any input requires grad"
    PREDICTION = "tracked when the prediction requires grad"  # losses: a [1] tensor, else a float
    MATRIX = "tracked when the embedding matrix requires grad"  # nn_embedding
    LEAF = "creates a grad-requiring leaf in the graph"  # tensor_with_grad, sgd_step results, …
    FLAG = "sets the requires-grad flag"  # tensor_requires_grad


class Gpu(Enum):
    """What a builtin does with GPU tensors (§6.11)."""

    REJECTS = "rejects GPU tensors"
    KEEPS = "GPU in, GPU out"
    TO_CPU = "GPU in, CPU out"
    READS_CPU_COPY = "reads the CPU copy"
    NEEDS_BACKEND = "needs the GPU backend"  # layer_forward, tensor_to_gpu: fails without a GPU


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem a rule found with a call. `code` is E103/E106/E107/W204/W206…; `argument` the index of the
    argument to point at (None: the whole call). The checker decides error vs warning by certainty (§4.6)."""

    code: str
    message: str
    argument: int | None = None


class Call:
    """What a shape rule sees of one call: the argument types, a way to report findings.

    Rules are pure functions `rule(call) -> Type`: the result type of the call, after reporting what is
    certainly (E…) or conditionally (W206) wrong. A rule never raises on odd types; when it cannot know, it
    returns `ANY` or a tensor of unknown shape.
    """

    __slots__ = ("arguments", "builtin", "findings")

    def __init__(self, builtin: Builtin, arguments: tuple[Type, ...]) -> None:
        self.builtin = builtin
        self.arguments = arguments
        self.findings: list[Finding] = []

    def argument(self, index: int) -> Type | None:
        return self.arguments[index] if index < len(self.arguments) else None

    def report(self, code: str, message: str, argument: int | None = None) -> None:
        self.findings.append(Finding(code, message, argument))


Rule = Callable[[Call], Type]


@dataclass(frozen=True, slots=True)
class Builtin:
    """One builtin of LANGUAGE.md §8."""

    name: str
    section: str  # "8.4"
    usage: str  # the call form of the arity message and of signature help: "tensor_add(a, b)"
    params: tuple[Param, ...]
    result: Rule  # the shape rule: argument types → result type (see `Call`)
    summary: str  # one line, for completion
    doc: str  # the §8 semantics, for hover
    example: str  # a short program that runs and shows the builtin (executed by the tests)
    min_args: int | None = None  # as the run time enforces it; None: the number of non-optional params
    max_args: int | None = -1  # None: unbounded (print); -1: len(params)
    arity_style: ArityStyle = ArityStyle.EXPECTS
    arity_message: str | None = None  # for ArityStyle.CUSTOM: "assert() takes 1 or 2 arguments, got {got}"
    aliases: tuple[str, ...] = ()
    tracking: Tracking = Tracking.NONE
    gpu: Gpu = Gpu.REJECTS
    core: bool = False  # one of the 40 builtins real programs use most
    errors: tuple[str, ...] = ()  # the exact run-time error messages of §8 (templates with ‹…› parts)
    tracked_twin: str | None = None  # the builtin computing the same values with autograd (W202's fix)
    keeps_arguments: bool = True  # False: never keeps a reference to an argument (no copy needed to call it)
    runs_backward: bool = False  # tensor_backward: a loop that calls it is a training loop (W202)
    # Slots filled by the runtime and compiler milestones:
    implementation: Callable[..., Any] | None = field(default=None, compare=False)
    gradient: Callable[..., Any] | None = field(default=None, compare=False)
    lowering: Any = field(default=None, compare=False)

    @property
    def arity(self) -> tuple[int, int | None]:
        """(minimum, maximum) argument counts the run time accepts; maximum None means unbounded."""
        low = self.min_args if self.min_args is not None else sum(not p.optional for p in self.params)
        high = len(self.params) if self.max_args == -1 else self.max_args
        if self.arity_style is ArityStyle.REQUIRES:
            high = None  # R builtins accept and ignore extra arguments (§8.14)
        return low, high

    def accepts_count(self, count: int) -> bool:
        low, high = self.arity
        return count >= low and (high is None or count <= high)

    def arity_error(self, got: int) -> str:
        """The run time's exact message for a call with `got` arguments (§8.0)."""
        low, high = self.arity
        if self.arity_style is ArityStyle.CUSTOM and self.arity_message:
            return self.arity_message.format(got=got)
        if self.arity_style is ArityStyle.TAKES_EXACTLY:
            return f"{self.name}() takes exactly {_count(low)}, got {got}"
        if self.arity_style is ArityStyle.REQUIRES:
            names = ", ".join(p.name for p in self.params if not p.optional)
            return f"{self.name} requires {_count(low)}: {names}"
        counted = _count(low) if high == low else f"{low}-{high} arguments"
        return f"{self.name}() expects {counted}: {self.usage}"


def _count(n: int) -> str:
    return f"{n} argument" + ("" if n == 1 else "s")
