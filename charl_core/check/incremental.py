"""Checking a file item by item, reusing each top-level item's result from the previous version when nothing
it depends on changed (issue 3: an edit inside one function re-checks only what it touched).

The checker walks the top-level statements in order; what one statement's check reads from the rest of the
program is (a) the global names it mentions, (b) the functions it calls, directly or through other functions
(whose bodies read their own snapshot, or the globals of the moment when late-bound, §9.2), (c) whether the
program already failed for certain (§4.6), and (d) which functions are referenced (W208, W209). What it does
to the rest is (1) the globals it writes, (2) the functions it declares, and (3) the `let` types it records
inside called functions. `ItemResult` records all of these; a new version replays the old result of an item
with the same text instead of checking it again when:

- no name the item mentions is *dirty*: dirty names are those whose binding may differ from the previous
  version at this point of the program. Changed items (the middle between the common prefix and suffix)
  dirty every name they or their old versions wrote; a re-checked item dirties the names it now writes
  differently and cleans those it writes as before; a replayed item cleans what it writes;
- no item whose functions it called (`uses`, transitively, through memo hits too) was re-checked or
  changed, and none of those items mentions a dirty name or the name of a changed top-level function;
- the program's certain-failure state at its entry is the same, or its check never asked whether code
  was certain to run where it was (`Reporter.asked_where_certain`: then every such question was answered
  "no" whatever the state, and the check would go the same way), and every referenced-function fact it
  read is the same. The second case matters: an edit that adds the program's first certain error (a
  renamed variable) changes the state at every later item.

The rule is conservative: it may check an item whose result turns out unchanged, never the reverse. Because
a fresh check runs this same walk with an empty cache, and a memo hit replays the effects of the call it
stands for, the diagnostics, `let` types and expression types of an incremental check are exactly those of
a fresh one; `tests/test_incremental.py` checks that on random edit sequences.

The cyclic garbage collector is paused during a check, as during lowering (`collector_paused`): the check
allocates many small acyclic objects while the whole AST is alive, and each collection would rescan it.

Results are stored with the spans of the item's AST as it was lowered (`ItemSyntax.base`) and shifted to the
item's current position when read: diagnostics when the check ends, `let` and expression types lazily.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from tree_sitter import Tree

from charl_core import ast
from charl_core.ast import Span
from charl_core.check.env import Binding, Env, Layer
from charl_core.check.functions import (
    Effect,
    FunctionInfo,
    FunctionPlace,
    ItemRef,
    TopLevelFunction,
    function_key,
)
from charl_core.check.infer import Checker
from charl_core.check.items import FunctionFacts, ItemSyntax, items_of, summarise
from charl_core.check.report import Reporter
from charl_core.check.stale_reads import stale_snapshot_reads
from charl_core.check.symbols import SymbolKind, SymbolTable, symbol_table
from charl_core.diagnostics import Diagnostic, moved, sort_key
from charl_core.syntax.lower import collector_paused, lower
from charl_core.types import Type, join


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The check of one top-level item, in the terms of its `syntax` (spans absolute at `syntax.base`)."""

    syntax: ItemSyntax
    stopped_before: bool
    stopped_after: bool
    stopped_irrelevant: bool
    """The same result whatever `stopped_before` (`Reporter.asked_where_certain` was never set): then
    `stopped_after` equals `stopped_before`."""
    alive_after: bool
    delta: dict[str, Binding]
    effects: tuple[Effect, ...]
    diagnostics: tuple[Diagnostic, ...]
    expression_types: dict[Span, Type]
    uses: frozenset[str]
    depends_on: frozenset[str]
    """The names the item mentions and those its called functions' items mention."""
    references: tuple[tuple[FunctionPlace, bool], ...]
    registrations: tuple[tuple[str, FunctionInfo], ...]

    calls_nothing: bool
    """No function called, no W208 fact read: most items (a `let`, a `print`)."""

    @property
    def registers(self) -> bool:
        return bool(self.registrations)


