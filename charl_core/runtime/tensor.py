"""The tensor values of LANGUAGE.md §6.1 (autograd tensor), the legacy tensor and the GPU tensor (§6.11).

A tensor's `data` is a flat, row-major float64 NumPy array that is never written after the tensor is built:
copies share it (value semantics, §5.1) and "modified copies" (`tensor_set`, …) build a new array. A copy
keeps the `id`; every tensor a builtin creates gets a fresh one from `new_id()`.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from charl_core.runtime.printing import format_shape, format_tensor_data
from charl_core.runtime.values import RuntimeValue

_ids = itertools.count(1)


def new_id() -> int:
    """A unique tensor id (§6.1: ids are never printed; only their identity matters)."""
    return next(_ids)


class Tensor(RuntimeValue):
    """An autograd tensor (`type()` = `autograd_tensor`)."""

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

    def text(self) -> str:
        return f"AutogradTensor({format_tensor_data(self.data)}, shape={format_shape(self.shape)})"

    def equals(self, other: Any) -> bool:
        return (
            isinstance(other, Tensor)
            and self.shape == other.shape
            and bool(np.array_equal(self.data, other.data))
        )
