"""Node kind → document: the formatting rules for files, statements and blocks, and the `Formatter` that
applies them (expressions, types and patterns are in `rules_expressions.py`).

Every named node kind of the grammar has exactly one rule in `RULES`, which reads each of its fields; a
kind without a rule raises `UnsupportedSyntax`, so a new grammar node leaves files untouched (and fails
`tests/formatter/test_rules.py`) until someone decides how it prints.

The style (docs/formatter.md): 4-space indentation; one statement per line; statement blocks always broken;
at most one empty line kept between statements, exactly one around top-level functions; `else if` chains on
one level. Semicolons follow the rule of `needs_semicolon`.
"""

from __future__ import annotations

from collections.abc import Callable

from formatter.comments import CLOSERS, Comments, leading_doc, own_line_doc, trailing_doc
from formatter.cst import Node
from formatter.document import BREAK_PARENT, HARDLINE, LINE, LINE_SUFFIX_BOUNDARY, Doc, Group, Indent
from formatter.rules_expressions import EXPRESSION_RULES, UnsupportedSyntax, delimited, keyword

Rule = Callable[["Formatter", Node], Doc]


class Formatter:
    """The state of formatting one file: its bytes and where its comments attach."""

    def __init__(self, source: bytes, comments: Comments) -> None:
        self.source = source
        self.comments = comments
        self._leading = comments.leading
        self._trailing = comments.trailing
        self._after_line_comment = comments.after_line_comment

    def format(self, node: Node) -> Doc:
        rule = RULES.get(node.kind)
        if rule is None:
            raise UnsupportedSyntax(f"no formatting rule for `{node.kind}`")
        return rule(self, node)

    def text(self, node: Node) -> str:
        return self.source[node.start : node.end].decode("utf-8")

    def token(self, node: Node, text: str | None = None, leading: bool = True) -> Doc:
        """A source token (`text` replaces its spelling) with the comments attached to it."""
        if text is None:
            text = self.source[node.start : node.end].decode("utf-8")
        before = self._leading.get(node.start) if leading else None
        after = self._trailing.get(node.end)
        if before is None and after is None:
            if node.start in self._after_line_comment:
                return [BREAK_PARENT, LINE_SUFFIX_BOUNDARY, text]
            return text
        boundary = [BREAK_PARENT, LINE_SUFFIX_BOUNDARY] if node.start in self._after_line_comment else ""
        return [boundary, leading_doc(before or [], text in CLOSERS), text, trailing_doc(after or [])]

    def drop(self, node: Node) -> Doc:
        """Leave a source token out (a redundant `;` or trailing comma), keeping its comments on the line.
        A token on the line after a `// comment`, or with a `// comment` on a line before it, is kept: that
        comment waits for the end of the line, so whatever follows on the line (a `)`, a `/* … */`) would
        otherwise print before it."""
        leading = self._leading.get(node.start, [])
        if node.start in self._after_line_comment or any(comment.line_comment for comment in leading):
            return self.token(node)
        return trailing_doc(leading + self._trailing.get(node.end, []))

    def closing(self, node: Node) -> tuple[Doc, Doc]:
        """A closing `)`/`]`/`}` as (its leading comments, each on its own line, to print inside the
        indented contents; the token itself)."""
        before = self._leading.get(node.start)
        return own_line_doc(before or []), self.token(
            node, "}" if node.kind == "end_of_file_close" else None, False
        )

    def first_start(self, node: Node) -> int:
        """Where a statement starts on the page: at its first leading comment, if any."""
        before = self._leading.get(node.start)
        return before[0].start if before else node.start

    # ── statement lists ──

    def statements(self, statements: list[Node], top_level: bool) -> list[Doc]:
        parts: list[Doc] = []
        for i, statement in enumerate(statements):
            if i:
                previous = statements[i - 1]
                parts.append(HARDLINE)
                functions = top_level and "function_definition" in (previous.kind, statement.kind)
                if functions or self.comments.blank_line_between(
                    self.source, previous.end, self.first_start(statement)
                ):
                    parts.append(HARDLINE)
            parts.append(self.format(statement))
            last = statement.children[-1] if statement.children else None
            if last is not None and last.kind == ";":
                following = statements[i + 1] if i + 1 < len(statements) else None
                keep = following is not None and needs_semicolon(statement, following, self)
                parts.append(self.token(last) if keep else self.drop(last))
        return parts


