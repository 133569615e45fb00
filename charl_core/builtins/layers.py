"""LANGUAGE.md §8.9 layer objects (run through `layer_forward`, which needs the GPU backend) and §8.10 the
functional CNN operations (CPU). Convolution and pooling share one output-size rule, `window_output`.

Layer objects are opaque (`ObjectType`): they carry no sizes, so `layer_forward` knows only what the layer's
kind and the input imply, and says `_` for the rest."""

from __future__ import annotations

from collections.abc import Callable

from charl_core.builtins.rules import (
    SHAPE_MISMATCH,
    constant_int,
    elementwise,
    returns,
    tensor,
    tensor_of,
)
from charl_core.builtins.spec import Builtin, Call, Gpu, Kind, Param, Tracking
from charl_core.shapes import window_output
from charl_core.types import UNKNOWN, Dim, ObjectType, Shape, Type

# ───────────────────────────── shape rules ─────────────────────────────


def constant_dim(t: Type | None) -> Dim:
    """A size given as a constant non-negative integer argument, else `_`."""
    value = constant_int(t)
    return value if value is not None and value >= 0 else UNKNOWN


def window(size: Dim, kernel: int | None, stride: int | None, padding: int | None = 0) -> Dim:
    """`(size + 2p - k) / s + 1` when every part is known and the window fits; `_` otherwise (a window that
    does not fit fails at run time with a message §8 does not give, so nothing is reported)."""
    if kernel is None or stride is None or padding is None or not isinstance(size, int):
        return UNKNOWN
    if kernel <= 0 or stride <= 0 or padding < 0 or size + 2 * padding < kernel:
        return UNKNOWN
    return window_output(size, kernel, stride, padding)


def conv2d_rule(call: Call) -> Type:
    """nn_conv2d: `[B, C, H, W] → [B, out, H', W']`; the input's channel count must equal `in_channels`."""
    x = tensor(call, 0)
    in_channels, kernel, stride, padding = (constant_int(call.argument(i)) for i in (1, 3, 4, 5))
    if x is None or x.shape is None or len(x.shape) != 4:
        return tensor_of(None, like=x)
    batch, channels, height, width = x.shape
    if isinstance(channels, int) and in_channels is not None and channels != in_channels:
        call.report(
            SHAPE_MISMATCH,
            f"nn_conv2d(): input channels {channels} doesn't match in_channels {in_channels}",
            1,
        )
    return tensor_of(
        (
            batch,
            constant_dim(call.argument(2)),
            window(height, kernel, stride, padding),
            window(width, kernel, stride, padding),
        ),
        like=x,
    )


def pool2d_rule(call: Call) -> Type:
    """nn_maxpool2d / nn_avgpool2d: `[B, C, H, W] → [B, C, H', W']`, no padding; stride 0 means the kernel
    size."""
    x = tensor(call, 0)
    kernel, stride = constant_int(call.argument(1)), constant_int(call.argument(2))
    if stride == 0:
        stride = kernel
    if x is None or x.shape is None or len(x.shape) != 4:
        return tensor_of(None, like=x)
    batch, channels, height, width = x.shape
    return tensor_of((batch, channels, window(height, kernel, stride), window(width, kernel, stride)), like=x)


def _linear_layer(shape: Shape) -> Shape | None:
    if len(shape) == 1:
        return (UNKNOWN,)
    return (shape[0], UNKNOWN) if len(shape) == 2 else None


def _conv_layer(shape: Shape) -> Shape | None:
    return (shape[0], UNKNOWN, UNKNOWN, UNKNOWN) if len(shape) == 4 else None


def _pool_layer(shape: Shape) -> Shape | None:
    return (shape[0], shape[1], UNKNOWN, UNKNOWN) if len(shape) == 4 else None


def _batchnorm_layer(shape: Shape) -> Shape | None:
    return shape if len(shape) in (2, 4) else None


