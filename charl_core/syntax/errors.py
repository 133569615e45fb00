"""Syntax diagnostics: turn tree-sitter's ERROR and MISSING nodes, and the lexical rules the grammar leaves to
a later check (reserved words, integer range, malformed numbers, `model` blocks), into messages a person
understands: "expected an expression after `=`", "expected `)` to close the call opened at 12:5".

Every syntax error has code E001 (LANGUAGE.md §4.5). A block left open at the end of the file is closed by
it (§3.2): that is warning W215, not an error.

The lexical rules are checked per top-level statement (`lexical_diagnostics`): a `SyntaxCache` keeps each
statement's findings by its text (and the byte on either side, which the number rule looks at), so after an
edit only the statements whose text changed are looked at again, and the others' findings are moved to where
the statement is now. A statement whose findings depend on more than that key (a message naming the token
before it, or the line and column of a W215) is never cached; neither is anything of a tree with a syntax
error, whose error recovery depends on the whole text. A cache only makes this faster: the diagnostics are
exactly those of `syntax_diagnostics` without one (`tests/test_incremental.py`).

Invariant: never raises on any tree; only walks subtrees that contain errors, plus C-side queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from tree_sitter import Node, Query, QueryCursor, Tree

from charl_core.ast import Span
from charl_core.diagnostics import Diagnostic, Related, Severity, moved, sort_key
from charl_core.syntax.language import LANGUAGE
from charl_core.syntax.lexical import (
    EXPRESSION_KEYWORDS,
    INT64_MAX,
    RESERVED_WORD_HINTS,
    RESERVED_WORDS,
    STATEMENT_KEYWORDS,
)

Locate = Callable[[int], tuple[int, int]]
"""Maps a byte offset to a 1-based (line, column in characters) for "opened at L:C" in messages."""

_SOURCE_FILE = LANGUAGE.id_for_node_kind("source_file", True)
_COMMENT = LANGUAGE.id_for_node_kind("comment", True)

SYNTAX_ERROR = "E001"
UNCLOSED_BLOCK = "W215"


def _quoted(words: frozenset[str]) -> str:
    return " ".join(f'"{word}"' for word in sorted(words))


_LEXICAL_QUERY = Query(
    LANGUAGE,
    f"""
    ((identifier) @reserved (#any-of? @reserved {_quoted(RESERVED_WORDS - EXPRESSION_KEYWORDS)}))
    (let_statement name: (identifier) @name)
    (function_definition name: (identifier) @name)
    (parameter name: (identifier) @name)
    (for_statement name: (identifier) @name)
    (match_arm pattern: (identifier) @name)
    (dimension (identifier) @name)
    (model_definition) @model
    (block (end_of_file_close) @unclosed)
    """,
)

# A number token directly followed by an identifier character (`1e`, `2x`), or an integer too long for
# 64 bits. Matches are confirmed against the tree so strings and comments are ignored.
_NUMBER_PROBLEM = re.compile(
    rb"(?<![A-Za-z0-9_\x80-\xff.])[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?=[A-Za-z_\x80-\xff])|[0-9]{19,}"
)

_WHITESPACE = "".join(
    map(
        chr,
        [
            *range(0x09, 0x0E),
            0x20,
            0x85,
            0xA0,
            0x1680,
            *range(0x2000, 0x200B),
            0x2028,
            0x2029,
            0x202F,
            0x205F,
            0x3000,
        ],
    )
)
"""LANGUAGE.md §2.1: Unicode White_Space. Python's str.isspace() also accepts U+001C–U+001F, which are not."""

_INFIX_OPERATORS = frozenset(
    {"+", "-", "*", "/", "%", "@", "==", "!=", "<", "<=", ">", ">=", "and", "or", "&&", "||", "..", "..="}
)

_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}

_OPENED_WHAT = {
    "arguments": "the call",
    "parameters": "the parameter list",
    "parenthesized_expression": "the parenthesis",
    "tuple_expression": "the tuple",
    "tuple_type": "the tuple type",
    "array_expression": "the array",
    "array_repeat_expression": "the array",
    "array_type": "the array type",
    "index_expression": "the index",
    "shape": "the shape",
    "tensor_type": "the tensor type",
    "block": "the block",
    "match_block": "the match",
    "token_tree": "the block",
    "autograd_expression": "the autograd form",
}

_EXPECTED_AFTER = {
    "let_statement": "an expression",
    "assignment_statement": "an expression",
    "binary_expression": "an expression",
    "unary_expression": "an expression",
    "range_expression": "an expression",
    "return_statement": "an expression",
    "while_statement": "a condition",
    "if_statement": "a condition",
    "if_expression": "a condition",
    "for_statement": "an expression to iterate over",
    "match_expression": "an expression",
    "array_repeat_expression": "an expression",
    "index_expression": "an index",
    "cast_expression": "a type",
}

_LISTS = {
    "arguments": "the arguments",
    "array_expression": "the array",
    "tuple_expression": "the tuple",
}

_MISPLACED_CLOSER = {
    "}": "unexpected `}`: there is no open block to close",
    ")": "unexpected `)`: there is no open `(` to close",
    "]": "unexpected `]`: there is no open `[` to close",
}

_ILLEGAL_CHARACTER_HINTS = {
    "&": "`&` is not an operator: use `and` or `&&`",
    "|": "`|` is not an operator: use `or` or `||`",
    "#": "`#` is not a comment in Charl: use `//`",
    "'": "strings use double quotes",
}


@dataclass(frozen=True, slots=True)
class SyntaxCache:
    """The lexical findings of one version's top-level statements, by `_statement_key`: where the statement
    started (the findings' spans are absolute there) and what was found. Immutable; each use makes a new
    one holding the current statements only."""

    by_key: Mapping[bytes, tuple[int, tuple[Diagnostic, ...]]] = field(default_factory=dict)


EMPTY_SYNTAX_CACHE = SyntaxCache()


def syntax_diagnostics(tree: Tree, source: bytes, locate: Locate) -> list[Diagnostic]:
    """All syntax diagnostics of `tree` (parsed from `source`), sorted by position."""
    return cached_syntax_diagnostics(tree, source, locate, EMPTY_SYNTAX_CACHE)[0]


def cached_syntax_diagnostics(
    tree: Tree, source: bytes, locate: Locate, cache: SyntaxCache
) -> tuple[list[Diagnostic], SyntaxCache]:
    """`syntax_diagnostics`, reusing the findings `cache` (from any earlier version, or empty) has for
    statements whose text did not change; and the cache for the next version."""
    root = tree.root_node
    found = _ErrorFinder(source, locate)
    if root.has_error:
        found.visit(root)
    diagnostics, cache = lexical_diagnostics(root, source, locate, cache)
    return sorted(_deduplicate(found.diagnostics + diagnostics), key=sort_key), cache


def lexical_diagnostics(
    root: Node, source: bytes, locate: Locate, cache: SyntaxCache
) -> tuple[list[Diagnostic], SyntaxCache]:
    """The lexical rules' findings, statement by statement, reusing those of `cache`. A tree with a syntax
    error neither reads nor updates the cache: its statements' subtrees depend on the error recovery."""
    use_cache = not root.has_error
    known = cache.by_key if use_cache else {}
    kept: dict[bytes, tuple[int, tuple[Diagnostic, ...]]] = {}
    diagnostics: list[Diagnostic] = []
    for node in _statements(root):
        start, end = node.byte_range
        key = _statement_key(source, start, end)
        entry = known.get(key)
        if entry is None:
            finder = _ErrorFinder(source, locate, (start, end))
            finder.lexical(node)
            entry = (start, tuple(finder.diagnostics))
            if finder.context_free and use_cache:
                kept[key] = entry
        else:
            kept[key] = entry
        base, findings = entry
        if findings:
            diagnostics.extend(moved(diagnostic, start - base) for diagnostic in findings)
    return diagnostics, (SyntaxCache(kept) if use_cache else cache)


def _statement_key(source: bytes, start: int, end: int) -> bytes:
    """What a statement's cacheable lexical findings depend on: its text and the byte on either side (the
    number rule looks one byte behind and ahead of a token), NUL standing for the start or end of the file
    (a NUL cannot occur before the end of the parsed text, §2.1)."""
    before = source[start - 1 : start] if start else b"\0"
    after = source[end : end + 1] if end < len(source) else b"\0"
    return before + source[start:end] + after


def _statements(root: Node) -> list[Node]:
    """The nodes the lexical rules look into: the root's children but comments and anonymous tokens (`;`),
    or the root itself when it is not a `source_file` (a whole file that is one ERROR)."""
    if root.kind_id != _SOURCE_FILE:
        return [root]
    return [child for child in root.named_children if child.kind_id != _COMMENT]


def _deduplicate(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per start position: tree-sitter sometimes reports one mistake twice."""
    seen: set[tuple[int, str]] = set()
    unique = []
    for diagnostic in diagnostics:
        key = (diagnostic.span.start, diagnostic.code)
        if key not in seen:
            seen.add(key)
            unique.append(diagnostic)
    return unique


class _ErrorFinder:
    def __init__(self, source: bytes, locate: Locate, statement: tuple[int, int] | None = None) -> None:
        self.source = source
        self.locate = locate
        self.diagnostics: list[Diagnostic] = []
        self.statement = statement or (0, len(source))
        """The byte range of the statement the lexical rules look at."""
        self.context_free = True
        """False once a finding depended on more than the statement's text (see the module docstring)."""

    def inside(self, node: Node | None) -> bool:
        """Whether `node` lies in the statement; noting, if not, that the findings depend on its context."""
        start, end = self.statement
        if node is not None and start <= node.start_byte and node.end_byte <= end:
            return True
        self.context_free = False
        return False

    # ── reporting ──

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def at(self, node: Node) -> str:
        line, column = self.locate(node.start_byte)
        return f"{line}:{column}"

    def error(self, start: int, end: int, message: str, related: tuple[Related, ...] = (), **data) -> None:
        self.diagnostics.append(
            Diagnostic(Span(start, end), Severity.ERROR, SYNTAX_ERROR, message, related, data or None)
        )

    # ── ERROR and MISSING nodes ──

    def visit(self, node: Node) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if current.is_missing:
                self.missing(current)
            elif current.is_error:
                self.unexpected(current)
            elif current.has_error:
                stack.extend(reversed(current.children))

    def missing(self, node: Node) -> None:
        kind = node.type
        parent = node.parent
        if kind in _CLOSERS:
            self.missing_closer(node, kind, parent)
            return
        previous = _previous_leaf(node)
        after = f" after `{self.text(previous)}`" if previous is not None else ""
        if kind == "integer" and parent is not None and parent.type == "tuple_index_expression":
            self.error(node.start_byte, node.end_byte, "expected a tuple index such as `.0` after `.`")
        elif previous is not None and previous.type == "," and _next_leaf_type(node) in {")", "]"}:
            closer = _next_leaf_type(node)
            where = "arrays" if closer == "]" else "calls"
            self.error(previous.start_byte, previous.end_byte, f"trailing commas are not allowed in {where}")
        elif kind == "identifier" and parent is not None:
            expected = _EXPECTED_AFTER.get(parent.type, "an expression")
            self.error(node.start_byte, node.end_byte, f"expected {expected}{after}")
        else:
            self.error(node.start_byte, node.end_byte, f"expected `{kind}`{after}")

    def missing_closer(self, node: Node, closer: str, parent: Node | None) -> None:
        opener = _opening_token(parent, _CLOSERS[closer]) if parent is not None else None
        what = _OPENED_WHAT.get(parent.type, "the bracket") if parent is not None else "the bracket"
        if opener is None:
            self.error(node.start_byte, node.end_byte, f"expected `{closer}`")
            return
        opened_at = self.at(opener)
        related = (Related(Span(opener.start_byte, opener.end_byte), f"{what} was opened here"),)
        if closer == "}" and _only_trivia_after(self.source, node.end_byte):
            self.diagnostics.append(
                Diagnostic(
                    Span(opener.start_byte, opener.end_byte),
                    Severity.WARNING,
                    UNCLOSED_BLOCK,
                    f"block opened at {opened_at} is never closed (the end of the file closes it)",
                    related,
                )
            )
            return
        self.error(
            node.start_byte,
            node.end_byte,
            f"expected `{closer}` to close {what} opened at {opened_at}",
            related,
        )

    def unexpected(self, node: Node) -> None:
        """Report an ERROR node: the tokens tree-sitter had to skip."""
        leaves = list(_leaves(node))
        unlexable = next((leaf for leaf in leaves if leaf.is_error and leaf.child_count == 0), None)
        if unlexable is not None or not leaves:
            self.bad_characters(unlexable or node)
            return
        if _only_trivia_after(self.source, node.end_byte) and self.unexpected_end(leaves):
            return
        first = leaves[0]
        second = leaves[1] if len(leaves) > 1 else None
        message = self.describe_unexpected(node, first, second)
        if message.startswith("unexpected `") and self.follows_error_on_same_line(node):
            return  # a cascade of the error just before it
        self.error(node.start_byte, node.end_byte, message)

    def follows_error_on_same_line(self, node: Node) -> bool:
        line = self.locate(node.start_byte)[0]
        return any(
            found.severity is Severity.ERROR and self.locate(found.span.start)[0] == line
            for found in self.diagnostics
        )

    def unexpected_end(self, leaves: list[Node]) -> bool:
        """An ERROR that runs to the end of the file because the file ends in the middle of something (as
        while typing): report what is unfinished. False when nothing is, for the other rules to explain."""
        end = leaves[-1].end_byte
        opener = _innermost_unclosed_bracket(leaves)
        last = self.text(leaves[-1])
        if opener is not None:
            what = _bracket_role(opener, leaves)
            closer = {"(": ")", "[": "]"}[opener.type]
            related = (Related(Span(opener.start_byte, opener.end_byte), f"{what} was opened here"),)
            self.error(end, end, f"expected `{closer}` to close {what} opened at {self.at(opener)}", related)
        elif last in {":", "->"}:
            self.error(end, end, f"expected a type after `{last}`")
        elif last in _INFIX_OPERATORS or last in {"=", "return", "not", "!", ","}:
            self.error(end, end, f"expected an expression after `{last}`")
        elif last == "else":
            self.error(end, end, "expected `{` or `if` after `else`")
        else:
            return False
        return True

    def describe_unexpected(self, node: Node, first: Node, second: Node | None) -> str:
        word = self.text(first)
        previous = _previous_leaf(node)
        previous_text = self.text(previous) if previous is not None else ""
        container = node.parent.type if node.parent is not None else ""
        if word == "." or (second is not None and self.text(second) == "."):
            return "`.` must be followed by a tuple index such as `.0`: Charl has no fields or methods"
        if container == "parameters":
            return "expected a parameter `name: type` (every parameter needs a type)"
        if container in _LISTS and node.next_named_sibling is not None:
            last = _last_leaf(node)
            return (
                f"expected `,` after `{_shorten(self.text(last) if last else word)}` in {_LISTS[container]}"
            )
        if previous_text == "mut":
            return "`let` has no `mut`: every variable is mutable"
        if (
            word == "="
            and previous_text in {"+", "-", "*", "/", "%"}
            and previous.end_byte == first.start_byte
        ):
            return f"Charl has no compound assignment `{previous_text}=`: write `x = x {previous_text} value`"
        if word == ";":
            if previous_text == ";":
                return "unexpected `;`: Charl has no empty statements"
            if previous_text == "}":
                return "unexpected `;` after `}`: a block statement takes no `;`"
            return "unexpected `;`"
        if second is None and word in _INFIX_OPERATORS:
            return f"expected an expression after `{word}`"
        if word in _MISPLACED_CLOSER:
            return _MISPLACED_CLOSER[word]
        if word == "let" and second is not None:
            if self.text(second) == "mut":
                return "`let` has no `mut`: every variable is mutable"
            return f"expected a variable name after `let`, found `{self.text(second)}`"
        if word == "fn" and (second is None or second.type != "identifier"):
            return "expected a function name after `fn`"
        if word == "else":
            return "expected `{` or `if` after `else`"
        if word == "match":
            return "a `match` needs at least one arm: `pattern => value`"
        if previous is not None:
            return f"unexpected `{_shorten(word)}` after `{_shorten(previous_text)}`"
        return f"unexpected `{_shorten(word)}`"

    def bad_characters(self, node: Node) -> None:
        text = self.text(node)
        stripped = text.lstrip(_WHITESPACE)
        start = node.start_byte + (len(text.encode()) - len(stripped.encode()))
        if stripped.startswith('"'):
            line, column = self.locate(start)
            self.error(start, node.end_byte, f"unterminated string literal (opened at {line}:{column})")
            return
        character = stripped[:1] or text[:1]
        if not character:
            self.error(node.start_byte, node.end_byte, "unexpected end of input")
            return
        hint = _ILLEGAL_CHARACTER_HINTS.get(character)
        shown = character if character.isprintable() else f"U+{ord(character):04X}"
        message = f"illegal character `{shown}`" + (f": {hint}" if hint else "")
        self.error(start, start + len(character.encode()), message)

    # ── lexical rules checked after parsing ──

    def lexical(self, statement: Node) -> None:
        """The lexical rules, in one top-level statement (or a whole tree that is one ERROR)."""
        captures = QueryCursor(_LEXICAL_QUERY).captures(statement)
        models = captures.get("model", [])
        seen: set[int] = set()
        for node in captures.get("reserved", []) + captures.get("name", []):
            if any(model.start_byte < node.start_byte < model.end_byte for model in models):
                continue  # the whole block is reported once
            if node.start_byte not in seen and not node.is_missing:
                seen.add(node.start_byte)
                self.reserved_word(node)
        for node in captures.get("unclosed", []):
            self.unclosed_block(node)
        for node in models:
            name = node.child_by_field_name("name")
            end = name.end_byte if name is not None else node.start_byte + len("model")
            self.error(node.start_byte, end, "`model` blocks are not supported yet (LANGUAGE.md §9.6)")
        start, end = self.statement
        # The pattern looks one byte behind and one ahead: the cache key holds those bytes too.
        for match in _NUMBER_PROBLEM.finditer(self.source, start, min(end + 1, len(self.source))):
            if match.start() < end:
                self.number(statement, match)

    def unclosed_block(self, end_of_file: Node) -> None:
        """W215: the end of the file closes a block (§3.2); reported at the `{` that opened it."""
        self.context_free = False  # the message names a line and column
        block = end_of_file.parent
        opener = block.child(0) if block is not None else None
        if opener is None or opener.type != "{":
            return
        self.diagnostics.append(
            Diagnostic(
                Span(opener.start_byte, opener.end_byte),
                Severity.WARNING,
                UNCLOSED_BLOCK,
                f"block opened at {self.at(opener)} is never closed (the end of the file closes it)",
                (
                    Related(
                        Span(end_of_file.start_byte, end_of_file.end_byte),
                        "the end of the file closes it here",
                    ),
                ),
            )
        )

    def reserved_word(self, node: Node) -> None:
        word = self.text(node)
        if word not in RESERVED_WORDS:
            return
        if word in STATEMENT_KEYWORDS:
            previous = _previous_leaf(node)
            self.inside(previous)
            after = f" after `{self.text(previous)}`" if previous is not None else ""
            message = f"expected an expression{after}, found the keyword `{word}`"
        elif _is_cast_target(node) and word == "string":
            message = "cannot cast with `as string`: convert with `str(x)`"
        else:
            hint = RESERVED_WORD_HINTS.get(word)
            message = f"`{word}` is a reserved word and cannot be used as a name" + (
                f": {hint}" if hint else ""
            )
        self.error(node.start_byte, node.end_byte, message, word=word)

    def number(self, statement: Node, match: re.Match[bytes]) -> None:
        """A literal too large for 64 bits, or a number glued to an identifier (`1e`, `2x`): the tree says
        whether the match is a number token and what token follows it."""
        node = statement.descendant_for_byte_range(match.start(), match.start())
        if node is None or node.type not in {"integer", "float"} or node.start_byte != match.start():
            return  # inside a string or comment, or the tail of another token
        digits = self.text(node)
        if node.type == "integer" and int(digits) > INT64_MAX:
            message = f"integer literal {digits} does not fit in 64 bits (the largest is {INT64_MAX})"
            self.error(node.start_byte, node.end_byte, message)
            return
        follower = _next_leaf(node)
        if follower is not None and follower.start_byte == node.end_byte:
            self.inside(follower)  # a token glued to the next statement: the finding depends on it
        if follower is not None and follower.type == "identifier" and follower.start_byte == node.end_byte:
            literal = self.source[node.start_byte : follower.end_byte].decode("utf-8", "replace")
            self.error(node.start_byte, follower.end_byte, _malformed_number_message(literal))


def _innermost_unclosed_bracket(leaves: list[Node]) -> Node | None:
    """The last `(` or `[` among `leaves` that no later token closes (`{` is closed by the end of file)."""
    stack: list[Node] = []
    for leaf in leaves:
        if leaf.type in {"(", "[", "{"}:
            stack.append(leaf)
        elif leaf.type in _CLOSERS and stack and stack[-1].type == _CLOSERS[leaf.type]:
            stack.pop()
    unclosed = [leaf for leaf in stack if leaf.type != "{"]
    return unclosed[-1] if unclosed else None


def _bracket_role(opener: Node, leaves: list[Node]) -> str:
    """ "the call" or "the index" when the bracket follows a value, else "the parenthesis" or "the array"."""
    position = next(i for i, leaf in enumerate(leaves) if leaf.start_byte == opener.start_byte)
    before = leaves[position - 1].type if position else (_previous_leaf(opener) or opener).type
    if opener.type == "(" and position >= 2 and leaves[position - 2].type == "fn":
        return "the parameter list"
    follows_value = before in {"identifier", ")", "]", "integer", "float", "string", "tensor"}
    if opener.type == "(":
        return "the call" if follows_value else "the parenthesis"
    return "the index" if follows_value else "the array"


def _malformed_number_message(literal: str) -> str:
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?[eE][+-]?", literal):
        return f"invalid number `{literal}`: an exponent needs digits (for example `1e5`)"
    return f"invalid number `{literal}`: a number cannot be directly followed by a letter"


def _is_cast_target(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "cast_expression"


def _shorten(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _leaves(node: Node) -> Iterator[Node]:
    """The tokens under `node`, in order, skipping comments."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.child_count == 0:
            if (current.type != "comment" and current is not node) or (current is node and current.is_error):
                yield current
        else:
            stack.extend(reversed(current.children))


def _siblings_around(node: Node) -> tuple[list[Node], list[Node]]:
    """The siblings before and after `node`, found by position in the parent's children. tree-sitter's
    `prev_sibling`/`next_sibling` can cycle between two zero-width MISSING nodes at one offset."""
    parent = node.parent
    if parent is None:
        return [], []
    children = parent.children
    for index, child in enumerate(children):
        if child == node:
            return children[:index], children[index + 1 :]
    return [], []


def _previous_leaf(node: Node) -> Node | None:
    """The last token before `node` (comments and zero-width MISSING tokens skipped)."""
    current: Node | None = node
    while current is not None:
        before, _ = _siblings_around(current)
        for sibling in reversed(before):
            leaf = _last_leaf(sibling)
            if leaf is not None:
                return leaf
        current = current.parent
    return None


def _last_leaf(node: Node) -> Node | None:
    if node.type == "comment" or node.is_missing:
        return None
    if node.child_count == 0:
        return node
    for child in reversed(node.children):
        leaf = _last_leaf(child)
        if leaf is not None:
            return leaf
    return None


def _next_leaf(node: Node) -> Node | None:
    """The first token after `node` (comments skipped)."""
    current: Node | None = node
    while current is not None:
        _, after = _siblings_around(current)
        for sibling in after:
            if sibling.type == "comment":
                continue
            while sibling.child_count:
                sibling = sibling.children[0]
            return sibling
        current = current.parent
    return None


def _next_leaf_type(node: Node) -> str | None:
    leaf = _next_leaf(node)
    return leaf.type if leaf is not None else None


def _opening_token(parent: Node, opener: str) -> Node | None:
    for child in parent.children:
        if child.type == opener and not child.is_missing:
            return child
    return None


_ASCII_TRIVIA = re.compile(rb"(?:[ \t\n\r\f\v]+|//[^\n]*|/\*.*?(?:\*/|\Z))*", re.S)


def _only_trivia_after(source: bytes, offset: int) -> bool:
    """True when only whitespace and comments follow `offset` (the end of the file closes the block).

    Asked once per ERROR node: reading the whole rest of the file each time cost 25 ms per version on a
    broken 5,000-line file. ASCII whitespace and comments are skipped up to the first other byte; only a
    non-ASCII byte or a control character there needs the rule below (`str.strip`'s whitespace)."""
    end = _ASCII_TRIVIA.match(source, offset).end()
    if end == len(source):
        return True
    if 0x21 <= source[end] < 0x7F:
        return False
    rest = source[offset:].decode("utf-8", "replace")
    rest = re.sub(r"//[^\n]*|/\*.*?(\*/|$)", "", rest, flags=re.S)
    return not rest.strip()
