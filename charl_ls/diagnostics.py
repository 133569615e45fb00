"""Diagnostics for the editor: pushed after a pause in typing, or pulled by clients that ask.

Push (`textDocument/publishDiagnostics`): each edit restarts a per-document timer of
`charl.diagnostics.debounceMs` (50 ms by default); when it fires, the check of the then-current version is
queued on the check worker (`charl_ls.snapshots.Checks`), which skips it if the version is no longer
current when its turn comes. A result that went stale while it was computed is never published, so the
editor only ever sees the diagnostics of the text it holds.

Pull (`textDocument/diagnostic`, LSP 3.17): answered like any query, from the snapshot of the version
asked about. Clients that announce pull support get no pushes (as ruff's server does): VS Code keeps the
two kinds in separate collections and would show every diagnostic twice.

Invariant: one check per document version, shared by push, pull and the queries that need types.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from charl_ls import convert

if TYPE_CHECKING:
    from charl_ls.language_server import CharlLanguageServer
    from charl_ls.snapshots import Snapshot

logger = logging.getLogger("charl_ls")

DEBOUNCE_SETTING = "diagnostics.debounceMs"
DEFAULT_DEBOUNCE_MS = 50


class DiagnosticsPublisher:
    def __init__(self, server: CharlLanguageServer) -> None:
        self.server = server
        self.push = True
        """False once the client announced pull diagnostics."""
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def edited(self, uri: str, immediately: bool = False) -> None:
        """Restart the document's timer; call on the event loop after each open or change."""
        self._cancel_timer(uri)
        if not self.push:
            return
        delay = 0.0 if immediately else _debounce_seconds(self.server)
        self._timers[uri] = asyncio.get_running_loop().call_later(delay, self._start, uri)

    def closed(self, uri: str) -> None:
        self._cancel_timer(uri)
        if self.push:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    def _cancel_timer(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def _start(self, uri: str) -> None:
        self._timers.pop(uri, None)
        snapshot = self.server.snapshot(uri)
        if snapshot is None:
            if uri in self.server.refused:  # whatever was shown before no longer applies
                self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
            return
        check = asyncio.wrap_future(self.server.checks.start(snapshot))
        check.add_done_callback(lambda done: self._convert(snapshot, done))  # runs on the event loop

    def _convert(self, snapshot: Snapshot, check: asyncio.Future[bool]) -> None:
        if check.cancelled() or check.exception() is not None or not check.result():
            return  # skipped as stale, or the server is shutting down
        if not self.server.is_current(snapshot):
            return
        job = asyncio.wrap_future(self.server.queries.submit(self._compute, snapshot))
        job.add_done_callback(lambda done: self._publish(snapshot, done))

    @staticmethod
    def _compute(snapshot: Snapshot) -> list[types.Diagnostic]:
        with snapshot.lock:
            return convert.diagnostics(snapshot.analysis)

    def _publish(self, snapshot: Snapshot, job: asyncio.Future[list[types.Diagnostic] | None]) -> None:
        try:
            found = job.result()
        except Exception:
            logger.exception("computing the diagnostics of %s failed", snapshot.analysis.uri)
            found = []
        if found is None or not self.server.is_current(snapshot):
            return
        analysis = snapshot.analysis
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(analysis.uri, found, analysis.version)
        )

    def shutdown(self) -> None:
        for uri in list(self._timers):
            self._cancel_timer(uri)


def report(
    analysis_diagnostics: list[types.Diagnostic], previous_result_id: str | None
) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
    """A pull answer; its result id is a digest of the diagnostics, so "unchanged" means unchanged."""
    digest = hashlib.blake2b(repr(analysis_diagnostics).encode(), digest_size=12).hexdigest()
    if previous_result_id == digest:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=digest)
    return types.RelatedFullDocumentDiagnosticReport(items=analysis_diagnostics, result_id=digest)


def _debounce_seconds(server: CharlLanguageServer) -> float:
    milliseconds = server.setting(DEBOUNCE_SETTING)
    return min(max(float(milliseconds), 0.0), 1000.0) / 1000.0
