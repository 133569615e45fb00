"""The symbol table linked from per-item resolutions (`check/item_symbols.py`) answers every query exactly as
a fresh `symbol_table(program)` does: on every conformance case and example, on generated programs, on a
program full of late-bound, looped and redefined globals, and after each edit of random edit sequences
through the real `Workspace` (whose cache decides which items are resolved again).

Definitions are compared by what they are (name, kind, spans, the chain of scopes), never by identity, since
the two tables build their own objects. Each table is queried before anything builds its whole lists, so
the lazy paths are the ones tested, and then its lists are compared too.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from charl_core import ast
from charl_core.analysis import Workspace
from charl_core.check.item_symbols import ItemSymbolTable, item_table
from charl_core.check.items import items_of, symbols_of
from charl_core.check.name_resolution import resolve_item
from charl_core.check.symbols import Definition, DocumentSymbol, Scope, SymbolKind, SymbolTable, symbol_table
from charl_core.syntax.document import Document, TextChange
from charl_core.syntax.lower import lower, lower_source
from charl_core.testing.programs import generate_large_program
from charl_core.testing.strategies import program_texts
from tests.conftest import EXAMPLES, require_conformance
from tests.test_incremental import random_edit

HARD_CASES = """\
let n = 3
fn helper(x: int) { x + n + late(x) }
print(late(2), helper(1))
fn late(a: int) { if a > 0 { return late(a - 1) } a }
if n > 2 { let m = 1 } else { n = 5 }
print(m)
let i = 0
while i < 3 {
    print(j)
    let j = i
    if i == 1 { let m = 2  break }
    i = i + 1
}
for k in [1, 2] { let n = k  print(n, m) }
fn f() { f }
fn f() { g() }
let f = 1
print(f, g, print)
fn outer() {
    let v = 1
    fn inner() { v + outer() + w }
    while v < 3 { v = v + 1  let w = v }
    inner
}
let r = match n { 1 => 2, q => q + m }
let n = n + 1
undefined_thing = 2
written_first = 3
fn written_first() { 0 }
"""
"""Globals bound in branches and loops of top-level statements, reads before their binding, late binding
and recursion (§9.2), redefinitions, a global shadowing a function, match bindings, a write before a `fn` of
that name (writes never fall back to functions): the linking's cases."""


def _scope_key(scope: Scope | None) -> tuple[object, ...]:
    chain = []
    while scope is not None:
        function = scope.function
        chain.append((scope.kind, scope.span, function.name_span if function is not None else None))
        scope = scope.parent
    return tuple(chain)


def _key(definition: Definition) -> tuple[object, ...]:
    return (
        definition.name,
        definition.kind,
        definition.name_span,
        definition.span,
        _scope_key(definition.scope),
    )


def _outline(symbols: list[DocumentSymbol]) -> list[tuple[object, ...]]:
    return [(s.name, s.kind, s.span, s.name_span, tuple(_outline(s.children))) for s in symbols]


def answers(table: SymbolTable, offsets: list[int]) -> list[object]:
    """Every query at every offset, and for every definition, in comparable form. Definitions are
    visited through the queries (`definition_at`), so a lazy table is asked before it builds its lists."""
    found: list[object] = []
    seen: dict[tuple[object, ...], Definition] = {}
    for offset in offsets:
        definitions = table.definition_at(offset)
        found.append((offset, [_key(d) for d in definitions], table.builtin_at(offset)))
        for definition in definitions:
            seen.setdefault(_key(definition), definition)
    for key in sorted(seen, key=repr):
        definition = seen[key]
        found.append((key, table.references_of(definition), table.references_of(definition, False)))
        if definition.kind is SymbolKind.FUNCTION:
            found.append((key, table.is_referenced(definition)))
    found.append(_outline(table.symbols()))
    return found


def lists(table: SymbolTable) -> tuple[object, ...]:
    """The table's lists, in comparable form."""

    def references(found: list) -> list[tuple[object, ...]]:
        return [(r.name, r.span, r.write, tuple(_key(d) for d in r.definitions)) for r in found]

    return (
        [_key(d) for d in table.definitions],
        references(table.references),
        [(call.name, call.span) for call in table.builtin_references],
        references(table.unresolved),
        references(table.builtin_values),
    )


def query_offsets(fresh: SymbolTable, size: int, rng: random.Random) -> list[int]:
    """Both ends of every name and the byte after it, and some offsets anywhere (gaps, keywords, past
    the end)."""
    offsets = {0, size, size + 1}
    spans = [d.name_span for d in fresh.definitions]
    spans += [r.span for r in fresh.references] + [c.span for c in fresh.builtin_references]
    for span in spans:
        offsets.update((span.start, span.end, span.end + 1))
    offsets.update(rng.randrange(size + 2) for _ in range(40))
    return sorted(offsets)


def assert_same(
    linked: SymbolTable, again: SymbolTable, fresh: SymbolTable, size: int, context: object
) -> None:
    """`linked` queried lazily, `again` (an equal table) with its lists built first: both as `fresh`."""
    offsets = query_offsets(fresh, size, random.Random(repr(context)))
    expected = answers(fresh, offsets)
    assert answers(linked, offsets) == expected, context
    assert lists(linked) == lists(fresh), context
    assert lists(again) == lists(fresh), context
    assert answers(again, offsets) == expected, context


