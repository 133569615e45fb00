"""LANGUAGE.md §8.11: attention. The attention builtins return one value per position (`[output, weights]`),
so their result is an array type with a type per position (§4.4): `res[0]` is the output, `res[1]` the
weights, each with its shape. None of them is tracked (§6.4).

§8.11 states the shapes (`Q [B, Lq, d]`, `K [B, Lk, d]`, `V [B, Lk, dv]`) but no run-time error texts, so the
certain mismatches (§8.0: a shape rule violated by two known shapes is E107) use this module's own wording."""

from __future__ import annotations

from charl_core.builtins.layers import constant_dim
from charl_core.builtins.rules import SHAPE_MISMATCH, constant_int, report_conflict, tensor, tensor_of
from charl_core.builtins.spec import Builtin, Call, Kind, Param, Tracking
from charl_core.shapes import ShapeConflict, unify_dim
from charl_core.types import (
    UNKNOWN,
    ArrayType,
    Dim,
    Shape,
    TensorType,
    Type,
    element_count,
    join,
    shape_text,
)

# ───────────────────────────── shape rules ─────────────────────────────


def _rank3(t: TensorType | None) -> Shape | None:
    return t.shape if t is not None and t.shape is not None and len(t.shape) == 3 else None


Operand = tuple[str, Shape, int]
"""An attention operand: its name (`query`), its 3-D shape, and its argument position."""


def _same(call: Call, name: str, what: str, a: Operand, b: Operand, axis: tuple[int, int]) -> Dim:
    """Unifies a dimension of `a` with one of `b`; reports E107/W206 about the `what` they must share."""
    left, right = a[1][axis[0]], b[1][axis[1]]
    unified = unify_dim(left, right)
    if not isinstance(unified, ShapeConflict):
        return unified
    texts = f"{a[0]} {shape_text(a[1])} vs {b[0]} {shape_text(b[1])}"
    report_conflict(
        call,
        unified,
        f"{name}(): {a[0]} and {b[0]} need the same {what}; {texts}",
        f"{name} needs the same {what} for {a[0]} and {b[0]}; {texts} requires {left} == {right}",
        b[2],
    )
    return left


def _query_key_value(call: Call, name: str) -> tuple[Dim, Dim, Dim, Dim]:
    """Checks Q `[B, Lq, d]`, K `[B, Lk, d]`, V `[B, Lk, dv]` pairwise where both are 3-D; returns
    `(B, Lq, Lk, dv)`, `_` where unknown. Other ranks are left alone: §8.11 gives no message for them."""
    operands = [
        (label, shape, index)
        for index, label in enumerate(("query", "key", "value"))
        if (shape := _rank3(tensor(call, index))) is not None
    ]
    by_name = {operand[0]: operand for operand in operands}
    q, k, v = by_name.get("query"), by_name.get("key"), by_name.get("value")
    batch: Dim = operands[0][1][0] if operands else UNKNOWN
    for other in operands[1:]:
        shared = _same(call, name, "batch size", operands[0], other, (0, 0))
        merged = unify_dim(batch, shared)
        batch = batch if isinstance(merged, ShapeConflict) else merged
    if q is not None and k is not None:
        _same(call, name, "feature size", q, k, (2, 2))
    lk: Dim = k[1][1] if k is not None else v[1][1] if v is not None else UNKNOWN
    if k is not None and v is not None:
        lk = _same(call, name, "sequence length", k, v, (1, 1))
    lq = q[1][1] if q is not None else UNKNOWN
    dv = v[1][2] if v is not None else UNKNOWN
    return batch, lq, lk, dv


def _pair(output: TensorType, weights: TensorType) -> ArrayType:
    return ArrayType(join(output, weights), 2, (output, weights))


