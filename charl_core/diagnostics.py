"""The diagnostic model shared by every producer (syntax, checker) and consumer (CLI, language server).

Diagnostics carry byte spans; turning them into lines and columns (characters for the CLI, UTF-16 units
for LSP) is the consumer's job, through `charl_core.syntax.positions.LineIndex`.

Invariant: plain data, no IO, nothing here knows about tree-sitter or LSP.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from charl_core.ast import Span


class Severity(IntEnum):
    """Ordered like LSP's DiagnosticSeverity, so the values convert directly."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    """A second location that explains a diagnostic ("the block was opened here")."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `code` is a code of LANGUAGE.md §4.5 (`E001`, `W215`, …); `data` is machine-readable
    detail for quick fixes (for example the replacement text)."""

    span: Span
    severity: Severity
    code: str
    message: str
    related: tuple[Related, ...] = ()
    data: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_key(diagnostic: Diagnostic) -> tuple[int, int, str]:
    return (diagnostic.span.start, diagnostic.span.end, diagnostic.code)


def moved(diagnostic: Diagnostic, shift: int) -> Diagnostic:
    """`diagnostic` with its span and related spans moved by `shift` bytes: a cached finding of a statement
    that an edit above it moved (the incremental syntax diagnostics and checker reuse findings this way)."""
    if not shift:
        return diagnostic
    span = Span(diagnostic.span.start + shift, diagnostic.span.end + shift)
    related = tuple(
        Related(Span(other.span.start + shift, other.span.end + shift), other.message)
        for other in diagnostic.related
    )
    return replace(diagnostic, span=span, related=related)
