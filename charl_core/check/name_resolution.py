"""Name resolution for one Charl file: every declaration, every name read or written, and the declarations
each may refer to. Static and type-free; `symbols.py` builds the editor queries on it, and the checker can
ask it which functions are ever referenced (W208, W209).

Scopes follow the run-time rules exactly (LANGUAGE.md §5.6, §5.7, §9.2):
- Only function bodies, `for` loops (one scope for the loop variable and the body's lets) and match arms
  (`ast.SCOPE_OPENERS`) open scopes; a `let` inside `if`/`else`/`while` declares in the enclosing scope and
  stays visible after the statement.
- A function body sees the names bound before its `fn` statement (the snapshot) and its parameters; only
  where those fail, its own name (§9.2 2a) and every top-level `fn` of the file, whatever the order (2b).
  An assignment never falls back to 2a/2b: §9.2 only changes reads.
- `f(…)` with `f` naming a builtin calls the builtin even when the file declares `fn f` (§5.7): it is a
  `BuiltinReference`, never a reference to the user function. Builtins are not values: `let g = print`
  reads an undefined name.

Which declarations a name may refer to: reaching definitions over the structured control flow, in one
pass. Declarations (`let`, `fn`, parameters, `for` variables, match bindings) generate; a declaration kills
the earlier ones of its name in its scope, which it overwrites (§3.2). Branches are joined; `and`/`or`
evaluate both operands (§5.2), so they are not branches. A loop's back edge brings what the end of its body
(and each `continue`) holds back to its head: `let x = 0  while c { print(x)  let x = 1 }` gives both lets,
and so does a `for` body, whose scope lives across iterations (§5.6). A `break`/`continue` leaves after the
loop-body statement that holds it (§5.8: an `if` block keeps running after a `break`). `return` does not
end a path, so code after it still resolves (only adding declarations). A name is looked up in the
innermost scope where it may be bound, then outwards while it may be unbound there. Not modelled: a `break`
left pending by a called function, which stops the caller's loop (§5.8).

Invariant: never raises on any AST (error nodes included) and never recurses per tree level: the walk is a
task stack, so 5000 nested blocks cost memory, not Python frames.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from charl_core import ast
from charl_core.builtins import is_builtin


class SymbolKind(StrEnum):
    VARIABLE = "variable"
    PARAMETER = "parameter"
    FUNCTION = "function"
    LOOP_VARIABLE = "loop_variable"
    MATCH_BINDING = "match_binding"


class ScopeKind(StrEnum):
    PROGRAM = "program"
    FUNCTION = "function"
    FOR = "for"
    MATCH_ARM = "match_arm"


@dataclass(frozen=True, eq=False, slots=True)
class Scope:
    """A run-time scope (§5.6). `span` is the node that opens it; `parent` is the scope that node appears
    in (for a function body: its snapshot); `function` is the function whose body holds it, None at top
    level."""

    kind: ScopeKind
    span: ast.Span
    parent: Scope | None
    function: Definition | None


@dataclass(frozen=True, eq=False, slots=True)
class Definition:
    """A declaration. `name_span` is the declared `ast.Name`; `span` the whole declaring node (the `let`,
    `fn`, parameter, `for` statement or match arm). Identity is equality: two `let x` are two definitions."""

    name: str
    kind: SymbolKind
    name_span: ast.Span
    span: ast.Span
    scope: Scope

    @property
    def top_level(self) -> bool:
        """Declared in the global scope (a `let` in a top-level `if`/`while` is a global too)."""
        return self.scope.kind is ScopeKind.PROGRAM


@dataclass(frozen=True, slots=True)
class Reference:
    """A read of an `ast.Identifier`, or the variable an assignment writes (`x = …`, the root of
    `x[i] = …`: `write`). `definitions` are those it may refer to, in source order; empty: unresolved."""

    name: str
    span: ast.Span
    definitions: tuple[Definition, ...]
    write: bool = False


@dataclass(frozen=True, slots=True)
class BuiltinReference:
    """The callee of a call that runs a builtin (§5.7)."""

    name: str
    span: ast.Span


@dataclass(frozen=True, slots=True)
class Resolution:
    """Everything `resolve_names` found, each list in source order."""

    definitions: list[Definition]
    references: list[Reference]
    builtin_references: list[BuiltinReference]


@dataclass(frozen=True, eq=False, slots=True)
class ItemResolution:
    """What resolving one top-level statement *alone* tells, before the rest of the file is known: the
    symbol table assembled from items (`item_symbols.py`) links these. Spans are those of the statement as
    lowered. `scope` is the item's stand-in for the global scope (spanning the statement).

    The global scope is the only one an item shares with the others, and reaching definitions are unions,
    so an item's answers depend on the rest only through what the global names hold on entry to it: where
    a global may still be unbound inside the item, it holds its entry value instead. `open` lists the
    references that may reach that entry value (by span start), with the function whose own name they would
    fall back to (§9.2 2a; None: the top-level functions, 2b); their `definitions` hold only the item's
    own. `exits` says what each global the item binds holds at its end: its own definitions, and whether
    the entry value may survive."""

    scope: Scope
    definitions: list[Definition]
    references: list[Reference]
    builtin_references: list[BuiltinReference]
    open: dict[int, Definition | None]
    exits: dict[str, tuple[frozenset[Definition], bool]]
    top_functions: dict[str, list[Definition]]
    """The item's `fn`s declared in the global scope, by name (§9.2 2b's candidates)."""
    open_names: frozenset[str]
    """The names of the `open` references."""


def resolve_item(statement: ast.Statement) -> ItemResolution:
    """Resolve one top-level statement alone (see `ItemResolution`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        resolver = _Resolver(ast.Program([statement], span=statement.span), item=True)
        resolution = resolver.run()
    finally:
        if was_enabled:
            gc.enable()
    exits = {
        name: (frozenset(found for found in value if found is not _UNBOUND), _UNBOUND in value)
        for name, (value, _) in resolver.env.values.items()
    }
    return ItemResolution(
        resolver.env.scope,
        resolution.definitions,
        resolution.references,
        resolution.builtin_references,
        resolver.open,
        exits,
        resolver.top_functions,
        frozenset(
            reference.name for reference in resolution.references if reference.span.start in resolver.open
        ),
    )


def resolve_names(program: ast.Program) -> Resolution:
    """Resolve every name of `program` (see the module docstring for the rules).

    The cyclic garbage collector is paused meanwhile, as in lowering: the walk allocates many small objects
    while the whole AST is alive, and each collection would rescan that AST (measured on 10 000 lines: about
    three times as long with it running)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Resolver(program).run()
    finally:
        if was_enabled:
            gc.enable()


# ───────────────────────────── the walk ─────────────────────────────
#
# State: each live scope (`_Env`) maps a name to a `_Value`: the definitions it may hold, `_UNBOUND` if it
# may be unbound there, and a stamp. The stamp stands for the loops' back edges: every loop entered after it
# (and still open, and able to change the scope) may bring that name's back-edge value round to here, which
# is only known once the loop has been walked. So entering a loop costs nothing per name, a use that may
# see a back edge is resolved at the end, and a join keeps the smallest stamp of what it joins. Branches
# and loops log the values they overwrite (`frames`: undo logs), restore them, and join.
#
# A use only looks at the scopes that declare its name somewhere (`declared`, with per-scope caches of the
# nearest such scope), so 5000 nested `for` loops do not make every use walk 5000 scopes.

_UNBOUND = object()
_MISSING = object()
_ONLY_UNBOUND: frozenset[Any] = frozenset([_UNBOUND])

_Value = tuple[frozenset[Any], int]
"""(what a name may hold: `Definition`s and maybe `_UNBOUND`; stamp: see above)."""


class _Env:
    """A live (or, once left, dead) scope of the walk. `declared`: the names declared in it so far (a
    function's own name included, for §9.2 2a); `nearest`: per name, the nearest scope from here outwards
    that has declared it so far. Declarations only ever happen in the innermost live scope, whose
    descendants are all dead, so `nearest` never goes stale where it is still used. `final`: the same after
    the walk."""

    __slots__ = ("created", "declared", "final", "nearest", "parent", "scope", "values")

    def __init__(self, scope: Scope, parent: _Env | None, created: int) -> None:
        self.scope = scope
        self.parent = parent
        self.created = created
        self.values: dict[str, _Value] = {}
        self.declared: set[str] = set()
        self.nearest: dict[str, _Env | None] = {}
        self.final: dict[str, _Env | None] = {}

    def value(self, name: str) -> _Value:
        return self.values.get(name) or (_ONLY_UNBOUND, self.created)


_Key = tuple[_Env, str]
_Log = dict[_Key, "_Value | None"]
"""An undo log: the value each (scope, name) had before a branch or loop first wrote it (None: absent)."""


def _nearest(env: _Env | None, name: str, cache: str) -> _Env | None:
    """The nearest scope from `env` outwards that declares `name`, memoised in every scope passed, in its
    `nearest` (during the walk) or `final` (after it) cache."""
    passed: list[_Env] = []
    found: _Env | None = None
    while env is not None:
        known = getattr(env, cache)
        if name in known:
            found = known[name]
            break
        passed.append(env)
        if name in env.declared:
            found = env
            break
        env = env.parent
    for scope in passed:
        getattr(scope, cache)[name] = found
    return found


def _join(first: _Value, second: _Value) -> _Value:
    return first[0] | second[0], min(first[1], second[1])


class _Loop:
    """A `while` or `for`: open from `entry` to `exit` on the walk's clock. `back_edges` holds what each
    name it changed may hold when control returns to its head; `exits` what it may hold where a `break` or
    `continue` left the body."""

    __slots__ = ("back_edges", "entry", "exit", "exit_pending", "exits", "frame", "function")

    def __init__(self, entry: int, function: Definition | None) -> None:
        self.entry = entry
        self.exit = entry
        self.function = function
        self.frame: _Log = {}
        self.exits: dict[_Key, _Value] = {}
        self.back_edges: dict[_Key, _Value] = {}
        self.exit_pending = False


class _Use:
    """A use resolved after the walk: where and when it happened, and what the scopes it looked through
    held then."""

    __slots__ = ("env", "name", "seen", "span", "time", "write")

    def __init__(
        self, name: str, span: ast.Span, write: bool, env: _Env, time: int, seen: dict[_Env, _Value]
    ) -> None:
        self.name = name
        self.span = span
        self.write = write
        self.env = env
        self.time = time
        self.seen = seen


class _Branches:
    """An `if` being walked: the then-branch's undo log and final values, kept while the else-branch runs."""

    __slots__ = ("then_log", "then_values")

    def __init__(self) -> None:
        self.then_log: _Log = {}
        self.then_values: _Log = {}


_OPERANDS: dict[type, Callable[[Any], Sequence[ast.Expression]]] = {
    ast.BinaryOperation: lambda node: (node.left, node.right),
    ast.UnaryOperation: lambda node: (node.operand,),
    ast.Cast: lambda node: (node.value,),
    ast.Range: lambda node: (node.start, node.end),
    ast.Index: lambda node: (node.value, node.index),
    ast.TupleIndex: lambda node: (node.value,),
    ast.TupleLiteral: lambda node: node.elements,
    ast.ArrayLiteral: lambda node: node.elements,
    ast.ArrayRepeat: lambda node: (node.value, node.count),
    ast.Autograd: lambda node: (node.argument,),
}
"""The operands of the plain expression kinds, in evaluation order; other kinds fall back to `children()`."""

_LEAVES = frozenset(
    [ast.IntegerLiteral, ast.FloatLiteral, ast.StringLiteral, ast.BooleanLiteral, ast.ErrorExpression]
)

_Task = tuple[Callable[[Any], None], Any]


class _Resolver:
    def __init__(self, program: ast.Program, item: bool = False) -> None:
        self.program = program
        self.item = item
        self.open: dict[int, Definition | None] = {}
        self.clock = 0  # ticks at each declaration, scope creation, loop entry and loop exit
        self.env = _Env(Scope(ScopeKind.PROGRAM, program.span, None, None), None, 0)
        self.frames: list[_Log] = []
        self.loops: list[_Loop] = []
        self.changed_by: dict[_Key, list[_Loop]] = {}
        self.tasks: list[_Task] = []
        self.definitions: list[Definition] = []
        self.references: list[Reference] = []
        self.waiting: list[_Use] = []
        self.builtin_references: list[BuiltinReference] = []
        self.top_functions: dict[str, list[Definition]] = {}
        self.statement_rules: dict[type, Callable[[Any], None]] = {
            ast.Let: self._let,
            ast.Assign: self._assign,
            ast.ExpressionStatement: lambda node: self._expression(node.expression),
            ast.FunctionDef: self._function,
            ast.If: lambda node: self._branches(node.condition, node.then, node.otherwise),
            ast.While: self._while,
            ast.For: self._for,
            ast.Return: self._return,
            ast.Break: self._break,
            ast.Continue: self._break,
        }

    def run(self) -> Resolution:
        self._sequence(self._block(self.program.statements))
        tasks = self.tasks
        while tasks:
            action, argument = tasks.pop()
            action(argument)
        references = self.references
        references += (Reference(use.name, use.span, self._resolve(use), use.write) for use in self.waiting)
        references.sort(key=lambda reference: reference.span.start)
        self.definitions.sort(key=lambda definition: definition.name_span.start)
        return Resolution(self.definitions, references, self.builtin_references)

    # ── task plumbing: the stack runs last-pushed first ──

    def _sequence(self, steps: list[_Task]) -> None:
        """Queue `steps` to run in order, before anything queued earlier."""
        self.tasks.extend(reversed(steps))

    def _block(self, statements: list[ast.Statement], loop: _Loop | None = None) -> list[_Task]:
        """A block's statements as steps; in a loop body each is followed by the loop's exit check (§5.8)."""
        if loop is None:
            return [(self._statement, statement) for statement in statements]
        steps: list[_Task] = []
        for statement in statements:
            steps += [(self._statement, statement), (self._after_body_statement, loop)]
        return steps

    def _statement(self, node: ast.Statement) -> None:
        rule = self.statement_rules.get(type(node))
        if rule is not None:
            rule(node)

    def _expression(self, node: ast.Expression) -> None:
        """Walk an expression in evaluation order (§5.2: left to right). Only `if` expressions and matches
        change or open scopes; the rest is walked on a local stack, without a task per node."""
        stack = [node]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Identifier:
                self._use(node.name, node.span, write=False)
            elif kind is ast.Call:
                callee = node.callee
                stack.extend(reversed(node.arguments))
                if type(callee) is ast.Identifier and is_builtin(callee.name):
                    self.builtin_references.append(BuiltinReference(callee.name, callee.span))
                else:
                    stack.append(callee)
            elif kind is ast.IfExpression or kind is ast.Match:
                # What is left of the stack runs after it: hand both over to the task stack.
                self.tasks.extend((self._expression, rest) for rest in stack)
                if kind is ast.Match:
                    self._match(node)
                else:
                    self._branches(node.condition, node.then, node.otherwise)
                return
            elif kind not in _LEAVES:
                operands_of = _OPERANDS.get(kind)
                if operands_of is not None:
                    stack.extend(reversed(operands_of(node)))
                else:
                    stack.extend(reversed([c for c in node.children() if isinstance(c, ast.Expression)]))

    # ── names ──

    def _tick(self) -> int:
        self.clock += 1
        return self.clock

    def _may_loop_back(self, env: _Env, stamp: int) -> bool:
        """Whether a loop entered after `stamp` is open and can change `env` (one of `env`'s function)."""
        for loop in reversed(self.loops):
            if loop.entry <= stamp:
                return False
            if loop.function is env.scope.function:
                return True
        return False

    def _write(self, env: _Env, name: str, value: _Value) -> None:
        if self.frames:
            log = self.frames[-1]
            key = (env, name)
            if key not in log:
                log[key] = env.values.get(name)
        env.values[name] = value

    def _declare(self, name: ast.Name, kind: SymbolKind, span: ast.Span) -> Definition:
        definition = Definition(name.id, kind, name.span, span, self.env.scope)
        self.definitions.append(definition)
        return definition

    def _bind(self, definition: Definition) -> None:
        """Declarations happen in the innermost scope only (`_Env` relies on it)."""
        env = self.env
        env.declared.add(definition.name)
        env.nearest[definition.name] = env
        self._write(env, definition.name, (frozenset([definition]), self._tick()))

    def _use(self, name: str, span: ast.Span, write: bool) -> None:
        """Note what each scope that declares `name` holds, from the innermost outwards, up to the first
        where it is certainly bound. Resolved now when no open loop can bring more round; otherwise (and when
        §9.2's fallback may be needed, since top-level functions declared later are not known yet) after
        the walk."""
        seen: dict[_Env, _Value] = {}
        env = self.env.nearest.get(name, _MISSING)
        if env is _MISSING:
            env = _nearest(self.env, name, "nearest")
        while env is not None:
            value = seen[env] = env.value(name)
            if _UNBOUND not in value[0] and not self._may_loop_back(env, value[1]):
                if not self.loops or self.loops[-1].entry <= value[1]:
                    if len(seen) == 1:
                        definitions = (
                            _in_order(dict.fromkeys(value[0])) if len(value[0]) > 1 else tuple(value[0])
                        )
                    else:
                        found: dict[Definition, None] = {}
                        for items, _ in seen.values():
                            found.update((item, None) for item in items if item is not _UNBOUND)
                        definitions = _in_order(found)
                    self.references.append(Reference(name, span, definitions, write))
                    return
                break
            env = _nearest(env.parent, name, "nearest")
        self.waiting.append(_Use(name, span, write, self.env, self.clock, seen))

    def _resolve(self, use: _Use) -> tuple[Definition, ...]:
        """Once every loop is walked: the definitions `use` may refer to (§5.6, then §9.2 for reads)."""
        found: dict[Definition, None] = {}
        own: Definition | None = None
        name = use.name
        env = _nearest(use.env, name, "final")
        while env is not None:
            scope = env.scope
            if own is None and scope.kind is ScopeKind.FUNCTION and scope.function.name == name:
                own = scope.function
            value = use.seen.get(env) or (_ONLY_UNBOUND, env.created)
            if not self._collect((env, name), value, use.time, found):
                return _in_order(found)
            env = _nearest(env.parent, name, "final")
        if self.item:  # the entry value and §9.2's fallback are for whoever links the items
            self.open[use.span.start] = own
            return _in_order(found)
        if not use.write:
            found.update(dict.fromkeys(fallback_targets(own, self.top_functions.get(name, ()))))
        return _in_order(found)

    def _collect(self, key: _Key, value: _Value, time: int, found: dict[Definition, None]) -> bool:
        """Add the definitions `value` (seen at `time`) may stand for, following the back edges of the loops
        around `time` entered after its stamp; True if the name may be unbound."""
        pending = [(value, time)]
        seen: set[_Loop] = set()
        unbound = False
        loops = self.changed_by.get(key, ())
        while pending:
            (items, stamp), time = pending.pop()
            for item in items:
                if item is _UNBOUND:
                    unbound = True
                else:
                    found[item] = None
            for loop in loops:
                if stamp < loop.entry <= time < loop.exit and loop not in seen:
                    seen.add(loop)
                    pending.append((loop.back_edges[key], loop.exit))
        return unbound

    # ── statements ──

    def _return(self, node: ast.Return) -> None:
        if node.value is not None:
            self._expression(node.value)

    def _let(self, node: ast.Let) -> None:
        self._sequence([(self._expression, node.value), (self._let_bind, node)])

    def _let_bind(self, node: ast.Let) -> None:
        self._bind(self._declare(node.name, SymbolKind.VARIABLE, node.span))

    def _assign(self, node: ast.Assign) -> None:
        self._sequence([(self._expression, node.value), (self._assign_target, node.target)])

    def _assign_target(self, target: ast.Expression) -> None:
        """`x = …` and `x[i]… = …` write the innermost `x` (§5.6); other targets only fail (E111) and are
        walked as reads."""
        indices: list[ast.Expression] = []
        root = target
        while type(root) is ast.Index:
            indices.append(root.index)
            root = root.value
        if type(root) is not ast.Identifier:
            self._expression(target)
            return
        self._use(root.name, root.span, write=True)
        self.tasks.extend((self._expression, index) for index in indices)  # the innermost index runs first

    def _function(self, node: ast.FunctionDef) -> None:
        """The body is walked right here: it sees the scopes as they are at the `fn` statement (the
        snapshot, §5.7), and nothing it does changes them. The name is bound after the body."""
        definition = self._declare(node.name, SymbolKind.FUNCTION, node.span)
        if definition.top_level:
            self.top_functions.setdefault(definition.name, []).append(definition)
        outer = self.env
        self.env = _Env(Scope(ScopeKind.FUNCTION, node.span, outer.scope, definition), outer, self._tick())
        self.env.declared.add(definition.name)  # for §9.2 2a: found by `_resolve`, bound to nothing
        self.frames.append({})  # the body's writes die with its scope: this log is dropped, never joined
        for parameter in node.parameters:
            self._bind(self._declare(parameter.name, SymbolKind.PARAMETER, parameter.span))
        self._sequence([*self._block(node.body.statements), (self._leave_function, (outer, definition))])

    def _leave_function(self, state: tuple[_Env, Definition]) -> None:
        outer, definition = state
        self.frames.pop()
        self.env = outer
        self._bind(definition)

    def _branches(self, condition: ast.Expression, then: ast.Block, otherwise: ast.Node | None) -> None:
        """`if` statements and expressions: both branches start from the same state and are joined."""
        branches = _Branches()
        steps = [(self._expression, condition), (self._begin_then, None), *self._block(then.statements)]
        steps.append((self._begin_else, branches))
        if isinstance(otherwise, ast.Block):
            steps += self._block(otherwise.statements)
        elif isinstance(otherwise, ast.If):
            steps.append((self._statement, otherwise))
        elif isinstance(otherwise, ast.IfExpression):
            steps.append((self._expression, otherwise))
        steps.append((self._join_branches, branches))
        self._sequence(steps)

    def _begin_then(self, _: None) -> None:
        self.frames.append({})

    def _undo(self) -> tuple[_Log, _Log]:
        """Close the innermost log: restore what it overwrote; return it and the values it had reached."""
        log = self.frames.pop()
        reached: _Log = {}
        for key, old in log.items():
            env, name = key
            reached[key] = env.values.get(name)
            _restore(env, name, old)
        return log, reached

    def _begin_else(self, branches: _Branches) -> None:
        branches.then_log, branches.then_values = self._undo()
        self.frames.append({})

    def _join_branches(self, branches: _Branches) -> None:
        else_log, else_values = self._undo()
        then_log, then_values = branches.then_log, branches.then_values
        for key in then_log.keys() | else_log.keys():
            env, name = key
            old = then_log[key] if key in then_log else else_log[key]
            from_then = then_values[key] if key in then_log else old
            from_else = else_values[key] if key in else_log else old
            unset = (_ONLY_UNBOUND, env.created)
            self._write(env, name, _join(from_then or unset, from_else or unset))

    def _break(self, node: ast.Statement) -> None:
        """Marks the innermost loop of this function. One left pending for a caller's loop (§5.8) is not
        modelled."""
        loops = self.loops
        if loops and loops[-1].function is self.env.scope.function:
            loops[-1].exit_pending = True

    def _enter_loop(self) -> _Loop:
        loop = _Loop(self._tick(), self.env.scope.function)
        self.loops.append(loop)
        self.frames.append(loop.frame)
        return loop

    def _after_body_statement(self, loop: _Loop) -> None:
        """A `break`/`continue` in this statement leaves the body here, with the state reached so far."""
        if not loop.exit_pending:
            return
        loop.exit_pending = False
        for key in loop.frame:
            env, name = key
            value = env.value(name)
            loop.exits[key] = _join(loop.exits[key], value) if key in loop.exits else value

    def _exit_loop(self, loop: _Loop) -> None:
        """Record the back edge of every name the loop changed."""
        self.loops.pop()
        self.frames.pop()
        loop.exit = self._tick()
        for key in loop.frame:
            env, name = key
            value = env.value(name)
            loop.back_edges[key] = _join(loop.exits[key], value) if key in loop.exits else value
            self.changed_by.setdefault(key, []).append(loop)

    def _while(self, node: ast.While) -> None:
        loop = self._enter_loop()
        self._sequence(
            [
                (self._expression, node.condition),
                *self._block(node.body.statements, loop),
                (self._leave_while, loop),
            ]
        )

    def _leave_while(self, loop: _Loop) -> None:
        """After the loop each name it changed may hold its entry value or its back-edge value."""
        self._exit_loop(loop)
        for key, old in loop.frame.items():
            env, name = key
            _restore(env, name, old)
            self._write(env, name, _join(env.value(name), loop.back_edges[key]))

    def _for(self, node: ast.For) -> None:
        self._sequence([(self._expression, node.iterable), (self._begin_for, node)])

    def _begin_for(self, node: ast.For) -> None:
        outer = self.env
        scope = Scope(ScopeKind.FOR, node.span, outer.scope, outer.scope.function)
        self.env = _Env(scope, outer, self._tick())
        loop = self._enter_loop()
        self._bind(self._declare(node.variable, SymbolKind.LOOP_VARIABLE, node.span))
        self._sequence([*self._block(node.body.statements, loop), (self._leave_for, (outer, loop))])

    def _leave_for(self, state: tuple[_Env, _Loop]) -> None:
        """The loop's scope dies here, and it is the only one the body could change (§5.6)."""
        outer, loop = state
        self._exit_loop(loop)
        self.env = outer

    def _match(self, node: ast.Match) -> None:
        steps: list[_Task] = [(self._expression, node.value)]
        for arm in node.arms:
            steps += [(self._enter_arm, arm), (self._expression, arm.value), (self._leave_arm, self.env)]
        self._sequence(steps)

    def _enter_arm(self, arm: ast.MatchArm) -> None:
        outer = self.env
        scope = Scope(ScopeKind.MATCH_ARM, arm.span, outer.scope, outer.scope.function)
        self.env = _Env(scope, outer, self._tick())
        self.frames.append({})  # only the arm's own scope can change inside it: dropped at its end
        if isinstance(arm.pattern, ast.BindingPattern):
            self._bind(self._declare(arm.pattern.name, SymbolKind.MATCH_BINDING, arm.span))

    def _leave_arm(self, outer: _Env) -> None:
        self.frames.pop()
        self.env = outer


def fallback_targets(own: Definition | None, top_functions: Sequence[Definition]) -> Sequence[Definition]:
    """What a read unbound everywhere falls back to (§9.2): the function whose body it is in, if that
    function has its name (2a), else every top-level `fn` of that name (2b)."""
    return (own,) if own is not None else top_functions


def _restore(env: _Env, name: str, value: _Value | None) -> None:
    if value is None:
        env.values.pop(name, None)
    else:
        env.values[name] = value


def _in_order(found: dict[Definition, None]) -> tuple[Definition, ...]:
    if len(found) < 2:
        return tuple(found)
    return tuple(sorted(found, key=lambda definition: definition.name_span.start))
