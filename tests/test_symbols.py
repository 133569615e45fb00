"""Symbols: name resolution for the editor features (charl_core.check.symbols), through real Charl text.

Sources carry markers that are removed before parsing: `$0` is the cursor, `«…»` the ranges expected as
references. A definition is named by the text of its declaring node (`let x = 2`, `a: int`, `n => n + 1`).
At the end, random programs over four names are checked against a naive fixpoint resolution.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings

from charl_core import ast
from charl_core.builtins import is_builtin
from charl_core.check.symbols import (
    Definition,
    DocumentSymbol,
    ScopeKind,
    SymbolKind,
    SymbolTable,
    symbol_table,
)
from charl_core.syntax.lower import lower_source
from charl_core.testing.programs import generate_large_program
from charl_core.testing.strategies import program_texts


def marked(source: str) -> tuple[str, int | None, list[tuple[int, int]]]:
    """The text without markers, the cursor's byte offset and the `«…»` byte ranges."""
    text: list[str] = []
    size = 0
    cursor = None
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    index = 0
    while index < len(source):
        if source.startswith("$0", index):
            cursor = size
            index += 2
            continue
        char = source[index]
        if char == "«":
            opened.append(size)
        elif char == "»":
            spans.append((opened.pop(), size))
        else:
            text.append(char)
            size += len(char.encode())
        index += 1
    return "".join(text), cursor, sorted(spans)


def table(text: str) -> SymbolTable:
    return symbol_table(lower_source(text))


def declared(text: str, definition: Definition) -> str:
    return text.encode()[definition.span.start : definition.span.end].decode()


def check_definition(source: str, *expected: str) -> None:
    text, cursor, _ = marked(source)
    assert cursor is not None
    found = table(text).definition_at(cursor)
    assert [declared(text, definition) for definition in found] == list(expected)


def check_references(source: str, include_declaration: bool = True) -> None:
    """The references of the definition at the cursor are exactly the `«…»` ranges."""
    text, cursor, spans = marked(source)
    assert cursor is not None
    symbols = table(text)
    [definition] = symbols.definition_at(cursor)
    found = symbols.references_of(definition, include_declaration)
    assert [(span.start, span.end) for span in found] == spans


def function(symbols: SymbolTable, name: str) -> Definition:
    [found] = [d for d in symbols.definitions if d.name == name and d.kind is SymbolKind.FUNCTION]
    return found


# ───────────────────────────── scopes and reaching definitions ─────────────────────────────


def test_a_re_let_overwrites_the_earlier_let():
    check_definition("let x = 1\nlet x = 2\nprint(x$0)", "let x = 2")


def test_a_let_reads_the_previous_binding_of_its_own_name():
    check_definition("let x = 1\nlet x = x$0 + 1", "let x = 1")


def test_lets_on_different_paths_all_reach_a_read():
    check_definition("let x = 1\nif c { let x = 2 }\nprint(x$0)", "let x = 1", "let x = 2")
    check_definition(
        "if a { let x = 1 } else if b { let x = 2 } else { let x = 3 }\nprint(x$0)",
        "let x = 1",
        "let x = 2",
        "let x = 3",
    )


def test_a_let_in_both_branches_hides_the_one_before():
    check_definition("let x = 0\nif c { let x = 1 } else { let x = 2 }\nx$0", "let x = 1", "let x = 2")


def test_lets_in_if_and_while_stay_visible_after_them():
    """LANGUAGE.md §5.6: `if`, `else` and `while` open no scope."""
    source = "let i = 0\nwhile i < 2 { let inner = i * 10  i = i + 1 }\nprint(inner$0)"
    check_definition(source, "let inner = i * 10")
    check_definition("if c { let y = 1 }\nprint(y$0)", "let y = 1")


def test_a_let_in_an_if_expression_block_declares_in_the_enclosing_scope():
    check_definition("let y = if c { let z = 1  z } else { 2 }\nprint(z$0)", "let z = 1")


