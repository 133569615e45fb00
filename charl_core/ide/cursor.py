"""What surrounds a cursor: the tokens typed before it, the syntax-tree leaf under it, the AST around it.

Completion and signature help run on text that is being typed, which is broken most of the time: tree-sitter
recovers by splitting a statement into fragments (`let y = nn_linear` then an ERROR holding `(x,`), so the
call the cursor is in may not exist in the tree at all. They therefore read tokens: the text from an
*anchor* up to the cursor, lexed here. The anchor comes from the tree: the start of the statement around the
cursor, moved back over the statements before it while they hold syntax errors, so that a fragment's
beginning is included. A tree node always starts on a token boundary outside comments and strings, so
lexing from there is exact, and the window is one statement long rather than the whole file.

The lexer knows only what those features need of LANGUAGE.md §2: comments (block comments do not nest; an
unterminated one runs to the end), strings (no escapes, but a backslash keeps a following quote inside,
§2.4), numbers, words and punctuation. Any non-ASCII byte counts as part of a word.

Invariant: never raises, whatever the offset; reads the tree and the AST, never changes them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tree_sitter import Node, Tree

from charl_core import ast
from charl_core.syntax.lexical import RESERVED_WORDS

_TOKEN = re.compile(
    rb"""
      (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?(?:(?P<comment_end>\*/)|\Z))
    | (?P<string>"(?:[^"\\]|\\"?)*(?P<string_end>")?)
    | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*)
    | (?P<punct>->|=>|\.\.=|\.\.|==|!=|<=|>=|&&|\|\||.)
    """,
    re.DOTALL | re.VERBOSE,
)

_STATEMENT_LISTS = frozenset({"source_file", "block"})


OPERAND_KEYWORDS = frozenset({"true", "false", "tensor", "break", "continue"})
"""Reserved words that may end a statement (`tensor` is the builtin's name in expression position, §2.2)."""

STATEMENT_KEYWORDS = frozenset({"let", "fn", "while", "for", "return", "break", "continue"})
"""Words that only start a statement (`if` and `match` may also be expressions)."""

CLOSERS = {")": "(", "]": "[", "}": "{"}
OPENERS = frozenset(CLOSERS.values())


class Token(NamedTuple):
    kind: str  # "string", "number", "word" or "punct" (comments are dropped)
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Cursor:
    """The code before a cursor. `tokens` run from the anchor to the offset (the last one may be cut by it);
    `prefix` is the part of a word typed so far, which `tokens` leave out. `in_comment`/`in_string`: the
    offset is inside one (an unterminated string or block comment counts until the end of the text)."""

    offset: int
    tokens: tuple[Token, ...]
    prefix: str
    prefix_start: int
    in_comment: bool
    in_string: bool

    @property
    def in_code(self) -> bool:
        return not (self.in_comment or self.in_string)

    def before(self, count: int = 1) -> Token | None:
        """The `count`-th token before the prefix (1: the one just before)."""
        return self.tokens[-count] if len(self.tokens) >= count else None


def read_cursor(tree: Tree, source: bytes, offset: int) -> Cursor:
    """The cursor at `offset`, which must lie within the parsed text."""
    anchor = _anchor(tree, offset)
    tokens: list[Token] = []
    in_comment = in_string = False
    for match in _TOKEN.finditer(source, anchor, offset):
        kind = match.lastgroup
        if kind == "space":
            continue
        start, end = match.span()
        if kind == "comment":
            still_open = source.startswith(b"//", start) or match.group("comment_end") is None
            in_comment = end == offset and still_open
            continue
        in_comment = False
        in_string = kind == "string" and end == offset and match.group("string_end") is None
        tokens.append(Token(kind, start, end, source[start:end].decode("utf-8", "replace")))
    prefix, prefix_start = "", offset
    if tokens and tokens[-1].kind == "word" and tokens[-1].end == offset:
        last = tokens.pop()
        prefix, prefix_start = last.text, last.start
    return Cursor(offset, tuple(tokens), prefix, prefix_start, in_comment, in_string)


def ends_operand(token: Token) -> bool:
    """Whether an expression may be complete after `token` (a name, a literal, a closing bracket)."""
    if token.kind == "word":
        return token.text not in RESERVED_WORDS or token.text in OPERAND_KEYWORDS
    return token.kind in ("number", "string") or token.text in CLOSERS


def ends_statement(token: Token, after: Token | None) -> bool:
    """Whether a statement ends between `token` and the `after` it: an operand followed by the start of
    another operand, which cannot continue an expression (LANGUAGE.md §2.6: `let c = a  print(c)`)."""
    if after is None or after.kind not in ("word", "number", "string"):
        return False
    if after.kind == "word" and after.text in RESERVED_WORDS and after.text not in OPERAND_KEYWORDS:
        return False
    return ends_operand(token)


def statement_start(tokens: Sequence[Token]) -> int:
    """The index of the first token of the statement the cursor (after the last token) is in: walking back,
    the first `;`, unmatched `{`, statement keyword or operand-operand boundary at the cursor's level. An
    unmatched `(` or `[` is crossed: the cursor is inside it, in the same statement."""
    depth = 0
    after: Token | None = None  # the next token at the current level
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        text = token.text if token.kind in ("punct", "word") else ""
        if text in CLOSERS:
            if depth == 0 and ends_statement(token, after):
                return index + 1
            depth += 1
        elif text in OPENERS:
            if depth == 0 and text == "{":
                return index + 1
            depth = max(depth - 1, 0)
            after = token
        elif depth == 0:
            if text in STATEMENT_KEYWORDS:
                return index
            if text == ";" or ends_statement(token, after):
                return index + 1
            after = token
    return 0


def _anchor(tree: Tree, offset: int) -> int:
    """Where to start lexing for `offset`: the start of the statement around it, or of an earlier statement
    if those in between hold syntax errors (see the module docstring)."""
    node: Node | None = tree.root_node.descendant_for_byte_range(offset, offset)
    while node is not None and not (
        node.type in _STATEMENT_LISTS and (node.start_byte < offset or node.parent is None)
    ):
        node = node.parent
    if node is None:
        return 0
    # Children by index, never `prev_sibling`: between zero-width MISSING siblings at one offset,
    # tree-sitter's `prev_sibling` cycles (`]` → `identifier` → `]` …) instead of moving back.
    found = node.walk().goto_first_child_for_byte(offset)
    index = min(node.child_count if found is None else found, node.child_count - 1)
    while index >= 0 and node.child(index).start_byte >= offset:
        index -= 1
    if index < 0:
        return node.start_byte
    for _ in range(_MAX_BROKEN_STEPS):
        child = node.child(index)
        if index == 0 or not (child.is_error or child.has_error or child.is_missing):
            break
        index -= 1
    return node.child(index).start_byte


_MAX_BROKEN_STEPS = 8
"""How far `_anchor` walks back over broken statements. Recovery splits one statement into two or three
pieces; a file where everything is broken must not make every query lex the whole file."""


def leaf_at(tree: Tree, offset: int, parsed_end: int) -> Node | None:
    """The token under a cursor at `offset`: the one starting at or containing it, or a word ending just
    before it (a cursor right after a name is on that name). None in whitespace."""
    root = tree.root_node
    right = root.descendant_for_byte_range(offset, offset + 1) if offset < parsed_end else None
    if right is not None and (right.child_count or right.start_byte > offset or right.end_byte <= offset):
        right = None  # not a token: whitespace inside a larger node
    if right is not None and right.type == "identifier":
        return right
    if offset > 0:
        left = root.descendant_for_byte_range(offset - 1, offset)
        if left is not None and left.type == "identifier" and left.end_byte == offset:
            return left
    return right


def ancestors(node: Node | None) -> Iterable[Node]:
    while node is not None:
        yield node
        node = node.parent


def node_path(program: ast.Program, start: int, end: int) -> list[ast.Node]:
    """The AST nodes whose spans contain `start`..`end`, outermost first: each is the first child of the
    one before that does. Statement lists are searched by bisection, so a query costs the depth of the
    tree, not its size."""
    path: list[ast.Node] = [program]
    node: ast.Node = program
    while True:
        for child in _children_near(node, start):
            if child.span.start <= start and end <= child.span.end:
                path.append(child)
                node = child
                break
        else:
            return path


def _children_near(node: ast.Node, start: int) -> Sequence[ast.Node] | Iterable[ast.Node]:
    if isinstance(node, ast.Program | ast.Block):
        statements = node.statements
        index = bisect_right(statements, start, key=lambda statement: statement.span.start) - 1
        return statements[index : index + 1] if index >= 0 else ()
    return node.children()
