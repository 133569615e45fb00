"""Latency of the language server, driven like an editor drives it: `charl-ls` as a subprocess over stdio.

Run as `python3 bench/lsp.py [--sizes 1000,5000,20000]`. Prints, per program size (generated realistic
programs, `charl_core.testing.programs`), the median and p95 of:

- keystroke → published diagnostics: from sending a one-character `didChange` inside a function body to
  receiving `publishDiagnostics` for that version, and the same minus the debounce (50 ms); then the
  first hover on that version, sent as soon as its diagnostics arrive;
- hover on names; completion at the start of a statement (every name in scope, every builtin and keyword)
  and after two letters of a name; semantic tokens (full) of the whole file;

plus the server's resident memory after the run. Targets at 5,000 lines (issue 5): keystroke → published
minus the debounce p95 ≤ 30 ms, hover p95 ≤ 10 ms. Asserts nothing (STYLE.md: timing lives in bench/).
Hover and completion are measured after the diagnostics of the current version have been published, as
when someone stops typing and points at a name; the first hover of a new version may wait for its check.
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charl_core.testing.programs import generate_large_program  # noqa: E402

READ_NAME = re.compile(r"= ([A-Za-z_][A-Za-z_0-9]{2,})\b(?!\s*\()")
DEBOUNCE_S = 0.050
KEYSTROKES = 25
HOVERS = 60
COMPLETIONS = 25
TOKENS = 8
CAPABILITIES = {
    "textDocument": {
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {"completionItem": {"snippetSupport": True}},
        "semanticTokens": {
            "requests": {"full": {"delta": True}, "range": True},
            "tokenTypes": [],
            "tokenModifiers": [],
            "formats": ["relative"],
        },
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
    },
    "general": {"positionEncodings": ["utf-16"]},
}


class StdioClient:
    """A minimal LSP client: JSON-RPC over the server's stdin/stdout, one reader thread."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
        self._next_id = 0
        self._responses: dict[int, queue.Queue[Any]] = {}
        self.notifications: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            received = time.perf_counter()
            if "id" in message and "method" in message:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                self._responses.pop(message["id"]).put(message)
            else:
                self.notifications.put((received, message))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: Any, timeout: float = 120) -> Any:
        self._next_id += 1
        answer: queue.Queue[Any] = queue.Queue()
        self._responses[self._next_id] = answer
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        message = answer.get(timeout=timeout)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, uri: str, version: int, timeout: float = 300) -> float:
        """The time the diagnostics of `version` arrived."""
        deadline = time.perf_counter() + timeout
        while True:
            received, message = self.notifications.get(timeout=max(deadline - time.perf_counter(), 0.001))
            params = message.get("params") or {}
            published = message.get("method") == "textDocument/publishDiagnostics"
            if published and params.get("uri") == uri and params.get("version") == version:
                return received

    def memory_mib(self) -> tuple[float, float]:
        """Resident and peak resident memory of the server process."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(lines: int, rng: random.Random) -> dict[str, tuple[float, float]]:
    text = generate_large_program(lines, seed=11)
    rows = text.split("\n")
    client = StdioClient([sys.executable, "-m", "charl_ls.server", "--log-level", "WARNING"])
    init = client.request("initialize", {"processId": None, "rootUri": None, "capabilities": CAPABILITIES})
    client.notify("initialized", {})
    uri = f"file:///bench/program_{lines}.ch"
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "charl", "version": 1, "text": text}},
    )
    client.diagnostics_for(uri, 1)
    results: dict[str, tuple[float, float]] = {}

    # keystrokes: change one digit of a number inside a function body (the text stays valid)
    bodies = [n for n, row in enumerate(rows) if row.startswith("    ") and any(c.isdigit() for c in row)]
    names = [
        (n, row.index("let ") + 4)
        for n, row in enumerate(rows)
        if "let " in row and not row.lstrip().startswith("//")
    ]
    latencies, first_hovers = [], []
    version = 1
    for _ in range(KEYSTROKES):
        line = rng.choice(bodies)
        column = next(i for i, c in enumerate(rows[line]) if c.isdigit())
        digit = str((int(rows[line][column]) + 1) % 10)
        rows[line] = rows[line][:column] + digit + rows[line][column + 1 :]
        version += 1
        change = {
            "range": {
                "start": {"line": line, "character": column},
                "end": {"line": line, "character": column + 1},
            },
            "text": digit,
        }
        sent = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        published = client.diagnostics_for(uri, version)
        latencies.append(published - sent)
        line, column = rng.choice(names)
        sent = time.perf_counter()
        client.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}},
        )
        first_hovers.append(time.perf_counter() - sent)
    results["keystroke → diagnostics"] = percentiles(latencies)
    results["  minus the debounce"] = percentiles([max(t - DEBOUNCE_S, 0.0) for t in latencies])
    results["first hover after an edit"] = percentiles(first_hovers)

    samples = []
    for line, column in rng.sample(names, min(HOVERS, len(names))):
        sent = time.perf_counter()
        client.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}},
        )
        samples.append(time.perf_counter() - sent)
    results["hover"] = percentiles(samples)

    starts = [(line, len(rows[line]) - len(rows[line].lstrip())) for line, _ in names]
    typed = [  # two letters into a name read in an expression: `= we|ights`
        (line, match.start(1) + 2)
        for line, row in enumerate(rows)
        for match in [READ_NAME.search(row)]
        if match is not None and not row.lstrip().startswith("//")
    ]
    for label, positions in (("completion, statement start", starts), ("completion, 2 letters typed", typed)):
        samples = []
        for line, column in rng.sample(positions, min(COMPLETIONS, len(positions))):
            sent = time.perf_counter()
            client.request(
                "textDocument/completion",
                {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}},
            )
            samples.append(time.perf_counter() - sent)
        results[label] = percentiles(samples)

    if init["capabilities"].get("semanticTokensProvider"):
        samples = []
        for _ in range(TOKENS):
            sent = time.perf_counter()
            client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
            samples.append(time.perf_counter() - sent)
        results["semantic tokens (full)"] = percentiles(samples)
    rss, peak = client.memory_mib()
    results["server memory, MiB (resident, peak)"] = (rss, peak)
    client.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,5000,20000", help="program sizes in lines (default: %(default)s)"
    )
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    rng = random.Random(5)
    table = {size: measure(size, rng) for size in sizes}
    rows = list(next(iter(table.values())))
    print(f"{'ms: median / p95':38}" + "".join(f"{size:>18,} lines" for size in sizes))
    for row in rows:
        cells = "".join(f"{table[size][row][0]:>12.1f} / {table[size][row][1]:<10.1f}" for size in sizes)
        print(f"{row:38}{cells}")


if __name__ == "__main__":
    main()
