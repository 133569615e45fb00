"""Whether this run has a GPU backend (LANGUAGE.md §6.11): true iff wgpu can create an adapter *and* a device,
on any backend; `CHARL_NO_GPU=1` (`ctx.no_gpu`) forces false.

The probe runs once per run, on first use, and its result is kept in `ctx.gpu`. Output depends on it
(`gpu_available()`, `layer_forward`, `tensor_to_gpu`), so it must never crash or hang the interpreter: every
failure counts as "no GPU", and a probe that does not answer within `PROBE_TIMEOUT_S` is abandoned. The
Vulkan loader writes warnings straight to file descriptor 2 (`XDG_RUNTIME_DIR is invalid…`); they are not
the program's output, so stderr is silenced while the probe runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from charl_core.runtime.errors import CharlError

PROBE_TIMEOUT_S = 30.0
NO_GPU_REASON = 'DeviceNotAvailable("No compatible GPU found")'
NO_GPU_ERROR = f"Failed to initialize GPU backend: {NO_GPU_REASON}"


@dataclass(frozen=True, slots=True)
class GpuProbe:
    """What the probe found. `adapter` and `device` are wgpu objects, kept for the GPU backend."""

    available: bool
    adapter_name: str = ""
    backend: str = ""
    adapter: Any = None
    device: Any = None


NO_GPU = GpuProbe(available=False)


def probe(ctx: Any) -> GpuProbe:
    """The run's probe result, computed on the first call."""
    if ctx.gpu is None:
        ctx.gpu = NO_GPU if ctx.no_gpu else _probe_wgpu()
    return ctx.gpu


def require_gpu(ctx: Any) -> GpuProbe:
    """For builtins that need the backend (`tensor_to_gpu`, `layer_forward`): the original's error without
    one."""
    found = probe(ctx)
    if not found.available:
        raise CharlError(NO_GPU_ERROR)
    return found


def _probe_wgpu() -> GpuProbe:
    result: list[GpuProbe] = []

    def attempt() -> None:
        try:
            result.append(_create_device())
        except BaseException:  # a missing loader or driver raises anything; all of it means "no GPU"
            result.append(NO_GPU)

    with _silenced_stderr():
        worker = threading.Thread(target=attempt, name="charl-gpu-probe", daemon=True)
        worker.start()
        worker.join(PROBE_TIMEOUT_S)
    return result[0] if result else NO_GPU


def _create_device() -> GpuProbe:
    import wgpu

    adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
    if adapter is None:
        return NO_GPU
    device = adapter.request_device_sync()
    if device is None:
        return NO_GPU
    info = adapter.info
    return GpuProbe(
        available=True,
        adapter_name=str(info.get("device") or info.get("description") or info.get("vendor") or "unknown"),
        backend=str(info.get("backend_type") or "unknown"),
        adapter=adapter,
        device=device,
    )


@contextlib.contextmanager
def _silenced_stderr() -> Iterator[None]:
    """Points file descriptor 2 at /dev/null for the duration (the loader's warnings bypass `sys.stderr`)."""
    with contextlib.suppress(Exception):
        sys.stderr.flush()  # text written before the probe must not end up in /dev/null
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