def test_a_let_later_in_a_loop_reaches_a_read_through_the_back_edge():
    check_definition("let x = 0\nwhile c { print(x$0)  let x = 1 }", "let x = 0", "let x = 1")
    check_definition("let x = 0\nwhile c { let x = 1  print(x$0)  let x = 2 }", "let x = 1")
    check_definition(
        "let x = 0\nwhile a { if b { let x = 1 } else { print(x$0) } }", "let x = 0", "let x = 1"
    )
    check_definition("let x = 0\nwhile a { while b { x$0 }  let x = 1 }", "let x = 0", "let x = 1")


def test_a_local_declared_later_in_a_loop_of_a_function_reaches_a_read_of_the_global():
    check_definition("let x = 0\nfn f() { while c { print(x$0)  let x = 1 } }", "let x = 0", "let x = 1")


def test_a_break_leaves_with_the_state_it_has_reached():
    """§5.8: `break` in an `if` still runs the rest of that block, then leaves the loop."""
    source = "let x = 0\nwhile c { let x = 1\n if d { break  let x = 3 }\n let x = 2 }\nprint(x$0)"
    check_definition(source, "let x = 0", "let x = 1", "let x = 3", "let x = 2")
    check_definition("let x = 0\nwhile c { let x = 1  let x = 2 }\nprint(x$0)", "let x = 0", "let x = 2")


def test_the_loop_variable_and_the_body_lets_are_invisible_after_a_for_loop():
    text = "let best = 0\nfor k in 0..3 { let best = k  let inner = k }\nprint(best, k, inner)"
    symbols = table(text)
    assert [reference.name for reference in symbols.unresolved] == ["k", "inner"]
    check_definition(text.replace("print(best", "print(best$0"), "let best = 0")


def test_a_for_loop_shadows_an_outer_variable_during_the_loop():
    check_definition("let best = 0\nfor k in 0..3 { let best = k  print(best$0) }", "let best = k")
    check_definition("for k in 0..3 { print(k$0) }", "for k in 0..3 { print(k) }")
    # The loop's scope lives across iterations: the inner let reaches the next one's read (§5.6).
    check_definition(
        "let best = 0\nfor k in 0..3 { print(best$0)  let best = k }", "let best = 0", "let best = k"
    )


def test_an_assignment_in_a_for_body_writes_the_outer_variable():
    text, cursor, _ = marked("let best = 0\nfor k in 0..3 { best$0 = k }")
    symbols = table(text)
    assert [declared(text, d) for d in symbols.definition_at(cursor)] == ["let best = 0"]
    [write] = [reference for reference in symbols.references if reference.write]
    assert (write.name, write.span.start) == ("best", cursor - 4)


def test_match_arm_bindings_are_visible_only_in_their_arm():
    check_definition("let r = match v { n => n$0 + 1, _ => 0 }", "n => n + 1")
    symbols = table("let v = 1\nlet r = match v { n => n, _ => n }\nprint(n)")
    assert [reference.name for reference in symbols.unresolved] == ["n", "n"]
    [binding] = [d for d in symbols.definitions if d.kind is SymbolKind.MATCH_BINDING]
    assert binding.scope.kind is ScopeKind.MATCH_ARM


def test_function_parameters():
    check_definition("fn f(a: int, b: int) { a + b$0 }", "b: int")
    check_definition("let a = 1\nfn f(a: int) { a$0 }", "a: int")


# ───────────────────────────── functions: snapshot, late binding, builtins ─────────────────────────────


def test_a_function_sees_the_globals_bound_before_it_as_they_were():
    """§5.7: the snapshot; a later re-let of the global is not seen."""
    check_definition("let g = 1\nfn f() { g$0 }\nlet g = 2", "let g = 1")


