"""Top-level items: the unit the incremental checker caches (`check/incremental.py`).

An item is one top-level statement. Everything known about it from its text alone lives in an `ItemSyntax`,
cached by the item's identity so that an edit re-lowers and re-resolves only the items it touched:

- the AST, lowered once, with spans absolute at the offset (`base`) where it was lowered: results computed
  from it are stored relative to `base` and shifted to wherever the item is now;
- the names it mentions (what its result may depend on, and what it may write);
- what resolving its names *alone* tells (`resolution`, which `item_symbols.py` links into the file's
  symbol table): the names it reads that nothing in it declares (reads of globals
  and of late-bound functions), the globals it declares, and which of its nested functions are referenced
  inside it. From these, `FunctionFacts` decides W208/W209's "is this `fn` ever referenced" for the whole
  file without resolving the whole file again.

Identity (`item_ids`): a hash of the item's text. Items that declare a function also carry their occurrence
among identical texts, because a function's key (`name@item+offset`) must name one declaration; other
items may share an identity (`i = i + 1` appears many times), which only matters for alignment.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from charl_core import ast
from charl_core.check.functions import FunctionPlace
from charl_core.check.item_symbols import ItemSymbolTable, item_table
from charl_core.check.name_resolution import ItemResolution, resolve_item
from charl_core.check.symbols import SymbolKind, SymbolTable, symbol_table
from charl_core.syntax.lower import collector_paused, lower, lower_statement, top_level_nodes
from charl_core.syntax.rebase import rebased


@dataclass(frozen=True, slots=True)
class ItemSyntax:
    id: str
    statement: ast.Statement
    base: int
    """Where `statement` was lowered: its spans are absolute at this offset."""
    names: frozenset[str]
    free_reads: frozenset[str]
    global_declarations: tuple[str, ...]
    """Names the item declares in the global scope (§5.6: a `let` in a top-level `if` is a global), with
    repetitions."""
    functions: dict[int, tuple[bool, bool]]
    """Each `fn` in the item by offset relative to `base`: (declared in the global scope, referenced from
    inside the item outside its own body)."""
    first_free_reads: dict[str, tuple[int, int]]
    """The first free read of each name (span relative to `base`)."""
    global_assignments: dict[str, tuple[int, int]]
    """The first assignment to each global outside function bodies (span relative to `base`): W212."""
    resolution: ItemResolution = field(compare=False)
    """Its names resolved alone, spans absolute at `base`."""

    @property
    def declares_function(self) -> bool:
        return bool(self.functions)


def item_ids(
    nodes: list[Node], source: bytes, digests: Mapping[bytes, tuple[str, bool]] | None = None
) -> tuple[list[str], list[int], dict[bytes, tuple[str, bool]]]:
    """The identity of each top-level node: its text's hash, plus `#n` for the n-th identical text when the
    text declares a function (`fn` anywhere in it is a cheap, safe over-approximation); where each starts;
    and, by text, the hash and whether `fn` occurs. `digests` holds an earlier version's: hashing and
    searching every item again was half the cost of an incremental check on 5,000 lines (a dict lookup
    hashes the bytes in C)."""
    ids, starts = [], []
    seen: dict[str, int] = {}
    known = digests or {}
    found: dict[bytes, tuple[str, bool]] = {}
    blake2b = hashlib.blake2b
    for node in nodes:
        start, end = node.byte_range
        text = source[start:end]
        facts = known.get(text)
        if facts is None:
            facts = (blake2b(text, digest_size=8).hexdigest(), b"fn" in text)
        found[text] = facts
        digest, mentions_fn = facts
        if mentions_fn:
            count = seen[digest] = seen.get(digest, 0) + 1
            digest = f"{digest}#{count}"
        ids.append(digest)
        starts.append(start)
    return ids, starts, found


def item_syntax(identity: str, node: Node, source: bytes) -> ItemSyntax:
    """Lower and resolve one top-level statement alone."""
    statement = lower_statement(node, source)
    return summarise(identity, statement, node.start_byte)


def summarise(identity: str, statement: ast.Statement, base: int) -> ItemSyntax:
    resolution = resolve_item(statement)
    table = item_table(resolution)
    names = {definition.name for definition in table.definitions}
    names.update(reference.name for reference in table.references)
    free_reads = frozenset(ref.name for ref in table.references if not ref.definitions and not ref.write)
    globals_declared = tuple(d.name for d in table.definitions if d.top_level)
    functions = {
        d.span.start - base: (d.top_level, table.is_referenced(d))
        for d in table.definitions
        if d.kind is SymbolKind.FUNCTION
    }
    first_free_reads: dict[str, tuple[int, int]] = {}
    for ref in table.references:
        if not ref.definitions and not ref.write and ref.name not in first_free_reads:
            first_free_reads[ref.name] = (ref.span.start - base, ref.span.end - base)
    bodies = [d.span for d in table.definitions if d.kind is SymbolKind.FUNCTION]
    assignments: dict[str, tuple[int, int]] = {}
    for ref in table.references:
        if (
            ref.write
            and ref.name not in assignments
            and all(d.top_level for d in ref.definitions)
            and not any(body.start <= ref.span.start < body.end for body in bodies)
        ):
            assignments[ref.name] = (ref.span.start - base, ref.span.end - base)
    return ItemSyntax(
        identity,
        statement,
        base,
        frozenset(names),
        free_reads,
        globals_declared,
        functions,
        first_free_reads,
        assignments,
        resolution,
    )


def items_of(
    tree: Tree,
    source: bytes,
    known: Mapping[str, ItemSyntax],
    digests: Mapping[bytes, tuple[str, bool]] | None = None,
) -> tuple[list[ItemSyntax], list[int], dict[bytes, tuple[str, bool]]]:
    """The items of a tree (without ERROR nodes), reusing the `known` ones by identity; where each starts
    now (a reused item's AST may have been lowered elsewhere); and the text hashes (see `item_ids`)."""
    nodes = top_level_nodes(tree)
    ids, starts, hashes = item_ids(nodes, source, digests)
    found = [
        known.get(identity) or item_syntax(identity, node, source)
        for identity, node in zip(ids, nodes, strict=True)
    ]
    return found, starts, hashes


def program_of(
    tree: Tree,
    source: bytes,
    known: Mapping[str, ItemSyntax],
    digests: Mapping[bytes, tuple[str, bool]] | None = None,
) -> ast.Program:
    """The AST of a whole file, as `lower` builds it, reusing the lowered items in `known`: an item at the
    offset it was lowered at as it is, a moved one re-based (`rebased`). A tree with an ERROR node is
    lowered in full: its top-level statements are salvaged from the ERROR (`lower._salvage`)."""
    root = tree.root_node
    if root.has_error or not known:
        return lower(tree, source)
    nodes = top_level_nodes(tree)
    statements = []
    # One pause for the whole file, not one per statement: each time `rebased` re-enabled the collector,
    # the next allocations started a collection over everything built so far (after a one-line edit at
    # 20,000 lines: median 703 -> 144 ms; at 5,000 lines the slowest of ten 155 -> 31 ms).
    with collector_paused():
        for identity, node in zip(item_ids(nodes, source, digests)[0], nodes, strict=True):
            item = known.get(identity)
            if item is None:
                statements.append(lower_statement(node, source))
            else:
                statements.append(rebased(item.statement, node.start_byte - item.base))
    return ast.Program(statements, span=ast.Span(root.start_byte, root.end_byte))


def symbols_of(
    tree: Tree, source: bytes, known: Mapping[str, ItemSyntax], digests: Mapping[bytes, str] | None = None
) -> SymbolTable:
    """The symbol table of a whole file, as `symbol_table(program_of(…))` gives it, linked from the items'
    own resolutions (`ItemSymbolTable`): only the items missing from `known` are lowered and resolved. A
    tree with an ERROR node is resolved in full, like `program_of` lowers it."""
    root = tree.root_node
    if root.has_error:
        return symbol_table(lower(tree, source))
    items, starts, _ = items_of(tree, source, known, digests)
    span = ast.Span(root.start_byte, root.end_byte)
    return ItemSymbolTable(span, [item.resolution for item in items], [item.base for item in items], starts)


class FunctionFacts:
    """Whether each `fn` is referenced outside its own body (W208, W209), as the full symbol table says,
    from the items' own facts: a nested function can only be referenced inside its item; a global one by a
    read in any item that nothing there declares, provided nothing else declares that global name (else
    which declaration a read means needs the flow of the whole file: `fallback` is asked).

    `free_count` and `global_count` count, over all items, the items reading each name freely and the
    global declarations of each name; `counted` updates a previous version's counts by the items that
    changed, so that an edit costs what it touched."""

    def __init__(
        self,
        items: dict[str, ItemSyntax],
        free_count: Counter[str],
        global_count: Counter[str],
        fallback: Callable[[FunctionPlace], bool],
    ) -> None:
        self.items = items  # the items that declare functions, by identity
        self.free_count = free_count
        self.global_count = global_count
        self.fallback = fallback
        self.known: dict[FunctionPlace, bool] = {}

    @staticmethod
    def counted(
        counts: tuple[Counter[str], Counter[str]] | None,
        removed: Iterable[ItemSyntax],
        added: Iterable[ItemSyntax],
    ) -> tuple[Counter[str], Counter[str]]:
        free, declared = (Counter(), Counter()) if counts is None else (counts[0].copy(), counts[1].copy())
        for item in removed:
            for name in item.free_reads:
                free[name] -= 1
            for name in item.global_declarations:
                declared[name] -= 1
        for item in added:
            for name in item.free_reads:
                free[name] += 1
            for name in item.global_declarations:
                declared[name] += 1
        return free, declared

    def is_referenced(self, place: FunctionPlace) -> bool:
        known = self.known.get(place)
        if known is None:
            known = self.known[place] = self._is_referenced(place)
        return known

    def _is_referenced(self, place: FunctionPlace) -> bool:
        name, identity, offset = place
        item = self.items.get(identity)
        facts = item.functions.get(offset) if item is not None else None
        if facts is None:
            return True  # not a declaration this file has: say nothing (no W208)
        top_level, inside = facts
        if not top_level or inside:
            return inside
        if self.global_count[name] == 1:
            return self.free_count[name] > 0
        return self.fallback(place)
