"""LANGUAGE.md §8.11: attention builtins against straightforward NumPy code (1e-12 relative), against
reference loops in the §6.9 order (bit for bit), and their error messages."""

from __future__ import annotations

import io
import math
import textwrap

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.interpreter.run import run_program
from charl_core.runtime.library import load
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import kind_name

load()


def run(source: str, **context) -> tuple[int, str, str]:
    """Runs a real program in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = run_program(textwrap.dedent(source), "test.ch", Context(out=out, **context), err)
    return code, out.getvalue(), err.getvalue()


RTOL = 1e-12


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def tensor(values) -> Tensor:
    array = np.asarray(values, dtype=np.float64)
    return Tensor(array.reshape(-1).copy(), array.shape)


def fails(message: str, name: str, *args) -> None:
    with pytest.raises(CharlError) as caught:
        call(name, *args)
    assert caught.value.message == message


def softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention_numpy(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask > 0.5, scores, -np.inf)
    weights = softmax(scores)
    return weights @ v, weights


def as_array(t: Tensor) -> np.ndarray:
    return t.data.reshape(t.shape)


RNG = np.random.default_rng(7)
Q, K, V = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4)), RNG.normal(size=(2, 5, 6))


def test_scaled_attention_matches_numpy_and_returns_an_array_pair():
    result = call("attention_scaled", tensor(Q), tensor(K), tensor(V))
    assert (kind_name(result), len(result)) == ("array", 2)
    output, weights = attention_numpy(Q, K, V)
    assert (result[0].shape, result[1].shape) == ((2, 3, 6), (2, 3, 5))
    np.testing.assert_allclose(as_array(result[0]), output, rtol=RTOL)
    np.testing.assert_allclose(as_array(result[1]), weights, rtol=RTOL)
    alias = call("attention_scaled_dot_product", tensor(Q), tensor(K), tensor(V))
    assert alias[0].data.tolist() == result[0].data.tolist()


def test_scaled_attention_in_the_reference_order_bit_for_bit():
    """One row by hand: scores accumulate over d from 0.0 then `/ sqrt(d)`; softmax with `m = max`,
    `exp(s - m)` (libm), a sequential denominator; the output accumulates over the keys from 0.0."""
    result = call("attention_scaled", tensor(Q), tensor(K), tensor(V))
    scores = []
    for j in range(5):
        acc = 0.0
        for d in range(4):
            acc += Q[1, 2, d] * K[1, j, d]
        scores.append(acc / math.sqrt(4.0))
    peak = max(scores)
    exps = [math.exp(s - peak) for s in scores]
    total = 0.0
    for e in exps:
        total += e
    weights = [e / total for e in exps]
    assert as_array(result[1])[1, 2].tolist() == weights
    column = []
    for c in range(6):
        acc = 0.0
        for j in range(5):
            acc += weights[j] * V[1, j, c]
        column.append(acc)
    assert as_array(result[0])[1, 2].tolist() == column


def test_masked_positions_get_zero_weight():
    q = RNG.normal(size=(1, 4, 3))
    mask = call("attention_mask_causal", 4)
    result = call("attention_scaled", tensor(q), tensor(q), tensor(q), mask)
    output, weights = attention_numpy(q, q, q, as_array(mask)[None])
    np.testing.assert_allclose(as_array(result[1]), weights, rtol=RTOL)
    np.testing.assert_allclose(as_array(result[0]), output, rtol=RTOL)
    assert as_array(result[1])[0, 0].tolist() == [1.0, 0.0, 0.0, 0.0]
    unmasked = call("attention_scaled", tensor(q), tensor(q), tensor(q), None)
    assert (
        unmasked[1].data.tolist()
        == call("attention_scaled", tensor(q), tensor(q), tensor(q))[1].data.tolist()
    )


def test_only_mask_values_at_most_one_half_are_masked():
    q = RNG.normal(size=(1, 2, 3))
    mask = tensor([[0.5, 0.51], [float("nan"), 0.0]])
    weights = as_array(call("attention_scaled", tensor(q), tensor(q), tensor(q), mask)[1])
    assert weights[0, 0, 0] == 0.0
    assert weights[0, 0, 1] == 1.0
    assert weights[0, 1, 0] == 1.0  # NaN is not ≤ 0.5: that position stays


def test_causal_mask():
    assert call("attention_mask_causal", 3).data.tolist() == np.tril(np.ones((3, 3))).reshape(-1).tolist()
    assert call("attention_mask_causal", 1).shape == (1, 1)


def test_self_attention_with_square_projections_is_plain_attention():
    x = RNG.normal(size=(2, 3, 4))
    result = call("attention_self", tensor(x), 4, 4, 4)
    output, weights = attention_numpy(x, x, x)
    np.testing.assert_allclose(as_array(result[0]), output, rtol=RTOL)
    np.testing.assert_allclose(as_array(result[1]), weights, rtol=RTOL)


def test_self_attention_with_fixed_rectangular_projections():
    x = RNG.normal(size=(1, 3, 4))

    def projection(rows, columns):
        return (0.1 * np.sin(0.7 * np.arange(rows * columns))).reshape(rows, columns)

    wqk, wv, wo = projection(4, 2), projection(4, 3), projection(3, 4)
    result = call("attention_self", tensor(x), 4, 2, 3)
    attended, weights = attention_numpy(x @ wqk, x @ wqk, x @ wv)
    assert result[0].shape == (1, 3, 4)
    np.testing.assert_allclose(as_array(result[1]), weights, rtol=1e-10)
    np.testing.assert_allclose(as_array(result[0]), attended @ wo, rtol=1e-10)


def test_multi_head_attention_splits_features_into_heads():
    q, k, v = RNG.normal(size=(2, 3, 6)), RNG.normal(size=(2, 4, 6)), RNG.normal(size=(2, 4, 6))
    result = call("attention_multi_head", tensor(q), tensor(k), tensor(v), 6, 3)
    assert (result[0].shape, result[1].shape) == ((2, 3, 6), (2, 3, 3, 4))
    for h in range(3):
        features = slice(2 * h, 2 * h + 2)
        output, weights = attention_numpy(q[..., features], k[..., features], v[..., features])
        np.testing.assert_allclose(as_array(result[0])[..., features], output, rtol=RTOL)
        np.testing.assert_allclose(as_array(result[1])[:, h], weights, rtol=RTOL)
    alias = call("mha_forward", tensor(q), tensor(k), tensor(v), 6, 1)
    np.testing.assert_allclose(as_array(alias[0]), attention_numpy(q, k, v)[0], rtol=RTOL)


def test_multi_head_mask_is_shared_by_the_heads():
    x = RNG.normal(size=(1, 3, 4))
    mask = call("attention_mask_causal", 3)
    weights = as_array(call("attention_multi_head", tensor(x), tensor(x), tensor(x), 4, 2, mask)[1])
    for h in range(2):
        assert np.all(weights[0, h][np.triu_indices(3, 1)] == 0.0)


def test_positional_encoding_by_formula():
    pe = call("positional_encoding", 7, 6)
    assert pe.shape == (7, 6)
    table = pe.data.reshape(7, 6)
    for pos in range(7):
        for i in range(3):
            div = math.pow(10000.0, 2.0 * i / 6.0)
            assert table[pos, 2 * i] == math.sin(pos / div)
            assert table[pos, 2 * i + 1] == math.cos(pos / div)


def test_errors():
    fails("d_model must be even, got 5", "positional_encoding", 3, 5)
    fails("positional_encoding() seq_len must be at most 5000, got 5001", "positional_encoding", 5001, 4)
    fails(
        "attention_scaled(): query and key need the same feature size; query [2, 3, 4] vs key [2, 5, 3]",
        "attention_scaled",
        tensor(Q),
        tensor(K[..., :3]),
        tensor(V),
    )
    fails(
        "attention_scaled(): key and value need the same sequence length; key [2, 5, 4] vs value [2, 4, 6]",
        "attention_scaled",
        tensor(Q),
        tensor(K),
        tensor(V[:, :4]),
    )
    fails(
        "attention_scaled(): query and key need the same batch size; query [2, 3, 4] vs key [1, 5, 4]",
        "attention_scaled",
        tensor(Q),
        tensor(K[:1]),
        tensor(V),
    )
    fails(
        "attention_scaled(): mask [2, 2] has 4 elements, needs B·Lq·Lk = 30",
        "attention_scaled",
        tensor(Q),
        tensor(K),
        tensor(V),
        call("attention_mask_causal", 2),
    )
    fails(
        "attention_scaled(): query must be 3D [batch, seq, features], got [3, 4]",
        "attention_scaled",
        tensor(Q[0]),
        tensor(K),
        tensor(V),
    )
    fails(
        "attention_scaled() expects a tensor, got float",
        "attention_scaled",
        tensor(Q),
        tensor(K),
        tensor(V),
        1.0,
    )
    x = tensor(RNG.normal(size=(1, 2, 4)))
    fails(
        "attention_multi_head(): d_model 4 is not divisible by num_heads 3",
        "attention_multi_head",
        x,
        x,
        x,
        4,
        3,
    )
    fails(
        "attention_multi_head(): query features 4 don't match d_model 6; query [1, 2, 4]",
        "attention_multi_head",
        x,
        x,
        x,
        6,
        2,
    )
    fails(
        "attention_self(): input features 4 don't match d_model 8; input [1, 2, 4]",
        "attention_self",
        x,
        8,
        4,
        4,
    )


def test_program_indexes_the_result_pair():
    code, out, err = run(
        """
        let Q = tensor([1.0, 0.0, 0.0, 1.0], [1, 2, 2])
        let V = tensor([1.0, 2.0, 3.0, 4.0], [1, 2, 2])
        let res = attention_scaled(Q, Q, V, attention_mask_causal(2))
        print(type(res), len(res), tensor_shape(res[0]), tensor_shape(res[1]))
        print(res[1])
        let bad = attention_multi_head(Q, Q, V, 2, 3)
        """
    )
    assert out == (
        "array 2 [1, 2, 2] [1, 2, 2]\n"
        "AutogradTensor([1.0, 0.0, 0.3302384506733431, 0.6697615493266569], shape=[1, 2, 2])\n"
    )
    assert code == 1
    assert "attention_multi_head(): d_model 2 is not divisible by num_heads 3" in err
