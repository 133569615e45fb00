"""The run-time error of LANGUAGE.md §5.5: a message that must match the original byte for byte."""

from __future__ import annotations

from typing import Any


class CharlError(Exception):
    """A Charl run-time error. `message` is the exact text of §5.11/§8 (numbers in format D); the
    interpreter adds the location and the Charl stack trace when it reports it.

    `span` is the byte span of the failing expression (set by the innermost expression that sees the error);
    `frames` lists `(function name, call span)` for each user-function frame the error left, innermost first.
    Builtins never set either."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.span: Any = None
        self.frames: list[tuple[str, Any]] = []
