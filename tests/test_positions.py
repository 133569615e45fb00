"""`LineIndex` against hand-checked cases and against a naive reference built from Python's own str/encode."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core.ast import Span
from charl_core.syntax.positions import Encoding, LineIndex, Position

UTF8, UTF16, UTF32 = Encoding.UTF8, Encoding.UTF16, Encoding.UTF32
ENCODINGS = [UTF8, UTF16, UTF32]


def index(text: str) -> LineIndex:
    return LineIndex(text.encode("utf-8"))


def width(text: str, encoding: Encoding) -> int:
    """Length of `text` in `encoding` units, straight from Python's codecs."""
    if encoding is UTF8:
        return len(text.encode("utf-8"))
    if encoding is UTF16:
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def reference_boundaries(text: str) -> list[tuple[int, Position, dict[Encoding, int], tuple[int, int]]]:
    """For each character boundary i of `text`: (byte offset, (line, utf-16 column), column per encoding,
    tree-sitter point), computed naively. Lines end at \\n, \\r\\n and a lone \\r; the boundary between
    \\r and \\n belongs to the end of the line's content."""
    result = []
    line, line_start = 0, 0
    for i in range(len(text) + 1):
        if i and (text[i - 1] == "\n" or (text[i - 1] == "\r" and text[i : i + 1] != "\n")):
            line, line_start = line + 1, i
        content_end = i - 1 if i and text[i - 1 : i + 1] == "\r\n" else i
        columns = {encoding: width(text[line_start:content_end], encoding) for encoding in ENCODINGS}
        last_lf = text.rfind("\n", 0, i)
        point = (text.count("\n", 0, i), len(text[last_lf + 1 : i].encode("utf-8")))
        result.append((len(text[:i].encode("utf-8")), Position(line, columns[UTF16]), columns, point))
    return result


# ───────────────────────────── hand-checked cases ─────────────────────────────


@pytest.mark.parametrize(
    ("text", "target", "utf8", "utf16", "utf32"),
    [
        ("é=x", "x", 3, 2, 2),
        ("日本 x", "x", 7, 3, 3),
        ("🚀x", "x", 4, 2, 1),
        ("a🚀🚀b", "b", 9, 5, 3),
        ("e\u0301x", "x", 3, 2, 2),  # a combining mark is a character of its own
        ('"héllo" + ñ', "ñ", 11, 10, 10),
    ],
)
def test_columns_of_non_ascii_text(text: str, target: str, utf8: int, utf16: int, utf32: int) -> None:
    lines = index(text)
    offset = text.encode("utf-8").index(target.encode("utf-8"))
    assert offset == utf8
    expected = {UTF8: utf8, UTF16: utf16, UTF32: utf32}
    for encoding, column in expected.items():
        assert lines.position_of(offset, encoding) == (0, column)
        assert lines.offset_of(0, column, encoding) == offset


def test_line_breaks_follow_lsp() -> None:
    lines = index("a\r\nb\rc\nd\u2028e")
    assert lines.line_count == 4  # U+2028 is not a line break for LSP (str.splitlines would say it is)
    assert [lines.line_start(n) for n in range(4)] == [0, 3, 5, 7]
    assert [lines.line_end(n) for n in range(4)] == [1, 4, 6, 12]
    assert lines.position_of(2) == (0, 1)  # between \r and \n: end of line 0
    assert lines.position_of(3) == (1, 0)


def test_text_ending_in_a_line_break_has_an_empty_last_line() -> None:
    assert index("x\n").line_count == 2
    assert index("x\r\n").position_of(3) == (1, 0)
    assert index("").line_count == 1
    assert index("").position_of(5) == (0, 0)


def test_out_of_range_positions_are_clamped_like_lsp_clients() -> None:
    text = "ab\r\ncd🚀\nlast"
    lines = index(text)
    end = len(text.encode("utf-8"))
    assert lines.offset_of(0, 99) == 2  # past the end of a line: the line's end, before \r\n
    assert lines.offset_of(9, 0) == end  # past the last line: end of the document
    assert lines.offset_of(-1, 3) == 0
    assert lines.offset_of(1, -4) == 4
    assert lines.offset_of(1, 3) == 6  # inside the surrogate pair of 🚀: its start
    assert lines.offset_of(1, 3, UTF8) == 6  # inside its UTF-8 bytes: its start
    assert lines.position_of(8, UTF16) == (1, 2)  # byte 8 is inside 🚀
    assert lines.position_of(-5) == (0, 0)
    assert lines.position_of(end + 10) == (2, 4)


