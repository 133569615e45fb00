"""The static type model of LANGUAGE.md §4.1 and §4.4: what the checker infers for every expression, what
hover shows, and what the builtin catalog's shape rules consume and produce.

Types are immutable and hashable (they key memo tables: per-call checking of function bodies is memoised on
argument types). Scalars carry an optional constant (`IntType(4)`), folded flow-sensitively by the checker so
that `let n = 4  tensor_zeros([n, 3])` has shape `[4, 3]`. Tensor shapes are tuples of dimensions: an `int`,
a `DimVar` (a named dimension such as `N`), or `UNKNOWN` (`_`); `shape=None` means even the rank is unknown.

`ANY` means "the checker cannot know": it is never the cause of a diagnostic (§4.4).

Invariant: pure data and pure functions; imports only `charl_core.ast` (for spans).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from charl_core.ast import Span


class Type:
    """Base of all static types."""

    __slots__ = ()

    def __str__(self) -> str:
        return display(self)


# ───────────────────────────── dimensions and shapes ─────────────────────────────


@dataclass(frozen=True, slots=True)
class DimVar:
    """A named dimension (§9.5). `bound_at` says where its value came from, for related information; it takes
    no part in equality."""

    name: str
    bound_at: Span | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class UnknownDim:
    """`_`: any size; matches anything and is never bound."""

    def __str__(self) -> str:
        return "_"


UNKNOWN = UnknownDim()

Dim = int | DimVar | UnknownDim
Shape = tuple[Dim, ...]


def shape_text(shape: Shape | None) -> str:
    """`[2, N, _]`, or `[?]` for an unknown rank: the form every shape message uses."""
    if shape is None:
        return "[?]"
    return "[" + ", ".join(str(dim) for dim in shape) + "]"


def is_known(dim: Dim) -> bool:
    return isinstance(dim, int)


def element_count(shape: Shape | None) -> int | None:
    """The number of elements when every dimension is a known integer."""
    if shape is None or not all(isinstance(dim, int) for dim in shape):
        return None
    count = 1
    for dim in shape:
        count *= dim  # type: ignore[operator]
    return count


# ───────────────────────────── scalar and container types ─────────────────────────────


@dataclass(frozen=True, slots=True)
class AnyType(Type):
    """Unknown: the checker says nothing about it."""


ANY = AnyType()


@dataclass(frozen=True, slots=True)
class NullType(Type):
    pass


NULL = NullType()


@dataclass(frozen=True, slots=True)
class BoolType(Type):
    value: bool | None = None


@dataclass(frozen=True, slots=True)
class IntType(Type):
    """A 64-bit integer (`int32` and `int64` are one kind at run time, §4.1)."""

    value: int | None = None


@dataclass(frozen=True, slots=True)
class FloatType(Type):
    value: float | None = None


@dataclass(frozen=True, slots=True)
class StringType(Type):
    value: str | None = None


BOOL = BoolType()
INT = IntType()
FLOAT = FloatType()
STRING = StringType()


@dataclass(frozen=True, slots=True)
class ArrayType(Type):
    """An array: the join of its element types, its length when known, and (while the length is known) the
    type of each position, so that `sgd_step(opt, [W1, b1])[0]` has W1's shape (§4.4)."""

    element: Type = ANY
    length: int | None = None
    items: tuple[Type, ...] | None = None


@dataclass(frozen=True, slots=True)
class TupleType(Type):
    elements: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class FunctionType(Type):
    """A user function value. `name` identifies its declaration for per-call checking: the checker's key,
    `name@digits` (`charl_core.check.functions.function_key`)."""

    name: str
    parameters: tuple[Type, ...] = ()
    result: Type = ANY

    @property
    def written_name(self) -> str:
        """The name as the program writes it: the key without its `@digits` (no Charl name holds `@`)."""
        return self.name.partition("@")[0]


@dataclass(frozen=True, slots=True)
class ObjectType(Type):
    """An opaque object made by a builtin, named as `type()` names it (`sgd_optimizer`, `linear_layer`…)."""

    kind: str


@dataclass(frozen=True, slots=True)
class LegacyTensorType(Type):
    """The legacy tensor (`type()` = `tensor`) that `tensor_grad` and a few others return (§6.1)."""

    shape: Shape | None = None


class Grad(Enum):
    """Whether a tensor requires grad (§4.4): `MAYBE` after a join of `NO` and `YES`."""

    NO = "no"
    YES = "yes"
    MAYBE = "maybe"

    def join(self, other: Grad) -> Grad:
        return self if self is other else Grad.MAYBE

    def either(self, other: Grad) -> Grad:
        """The grad state of a tracked op's output: yes if any input requires grad (§6.3)."""
        if Grad.YES in (self, other):
            return Grad.YES
        if Grad.MAYBE in (self, other):
            return Grad.MAYBE
        return Grad.NO


DTYPES = ("float32", "float64", "int32", "int64", "bool")
DEFAULT_DTYPE = "float32"


@dataclass(frozen=True, slots=True)
class TensorType(Type):
    """`tensor<dtype, shape>` with a grad state; `gpu` marks a `gpu_tensor` (§6.11)."""

    dtype: str = DEFAULT_DTYPE
    shape: Shape | None = None
    grad: Grad = Grad.NO
    gpu: bool = False

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)


