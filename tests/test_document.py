"""`Document` under LSP edits: the incrementally kept tree must equal a fresh parse of the final text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tree_sitter import Tree

from charl_core.ast import Span
from charl_core.syntax.document import Document, DocumentDecodeError, TextChange
from charl_core.syntax.language import new_parser
from charl_core.syntax.positions import Encoding, Position
from tests.conftest import CONFORMANCE_CASES, require_conformance

SEEDS = [path.read_text(encoding="utf-8") for path in CONFORMANCE_CASES]
NON_ASCII_SEEDS = [text for text in SEEDS if not text.isascii()]

SNIPPETS = [
    "let x = 1\n",
    "fn f(a: int) {",
    "}",
    "{",
    "/*",
    "*/",
    '"',
    "(",
    ")",
    "[1, 2]",
    "// note\n",
    'print("héllo 🚀")\n',
    "return",
    "if x { ",
    " else ",
    "ñame",
    "日本",
    "🚀",
    "é",
    "e\u0301",
    "\n",
    "\r\n",
    "\r",
    " ",
    "x",
    "\0",
]
INSERTIONS = st.one_of(
    st.lists(st.sampled_from(SNIPPETS), max_size=3).map("".join),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=4),
)


# ───────────────────────────── a naive model of LSP edits, on str ─────────────────────────────


def line_starts(text: str) -> list[int]:
    """Code-point indices where lines start; lines end at \\n, \\r\\n or a lone \\r."""
    starts = [0]
    for i, char in enumerate(text):
        if char == "\n" or (char == "\r" and text[i + 1 : i + 2] != "\n"):
            starts.append(i + 1)
    return starts


def position_of_index(text: str, index: int) -> Position:
    starts = line_starts(text)
    line = max(n for n, start in enumerate(starts) if start <= index)
    return Position(line, len(text[starts[line] : index].encode("utf-16-le")) // 2)


def index_of_position(text: str, line: int, character: int) -> int:
    """The code-point index of an LSP position, clamped as vscode-languageserver-textdocument does."""
    starts = line_starts(text)
    if line < 0:
        return 0
    if line >= len(starts):
        return len(text)
    index = starts[line]
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    while index < end and text[index] not in "\r\n":
        units = 2 if ord(text[index]) > 0xFFFF else 1
        if character < units:
            break
        character -= units
        index += 1
    return index


def apply_to_text(text: str, change: TextChange) -> str:
    if change.start is None:
        return change.text
    first = index_of_position(text, *change.start)
    last = index_of_position(text, *change.end)
    first, last = min(first, last), max(first, last)
    return text[:first] + change.text + text[last:]


# ───────────────────────────── comparing trees ─────────────────────────────


def node_facts(tree: Tree) -> list[tuple]:
    """Every node, named or not, pre-order: kind, byte range, points, and error flags."""
    facts = []
    cursor = tree.walk()
    while True:
        node = cursor.node
        facts.append((node.type, node.byte_range, node.start_point, node.end_point, node.is_missing))
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return facts


def assert_matches_fresh_parse(document: Document) -> None:
    source = document.source
    prefix = source[: source.index(b"\0")] if b"\0" in source else source
    fresh = new_parser().parse(prefix)
    assert str(document.tree.root_node) == str(fresh.root_node)
    assert node_facts(document.tree) == node_facts(fresh)
    assert document.parsed_end == len(prefix)


@st.composite
def changes(draw: st.DrawFn, text: str) -> TextChange:
    """A random change to `text`: mostly a range between character boundaries, sometimes a sloppy range
    (past line ends, inside surrogate pairs, reversed) and sometimes the whole text."""
    inserted = draw(INSERTIONS, label="inserted")
    kind = draw(st.sampled_from(["range"] * 8 + ["sloppy", "whole"]), label="kind")
    if kind == "whole":
        cut = draw(st.integers(0, len(text)))
        return TextChange(text[:cut] + inserted + text[cut:])
    if kind == "sloppy":
        lines = len(line_starts(text))
        start, end = (
            Position(draw(st.integers(-1, lines + 1)), draw(st.integers(-1, 200))) for _ in range(2)
        )
        return TextChange(inserted, start, end)
    first = draw(st.integers(0, len(text)), label="first")
    last = draw(st.integers(first, min(len(text), first + 40)), label="last")
    return TextChange(inserted, position_of_index(text, first), position_of_index(text, last))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SEEDS or [""]), st.data())
def test_incremental_tree_equals_a_fresh_parse(seed: str, data: st.DataObject) -> None:
    require_conformance()
    document = Document(seed, version=1)
    text = seed
    for version in range(2, 2 + data.draw(st.integers(1, 6), label="batches")):
        batch = []
        for _ in range(data.draw(st.integers(1, 3), label="changes in batch")):
            change = data.draw(changes(text))
            batch.append(change)
            text = apply_to_text(text, change)
        document.apply_changes(batch, version)
        assert document.text == text
        assert document.version == version
        assert_matches_fresh_parse(document)
        for changed in document.changed_ranges:  # the edits' points were right, so these agree
            assert changed.start_point == document.lines.point_of(changed.start_byte)
            assert changed.end_point == document.lines.point_of(changed.end_byte)


def test_spans_of_identifiers_round_trip_through_utf16_positions() -> None:
    require_conformance()
    extra = 'let ñame = "🚀"; let 日本 = ñame + "é"\nlet Ⅻ = 日本 let e\u0301 = 1\r\nprint(Ⅻ)'
    for text in [*NON_ASCII_SEEDS, extra]:
        document = Document(text)
        identifiers = [node for node in _walk(document.tree.root_node) if node.type == "identifier"]
        assert identifiers
        for node in identifiers:
            span = Span(node.start_byte, node.end_byte)
            start, end = document.lines.range_of(span, Encoding.UTF16)
            assert document.lines.span_of(start, end, Encoding.UTF16) == span
            first, last = index_of_position(text, *start), index_of_position(text, *end)
            assert text[first:last] == node.text.decode("utf-8") == document.slice(span)


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


# ───────────────────────────── units ─────────────────────────────


def test_a_nul_ends_the_parsed_input_but_the_text_is_kept() -> None:
    document = Document("let x = 1\0let y = )")
    assert document.text == "let x = 1\0let y = )"
    assert document.parsed_end == 9
    assert document.tree.root_node.end_byte == 9
    assert not document.tree.root_node.has_error
    before = str(document.tree.root_node)
    document.apply_edit((0, 15), (0, 19), "(((")  # behind the NUL: the tree stands
    assert str(document.tree.root_node) == before
    assert document.changed_ranges == []
    document.apply_edit((0, 9), (0, 10), "\n")  # deleting the NUL exposes the rest
    assert document.parsed_end == len(document.source)
    assert document.tree.root_node.has_error
    document.apply_edit((0, 4), (0, 4), "\0")  # typing a NUL hides everything after it
    assert document.parsed_end == 4
    assert_matches_fresh_parse(document)


def test_invalid_utf8_reports_byte_line_and_column() -> None:
    with pytest.raises(DocumentDecodeError) as caught:
        Document.from_bytes(b'let x = 1\nprint("\xc3\xa9")\nlet \xff = 2')
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.byte, error.line, error.column, error.offset) == (0xFF, 3, 5, 26)
    assert str(error) == "file is not valid UTF-8 (invalid byte 0xff at line 3, column 5)"


def test_truncated_multibyte_character_is_reported_at_its_first_byte() -> None:
    with pytest.raises(DocumentDecodeError, match=r"invalid byte 0xe6 at line 1, column 2\)"):
        Document.from_bytes("é日".encode()[:-1])


def test_from_bytes_equals_the_text_constructor() -> None:
    text = 'let s = "🚀"\r\nprint(s)'
    document = Document.from_bytes(text.encode("utf-8"), version=3)
    assert document.text == text
    assert document.version == 3
    assert str(document.tree.root_node) == str(Document(text).tree.root_node)


def test_published_trees_are_never_mutated() -> None:
    document = Document("let x = 1\nprint(x)\n")
    old_tree = document.tree
    old_facts = node_facts(old_tree)
    document.apply_edit((0, 0), (0, 0), "let y = 2\n")
    assert node_facts(old_tree) == old_facts
    assert document.tree is not old_tree


def test_changed_ranges_miss_edits_inside_a_token_but_edited_spans_have_them() -> None:
    document = Document("let x = 1\nprint(x)\n")
    root = document.tree.root_node
    assert [(r.start_byte, r.end_byte) for r in document.changed_ranges] == [(0, root.end_byte)]
    document.apply_edit((0, 4), (0, 5), "y")
    assert document.changed_ranges == []  # tree-sitter: same structure, so "nothing changed"
    assert document.edited_spans == [Span(4, 5)]
    document.apply_edit((1, 0), (1, 0), "fn f() {}\n")
    assert document.changed_ranges
    assert document.edited_spans == [Span(10, 20)]


def test_edited_spans_of_a_batch_are_in_final_coordinates() -> None:
    document = Document("aaaa\nbbbb\ncccc\n")
    document.apply_changes(
        [
            TextChange("XY", Position(2, 0), Position(2, 1)),  # c → XY at byte 10
            TextChange("", Position(0, 0), Position(0, 2)),  # deletes "aa", shifting the first
            TextChange("Z", Position(0, 0), Position(0, 0)),  # at the deletion's point: merged with it
        ],
        version=2,
    )
    assert document.text == "Zaa\nbbbb\nXYccc\n"
    assert document.edited_spans == [Span(0, 1), Span(9, 11)]


def test_sloppy_ranges_are_clamped_not_rejected() -> None:
    document = Document("ab\ncd")
    document.apply_edit((1, 1), (0, 1), "-")  # reversed: swapped
    assert document.text == "a-d"
    document.apply_edit((7, 0), (9, 9), "!")  # past the end: appended
    assert document.text == "a-d!"
    document.apply_edit((0, 99), (0, 99), "?")  # past the line's end: at its end
    assert document.text == "a-d!?"
    document.apply_edit(None, None, "whole new text")
    assert document.text == "whole new text"
    assert document.version == 4


def test_positions_inside_a_surrogate_pair_round_down() -> None:
    document = Document("🚀x")
    document.apply_edit((0, 1), (0, 1), "y")
    assert document.text == "y🚀x"


def test_utf8_and_code_point_encodings() -> None:
    document = Document("é = 1")
    document.apply_edit((0, 2), (0, 2), "!", encoding=Encoding.UTF8)
    document.apply_edit((0, 2), (0, 2), "?", encoding=Encoding.UTF32)
    assert document.text == "é!? = 1"


def test_lone_surrogates_from_a_client_become_replacement_characters() -> None:
    document = Document("a\ud800b")
    assert document.text == "a\ufffdb"
    document.apply_edit((0, 2), (0, 2), "\udc00")
    assert document.text == "a\ufffd\ufffdb"


def test_error_recovery_does_not_depend_on_the_edit_history(conformance_cases) -> None:
    """A found case: after these edits tree-sitter's incremental error recovery differed from a fresh parse
    (a MISSING "]" in one, not the other); Document must give the fresh parse's tree."""
    seed = next(path for path in conformance_cases if path.name == "097_nn_linear.ch").read_text("utf-8")
    document = Document(seed)
    batches = [
        [TextChange("", Position(5, 40), Position(6, 6))],
        [
            TextChange("let x = 1\n", Position(0, 0), Position(0, 33)),
            TextChange("", Position(0, 0), Position(1, 3)),
            TextChange("", Position(1, 48), Position(1, 54)),
        ],
        [TextChange("", Position(0, 0), Position(0, 9))],
        [TextChange("", Position(0, 0), Position(0, 13))],
        [TextChange("", Position(0, 19), Position(1, 15))],
    ]
    for version, batch in enumerate(batches, start=1):
        document.apply_changes(batch, version)
        assert_matches_fresh_parse(document)
    assert document.tree.root_node.has_error
