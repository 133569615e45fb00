"""Semantic tokens through `Analysis.semantic_tokens`: each token rendered as `text:type[.modifier…]`."""

from __future__ import annotations

from itertools import pairwise

from charl_core.analysis import Analysis
from charl_core.ast import Span
from charl_core.ide.semantic_tokens import TokenModifier, TokenType


def render(source: str, span: Span | None = None) -> list[str]:
    analysis = Analysis.of_text(source)
    data = analysis.source
    return [
        ":".join([data[t.span.start : t.span.end].decode(), ".".join([t.type.value, *t.modifiers])])
        for t in analysis.semantic_tokens(span)
    ]


def check(source: str, expected: list[str]) -> None:
    """`$0…$0` in `source` marks the requested range (bytes); without it, the whole text."""
    span = None
    if "$0" in source:
        before, inside, after = source.split("$0")
        start = len(before.encode())
        span = Span(start, start + len(inside.encode()))
        source = before + inside + after
    assert render(source, span) == expected


def test_names_by_what_they_are():
    check(
        "fn mm(a: tensor<float32, [M, K]>, b: tensor) -> tensor { tensor_matmul(a, b) }\n"
        "let x = tensor_zeros([2, 3])\n"
        "print(mm(x, x))\n",
        [
            "fn:keyword", "mm:function.declaration", "a:parameter.declaration", "tensor:type",
            "float32:type", "M:typeParameter", "K:typeParameter", "b:parameter.declaration",
            "tensor:type", "tensor:type", "tensor_matmul:function.defaultLibrary", "a:parameter",
            "b:parameter", "let:keyword", "x:variable.declaration.readonly",
            "tensor_zeros:function.defaultLibrary", "2:number", "3:number",
            "print:function.defaultLibrary", "mm:function", "x:variable.readonly", "x:variable.readonly",
        ],
    )  # fmt: skip


def test_a_variable_that_is_assigned_is_not_readonly():
    check(
        "let i = 0 // counter\nwhile i < 3 { i = i + 1 }\n",
        [
            "let:keyword", "i:variable.declaration", "0:number", "// counter:comment", "while:keyword",
            "i:variable", "3:number", "i:variable", "i:variable", "1:number",
        ],
    )  # fmt: skip


def test_literals_keywords_casts_and_loop_variables():
    check(
        'for k in 0..2 { print("k", k as float, true) }\n',
        [
            "for:keyword", "k:variable.declaration", "in:keyword", "0:number", "2:number",
            "print:function.defaultLibrary", '"k":string', "k:variable", "as:keyword", "float:type",
            "true:keyword",
        ],
    )  # fmt: skip


def test_range_request_returns_only_tokens_in_range():
    check(
        "let a = 1\n$0let b = a$0\nlet c = 3\n",
        ["let:keyword", "b:variable.declaration.readonly", "a:variable.readonly"],
    )


def test_autograd_form_is_a_builtin():
    check(
        "let w = autograd(1.5)\n",
        ["let:keyword", "w:variable.declaration.readonly", "autograd:function.defaultLibrary", "1.5:number"],
    )


def test_broken_text_still_gets_tokens_sorted_and_disjoint():
    source = 'let x = tensor([1.0, 2.0]\nfn (  /* open\nprint("é", x'
    tokens = Analysis.of_text(source).semantic_tokens()
    assert tokens, "broken text still has comments, literals and keywords"
    for before, after in pairwise(tokens):
        assert before.span.end <= after.span.start
    assert {t.type for t in tokens} >= {TokenType.KEYWORD, TokenType.NUMBER, TokenType.COMMENT}


def test_legend_covers_the_documented_kinds():
    assert [t.value for t in TokenType] == [
        "function", "parameter", "variable", "type", "typeParameter", "keyword", "number", "string",
        "comment",
    ]  # fmt: skip
    assert [m.value for m in TokenModifier] == ["declaration", "defaultLibrary", "readonly"]
