"""Statements and blocks compiled to closures (LANGUAGE.md §3.2, §5.5–§5.8, §9.1).

Every statement closure returns the statement's value (§5.7: a function without `return` gives the value of
the last statement it ran). Control flow is flags on the run state, not Python exceptions, because the
language defines it as flags: `break`/`continue` set a flag that only loops check, after each statement of
their own body (so statements after `break` in the same `if` block still run, and a flag set in a called
function acts on the caller's loop); a pending `return` stops every block and loop up to the call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from charl_core import ast
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter import access, inline
from charl_core.runtime.interpreter.expressions import Closure, ExpressionCompiler
from charl_core.runtime.interpreter.functions import Function, FunctionCode
from charl_core.runtime.interpreter.scopes import BREAK, CONTINUE, MISSING, RETURN, Frame
from charl_core.runtime.interpreter.traceback import locate
from charl_core.runtime.values import is_truthy, kind_name


def _nothing(frame: Frame) -> Any:
    return None


class Compiler(ExpressionCompiler):
    """Compiles a whole program for one run."""

    def program(self, program: ast.Program) -> Closure:
        return self.statements(program.statements)

    def function_code(self, node: ast.FunctionDef) -> FunctionCode:
        """The compiled code of a `fn` statement, once per statement: the statement and §9.2's late binding
        of top-level functions share it."""
        code = self._codes.get(id(node))
        if code is None:
            parameters = tuple(parameter.name.id for parameter in node.parameters)
            self.enclosing.append(node.name.id)
            try:
                body = self._body(node.body)
            finally:
                self.enclosing.pop()
            code = FunctionCode(node.name.id, parameters, body, node.span)
            self._codes[id(node)] = code
        return code

    def statement(self, node: ast.Statement) -> Closure:
        compile_node = _STATEMENTS.get(type(node))
        if compile_node is None:
            return _unsupported(node)
        return compile_node(self, node)

    def block(self, node: ast.Block) -> Closure:
        return self.statements(node.statements)

    def statements(self, nodes: list[ast.Statement]) -> Closure:
        """A block: its statements in order, stopping when a `return` is pending; its value is the last
        statement's (null when empty)."""
        compiled = tuple(self.statement(node) for node in nodes)
        if not compiled:
            return _nothing
        if len(compiled) == 1:
            return compiled[0]
        state = self.state

        def run(frame: Frame) -> Any:
            value = None
            for statement in compiled:
                value = statement(frame)
                if state.flags & RETURN:
                    return value
            return value

        return run

    # ── bindings ──

    def let(self, node: ast.Let) -> Closure:
        if type(node.value) is ast.BinaryOperation:
            return self.binary_with(node.value, "let", node.name.id)
        name, value = node.name.id, self.expression(node.value)

        def run(frame: Frame) -> Any:
            result = value(frame)
            record = frame.record
            if record is not None and name not in record:
                record[name] = frame.vars.get(name, MISSING)
            frame.vars[name] = result
            if type(result) is list:
                frame.disown(name)
            return result

        return run

    def assign(self, node: ast.Assign) -> Closure:
        target, value = node.target, node.value
        if type(target) is ast.Identifier and type(value) is ast.BinaryOperation:
            message = f"Cannot assign to undefined variable: {target.name}"
            return self.binary_with(value, "assign", target.name, message, target.span)
        value = self.expression(value)
        if type(target) is ast.Identifier:
            return self._assign_variable(target, value)
        indices: list[ast.Expression] = []
        root = target
        while type(root) is ast.Index:
            indices.append(root.index)
            root = root.value
        if type(root) is not ast.Identifier or not indices:
            span = target.span

            def invalid(frame: Frame) -> Any:
                value(frame)
                raise locate(CharlError("Invalid assignment target"), span)

            return invalid
        indices.reverse()
        return self._assign_index(root.name, tuple(self.expression(i) for i in indices), value, target.span)

    def _assign_variable(self, target: ast.Identifier, value: Closure) -> Closure:
        name, span = target.name, target.span
        message = f"Cannot assign to undefined variable: {name}"

        def run(frame: Frame) -> Any:
            result = value(frame)
            variables = frame.vars
            if name not in variables:
                raise locate(CharlError(message), span)
            variables[name] = result
            if type(result) is list:
                frame.disown(name)
            return result

        return run

    def _assign_index(
        self, name: str, indices: tuple[Closure, ...], value: Closure, span: ast.Span
    ) -> Closure:
        """`name[i]… = value`: the value first, then the indices (§5.9); the array is written in place
        when this binding owns it (see `scopes.py`), so the `xs[i] = …` loop idiom stays linear."""

        def run(frame: Frame) -> Any:
            result = value(frame)
            positions = [index(frame) for index in indices]
            try:
                positions = [access.assignment_index(position) for position in positions]
                try:
                    root = frame.vars[name]
                except KeyError:
                    raise CharlError(f"Undefined variable: {name}") from None
                frame.vars[name] = access.store(name, root, positions, result, name in frame.owned)
                frame.own(name)
            except CharlError as error:
                raise locate(error, span) from None
            return result

        return run

    def expression_statement(self, node: ast.ExpressionStatement) -> Closure:
        return self.expression(node.expression)

    def function(self, node: ast.FunctionDef) -> Closure:
        """`fn`: a function value capturing a snapshot of the environment, bound in the current scope after
        the snapshot is taken (§5.7; a self-call resolves through §9.2)."""
        code = self.function_code(node)
        name = code.name

        def run(frame: Frame) -> Any:
            function = Function(code, frame.snapshot(), frame.function)
            frame.declare(name, function)
            return function

        return run

    # ── control flow ──

    def if_statement(self, node: ast.If) -> Closure:
        fused = type(node.condition) is ast.BinaryOperation
        condition = None if fused else self.expression(node.condition)
        then = self.block(node.then)
        otherwise = node.otherwise
        if otherwise is None:
            alternative = _nothing
        elif isinstance(otherwise, ast.If):
            alternative = self.if_statement(otherwise)  # §9.1: `else if` is `else { if … }`
        else:
            alternative = self.block(otherwise)
        if fused:
            return self.binary_with(node.condition, "test", "", "", None, then, alternative)

        def run(frame: Frame) -> Any:
            test = condition(frame)
            if test is True or (test is not False and is_truthy(test)):
                return then(frame)
            return alternative(frame)

        return run

    def while_loop(self, node: ast.While) -> Closure:
        if type(node.condition) is ast.BinaryOperation:
            return self.binary_with(node.condition, "while", "", "", None, None, None, self._body(node.body))
        condition, body, state = self.expression(node.condition), self._body(node.body), self.state

        def run(frame: Frame) -> Any:
            value = None
            while True:
                test = condition(frame)
                if not (test is True or (test is not False and is_truthy(test))):
                    return value
                for statement in body:
                    value = statement(frame)
                    flags = state.flags
                    if flags:
                        if flags & RETURN:
                            return value
                        if flags & BREAK:
                            state.flags = flags & ~BREAK
                            return value
                        if flags & CONTINUE:
                            state.flags = flags & ~CONTINUE
                            break

        return run

    def for_loop(self, node: ast.For) -> Closure:
        """One scope for the whole loop, holding the loop variable; the loop runs over the array as it was
        when the iterable was evaluated (§5.8)."""
        name, iterable, body, state = (
            node.variable.id,
            self.expression(node.iterable),
            self._body(node.body),
            self.state,
        )
        span = node.iterable.span

        def run(frame: Frame) -> Any:
            items = iterable(frame)
            if type(items) is not list:
                raise locate(CharlError(f"Cannot iterate over type {kind_name(items)}"), span)
            variables = frame.vars
            frame.push_scope()
            frame.record[name] = variables.get(name, MISSING)
            value = None
            for item in items:
                variables[name] = item
                if type(item) is list:
                    frame.disown(name)
                for statement in body:
                    value = statement(frame)
                    flags = state.flags
                    if flags:
                        if flags & RETURN:
                            frame.pop_scope()
                            return value
                        if flags & BREAK:
                            state.flags = flags & ~BREAK
                            frame.pop_scope()
                            return value
                        if flags & CONTINUE:
                            state.flags = flags & ~CONTINUE
                            break
            frame.pop_scope()
            return value

        return run

    def _body(self, node: ast.Block) -> tuple[Closure, ...]:
        return tuple(self.statement(statement) for statement in node.statements)

    def return_statement(self, node: ast.Return) -> Closure:
        if type(node.value) is ast.BinaryOperation:
            return self.binary_with(node.value, "return")
        state, node_value = self.state, node.value
        if node_value is None or type(node_value) in inline.LITERALS:
            constant = False if node_value is None else node_value.value  # a bare `return` gives false (§3.2)

            def return_constant(frame: Frame) -> Any:
                state.return_value = constant
                state.flags |= RETURN
                return constant

            return return_constant
        if type(node_value) is ast.Identifier:
            return self._return_variable(node_value)
        value = self.expression(node_value)

        def run(frame: Frame) -> Any:
            result = value(frame)
            state.return_value = result
            state.flags |= RETURN
            return result

        return run

    def _return_variable(self, node: ast.Identifier) -> Closure:
        """`return name`, the variable read inline (as `identifier` reads it: the array escapes)."""
        name, read, state = node.name, self.identifier(node), self.state

        def run(frame: Frame) -> Any:
            try:
                result = frame.vars[name]
            except KeyError:
                result = read(frame)
            if type(result) is list:
                frame.disown(name)
            state.return_value = result
            state.flags |= RETURN
            return result

        return run

    def break_statement(self, node: ast.Break) -> Closure:
        return self._flag(BREAK)

    def continue_statement(self, node: ast.Continue) -> Closure:
        return self._flag(CONTINUE)

    def _flag(self, bit: int) -> Closure:
        state = self.state

        def run(frame: Frame) -> Any:
            state.flags |= bit
            return None

        return run


def _unsupported(node: ast.Statement) -> Closure:
    """`model` blocks and error statements are syntax errors (§9.6, §3.7): such programs never run."""

    def run(frame: Frame) -> Any:
        raise locate(CharlError(f"cannot run {type(node).__name__}"), node.span)

    return run


_STATEMENTS: dict[type, Callable[[Compiler, Any], Closure]] = {
    ast.Let: Compiler.let,
    ast.Assign: Compiler.assign,
    ast.ExpressionStatement: Compiler.expression_statement,
    ast.FunctionDef: Compiler.function,
    ast.If: Compiler.if_statement,
    ast.While: Compiler.while_loop,
    ast.For: Compiler.for_loop,
    ast.Return: Compiler.return_statement,
    ast.Break: Compiler.break_statement,
    ast.Continue: Compiler.continue_statement,
}
