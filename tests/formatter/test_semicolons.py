"""The semicolon rule (docs/formatter.md, `formatter.rules.needs_semicolon`) and its proof by exhaustion.

For every kind of statement that may end with `;` and every kind of token a statement can start with, the
pair is written once with the `;` and once without. The `;` is necessary exactly when the two texts do not
lower to the same AST (or the second does not parse); the test checks that the formatter keeps it in
precisely those cases, and that its output means the same as the input in all of them.
"""

from __future__ import annotations

import pytest

from charl_core.syntax.language import parse_bytes
from charl_core.syntax.lower import lower_source
from formatter.api import format_text

ENDS = {
    "let": "let a = b",
    "assignment": "a = b",
    "expression": "f(b)",
    "match expression": "match b { _ => 1 }",
    "return value": "return b",
    "bare return": "return",
    "break": "break",
    "continue": "continue",
}
"""Statements that may be followed by one optional `;` (§2.6, §9.1), in each form that ends differently."""

STARTS = {
    "(": "(1, 2)",
    "[": "[1][0] = 2",
    "-": "-c",
    "!": "!c",
    "not": "not c",
    "identifier": "c = 1",
    "tensor": "tensor([1.0], [1])",
    "integer": "1",
    "float": "1.5",
    "string": '"s"',
    "true": "true",
    "let": "let c = 1",
    "fn": "fn c() {}",
    "if": "if c { 1 }",
    "while": "while c { 1 }",
    "for": "for c in d { 1 }",
    "return": "return c",
    "break": "break",
    "continue": "continue",
    "match": "match c { _ => 1 }",
    "autograd": "autograd(c)",
}
"""One statement for each token a statement can start with (LANGUAGE.md §3.1, §3.3)."""


def _inside_loop_function(body: str) -> str:
    """`return`, `break` and `continue` are only meaningful here; the parse does not care, but be real."""
    return "fn outer() {\n    while true {\n" + body + "\n    }\n}\n"


def _means_the_same(with_semicolon: str, without: str) -> bool:
    if parse_bytes(without.encode()).root_node.has_error:
        return False
    return lower_source(with_semicolon) == lower_source(without)


CASES = [(end, start) for end in ENDS for start in STARTS]


@pytest.mark.parametrize(("end", "start"), CASES, ids=[f"{e} ; {s}" for e, s in CASES])
def test_semicolon_kept_exactly_where_it_matters(end: str, start: str) -> None:
    with_semicolon = _inside_loop_function(f"{ENDS[end]};\n{STARTS[start]}")
    without = _inside_loop_function(f"{ENDS[end]}\n{STARTS[start]}")
    necessary = not _means_the_same(with_semicolon, without)
    formatted = format_text(with_semicolon).text
    assert lower_source(formatted) == lower_source(with_semicolon)
    kept = ";" in formatted  # the only `;` the snippets have
    assert kept == necessary


def test_the_proof_covers_the_interesting_cases() -> None:
    """The exhaustive table is not vacuous: `;` is needed before `(`, `[`, `-` and after a bare `return`."""
    needed = {
        (end, start)
        for end, start in CASES
        if not _means_the_same(
            _inside_loop_function(f"{ENDS[end]};\n{STARTS[start]}"),
            _inside_loop_function(f"{ENDS[end]}\n{STARTS[start]}"),
        )
    }
    assert ("let", "(") in needed and ("expression", "[") in needed and ("assignment", "-") in needed
    assert {start for end, start in needed if end == "bare return"} == set(STARTS)
    assert not any(end in ("break", "continue") for end, _ in needed)


@pytest.mark.parametrize("closing", ["}", ""])
def test_last_semicolon_of_a_block_or_file_is_removed(closing: str) -> None:
    source = "fn f() {\n    let a = b;\n    return;\n}\n" if closing else "let a = b;\nprint(a);\n"
    formatted = format_text(source).text
    assert ";" not in formatted
