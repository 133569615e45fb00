"""Folding ranges: blocks and bracketed lists, runs of line comments, block comments, and `// #region`.

- **block**: a block, match, argument or parameter list, array or tuple over several lines, from its
  opening bracket to the line before the closing one (the closer stays visible), or to the closer itself
  when something precedes it on its line.
- **comment**: a block comment over several lines, or two or more `//` comments alone on consecutive
  lines (a `// #region` line ends a run).
- **region**: from `// #region [name]` to the matching `// #endregion`.

Regions nest; an unmatched `#endregion` is ignored and an unclosed `#region` folds nothing. Folds are in
byte offsets: `end` is an offset on the last line to fold, so an editor folding whole lines hides exactly
from the line after `start` to the line of `end`. At most one fold starts on a line (the outermost),
since editors keep only one per line anyway.

Invariant: never raises; one query over the tree plus one pass over the comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from tree_sitter import Node, Query, QueryCursor

from charl_core.syntax.language import LANGUAGE

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


class FoldKind(StrEnum):
    """Values are LSP's folding range kinds, `block` standing for "no kind"."""

    BLOCK = "block"
    COMMENT = "comment"
    REGION = "region"


@dataclass(frozen=True, slots=True)
class Fold:
    start: int
    end: int
    kind: FoldKind


_REGION = re.compile(rb"//\s*#region\b")
_END_REGION = re.compile(rb"//\s*#endregion\b")

_BRACKETED = ("block", "match_block", "arguments", "parameters", "array_expression", "tuple_expression")


@cache
def _query() -> Query:
    nodes = " ".join(f"({name})" for name in _BRACKETED)
    return Query(LANGUAGE, f"[{nodes}] @bracketed (comment) @comment")


def folding_ranges(analysis: Analysis) -> tuple[Fold, ...]:
    captures = QueryCursor(_query()).captures(analysis.tree.root_node)
    lines = analysis.lines
    folds = [fold for node in captures.get("bracketed", ()) if (fold := _bracketed(analysis, node))]
    comments = sorted(captures.get("comment", ()), key=lambda node: node.start_byte)
    folds += _comment_folds(analysis, comments)
    folds += _regions(analysis, comments)
    outermost: dict[int, Fold] = {}
    for fold in folds:
        if fold.end > analysis.parsed_end:
            continue
        first, last = lines.line_of(fold.start), lines.line_of(fold.end)
        if last <= first:
            continue
        known = outermost.get(first)
        if known is None or lines.line_of(known.end) < last:
            outermost[first] = fold
    return tuple(sorted(outermost.values(), key=lambda fold: (fold.start, -fold.end)))


def _bracketed(analysis: Analysis, node: Node) -> Fold | None:
    """A bracketed node folds up to the line before its closing bracket when that bracket starts its line,
    else up to the bracket itself (`foo(a,\\n  b)` hides `  b)`)."""
    closer = node.child(node.child_count - 1) if node.child_count else None
    if closer is None or closer.is_missing or closer.type not in ("}", ")", "]"):
        return None
    end = closer.start_byte
    lines = analysis.lines
    line_start = lines.line_start(lines.line_of(end))
    if analysis.source[line_start:end].strip() == b"":
        end = max(line_start - 1, node.start_byte)
    return Fold(node.start_byte, end, FoldKind.BLOCK)


def _comment_folds(analysis: Analysis, comments: list[Node]) -> list[Fold]:
    """Block comments over several lines, and runs of `//` comments each alone on consecutive lines."""
    folds: list[Fold] = []
    lines = analysis.lines
    source = analysis.source
    run: list[Node] = []

    def close_run() -> None:
        if len(run) > 1:
            folds.append(Fold(run[0].start_byte, run[-1].end_byte, FoldKind.COMMENT))
        run.clear()

    for comment in comments:
        text = source[comment.start_byte : comment.end_byte]
        if not text.startswith(b"//"):
            close_run()
            folds.append(Fold(comment.start_byte, comment.end_byte, FoldKind.COMMENT))
            continue
        line = lines.line_of(comment.start_byte)
        alone = source[lines.line_start(line) : comment.start_byte].strip() == b""
        if not alone or _REGION.match(text) or _END_REGION.match(text):
            close_run()
            continue
        if run and lines.line_of(run[-1].start_byte) != line - 1:
            close_run()
        run.append(comment)
    close_run()
    return folds


def _regions(analysis: Analysis, comments: list[Node]) -> list[Fold]:
    source = analysis.source
    open_regions: list[int] = []
    folds: list[Fold] = []
    for comment in comments:
        text = source[comment.start_byte : comment.end_byte]
        if _REGION.match(text):
            open_regions.append(comment.start_byte)
        elif _END_REGION.match(text) and open_regions:
            folds.append(Fold(open_regions.pop(), comment.end_byte, FoldKind.REGION))
    return folds