@dataclass(frozen=True, slots=True)
class CheckCache:
    """What one version's check leaves for the next: its items in order, the results of those it reached
    (all of them unless a top-level `return` stopped the program), and the counts `FunctionFacts` keeps.
    Immutable; a check returns a new one."""

    items: tuple[ItemSyntax, ...] = ()
    results: tuple[ItemResult, ...] = ()
    counts: tuple[Counter[str], Counter[str]] | None = None
    ids: tuple[str, ...] = ()
    by_id: Mapping[str, ItemSyntax] = field(default_factory=dict)
    digests: Mapping[bytes, tuple[str, bool]] = field(default_factory=dict)
    """The items' text hashes by text (`item_ids`)."""

    def known_syntax(self) -> Mapping[str, ItemSyntax]:
        """Every item by identity (read only)."""
        return self.by_id


EMPTY_CACHE = CheckCache()


class CheckResult:
    """Diagnostics (sorted), the inferred type of every `let` and of every expression outside per-call
    checks, by span. The two maps are assembled from the items' results on first use."""

    def __init__(self, diagnostics: list[Diagnostic], placed: list[tuple[int, ItemResult]]) -> None:
        self.diagnostics = diagnostics
        self._placed = placed
        self._let_types: dict[Span, tuple[ast.Name, Type]] | None = None
        self.expression_types: Mapping[Span, Type] = ExpressionTypes(placed)

    @property
    def let_types(self) -> dict[Span, tuple[ast.Name, Type]]:
        if self._let_types is None:
            self._let_types = _let_types(self._placed)
        return self._let_types


class ExpressionTypes(Mapping[Span, Type]):
    """Expression types of all items, found through the item that holds the span (no copy per version)."""

    def __init__(self, placed: list[tuple[int, ItemResult]]) -> None:
        self._placed = placed
        self._starts = [start for start, _ in placed]
        self._all: dict[Span, Type] | None = None

    def __getitem__(self, span: Span) -> Type:
        index = bisect_right(self._starts, span.start) - 1
        if index >= 0:
            start, result = self._placed[index]
            shift = result.syntax.base - start
            found = result.expression_types.get(Span(span.start + shift, span.end + shift))
            if found is not None:
                return found
        raise KeyError(span)

    def _everything(self) -> dict[Span, Type]:
        if self._all is None:
            self._all = {}
            for start, result in self._placed:
                shift = start - result.syntax.base
                for span, t in result.expression_types.items():
                    self._all[Span(span.start + shift, span.end + shift)] = t
        return self._all

    def __iter__(self) -> Iterator[Span]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


def check_tree(tree: Tree, source: bytes, cache: CheckCache = EMPTY_CACHE) -> tuple[CheckResult, CheckCache]:
    """Check a parsed file without syntax errors, reusing `cache` (from any earlier version of the same
    document, or empty); the result and the cache for the next version."""
    with collector_paused():
        items, starts, digests = items_of(tree, source, cache.known_syntax(), cache.digests)
        return _check(items, starts, cache, lambda: lower(tree, source), digests)


def check_statements(program: ast.Program) -> CheckResult:
    """Check an already lowered program (no text: every statement is its own item, named by its index,
    and there is no cache)."""
    statements = program.statements
    with collector_paused():
        items = [
            summarise(f"s{i}", statement, statement.span.start) for i, statement in enumerate(statements)
        ]
        result, _ = _check(
            items, [statement.span.start for statement in statements], EMPTY_CACHE, lambda: program
        )
    return result


