"""Code actions: quick fixes for the checker's diagnostics, and one refactor.

| code | quick fix                                                                                       |
|------|-------------------------------------------------------------------------------------------------|
| W202 | replace the graph-cutting builtin with its tracked twin (`tensor_relu` → `nn_relu`): the catalog's |
|      | `tracked_twin`, which the diagnostic carries in `data["replacement"]`                           |
| W203 | split a string with a literal `\\n` in a `print` statement into one `print` per line (§2.4)      |
| E101 | did you mean: the visible names and builtins closest to the misspelt one (edit distance)        |
| W207 | rename the `fn` shadowed by a builtin, and the calls meant for it; or remove it                 |
| W208 | call the function at the end of the file (preferred for `main`, §5.5); or remove it             |

The refactor "add type annotation" writes the inferred tensor type after a `let`'s name
(`let h: tensor<float32, [40, 16]> = …`), so the shape becomes part of the program and a later change
that breaks it gets a W205.

Invariant: never raises; an action's edits never overlap, and on text without syntax errors they leave
none (the tests re-parse and re-check every fix).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from charl_core import ast
from charl_core.ast import Span
from charl_core.builtins import is_builtin
from charl_core.check.symbols import Definition, SymbolKind
from charl_core.diagnostics import Diagnostic
from charl_core.ide.completion import CompletionKind
from charl_core.ide.cursor import node_path
from charl_core.ide.inlay_hints import tensor_annotation

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


class ActionKind(StrEnum):
    """Values are LSP's code action kinds."""

    QUICK_FIX = "quickfix"
    REWRITE = "refactor.rewrite"


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class CodeAction:
    """`diagnostic` is the finding a quick fix resolves; `preferred` marks the fix an editor may apply
    without asking (the one certain to be meant)."""

    title: str
    kind: ActionKind
    edits: tuple[TextEdit, ...]
    diagnostic: Diagnostic | None = None
    preferred: bool = False


def code_actions(
    analysis: Analysis, span: Span, diagnostics: Sequence[Diagnostic] | None = None
) -> tuple[CodeAction, ...]:
    """Quick fixes for `diagnostics` (by default the analysis' own that touch `span`) and the refactors
    that apply at `span`."""
    if diagnostics is None:
        diagnostics = [
            d for d in analysis.diagnostics() if d.span.start <= span.end and span.start <= d.span.end
        ]
    actions: list[CodeAction] = []
    for found in diagnostics:
        fix = QUICK_FIXES.get(found.code)
        if fix is not None:
            actions += fix(analysis, found)
    actions += _annotate_let(analysis, span)
    return tuple(actions)


# ───────────────────────────── quick fixes ─────────────────────────────


def _tracked_twin(analysis: Analysis, found: Diagnostic) -> list[CodeAction]:
    """W202: the call's callee becomes the builtin that records gradients."""
    twin = (found.data or {}).get("replacement")
    call = _call_at(analysis, found.span)
    if not isinstance(twin, str) or call is None or not isinstance(call.callee, ast.Identifier):
        return []
    callee = call.callee
    edit = TextEdit(callee.span, twin)
    title = f"Replace {callee.name} with {twin} (records gradients)"
    return [CodeAction(title, ActionKind.QUICK_FIX, (edit,), found, preferred=True)]


