"""LANGUAGE.md §8.14: the sequence layers' texts, shapes, determinism and errors, and each forward pass
against an independent NumPy formulation of the same architecture with the layer's own weights.

The references are written differently from the implementation on purpose (closed forms instead of
recurrences, `np.fft` instead of DFT matrices, einsum instead of the sequential kernels), so a slip in
either shows. Tolerances are relative 1e-9: the two only differ in summation order.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.library.sequence import rwkv_time_mix
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import to_text

load()
TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def tensor(*shape: int, seed: int = 0, requires_grad: bool = False) -> Tensor:
    data = np.random.default_rng(seed).standard_normal(int(np.prod(shape)))
    return Tensor(data, shape, requires_grad=requires_grad)


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


LAYERS = [
    ("linformer", (8, 2, 4, 2), "Linformer(d_model=8, heads=2, k=2)", (4, 8)),
    ("performer", (8, 16), "Performer(d_model=8, features=16)", (4, 8)),
    ("fnet", (8,), "FNet(d_model=8)", (2, 4, 8)),
    ("rwkv", (8,), "RWKV(d_model=8)", (5, 8)),
    ("mamba", (8, 4), "Mamba(d_model=8, d_state=4)", (2, 4, 8)),
    ("s4", (16, 8), "S4(state=16, hidden=8)", (6, 8)),
    ("moe", (8, 32, 4, 2), "MoE(experts=4, top_k=2)", (3, 8)),
]


@pytest.mark.parametrize(("prefix", "sizes", "text", "shape"), LAYERS)
def test_text_shape_determinism_and_cut(prefix, sizes, text, shape):
    layer = call(f"{prefix}_create", *sizes)
    assert to_text(layer) == text
    assert f"{prefix}_layer" == layer.KIND
    x = tensor(*shape, requires_grad=True)
    first = call(f"{prefix}_forward", layer, x)
    second = call(f"{prefix}_forward", call(f"{prefix}_create", *sizes), x)
    assert first.shape == shape
    assert np.array_equal(first.data, second.data)
    assert np.all(np.isfinite(first.data))
    assert not first.requires_grad and first.op is None
    assert not np.array_equal(first.data, x.data)  # a real transformation, not a copy of the input
    assert np.array_equal(x.data, tensor(*shape).data)  # the input is untouched


@pytest.mark.parametrize(("prefix", "sizes", "text", "shape"), LAYERS)
def test_batch_rows_are_independent_sequences(prefix, sizes, text, shape):
    layer = call(f"{prefix}_create", *sizes)
    batch = tensor(3, *shape[-2:], seed=4)
    whole = call(f"{prefix}_forward", layer, batch).data.reshape(3, -1)
    for row in range(3):
        single = Tensor(batch.data.reshape(3, -1)[row].copy(), shape[-2:])
        np.testing.assert_allclose(call(f"{prefix}_forward", layer, single).data, whole[row], **TOLERANCE)


@pytest.mark.parametrize("prefix", ["linformer", "performer", "fnet", "rwkv", "mamba", "s4", "moe"])
def test_rank_and_feature_errors(prefix):
    sizes = next(s for p, s, _, _ in LAYERS if p == prefix)
    layer = call(f"{prefix}_create", *sizes)
    with pytest.raises(CharlError) as error:
        call(f"{prefix}_forward", layer, tensor(4))
    assert error.value.message == f"{prefix}_forward() expects 2D or 3D tensor, got shape [4]"
    with pytest.raises(CharlError) as error:
        call(f"{prefix}_forward", layer, tensor(4, 3))
    assert error.value.message == f"{prefix}_forward() expects 8 features per position, got shape [4, 3]"


def test_mamba_default_state_and_documented_rank_error():
    assert to_text(call("mamba_create", 8)) == "Mamba(d_model=8, d_state=16)"
    with pytest.raises(
        CharlError, match=r"^mamba_forward\(\) expects 2D or 3D tensor, got shape \[1, 2, 3, 8\]$"
    ):
        call("mamba_forward", call("mamba_create", 8), tensor(1, 2, 3, 8))


def test_sizes_must_be_positive():
    with pytest.raises(CharlError, match=r"^lstm_create\(\) sizes must be positive, got 0$"):
        call("lstm_create", 3, 0)


# ───────────────────────────── references ─────────────────────────────


def _linformer_reference(layer, x, length):
    """Keys and values zero-padded to the layer's seq_len, then projected by the full E and F."""
    padded = np.vstack([x, np.zeros((layer.seq_len - length, x.shape[1]))])
    q, k, v = x @ layer.wq, layer.e @ (padded @ layer.wk), layer.f @ (padded @ layer.wv)
    heads = []
    for h in range(2):
        cols = slice(4 * h, 4 * h + 4)
        heads.append(softmax(q[:, cols] @ k[:, cols].T / 2.0) @ v[:, cols])
    return np.hstack(heads) @ layer.wo


