"""LANGUAGE.md §8.12: GPU availability and moving tensors between devices (§6.11).

The interpreter computes in binary64 on the CPU copy of a GPU tensor; the binary32 device copy made by
`tensor_to_gpu` is what `tensor_to_cpu` gives back, and that is the only place its rounding shows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from charl_core.runtime import gpu_probe
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor
from charl_core.runtime.tensor import GpuTensor, Tensor


@implements("gpu_available")
def gpu_available(ctx: Any, args: list) -> bool:
    return gpu_probe.probe(ctx).available


@implements("gpu_info")
def gpu_info(ctx: Any, args: list) -> str:
    found = gpu_probe.probe(ctx)
    if not found.available:
        return f"GPU not available: {gpu_probe.NO_GPU_REASON}"
    return f"GPU Backend: WGPU\nAdapter: {found.adapter_name}\nBackend: {found.backend}"


@implements("tensor_device")
def tensor_device(ctx: Any, args: list) -> str:
    """A CPU tensor is "CPU"; a GPU tensor reports its label (`layer_forward` returns ones labelled CPU)."""
    t = expect_tensor("tensor_device", args[0], gpu=True)
    return t.device if isinstance(t, GpuTensor) else "CPU"


@implements("tensor_to_gpu")
def tensor_to_gpu(ctx: Any, args: list) -> GpuTensor:
    """Uploads a binary32 copy and keeps the binary64 one; needs the GPU backend."""
    t = expect_tensor("tensor_to_gpu", args[0], gpu=True)
    gpu_probe.require_gpu(ctx)
    return GpuTensor(t.data, t.shape, device="GPU")


@implements("tensor_to_cpu")
def tensor_to_cpu(ctx: Any, args: list) -> Tensor:
    """The device copy widened back to binary64 (a GPU tensor labelled CPU was never uploaded, so its
    binary64 data comes back as is); a CPU tensor is returned unchanged."""
    t = expect_tensor("tensor_to_cpu", args[0], gpu=True)
    if not isinstance(t, GpuTensor):
        return t
    if t.device_data is None:
        return Tensor(t.data, t.shape)
    return Tensor(t.device_data.astype(np.float64), t.shape)