def assert_linked_like_fresh(text: str, context: object) -> None:
    document = Document(text)
    fresh = symbol_table(lower(document.tree, document.source))
    linked = symbols_of(document.tree, document.source, {})
    again = symbols_of(document.tree, document.source, {})
    if not document.tree.root_node.has_error:
        assert isinstance(linked, ItemSymbolTable), context
    assert_same(linked, again, fresh, len(document.source), context)


def corpus() -> list[Path]:
    return [*require_conformance(), *EXAMPLES]


def test_every_real_program_links_like_a_fresh_resolution() -> None:
    for path in corpus():
        assert_linked_like_fresh(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize("seed", range(4))
def test_generated_programs_link_like_a_fresh_resolution(seed: int) -> None:
    assert_linked_like_fresh(generate_large_program(400, seed=seed), seed)


def test_hard_cases_link_like_a_fresh_resolution() -> None:
    assert_linked_like_fresh(HARD_CASES, "hard cases")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program_texts(max_statements=8, depth=3))
def test_random_programs_link_like_a_fresh_resolution(program_and_text: tuple[object, str]) -> None:
    _, text = program_and_text
    assert_linked_like_fresh(text, text)


@pytest.mark.parametrize(
    ("opener", "closer"), [("while c {", "}"), ("for i in xs {", "}"), ("fn f(a: int) {", "}")]
)
def test_a_deeply_nested_item_is_moved_without_recursion(opener: str, closer: str) -> None:
    """5000 nested scopes in one item, moved by an edit above it: scopes are rebuilt outermost first.
    (Through `items_of` rather than a `Workspace`: the checker itself recurses on such nesting.)"""
    depth = 5000
    body = "".join(f"{opener} print(x)\n" for _ in range(depth)) + "x" + closer * depth
    before = Document(f"let x = 1\n{body}\n")
    known = {item.id: item for item in items_of(before.tree, before.source, {})[0]}
    after = Document(f"let y = 2\nlet x = 1\n{body}\n")
    table = symbols_of(after.tree, after.source, known)
    assert isinstance(table, ItemSymbolTable)
    declaration = table.definition_at(len("let y = 2\nlet "))
    assert [d.name for d in declaration] == ["x"]
    assert len(table.references_of(declaration[0], include_declaration=False)) == depth + 1
    innermost = table.definition_at(len(f"let y = 2\nlet x = 1\n{body}") - depth * len(closer) - 1)
    assert innermost == declaration


def test_an_item_alone_resolves_like_a_program_of_that_item() -> None:
    """`ItemSyntax`'s facts (W208, W209, W212, the checker's dependencies) read `item_table`."""
    for statement in lower_source(HARD_CASES).statements:
        alone = ast.Program([statement], span=statement.span)
        size = statement.span.end
        assert_same(
            item_table(resolve_item(statement)),
            item_table(resolve_item(statement)),
            symbol_table(alone),
            size,
            statement,
        )


def edit_sequence(text: str, seed: int, edits: int) -> None:
    """Edits through a `Workspace`, whose check cache holds the items' resolutions; the check runs after
    some versions only, so that the table also links items resolved for it alone."""
    rng = random.Random(seed)
    workspace = Workspace()
    workspace.open("file", text, 0)
    workspace.analysis("file").diagnostics()
    document = Document(text)
    for version in range(1, edits + 1):
        start_row, start_column, end_row, end_column, new = random_edit(document.text, rng)
        change = TextChange(new, (start_row, start_column), (end_row, end_column))
        workspace.change("file", [change], version)
        document.apply_changes([change], version)
        analysis = workspace.analysis("file")
        if rng.random() < 0.5:
            analysis.diagnostics()
        fresh = symbol_table(lower(document.tree, document.source))
        again = workspace.analysis("file")
        assert again is analysis
        context = (seed, version, change)
        second = symbols_of(document.tree, document.source, {})
        assert_same(analysis.symbols, second, fresh, len(document.source), context)


@pytest.mark.parametrize("index", range(0, 48, 6))
def test_random_edits_of_real_programs_keep_the_table_exact(index: int) -> None:
    programs = corpus()[::4]
    for offset, path in enumerate(programs[index : index + 6]):
        edit_sequence(path.read_text(encoding="utf-8"), seed=index * 11 + offset, edits=5)


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_of_generated_programs_keep_the_table_exact(seed: int) -> None:
    edit_sequence(generate_large_program(200, seed=seed), seed=seed, edits=8)


@pytest.mark.parametrize("seed", range(10))
def test_random_edits_of_the_hard_cases_keep_the_table_exact(seed: int) -> None:
    edit_sequence(HARD_CASES, seed=500 + seed, edits=8)


def test_a_one_line_edit_resolves_only_the_edited_item() -> None:
    """The cache is what makes it cheap: after an edit inside one function, every other item's
    resolution is the one the previous version made (the same object)."""
    text = generate_large_program(300, seed=3)
    workspace = Workspace()
    workspace.open("file", text, 0)
    before = workspace.analysis("file")
    before.diagnostics()
    old = {id(item.resolution) for item in before._cache.cache.items}
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("fn ") and line.endswith("{")) + 1
    workspace.change("file", [TextChange("let extra = 1\n    ", (row, 4), (row, 4))], 1)
    table = workspace.analysis("file").symbols
    assert isinstance(table, ItemSymbolTable)
    fresh_items = [item for item in table._items if id(item) not in old]
    assert len(fresh_items) == 1
