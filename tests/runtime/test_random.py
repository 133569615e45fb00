"""LANGUAGE.md §7: the seeded generator is bit-exact (test vectors of §7.2 and the pure-Python reference of
§7.1), `pseudo_random` is the fixed sequence of §7.3, and the unseeded generator of §7.4 is seeded by
`charl run --seed`."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core.builtins import lookup
from charl_core.runtime import random
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.values import to_text

load()


def call(name: str, *args, ctx: Context | None = None):
    return lookup(name).implementation(ctx or Context(out=io.StringIO()), list(args))


# ───────────────────────────── the pure-Python reference of §7.1, verbatim ─────────────────────────────

M32, M64 = 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF


def _rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & M32


def _qr(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & M32
    s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & M32
    s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & M32
    s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & M32
    s[b] = _rotl(s[b] ^ s[c], 7)


def _block(key, ctr):
    init = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574, *key, ctr & M32, ctr >> 32, 0, 0]
    s = init[:]
    for _ in range(6):
        _qr(s, 0, 4, 8, 12)
        _qr(s, 1, 5, 9, 13)
        _qr(s, 2, 6, 10, 14)
        _qr(s, 3, 7, 11, 15)
        _qr(s, 0, 5, 10, 15)
        _qr(s, 1, 6, 11, 12)
        _qr(s, 2, 7, 8, 13)
        _qr(s, 3, 4, 9, 14)
    return [(x + y) & M32 for x, y in zip(s, init, strict=True)]


def _key(seed):
    st, key = seed & M64, []
    for _ in range(8):
        st = (st * 6364136223846793005 + 11634580027462260723) & M64
        x, rot = (((st >> 18) ^ st) >> 27) & M32, st >> 59
        key.append(((x >> rot) | (x << ((32 - rot) & 31))) & M32)
    return key


def reference_randn_seeded(n, seed):
    key, ctr, buf, out = _key(seed), 0, [], []

    def u32():
        nonlocal ctr, buf
        if not buf:
            buf, ctr = _block(key, ctr), ctr + 1
        return buf.pop(0)

    def uniform():
        lo = u32()
        hi = u32()
        return ((lo | hi << 32) >> 11) * (1.0 / (1 << 53))

    for _ in range(n):
        u1 = uniform()
        u2 = uniform()
        out.append(math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2))
    return out


# ───────────────────────────── §7.2 test vectors ─────────────────────────────


def test_key_for_seed_42():
    words = ["7ba18fa4", "0a3d3258", "cca1b8ea", "b8140169", "75c88c2b", "54f7b418", "a16e448d", "f220dfe4"]
    assert random.seed_key(42) == [int(w, 16) for w in words]


def test_first_next_u64_and_uniforms_for_seed_42():
    lo, hi = random.chacha12_words(random.seed_key(42), 2).tolist()
    assert lo | hi << 32 == 0x86CC7763222724A2
    assert random.seeded_uniforms(42, 2).tolist() == [0.5265574090027738, 0.5427252099031439]


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        (
            42,
            [-1.0920367461723526, -0.7892423657138325, -2.234709428724135, 0.45579326716731466,
             2.014737525345475, -0.3745982081102117],
        ),
        (
            123,
            [1.078614339645989, -0.32558423749785154, 0.9310462279705108, 1.0032062506515953,
             -0.7666199493803347, 1.6889546422528474],
        ),
    ],
)  # fmt: skip
def test_tensor_randn_seeded_vectors(seed, expected):
    t = call("tensor_randn_seeded", [2, 3], seed)
    assert t.shape == (2, 3)
    assert t.data.tolist() == expected


def test_print_text_of_the_seed_42_tensor():
    assert to_text(call("tensor_randn_seeded", [2, 3], 42)) == (
        "AutogradTensor([-1.0920367461723526, -0.7892423657138325, -2.234709428724135, 0.45579326716731466, "
        "2.014737525345475, -0.3745982081102117], shape=[2, 3])"
    )


# ───────────────────────────── against the reference implementation ─────────────────────────────


@pytest.mark.parametrize(
    ("seed", "count"),
    [
        (0, 1),
        (1, 7),
        (7, 64),
        (777, 65),
        (2024, 257),
        (-1, 33),
        (2**63 - 1, 100),
        (-(2**63), 9),
        (12345, 1500),
    ],
)
def test_matches_the_reference_bit_for_bit(seed, count):
    assert random.randn_seeded(count, seed).tolist() == reference_randn_seeded(count, seed)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(-(2**63), 2**64 - 1), count=st.integers(0, 40))
def test_any_seed_and_count_match_the_reference(seed, count):
    assert random.randn_seeded(count, seed).tolist() == reference_randn_seeded(count, seed)


def test_the_stream_crosses_block_boundaries_like_the_reference():
    """Four elements use one 16-word block exactly; the fifth starts block 1 (counter low word 1)."""
    key = _key(5)
    expected = _block(key, 0) + _block(key, 1) + _block(key, 2)
    assert random.chacha12_words(key, 48).tolist() == expected
    assert random.chacha12_words(key, 20).tolist() == expected[:20]


def test_the_shape_matters_only_through_the_element_count():
    flat = call("tensor_randn_seeded", [6], 9).data
    assert call("tensor_randn_seeded", [3, 2], 9).data.tolist() == flat.tolist()
    assert call("tensor_randn_seeded", [1], 9).data.tolist() == flat[:1].tolist()


def test_a_million_samples_are_standard_normal():
    data = random.randn_seeded(1_000_000, 1)
    assert abs(float(np.mean(data))) < 0.005  # 5 standard errors (1/sqrt(1e6) = 0.001)
    assert abs(float(np.std(data)) - 1.0) < 0.005


def test_seed_must_be_an_integer():
    with pytest.raises(CharlError, match=r"^tensor_randn_seeded\(\) second argument must be an integer$"):
        call("tensor_randn_seeded", [2], 4.0)
    with pytest.raises(CharlError, match=r"^tensor_randn_seeded\(\) shape must contain integers$"):
        call("tensor_randn_seeded", [2.0], 4)


# ───────────────────────────── §7.3 pseudo_random ─────────────────────────────


def test_pseudo_random_is_the_fixed_sequence():
    expected = [2.0 * (math.fmod(i * 9301.0 + 49297.0, 233280.0) / 233280.0) - 1.0 for i in range(5000)]
    values = random.pseudo_random(5000)
    assert values.tolist() == expected
    assert values.min() >= -1.0
    assert values.max() < 1.0


# ───────────────────────────── §7.4 unseeded ─────────────────────────────


def test_unseeded_generator_is_created_lazily_and_seeded_by_the_run_seed():
    first, second = Context(out=io.StringIO(), seed=5), Context(out=io.StringIO(), seed=5)
    assert first.random is None
    a = call("tensor_randn", [4, 5], ctx=first)
    assert first.random is not None
    b = call("tensor_randn", [4, 5], ctx=second)
    assert a.shape == (4, 5)
    assert a.data.tolist() == b.data.tolist()
    assert call("tensor_randn", [20], ctx=first).data.tolist() != a.data.reshape(-1).tolist()


def test_unseeded_uniforms_lie_in_the_unit_interval():
    u = call("tensor_rand", [10_000], ctx=Context(out=io.StringIO(), seed=3)).data
    assert u.min() >= 0.0
    assert u.max() < 1.0
    assert abs(float(np.mean(u)) - 0.5) < 0.02


def test_unseeded_normals_are_finite_and_standard():
    z = call("tensor_randn", [100_000], ctx=Context(out=io.StringIO())).data
    assert np.isfinite(z).all()
    assert abs(float(np.mean(z))) < 0.02
    assert abs(float(np.std(z)) - 1.0) < 0.02
