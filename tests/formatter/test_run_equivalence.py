"""Formatting never changes what a program does: `charl run` of each conformance case and example, before and
after formatting, gives the same stdout, stderr and exit code.

Both files are run under the same name from their own directory, so messages name the same file. Source
positions in stderr (`  at FILE:LINE:COL`) are the one thing formatting may change (it moves code between
lines and columns), so line and column numbers are masked before comparing; everything else, including
the stack trace's shape and every message, must be identical. Programs the formatter leaves unchanged are
not run twice.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from formatter.api import format_text
from tests.conftest import CONFORMANCE_CASES, EXAMPLES, require_conformance

PROGRAMS = CONFORMANCE_CASES + EXAMPLES
POSITION = re.compile(r"(\.ch(?:arl)?):\d+:\d+")


def _runtime_available() -> bool:
    probe = subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "run", "--help"], capture_output=True, text=True, timeout=60
    )
    return probe.returncode == 0


def _run(directory: Path, name: str) -> tuple[str, str, int]:
    completed = subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "run", name],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    return completed.stdout, POSITION.sub(r"\1:L:C", completed.stderr), completed.returncode


@pytest.fixture(scope="module")
def runtime() -> None:
    require_conformance()
    if not _runtime_available():
        pytest.fail("`charl run` is not available: the interpreter is needed to compare runs")


@pytest.mark.parametrize("path", PROGRAMS, ids=[path.name for path in PROGRAMS])
def test_same_output_after_formatting(path: Path, tmp_path: Path, runtime: None) -> None:
    source = path.read_text(encoding="utf-8")
    result = format_text(source)
    if not result.changed:
        return
    formatted = tmp_path / path.name
    formatted.write_text(result.text, encoding="utf-8")
    assert _run(tmp_path, path.name) == _run(path.parent, path.name)
