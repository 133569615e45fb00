"""Where findings go, and whether each is an error or a warning (LANGUAGE.md §4.6).

An E-class finding is an error only on a path certain to run: top-level code, branches and loop bodies whose
condition is decided on entry, bodies of functions called on such a path, and only while nothing certain has
failed before it (the program stops at the first error). Anywhere else it is a warning with the same code
and the prefix `if reached: `; inside a function that is never referenced it is W209.

While a function body is checked for one call (`collecting`), nothing is reported: the failures certain to
happen in it are collected so the checker can report them at the call site.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from charl_core.ast import Span
from charl_core.diagnostics import Diagnostic, Severity, sort_key

IF_REACHED = "if reached: "


class Reporter:
    def __init__(self, stopped: bool = False) -> None:
        """`stopped`: something certain already failed before the code this reporter hears about."""
        self._found: dict[tuple[int, int, str, str], Diagnostic] = {}
        self._certain = True
        self._executed = True
        self._stopped = stopped
        self._collector: list[tuple[str, str]] | None = None
        self.asked_where_certain = False
        """Whether `certain` was read at a point where the code certainly runs. When it never was, every read
        answered False whatever `stopped` was, so checking the same code with the other `stopped` would go
        exactly the same way: the incremental checker then reuses the result across a change of the
        program's certain-failure state (`check/incremental.py`)."""

    @property
    def certain(self) -> bool:
        """Whether code at this point certainly runs (and nothing certain failed before it)."""
        if self._certain:
            self.asked_where_certain = True
        return self._certain and not self._stopped

    @property
    def collecting_call(self) -> bool:
        """Whether a function body is being checked for one call (its types are that call's, not general)."""
        return self._collector is not None

    def context(self, *, certain: bool, executed: bool = True) -> _Context:
        """Code inside runs only if `certain` (and is executed only if `executed`) on top of what holds."""
        return _Context(self, certain, executed)

    @contextmanager
    def collecting(self, certain: bool) -> Iterator[list[tuple[str, str]]]:
        """Check one call's body: collect what certainly fails in it, report nothing."""
        saved = self._collector, self._certain, self._stopped
        failures: list[tuple[str, str]] = []
        self._collector, self._certain, self._stopped = failures, certain, False
        try:
            yield failures
        finally:
            self._collector, self._certain, self._stopped = saved

    def error(self, code: str, message: str, span: Span, **data: object) -> None:
        if self._collector is not None:
            if self.certain:
                self._collector.append((code, message))
                self._stopped = True
            return
        if not self._executed:
            self._add(Diagnostic(span, Severity.WARNING, "W209", f"(never executed) {message}", (), data))
        elif self.certain:
            self._add(Diagnostic(span, Severity.ERROR, code, message, (), data or None))
            self._stopped = True
        else:
            self._add(Diagnostic(span, Severity.WARNING, code, IF_REACHED + message, (), data or None))

    def warning(self, code: str, message: str, span: Span, **data: object) -> None:
        if self._collector is not None:
            return
        self._add(Diagnostic(span, Severity.WARNING, code, message, (), data or None))

    def _add(self, diagnostic: Diagnostic) -> None:
        core = diagnostic.message.removeprefix(IF_REACHED)
        key = (diagnostic.span.start, diagnostic.span.end, diagnostic.code, core)
        known = self._found.get(key)
        if known is None or (known.severity is Severity.WARNING and diagnostic.severity is Severity.ERROR):
            self._found[key] = diagnostic

    def diagnostics(self) -> list[Diagnostic]:
        return sorted(self._found.values(), key=sort_key)


class _Context:
    """`Reporter.context`: a class rather than a generator, because every branch and loop pass of the
    checker enters one and a generator-based context manager cost several times as much."""

    __slots__ = ("certain", "executed", "reporter", "saved")

    def __init__(self, reporter: Reporter, certain: bool, executed: bool) -> None:
        self.reporter, self.certain, self.executed = reporter, certain, executed
        self.saved = (True, True)

    def __enter__(self) -> None:
        reporter = self.reporter
        self.saved = reporter._certain, reporter._executed
        reporter._certain = reporter._certain and self.certain
        reporter._executed = reporter._executed and self.executed

    def __exit__(self, *exception: object) -> None:
        self.reporter._certain, self.reporter._executed = self.saved
