"""Formatter options and where they come from: `[tool.charl.format]` in a `pyproject.toml`, or `[format]`
(or `[tool.charl.format]`) in a `charl.toml`, in the file's directory or the nearest one above it. In one
directory `charl.toml` wins; a `pyproject.toml` without the section is passed over, as ruff does.

Keys: `line-width` (an integer from 20 to 1000; default 100). Unknown keys are an error, so a typo is not
silently ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

DEFAULT_LINE_WIDTH = 100
MIN_LINE_WIDTH, MAX_LINE_WIDTH = 20, 1000


@dataclass(frozen=True, slots=True)
class FormatOptions:
    line_width: int = DEFAULT_LINE_WIDTH


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the problem."""


def check_line_width(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_LINE_WIDTH <= value <= MAX_LINE_WIDTH:
        raise ConfigError(
            f"{where}: line-width must be an integer from {MIN_LINE_WIDTH} to {MAX_LINE_WIDTH}, got {value!r}"
        )
    return value


def options_from_table(table: dict, where: str) -> FormatOptions:
    options = FormatOptions()
    for key, value in table.items():
        if key == "line-width":
            options = replace(options, line_width=check_line_width(value, where))
        else:
            raise ConfigError(f"{where}: unknown formatter option {key!r} (known: 'line-width')")
    return options


def _section(path: Path) -> dict | None:
    """The formatter table of one configuration file, or None when the file has none."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    table = data.get("tool", {}).get("charl", {}).get("format")
    if table is None and path.name == "charl.toml":
        table = data.get("format", {})
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: the formatter section must be a table")
    return table


def find_config(directory: Path) -> tuple[FormatOptions, Path | None]:
    """The options for files in `directory` and the file they came from (None: the defaults)."""
    for folder in (directory, *directory.parents):
        for name in ("charl.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                table = _section(candidate)
                if table is not None:
                    return options_from_table(table, str(candidate)), candidate
    return FormatOptions(), None


def options_for(path: str | Path) -> FormatOptions:
    """The options that apply to the file `path` (which need not exist: `--stdin-filename`), read now: a
    long-running language server sees every edit of `charl.toml`/`pyproject.toml`."""
    return find_config(Path(path).resolve().parent)[0]


def options_lookup() -> Callable[[str | Path], FormatOptions]:
    """`options_for` with the configuration of each directory read once, for one `charl fmt` run over
    many files (the files cannot change during the run as far as the formatter is concerned)."""
    found = lru_cache(maxsize=None)(find_config)
    return lambda path: found(Path(path).resolve().parent)[0]
