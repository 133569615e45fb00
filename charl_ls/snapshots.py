"""Snapshots of document versions, and the one check each version gets.

A `Snapshot` is one version of one document as the handlers see it. Its check (the type and shape
checker, the slow part: ~11 s for the first check of a 50,000-line file; incremental afterwards) runs
at most once, on its document's check worker (`Checks`), started by the diagnostics timer or by the first
query that needs types. A check of a version that is no longer current when the worker reaches it is
skipped; a running one cannot be interrupted (it is pure Python), so each document's worker has one
thread: checks of two versions in parallel would only share the interpreter lock. Documents get separate
workers, so a huge file being checked never delays the diagnostics of a small one.

Queries never wait long for a check: `Snapshot.view` waits at most `TYPES_WAIT_S` for it, and otherwise
answers from an `UncheckedAnalysis` of the same version, which has names, signatures, builtin
documentation and the outline but no types, exactly as for text with a syntax error. Hover right after a
keystroke in a small file still shows types (its check takes milliseconds); in a huge file it answers at
once and the types appear when the check lands.

Invariant: `Analysis.check` of a snapshot is only read after `checked` is set, so a query and the check
worker never compute it twice; everything else an analysis computes on first use is computed under
`Snapshot.lock`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from pygls.exceptions import JsonRpcContentModified

from charl_core import ast
from charl_core.analysis import Analysis
from charl_core.check import CheckResult
from charl_core.check.symbols import SymbolTable
from charl_core.diagnostics import Diagnostic

logger = logging.getLogger("charl_ls")

TYPES_WAIT_S = 0.5
"""How long a query waits for the check of its version before answering without types."""


class UncheckedAnalysis(Analysis):
    """A view of a snapshot whose check has not finished: everything but types. Shares the snapshot's
    tree, AST and symbol table (computed once); never starts the checker."""

    check = None  # shadows the computed-on-first-use checker result

    def __init__(self, full: Analysis) -> None:
        super().__init__(
            full.uri, full.version, full.source, full.tree, full.lines, full.parsed_end, full.encoding
        )
        self._full = full

    @property
    def program(self) -> ast.Program:  # type: ignore[override]
        return self._full.program

    @property
    def symbols(self) -> SymbolTable:  # type: ignore[override]
        return self._full.symbols

    @property
    def syntax_diagnostics(self) -> list[Diagnostic]:  # type: ignore[override]
        return self._full.syntax_diagnostics


@dataclass(slots=True, eq=False)
class Snapshot:
    """One version of one document: its analysis, the lock under which queries compute its parts, and
    its check (`checked` is set once the check has run)."""

    analysis: Analysis
    generation: int  # unique to this version of this document (a reopen gets a new one)
    lock: threading.Lock = field(default_factory=threading.Lock)
    checked: threading.Event = field(default_factory=threading.Event)
    check_job: Future[bool] | None = None
    _unchecked: UncheckedAnalysis | None = None

    def view(self, checks: Checks, wait_s: float = TYPES_WAIT_S) -> Analysis:
        """The analysis to answer a query from: the full one if its check is done within `wait_s`
        (starting it if nobody has), else the unchecked view. Call with `lock` not held."""
        if not self.checked.is_set():
            checks.start(self)
            self.checked.wait(wait_s)
        if self.checked.is_set():
            return self.analysis
        if self._unchecked is None:
            self._unchecked = UncheckedAnalysis(self.analysis)
        return self._unchecked

    def diagnostics(self, checks: Checks) -> list[Diagnostic]:
        """All diagnostics of this version, waiting for its check. Raises `JsonRpcContentModified` if
        the worker skipped the check because the text changed meanwhile: LSP's answer for a result that
        no longer applies (the client asks again for the new version)."""
        job = checks.start(self)
        if not job.result():
            raise JsonRpcContentModified(f"{self.analysis.uri} changed while its diagnostics were awaited")
        with self.lock:
            return self.analysis.diagnostics()

    def _check(self) -> None:
        """Run the check. Only what the check itself reads is computed first, under the lock queries
        take; the symbol table (a full pass over the AST) is left to the queries that need it, so a
        keystroke costs the diagnostics path only the incremental check."""
        with self.lock:
            self.analysis.syntax_diagnostics  # noqa: B018 (computed once; the check reads it)
        checked: CheckResult | None = self.analysis.check
        del checked
        with self.lock:
            self.analysis.diagnostics()
        self.checked.set()


class Checks:
    """One check worker per open document. `is_current` says whether a snapshot is still the latest."""

    def __init__(self, is_current: Callable[[Snapshot], bool]) -> None:
        self._is_current = is_current
        self._workers: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    def start(self, snapshot: Snapshot) -> Future[bool]:
        """The snapshot's check job, submitted on first call; its result says whether it ran."""
        with self._lock:
            if snapshot.check_job is None:
                uri = snapshot.analysis.uri
                worker = self._workers.get(uri)
                if worker is None:
                    worker = self._workers[uri] = ThreadPoolExecutor(1, thread_name_prefix="charl-check")
                snapshot.check_job = worker.submit(self._run, snapshot)
            return snapshot.check_job

    def closed(self, uri: str) -> None:
        """Drop the document's worker; a check it is running finishes and is discarded."""
        with self._lock:
            worker = self._workers.pop(uri, None)
        if worker is not None:
            worker.shutdown(wait=False, cancel_futures=True)

    def _run(self, snapshot: Snapshot) -> bool:
        if snapshot.checked.is_set():
            return True
        if not self._is_current(snapshot):
            return False  # stale before it started: never run
        try:
            snapshot._check()
        except Exception:
            logger.exception("checking %s failed", snapshot.analysis.uri)
            snapshot.checked.set()  # queries then get whatever the analysis can give
        return True

    def shutdown(self) -> None:
        with self._lock:
            workers, self._workers = list(self._workers.values()), {}
        for worker in workers:
            worker.shutdown(wait=False, cancel_futures=True)
