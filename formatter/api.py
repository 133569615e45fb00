"""What the CLI and the language server call: `format_text` and `format_range`.

Contract:

- `format_text(text, options) -> FormatResult`: the formatted text and whether it differs from `text`.
  Raises `FormatError` (with `kind` and a one-line `message`) instead of returning anything unsafe: the
  input has syntax errors (`syntax`), or the output would not re-parse to the same AST with the same
  comments (`unsafe`), or formatting the output again would change it (`unstable`), or a construct cannot
  be formatted (`unsupported`). It never raises anything else for any text, and it does no IO.
- `format_range(text, start, end, options) -> list[TextEdit]`: edits that format the smallest run of
  whole statements enclosing the UTF-8 byte range `start..end` (statements of one block or of the file),
  leaving the rest of the text alone (all of the file's edits if the formatted tree had another shape,
  which formatting never produces). Raises `FormatError` as `format_text` does.
- `minimal_edits(old, new) -> list[TextEdit]`: the few non-overlapping edits that turn `old` into `new`,
  in UTF-8 byte offsets of `old`, sorted by position (LSP `TextEdit`s once converted with
  `charl_core.syntax.positions.LineIndex`). `format_document_edits(text, options)` is `format_text` then
  this.

Offsets are UTF-8 byte offsets, as everywhere in `charl_core` (spans, `LineIndex`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from formatter.comments import Comments
from formatter.config import FormatOptions
from formatter.cst import STATEMENT_LISTS, Node
from formatter.document import print_document
from formatter.rules import Formatter
from formatter.rules_expressions import UnsupportedSyntax
from formatter.safety import FormatError, Parsed, check_equivalent, parse_input

__all__ = [
    "FormatError",
    "FormatOptions",
    "FormatResult",
    "TextEdit",
    "format_document_edits",
    "format_range",
    "format_text",
    "minimal_edits",
]


@dataclass(frozen=True, slots=True)
class FormatResult:
    text: str
    changed: bool


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the UTF-8 bytes `start..end` of the original text with `new_text`."""

    start: int
    end: int
    new_text: str


def _newline_of(source: bytes) -> str:
    """The file's line ending, kept: `\\r\\n` if its first line break is one."""
    first = source.find(b"\n")
    return "\r\n" if first > 0 and source[first - 1 : first] == b"\r" else "\n"


def _render(parsed: Parsed, options: FormatOptions) -> str:
    formatter = Formatter(parsed.source, Comments(parsed.source, parsed.comments, parsed.boundaries))
    try:
        doc = formatter.format(parsed.root)
    except UnsupportedSyntax as error:
        raise FormatError("unsupported", str(error)) from None
    except RecursionError:
        raise FormatError("unsupported", "the code is nested too deeply to format") from None
    return print_document(doc, options.line_width, _newline_of(parsed.source))


def format_text(text: str, options: FormatOptions | None = None) -> FormatResult:
    options = options or FormatOptions()
    try:
        source = text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate, from an editor buffer: not UTF-8 text
        message = f"the text is not valid Unicode at character {error.start}"
        raise FormatError("unsupported", message) from None
    original = parse_input(source)
    formatted = _render(original, options)
    reparsed = Parsed(formatted.encode("utf-8", "surrogatepass"))
    try:
        check_equivalent(original, reparsed)
    except RecursionError:
        message = "the code is nested too deeply to compare its syntax trees"
        raise FormatError("unsupported", message) from None
    if _render(reparsed, options) != formatted:
        message = "formatting is not stable (a second pass changes it); file left unchanged"
        raise FormatError("unstable", message)
    return FormatResult(formatted, formatted != text)


def format_document_edits(text: str, options: FormatOptions | None = None) -> list[TextEdit]:
    result = format_text(text, options)
    return minimal_edits(text, result.text) if result.changed else []


