"""Expressions compiled to Python closures (LANGUAGE.md §3.3, §5.2–§5.10, §8.0, §9.3–§9.4).

Each AST node becomes, once per run, a closure `run(frame) -> value` that calls the closures of its
children directly: no tree walk, no per-node dispatch on the node type at run time. Operand order, the
moment each error is raised and the errors' texts follow the language exactly.

Errors: a closure that can fail catches `CharlError` and, if no inner expression claimed it yet, records
its own span, so the location reported is the innermost failing expression. Any other exception escaping a
builtin is a bug in that builtin; it becomes a `CharlError` naming the builtin, chained to the original.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from charl_core import ast
from charl_core.builtins import lookup
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter import access, calls, inline
from charl_core.runtime.interpreter.functions import LateBinding
from charl_core.runtime.interpreter.operators import UNARY
from charl_core.runtime.interpreter.scopes import Frame, RunState
from charl_core.runtime.interpreter.traceback import locate
from charl_core.runtime.values import is_truthy, kind_name

Closure = Callable[[Frame], Any]

FLOAT_EPSILON = 2.220446049250313e-16
"""A float pattern matches when `abs(p - v) < ε` (§5.8)."""


def internal_error(name: str, error: Exception, span: ast.Span) -> CharlError:
    """A Python exception escaping a builtin: a bug, reported as a run-time error naming the builtin."""
    located = CharlError(f"{name}(): internal error: {type(error).__name__}: {error}")
    located.span = span
    return located


class ExpressionCompiler:
    """Compiles expressions for one run: closures capture the run's state, context and late binding."""

    def __init__(self, state: RunState, late: LateBinding) -> None:
        self.state = state
        self.ctx = state.ctx
        self.late = late
        self._codes: dict[int, Any] = {}
        self.enclosing: list[str] = []  # names of the `fn` statements around the code being compiled
        self._expressions: dict[type, Callable[[Any], Closure]] = {
            ast.Identifier: self.identifier,
            ast.IntegerLiteral: self.literal,
            ast.FloatLiteral: self.literal,
            ast.StringLiteral: self.literal,
            ast.BooleanLiteral: self.literal,
            ast.BinaryOperation: self.binary,
            ast.UnaryOperation: self.unary,
            ast.Cast: self.cast,
            ast.Range: self.range,
            ast.Call: self.call,
            ast.Index: self.index,
            ast.TupleIndex: self.tuple_index,
            ast.TupleLiteral: self.tuple_literal,
            ast.ArrayLiteral: self.array_literal,
            ast.ArrayRepeat: self.array_repeat,
            ast.IfExpression: self.if_expression,
            ast.Match: self.match,
            ast.Autograd: self.autograd,
        }

    def block(self, node: ast.Block) -> Closure:  # provided by the statement compiler
        raise NotImplementedError

    def expression(self, node: ast.Expression) -> Closure:
        compile_node = self._expressions.get(type(node))
        if compile_node is None:
            return _never_runs(node)
        return compile_node(node)

    def operand(self, node: ast.Expression) -> Closure:
        """An expression whose array value is only read, never stored: a variable keeps its ownership."""
        if type(node) is ast.Identifier:
            return self.identifier(node, escapes=False)
        return self.expression(node)

    # ── names and literals ──

    def identifier(self, node: ast.Identifier, escapes: bool = True) -> Closure:
        name, span, resolve = node.name, node.span, self.late.resolve

        def late(frame: Frame) -> Any:
            try:
                return resolve(frame, name)
            except CharlError as error:
                raise locate(error, span) from None

        if not escapes:

            def read_operand(frame: Frame) -> Any:
                try:
                    return frame.vars[name]
                except KeyError:
                    return late(frame)

            return read_operand

        def read(frame: Frame) -> Any:
            try:
                value = frame.vars[name]
            except KeyError:
                return late(frame)
            if type(value) is list:
                frame.disown(name)
            return value

        return read

    def literal(self, node: Any) -> Closure:
        value = node.value
        return lambda frame: value

    # ── operators ──

    def binary(self, node: ast.BinaryOperation) -> Closure:
        return self.binary_with(node, "value")

    def binary_with(self, node: ast.BinaryOperation, use: str, *args: Any) -> Closure:
        """`node` and the binary operations under it as one generated function (`inline.py`), its result
        used as `use` says: returned, stored by an assignment or a `let`, tested by an `if` or a `while`,
        or returned from the function (`inline.compile_tree` names the other arguments)."""
        return inline.compile_tree(self, node, use, *args)

    def unary(self, node: ast.UnaryOperation) -> Closure:
        operation, span, ctx = UNARY[node.op], node.span, self.ctx
        operand = self.operand(node.operand)

        def run(frame: Frame) -> Any:
            value = operand(frame)
            try:
                return operation(ctx, value)
            except CharlError as error:
                raise locate(error, span) from None

        return run

    def cast(self, node: ast.Cast) -> Closure:
        value, target, span = self.operand(node.value), node.target, node.span

        def run(frame: Frame) -> Any:
            result = value(frame)
            try:
                return access.cast(result, target)
            except CharlError as error:
                raise locate(error, span) from None

        return run

    def range(self, node: ast.Range) -> Closure:
        start, end, inclusive, span = (
            self.expression(node.start),
            self.expression(node.end),
            node.inclusive,
            node.span,
        )

        def run(frame: Frame) -> Any:
            low = start(frame)
            high = end(frame)
            try:
                return access.make_range(low, high, inclusive)
            except CharlError as error:
                raise locate(error, span) from None

        return run

    # ── containers ──

    def tuple_literal(self, node: ast.TupleLiteral) -> Closure:
        elements = tuple(self.expression(e) for e in node.elements)
        return lambda frame: tuple([element(frame) for element in elements])

    def array_literal(self, node: ast.ArrayLiteral) -> Closure:
        elements = tuple(self.expression(e) for e in node.elements)
        return lambda frame: [element(frame) for element in elements]

    def array_repeat(self, node: ast.ArrayRepeat) -> Closure:
        value, count, span = self.expression(node.value), self.expression(node.count), node.span

        def run(frame: Frame) -> Any:
            item = value(frame)
            times = count(frame)
            try:
                return access.repeat(item, times)
            except CharlError as error:
                raise locate(error, span) from None

        return run

    def index(self, node: ast.Index) -> Closure:
        container, index, span, ctx = (
            self.operand(node.value),
            self.expression(node.index),
            node.span,
            self.ctx,
        )

        def run(frame: Frame) -> Any:
            base = container(frame)
            position = index(frame)
            if type(base) is list and type(position) is int and -len(base) <= position < len(base):
                return base[position]
            try:
                return access.index_value(ctx, base, position)
            except CharlError as error:
                raise locate(error, span) from None

        return run

    def tuple_index(self, node: ast.TupleIndex) -> Closure:
        value, position, span = self.operand(node.value), node.index, node.span

        def run(frame: Frame) -> Any:
            base = value(frame)
            try:
                return access.tuple_field(base, position)
            except CharlError as error:
                raise locate(error, span) from None

        return run

    # ── calls ──

    def call(self, node: ast.Call) -> Closure:
        callee = node.callee
        if type(callee) is ast.Identifier and lookup(callee.name) is not None:
            return self.builtin_call(node, callee.name)
        if type(callee) is not ast.Identifier:
            return calls.compile_call(self, self.expression(callee), "", None, node.arguments, node.span)
        return calls.compile_call(
            self, None, callee.name, self._late_callee(callee), node.arguments, node.span
        )

    def _late_callee(self, node: ast.Identifier) -> Closure:
        """What a callee name means when the scopes do not hold it (§9.2 step 2), a common case for a
        callee: a function calling itself, or a top-level function declared later."""
        name, span, resolve = node.name, node.span, self.late.resolve
        if name in self.enclosing:  # step 2a, decided here: the innermost enclosing `fn` of that name
            return calls.enclosing_function(self.enclosing[::-1].index(name))

        def late(frame: Frame) -> Any:
            try:
                return resolve(frame, name)
            except CharlError as error:
                raise locate(error, span) from None

        return late

    def builtin_call(self, node: ast.Call, name: str) -> Closure:
        """§5.7/§8.0: a builtin name always calls the builtin; arguments first, then the arity check."""
        entry, span, ctx = lookup(name), node.span, self.ctx
        # A builtin that keeps no reference to its arguments (the catalog says which) can read a variable
        # without giving up its copy-on-write ownership: `while i < len(xs) { xs[i] = … }` stays linear.
        read = self.expression if entry.keeps_arguments else self.operand
        arguments = tuple(read(a) for a in node.arguments)
        if not entry.accepts_count(len(arguments)):
            message = entry.arity_error(len(arguments))

            def wrong_arity(frame: Frame) -> Any:
                for argument in arguments:
                    argument(frame)
                raise locate(CharlError(message), span)

            return wrong_arity

        def run(frame: Frame) -> Any:
            values = [argument(frame) for argument in arguments]
            implementation = entry.implementation
            try:
                if implementation is None:
                    raise CharlError(f"{name}() is not implemented")
                return implementation(ctx, values)
            except CharlError as error:
                raise locate(error, span) from None
            except (MemoryError, RecursionError, BrokenPipeError):
                raise
            except Exception as error:
                raise internal_error(name, error, span) from error

        return run

    def autograd(self, node: ast.Autograd) -> Closure:
        argument, span, ctx = self.expression(node.argument), node.span, self.ctx

        def run(frame: Frame) -> Any:
            value = argument(frame)
            try:
                from charl_core.runtime import tensor_operators

                return tensor_operators.autograd_form(ctx, value)
            except ImportError:
                raise locate(CharlError("autograd() is not implemented"), span) from None
            except CharlError as error:
                raise locate(error, span) from None

        return run

    # ── conditionals ──

    def if_expression(self, node: ast.IfExpression) -> Closure:
        condition = None if type(node.condition) is ast.BinaryOperation else self.expression(node.condition)
        then = self.block(node.then)
        otherwise = (
            self.if_expression(node.otherwise)
            if isinstance(node.otherwise, ast.IfExpression)
            else self.block(node.otherwise)
        )

        if type(node.condition) is ast.BinaryOperation:
            return self.binary_with(node.condition, "test", "", "", None, then, otherwise)

        def run(frame: Frame) -> Any:
            test = condition(frame)
            if test is True or (test is not False and is_truthy(test)):
                return then(frame)
            return otherwise(frame)

        return run

    def match(self, node: ast.Match) -> Closure:
        subject, span = self.expression(node.value), node.span
        arms = tuple(self._arm(arm) for arm in node.arms)

        def run(frame: Frame) -> Any:
            value = subject(frame)
            for matches, binding, body, scoped in arms:
                if not matches(value):
                    continue
                if not scoped:
                    return body(frame)
                frame.push_scope()  # §5.6: a matched arm opens a scope
                if binding is not None:
                    frame.declare(binding, value)
                result = body(frame)
                frame.pop_scope()
                return result
            message = f"Non-exhaustive match: value {kind_name(value)} didn't match any pattern"
            raise locate(CharlError(message), span)

        return run

    def _arm(self, arm: ast.MatchArm) -> tuple[Callable[[Any], bool], str | None, Closure, bool]:
        pattern, body = arm.pattern, self.expression(arm.value)
        declares = any(isinstance(n, ast.Let | ast.FunctionDef) for n in arm.value.walk())
        if isinstance(pattern, ast.BindingPattern):
            return (lambda value: True), pattern.name.id, body, True
        if isinstance(pattern, ast.LiteralPattern):
            return _literal_test(pattern.value), None, body, declares
        if isinstance(pattern, ast.WildcardPattern):
            return (lambda value: True), None, body, declares
        return (lambda value: False), None, body, False


def _literal_test(literal: Any) -> Callable[[Any], bool]:
    """§5.8: a literal matches only a value of its own kind; floats match within ε."""
    expected = literal.value
    kind = type(expected)
    if kind is float:
        return lambda value: type(value) is float and abs(expected - value) < FLOAT_EPSILON
    return lambda value: type(value) is kind and value == expected


def _never_runs(node: ast.Node) -> Closure:
    """Error nodes exist only in programs with syntax errors, which never run (§3.7)."""

    def run(frame: Frame) -> Any:
        raise locate(CharlError(f"cannot run {type(node).__name__}"), node.span)

    return run
