"""Finding and reading Charl source files for the command line: directories expand to every `.ch`/`.charl`
file below them, and every problem (missing, unreadable, not a Charl file) becomes a clear message
instead of a traceback."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

SOURCE_SUFFIXES = (".ch", ".charl")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to process: `name` is how messages refer to it (the path as given, or `<stdin>`)."""

    name: str
    data: bytes


class SourceError(Exception):
    """A file that cannot be processed; the message names the file and the reason."""


def collect_paths(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Expand command-line paths into files (sorted within each directory) and problems."""
    files: list[str] = []
    problems: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            files.append(argument)
            continue
        path = Path(argument)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())
            if not found:
                problems.append(f"{argument}: no .ch or .charl files in this directory")
            files.extend(found)
        elif path.exists():
            files.append(argument)
        else:
            problems.append(f"{argument}: no such file or directory")
    return files, problems


def read_source(path: str, stdin_name: str = "<stdin>") -> SourceFile:
    """Read one file's bytes (decoding is the Document's job, which reports the bad byte's position)."""
    if path == STDIN:
        return SourceFile(stdin_name, sys.stdin.buffer.read())
    try:
        with open(path, "rb") as handle:
            return SourceFile(path, handle.read())
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {os.strerror(error.errno or 0) or error}") from None
