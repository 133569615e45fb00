"""Trees of binary operations compiled to one generated Python function (the interpreter's hot path).

A closure per AST node costs a Python call per node; in numeric loops (`total = total + x * 0.5 - j * 0.25`)
those calls are most of the time. So a binary operation, with every binary operation below it, becomes one
function generated from the templates below: operands are read inline (a variable is one dictionary
lookup, a literal a constant), the operations run in the language's order (left operand, right operand,
operation) into temporaries, and the pairs of kinds that dominate numeric code (float/int arithmetic and
comparisons, equality of numbers or strings, the modulo of positive integers) are computed inline. Every
other pair of kinds, and every error, goes through the operator's full rule in `operators.py` with the
span of its own node, so results and error locations are exactly those of the closure-per-node
compilation. Any other sub-expression (a call, an index…) stays a closure.

The generated text comes only from the constants of this module and numbered temporaries; user values are
passed to the factory as arguments, never formatted into code. Factories are cached by their text, so a
program with many expressions of the same shape compiles each shape once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from charl_core import ast
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter.operators import BINARY, INT_MAX, INT_MIN
from charl_core.runtime.interpreter.scopes import BREAK, CONTINUE, MISSING, RETURN
from charl_core.runtime.interpreter.traceback import locate
from charl_core.runtime.values import is_truthy

_ARITHMETIC = """
        ta = type({a})
        tb = type({b})
        if ta is float and (tb is float or tb is int):
            {out} = {a} {symbol} {b}
        elif ta is int and tb is float:
            {out} = {a} {symbol} {b}
        elif ta is int and tb is int and INT_MIN <= ({out} := {a} {symbol} {b}) <= INT_MAX:
            pass
        else:"""
_ARITHMETIC_WITH_FLOAT = """
        t = type({unknown})
        if t is float or t is int:
            {out} = {a} {symbol} {b}
        else:"""
_ARITHMETIC_WITH_INT = """
        t = type({unknown})
        if t is float:
            {out} = {a} {symbol} {b}
        elif t is int and INT_MIN <= ({out} := {a} {symbol} {b}) <= INT_MAX:
            pass
        else:"""
_DIVISION = """
        if type({a}) is float and type({b}) is float and {b}:
            {out} = {a} / {b}
        else:"""
_COMPARISON = """
        ta = type({a})
        if ta is type({b}) and (ta is float or ta is int):
            {out} = {a} {symbol} {b}
        else:"""
_COMPARISON_WITH = """
        if type({unknown}) is {known}:
            {out} = {a} {symbol} {b}
        else:"""
_EQUALITY = """
        ta = type({a})
        if ta is type({b}) and (ta is int or ta is float or ta is str):
            {out} = {a} {symbol} {b}
        else:"""
_MODULO = """
        if type({a}) is int and type({b}) is int and {a} >= 0 and {b} > 0:
            {out} = {a} % {b}
        else:"""
_NONE = """
        if True:"""
_ARITHMETIC_SYMBOLS = frozenset("+-*")
_COMPARISON_SYMBOLS = frozenset(("<", "<=", ">", ">="))


def _fast_path(symbol: str, left: type | None, right: type | None) -> str:
    """Inline code for the pairs of kinds that dominate numeric code, specialised when one operand is a
    literal of known kind (`j + 1`, `x < 0.5`); every other pair goes to the full rule. Each branch must
    give exactly what the full rule of `operators.py` gives for those kinds."""
    known = left if left is not None else right
    unknown = "{b}" if left is not None else "{a}"
    numeric = known in (int, float)
    if symbol in _ARITHMETIC_SYMBOLS:
        if left is None and right is None:
            return _ARITHMETIC
        if not numeric or (left is not None and right is not None):
            return _NONE
        template = _ARITHMETIC_WITH_FLOAT if known is float else _ARITHMETIC_WITH_INT
        return template.replace("{unknown}", unknown)
    if symbol == "/":
        return _DIVISION if left is None and right is None else _NONE
    if symbol in _COMPARISON_SYMBOLS:
        if left is None and right is None:
            return _COMPARISON
        if not numeric or (left is not None and right is not None):
            return _NONE
        return _COMPARISON_WITH.replace("{unknown}", unknown).replace("{known}", known.__name__)
    if symbol == "==" or symbol == "!=":
        return _EQUALITY
    if symbol == "%":  # the dividend's sign (§5.2) is Python's when both operands are positive
        return _MODULO
    return _NONE


_FULL_RULE = """
            try:
                {out} = {operation}(ctx, {a}, {b})
            except CharlError as error:
                raise locate(error, {span}) from None"""

_VARIABLE = """
        try:
            {out} = frame.vars[{name}]
        except KeyError:
            {out} = {late}(frame)"""

_DISOWN = """
        if type({out}) is list:
            frame.disown({name})"""

_CLOSURE = """
        {out} = {closure}(frame)"""

_USES = {
    "value": """
        return {result}
""",
    "assign": """
        variables = frame.vars
        if target not in variables:
            raise locate(CharlError(message), target_span)
        variables[target] = {result}
        if type({result}) is list:
            frame.disown(target)
        return {result}
