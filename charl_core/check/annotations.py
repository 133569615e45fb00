"""Written type annotations (§3.5, §9.5) as static types, and the W205 check of a value against one.

Dimension variables are scoped to one function signature plus the annotations in its body, and the
top-level annotations form one more scope (§9.5): `DimensionScope` holds what each name is bound to and
where that came from, so a conflict can say both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from charl_core import ast
from charl_core.types import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    STRING,
    UNKNOWN,
    ArrayType,
    Dim,
    DimVar,
    FloatType,
    Grad,
    IntType,
    ObjectType,
    Shape,
    TensorType,
    TupleType,
    Type,
    UnknownDim,
    display,
    shape_text,
)

_PRIMITIVES: dict[str, Type] = {
    "int32": INT,
    "int64": INT,
    "int": INT,
    "float32": FLOAT,
    "float64": FLOAT,
    "float": FLOAT,
    "bool": BOOL,
    "string": STRING,
    "concept": ObjectType("concept"),
}

_DTYPE_NAMES = {"int": "int64", "float": "float64"}


def annotation_type(annotation: ast.Type | None, grad: Grad = Grad.MAYBE) -> Type:
    """The static type an annotation denotes; a tensor annotation says nothing about grad (`grad`)."""
    if annotation is None or isinstance(annotation, ast.ErrorType):
        return ANY
    if isinstance(annotation, ast.PrimitiveType):
        return _PRIMITIVES.get(annotation.name, ANY)
    if isinstance(annotation, ast.ArrayType):
        return ArrayType(annotation_type(annotation.element, grad), annotation.length)
    if isinstance(annotation, ast.TupleType):
        return TupleType(tuple(annotation_type(e, grad) for e in annotation.elements))
    if isinstance(annotation, ast.TensorType):
        dtype = "float32"
        if isinstance(annotation.dtype, ast.PrimitiveType):
            dtype = _DTYPE_NAMES.get(annotation.dtype.name, annotation.dtype.name)
        shape = None if annotation.shape is None else tuple(_dimension(d) for d in annotation.shape)
        return TensorType(dtype, shape, grad)
    return ANY


def _dimension(dimension: ast.Dimension) -> Dim:
    if isinstance(dimension, ast.IntDimension):
        return dimension.value
    if isinstance(dimension, ast.NamedDimension):
        return DimVar(dimension.name, dimension.span)
    return UNKNOWN


@dataclass
class DimensionScope:
    """What each dimension variable of one scope is bound to, and a description of where from."""

    values: dict[str, Dim] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)


def substitute(t: Type, scope: DimensionScope) -> Type:
    """`t` with its bound dimension variables replaced by their values (unbound ones stay variables)."""
    if isinstance(t, TensorType) and t.shape is not None:
        shape = tuple(scope.values.get(d.name, d) if isinstance(d, DimVar) else d for d in t.shape)
        return TensorType(t.dtype, shape, t.grad, t.gpu)
    if isinstance(t, ArrayType):
        return ArrayType(substitute(t.element, scope), t.length)
    if isinstance(t, TupleType):
        return TupleType(tuple(substitute(e, scope) for e in t.elements))
    return t


def bind_dimensions(declared: Type, actual: Type, scope: DimensionScope, origin: str) -> str | None:
    """Bind the dimension variables of `declared` from `actual`; the W205 text of the first conflict."""
    if not isinstance(declared, TensorType) or not isinstance(actual, TensorType):
        return None
    if declared.shape is None or actual.shape is None or len(declared.shape) != len(actual.shape):
        return None
    for want, have in zip(declared.shape, actual.shape, strict=True):
        if not isinstance(want, DimVar) or isinstance(have, UnknownDim):
            continue
        bound = scope.values.get(want.name)
        if bound is None or isinstance(bound, UnknownDim):
            scope.values[want.name] = have
            scope.origins[want.name] = origin
        elif isinstance(bound, int) and isinstance(have, int) and bound != have:
            return (
                f"{want.name} = {bound} (from {scope.origins[want.name]}) but got {shape_text(actual.shape)}"
            )
    return None


def annotation_conflict(declared: Type, actual: Type) -> str | None:
    """Why a value of type `actual` disagrees with the annotation `declared` (W205), or None. Only what is
    certain counts: unknown dimensions, variables and `any` agree with everything."""
    if isinstance(declared, IntType) and isinstance(actual, FloatType):
        return f"annotation says int but the value is a float ({_shown(actual)})"
    if isinstance(declared, FloatType) and isinstance(actual, IntType):
        return f"annotation says float but the value is an integer ({_shown(actual)}): it stays an integer"
    tensors = isinstance(declared, TensorType) and isinstance(actual, TensorType)
    if tensors and _shapes_disagree(declared.shape, actual.shape):
        return f"annotation says {display(_plain(declared))} but the value is {display(_plain(actual))}"
    arrays = isinstance(declared, ArrayType) and isinstance(actual, ArrayType)
    if arrays and None not in (declared.length, actual.length) and declared.length != actual.length:
        return f"annotation says {declared.length} elements but the array has {actual.length}"
    return None


def _shapes_disagree(declared: Shape | None, actual: Shape | None) -> bool:
    if declared is None or actual is None:
        return False
    if len(declared) != len(actual):
        return True
    return any(
        isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(declared, actual, strict=True)
    )


def _plain(t: TensorType) -> TensorType:
    return TensorType(t.dtype, t.shape)


def _shown(t: Type) -> str:
    value = getattr(t, "value", None)
    return repr(value) if value is not None else display(t)


def refine_with_annotation(declared: Type, actual: Type) -> Type:
    """After `let x: T = e`, `x` has the inferred type with unknown dimensions named as in `T` (§9.5)."""
    if isinstance(declared, TensorType) and isinstance(actual, TensorType):
        if actual.shape is None:
            return TensorType(actual.dtype, declared.shape, actual.grad, actual.gpu)
        if declared.shape is not None and len(declared.shape) == len(actual.shape):
            shape = tuple(
                want if isinstance(have, UnknownDim) else have
                for want, have in zip(declared.shape, actual.shape, strict=True)
            )
            return TensorType(actual.dtype, shape, actual.grad, actual.gpu)
    if isinstance(actual, type(ANY)):
        return declared
    return actual
