"""Hover: what is under the cursor and its type.

- A declared name (`let x`, `fn f`, a parameter, a `for` variable, a match binding): the declaration's type
  (a `let`'s type over all the times it runs; a parameter's annotation) or a function's signature.
- A name read: the type the checker inferred at that point, and the signature if it names a function.
- A builtin's callee: the catalog's documentation, and the type this call returns.
- Anything else: the innermost expression with a type.

Types exist only when the checker ran (no syntax error); names, signatures and documentation do not need it.

Invariant: never raises; one tree descent and a few dictionary lookups per query.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from tree_sitter import Node

from charl_core.ast import Span
from charl_core.builtins import lookup
from charl_core.check.annotations import annotation_type
from charl_core.check.symbols import Definition, SymbolKind
from charl_core.ide.cursor import ancestors, leaf_at
from charl_core.ide.declarations import TypeFacts, type_facts
from charl_core.types import Grad, Type

if TYPE_CHECKING:
    from charl_core.analysis import Analysis


class HoverKind(StrEnum):
    EXPRESSION = "expression"
    VARIABLE = "variable"
    PARAMETER = "parameter"
    FUNCTION = "function"
    LOOP_VARIABLE = "loop_variable"
    MATCH_BINDING = "match_binding"
    BUILTIN = "builtin"


@dataclass(frozen=True, slots=True)
class DimensionOrigin:
    """A dimension variable in the hovered type and the annotation that bound it (§9.5)."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class BuiltinDoc:
    """A builtin's entry in the catalog, as documentation (LANGUAGE.md §8). `usage` is spelled with the
    name as written, so an alias shows its own name."""

    name: str
    usage: str
    summary: str
    doc: str
    example: str
    section: str
    tracking: str  # how it relates to autograd (§6.3, §6.4), e.g. "cuts the graph"


@dataclass(frozen=True, slots=True)
class Hover:
    """What hover shows. `span` is the hovered name or expression. `type` is the display text of its type
    (for a builtin callee: the type this call returns); `grad` the grad state of a tensor ("no", "yes",
    "maybe"); `signature` is set for functions; `builtin` for builtin callees."""

    span: Span
    kind: HoverKind
    name: str | None = None
    type: str | None = None
    grad: str | None = None
    dimensions: tuple[DimensionOrigin, ...] = ()
    signature: str | None = None
    builtin: BuiltinDoc | None = None


def hover(analysis: Analysis, offset: int) -> Hover | None:
    leaf = leaf_at(analysis.tree, offset, analysis.parsed_end)
    if leaf is None or leaf.type == "comment":
        return None
    if leaf.type == "identifier":
        found = _name_hover(analysis, leaf)
        if found is not None:
            return found
    return _expression_hover(analysis, leaf)


def builtin_doc(name: str) -> BuiltinDoc | None:
    entry = lookup(name)
    if entry is None:
        return None
    usage = name + entry.usage[len(entry.name) :] if entry.usage.startswith(entry.name) else entry.usage
    return BuiltinDoc(
        name, usage, entry.summary, entry.doc, entry.example, entry.section, entry.tracking.value
    )


def _name_hover(analysis: Analysis, leaf: Node) -> Hover | None:
    span = Span(leaf.start_byte, leaf.end_byte)
    symbols = analysis.symbols
    builtin = symbols.builtin_at(span.start)
    if builtin is not None:
        call = leaf.parent
        returned = _expression_type(analysis, call) if call is not None else None
        return _with_type(Hover(span, HoverKind.BUILTIN, builtin, builtin=builtin_doc(builtin)), returned)
    definitions = symbols.definition_at(span.start)
    if not definitions:
        # A builtin's name that is not a callee in the tree: a call still being typed (`nn_linear(x,`
        # parses as `nn_linear` then an error), or a builtin used as a value, which §5.7 forbids anyway.
        name = leaf.text.decode("utf-8", "replace") if leaf.text is not None else ""
        doc = builtin_doc(name)
        return Hover(span, HoverKind.BUILTIN, name, builtin=doc) if doc is not None else None
    declared = next((d for d in definitions if d.name_span == span), None)
    if declared is not None:
        return _declaration_hover(analysis, declared)
    last = definitions[-1]
    signature = None
    if all(definition.kind is SymbolKind.FUNCTION for definition in definitions):
        found = analysis.declarations.signature(last)
        signature = found.text if found is not None else None
    read = Hover(span, HoverKind(last.kind.value), last.name, signature=signature)
    if signature is not None:
        return read  # the declared signature says more than the checker's function type
    return _with_type(read, _expression_type(analysis, leaf))


def _declaration_hover(analysis: Analysis, definition: Definition) -> Hover:
    declarations = analysis.declarations
    hovered = Hover(definition.name_span, HoverKind(definition.kind.value), definition.name)
    if definition.kind is SymbolKind.FUNCTION:
        signature = declarations.signature(definition)
        return replace(hovered, signature=signature.text if signature is not None else None)
    if definition.kind is SymbolKind.PARAMETER:
        node = declarations.node(definition)
        dimensions = ()
        if node is not None:
            facts = type_facts(annotation_type(getattr(node, "annotation", None), Grad.NO))
            dimensions = _origins(facts)
        return replace(hovered, type=declarations.declared_type(definition), dimensions=dimensions)
    return _with_type(hovered, declarations.inferred_type(definition))


def _expression_hover(analysis: Analysis, leaf: Node) -> Hover | None:
    check = analysis.check
    if check is None:
        return None
    types = check.expression_types
    for node in ancestors(leaf):
        span = Span(node.start_byte, node.end_byte)
        found = types.get(span)
        if found is not None:
            return _with_type(Hover(span, HoverKind.EXPRESSION), found)
        if node.type.endswith("statement") or node.type in ("block", "source_file"):
            return None
    return None


def _expression_type(analysis: Analysis, node: Node) -> Type | None:
    check = analysis.check
    return None if check is None else check.expression_types.get(Span(node.start_byte, node.end_byte))


def _with_type(hovered: Hover, t: Type | None) -> Hover:
    if t is None:
        return hovered
    facts = type_facts(t)
    return replace(hovered, type=facts.text, grad=facts.grad, dimensions=_origins(facts))


def _origins(facts: TypeFacts) -> tuple[DimensionOrigin, ...]:
    return tuple(DimensionOrigin(name, span) for name, span in facts.dimensions)
