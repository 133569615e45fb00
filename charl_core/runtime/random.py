"""Randomness of LANGUAGE.md §7: the bit-exact seeded generator, the fixed initialiser sequence, and the
operating-system seeded generator of the unseeded builtins.

`tensor_randn_seeded` (§7.1) is Rust's `StdRng::seed_from_u64`: a ChaCha12 stream keyed by eight PCG32
words. Seeded training programs reproduce their documented results only with exactly these values, so the
stream is computed with NumPy uint32 arithmetic (which wraps modulo 2³² like the reference), one ChaCha
block per column, all blocks of a call at once. The Box–Muller transform then calls Python's `math`
functions element by element: §6.9 requires the platform libm, and NumPy's vectorised `log`/`cos` are not
guaranteed to round like it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_PCG_MULTIPLIER = 6364136223846793005
_PCG_INCREMENT = 11634580027462260723
_CHACHA_CONSTANTS = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)
_CHACHA_DOUBLE_ROUNDS = 6  # ChaCha12
_WORDS_PER_BLOCK = 16
_TWO_PI = 2.0 * math.pi  # exact: `2.0 * π * u2` evaluates `2.0 * π` first
_UNIT = 1.0 / (1 << 53)


def seed_key(seed: int) -> list[int]:
    """The eight 32-bit key words PCG32 derives from a 64-bit seed (§7.1 step 2); negative seeds wrap."""
    state, key = seed & _M64, []
    for _ in range(8):
        state = (state * _PCG_MULTIPLIER + _PCG_INCREMENT) & _M64
        word, rotation = (((state >> 18) ^ state) >> 27) & _M32, state >> 59
        key.append(((word >> rotation) | (word << ((32 - rotation) & 31))) & _M32)
    return key


def _rotate_left(x: np.ndarray, n: int) -> np.ndarray:
    return (x << np.uint32(n)) | (x >> np.uint32(32 - n))


def _quarter_round(s: list[np.ndarray], a: int, b: int, c: int, d: int) -> None:
    s[a] = s[a] + s[b]
    s[d] = _rotate_left(s[d] ^ s[a], 16)
    s[c] = s[c] + s[d]
    s[b] = _rotate_left(s[b] ^ s[c], 12)
    s[a] = s[a] + s[b]
    s[d] = _rotate_left(s[d] ^ s[a], 8)
    s[c] = s[c] + s[d]
    s[b] = _rotate_left(s[b] ^ s[c], 7)


def chacha12_words(key: list[int], count: int) -> np.ndarray:
    """The first `count` output words of the ChaCha12 stream with block counter 0, 1, … and a zero nonce
    (§7.1 step 3), as uint32, in the order the generator consumes them."""
    blocks = -(-count // _WORDS_PER_BLOCK)
    counters = np.arange(blocks, dtype=np.uint64)
    initial = [np.full(blocks, word, dtype=np.uint32) for word in (*_CHACHA_CONSTANTS, *key)]
    initial.append((counters & np.uint64(_M32)).astype(np.uint32))
    initial.append((counters >> np.uint64(32)).astype(np.uint32))
    initial += [np.zeros(blocks, dtype=np.uint32), np.zeros(blocks, dtype=np.uint32)]  # the nonce
    state = list(initial)
    for _ in range(_CHACHA_DOUBLE_ROUNDS):
        _quarter_round(state, 0, 4, 8, 12)
        _quarter_round(state, 1, 5, 9, 13)
        _quarter_round(state, 2, 6, 10, 14)
        _quarter_round(state, 3, 7, 11, 15)
        _quarter_round(state, 0, 5, 10, 15)
        _quarter_round(state, 1, 6, 11, 12)
        _quarter_round(state, 2, 7, 8, 13)
        _quarter_round(state, 3, 4, 9, 14)
    output = np.stack([s + i for s, i in zip(state, initial, strict=True)], axis=1)  # [blocks, 16]
    return output.reshape(-1)[:count]


def seeded_uniforms(seed: int, count: int) -> np.ndarray:
    """`count` uniforms in [0, 1): `(next_u64 >> 11) · 2⁻⁵³`, each `next_u64` two words, low half first."""
    words = chacha12_words(seed_key(seed), 2 * count).astype(np.uint64)
    u64 = words[0::2] | (words[1::2] << np.uint64(32))
    return (u64 >> np.uint64(11)).astype(np.float64) * _UNIT


def randn_seeded(count: int, seed: int) -> np.ndarray:
    """The data of `tensor_randn_seeded(shape, seed)` for a shape of `count` elements (§7.1): Box–Muller,
    cosine branch, two uniforms per element, nothing cached.

    Only `log` and `cos` go through libm one element at a time; `sqrt`, the products and the negation are
    correctly rounded IEEE operations, identical in NumPy."""
    uniforms = seeded_uniforms(seed, 2 * count)
    first = uniforms[0::2]
    zero = first == 0.0  # probability 2⁻⁵³ per element: ln(0) is -inf in the reference, an error in `math`
    logs = np.fromiter(map(math.log, np.where(zero, 1.0, first).tolist()), dtype=np.float64, count=count)
    logs[zero] = -math.inf
    cosines = np.fromiter(map(math.cos, (_TWO_PI * uniforms[1::2]).tolist()), dtype=np.float64, count=count)
    return np.sqrt(-2.0 * logs) * cosines


def pseudo_random(count: int) -> np.ndarray:
    """`pseudo_random(i)` for `i = 0 … count-1` (§7.3), the fixed sequence behind layer weights and dropout
    masks. `%` is the remainder of the reference (C `fmod`); every operand is non-negative here."""
    i = np.arange(count, dtype=np.float64)
    return 2.0 * (np.fmod(i * 9301.0 + 49297.0, 233280.0) / 233280.0) - 1.0


class UnseededRandom:
    """The generator behind `tensor_randn` and `tensor_rand` (§7.4): seeded by the operating system, or by
    `charl run --seed N` so that a run can be repeated. Its values are outside the compatibility promise."""

    __slots__ = ("_generator",)

    def __init__(self, seed: int | None) -> None:
        self._generator = np.random.default_rng(None if seed is None else seed & _M64)

    def uniform(self, count: int) -> np.ndarray:
        """Uniforms in [0, 1)."""
        return self._generator.random(count)

    def normal(self, count: int) -> np.ndarray:
        """N(0, 1) by Box–Muller, cosine branch, two uniforms per element, like the seeded generator. The
        first uniform is taken from (0, 1] so that its logarithm is finite."""
        u1 = 1.0 - self._generator.random(count)
        u2 = self._generator.random(count)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(_TWO_PI * u2)


def unseeded(ctx: Any) -> UnseededRandom:
    """The run's unseeded generator, created on first use from `ctx.seed`."""
    if ctx.random is None:
        ctx.random = UnseededRandom(ctx.seed)
    return ctx.random
