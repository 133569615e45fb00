"""LANGUAGE.md §8.9 (layer objects, applied with `layer_forward`) and §8.10 (the functional CNN operations).

A layer object is an immutable value that prints its §5.4 text and computes its forward pass on float64
NumPy arrays; nothing here is tracked and no layer is ever updated. Weights are the fixed `pseudo_random`
sequence of §7.3, not a generator. Every reduction accumulates in the reference's order (§6.9): a
convolution sums over input channel, kernel row and kernel column, one term at a time for all outputs at
once, then adds the bias; means and variances are sequential sums divided by the count.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from charl_core.runtime import gpu_probe, kernels, random
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor, ieee_arithmetic, to_float
from charl_core.runtime.printing import format_display, format_shape
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import RuntimeValue, kind_name

EPS = 1e-5
Array = np.ndarray
Shape = tuple[int, ...]


def size_argument(value: Any) -> int:
    """A size given as a number (§8.0: integers or floats): truncated toward zero; negative sizes become 0,
    as the reference's conversion to an unsigned size saturates."""
    x = to_float(value)
    if math.isnan(x) or x <= 0:
        return 0
    return int(x) if math.isfinite(x) else 2**63 - 1


def _positive(prefix: str, what: str, value: int) -> int:
    if value <= 0:
        raise CharlError(f"{prefix} {what} must be positive, got {value}")
    return value


# ───────────────────────────── kernels ─────────────────────────────


def _window_size(prefix: str, shape: Shape, kernel: int, stride: int, padding: int) -> tuple[int, int]:
    height, width = shape[2] + 2 * padding, shape[3] + 2 * padding
    if kernel > height or kernel > width:
        raise CharlError(f"{prefix} kernel size {kernel} is larger than the (padded) input {height}x{width}")
    return (height - kernel) // stride + 1, (width - kernel) // stride + 1


def _require_4d(prefix: str, shape: Shape) -> None:
    if len(shape) != 4:
        raise CharlError(
            f"{prefix} expected a 4D input [batch, channels, height, width], got {format_shape(shape)}"
        )


def _windows(x: Array, kernel: int, stride: int, out: tuple[int, int]):
    """`(ky, kx, view)` for every kernel position in row-major order; `view[..., i, j]` is the input element
    under that kernel position for output `(i, j)`."""
    reach_y, reach_x = stride * (out[0] - 1) + 1, stride * (out[1] - 1) + 1
    for ky in range(kernel):
        for kx in range(kernel):
            yield ky, kx, x[..., ky : ky + reach_y : stride, kx : kx + reach_x : stride]