@dataclass(frozen=True, slots=True)
class UnionType(Type):
    """Different kinds on different paths (§4.4), e.g. a loss that is a float or a `[1]` tensor."""

    members: frozenset[Type]


def union(*types: Type) -> Type:
    """The union of `types`, flattened; a single member is itself; `ANY` absorbs everything."""
    members: set[Type] = set()
    for member in types:
        if isinstance(member, AnyType):
            return ANY
        members.update(member.members if isinstance(member, UnionType) else (member,))
    if len(members) == 1:
        return next(iter(members))
    return UnionType(frozenset(members))


# ───────────────────────────── joins at control-flow merges ─────────────────────────────


def join(a: Type, b: Type) -> Type:
    """The type after a merge of two paths (§4.4): differing constants are dropped, differing dimensions
    become `_`, differing grad states `maybe`, differing kinds a union."""
    if a is b or a == b:  # `is` first: loop passes join a type with itself most of the time
        return a
    if isinstance(a, AnyType) or isinstance(b, AnyType):
        return ANY
    if type(a) is not type(b):
        return union(a, b)
    joiner = _JOINS.get(type(a))
    return joiner(a, b) if joiner else union(a, b)


def join_all(*types: Type) -> Type:
    """The join of any number of types (`ANY` for none)."""
    if not types:
        return ANY
    result = types[0]
    for t in types[1:]:
        result = join(result, t)
    return result


def join_shapes(a: Shape | None, b: Shape | None) -> Shape | None:
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else UNKNOWN for x, y in zip(a, b, strict=True))


def _join_tensors(a: TensorType, b: TensorType) -> Type:
    if a.gpu != b.gpu:
        return union(a, b)
    dtype = a.dtype if a.dtype == b.dtype else DEFAULT_DTYPE
    return TensorType(dtype, join_shapes(a.shape, b.shape), a.grad.join(b.grad), a.gpu)


def _join_arrays(a: ArrayType, b: ArrayType) -> Type:
    length = a.length if a.length == b.length else None
    items = None
    if length is not None and a.items is not None and b.items is not None:
        items = tuple(join(x, y) for x, y in zip(a.items, b.items, strict=True))
    return ArrayType(join(a.element, b.element), length, items)


def _join_tuples(a: TupleType, b: TupleType) -> Type:
    if len(a.elements) != len(b.elements):
        return union(a, b)
    return TupleType(tuple(join(x, y) for x, y in zip(a.elements, b.elements, strict=True)))


_JOINS = {
    IntType: lambda a, b: INT,
    FloatType: lambda a, b: FLOAT,
    BoolType: lambda a, b: BOOL,
    StringType: lambda a, b: STRING,
    TensorType: _join_tensors,
    ArrayType: _join_arrays,
    TupleType: _join_tuples,
    LegacyTensorType: lambda a, b: LegacyTensorType(join_shapes(a.shape, b.shape)),
}


# ───────────────────────────── run-time kinds and display ─────────────────────────────


def kind_name(t: Type) -> str | None:
    """The run-time kind (`type()` name, §5.1) of values of type `t`, or None if not certain."""
    names = {
        NullType: "null",
        BoolType: "boolean",
        IntType: "integer",
        FloatType: "float",
        StringType: "string",
        ArrayType: "array",
        TupleType: "tuple",
        FunctionType: "function",
        LegacyTensorType: "tensor",
    }
    if isinstance(t, TensorType):
        return "gpu_tensor" if t.gpu else "autograd_tensor"
    if isinstance(t, ObjectType):
        return t.kind
    return names.get(type(t))


def display(t: Type) -> str:
    """The form hover, messages and `charl check --show-types` show: `tensor<float32, [16, 32]>`,
    `[float; 80]`, `int | float`, `fn inner(any) -> int` (a function by its written name, not its key)."""
    if isinstance(t, TensorType):
        prefix = "gpu_tensor" if t.gpu else "tensor"
        grad = (
            ", requires grad" if t.grad is Grad.YES else ", may require grad" if t.grad is Grad.MAYBE else ""
        )
        return f"{prefix}<{t.dtype}, {shape_text(t.shape)}>{grad}"
    if isinstance(t, ArrayType):
        if t.items and len(set(t.items)) > 1 and len(t.items) <= 8:
            return "[" + ", ".join(display(item) for item in t.items) + "]"  # one type per position
        inner = display(t.element)
        return f"[{inner}; {t.length}]" if t.length is not None else f"[{inner}]"
    if isinstance(t, TupleType):
        return "(" + ", ".join(display(e) for e in t.elements) + ")"
    if isinstance(t, UnionType):
        return " | ".join(sorted(display(m) for m in t.members))
    if isinstance(t, FunctionType):
        parameters = ", ".join(display(p) for p in t.parameters)
        return f"fn {t.written_name}({parameters}) -> {display(t.result)}"
    if isinstance(t, LegacyTensorType):
        return f"legacy_tensor{shape_text(t.shape)}"
    simple = {AnyType: "any", NullType: "null", BoolType: "bool", IntType: "int", FloatType: "float"}
    if type(t) in simple:
        return simple[type(t)]
    if isinstance(t, StringType):
        return "string"
    if isinstance(t, ObjectType):
        return t.kind
    return type(t).__name__
