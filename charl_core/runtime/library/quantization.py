"""LANGUAGE.md §8.13: symmetric INT8/INT4 quantization.

The reference quantizes in binary32: the data is converted to binary32 first, and the scale, the quotients
and the dequantized products are binary32 operations, so every step here is a `float32` NumPy operation
(IEEE-rounded like the reference's) and only the final result is widened to binary64. Rounding is half
away from zero, and the conversion to an integer code saturates, with NaN (a zero scale) becoming 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor
from charl_core.runtime.printing import format_shape
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import RuntimeValue, kind_name


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    qmax: int
    reduction: int  # bytes of binary32 per stored code


INT8 = Format("INT8", 127, 4)
INT4 = Format("INT4", 7, 8)


class QuantizedTensor(RuntimeValue):
    """`quantized_tensor`: integer codes, one binary32 scale (zero point 0) and the original shape."""

    __slots__ = ("codes", "format", "scale", "shape")
    KIND = "quantized_tensor"

    def __init__(self, codes: np.ndarray, scale: np.float32, shape: tuple[int, ...], fmt: Format) -> None:
        self.codes, self.scale, self.shape, self.format = codes, scale, shape, fmt

    def text(self) -> str:
        return f"QuantizedTensor({format_shape(self.shape)}, {self.format.reduction}x reduction)"

    def dequantized(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):  # an infinite scale times a zero code is NaN
            return (self.codes.astype(np.float32) * self.scale).astype(np.float64)


def _max_abs(values: np.ndarray) -> np.float32:
    """`m = 0; for x: m = max(m, |x|)` in binary32 (NaN never wins)."""
    magnitudes = np.abs(values[~np.isnan(values)])
    return np.float32(magnitudes.max()) if magnitudes.size else np.float32(0.0)


def quantize(values: np.ndarray, scale: np.float32, fmt: Format) -> np.ndarray:
    """Codes `round(x / scale)` in binary32, saturated to `[-qmax, qmax]`; NaN (0 / 0) becomes 0."""
    with np.errstate(all="ignore"):  # a zero scale or infinite values are data, not warnings on stderr
        quotients = values / scale
        whole = np.trunc(quotients)
        rounded = whole + np.where(
            np.abs(quotients - whole) >= 0.5, np.sign(quotients), 0
        )  # half away from 0
    rounded = np.nan_to_num(rounded, nan=0.0)
    return np.clip(rounded, -fmt.qmax, fmt.qmax).astype(np.int8)


def binary32(values: np.ndarray) -> np.ndarray:
    """Values converted to binary32 (those beyond its range become ±inf)."""
    with np.errstate(over="ignore"):
        return values.astype(np.float32)


def _quantize_tensor(builtin: str, value: Any, fmt: Format) -> QuantizedTensor:
    t = expect_tensor(builtin, value)
    values = binary32(t.data)
    scale = np.float32(_max_abs(values) / np.float32(fmt.qmax))
    return QuantizedTensor(quantize(values, scale, fmt), scale, t.shape, fmt)


@implements("quantize_tensor_int8")
def quantize_tensor_int8(ctx: Any, args: list) -> QuantizedTensor:
    return _quantize_tensor("quantize_tensor_int8", args[0], INT8)


@implements("quantize_tensor_int4")
def quantize_tensor_int4(ctx: Any, args: list) -> QuantizedTensor:
    return _quantize_tensor("quantize_tensor_int4", args[0], INT4)


def _expect_quantized(builtin: str, value: Any) -> QuantizedTensor:
    if not isinstance(value, QuantizedTensor):
        raise CharlError(f"{builtin}() expects a quantized_tensor, got {kind_name(value)}")
    return value


@implements("dequantize_tensor")
def dequantize_tensor(ctx: Any, args: list) -> Tensor:
    q = _expect_quantized("dequantize_tensor", args[0])
    return Tensor(q.dequantized(), q.shape)


@implements("quantized_tensor_info")
def quantized_tensor_info(ctx: Any, args: list) -> list:
    q = _expect_quantized("quantized_tensor_info", args[0])
    return [q.format.name, format_shape(q.shape), q.format.reduction]


def _calibration_values(value: Any) -> np.ndarray:
    """The values the calibration data holds: a tensor, or an array of tensors and numbers."""
    items = value if type(value) is list else [value]
    parts = []
    for item in items:
        if isinstance(item, Tensor):
            parts.append(item.data)
        elif type(item) in (int, float):
            parts.append(np.array([float(item)]))
        else:
            raise CharlError(
                f"quantize_model_weights() calibration data must contain tensors, got {kind_name(item)}"
            )
    return binary32(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.float32)


@implements("quantize_model_weights")
def quantize_model_weights(ctx: Any, args: list) -> QuantizedTensor:
    """INT8 post-training quantization: the scale comes from the calibration data's range (the weights'
    own when the calibration data is empty), and the result is 1-D."""
    weights = expect_tensor("quantize_model_weights", args[0])
    values = binary32(weights.data)
    calibration = _calibration_values(args[1])
    reference = _max_abs(calibration) if calibration.size else _max_abs(values)
    scale = np.float32(reference / np.float32(INT8.qmax))
    return QuantizedTensor(quantize(values, scale, INT8), scale, (weights.size,), INT8)
