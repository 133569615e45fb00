"""Conversions between the three ways tools name a place in a Charl document.

- UTF-8 byte offsets: what tree-sitter and `ast.Span` use.
- (line, character) positions, 0-based, with `character` counted in the units of an `Encoding`: UTF-16 code
  units (LSP's default), UTF-8 bytes (LSP's `utf-8` kind; also tree-sitter's columns) or code points.
- 1-based (line, column) in code points, as `charl check` prints them (LANGUAGE.md §1, §2.1).

Lines end at `\\n`, `\\r\\n` or a lone `\\r`, as the LSP specification says. Tree-sitter counts rows
at `\\n` only, so `point_of` answers in its terms separately.

Out-of-range input is clamped the way LSP clients (vscode-languageserver-textdocument) do, so a stale or
sloppy request never raises: a line past the end means the end of the document, a character past the end
of a line means the end of that line (before its line break), and a position inside a surrogate pair or a
multi-byte character rounds down to the start of that character.

Invariant: pure and immutable; knows nothing about tree-sitter, LSP libraries or the analysis.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from enum import StrEnum
from itertools import accumulate
from typing import NamedTuple

from charl_core.ast import Span

_LINE_BREAK = re.compile(rb"\r\n?|\n")
_LONE_CR = re.compile(rb"\r(?!\n)")


class Encoding(StrEnum):
    """The unit `Position.character` counts in; the values are LSP's `PositionEncodingKind` strings."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"


class Position(NamedTuple):
    """A 0-based line and a 0-based character offset in that line, in the units of some `Encoding`."""

    line: int
    character: int


class LineIndex:
    """Line starts of one UTF-8 text, for O(log lines) conversions between offsets and positions.

    Only line starts are stored; a column is computed from the bytes of its own line, with a fast path for
    ASCII where every encoding agrees. `source` must be valid UTF-8 (a `Document` guarantees it).

    After `edited`, the starts from line `_shift_from` on are stored `_shift` bytes short: adding the
    edit's length change to every later line start costs ~0.3 ms on 10,000 lines, a third of a whole edit
    there, so it is deferred and folded into the next edit, which pays only for the lines between the two.
    """

    __slots__ = ("_lone_crs", "_shift", "_shift_from", "_source", "_starts")

    def __init__(self, source: bytes) -> None:
        self._source = source
        self._starts = [0, *_line_break_ends(source, 0, len(source))]
        self._shift_from = len(self._starts)
        self._shift = 0
        self._lone_crs = len(_LONE_CR.findall(source)) if b"\r" in source else 0

    @property
    def line_count(self) -> int:
        """Number of lines; a text ending in a line break has an empty last line, as in LSP."""
        return len(self._starts)

    @property
    def rows_match_lines(self) -> bool:
        """Whether tree-sitter rows equal LSP lines here, i.e. the text has no lone `\\r`; then a node's
        `start_point.row` is its line without a lookup."""
        return self._lone_crs == 0

    def line_of(self, offset: int) -> int:
        """The 0-based line containing byte `offset` (clamped into the document)."""
        if offset <= 0:
            return 0
        starts, split = self._starts, self._shift_from
        if split < len(starts) and offset >= starts[split] + self._shift:
            return bisect_right(starts, offset - self._shift, lo=split) - 1
        return bisect_right(starts, offset, hi=split) - 1

    def line_start(self, line: int) -> int:
        """Byte offset where `line` starts; lines past the end give the document's length."""
        if line >= len(self._starts):
            return len(self._source)
        return self._start(max(line, 0))

    def _start(self, line: int) -> int:
        return self._starts[line] + (self._shift if line >= self._shift_from else 0)

    def line_end(self, line: int) -> int:
        """Byte offset of the end of `line`'s content, before its line break."""
        if line >= len(self._starts) - 1:
            return len(self._source)
        end = self._start(line + 1)
        source = self._source
        if source[end - 1] == 0x0A:
            end -= 1
            if end > self._start(line) and source[end - 1] == 0x0D:
                end -= 1
        else:
            end -= 1  # a lone \r
        return end

    def position_of(self, offset: int, encoding: Encoding = Encoding.UTF16) -> Position:
        """The position of byte `offset`, in `encoding` units.

        An offset inside a line break maps to the end of that line, and one inside a multi-byte character
        to that character's start, matching what `offset_of` can produce.
        """
        offset = min(max(offset, 0), len(self._source))
        line = self.line_of(offset)
        start = self._start(line)
        offset = min(offset, self.line_end(line))
        source = self._source
        while start < offset < len(source) and source[offset] & 0xC0 == 0x80:
            offset -= 1
        prefix = source[start:offset]
        if prefix.isascii():
            return Position(line, len(prefix))
        return Position(line, _width(prefix, encoding))

    def offset_of(self, line: int, character: int, encoding: Encoding = Encoding.UTF16) -> int:
        """The byte offset of (`line`, `character`), `character` in `encoding` units; clamps, never raises."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self._source)
        start = self._start(line)
        if character <= 0:
            return start
        content = self._source[start : self.line_end(line)]
        if content.isascii():
            return start + min(character, len(content))
        return start + _byte_column(content, character, encoding)

    def point_of(self, offset: int) -> tuple[int, int]:
        """Tree-sitter's point for byte `offset`: (row counted at `\\n` only, column in bytes)."""
        if self.rows_match_lines:
            line = self.line_of(offset)
            return (line, offset - self._start(line))
        row = self._source.count(b"\n", 0, offset)
        return (row, offset - (self._source.rfind(b"\n", 0, offset) + 1))

    def display_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in code points, the form `charl check` prints (LANGUAGE.md §1)."""
        line, character = self.position_of(offset, Encoding.UTF32)
        return (line + 1, character + 1)

    def range_of(self, span: Span, encoding: Encoding = Encoding.UTF16) -> tuple[Position, Position]:
        """The (start, end) positions of a byte `Span`, for an LSP `Range`."""
        return (self.position_of(span.start, encoding), self.position_of(span.end, encoding))

    def span_of(self, start: Position, end: Position, encoding: Encoding = Encoding.UTF16) -> Span:
        """The byte `Span` between two positions; a reversed pair is swapped, as LSP clients do."""
        first = self.offset_of(start[0], start[1], encoding)
        last = self.offset_of(end[0], end[1], encoding)
        return Span(min(first, last), max(first, last))

    def edited(self, start: int, old_end: int, new_source: bytes) -> LineIndex:
        """The index of `new_source`, which is this text with bytes [start, old_end) replaced.

        Rescans only the lines around the edit and defers shifting the later line starts (see the class
        docstring): typing into a 10,000-line file costs microseconds, not a millisecond. The rescan starts
        at the line of the byte before the edit, to catch a `\\r` there that an inserted `\\n` joins into one
        line break; from the next line start on the bytes are untouched, so their line breaks stand.
        """
        delta = len(new_source) - len(self._source)
        first = self.line_of(start - 1)
        after = self.line_of(old_end) + 1
        low = self._start(first)
        old_high = self._start(after) if after < len(self._starts) else len(self._source)
        new_high = old_high + delta
        middle = _line_break_ends(new_source, low, new_high)
        if middle and middle[-1] == new_high and after < len(self._starts):
            middle.pop()  # that start is the first kept line's, added below
        index = LineIndex.__new__(LineIndex)
        index._source = new_source
        tail = self._rebased(after, len(self._starts), self._shift)  # stored short by the new shift
        index._starts = self._rebased(0, first + 1, 0) + middle + tail
        index._shift_from = first + 1 + len(middle)
        index._shift = self._shift + delta
        index._lone_crs = (
            self._lone_crs
            - _count_lone_crs(self._source, low, old_high)
            + _count_lone_crs(new_source, low, new_high)
        )
        return index

    def _rebased(self, low: int, high: int, base: int) -> list[int]:
        """Starts of lines [low, high) minus `base`. Only the lines whose stored value is off by something
        other than `base` need arithmetic: those between the pending shift's first line and `low`/`high`."""
        starts = self._starts
        split = min(max(self._shift_from, low), high)
        unshifted, shifted = starts[low:split], starts[split:high]
        if base:
            unshifted = [start - base for start in unshifted]
        if self._shift != base:
            shifted = [start + self._shift - base for start in shifted]
        return unshifted + shifted