def _check(
    items: list[ItemSyntax],
    starts: list[int],
    cache: CheckCache,
    full_program: Callable[[], ast.Program],
    digests: Mapping[bytes, tuple[str, bool]] | None = None,
) -> tuple[CheckResult, CheckCache]:
    ids = tuple(item.id for item in items)
    prefix, suffix = _common_ends(ids, cache.ids)
    middle_old = cache.items[prefix : len(cache.items) - suffix]
    middle_new = items[prefix : len(items) - suffix]
    counts = FunctionFacts.counted(cache.counts, middle_old, middle_new)
    function_items = {item.id: item for item in items if item.functions}
    facts = FunctionFacts(function_items, *counts, _Fallback(full_program, items, starts))
    top_level: dict[str, TopLevelFunction] = {}
    for item in function_items.values():
        statement = item.statement
        if isinstance(statement, ast.FunctionDef):
            where = ItemRef(item.id, item.base)
            key = function_key(statement.name.id, where, statement.span.start)
            top_level[statement.name.id] = TopLevelFunction(statement, key, where)
    checker = Checker(top_level, facts.is_referenced)

    old = cache.results
    changed_functions = {
        changed.statement.name.id
        for changed in [*middle_old, *middle_new]
        if isinstance(changed.statement, ast.FunctionDef)
    }
    middle_results = old[prefix : max(prefix, len(cache.items) - suffix)]
    # The usual edit replaces items one for one (a keystroke changes one item): then each re-checked item is
    # compared with the result it replaces, and only the names whose types changed become dirty.
    replaced = middle_results if len(middle_old) == len(middle_new) == len(middle_results) else None
    dirty_items = {result.syntax.id for result in middle_results if result.registers}
    dirty_items.update(item.id for item in middle_old if item.functions)
    dirty: set[str] = set()
    syntax_by_id = dict(zip(ids, items, strict=True))
    with_functions = function_items.keys()

    def calls_unchanged(result: ItemResult) -> bool:
        """The functions it called and the W208 facts it read are as they were (`depends_on`, checked by
        the caller, holds the called items' names as they were checked: an item that still exists under
        the same identity has the same text, so the same names)."""
        uses = result.uses
        if uses and not (uses.isdisjoint(dirty_items) and uses <= with_functions):
            return False
        references = result.references
        return not references or all(facts.is_referenced(place) == known for place, known in references)

    env = Env()
    globals_ = env.scopes[0].values
    stopped = False
    results: list[ItemResult] = []
    suffix_start = len(items) - suffix
    old_shift = len(cache.items) - len(items)  # a suffix item's index in the old version, minus its index
    for index, item in enumerate(items):
        if not env.alive:
            break
        if index == suffix_start and replaced is None:
            for result in middle_results:
                dirty.update(result.delta)
        previous = None
        if index < prefix:
            previous = old[index] if index < len(old) else None
        elif index >= suffix_start and index + old_shift < len(old):
            previous = old[index + old_shift]
        if (
            previous is not None
            and (previous.stopped_before == stopped or previous.stopped_irrelevant)
            and (not dirty or previous.depends_on.isdisjoint(dirty))
            and (not changed_functions or previous.depends_on.isdisjoint(changed_functions))
            and (previous.calls_nothing or calls_unchanged(previous))
        ):  # the rule of the module docstring
            globals_.update(previous.delta)
            if previous.registrations:
                checker.functions.update(previous.registrations)
            env.alive = previous.alive_after
            if not previous.stopped_irrelevant:
                stopped = previous.stopped_after
            if dirty:
                dirty.difference_update(previous.delta)
            results.append(previous)
            continue
        result = _check_item(checker, item, env, stopped, syntax_by_id)
        if result.registers:
            dirty_items.add(item.id)
        if previous is None and replaced is not None and prefix <= index < suffix_start:
            previous = replaced[index - prefix]
        if previous is not None:
            for name in previous.delta.keys() | result.delta.keys():
                if previous.delta.get(name) != result.delta.get(name):
                    dirty.add(name)
                else:
                    dirty.discard(name)
        else:
            dirty.update(result.delta)
        stopped = result.stopped_after
        results.append(result)

    placed = list(zip(starts, results, strict=False))
    # W212's reading half needs the items that register functions and, among those that assign globals,
    # only the ones assigning a name some function item reads from its snapshot: most assignments are to
    # loop counters that no function reads, and passing them all cost about 1 ms per check.
    snapshot_reads: set[str] = set()
    for function_item in function_items.values():
        snapshot_reads.update(function_item.first_free_reads)
    diagnostics = []
    stale_candidates = []
    for start, result in placed:
        if result.diagnostics:
            shift = start - result.syntax.base
            diagnostics.extend(moved(diagnostic, shift) for diagnostic in result.diagnostics)
        if result.registrations or not snapshot_reads.isdisjoint(result.syntax.global_assignments):
            stale_candidates.append((start, result))
    diagnostics += stale_snapshot_reads(stale_candidates)
    diagnostics.sort(key=sort_key)
    return CheckResult(diagnostics, placed), CheckCache(
        tuple(items), tuple(results), counts, ids, syntax_by_id, digests or {}
    )