def test_a_global_declared_after_a_function_is_invisible_inside_it():
    text = "fn f() { g }\nlet g = 1"
    assert [reference.name for reference in table(text).unresolved] == ["g"]


def test_a_top_level_function_declared_later_is_visible_everywhere():
    """§9.2: late-bound top-level function names, whatever the order."""
    check_definition("fn f() { h$0() }\nfn h() { 1 }", "fn h() { 1 }")
    check_definition("main$0()\nfn main() { 1 }", "fn main() { 1 }")
    source = "fn is_even(n: int) { is_odd$0(n - 1) }\nfn is_odd(n: int) { is_even(n - 1) }"
    check_definition(source, "fn is_odd(n: int) { is_even(n - 1) }")


def test_a_function_nested_in_another_is_not_late_bound():
    text = "fn outer() { fn inner() { 1 } }\nfn other() { inner() }"
    assert [reference.name for reference in table(text).unresolved] == ["inner"]


def test_a_function_calls_itself():
    source = "fn fact(n: int) -> int { if n <= 1 { return 1 }  return n * fact$0(n - 1) }"
    check_definition(source, source.replace("$0", ""))
    nested = "fn outer() { fn walk(d: int) { walk$0(d - 1) }  walk(3) }"
    check_definition(nested, "fn walk(d: int) { walk(d - 1) }")


def test_a_binding_in_the_snapshot_beats_the_functions_own_name():
    """§9.2 step 1 first: a global `f` bound before `fn f` is what `f` means inside its body."""
    check_definition("let f = 1\nfn f() { f$0 }", "let f = 1")


def test_a_builtin_call_never_refers_to_a_user_function_of_that_name():
    """§5.7: builtins shadow user functions; `fn linear` is never called (W207)."""
    text, cursor, _ = marked("fn linear(a: int, b: int) { a }\nlinear$0(2, 3)")
    symbols = table(text)
    assert symbols.definition_at(cursor) == []
    assert symbols.builtin_at(cursor) == "linear"
    assert [(ref.name, ref.span.start) for ref in symbols.builtin_references] == [("linear", cursor - 6)]
    assert not symbols.is_referenced(function(symbols, "linear"))


def test_a_builtin_used_as_a_value_is_listed():
    """§5.7: builtins are not values; `let f = print` fails with `Undefined variable: print`."""
    symbols = table("let f = print\nf(1)")
    assert [reference.name for reference in symbols.builtin_values] == ["print"]
    assert symbols.unresolved == []
    shadowed = table("let print = 3\nlet y = print")
    assert shadowed.builtin_values == [] and shadowed.unresolved == []


def test_unresolved_reads_and_writes():
    symbols = table("let a = 1\nprint(a + undefined_name)\ntotal = 3\nxs[0] = 1")
    assert [(ref.name, ref.write) for ref in symbols.unresolved] == [
        ("undefined_name", False),
        ("total", True),
        ("xs", True),
    ]


def test_assignment_targets_are_write_references():
    text, cursor, _ = marked("let xs = [1, 2]\nlet i = 0\nxs$0[i] = 5\nxs = [3]\nprint(xs)")
    symbols = table(text)
    [definition] = symbols.definition_at(cursor)
    uses = [(ref.span.start, ref.write) for ref in symbols.references if definition in ref.definitions]
    assert uses == [(cursor - 2, True), (text.index("xs = [3]"), True), (text.rindex("xs"), False)]


def test_an_assignment_inside_a_function_writes_its_snapshot_copy():
    """§5.7's example: `g = 100` in setg refers to the global `let g` (W212: it is discarded)."""
    check_definition("let g = 5\nfn setg() { g$0 = 100 }\ng = 7", "let g = 5")


# ───────────────────────────── queries ─────────────────────────────


def test_definition_at_a_declaration_is_the_declaration():
    check_definition("let x$0 = 1\nprint(x)", "let x = 1")
    check_definition("let $0x = 1", "let x = 1")
    check_definition("let x = 1 $0")


