"""An open Charl document: its text, line index and tree-sitter tree, kept in step under LSP edits.

Edits arrive as LSP `TextDocumentContentChangeEvent`s: a range in (line, character) positions and the new
text, or the whole new text. Each batch edits the previous tree and reparses once, so tree-sitter reuses
every subtree the edits did not touch, and the line index is patched rather than rebuilt.

LANGUAGE.md §2.1: a NUL character ends the input. The text keeps everything (the client owns it), but
only the bytes before the first NUL are parsed, so the tree may cover a prefix of the document.

`tree` always equals what a fresh parse of the text would give, including its error recovery (see
`_reparse`). The trees a `Document` publishes are never mutated afterwards (edits go to a copy), so an
analysis that holds an old tree can keep reading it while the document moves on.

Invariant: no LSP library types here; positions are plain `(line, character)` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Range, Tree

from charl_core.ast import Span
from charl_core.syntax.language import new_parser
from charl_core.syntax.positions import Encoding, LineIndex, Position


class DocumentDecodeError(ValueError):
    """The bytes of a file are not valid UTF-8 (LANGUAGE.md §2.1); says where, for the CLI to report."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.offset = offset
        self.byte = data[offset]
        self.line, self.column = LineIndex(data[:offset]).display_position(offset)
        where = f"invalid byte 0x{self.byte:02x} at line {self.line}, column {self.column}"
        super().__init__(f"file is not valid UTF-8 ({where})")


@dataclass(frozen=True, slots=True)
class TextChange:
    """One LSP content change: `text` replaces `start`..`end`, or the whole document if `start` is None."""

    text: str
    start: Position | tuple[int, int] | None = None
    end: Position | tuple[int, int] | None = None