def _line_break_ends(source: bytes, low: int, high: int) -> list[int]:
    """Offsets just after each line break inside source[low:high], i.e. the starts of the lines after them.

    Callers choose bounds that never cut a `\\r\\n` in two. Without a lone `\\r`, splitting at `\\n` finds
    the same line starts several times faster than the regular expression.
    """
    if source.find(b"\r", low, high) >= 0 and _LONE_CR.search(source, low, high):
        return [match.end() for match in _LINE_BREAK.finditer(source, low, high)]
    lengths = map(len, source[low:high].split(b"\n"))
    return list(accumulate(lengths, lambda end, n: end + n + 1, initial=low))[1:-1]


def _count_lone_crs(source: bytes, low: int, high: int) -> int:
    if source.find(b"\r", low, high) < 0:
        return 0
    return sum(1 for _ in _LONE_CR.finditer(source, low, high))


def _width(prefix: bytes, encoding: Encoding) -> int:
    """Length of the UTF-8 `prefix` (whole characters) in `encoding` units."""
    if encoding is Encoding.UTF8:
        return len(prefix)
    text = prefix.decode("utf-8")
    if encoding is Encoding.UTF32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _byte_column(content: bytes, character: int, encoding: Encoding) -> int:
    """Bytes of line `content` before `character` `encoding` units, clamped, rounded down to a character."""
    if encoding is Encoding.UTF8:
        cut = min(character, len(content))
        while cut < len(content) and content[cut] & 0xC0 == 0x80:
            cut -= 1
        return cut
    text = content.decode("utf-8")
    if encoding is Encoding.UTF32:
        return len(text[:character].encode("utf-8"))
    units = text.encode("utf-16-le")[: 2 * character]
    if len(units) >= 2 and 0xD800 <= int.from_bytes(units[-2:], "little") <= 0xDBFF:
        units = units[:-2]  # inside a surrogate pair: round down to the character's start
    return len(units.decode("utf-16-le").encode("utf-8"))