def _layernorm_layer(shape: Shape) -> Shape | None:
    return shape if len(shape) >= 1 else None


# What `layer_forward` knows of the output shape from the layer's kind alone (the layer's sizes are unknown).
LAYER_OUTPUTS: dict[str, Callable[[Shape], Shape | None]] = {
    "linear_layer": _linear_layer,
    "conv2d_layer": _conv_layer,
    "maxpool2d_layer": _pool_layer,
    "avgpool2d_layer": _pool_layer,
    "batchnorm_layer": _batchnorm_layer,
    "layernorm_layer": _layernorm_layer,
    "dropout_layer": lambda shape: shape,
}


def layer_forward_rule(call: Call) -> Type:
    """layer_forward: the shape the layer's kind implies, `_` where it depends on the layer's sizes. A GPU
    input gives a `gpu_tensor` (labelled CPU), a CPU input a CPU tensor; never tracked."""
    layer, x = call.argument(0), tensor(call, 1)
    if x is None or x.shape is None or not isinstance(layer, ObjectType) or layer.kind not in LAYER_OUTPUTS:
        return tensor_of(None, like=x)
    return tensor_of(LAYER_OUTPUTS[layer.kind](x.shape), like=x)


# ───────────────────────────── entries ─────────────────────────────

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="linear",
        section="8.9",
        usage="linear(in_features, out_features)",
        params=(Param("in_features", Kind.NUMBER), Param("out_features", Kind.NUMBER)),
        result=returns(ObjectType("linear_layer")),
        summary="Creates a linear layer object with a [in, out] weight and zero bias",
        doc="Returns a `linear_layer` whose weight `[in, out]` is filled with the fixed Xavier sequence "
        "`pseudo_random(i) * sqrt(2.0 / (in + out))` (§7.3) and whose bias is zeros. It prints as "
        "`Linear(4 → 2)`. Apply it with `layer_forward`; layer objects have no parameter access and cannot "
        "be trained (use `nn_linear` with your own tensors for that).",
        example="let fc = linear(4, 2)\nprint(fc)",
        core=True,
    ),
    Builtin(
        name="conv2d",
        section="8.9",
        usage="conv2d(in_channels, out_channels, kernel_size)",
        params=(
            Param("in_channels", Kind.NUMBER),
            Param("out_channels", Kind.NUMBER),
            Param("kernel_size", Kind.NUMBER),
        ),
        result=returns(ObjectType("conv2d_layer")),
        summary="Creates a 2-D convolution layer object (stride 1, padding 0)",
        doc="Returns a `conv2d_layer` with a square kernel, stride 1 and padding 0; weights "
        "`[out, in, k, k]` from the fixed He sequence `pseudo_random(i) * sqrt(2.0 / (in * k * k))` (§7.3), "
        "bias zeros. Prints as `Conv2d(3 → 16, kernel=3, stride=1, padding=0)`. Apply it with "
        "`layer_forward`; for other strides or padding use `nn_conv2d`.",
        example="print(conv2d(3, 16, 3))",
        core=True,
    ),
    Builtin(
        name="maxpool2d",
        section="8.9",
        usage="maxpool2d(kernel_size)",
        params=(Param("kernel_size", Kind.NUMBER),),
        result=returns(ObjectType("maxpool2d_layer")),
        summary="Creates a 2-D max-pooling layer object (stride = kernel)",
        doc="Returns a `maxpool2d_layer` with a square window whose stride equals its size (non-overlapping "
        "windows). Prints as `MaxPool2d(kernel=2, stride=2)`. Apply it with `layer_forward`.",
        example="print(maxpool2d(2))",
    ),
    Builtin(
        name="avgpool2d",
        section="8.9",
        usage="avgpool2d(kernel_size)",
        params=(Param("kernel_size", Kind.NUMBER),),
        result=returns(ObjectType("avgpool2d_layer")),
        summary="Creates a 2-D average-pooling layer object (stride = kernel)",
        doc="Returns an `avgpool2d_layer` with a square window whose stride equals its size. Prints as "
        "`AvgPool2d(kernel=2, stride=2)`. Apply it with `layer_forward`.",
        example="print(avgpool2d(2))",
    ),
    Builtin(
        name="batchnorm",
        section="8.9",
        usage="batchnorm(num_features)",
        params=(Param("num_features", Kind.NUMBER),),
        result=returns(ObjectType("batchnorm_layer")),
        summary="Creates a batch-normalisation layer object in training mode",
        doc="Returns a `batchnorm_layer` with γ = 1, β = 0, ε = 1e-5, in training mode: `layer_forward` "
        "normalises each feature with the batch mean and the biased batch variance, "
        "`(x - mean) / sqrt(var + eps) * γ + β`, for 2-D `[N, F]` or 4-D `[B, C, H, W]` input. Prints as "
        "`BatchNorm(features=8, eps=0.00001, training=true)`.",
        example="print(batchnorm(8))",
    ),
    Builtin(
        name="layernorm",
        section="8.9",
        usage="layernorm(features)",
        params=(Param("features", Kind.NUMBER),),
        result=returns(ObjectType("layernorm_layer")),
        summary="Creates a layer-normalisation layer object over the last dimension",
        doc="Returns a `layernorm_layer` that normalises over the last dimension with γ = 1, β = 0, "
        "ε = 1e-5 (input of rank ≥ 1). Prints as `LayerNorm(shape=[4], eps=0.00001)`. Apply it with "
        "`layer_forward`.",
        example="print(layernorm(4))",
        aliases=("nn_layernorm",),
    ),
    Builtin(
        name="dropout",
        section="8.9",
        usage="dropout(p)",
        params=(Param("p", Kind.NUMBER),),
        result=returns(ObjectType("dropout_layer")),
        summary="Creates a dropout layer object with a deterministic mask",
        doc="Returns a `dropout_layer` in training mode; `p` must lie in [0, 1]. Its forward pass uses no "
        "random generator: element `i` is kept iff `pseudo_random(i) < 1.0 - p` (§7.3) and kept values are "
        "scaled by `1.0 / (1.0 - p)`; `p == 0` returns the input. Prints as `Dropout(p=0.5, training=true)`.",
        example="print(dropout(0.5))",
        aliases=("nn_dropout",),
        errors=("dropout() p must be between 0.0 and 1.0, got ‹p›",),
    ),
    Builtin(
        name="layer_forward",
        section="8.9",
        usage="layer_forward(layer, input)",
        params=(Param("layer", Kind.OBJECT), Param("input", Kind.TENSOR)),
        result=layer_forward_rule,
        summary="Applies a layer object to a tensor (needs the GPU backend; never tracked)",
        doc="Runs `layer` on `input`: Linear takes `[in]` or `[B, in]`; Conv2d and the pools take "
        "`[B, C, H, W]` and give `[B, C', (H + 2p - k) / s + 1, …]` (convolution sums over input channel, "
        "kernel row and kernel column, then adds the bias); BatchNorm takes 2-D or 4-D input; LayerNorm any "
        "rank ≥ 1; Dropout keeps the shape. Never tracked, and the layer is never updated. Needs the GPU "
        "backend: without a GPU it fails even on CPU tensors (§6.11), so guard it with `gpu_available()`. "
        "With a CPU tensor the result is a CPU tensor; with a GPU tensor it is a `gpu_tensor` labelled "
        "`CPU` (not uploaded, not rounded).",
        example="let fc = linear(3, 2)\n"
        "if gpu_available() {\n"
        "    print(layer_forward(fc, tensor([1.0, 2.0, 3.0])))\n"
        "}",
        tracking=Tracking.CUTS,
        gpu=Gpu.NEEDS_BACKEND,
        core=True,
        errors=(
            "Linear forward failed: Input feature mismatch: expected ‹in›, got ‹n›",
            'Failed to initialize GPU backend: DeviceNotAvailable("No compatible GPU found")',
        ),
    ),
    Builtin(
        name="nn_conv2d",
        section="8.10",
        usage="nn_conv2d(input, in_channels, out_channels, kernel_size, stride, padding)",
        params=(
            Param("input", Kind.TENSOR),
            Param("in_channels", Kind.NUMBER),
            Param("out_channels", Kind.NUMBER),
            Param("kernel_size", Kind.NUMBER),
            Param("stride", Kind.NUMBER),
            Param("padding", Kind.NUMBER),
        ),
        result=conv2d_rule,
        summary="2-D convolution with fresh fixed weights on every call: [B, C, H, W] → [B, out, H', W']",
        doc="Builds a **new** convolution on every call, with the fixed He weights of §7.3 "
        "(`[out, in, k, k]`) and zero bias, and applies it: `[B, C, H, W] → [B, out, H', W']` with "
        "`H' = (H + 2 * padding - kernel_size) / stride + 1` (likewise `W'`). The input's channel count `C` "
        "must equal `in_channels`. The weights are not parameters: nothing is learnt and nothing is "
        "tracked. Runs on the CPU, no GPU needed.",
        example="let x = tensor_ones([1, 1, 4, 4])\nprint(tensor_shape(nn_conv2d(x, 1, 2, 3, 1, 0)))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="nn_maxpool2d",
        section="8.10",
        usage="nn_maxpool2d(input, kernel_size, stride)",
        params=(Param("input", Kind.TENSOR), Param("kernel_size", Kind.NUMBER), Param("stride", Kind.NUMBER)),
        result=pool2d_rule,
        summary="2-D max pooling on the CPU: [B, C, H, W] → [B, C, H', W']",
        doc="Takes the maximum of each `kernel_size × kernel_size` window of every channel, moving by "
        "`stride` (0 means stride = kernel size), without padding: `H' = (H - kernel_size) / stride + 1`. "
        "Not tracked; no GPU needed.",
        example="let x = tensor_randn_seeded([1, 1, 4, 4], 7)\nprint(nn_maxpool2d(x, 2, 2))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="nn_avgpool2d",
        section="8.10",
        usage="nn_avgpool2d(input, kernel_size, stride)",
        params=(Param("input", Kind.TENSOR), Param("kernel_size", Kind.NUMBER), Param("stride", Kind.NUMBER)),
        result=pool2d_rule,
        summary="2-D average pooling on the CPU: [B, C, H, W] → [B, C, H', W']",
        doc="Averages each `kernel_size × kernel_size` window of every channel, moving by `stride` (0 means "
        "stride = kernel size), without padding: `H' = (H - kernel_size) / stride + 1`. Not tracked; no "
        "GPU needed.",
        example="let x = tensor_randn_seeded([1, 1, 4, 4], 7)\nprint(nn_avgpool2d(x, 2, 0))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="nn_batchnorm",
        section="8.10",
        usage="nn_batchnorm(input, num_features)",
        params=(Param("input", Kind.TENSOR), Param("num_features", Kind.NUMBER)),
        result=elementwise(tracked=False),
        summary="Batch normalisation with batch statistics on the CPU (shape kept)",
        doc="Applies a fresh BatchNorm (γ = 1, β = 0, ε = 1e-5) on every call: each feature (dimension 1 "
        "of a 2-D `[N, F]` or 4-D `[B, C, H, W]` input) is normalised with the batch mean and the biased "
        "batch variance, `(x - mean) / sqrt(var + eps)`. The shape is kept. No running statistics are "
        "kept; not tracked; no GPU needed.",
        example="print(nn_batchnorm(tensor([1.0, 10.0, 2.0, 20.0, 3.0, 30.0, 4.0, 40.0], [4, 2]), 2))",
        tracking=Tracking.CUTS,
    ),
)