def convolve(
    prefix: str, x: Array, shape: Shape, weight: Array, bias: Array, stride: int, padding: int
) -> tuple[Array, Shape]:
    """`[B, C, H, W]` with weights `[O, C, k, k]` → `[B, O, H', W']`: for every output,
    `acc = 0.0; for c, ky, kx: acc += x · w`, then `acc + bias`."""
    _require_4d(prefix, shape)
    out_channels, channels, kernel = weight.shape[0], weight.shape[1], weight.shape[2]
    if shape[1] != channels:
        raise CharlError(f"{prefix} input channels {shape[1]} doesn't match in_channels {channels}")
    out = _window_size(prefix, shape, kernel, stride, padding)
    image = x.reshape(shape)
    if padding:
        image = np.pad(image, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    acc = np.zeros((shape[0], out_channels, *out), dtype=np.float64)
    for c in range(channels):
        for ky, kx, view in _windows(image[:, c], kernel, stride, out):
            acc = acc + view[:, None, :, :] * weight[None, :, c, ky, kx, None, None]
    result = acc + bias[None, :, None, None]
    return result.reshape(-1), tuple(result.shape)


def pool(prefix: str, x: Array, shape: Shape, kernel: int, stride: int, mode: str) -> tuple[Array, Shape]:
    """Max (a fold from `-inf` that skips NaN, §6.9) or average (sequential sum / k²) over each window."""
    _require_4d(prefix, shape)
    out = _window_size(prefix, shape, kernel, stride, 0)
    image = x.reshape(shape)
    if mode == "max":
        acc = np.full((*shape[:2], *out), -np.inf)
        for _, _, view in _windows(image, kernel, stride, out):
            acc = np.where(view > acc, view, acc)
    else:
        acc = np.zeros((*shape[:2], *out))
        for _, _, view in _windows(image, kernel, stride, out):
            acc = acc + view
        acc = acc / float(kernel * kernel)
    return acc.reshape(-1), tuple(acc.shape)


def normalise_columns(rows: Array) -> Array:
    """Normalises each column (feature) of `[N, F]` over its N values: batch mean, biased variance, ε = 1e-5,
    `(x - mean) / sqrt(var + eps) * γ + β` with γ = 1, β = 0."""
    count = float(rows.shape[0])
    mean = kernels.sequential_sum_first_axis(rows) / count
    centred = rows - mean
    variance = kernels.sequential_sum_first_axis(centred * centred) / count
    return centred / np.sqrt(variance + EPS) * 1.0 + 0.0


def batch_norm(prefix: str, x: Array, shape: Shape, features: int) -> tuple[Array, Shape]:
    """2-D `[N, F]` per feature over the batch; 4-D `[B, C, H, W]` per channel over batch and positions."""
    if len(shape) not in (2, 4):
        raise CharlError(f"{prefix} expected a 2D or 4D input, got {format_shape(shape)}")
    if shape[1] != features:
        raise CharlError(f"{prefix} expected {features} features, got {shape[1]}")
    if len(shape) == 2:
        return normalise_columns(x.reshape(shape)).reshape(-1), shape
    channels_last = x.reshape(shape).transpose(0, 2, 3, 1)
    normalised = normalise_columns(channels_last.reshape(-1, shape[1])).reshape(channels_last.shape)
    return normalised.transpose(0, 3, 1, 2).reshape(-1), shape


def layer_norm(x: Array, shape: Shape, features: int) -> tuple[Array, Shape]:
    """Normalises over the last dimension."""
    if not shape:
        raise CharlError("LayerNorm forward failed: expected an input of rank 1 or more, got []")
    if shape[-1] != features:
        raise CharlError(f"LayerNorm forward failed: expected {features} features, got {shape[-1]}")
    rows = x.reshape(-1, features)
    return normalise_columns(rows.T).T.reshape(-1), shape


# ───────────────────────────── layer objects ─────────────────────────────


class Layer(RuntimeValue):
    """A layer object of §8.9. `forward` maps flat float64 data and a shape to the output's."""

    __slots__ = ()
    NAME: ClassVar[str] = ""

    def forward(self, x: Array, shape: Shape) -> tuple[Array, Shape]:
        raise NotImplementedError


def xavier_weights(in_features: int, out_features: int) -> Array:
    """§7.3: `W[i] = pseudo_random(i) * sqrt(2.0 / (in + out))`, shape `[in, out]`."""
    scale = math.sqrt(2.0 / float(in_features + out_features)) if in_features + out_features else 0.0
    return (random.pseudo_random(in_features * out_features) * scale).reshape(in_features, out_features)


def he_weights(in_channels: int, out_channels: int, kernel: int) -> Array:
    """§7.3: `w[i] = pseudo_random(i) * sqrt(2.0 / (cin * k * k))`, shape `[cout, cin, k, k]`."""
    fan_in = in_channels * kernel * kernel
    scale = math.sqrt(2.0 / float(fan_in)) if fan_in else 0.0
    count = out_channels * fan_in
    return (random.pseudo_random(count) * scale).reshape(out_channels, in_channels, kernel, kernel)


class LinearLayer(Layer):
    """W `[in, out]` and a zero bias, built on the first forward pass: programs often create large layers
    only to print them."""

    __slots__ = ("in_features", "out_features")
    KIND = "linear_layer"

    def __init__(self, in_features: int, out_features: int) -> None:
        self.in_features, self.out_features = in_features, out_features

    def text(self) -> str:
        return f"Linear({self.in_features} → {self.out_features})"

    def forward(self, x: Array, shape: Shape) -> tuple[Array, Shape]:
        if len(shape) not in (1, 2):
            raise CharlError(f"Linear forward failed: expected a 1D or 2D input, got {format_shape(shape)}")
        if shape[-1] != self.in_features:
            raise CharlError(
                f"Linear forward failed: Input feature mismatch: expected {self.in_features}, got {shape[-1]}"
            )
        rows = x.reshape(-1, self.in_features)
        result = kernels.matmul(rows, xavier_weights(self.in_features, self.out_features)) + 0.0  # zero bias
        return result.reshape(-1), (*shape[:-1], self.out_features)


class Conv2dLayer(Layer):
    """Weights `[out, in, k, k]` and a zero bias, built on each forward pass (see `LinearLayer`)."""

    __slots__ = ("in_channels", "kernel", "out_channels", "padding", "stride")
    KIND = "conv2d_layer"

    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int = 1, padding: int = 0):
        self.in_channels, self.out_channels, self.kernel = in_channels, out_channels, kernel
        self.stride, self.padding = stride, padding

    def text(self) -> str:
        return (
            f"Conv2d({self.in_channels} → {self.out_channels}, kernel={self.kernel}, stride={self.stride}, "
            f"padding={self.padding})"
        )

    def forward(self, x: Array, shape: Shape, prefix: str = "Conv2d forward failed:") -> tuple[Array, Shape]:
        _positive(prefix, "kernel size", self.kernel)
        _positive(prefix, "stride", self.stride)
        weight = he_weights(self.in_channels, self.out_channels, self.kernel)
        return convolve(prefix, x, shape, weight, np.zeros(self.out_channels), self.stride, self.padding)


