"""The document IR of the formatter and its printer (Wadler's "prettier printer", as Prettier and ruff do it).

A document is a tree of a few kinds of pieces, built by the rules (`rules.py`) and printed to text here:

- `str`: text printed as is (rules never put a line break in it, except verbatim string literals and
  block comments, which always come with `BREAK_PARENT`);
- `list`: the concatenation of its elements;
- `Group`: printed flat (every `LINE` a space, every `SOFTLINE` nothing) if it fits in the remaining width,
  otherwise broken (every line of the group itself a new line); nested groups decide again, on their own;
- `Indent`: its contents' new lines are indented one level (4 spaces) more;
- `LINE`, `SOFTLINE`, `HARDLINE`: a possible break; a `HARDLINE` always breaks, and so do the groups
  around it (`propagate_breaks`);
- `LineSuffix`: text deferred to the end of the line, for a trailing `// comment` that must not swallow
  the code after it;
- `BREAK_PARENT`: forces the groups around it to break (a line comment, a multi-line string);
- `LINE_SUFFIX_BOUNDARY`: a new line if a line suffix is pending (before the token after a `// comment`,
  where no group offered a line break);
- `IfBreak`: one of two documents, depending on whether the enclosing group broke (a trailing comma).

Width is counted in characters (code points); a line of East Asian text counts each character once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

Doc = Union[
    str,
    list,
    "Group",
    "Indent",
    "Line",
    "LineSuffix",
    "IfBreak",
    "BreakParent",
    "LineSuffixBoundary",
    "Separator",
]


@dataclass(slots=True, eq=False)
class Group:
    contents: Doc
    broken: bool = False


@dataclass(slots=True, eq=False)
class Indent:
    contents: Doc


@dataclass(frozen=True, slots=True)
class Line:
    flat: str  # what the line prints as when its group is flat
    hard: bool = False


@dataclass(slots=True, eq=False)
class LineSuffix:
    contents: str


@dataclass(slots=True, eq=False)
class IfBreak:
    broken: Doc
    flat: Doc = ""


@dataclass(frozen=True, slots=True)
class BreakParent:
    pass


@dataclass(frozen=True, slots=True)
class Separator:
    """A space, unless the line so far is empty or ends with a space (or with an opening bracket, when
    `after_bracket` is false): before a comment that may or may not start its line."""

    after_bracket: bool = False


@dataclass(frozen=True, slots=True)
class LineSuffixBoundary:
    """A new line here if a line suffix is pending: the token after a `// comment` never shares its line."""


LINE = Line(" ")
SOFTLINE = Line("")
HARDLINE = Line("", hard=True)
BREAK_PARENT = BreakParent()
LINE_SUFFIX_BOUNDARY = LineSuffixBoundary()
SEPARATOR = Separator()
LINE_COMMENT_SEPARATOR = Separator(after_bracket=True)

INDENT_WIDTH = 4

_FLAT, _BREAK = 0, 1


def join(separator: Doc, docs: list[Doc]) -> list[Doc]:
    parts: list[Doc] = []
    for i, doc in enumerate(docs):
        if i:
            parts.append(separator)
        parts.append(doc)
    return parts


def propagate_breaks(doc: Doc) -> bool:
    """Mark every group that contains a hard line or a `BREAK_PARENT` as broken; returns whether `doc`
    itself contains one. Iterative: documents nest as deeply as the expressions they print."""
    # Post-order over an explicit stack: (doc, children-visited?) frames; `found` collects per frame.
    found: list[bool] = [False]
    stack: list[tuple[Doc, bool]] = [(doc, False)]
    while stack:
        node, visited = stack.pop()
        kind = type(node)
        if kind is str:
            continue
        if kind is list:
            stack.extend((child, False) for child in node)
            continue
        if kind is Group or kind is Indent or kind is IfBreak:
            if visited:
                inner = found.pop()
                if kind is Group and inner:
                    node.broken = True
                if inner:
                    found[-1] = True
            else:
                found.append(False)
                stack.append((node, True))
                if kind is IfBreak:
                    stack.append((node.broken, False))  # only the broken branch can hold a hard line
                else:
                    stack.append((node.contents, False))
            continue
        if kind is Line:
            if node.hard:
                found[-1] = True
        elif kind is BreakParent:
            found[-1] = True
    return found[0]


def _fits(command: tuple[int, int, Doc], rest: list[tuple[int, int, Doc]], width: int, suffix: bool) -> bool:
    """Whether `command` printed flat, followed by the commands still on the stack up to their first
    possible line break, fits in `width` columns. `suffix`: a line suffix is pending (so the next
    `LINE_SUFFIX_BOUNDARY` is a line break)."""
    stack = [command[1:]]
    rest_index = len(rest)
    while width >= 0:
        if not stack:
            if rest_index == 0:
                return True
            rest_index -= 1
            stack.append(rest[rest_index][1:])
            continue
        mode, node = stack.pop()
        kind = type(node)
        if kind is str:
            newline = node.find("\n")
            if newline >= 0:  # a multi-line comment or string: the rest is on other lines
                return width - newline >= 0
            if not node.startswith("//"):  # a `// comment` takes no width, where it leads or trails
                width -= len(node)
        elif kind is list:
            stack.extend((mode, child) for child in reversed(node))
        elif kind is Line:
            if mode == _BREAK or node.hard:
                return True
            width -= len(node.flat)
        elif kind is Group:
            stack.append((_BREAK if node.broken else mode, node.contents))
        elif kind is Indent:
            stack.append((mode, node.contents))
        elif kind is IfBreak:
            stack.append((mode, node.broken if mode == _BREAK else node.flat))
        elif kind is Separator:
            width -= 1
        elif kind is LineSuffix:
            suffix = True
        elif kind is LineSuffixBoundary and suffix:
            return True
        # BreakParent takes no width.
    return False


def _trim(out: list[str]) -> None:
    """Drop the spaces at the end of the output so far (before a new line or a line suffix)."""
    while out and out[-1].endswith((" ", "\t")):
        out[-1] = out[-1].rstrip(" \t")


def _one_per_line(suffixes: list[tuple[int, int, Doc]]) -> list[tuple[int, int, Doc]]:
    """Line suffixes are `// comments`: two on one line would make the second part of the first, so each
    after the first goes on a line of its own."""
    commands = [suffixes[0]]
    for indent, mode, text in suffixes[1:]:
        commands.append((indent, _BREAK, HARDLINE))
        commands.append((indent, mode, text.lstrip() if isinstance(text, str) else text))
    return commands


def print_document(doc: Doc, width: int = 100, newline: str = "\n") -> str:
    """The text of `doc` in lines of at most `width` characters where the groups allow it. Trailing
    whitespace is never printed; a pending line suffix is printed before each new line."""
    propagate_breaks(doc)
    out: list[str] = []
    column = 0
    suffixes: list[tuple[int, int, Doc]] = []
    stack: list[tuple[int, int, Doc]] = [(0, _BREAK, doc)]
    indents: dict[int, str] = {}
    while stack:
        command = stack.pop()
        indent, mode, node = command
        kind = type(node)
        if kind is str:
            if node:
                out.append(node)
                last = node.rfind("\n")
                column = column + len(node) if last < 0 else len(node) - last - 1
        elif kind is list:
            stack.extend((indent, mode, child) for child in reversed(node))
        elif kind is Group:
            if mode == _FLAT and not node.broken:
                stack.append((indent, _FLAT, node.contents))
            else:
                flat = (indent, _FLAT, node.contents)
                if not node.broken and _fits(flat, stack, width - column, bool(suffixes)):
                    stack.append(flat)
                else:
                    stack.append((indent, _BREAK, node.contents))
        elif kind is Indent:
            stack.append((indent + 1, mode, node.contents))
        elif kind is Line or kind is LineSuffixBoundary:
            if kind is LineSuffixBoundary:
                if not suffixes:
                    continue
                command = (indent, mode, HARDLINE)
            elif mode == _FLAT and not node.hard:
                if node.flat:
                    out.append(node.flat)
                    column += len(node.flat)
                continue
            if suffixes:
                stack.append(command)
                stack.extend(reversed(_one_per_line(suffixes)))
                suffixes.clear()
                _trim(out)
                continue
            _trim(out)
            prefix = indents.get(indent)
            if prefix is None:
                prefix = indents[indent] = " " * (INDENT_WIDTH * indent)
            out.append(newline)
            out.append(prefix)
            column = len(prefix)
        elif kind is LineSuffix:
            suffixes.append((indent, mode, node.contents))
        elif kind is IfBreak:
            stack.append((indent, mode, node.broken if mode == _BREAK else node.flat))
        elif kind is BreakParent:
            pass
        elif kind is Separator:
            ends = (" ", "\t", "\n") if node.after_bracket else (" ", "\t", "\n", "(", "[", "{")
            if out and not out[-1].endswith(ends) and out[-1].strip(" "):
                out.append(" ")
                column += 1
        else:
            raise TypeError(f"not a document: {node!r}")
        if not stack and suffixes:
            stack.extend(reversed(_one_per_line(suffixes)))
            suffixes.clear()
            _trim(out)
    return "".join(out)


__all__ = [
    "BREAK_PARENT",
    "HARDLINE",
    "LINE",
    "LINE_COMMENT_SEPARATOR",
    "LINE_SUFFIX_BOUNDARY",
    "SEPARATOR",
    "SOFTLINE",
    "Doc",
    "Group",
    "IfBreak",
    "Indent",
    "LineSuffix",
    "join",
    "print_document",
    "propagate_breaks",
]
