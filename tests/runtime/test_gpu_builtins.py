"""LANGUAGE.md §8.12 and §6.11: the GPU probe and the device builtins, with the real wgpu probe (lavapipe on
machines without a GPU) and with `CHARL_NO_GPU=1`, through the builtins and through `charl run`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime import gpu_probe
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.tensor import GpuTensor, Tensor
from charl_core.runtime.values import to_text

load()

NO_GPU_ERROR = 'Failed to initialize GPU backend: DeviceNotAvailable("No compatible GPU found")'


def call(name: str, *args, ctx: Context):
    return lookup(name).implementation(ctx, list(args))


def real_probe() -> gpu_probe.GpuProbe:
    return gpu_probe.probe(Context(out=io.StringIO(), no_gpu=False))


@pytest.fixture(scope="module")
def gpu_adapter() -> None:
    """scripts/test installs lavapipe: a machine without an adapter is a broken set-up, so fail."""
    if not real_probe().available:
        pytest.fail("wgpu finds no adapter here (install mesa-vulkan-drivers and libvulkan1 for lavapipe)")


needs_gpu = pytest.mark.usefixtures("gpu_adapter")


def run_program(source: str, tmp_path: Path, *, no_gpu: bool) -> subprocess.CompletedProcess:
    path = tmp_path / "program.ch"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    env = dict(os.environ)
    env.pop("CHARL_NO_GPU", None)
    if no_gpu:
        env["CHARL_NO_GPU"] = "1"
    command = [sys.executable, "-m", "charl_core.cli", "run", str(path)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


# ───────────────────────────── without a GPU ─────────────────────────────


def test_no_gpu_forces_false_without_probing():
    ctx = Context(out=io.StringIO(), no_gpu=True)
    assert call("gpu_available", ctx=ctx) is False
    assert ctx.gpu is gpu_probe.NO_GPU
    assert call("gpu_info", ctx=ctx) == 'GPU not available: DeviceNotAvailable("No compatible GPU found")'


def test_without_a_gpu_uploads_fail_and_cpu_tensors_stay():
    ctx = Context(out=io.StringIO(), no_gpu=True)
    t = Tensor(np.array([1.0, 2.0, 3.0]), (3,))
    with pytest.raises(CharlError) as caught:
        call("tensor_to_gpu", t, ctx=ctx)
    assert caught.value.message == NO_GPU_ERROR
    assert call("tensor_device", t, ctx=ctx) == "CPU"
    assert call("tensor_to_cpu", t, ctx=ctx) is t  # unchanged, same id


def test_kind_errors():
    ctx = Context(out=io.StringIO(), no_gpu=True)
    for name in ("tensor_device", "tensor_to_cpu", "tensor_to_gpu"):
        with pytest.raises(CharlError) as caught:
            call(name, [1.0], ctx=ctx)
        assert caught.value.message == f"{name}() expects a tensor, got array"


def test_probe_failures_mean_no_gpu(monkeypatch):
    def broken() -> gpu_probe.GpuProbe:
        raise OSError("libvulkan.so.1: cannot open shared object file")

    monkeypatch.setattr(gpu_probe, "_create_device", broken)
    ctx = Context(out=io.StringIO(), no_gpu=False)
    assert call("gpu_available", ctx=ctx) is False
    assert call("gpu_info", ctx=ctx).startswith("GPU not available")


def test_a_probe_that_hangs_is_abandoned(monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(gpu_probe, "_create_device", lambda: release.wait(10) and gpu_probe.NO_GPU)
    monkeypatch.setattr(gpu_probe, "PROBE_TIMEOUT_S", 0.2)
    try:
        assert gpu_probe.probe(Context(out=io.StringIO(), no_gpu=False)).available is False
    finally:
        release.set()


def test_program_without_gpu(tmp_path):
    result = run_program(
        """
        let t = tensor([0.1, 0.5, 2.0])
        print(gpu_available(), tensor_device(t), tensor_to_cpu(t))
        print(gpu_info())
        let g = tensor_to_gpu(t)
        print("not reached")
        """,
        tmp_path,
        no_gpu=True,
    )
    assert result.stdout == (
        "false CPU AutogradTensor([0.1, 0.5, 2.0], shape=[3])\n"
        'GPU not available: DeviceNotAvailable("No compatible GPU found")\n'
    )
    assert result.returncode == 1
    assert NO_GPU_ERROR in result.stderr


# ───────────────────────────── with a GPU (lavapipe is enough) ─────────────────────────────


@needs_gpu
def test_probe_finds_an_adapter_and_describes_it():
    ctx = Context(out=io.StringIO(), no_gpu=False)
    assert call("gpu_available", ctx=ctx) is True
    found = ctx.gpu
    assert found.available and found.device is not None
    info = call("gpu_info", ctx=ctx)
    assert info == f"GPU Backend: WGPU\nAdapter: {found.adapter_name}\nBackend: {found.backend}"
    assert found.backend in {"Vulkan", "Metal", "D3D12", "OpenGL", "GL"}
    assert call("gpu_available", ctx=ctx) is True
    assert ctx.gpu is found  # probed once per run


@needs_gpu
def test_upload_keeps_binary64_and_download_rounds_to_binary32():
    ctx = Context(out=io.StringIO(), no_gpu=False)
    t = Tensor(np.array([0.1, 0.5, 2.0]), (3,))
    g = call("tensor_to_gpu", t, ctx=ctx)
    assert isinstance(g, GpuTensor)
    assert to_text(g) == "GPUTensor(shape=[3], device=GPU)"
    assert call("tensor_device", g, ctx=ctx) == "GPU"
    assert g.data.tolist() == [0.1, 0.5, 2.0]
    back = call("tensor_to_cpu", g, ctx=ctx)
    assert type(back) is Tensor
    assert back.data.tolist() == np.float32([0.1, 0.5, 2.0]).astype(np.float64).tolist()
    assert back.data[0] == 0.10000000149011612
    assert back.id != g.id
    labelled_cpu = GpuTensor(np.array([0.1]), (1,), device="CPU")  # as `layer_forward` returns
    assert call("tensor_device", labelled_cpu, ctx=ctx) == "CPU"
    assert call("tensor_to_cpu", labelled_cpu, ctx=ctx).data.tolist() == [0.1]


@needs_gpu
def test_program_with_gpu(tmp_path):
    result = run_program(
        """
        let t = tensor([0.1, 0.5, 2.0])
        let g = tensor_to_gpu(t)
        print(gpu_available(), g, tensor_device(g), type(g))
        print(tensor_to_cpu(g))
        let y = layer_forward(linear(3, 2), tensor([1.0, 2.0, 3.0]))
        print(y, tensor_device(y))
        let z = layer_forward(linear(3, 2), g)
        print(z, tensor_device(z))
        """,
        tmp_path,
        no_gpu=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "true GPUTensor(shape=[3], device=GPU) GPU gpu_tensor"
    assert result.stdout.splitlines()[1:] == [
        "AutogradTensor([0.10000000149011612, 0.5, 2.0], shape=[3])",
        "AutogradTensor([-1.383995326709015, -1.081399189700516], shape=[2]) CPU",
        "GPUTensor(shape=[2], device=CPU) CPU",
    ]