class Pool2dLayer(Layer):
    __slots__ = ("kernel",)
    MODE: ClassVar[str] = "max"

    def __init__(self, kernel: int) -> None:
        self.kernel = kernel

    def text(self) -> str:
        return f"{self.NAME}(kernel={self.kernel}, stride={self.kernel})"

    def forward(self, x: Array, shape: Shape) -> tuple[Array, Shape]:
        prefix = f"{self.NAME} forward failed:"
        _positive(prefix, "kernel size", self.kernel)
        return pool(prefix, x, shape, self.kernel, self.kernel, self.MODE)


class MaxPool2dLayer(Pool2dLayer):
    __slots__ = ()
    KIND = "maxpool2d_layer"
    NAME = "MaxPool2d"


class AvgPool2dLayer(Pool2dLayer):
    __slots__ = ()
    KIND = "avgpool2d_layer"
    NAME = "AvgPool2d"
    MODE = "avg"


class BatchNormLayer(Layer):
    __slots__ = ("features",)
    KIND = "batchnorm_layer"

    def __init__(self, features: int) -> None:
        self.features = features

    def text(self) -> str:
        return f"BatchNorm(features={self.features}, eps={format_display(EPS)}, training=true)"

    def forward(self, x: Array, shape: Shape) -> tuple[Array, Shape]:
        return batch_norm("BatchNorm forward failed:", x, shape, self.features)


class LayerNormLayer(Layer):
    __slots__ = ("features",)
    KIND = "layernorm_layer"

    def __init__(self, features: int) -> None:
        self.features = features

    def text(self) -> str:
        return f"LayerNorm(shape=[{self.features}], eps={format_display(EPS)})"

    def forward(self, x: Array, shape: Shape) -> tuple[Array, Shape]:
        return layer_norm(x, shape, self.features)


class DropoutLayer(Layer):
    __slots__ = ("p",)
    KIND = "dropout_layer"

    def __init__(self, p: float) -> None:
        self.p = p

    def text(self) -> str:
        return f"Dropout(p={format_display(self.p)}, training=true)"

    def forward(self, x: Array, shape: Shape) -> tuple[Array, Shape]:
        """§7.3: element `i` kept iff `pseudo_random(i) < 1.0 - p`, kept values times `1.0 / (1.0 - p)`."""
        if self.p == 0.0:
            return x, shape
        keep = 1.0 - self.p
        kept = random.pseudo_random(x.size) < keep
        return np.where(kept, x * (1.0 / keep if keep else math.inf), 0.0), shape


