"""The symbols of one Charl file: every declaration, every name read or written, and the declarations each
may refer to. Go to definition, find references, rename, document symbols and highlight read this table,
and the checker asks it whether a `fn` is ever referenced (W208, W209). Static and type-free.

Scopes follow the run-time rules exactly (LANGUAGE.md §5.6, §5.7, §9.2):
- Only function bodies, `for` loops (one scope for the loop variable and the body's lets) and match arms
  (`ast.SCOPE_OPENERS`) open scopes; a `let` inside `if`/`else`/`while` declares in the enclosing scope and
  stays visible after the statement.
- A function body sees the names bound before its `fn` statement (the snapshot) and its parameters; only
  where those fail, its own name (§9.2 2a) and every top-level `fn` of the file, whatever the order (2b).
  An assignment never falls back to 2a/2b: §9.2 only changes reads.
- `f(…)` with `f` naming a builtin calls the builtin even when the file declares `fn f` (§5.7): it is a
  `BuiltinReference`, never a reference to the user function. Builtins are not values: `let g = print`
  reads an undefined name, listed in `builtin_values`.

Which declarations a name may refer to: reaching definitions over the structured control flow. Declarations
(`let`, `fn`, parameters, `for` variables, match bindings) generate; a declaration kills the earlier ones of
its name in the same scope, since it overwrites them (§3.2). Branches are joined; `and`/`or` evaluate both
operands (§5.2), so they are not branches. A loop's back edge is a symbolic marker resolved once the loop
has been walked, so `let x = 0  while c { print(x)  let x = 1 }` gives both lets and one pass over the tree
is enough (a gen/kill loop needs no second pass: the state at its end is exact after one). A `break` or
`continue` exits after the loop-body statement that contains it (§5.8: an `if` block keeps running after a
`break`). `return` is not treated as the end of a path: code after it still resolves, which only adds
declarations. A name is then looked up in the innermost scope where it may be bound, and outwards while it
may be unbound there. Not modelled (a `break` left pending by a called function stops the caller's loop,
§5.8): declarations such a stop exposes are missing.

Invariant: never raises on any AST (error nodes included) and never recurses per tree level: the walk is a
task stack, so 5000 nested blocks cost memory, not Python frames.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
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


@dataclass(slots=True)
class DocumentSymbol:
    """One entry of the outline: a function (its lets and nested functions as children) or a variable."""

    name: str
    kind: SymbolKind
    span: ast.Span
    name_span: ast.Span
    children: list[DocumentSymbol] = field(default_factory=list)


class SymbolTable:
    """The resolved names of one program and the editor queries over them."""

    def __init__(
        self,
        definitions: list[Definition],
        references: list[Reference],
        builtin_references: list[BuiltinReference],
    ) -> None:
        self.definitions = definitions
        self.references = references
        self.builtin_references = builtin_references
        unbound = [reference for reference in references if not reference.definitions]
        self.builtin_values = [ref for ref in unbound if not ref.write and is_builtin(ref.name)]
        """Reads of a builtin as a value (`let f = print`): undefined at run time (§5.7)."""
        self.unresolved = [ref for ref in unbound if ref.write or not is_builtin(ref.name)]
        """Reads and writes of names nothing declares, builtins used as values excepted."""

    @cached_property
    def _uses(self) -> dict[Definition, list[Reference]]:
        """The references of each definition; built on the first query, as the checker needs none."""
        uses: dict[Definition, list[Reference]] = {}
        for reference in self.references:
            for definition in reference.definitions:
                uses.setdefault(definition, []).append(reference)
        return uses

    @cached_property
    def _located(self) -> tuple[list[int], list[Definition | Reference | BuiltinReference]]:
        """Every name in the file by start offset (declarations, uses, builtin callees), for `_at`."""
        located: list[tuple[int, Definition | Reference | BuiltinReference]] = [
            (item.name_span.start, item) for item in self.definitions
        ]
        located += ((item.span.start, item) for item in self.references)
        located += ((item.span.start, item) for item in self.builtin_references)
        located.sort(key=lambda entry: entry[0])
        return [start for start, _ in located], [item for _, item in located]

    def _at(self, offset: int) -> Definition | Reference | BuiltinReference | None:
        """The name whose span contains `offset` (its end included, where an editor's cursor sits after
        typing it). Names never overlap, so the last one starting at or before `offset` is the only one."""
        starts, items = self._located
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return None
        item = items[index]
        span = item.name_span if isinstance(item, Definition) else item.span
        return item if offset <= span.end else None

    def definition_at(self, offset: int) -> list[Definition]:
        """The definitions of the name at a byte offset, whether a reference or a declaration is there."""
        item = self._at(offset)
        if isinstance(item, Definition):
            return [item]
        if isinstance(item, Reference):
            return list(item.definitions)
        return []

    def builtin_at(self, offset: int) -> str | None:
        """The builtin called at `offset`, if a builtin call's callee is there."""
        item = self._at(offset)
        return item.name if isinstance(item, BuiltinReference) else None

    def references_of(self, definition: Definition, include_declaration: bool = True) -> list[ast.Span]:
        """Where `definition` is, or may be, read or written, in source order."""
        spans = [reference.span for reference in self._uses.get(definition, ())]
        if include_declaration:
            spans.append(definition.name_span)
        return sorted(spans, key=lambda span: span.start)

    def is_referenced(self, function: Definition) -> bool:
        """Whether the function is read outside its own body: called, stored or passed (W208, W209). A call
        from its own body does not count: nothing outside ever starts it."""
        outer = function.span
        return any(
            not reference.write and (reference.span.start < outer.start or reference.span.end > outer.end)
            for reference in self._uses.get(function, ())
        )

    def symbols(self) -> list[DocumentSymbol]:
        """The outline: top-level functions and variables, each function holding the variables and
        functions declared in its body (loop-scoped lets included; parameters, loop variables and match
        bindings left out, as outlines do)."""
        roots: list[DocumentSymbol] = []
        functions: dict[Definition, DocumentSymbol] = {}
        for definition in self.definitions:
            if definition.kind not in (SymbolKind.VARIABLE, SymbolKind.FUNCTION):
                continue
            symbol = DocumentSymbol(definition.name, definition.kind, definition.span, definition.name_span)
            if definition.kind is SymbolKind.FUNCTION:
                functions[definition] = symbol
            owner = definition.scope.function
            # Definitions are in source order, so a function's symbol exists before its body's.
            parent = functions.get(owner) if owner is not None else None
            (parent.children if parent is not None else roots).append(symbol)
        return roots


