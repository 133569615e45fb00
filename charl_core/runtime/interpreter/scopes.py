"""Variables and scopes of LANGUAGE.md §5.6 in one flat dictionary per call.

The language's environment is a stack of scopes, but only three constructs push one (a call, a `for` loop,
a matched arm), and a name always resolves to its innermost binding. So each call keeps one `dict` holding
the innermost binding of every visible name, and a scope pushed inside the call keeps an undo record: the
binding each name had before the scope's first `let` of it (or `MISSING`). Leaving the scope restores
them. Reads and assignments are then one dictionary operation, with exactly the stacked semantics:
`let` writes the innermost scope, assignment updates the innermost binding, both survive `if`/`while`.

A call starts from a copy of its function's snapshot (§5.7): assignments to captured names change the copy
and vanish with it, as the language requires.

Value semantics (§5.1) for arrays is copy-on-write: `owned` holds the names whose array object this
binding alone references, so `xs[i] = v` can write in place (the loop idiom stays linear). Any read that
lets the array escape (into another variable, an argument, a container, a snapshot) drops the name from
`owned`, and the next index assignment copies first.
"""

from __future__ import annotations

from typing import Any

MISSING: Any = object()
"""Marks a name that had no binding before a scope declared it."""

BREAK = 1
CONTINUE = 2
RETURN = 4
"""Bits of `RunState.flags` (§5.8: break and continue are flags that loops check after each statement)."""


class RunState:
    """What one run shares across calls: the pending break/continue/return flags (§5.8 makes break and
    continue global: a flag set in a called function acts on the caller's loop), the call depth, the
    global frame (§9.2 reads the global scope) and the run's `Context`."""

    __slots__ = ("ctx", "depth", "flags", "frames", "global_frame", "return_value")

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.flags = 0
        self.return_value: Any = None
        self.depth = 0
        self.global_frame: Frame | None = None
        self.frames: list[Frame] = []  # the frame of the call at each depth, reused (`calls.py`)


NOT_OWNED: frozenset[str] = frozenset()
"""The `owned` of a frame that owns no array yet: shared, replaced by a real set on the first write."""


class Frame:
    """The variables of one running call (or of the top level). Calls reuse one per depth (`calls.py`)
    and it is kept cheap: no container is allocated until a scope is pushed or an array is written."""

    __slots__ = ("function", "outer_records", "owned", "record", "vars")

    def __init__(self, variables: dict[str, Any] | None, function: Any) -> None:
        self.vars = variables
        self.owned: set[str] | frozenset[str] = NOT_OWNED
        self.record: dict[str, Any] | None = None  # undo record of the innermost pushed scope
        self.outer_records: tuple | None = None  # (record, outer_records) of the enclosing pushed scopes
        self.function = function  # the `Function` running here; None at top level

    def declare(self, name: str, value: Any) -> None:
        """`let name = value`: a binding in the innermost scope."""
        record = self.record
        if record is not None and name not in record:
            record[name] = self.vars.get(name, MISSING)
        self.vars[name] = value
        self.disown(name)

    def disown(self, name: str) -> None:
        """`name` no longer holds an array that only it references."""
        if name in self.owned:
            self.owned.discard(name)

    def own(self, name: str) -> None:
        if self.owned is NOT_OWNED:
            self.owned = set()
        self.owned.add(name)

    def push_scope(self) -> None:
        self.outer_records = (self.record, self.outer_records)
        self.record = {}

    def pop_scope(self) -> None:
        variables = self.vars
        for name, previous in self.record.items():
            if previous is MISSING:
                variables.pop(name, None)
            else:
                variables[name] = previous
            self.disown(name)
        self.record, self.outer_records = self.outer_records

    def snapshot(self) -> dict[str, Any]:
        """A copy of the whole environment (§5.7); arrays in it are now shared, so none stays owned."""
        self.owned = NOT_OWNED
        return dict(self.vars)