def test_references_of_a_definition():
    check_references("let «x$0» = 1\nprint(«x»)\n«x» = «x» + 1\nfn f() { «x» }")
    check_references("let x$0 = 1\nprint(«x»)", include_declaration=False)


def test_a_read_reached_by_two_lets_is_a_reference_of_both():
    check_references("let «x$0» = 1\nif c { let x = 2 }\nprint(«x»)")
    check_references("let x = 1\nif c { let «x$0» = 2 }\nprint(«x»)")


def test_references_across_a_for_loop_do_not_mix_the_shadowed_variable():
    check_references("let «best» = 0\nfor k in 0..3 { let best = k  print(best) }\nprint(«best$0»)")


def test_non_ascii_names_use_byte_offsets():
    check_references("let «ñame$0» = 1\nlet 数 = «ñame» + 1\nprint(数, «ñame»)")
    check_definition("let ñame = 1\nlet 数 = ñame + 1\nprint(数$0)", "let 数 = ñame + 1")


def test_is_referenced():
    """W208/W209: a function counts as referenced when something outside its own body calls, stores or
    passes it."""
    symbols = table(
        """\
fn called() { 1 }
fn passed(x: int) { x }
fn stored() { 2 }
fn recursive(n: int) { recursive(n - 1) }
fn main() { 3 }
fn apply(f: int, x: int) { f(x) }
called()
apply(passed, 1)
let s = stored
"""
    )
    status = {d.name: symbols.is_referenced(d) for d in symbols.definitions if d.kind is SymbolKind.FUNCTION}
    assert status == {
        "called": True,
        "passed": True,
        "stored": True,
        "recursive": False,
        "main": False,
        "apply": True,
    }


def test_a_function_called_only_from_an_unreferenced_function_is_referenced():
    symbols = table("fn helper() { 1 }\nfn main() { helper() }")
    assert symbols.is_referenced(function(symbols, "helper"))
    assert not symbols.is_referenced(function(symbols, "main"))


def shape(symbols: list[DocumentSymbol]) -> list[tuple[str, str, list]]:
    return [(symbol.name, symbol.kind.value, shape(symbol.children)) for symbol in symbols]


def test_document_symbols_nest_functions_and_their_lets():
    symbols = table(
        """\
let total = 0
fn main(n: int) {
    let x = n
    fn helper() { let y = 1  y }
    for i in 0..n { let inner = i }
    x
}
if total > 0 { let flag = true }
let r = match total { v => v }
"""
    )
    assert shape(symbols.symbols()) == [
        ("total", "variable", []),
        (
            "main",
            "function",
            [
                ("x", "variable", []),
                ("helper", "function", [("y", "variable", [])]),
                ("inner", "variable", []),
            ],
        ),
        ("flag", "variable", []),
        ("r", "variable", []),
    ]


def test_top_level_means_the_global_scope():
    symbols = table("let a = 1\nif a { let b = 2 }\nfor i in 0..2 { let c = i }\nfn f(p: int) { let d = p }")
    assert {d.name: d.top_level for d in symbols.definitions} == {
        "a": True,
        "b": True,
        "i": False,
        "c": False,
        "f": True,
        "p": False,
        "d": False,
    }


# ───────────────────────────── robustness and scale ─────────────────────────────

BROKEN = [
    "let x = \nfn (a) { x = }\nlet",
    "for in { }",
    "fn f(a: int, : int) { a }",
    "let y = match x { => 1, n => }",
    "if { let z = 1 } else",
    "while (((",
    "fn g() { let q = 1\n",
    "x[ = 3\nlet = 4\n)(",
    "let t = (1, 2).\nprint(t.0",
    "model Net { layers { dense(3) } }\nlet ok = 1\nprint(ok)",
]


