"""`charl run FILE`: run a Charl program with the reference interpreter (docs/runtime.md).

Exit codes: 0 success (or a top-level `return`), 1 parse error, runtime error or unreadable file, 2 usage
error, 130 interrupted (Ctrl-C). stdout carries only the program's output; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import sys

BACKENDS = ("reference",)
"""The execution backends `--backend` accepts (the compiled backends will add theirs)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="FILE", help="the program to run ('-' reads stdin)")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default="reference",
        help="execution backend (only 'reference', the NumPy interpreter, exists so far)",
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", help="seed the generator of unseeded tensor_randn/tensor_rand"
    )
    parser.add_argument("--stdin-filename", default="<stdin>", help="the name to report for '-'")


def main(arguments: argparse.Namespace) -> int:
    from charl_core.runtime.context import Context
    from charl_core.runtime.interpreter import run_program
    from charl_core.sources import SourceError, read_source
    from charl_core.syntax.document import DocumentDecodeError

    try:
        source = read_source(arguments.path, arguments.stdin_filename)
    except SourceError as error:
        print(f"charl: error: {error}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"charl: error: {arguments.path}: no such file or directory", file=sys.stderr)
        return 1
    try:
        text = source.data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = DocumentDecodeError(source.data, error.start)
        print(f"charl: error: {source.name}: {problem}; Charl source must be UTF-8", file=sys.stderr)
        return 1
    out = sys.stdout
    if hasattr(out, "reconfigure"):  # block-buffered unless a terminal; Charl output is UTF-8 (§5.4)
        out.reconfigure(encoding="utf-8", errors="surrogateescape", newline="\n")
    context = Context(out=out, seed=arguments.seed)
    return run_program(text, source.name, context)
