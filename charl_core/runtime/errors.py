"""The run-time error of LANGUAGE.md §5.5: a message that must match the original byte for byte."""

from __future__ import annotations


class CharlError(Exception):
    """A Charl run-time error. `message` is the exact text of §5.11/§8 (numbers in format D); the
    interpreter adds the location and the Charl stack trace when it reports it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
