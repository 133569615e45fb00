"""User functions (LANGUAGE.md §5.7) and the late binding of function names (§9.2).

A `Function` is the code of a `fn` statement plus the snapshot of the environment taken when the statement
ran. Each call starts from a fresh copy of that snapshot, so the function never sees later globals and its
assignments to captured names are discarded on return. §9.2 adds a fallback for reads that the snapshot
cannot answer: a function's own name (and the names of the functions it is nested in), then any top-level
`fn` of the file.

Calls (`calls.py`) nest Python frames, so they count the depth limit of 10 000 user calls defined here
themselves, not leaving it to Python; the run executes on a thread with a large stack (`run.py`) so that
the limit is reached before Python's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from charl_core.ast import Span
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter.scopes import Frame, RunState
from charl_core.runtime.values import RuntimeValue

MAX_CALL_DEPTH = 10_000
RECURSION_MESSAGE = f"Maximum recursion depth exceeded ({MAX_CALL_DEPTH} calls)"


@dataclass(frozen=True, slots=True)
class FunctionCode:
    """What a `fn` statement compiles to: shared by every function value it creates."""

    name: str
    parameters: tuple[str, ...]
    body: tuple[Callable[[Frame], Any], ...]  # the statements; a pending `return` stops them (calls.py)
    span: Span


class Function(RuntimeValue):
    """A function value (`type()` = `function`, printed `<function>`). `outer` is the function whose call
    created this one (None for a top-level `fn`): the lexical nesting §9.2 step 2a needs."""

    __slots__ = ("code", "outer", "snapshot")
    KIND = "function"

    def __init__(self, code: FunctionCode, snapshot: dict[str, Any], outer: Function | None) -> None:
        self.code = code
        self.snapshot = snapshot
        self.outer = outer

    @property
    def name(self) -> str:
        return self.code.name

    def text(self) -> str:
        return "<function>"


class LateBinding:
    """§9.2 step 2: what a name means when the scopes (step 1) do not have it."""

    def __init__(self, state: RunState, top_level: dict[str, FunctionCode]) -> None:
        self.state = state
        self.top_level = top_level  # name → the code of the *last* top-level `fn` of that name

    def resolve(self, frame: Frame, name: str) -> Any:
        function = frame.function
        while function is not None:  # 2a: inside the body of a function declared as `name`
            if function.code.name == name:
                return function
            function = function.outer
        code = self.top_level.get(name)
        if code is not None:  # 2b: a top-level `fn name` exists somewhere in the file
            global_frame = self.state.global_frame
            bound = global_frame.vars.get(name, _UNBOUND)
            if bound is not _UNBOUND:
                return bound
            return Function(code, global_frame.snapshot(), None)
        raise CharlError(f"Undefined variable: {name}")


_UNBOUND: Any = object()
