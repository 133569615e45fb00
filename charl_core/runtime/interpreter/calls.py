"""User-function calls (LANGUAGE.md §5.7, §9.2) as one generated function per kind of call site.

A call is the interpreter's most expensive step after a loop iteration: a closure for the call, one for the
callee's name, a list comprehension for the arguments, a function running the call and one running the
body's block cost a Python call each. So the call closure is generated from the template below for its
arguments: the callee's name and simple arguments are read inline, and the parameters are bound, the
depth counted, the body's statements run and a pending `return` taken without a further call. The order
of the steps, each error's text and each error's location are those of §5.7: callee, kind check, arity
check, arguments left to right, depth limit, body.

The `Frame` of a call comes from `RunState.frames`, one per depth, reused: nothing keeps a frame after its
call (closures receive it as an argument, function values copy its variables), and a Python object
creation costs more than resetting one. It is emptied when the call ends, even by an error, so it holds
no value alive and no stale copy-on-write ownership.

A callee name that the scopes do not hold (a function calling itself or a later top-level function, §9.2)
falls back to a resolver. §9.2 step 2a (a name of a function the call site is lexically inside) is decided
when compiling: the function's value is then `frame.function` (or its `outer`, once per level of nesting),
since a frame runs only the body of the function it holds and `outer` is the function whose call created
it, i.e. the lexically enclosing one. Every other name goes through `LateBinding.resolve`.

The generated text comes only from the constants of this module and numbered names; user values are passed
to the factory as arguments, never formatted into code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from charl_core.ast import Span
from charl_core.runtime.interpreter import inline
from charl_core.runtime.interpreter.functions import MAX_CALL_DEPTH, RECURSION_MESSAGE, Function
from charl_core.runtime.interpreter.scopes import NOT_OWNED, Frame
from charl_core.runtime.values import kind_name

Closure = Callable[[Frame], Any]

_ABSENT: Any = object()

_CALL = """
def make(ctx, state, callee, name, late, span, {parameters}):
    frames = state.frames
    def run(frame):
        {callee}
        if type(target) is not Function:
            raise locate(CharlError(not_callable(target)), span)
        code = target.code
        parameters = code.parameters
        if len(parameters) != {count}:
            raise locate(CharlError(wrong_count(len(parameters), {count})), span){evaluate}
        depth = state.depth
        if depth >= MAX_CALL_DEPTH:
            raise locate(CharlError(RECURSION_MESSAGE), span)
        variables = target.snapshot.copy()
        {bind}
        try:
            inner = frames[depth]
        except IndexError:
            inner = Frame(None, None)
            frames.append(inner)
        inner.vars = variables
        inner.function = target
        state.depth = depth + 1
        value = None
        try:
            for statement in code.body:
                value = statement(inner)
                if state.flags & RETURN:
                    state.flags &= ~RETURN
                    value = state.return_value
                    state.return_value = None
                    break
        except CharlError as error:
            error.frames.append((code.name, span))
            raise locate(error, span) from None
        finally:
            state.depth = depth
            inner.vars = inner.function = inner.record = inner.outer_records = None
            inner.owned = NOT_OWNED
        return value
    return run
"""

_CALLEE_EXPRESSION = "target = callee(frame)"
_CALLEE_NAME = """target = frame.vars.get(name, ABSENT)
        if target is ABSENT:
            target = late(frame)"""


def not_callable(value: Any) -> str:
    return f"Cannot call non-function value: {kind_name(value)}"


def wrong_count(expected: int, count: int) -> str:
    return f"Wrong number of arguments: expected {expected}, got {count}"


def compile_call(
    compiler: Any, callee: Closure | None, name: str, late: Closure | None, arguments: list, span: Span
) -> Closure:
    """The closure of a call with the argument expressions `arguments`. The callee is the closure
    `callee`, or (when it is None) the variable `name` with `late` for a name the scopes do not hold.
    The arguments are emitted inline as `inline.py` emits operands (a variable read, a literal, an
    operator tree inline, anything else a closure), an argument variable giving up its copy-on-write
    ownership since its value escapes into the callee."""
    emitter = inline.Emitter(compiler)
    names = [emitter.emit_escaping(argument) for argument in arguments]
    count = len(names)
    source = _CALL.format(
        parameters=", ".join(f"p{index}" for index in range(len(emitter.values))),
        callee=_CALLEE_NAME if callee is None else _CALLEE_EXPRESSION,
        count=count,
        evaluate="".join(emitter.lines),
        bind="\n        ".join(f"variables[parameters[{i}]] = {name}" for i, name in enumerate(names))
        or "pass",
    )
    make = _factory(source)
    return make(compiler.ctx, compiler.state, callee, name, late, span, *emitter.values)


def enclosing_function(levels: int) -> Closure:
    """§9.2 step 2a: the function whose body the call site is in (`levels` = 0) or one enclosing it."""
    if levels == 0:
        return lambda frame: frame.function

    def read(frame: Frame) -> Function:
        function = frame.function
        for _ in range(levels):
            function = function.outer
        return function

    return read


@functools.cache
def _factory(source: str) -> Callable[..., Closure]:
    namespace: dict[str, Any] = {
        **inline.NAMESPACE,
        "ABSENT": _ABSENT,
        "Frame": Frame,
        "Function": Function,
        "NOT_OWNED": NOT_OWNED,
        "MAX_CALL_DEPTH": MAX_CALL_DEPTH,
        "RECURSION_MESSAGE": RECURSION_MESSAGE,
        "not_callable": not_callable,
        "wrong_count": wrong_count,
    }
    exec(compile(source, "<charl call>", "exec"), namespace)
    return namespace["make"]
