"""Operators on static types: LANGUAGE.md §5.2 (scalars, strings, arrays; wrapping integers, truncating
division, no short-circuit) and §9.3 (tensor operators with NumPy broadcasting, `@`).

Each function returns the result type and, when the operation certainly fails at run time, the finding
(code, message) with the run time's own words. Constants fold exactly as the interpreter computes them, so
`let n = 4 * 2` keeps the constant 8 for later shapes.
"""

from __future__ import annotations

import math

from charl_core.shapes import ShapeConflict, broadcast_shapes, unify_dim
from charl_core.types import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    AnyType,
    ArrayType,
    BoolType,
    FloatType,
    Grad,
    IntType,
    NullType,
    Shape,
    StringType,
    TensorType,
    Type,
    UnionType,
    join,
    kind_name,
    shape_text,
)

Finding = tuple[str, str] | None
Result = tuple[Type, Finding]

OPERATOR_CANNOT = "E105"
DIVISION_BY_ZERO = "E110"
SHAPE_MISMATCH = "E107"

_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "modulo"}
_MASK = (1 << 64) - 1


def wrap(value: int) -> int:
    """Two's-complement 64-bit wrapping (§5.2)."""
    value &= _MASK
    return value - (1 << 64) if value >= 1 << 63 else value


def _is_number(t: Type) -> bool:
    return isinstance(t, IntType | FloatType)


def _unknown(t: Type) -> bool:
    return isinstance(t, AnyType | UnionType)


def binary(op: str, a: Type, b: Type) -> Result:
    if op in ("and", "or"):
        return BOOL, None
    if op in ("==", "!="):
        return _equality(op, a, b), None
    if op in ("<", "<=", ">", ">="):
        return _compare(op, a, b)
    if op == "@":
        return _matmul_operator(a, b)
    if isinstance(a, TensorType) or isinstance(b, TensorType):
        return _tensor_arithmetic(op, a, b)
    if _unknown(a) or _unknown(b):
        return ANY, None
    if isinstance(a, IntType) and isinstance(b, IntType):
        return _integer_arithmetic(op, a, b)
    if _is_number(a) and _is_number(b):
        return _float_arithmetic(op, a, b)
    if op == "+" and isinstance(a, StringType) and isinstance(b, StringType):
        value = a.value + b.value if a.value is not None and b.value is not None else None
        return StringType(value), None
    if op == "+" and isinstance(a, ArrayType) and isinstance(b, ArrayType):
        return _concatenate(a, b), None
    return _cannot(op, a, b)


def _cannot(op: str, a: Type, b: Type) -> Result:
    left, right = kind_name(a), kind_name(b)
    if left is None or right is None:
        return ANY, None
    return ANY, (OPERATOR_CANNOT, f"Cannot {_VERBS[op]} {left} and {right}")


def _integer_arithmetic(op: str, a: IntType, b: IntType) -> Result:
    if op in ("/", "%") and b.value == 0:
        return INT, (DIVISION_BY_ZERO, "Division by zero" if op == "/" else "Modulo by zero")
    if a.value is None or b.value is None:
        return INT, None
    x, y = a.value, b.value
    if op == "+":
        return IntType(wrap(x + y)), None
    if op == "-":
        return IntType(wrap(x - y)), None
    if op == "*":
        return IntType(wrap(x * y)), None
    quotient = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)  # truncated toward zero
    if op == "/":
        return IntType(wrap(quotient)), None
    return IntType(wrap(x - quotient * y)), None  # sign of the dividend


def _float_arithmetic(op: str, a: Type, b: Type) -> Result:
    if op == "%":
        return ANY, (OPERATOR_CANNOT, f"Cannot modulo {kind_name(a)} and {kind_name(b)}")
    divisor = getattr(b, "value", None)
    if op == "/" and divisor is not None and divisor == 0:
        return FLOAT, (DIVISION_BY_ZERO, "Division by zero")
    x, y = getattr(a, "value", None), divisor
    if x is None or y is None:
        return FLOAT, None
    x, y = float(x), float(y)
    try:
        value = {"+": x + y, "-": x - y, "*": x * y, "/": x / y}[op]
    except (OverflowError, ZeroDivisionError):
        return FLOAT, None
    return FloatType(value), None


