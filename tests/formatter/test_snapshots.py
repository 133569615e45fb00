"""Snapshot tests: each `fixtures/NAME.ch` and its reviewed `fixtures/NAME.ch.expected`.

A first line `// options: line-width=N` sets options. Every fixture also checks that formatting the
expected output changes nothing (idempotence) and that input and output lower to equal ASTs, as STYLE.md
asks of formatter fixtures. `CHARL_UPDATE_SNAPSHOTS=1` rewrites the snapshots (review the diff!).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from charl_core.syntax.lower import lower_source
from formatter.api import FormatError, format_text
from formatter.config import FormatOptions

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*.ch"))
OPTIONS = re.compile(r"// options: line-width=(\d+)")


def _options(text: str) -> FormatOptions:
    found = OPTIONS.match(text)
    return FormatOptions(line_width=int(found.group(1))) if found else FormatOptions()


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:  # keep `\r\n` as written
        return handle.read()


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_snapshot(case: Path) -> None:
    source = _read(case)
    options = _options(source)
    formatted = format_text(source, options).text
    expected_path = case.with_name(case.name + ".expected")
    if os.environ.get("CHARL_UPDATE_SNAPSHOTS"):
        with open(expected_path, "w", encoding="utf-8", newline="") as handle:
            handle.write(formatted)
    assert formatted == _read(expected_path)
    assert format_text(formatted, options).changed is False
    assert lower_source(formatted) == lower_source(source)


def test_fixtures_exist() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("let x = (\n", "syntax"),  # a parse error
        ("let layer = 1\n", "syntax"),  # a reserved word (a lexical rule, no ERROR node)
        ("let x = 99999999999999999999\n", "syntax"),  # an integer out of range
        ("let x = 1\0let y = 2\n", "unsupported"),  # §2.1: a NUL ends the input
        ('let s = "\ud800"\n', "unsupported"),  # a lone surrogate (an editor buffer can hold one)
        ("model Net { layers { } }\n", "syntax"),  # §9.6: not supported yet, an error (E001)
    ],
)
def test_refuses_to_format(source: str, kind: str) -> None:
    with pytest.raises(FormatError) as raised:
        format_text(source)
    assert raised.value.kind == kind