CONTINUING_STARTS = frozenset({"(", "[", "-"})
"""LANGUAGE.md §2.6: the tokens that can both start a statement and continue an expression."""

_ENDS_WITH_EXPRESSION = frozenset({"let_statement", "assignment_statement", "expression_statement"})


def needs_semicolon(statement: Node, following: Node, formatter: Formatter) -> bool:
    """Whether the `;` that ends `statement` must stay before `following` (docs/formatter.md, "Semicolons").

    §2.6: an expression continues across a newline as long as the next token can continue it; the tokens
    that can continue an expression are `+ - * / % @ == != < <= > >= and or && || .. ..= as ( [ .`, and of
    those only `(`, `[` and `-` can start a statement. So after a statement that ends with an expression,
    the `;` matters exactly when the next statement starts with one of those three. A bare `return` takes
    any expression that follows as its value (and is only valid before `}` or the end of the file without
    its `;`), so its `;` stays whenever a statement follows. Everywhere else (`break;`, `continue;`, the
    last statement of a block or file) the `;` changes nothing and is removed.
    """
    kind = statement.kind
    if kind == "return_statement":
        if statement.child("value") is None:
            return True
    elif kind not in _ENDS_WITH_EXPRESSION:
        return False
    first = following.first_token()
    return formatter.text(first) in CONTINUING_STARTS


# ───────────────────────────── files and blocks ─────────────────────────────


def source_file(f: Formatter, node: Node) -> Doc:
    parts: list[Doc] = f.statements(node.children, top_level=True)
    dangling = own_line_doc(f.comments.dangling)
    if dangling and not parts:
        dangling = dangling[1:]  # no line break before a file's first line
        if dangling and dangling[0] is HARDLINE:
            dangling = dangling[1:]
    parts.append(dangling)
    if parts != [[]]:
        parts.append(HARDLINE)
    return parts


def block(f: Formatter, node: Node) -> Doc:
    """`{`, the statements one per line, `}`; `{}` when empty. Always broken: a statement body on one
    line hides it among expressions."""
    opening, *statements, close = node.children
    comments, closing = f.closing(close)
    if not statements and not comments:
        return [f.token(opening), closing]
    inner: list[Doc] = [HARDLINE, f.statements(statements, top_level=False)] if statements else []
    return [f.token(opening), Indent([inner, comments]), HARDLINE, closing]


def flat_block(f: Formatter, node: Node) -> Doc:
    """The block of an `if` expression: `{ value }` on one line when it holds a single expression and
    no comment, and the whole `if` fits (`let y = if c { 1 } else { 2 }`); a statement block otherwise."""
    opening, *statements, close = node.children
    if len(statements) != 1 or statements[0].kind != "expression_statement":
        return block(f, node)
    if f.comments.inside(node.start, node.end):
        return block(f, node)
    statement = statements[0]
    expression = f.format(statement.children[0])
    semicolon = statement.children[-1] if statement.children[-1].kind == ";" else None
    dropped = f.drop(semicolon) if semicolon is not None else ""
    return [f.token(opening), Indent([LINE, expression, dropped]), LINE, f.token(close)]


# ───────────────────────────── statements (LANGUAGE.md §3.1, §3.2, §9.1) ─────────────────────────────


def if_expression(f: Formatter, node: Node) -> Doc:
    """One group for the whole `else if` chain: on one line if it fits and every block is a single
    expression without comments, otherwise every block broken."""
    parts: list[Doc] = []
    current = node
    while True:
        parts.extend([f.token(current.children[0]), " ", f.format(current.child("condition")), " "])
        parts.append(flat_block(f, current.child("consequence")))
        alternative = current.child("alternative")
        parts.extend([" ", f.token(keyword(current, "else")), " "])
        if alternative.kind == "block":
            parts.append(flat_block(f, alternative))
            return Group(parts)
        current = alternative


