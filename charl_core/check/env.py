"""The checker's flow-sensitive environment: a stack of scopes mapping names to their static type and
whether they are certainly or only possibly defined at this point (LANGUAGE.md §4.4, §5.6).

Only function calls, `for` loops and match arms push scopes; `let` in `if`/`while` writes to the innermost
scope, exactly as at run time. Branches work on copies that are joined afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from charl_core.ast import Span
from charl_core.types import Type, join


@dataclass(frozen=True, slots=True)
class Binding:
    type: Type
    certain: bool  # defined on every path to here (False: only on some, W201)
    declared_at: Span


class Env:
    """Scopes, innermost last. `alive` is False after a `return` on this path (its state joins nothing)."""

    __slots__ = ("alive", "scopes")

    def __init__(self, scopes: list[dict[str, Binding]] | None = None, alive: bool = True) -> None:
        self.scopes = scopes if scopes is not None else [{}]
        self.alive = alive

    def copy(self) -> Env:
        return Env([dict(scope) for scope in self.scopes], self.alive)

    def lookup(self, name: str) -> Binding | None:
        for scope in reversed(self.scopes):
            binding = scope.get(name)
            if binding is not None:
                return binding
        return None

    def declare(self, name: str, binding: Binding) -> None:
        self.scopes[-1][name] = binding

    def assign(self, name: str, value: Type) -> bool:
        """Update the innermost scope that has `name` (§5.6); False when none has it."""
        for scope in reversed(self.scopes):
            binding = scope.get(name)
            if binding is not None:
                scope[name] = Binding(value, binding.certain, binding.declared_at)
                return True
        return False

    def push(self) -> None:
        self.scopes.append({})

    def pop(self) -> None:
        self.scopes.pop()

    def join(self, other: Env) -> Env:
        """The state after two paths meet: types joined, names on one path only possibly defined."""
        if not other.alive:
            return self.copy()
        if not self.alive:
            return other.copy()
        scopes = []
        for mine, theirs in zip(self.scopes, other.scopes, strict=False):
            merged: dict[str, Binding] = {}
            for name in mine.keys() | theirs.keys():
                a, b = mine.get(name), theirs.get(name)
                if a is None or b is None:
                    present = a or b
                    merged[name] = Binding(present.type, False, present.declared_at)
                else:
                    merged[name] = Binding(join(a.type, b.type), a.certain and b.certain, a.declared_at)
            scopes.append(merged)
        return Env(scopes, True)

    def same_as(self, other: Env) -> bool:
        return self.alive == other.alive and self.scopes == other.scopes
