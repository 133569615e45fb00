"""Folding ranges through `Analysis.folding_ranges`, as (first line, last line, kind): the lines an editor
folding whole lines would use (0-based)."""

from __future__ import annotations

from charl_core.analysis import Analysis


def check(source: str, expected: list[tuple[int, int, str]]) -> None:
    analysis = Analysis.of_text(source)
    lines = analysis.lines
    found = [(lines.line_of(f.start), lines.line_of(f.end), f.kind.value) for f in analysis.folding_ranges()]
    assert found == expected


def test_blocks_fold_up_to_the_line_before_their_closing_brace():
    check(
        "fn f(x: int) {\n    if x > 0 {\n        print(x)\n    }\n    x\n}\n",
        [(0, 4, "block"), (1, 2, "block")],
    )


def test_a_closer_after_code_is_folded_with_its_line():
    check("let m = tensor([\n    1.0, 2.0,\n    3.0, 4.0], [2, 2])\n", [(0, 2, "block")])


def test_one_line_blocks_do_not_fold():
    check("while true { break }\nfn g() { 1 }\n", [])


def test_runs_of_line_comments_and_block_comments():
    check(
        "// one\n// two\n// three\nlet a = 1 // trailing\n// alone\n\n/* a\n   b */\nlet b = 2\n",
        [(0, 2, "comment"), (6, 7, "comment")],
    )


def test_regions_nest_and_break_comment_runs():
    check(
        "// #region data\n"
        "// the inputs\n"
        "// and targets\n"
        "let x = 1\n"
        "// #region inner\n"
        "let y = 2\n"
        "// #endregion\n"
        "// #endregion\n"
        "// #endregion without a start\n",
        [(0, 7, "region"), (1, 2, "comment"), (4, 6, "region")],
    )


def test_unclosed_region_and_broken_code_fold_nothing_wrong():
    check("// #region never closed\nfn f( {\n  let x = [1,\n", [])


def test_match_arms_and_argument_lists():
    check(
        'let k = 2\nlet name = match k {\n    1 => "one",\n    _ => "many",\n}\nprint(\n    name,\n)\n',
        [(1, 3, "block"), (5, 6, "block")],
    )
