"""`charl`: the command line (`charl check`, `charl parse`, `charl run`, `charl fmt`).
Diagnostics print as `FILE:LINE:COL: severity[CODE]: message`, 1-based, columns counted in
Unicode characters; `--format json` prints the same facts as a JSON array.

Exit codes: 0 success, 1 when any error was found (or a file could not be read), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charl_core import __version__

if TYPE_CHECKING:  # the analysis is imported by the commands that need it, inside main()'s guard
    from charl_core.diagnostics import Diagnostic
    from charl_core.sources import SourceFile
    from charl_core.syntax.positions import LineIndex


@dataclass(frozen=True, slots=True)
class Located:
    """A diagnostic in the units the command line reports: 1-based lines, columns in characters."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: str
    code: str
    message: str

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"


def locate(file: str, index: LineIndex, diagnostic: Diagnostic) -> Located:
    line, column = index.display_position(diagnostic.span.start)
    end_line, end_column = index.display_position(diagnostic.span.end)
    return Located(
        file,
        line,
        column,
        end_line,
        end_column,
        diagnostic.severity.label,
        diagnostic.code,
        diagnostic.message,
    )


@dataclass(frozen=True, slots=True)
class FileReport:
    diagnostics: list[Located]
    let_types: list[str]  # `FILE:LINE:COL: let NAME: TYPE` lines for --show-types


def check_source(source: SourceFile) -> FileReport:
    """Every diagnostic of one file (`Analysis.diagnostics`: the checker runs only on text without syntax
    errors); a file that is not UTF-8 gets one E001 at the first bad byte."""
    from charl_core.analysis import Analysis
    from charl_core.syntax.document import Document, DocumentDecodeError
    from charl_core.types import display

    try:
        document = Document.from_bytes(source.data)
    except DocumentDecodeError as error:
        line, column = error.line, error.column
        message = f"file is not valid UTF-8 (invalid byte 0x{error.byte:02x}); Charl source must be UTF-8"
        return FileReport(
            [Located(source.name, line, column, line, column + 1, "error", "E001", message)], []
        )
    analysis = Analysis.of_document(document, source.name)
    index = analysis.lines
    types: list[str] = []
    if analysis.check is not None:
        for name, inferred in sorted(analysis.check.let_types.values(), key=lambda item: item[0].span.start):
            line, column = index.display_position(name.span.start)
            types.append(f"{source.name}:{line}:{column}: let {name.id}: {display(inferred)}")
    located = [locate(source.name, index, diagnostic) for diagnostic in analysis.diagnostics()]
    return FileReport(located, types)


def command_check(arguments: argparse.Namespace) -> int:
    from charl_core.sources import SourceError, collect_paths, read_source

    files, problems = collect_paths(arguments.paths)
    results: list[Located] = []
    let_types: list[str] = []
    for path in files:
        try:
            report = check_source(read_source(path, arguments.stdin_filename))
        except SourceError as error:
            problems.append(str(error))
            continue
        results.extend(report.diagnostics)
        let_types.extend(report.let_types)
    for problem in problems:
        print(f"charl: error: {problem}", file=sys.stderr)
    if arguments.format == "json":
        json.dump([vars_of(result) for result in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for result in results:
            print(result.text())
        if arguments.show_types:
            print("\n".join(let_types))
        _print_summary(results, len(files))
    failed = bool(problems) or any(result.severity == "error" for result in results)
    return 1 if failed else 0


def vars_of(result: Located) -> dict[str, object]:
    return {
        "file": result.file,
        "line": result.line,
        "column": result.column,
        "end_line": result.end_line,
        "end_column": result.end_column,
        "severity": result.severity,
        "code": result.code,
        "message": result.message,
    }


def _print_summary(results: list[Located], file_count: int) -> None:
    errors = sum(result.severity == "error" for result in results)
    warnings = sum(result.severity == "warning" for result in results)
    files = f"{file_count} file" + ("" if file_count == 1 else "s")
    if errors or warnings:
        print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {files}", file=sys.stderr)
    else:
        print(f"no problems in {files}", file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def command_parse(arguments: argparse.Namespace) -> int:
    from charl_core.sources import SourceError, read_source
    from charl_core.syntax.document import Document, DocumentDecodeError

    try:
        source = read_source(arguments.path)
        document = Document.from_bytes(source.data)
    except SourceError as error:
        print(f"charl: error: {error}", file=sys.stderr)
        return 1
    except DocumentDecodeError as error:
        print(f"charl: error: {arguments.path}: {error}", file=sys.stderr)
        return 1
    if arguments.ast:
        from charl_core.syntax.lower import lower
        from charl_core.syntax.tree_text import ast_text

        print(ast_text(lower(document.tree, document.source)))
    else:
        from charl_core.syntax.tree_text import syntax_tree_text

        print(syntax_tree_text(document.tree, document.source, document.lines))
    return 1 if document.tree.root_node.has_error else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="charl", description="The Charl language toolchain.")
    parser.add_argument("--version", action="version", version=f"charl {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="report syntax errors and problems in Charl files")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories ('-' reads stdin)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("--stdin-filename", default="<stdin>", help="the name to report for '-'")
    check.add_argument(
        "--show-types", action="store_true", help="also print the inferred type of every let (text format)"
    )
    check.set_defaults(handler=command_check)

    parse = commands.add_parser("parse", help="print the syntax tree of a file (a debugging aid)")
    parse.add_argument("path", metavar="FILE", help="a Charl file ('-' reads stdin)")
    parse.add_argument("--ast", action="store_true", help="print the lowered AST instead")
    parse.set_defaults(handler=command_parse)

    for name, module, summary in DELEGATED:
        _delegate(commands, name, module, summary)
    return parser


DELEGATED = (
    ("run", "charl_core.runtime.cli", "run a Charl program"),
    ("fmt", "formatter.cli", "format Charl files"),
)
"""Commands whose arguments and handler live with the package that does the work: the module provides
`configure(parser)` (cheap: no heavy imports) and `main(arguments) -> int`."""


def _delegate(commands: argparse._SubParsersAction, name: str, module_name: str, summary: str) -> None:
    from importlib import import_module

    try:
        module = import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return  # that milestone has not landed yet
    parser = commands.add_parser(name, help=summary)
    module.configure(parser)
    parser.set_defaults(handler=module.main)


def main(argv: Sequence[str] | None = None) -> int:
    """The console script. Everything heavy (the analysis, the runtime) is imported inside the guard, so a
    Ctrl-C during start-up also ends with the one-line message, never a Python traceback."""
    try:
        arguments = build_parser().parse_args(argv)
        return arguments.handler(arguments)
    except KeyboardInterrupt:
        print("charl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