@pytest.mark.parametrize("length", [5, 3])
def test_linformer_matches_low_rank_attention(length):
    layer = call("linformer_create", 8, 2, 5, 3)
    assert (layer.e.shape, layer.f.shape) == ((3, 5), (3, 5)) and not np.array_equal(layer.e, layer.f)
    x = tensor(length, 8, seed=1)
    expected = _linformer_reference(layer, x.data.reshape(length, 8), length)
    np.testing.assert_allclose(call("linformer_forward", layer, x).data, expected.ravel(), **TOLERANCE)


def test_linformer_sequence_longer_than_seq_len():
    with pytest.raises(CharlError) as error:
        call("linformer_forward", call("linformer_create", 8, 2, 4, 2), tensor(5, 8))
    assert error.value.message == "linformer_forward() sequence of 5 exceeds the layer's seq_len 4"


def test_linformer_and_performer_take_separate_q_k_v():
    layer = call("linformer_create", 8, 2, 6, 2)
    q, k, v = tensor(3, 8, seed=1), tensor(6, 8, seed=2), tensor(6, 8, seed=3)
    assert call("linformer_forward", layer, q, k, v).shape == (3, 8)
    assert call("performer_forward", call("performer_create", 8, 4), q, k, v).shape == (3, 8)
    with pytest.raises(CharlError, match="K, V matching shapes"):
        call("linformer_forward", layer, q, k, tensor(5, 8))
    with pytest.raises(CharlError, match=r"expects 2 or 4 arguments"):
        call("linformer_forward", layer, q, k)


def test_performer_is_favor_plus_linear_attention():
    layer = call("performer_create", 8, 16)
    x = tensor(6, 8, seed=2).data.reshape(6, 8)
    scale = 8**-0.25
    q, k, v = x @ layer.wq * scale, x @ layer.wk * scale, x @ layer.wv

    def phi(z):
        return np.exp(z @ layer.omega.T - (z * z).sum(axis=1, keepdims=True) / 2) / np.sqrt(16)

    expected = (phi(q) @ (phi(k).T @ v)) / (phi(q) @ phi(k).sum(axis=0))[:, None]
    out = call("performer_forward", layer, tensor(6, 8, seed=2)).data.reshape(6, 8)
    np.testing.assert_allclose(out, expected, rtol=1e-8)
    # Positive features make every output a convex combination of the value rows.
    assert np.all(out <= v.max(axis=0) + 1e-12) and np.all(out >= v.min(axis=0) - 1e-12)


def test_fnet_is_layer_norm_of_residual_plus_real_2d_fft():
    x = tensor(4, 8, seed=3).data.reshape(4, 8)
    mixed = x + np.real(np.fft.fft2(x))
    expected = (mixed - mixed.mean(axis=1, keepdims=True)) / np.sqrt(mixed.var(axis=1, keepdims=True) + 1e-5)
    out = call("fnet_forward", call("fnet_create", 8), tensor(4, 8, seed=3)).data
    np.testing.assert_allclose(out, expected.ravel(), rtol=1e-9, atol=1e-9)


def _layer_norm(x):
    return (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 1e-5)


def _shift(x, mix):
    return x * mix + np.vstack([np.zeros((1, x.shape[1])), x[:-1]]) * (1 - mix)


def _rwkv_time_mix(layer, x):
    """WKV in its closed form: a decayed, softmax-like average of all past values plus the bonus-weighted
    current one."""
    mk, mv, mr = layer.mix
    k, v, r = _shift(x, mk) @ layer.wk, _shift(x, mv) @ layer.wv, sigmoid(_shift(x, mr) @ layer.wr)
    wkv = np.empty_like(x)
    for t in range(len(x)):
        weights = [np.exp(-(t - 1 - i) * layer.decay + k[i]) for i in range(t)]
        current = np.exp(layer.bonus + k[t])
        numerator = sum(w * v[i] for i, w in enumerate(weights)) + current * v[t]
        wkv[t] = numerator / (sum(weights) + current)
    return (r * wkv) @ layer.wo


