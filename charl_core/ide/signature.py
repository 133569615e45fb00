"""Signature help: the innermost call whose argument list holds the cursor, and which argument it is in.

Read from tokens (`cursor.read_cursor`), because the call is usually unfinished while someone types it and
the tree may have no call node yet. Walking back from the cursor, brackets are matched; the first unmatched
`(` preceded by a name is the call, and the commas met at its level count the arguments before the cursor.
A `(` after anything else is a grouping or a tuple, and the search goes on outwards; it stops (no call) at
an unmatched `{`, at a token that cannot occur inside an argument list (`;`, `=`, `=>`, `let`, …), or where
one statement ends and the next begins (an operand followed by an operand, LANGUAGE.md §2.6).

The callee is a builtin when its name is one (builtins win over user functions, §5.7); otherwise the user
function the name resolves to (§9.2), described by its declared parameter types.

Invariant: never raises; the work is bounded by the statement around the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from charl_core.builtins import lookup
from charl_core.check.symbols import SymbolKind
from charl_core.ide.cursor import CLOSERS, STATEMENT_KEYWORDS, Token, ends_statement, read_cursor
from charl_core.ide.declarations import FunctionSignature, parameter_label
from charl_core.ide.hover import builtin_doc
from charl_core.syntax.lexical import RESERVED_WORDS

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


@dataclass(frozen=True, slots=True)
class ParameterHelp:
    """One parameter: `label` as it appears in the signature's label, at `label_range` (start, end) in
    characters of that label, as LSP's ParameterInformation wants. `type` is a user function's declared
    type, or what a builtin's argument must be (`tensor`, `shape`, `any value`, …)."""

    label: str
    label_range: tuple[int, int]
    type: str | None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class SignatureHelp:
    name: str
    label: str  # a builtin's usage, `nn_linear(input, weight, bias)`, or `mm(a: …, b: …) -> …`
    parameters: tuple[ParameterHelp, ...]
    active_parameter: int  # the number of top-level commas between the `(` and the cursor
    builtin: bool
    summary: str | None
    documentation: str | None
    open_paren: int  # byte offset of the call's `(`


_NOT_IN_ARGUMENTS = frozenset({";", "=", "=>"}) | STATEMENT_KEYWORDS
"""Tokens that cannot occur in an argument list at its own level: meeting one means there is no call."""


def signature_at(analysis: Analysis, offset: int) -> SignatureHelp | None:
    cursor = read_cursor(analysis.tree, analysis.source, offset)  # a string argument being typed counts
    tokens = cursor.tokens
    if cursor.prefix:
        tokens = (*tokens, Token("word", cursor.prefix_start, offset, cursor.prefix))
    found = _open_call(tokens)
    if found is None:
        return None
    callee, paren, commas = found
    if lookup(callee.text) is not None:
        return _builtin_help(callee.text, commas, paren.start)
    signature = _user_function(analysis, callee)
    if signature is None:
        return None
    return _user_help(signature, commas, paren.start)


def _open_call(tokens: tuple[Token, ...]) -> tuple[Token, Token, int] | None:
    """(callee, `(`, commas before the cursor) of the innermost call open at the end of `tokens`."""
    depth = 0
    commas = 0
    after: Token | None = None  # the token after this one at the current level
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        text = token.text
        if token.kind == "punct" and text in CLOSERS:
            if depth == 0 and ends_statement(token, after):
                return None
            depth += 1
            continue
        if token.kind == "punct" and text in ("(", "[", "{"):
            if depth > 0:
                depth -= 1
                after = token
                continue
            if text == "{":
                return None
            callee = tokens[index - 1] if index > 0 else None
            if (
                text == "("
                and callee is not None
                and _is_callee(callee, tokens[index - 2] if index > 1 else None)
            ):
                return callee, token, commas
            commas = 0
            after = token
            continue
        if depth > 0:
            continue
        if text in _NOT_IN_ARGUMENTS or ends_statement(token, after):
            return None
        if text == ",":
            commas += 1
        after = token
    return None


def _is_callee(token: Token, before: Token | None) -> bool:
    """A name right before `(` that is called: not a keyword (`if (`, `autograd(`) and not the name of a
    `fn` being declared."""
    if token.kind != "word" or (token.text in RESERVED_WORDS and token.text != "tensor"):
        return False
    return before is None or before.text != "fn"


def _builtin_help(name: str, commas: int, open_paren: int) -> SignatureHelp | None:
    entry, doc = lookup(name), builtin_doc(name)
    if entry is None or doc is None:
        return None
    usage = doc.usage
    inside = usage[usage.find("(") + 1 : usage.rfind(")")] if "(" in usage else ""
    pieces = [piece.strip() for piece in inside.split(",")] if inside.strip() else []
    parameters = []
    position = usage.find("(") + 1
    for index, piece in enumerate(pieces):
        start = usage.find(piece, position)
        position = start + len(piece)
        param = entry.params[index] if index < len(entry.params) else None
        kind = (param.object_kind or param.kind.value) if param is not None else None
        optional = param.optional if param is not None else True
        parameters.append(ParameterHelp(piece, (start, position), kind, optional))
    active = commas
    if entry.arity[1] is None and parameters:
        active = min(commas, len(parameters) - 1)  # variadic: the last parameter takes the rest
    return SignatureHelp(name, usage, tuple(parameters), active, True, entry.summary, entry.doc, open_paren)


def _user_function(analysis: Analysis, callee: Token) -> FunctionSignature | None:
    """The function a callee name resolves to; if the text is too broken for the name to have been
    resolved, the last top-level `fn` of that name (§9.2)."""
    symbols = analysis.symbols
    found = [d for d in symbols.definition_at(callee.start) if d.kind is SymbolKind.FUNCTION]
    if not found:
        found = [
            d
            for d in symbols.definitions
            if d.kind is SymbolKind.FUNCTION and d.name == callee.text and d.top_level
        ]
    return analysis.declarations.signature(found[-1]) if found else None


def _user_help(signature: FunctionSignature, commas: int, open_paren: int) -> SignatureHelp:
    label = signature.call_label
    parameters = []
    position = len(signature.name) + 1
    for parameter in signature.parameters:
        text = parameter_label(parameter)
        parameters.append(ParameterHelp(text, (position, position + len(text)), parameter.type))
        position += len(text) + 2
    return SignatureHelp(signature.name, label, tuple(parameters), commas, False, None, None, open_paren)
