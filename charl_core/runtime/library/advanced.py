"""LANGUAGE.md §8.21: the advanced group, mostly stubs whose constants §8.21 fixes.

The three that compute: `task_difficulty` (mean absolute value), `task_sample_batch` (a prefix) and
`audio_mfcc`, a textbook MFCC: frames of `FRAME` samples (the whole waveform when shorter) every `HOP`, a Hann
window, the power spectrum by a real DFT (`kernels.matmul`), a triangular mel filterbank between 0 Hz and
Nyquist, the log, and an orthonormal DCT-II; the result is `[frames, num_coeffs]`.
"""

from __future__ import annotations

import math

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import matmul, sequential_sum
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import to_float
from charl_core.runtime.library.specialised import checked, count, display, numbers, result_tensor

FRAME = 256
HOP = 128
MEL_FILTERS = 26


@implements("curriculum_create")
def curriculum_create(ctx, args):
    return "CurriculumLearner"


@implements("task_difficulty")
def task_difficulty(ctx, args):
    features = args[0]
    if type(features) in (int, float):
        return abs(float(features))
    values = np.abs(numbers("task_difficulty", features))
    return sequential_sum(values) / values.size if values.size else 0.0


@implements("task_sample_batch")
def task_sample_batch(ctx, args):
    tasks, size = checked("task_sample_batch", args)[:2]
    return list(tasks[: max(count(size), 0)])


@implements("meta_adapt_lr")
def meta_adapt_lr(ctx, args):
    return 0.9 * to_float(checked("meta_adapt_lr", args)[1])


@implements("few_shot_classify")
def few_shot_classify(ctx, args):
    return 0


@implements("causal_graph_create")
def causal_graph_create(ctx, args):
    return "CausalGraph"


@implements("causal_add_edge")
def causal_add_edge(ctx, args):
    return args[0]


@implements("memory_consolidate_threshold")
def memory_consolidate_threshold(ctx, args):
    return args[1]


@implements("causal_intervene", "abductive_explain", "planning_search")
def empty_result(ctx, args):
    return []


@implements("counterfactual_generate")
def counterfactual_generate(ctx, args):
    return None


@implements("temporal_sequence_create")
def temporal_sequence_create(ctx, args):
    return "TemporalSequence"


@implements("temporal_align")
def temporal_align(ctx, args):
    return 0.85


@implements("planning_create_goal")
def planning_create_goal(ctx, args):
    return "Goal"


@implements("audio_spectrogram")
def audio_spectrogram(ctx, args):
    """The constant `[16, 8]` tensor of §8.21: element `i` is `sin(i / 128)`."""
    return result_tensor(np.sin(np.arange(128, dtype=np.float64) / 128.0), (16, 8))


def mel(hz: np.ndarray) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def mel_filterbank(filters: int, bins: int, sample_rate: float) -> np.ndarray:
    """`[filters, bins]` triangles equally spaced on the mel scale over `[0, sample_rate / 2]`."""
    edges_mel = np.linspace(0.0, mel(np.array(sample_rate / 2.0)), filters + 2)
    edges_hz = 700.0 * (10.0 ** (edges_mel / 2595.0) - 1.0)
    frequencies = np.linspace(0.0, sample_rate / 2.0, bins)
    bank = np.zeros((filters, bins))
    for m in range(filters):
        low, centre, high = edges_hz[m : m + 3]
        rising = (frequencies - low) / max(centre - low, 1e-12)
        falling = (high - frequencies) / max(high - centre, 1e-12)
        bank[m] = np.maximum(0.0, np.minimum(rising, falling))
    return bank


def dct_ii(n_in: int, n_out: int) -> np.ndarray:
    """`[n_in, n_out]` orthonormal DCT-II basis, so `x @ basis` gives the first `n_out` coefficients."""
    k = np.arange(n_out)[None, :]
    n = np.arange(n_in)[:, None]
    basis = np.cos(math.pi * k * (2 * n + 1) / (2 * n_in)) * math.sqrt(2.0 / n_in)
    basis[:, 0] /= math.sqrt(2.0)
    return basis


@implements("audio_mfcc")
def audio_mfcc(ctx, args):
    waveform, rate, coeffs = checked("audio_mfcc", args)[:3]
    signal = numbers("audio_mfcc", waveform)
    sample_rate, num_coeffs = to_float(rate), count(coeffs)
    if signal.size == 0 or not sample_rate > 0.0 or not 1 <= num_coeffs <= MEL_FILTERS:
        raise CharlError(
            f"audio_mfcc: needs a non-empty waveform, a positive sample_rate and 1 to {MEL_FILTERS} "
            f"coefficients, got {signal.size} samples, rate {display(sample_rate)}, {num_coeffs} coefficients"
        )
    frame = min(FRAME, signal.size)
    starts = range(0, signal.size - frame + 1, HOP if frame == FRAME else frame)
    window = 0.5 - 0.5 * np.cos(2.0 * math.pi * np.arange(frame) / frame)
    frames = np.stack([signal[s : s + frame] * window for s in starts])
    bins = frame // 2 + 1
    angles = 2.0 * math.pi * np.outer(np.arange(frame), np.arange(bins)) / frame
    real, imaginary = matmul(frames, np.cos(angles)), matmul(frames, np.sin(angles))
    power = (real * real + imaginary * imaginary) / frame
    energies = matmul(power, mel_filterbank(MEL_FILTERS, bins, sample_rate).T)
    features = matmul(np.log(energies + 1e-10), dct_ii(MEL_FILTERS, num_coeffs))
    return result_tensor(features, features.shape)