def let_statement(f: Formatter, node: Node) -> Doc:
    parts: list[Doc] = [f.token(node.children[0]), " ", f.format(node.child("name"))]
    for child in node.children[2:]:
        if child.kind == ":":
            parts.append(f.token(child))
            parts.append(" ")
            parts.append(f.format(node.child("type")))
        elif child.kind == "=":
            parts.append(" ")
            parts.append(f.token(child))
            parts.append(" ")
            parts.append(f.format(node.child("value")))
    return parts


def assignment_statement(f: Formatter, node: Node) -> Doc:
    left, equals, right = node.children[:3]
    return [f.format(left), " ", f.token(equals), " ", f.format(right)]


def expression_statement(f: Formatter, node: Node) -> Doc:
    return f.format(node.children[0])


def function_definition(f: Formatter, node: Node) -> Doc:
    parts: list[Doc] = [f.token(node.children[0]), " ", f.format(node.child("name"))]
    parts.append(f.format(node.child("parameters")))
    for child in node.children:
        if child.kind == "->":
            parts.extend([" ", f.token(child), " ", f.format(node.child("return_type"))])
    parts.extend([" ", f.format(node.child("body"))])
    return parts


def parameters(f: Formatter, node: Node) -> Doc:
    """One line if it fits, else one parameter per line (no trailing comma: the grammar has none)."""
    return delimited(f, node, trailing_comma=False)


def parameter(f: Formatter, node: Node) -> Doc:
    name, colon, annotation = node.children
    return [f.format(name), f.token(colon), " ", f.format(annotation)]


def if_statement(f: Formatter, node: Node) -> Doc:
    """`else if` stays on the level of its `if` (§9.1): the chain is walked, not nested."""
    parts: list[Doc] = []
    current: Node | None = node
    while current is not None:
        parts.extend([f.token(current.children[0]), " ", f.format(current.child("condition")), " "])
        parts.append(f.format(current.child("consequence")))
        alternative = current.child("alternative")
        if alternative is None:
            break
        parts.extend([" ", f.token(keyword(current, "else")), " "])
        if alternative.kind == "block":
            parts.append(f.format(alternative))
            break
        current = alternative
    return parts


def while_statement(f: Formatter, node: Node) -> Doc:
    return [
        f.token(node.children[0]),
        " ",
        f.format(node.child("condition")),
        " ",
        f.format(node.child("body")),
    ]


def for_statement(f: Formatter, node: Node) -> Doc:
    return [
        f.token(node.children[0]),
        " ",
        f.format(node.child("name")),
        " ",
        f.token(keyword(node, "in")),
        " ",
        f.format(node.child("iterable")),
        " ",
        f.format(node.child("body")),
    ]


def return_statement(f: Formatter, node: Node) -> Doc:
    value = node.child("value")
    if value is None:
        return f.token(node.children[0])
    return [f.token(node.children[0]), " ", f.format(value)]


def single_token(f: Formatter, node: Node) -> Doc:
    """`break`, `continue`, literals, names: the token as written (its `;`, if any, is the list's)."""
    if not node.children:
        return f.token(node)
    return f.token(node.children[0])


def model_definition(f: Formatter, node: Node) -> Doc:
    """§9.6: not supported by the language yet (the analysis reports it); kept exactly as written, since
    its contents have no grammar to format by."""
    first, last = node.first_token(), _last_token(node)
    text = f.source[first.start : last.end].decode("utf-8")
    before, after = f.comments.leading.get(first.start), f.comments.trailing.get(last.end)
    return [leading_doc(before or []), text, trailing_doc(after or [])]


def _last_token(node: Node) -> Node:
    while node.children:
        node = node.children[-1]
    return node


RULES: dict[str, Rule] = {
    "source_file": source_file,
    "block": block,
    "let_statement": let_statement,
    "assignment_statement": assignment_statement,
    "expression_statement": expression_statement,
    "function_definition": function_definition,
    "parameters": parameters,
    "parameter": parameter,
    "if_statement": if_statement,
    "while_statement": while_statement,
    "for_statement": for_statement,
    "return_statement": return_statement,
    "break_statement": single_token,
    "continue_statement": single_token,
    "model_definition": model_definition,
    "if_expression": if_expression,
    **EXPRESSION_RULES,
}
"""Node kind → rule. `token_tree` has none on purpose: a `model` prints verbatim."""
