"""LANGUAGE.md §8.14: efficient sequence architectures (Linformer, Performer, FNet, RWKV, Mamba, S4, MoE) and
the recurrent cells (LSTM, GRU).

Each `*_create` makes an opaque layer object; each `*_forward` maps a sequence `[seq, features]` or
`[batch, seq, features]` to a tensor of the same shape, except the recurrent cells, which give
`[batch, seq, hidden]`. None of them is tracked: a forward pass cuts the autograd graph (§6.4). The layer
object's type is only its kind (`linformer_layer`…), so sizes fixed at creation (`hidden_size`) are unknown
to the shape rules and stay `_`.
"""

from __future__ import annotations

from charl_core.builtins.rules import SHAPE_MISMATCH, elementwise, returns, tensor, tensor_of
from charl_core.builtins.spec import ArityStyle, Builtin, Call, Kind, Param, Rule, Tracking
from charl_core.types import UNKNOWN, ObjectType, Type, shape_text

_SEQUENCE_INPUT = "a sequence `[seq, features]` or `[batch, seq, features]`"
_NOT_PROMISED = (
    "The numbers are deterministic but not part of the compatibility promise (§8.14): only the shape is."
)

# ───────────────────────────── shape rules ─────────────────────────────

same_as_input = elementwise(tracked=False, index=1)
"""`*_forward(layer, input)`: the output has the input's shape (the query's, in the `(layer, Q, K, V)` form);
never tracked, so the grad state is `no` whatever the input's."""


def mamba_output(call: Call) -> Type:
    """mamba_forward accepts rank 2 or 3 only; any other known rank certainly fails."""
    sequence = tensor(call, 1)
    if sequence is not None and sequence.rank is not None and sequence.rank not in (2, 3):
        call.report(
            SHAPE_MISMATCH,
            f"mamba_forward() expects 2D or 3D tensor, got shape {shape_text(sequence.shape)}",
            1,
        )
    return same_as_input(call)


def recurrent_output(name: str, *, requires_3d: bool) -> Rule:
    """`[batch, seq, features] → [batch, seq, hidden]`. `hidden` lives in the layer object, which the type
    does not carry, so it stays `_`. LANGUAGE.md states the 3-D requirement for lstm_forward only and gives
    no message for it, so the E107 text is ours."""

    def rule(call: Call) -> Type:
        sequence = tensor(call, 1)
        if sequence is not None and sequence.shape is not None and len(sequence.shape) == 3:
            return tensor_of((sequence.shape[0], sequence.shape[1], UNKNOWN))
        if requires_3d and sequence is not None and sequence.shape is not None:
            call.report(
                SHAPE_MISMATCH,
                f"{name}(): input must be 3-D [batch, seq, features], got shape {shape_text(sequence.shape)}",
                1,
            )
        return tensor_of((UNKNOWN, UNKNOWN, UNKNOWN))

    return rule


def _layer(name: str, kind: str) -> Param:
    return Param(name, Kind.OBJECT, object_kind=kind)


def _size(name: str, *, optional: bool = False) -> Param:
    return Param(name, Kind.NUMBER, optional=optional)


# ───────────────────────────── entries ─────────────────────────────

BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="linformer_create",
        section="8.14",
        usage="linformer_create(d_model, num_heads, seq_len, k)",
        params=(_size("d_model"), _size("num_heads"), _size("seq_len"), _size("k")),
        result=returns(ObjectType("linformer_layer")),
        summary="Create a Linformer layer: attention with keys and values projected to k positions",
        doc="Makes a `linformer_layer` for sequences of `seq_len` positions of `d_model` features, with "
        "`num_heads` heads; keys and values are projected from `seq_len` down to `k` positions, so "
        "attention costs O(seq_len · k) instead of O(seq_len²). Prints as "
        "`Linformer(d_model=8, heads=2, k=2)`. Apply it with `linformer_forward`.",
        example="let lin = linformer_create(8, 2, 4, 2)\nprint(lin)",
    ),
    Builtin(
        name="linformer_forward",
        section="8.14",
        usage="linformer_forward(layer, input, K, V)",
        params=(
            _layer("layer", "linformer_layer"),
            Param("input", Kind.TENSOR),
            Param("K", Kind.TENSOR, optional=True),
            Param("V", Kind.TENSOR, optional=True),
        ),
        result=same_as_input,
        summary="Low-rank (Linformer) attention over a sequence; the output has the input's shape",
        doc=f"Runs the Linformer layer on {_SEQUENCE_INPUT} (self-attention), or with separate queries, "
        "keys and values as `linformer_forward(layer, Q, K, V)`. The result has the shape of the input "
        f"(of `Q`). Never tracked: the result does not require grad. {_NOT_PROMISED}",
        example="let lin = linformer_create(8, 2, 4, 2)\n"
        "print(tensor_shape(linformer_forward(lin, tensor_randn_seeded([4, 8], 1))))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="performer_create",
        section="8.14",
        usage="performer_create(d_model, num_features)",
        params=(_size("d_model"), _size("num_features")),
        result=returns(ObjectType("performer_layer")),
        summary="Create a Performer layer: linear-time FAVOR+ attention with random features",
        doc="Makes a `performer_layer` for `d_model` features that approximates softmax attention with "
        "`num_features` random features (FAVOR+), in time linear in the sequence length. Prints as "
        "`Performer(d_model=8, features=16)`. Apply it with `performer_forward`.",
        example="let perf = performer_create(8, 16)\nprint(perf)",
    ),
    Builtin(
        name="performer_forward",
        section="8.14",
        usage="performer_forward(layer, input, K, V)",
        params=(
            _layer("layer", "performer_layer"),
            Param("input", Kind.TENSOR),
            Param("K", Kind.TENSOR, optional=True),
            Param("V", Kind.TENSOR, optional=True),
        ),
        result=same_as_input,
        summary="FAVOR+ (Performer) attention over a sequence; the output has the input's shape",
        doc=f"Runs the Performer layer on {_SEQUENCE_INPUT} (self-attention), or with separate queries, "
        "keys and values as `performer_forward(layer, Q, K, V)`. The result has the shape of the input "
        f"(of `Q`). Never tracked: the result does not require grad. {_NOT_PROMISED}",
        example="let perf = performer_create(8, 16)\n"
        "print(tensor_shape(performer_forward(perf, tensor_randn_seeded([4, 8], 1))))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="fnet_create",
        section="8.14",
        usage="fnet_create(d_model)",
        params=(_size("d_model"),),
        result=returns(ObjectType("fnet_layer")),
        summary="Create an FNet layer: token mixing by Fourier transforms instead of attention",
        doc="Makes an `fnet_layer` for `d_model` features; it mixes tokens with Fourier transforms over the "
        "sequence and feature axes, with no learned attention. Prints as `FNet(d_model=8)`. Apply it with "
        "`fnet_forward`.",
        example="let mixer = fnet_create(8)\nprint(mixer)",
    ),
    Builtin(
        name="fnet_forward",
        section="8.14",
        usage="fnet_forward(layer, input)",
        params=(_layer("layer", "fnet_layer"), Param("input", Kind.TENSOR)),
        result=same_as_input,
        summary="Fourier token mixing (FNet) over a sequence; the output has the input's shape",
        doc=f"Runs the FNet layer on {_SEQUENCE_INPUT}; the result has the input's shape. Never tracked: "
        f"the result does not require grad. {_NOT_PROMISED}",
        example="let mixer = fnet_create(8)\n"
        "print(tensor_shape(fnet_forward(mixer, tensor_randn_seeded([4, 8], 1))))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="rwkv_create",
        section="8.14",
        usage="rwkv_create(d_model)",
        params=(_size("d_model"),),
        result=returns(ObjectType("rwkv_layer")),
        summary="Create an RWKV layer: a recurrent, attention-free time-mixing block",
        doc="Makes an `rwkv_layer` for `d_model` features (RWKV: linear attention computed as a recurrence "
        "over the sequence). Prints as `RWKV(d_model=8)`. Apply it with `rwkv_forward`.",
        example="let mix = rwkv_create(8)\nprint(mix)",
    ),
    Builtin(
        name="rwkv_forward",
        section="8.14",
        usage="rwkv_forward(layer, input)",
        params=(_layer("layer", "rwkv_layer"), Param("input", Kind.TENSOR)),
        result=same_as_input,
        summary="RWKV time mixing over a sequence; the output has the input's shape",
        doc=f"Runs the RWKV layer on {_SEQUENCE_INPUT}; the result has the input's shape. Never tracked: "
        f"the result does not require grad. {_NOT_PROMISED}",
        example="let mix = rwkv_create(8)\n"
        "print(tensor_shape(rwkv_forward(mix, tensor_randn_seeded([4, 8], 1))))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="mamba_create",
        section="8.14",
        usage="mamba_create(d_model, d_state)",
        params=(_size("d_model"), _size("d_state", optional=True)),
        result=returns(ObjectType("mamba_layer")),
        summary="Create a Mamba layer: a selective state-space model",
        doc="Makes a `mamba_layer` for `d_model` features with a state of `d_state` dimensions per feature "
        "(optional; the layer's default when omitted). Prints as `Mamba(d_model=8, d_state=4)`. Apply it "
        "with `mamba_forward`.",
        example="let ssm = mamba_create(8, 4)\nprint(ssm)",
    ),
    Builtin(
        name="mamba_forward",
        section="8.14",
        usage="mamba_forward(layer, input)",
        params=(_layer("layer", "mamba_layer"), Param("input", Kind.TENSOR)),
        result=mamba_output,
        summary="Selective state-space scan (Mamba) over a sequence; the output has the input's shape",
        doc=f"Runs the Mamba layer on {_SEQUENCE_INPUT}; the result has the input's shape. Any other rank "
        "is an error (`mamba_forward() expects 2D or 3D tensor, got shape [4]`). Never tracked: the result "
        f"does not require grad. {_NOT_PROMISED}",
        example="let ssm = mamba_create(8, 4)\n"
        "print(tensor_shape(mamba_forward(ssm, tensor_randn_seeded([2, 4, 8], 1))))",
        tracking=Tracking.CUTS,
        errors=("mamba_forward() expects 2D or 3D tensor, got shape ‹shape›",),
    ),
    Builtin(
        name="s4_create",
        section="8.14",
        usage="s4_create(state_size, hidden_size, dt)",
        params=(_size("state_size"), _size("hidden_size"), _size("dt", optional=True)),
        result=returns(ObjectType("s4_layer")),
        summary="Create an S4 layer: a structured state-space sequence model",
        doc="Makes an `s4_layer` with a state of `state_size` dimensions over `hidden_size` features, "
        "discretised with time step `dt` (optional; the layer's default when omitted). Prints as "
        "`S4(state=16, hidden=8)`. Apply it with `s4_forward`.",
        example="let ssm = s4_create(16, 8)\nprint(ssm)",
    ),
    Builtin(
        name="s4_forward",
        section="8.14",
        usage="s4_forward(layer, input)",
        params=(_layer("layer", "s4_layer"), Param("input", Kind.TENSOR)),
        result=same_as_input,
        summary="Structured state-space (S4) scan over a sequence; the output has the input's shape",
        doc=f"Runs the S4 layer on {_SEQUENCE_INPUT} whose features are the layer's `hidden_size`; the "
        f"result has the input's shape. Never tracked: the result does not require grad. {_NOT_PROMISED}",
        example="let ssm = s4_create(16, 8)\n"
        "print(tensor_shape(s4_forward(ssm, tensor_randn_seeded([4, 8], 1))))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="moe_create",
        section="8.14",
        usage="moe_create(d_model, d_ff, num_experts, top_k)",
        params=(_size("d_model"), _size("d_ff"), _size("num_experts"), _size("top_k")),
        result=returns(ObjectType("moe_layer")),
        summary="Create a mixture-of-experts layer with sparse top-k routing",
        doc="Makes a `moe_layer` of `num_experts` feed-forward experts (`d_model → d_ff → d_model`); a "
        "router sends each position to its `top_k` best experts. Prints as `MoE(experts=4, top_k=2)`. "
        "Apply it with `moe_forward`.",
        example="let experts = moe_create(8, 32, 4, 2)\nprint(experts)",
    ),
    Builtin(
        name="moe_forward",
        section="8.14",
        usage="moe_forward(layer, input)",
        params=(_layer("layer", "moe_layer"), Param("input", Kind.TENSOR)),
        result=same_as_input,
        summary="Route a sequence through the top-k experts; the output has the input's shape",
        doc=f"Runs the mixture-of-experts layer on {_SEQUENCE_INPUT}: each position goes through its "
        "`top_k` experts, weighted by the router. The result has the input's shape. Never tracked: the "
        f"result does not require grad. {_NOT_PROMISED}",
        example="let experts = moe_create(8, 32, 4, 2)\n"
        "print(tensor_shape(moe_forward(experts, tensor_randn_seeded([4, 8], 1))))",
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="lstm_create",
        section="8.14",
        usage="lstm_create(input_size, hidden_size)",
        params=(_size("input_size"), _size("hidden_size")),
        result=returns(ObjectType("lstm")),
        summary="Create an LSTM cell from input_size to hidden_size features",
        doc="Makes an `lstm` layer that reads `input_size` features per step and keeps a hidden state of "
        "`hidden_size` features. Prints as `LSTM(input_size=3, hidden_size=5)`. Apply it with "
        "`lstm_forward`. Extra arguments are ignored.",
        example="let cell = lstm_create(3, 5)\nprint(cell)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="lstm_forward",
        section="8.14",
        usage="lstm_forward(lstm, input)",
        params=(_layer("lstm", "lstm"), Param("input", Kind.TENSOR)),
        result=recurrent_output("lstm_forward", requires_3d=True),
        summary="Run an LSTM over a [batch, seq, features] sequence, giving [batch, seq, hidden]",
        doc="Runs the LSTM over every step of the input, which must be 3-D `[batch, seq, input_size]`, and "
        "returns the hidden state at every step, `[batch, seq, hidden_size]`. Never tracked: the result "
        f"does not require grad. Extra arguments are ignored. {_NOT_PROMISED}",
        example="let cell = lstm_create(3, 5)\n"
        "print(tensor_shape(lstm_forward(cell, tensor_randn_seeded([2, 4, 3], 7))))",
        arity_style=ArityStyle.REQUIRES,
        tracking=Tracking.CUTS,
    ),
    Builtin(
        name="gru_create",
        section="8.14",
        usage="gru_create(input_size, hidden_size)",
        params=(_size("input_size"), _size("hidden_size")),
        result=returns(ObjectType("gru")),
        summary="Create a GRU cell from input_size to hidden_size features",
        doc="Makes a `gru` layer that reads `input_size` features per step and keeps a hidden state of "
        "`hidden_size` features. Prints as `GRU(input_size=3, hidden_size=5)`. Apply it with "
        "`gru_forward`. Extra arguments are ignored.",
        example="let cell = gru_create(3, 5)\nprint(cell)",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="gru_forward",
        section="8.14",
        usage="gru_forward(gru, input)",
        params=(_layer("gru", "gru"), Param("input", Kind.TENSOR)),
        result=recurrent_output("gru_forward", requires_3d=False),
        summary="Run a GRU over a [batch, seq, features] sequence, giving [batch, seq, hidden]",
        doc="Runs the GRU over every step of a `[batch, seq, input_size]` input and returns the hidden "
        "state at every step, `[batch, seq, hidden_size]`. Never tracked: the result does not require "
        f"grad. Extra arguments are ignored. {_NOT_PROMISED}",
        example="let cell = gru_create(3, 5)\n"
        "print(tensor_shape(gru_forward(cell, tensor_randn_seeded([2, 4, 3], 7))))",
        arity_style=ArityStyle.REQUIRES,
        tracking=Tracking.CUTS,
    ),
)
