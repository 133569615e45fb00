"""Completion: what kind of position the cursor is in, the word typed so far, and what may go there.

The position is read from the tokens before the cursor (`cursor.read_cursor`), since the text is usually
broken while it is typed:

| position    | where                                                  | candidates                          |
|-------------|--------------------------------------------------------|-------------------------------------|
| statement   | where a statement may start (§2.6: after an operand)   | names, builtins, statement keywords |
| expression  | inside an expression                                   | names, builtins, expr. keywords     |
| type        | after `:`, `->`, `as`; inside `[…]`/`(…)` of a type    | type names (dtypes in `tensor<`)    |
| dimension   | in the shape of `tensor<…, [` … `]>`                   | `_`, the annotation's dimensions    |
| tuple_index | after `.`                                              | `0`, `1`, … when the tuple is known |
| declaration | a name being declared (`let x`, `fn f`, a parameter)   | nothing                             |
| none        | in a comment, a string or a number, or past the text   | nothing                             |

Visible names follow the run-time scopes (LANGUAGE.md §5.6, §5.7, §9.2): declarations that have run before
the cursor in the scopes around it (a `let` in an `if`/`while` counts, one in a `for` body or another
function does not); inside a function, only what was bound before its `fn` statement (the snapshot), its
parameters, itself and every top-level function; in a loop body, also what the body declares later (it
may have run on an earlier iteration). A user `fn` named like a builtin is left out: calls go to the
builtin (§5.7). Candidates are not filtered by the prefix: editors match fuzzily themselves.

Invariant: never raises; the cost is the statement around the cursor plus one pass over the declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from charl_core import ast
from charl_core.builtins import lookup, names
from charl_core.check.symbols import Definition, ScopeKind, SymbolKind
from charl_core.ide.cursor import Cursor, Token, ends_operand, node_path, read_cursor, statement_start
from charl_core.ide.declarations import type_facts
from charl_core.ide.hover import builtin_doc
from charl_core.syntax.lexical import RESERVED_WORDS
from charl_core.types import TupleType

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


class PositionKind(StrEnum):
    STATEMENT = "statement"
    EXPRESSION = "expression"
    TYPE = "type"
    DIMENSION = "dimension"
    TUPLE_INDEX = "tuple_index"
    DECLARATION = "declaration"
    NONE = "none"


class CompletionKind(StrEnum):
    VARIABLE = "variable"
    PARAMETER = "parameter"
    FUNCTION = "function"
    LOOP_VARIABLE = "loop_variable"
    MATCH_BINDING = "match_binding"
    BUILTIN = "builtin"
    KEYWORD = "keyword"
    TYPE = "type"
    DIMENSION = "dimension"
    TUPLE_INDEX = "tuple_index"


@dataclass(frozen=True, slots=True)
class CompletionItem:
    """One candidate. `detail`: a name's type or a function's signature (when known), a builtin's usage.
    Builtins also carry their one-line `summary` and `usage` (the call form, for a snippet)."""

    label: str
    kind: CompletionKind
    detail: str | None = None
    summary: str | None = None
    usage: str | None = None


@dataclass(frozen=True, slots=True)
class Completions:
    """`replace` is the span of the `prefix` (the part of a word already typed), which an item replaces."""

    position: PositionKind
    prefix: str
    replace: ast.Span
    items: tuple[CompletionItem, ...]


EXPRESSION_KEYWORDS = ("if", "match", "true", "false", "not", "autograd")
STATEMENT_KEYWORDS = ("let", "fn", "while", "for", "return", *EXPRESSION_KEYWORDS)
LOOP_KEYWORDS = ("break", "continue")
TYPE_NAMES = ("tensor", "float32", "float64", "int32", "int64", "float", "int", "bool", "string", "concept")
DTYPE_NAMES = ("float32", "float64", "int32", "int64", "float", "int", "bool")  # §9.5
CAST_TARGETS = ("int32", "int64", "float32", "float64", "int", "float", "bool")  # §5.10, §9.5

_DECLARES = frozenset({"let", "fn", "for"})

_TYPE_PUNCTUATION = frozenset({"<", ">", "[", "]", "(", ")", ",", ";"})

_KIND_OF_SYMBOL = {
    SymbolKind.VARIABLE: CompletionKind.VARIABLE,
    SymbolKind.PARAMETER: CompletionKind.PARAMETER,
    SymbolKind.FUNCTION: CompletionKind.FUNCTION,
    SymbolKind.LOOP_VARIABLE: CompletionKind.LOOP_VARIABLE,
    SymbolKind.MATCH_BINDING: CompletionKind.MATCH_BINDING,
}


def completions(analysis: Analysis, offset: int) -> Completions:
    cursor = read_cursor(analysis.tree, analysis.source, offset)
    replace = ast.Span(cursor.prefix_start, offset)
    if not cursor.in_code or _typing_number(cursor):
        return Completions(PositionKind.NONE, cursor.prefix, replace, ())
    position, words = _classify(cursor)
    items: list[CompletionItem] = []
    if position in (PositionKind.STATEMENT, PositionKind.EXPRESSION):
        path = node_path(analysis.program, offset, offset)
        items += _names(analysis, offset, path, _let_being_written(cursor))
        keywords = list(words)
        if position is PositionKind.STATEMENT and _in_loop(path, offset):
            keywords += LOOP_KEYWORDS
        items += (CompletionItem(word, CompletionKind.KEYWORD) for word in keywords)
        items += _builtin_items()
    elif position is PositionKind.TYPE:
        items += (CompletionItem(word, CompletionKind.TYPE) for word in words)
    elif position is PositionKind.DIMENSION:
        items += (CompletionItem(word, CompletionKind.DIMENSION) for word in words)
    elif position is PositionKind.TUPLE_INDEX:
        items += _tuple_fields(analysis, cursor)
    return Completions(position, cursor.prefix, replace, tuple(items))


# ───────────────────────────── the kind of position ─────────────────────────────


def _typing_number(cursor: Cursor) -> bool:
    last = cursor.before()
    return not cursor.prefix and last is not None and last.kind == "number" and last.end == cursor.offset


def _classify(cursor: Cursor) -> tuple[PositionKind, tuple[str, ...]]:
    """The position and the keywords (or type or dimension names) that fit there."""
    tokens = cursor.tokens
    previous = cursor.before()
    typed = _type_position(tokens)
    if typed is not None:
        return typed
    if previous is None:
        return PositionKind.STATEMENT, STATEMENT_KEYWORDS
    text = previous.text
    if previous.kind == "punct" and text == ".":
        return PositionKind.TUPLE_INDEX, ()
    if previous.kind == "word" and text == "as":
        return PositionKind.TYPE, CAST_TARGETS
    if (previous.kind == "word" and text in _DECLARES) or _in_parameter_names(tokens):
        return PositionKind.DECLARATION, ()
    loop_head = cursor.before(3)
    if text == "in" and loop_head is not None and loop_head.text == "for":  # `in` is a word only there (§3.1)
        return PositionKind.EXPRESSION, EXPRESSION_KEYWORDS
    if (previous.kind == "punct" and text in ("{", "}", ";")) or ends_operand(previous):
        keywords = (*STATEMENT_KEYWORDS, "else") if text == "}" else STATEMENT_KEYWORDS
        return PositionKind.STATEMENT, keywords
    return PositionKind.EXPRESSION, EXPRESSION_KEYWORDS


def _type_position(tokens: tuple[Token, ...]) -> tuple[PositionKind, tuple[str, ...]] | None:
    """If the cursor is inside a type annotation: walk back to its `:` or `->` over tokens that may occur
    in a type, then forward again to see whether the type is still open at the cursor and what it
    expects there."""
    index = len(tokens) - 1
    while index >= 0:
        token = tokens[index]
        if token.text in (":", "->") and token.kind == "punct":
            break
        if not (token.kind in ("word", "number") or token.text in _TYPE_PUNCTUATION):
            return None
        index -= 1
    else:
        return None
    open_brackets: list[str] = []  # "<" of a tensor type, "shape", "[" of an array type, "("
    expects_type = True
    previous: Token | None = None
    for token in tokens[index + 1 :]:
        text = token.text
        if text == "<":
            open_brackets.append("<" if previous is not None and previous.text == "tensor" else "?")
        elif text == "[":
            in_tensor = open_brackets[-1:] == ["<"] and previous is not None and previous.text == ","
            open_brackets.append("shape" if in_tensor else "[")
        elif text == "(":
            open_brackets.append("(")
        elif text in (">", "]", ")"):
            if not open_brackets:
                return None
            open_brackets.pop()
        elif text in (",", ";") and not open_brackets:
            return None  # the type ended: `fn f(a: int, b`
        expects_type = text in ("<", "[", "(", ",", ";")
        previous = token
    if not expects_type:
        return None if not open_brackets else (PositionKind.NONE, ())
    innermost = open_brackets[-1] if open_brackets else None
    if innermost == "shape":
        return PositionKind.DIMENSION, _dimension_names(tokens[index + 1 :])
    last = previous.text if previous is not None else ":"
    if last == ";" or (innermost == "<" and last == ","):
        return PositionKind.NONE, ()  # an array length, or the `[` of a tensor's shape
    return PositionKind.TYPE, DTYPE_NAMES if innermost == "<" else TYPE_NAMES


def _dimension_names(tokens: tuple[Token, ...]) -> tuple[str, ...]:
    """`_` and the dimension variables already written in this annotation (§9.5)."""
    found = dict.fromkeys(["_"])
    for token in tokens:
        if token.kind == "word" and token.text not in RESERVED_WORDS and token.text not in DTYPE_NAMES:
            found.setdefault(token.text)
    return tuple(found)


def _in_parameter_names(tokens: tuple[Token, ...]) -> bool:
    """Right after `(` or `,` in the parameter list of a `fn` being declared."""
    if not tokens or tokens[-1].text not in ("(", ","):
        return False
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        text = tokens[index].text
        if text in (")", "]", ">"):
            depth += 1
        elif text in ("(", "[", "<"):
            if depth == 0:
                return text == "(" and index >= 2 and tokens[index - 2].text == "fn"
            depth -= 1
        elif text in ("{", "}", ";") and depth == 0:
            return False
    return False


# ───────────────────────────── candidates ─────────────────────────────


@cache
def _builtin_items() -> tuple[CompletionItem, ...]:
    items = []
    for name in sorted(names()):
        doc = builtin_doc(name)
        if doc is not None:
            items.append(CompletionItem(name, CompletionKind.BUILTIN, doc.usage, doc.summary, doc.usage))
    return tuple(items)


def _tuple_fields(analysis: Analysis, cursor: Cursor) -> list[CompletionItem]:
    receiver = cursor.before(2)
    check = analysis.check
    if receiver is None or check is None:
        return []
    t = check.expression_types.get(ast.Span(receiver.start, receiver.end))
    if not isinstance(t, TupleType):
        return []
    return [
        CompletionItem(str(index), CompletionKind.TUPLE_INDEX, type_facts(element).text)
        for index, element in enumerate(t.elements)
    ]


def _inside_body(body: ast.Block, offset: int) -> bool:
    return body.span.start < offset and (offset < body.span.end or not body.closed)


def _in_loop(path: list[ast.Node], offset: int) -> bool:
    for node in reversed(path):
        if isinstance(node, ast.FunctionDef):
            return False
        if isinstance(node, ast.While | ast.For) and _inside_body(node.body, offset):
            return True
    return False


def _let_being_written(cursor: Cursor) -> int | None:
    """The offset of the name of the `let` whose value the cursor is in. In broken text the tree may end
    that `let` before the cursor (`let y = f` then an error), which would make `y` look visible."""
    typed = Token("word", cursor.prefix_start, cursor.offset, cursor.prefix or "_")  # a name comes here
    tokens = (*cursor.tokens, typed)
    start = statement_start(tokens)
    if start + 1 < len(tokens) and tokens[start].text == "let" and tokens[start + 1].kind == "word":
        return tokens[start + 1].start
    return None


def _names(analysis: Analysis, offset: int, path: list[ast.Node], hidden: int | None) -> list[CompletionItem]:
    """The declarations visible at `offset` (see the module docstring), one per name, innermost first;
    `hidden`: the name offset of a declaration that has not run yet, whatever the tree says."""
    inner: list[tuple[ast.Span, int]] = []  # the scopes around the cursor, innermost first, with cut-offs
    loops: list[ast.Span] = []  # loop bodies around the cursor, in the cursor's own function
    own: set[ast.Span] = set()  # the functions whose body holds the cursor (§9.2 2a)
    cutoff = offset  # declarations that end before it have run
    crossed_function = False
    for node in reversed(path):
        if isinstance(node, ast.MatchArm):
            inner.append((node.span, cutoff))
        elif isinstance(node, ast.FunctionDef | ast.For | ast.While) and _inside_body(node.body, offset):
            if isinstance(node, ast.While | ast.For) and not crossed_function:
                loops.append(node.body.span)
            if isinstance(node, ast.For | ast.FunctionDef):
                inner.append((node.span, cutoff))
            if isinstance(node, ast.FunctionDef):
                own.add(node.span)
                cutoff = min(cutoff, node.span.start)  # the snapshot: what ran before the `fn` statement
                crossed_function = True
    scopes = {span: (len(inner) - index, limit) for index, (span, limit) in enumerate(inner)}
    best: dict[str, tuple[tuple[int, int], Definition]] = {}
    for definition in analysis.symbols.definitions:
        scope = definition.scope
        placed = (0, cutoff) if scope.kind is ScopeKind.PROGRAM else scopes.get(scope.span)
        if placed is None:
            continue
        depth, limit = placed
        if definition.name_span.start == hidden or not _visible(definition, limit, loops, own):
            continue
        rank = (depth, definition.name_span.start)
        known = best.get(definition.name)
        if known is None or rank > known[0]:
            best[definition.name] = (rank, definition)
    chosen = sorted(best.values(), key=lambda entry: (-entry[0][0], -entry[0][1]))
    declarations = analysis.declarations
    return [
        CompletionItem(d.name, _KIND_OF_SYMBOL[d.kind], declarations.detail(d))
        for _, d in chosen
        if not (d.kind is SymbolKind.FUNCTION and lookup(d.name) is not None)
    ]


def _visible(definition: Definition, limit: int, loops: list[ast.Span], own: set[ast.Span]) -> bool:
    kind = definition.kind
    if kind in (SymbolKind.PARAMETER, SymbolKind.LOOP_VARIABLE, SymbolKind.MATCH_BINDING):
        return True  # bound on entry to a scope the cursor is in
    if definition.span.end <= limit:
        return True
    if kind is SymbolKind.FUNCTION and (definition.top_level or definition.span in own):
        return True  # §9.2: every top-level function, and a function inside its own body
    span = definition.span
    return any(loop.start <= span.start and span.end <= loop.end for loop in loops)