def scaled_rule(call: Call) -> Type:
    """attention_scaled: `[output [B, Lq, dv], weights [B, Lq, Lk]]`; a mask needs B·Lq·Lk elements."""
    batch, lq, lk, dv = _query_key_value(call, "attention_scaled")
    mask = tensor(call, 3)
    needed = element_count((batch, lq, lk))
    have = element_count(mask.shape) if mask is not None else None
    if needed is not None and have is not None and have < needed:
        call.report(
            SHAPE_MISMATCH,
            f"attention_scaled(): mask {shape_text(mask.shape)} has {have} elements, needs B·Lq·Lk = "
            f"{needed}",
            3,
        )
    return _pair(tensor_of((batch, lq, dv)), tensor_of((batch, lq, lk)))


def self_rule(call: Call) -> Type:
    """attention_self: input `[B, L, F]` → `[output [B, L, d_model], weights [B, L, L]]` (the output is
    projected back to d_model whatever d_k and d_v are)."""
    x = _rank3(tensor(call, 0))
    batch, length, features = x if x is not None else (UNKNOWN, UNKNOWN, UNKNOWN)
    d_model = constant_dim(call.argument(1))
    width = features if d_model is UNKNOWN else d_model
    if isinstance(features, int) and isinstance(d_model, int) and features != d_model:
        width = UNKNOWN  # undocumented combination: claim nothing
    return _pair(tensor_of((batch, length, width)), tensor_of((batch, length, length)))


def multi_head_rule(call: Call) -> Type:
    """attention_multi_head: `[output [B, Lq, d_model], weights [B, heads, Lq, Lk]]`; `d_model` must be a
    multiple of `num_heads`."""
    batch, lq, lk, _ = _query_key_value(call, "attention_multi_head")
    d_model, heads = constant_int(call.argument(3)), constant_int(call.argument(4))
    if d_model is not None and heads is not None and heads > 0 and d_model % heads != 0:
        call.report(
            SHAPE_MISMATCH,
            f"attention_multi_head(): d_model {d_model} is not divisible by num_heads {heads}",
            4,
        )
    q = _rank3(tensor(call, 0))
    width = constant_dim(call.argument(3))
    if width is UNKNOWN and q is not None:
        width = q[2]
    output = tensor_of((batch, lq, width))
    return _pair(output, tensor_of((batch, constant_dim(call.argument(4)), lq, lk)))


def positional_rule(call: Call) -> Type:
    """positional_encoding(seq_len, d_model) → `[seq_len, d_model]` from constant sizes."""
    return tensor_of((constant_dim(call.argument(0)), constant_dim(call.argument(1))))


def causal_mask_rule(call: Call) -> Type:
    """attention_mask_causal(n) → `[n, n]`."""
    size = constant_dim(call.argument(0))
    return tensor_of((size, size))


