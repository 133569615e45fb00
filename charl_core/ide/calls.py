"""The calls of a user function in one file, with the types the checker inferred at each: what hover on a
function shows under its signature ("inferred per-call types", issue 5).

LANGUAGE.md §4.4: a function body is checked once per distinct tuple of argument types; the types here are
those of the call site, argument by argument, and of the call's result, as the checker recorded them.
Unknown types (no check ran, or the checker could not tell) are shown as `?`.

Invariant: never raises; the cost is the function's references plus one tree lookup per call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from charl_core.ast import Span
from charl_core.check.symbols import SymbolKind
from charl_core.types import Type, display

if TYPE_CHECKING:
    from tree_sitter import Node

    from charl_core.analysis import Analysis

UNKNOWN = "?"


@dataclass(frozen=True, slots=True)
class CallTypes:
    span: Span  # the call expression
    arguments: tuple[str, ...]
    result: str


def call_types(analysis: Analysis, offset: int, limit: int = 20) -> tuple[CallTypes, ...]:
    """The first `limit` calls of the user function named at `offset`, in file order."""
    definitions = analysis.symbols.definition_at(offset)
    if not definitions or any(found.kind is not SymbolKind.FUNCTION for found in definitions):
        return ()
    check = analysis.check
    types = check.expression_types if check is not None else {}
    found: list[CallTypes] = []
    root = analysis.tree.root_node
    for span in analysis.references(offset, include_declaration=False):
        name = root.descendant_for_byte_range(span.start, span.end)
        call = name.parent if name is not None else None
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != name:
            continue
        arguments = call.child_by_field_name("arguments")
        argument_nodes = [child for child in arguments.named_children] if arguments is not None else []
        found.append(
            CallTypes(
                Span(call.start_byte, call.end_byte),
                tuple(_text(types.get(_span(node))) for node in argument_nodes if node.type != "comment"),
                _text(types.get(_span(call))),
            )
        )
        if len(found) >= limit:
            break
    return tuple(found)


def _span(node: Node) -> Span:
    return Span(node.start_byte, node.end_byte)


def _text(found: Type | None) -> str:
    return UNKNOWN if found is None else display(found)
