"""Where comments go: each comment is attached to a token, so that it moves with the code it describes.

LANGUAGE.md §2.1: comments may appear between any two tokens, and tree-sitter puts them (as `extras`) in
whichever node was open at the time. The formatter ignores that placement and attaches by position:

- a comment that ends the line of the token before it is a *trailing* comment of that token
  (`x = 1 // why`, `f(a, /* b */⏎`): it stays on that line, after the token;
- any other comment is a *leading* comment of the token after it: on its own line(s) before that token
  (a `// section` above a statement, a comment before an argument or before a closing `}`), or inline
  before it when it was (`f(/* dim */ 3)`);
- a comment with no token after it is *dangling* at the end of the file.

Rules emit every source token through `Formatter.token` (or `Formatter.drop` for a token they leave out, such
as a redundant `;`), which prints the token's comments with it, so no comment can be lost: the safety check
(`safety.py`) also compares the comments of the input and the output.

Blank lines around comments are kept (at most one), as between statements. A `//` comment always ends its
line (printed as a line suffix, it never swallows the code after it); a line comment's trailing
whitespace and an unterminated block comment's trailing whitespace are dropped (neither is part of the
program, and keeping it would make formatting twice differ).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from formatter.cst import RawComment
from formatter.document import (
    BREAK_PARENT,
    HARDLINE,
    LINE_COMMENT_SEPARATOR,
    LINE_SUFFIX_BOUNDARY,
    SEPARATOR,
    Doc,
    LineSuffix,
)


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    start: int
    line_comment: bool  # `// …`: the rest of the line
    newline_after: bool  # the next token (or comment) starts on a later line
    blank_before: bool  # an empty line separates it from what comes before
    blank_after: bool
    ends_statement: bool  # the next token starts a statement or closes a block (or the file ends)

    @property
    def multiline(self) -> bool:
        return "\n" in self.text


def comment_text(raw: bytes) -> str:
    """The normalised text of a comment: what `charl fmt` prints, and what the safety check compares."""
    text = raw.decode("utf-8")
    if text.startswith("//") or not text.endswith("*/") or len(text) < 4:
        return text.rstrip()
    return text


class Comments:
    """The comments of one file by the token they are attached to: `leading[start of next token]`,
    `trailing[end of previous token]`, and `dangling` at the end of the file."""

    def __init__(self, source: bytes, raw: list[RawComment], boundaries: set[int]) -> None:
        self.leading: dict[int, list[Comment]] = {}
        self.trailing: dict[int, list[Comment]] = {}
        self.dangling: list[Comment] = []
        self.after_line_comment: set[int] = set()  # tokens that follow a trailing `// comment`
        self.starts = [comment.start for comment in raw]
        self.ends = [comment.end for comment in raw]
        previous_item_end = 0
        trailing_previous = False
        for i, found in enumerate(raw):
            before = max(previous_item_end, found.previous_end, 0)
            following = len(source) if found.next_start < 0 else found.next_start
            if i + 1 < len(raw):
                following = min(following, raw[i + 1].start)
            comment = Comment(
                text=comment_text(source[found.start : found.end]),
                start=found.start,
                line_comment=source.startswith(b"//", found.start),
                newline_after=source.find(b"\n", found.end, following) >= 0 or found.next_start < 0,
                blank_before=_blank_line(source, before, found.start),
                blank_after=_blank_line(source, found.end, following),
                ends_statement=found.next_start < 0 or found.next_start in boundaries,
            )
            previous_item_end = found.end
            # On the line of the previous token: nothing but spaces and trailing comments in between (the
            # newlines inside a multi-line comment before this one do not count, the comment does).
            follows_comment = i > 0 and raw[i - 1].start > found.previous_end
            same_line = found.previous_end >= 0 and source.find(b"\n", before, found.start) < 0
            if follows_comment and not trailing_previous:
                same_line = False
            # A block comment followed on its line by a token is that token's leading comment, unless the
            # token is a separator or a closing bracket, which never starts anything (`f(a /* b */)`).
            inline = found.next_start >= 0 and source.find(b"\n", found.end, found.next_start) < 0
            if inline and source[found.next_start : found.next_start + 1] in _CLOSERS:
                inline = False
            trailing_previous = same_line and (comment.line_comment or not inline)
            if trailing_previous:
                self.trailing.setdefault(found.previous_end, []).append(comment)
                if comment.line_comment and found.next_start >= 0:
                    self.after_line_comment.add(found.next_start)
            elif found.next_start >= 0:
                self.leading.setdefault(found.next_start, []).append(comment)
            else:
                self.dangling.append(comment)

    def blank_line_between(self, source: bytes, start: int, end: int) -> bool:
        """Whether an empty line separates `start` from `end`, not counting the lines inside comments in
        between (a multi-line trailing comment is no empty line)."""
        index = bisect_left(self.starts, end) - 1
        if index >= 0 and self.starts[index] >= start:
            start = self.ends[index]
        return _blank_line(source, start, end)

    def inside(self, start: int, end: int) -> bool:
        """Whether a comment starts within `start`..`end` (a block that holds one never prints flat)."""
        index = bisect_left(self.starts, start)
        return index < len(self.starts) and self.starts[index] < end


_CLOSERS = (b",", b")", b"]", b"}", b";")  # not `>`: also an operator
CLOSERS = frozenset(closer.decode() for closer in _CLOSERS)


def _blank_line(source: bytes, start: int, end: int) -> bool:
    """Whether `source[start:end]` (whitespace, possibly with `\\r`) holds an empty line."""
    first = source.find(b"\n", start, end)
    return first >= 0 and source.find(b"\n", first + 1, end) >= 0


def leading_doc(comments: list[Comment], before_closer: bool = False) -> list[Doc]:
    """Comments before a token: each on its own line(s) when it was, else inline before the token."""
    if not comments:
        return []
    # Comments that end their line will be trailing comments of the token before them once reprinted,
    # and those always have a space before them, even after a bracket.
    ends_line = any(comment.line_comment or comment.newline_after for comment in comments)
    # A pending `// comment` (dropped after a removed `;` or `,`) must print before these.
    parts: list[Doc] = [LINE_SUFFIX_BOUNDARY, LINE_COMMENT_SEPARATOR if ends_line else SEPARATOR]
    for comment in comments:
        parts.append(comment.text)
        if comment.line_comment or comment.newline_after:
            parts.append(HARDLINE)
            if comment.blank_after and comment.ends_statement:  # elsewhere the token may be mid-line
                parts.append(HARDLINE)
        elif not (before_closer and comment is comments[-1]):  # as it prints once trailing: `f(a /* b */)`
            parts.append(" ")
    return parts


def trailing_doc(comments: list[Comment]) -> list[Doc]:
    """Comments after a token on its line: a line comment waits for the end of the line. The token after
    it gets a `LINE_SUFFIX_BOUNDARY` and breaks the groups around it (`Formatter.token`): only the groups
    that hold both tokens must break, so `print(x) // why` and `[a, b] // why⏎{` keep their groups flat."""
    parts: list[Doc] = []
    for comment in comments:
        if comment.line_comment:
            parts.append(LineSuffix(" " + comment.text))
        else:
            parts.append(" " + comment.text)
    return parts


def own_line_doc(comments: list[Comment]) -> list[Doc]:
    """Comments printed each on its own line after what precedes them (before a closing `}` or `)`, or at
    the end of the file), keeping one empty line where there was at least one."""
    parts: list[Doc] = []
    for comment in comments:
        parts.append(HARDLINE)
        if comment.blank_before:
            parts.append(HARDLINE)
        parts.append(comment.text)
        if comment.line_comment:
            parts.append(BREAK_PARENT)
    return parts
