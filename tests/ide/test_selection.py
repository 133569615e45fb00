"""Selection ranges through `Analysis.selection_ranges`: the texts selected by successive expansions from
the `$0` cursor."""

from __future__ import annotations

from itertools import pairwise

from charl_core.analysis import Analysis


def check(source: str, expected: list[str]) -> None:
    before, after = source.split("$0")
    source = before + after
    analysis = Analysis.of_text(source)
    data = analysis.source
    chain = analysis.selection_ranges(len(before.encode()))
    assert [data[span.start : span.end].decode() for span in chain] == expected
    for inner, outer in pairwise(chain):
        assert outer.start <= inner.start and inner.end <= outer.end and inner != outer


def test_from_an_argument_out_to_the_file():
    check(
        'fn f(a: int) {\n    print("hi", a + $01)\n}\n',
        [
            "1",
            "a + 1",
            '"hi", a + 1',
            '("hi", a + 1)',
            'print("hi", a + 1)',
            '{\n    print("hi", a + 1)\n}',
            'fn f(a: int) {\n    print("hi", a + 1)\n}',
            'fn f(a: int) {\n    print("hi", a + 1)\n}\n',
        ],
    )


def test_string_contents_before_the_string():
    check('let s = "h$0é llo"\n', ["hé llo", '"hé llo"', 'let s = "hé llo"', 'let s = "hé llo"\n'])


def test_inside_a_tensor_type():
    check(
        "let x: tensor<float32, [N$0, 3]> = tensor_zeros([2, 3])\n",
        [
            "N",
            "N, 3",
            "[N, 3]",
            "tensor<float32, [N, 3]>",
            "let x: tensor<float32, [N, 3]> = tensor_zeros([2, 3])",
            "let x: tensor<float32, [N, 3]> = tensor_zeros([2, 3])\n",
        ],
    )


def test_whitespace_and_out_of_range_offsets():
    source = "let a = 1\n\n$0\nlet b = 2\n"
    check(source, ["let a = 1\n\n\nlet b = 2\n"])
    analysis = Analysis.of_text("let a = 1\n")
    assert analysis.selection_ranges(10_000)[-1] == analysis.selection_ranges(-3)[-1]