@pytest.mark.parametrize("text", BROKEN)
def test_broken_code_never_raises(text: str):
    symbols = table(text)
    symbols.symbols()
    for offset in range(len(text.encode()) + 1):
        for definition in symbols.definition_at(offset):
            symbols.references_of(definition)
            symbols.is_referenced(definition)


def test_every_prefix_of_a_program_resolves_without_raising():
    text = """\
let xs = [1, 2, 3]
fn total(v: [int]) -> int { let s = 0  for x in v { s = s + x }  s }
let r = match total(xs) { 6 => "six", n => str(n) }
while r == "six" { let r = if true { "done" } else { r }  break }
print(r, total(xs))
"""
    for end in range(len(text) + 1):
        table(text[:end]).symbols()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program_texts(max_statements=8, depth=3))
def test_random_programs_resolve_to_declarations_of_the_same_name(program_and_text: tuple[object, str]):
    _, text = program_and_text
    symbols = table(text)
    source = text.encode()
    for reference in symbols.references:
        assert source[reference.span.start : reference.span.end].decode() == reference.name
        for definition in reference.definitions:
            assert definition.name == reference.name
            assert source[definition.name_span.start : definition.name_span.end].decode() == definition.name
            assert reference.span in symbols.references_of(definition, include_declaration=False)
    for definition in symbols.definitions:
        assert definition.name_span in symbols.references_of(definition)
    symbols.symbols()


@pytest.mark.parametrize(
    ("opener", "closer"),
    [
        ("if c {", "}"),
        ("while c {", "}"),
        ("for i in xs {", "}"),
        ("fn f(a: int) {", "}"),
        ("let z = if c {", "} else { 0 }"),
    ],
)
def test_deep_nesting_does_not_recurse(opener: str, closer: str):
    depth = 5000
    text = "let x = 1\n" + "".join(f"{opener} print(x)\n" for _ in range(depth)) + "x" + closer * depth
    symbols = table(text)
    first = symbols.definitions[0]
    assert len(symbols.references_of(first, include_declaration=False)) == depth + 1


def test_a_large_generated_program_resolves_every_name():
    """The generator defines every name before its use, so nothing is unresolved or a builtin value."""
    text = generate_large_program(2000)
    symbols = table(text)
    assert symbols.unresolved == [] and symbols.builtin_values == []
    assert all(
        all(definition.name == reference.name for definition in reference.definitions)
        for reference in symbols.references
    )


# ───────────────────────────── against a naive oracle ─────────────────────────────
#
# The table resolves in one pass, with loop back edges as deferred stamps. The oracle below states the same
# rules naively: recursive, a state copied at every branch, every loop iterated until its state stops
# changing, and each use's definitions accumulated over all the times the walk reaches it.

State = dict[tuple[int, str], frozenset]
UNBOUND = "unbound"


