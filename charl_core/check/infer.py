"""The checker: one flow-sensitive abstract interpretation of a program over static types (LANGUAGE.md §4.4).

It walks statements in order with an `Env` of types, exactly mirroring the run time's scope rules; branches
run on copies that are joined, loops iterate to a fixpoint (the first iteration separately, because it is the
one certain to run when the condition is constant on entry), function bodies are checked once generically and
once per distinct tuple of argument types at their calls. Findings go through `Reporter`, which applies the
certainty rule of §4.6.

Invariant: never raises on any AST (error nodes type as `any`); does no IO.
"""

from __future__ import annotations

from collections.abc import Callable

from charl_core import ast
from charl_core.builtins import lookup
from charl_core.check import operators
from charl_core.check.access import index_type, store
from charl_core.check.annotations import (
    DimensionScope,
    annotation_conflict,
    annotation_type,
    bind_dimensions,
    refine_with_annotation,
    substitute,
)
from charl_core.check.calls import CallChecks
from charl_core.check.env import Binding, Env
from charl_core.check.functions import (
    Effect,
    Frame,
    FunctionInfo,
    FunctionPlace,
    ItemRef,
    TopLevelFunction,
)
from charl_core.check.report import Reporter
from charl_core.types import (
    ANY,
    INT,
    NULL,
    ArrayType,
    BoolType,
    FloatType,
    FunctionType,
    Grad,
    IntType,
    NullType,
    StringType,
    TensorType,
    TupleType,
    Type,
    join,
    join_all,
    kind_name,
)

MAX_LOOP_PASSES = 6


