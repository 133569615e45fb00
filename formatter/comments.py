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
from formatter.document import BREAK_PARENT, HARDLINE, Doc, LineSuffix


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
        self.starts = [comment.start for comment in raw]
        previous_item_end = 0
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
            same_line = found.previous_end >= 0 and source.find(b"\n", found.previous_end, found.start) < 0
            if same_line and (comment.line_comment or comment.newline_after):
                self.trailing.setdefault(found.previous_end, []).append(comment)
            elif found.next_start >= 0:
                self.leading.setdefault(found.next_start, []).append(comment)
            else:
                self.dangling.append(comment)

    def inside(self, start: int, end: int) -> bool:
        """Whether a comment starts within `start`..`end` (a block that holds one never prints flat)."""
        index = bisect_left(self.starts, start)
        return index < len(self.starts) and self.starts[index] < end


def _blank_line(source: bytes, start: int, end: int) -> bool:
    """Whether `source[start:end]` (whitespace, possibly with `\\r`) holds an empty line."""
    first = source.find(b"\n", start, end)
    return first >= 0 and source.find(b"\n", first + 1, end) >= 0


def leading_doc(comments: list[Comment]) -> list[Doc]:
    """Comments before a token: each on its own line(s) when it was, else inline before the token."""
    parts: list[Doc] = []
    for comment in comments:
        parts.append(comment.text)
        if comment.multiline:
            parts.append(BREAK_PARENT)
        if comment.line_comment or comment.newline_after:
            parts.append(HARDLINE)
            if comment.blank_after:
                parts.append(HARDLINE)
        else:
            parts.append(" ")
    return parts


def trailing_doc(comments: list[Comment]) -> list[Doc]:
    """Comments after a token on its line: a line comment waits for the end of the line, and breaks the
    groups around it unless the statement ends there anyway (`print(x) // why` stays on one line)."""
    parts: list[Doc] = []
    for comment in comments:
        if comment.line_comment:
            parts.append(LineSuffix(" " + comment.text))
            if not comment.ends_statement:
                parts.append(BREAK_PARENT)
        else:
            parts.append(" " + comment.text)
            if comment.multiline:
                parts.append(BREAK_PARENT)
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
        if comment.multiline or comment.line_comment:
            parts.append(BREAK_PARENT)
    return parts
