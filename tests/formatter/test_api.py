"""The functions the language server calls: `format_text`, `format_range`, `minimal_edits`."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charl_core import ast
from charl_core.syntax.lower import lower_source
from charl_core.testing.printer import Style, print_program
from charl_core.testing.strategies import programs
from formatter.api import (
    FormatError,
    apply_edits,
    format_document_edits,
    format_range,
    format_text,
    minimal_edits,
)

SOURCE = """\
let  a=1
fn f(x:int)->int {
    let  y=x*2
    let  z=y+1
    z
}
let  b=2
"""


def _offset(text: str, needle: str) -> int:
    return len(text[: text.index(needle)].encode("utf-8"))


def test_document_edits_are_minimal_and_apply_to_the_formatted_text() -> None:
    edits = format_document_edits(SOURCE)
    assert apply_edits(SOURCE, edits) == format_text(SOURCE).text
    # Only the spacing changes: each edit is one small replacement, never the whole text.
    assert all(edit.end - edit.start <= 4 for edit in edits)
    assert format_document_edits(format_text(SOURCE).text) == []


def test_minimal_edits_with_non_ascii_offsets_in_bytes() -> None:
    old, new = "let ñ  = 1\nlet b=2\n", "let ñ = 1\nlet b = 2\n"
    edits = minimal_edits(old, new)
    assert apply_edits(old, edits) == new
    assert (edits[0].start, edits[0].end, edits[0].new_text) == (
        len("let ñ".encode()),
        len("let ñ ".encode()),
        "",
    )


def test_range_formats_only_the_enclosing_statement() -> None:
    start = _offset(SOURCE, "let  y")
    edits = format_range(SOURCE, start + 2, start + 3)
    result = apply_edits(SOURCE, edits)
    assert "    let y = x * 2\n" in result
    assert "    let  z=y+1\n" in result and result.startswith("let  a=1\n")
    assert lower_source(result) == lower_source(SOURCE)


def test_range_across_statements_of_one_block() -> None:
    start, end = _offset(SOURCE, "let  y"), _offset(SOURCE, "z\n}")
    result = apply_edits(SOURCE, format_range(SOURCE, start, end))
    assert "    let y = x * 2\n    let z = y + 1\n" in result
    assert result.startswith("let  a=1\n") and result.endswith("let  b=2\n")


def test_range_in_formatted_text_has_no_edits() -> None:
    formatted = format_text(SOURCE).text
    assert format_range(formatted, 0, len(formatted.encode())) == []


def test_range_refuses_text_with_errors() -> None:
    with pytest.raises(FormatError):
        format_range("let x = (\n", 0, 3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(max_statements=6, depth=3), st.integers(0, 2**32 - 1), st.floats(0, 1), st.floats(0, 1))
def test_range_formatting_of_random_programs(program: ast.Program, seed: int, a: float, b: float) -> None:
    """Random programs with random spacing, line breaks and `;` (comments are covered by the whole-file
    properties): any range gives edits that keep the AST and leave text outside the statements alone."""
    style = Style(line_comment=0.0, block_comment=0.0, newline=0.3, semicolon=0.5)
    text = print_program(program, style, random.Random(seed))
    size = len(text.encode())
    start, end = sorted((int(a * size), int(b * size)))
    edited = apply_edits(text, format_range(text, start, end))
    assert lower_source(edited) == program
