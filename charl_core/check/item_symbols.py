"""The symbol table of a file assembled from its top-level items' own resolutions (`resolve_item`, kept in
each `ItemSyntax` by the checker's cache), so that a new version of a document re-resolves only the items an
edit changed, and a query builds only the part of the table it looks at.

Resolving the whole file again for each version cost about 150 ms at 5,000 lines and 1 s at 20,000, paid by
the first hover or definition after every keystroke (issue 5: hover p95 ≤ 10 ms). Here a version costs
nothing until asked; `definition_at` then moves one item's definitions and references to where the item is
now and links its references to globals, `references_of` does the same for the items that may mention
the name, and only the whole-table lists (`definitions`, `references`, …) build every item.

Linking (`ItemResolution` says why it is exact): a reference an item leaves open gets the definitions the
global holds on entry to the item, found by walking back over the items that bind it until one binds it
for certain; if the global may still be unbound there, a read falls back to its own function's name or to
every top-level `fn` of that name in the file (§9.2). The answers equal `symbol_table(program)`'s, object
for object up to identity (`tests/test_symbols_incremental.py` compares them after random edits).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Sequence

from charl_core import ast
from charl_core.check.name_resolution import (
    BuiltinReference,
    Definition,
    ItemResolution,
    Reference,
    Scope,
    ScopeKind,
    SymbolKind,
    fallback_targets,
)
from charl_core.check.symbols import SymbolTable, split_unbound
from charl_core.syntax.lower import collector_paused

_Entry = tuple[tuple[Definition, ...], bool]
"""What a global holds on entry to an item: its definitions (materialised), and whether it may be unbound."""

_UNSET: _Entry = ((), True)


def item_table(resolution: ItemResolution) -> SymbolTable:
    """The symbol table of a program made of this one item: `symbol_table(Program([statement]))`, from the
    item's resolution (every global unbound on entry, the item's own `fn`s as §9.2's candidates)."""
    references = []
    for reference in resolution.references:
        start = reference.span.start
        if start in resolution.open and not reference.write:
            own = resolution.open[start]
            extra = fallback_targets(own, resolution.top_functions.get(reference.name, ()))
            if extra:
                found = dict.fromkeys(reference.definitions)
                found.update(dict.fromkeys(extra))
                reference = Reference(reference.name, reference.span, _in_order(found), False)
        references.append(reference)
    return SymbolTable(resolution.definitions, references, resolution.builtin_references)


