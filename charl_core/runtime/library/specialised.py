"""What the specialised groups of LANGUAGE.md §8.14–§8.21 share: argument checks driven by the catalog,
the deterministic initialiser of §7.3 (with an offset, so each weight matrix gets its own stretch of the
sequence), the activations and normalisations of their forward passes, and the base of their immutable
object values.

The argument checks read each entry's `Param` table, so the run time rejects exactly the kinds the checker
flags (E106) and with the same words (`charl_core/check/arguments.py`): `lstm_forward() expects lstm, got
float` for an object, `Cannot convert string to float` for a number, `NAME() expects a string, got integer`
for the rest. R builtins (§8.0) may receive extra arguments; only the declared ones are checked.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, ClassVar

import numpy as np

from charl_core.builtins import lookup
from charl_core.builtins.spec import Kind
from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import sequential_sum, sequential_sum_last_axis, softmax_last_axis
from charl_core.runtime.library.arguments import expect_tensor, float_array, to_float, to_int
from charl_core.runtime.printing import format_display, format_shape
from charl_core.runtime.tensor import Tensor, as_data
from charl_core.runtime.values import RuntimeValue, kind_name, to_text

_SIMPLE_KINDS = {
    Kind.STRING: (str, "a string"),
    Kind.ARRAY: (list, "an array"),
    Kind.BOOLEAN: (bool, "a boolean"),
}


def checked(name: str, args: list) -> list:
    """The arguments of `name` after checking each declared parameter's kind (§8.0); returns `args`."""
    for param, value in zip(lookup(name).params, args, strict=False):
        kind = param.kind
        if kind is Kind.ANY:
            continue
        if kind is Kind.OBJECT:
            if kind_name(value) != param.object_kind:
                raise CharlError(f"{name}() expects {param.object_kind}, got {kind_name(value)}")
        elif kind is Kind.NUMBER:
            to_float(value)
        elif kind is Kind.TENSOR:
            expect_tensor(name, value)
        elif kind is Kind.NUMBERS:
            if type(value) is not list:
                raise CharlError(f"{name}() expects an array of numbers, got {kind_name(value)}")
            float_array(value)
        elif kind in _SIMPLE_KINDS:
            python_type, words = _SIMPLE_KINDS[kind]
            if type(value) is not python_type:
                raise CharlError(f"{name}() expects {words}, got {kind_name(value)}")
    return args


def count(value: Any) -> int:
    """A size or index given as a number parameter: floats truncate toward zero (as `to_int` does)."""
    return to_int(value)


def label(value: Any) -> str:
    """A free-text parameter (a caption, a question, an id) as the text `str()` gives (§5.4)."""
    return value if type(value) is str else to_text(value)


def shown(value: Any) -> str:
    """A value inside an object text (an id, a class name): floats in format D (§5.4), others as `str()`."""
    return format_display(value) if type(value) is float else label(value)


def fixed2(x: float) -> str:
    """`‹.2f›` of §5.4: Python's own formatting rounds half to even on the exact binary value."""
    return f"{x:.2f}"


def display(x: float) -> str:
    """A float inside an object text: format D (§5.4)."""
    return format_display(float(x))


def pseudo_random(count: int, offset: int = 0) -> np.ndarray:
    """§7.3's `pseudo_random(i)` for `i = offset … offset + count - 1`, in [-1, 1)."""
    i = np.arange(offset, offset + count, dtype=np.float64)
    return 2.0 * (((i * 9301.0 + 49297.0) % 233280.0) / 233280.0) - 1.0


def xavier(rows: int, cols: int, offset: int) -> np.ndarray:
    """A `[rows, cols]` weight matrix initialised like `linear` (§7.3); `offset` tells matrices apart."""
    scale = math.sqrt(2.0 / max(rows + cols, 1))
    return pseudo_random(rows * cols, offset).reshape(rows, cols) * scale


def sequence_input(name: str, value: Any, features: int | None) -> np.ndarray:
    """A `[seq, f]` or `[batch, seq, f]` tensor as a `[batch, seq, f]` array (rank error: mamba's, §8.14)."""
    tensor = expect_tensor(name, value)
    if len(tensor.shape) not in (2, 3):
        raise CharlError(f"{name}() expects 2D or 3D tensor, got shape {format_shape(tensor.shape)}")
    if features is not None and tensor.shape[-1] != features:
        raise CharlError(
            f"{name}() expects {features} features per position, got shape {format_shape(tensor.shape)}"
        )
    return tensor.data.reshape((1, *tensor.shape) if len(tensor.shape) == 2 else tensor.shape)


def result_tensor(values: np.ndarray, shape: tuple[int, ...]) -> Tensor:
    """A new untracked tensor: forward passes of §8.14 cut the graph (§6.4)."""
    return Tensor(as_data(values), tuple(int(d) for d in shape))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def silu(x: np.ndarray) -> np.ndarray:
    return x * sigmoid(x)


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


softmax_rows = softmax_last_axis
"""Softmax over the last axis (§6.9 order), shared by the attention-like forward passes."""


def layer_norm(x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Normalisation over the last axis without learned scale and shift."""
    width = x.shape[-1]
    centred = x - (sequential_sum_last_axis(x) / width)[..., None]
    variance = sequential_sum_last_axis(centred * centred) / width
    return centred / np.sqrt(variance + eps)[..., None]


def mean(values: np.ndarray) -> float:
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    return sequential_sum(flat) / flat.size if flat.size else 0.0


def numbers(name: str, value: Any) -> np.ndarray:
    """An embedding, waveform or feature vector: an array of numbers or a tensor, as float64 data."""
    if isinstance(value, Tensor):
        return value.data
    if type(value) is not list:
        raise CharlError(f"{name}() expects an array of numbers, got {kind_name(value)}")
    return float_array(value)


class ObjectValue(RuntimeValue):
    """An opaque object of §5.1: an immutable record whose "setters" build a changed copy with `with_`.

    A subclass lists its fields as annotations, in order, with optional defaults, as a dataclass would;
    the constructor takes them positionally or by name. It is not a dataclass because the ~50 record
    classes of §8.14–§8.21 are created at every `charl run` start-up, where `dataclass` costs about 2 ms
    each (it compiles generated code) and this costs nothing. Equality stays §5.3's: never equal."""

    __slots__ = ()
    KIND: ClassVar[str] = "object"
    FIELDS: ClassVar[tuple[str, ...]] = ()
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name in inspect.get_annotations(cls) if name not in cls.FIELDS]
        cls.FIELDS = (*cls.FIELDS, *own)
        cls.DEFAULTS = {**cls.DEFAULTS, **{name: cls.__dict__[name] for name in own if name in cls.__dict__}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(self.FIELDS):
            raise TypeError(f"{type(self).__name__} takes {len(self.FIELDS)} fields, got {len(args)}")
        values = {**self.DEFAULTS, **dict(zip(self.FIELDS, args, strict=False)), **kwargs}
        missing = [name for name in self.FIELDS if name not in values]
        unknown = set(values) - set(self.FIELDS)
        if missing or unknown:
            raise TypeError(f"{type(self).__name__}: missing {missing}, unknown {sorted(unknown)}")
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use with_()")

    def with_(self, **changes: Any) -> Any:
        return type(self)(**{**self.__dict__, **changes})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"
