"""The facade the language server and the CLI use: a `Workspace` of open documents, and the `Analysis` of
one version of one document, with every editor query over it.

An `Analysis` is an immutable snapshot: it holds the text, line index and tree of one document version
(a `Document` replaces them on each edit and never mutates a published tree), so it can be computed on
another thread while new edits arrive. Everything in it is computed on first use and then kept: lowering,
syntax diagnostics, the checker, the symbol table. Queries take UTF-8 byte offsets (`offset_at` converts an
LSP position, in the workspace's position encoding) and return plain frozen dataclasses with byte `Span`s;
each feature is one module of `charl_core.ide`.

The checker's results and the syntax diagnostics' lexical findings are cached per top-level item across
versions (`charl_core.check.incremental`, `charl_core.syntax.errors`): the `Workspace` keeps one
`CheckCacheSlot` per document, each `Analysis` reads the latest caches when it computes and leaves its own
there. The cache only makes checks faster: an `Analysis` is the same whatever it
found there, so it stays an immutable snapshot of its version.

The checker runs only on text without syntax errors (warnings such as W215 do not count): such a program
does not run at all (LANGUAGE.md §3.7), and the names a broken statement declares would look undefined.
`charl check` and the server both get that rule from `Analysis.diagnostics`.

Invariant: no IO, no LSP library types, and no query raises, whatever the text or the offset (offsets
outside the text, or past a NUL that ends it (§2.1), give None or nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from tree_sitter import Tree

from charl_core import ast
from charl_core.ast import Span
from charl_core.check import EMPTY_CACHE, CheckCache, CheckResult, check_tree
from charl_core.check.items import program_of, symbols_of
from charl_core.check.symbols import SymbolTable, symbol_table
from charl_core.diagnostics import Diagnostic, sort_key
from charl_core.ide import (
    code_actions,
    completion,
    folding,
    hover,
    inlay_hints,
    navigation,
    selection,
    semantic_tokens,
    signature,
)
from charl_core.ide.code_actions import CodeAction
from charl_core.ide.completion import Completions, PositionKind
from charl_core.ide.declarations import Declarations
from charl_core.ide.folding import Fold
from charl_core.ide.hover import Hover
from charl_core.ide.inlay_hints import InlayHint, InlayHintOptions
from charl_core.ide.navigation import Highlight, Symbol, Target
from charl_core.ide.semantic_tokens import SemanticToken
from charl_core.ide.signature import SignatureHelp
from charl_core.syntax.document import Document, TextChange
from charl_core.syntax.errors import EMPTY_SYNTAX_CACHE, SyntaxCache, cached_syntax_diagnostics
from charl_core.syntax.positions import Encoding, LineIndex, Position

__all__ = [
    "Analysis",
    "Completions",
    "Highlight",
    "Hover",
    "SignatureHelp",
    "Symbol",
    "Target",
    "Workspace",
]


T = TypeVar("T")


class CheckCacheSlot:
    """Where the analyses of one document leave their caches for the next version: the checker's and the
    syntax diagnostics'. Any cache gives the same results, so a slot needs no lock: a slow analysis of an
    old version that finishes last only leaves a less useful cache."""

    __slots__ = ("cache", "syntax")

    def __init__(self) -> None:
        self.cache: CheckCache = EMPTY_CACHE
        self.syntax: SyntaxCache = EMPTY_SYNTAX_CACHE


class _computed_once(Generic[T]):
    """A value computed on first access and stored on the instance. `functools.cached_property` would do,
    but up to Python 3.11 it takes one lock per class attribute, shared by all instances: the server's
    hover on a new version would wait for the check of an old version running on another thread."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = self.compute(instance)
        instance.__dict__[self.name] = value  # shadows this non-data descriptor from now on
        return value