class Document:
    """The state of one open document. Not thread-safe: each instance owns its own tree-sitter parser.

    Public state, replaced (never mutated) by each edit: `source` (UTF-8 bytes), `lines` (its `LineIndex`),
    `version`, `tree`, `parsed_end` (the first NUL's offset, or the length) and `edited_spans` (the byte
    spans of the current text written by the last batch of changes; the whole text after a load).
    """

    def __init__(self, text: str, version: int = 0) -> None:
        self._parser = new_parser()
        self._load(_utf8(text), version)

    @classmethod
    def from_bytes(cls, data: bytes, version: int = 0) -> Document:
        """A document read from a file; raises `DocumentDecodeError` if `data` is not valid UTF-8."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DocumentDecodeError(data, error.start) from None
        document = cls.__new__(cls)
        document._parser = new_parser()
        document._load(data, version)
        document._text = text
        return document

    def _load(self, source: bytes, version: int) -> None:
        self.version = version
        self.source = source
        self.lines = LineIndex(source)
        self.parsed_end = _first_nul(source, 0)
        self._text: str | None = None
        self._previous_tree: Tree | None = None
        self._changed_ranges: list[Range] | None = None
        self.edited_spans: list[Span] = [Span(0, len(source))]
        self.tree = self._parser.parse(self._parsed_source())

    @property
    def text(self) -> str:
        """The whole text, NULs and all (decoded on demand: edits only splice bytes)."""
        if self._text is None:
            self._text = self.source.decode("utf-8")
        return self._text

    @property
    def changed_ranges(self) -> list[Range]:
        """Tree-sitter's changed ranges between the previous tree and this one (whole tree after a load).

        They cover structural changes only: an edit inside one token (`x` → `y`, `1` → `12`) is absent, so
        incremental analysis must also look at `edited_spans`. Computed on first use: on a 10,000-line file
        it costs milliseconds, often more than the reparse.
        """
        if self._changed_ranges is None:
            if self._previous_tree is None:
                root = self.tree.root_node
                whole = Range(root.start_point, root.end_point, root.start_byte, root.end_byte)
                self._changed_ranges = [whole]
            else:
                self._changed_ranges = self._previous_tree.changed_ranges(self.tree)
        return self._changed_ranges

    def slice(self, span: Span) -> str:
        """The text of a byte `Span` (as carried by AST nodes and tree-sitter nodes)."""
        return self.source[span.start : span.end].decode("utf-8", errors="replace")

    def apply_edit(
        self,
        range_start: Position | tuple[int, int] | None,
        range_end: Position | tuple[int, int] | None,
        new_text: str,
        encoding: Encoding = Encoding.UTF16,
    ) -> None:
        """Apply one change (the whole text when `range_start` is None) and bump the version by one."""
        self.apply_changes([TextChange(new_text, range_start, range_end)], self.version + 1, encoding)

    def apply_changes(
        self, changes: Iterable[TextChange], version: int, encoding: Encoding = Encoding.UTF16
    ) -> None:
        """Apply LSP content changes in order, each in the coordinates left by the previous one, then reparse.

        Ranges are clamped into the document and a reversed range is swapped, as LSP clients do.
        """
        edited_tree = self.tree.copy()
        self.edited_spans = []
        tree_edited = False
        for change in changes:
            if change.start is None:
                start, old_end, inserted = _difference(self.source, _utf8(change.text))
            else:
                end = change.start if change.end is None else change.end
                span = self.lines.span_of(Position(*change.start), Position(*end), encoding)
                start, old_end, inserted = span.start, span.end, _utf8(change.text)
            tree_edited |= self._splice(edited_tree, start, old_end, inserted)
        self.version = version
        self._previous_tree = edited_tree
        if tree_edited:
            self._changed_ranges = None
            self.tree = self._reparse(edited_tree)
        else:  # only text behind the first NUL changed (or nothing): the tree stands
            self._changed_ranges = []

    def _reparse(self, edited_tree: Tree) -> Tree:
        """Reparse incrementally; if the result has a syntax error, parse again from scratch.

        An error-free parse is unique (the grammar is LR(1) with every conflict resolved statically), so the
        incremental tree then equals a fresh parse. tree-sitter's error recovery, however, depends on which
        old subtrees it reused: the same broken text can recover differently after different edit
        histories. Diagnostics must not depend on history (an editor and `charl check` must agree), so a
        tree with errors is always the fresh parse's. This costs one full parse per edit while the text
        has a syntax error (about 3.5 ms per 1,000 lines).
        """
        tree = self._parser.parse(self._parsed_source(), edited_tree)
        if tree.root_node.has_error:
            tree = self._parser.parse(self._parsed_source())
        return tree

    def _splice(self, tree: Tree, start: int, old_end: int, inserted: bytes) -> bool:
        """Replace bytes [start, old_end) by `inserted`; edit `tree`, and say so, if the parse sees it."""
        old_lines, old_parsed_end = self.lines, self.parsed_end
        self.source = self.source[:start] + inserted + self.source[old_end:]
        self.lines = old_lines.edited(start, old_end, self.source)
        self._text = None
        self.edited_spans = _shift_spans(self.edited_spans, start, old_end, len(inserted))
        if start > old_parsed_end:
            return False  # behind the first NUL: the parsed prefix is unchanged
        if old_end < old_parsed_end and b"\0" not in inserted:
            tree_old_end, tree_new_end = old_end, start + len(inserted)
            self.parsed_end = old_parsed_end + tree_new_end - old_end
        else:  # the edit reaches the parse's end: everything from `start` to the new first NUL is new
            tree_old_end = old_parsed_end
            self.parsed_end = tree_new_end = _first_nul(self.source, start)
        tree.edit(
            start_byte=start,
            old_end_byte=tree_old_end,
            new_end_byte=tree_new_end,
            start_point=old_lines.point_of(start),
            old_end_point=old_lines.point_of(tree_old_end),
            new_end_point=self.lines.point_of(tree_new_end),
        )
        return True

    def _parsed_source(self) -> bytes | memoryview:
        if self.parsed_end == len(self.source):
            return self.source
        return memoryview(self.source)[: self.parsed_end]


def _utf8(text: str) -> bytes:
    """`text` as UTF-8; lone surrogates (possible in JSON from a client) become U+FFFD, one UTF-16 unit each
    like the surrogate they replace, so later UTF-16 positions still line up."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode("utf-8")


def _first_nul(source: bytes, start: int) -> int:
    nul = source.find(b"\0", start)
    return len(source) if nul < 0 else nul


def _difference(old: bytes, new: bytes) -> tuple[int, int, bytes]:
    """(start, old_end, inserted) of one replacement turning `old` into `new`, found by trimming the common
    prefix and suffix, so a client that sends whole texts still gets incremental reparses."""
    limit = min(len(old), len(new))
    prefix = _common_prefix_length(old, new, limit)
    suffix = _common_prefix_length(old[::-1], new[::-1], limit - prefix)
    return prefix, len(old) - suffix, new[prefix : len(new) - suffix]


def _common_prefix_length(old: bytes, new: bytes, limit: int) -> int:
    """Largest n <= limit with old[:n] == new[:n]: a binary search over memcmp-speed comparisons, since
    Python has no primitive that finds the first mismatch."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _shift_spans(spans: list[Span], start: int, old_end: int, inserted: int) -> list[Span]:
    """`spans` moved through one replacement, plus the replacement's own span (merged with any it touches)."""
    delta = inserted - (old_end - start)
    merged = Span(start, start + inserted)
    shifted = []
    for span in spans:
        if span.end < start:
            shifted.append(span)
        elif span.start > old_end:
            shifted.append(Span(span.start + delta, span.end + delta))
        else:
            merged = Span(min(merged.start, span.start), max(merged.end, span.end + delta))
    return sorted([*shifted, merged], key=lambda span: span.start)
