"""LANGUAGE.md §8.14: efficient sequence architectures and recurrent cells.

Each layer keeps its weights from creation, initialised by §7.3's `pseudo_random` (Xavier-scaled, each matrix
at its own offset), so a forward pass is deterministic. The numbers are not part of the promise; the
architectures are the published ones at the documented shapes: Linformer's low-rank projection of keys and
values, Performer's FAVOR+ positive random features, FNet's 2-D Fourier mixing, RWKV's block (WKV time
mixing and squared-ReLU channel mixing), Mamba's block (causal convolution, input-dependent discretised
state space, SiLU gate), S4's diagonal state space, a top-k routed mixture of experts, and the standard LSTM
and GRU cell equations. Products and sums go through `kernels.matmul` and the sequential sums (§6.9).
Results are new untracked tensors (§6.4).
"""

from __future__ import annotations

import math

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import matmul, sequential_sum_last_axis
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import expect_tensor, to_float
from charl_core.runtime.library.specialised import (
    ObjectValue,
    checked,
    count,
    display,
    layer_norm,
    pseudo_random,
    result_tensor,
    sequence_input,
    sigmoid,
    silu,
    softmax_rows,
    softplus,
    xavier,
)
from charl_core.runtime.printing import format_shape


def _sizes(name: str, args: list, n: int) -> list[int]:
    """The first `n` size parameters, each at least 1 (a layer of width 0 computes nothing)."""
    sizes = [count(v) for v in checked(name, args)[:n]]
    for value in sizes:
        if value < 1:
            raise CharlError(f"{name}() sizes must be positive, got {value}")
    return sizes


# ───────────────────────────── Linformer ─────────────────────────────