class Analysis:
    """Everything known about one version of one document. Its attributes are read-only by convention."""

    def __init__(
        self,
        uri: str,
        version: int,
        source: bytes,
        tree: Tree,
        lines: LineIndex,
        parsed_end: int,
        encoding: Encoding = Encoding.UTF16,
        cache: CheckCacheSlot | None = None,
    ) -> None:
        self.uri = uri
        self.version = version
        self.source = source
        self.tree = tree
        self.lines = lines
        self.parsed_end = parsed_end
        """Where parsing stopped: the first NUL, or the end (LANGUAGE.md §2.1)."""
        self.encoding = encoding
        self._cache = cache if cache is not None else CheckCacheSlot()

    @classmethod
    def of_document(
        cls,
        document: Document,
        uri: str = "",
        encoding: Encoding = Encoding.UTF16,
        cache: CheckCacheSlot | None = None,
    ) -> Analysis:
        """A snapshot of the document as it is now; later edits to it do not reach the snapshot. `cache`:
        the slot an earlier version's analysis left its checker cache in."""
        return cls(
            uri,
            document.version,
            document.source,
            document.tree,
            document.lines,
            document.parsed_end,
            encoding,
            cache,
        )

    @classmethod
    def of_text(cls, text: str, uri: str = "", encoding: Encoding = Encoding.UTF16) -> Analysis:
        return cls.of_document(Document(text), uri, encoding)

    # ── computed on first use ──

    @_computed_once
    def program(self) -> ast.Program:
        """The AST; the statements the checker cache has already lowered are reused (moved ones re-based)."""
        cache = self._cache.cache
        return program_of(self.tree, self.source, cache.known_syntax(), cache.digests)

    @_computed_once
    def syntax_diagnostics(self) -> list[Diagnostic]:
        """E001 and W215; the lexical rules re-run only on the statements an edit changed."""
        slot = self._cache
        found, slot.syntax = cached_syntax_diagnostics(
            self.tree, self.source, self.lines.display_position, slot.syntax
        )
        return found

    @_computed_once
    def check(self) -> CheckResult | None:
        """The checker's result; None when the text has a syntax error. A tree with ERROR or MISSING nodes
        always gets an E001, so hover and completion on broken text need not wait for the messages."""
        if self.tree.root_node.has_error:
            return None
        if any(diagnostic.is_error for diagnostic in self.syntax_diagnostics):
            return None
        result, self._cache.cache = check_tree(self.tree, self.source, self._cache.cache)
        return result

    @_computed_once
    def symbols(self) -> SymbolTable:
        """The symbol table; without ERROR nodes, linked from the items' own resolutions, which the checker
        cache keeps (`check/item_symbols.py`): an edit re-resolves only the items it changed."""
        if self.tree.root_node.has_error:
            return symbol_table(self.program)
        cache = self._cache.cache
        return symbols_of(self.tree, self.source, cache.known_syntax(), cache.digests)

    @_computed_once
    def declarations(self) -> Declarations:
        return Declarations(self.program, self.check)

    @_computed_once
    def _diagnostics(self) -> tuple[Diagnostic, ...]:
        found = list(self.syntax_diagnostics)
        if self.check is not None:
            found += self.check.diagnostics
        return tuple(sorted(found, key=sort_key))

    def diagnostics(self) -> list[Diagnostic]:
        """Syntax diagnostics, and the checker's when there is no syntax error, sorted by position."""
        return list(self._diagnostics)

    # ── positions ──

    def offset_at(self, line: int, character: int) -> int:
        """The byte offset of an LSP position (clamped into the text)."""
        return self.lines.offset_of(line, character, self.encoding)

    def position_at(self, offset: int) -> Position:
        return self.lines.position_of(offset, self.encoding)

    def range_of(self, span: Span) -> tuple[Position, Position]:
        return self.lines.range_of(span, self.encoding)

    def _in_text(self, offset: int) -> bool:
        return 0 <= offset <= self.parsed_end

    # ── queries ──

    def type_at(self, offset: int) -> Hover | None:
        """Hover: the name or innermost expression at `offset`, its type and documentation."""
        return hover.hover(self, offset) if self._in_text(offset) else None

    def definition(self, offset: int) -> tuple[Target, ...]:
        """The declarations the name at `offset` may refer to; none for a builtin."""
        return navigation.definition(self, offset) if self._in_text(offset) else ()

    def references(self, offset: int, include_declaration: bool = True) -> tuple[Span, ...]:
        """Every read and write of what the name at `offset` refers to (every call, for a builtin)."""
        return navigation.references(self, offset, include_declaration) if self._in_text(offset) else ()

    def highlights(self, offset: int) -> tuple[Highlight, ...]:
        return navigation.highlights(self, offset) if self._in_text(offset) else ()

    def document_symbols(self) -> tuple[Symbol, ...]:
        """The outline: functions holding what they declare, and top-level variables."""
        return navigation.document_symbols(self)

    def completions_context(self, offset: int) -> Completions:
        """The kind of position at `offset`, the word typed so far and the candidates that fit there."""
        if not self._in_text(offset):
            return Completions(PositionKind.NONE, "", Span(offset, offset), ())
        return completion.completions(self, offset)

    def signature_at(self, offset: int) -> SignatureHelp | None:
        """The innermost call whose argument list holds `offset`, and the argument the cursor is in."""
        return signature.signature_at(self, offset) if self._in_text(offset) else None

    # ── presentation queries (semantic tokens, folding, selection, inlay hints, code actions) ──

    def semantic_tokens(self, span: Span | None = None) -> tuple[SemanticToken, ...]:
        """What each name, literal, keyword and comment is, for highlighting (the whole text by default)."""
        return semantic_tokens.semantic_tokens(self, span)

    def folding_ranges(self) -> tuple[Fold, ...]:
        return folding.folding_ranges(self)

    def selection_ranges(self, offset: int) -> tuple[Span, ...]:
        """The nested spans around `offset`, innermost first."""
        return selection.selection_ranges(self, offset)

    def inlay_hints(
        self, span: Span | None = None, options: InlayHintOptions | None = None
    ) -> tuple[InlayHint, ...]:
        """Tensor shapes after `let`s and loop-carried assignments, parameter names at builtin calls."""
        return inlay_hints.inlay_hints(self, span, options or InlayHintOptions())

    def code_actions(self, span: Span, diagnostics: list[Diagnostic] | None = None) -> tuple[CodeAction, ...]:
        """Quick fixes for the diagnostics at `span` (or those given) and the refactors that apply there."""
        return code_actions.code_actions(self, span, diagnostics)


