"""Syntax diagnostics: every message a person can get from a syntax mistake, with its exact position.

The examples table of docs/cli.md is executed here too, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core.diagnostics import Severity
from charl_core.syntax.errors import syntax_diagnostics
from charl_core.syntax.language import parse_bytes
from charl_core.syntax.positions import LineIndex
from tests.conftest import EXAMPLES, ROOT


def diagnose(text: str) -> list[tuple[str, str, str, str]]:
    """(`line:col`, severity, code, message) for each diagnostic, 1-based, columns in characters."""
    source = text.encode()
    index = LineIndex(source)
    found = syntax_diagnostics(parse_bytes(source), source, index.display_position)
    result = []
    for diagnostic in found:
        line, column = index.display_position(diagnostic.span.start)
        result.append((f"{line}:{column}", diagnostic.severity.label, diagnostic.code, diagnostic.message))
    return result


CASES = [
    ("let x = 1 +", "1:12", "expected an expression after `+`"),
    # The end of the file, after comments and non-ASCII whitespace, is still the end (§2.1).
    ("let x:\n\u3000", "1:7", "expected a type after `:`"),
    ("fn f() -> \n/* c */\u2028\n// c\n", "1:10", "expected a type after `->`"),
    ("let x = f(1, [2\n\u3000", "1:16", "expected `]` to close the array opened at 1:14"),
    ("let x = \nlet y = 2", "2:1", "expected an expression after `=`, found the keyword `let`"),
    ("print(1, 2\nlet y = 3", "1:11", "expected `)` to close the call opened at 1:6"),
    ("fn f() {\n  let x = (1\n}\nprint(2)", "2:13", "expected `)` to close the parenthesis opened at 2:11"),
    ("let x: tensor<float32, [2> = t", "1:26", "expected `]` to close the shape opened at 1:24"),
    ("let x = [1, 2,]", "1:14", "trailing commas are not allowed in arrays"),
    ("f(1, 2,)", "1:7", "trailing commas are not allowed in calls"),
    ("f(a b)", "1:3", "expected `,` after `a` in the arguments"),
    ("let x = [1 2]", "1:10", "expected `,` after `1` in the array"),
    ("x += 1", "1:4", "Charl has no compound assignment `+=`: write `x = x + value`"),
    ("if c { } ;", "1:10", "unexpected `;` after `}`: a block statement takes no `;`"),
    ("x = 1;;", "1:7", "unexpected `;`: Charl has no empty statements"),
    ('let x = "abc\nprint(x)', "1:9", "unterminated string literal (opened at 1:9)"),
    ("while { }", "1:6", "expected a condition after `while`"),
    ("fn (a) {}", "1:1", "expected a function name after `fn`"),
    ("let = 5", "1:1", "expected a variable name after `let`, found `=`"),
    ("let mut x = 1", "1:9", "`let` has no `mut`: every variable is mutable"),
    ("fn f(a) { a }", "1:6", "expected a parameter `name: type` (every parameter needs a type)"),
    ("let x = 1 }", "1:11", "unexpected `}`: there is no open block to close"),
    (
        "print(a.b)",
        "1:7",
        "`.` must be followed by a tuple index such as `.0`: Charl has no fields or methods",
    ),
    ("let x = 5 let y = x.", "1:21", "expected a tuple index such as `.0` after `.`"),
    ("if x { 1 } else", "1:16", "expected `{` or `if` after `else`"),
    # The file ends in the middle of something, inside blocks that the end of the file closes (typing).
    ("fn f() { g(1", "1:13", "expected `)` to close the call opened at 1:11"),
    ("fn f() {\n    let x = ", "2:12", "expected an expression after `=`"),
    ("fn f() { let x = [1, 2", "1:23", "expected `]` to close the array opened at 1:18"),
    ("fn f() { let x = a[1", "1:21", "expected `]` to close the index opened at 1:19"),
    ("fn g(a: ", "1:8", "expected `)` to close the parameter list opened at 1:5"),
    ("match x { }", "1:1", "a `match` needs at least one arm: `pattern => value`"),
    ("let s = x as string", "1:14", "cannot cast with `as string`: convert with `str(x)`"),
    ("let tensor = 1", "1:5", "`tensor` is a reserved word and cannot be used as a name"),
    (
        "fn f(layer: int) { 1 }",
        "1:6",
        "`layer` is a reserved word and cannot be used as a name: choose another name",
    ),
    ("let z = 1e", "1:9", "invalid number `1e`: an exponent needs digits (for example `1e5`)"),
    ("let z = 1.5e", "1:9", "invalid number `1.5e`: an exponent needs digits (for example `1e5`)"),
    ("let z = 2x", "1:9", "invalid number `2x`: a number cannot be directly followed by a letter"),
    ("let a = b & c", "1:11", "illegal character `&`: `&` is not an operator: use `and` or `&&`"),
    ("let a = 1 # c", "1:11", "illegal character `#`: `#` is not a comment in Charl: use `//`"),
    ("let a = 1\x1c", "1:10", "illegal character `U+001C`"),
    # Columns count characters, not bytes or UTF-16 units.
    ('print("é🚀", 1 +)', "1:15", "expected an expression after `+`"),
]


@pytest.mark.parametrize(("text", "where", "message"), CASES)
def test_syntax_error_message_and_position(text: str, where: str, message: str) -> None:
    found = diagnose(text)
    assert (where, "error", "E001", message) in found, found


def test_each_mistake_gives_one_diagnostic() -> None:
    for text, _, _ in CASES:
        errors = [d for d in diagnose(text) if d[1] == "error"]
        assert len(errors) == 1, (text, errors)


def test_model_block_gives_exactly_one_clear_error() -> None:
    text = (
        "model Classifier {\n    layers {\n        dense(784, 128, activation: relu)\n"
        "        dropout(0.2)\n        dense(128, 10, activation: softmax)\n    }\n}\nprint(1)\n"
    )
    assert diagnose(text) == [
        ("1:1", "error", "E001", "`model` blocks are not supported yet (LANGUAGE.md §9.6)")
    ]


def test_block_closed_by_end_of_file_is_a_warning_not_an_error() -> None:
    found = diagnose("let i = 0\nwhile i < 3 {\n    i = i + 1\n// the end\n")
    assert found == [
        ("2:13", "warning", "W215", "block opened at 2:13 is never closed (the end of the file closes it)")
    ]


def test_nested_blocks_closed_by_end_of_file_are_warnings_with_structure_kept() -> None:
    text = "fn f() {\n    while a {\n        b\n"
    assert diagnose(text) == [
        ("1:8", "warning", "W215", "block opened at 1:8 is never closed (the end of the file closes it)"),
        ("2:13", "warning", "W215", "block opened at 2:13 is never closed (the end of the file closes it)"),
    ]
    root = parse_bytes(text.encode()).root_node
    assert not root.has_error
    assert root.children[0].type == "function_definition"


def test_missing_brace_before_more_code_is_an_error() -> None:
    found = diagnose("fn f() {\n    let x = (1 + 2\n}\nlet y = 3\n")
    assert all(severity == "error" for _, severity, _, _ in found)


@pytest.mark.parametrize(
    "text",
    [
        "let x = 1e5 + 2.5E-3 + 007",
        'let s = "1e" // 2x',
        "print(tensor([1.0], [1]))",
        "for in in 0..3 { print(in) }",
        "let int = 1 let float = 2.0 let mut = 3",
        "fn f() { return }",
        "let t = (1, (2, 3)) print((t.1).0)",
        "/* unterminated comment at the end",
        "let x = 9223372036854775807",
        "let x = 9223372036854775807-1",  # in range, then an operator: not a malformed number
        "let x = 1\u00a0\u3000+ 2",  # non-ASCII whitespace after a number
    ],
)
def test_valid_text_has_no_diagnostics(text: str) -> None:
    assert diagnose(text) == []


def test_examples_and_conformance_have_no_diagnostics(conformance_cases) -> None:
    for path in [*EXAMPLES, *conformance_cases]:
        assert diagnose(path.read_text(encoding="utf-8")) == [], path


def test_diagnostics_are_errors_with_code_e001_or_w215() -> None:
    for text, _, _ in CASES:
        source = text.encode()
        for diagnostic in syntax_diagnostics(parse_bytes(source), source, LineIndex(source).display_position):
            assert (diagnostic.code, diagnostic.severity) in {
                ("E001", Severity.ERROR),
                ("W215", Severity.WARNING),
            }


def _documented_examples() -> list[tuple[str, str]]:
    """Rows `| `input` | message |` of the syntax-diagnostics table in docs/cli.md."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = text.split("### Syntax diagnostics", 1)[1].split("\n\n", 3)[2]
    rows = []
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        source = " ⏎ ".join(re.findall(r"`([^`]*)`", cells[0])).replace(" ⏎ ", "\n")
        rows.append((source.replace("…", "dense(1, 2)"), cells[1]))
    return rows