def minimal_edits(old: str, new: str) -> list[TextEdit]:
    """Line-based diff, then a character diff inside each changed run of lines, so that only what changed
    is replaced and a cursor or a selection outside the changes stays where it is."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    offsets = [0]
    for line in old_lines:
        offsets.append(offsets[-1] + _size(line))
    edits: list[TextEdit] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.extend(_character_edits("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]), offsets[i1]))
    return edits


_CHARACTER_DIFF_LIMIT = 20_000
"""Above this many characters in one changed run, one trimmed edit instead of a (quadratic) character diff."""


def _character_edits(before: str, after: str, base: int) -> list[TextEdit]:
    if len(before) + len(after) > _CHARACTER_DIFF_LIMIT:
        prefix = _common_prefix(before, after)
        suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
        start = base + _size(before[:prefix])
        end = base + _size(before[: len(before) - suffix])
        return [TextEdit(start, end, after[prefix : len(after) - suffix])]
    edits = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            start = base + _size(before[:i1])
            edits.append(TextEdit(start, start + _size(before[i1:i2]), after[j1:j2]))
    return edits


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    i = 0
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """`text` with non-overlapping `edits` (byte offsets) applied; for tests and range formatting."""
    data = text.encode("utf-8", "surrogatepass")
    pieces, position = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces.append(data[position : edit.start])
        pieces.append(edit.new_text.encode("utf-8", "surrogatepass"))
        position = edit.end
    pieces.append(data[position:])
    return b"".join(pieces).decode("utf-8", "surrogatepass")


def format_range(text: str, start: int, end: int, options: FormatOptions | None = None) -> list[TextEdit]:
    """Edits that replace the smallest run of statements enclosing `start..end` with the same statements
    of the formatted file (found by the same path of named nodes: formatting keeps the tree's shape); the
    result is checked like a whole-file format (same AST, same comments)."""
    options = options or FormatOptions()
    result = format_text(text, options)
    if not result.changed:
        return []
    source = text.encode("utf-8", "surrogatepass")
    formatted = result.text.encode("utf-8", "surrogatepass")
    parsed = Parsed(source)
    path, first, last = _enclosing_statements(parsed.root, start, max(start, end))
    before = _statements_at(parsed.root, path, first, last)
    after = _statements_at(Parsed(formatted).root, path, first, last)
    if before is None or after is None:
        return minimal_edits(text, result.text)  # the shapes differ: fall back to the whole file
    low, high = before
    new_low, new_high = after
    if not source[_line_start(source, low) : low].strip():  # the statement starts its line: re-indent it
        low, new_low = _line_start(source, low), _line_start(formatted, new_low)
    old_part = source[low:high].decode("utf-8", "surrogatepass")
    new_part = formatted[new_low:new_high].decode("utf-8", "surrogatepass")
    edits = [TextEdit(e.start + low, e.end + low, e.new_text) for e in minimal_edits(old_part, new_part)]
    if edits:
        check_equivalent(parsed, Parsed(apply_edits(text, edits).encode("utf-8", "surrogatepass")))
    return edits


def _line_start(source: bytes, offset: int) -> int:
    return source.rfind(b"\n", 0, offset) + 1


def _statements(node: Node) -> list[Node]:
    if node.kind not in STATEMENT_LISTS:
        return []
    return [child for child in node.children if child.named and child.kind != "end_of_file_close"]


def _enclosing_statements(root: Node, start: int, end: int) -> tuple[list[int], int, int]:
    """The innermost statement list with statements overlapping `start..end` (or touching it, for an
    empty range), as the path of named-child indices from the root, and the first and last of those
    statements; the whole file when none does."""
    best: tuple[list[int], int, int] = ([], 0, len(_statements(root)) - 1)
    path: list[int] = []
    node = root
    while True:
        statements = _statements(node)
        touching = [i for i, s in enumerate(statements) if s.start <= end and start <= s.end]
        if touching:
            best = (list(path), touching[0], touching[-1])
        named = [child for child in node.children if child.named]
        inner = next((i for i, child in enumerate(named) if child.start <= start and end <= child.end), None)
        if inner is None:
            return best
        path.append(inner)
        node = named[inner]


def _statements_at(root: Node, path: list[int], first: int, last: int) -> tuple[int, int] | None:
    """The byte span of statements `first..last` of the list at `path`, or None if there is none."""
    node = root
    for index in path:
        named = [child for child in node.children if child.named]
        if index >= len(named):
            return None
        node = named[index]
    statements = _statements(node)
    if not 0 <= first <= last < len(statements):
        return None
    return statements[first].start, statements[last].end