class NaiveResolver:
    def __init__(self) -> None:
        self.uses: dict[tuple[int, bool], tuple[set[int], bool, int | None, str]] = {}
        self.top_functions: dict[str, set[int]] = {}
        self.loops: list[list] = []  # [break seen in this statement, states where the body was left]
        self.scopes: list[tuple] = []  # kept alive: states are keyed by id(scope)

    def scope(self, kind: str, function: tuple[str, int] | None, parent: tuple) -> tuple:
        self.scopes.append((kind, function, parent))
        return self.scopes[-1]

    def resolve(self, program: ast.Program) -> dict[tuple[int, bool], set[int]]:
        """(use offset, write) -> the offsets of the declared names it may refer to."""
        self.block(program.statements, {}, ("program", None, None), None)
        resolved = {}
        for key, (found, unbound, own, name) in self.uses.items():
            if unbound and not key[1]:
                found = found | ({own} if own is not None else self.top_functions.get(name, set()))
            resolved[key] = found
        return resolved

    def use(self, name: str, offset: int, state: State, scope: tuple, write: bool) -> None:
        found, own = set(), None
        unbound = True
        while scope is not None and unbound:
            kind, function, parent = scope
            if own is None and kind == "function" and function[0] == name:
                own = function[1]
            items = state.get((id(scope), name), frozenset([UNBOUND]))
            found |= items - {UNBOUND}
            unbound = UNBOUND in items
            scope = parent
        old = self.uses.get((offset, write), (set(), False, None, name))
        self.uses[(offset, write)] = (found | old[0], unbound or old[1], own, name)

    def block(self, statements: list, state: State, scope: tuple, loop: list | None) -> None:
        for statement in statements:
            self.statement(statement, state, scope)
            if loop is not None and loop[0]:
                loop[0] = False
                loop[1].append(dict(state))

    def loop(self, state: State, body: Callable[[State, list], None]) -> State:
        head = dict(state)
        while True:
            loop: list = [False, []]
            self.loops.append(loop)
            end = dict(head)
            body(end, loop)
            self.loops.pop()
            new = join(state, end, *loop[1])
            if new == head:
                return head
            head = new

    def statement(self, node: ast.Statement, state: State, scope: tuple) -> None:
        if isinstance(node, ast.Let):
            self.expression(node.value, state, scope)
            state[(id(scope), node.name.id)] = frozenset([node.name.span.start])
        elif isinstance(node, ast.Assign):
            self.expression(node.value, state, scope)
            target, indices = node.target, []
            while isinstance(target, ast.Index):
                indices.append(target.index)
                target = target.value
            if isinstance(target, ast.Identifier):
                self.use(target.name, target.span.start, state, scope, True)
                for index in reversed(indices):
                    self.expression(index, state, scope)
            else:
                self.expression(node.target, state, scope)
        elif isinstance(node, ast.ExpressionStatement):
            self.expression(node.expression, state, scope)
        elif isinstance(node, ast.Return) and node.value is not None:
            self.expression(node.value, state, scope)
        elif isinstance(node, ast.FunctionDef):
            if scope[0] == "program":
                self.top_functions.setdefault(node.name.id, set()).add(node.name.span.start)
            body_scope = self.scope("function", (node.name.id, node.name.span.start), scope)
            body = dict(state)
            for parameter in node.parameters:
                body[(id(body_scope), parameter.name.id)] = frozenset([parameter.name.span.start])
            outer_loops, self.loops = self.loops, []
            self.block(node.body.statements, body, body_scope, None)
            self.loops = outer_loops
            state[(id(scope), node.name.id)] = frozenset([node.name.span.start])
        elif isinstance(node, ast.If):
            self.branches(node, state, scope)
        elif isinstance(node, ast.While):

            def body(end: State, loop: list) -> None:
                self.expression(node.condition, end, scope)
                self.block(node.body.statements, end, scope, loop)

            state.update(self.loop(state, body))
        elif isinstance(node, ast.For):
            self.expression(node.iterable, state, scope)
            loop_scope = self.scope("for", scope[1], scope)

            def body(end: State, loop: list) -> None:
                end[(id(loop_scope), node.variable.id)] = frozenset([node.variable.span.start])
                self.block(node.body.statements, end, loop_scope, loop)

            self.loop(state, body)  # nothing outside the loop's scope changes
        elif isinstance(node, ast.Break | ast.Continue) and self.loops:
            self.loops[-1][0] = True

    def branches(self, node: ast.If | ast.IfExpression, state: State, scope: tuple) -> None:
        self.expression(node.condition, state, scope)
        then, otherwise = dict(state), dict(state)
        self.block(node.then.statements, then, scope, None)
        if isinstance(node.otherwise, ast.Block):
            self.block(node.otherwise.statements, otherwise, scope, None)
        elif isinstance(node.otherwise, ast.If):
            self.statement(node.otherwise, otherwise, scope)
        elif isinstance(node.otherwise, ast.IfExpression):
            self.expression(node.otherwise, otherwise, scope)
        joined = join(then, otherwise)
        state.clear()
        state.update(joined)

    def expression(self, node: ast.Expression, state: State, scope: tuple) -> None:
        if isinstance(node, ast.Identifier):
            self.use(node.name, node.span.start, state, scope, False)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.callee, ast.Identifier)
            and is_builtin(node.callee.name)
        ):
            for argument in node.arguments:
                self.expression(argument, state, scope)
        elif isinstance(node, ast.IfExpression):
            self.branches(node, state, scope)
        elif isinstance(node, ast.Match):
            self.expression(node.value, state, scope)
            for arm in node.arms:
                arm_scope, arm_state = self.scope("arm", scope[1], scope), dict(state)
                if isinstance(arm.pattern, ast.BindingPattern):
                    arm_state[(id(arm_scope), arm.pattern.name.id)] = frozenset([arm.pattern.name.span.start])
                self.expression(arm.value, arm_state, arm_scope)
        else:
            for child in node.children():
                if isinstance(child, ast.Expression):
                    self.expression(child, state, scope)