@pytest.mark.parametrize(("text", "message"), _documented_examples())
def test_documented_messages(text: str, message: str) -> None:
    message = message.split(" — ")[0]
    assert message in [found[3] for found in diagnose(text)]


def test_zero_width_missing_siblings_do_not_hang() -> None:
    """tree-sitter's prev_sibling can cycle between two zero-width MISSING nodes; found by a fuzz run."""
    line = "print(nn_embedding(tensor([0.0, 3.0, 1.0]), table))\n"
    text = "let table = tensor([0.0, 0.1, 1.0,/*1.1])\n" + line * 5
    with _deadline(10):
        found = diagnose(text)
    assert ("1:34", "error", "E001", "trailing commas are not allowed in arrays") in found


@contextmanager
def _deadline(seconds: int):
    """Turn a hang into a failure (SIGALRM; the suite runs on Linux)."""

    def expire(_signum, _frame):
        raise TimeoutError(f"syntax diagnostics took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EXAMPLES), st.data())
def test_syntax_diagnostics_finish_on_randomly_edited_programs(example, data) -> None:
    text = example.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 5))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 30)))
        pieces = ["", ",", "/*", "(", ")", "[", "]", "{", "}", '"', "let ", "=", "\n", "+"]
        text = text[:start] + data.draw(st.sampled_from(pieces)) + text[end:]
    with _deadline(10):
        diagnose(text)
