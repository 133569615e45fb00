"""The symbol table of one Charl file and the editor queries over it: go to definition, find references,
rename, highlight (`definition_at`, `references_of`, `Reference.write`), document symbols (`symbols`), and
whether a `fn` is ever referenced (`is_referenced`, for W208/W209). What each name refers to comes from
`name_resolution` (the scope and flow rules are there); this module only indexes it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from charl_core import ast
from charl_core.builtins import is_builtin
from charl_core.check.name_resolution import (
    BuiltinReference,
    Definition,
    Reference,
    Scope,
    ScopeKind,
    SymbolKind,
    resolve_names,
)

__all__ = [
    "BuiltinReference",
    "Definition",
    "DocumentSymbol",
    "Reference",
    "Scope",
    "ScopeKind",
    "SymbolKind",
    "SymbolTable",
    "symbol_table",
]


@dataclass(slots=True)
class DocumentSymbol:
    """One entry of the outline: a function (its lets and nested functions as children) or a variable."""

    name: str
    kind: SymbolKind
    span: ast.Span
    name_span: ast.Span
    children: list[DocumentSymbol] = field(default_factory=list)


class SymbolTable:
    """The resolved names of one program and the editor queries over them. `builtin_values` and
    `unresolved` are the references nothing declares (`split_unbound`)."""

    def __init__(
        self,
        definitions: list[Definition],
        references: list[Reference],
        builtin_references: list[BuiltinReference],
    ) -> None:
        self.definitions = definitions
        self.references = references
        self.builtin_references = builtin_references
        self.builtin_values, self.unresolved = split_unbound(references)

    @cached_property
    def _uses(self) -> dict[Definition, list[Reference]]:
        """The references of each definition; built on the first query, as the checker needs none."""
        uses: dict[Definition, list[Reference]] = {}
        for reference in self.references:
            for definition in reference.definitions:
                uses.setdefault(definition, []).append(reference)
        return uses

    @cached_property
    def _located(self) -> tuple[list[int], list[Definition | Reference | BuiltinReference]]:
        """Every name in the file by start offset (declarations, uses, builtin callees), for `_at`."""
        located: list[tuple[int, Definition | Reference | BuiltinReference]] = [
            (item.name_span.start, item) for item in self.definitions
        ]
        located += ((item.span.start, item) for item in self.references)
        located += ((item.span.start, item) for item in self.builtin_references)
        located.sort(key=lambda entry: entry[0])
        return [start for start, _ in located], [item for _, item in located]

    def _at(self, offset: int) -> Definition | Reference | BuiltinReference | None:
        """The name whose span contains `offset` (its end included, where an editor's cursor sits after
        typing it). Names never overlap, so the last one starting at or before `offset` is the only one."""
        starts, items = self._located
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return None
        item = items[index]
        span = item.name_span if isinstance(item, Definition) else item.span
        return item if offset <= span.end else None

    def definition_at(self, offset: int) -> list[Definition]:
        """The definitions of the name at a byte offset, whether a reference or a declaration is there."""
        item = self._at(offset)
        if isinstance(item, Definition):
            return [item]
        if isinstance(item, Reference):
            return list(item.definitions)
        return []

    def builtin_at(self, offset: int) -> str | None:
        """The builtin called at `offset`, if a builtin call's callee is there."""
        item = self._at(offset)
        return item.name if isinstance(item, BuiltinReference) else None

    def references_of(self, definition: Definition, include_declaration: bool = True) -> list[ast.Span]:
        """Where `definition` is, or may be, read or written, in source order."""
        spans = [reference.span for reference in self._uses.get(definition, ())]
        if include_declaration:
            spans.append(definition.name_span)
        return sorted(spans, key=lambda span: span.start)

    def is_referenced(self, function: Definition) -> bool:
        """Whether the function is read outside its own body: called, stored or passed (W208, W209). A call
        from its own body does not count: nothing outside ever starts it."""
        outer = function.span
        return any(
            not reference.write and (reference.span.start < outer.start or reference.span.end > outer.end)
            for reference in self._uses.get(function, ())
        )

    def symbols(self) -> list[DocumentSymbol]:
        """The outline: top-level functions and variables, each function holding the variables and
        functions declared in its body (loop-scoped lets included; parameters, loop variables and match
        bindings left out, as outlines do)."""
        roots: list[DocumentSymbol] = []
        functions: dict[Definition, DocumentSymbol] = {}
        for definition in self.definitions:
            if definition.kind not in (SymbolKind.VARIABLE, SymbolKind.FUNCTION):
                continue
            symbol = DocumentSymbol(definition.name, definition.kind, definition.span, definition.name_span)
            if definition.kind is SymbolKind.FUNCTION:
                functions[definition] = symbol
            owner = definition.scope.function
            # Definitions are in source order, so a function's symbol exists before its body's.
            parent = functions.get(owner) if owner is not None else None
            (parent.children if parent is not None else roots).append(symbol)
        return roots


def split_unbound(references: list[Reference]) -> tuple[list[Reference], list[Reference]]:
    """The references nothing declares, in two: reads of a builtin as a value (`let f = print`: undefined
    at run time, §5.7), and the rest (reads and writes of names nothing declares)."""
    unbound = [reference for reference in references if not reference.definitions]
    builtin_values = [ref for ref in unbound if not ref.write and is_builtin(ref.name)]
    return builtin_values, [ref for ref in unbound if ref.write or not is_builtin(ref.name)]


def symbol_table(program: ast.Program) -> SymbolTable:
    """Resolve every name of `program` and index the result for the queries."""
    resolution = resolve_names(program)
    return SymbolTable(resolution.definitions, resolution.references, resolution.builtin_references)