class Checker(CallChecks):
    """Checks one top-level item at a time (`check_item`), keeping what items share: the functions
    declared so far and the memo of their per-call checks. `check/incremental.py` drives it."""

    def __init__(
        self, top_level: dict[str, TopLevelFunction], is_referenced: Callable[[FunctionPlace], bool]
    ) -> None:
        self.report = Reporter()
        self.is_referenced = is_referenced
        self.top_level = top_level  # the last of each name wins (§9.2)
        self.functions: dict[str, FunctionInfo] = {}
        self.frames: list[Frame] = [Frame(None, DimensionScope())]
        self.call_depth: dict[str, int] = {}
        self.loop_bodies: list[ast.Block] = []  # the loops being checked, innermost last (W202)
        self.backward_bodies: dict[int, tuple[ast.Block, bool]] = {}  # `_calls_backward`, by block
        self.annotated_parameters: dict[int, tuple[ast.FunctionDef, tuple[Type, ...]]] = {}
        self.item = ItemRef("", 0)
        self.effects: list[Effect] = []
        self.expression_types: dict[ast.Span, Type] = {}  # the item's expressions outside per-call checks
        self.truncated = False  # a per-call check gave up on recursion depth: its result is not memoised

    def check_item(
        self, statement: ast.Statement, env: Env, item: ItemRef, reporter: Reporter
    ) -> list[Effect]:
        """Check one top-level statement, updating `env`; its effects. Diagnostics go to `reporter`,
        expression types to `self.expression_types` (both with the item's absolute spans)."""
        self.item, self.report, self.effects, self.expression_types = item, reporter, [], {}
        self.statement(statement, env)
        return self.effects

    def owner(self) -> ItemRef | None:
        """The item of the code being checked: a function's (where lets inside it belong), or None for
        the top-level item itself."""
        function = self.frames[-1].function
        return function.item if function is not None else None

    def register(self, key: str, info: FunctionInfo) -> None:
        self.functions[key] = info
        self.effects.append(("register", key, info))

    # ───────────────────────────── statements ─────────────────────────────

    def statements(self, statements: list[ast.Statement], env: Env) -> Type:
        """Check `statements` in order, updating `env`; the type of the last statement's value (§5.7)."""
        value: Type = NULL
        for statement in statements:
            if not env.alive:
                break
            value = self.statement(statement, env)
        return value

    def statement(self, node: ast.Statement, env: Env) -> Type:
        handler = _STATEMENTS.get(type(node))
        return handler(self, node, env) if handler else ANY

    def let(self, node: ast.Let, env: Env) -> Type:
        value = self.expression(node.value, env)
        if node.annotation is not None:
            declared = annotation_type(node.annotation)
            dimensions = self.frames[-1].dimensions
            conflict = bind_dimensions(declared, value, dimensions, f"'{node.name.id}'")
            if conflict is None:
                conflict = annotation_conflict(substitute(declared, dimensions), value)
            if conflict is not None:
                self.report.warning("W205", conflict, node.value.span)
            value = refine_with_annotation(substitute(declared, dimensions), value)
        env.declare(node.name.id, Binding(value, True, node.name.span))
        self.record_let(node, value)
        return value

    def record_let(self, node: ast.Let, value: Type) -> None:
        owner = self.owner()
        base = owner.base if owner is not None else self.item.base
        name = node.name.span
        self.effects.append(
            (
                "let",
                owner.id if owner is not None else None,
                node.span.start - base,
                node.span.end - base,
                node.name.id,
                name.start - base,
                name.end - base,
                value,
            )
        )

    def assign(self, node: ast.Assign, env: Env) -> Type:
        value = self.expression(node.value, env)
        target = node.target
        if isinstance(target, ast.Identifier):
            if not env.assign(target.name, value):
                self.report.error("E102", f"Cannot assign to undefined variable: {target.name}", target.span)
            else:
                self.note_snapshot_write(target, env)
            return value
        if isinstance(target, ast.Index):
            self.index_assign(target, value, env)
            return value
        self.expression(target, env)
        self.report.error("E111", "Invalid assignment target", target.span)
        return value

    def note_snapshot_write(self, target: ast.Identifier, env: Env) -> None:
        """W212: a function assigning a variable of its snapshot changes only its copy (§5.7)."""
        frame = self.frames[-1]
        if frame.function is None or not frame.function.referenced:
            return
        if env.in_innermost(target.name):
            return
        if frame.function.snapshot.lookup(target.name) is not None and len(self.frames) == 2:
            self.report.warning(
                "W212",
                f"assignment to '{target.name}' inside fn {frame.function.node.name.id} "
                "is discarded when the call returns",
                target.span,
            )

    def index_assign(self, target: ast.Index, value: Type, env: Env) -> None:
        """`a[i] = v`, `a[i][j] = v` (§5.9): the root variable holds nested arrays; its length is kept."""
        chain: list[ast.Expression] = []
        root: ast.Expression = target
        while isinstance(root, ast.Index):
            chain.append(root.index)
            root = root.value
        for index in reversed(chain):
            self.expression(index, env)
        if not isinstance(root, ast.Identifier):
            self.expression(root, env)
            self.report.error("E111", "Invalid assignment target", target.span)
            return
        binding = env.lookup(root.name)
        if binding is None:
            self.report.error("E101", _undefined(root.name), root.span)
            return
        current = binding.type
        if len(chain) == 1 and kind_name(current) not in (None, "array"):
            self.report.error("E109", f"{root.name} is not an array", target.span)
            return
        if isinstance(current, ArrayType):
            position = self.expression(chain[-1], env) if len(chain) == 1 else None
            constant = position.value if isinstance(position, IntType) else None
            if constant is not None and current.length is not None and not 0 <= constant < current.length:
                shown = constant % (1 << 64)  # §5.9: the index is converted to unsigned 64-bit
                self.report.error("E109", f"Index {shown} out of bounds (len={current.length})", target.span)
                return
            env.assign(root.name, store(current, chain[-1], value, len(chain) - 1))

    def if_statement(self, node: ast.If, env: Env) -> Type:
        condition = self.expression(node.condition, env)
        decided = truthiness(condition)
        then_env = env.fork()
        with self.report.context(certain=decided is True):
            then_value = self.block(node.then, then_env)
        else_env = env.fork()
        else_value: Type = NULL
        with self.report.context(certain=decided is False):
            if isinstance(node.otherwise, ast.Block):
                else_value = self.block(node.otherwise, else_env)
            elif isinstance(node.otherwise, ast.If):
                else_value = self.if_statement(node.otherwise, else_env)
        self.merge(env, then_env, else_env, decided)
        for branch in (node.then, node.otherwise):
            if isinstance(branch, ast.Block):
                self.after_break_warnings(branch)
        return join(then_value, else_value)

    @staticmethod
    def merge(env: Env, then_env: Env, else_env: Env, decided: bool | None) -> None:
        """After an `if`: the branch that certainly ran, or the join of both."""
        if decided is True:
            env.merge(then_env)
        elif decided is False:
            env.merge(else_env)
        else:
            env.merge(then_env, else_env)

    def block(self, block: ast.Block, env: Env) -> Type:
        return self.statements(block.statements, env)

    def after_break_warnings(self, block: ast.Block) -> None:
        """W210: statements after `break`/`continue` in the same `if` block still run (§5.8)."""
        for position, statement in enumerate(block.statements[:-1]):
            if isinstance(statement, ast.Break | ast.Continue):
                word = "break" if isinstance(statement, ast.Break) else "continue"
                following = block.statements[position + 1]
                self.report.warning("W210", f"this statement still runs after {word} (§5.8)", following.span)
                return

    def while_statement(self, node: ast.While, env: Env) -> Type:
        entry = self.expression(node.condition, env)
        runs = truthiness(entry)
        self.loop(
            node.body, env, certain_first=runs is True, before=lambda e: self.expression(node.condition, e)
        )
        return ANY

    def for_statement(self, node: ast.For, env: Env) -> Type:
        iterable = self.expression(node.iterable, env)
        element: Type = ANY
        certain_first = False
        if isinstance(iterable, ArrayType):
            element = join_all(*iterable.items) if iterable.items else iterable.element
            certain_first = bool(iterable.length)
        elif kind_name(iterable) is not None:
            self.report.error("E109", f"Cannot iterate over type {kind_name(iterable)}", node.iterable.span)
        env.push()
        env.declare(node.variable.id, Binding(element, True, node.variable.span))
        self.loop(node.body, env, certain_first=certain_first)
        env.pop()
        return ANY

    def loop(self, body: ast.Block, env: Env, *, certain_first: bool, before=None) -> None:
        """The first iteration with the entry state (certain when the body surely runs); later iterations
        start from the join of the states after earlier ones, iterated until nothing changes (§4.4:
        constants and dimensions that change become unknown). The exit state includes the entry state only
        when the body may not run at all: a `let` in a loop that surely runs is defined after it (§5.6)."""
        self.loop_bodies.append(body)
        try:
            header = env.fork()
            with self.report.context(certain=certain_first):
                self.block(body, header)
            header.alive = True
            with self.report.context(certain=False):
                for _ in range(MAX_LOOP_PASSES):
                    passed = header.fork()
                    if before is not None:
                        before(passed)
                    self.block(body, passed)
                    if not header.absorb(passed):
                        break
                else:
                    header.widen()
        finally:
            self.loop_bodies.pop()
        if certain_first:
            env.merge(header)
        else:
            env.merge_loop(header)  # the body may not have run at all
        env.alive = True

    def in_training_loop(self) -> bool:
        """Whether a loop being checked calls a builtin that runs backward (W202). Asked only when a
        graph-cutting builtin meets a grad-requiring tensor, so most loops never walk their bodies."""
        for body in self.loop_bodies:
            known = self.backward_bodies.get(id(body))
            if known is None or known[0] is not body:
                known = self.backward_bodies[id(body)] = (body, _calls_backward(body))
            if known[1]:
                return True
        return False

    def return_statement(self, node: ast.Return, env: Env) -> Type:
        value = BoolType(False) if node.value is None else self.expression(node.value, env)
        self.frames[-1].returns.append(value)
        env.alive = False
        return value

    def expression_statement(self, node: ast.ExpressionStatement, env: Env) -> Type:
        return self.expression(node.expression, env)

    def break_statement(self, node: ast.Statement, env: Env) -> Type:
        return NULL

    def model_def(self, node: ast.ModelDef, env: Env) -> Type:
        return ANY

    # ───────────────────────────── expressions ─────────────────────────────

    def expression(self, node: ast.Expression, env: Env) -> Type:
        handler = _EXPRESSIONS.get(type(node))
        result = handler(self, node, env) if handler else ANY
        if not self.report.collecting_call:
            types, span = self.expression_types, node.span
            known = types.get(span)
            if known is None:
                types[span] = result
            elif known is not result:  # later loop passes mostly find the type already recorded
                types[span] = join(known, result)
        return result

    def identifier(self, node: ast.Identifier, env: Env) -> Type:
        binding = env.lookup(node.name)
        if binding is not None:
            if not binding.certain:
                self.report.warning("W201", _possibly_undefined(node.name, binding.loop_only), node.span)
            return binding.type
        late = self.late_bound(node.name)
        if late is not None:
            return late
        self.report.error("E101", _undefined(node.name), node.span)
        return ANY

    def late_bound(self, name: str) -> Type | None:
        """§9.2: a function's own name inside its body, or any top-level `fn` of the file."""
        for frame in reversed(self.frames):
            if frame.function is not None and frame.function.node.name.id == name:
                return FunctionType(frame.function.key)
        declaration = self.top_level.get(name)
        if declaration is not None:
            return FunctionType(declaration.key)
        return None

    def literal(self, node: ast.Expression, env: Env) -> Type:
        if isinstance(node, ast.IntegerLiteral):
            return IntType(node.value)
        if isinstance(node, ast.FloatLiteral):
            return FloatType(node.value)
        if isinstance(node, ast.BooleanLiteral):
            return BoolType(node.value)
        if isinstance(node, ast.StringLiteral):
            self.escape_warning(node)
            return StringType(node.value)
        return ANY

    def escape_warning(self, node: ast.StringLiteral) -> None:
        """W203: Charl strings have no escapes (§2.4)."""
        position = node.value.find("\\")
        if position < 0 or position + 1 >= len(node.value):
            return
        sequence = node.value[position : position + 2]
        advice = " use a separate print()" if sequence == "\\n" else ""
        self.report.warning(
            "W203",
            f"'{sequence}' is printed literally (Charl strings have no escapes);{advice}".rstrip(";"),
            node.span,
        )

    def binary(self, node: ast.BinaryOperation, env: Env) -> Type:
        left = self.expression(node.left, env)
        right = self.expression(node.right, env)
        if node.op in ("==", "!=") and _int_float(left, right):
            self.report.warning("W211", "an integer never equals a float: 1 == 1.0 is false", node.span)
        result, finding = operators.binary(node.op, left, right)
        if finding is not None:
            self.report.error(finding[0], finding[1], node.span)
        return result

    def unary(self, node: ast.UnaryOperation, env: Env) -> Type:
        result, finding = operators.unary(node.op, self.expression(node.operand, env))
        if finding is not None:
            self.report.error(finding[0], finding[1], node.span)
        return result

    def cast(self, node: ast.Cast, env: Env) -> Type:
        result, finding = operators.cast(self.expression(node.value, env), node.target)
        if finding is not None:
            self.report.error(finding[0], finding[1], node.span)
        return result

    def range_expression(self, node: ast.Range, env: Env) -> Type:
        start, end = self.expression(node.start, env), self.expression(node.end, env)
        for side, t in ((node.start, start), (node.end, end)):
            kind = kind_name(t)
            if kind is not None and not isinstance(t, IntType | FloatType):
                self.report.error("E105", f"Cannot convert {kind} to integer", side.span)
        low, high = _constant_int(start), _constant_int(end)
        if low is None or high is None:
            return ArrayType(INT)
        count = max(0, high - low + (1 if node.inclusive else 0))
        if count > 4096:
            return ArrayType(INT, count)
        return ArrayType(INT, count, tuple(IntType(low + i) for i in range(count)))

    def tuple_literal(self, node: ast.TupleLiteral, env: Env) -> Type:
        return TupleType(tuple(self.expression(e, env) for e in node.elements))

    def array_literal(self, node: ast.ArrayLiteral, env: Env) -> Type:
        items = tuple(self.expression(e, env) for e in node.elements)
        return ArrayType(join_all(*items) if items else ANY, len(items), items)

    def array_repeat(self, node: ast.ArrayRepeat, env: Env) -> Type:
        value = self.expression(node.value, env)
        count_type = self.expression(node.count, env)
        count = _constant_int(count_type)
        if count is None and isinstance(count_type, FloatType) and count_type.value is not None:
            count = int(count_type.value)
        kind = kind_name(count_type)
        if kind is not None and not isinstance(count_type, IntType | FloatType):
            self.report.error("E105", f"Array repeat count must be integer, got {kind}", node.count.span)
        if count is None or count < 0:
            return ArrayType(value)
        return ArrayType(value, count, (value,) * count if count <= 4096 else None)

    def if_expression(self, node: ast.IfExpression, env: Env) -> Type:
        condition = self.expression(node.condition, env)
        decided = truthiness(condition)
        then_env, else_env = env.fork(), env.fork()
        with self.report.context(certain=decided is True):
            then_value = self.block(node.then, then_env)
        with self.report.context(certain=decided is False):
            if isinstance(node.otherwise, ast.Block):
                else_value = self.block(node.otherwise, else_env)
            else:
                else_value = self.if_expression(node.otherwise, else_env)
        self.merge(env, then_env, else_env, decided)
        if decided is True:
            return then_value
        if decided is False:
            return else_value
        return join(then_value, else_value)

    def match(self, node: ast.Match, env: Env) -> Type:
        value = self.expression(node.value, env)
        results: list[Type] = []
        for arm in node.arms:
            pattern = arm.pattern
            if isinstance(pattern, ast.LiteralPattern) and _int_float(
                value, self.literal(pattern.value, env)
            ):
                self.report.warning("W211", "an integer never equals a float pattern", pattern.span)
            arm_env = env.fork()
            arm_env.push()
            if isinstance(pattern, ast.BindingPattern):
                arm_env.declare(pattern.name.id, Binding(value, True, pattern.name.span))
            with self.report.context(certain=False):
                results.append(self.expression(arm.value, arm_env))
            arm_env.pop()
        return join_all(*results) if results else ANY

    def autograd(self, node: ast.Autograd, env: Env) -> Type:
        argument = self.expression(node.argument, env)
        if isinstance(argument, TensorType):
            return argument
        if isinstance(argument, IntType | FloatType):
            return TensorType(shape=(1,), grad=Grad.YES)
        if isinstance(argument, ArrayType):
            return TensorType(
                shape=(argument.length,) if argument.length is not None else None, grad=Grad.YES
            )
        kind = kind_name(argument)
        if kind is not None:
            message = f"autograd() can only be applied to numbers or arrays, got {kind}"
            self.report.error("E106", message, node.span)
        return TensorType(grad=Grad.YES)

    def index(self, node: ast.Index, env: Env) -> Type:
        container = self.expression(node.value, env)
        index = self.expression(node.index, env)
        result, finding = index_type(container, index)
        if finding is not None:
            self.report.error("E109", finding, node.span)
        return result

    def tuple_index(self, node: ast.TupleIndex, env: Env) -> Type:
        container = self.expression(node.value, env)
        if isinstance(container, TupleType):
            if node.index < len(container.elements):
                return container.elements[node.index]
            message = (
                f"Tuple index out of bounds: index {node.index} on tuple of length {len(container.elements)}"
            )
            self.report.error("E109", message, node.span)
            return ANY
        kind = kind_name(container)
        if kind is not None:
            self.report.error("E109", f"Cannot index type {kind} with tuple index syntax", node.span)
        return ANY

    def error_expression(self, node: ast.Expression, env: Env) -> Type:
        return ANY