def _concatenate(a: ArrayType, b: ArrayType) -> ArrayType:
    length = a.length + b.length if a.length is not None and b.length is not None else None
    items = a.items + b.items if a.items is not None and b.items is not None else None
    if a.length == 0:
        return b
    if b.length == 0:
        return a
    return ArrayType(join(a.element, b.element), length, items)


def _equality(op: str, a: Type, b: Type) -> Type:
    """§5.3: values of different kinds are never equal (`1 == 1.0` is false); constants fold, so that
    `assert(1 + 1 == 3)` and `if n == 0` on a known `n` are decided."""
    if isinstance(a, NullType) and isinstance(b, NullType):
        equal = True
    else:
        scalars = IntType | FloatType | BoolType | StringType
        if not (isinstance(a, scalars) and isinstance(b, scalars)):
            return BOOL
        if a.value is None or b.value is None:
            return BOOL
        equal = type(a) is type(b) and a.value == b.value
    return BoolType(equal if op == "==" else not equal)


def _compare(op: str, a: Type, b: Type) -> Result:
    if _is_number(a) and _is_number(b):
        x, y = getattr(a, "value", None), getattr(b, "value", None)
        if x is None or y is None:
            return BOOL, None
        x, y = float(x), float(y)
        outcome = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        return BoolType(outcome), None
    if _unknown(a) or _unknown(b):
        return BOOL, None
    left, right = kind_name(a), kind_name(b)
    if left is None or right is None:
        return BOOL, None
    return BOOL, (OPERATOR_CANNOT, f"Cannot compare {left} and {right}")


def _tensor_arithmetic(op: str, a: Type, b: Type) -> Result:
    """§9.3: a tensor with a tensor or a number, element-wise with broadcasting."""
    if op == "%":
        return _cannot(op, a, b)
    if _unknown(a) or _unknown(b):
        tensor = a if isinstance(a, TensorType) else b
        return TensorType(shape=None, grad=tensor.grad, gpu=tensor.gpu), None  # type: ignore[union-attr]
    if not all(isinstance(t, TensorType) or _is_number(t) for t in (a, b)):
        return _cannot(op, a, b)
    left = a.shape if isinstance(a, TensorType) else ()
    right = b.shape if isinstance(b, TensorType) else ()
    grad = _grad(a).either(_grad(b))
    gpu = any(isinstance(t, TensorType) and t.gpu for t in (a, b))
    mixed = _gpu_mixture(op, a, b)
    if mixed:
        return TensorType(shape=None, gpu=gpu), (OPERATOR_CANNOT, mixed)
    shape = broadcast_shapes(left, right)
    if isinstance(shape, ShapeConflict):
        message = f"Cannot broadcast shapes {shape_text(left)} and {shape_text(right)} for {op}"
        return TensorType(shape=None, grad=grad, gpu=gpu), (
            SHAPE_MISMATCH,
            message,
        ) if shape.certain else None
    return TensorType(shape=shape, grad=grad if not gpu else Grad.NO, gpu=gpu), None


def _grad(t: Type) -> Grad:
    return t.grad if isinstance(t, TensorType) else Grad.NO


_MIXTURE_TEXT = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "@": "matmul"}


def _gpu_mixture(op: str, a: Type, b: Type) -> str | None:
    """§6.11: a CPU tensor with a GPU tensor fails (`Cannot add CPU tensor + GPU tensor. …`)."""
    if not (isinstance(a, TensorType) and isinstance(b, TensorType)) or a.gpu == b.gpu:
        return None
    first, second = ("GPU", "CPU") if a.gpu else ("CPU", "GPU")
    joint = "+" if op == "+" else "and"
    return (
        f"Cannot {_MIXTURE_TEXT[op]} {first} tensor {joint} {second} tensor. "
        "Use tensor_to_gpu() or tensor_to_cpu() to convert first."
    )


