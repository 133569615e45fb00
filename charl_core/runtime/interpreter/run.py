"""Running one program: parse, refuse on syntax errors, compile, execute, report (LANGUAGE.md §3.7, §5.5).

Exit codes: 0 (finished, or a top-level `return`), 1 (parse error or runtime error), 130 (interrupted).
Nothing but the Charl error text reaches stderr: `CharlError` is reported with its location and Charl
stack; an exception that is not a `CharlError` is a bug in this implementation and is reported as an
internal error (with the Python traceback only when `CHARL_DEBUG=1`).

The program runs on a thread with a large stack and a raised Python recursion limit: Charl calls nest
Python calls, and the language's own limit (10 000 user calls, `functions.py`) must be reached first.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import traceback as python_traceback
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np

from charl_core import ast
from charl_core.runtime import library
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter.functions import LateBinding
from charl_core.runtime.interpreter.scopes import Frame, RunState
from charl_core.runtime.interpreter.statements import Compiler
from charl_core.runtime.interpreter.traceback import RUNTIME_HEADER, parse_error_text, runtime_error_text
from charl_core.syntax.document import Document
from charl_core.syntax.errors import syntax_diagnostics

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130

THREAD_STACK_BYTES = 512 * 1024 * 1024
PYTHON_RECURSION_LIMIT = 400_000
"""Enough Python frames for 10 000 nested Charl calls with deep expressions in each; the thread's stack
holds the C frames of the recursion that goes through C (printing deeply nested arrays)."""


def run_program(text: str, path: str, ctx: Context, stderr: TextIO | None = None) -> int:
    """Run the Charl program `text` (named `path` in messages) with `ctx`; returns the exit code."""
    errors = stderr if stderr is not None else sys.stderr
    document = Document(text)
    problems = syntax_errors(document)
    if problems:
        errors.write(parse_error_text(path, problems))
        return EXIT_ERROR
    outcome: list[int] = []
    _raise_recursion_limit()
    worker = threading.Thread(
        target=lambda: outcome.append(_execute(document, path, ctx, errors)), name="charl-run", daemon=True
    )
    try:
        _start_with_large_stack(worker)
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        _interrupt(worker)
        _flush(ctx)
        errors.write("charl: interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        _restore_recursion_limit()
    return outcome[0] if outcome else EXIT_ERROR


_limit_lock = threading.Lock()
_runs_in_progress = 0
_saved_limit = 0


def _raise_recursion_limit() -> None:
    """Python's recursion limit is process-wide: the first of concurrent runs raises it, the last restores
    it, so a long run never loses its limit to a short one that ends first."""
    global _runs_in_progress, _saved_limit
    with _limit_lock:
        if _runs_in_progress == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, PYTHON_RECURSION_LIMIT))
        _runs_in_progress += 1


def _restore_recursion_limit() -> None:
    global _runs_in_progress
    with _limit_lock:
        _runs_in_progress -= 1
        if _runs_in_progress == 0:
            sys.setrecursionlimit(_saved_limit)


@dataclass(frozen=True, slots=True)
class Captured:
    """The observable result of a run: what `charl run` would write and return."""

    stdout: str
    stderr: str
    code: int


def run_captured(text: str, path: str = "<program>", **context: Any) -> Captured:
    """Run `text` with output captured in memory (tests, builtin examples).
    `context` sets `Context` fields such as `seed` or `no_gpu`."""
    out, errors = io.StringIO(), io.StringIO()
    code = run_program(text, path, Context(out=out, **context), errors)
    return Captured(out.getvalue(), errors.getvalue(), code)


def syntax_errors(document: Document) -> list[tuple[int, int, str]]:
    """(line, column, message) of each syntax error; warnings (W215) do not stop a run."""
    lines = document.lines
    found = [
        (*lines.display_position(d.span.start), d.message)
        for d in syntax_diagnostics(document.tree, document.source, lines.display_position)
        if d.is_error
    ]
    if not found and document.tree.root_node.has_error:
        found.append((1, 1, "syntax error"))
    return found


def _execute(document: Document, path: str, ctx: Context, errors: TextIO) -> int:
    """Compile and run on the current thread; report a runtime error."""
    lines = document.lines
    try:
        from charl_core.syntax.lower import lower

        program = lower(document.tree, document.source)
        library.load()
        main, frame = compile_program(program, ctx)
        with np.errstate(all="ignore"):  # IEEE overflow and NaN are data (§6.9), never warnings on stderr
            main(frame)
    except CharlError as error:
        _flush(ctx)
        errors.write(runtime_error_text(error, path, lines))
        _debug_traceback(error.__cause__, errors)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of stdout went away (`charl run f.ch | head`): stop quietly
        _silence(ctx)
        return EXIT_OK
    except RecursionError:
        _flush(ctx)
        errors.write(f"{RUNTIME_HEADER}\nvalue or expression nested too deeply for this interpreter\n")
        return EXIT_ERROR
    except MemoryError:
        _flush(ctx)
        errors.write(f"{RUNTIME_HEADER}\nout of memory\n")
        return EXIT_ERROR
    except Exception as error:  # a bug of the interpreter itself: still no Python traceback for the user
        _flush(ctx)
        errors.write(f"{RUNTIME_HEADER}\ninternal error: {type(error).__name__}: {error}\n")
        _debug_traceback(error, errors)
        return EXIT_ERROR
    _flush(ctx)
    return EXIT_OK


def compile_program(program: ast.Program, ctx: Context) -> tuple[Any, Frame]:
    """The program's closure and the global frame it runs in."""
    state = RunState(ctx)
    late = LateBinding(state, {})
    compiler = Compiler(state, late)
    main = compiler.program(program)
    for statement in program.statements:  # §9.2: the *last* top-level `fn` of each name
        if isinstance(statement, ast.FunctionDef):
            late.top_level[statement.name.id] = compiler.function_code(statement)
    frame = Frame({}, None)
    state.global_frame = frame
    return main, frame


def _flush(ctx: Context) -> None:
    flush = getattr(ctx.out, "flush", None)
    if flush is not None:
        flush()


def _silence(ctx: Context) -> None:
    """Point stdout at /dev/null so that the final flush at exit cannot fail again."""
    if ctx.out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _debug_traceback(error: BaseException | None, errors: TextIO) -> None:
    if error is not None and os.environ.get("CHARL_DEBUG") == "1":
        errors.write("".join(python_traceback.format_exception(error)))


STACK_SIZES = (THREAD_STACK_BYTES, 64 * 1024 * 1024)
"""Thread stack sizes to try, largest first: a process with a small address-space limit gets a smaller one."""


def _start_with_large_stack(worker: threading.Thread) -> None:
    for size in STACK_SIZES:
        previous = threading.stack_size(size)
        try:
            worker.start()
            return
        except RuntimeError:  # "can't start new thread": not enough address space for this stack
            continue
        finally:
            threading.stack_size(previous)
    worker.run()  # last resort: on this thread, with its own stack


def _interrupt(worker: threading.Thread) -> None:
    """Deliver Ctrl-C to the running program (signals reach only the main thread) and give it a moment to
    unwind; a program stuck in a long NumPy call is abandoned (the thread is a daemon)."""
    import ctypes

    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(KeyboardInterrupt)
        )
    worker.join(1.0)