def symbol_table(program: ast.Program) -> SymbolTable:
    """Resolve every name of `program` (see the module docstring for the rules).

    The cyclic garbage collector is paused meanwhile, as in lowering: the walk allocates many small objects
    while the whole AST is alive, and each collection would rescan that AST (measured: 10 000 lines take
    about 2.5 times as long with it running)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Resolver(program).run()
    finally:
        if was_enabled:
            gc.enable()


# ───────────────────────────── the walk ─────────────────────────────
#
# State: each live scope (`_Env`) maps a name to a `_Value` (items, stamp, certain). Items are
# `Definition`s, `_UNBOUND` (the name may be unbound in this scope here) and `_Loop` markers ("and whatever
# comes round this loop's back edge"). A loop adds its marker lazily: a value written before the loop was
# entered (stamp < loop.entry) implicitly carries it, so entering a loop costs nothing per name. Branches log
# the values they overwrite (`frames`, one undo log per open branch or loop), restore them, and join.


class _Marker:
    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


_UNBOUND = _Marker("unbound")
_ONLY_UNBOUND: frozenset[Any] = frozenset([_UNBOUND])
_NOTHING: frozenset[Any] = frozenset()

_Value = tuple[frozenset[Any], int, bool]
"""(items, stamp: the clock when written, certain: every item is a Definition)."""


class _Env:
    __slots__ = ("created", "parent", "scope", "values")

    def __init__(self, scope: Scope, parent: _Env | None, created: int) -> None:
        self.scope = scope
        self.parent = parent
        self.values: dict[str, _Value] = {}
        self.created = created


_Log = dict[tuple[_Env, str], _Value | None]
"""An undo log: the value each (scope, name) had before a branch or loop first wrote it (None: absent)."""


class _Loop(_Marker):
    """A `while` or `for` being walked; after it, `back_edges` holds what each name it changed may hold when
    control returns to its head."""

    __slots__ = ("back_edges", "entry", "exit_pending", "exits", "frame", "function")

    def __init__(self, entry: int, function: Definition | None) -> None:
        super().__init__(f"loop@{entry}")
        self.entry = entry
        self.function = function
        self.frame: _Log = {}
        self.exits: dict[tuple[_Env, str], frozenset[Any]] = {}
        self.back_edges: dict[tuple[_Env, str], frozenset[Any]] = {}
        self.exit_pending = False


class _Read:
    """A name use waiting for the loops it crosses to be walked: `chain` is what each scope it looks
    through may hold, innermost first."""

    __slots__ = ("chain", "name", "own_function", "span", "write")

    def __init__(self, name: str, span: ast.Span, write: bool) -> None:
        self.name = name
        self.span = span
        self.write = write
        self.chain: list[tuple[_Env, frozenset[Any]]] = []
        self.own_function: Definition | None = None


class _Branches:
    """An `if` being walked: the then-branch's undo log and final values, kept while the else-branch runs."""

    __slots__ = ("then_log", "then_values")

    def __init__(self) -> None:
        self.then_log: _Log = {}
        self.then_values: _Log = {}