class ItemSymbolTable(SymbolTable):
    """A `SymbolTable` over a file's items: `items[i]` was resolved at `bases[i]` and starts at `starts[i]`
    now. Every list and query is the one `symbol_table(program)` gives; parts are built on first use."""

    def __init__(
        self,
        program_span: ast.Span,
        items: Sequence[ItemResolution],
        bases: Sequence[int],
        starts: Sequence[int],
    ) -> None:
        # SymbolTable.__init__ is not called: its lists are built on demand (the properties below).
        self._lock = threading.RLock()
        """Held while items are built: built twice, an item's definitions would be two sets of objects,
        and identity is what links a reference to its definition. Queries of one snapshot are serialised
        by the server, but nothing promises it here."""
        self._scope = Scope(ScopeKind.PROGRAM, program_span, None, None)
        self._items = items
        self._starts = starts
        self._shifts = [start - base for start, base in zip(starts, bases, strict=True)]
        self._moved: dict[int, tuple[list[Definition], dict[Definition, Definition]]] = {}
        self._linked: dict[int, list[Reference]] = {}
        self._builtins: dict[int, list[BuiltinReference]] = {}
        self._entries: dict[tuple[str, int], _Entry] = {}
        self._owner: dict[Definition, int] = {}
        self._positions: dict[int, tuple[list[int], list[Definition | Reference | BuiltinReference]]] = {}
        self._index: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
        self._everything: tuple[list[Definition], list[Reference], list[BuiltinReference]] | None = None
        self._unbound: tuple[list[Reference], list[Reference]] | None = None

    # ── the whole-table lists, for the consumers that walk all of them ──

    @property
    def definitions(self) -> list[Definition]:  # type: ignore[override]
        return self._all()[0]

    @property
    def references(self) -> list[Reference]:  # type: ignore[override]
        return self._all()[1]

    @property
    def builtin_references(self) -> list[BuiltinReference]:  # type: ignore[override]
        return self._all()[2]

    @property
    def builtin_values(self) -> list[Reference]:  # type: ignore[override]
        return self._split_unbound()[0]

    @property
    def unresolved(self) -> list[Reference]:  # type: ignore[override]
        return self._split_unbound()[1]

    def _all(self) -> tuple[list[Definition], list[Reference], list[BuiltinReference]]:
        found = self._everything
        if found is None:
            with self._lock, collector_paused():
                found = self._everything
                if found is None:
                    self._link_forward()
                    definitions: list[Definition] = []
                    references: list[Reference] = []
                    builtins: list[BuiltinReference] = []
                    for index in range(len(self._items)):
                        definitions += self._definitions(index)[0]
                        references += self._references(index)
                        builtins += self._builtin_references(index)
                    found = self._everything = definitions, references, builtins
        return found

    def _split_unbound(self) -> tuple[list[Reference], list[Reference]]:
        if self._unbound is None:
            self._unbound = split_unbound(self.references)
        return self._unbound

    # ── the queries, each building only the items it needs ──

    def _at(self, offset: int) -> Definition | Reference | BuiltinReference | None:
        """As `SymbolTable._at`: the last name starting at or before `offset`, if `offset` is within it. It
        is in the last item starting at or before `offset`, or (a cursor right after an item's last name)
        in the nearest earlier item with names."""
        index = bisect_right(self._starts, offset) - 1
        with self._lock, collector_paused():
            while index >= 0:
                starts, located = self._located(index)
                position = bisect_right(starts, offset) - 1
                if position >= 0:
                    item = located[position]
                    span = item.name_span if isinstance(item, Definition) else item.span
                    return item if offset <= span.end else None
                index -= 1
        return None

    def references_of(self, definition: Definition, include_declaration: bool = True) -> list[ast.Span]:
        spans = [span for span, _ in self._uses_of(definition)]
        if include_declaration:
            spans.append(definition.name_span)
        return sorted(spans, key=lambda span: span.start)

    def is_referenced(self, function: Definition) -> bool:
        outer = function.span
        return any(
            not write and (span.start < outer.start or span.end > outer.end)
            for span, write in self._uses_of(function)
        )

    def _uses_of(self, definition: Definition) -> list[tuple[ast.Span, bool]]:
        """Where `definition` may be read or written (and whether written): in its own item, and for a
        global, the open references to its name in the items after it (any item, for a `fn`: §9.2 2b).
        Those other items are not built: an open reference means `definition` if the global may hold it
        on entry, or if it is a top-level `fn` that a read unbound everywhere falls back to."""
        owner = self._owner.get(definition)
        if owner is None:
            return []
        with self._lock, collector_paused():
            found = [
                (reference.span, reference.write)
                for reference in self._references(owner)
                if definition in reference.definitions
            ]
            if definition.scope is not self._scope:
                return found
            name = definition.name
            late_bound = definition.kind is SymbolKind.FUNCTION
            for index in self._indexes()[1].get(name, ()):
                if index == owner or not (late_bound or index > owner):
                    continue
                entry, unbound = self._entry(name, index)
                held = definition in entry
                if not (held or (unbound and late_bound)):
                    continue
                item, shift = self._items[index], self._shifts[index]
                for reference in item.references:
                    start = reference.span.start
                    if reference.name != name or start not in item.open:
                        continue
                    if held or (not reference.write and item.open[start] is None):
                        found.append((_shifted(reference.span, shift), reference.write))
            return found

    # ── one item at a time ──

    def _located(self, index: int) -> tuple[list[int], list[Definition | Reference | BuiltinReference]]:
        """The item's names by start offset (`SymbolTable._located` for one item)."""
        known = self._positions.get(index)
        if known is not None:
            return known
        located: list[tuple[int, Definition | Reference | BuiltinReference]] = [
            (item.name_span.start, item) for item in self._definitions(index)[0]
        ]
        located += ((item.span.start, item) for item in self._references(index))
        located += ((item.span.start, item) for item in self._builtin_references(index))
        located.sort(key=lambda entry: entry[0])
        known = self._positions[index] = [start for start, _ in located], [item for _, item in located]
        return known

    def _definitions(self, index: int) -> tuple[list[Definition], dict[Definition, Definition]]:
        """The item's definitions moved to where it is now, and each by the definition it was resolved as.
        Scopes are rebuilt with them; the item's global scope becomes the file's."""
        found = self._moved.get(index)
        if found is not None:
            return found
        item, shift = self._items[index], self._shifts[index]
        scopes: dict[Scope, Scope] = {item.scope: self._scope}
        moved: dict[Definition, Definition] = {}

        def move_definition(old: Definition) -> Definition:
            new = moved.get(old)
            if new is None:
                scope = move_scope(old.scope)
                new = moved[old] = Definition(
                    old.name, old.kind, _shifted(old.name_span, shift), _shifted(old.span, shift), scope
                )
                self._owner[new] = index
            return new

        def move_scope(old: Scope) -> Scope:
            # Outermost first and without recursion over the chain: 5000 nested loops are 5000 scopes.
            chain: list[Scope] = []
            while old not in scopes:
                chain.append(old)
                old = old.parent  # type: ignore[assignment]  # the item's global scope ends every chain
            for scope in reversed(chain):
                function = scope.function
                # A scope's function is declared in one of its enclosing scopes, already moved.
                owner = move_definition(function) if function is not None else None
                scopes[scope] = Scope(
                    scope.kind,
                    _shifted(scope.span, shift),
                    scopes[scope.parent],
                    owner,  # type: ignore[index]
                )
            return scopes[chain[0]] if chain else scopes[old]

        definitions = [move_definition(definition) for definition in item.definitions]
        found = self._moved[index] = definitions, moved
        return found

    def _references(self, index: int) -> list[Reference]:
        found = self._linked.get(index)
        if found is not None:
            return found
        item, shift = self._items[index], self._shifts[index]
        moved = self._definitions(index)[1]
        found = []
        for reference in item.references:
            definitions = tuple(moved[definition] for definition in reference.definitions)
            start = reference.span.start
            if start in item.open:
                definitions = self._link(index, reference, definitions, item.open[start])
            found.append(
                Reference(reference.name, _shifted(reference.span, shift), definitions, reference.write)
            )
        self._linked[index] = found
        return found

    def _builtin_references(self, index: int) -> list[BuiltinReference]:
        found = self._builtins.get(index)
        if found is None:
            shift = self._shifts[index]
            found = self._builtins[index] = [
                BuiltinReference(call.name, _shifted(call.span, shift))
                for call in self._items[index].builtin_references
            ]
        return found

    def _link(
        self, index: int, reference: Reference, own: tuple[Definition, ...], function: Definition | None
    ) -> tuple[Definition, ...]:
        """An open reference's definitions: the item's own, what the global holds on entry to the item, and
        if it may be unbound there, §9.2's fallback for a read."""
        entry, unbound = self._entry(reference.name, index)
        found = dict.fromkeys(own)
        found.update(dict.fromkeys(entry))
        if unbound and not reference.write:
            moved = self._definitions(index)[1]
            candidates = self._top_functions(reference.name)
            found.update(
                dict.fromkeys(fallback_targets(moved.get(function) if function else None, candidates))
            )
        return _in_order(found)

    def _entry(self, name: str, index: int) -> _Entry:
        """What `name` holds on entry to item `index`: walking back over the items that bind it, up to one
        that binds it for certain or to an item whose entry is known (so items asked in source order, as
        `_uses_of` asks them, walk the file once: a global read by 3,000 items took 870 ms otherwise)."""
        entries = self._entries
        key = (name, index)
        known = entries.get(key)
        if known is not None:
            return known
        found: dict[Definition, None] = {}
        unbound = True
        items = self._items
        for earlier in range(index - 1, -1, -1):
            known = entries.get((name, earlier + 1))
            if known is not None:
                found.update(dict.fromkeys(known[0]))
                unbound = known[1]
                break
            exit_value = items[earlier].exits.get(name)
            if exit_value is None:
                continue
            local, keeps_entry = exit_value
            moved = self._definitions(earlier)[1]
            found.update((moved[definition], None) for definition in local)
            if not keeps_entry:
                unbound = False
                break
        entry = self._entries[key] = tuple(found), unbound
        return entry

    def _link_forward(self) -> None:
        """Every item's entry values in one pass, before the whole table is built."""
        current: dict[str, _Entry] = {}
        entries = self._entries
        for index, item in enumerate(self._items):
            for name in item.open_names:
                entries[(name, index)] = current.get(name, _UNSET)
            if item.exits:
                moved = self._definitions(index)[1]
                for name, (local, keeps_entry) in item.exits.items():
                    before, unbound = current.get(name, _UNSET) if keeps_entry else ((), False)
                    own = tuple(moved[definition] for definition in local)
                    current[name] = (*before, *own), unbound and keeps_entry

    def _top_functions(self, name: str) -> list[Definition]:
        return [
            self._definitions(index)[1][function]
            for index in self._indexes()[0].get(name, ())
            for function in self._items[index].top_functions[name]
        ]

    def _indexes(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """By name: the items declaring a top-level `fn` of it, and the items with open references to it."""
        if self._index is None:
            functions: dict[str, list[int]] = {}
            readers: dict[str, list[int]] = {}
            for index, item in enumerate(self._items):
                for name in item.top_functions:
                    functions.setdefault(name, []).append(index)
                for name in item.open_names:
                    readers.setdefault(name, []).append(index)
            self._index = functions, readers
        return self._index


def _shifted(span: ast.Span, shift: int) -> ast.Span:
    return ast.Span(span.start + shift, span.end + shift) if shift else span


def _in_order(found: dict[Definition, None]) -> tuple[Definition, ...]:
    if len(found) < 2:
        return tuple(found)
    return tuple(sorted(found, key=lambda definition: definition.name_span.start))
