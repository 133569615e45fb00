"""LANGUAGE.md §8.11: attention. None of these builtins is tracked; the ones that attend return the array
`[output, weights]`.

Scores, softmax denominators and weighted sums are sequential sums (§6.9) through `kernels.matmul`;
`exp`, `sin`, `cos` and `pow` are libm's (Python's `math`), applied element by element, because NumPy's
vectorised versions may round differently. The error texts for shapes are those the checker shows for the
same calls (`charl_core/builtins/attention.py`), so the editor and the run time use the same words.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from charl_core.runtime import kernels
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor, ieee_arithmetic
from charl_core.runtime.library.layers import size_argument
from charl_core.runtime.printing import format_shape
from charl_core.runtime.tensor import Tensor

MAX_POSITIONS = 5000
Array = np.ndarray


def attend(q: Array, k: Array, v: Array, keep: Array | None) -> tuple[Array, Array]:
    """`softmax(Q·Kᵀ / sqrt(d))·V` on `[…, L, d]` stacks; `keep` (broadcastable to the scores) marks the
    positions whose mask value is not ≤ 0.5; the others become -inf before the softmax."""
    scores = kernels.matmul(q, np.swapaxes(k, -1, -2)) / math.sqrt(float(q.shape[-1]))
    if keep is not None:
        scores = np.where(keep, scores, -np.inf)
    weights = kernels.softmax_last_axis(scores)
    return kernels.matmul(weights, v), weights


def _three_d(builtin: str, label: str, value: Any) -> Tensor:
    t = expect_tensor(builtin, value)
    if len(t.shape) != 3:
        raise CharlError(
            f"{builtin}(): {label} must be 3D [batch, seq, features], got {format_shape(t.shape)}"
        )
    return t


def _same(builtin: str, what: str, a: tuple[str, Tensor], b: tuple[str, Tensor], axes: tuple[int, int]):
    if a[1].shape[axes[0]] != b[1].shape[axes[1]]:
        raise CharlError(
            f"{builtin}(): {a[0]} and {b[0]} need the same {what}; {a[0]} {format_shape(a[1].shape)} vs "
            f"{b[0]} {format_shape(b[1].shape)}"
        )


def _query_key_value(builtin: str, args: list) -> tuple[Tensor, Tensor, Tensor]:
    """Q `[B, Lq, d]`, K `[B, Lk, d]`, V `[B, Lk, dv]`."""
    q, k, v = (_three_d(builtin, label, args[i]) for i, label in enumerate(("query", "key", "value")))
    named = (("query", q), ("key", k), ("value", v))
    _same(builtin, "batch size", named[0], named[1], (0, 0))
    _same(builtin, "batch size", named[0], named[2], (0, 0))
    _same(builtin, "feature size", named[0], named[1], (2, 2))
    _same(builtin, "sequence length", named[1], named[2], (1, 1))
    return q, k, v


def _keep_mask(builtin: str, mask: Any, batch: int, lq: int, lk: int) -> Array | None:
    """`null` (or no argument) means no mask; otherwise its first B·Lq·Lk values, row-major, as `[B, Lq, Lk]`
    booleans "keep this position" (multi-head attention shares them across heads)."""
    if mask is None:
        return None
    t = expect_tensor(builtin, mask)
    needed = batch * lq * lk
    if t.size < needed:
        raise CharlError(
            f"{builtin}(): mask {format_shape(t.shape)} has {t.size} elements, needs B·Lq·Lk = {needed}"
        )
    return ~(t.data[:needed] <= 0.5).reshape(batch, lq, lk)  # only values ≤ 0.5 are masked (not NaN)


def _pair(output: Array, weights: Array) -> list[Tensor]:
    return [Tensor(output.reshape(-1), output.shape), Tensor(weights.reshape(-1), weights.shape)]


@implements("attention_scaled")
@ieee_arithmetic
def attention_scaled(ctx: Any, args: list) -> list[Tensor]:
    q, k, v = _query_key_value("attention_scaled", args)
    batch, lq, lk = q.shape[0], q.shape[1], k.shape[1]
    keep = _keep_mask("attention_scaled", args[3] if len(args) > 3 else None, batch, lq, lk)
    output, weights = attend(q.data.reshape(q.shape), k.data.reshape(k.shape), v.data.reshape(v.shape), keep)
    return _pair(output, weights)


def fixed_projection(rows: int, columns: int) -> Array:
    """attention_self's untrained projection `[rows, columns]`: the identity when square, otherwise
    `0.1 * sin(0.7 * i)` at flat index `i`."""
    if rows == columns:
        return np.eye(rows)
    i = np.arange(rows * columns, dtype=np.float64)
    return (0.1 * kernels.libm(math.sin, 0.7 * i)).reshape(rows, columns)


@implements("attention_self")
@ieee_arithmetic
def attention_self(ctx: Any, args: list) -> list[Tensor]:
    """Self-attention of `[B, L, d_model]` with fixed projections to `d_k` (queries, keys), `d_v` (values)
    and back to `d_model`."""
    x = _three_d("attention_self", "input", args[0])
    d_model, d_k, d_v = (size_argument(a) for a in args[1:4])
    if x.shape[2] != d_model:
        raise CharlError(
            f"attention_self(): input features {x.shape[2]} don't match d_model {d_model}; "
            f"input {format_shape(x.shape)}"
        )
    batch, length = x.shape[0], x.shape[1]
    keep = _keep_mask("attention_self", args[4] if len(args) > 4 else None, batch, length, length)
    data = x.data.reshape(x.shape)
    w_qk, w_v, w_o = (
        fixed_projection(d_model, d_k),
        fixed_projection(d_model, d_v),
        fixed_projection(d_v, d_model),
    )
    q = kernels.matmul(data, w_qk)
    values = kernels.matmul(data, w_v)
    attended, weights = attend(q, q, values, keep)
    return _pair(kernels.matmul(attended, w_o), weights)


@implements("attention_multi_head")
@ieee_arithmetic
def attention_multi_head(ctx: Any, args: list) -> list[Tensor]:
    """Identity projections; head `h` attends over features `[h·dh, (h+1)·dh)`; outputs are concatenated."""
    name = "attention_multi_head"
    q, k, v = _query_key_value(name, args)
    d_model, heads = size_argument(args[3]), size_argument(args[4])
    if heads == 0 or d_model % heads:
        raise CharlError(f"{name}(): d_model {d_model} is not divisible by num_heads {heads}")
    for label, t in (("query", q), ("key", k), ("value", v)):
        if t.shape[2] != d_model:
            raise CharlError(
                f"{name}(): {label} features {t.shape[2]} don't match d_model {d_model}; "
                f"{label} {format_shape(t.shape)}"
            )
    batch, lq, lk, dh = q.shape[0], q.shape[1], k.shape[1], d_model // heads
    keep = _keep_mask(name, args[5] if len(args) > 5 else None, batch, lq, lk)

    def split(t: Tensor) -> Array:  # [B, L, d_model] → [B, heads, L, dh]
        return t.data.reshape(t.shape[0], t.shape[1], heads, dh).transpose(0, 2, 1, 3)

    output, weights = attend(split(q), split(k), split(v), None if keep is None else keep[:, None])
    return _pair(output.transpose(0, 2, 1, 3).reshape(batch, lq, d_model), weights)


@implements("positional_encoding")
@ieee_arithmetic
def positional_encoding(ctx: Any, args: list) -> Tensor:
    """`div = powf(10000.0, 2.0 * i / d_model)`; `PE[pos, 2i] = sin(pos / div)`, `PE[pos, 2i+1] =
    cos(pos / div)`."""
    seq_len, d_model = size_argument(args[0]), size_argument(args[1])
    if d_model % 2:
        raise CharlError(f"d_model must be even, got {d_model}")
    if seq_len > MAX_POSITIONS:
        raise CharlError(f"positional_encoding() seq_len must be at most {MAX_POSITIONS}, got {seq_len}")
    pairs = d_model // 2
    divisors = np.array([math.pow(10000.0, 2.0 * float(i) / float(d_model)) for i in range(pairs)])
    angles = np.arange(seq_len, dtype=np.float64)[:, None] / divisors[None, :]
    table = np.empty((seq_len, d_model))
    table[:, 0::2] = kernels.libm(math.sin, angles)
    table[:, 1::2] = kernels.libm(math.cos, angles)
    return Tensor(table.reshape(-1), (seq_len, d_model))


@implements("attention_mask_causal")
def attention_mask_causal(ctx: Any, args: list) -> Tensor:
    n = size_argument(args[0])
    return Tensor(np.tril(np.ones((n, n))).reshape(-1), (n, n))