# ───────────────────────────── §8.9 builtins ─────────────────────────────


@implements("linear")
def linear(ctx: Any, args: list) -> LinearLayer:
    return LinearLayer(size_argument(args[0]), size_argument(args[1]))


@implements("conv2d")
def conv2d(ctx: Any, args: list) -> Conv2dLayer:
    return Conv2dLayer(size_argument(args[0]), size_argument(args[1]), size_argument(args[2]))


@implements("maxpool2d")
def maxpool2d(ctx: Any, args: list) -> MaxPool2dLayer:
    return MaxPool2dLayer(size_argument(args[0]))


@implements("avgpool2d")
def avgpool2d(ctx: Any, args: list) -> AvgPool2dLayer:
    return AvgPool2dLayer(size_argument(args[0]))


@implements("batchnorm")
def batchnorm(ctx: Any, args: list) -> BatchNormLayer:
    return BatchNormLayer(size_argument(args[0]))


@implements("layernorm")
def layernorm(ctx: Any, args: list) -> LayerNormLayer:
    return LayerNormLayer(size_argument(args[0]))


@implements("dropout")
def dropout(ctx: Any, args: list) -> DropoutLayer:
    p = to_float(args[0])
    if not 0.0 <= p <= 1.0:
        raise CharlError(f"dropout() p must be between 0.0 and 1.0, got {format_display(p)}")
    return DropoutLayer(p)


@implements("layer_forward")
@ieee_arithmetic
def layer_forward(ctx: Any, args: list) -> Tensor:
    """Needs the GPU backend even for a CPU tensor (§8.9). A CPU input gives a CPU tensor; a GPU input gives
    a `gpu_tensor` labelled CPU, neither uploaded nor rounded."""
    layer = args[0]
    if not isinstance(layer, Layer):
        raise CharlError(f"layer_forward() expects a layer, got {kind_name(layer)}")
    x = expect_tensor("layer_forward", args[1], gpu=True)
    gpu_probe.require_gpu(ctx)
    data, shape = layer.forward(x.data, x.shape)
    if isinstance(x, GpuTensor):
        return GpuTensor(data, shape, device="CPU")
    return Tensor(data, shape)


# ───────────────────────────── §8.10 functional CNN operations ─────────────────────────────


@implements("nn_conv2d")
@ieee_arithmetic
def nn_conv2d(ctx: Any, args: list) -> Tensor:
    """A new convolution with the §7.3 weights and zero bias on every call."""
    x = expect_tensor("nn_conv2d", args[0])
    layer = Conv2dLayer(*(size_argument(a) for a in args[1:6]))
    data, shape = layer.forward(x.data, x.shape, prefix="nn_conv2d():")
    return Tensor(data, shape)


def _functional_pool(name: str, mode: str, args: list) -> Tensor:
    x = expect_tensor(name, args[0])
    kernel = _positive(f"{name}():", "kernel_size", size_argument(args[1]))
    stride = size_argument(args[2]) or kernel  # stride 0 means stride = kernel
    data, shape = pool(f"{name}():", x.data, x.shape, kernel, stride, mode)
    return Tensor(data, shape)


@implements("nn_maxpool2d")
@ieee_arithmetic
def nn_maxpool2d(ctx: Any, args: list) -> Tensor:
    return _functional_pool("nn_maxpool2d", "max", args)


@implements("nn_avgpool2d")
@ieee_arithmetic
def nn_avgpool2d(ctx: Any, args: list) -> Tensor:
    return _functional_pool("nn_avgpool2d", "avg", args)


@implements("nn_batchnorm")
@ieee_arithmetic
def nn_batchnorm(ctx: Any, args: list) -> Tensor:
    """A fresh BatchNorm with batch statistics on every call."""
    x = expect_tensor("nn_batchnorm", args[0])
    data, shape = batch_norm("nn_batchnorm():", x.data, x.shape, size_argument(args[1]))
    return Tensor(data, shape)
