"""LANGUAGE.md §8.13: symmetric INT8/INT4 quantization. A `quantized_tensor` is an opaque object: its shape
is not part of its static type, so dequantizing gives a tensor of unknown shape."""

from __future__ import annotations

from charl_core.builtins.rules import returns
from charl_core.builtins.spec import Builtin, Kind, Param, Tracking
from charl_core.types import INT, STRING, ArrayType, ObjectType, TensorType, union

QUANTIZED = ObjectType("quantized_tensor")

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="quantize_tensor_int8",
        section="8.13",
        usage="quantize_tensor_int8(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=returns(QUANTIZED),
        summary="Symmetric INT8 quantization of a tensor (scale = max|x| / 127)",
        doc="Converts the data to binary32, then quantizes symmetrically with zero point 0 and "
        "`scale = max(abs(x)) / 127`. Returns a `quantized_tensor` object that prints as "
        "`QuantizedTensor([2, 2], 4x reduction)`; read it back with `dequantize_tensor`.",
        example="let q = quantize_tensor_int8(tensor([0.5, -1.0, 0.25, 0.75], [2, 2]))\n"
        "print(q, quantized_tensor_info(q))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="quantize_tensor_int4",
        section="8.13",
        usage="quantize_tensor_int4(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=returns(QUANTIZED),
        summary="Symmetric INT4 quantization of a tensor (scale = max|x| / 7)",
        doc="Like `quantize_tensor_int8` with `qmax = 7`: the data is converted to binary32, then quantized "
        "with zero point 0 and `scale = max(abs(x)) / 7`. The object prints as "
        "`QuantizedTensor([2, 2], 8x reduction)`.",
        example="let q = quantize_tensor_int4(tensor([0.5, -1.0, 0.25, 0.75], [2, 2]))\nprint(q)",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="dequantize_tensor",
        section="8.13",
        usage="dequantize_tensor(qtensor)",
        params=(Param("qtensor", Kind.OBJECT, object_kind="quantized_tensor"),),
        result=returns(TensorType()),
        summary="Converts a quantized tensor back to an ordinary tensor (q * scale)",
        doc="Returns a new untracked tensor holding `q * scale` for every quantized value, computed in "
        "binary32 and widened to binary64, so values come back with binary32 rounding (INT8 of "
        "`[0.1, 0.2, 0.3, -0.4, 1.27]` gives back `0.09999999403953552` first). The shape is the quantized "
        "tensor's.",
        example="print(dequantize_tensor(quantize_tensor_int8(tensor([0.5, -1.0]))))",
    ),
    Builtin(
        name="quantized_tensor_info",
        section="8.13",
        usage="quantized_tensor_info(qtensor)",
        params=(Param("qtensor", Kind.OBJECT, object_kind="quantized_tensor"),),
        result=returns(ArrayType(union(STRING, INT), 3, (STRING, STRING, INT))),
        summary='Describes a quantized tensor: ["INT8" or "INT4", shape text, reduction factor]',
        doc='Returns a three-element array: the format (`"INT8"` or `"INT4"`), the shape as a string '
        '(`"[2, 2]"`) and the integer memory reduction factor (4 for INT8, 8 for INT4); it prints as '
        "`[INT8, [2, 2], 4]`.",
        example="print(quantized_tensor_info(quantize_tensor_int8(tensor([0.5, -1.0]))))",
    ),
    Builtin(
        name="quantize_model_weights",
        section="8.13",
        usage="quantize_model_weights(weights, calibration_data)",
        params=(Param("weights", Kind.TENSOR), Param("calibration_data")),
        result=returns(QUANTIZED),
        summary="INT8 post-training quantization of a weight tensor (flattened to 1-D)",
        doc="Post-training INT8 quantization of `weights`, given `calibration_data` (for example an array "
        "of sample tensors). Returns a `quantized_tensor` that is **1-D** whatever the weight's shape (a "
        "`[2, 2]` weight gives `QuantizedTensor([4], 4x reduction)`). Its values can differ from "
        "`quantize_tensor_int8` of the same weights, so do not use the two interchangeably.",
        example="let qm = quantize_model_weights(tensor([0.5, -1.0, 0.25, 0.75], [2, 2]), [tensor([1.0])])\n"
        "print(qm)",
        tracking=Tracking.CUTS,
    ),
)
