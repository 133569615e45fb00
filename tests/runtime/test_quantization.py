"""LANGUAGE.md §8.13: symmetric INT8/INT4 quantization in binary32, against a NumPy float32 reference
computed independently (rounding half away from zero), plus print texts, info arrays and errors."""

from __future__ import annotations

import io
import textwrap
import warnings

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter.run import run_program
from charl_core.runtime.library import load
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import kind_name, to_text

load()


def run(source: str, **context) -> tuple[int, str, str]:
    """Runs a real program in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = run_program(textwrap.dedent(source), "test.ch", Context(out=out, **context), err)
    return code, out.getvalue(), err.getvalue()


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def tensor(values, shape=None) -> Tensor:
    array = np.asarray(values, dtype=np.float64)
    return Tensor(array.reshape(-1).copy(), tuple(shape or array.shape))


def reference_roundtrip(values: np.ndarray, qmax: int, reference_max: float | None = None) -> np.ndarray:
    """float32 throughout: scale = max|x| / qmax, q = round-half-away(x / scale), result q * scale."""
    x = values.astype(np.float32)
    peak = np.float32(reference_max) if reference_max is not None else np.abs(x).max()
    scale = np.float32(peak / np.float32(qmax))
    quotient = (x / scale).astype(np.float64)  # binary32 quotients, exactly representable in binary64
    q = np.sign(quotient) * np.floor(np.abs(quotient) + 0.5)  # exact in binary64: half away from zero
    q = np.clip(q, -qmax, qmax).astype(np.float32)
    return (q * scale).astype(np.float64)


def test_int8_print_info_and_values():
    w = tensor([0.5, -1.0, 0.25, 0.75], (2, 2))
    q = call("quantize_tensor_int8", w)
    assert (to_text(q), kind_name(q)) == ("QuantizedTensor([2, 2], 4x reduction)", "quantized_tensor")
    assert call("quantized_tensor_info", q) == ["INT8", "[2, 2]", 4]
    back = call("dequantize_tensor", q)
    assert back.shape == (2, 2)
    assert back.data.tolist() == reference_roundtrip(w.data, 127).tolist()
    assert not q.equals(q)


def test_int4_print_info_and_values():
    w = tensor([0.5, -1.0, 0.25, 0.75], (2, 2))
    q = call("quantize_tensor_int4", w)
    assert to_text(q) == "QuantizedTensor([2, 2], 8x reduction)"
    assert call("quantized_tensor_info", q) == ["INT4", "[2, 2]", 8]
    back = call("dequantize_tensor", q).data
    assert back.tolist() == reference_roundtrip(w.data, 7).tolist()
    # 0.5 / float32(1/7) is just below 3.5 in binary32, so it rounds to 3, not 4
    assert back[0] == float(np.float32(3) * np.float32(np.float32(1.0) / np.float32(7)))


@pytest.mark.parametrize("qmax", [127, 7])
def test_random_tensors_round_trip_like_the_float32_reference(qmax):
    name = "quantize_tensor_int8" if qmax == 127 else "quantize_tensor_int4"
    values = np.random.default_rng(qmax).normal(size=200) * 3.0
    back = call("dequantize_tensor", call(name, tensor(values))).data
    assert back.tolist() == reference_roundtrip(values, qmax).tolist()
    step = np.abs(values).max() / qmax
    assert np.abs(back - values).max() <= step / 2 + 1e-6  # within half a quantization step


def test_binary32_rounding_shows_in_the_dequantized_values():
    back = call("dequantize_tensor", call("quantize_tensor_int8", tensor([0.1, 0.2, 0.3, -0.4, 1.27])))
    assert back.data[0] == 0.09999999403953552
    assert back.data.tolist() == reference_roundtrip(np.array([0.1, 0.2, 0.3, -0.4, 1.27]), 127).tolist()


def test_all_zero_tensor_quantizes_to_zeros():
    back = call("dequantize_tensor", call("quantize_tensor_int8", tensor([0.0, 0.0])))
    assert back.data.tolist() == [0.0, 0.0]


def test_model_weights_use_the_calibration_range_and_are_one_dimensional():
    w = tensor([0.5, -1.0, 0.25, 0.75], (2, 2))
    q = call("quantize_model_weights", w, [tensor([1.0, 2.0, 3.0, 4.0], (2, 2))])
    assert to_text(q) == "QuantizedTensor([4], 4x reduction)"
    assert call("quantized_tensor_info", q) == ["INT8", "[4]", 4]
    back = call("dequantize_tensor", q).data
    assert back.tolist() == reference_roundtrip(w.data, 127, reference_max=4.0).tolist()
    assert back.tolist()[:2] == [0.5039370059967041, -1.0078740119934082]
    clipped = call("dequantize_tensor", call("quantize_model_weights", tensor([10.0]), [tensor([1.0])]))
    assert clipped.data.tolist() == [float(np.float32(127) * np.float32(np.float32(1.0) / np.float32(127)))]
    plain = call("quantize_model_weights", w, [])
    assert call("dequantize_tensor", plain).data.tolist() == reference_roundtrip(w.data, 127).tolist()


def test_errors():
    def fails(message, name, *args):
        with pytest.raises(CharlError) as caught:
            call(name, *args)
        assert caught.value.message == message

    fails("quantize_tensor_int8() expects a tensor, got array", "quantize_tensor_int8", [1.0])
    fails("quantize_tensor_int4() expects a tensor, got float", "quantize_tensor_int4", 1.0)
    fails(
        "dequantize_tensor() expects a quantized_tensor, got autograd_tensor",
        "dequantize_tensor",
        tensor([1.0]),
    )
    fails("quantized_tensor_info() expects a quantized_tensor, got null", "quantized_tensor_info", None)
    fails(
        "quantize_model_weights() calibration data must contain tensors, got string",
        "quantize_model_weights",
        tensor([1.0]),
        ["x"],
    )


def test_program_prints_the_object_and_its_info():
    code, out, err = run(
        """
        let q = quantize_tensor_int8(tensor([0.5, -1.0, 0.25, 0.75], [2, 2]))
        print(q, type(q))
        print(quantized_tensor_info(q))
        print(dequantize_tensor(q))
        """
    )
    assert (code, err) == (0, "")
    assert out == (
        "QuantizedTensor([2, 2], 4x reduction) quantized_tensor\n"
        "[INT8, [2, 2], 4]\n"
        "AutogradTensor([0.5039370059967041, -1.0, 0.25196850299835205, 0.748031497001648], shape=[2, 2])\n"
    )


def test_extreme_values_quantize_without_warnings():
    """Values beyond binary32 and infinities are data: nothing may reach stderr as a NumPy warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = call("dequantize_tensor", call("quantize_tensor_int8", tensor([1e300, 1.0, -np.inf])))
        assert np.isnan(back.data).all()  # the scale is inf: every code is 0 and 0 * inf is NaN
        nan_in = call("dequantize_tensor", call("quantize_tensor_int4", tensor([np.nan, 1.0])))
        assert nan_in.data.tolist() == [0.0, 1.0]
