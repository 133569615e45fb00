"""What the checker knows of functions and of the items they live in, and the records that let a top-level
item's check, or one per-call check, be replayed instead of repeated (`infer.py`, `incremental.py`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from charl_core import ast
from charl_core.check.annotations import DimensionScope
from charl_core.check.env import Env
from charl_core.types import Type


@dataclass(frozen=True, slots=True)
class ItemRef:
    """The top-level item (statement) a node belongs to: its identity, position-independent (`items.py`),
    and the offset its AST was lowered at, which spans are made relative to."""

    id: str
    base: int


Effect = tuple
"""What checking a top-level item or one call did besides reporting, replayable when its result is reused:
`("let", owner_id | None, start, end, name, name_start, name_end, type)` (a `let`'s type, spans relative to
its owner item, None for the item being checked), `("register", key, info)` (a `fn` statement ran),
`("use", item_id)` (a function of that item was called), `("ref", place, referenced)` (a W208 fact read)."""


@dataclass(frozen=True, slots=True)
class CallResult:
    """One memoised per-call check: its result, the failures certain in it, and its effects, which a memo
    hit replays so that a call has the same effects whether or not an earlier call computed it."""

    result: Type
    failures: tuple[tuple[str, str], ...]
    effects: tuple[Effect, ...]


@dataclass
class FunctionInfo:
    """A `fn` statement as the checker knows it: the declaration, the environment it captured (§5.7).
    The key is `name@item+offset`, offset relative to its top-level item: an edit elsewhere keeps it."""

    node: ast.FunctionDef
    snapshot: Env
    top_level: bool
    key: str
    referenced: bool
    item: ItemRef
    memo: dict[tuple[Type, ...], CallResult] = field(default_factory=dict)


@dataclass
class Frame:
    """The function whose body is being checked: its return types, dimension scope and per-call mode."""

    function: FunctionInfo | None
    dimensions: DimensionScope
    returns: list[Type] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TopLevelFunction:
    """The last top-level `fn` of a name (§9.2: late-bound names see it)."""

    node: ast.FunctionDef
    key: str
    item: ItemRef


FunctionPlace = tuple[str, str, int]
"""Where a `fn` statement is: its name, its top-level item's identity, its offset in that item."""


def function_place(name: str, item: ItemRef, start: int) -> FunctionPlace:
    return (name, item.id, start - item.base)


def function_key(name: str, item: ItemRef, start: int) -> str:
    """A function's identity, `name@digits`: a hash of its place, so that an edit elsewhere keeps it. Decimal
    digits because displayed function types carry the key and editor features strip `@digits` from them
    (`charl_core.ide.declarations`)."""
    place = f"{item.id}+{start - item.base}".encode()
    return f"{name}@{int.from_bytes(hashlib.blake2b(place, digest_size=6).digest(), 'big')}"
