"""Workspace symbols: functions and variables of the open documents and of the `.ch`/`.charl` files under
the workspace folders (`charl_core.ide.workspace_symbols`).

Files on disk are indexed on demand, in the request's worker thread, and cached by path, modification
time and size, so a query re-reads only files that changed. Open documents win over their file on disk
(the editor's text is newer). Folders that are never source (`.git`, `node_modules`, virtual
environments) are skipped, and the walk stops at `MAX_FILES` files or `MAX_FOLDERS` folders;
unreadable or non-UTF-8 files are skipped with a log line.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from charl_core.analysis import Analysis
from charl_core.ide.workspace_symbols import file_symbols, match_rank
from charl_core.syntax.document import Document, DocumentDecodeError
from charl_core.syntax.positions import Encoding
from charl_ls import convert
from charl_ls.features.navigation import SYMBOL_KIND
from charl_ls.language_server import CharlLanguageServer

logger = logging.getLogger("charl_ls")

SUFFIXES = (".ch", ".charl")
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"})
MAX_FILES = 5000
MAX_FOLDERS = 20_000
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_RESULTS = 500


def register(server: CharlLanguageServer) -> None:
    index = DiskIndex(server)

    @server.request(types.WORKSPACE_SYMBOL, empty=[])
    def workspace_symbols(params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol]:
        """Symbols whose name matches the query, best matches first."""
        candidates: list[tuple[int, str, types.WorkspaceSymbol]] = []
        open_uris = set(server.open_uris())
        for uri in open_uris:
            snapshot = server.snapshot(uri)
            if snapshot is not None:
                with snapshot.lock:
                    candidates += _matches(params.query, _converted(snapshot.analysis))
        for uri, symbols in index.files(_folders(server)):
            if uri not in open_uris:
                candidates += _matches(params.query, symbols)
        candidates.sort(key=lambda item: (item[0], item[1]))
        return [symbol for _, _, symbol in candidates[:MAX_RESULTS]]


def _folders(server: CharlLanguageServer) -> list[Path]:
    found = [to_fs_path(folder.uri) for folder in server.workspace.folders.values()]
    if not found and server.workspace.root_path:
        found.append(server.workspace.root_path)
    return [Path(path) for path in found if path]


def _matches(
    query: str, symbols: list[types.WorkspaceSymbol]
) -> list[tuple[int, str, types.WorkspaceSymbol]]:
    found = []
    for symbol in symbols:
        rank = match_rank(query, symbol.name)
        if rank is not None:
            found.append((rank, symbol.name, symbol))
    return found


def _converted(analysis: Analysis) -> list[types.WorkspaceSymbol]:
    return [
        types.WorkspaceSymbol(
            name=symbol.name,
            kind=SYMBOL_KIND.get(symbol.kind, types.SymbolKind.Variable),
            location=convert.location(analysis, symbol.name_span),
            container_name=symbol.container,
        )
        for symbol in file_symbols(analysis)
    ]


class DiskIndex:
    """Converted symbols of the files under the folders, keyed by path and refreshed when a file's
    modification time or size changes."""

    def __init__(self, server: CharlLanguageServer) -> None:
        self._server = server
        self._lock = threading.Lock()
        self._cache: dict[Path, tuple[tuple[int, int], str, list[types.WorkspaceSymbol]]] = {}

    def files(self, folders: list[Path]) -> list[tuple[str, list[types.WorkspaceSymbol]]]:
        with self._lock:
            seen: dict[Path, tuple[tuple[int, int], str, list[types.WorkspaceSymbol]]] = {}
            for path in _source_files(folders):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                key = (stat.st_mtime_ns, stat.st_size)
                cached = self._cache.get(path)
                if cached is None or cached[0] != key:
                    uri = from_fs_path(str(path)) or path.as_uri()
                    symbols = _read_symbols(path, uri, stat.st_size, self._server.documents.encoding)
                    cached = (key, uri, symbols)
                seen[path] = cached
            self._cache = seen
            return [(uri, symbols) for _, uri, symbols in seen.values()]


def _source_files(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    visited = 0
    for folder in folders:
        for directory, subdirectories, files in os.walk(folder):
            visited += 1
            if visited > MAX_FOLDERS:  # a workspace opened on a home directory, say
                logger.warning(
                    "workspace symbols: more than %d folders, the rest are not searched", MAX_FOLDERS
                )
                return found
            subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_FOLDERS)
            for name in sorted(files):
                if name.endswith(SUFFIXES):
                    found.append(Path(directory) / name)
                    if len(found) >= MAX_FILES:
                        logger.warning(
                            "workspace symbols: more than %d files, the rest are not indexed", MAX_FILES
                        )
                        return found
    return found


def _read_symbols(path: Path, uri: str, size: int, encoding: Encoding) -> list[types.WorkspaceSymbol]:
    if size > MAX_FILE_BYTES:
        logger.info("workspace symbols: %s is larger than %d bytes, skipped", path, MAX_FILE_BYTES)
        return []
    try:
        document = Document.from_bytes(path.read_bytes())
    except (OSError, DocumentDecodeError) as error:
        logger.info("workspace symbols: %s skipped: %s", path, error)
        return []
    return _converted(Analysis.of_document(document, uri, encoding))
