"""`charl fmt`: format Charl files in place, or check or show what formatting would change (as ruff and
black do).

    charl fmt [PATH…]            format files and directories (default: the current directory)
    charl fmt --check PATH…      change nothing; exit 1 if any file would be reformatted
    charl fmt --diff PATH…       change nothing; print a unified diff; exit 1 if any file would change
    charl fmt - [--stdin-filename NAME] < in > out    format stdin to stdout

Options come from `[tool.charl.format]` (`formatter/config.py`); `--line-width` overrides them.

Exit codes: 0 success (nothing to do, or everything formatted); 1 `--check`/`--diff` found files that would
change; 2 a file could not be read or formatted (syntax errors, or a safety check failed: such a file is
left untouched), a configuration error, or a usage error (argparse). Messages go to stderr:
`error: cannot format FILE: reason`, then a summary such as `2 files reformatted, 3 files left unchanged`.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from charl_core.sources import STDIN, SourceError, collect_paths, read_source
from charl_core.syntax.document import DocumentDecodeError

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Format Charl files: one style, and never a change in what a program means."
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: '.'); '-' reads stdin"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    mode.add_argument("--diff", action="store_true", help="write nothing; print the changes as a diff")
    parser.add_argument(
        "--stdin-filename", metavar="NAME", help="the name of the file read from '-' (for messages, settings)"
    )
    parser.add_argument(
        "--line-width", type=int, metavar="N", help="the maximum line width (overrides the configuration)"
    )


class _Summary:
    def __init__(self) -> None:
        self.changed = 0
        self.unchanged = 0
        self.errors = 0

    def text(self, dry_run: bool) -> str:
        parts = []
        if self.changed:
            verb = "would be reformatted" if dry_run else "reformatted"
            parts.append(f"{_files(self.changed)} {verb}")
        if self.unchanged:
            verb = "already formatted" if dry_run else "left unchanged"
            parts.append(f"{_files(self.unchanged)} {verb}")
        if self.errors:
            parts.append(f"{_files(self.errors)} could not be formatted")
        return ", ".join(parts) if parts else "no files formatted"


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def main(arguments: argparse.Namespace) -> int:
    from formatter.api import FormatError, format_text
    from formatter.config import ConfigError, check_line_width, options_lookup

    paths = arguments.paths or ["."]
    if STDIN in paths and len(paths) > 1:
        print("charl: error: '-' (stdin) cannot be combined with other paths", file=sys.stderr)
        return EXIT_ERROR
    try:
        if arguments.line_width is not None:
            check_line_width(arguments.line_width, "--line-width")
    except ConfigError as error:
        print(f"charl: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    files, problems = collect_paths(paths)
    summary = _Summary()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
        summary.errors += 1
    dry_run = arguments.check or arguments.diff
    options_for = options_lookup()
    for path in files:
        name = arguments.stdin_filename or "<stdin>" if path == STDIN else path
        try:
            source = read_source(path, name)
            text = _decode(source.data)
            config_path = (arguments.stdin_filename or "stdin.ch") if path == STDIN else path
            options = options_for(config_path)
            if arguments.line_width is not None:
                options = replace(options, line_width=arguments.line_width)
            result = format_text(text, options)
        except (SourceError, ConfigError) as error:
            print(f"error: {error}", file=sys.stderr)
            summary.errors += 1
            continue
        except (FormatError, DocumentDecodeError) as error:
            print(f"error: cannot format {name}: {error}", file=sys.stderr)
            summary.errors += 1
            if path == STDIN and not dry_run:
                sys.stdout.write(source.data.decode("utf-8", "replace"))  # stdin passes through untouched
            continue
        if result.changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
        if arguments.diff and result.changed:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(keepends=True),
                result.text.splitlines(keepends=True),
                f"{name}\t(original)",
                f"{name}\t(formatted)",
            ))  # fmt: skip
        elif arguments.check and result.changed:
            print(f"Would reformat: {name}", file=sys.stderr)
        elif path == STDIN and not dry_run:
            sys.stdout.write(result.text)
        elif result.changed and not dry_run:
            try:
                _write(path, result.text)
            except OSError as error:
                print(f"error: cannot write {path}: {error.strerror or error}", file=sys.stderr)
                summary.changed -= 1
                summary.errors += 1
    if not (files == [STDIN] and not dry_run):
        print(summary.text(dry_run), file=sys.stderr)
    if summary.errors:
        return EXIT_ERROR
    return EXIT_CHANGES if dry_run and summary.changed else EXIT_OK


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentDecodeError(data, error.start) from None


def _write(path: str, text: str) -> None:
    """Replace the file in one step (a crash never leaves half a file), keeping its permissions."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8", "surrogatepass"))
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