class Workspace:
    """The open documents, by URI (or any key: the CLI uses paths). Not thread-safe; the analyses it
    hands out are snapshots and may be used anywhere."""

    def __init__(self, encoding: Encoding = Encoding.UTF16) -> None:
        self.encoding = encoding
        self._documents: dict[str, Document] = {}
        self._analyses: dict[str, Analysis] = {}
        self._caches: dict[str, CheckCacheSlot] = {}

    def open(self, uri: str, text: str, version: int = 0) -> None:
        self._documents[uri] = Document(text, version)
        self._analyses.pop(uri, None)
        self._caches[uri] = CheckCacheSlot()

    def change(self, uri: str, changes: Iterable[TextChange], version: int) -> None:
        """Apply LSP content changes (in this workspace's encoding). Raises KeyError if `uri` is not open."""
        self._documents[uri].apply_changes(changes, version, self.encoding)
        self._analyses.pop(uri, None)

    def close(self, uri: str) -> None:
        self._documents.pop(uri, None)
        self._analyses.pop(uri, None)
        self._caches.pop(uri, None)

    def __contains__(self, uri: str) -> bool:
        return uri in self._documents

    def uris(self) -> list[str]:
        return list(self._documents)

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version (the same object until the next change); None if
        the document is not open."""
        found = self._analyses.get(uri)
        if found is None:
            document = self._documents.get(uri)
            if document is None:
                return None
            slot = self._caches.setdefault(uri, CheckCacheSlot())
            found = self._analyses[uri] = Analysis.of_document(document, uri, self.encoding, slot)
        return found
