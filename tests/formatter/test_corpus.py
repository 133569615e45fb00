"""Every program of the conformance suite and of `examples/` formats, keeps its AST and is idempotent.

`format_text` runs these checks itself; this test repeats them from the outside, so that a formatter that
skipped its own checks would still fail here."""

from __future__ import annotations

from pathlib import Path

import pytest

from charl_core.syntax.lower import lower_source
from formatter.api import format_text
from tests.conftest import CONFORMANCE_CASES, EXAMPLES, require_conformance

PROGRAMS = CONFORMANCE_CASES + EXAMPLES


def test_corpus_present() -> None:
    assert len(require_conformance()) >= 180
    assert EXAMPLES


@pytest.mark.parametrize("path", PROGRAMS, ids=[path.name for path in PROGRAMS])
def test_formats_safely(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    formatted = format_text(source).text
    assert lower_source(formatted) == lower_source(source)
    assert format_text(formatted).text == formatted