def _split_print(analysis: Analysis, found: Diagnostic) -> list[CodeAction]:
    """W203: `print("Loss:\\n", x)` prints a backslash and an `n` (§2.4); the line break was meant, so each
    `\\n` ends one `print` and starts the next: `print("Loss:")` then `print(x)`."""
    path = node_path(analysis.program, found.span.start, found.span.end)
    if len(path) < 4 or not isinstance(path[-1], ast.StringLiteral):
        return []
    literal, call, statement = path[-1], path[-2], path[-3]
    if not (
        isinstance(call, ast.Call)
        and isinstance(statement, ast.ExpressionStatement)
        and statement.expression is call
        and isinstance(call.callee, ast.Identifier)
        and analysis.symbols.builtin_at(call.callee.span.start) == "print"
    ):
        return []
    source = analysis.source
    content = source[literal.span.start + 1 : literal.span.end - 1]
    parts = content.split(b"\\n")
    if len(parts) < 2 or b"\\\\" in content or any(part.endswith(b"\\") for part in parts):
        return []  # a backslash before the cut would swallow the closing quote
    position = next((i for i, argument in enumerate(call.arguments) if argument is literal), None)
    if position is None:
        return []  # the string is the callee: `"a\n"(…)`
    texts = [source[a.span.start : a.span.end].decode("utf-8", "replace") for a in call.arguments]
    strings = [f'"{part.decode("utf-8", "replace")}"' if part else None for part in parts]
    groups = [
        [*texts[:position], strings[0]],
        *([s] for s in strings[1:-1]),
        [strings[-1], *texts[position + 1 :]],
    ]
    callee = call.callee.name
    indent = _indentation(source, statement.span.start)
    lines = [f"{callee}({', '.join(item for item in group if item is not None)})" for group in groups]
    edit = TextEdit(call.span, ("\n" + indent).join(lines))
    return [CodeAction("Split into one print per line", ActionKind.QUICK_FIX, (edit,), found, preferred=True)]


_NAME_KINDS = frozenset(
    {
        CompletionKind.VARIABLE,
        CompletionKind.PARAMETER,
        CompletionKind.FUNCTION,
        CompletionKind.LOOP_VARIABLE,
        CompletionKind.MATCH_BINDING,
        CompletionKind.BUILTIN,
    }
)


def _did_you_mean(analysis: Analysis, found: Diagnostic) -> list[CodeAction]:
    """E101: the names visible at that point (completion's scope rules) and the builtins, nearest first."""
    name = analysis.source[found.span.start : found.span.end].decode("utf-8", "replace")
    candidates = {
        item.label for item in analysis.completions_context(found.span.end).items if item.kind in _NAME_KINDS
    }
    ranked = sorted(
        (distance, candidate)
        for candidate in candidates - {name}
        if (distance := edit_distance(name, candidate, limit=_tolerance(name))) is not None
    )
    best = ranked[0][0] if ranked else None
    return [
        CodeAction(
            f"Change to '{candidate}'",
            ActionKind.QUICK_FIX,
            (TextEdit(found.span, candidate),),
            found,
            preferred=index == 0 and (len(ranked) == 1 or ranked[1][0] > best),
        )
        for index, (_, candidate) in enumerate(ranked[:3])
    ]


