"""The test tooling of charl_core.testing, checked against the real parser and lowering.

The round-trip `lower_source(print_program(p)) == p` tests the printer and the lowering against each other:
a failure is a bug in one of them (the example hypothesis prints says which construct).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tree_sitter import Tree

from charl_core import ast
from charl_core.syntax.errors import syntax_diagnostics
from charl_core.syntax.language import parse_bytes
from charl_core.syntax.lower import lower_source
from charl_core.testing.printer import Style, print_program
from charl_core.testing.programs import generate_large_program
from charl_core.testing.strategies import program_texts, programs
from tests.conftest import CONFORMANCE_CASES, require_conformance

ROUND_TRIP = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def syntax_error_nodes(tree: Tree) -> list[str]:
    """Every ERROR or MISSING node, as `type@line:column`, descending only into subtrees with errors."""
    found: list[str] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(f"{'MISSING ' if node.is_missing else ''}{node.type}@{node.start_point}")
        stack.extend(child for child in node.children if child.has_error or child.is_missing)
    return found


def assert_parses_cleanly(text: str) -> None:
    tree = parse_bytes(text.encode("utf-8"))
    assert syntax_error_nodes(tree) == [], text
    assert not tree.root_node.has_error, text


# ───────────────────────────── random programs ─────────────────────────────


@ROUND_TRIP
@given(program_texts())
def test_styled_printing_parses_and_lowers_to_the_same_ast(program_and_text: tuple[ast.Program, str]) -> None:
    program, text = program_and_text
    assert_parses_cleanly(text)
    assert lower_source(text) == program


@ROUND_TRIP
@given(programs())
def test_canonical_printing_round_trips(program: ast.Program) -> None:
    text = print_program(program)
    assert_parses_cleanly(text)
    assert lower_source(text) == program
    assert print_program(lower_source(text)) == text


@ROUND_TRIP
@given(program_texts())
def test_printed_programs_have_no_syntax_diagnostics(program_and_text: tuple[ast.Program, str]) -> None:
    """Beyond ERROR nodes: reserved words, integer range and number shapes are checked after parsing."""
    _, text = program_and_text
    source = text.encode("utf-8")
    diagnostics = syntax_diagnostics(parse_bytes(source), source, lambda offset: (1, 1))
    assert [d for d in diagnostics if d.code == "E001"] == [], text


# ───────────────────────────── printer corner cases ─────────────────────────────

Id = ast.Identifier
N = ast.IntegerLiteral


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([ast.ExpressionStatement(ast.TupleIndex(ast.TupleIndex(Id("t"), 0), 1))], "(t.0).1\n"),
        ([ast.ExpressionStatement(ast.TupleIndex(N(1), 0))], "(1).0\n"),
        ([ast.ExpressionStatement(ast.TupleIndex(ast.FloatLiteral(1.5), 0))], "(1.5).0\n"),
        (
            [
                ast.Let(ast.Name("c"), None, Id("a")),
                ast.ExpressionStatement(ast.UnaryOperation("-", Id("b"))),
            ],
            "let c = a;\n-b\n",
        ),
        (
            [
                ast.ExpressionStatement(ast.Call(Id("f"), [])),
                ast.ExpressionStatement(ast.TupleLiteral([N(1)])),
            ],
            "f();\n(1,)\n",
        ),
        ([ast.Return(None), ast.Break()], "return;\nbreak\n"),
        (
            [
                ast.ExpressionStatement(
                    ast.BinaryOperation("+", ast.IfExpression(Id("c"), ast.Block([]), ast.Block([])), N(1))
                )
            ],
            "(if c {} else {} + 1)\n",
        ),
        (
            [
                ast.ExpressionStatement(
                    ast.BinaryOperation("-", Id("a"), ast.BinaryOperation("-", Id("b"), Id("c")))
                )
            ],
            "a - (b - c)\n",
        ),
        (
            [ast.ExpressionStatement(ast.Cast(ast.BinaryOperation("+", Id("a"), Id("b")), "float32"))],
            "a + b as float32\n",
        ),
        (
            [ast.ExpressionStatement(ast.BinaryOperation("*", Id("a"), ast.Cast(Id("b"), "int")))],
            "a * (b as int)\n",
        ),
        ([ast.ExpressionStatement(ast.UnaryOperation("-", ast.Index(Id("x"), N(0))))], "-x[0]\n"),
        ([ast.ExpressionStatement(ast.Index(ast.UnaryOperation("-", Id("x")), N(0)))], "(-x)[0]\n"),
        (
            [ast.ExpressionStatement(ast.Range(N(0), ast.BinaryOperation("+", Id("n"), N(1)), False))],
            "0..n + 1\n",
        ),
    ],
)
def test_printer_corner_cases(statements: list[ast.Statement], expected: str) -> None:
    program = ast.Program(statements)
    assert print_program(program) == expected
    assert lower_source(expected) == program


@pytest.mark.parametrize(
    "expression",
    [
        ast.IntegerLiteral(-1),
        ast.IntegerLiteral(2**63),
        ast.FloatLiteral(float("inf")),
        ast.StringLiteral('a"b'),
    ],
)
def test_printer_refuses_what_no_text_expresses(expression: ast.Expression) -> None:
    with pytest.raises(ValueError):
        print_program(ast.Program([ast.ExpressionStatement(expression)]))


# ───────────────────────────── large programs ─────────────────────────────


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_large_programs_parse_cleanly_with_the_requested_line_count(seed: int) -> None:
    text = generate_large_program(2000, seed)
    assert text.count("\n") == 2000
    assert text.endswith("\n")
    assert_parses_cleanly(text)
    program = lower_source(text)
    assert not any(isinstance(node, ast.ErrorStatement | ast.ErrorExpression) for node in program.walk())
    assert generate_large_program(2000, seed) == text


def test_large_programs_hold_the_realistic_constructs() -> None:
    text = generate_large_program(2000, 5)
    for construct in [
        "sgd_step(",
        "nn_linear(",
        "tensor<float32, [B,",
        "match ",
        "/*",
        "//",
        "é",
        ";\n",
        "else if",
    ]:
        assert construct in text


@pytest.mark.parametrize("lines", [0, 1, 7, 60])
def test_small_line_counts_are_exact(lines: int) -> None:
    text = generate_large_program(lines, 1)
    assert text.count("\n") == lines
    assert_parses_cleanly(text)


# ───────────────────────────── real programs ─────────────────────────────


def test_conformance_cases_are_present() -> None:
    assert require_conformance()


@pytest.mark.parametrize("path", CONFORMANCE_CASES, ids=lambda path: path.stem)
def test_conformance_programs_reprint_to_the_same_ast(path: Path) -> None:
    program = lower_source(path.read_bytes())
    text = print_program(program)
    assert_parses_cleanly(text)
    assert lower_source(text) == program
    styled = print_program(program, Style(line_comment=0.1, block_comment=0.1), random.Random(path.stem))
    assert_parses_cleanly(styled)
    assert lower_source(styled) == program
