"""`CharlLanguageServer`: the state at the edge (open documents, settings, worker threads) and the
decorators through which features register guarded handlers. `charl_ls/__init__.py` documents the
feature table and the decorators' contract.

Threads: pygls reads messages on an asyncio loop. Document edits and notifications are applied there, in
order, and are cheap (an incremental reparse). Every query runs on a worker thread against the snapshot
(`Analysis`) of the version it was sent for, taken on the loop when the request arrives, so its positions
always match the text the client saw. Checks are not interruptible; a stale one is never started (and
its result never published), and requests on newer versions do not wait for it.

Invariant: no handler raises to pygls; a failure is logged with its traceback and answered with the
handler's declared empty result. Only deliberate protocol answers pass through as errors: `RequestRefused`
(a message for the user) and `JsonRpcContentModified` (a result for text that changed meanwhile).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from charl_core import __version__
from charl_core.analysis import Workspace
from charl_core.syntax.positions import Encoding
from charl_ls.diagnostics import DEBOUNCE_SETTING, DEFAULT_DEBOUNCE_MS, DiagnosticsPublisher
from charl_ls.settings import Settings, SettingValue
from charl_ls.snapshots import Checks, Snapshot

logger = logging.getLogger("charl_ls")

Handler = TypeVar("Handler", bound=Callable[..., Any])

_BINARY_PROBE = 8000
"""Bytes examined to tell a binary file from source text, as git does."""


class CharlProtocol(LanguageServerProtocol):
    """pygls' protocol, minus its own copy of each document: `CharlLanguageServer` keeps the text in
    `charl_core`'s `Document`, edited incrementally with its tree. pygls' copy would cost a second
    O(file) string rebuild per keystroke on the event loop."""

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class CharlLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "charl-ls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=CharlProtocol,
        )
        self.documents = Workspace()
        self.refused: dict[str, str] = {}
        """Open documents that are not Charl source (binary, not UTF-8), with the reason shown."""
        self.settings = Settings()
        self.queries = ThreadPoolExecutor(max_workers=4, thread_name_prefix="charl-query")
        self._snapshots: dict[str, Snapshot] = {}
        self._documents_lock = threading.RLock()
        """Guards `documents` and the snapshot table: edits arrive on the event loop, snapshots are also
        taken on worker threads (workspace symbols)."""
        self._generations: dict[str, int] = {}
        self._edit_count = itertools.count()
        self._settings_listeners: list[Callable[[], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        """The event loop pygls reads messages on (seen by the first query), for messages from workers."""
        self.checks = Checks(self.is_current)
        self.diagnostics = DiagnosticsPublisher(self)
        self.declare_setting(
            DEBOUNCE_SETTING,
            DEFAULT_DEBOUNCE_MS,
            "Milliseconds of quiet after a keystroke before diagnostics are recomputed and published.",
        )

    # ── documents ──

    def snapshot(self, uri: str) -> Snapshot | None:
        """The current version of an open, accepted document."""
        with self._documents_lock:
            if uri in self.refused:
                return None
            found = self._snapshots.get(uri)
            if found is None:
                analysis = self.documents.analysis(uri)
                if analysis is None:
                    return None
                found = self._snapshots[uri] = Snapshot(analysis, self._generations[uri])
            return found

    def open_uris(self) -> list[str]:
        with self._documents_lock:
            return self.documents.uris()

    def is_current(self, snapshot: Snapshot) -> bool:
        """Whether no edit, close or reopen came after `snapshot`; callable from any thread."""
        return self._generations.get(snapshot.analysis.uri) == snapshot.generation

    def open_document(self, uri: str, text: str, version: int) -> None:
        with self._documents_lock:
            self._open(uri, text, version)

    def change_document(self, uri: str, changes: list[Any], version: int) -> None:
        with self._documents_lock:
            self._change(uri, changes, version)

    def close_document(self, uri: str) -> None:
        with self._documents_lock:
            self._close(uri)

    def _open(self, uri: str, text: str, version: int) -> None:
        self.documents.open(uri, text, version)
        self._generations[uri] = next(self._edit_count)
        self._snapshots.pop(uri, None)
        self._judge(uri, _lone_surrogate(text))

    def _change(self, uri: str, changes: list[Any], version: int) -> None:
        self.documents.change(uri, changes, version)
        self._generations[uri] = next(self._edit_count)
        self._snapshots.pop(uri, None)
        self._judge(uri, False)

    def _close(self, uri: str) -> None:
        self.checks.closed(uri)
        self.documents.close(uri)
        self._generations.pop(uri, None)
        self._snapshots.pop(uri, None)
        self.refused.pop(uri, None)

    def _judge(self, uri: str, surrogates: bool) -> None:
        """Refuse a document that is not source text, telling the user once; accept it again if an edit
        makes it text."""
        analysis = self.documents.analysis(uri)
        reason = "it is not valid UTF-8" if surrogates else None
        if reason is None and analysis is not None:
            reason = binary_reason(analysis.source)
        if reason is None:
            self.refused.pop(uri, None)
            return
        if uri not in self.refused:
            message = f"charl-ls does not analyse {uri.rsplit('/', 1)[-1]}: {reason}"
            logger.warning("%s (%s)", message, uri)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
        self.refused[uri] = reason

    def warn_user(self, message: str) -> None:
        """Show `message` in the editor from any thread: pygls writes to the client only from its event
        loop, so a worker thread (every query runs on one) schedules the notification there."""
        logger.warning("%s", message)
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        params = types.ShowMessageParams(types.MessageType.Warning, message)
        loop.call_soon_threadsafe(self.window_show_message, params)

    def set_encoding(self, encoding: str) -> None:
        self.documents.encoding = Encoding(encoding)

    # ── settings ──

    def declare_setting(self, key: str, default: SettingValue, doc: str) -> None:
        self.settings.declare(key, default, doc)

    def setting(self, key: str) -> SettingValue:
        return self.settings.get(key)

    def on_settings_changed(self, callback: Callable[[], None]) -> None:
        self._settings_listeners.append(callback)

    def apply_settings(self, raw: Any, notify: bool = True) -> None:
        """Validate and adopt the `charl` section; `notify=False` during `initialize`, when the listeners'
        refresh requests would break LSP's rule that the server sends no request before answering it."""
        for problem in self.settings.update(raw):
            logger.warning("%s", problem)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, problem))
        if not notify:
            return
        for callback in self._settings_listeners:
            try:
                callback()
            except Exception:
                logger.exception("settings listener %r failed", callback)

    # ── registering guarded handlers ──

    def query(
        self, method: str, options: Any = None, empty: Any = None, complete: bool = False
    ) -> Callable[[Handler], Handler]:
        """A request about `params.text_document.uri`, answered from that version's snapshot on a worker
        thread; `complete` waits for the check however long it takes. See the package docstring."""

        def decorate(handler: Handler) -> Handler:
            async def run(params: Any) -> Any:
                uri = params.text_document.uri
                snapshot = self.snapshot(uri)
                if snapshot is None:
                    return empty
                cancelled = threading.Event()

                def answer() -> Any:
                    if cancelled.is_set():
                        return empty
                    if complete:
                        snapshot.diagnostics(self.checks)
                    view = snapshot.analysis if complete else snapshot.view(self.checks)
                    with snapshot.lock:
                        return handler(view, params)

                return await self._off_loop(answer, cancelled, method, empty)

            self.feature(method, options)(run)
            return handler

        return decorate

    def request(self, method: str, options: Any = None, empty: Any = None) -> Callable[[Handler], Handler]:
        """A request not tied to one document, answered on a worker thread."""

        def decorate(handler: Handler) -> Handler:
            async def run(params: Any) -> Any:
                cancelled = threading.Event()
                return await self._off_loop(lambda: handler(params), cancelled, method, empty)

            self.feature(method, options)(run)
            return handler

        return decorate

    def notification(self, method: str, options: Any = None) -> Callable[[Handler], Handler]:
        """A notification, handled on the event loop (in order with the edits)."""

        def decorate(handler: Handler) -> Handler:
            def run(params: Any) -> None:
                try:
                    handler(params)
                except Exception:
                    logger.exception("%s failed", method)

            self.feature(method, options)(run)
            return handler

        return decorate

    def command(self, name: str, empty: Any = None) -> Callable[[Handler], Handler]:
        """A `workspace/executeCommand` command; the handler gets the list of arguments."""

        def decorate(handler: Handler) -> Handler:
            async def run(*arguments: Any) -> Any:
                cancelled = threading.Event()
                return await self._off_loop(lambda: handler(list(arguments)), cancelled, name, empty)

            super(CharlLanguageServer, self).command(name)(run)
            return handler

        return decorate

    async def _off_loop(
        self, work: Callable[[], Any], cancelled: threading.Event, what: str, empty: Any
    ) -> Any:
        self._loop = asyncio.get_running_loop()
        try:
            return await asyncio.wrap_future(self.queries.submit(_guarded, work, what, empty))
        except asyncio.CancelledError:
            cancelled.set()  # a query still queued never starts
            raise

    def shutdown(self) -> None:
        self.diagnostics.shutdown()
        self.checks.shutdown()
        self.queries.shutdown(wait=False, cancel_futures=True)
        super().shutdown()


class RequestRefused(JsonRpcException):
    """A deliberate refusal with a message for the user (renaming a builtin): answered as LSP's
    RequestFailed error, which editors display, instead of the silent empty result of a failure."""

    CODE = -32803


def _guarded(work: Callable[[], Any], what: str, empty: Any) -> Any:
    try:
        return work()
    except JsonRpcException:  # a deliberate protocol answer: RequestRefused, ContentModified
        raise
    except Exception:
        logger.exception("%s failed; answering %r", what, empty)
        return empty


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def binary_reason(source: bytes) -> str | None:
    """Why `source` looks like a binary file rather than Charl text, or None. git's rule (a NUL in the
    first 8000 bytes), plus text decoded from invalid UTF-8: many U+FFFD replacement characters or
    control characters there."""
    probe = source[:_BINARY_PROBE]
    if b"\0" in probe:
        return "it looks like a binary file (it contains NUL bytes)"
    odd = probe.count("\ufffd".encode()) + sum(probe.count(bytes([c])) for c in _CONTROL_BYTES)
    if odd > max(8, len(probe) // 50):
        return "it is not UTF-8 text (it is full of control or undecodable characters)"
    return None


_CONTROL_BYTES = tuple(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0C, 0x0D))
