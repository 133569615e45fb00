"""The three float formats of LANGUAGE.md §5.4. Which one applies is fixed by context, and outputs match
the original byte for byte only when the right one is used:

- P (`value`): float scalars in `print`/`str`, also inside arrays, tuples and legacy tensors.
- T (`tensor`): tensor data lists (`AutogradTensor([…])`, `tensor_print`).
- D (`display`): floats inside object texts and error messages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal


def format_display(x: float) -> str:
    """D: shortest round-trip digits, positional notation, integral values without a fraction."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = format(Decimal(repr(x)), "f")
    return text[:-2] if text.endswith(".0") else text


def format_value(x: float) -> str:
    """P: integral finite values as their exact decimal with one fractional digit, others as D."""
    if math.isfinite(x) and x == math.floor(x):
        return f"{x:.1f}"
    return format_display(x)


def format_tensor_element(x: float) -> str:
    """T: Python's repr with the exponent written `1e-5`/`1e16` (no `+`, no leading zeros)."""
    if math.isnan(x):
        return "NaN"
    text = repr(x)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def format_tensor_data(values: Iterable[float]) -> str:
    """A T-list: `[1.0, 2.0, 1e-5]`."""
    return "[" + ", ".join(format_tensor_element(float(x)) for x in values) + "]"


def format_shape(shape: Iterable[int]) -> str:
    """`[2, 3]`, `[]` for a scalar shape."""
    return "[" + ", ".join(str(int(d)) for d in shape) + "]"