def _check_item(
    checker: Checker, item: ItemSyntax, env: Env, stopped: bool, syntax_by_id: dict[str, ItemSyntax]
) -> ItemResult:
    reporter = Reporter(stopped=stopped)
    globals_before = env.scopes[0]
    layer = Layer(globals_before)
    env.scopes[0] = layer
    try:
        effects = checker.check_item(item.statement, env, ItemRef(item.id, item.base), reporter)
    finally:
        env.scopes[0] = globals_before
    globals_before.values.update(layer.values)
    uses = frozenset(effect[1] for effect in effects if effect[0] == "use")
    depends_on = item.names.union(*(syntax_by_id[used].names for used in uses if used in syntax_by_id))
    references = tuple((effect[1], effect[2]) for effect in effects if effect[0] == "ref")
    stopped_irrelevant = not reporter.asked_where_certain  # read before `certain` below sets it
    return ItemResult(
        syntax=item,
        stopped_before=stopped,
        stopped_after=not reporter.certain,
        stopped_irrelevant=stopped_irrelevant,
        alive_after=env.alive,
        delta=layer.values,
        effects=tuple(effects),
        diagnostics=tuple(reporter.diagnostics()),
        expression_types=checker.expression_types,
        uses=uses,
        depends_on=depends_on,
        references=references,
        registrations=tuple((effect[1], effect[2]) for effect in effects if effect[0] == "register"),
        calls_nothing=not uses and not references,
    )


def _common_ends(new: tuple[str, ...], old: tuple[str, ...]) -> tuple[int, int]:
    """The lengths of the common prefix and suffix (not overlapping) of two identity lists."""
    limit = min(len(new), len(old))
    prefix = 0
    while prefix < limit and new[prefix] == old[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and new[-1 - suffix] == old[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _let_types(placed: list[tuple[int, ItemResult]]) -> dict[Span, tuple[ast.Name, Type]]:
    """Every `let`'s type, joined over the generic check of its function and every call of it (§4.4)."""
    start_of = {result.syntax.id: start for start, result in placed if result.registers}
    found: dict[Span, tuple[ast.Name, Type]] = {}
    for start, result in placed:
        for effect in result.effects:
            if effect[0] != "let":
                continue
            _, owner, begin, end, name, name_begin, name_end, value = effect
            at = start if owner is None else start_of.get(owner)
            if at is None:
                continue
            span = Span(at + begin, at + end)
            known = found.get(span)
            joined = value if known is None else join(known[1], value)
            found[span] = (ast.Name(name, span=Span(at + name_begin, at + name_end)), joined)
    return found


class _Fallback:
    """The symbol table's answer to "is this `fn` referenced", for the rare names `FunctionFacts` cannot
    decide alone (declared twice in the global scope): resolves the whole file once."""

    def __init__(
        self, full_program: Callable[[], ast.Program], items: list[ItemSyntax], starts: list[int]
    ) -> None:
        self.full_program = full_program
        self.items = items
        self.starts = starts
        self.table: SymbolTable | None = None

    def __call__(self, place: FunctionPlace) -> bool:
        _, identity, offset = place
        if self.table is None:
            self.table = symbol_table(self.full_program())
        start_of = {item.id: start for item, start in zip(self.items, self.starts, strict=True)}
        start = start_of.get(identity, -1) + offset
        for definition in self.table.definitions:
            if definition.kind is SymbolKind.FUNCTION and definition.span.start == start:
                return self.table.is_referenced(definition)
        return True
