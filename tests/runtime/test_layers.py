"""LANGUAGE.md §8.9 (layer objects) and §8.10 (functional CNN operations).

Values are compared with straightforward reference code: loops in the order §6.9 fixes (bit for bit) and
NumPy formulations in another order (within 1e-12 relative). Also: the §7.3 initialisers and test vector,
the §5.4 print texts, the GPU rules of `layer_forward`, and the error messages."""

from __future__ import annotations

import io
import math
import textwrap
import warnings

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.gpu_probe import NO_GPU, NO_GPU_ERROR, GpuProbe
from charl_core.runtime.interpreter.run import run_program
from charl_core.runtime.library import load
from charl_core.runtime.random import pseudo_random
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import kind_name, to_text

load()


def run(source: str, **context) -> tuple[int, str, str]:
    """Runs a real program in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = run_program(textwrap.dedent(source), "test.ch", Context(out=out, **context), err)
    return code, out.getvalue(), err.getvalue()


WITH_GPU = GpuProbe(available=True, adapter_name="test adapter", backend="Vulkan")
RTOL = 1e-12  # NumPy formulations sum in other orders


def gpu_context() -> Context:
    """A run whose probe found a GPU: `layer_forward` does all its arithmetic on the CPU anyway (§6.11)."""
    return Context(out=io.StringIO(), gpu=WITH_GPU)


def call(name: str, *args, ctx: Context | None = None):
    return lookup(name).implementation(ctx or gpu_context(), list(args))


def tensor(values, shape=None) -> Tensor:
    array = np.asarray(values, dtype=np.float64)
    return Tensor(array.reshape(-1).copy(), tuple(shape or array.shape))


def fails(message: str, name: str, *args, ctx: Context | None = None) -> None:
    with pytest.raises(CharlError) as caught:
        call(name, *args, ctx=ctx)
    assert caught.value.message == message


def pseudo(i: int) -> float:
    return 2.0 * (math.fmod(i * 9301.0 + 49297.0, 233280.0) / 233280.0) - 1.0


def he_weights(cin: int, cout: int, k: int) -> np.ndarray:
    scale = math.sqrt(2.0 / (cin * k * k))
    return np.array([pseudo(i) * scale for i in range(cout * cin * k * k)]).reshape(cout, cin, k, k)


def conv_loops(x: np.ndarray, w: np.ndarray, stride: int, padding: int) -> np.ndarray:
    """The reference order: `acc = 0.0; for c, ky, kx: acc += x * w`, then `+ bias` (zero)."""
    b, cin, h, wd = x.shape
    cout, _, k, _ = w.shape
    padded = np.zeros((b, cin, h + 2 * padding, wd + 2 * padding))
    padded[:, :, padding : padding + h, padding : padding + wd] = x
    oh, ow = (h + 2 * padding - k) // stride + 1, (wd + 2 * padding - k) // stride + 1
    out = np.zeros((b, cout, oh, ow))
    for n in range(b):
        for o in range(cout):
            for i in range(oh):
                for j in range(ow):
                    acc = 0.0
                    for c in range(cin):
                        for ky in range(k):
                            for kx in range(k):
                                acc += float(padded[n, c, i * stride + ky, j * stride + kx]) * float(
                                    w[o, c, ky, kx]
                                )
                    out[n, o, i, j] = acc + 0.0
    return out


def conv_einsum(x: np.ndarray, w: np.ndarray, stride: int, padding: int) -> np.ndarray:
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    k = w.shape[2]
    windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("bchwij,ocij->bohw", windows, w)


# ───────────────────────────── §8.10 functional operations ─────────────────────────────

X16 = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)


@pytest.mark.parametrize(
    ("shape", "cout", "k", "stride", "padding"),
    [
        ((1, 1, 4, 4), 2, 3, 1, 0),
        ((1, 1, 4, 4), 1, 2, 2, 0),
        ((1, 1, 4, 4), 1, 3, 1, 1),
        ((2, 3, 5, 6), 4, 2, 2, 1),
    ],
)
def test_nn_conv2d_matches_the_reference_order_bit_for_bit(shape, cout, k, stride, padding):
    x = np.random.default_rng(0).normal(size=shape)
    result = call("nn_conv2d", tensor(x), shape[1], cout, k, stride, padding, ctx=Context(out=io.StringIO()))
    w = he_weights(shape[1], cout, k)
    expected = conv_loops(x, w, stride, padding)
    assert result.shape == expected.shape
    assert result.data.tolist() == expected.reshape(-1).tolist()
    np.testing.assert_allclose(
        result.data, conv_einsum(x, w, stride, padding).reshape(-1), rtol=RTOL, atol=1e-14
    )


def test_nn_conv2d_first_value_by_hand():
    """Output (0, 0, 0, 0) of a 3×3 kernel over 1…16: Σ x·w over the top-left window."""
    y = call("nn_conv2d", tensor(X16), 1, 2, 3, 1, 0)
    scale = math.sqrt(2.0 / 9.0)
    window = [1, 2, 3, 5, 6, 7, 9, 10, 11]
    acc = 0.0
    for i, v in enumerate(window):
        acc += v * (pseudo(i) * scale)
    assert y.data[0] == acc
    assert call("tensor_shape", y) == [1, 2, 2, 2]


def pool_reference(x: np.ndarray, k: int, s: int, mode: str) -> np.ndarray:
    windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    return windows.max(axis=(4, 5)) if mode == "max" else windows.mean(axis=(4, 5))


@pytest.mark.parametrize(("k", "stride"), [(2, 2), (2, 0), (3, 1), (2, 1)])
def test_pools_match_numpy(k, stride):
    x = np.random.default_rng(1).normal(size=(2, 3, 6, 5))
    effective = stride or k
    top = call("nn_maxpool2d", tensor(x), k, stride)
    mean = call("nn_avgpool2d", tensor(x), k, stride)
    assert top.data.tolist() == pool_reference(x, k, effective, "max").reshape(-1).tolist()
    np.testing.assert_allclose(mean.data, pool_reference(x, k, effective, "avg").reshape(-1), rtol=RTOL)
    assert top.shape == mean.shape == pool_reference(x, k, effective, "max").shape


def test_pools_by_hand():
    assert call("nn_maxpool2d", tensor(X16), 2, 2).data.tolist() == [6.0, 8.0, 14.0, 16.0]
    assert call("nn_avgpool2d", tensor(X16), 2, 2).data.tolist() == [3.5, 5.5, 11.5, 13.5]
    nan = tensor([[[[np.nan, 1.0], [2.0, np.nan]]]])
    assert call("nn_maxpool2d", nan, 2, 2).data.tolist() == [2.0]  # NaN never wins (§6.9)


def batchnorm_reference(x: np.ndarray) -> np.ndarray:
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-5)


@pytest.mark.parametrize("shape", [(4, 2), (7, 5), (2, 2, 2, 2), (3, 4, 2, 5)])
def test_nn_batchnorm_matches_numpy(shape):
    x = np.random.default_rng(2).normal(size=shape) * 3.0 + 1.0
    result = call("nn_batchnorm", tensor(x), shape[1])
    assert result.shape == shape
    np.testing.assert_allclose(result.data, batchnorm_reference(x).reshape(-1), rtol=1e-10, atol=1e-12)


def test_nn_batchnorm_sums_sequentially():
    """2-D: mean = ((0.0 + x0) + x1 + …) / N; the order is visible in the last bit."""
    column = [0.1, 0.2, 0.3, 1e16, -1e16]
    result = call("nn_batchnorm", tensor(np.array(column).reshape(5, 1)), 1)
    acc = 0.0
    for v in column:
        acc += v
    mean = acc / 5.0
    acc = 0.0
    for v in column:
        acc += (v - mean) * (v - mean)
    expected = [(v - mean) / math.sqrt(acc / 5.0 + 1e-5) for v in column]
    assert result.data.tolist() == expected


def test_functional_errors():
    x = tensor(X16)
    fails("nn_conv2d(): input channels 1 doesn't match in_channels 3", "nn_conv2d", x, 3, 2, 3, 1, 0)
    fails(
        "nn_conv2d(): expected a 4D input [batch, channels, height, width], got [16]",
        "nn_conv2d",
        tensor(np.arange(16.0)),
        1,
        1,
        3,
        1,
        0,
    )
    fails("nn_conv2d(): kernel size 5 is larger than the (padded) input 4x4", "nn_conv2d", x, 1, 1, 5, 1, 0)
    fails("nn_conv2d(): stride must be positive, got 0", "nn_conv2d", x, 1, 1, 3, 0, 0)
    fails("nn_maxpool2d(): kernel_size must be positive, got 0", "nn_maxpool2d", x, 0, 1)
    fails("nn_avgpool2d(): kernel size 5 is larger than the (padded) input 4x4", "nn_avgpool2d", x, 5, 1)
    fails("nn_batchnorm(): expected 3 features, got 2", "nn_batchnorm", tensor(np.ones((4, 2))), 3)
    fails(
        "nn_batchnorm(): expected a 2D or 4D input, got [2, 2, 2]",
        "nn_batchnorm",
        tensor(np.ones((2, 2, 2))),
        2,
    )
    fails("nn_conv2d() expects a tensor, got array", "nn_conv2d", [1.0], 1, 1, 1, 1, 0)
    fails("Cannot convert string to float", "nn_maxpool2d", x, "2", 2)


# ───────────────────────────── §8.9 layer objects ─────────────────────────────


def test_layer_texts_and_kinds():
    cases = [
        (("linear", 4, 2), "Linear(4 → 2)", "linear_layer"),
        (("linear", 784, 128), "Linear(784 → 128)", "linear_layer"),
        (("conv2d", 3, 16, 3), "Conv2d(3 → 16, kernel=3, stride=1, padding=0)", "conv2d_layer"),
        (("maxpool2d", 2), "MaxPool2d(kernel=2, stride=2)", "maxpool2d_layer"),
        (("avgpool2d", 3), "AvgPool2d(kernel=3, stride=3)", "avgpool2d_layer"),
        (("batchnorm", 8), "BatchNorm(features=8, eps=0.00001, training=true)", "batchnorm_layer"),
        (("layernorm", 4), "LayerNorm(shape=[4], eps=0.00001)", "layernorm_layer"),
        (("dropout", 0.5), "Dropout(p=0.5, training=true)", "dropout_layer"),
        (("dropout", 0.0), "Dropout(p=0, training=true)", "dropout_layer"),
        (("dropout", 1), "Dropout(p=1, training=true)", "dropout_layer"),
    ]
    for (name, *args), text, kind in cases:
        layer = call(name, *args, ctx=Context(out=io.StringIO()))  # creating a layer needs no GPU
        assert (to_text(layer), kind_name(layer)) == (text, kind)
        assert not layer.equals(layer)  # §5.3: objects are never equal


def test_dropout_probability_is_checked():
    fails("dropout() p must be between 0.0 and 1.0, got 1.5", "dropout", 1.5)
    fails("dropout() p must be between 0.0 and 1.0, got -0.00001", "dropout", -1e-5)


def test_linear_forward_test_vector_of_section_7_3():
    y = call("layer_forward", call("linear", 3, 2), tensor([1.0, 2.0, 3.0]))
    assert (type(y), y.shape) == (Tensor, (2,))
    assert y.data.tolist() == [-1.383995326709015, -1.081399189700516]


def test_linear_forward_batches_with_xavier_weights():
    x = np.random.default_rng(3).normal(size=(5, 4))
    y = call("layer_forward", call("linear", 4, 3), tensor(x))
    w = pseudo_random(12).reshape(4, 3) * math.sqrt(2.0 / 7.0)
    np.testing.assert_allclose(y.data, (x @ w).reshape(-1), rtol=RTOL, atol=1e-15)
    assert y.shape == (5, 3)


def test_conv_and_pool_layers_agree_with_the_functional_operations():
    x = tensor(np.random.default_rng(4).normal(size=(2, 2, 5, 5)))
    assert (
        call("layer_forward", call("conv2d", 2, 3, 3), x).data.tolist()
        == call("nn_conv2d", x, 2, 3, 3, 1, 0).data.tolist()
    )
    assert (
        call("layer_forward", call("maxpool2d", 2), x).data.tolist()
        == call("nn_maxpool2d", x, 2, 2).data.tolist()
    )
    assert (
        call("layer_forward", call("avgpool2d", 2), x).data.tolist()
        == call("nn_avgpool2d", x, 2, 0).data.tolist()
    )
    assert (
        call("layer_forward", call("batchnorm", 2), x).data.tolist()
        == call("nn_batchnorm", x, 2).data.tolist()
    )


def test_layernorm_normalises_the_last_dimension():
    x = np.random.default_rng(5).normal(size=(3, 2, 6))
    y = call("layer_forward", call("layernorm", 6), tensor(x))
    mean = x.mean(axis=-1, keepdims=True)
    expected = (x - mean) / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(y.data, expected.reshape(-1), rtol=1e-10, atol=1e-12)
    fails(
        "LayerNorm forward failed: expected 6 features, got 4",
        "layer_forward",
        call("layernorm", 6),
        tensor(np.ones(4)),
    )


def test_dropout_mask_is_the_fixed_sequence():
    x = np.arange(1.0, 41.0)
    for p in (0.5, 0.25, 0.9):
        y = call("layer_forward", call("dropout", p), tensor(x))
        expected = [v * (1.0 / (1.0 - p)) if pseudo(i) < 1.0 - p else 0.0 for i, v in enumerate(x)]
        assert y.data.tolist() == expected
    assert call("layer_forward", call("dropout", 0.0), tensor(x)).data.tolist() == x.tolist()
    ones = call("layer_forward", call("dropout", 0.5), tensor(np.ones(20))).data.tolist()
    assert ones == [2.0] * 14 + [0.0] * 6


def test_layer_forward_needs_the_gpu_backend_even_for_cpu_tensors():
    no_gpu = Context(out=io.StringIO(), gpu=NO_GPU)
    fails(NO_GPU_ERROR, "layer_forward", call("linear", 3, 2), tensor([1.0, 2.0, 3.0]), ctx=no_gpu)
    forced = Context(out=io.StringIO(), no_gpu=True)
    fails(NO_GPU_ERROR, "layer_forward", call("linear", 3, 2), tensor([1.0, 2.0, 3.0]), ctx=forced)


def test_layer_forward_of_a_gpu_tensor_is_a_gpu_tensor_labelled_cpu():
    g = GpuTensor(np.array([0.1, 0.2, 0.3]), (3,))
    y = call("layer_forward", call("linear", 3, 2), g)
    assert isinstance(y, GpuTensor)
    assert (y.device, y.device_data, to_text(y)) == ("CPU", None, "GPUTensor(shape=[2], device=CPU)")
    cpu = call("layer_forward", call("linear", 3, 2), tensor([0.1, 0.2, 0.3]))
    assert y.data.tolist() == cpu.data.tolist()  # not uploaded, not rounded
    assert not y.requires_grad


def test_layer_forward_errors():
    fails(
        "Linear forward failed: Input feature mismatch: expected 3, got 4",
        "layer_forward",
        call("linear", 3, 2),
        tensor(np.ones(4)),
    )
    fails(
        "layer_forward() expects a layer, got autograd_tensor", "layer_forward", tensor([1.0]), tensor([1.0])
    )
    fails("layer_forward() expects a tensor, got array", "layer_forward", call("linear", 1, 1), [1.0])
    fails(
        "Linear forward failed: expected a 1D or 2D input, got [1, 1, 3]",
        "layer_forward",
        call("linear", 3, 2),
        tensor(np.ones((1, 1, 3))),
    )
    fails(
        "MaxPool2d forward failed: kernel size must be positive, got 0",
        "layer_forward",
        call("maxpool2d", 0),
        tensor(X16),
    )
    fails(
        "AvgPool2d forward failed: expected a 4D input [batch, channels, height, width], got [4, 4]",
        "layer_forward",
        call("avgpool2d", 2),
        tensor(X16[0, 0]),
    )
    fails(
        "BatchNorm forward failed: expected 3 features, got 1",
        "layer_forward",
        call("batchnorm", 3),
        tensor(X16),
    )
    fails(
        "Conv2d forward failed: input channels 1 doesn't match in_channels 2",
        "layer_forward",
        call("conv2d", 2, 1, 1),
        tensor(X16),
    )


def test_layer_forward_never_tracks():
    x = tensor([1.0, 2.0, 3.0]).copy_with(requires_grad=True)
    ctx = gpu_context()
    y = call("layer_forward", call("linear", 3, 2), x, ctx=ctx)
    assert not y.requires_grad
    assert ctx.graph is None


LAYER_PROGRAM = """
let fc = linear(3, 2)
print(fc, type(fc))
print(nn_maxpool2d(tensor([1.0, 5.0, 2.0, 0.0], [1, 1, 2, 2]), 2, 0))
print(layer_forward(fc, tensor([1.0, 2.0, 3.0])))
"""


def test_program_with_and_without_the_gpu_backend():
    code, out, err = run(LAYER_PROGRAM, no_gpu=True)
    assert out == "Linear(3 → 2) linear_layer\nAutogradTensor([5.0], shape=[1, 1, 1, 1])\n"
    assert (code, NO_GPU_ERROR in err) == (1, True)
    code, out, err = run(LAYER_PROGRAM, gpu=WITH_GPU)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "AutogradTensor([-1.383995326709015, -1.081399189700516], shape=[2])"


def test_infinities_and_nan_are_data_not_warnings():
    x = tensor([[[[np.inf, 1.0], [0.0, np.nan]]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        conv = call("nn_conv2d", x, 1, 1, 1, 1, 0).data
        assert conv[0] == -np.inf  # pseudo_random(0) < 0
        assert np.isnan(conv[3])
        assert np.isnan(call("nn_avgpool2d", x, 2, 0).data[0])
        assert call("layer_forward", call("dropout", 1.0), tensor([1.0])).data.tolist() == [np.inf]
