"""The `charl-ls` command: the language server over stdio (what editors start), or over TCP for debugging
(`--tcp 127.0.0.1:2087`, then point the editor at that port and watch the log).

Logs go to `--log-file` when given, else to stderr (which editors show in their server output); stdout
belongs to the protocol.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from charl_core import __version__
from charl_ls.features import register_all
from charl_ls.language_server import CharlLanguageServer


def build_server() -> CharlLanguageServer:
    server = CharlLanguageServer()
    register_all(server)
    return server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="charl-ls", description="The Charl language server.")
    parser.add_argument("--version", action="version", version=f"charl-ls {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve over stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="serve one client over TCP, for debugging")
    parser.add_argument("--log-file", metavar="PATH", help="write the log here instead of stderr")
    parser.add_argument(
        "--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"), help="default: INFO"
    )
    args = parser.parse_args(argv)
    address = _address(parser, args.tcp) if args.tcp else None
    _configure_logging(args.log_file, args.log_level)
    server = build_server()
    if address is not None:
        server.start_tcp(*address)
    else:
        server.start_io()
    return 0


def _address(parser: argparse.ArgumentParser, text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        parser.error(f"--tcp expects HOST:PORT, such as 127.0.0.1:2087, got {text!r}")
    return host, int(port)


def _configure_logging(path: str | None, level: str) -> None:
    handler: logging.Handler
    try:
        handler = logging.FileHandler(path, encoding="utf-8") if path else logging.StreamHandler(sys.stderr)
    except OSError as error:
        print(f"charl-ls: cannot write the log to {path}: {error.strerror}", file=sys.stderr)
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)  # pygls logs every message at INFO
    logging.getLogger("charl_ls").setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