def test_tree_sitter_points_count_rows_at_line_feeds_only() -> None:
    lines = index("a\rb\r\nc🚀d")
    assert lines.position_of(2) == (1, 0)
    assert lines.point_of(2) == (0, 2)  # tree-sitter: a lone \r is an ordinary byte
    assert lines.point_of(9) == (1, 4)
    assert not lines.rows_match_lines
    assert index("a\r\nb\nc").rows_match_lines


def test_display_positions_are_one_based_code_points() -> None:
    text = 'let s = "🚀é"\nlet ñ = s + 日'
    lines = index(text)
    assert lines.display_position(text.encode("utf-8").index("日".encode())) == (2, 13)
    assert lines.display_position(text.encode("utf-8").index(b'"')) == (1, 9)


def test_spans_convert_to_ranges_and_back() -> None:
    text = "let 日本 = 🚀\nx"
    lines = index(text)
    span = Span(4, 10)  # 日本
    assert lines.range_of(span) == (Position(0, 4), Position(0, 6))
    assert lines.range_of(span, UTF8) == (Position(0, 4), Position(0, 10))
    assert lines.span_of(Position(0, 4), Position(0, 6)) == span
    assert lines.span_of(Position(0, 6), Position(0, 4)) == span  # reversed: swapped


# ───────────────────────────── properties against the naive reference ─────────────────────────────

PIECES = st.sampled_from(["\n", "\r\n", "\r", "é", "日本", "🚀", "e\u0301", "x", " ", "\u2028", "\0"])
TEXTS = st.lists(st.one_of(PIECES, st.characters(exclude_categories=["Cs"])), max_size=40).map("".join)


def check_against_reference(text: str) -> None:
    lines = index(text)
    boundaries = reference_boundaries(text)
    assert lines.line_count == boundaries[-1][1].line + 1
    for offset, position, columns, point in boundaries:
        assert lines.point_of(offset) == point
        for encoding in ENCODINGS:
            assert lines.position_of(offset, encoding) == (position.line, columns[encoding])
            round_trip = lines.offset_of(position.line, columns[encoding], encoding)
            inside_crlf = text.encode("utf-8")[offset - 1 : offset + 1] == b"\r\n"
            assert round_trip == (offset - 1 if inside_crlf else offset)
    for offset in range(len(text.encode("utf-8")) + 1):
        char_start = max(b for b, *_ in boundaries if b <= offset)
        assert lines.position_of(offset, UTF16) == lines.position_of(char_start, UTF16)


@pytest.mark.parametrize("text", ["", "é", "a\r\nb", "\r\r\n\n", "日本🚀\ne\u0301\rx", "x\n\n🚀"])
def test_every_boundary_round_trips(text: str) -> None:
    check_against_reference(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_random_text_agrees_with_the_reference(text: str) -> None:
    check_against_reference(text)


def same_index(actual: LineIndex, expected: LineIndex, source: bytes) -> None:
    assert actual.line_count == expected.line_count
    assert actual.rows_match_lines == expected.rows_match_lines
    for line in range(expected.line_count):
        assert actual.line_start(line) == expected.line_start(line)
    for offset in range(len(source) + 1):
        assert actual.point_of(offset) == expected.point_of(offset)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_incremental_updates_equal_a_fresh_index(text: str, data: st.DataObject) -> None:
    source = text.encode("utf-8")
    lines = LineIndex(source)
    for _ in range(data.draw(st.integers(1, 5), label="edits")):
        start = data.draw(st.integers(0, len(source)), label="start")
        old_end = data.draw(st.integers(start, len(source)), label="old_end")
        inserted = data.draw(TEXTS, label="inserted").encode("utf-8")
        source = source[:start] + inserted + source[old_end:]
        lines = lines.edited(start, old_end, source)
        same_index(lines, LineIndex(source), source)


@pytest.mark.parametrize(
    ("text", "start", "old_end", "inserted"),
    [
        ("a\rb", 2, 2, "\n"),  # joins a lone \r and a new \n into one line break
        ("a\r\nb", 2, 3, ""),  # deleting the \n of \r\n leaves a lone \r
        ("a\r\nb", 2, 2, "x"),  # splitting \r\n makes two line breaks
        ("a\r\nb", 1, 2, ""),  # deleting the \r of \r\n
        ("a\rXb\n", 2, 3, "\n"),
        ("x\r", 2, 2, "\n"),
        ("\n\n\n", 0, 3, "\r"),
        ("ab\ncd\nef", 4, 7, "🚀\r"),
    ],
)
def test_incremental_update_at_line_breaks(text: str, start: int, old_end: int, inserted: str) -> None:
    source = text.encode("utf-8")
    new_source = source[:start] + inserted.encode("utf-8") + source[old_end:]
    same_index(LineIndex(source).edited(start, old_end, new_source), LineIndex(new_source), new_source)
