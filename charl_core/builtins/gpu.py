"""LANGUAGE.md §8.12: GPU availability and moving tensors between devices (§6.11). A `gpu_tensor` is typed as
`TensorType(gpu=True)`; GPU operations are never tracked."""

from __future__ import annotations

from charl_core.builtins.rules import returns, tensor, tensor_of
from charl_core.builtins.spec import Builtin, Call, Gpu, Kind, Param
from charl_core.types import BOOL, STRING, StringType, TensorType, Type

NO_GPU = 'Failed to initialize GPU backend: DeviceNotAvailable("No compatible GPU found")'

# ───────────────────────────── shape rules ─────────────────────────────


def device_rule(call: Call) -> Type:
    """tensor_device: a CPU tensor is certainly "CPU"; a GPU tensor reports its label, which may be either
    (`layer_forward` returns GPU tensors labelled CPU)."""
    t = tensor(call, 0)
    return StringType("CPU") if t is not None and not t.gpu else STRING


def to_gpu_rule(call: Call) -> Type:
    """tensor_to_gpu: the same shape as a `gpu_tensor`, untracked."""
    t = tensor(call, 0)
    return TensorType(t.dtype, t.shape, gpu=True) if t is not None else TensorType(gpu=True)


def to_cpu_rule(call: Call) -> Type:
    """tensor_to_cpu: a CPU tensor is returned unchanged (grad state included); a GPU tensor comes back as a
    new untracked CPU tensor of the same shape."""
    t = tensor(call, 0)
    if t is not None and not t.gpu:
        return t
    return tensor_of(t.shape if t is not None else None)


# ───────────────────────────── entries ─────────────────────────────

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="gpu_available",
        section="8.12",
        usage="gpu_available()",
        params=(),
        result=returns(BOOL),
        summary="Whether a GPU backend can be started on this machine",
        doc="True iff a GPU adapter and device can be created (any wgpu backend). The environment variable "
        "`CHARL_NO_GPU=1` forces false. Guard GPU-only code (`tensor_to_gpu`, `layer_forward`) with it, "
        "since without a GPU those fail.",
        example="print(gpu_available())",
        core=True,
    ),
    Builtin(
        name="gpu_info",
        section="8.12",
        usage="gpu_info()",
        params=(),
        result=returns(STRING),
        summary="A description of the GPU backend and adapter, or why there is none",
        doc="With a GPU returns the three lines `GPU Backend: WGPU`, `Adapter: ‹adapter name›` and "
        "`Backend: ‹backend, e.g. Vulkan›` (joined by real newlines); these adapter lines are "
        "machine-specific and not part of the compatibility promise. Without a GPU returns "
        '`GPU not available: DeviceNotAvailable("No compatible GPU found")` (no error).',
        example="print(gpu_info())",
    ),
    Builtin(
        name="tensor_device",
        section="8.12",
        usage="tensor_device(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=device_rule,
        summary='The device label of a tensor: "CPU" or "GPU"',
        doc='Returns the string `"CPU"` for an ordinary tensor, and the label of a GPU tensor otherwise: '
        '`"GPU"` after `tensor_to_gpu`, but `"CPU"` for the GPU tensors that `layer_forward` returns.',
        example="print(tensor_device(tensor([1.0, 2.0])))",
        gpu=Gpu.READS_CPU_COPY,
        core=True,
    ),
    Builtin(
        name="tensor_to_gpu",
        section="8.12",
        usage="tensor_to_gpu(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=to_gpu_rule,
        summary="Uploads a tensor to the GPU (needs a GPU)",
        doc="Returns a `gpu_tensor` labelled `GPU` that keeps the binary64 values and holds a binary32 "
        "copy on the device. Arithmetic on it is still done in binary64 by the interpreter; the rounding "
        "shows only through `tensor_to_cpu`. GPU tensors are never tracked. Without a GPU it fails, so "
        "guard it with `gpu_available()`.",
        example="let t = tensor([0.1, 0.5, 2.0])\n"
        "if gpu_available() {\n"
        "    print(tensor_device(tensor_to_gpu(t)))\n"
        "}",
        gpu=Gpu.NEEDS_BACKEND,
        core=True,
        errors=(NO_GPU,),
    ),
    Builtin(
        name="tensor_to_cpu",
        section="8.12",
        usage="tensor_to_cpu(tensor)",
        params=(Param("tensor", Kind.TENSOR),),
        result=to_cpu_rule,
        summary="Downloads a GPU tensor (values rounded to binary32); a CPU tensor is returned unchanged",
        doc="For a GPU tensor, returns a CPU tensor made from the device copy: every value rounded to "
        "binary32 and widened back (`0.1` becomes `0.10000000149011612`). A CPU tensor is returned "
        "unchanged, so code can call it whether or not a GPU was used.",
        example="print(tensor_to_cpu(tensor([1.0, 2.0])))",
        gpu=Gpu.TO_CPU,
        core=True,
    ),
)