def _matmul_operator(a: Type, b: Type) -> Result:
    """`@` (§9.3): NumPy matmul on tensors; on anything else the original's error."""
    if isinstance(a, TensorType) and isinstance(b, TensorType):
        mixed = _gpu_mixture("@", a, b)
        if mixed:
            return TensorType(shape=None), (OPERATOR_CANNOT, mixed)
        grad = a.grad.either(b.grad)
        shape, certain = matmul_shape(a.shape, b.shape)
        if shape is None and certain:
            return TensorType(shape=None, grad=grad), (
                SHAPE_MISMATCH,
                f"Cannot matmul shapes {shape_text(a.shape)} and {shape_text(b.shape)}",
            )
        return TensorType(shape=shape, grad=grad, gpu=a.gpu), None
    if _unknown(a) or _unknown(b):
        return ANY, None
    if kind_name(a) is None or kind_name(b) is None:
        return ANY, None
    return ANY, (OPERATOR_CANNOT, "Matrix multiplication not yet implemented")


def matmul_shape(a: Shape | None, b: Shape | None) -> tuple[Shape | None, bool]:
    """The shape of `a @ b` and whether a None result is a certain failure (§9.3)."""
    if a is None or b is None or len(a) == 0 or len(b) == 0:
        return None, a is not None and b is not None  # a rank-0 operand certainly fails
    left = (1, *a) if len(a) == 1 else a
    right = (*b, 1) if len(b) == 1 else b
    inner = unify_dim(left[-1], right[-2])
    if isinstance(inner, ShapeConflict):
        return None, inner.certain
    batch = broadcast_shapes(left[:-2], right[:-2])
    if isinstance(batch, ShapeConflict):
        return None, batch.certain
    shape = (*(batch or ()), left[-2], right[-1])
    if len(a) == 1:
        shape = shape[:-2] + shape[-1:]
    if len(b) == 1:
        shape = shape[:-1]
    return tuple(shape), False


def unary(op: str, operand: Type) -> Result:
    if op == "not":
        return BOOL, None
    if isinstance(operand, IntType):
        return IntType(wrap(-operand.value) if operand.value is not None else None), None
    if isinstance(operand, FloatType):
        return FloatType(-operand.value if operand.value is not None else None), None
    if isinstance(operand, TensorType):
        return TensorType(operand.dtype, operand.shape, operand.grad, operand.gpu), None
    kind = kind_name(operand)
    if kind is None:
        return ANY, None
    return ANY, (OPERATOR_CANNOT, f"Cannot negate {kind}")


_CASTS = {
    "int32": INT,
    "int64": INT,
    "int": INT,
    "float32": FLOAT,
    "float64": FLOAT,
    "float": FLOAT,
    "bool": BOOL,
}


def cast(value: Type, target: str) -> Result:
    """`value as target` (§5.10), folding constants."""
    result = _CASTS.get(target)
    if result is None:
        return ANY, ("E111", f"Unknown cast target type: {target}")
    if _unknown(value):
        return result, None
    constant = getattr(value, "value", None)
    if not isinstance(value, IntType | FloatType | BoolType):
        kind = kind_name(value)
        if kind is None:
            return result, None
        return result, (OPERATOR_CANNOT, f"Cannot cast {kind} to {target}")
    if constant is None:
        return result, None
    if result is INT:
        if isinstance(value, FloatType):
            if math.isnan(constant):
                return IntType(0), None
            if math.isinf(constant):
                return IntType((1 << 63) - 1 if constant > 0 else -(1 << 63)), None
            return IntType(max(min(int(constant), (1 << 63) - 1), -(1 << 63))), None
        return IntType(int(constant)), None
    if result is FLOAT:
        return FloatType(float(constant)), None
    return BoolType(bool(constant)), None