def test_rwkv_block_matches_the_closed_form_wkv_and_channel_mixing():
    layer = call("rwkv_create", 8)
    x = tensor(5, 8, seed=5).data.reshape(5, 8)
    x = x + _rwkv_time_mix(layer, _layer_norm(x))
    normed = _layer_norm(x)
    mk, mr = layer.channel_mix
    hidden = np.maximum(_shift(normed, mk) @ layer.channel_k, 0) ** 2
    expected = x + sigmoid(_shift(normed, mr) @ layer.channel_r) * (hidden @ layer.channel_v)
    out = call("rwkv_forward", layer, tensor(5, 8, seed=5)).data
    np.testing.assert_allclose(out, expected.ravel(), rtol=1e-9, atol=1e-10)


def test_rwkv_recurrence_stays_finite_where_the_closed_form_overflows():
    layer = call("rwkv_create", 4)
    x = np.full((3, 4), 5000.0)  # keys far beyond e^709: the closed form's sums overflow
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.all(np.isfinite(_rwkv_time_mix(layer, x)))
    assert np.all(np.isfinite(rwkv_time_mix(layer, x)))


def _silu(x):
    return x * sigmoid(x)


def test_mamba_block_matches_convolution_and_the_unrolled_selective_scan():
    layer = call("mamba_create", 4, 3)
    x = tensor(5, 4, seed=6).data.reshape(5, 4)
    conv = np.stack([np.convolve(x[:, j], layer.conv[::-1, j])[:5] for j in range(4)], axis=1)
    u = _silu(conv + layer.conv_bias)
    a = -np.exp(layer.a_log)
    delta = np.log1p(np.exp(u @ layer.w_delta + layer.delta_bias))
    b, c = u @ layer.w_b, u @ layer.w_c
    y = np.empty_like(u)
    for t in range(5):
        total = np.zeros(4)
        for s in range(t + 1):
            decay = np.exp(sum(delta[r][:, None] * a for r in range(s + 1, t + 1))) if s < t else 1.0
            total += ((decay * delta[s][:, None] * b[s][None, :]) * u[s][:, None]) @ c[t]
        y[t] = total + layer.skip * u[t]
    expected = (y * _silu(x @ layer.w_gate)) @ layer.w_out
    np.testing.assert_allclose(
        call("mamba_forward", layer, tensor(5, 4, seed=6)).data, expected.ravel(), **TOLERANCE
    )


def test_mamba_is_selective_the_step_depends_on_the_input():
    layer = call("mamba_create", 4, 3)
    quiet, loud = tensor(3, 4, seed=7), tensor(3, 4, seed=7)
    loud = Tensor(loud.data * 3.0, loud.shape)
    ratio = call("mamba_forward", layer, loud).data / call("mamba_forward", layer, quiet).data
    assert not np.allclose(ratio, ratio[0])  # a linear time-invariant SSM would scale exactly


def test_s4_matches_its_convolution_kernel():
    layer = call("s4_create", 6, 3, 0.05)
    x = tensor(7, 3, seed=8).data.reshape(7, 3)
    kernel = np.array([(layer.c * layer.a_bar**j * layer.b_bar).sum(axis=1) for j in range(7)])  # [7, 3]
    expected = np.array([sum(kernel[t - s] * x[s] for s in range(t + 1)) for t in range(7)]) + layer.skip * x
    np.testing.assert_allclose(
        call("s4_forward", layer, tensor(7, 3, seed=8)).data, expected.ravel(), **TOLERANCE
    )


def test_s4_dt_default_and_validation():
    assert np.allclose(call("s4_create", 4, 2).a_bar, np.exp(0.01 * -(np.arange(4) + 1.0) / 2))
    with pytest.raises(CharlError) as error:
        call("s4_create", 4, 2, -0.5)
    assert error.value.message == "s4_create() dt must be positive, got -0.5"
    with pytest.raises(CharlError, match=r"got 0$"):  # floats in messages use format D (§5.4)
        call("s4_create", 4, 2, 0.0)


def _expert(layer, e, x):
    return np.maximum(x @ layer.w1[e], 0.0) @ layer.w2[e]