def _restore(env: _Env, name: str, value: _Value | None) -> None:
    if value is None:
        env.values.pop(name, None)
    else:
        env.values[name] = value


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


def _certain(items: frozenset[Any]) -> bool:
    return all(type(item) is Definition for item in items)


Task = tuple[Callable[[Any], None], Any]


class _Resolver:
    def __init__(self, program: ast.Program) -> None:
        self.program = program
        self.clock = 0
        self.env = _Env(Scope(ScopeKind.PROGRAM, program.span, None, None), None, 0)
        self.frames: list[_Log] = []
        self.loops: list[_Loop] = []
        self.tasks: list[Task] = []
        self.definitions: list[Definition] = []
        self.references: list[Reference] = []
        self.waiting: list[_Read] = []
        self.builtin_references: list[BuiltinReference] = []
        self.top_functions: dict[str, list[Definition]] = {}
        self.statement_rules: dict[type, Callable[[Any], None]] = {
            ast.Let: self._let,
            ast.Assign: self._assign,
            ast.ExpressionStatement: lambda node: self._expression(node.expression),
            ast.FunctionDef: self._function,
            ast.If: self._if,
            ast.While: self._while,
            ast.For: self._for,
            ast.Return: self._return,
            ast.Break: self._break,
            ast.Continue: self._break,
        }

    def run(self) -> SymbolTable:
        self._sequence(self._block(self.program.statements))
        tasks = self.tasks
        while tasks:
            action, argument = tasks.pop()
            action(argument)
        references = self.references
        references += (
            Reference(read.name, read.span, self._resolve(read), read.write) for read in self.waiting
        )
        references.sort(key=lambda reference: reference.span.start)
        self.definitions.sort(key=lambda definition: definition.name_span.start)
        return SymbolTable(self.definitions, references, self.builtin_references)

    # ── task plumbing: the stack runs last-pushed first ──

    def _sequence(self, steps: list[Task]) -> None:
        """Queue `steps` to run in order, before anything queued earlier."""
        self.tasks.extend(reversed(steps))

    def _block(self, statements: list[ast.Statement], loop: _Loop | None = None) -> list[Task]:
        """A block's statements as steps; in a loop body each is followed by the loop's exit check (§5.8)."""
        if loop is None:
            return [(self._statement, statement) for statement in statements]
        steps: list[Task] = []
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
                if type(callee) is ast.Identifier and is_builtin(callee.name):
                    self.builtin_references.append(BuiltinReference(callee.name, callee.span))
                    stack.extend(reversed(node.arguments))
                else:
                    stack.extend(reversed(node.arguments))
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

    # ── values and names ──

    def _tick(self) -> int:
        self.clock += 1
        return self.clock

    def _items(self, env: _Env, value: _Value | None) -> frozenset[Any]:
        """What `value` may hold, the markers of the loops entered since it was written made explicit. Only
        loops of the scope's own function count: no other code can change the scope."""
        items, stamp = (value[0], value[1]) if value is not None else (_ONLY_UNBOUND, env.created)
        loops = self.loops
        if not loops or loops[-1].entry <= stamp:
            return items
        markers = []
        for loop in reversed(loops):
            if loop.entry <= stamp:
                break
            if loop.function is env.scope.function:
                markers.append(loop)
        return items.union(markers) if markers else items

    def _write(self, env: _Env, name: str, items: frozenset[Any], certain: bool) -> None:
        if self.frames:
            log = self.frames[-1]
            key = (env, name)
            if key not in log:
                log[key] = env.values.get(name)
        env.values[name] = (items, self._tick(), certain)

    def _declare(self, name: ast.Name, kind: SymbolKind, span: ast.Span) -> Definition:
        definition = Definition(name.id, kind, name.span, span, self.env.scope)
        self.definitions.append(definition)
        return definition

    def _bind(self, definition: Definition) -> None:
        self._write(self.env, definition.name, frozenset([definition]), True)

    def _use(self, name: str, span: ast.Span, write: bool) -> None:
        """Record what each scope from the innermost outwards may hold for `name`, up to the first where it
        is certainly bound. A use that crosses a loop's back edge waits for the end of the walk, when every
        back edge is known; the others resolve now."""
        read = _Read(name, span, write)
        waits = False
        env: _Env | None = self.env
        while env is not None:
            value = env.values.get(name)
            items = self._items(env, value)
            if items is not _ONLY_UNBOUND:
                read.chain.append((env, items))
                if value is not None and value[2] and items is value[0]:
                    break
                waits = waits or any(type(item) is _Loop for item in items)
            scope = env.scope
            if scope.kind is ScopeKind.FUNCTION and read.own_function is None and scope.function.name == name:
                read.own_function = scope.function
            env = env.parent
        if waits:
            self.waiting.append(read)
        else:
            self.references.append(Reference(name, span, self._resolve(read), write))

    def _resolve(self, read: _Read) -> tuple[Definition, ...]:
        chain = read.chain
        if len(chain) == 1 and len(chain[0][1]) == 1 and type(next(iter(chain[0][1]))) is Definition:
            return tuple(chain[0][1])  # the common case: one certain definition in the innermost scope
        found: dict[Definition, None] = {}
        for env, items in chain:
            if not self._collect(env, read.name, items, found):
                break
        else:
            if not read.write:  # §9.2 step 2 applies to reads only
                if read.own_function is not None:
                    found[read.own_function] = None
                else:
                    found.update(dict.fromkeys(self.top_functions.get(read.name, ())))
        return tuple(sorted(found, key=lambda definition: definition.name_span.start))

    @staticmethod
    def _collect(env: _Env, name: str, items: frozenset[Any], found: dict[Definition, None]) -> bool:
        """Add the definitions `items` may stand for (following loop markers); True if unbound is possible."""
        unbound = False
        pending = [items]
        seen: set[_Loop] = set()
        while pending:
            for item in pending.pop():
                if type(item) is Definition:
                    found[item] = None
                elif item is _UNBOUND:
                    unbound = True
                elif item not in seen:
                    seen.add(item)
                    pending.append(item.back_edges.get((env, name), _NOTHING))
        return unbound

    # ── statements ──

    def _return(self, node: ast.Return) -> None:
        if node.value is not None:
            self._expression(node.value)

    def _let(self, node: ast.Let) -> None:
        self._sequence([(self._expression, node.value), (self._let_bind, node)])

    def _let_bind(self, node: ast.Let) -> None:
        if isinstance(node.name, ast.Name):
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
            self._push(self._expression, target)
            return
        self._use(root.name, root.span, write=True)
        self.tasks.extend((self._expression, index) for index in indices)  # innermost index runs first

    def _function(self, node: ast.FunctionDef) -> None:
        """The body is walked right here: it sees the scopes as they are at the `fn` statement (the
        snapshot, §5.7), and nothing it does changes them. The name is bound after the body."""
        definition = self._declare(node.name, SymbolKind.FUNCTION, node.span)
        if definition.top_level:
            self.top_functions.setdefault(definition.name, []).append(definition)
        outer = self.env
        self.env = _Env(Scope(ScopeKind.FUNCTION, node.span, outer.scope, definition), outer, self._tick())
        self.frames.append({})  # the body's writes die with its scope: this log is dropped, never joined
        for parameter in node.parameters:
            if isinstance(parameter.name, ast.Name):
                self._bind(self._declare(parameter.name, SymbolKind.PARAMETER, parameter.span))
        body = node.body.statements if isinstance(node.body, ast.Block) else []
        self._sequence([*self._block(body), (self._leave_function, (outer, definition))])

    def _leave_function(self, state: tuple[_Env, Definition]) -> None:
        outer, definition = state
        self.frames.pop()
        self.env = outer
        self._bind(definition)

    def _if(self, node: ast.If) -> None:
        self._branches(node.condition, node.then, node.otherwise)

    def _branches(self, condition: ast.Expression, then: ast.Block, otherwise: ast.Node | None) -> None:
        """`if` statements and expressions: both branches start from the same state and are joined."""
        branches = _Branches()
        then_statements = then.statements if isinstance(then, ast.Block) else []
        steps = [(self._expression, condition), (self._begin_branch, None), *self._block(then_statements)]
        steps.append((self._begin_else, branches))
        if isinstance(otherwise, ast.Block):
            steps += self._block(otherwise.statements)
        elif isinstance(otherwise, ast.If):
            steps.append((self._statement, otherwise))
        elif isinstance(otherwise, ast.IfExpression):
            steps.append((self._expression, otherwise))
        steps.append((self._join, branches))
        self._sequence(steps)

    def _begin_branch(self, _: None) -> None:
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

    def _join(self, branches: _Branches) -> None:
        else_log, else_values = self._undo()
        then_log, then_values = branches.then_log, branches.then_values
        for key in then_log.keys() | else_log.keys():
            env, name = key
            old = then_log[key] if key in then_log else else_log[key]
            from_then = then_values[key] if key in then_log else old
            from_else = else_values[key] if key in else_log else old
            items = self._items(env, from_then) | self._items(env, from_else)
            self._write(env, name, items, _certain(items))

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
        """A `break`/`continue` in this statement leaves the loop here, with the state reached so far."""
        if not loop.exit_pending:
            return
        loop.exit_pending = False
        for key in loop.frame:
            env, name = key
            loop.exits[key] = loop.exits.get(key, _NOTHING) | self._items(env, env.values.get(name))

    def _exit_loop(self, loop: _Loop) -> None:
        """Record what comes round the back edge for every name the loop changed."""
        self.loops.pop()
        self.frames.pop()
        for key in loop.frame:
            env, name = key
            items = self._items(env, env.values.get(name)) | loop.exits.get(key, _NOTHING)
            loop.back_edges[key] = items - {loop}

    def _while(self, node: ast.While) -> None:
        loop = self._enter_loop()
        body = node.body.statements if isinstance(node.body, ast.Block) else []
        self._sequence(
            [(self._expression, node.condition), *self._block(body, loop), (self._leave_while, loop)]
        )

    def _leave_while(self, loop: _Loop) -> None:
        """After the loop each name it changed may hold its entry value or a back-edge value."""
        self._exit_loop(loop)
        for key, old in loop.frame.items():
            env, name = key
            _restore(env, name, old)
            items = self._items(env, old) | loop.back_edges[key]
            self._write(env, name, items, _certain(items))

    def _for(self, node: ast.For) -> None:
        self._sequence([(self._expression, node.iterable), (self._begin_for, node)])

    def _begin_for(self, node: ast.For) -> None:
        outer = self.env
        scope = Scope(ScopeKind.FOR, node.span, outer.scope, outer.scope.function)
        self.env = _Env(scope, outer, self._tick())
        loop = self._enter_loop()
        if isinstance(node.variable, ast.Name):
            self._bind(self._declare(node.variable, SymbolKind.LOOP_VARIABLE, node.span))
        body = node.body.statements if isinstance(node.body, ast.Block) else []
        self._sequence([*self._block(body, loop), (self._leave_for, (outer, loop))])

    def _leave_for(self, state: tuple[_Env, _Loop]) -> None:
        """The loop's scope dies here and it is the only one the body could change (§5.6)."""
        outer, loop = state
        self._exit_loop(loop)
        self.env = outer

    def _match(self, node: ast.Match) -> None:
        steps: list[Task] = [(self._expression, node.value)]
        for arm in node.arms:
            steps += [(self._enter_arm, arm), (self._expression, arm.value), (self._leave_arm, self.env)]
        self._sequence(steps)

    def _enter_arm(self, arm: ast.MatchArm) -> None:
        outer = self.env
        self.env = _Env(
            Scope(ScopeKind.MATCH_ARM, arm.span, outer.scope, outer.scope.function), outer, self._tick()
        )
        self.frames.append({})  # only the arm's own scope can change inside it: dropped at its end
        if isinstance(arm.pattern, ast.BindingPattern) and isinstance(arm.pattern.name, ast.Name):
            self._bind(self._declare(arm.pattern.name, SymbolKind.MATCH_BINDING, arm.span))

    def _leave_arm(self, outer: _Env) -> None:
        self.frames.pop()
        self.env = outer