# ───────────────────────────── entries ─────────────────────────────

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="positional_encoding",
        section="8.11",
        usage="positional_encoding(seq_len, d_model)",
        params=(Param("seq_len", Kind.NUMBER), Param("d_model", Kind.NUMBER)),
        result=positional_rule,
        summary="Sinusoidal positional encoding table of shape [seq_len, d_model]",
        doc="Returns the `[seq_len, d_model]` tensor with `PE[pos, 2i] = sin(pos / div)` and "
        "`PE[pos, 2i+1] = cos(pos / div)`, where `div = powf(10000.0, 2.0 * i / d_model)`. `d_model` must "
        "be even and `seq_len` at most 5000. Add it to token embeddings with `tensor_add` or `+`.",
        example="print(positional_encoding(3, 4))",
        errors=("d_model must be even, got ‹d›",),
    ),
    Builtin(
        name="attention_mask_causal",
        section="8.11",
        usage="attention_mask_causal(seq_len)",
        params=(Param("seq_len", Kind.NUMBER),),
        result=causal_mask_rule,
        summary="Causal attention mask [n, n]: 1.0 on and below the diagonal, 0.0 above",
        doc="Returns an `[n, n]` tensor (`n = seq_len`) with 1.0 where a position may attend (itself and "
        "earlier positions) and 0.0 above the diagonal. Pass it as the `mask` of `attention_scaled`, which "
        "turns values ≤ 0.5 into −∞ before the softmax.",
        example="print(attention_mask_causal(3))",
    ),
    Builtin(
        name="attention_scaled",
        section="8.11",
        usage="attention_scaled(query, key, value, mask?)",
        params=(
            Param("query", Kind.TENSOR),
            Param("key", Kind.TENSOR),
            Param("value", Kind.TENSOR),
            Param("mask", optional=True),
        ),
        result=scaled_rule,
        summary="Scaled dot-product attention: returns the array [output, weights]",
        doc="Computes `softmax(Q·Kᵀ / sqrt(d))·V` with a row-wise softmax, for `query` `[B, Lq, d]`, "
        "`key` `[B, Lk, d]` and `value` `[B, Lk, dv]`, and returns an **array** `[output, weights]`: "
        "output `[B, Lq, dv]`, weights `[B, Lq, Lk]`. Mask entries ≤ 0.5 become −∞ before the softmax; the "
        "mask needs B·Lq·Lk elements (`attention_mask_causal(L)` serves B = 1), and `null` means no mask. "
        "Not tracked.",
        example="let Q = tensor([1.0, 0.0, 0.0, 1.0], [1, 2, 2])\n"
        "let V = tensor([1.0, 2.0, 3.0, 4.0], [1, 2, 2])\n"
        "let res = attention_scaled(Q, Q, V, attention_mask_causal(2))\n"
        "print(res[0], res[1])",
        aliases=("attention_scaled_dot_product",),
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="attention_self",
        section="8.11",
        usage="attention_self(input, d_model, d_k, d_v, mask?)",
        params=(
            Param("input", Kind.TENSOR),
            Param("d_model", Kind.NUMBER),
            Param("d_k", Kind.NUMBER),
            Param("d_v", Kind.NUMBER),
            Param("mask", optional=True),
        ),
        result=self_rule,
        summary="Self-attention with fixed projections: returns the array [output, weights]",
        doc="Self-attention of `input` `[B, L, d_model]` with fixed, untrained projections: the identity "
        "when a projection is square, otherwise the matrix `0.1 * sin(0.7 * i)` (i = flat index). Returns "
        "an **array** `[output [B, L, d_model], weights [B, L, L]]`; `d_k` and `d_v` size the internal "
        "projections only. Not tracked.",
        example="let x = tensor([1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 1.0, 1.0], [1, 2, 4])\n"
        "let s = attention_self(x, 4, 4, 4)\n"
        "print(tensor_shape(s[0]), tensor_shape(s[1]))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="attention_multi_head",
        section="8.11",
        usage="attention_multi_head(query, key, value, d_model, num_heads, mask?)",
        params=(
            Param("query", Kind.TENSOR),
            Param("key", Kind.TENSOR),
            Param("value", Kind.TENSOR),
            Param("d_model", Kind.NUMBER),
            Param("num_heads", Kind.NUMBER),
            Param("mask", optional=True),
        ),
        result=multi_head_rule,
        summary="Multi-head attention with identity projections: returns [output, weights]",
        doc="Splits the `d_model` features into `num_heads` heads of `dh = d_model / num_heads` features "
        "(head `h` uses features `[h·dh, (h+1)·dh)`; `num_heads` must divide `d_model`), runs scaled "
        "dot-product attention per head and concatenates. All projections are the identity (nothing is "
        "learnt). Returns an **array** `[output [B, Lq, d_model], weights [B, heads, Lq, Lk]]`. Not "
        "tracked.",
        example="let x = tensor([1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 1.0, 1.0], [1, 2, 4])\n"
        "let mh = attention_multi_head(x, x, x, 4, 2)\n"
        "print(tensor_shape(mh[0]), tensor_shape(mh[1]))",
        aliases=("mha_forward",),
        tracking=Tracking.CUTS,
        core=True,
    ),
)