def join(*states: State) -> State:
    keys = set().union(*states)
    return {
        key: frozenset().union(*(state.get(key, frozenset([UNBOUND])) for state in states)) for key in keys
    }


NAMES = ["x", "y", "f", "g"]


def random_expression(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.5:
        return rng.choice([*NAMES, "1"])
    inner = lambda: random_expression(rng, depth - 1)  # noqa: E731
    if roll < 0.65:
        return f"{rng.choice(NAMES)}({inner()})"
    if roll < 0.75:
        return (
            f"if {inner()} {{ {random_block(rng, depth - 1, False, False)} {inner()} }} else {{ {inner()} }}"
        )
    if roll < 0.85:
        return f"match {inner()} {{ {rng.choice(NAMES)} => {inner()}, _ => {inner()} }}"
    return f"{inner()} + {inner()}"


def random_statement(rng: random.Random, depth: int, in_loop: bool, in_function: bool) -> str:
    """Statements over four names, so that declarations collide, shadow and re-declare all the time."""
    roll, name = rng.random(), rng.choice(NAMES)
    block = lambda loop: random_block(rng, depth - 1, loop, in_function)  # noqa: E731
    if depth <= 0 or roll < 0.25:
        return f"let {name} = {random_expression(rng, depth - 1)}"
    if roll < 0.35:
        return f"{name} = {random_expression(rng, depth - 1)}"
    if roll < 0.45:
        return f"print({random_expression(rng, depth - 1)})"
    if roll < 0.55:
        return f"if {random_expression(rng, 1)} {{ {block(in_loop)} }} else {{ {block(in_loop)} }}"
    if roll < 0.68:
        return f"while {random_expression(rng, 1)} {{ {block(True)} }}"
    if roll < 0.78:
        return f"for {name} in {random_expression(rng, 1)} {{ {block(True)} }}"
    if roll < 0.88:
        return f"fn {name}(p: int) {{ {random_block(rng, depth - 1, False, True)} }}"
    if in_loop and roll < 0.95:
        return rng.choice(["break", "continue"])
    return f"return {name}" if in_function else f"let {name} = 1"


def random_block(rng: random.Random, depth: int, in_loop: bool, in_function: bool) -> str:
    return "\n".join(random_statement(rng, depth, in_loop, in_function) for _ in range(rng.randint(0, 4)))


@pytest.mark.parametrize("seed", range(0, 600, 100))
def test_the_table_agrees_with_a_naive_fixpoint_resolution(seed: int):
    for case in range(seed, seed + 100):
        text = random_block(random.Random(case), 4, False, False)
        program = lower_source(text)
        expected = NaiveResolver().resolve(program)
        found = {
            (reference.span.start, reference.write): {d.name_span.start for d in reference.definitions}
            for reference in symbol_table(program).references
        }
        assert found == expected, text
