"""What a declaration says in editor terms: the AST node behind a symbol-table `Definition`, the type the
checker gave it, and a function's signature as written. Hover, completion, signature help and the outline
all describe declarations; they ask here, so they describe them the same way.

Types come from the checker (`let_types`, `expression_types`), which only runs on text without syntax
errors; without it, a variable's type is unknown (None) but a function's signature, read from its
annotations, is still there.

Invariant: never raises; answers are memoised per definition for one analysis and never change.
"""

from __future__ import annotations

from dataclasses import dataclass

from charl_core import ast
from charl_core.check import CheckResult
from charl_core.check.symbols import Definition, SymbolKind
from charl_core.ide.cursor import node_path
from charl_core.types import ArrayType, DimVar, FunctionType, TensorType, TupleType, Type, UnionType, display


@dataclass(frozen=True, slots=True)
class ParameterText:
    name: str
    type: str  # the annotation as written, spacing normalised: `tensor<float32, [M, K]>`


@dataclass(frozen=True, slots=True)
class FunctionSignature:
    """A user function as declared: `fn mm(a: tensor<float32, [M, K]>, b: …) -> tensor<…>`."""

    name: str
    parameters: tuple[ParameterText, ...]
    result: str | None  # the declared return type; None when the `fn` declares none

    @property
    def call_label(self) -> str:
        """`mm(a: …, b: …) -> …`: the signature-help label, shaped like a builtin's usage."""
        parameters = ", ".join(parameter_label(parameter) for parameter in self.parameters)
        result = f" -> {self.result}" if self.result is not None else ""
        return f"{self.name}({parameters}){result}"

    @property
    def text(self) -> str:
        """`fn mm(…) -> …`: what hover and completion show."""
        return f"fn {self.call_label}"


def parameter_label(parameter: ParameterText) -> str:
    return f"{parameter.name}: {parameter.type}"


@dataclass(frozen=True, slots=True)
class TypeFacts:
    """A static type as hover shows it: its text, its grad state if a tensor, and where the dimension
    variables in it were bound (the annotations they come from)."""

    text: str
    grad: str | None  # "no", "yes" or "maybe" for a tensor
    dimensions: tuple[tuple[str, ast.Span], ...]


def type_facts(t: Type) -> TypeFacts:
    grad = t.grad.value if isinstance(t, TensorType) else None
    origins: dict[str, ast.Span] = {}
    pending = [t]
    while pending:
        current = pending.pop()
        if isinstance(current, TensorType) and current.shape is not None:
            for dim in current.shape:
                if isinstance(dim, DimVar) and dim.bound_at is not None:
                    origins.setdefault(dim.name, dim.bound_at)
        elif isinstance(current, ArrayType):
            pending.append(current.element)
        elif isinstance(current, TupleType):
            pending.extend(current.elements)
        elif isinstance(current, UnionType):
            pending.extend(current.members)
        elif isinstance(current, FunctionType):
            pending.extend((*current.parameters, current.result))
    return TypeFacts(display(t), grad, tuple(sorted(origins.items(), key=lambda item: item[1].start)))


def annotation_text(annotation: ast.Type | None) -> str:
    """A written type in canonical spacing (`[float32; 80]`, `tensor<float32, [N, _]>`); `?` where it did
    not parse."""
    if isinstance(annotation, ast.PrimitiveType):
        return annotation.name
    if isinstance(annotation, ast.ArrayType):
        element = annotation_text(annotation.element)
        return f"[{element}; {annotation.length}]" if annotation.length is not None else f"[{element}]"
    if isinstance(annotation, ast.TupleType):
        elements = [annotation_text(element) for element in annotation.elements]
        return "(" + ", ".join(elements) + ("," if len(elements) == 1 else "") + ")"
    if isinstance(annotation, ast.TensorType):
        if annotation.dtype is None and annotation.shape is None:
            return "tensor"
        shape = ", ".join(_dimension_text(dimension) for dimension in annotation.shape or ())
        return f"tensor<{annotation_text(annotation.dtype)}, [{shape}]>"
    return "?"


