"""How a failed run is reported on stderr (LANGUAGE.md §3.7, §5.5).

A runtime error prints the original's two lines, `❌ Runtime error:` and the exact message, then this
implementation's location lines: `  at FILE:LINE:COL` for the failing expression and one
`  in fn NAME at FILE:LINE:COL` per user-function frame, innermost first, where the location is the call
that entered the frame. Deep recursion is shortened so that hitting the recursion limit does not print
10 000 lines: a run of identical frame lines keeps its first three and a count, and what remains keeps
its first and last ten lines around a count of those left out.
"""

from __future__ import annotations

from charl_core.ast import Span
from charl_core.runtime.errors import CharlError
from charl_core.syntax.positions import LineIndex

RUNTIME_HEADER = "❌ Runtime error:"
PARSE_HEADER = "❌ Parse error:"
REPEATS_SHOWN = 3
ENDS_SHOWN = 10


def locate(error: CharlError, span: Span) -> CharlError:
    """Record `span` as the failing expression of `error`, unless an inner expression already did."""
    if error.span is None:
        error.span = span
    return error


def where(path: str, lines: LineIndex, span: Span) -> str:
    line, column = lines.display_position(span.start)
    return f"{path}:{line}:{column}"


def runtime_error_text(error: CharlError, path: str, lines: LineIndex) -> str:
    """The whole stderr text of a runtime error, ending with a newline."""
    out = [RUNTIME_HEADER, error.message]
    if error.span is not None:
        out.append(f"  at {where(path, lines, error.span)}")
    frames = [f"  in fn {name} at {where(path, lines, span)}" for name, span in error.frames]
    out.extend(_shorten_middle(_shorten_repeats(frames)))
    return "\n".join(out) + "\n"


def _shorten_repeats(frame_lines: list[str]) -> list[str]:
    shown: list[str] = []
    index = 0
    while index < len(frame_lines):
        end = index
        while end < len(frame_lines) and frame_lines[end] == frame_lines[index]:
            end += 1
        count = end - index
        shown.extend(frame_lines[index : index + min(count, REPEATS_SHOWN)])
        if count > REPEATS_SHOWN:
            shown.append(f"  … the same frame {count - REPEATS_SHOWN} more times")
        index = end
    return shown


def _shorten_middle(frame_lines: list[str]) -> list[str]:
    if len(frame_lines) <= 2 * ENDS_SHOWN + 1:
        return frame_lines
    hidden = len(frame_lines) - 2 * ENDS_SHOWN
    return [*frame_lines[:ENDS_SHOWN], f"  … {hidden} more frames", *frame_lines[-ENDS_SHOWN:]]


def parse_error_text(path: str, messages: list[tuple[int, int, str]]) -> str:
    """`❌ Parse error:` ⏎ `Parser errors:` ⏎ one `FILE:LINE:COL: message` line per syntax error."""
    out = [PARSE_HEADER, "Parser errors:"]
    out.extend(f"{path}:{line}:{column}: {message}" for line, column, message in messages)
    return "\n".join(out) + "\n"