def test_moe_routes_each_position_to_its_top_k_experts():
    layer = call("moe_create", 6, 10, 4, 2)
    x = tensor(5, 6, seed=9).data.reshape(5, 6)
    logits = x @ layer.router
    expected = np.zeros_like(x)
    for p in range(5):
        top = np.argsort(-logits[p], kind="stable")[:2]
        weights = softmax(logits[p][top])
        expected[p] = sum(w * _expert(layer, e, x[p]) for w, e in zip(weights, top, strict=True))
    np.testing.assert_allclose(
        call("moe_forward", layer, tensor(5, 6, seed=9)).data, expected.ravel(), **TOLERANCE
    )


def test_moe_with_all_experts_is_the_dense_mixture():
    layer = call("moe_create", 6, 10, 3, 3)
    x = tensor(2, 6, seed=10).data.reshape(2, 6)
    weights = softmax(x @ layer.router)
    dense = sum(weights[:, [e]] * np.stack([_expert(layer, e, row) for row in x]) for e in range(3))
    np.testing.assert_allclose(
        call("moe_forward", layer, tensor(2, 6, seed=10)).data, dense.ravel(), **TOLERANCE
    )
    with pytest.raises(CharlError, match="top_k 5 exceeds num_experts 3"):
        call("moe_create", 6, 10, 3, 5)


# ───────────────────────────── recurrent cells ─────────────────────────────


def test_lstm_cell_equations():
    layer = call("lstm_create", 3, 5)
    assert to_text(layer) == "LSTM(input_size=3, hidden_size=5)" and layer.KIND == "lstm"
    x = tensor(2, 4, 3, seed=11)
    out = call("lstm_forward", layer, x)
    assert out.shape == (2, 4, 5) and not out.requires_grad
    data = x.data.reshape(2, 4, 3)
    for b in range(2):
        h, c = np.zeros(5), np.zeros(5)
        for t in range(4):
            z = data[b, t] @ layer.w + h @ layer.u + layer.b
            i, f, g, o = sigmoid(z[:5]), sigmoid(z[5:10]), np.tanh(z[10:15]), sigmoid(z[15:])
            c = f * c + i * g
            h = o * np.tanh(c)
            np.testing.assert_allclose(out.data.reshape(2, 4, 5)[b, t], h, **TOLERANCE)
    assert np.array_equal(layer.b[5:10], np.ones(5))  # forget-gate bias 1


def test_gru_cell_equations():
    layer = call("gru_create", 3, 4)
    assert to_text(layer) == "GRU(input_size=3, hidden_size=4)" and layer.KIND == "gru"
    x = tensor(1, 6, 3, seed=12)
    out = call("gru_forward", layer, x).data.reshape(6, 4)
    h = np.zeros(4)
    for t, step in enumerate(x.data.reshape(6, 3)):
        wx, uh = step @ layer.w + layer.b, h @ layer.u
        r, z = sigmoid(wx[:4] + uh[:4]), sigmoid(wx[4:8] + uh[4:8])
        n = np.tanh(wx[8:] + r * uh[8:])
        h = (1 - z) * n + z * h
        np.testing.assert_allclose(out[t], h, **TOLERANCE)


def test_recurrent_shapes_and_errors():
    lstm, gru = call("lstm_create", 3, 5), call("gru_create", 3, 5)
    with pytest.raises(CharlError) as error:
        call("lstm_forward", lstm, tensor(4, 3))
    assert error.value.message == "lstm_forward(): input must be 3-D [batch, seq, features], got shape [4, 3]"
    # gru_forward reads a 2-D input as one batch and still answers [batch, seq, hidden].
    two_d = call("gru_forward", gru, tensor(4, 3, seed=1))
    three_d = call("gru_forward", gru, Tensor(tensor(4, 3, seed=1).data, (1, 4, 3)))
    assert two_d.shape == (1, 4, 5) and np.array_equal(two_d.data, three_d.data)
    with pytest.raises(CharlError) as error:
        call("gru_forward", gru, tensor(2, 4, 2))
    assert error.value.message == "gru_forward() expects 3 features per step, got shape [2, 4, 2]"
    assert np.array_equal(
        call("lstm_forward", lstm, tensor(2, 4, 3)).data, call("lstm_forward", lstm, tensor(2, 4, 3)).data
    )