def _tolerance(name: str) -> int:
    """How many edits a misspelling may be from the intended name: one per four letters, up to three."""
    return max(1, min(3, len(name) // 4))


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """The optimal string alignment distance (insertions, deletions, substitutions and transpositions of
    neighbours, the usual typos), or None when it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return None
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else None


def _shadowed_function(analysis: Analysis, found: Diagnostic) -> list[CodeAction]:
    """W207: every `name(…)` calls the builtin (§5.7). Renaming the `fn` and the calls in its scope makes
    them call it, as the author meant; removing it keeps what the program does today."""
    function = _function_named_at(analysis, found.span)
    if function is None:
        return []
    symbols = analysis.symbols
    new_name = _fresh_name(analysis, f"my_{function.name}")
    # §9.2: a top-level `fn` is visible in the whole file; a nested one from its statement on
    region = (
        Span(0, analysis.parsed_end)
        if function.top_level
        else Span(function.span.end, function.scope.span.end)
    )
    spans = {*symbols.references_of(function)}
    spans |= {
        call.span
        for call in symbols.builtin_references
        if call.name == function.name and region.start <= call.span.start < region.end
    }
    edits = tuple(TextEdit(span, new_name) for span in sorted(spans, key=lambda span: span.start))
    rename = CodeAction(
        f"Rename fn {function.name} to {new_name} and call it instead of the builtin",
        ActionKind.QUICK_FIX,
        edits,
        found,
    )
    return [rename, _removal(analysis, function, found)]


def _unused_function(analysis: Analysis, found: Diagnostic) -> list[CodeAction]:
    """W208: Charl runs the file top to bottom and calls no `main` (§5.5)."""
    function = _function_named_at(analysis, found.span)
    if function is None:
        return []
    actions = []
    declaration = _function_node(analysis, function)
    if declaration is not None and not declaration.parameters and function.top_level:
        end = analysis.parsed_end
        before = "" if analysis.source[:end].endswith(b"\n") or end == 0 else "\n"
        edit = TextEdit(Span(end, end), f"{before}{function.name}()\n")
        actions.append(
            CodeAction(
                f"Call {function.name}() at the end of the file",
                ActionKind.QUICK_FIX,
                (edit,),
                found,
                preferred=function.name == "main",
            )
        )
    actions.append(_removal(analysis, function, found))
    return actions


QUICK_FIXES: dict[str, Callable[[Analysis, Diagnostic], list[CodeAction]]] = {
    "W202": _tracked_twin,
    "W203": _split_print,
    "E101": _did_you_mean,
    "W207": _shadowed_function,
    "W208": _unused_function,
}


# ───────────────────────────── refactors ─────────────────────────────


def _annotate_let(analysis: Analysis, span: Span) -> list[CodeAction]:
    """On a `let` without an annotation whose value is a tensor of known rank."""
    check = analysis.check
    if check is None:
        return []
    lets = [n for n in node_path(analysis.program, span.start, span.end) if isinstance(n, ast.Let)]
    if not lets or lets[-1].annotation is not None:
        return []
    let = lets[-1]
    if span.start > let.value.span.start:
        return []  # the cursor is in the value, where other actions belong
    found = check.let_types.get(let.span)
    text = tensor_annotation(found[1]) if found is not None else None
    if text is None:
        return []
    edit = TextEdit(Span(let.name.span.end, let.name.span.end), f": {text}")
    return [CodeAction(f"Add type annotation: {text}", ActionKind.REWRITE, (edit,))]


# ───────────────────────────── helpers ─────────────────────────────


def _call_at(analysis: Analysis, span: Span) -> ast.Call | None:
    path = node_path(analysis.program, span.start, span.end)
    node = path[-1] if path else None
    return node if isinstance(node, ast.Call) and node.span == span else None


def _function_named_at(analysis: Analysis, span: Span) -> Definition | None:
    return next(
        (
            d
            for d in analysis.symbols.definition_at(span.start)
            if d.kind is SymbolKind.FUNCTION and d.name_span == span
        ),
        None,
    )


def _function_node(analysis: Analysis, function: Definition) -> ast.FunctionDef | None:
    path = node_path(analysis.program, function.span.start, function.span.end)
    node = path[-1] if path else None
    return node if isinstance(node, ast.FunctionDef) else None


def _removal(analysis: Analysis, function: Definition, found: Diagnostic) -> CodeAction:
    """Delete the `fn` statement, with its lines when nothing else is on them."""
    source = analysis.source
    start, end = function.span.start, function.span.end
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end < 0 else line_end + 1
    if not source[line_start:start].strip() and not source[end:line_end].strip():
        start, end = line_start, min(line_end, analysis.parsed_end)
    return CodeAction(
        f"Remove fn {function.name}", ActionKind.QUICK_FIX, (TextEdit(Span(start, end), ""),), found
    )


def _fresh_name(analysis: Analysis, wanted: str) -> str:
    taken = {d.name for d in analysis.symbols.definitions}
    candidate, number = wanted, 2
    while candidate in taken or is_builtin(candidate):
        candidate, number = f"{wanted}{number}", number + 1
    return candidate


def _indentation(source: bytes, offset: int) -> str:
    line_start = source.rfind(b"\n", 0, offset) + 1
    prefix = source[line_start:offset]
    return prefix[: len(prefix) - len(prefix.lstrip())].decode("utf-8", "replace")


def apply_edits(text: bytes, edits: Iterable[TextEdit]) -> bytes:
    """`text` with non-overlapping `edits` applied (for tests and for callers without an editor)."""
    result = text
    for edit in sorted(edits, key=lambda edit: edit.span.start, reverse=True):
        result = result[: edit.span.start] + edit.new_text.encode() + result[edit.span.end :]
    return result
