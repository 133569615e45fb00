"""The tensor values of LANGUAGE.md §6.1 (autograd tensor), the legacy tensor and the GPU tensor (§6.11).

A tensor's `data` is a flat, row-major float64 NumPy array that is never written after the tensor is built:
copies share it (value semantics, §5.1) and "modified copies" (`tensor_set`, …) build a new array. A copy
keeps the `id`; every tensor a builtin creates gets a fresh one from `new_id()`.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from charl_core.runtime.printing import format_shape, format_tensor_data, format_value
from charl_core.runtime.values import RuntimeValue

_ids = itertools.count(1)


def new_id() -> int:
    """A unique tensor id (§6.1: ids are never printed; only their identity matters)."""
    return next(_ids)


def as_data(values: Any) -> np.ndarray:
    """A flat float64 array that nobody else writes (the invariant every tensor's `data` keeps)."""
    return np.array(values, dtype=np.float64).reshape(-1)


class Tensor(RuntimeValue):
    """An autograd tensor (`type()` = `autograd_tensor`).

    `grad` is the value's *own* gradient buffer (§6.1), distinct from the graph node's buffer (§6.2);
    `op` is the graph operation that produced it (None for a leaf)."""

    __slots__ = ("data", "grad", "id", "op", "requires_grad", "shape")
    KIND = "autograd_tensor"

    def __init__(
        self,
        data: np.ndarray,
        shape: tuple[int, ...],
        *,
        requires_grad: bool = False,
        grad: np.ndarray | None = None,
        op: Any = None,
        id: int | None = None,
    ) -> None:
        self.data = data
        self.shape = shape
        self.id = new_id() if id is None else id
        self.requires_grad = requires_grad
        self.grad = grad
        self.op = op

    @property
    def size(self) -> int:
        return int(self.data.shape[0])

    def copy_with(self, **changes: Any) -> Tensor:
        """A modified copy that keeps the id (`tensor_set`, `tensor_requires_grad`, … §6.1)."""
        fields = {
            "requires_grad": self.requires_grad,
            "grad": self.grad,
            "op": self.op,
            "id": self.id,
        }
        fields.update(changes)
        data = fields.pop("data", self.data)
        shape = fields.pop("shape", self.shape)
        return Tensor(data, shape, **fields)

    def text(self) -> str:
        return f"AutogradTensor({format_tensor_data(self.data)}, shape={format_shape(self.shape)})"

    def equals(self, other: Any) -> bool:
        """§5.3: tensors (autograd, legacy, GPU) compare by data and shape; id and gradients are ignored."""
        return (
            isinstance(other, Tensor)
            and type(other) is type(self)
            and self.shape == other.shape
            and bool(np.array_equal(self.data, other.data))
        )


class LegacyTensor(RuntimeValue):
    """The legacy tensor (`type()` = `tensor`): a list of values plus a shape (§6.1). `tensor_grad` returns
    one; it can be indexed and sliced like an array (flat) and measured with `len`."""

    __slots__ = ("data", "shape")
    KIND = "tensor"

    def __init__(self, data: np.ndarray, shape: tuple[int, ...]) -> None:
        self.data = data
        self.shape = shape

    def text(self) -> str:
        """`Tensor([2], [9.0, 32.0])`: shape, then the values in format P (§5.4)."""
        values = ", ".join(format_value(float(x)) for x in self.data)
        return f"Tensor({format_shape(self.shape)}, [{values}])"

    def equals(self, other: Any) -> bool:
        return (
            isinstance(other, LegacyTensor)
            and self.shape == other.shape
            and bool(np.array_equal(self.data, other.data))
        )


class GpuTensor(Tensor):
    """A GPU tensor (`type()` = `gpu_tensor`, §6.11): the binary64 CPU copy in `data`, a device label, and,
    when labelled GPU, the binary32 device copy in `device_data`. All arithmetic of the interpreter uses the
    binary64 copy; `tensor_to_cpu` returns the device copy widened back, which is the only place binary32
    rounding is observable. GPU tensors are never tracked by autograd."""

    __slots__ = ("device", "device_data")
    KIND = "gpu_tensor"

    def __init__(self, data: np.ndarray, shape: tuple[int, ...], *, device: str = "GPU") -> None:
        super().__init__(data, shape)
        self.device = device
        with np.errstate(over="ignore"):  # values beyond binary32 become ±inf on the device, silently
            self.device_data = data.astype(np.float32) if device == "GPU" else None

    def text(self) -> str:
        return f"GPUTensor(shape={format_shape(self.shape)}, device={self.device})"