def _dimension_text(dimension: ast.Dimension) -> str:
    if isinstance(dimension, ast.IntDimension):
        return str(dimension.value)
    if isinstance(dimension, ast.NamedDimension):
        return dimension.name
    return "_"


_NODE_KINDS: dict[SymbolKind, type[ast.Node]] = {
    SymbolKind.VARIABLE: ast.Let,
    SymbolKind.FUNCTION: ast.FunctionDef,
    SymbolKind.PARAMETER: ast.Parameter,
    SymbolKind.LOOP_VARIABLE: ast.For,
    SymbolKind.MATCH_BINDING: ast.MatchArm,
}
"""The AST node each kind of definition is declared by (`Definition.span` is that node's span)."""


class Declarations:
    """The declarations of one analysis, described on demand."""

    def __init__(self, program: ast.Program, check: CheckResult | None) -> None:
        self._program = program
        self._check = check
        self._paths: dict[Definition, list[ast.Node]] = {}
        self._details: dict[Definition, str | None] = {}

    def path(self, definition: Definition) -> list[ast.Node]:
        """The AST nodes from the program down to the declaring node (last), or as far as they exist."""
        path = self._paths.get(definition)
        if path is None:
            span = definition.span
            path = node_path(self._program, span.start, span.end)
            wanted = _NODE_KINDS[definition.kind]
            while len(path) > 1 and not (isinstance(path[-1], wanted) and path[-1].span == span):
                path.pop()
            self._paths[definition] = path
        return path

    def node(self, definition: Definition) -> ast.Node | None:
        path = self.path(definition)
        return path[-1] if len(path) > 1 else None

    def signature(self, definition: Definition) -> FunctionSignature | None:
        node = self.node(definition)
        if not isinstance(node, ast.FunctionDef):
            return None
        parameters = tuple(
            ParameterText(parameter.name.id, annotation_text(parameter.annotation))
            for parameter in node.parameters
        )
        result = annotation_text(node.return_type) if node.return_type is not None else None
        return FunctionSignature(node.name.id, parameters, result)

    def declared_type(self, definition: Definition) -> str | None:
        """A parameter's annotation as written."""
        node = self.node(definition)
        return annotation_text(node.annotation) if isinstance(node, ast.Parameter) else None

    def inferred_type(self, definition: Definition) -> Type | None:
        """The checker's type for a variable, a loop variable or a match binding (None if unknown)."""
        check = self._check
        if check is None:
            return None
        if definition.kind is SymbolKind.VARIABLE:
            found = check.let_types.get(definition.span)
            return found[1] if found is not None else None
        path = self.path(definition)
        node = path[-1]
        if definition.kind is SymbolKind.LOOP_VARIABLE and isinstance(node, ast.For):
            iterable = check.expression_types.get(node.iterable.span)
            return iterable.element if isinstance(iterable, ArrayType) else None
        if definition.kind is SymbolKind.MATCH_BINDING and isinstance(node, ast.MatchArm) and len(path) > 2:
            match = path[-2]
            return check.expression_types.get(match.value.span) if isinstance(match, ast.Match) else None
        return None

    def detail(self, definition: Definition) -> str | None:
        """One line describing a declaration: a function's signature, a parameter's declared type, or the
        inferred type of anything else."""
        if definition in self._details:
            return self._details[definition]
        detail = self._detail(definition)
        self._details[definition] = detail
        return detail

    def _detail(self, definition: Definition) -> str | None:
        if definition.kind is SymbolKind.FUNCTION:
            signature = self.signature(definition)
            return signature.text if signature is not None else None
        if definition.kind is SymbolKind.PARAMETER:
            return self.declared_type(definition)
        inferred = self.inferred_type(definition)
        return type_facts(inferred).text if inferred is not None else None