# ───────────────────────────── helpers ─────────────────────────────


def truthiness(t: Type) -> bool | None:
    """The truth value of a constant (§5.3), or None when the checker cannot decide."""
    if isinstance(t, BoolType | IntType | FloatType) and t.value is not None:
        return bool(t.value)
    if isinstance(t, NullType):
        return False
    if isinstance(t, StringType | ArrayType | TupleType | TensorType | FunctionType):
        return True
    return None


def _constant_int(t: Type) -> int | None:
    if isinstance(t, IntType):
        return t.value
    if isinstance(t, FloatType) and t.value is not None and t.value == t.value and abs(t.value) < 1e18:
        return int(t.value)
    return None


def _int_float(a: Type, b: Type) -> bool:
    return (isinstance(a, IntType) and isinstance(b, FloatType)) or (
        isinstance(a, FloatType) and isinstance(b, IntType)
    )


def _undefined(name: str) -> str:
    return f"undefined name '{name}' (runtime: Undefined variable: {name})"


def _possibly_undefined(name: str, loop_only: bool) -> str:
    if loop_only:
        return f"'{name}' is defined only when the loop body runs"
    return f"'{name}' may be undefined here: it is defined only on some paths"


def _calls_backward(block: ast.Block) -> bool:
    """Whether the block calls a builtin that runs backward (`tensor_backward`): a training loop (W202)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.callee, ast.Identifier)
        and (entry := lookup(node.callee.name)) is not None
        and entry.runs_backward
        for node in block.walk()
    )


_STATEMENTS = {
    ast.Let: Checker.let,
    ast.Assign: Checker.assign,
    ast.ExpressionStatement: Checker.expression_statement,
    ast.FunctionDef: Checker.function_def,
    ast.If: Checker.if_statement,
    ast.While: Checker.while_statement,
    ast.For: Checker.for_statement,
    ast.Return: Checker.return_statement,
    ast.Break: Checker.break_statement,
    ast.Continue: Checker.break_statement,
    ast.ModelDef: Checker.model_def,
}

_EXPRESSIONS = {
    ast.Identifier: Checker.identifier,
    ast.IntegerLiteral: Checker.literal,
    ast.FloatLiteral: Checker.literal,
    ast.StringLiteral: Checker.literal,
    ast.BooleanLiteral: Checker.literal,
    ast.BinaryOperation: Checker.binary,
    ast.UnaryOperation: Checker.unary,
    ast.Cast: Checker.cast,
    ast.Range: Checker.range_expression,
    ast.Call: Checker.call,
    ast.Index: Checker.index,
    ast.TupleIndex: Checker.tuple_index,
    ast.TupleLiteral: Checker.tuple_literal,
    ast.ArrayLiteral: Checker.array_literal,
    ast.ArrayRepeat: Checker.array_repeat,
    ast.IfExpression: Checker.if_expression,
    ast.Match: Checker.match,
    ast.Autograd: Checker.autograd,
    ast.ErrorExpression: Checker.error_expression,
}
