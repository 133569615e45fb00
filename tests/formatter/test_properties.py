"""Property tests: random valid programs (`charl_core.testing.strategies`), printed with random spacing,
comments, line breaks, semicolons and parentheses, format to text with the same AST, and formatting that
text again changes nothing. Formatting must never refuse such a program: every refusal is a bug."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from charl_core import ast
from charl_core.syntax.lower import lower_source
from charl_core.testing.strategies import program_texts
from formatter.api import format_text
from formatter.config import FormatOptions

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(program_texts(max_statements=6, depth=3))
def test_format_preserves_the_ast_and_is_idempotent(generated: tuple[ast.Program, str]) -> None:
    program, text = generated
    formatted = format_text(text).text
    assert lower_source(formatted) == program
    assert format_text(formatted).changed is False


@_SETTINGS
@given(program_texts(max_statements=4, depth=3))
def test_narrow_widths_too(generated: tuple[ast.Program, str]) -> None:
    """At width 20 nearly every group breaks: the breaking paths are exercised as much as the flat ones."""
    program, text = generated
    options = FormatOptions(line_width=20)
    formatted = format_text(text, options).text
    assert lower_source(formatted) == program
    assert format_text(formatted, options).changed is False