""",
    "let": """
        record = frame.record
        if record is not None and target not in record:
            record[target] = frame.vars.get(target, MISSING)
        frame.vars[target] = {result}
        if type({result}) is list:
            frame.disown(target)
        return {result}
""",
    "test": """
        if {result} is True or ({result} is not False and is_truthy({result})):
            return then(frame)
        return otherwise(frame)
""",
    "return": """
        state.return_value = {result}
        state.flags |= RETURN
        return {result}
""",
}
"""What the function does with the tree's value: return it (an expression), also store it as an
assignment or a `let` does, run `then` or `otherwise` as an `if` with this condition does, or return it
from the function as a `return` statement does (fused here to save one more call per statement)."""

_WHILE = """
        value = None
        while True:{condition}
            if not ({result} is True or ({result} is not False and is_truthy({result}))):
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
"""
"""A `while` loop whose condition is the tree, evaluated inline before each iteration (§5.8: the flags
are checked after each statement of the body; the loop's value is its last body statement's)."""

LITERALS = (ast.IntegerLiteral, ast.FloatLiteral, ast.StringLiteral, ast.BooleanLiteral)


class Emitter:
    """Collects the generated lines and the values they refer to (`p0`, `p1`, …)."""

    def __init__(self, compiler: Any) -> None:
        self.compiler = compiler
        self.lines: list[str] = []
        self.values: list[Any] = []
        self.temporaries = 0

    def value(self, value: Any) -> str:
        self.values.append(value)
        return f"p{len(self.values) - 1}"

    def temporary(self) -> str:
        self.temporaries += 1
        return f"t{self.temporaries}"

    def emit(self, node: ast.Expression) -> str:
        """Code computing `node`; returns the name holding its value."""
        kind = type(node)
        if kind in LITERALS:
            return self.value(node.value)
        out = self.temporary()
        if kind is ast.Identifier:
            late = self.compiler.identifier(node, escapes=False)
            self.lines.append(_VARIABLE.format(out=out, name=self.value(node.name), late=self.value(late)))
        elif kind is ast.BinaryOperation:
            a, b = self.emit(node.left), self.emit(node.right)
            fast = _fast_path(node.op, _literal_kind(node.left), _literal_kind(node.right))
            operation, span = self.value(BINARY[node.op]), self.value(node.span)
            self.lines.append(fast.format(a=a, b=b, out=out, symbol=node.op))
            self.lines.append(_FULL_RULE.format(a=a, b=b, out=out, operation=operation, span=span))
        else:
            self.lines.append(_CLOSURE.format(out=out, closure=self.value(self.compiler.expression(node))))
        return out

    def emit_escaping(self, node: ast.Expression) -> str:
        """As `emit`, for a value that escapes (a call's argument): an array variable gives up its
        copy-on-write ownership (`scopes.py`), as the closure `ExpressionCompiler.identifier` does."""
        if type(node) is not ast.Identifier:
            return self.emit(node)
        out = self.emit(node)
        self.lines.append(_DISOWN.format(out=out, name=self.value(node.name)))
        return out


def _literal_kind(node: ast.Expression) -> type | None:
    return type(node.value) if type(node) in LITERALS else None


def compile_tree(
    compiler: Any,
    node: ast.BinaryOperation,
    use: str,
    target: str = "",
    message: str = "",
    target_span: Any = None,
    then: Any = None,
    otherwise: Any = None,
    body: tuple = (),
) -> Callable[[Any], Any]:
    """The function computing `node` and using its value as `use` says (a key of `_USES`, or `while`):
    `target`, `message` and `target_span` are an assignment's; `then` and `otherwise` an `if`'s closures;
    `body` a `while` loop's statement closures."""
    emitter = Emitter(compiler)
    result = emitter.emit(node)
    parameters = ", ".join(f"p{index}" for index in range(len(emitter.values)))
    code = "".join(emitter.lines)
    if use == "while":
        code = _WHILE.format(condition=code.replace("\n", "\n    "), result=result)
    else:
        code += _USES[use].format(result=result)
    source = (
        f"def make(ctx, state, target, message, target_span, then, otherwise, body, {parameters}):\n"
        "    def run(frame):" + code + "    return run\n"
    )
    make = _factory(source)
    return make(
        compiler.ctx, compiler.state, target, message, target_span, then, otherwise, body, *emitter.values
    )


NAMESPACE: dict[str, Any] = {
    "CharlError": CharlError,
    "locate": locate,
    "MISSING": MISSING,
    "INT_MIN": INT_MIN,
    "INT_MAX": INT_MAX,
    "is_truthy": is_truthy,
    "BREAK": BREAK,
    "CONTINUE": CONTINUE,
    "RETURN": RETURN,
}
"""The globals of the generated functions (`calls.py` adds its own)."""


@functools.cache
def _factory(source: str) -> Callable[..., Callable[[Any], Any]]:
    namespace = dict(NAMESPACE)
    exec(compile(source, "<charl inline>", "exec"), namespace)
    return namespace["make"]
