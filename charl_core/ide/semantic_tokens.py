"""Semantic tokens: what each token of the file *is*, for highlighting that a grammar alone cannot give.

A TextMate or tree-sitter grammar sees that `x` is an identifier; only the analysis knows that it is a
parameter, a variable never reassigned, a builtin or a user function, or a dimension variable of a tensor
type (§9.5). The legend, in the order the server announces it:

| token type      | what                                                                       |
|-----------------|----------------------------------------------------------------------------|
| `function`      | user functions (declared and called); builtins too, with `defaultLibrary`  |
| `parameter`     | function parameters                                                        |
| `variable`      | `let` variables, `for` variables, match bindings, unresolved names         |
| `type`          | `int32`, `float64`, `tensor` in a type, cast targets, `model` names         |
| `typeParameter` | dimension variables: `N` in `tensor<float32, [N, 784]>` (§9.5)              |
| `keyword`       | reserved words (§2.2), `true`/`false`, `in`                                |
| `number`        | integer and float literals                                                 |
| `string`        | string literals                                                            |
| `comment`       | line and block comments                                                    |

| modifier         | on                                                                        |
|------------------|---------------------------------------------------------------------------|
| `declaration`    | the name where a `let`, `fn`, parameter, `for` variable or binding is declared |
| `defaultLibrary` | builtins (LANGUAGE.md §8) and the `autograd(…)` form                       |
| `readonly`       | constants: `let` variables that no assignment ever writes                  |

Builtins are functions with `defaultLibrary`, as in every LSP server, so that themes without a rule for
Charl still colour them as functions. Operators and punctuation are left to the grammar.

Names come from the symbol table, everything else from one tree-sitter query (leaves only, matched in C);
a range request runs the query on that range only. An identifier the symbol table does not know (inside a
statement too broken to lower) gets no token: the grammar's highlighting still colours it.

Invariant: never raises; tokens are sorted by start and never overlap.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from tree_sitter import Query, QueryCursor

from charl_core.ast import Span
from charl_core.check.symbols import Definition, SymbolKind, SymbolTable
from charl_core.syntax.language import LANGUAGE

if TYPE_CHECKING:
    from charl_core.analysis import Analysis

T = TypeVar("T")


class TokenType(StrEnum):
    """Values are LSP's standard token type names, so the server's legend is this enum in order."""

    FUNCTION = "function"
    PARAMETER = "parameter"
    VARIABLE = "variable"
    TYPE = "type"
    DIMENSION = "typeParameter"
    KEYWORD = "keyword"
    NUMBER = "number"
    STRING = "string"
    COMMENT = "comment"


class TokenModifier(StrEnum):
    DECLARATION = "declaration"
    DEFAULT_LIBRARY = "defaultLibrary"
    READONLY = "readonly"


@dataclass(frozen=True, slots=True)
class SemanticToken:
    span: Span
    type: TokenType
    modifiers: tuple[TokenModifier, ...] = ()


KEYWORDS = (
    "let", "fn", "return", "if", "else", "for", "while", "match", "break", "continue", "as",
    "and", "or", "not", "in", "model",
)  # fmt: skip
"""Keyword tokens of the grammar (§2.2); `tensor` in a type is a type, `autograd` a builtin form."""

_LEAF_CAPTURES = {
    "comment": TokenType.COMMENT,
    "string": TokenType.STRING,
    "number": TokenType.NUMBER,
    "keyword": TokenType.KEYWORD,
    "type": TokenType.TYPE,
    "dimension": TokenType.DIMENSION,
}

_SYMBOL_TYPES = {
    SymbolKind.FUNCTION: TokenType.FUNCTION,
    SymbolKind.PARAMETER: TokenType.PARAMETER,
    SymbolKind.VARIABLE: TokenType.VARIABLE,
    SymbolKind.LOOP_VARIABLE: TokenType.VARIABLE,
    SymbolKind.MATCH_BINDING: TokenType.VARIABLE,
}


@cache
def _query() -> Query:
    keywords = " ".join(f'"{word}"' for word in KEYWORDS)
    return Query(
        LANGUAGE,
        f"""
        (comment) @comment
        (string) @string
        [(integer) (float)] @number
        [{keywords} (boolean)] @keyword
        (primitive_type) @type
        (tensor_type "tensor" @type)
        (cast_expression type: (identifier) @type)
        (model_definition name: (identifier) @type)
        (dimension (identifier) @dimension)
        "autograd" @builtin
        """,
    )


def semantic_tokens(analysis: Analysis, span: Span | None = None) -> tuple[SemanticToken, ...]:
    """The tokens of the whole text, or of those that intersect `span`."""
    cursor = QueryCursor(_query())
    if span is not None:
        cursor.set_byte_range(max(0, span.start), max(0, span.start, span.end))
    captures = cursor.captures(analysis.tree.root_node)
    by_start = _name_tokens(analysis.symbols, span)
    for name, token_type in _LEAF_CAPTURES.items():
        for node in captures.get(name, ()):
            start = node.start_byte
            by_start[start] = SemanticToken(Span(start, node.end_byte), token_type)
    for node in captures.get("builtin", ()):
        by_start[node.start_byte] = _builtin(Span(node.start_byte, node.end_byte))
    tokens = sorted(by_start.values(), key=lambda token: token.span.start)
    if span is not None:
        tokens = [t for t in tokens if t.span.end > span.start and t.span.start < span.end]
    # MISSING nodes (a string or name tree-sitter inserted to recover) have no text to colour
    return tuple(t for t in tokens if t.span.start < t.span.end <= analysis.parsed_end)


# Shared modifier tuples: a full request builds ~4 tokens per line, and fewer allocations mean fewer
# garbage-collector passes over the analysis' large heap (measured: half the time of a 5,000-line request).
_LIBRARY = (TokenModifier.DEFAULT_LIBRARY,)
_DECLARED = (TokenModifier.DECLARATION,)
_DECLARED_CONSTANT = (TokenModifier.DECLARATION, TokenModifier.READONLY)
_CONSTANT = (TokenModifier.READONLY,)


def _builtin(span: Span) -> SemanticToken:
    return SemanticToken(span, TokenType.FUNCTION, _LIBRARY)


def _name_tokens(symbols: SymbolTable, within: Span | None) -> dict[int, SemanticToken]:
    """Every declared, read, written or called name, from the symbol table rather than the tree: its lists
    already say what each name is, and walking them costs no tree-node objects. The lists are in source
    order, so a range request bisects to its part of each."""
    written = {id(d) for reference in symbols.references if reference.write for d in reference.definitions}
    readonly: dict[tuple[Definition, ...], bool] = {}
    found: dict[int, SemanticToken] = {}
    for definition in _window(symbols.definitions, lambda d: d.name_span, within):
        constant = definition.kind is SymbolKind.VARIABLE and id(definition) not in written
        token_type = _SYMBOL_TYPES[definition.kind]
        modifiers = _DECLARED_CONSTANT if constant else _DECLARED
        found[definition.name_span.start] = SemanticToken(definition.name_span, token_type, modifiers)
    for reference in _window(symbols.references, lambda r: r.span, within):
        definitions = reference.definitions
        if not definitions:
            found[reference.span.start] = SemanticToken(reference.span, TokenType.VARIABLE)
            continue
        constant = readonly.get(definitions)
        if constant is None:  # names read in a loop may have many definitions: decide once per set
            constant = readonly[definitions] = all(
                d.kind is SymbolKind.VARIABLE and id(d) not in written for d in definitions
            )
        modifiers = _CONSTANT if constant else ()
        found[reference.span.start] = SemanticToken(
            reference.span, _SYMBOL_TYPES[definitions[-1].kind], modifiers
        )
    for call in _window(symbols.builtin_references, lambda c: c.span, within):
        found[call.span.start] = _builtin(call.span)
    return found


def _window(items: Sequence[T], span_of: Callable[[T], Span], within: Span | None) -> Iterator[T]:
    """The items (sorted by start) whose span may intersect `within`; all of them when it is None."""
    if within is None:
        yield from items
        return
    index = max(0, bisect_left(items, within.start, key=lambda item: span_of(item).start) - 1)
    for item in items[index:]:
        span = span_of(item)
        if span.start > within.end:
            return
        if span.end >= within.start:
            yield item
