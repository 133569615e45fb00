"""Inlay hints: the shape of every tensor as the user types, and the parameter names of builtin calls.

- **Shapes** (`charl.inlayHints.shapes`): after the name of each `let` without an annotation whose
  inferred type is a tensor, `let h: tensor<float32, [40, 16]> = …`; and after the target of each
  *loop-carried* assignment, an assignment in a loop body to a variable declared outside that loop
  (`W1 = u[0]` in a training loop), with the type of the assigned value over all iterations. Only a
  tensor's dtype and shape are shown; the grad state is in the tooltip (and in hover). A tensor whose rank
  is unknown gets no hint: `tensor<float32, [?]>` says nothing the reader needs.
- **Parameter names** (`charl.inlayHints.parameterNames`): before each argument of a builtin call,
  `tensor(data: xs, shape: [40, 2])`, except for builtins of one parameter (`nn_relu(x)`) and arguments
  that already spell the name (`nn_linear(input, …)`).

Types come from the checker, which runs only on text without syntax errors; parameter names do not need
it.

Invariant: never raises; only the statements that intersect the requested span are visited.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from charl_core import ast
from charl_core.ast import Span
from charl_core.builtins import lookup
from charl_core.types import TensorType, Type, display, shape_text

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


class HintKind(StrEnum):
    TYPE = "type"
    PARAMETER = "parameter"


@dataclass(frozen=True, slots=True)
class InlayHint:
    """`label` is shown at byte `offset`: `: tensor<float32, [2, 3]>` after a name, `shape:` before an
    argument (editors add the space after a parameter hint). `tooltip` is the full type."""

    offset: int
    label: str
    kind: HintKind
    tooltip: str | None = None


@dataclass(frozen=True, slots=True)
class InlayHintOptions:
    shapes: bool = True
    parameter_names: bool = True


def inlay_hints(
    analysis: Analysis, span: Span | None = None, options: InlayHintOptions | None = None
) -> tuple[InlayHint, ...]:
    """The hints whose position lies in `span` (the whole text when None), in source order."""
    options = options or InlayHintOptions()
    within = span if span is not None else Span(0, analysis.parsed_end)
    check = analysis.check if options.shapes else None
    hints: list[InlayHint] = []
    # (node, innermost enclosing loop of the same function, or None)
    statements = analysis.program.statements
    first = max(0, bisect_right(statements, within.start, key=lambda statement: statement.span.start) - 1)
    stack: list[tuple[ast.Node, ast.While | ast.For | None]] = []
    for statement in statements[first:]:
        if statement.span.start > within.end:
            break
        stack.append((statement, None))
    stack.reverse()
    while stack:
        node, loop = stack.pop()
        if node.span.end < within.start or node.span.start > within.end:
            continue
        if check is not None:
            if isinstance(node, ast.Let) and node.annotation is None:
                found = check.let_types.get(node.span)
                if found is not None:
                    hints += _type_hint(node.name.span.end, found[1])
            elif isinstance(node, ast.Assign) and loop is not None and _carried(analysis, node, loop):
                hints += _type_hint(node.target.span.end, check.expression_types.get(node.value.span))
        if options.parameter_names and isinstance(node, ast.Call):
            hints += _parameter_hints(analysis, node)
        inner = loop
        if isinstance(node, ast.FunctionDef):
            inner = None  # a loop around a `fn` statement does not run its body
        elif isinstance(node, ast.While | ast.For):
            inner = node
        stack.extend((child, inner) for child in reversed(list(node.children())))
    return tuple(
        sorted(
            (hint for hint in hints if within.start <= hint.offset <= within.end),
            key=lambda hint: hint.offset,
        )
    )


def tensor_annotation(t: Type | None) -> str | None:
    """`tensor<float32, [40, 16]>`: a tensor type as it is written in an annotation (§9.5), or None when
    `t` is not a CPU tensor of known rank (no annotation spells a GPU tensor). `display` would add the
    grad state, which no annotation spells either."""
    if not isinstance(t, TensorType) or t.gpu:
        return None
    return _tensor_text(t)


def _tensor_text(t: TensorType) -> str | None:
    if t.shape is None:
        return None
    prefix = "gpu_tensor" if t.gpu else "tensor"
    return f"{prefix}<{t.dtype}, {shape_text(t.shape)}>"


def _type_hint(offset: int, t: Type | None) -> list[InlayHint]:
    text = _tensor_text(t) if isinstance(t, TensorType) else None
    if text is None or t is None:
        return []
    return [InlayHint(offset, f": {text}", HintKind.TYPE, display(t))]


def _carried(analysis: Analysis, node: ast.Assign, loop: ast.While | ast.For) -> bool:
    """Whether the assignment writes a variable declared before the loop (so it carries a value from one
    iteration to the next and out of the loop)."""
    if not isinstance(node.target, ast.Identifier):
        return False
    definitions = analysis.symbols.definition_at(node.target.span.start)
    return bool(definitions) and all(d.span.start < loop.span.start for d in definitions)


def _parameter_hints(analysis: Analysis, call: ast.Call) -> list[InlayHint]:
    callee = call.callee
    if not isinstance(callee, ast.Identifier) or analysis.symbols.builtin_at(callee.span.start) is None:
        return []
    entry = lookup(callee.name)
    if entry is None or len(entry.params) < 2:
        return []
    hints = []
    for parameter, argument in zip(entry.params, call.arguments, strict=False):
        if isinstance(argument, ast.Identifier) and argument.name.lower() == parameter.name.lower():
            continue
        if isinstance(argument, ast.ErrorExpression):
            continue
        hints.append(InlayHint(argument.span.start, f"{parameter.name}:", HintKind.PARAMETER))
    return hints