class Linformer(ObjectValue):
    KIND = "linformer_layer"
    d_model: int
    heads: int
    seq_len: int
    k: int
    wq: np.ndarray
    wk: np.ndarray
    wv: np.ndarray
    wo: np.ndarray
    e: np.ndarray  # [k, seq_len]: projects the keys' sequence axis down to k positions
    f: np.ndarray  # [k, seq_len]: the same for the values

    def text(self) -> str:
        return f"Linformer(d_model={self.d_model}, heads={self.heads}, k={self.k})"

    def projections(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        """E and F for a sequence of `length ≤ seq_len`: a shorter sequence is one padded with zeros, whose
        padding meets the columns past `length`."""
        if length > self.seq_len:
            raise CharlError(
                f"linformer_forward() sequence of {length} exceeds the layer's seq_len {self.seq_len}"
            )
        return self.e[:, :length], self.f[:, :length]


def _attention_inputs(name: str, layer, args: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """`(layer, input)` is self-attention; `(layer, Q, K, V)` gives the three sequences."""
    if len(args) == 3:
        raise CharlError(f"{name}() expects 2 or 4 arguments: {name}(layer, input) or {name}(layer, Q, K, V)")
    sources = args[1:4] if len(args) >= 4 else [args[1]] * 3
    q, k, v = (sequence_input(name, s, layer.d_model) for s in sources)
    if q.shape[0] != k.shape[0] or k.shape != v.shape:
        raise CharlError(f"{name}() Q, K and V must have matching batch and K, V matching shapes")
    return q, k, v, expect_tensor(name, sources[0]).shape


def _split_heads(x: np.ndarray, heads: int) -> np.ndarray:
    """`[n, d]` → `[heads, n, d / heads]`."""
    n, d = x.shape
    return x.reshape(n, heads, d // heads).transpose(1, 0, 2)


@implements("linformer_create")
def linformer_create(ctx, args):
    d, heads, seq_len, k = _sizes("linformer_create", args, 4)
    if d % heads:
        raise CharlError(f"linformer_create() d_model {d} is not divisible by num_heads {heads}")
    weights = [xavier(d, d, i * d * d) for i in range(4)]
    projections = [xavier(k, seq_len, 4 * d * d + i * k * seq_len) for i in range(2)]
    return Linformer(d, heads, seq_len, k, *weights, *projections)


@implements("linformer_forward")
def linformer_forward(ctx, args):
    layer = checked("linformer_forward", args)[0]
    queries, keys, values, shape = _attention_inputs("linformer_forward", layer, args)
    outputs = []
    for q_in, k_in, v_in in zip(queries, keys, values, strict=True):
        e, f = layer.projections(k_in.shape[0])
        q = _split_heads(matmul(q_in, layer.wq), layer.heads)
        k = _split_heads(matmul(e, matmul(k_in, layer.wk)), layer.heads)  # [heads, k, dh]
        v = _split_heads(matmul(f, matmul(v_in, layer.wv)), layer.heads)
        scores = matmul(q, k.transpose(0, 2, 1)) / math.sqrt(q.shape[-1])
        mixed = matmul(softmax_rows(scores), v)  # [heads, n, dh]
        joined = mixed.transpose(1, 0, 2).reshape(q_in.shape[0], layer.d_model)
        outputs.append(matmul(joined, layer.wo))
    return result_tensor(np.stack(outputs), shape)


# ───────────────────────────── Performer ─────────────────────────────


class Performer(ObjectValue):
    KIND = "performer_layer"
    d_model: int
    features: int
    wq: np.ndarray
    wk: np.ndarray
    wv: np.ndarray
    omega: np.ndarray  # [features, d_model] random feature directions

    def text(self) -> str:
        return f"Performer(d_model={self.d_model}, features={self.features})"

    def feature_map(self, x: np.ndarray, stabiliser: np.ndarray | float) -> np.ndarray:
        """FAVOR+'s positive features `exp(ω·x − |x|²/2) / √m` (the stabiliser cancels in the ratio)."""
        projected = matmul(x, self.omega.T)
        half_norm = sequential_sum_last_axis(x * x)[:, None] / 2.0
        return np.exp(projected - half_norm - stabiliser) / math.sqrt(self.features)


@implements("performer_create")
def performer_create(ctx, args):
    d, m = _sizes("performer_create", args, 2)
    # Box–Muller over two pseudo_random streams gives the Gaussian directions FAVOR+ samples.
    u1 = (pseudo_random(m * d, 40000) + 1.0) / 2.0 * 0.999 + 0.0005
    u2 = (pseudo_random(m * d, 90000) + 1.0) / 2.0
    omega = (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * math.pi * u2)).reshape(m, d)
    return Performer(d, m, xavier(d, d, 0), xavier(d, d, d * d), xavier(d, d, 2 * d * d), omega)


@implements("performer_forward")
def performer_forward(ctx, args):
    layer = checked("performer_forward", args)[0]
    queries, keys, values, shape = _attention_inputs("performer_forward", layer, args)
    scale = layer.d_model**-0.25
    outputs = []
    for q_in, k_in, v_in in zip(queries, keys, values, strict=True):
        q = matmul(q_in, layer.wq) * scale
        k = matmul(k_in, layer.wk) * scale
        v = matmul(v_in, layer.wv)
        q_features = layer.feature_map(q, matmul(q, layer.omega.T).max(axis=1, keepdims=True))
        k_features = layer.feature_map(k, matmul(k, layer.omega.T).max())
        context = matmul(k_features.T, v)  # [m, d]: linear in the sequence length
        normaliser = matmul(q_features, sequential_sum_last_axis(k_features.T)[:, None])
        outputs.append(matmul(q_features, context) / normaliser)
    return result_tensor(np.stack(outputs), shape)


# ───────────────────────────── FNet ─────────────────────────────


class FNet(ObjectValue):
    KIND = "fnet_layer"
    d_model: int

    def text(self) -> str:
        return f"FNet(d_model={self.d_model})"


def _dft(n: int) -> tuple[np.ndarray, np.ndarray]:
    angles = 2.0 * math.pi * np.outer(np.arange(n), np.arange(n)) / n
    return np.cos(angles), np.sin(angles)


def fourier_mix(x: np.ndarray) -> np.ndarray:
    """`Re(F_seq · X · F_features)` = `C X C' − S X S'` for `F = C − iS` (both DFT matrices symmetric)."""
    cs, ss = _dft(x.shape[0])
    cf, sf = _dft(x.shape[1])
    return matmul(matmul(cs, x), cf) - matmul(matmul(ss, x), sf)


@implements("fnet_create")
def fnet_create(ctx, args):
    (d,) = _sizes("fnet_create", args, 1)
    return FNet(d)


@implements("fnet_forward")
def fnet_forward(ctx, args):
    layer, value = checked("fnet_forward", args)[:2]
    x = sequence_input("fnet_forward", value, layer.d_model)
    mixed = np.stack([layer_norm(seq + fourier_mix(seq)) for seq in x])
    return result_tensor(mixed, value.shape)


# ───────────────────────────── RWKV ─────────────────────────────


class RWKV(ObjectValue):
    KIND = "rwkv_layer"
    d_model: int
    wk: np.ndarray
    wv: np.ndarray
    wr: np.ndarray
    wo: np.ndarray
    decay: np.ndarray  # w > 0: how fast past keys fade
    bonus: np.ndarray  # u: the current token's extra weight
    mix: np.ndarray  # [3, d]: token-shift interpolation for k, v, r
    channel_k: np.ndarray  # [d, 4d]: channel mixing's key (squared-ReLU feed-forward)
    channel_v: np.ndarray  # [4d, d]
    channel_r: np.ndarray  # [d, d]: its receptance gate
    channel_mix: np.ndarray  # [2, d]: token-shift interpolation for its k and r

    def text(self) -> str:
        return f"RWKV(d_model={self.d_model})"


@implements("rwkv_create")
def rwkv_create(ctx, args):
    (d,) = _sizes("rwkv_create", args, 1)
    channel = np.arange(d, dtype=np.float64) / max(d - 1, 1)
    decay = np.exp(-5.0 + 8.0 * channel**0.7)
    bonus = 0.5 * pseudo_random(d, 777)
    mix = np.stack([channel**0.5, channel**0.5 + 0.3 * channel, channel**0.25]).clip(0.0, 1.0)
    time_weights = (xavier(d, d, i * d * d) for i in range(4))
    channel_k, channel_v = xavier(d, 4 * d, 5 * d * d), xavier(4 * d, d, 9 * d * d)
    channel_mix = np.stack([channel**0.5, channel**0.5])
    return RWKV(
        d, *time_weights, decay, bonus, mix, channel_k, channel_v, xavier(d, d, 13 * d * d), channel_mix
    )


def token_shift(x: np.ndarray, mix: np.ndarray) -> np.ndarray:
    """RWKV's interpolation between each position and the previous one (zeros before the first)."""
    shifted = np.vstack([np.zeros((1, x.shape[1])), x[:-1]])
    return x * mix + shifted * (1.0 - mix)


def rwkv_time_mix(layer: RWKV, x: np.ndarray) -> np.ndarray:
    """RWKV-4 time mixing for one sequence `[n, d]`, with the numerically stable WKV recurrence."""
    mk, mv, mr = layer.mix
    k = matmul(token_shift(x, mk), layer.wk)
    v = matmul(token_shift(x, mv), layer.wv)
    r = sigmoid(matmul(token_shift(x, mr), layer.wr))
    numerator = np.zeros(x.shape[1])
    denominator = np.zeros(x.shape[1])
    exponent = np.full(x.shape[1], -1e38)
    wkv = np.empty_like(x)
    for t in range(x.shape[0]):
        top = np.maximum(exponent, layer.bonus + k[t])
        a = np.exp(exponent - top)
        b = np.exp(layer.bonus + k[t] - top)
        wkv[t] = (a * numerator + b * v[t]) / (a * denominator + b)
        top = np.maximum(exponent - layer.decay, k[t])
        a = np.exp(exponent - layer.decay - top)
        b = np.exp(k[t] - top)
        numerator = a * numerator + b * v[t]
        denominator = a * denominator + b
        exponent = top
    return matmul(r * wkv, layer.wo)


def rwkv_channel_mix(layer: RWKV, x: np.ndarray) -> np.ndarray:
    """`σ(r) ⊙ (ReLU(k)² W_v)`: RWKV's feed-forward, gated by receptance."""
    mk, mr = layer.channel_mix
    k = np.square(np.maximum(matmul(token_shift(x, mk), layer.channel_k), 0.0))
    return sigmoid(matmul(token_shift(x, mr), layer.channel_r)) * matmul(k, layer.channel_v)


def rwkv_block(layer: RWKV, x: np.ndarray) -> np.ndarray:
    """A pre-norm residual block: time mixing, then channel mixing."""
    x = x + rwkv_time_mix(layer, layer_norm(x))
    return x + rwkv_channel_mix(layer, layer_norm(x))


@implements("rwkv_forward")
def rwkv_forward(ctx, args):
    layer, value = checked("rwkv_forward", args)[:2]
    x = sequence_input("rwkv_forward", value, layer.d_model)
    return result_tensor(np.stack([rwkv_block(layer, seq) for seq in x]), value.shape)


# ───────────────────────────── Mamba ─────────────────────────────


class Mamba(ObjectValue):
    KIND = "mamba_layer"
    d_model: int
    d_state: int
    a_log: np.ndarray  # [d, N]: A = -exp(a_log), S4D-real initialisation
    w_delta: np.ndarray  # [d, d]
    delta_bias: np.ndarray  # [d]
    w_b: np.ndarray  # [d, N]
    w_c: np.ndarray  # [d, N]
    skip: np.ndarray  # D [d]
    w_gate: np.ndarray  # [d, d]
    w_out: np.ndarray  # [d, d]
    conv: np.ndarray  # [CONV_WIDTH, d]: the depthwise causal convolution before the scan
    conv_bias: np.ndarray  # [d]

    def text(self) -> str:
        return f"Mamba(d_model={self.d_model}, d_state={self.d_state})"


@implements("mamba_create")
def mamba_create(ctx, args):
    checked("mamba_create", args)
    d, n = _sizes("mamba_create", [args[0], args[1] if len(args) > 1 else 16], 2)
    a_log = np.log(np.tile(np.arange(1, n + 1, dtype=np.float64), (d, 1)))
    # dt initialised in [0.001, 0.1] through the inverse softplus of its bias, as in the reference model.
    dt = np.exp(np.linspace(math.log(0.001), math.log(0.1), d))
    delta_bias = dt + np.log(-np.expm1(-dt))
    return Mamba(
        d,
        n,
        a_log,
        xavier(d, d, 0),
        delta_bias,
        xavier(d, n, d * d),
        xavier(d, n, d * d + d * n),
        np.ones(d),
        xavier(d, d, 3 * d * d),
        xavier(d, d, 4 * d * d),
        pseudo_random(CONV_WIDTH * d, 5 * d * d).reshape(CONV_WIDTH, d) / math.sqrt(CONV_WIDTH),
        np.zeros(d),
    )


CONV_WIDTH = 4


def causal_conv(layer: Mamba, x: np.ndarray) -> np.ndarray:
    """Each feature convolved with its own kernel over the current and previous `CONV_WIDTH - 1` steps."""
    padded = np.vstack([np.zeros((CONV_WIDTH - 1, x.shape[1])), x])
    out = np.zeros_like(x)
    for w in range(CONV_WIDTH):
        out = out + layer.conv[w] * padded[w : w + x.shape[0]]
    return out + layer.conv_bias


def selective_scan(layer: Mamba, x: np.ndarray) -> np.ndarray:
    """`h_t = exp(Δ_t A) h_{t-1} + Δ_t B_t x_t`, `y_t = C_t h_t + D x_t`, with Δ, B, C functions of x_t."""
    a = -np.exp(layer.a_log)
    delta = softplus(matmul(x, layer.w_delta) + layer.delta_bias)  # [n, d]
    b = matmul(x, layer.w_b)  # [n, N]
    c = matmul(x, layer.w_c)
    state = np.zeros_like(a)
    y = np.empty_like(x)
    for t in range(x.shape[0]):
        state = np.exp(delta[t][:, None] * a) * state + (delta[t][:, None] * b[t][None, :]) * x[t][:, None]
        y[t] = matmul(state, c[t][:, None])[:, 0] + layer.skip * x[t]
    return y


def mamba_block(layer: Mamba, x: np.ndarray) -> np.ndarray:
    """Convolution and SiLU, the selective scan, then the SiLU gate of the input and the output projection."""
    y = selective_scan(layer, silu(causal_conv(layer, x)))
    return matmul(y * silu(matmul(x, layer.w_gate)), layer.w_out)


@implements("mamba_forward")
def mamba_forward(ctx, args):
    layer, value = checked("mamba_forward", args)[:2]
    x = sequence_input("mamba_forward", value, layer.d_model)
    return result_tensor(np.stack([mamba_block(layer, seq) for seq in x]), value.shape)


# ───────────────────────────── S4 ─────────────────────────────


class S4(ObjectValue):
    KIND = "s4_layer"
    state: int
    hidden: int
    a_bar: np.ndarray  # [N]: exp(dt A)
    b_bar: np.ndarray  # [N]: (exp(dt A) - 1) / A · B, zero-order hold
    c: np.ndarray  # [hidden, N]
    skip: np.ndarray  # [hidden]

    def text(self) -> str:
        return f"S4(state={self.state}, hidden={self.hidden})"


@implements("s4_create")
def s4_create(ctx, args):
    checked("s4_create", args)
    n, h = _sizes("s4_create", args, 2)
    dt = to_float(args[2]) if len(args) > 2 else 0.01
    if not dt > 0.0:
        raise CharlError(f"s4_create() dt must be positive, got {display(dt)}")
    a = -(np.arange(n, dtype=np.float64) + 1.0) / 2.0
    a_bar = np.exp(dt * a)
    b_bar = (a_bar - 1.0) / a
    return S4(n, h, a_bar, b_bar, xavier(h, n, 0), np.ones(h))


def s4_scan(layer: S4, x: np.ndarray) -> np.ndarray:
    """Each feature runs its own diagonal SSM: `h_t = Ā h_{t-1} + B̄ x_t`, `y_t = C h_t + D x_t`."""
    state = np.zeros((layer.hidden, layer.state))
    y = np.empty_like(x)
    for t in range(x.shape[0]):
        state = layer.a_bar * state + layer.b_bar * x[t][:, None]
        y[t] = sequential_sum_last_axis(layer.c * state) + layer.skip * x[t]
    return y


@implements("s4_forward")
def s4_forward(ctx, args):
    layer, value = checked("s4_forward", args)[:2]
    x = sequence_input("s4_forward", value, layer.hidden)
    return result_tensor(np.stack([s4_scan(layer, seq) for seq in x]), value.shape)


# ───────────────────────────── mixture of experts ─────────────────────────────


class MoE(ObjectValue):
    KIND = "moe_layer"
    d_model: int
    d_ff: int
    experts: int
    top_k: int
    router: np.ndarray  # [d, experts]
    w1: np.ndarray  # [experts, d, d_ff]
    w2: np.ndarray  # [experts, d_ff, d]

    def text(self) -> str:
        return f"MoE(experts={self.experts}, top_k={self.top_k})"


@implements("moe_create")
def moe_create(ctx, args):
    d, ff, experts, top_k = _sizes("moe_create", args, 4)
    if top_k > experts:
        raise CharlError(f"moe_create() top_k {top_k} exceeds num_experts {experts}")
    block = d * ff
    w1 = np.stack([xavier(d, ff, d * experts + 2 * e * block) for e in range(experts)])
    w2 = np.stack([xavier(ff, d, d * experts + (2 * e + 1) * block) for e in range(experts)])
    return MoE(d, ff, experts, top_k, xavier(d, experts, 0), w1, w2)


def route(layer: MoE, x: np.ndarray) -> np.ndarray:
    """Each position goes to its top-k experts (ties to the lower index), weighted by a softmax over them."""
    logits = matmul(x, layer.router)
    out = np.zeros_like(x)
    for position in range(x.shape[0]):
        chosen = np.argsort(-logits[position], kind="stable")[: layer.top_k]
        weights = softmax_rows(logits[position][chosen])
        token = x[position][None, :]
        for weight, expert in zip(weights, chosen, strict=True):
            hidden = np.maximum(matmul(token, layer.w1[expert]), 0.0)
            out[position] = out[position] + weight * matmul(hidden, layer.w2[expert])[0]
    return out


@implements("moe_forward")
def moe_forward(ctx, args):
    layer, value = checked("moe_forward", args)[:2]
    x = sequence_input("moe_forward", value, layer.d_model)
    return result_tensor(np.stack([route(layer, seq) for seq in x]), value.shape)


# ───────────────────────────── LSTM and GRU ─────────────────────────────


class LSTM(ObjectValue):
    """Gates in the order input, forget, cell, output, as PyTorch lays out `weight_ih`."""

    KIND = "lstm"
    input_size: int
    hidden_size: int
    w: np.ndarray  # [input, 4H]
    u: np.ndarray  # [H, 4H]
    b: np.ndarray  # [4H]; the forget gate's bias starts at 1.0

    def text(self) -> str:
        return f"LSTM(input_size={self.input_size}, hidden_size={self.hidden_size})"


class GRU(ObjectValue):
    """Gates in the order reset, update, candidate."""

    KIND = "gru"
    input_size: int
    hidden_size: int
    w: np.ndarray  # [input, 3H]
    u: np.ndarray  # [H, 3H]
    b: np.ndarray  # [3H]

    def text(self) -> str:
        return f"GRU(input_size={self.input_size}, hidden_size={self.hidden_size})"


@implements("lstm_create")
def lstm_create(ctx, args):
    i, h = _sizes("lstm_create", args, 2)
    bias = np.zeros(4 * h)
    bias[h : 2 * h] = 1.0
    return LSTM(i, h, xavier(i, 4 * h, 0), xavier(h, 4 * h, i * 4 * h), bias)


@implements("gru_create")
def gru_create(ctx, args):
    i, h = _sizes("gru_create", args, 2)
    return GRU(i, h, xavier(i, 3 * h, 0), xavier(h, 3 * h, i * 3 * h), np.zeros(3 * h))


def _recurrent_input(name: str, value, input_size: int, *, accept_2d: bool) -> np.ndarray:
    tensor = expect_tensor(name, value)
    if len(tensor.shape) != 3 and not (accept_2d and len(tensor.shape) == 2):
        raise CharlError(
            f"{name}(): input must be 3-D [batch, seq, features], got shape {format_shape(tensor.shape)}"
        )
    data = tensor.data.reshape(tensor.shape if len(tensor.shape) == 3 else (1, *tensor.shape))
    if data.shape[2] != input_size:
        raise CharlError(
            f"{name}() expects {input_size} features per step, got shape {format_shape(tensor.shape)}"
        )
    return data


def lstm_run(layer: LSTM, x: np.ndarray) -> np.ndarray:
    """`[batch, seq, input]` → hidden states `[batch, seq, H]` from zero initial state."""
    batch, steps, _ = x.shape
    h_size = layer.hidden_size
    h = np.zeros((batch, h_size))
    c = np.zeros((batch, h_size))
    out = np.empty((batch, steps, h_size))
    for t in range(steps):
        z = matmul(x[:, t, :], layer.w) + matmul(h, layer.u) + layer.b
        i, f, g, o = (z[:, n * h_size : (n + 1) * h_size] for n in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out[:, t, :] = h
    return out


def gru_run(layer: GRU, x: np.ndarray) -> np.ndarray:
    """`r = σ(W_r x + U_r h)`, `z = σ(W_z x + U_z h)`, `ñ = tanh(W_n x + r ⊙ U_n h)`, `h' = (1−z) ñ + z h`."""
    batch, steps, _ = x.shape
    h_size = layer.hidden_size
    h = np.zeros((batch, h_size))
    out = np.empty((batch, steps, h_size))
    for t in range(steps):
        wx = matmul(x[:, t, :], layer.w) + layer.b
        uh = matmul(h, layer.u)
        r = sigmoid(wx[:, :h_size] + uh[:, :h_size])
        z = sigmoid(wx[:, h_size : 2 * h_size] + uh[:, h_size : 2 * h_size])
        candidate = np.tanh(wx[:, 2 * h_size :] + r * uh[:, 2 * h_size :])
        h = (1.0 - z) * candidate + z * h
        out[:, t, :] = h
    return out


@implements("lstm_forward")
def lstm_forward(ctx, args):
    layer, value = checked("lstm_forward", args)[:2]
    x = _recurrent_input("lstm_forward", value, layer.input_size, accept_2d=False)
    return result_tensor(lstm_run(layer, x), (x.shape[0], x.shape[1], layer.hidden_size))


@implements("gru_forward")
def gru_forward(ctx, args):
    """A 2-D `[seq, features]` input is read as one batch; the result is always 3-D (§8.14)."""
    layer, value = checked("gru_forward", args)[:2]
    x = _recurrent_input("gru_forward", value, layer.input_size, accept_2d=True)
    return result_tensor(gru_run(layer, x), (x.shape[0], x.shape[1], layer.hidden_size))
