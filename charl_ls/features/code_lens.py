"""The `▶ Run | Run on GPU | Profile` lens at the top of each file (a Charl program is the whole file; it
has no `main`), and the commands it is bound to.

ARCHITECTURE.md decision 6: user code never runs in the server process. `charl.run` starts
`python -m charl_core.cli run FILE` as a subprocess, on the file as saved, and answers its exit code and
output, once the interpreter's CLI (`charl_core.runtime.cli`) exists; until then, and for `charl.runOnGpu`
and `charl.profile` (the editor-integration work), each command answers `{"available": false, "message":
…}` and shows that message.
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from charl_core.analysis import Analysis
from charl_ls.language_server import CharlLanguageServer

logger = logging.getLogger("charl_ls")

RUN_TIMEOUT_S = 300


COMMANDS: tuple[tuple[str, str], ...] = (
    ("charl.run", "▶ Run"),
    ("charl.runOnGpu", "Run on GPU"),
    ("charl.profile", "Profile"),
)


def register(server: CharlLanguageServer) -> None:
    @server.query(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False), empty=[])
    def lenses(analysis: Analysis, params: types.CodeLensParams) -> list[types.CodeLens]:
        """Three lenses on the first line, each passing the document's URI to its command."""
        top = types.Range(types.Position(0, 0), types.Position(0, 0))
        return [
            types.CodeLens(top, types.Command(title=title, command=name, arguments=[analysis.uri]))
            for name, title in COMMANDS
        ]

    @server.command("charl.run", empty={"available": False, "message": "charl.run failed"})
    def run(arguments: list[Any]) -> dict[str, Any]:
        """Run the file in a `charl run` subprocess and answer its output."""
        path = _path_argument(arguments)
        if path is None:
            return _unavailable(server, "charl.run expects the URI of a file on disk")
        if importlib.util.find_spec("charl_core.runtime.cli") is None:
            return _unavailable(server, "Run is not available yet: this version of Charl has no interpreter")
        return _run_subprocess(path)

    @server.command("charl.runOnGpu", empty={"available": False})
    def run_on_gpu(arguments: list[Any]) -> dict[str, Any]:
        """Not available yet: the editor-integration issue adds it."""
        return _unavailable(server, "Run on GPU is not available yet in this version of charl-ls")

    @server.command("charl.profile", empty={"available": False})
    def profile(arguments: list[Any]) -> dict[str, Any]:
        """Not available yet: the editor-integration issue adds it."""
        return _unavailable(server, "Profile is not available yet in this version of charl-ls")


def _path_argument(arguments: list[Any]) -> str | None:
    if not arguments or not isinstance(arguments[0], str):
        return None
    uri = arguments[0]
    return to_fs_path(uri) if uri.startswith("file:") else None


def _unavailable(server: CharlLanguageServer, message: str) -> dict[str, Any]:
    server.window_show_message(types.ShowMessageParams(types.MessageType.Info, message))
    return {"available": False, "message": message}


def _run_subprocess(path: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "charl_core.cli", "run", path]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return {"available": True, "exitCode": None, "message": f"charl run stopped after {RUN_TIMEOUT_S} s"}
    return {"available": True, "exitCode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
