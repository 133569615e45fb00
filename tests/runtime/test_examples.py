"""The programs of `examples/` run under the real `charl run`, and what they print is checked against an
independent computation: the training programs re-implemented in NumPy (forward pass, the gradient rules of
LANGUAGE.md §6.6, functional SGD) from the same seeded weights, the scalar learner in plain Python.

NumPy's matmul sums in a blocked order while Charl sums sequentially (§6.9), so trained values agree to a
relative 1e-7 after thousands of steps (measured: about 1e-13), not bit for bit; the scalar learner uses the
same float operations in the same order as the Charl program and must match exactly.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from charl_core.runtime.printing import format_value
from charl_core.runtime.random import pseudo_random, randn_seeded
from tests.conftest import ROOT

RTOL = 1e-7


def run_example(name: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "run", str(ROOT / "examples" / name)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"CHARL_NO_GPU": "1", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


def numbers_after(line: str, prefix: str) -> list[float]:
    assert line.startswith(prefix), line
    text = line[len(prefix) :].strip().strip("[]")
    return [float(x) for x in text.replace(",", " ").split()]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def test_hello() -> None:
    assert run_example("hello.ch")[-2:] == [
        "squares: [0, 1, 4, 9, 16]",
        "m @ mᵀ = AutogradTensor([14.0, 32.0, 32.0, 77.0], shape=[2, 2])",
    ]


def test_scalar_learner_matches_plain_python_exactly() -> None:
    xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    ys = [2.0, 5.0, 8.0, 11.0, 14.0, 17.0]
    w = b = 0.0
    lines = []
    for step in range(2000):
        gw = gb = 0.0
        for x, y in zip(xs, ys, strict=True):
            err = w * x + b - y
            gw = gw + 2.0 * err * x
            gb = gb + 2.0 * err
        w = w - 0.02 * gw / float(len(xs))
        b = b - 0.02 * gb / float(len(xs))
        if step % 500 == 0:
            total = 0.0
            for x, y in zip(xs, ys, strict=True):
                err = w * x + b - y
                total = total + err * err
            lines.append(f"step {step} mse {format_value(total / float(len(xs)))}")
    lines.append(f"w ≈ {format_value(w)} b ≈ {format_value(b)}")
    assert run_example("scalar_learner.ch") == lines


def test_xor_training_matches_numpy() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    W1, b1 = randn_seeded(16, 42).reshape(2, 8), np.zeros(8)
    W2, b2 = randn_seeded(8, 7).reshape(8, 1), np.zeros(1)
    losses = []
    for epoch in range(2000):
        h = sigmoid(X @ W1 + b1)
        out = sigmoid(h @ W2 + b2)
        if epoch % 500 == 0:
            losses.append(np.mean((out - Y) ** 2))
        g_out = 2.0 / out.size * (out - Y) * out * (1.0 - out)  # MSELoss then Sigmoid (§6.6)
        g_h = (g_out @ W2.T) * h * (1.0 - h)
        W2, b2 = W2 - 0.5 * (h.T @ g_out), b2 - 0.5 * g_out.sum(axis=0)
        W1, b1 = W1 - 0.5 * (X.T @ g_h), b1 - 0.5 * g_h.sum(axis=0)
    final = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2).reshape(-1)

    lines = run_example("xor.ch")
    printed = [numbers_after(line, f"epoch {500 * k} loss")[0] for k, line in enumerate(lines[:4])]
    np.testing.assert_allclose(printed, losses, rtol=RTOL)
    predictions = numbers_after(lines[4], "predictions →")
    np.testing.assert_allclose(predictions, final, rtol=RTOL)
    assert [round(p) for p in predictions] == [0, 1, 1, 0]


def circle_dataset() -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.zeros((40, 2)), np.zeros((40, 2))
    for i in range(40):
        a, b = float(i % 8) - 3.5, float(i // 8) - 2.0
        xs[i] = (a / 3.5, b / 2.0)
        ys[i, 0 if a * a / 12.25 + b * b / 4.0 < 0.5 else 1] = 1.0
    return xs, ys


def test_mlp_classifier_matches_numpy() -> None:
    X, Y = circle_dataset()
    W1, b1 = randn_seeded(32, 7).reshape(2, 16), np.zeros(16)
    W2, b2 = randn_seeded(32, 777).reshape(16, 2), np.zeros(2)
    for _ in range(300):
        pre = X @ W1 + b1
        h = np.maximum(pre, 0.0)
        z = h @ W2 + b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        s = e / e.sum(axis=1, keepdims=True)
        loss = np.sum(-Y * np.log(np.clip(s, 1e-10, 1.0 - 1e-10))) / len(X)
        g_z = (s - Y) / len(X)  # CrossEntropyLogitsLoss (§6.6)
        g_h = (g_z @ W2.T) * (pre > 0.0)
        W2, b2 = W2 - 0.1 * (h.T @ g_z), b2 - 0.1 * g_z.sum(axis=0)
        W1, b1 = W1 - 0.1 * (X.T @ g_h), b1 - 0.1 * g_h.sum(axis=0)
    predicted = (np.maximum(X @ W1 + b1, 0.0) @ W2 + b2).argmax(axis=1)
    accuracy = float(np.mean(predicted == Y.argmax(axis=1)))

    lines = run_example("mlp_classifier.ch")
    assert numbers_after(lines[0], "final loss:")[0] == pytest.approx(loss, rel=RTOL)
    assert lines[1] == f"accuracy: {format_value(accuracy)}"
    assert accuracy >= 0.95


def test_cnn_forward_matches_numpy() -> None:
    pixels = np.zeros(72)
    for p in range(72):
        row, col = (p % 36) // 6, p % 6
        if row in (0, 5, 2) or col in (0, 5):
            pixels[p] = 1.0
    images = pixels.reshape(2, 1, 6, 6)
    kernels = (pseudo_random(36) * math.sqrt(2.0 / 9.0)).reshape(4, 1, 3, 3)  # He init (§7.3)
    features = np.zeros((2, 4, 4, 4))
    for i in range(4):
        for j in range(4):
            patch = images[:, :, i : i + 3, j : j + 3]
            features[:, :, i, j] = np.einsum("bchw,ochw->bo", patch, kernels)
    pooled = np.maximum(features, 0.0).reshape(2, 4, 2, 2, 2, 2).max(axis=(3, 5))
    scores = pooled.reshape(2, 16) @ randn_seeded(48, 2024).reshape(16, 3)
    probabilities = np.exp(scores[0] - scores[0].max()) / np.exp(scores[0] - scores[0].max()).sum()

    lines = run_example("cnn_forward.ch")
    assert lines[:2] == ["feature map shape: [2, 4, 4, 4]", "pooled shape: [2, 4, 2, 2]"]
    np.testing.assert_allclose(numbers_after(lines[2], "class scores:"), scores.reshape(-1), rtol=1e-12)
    np.testing.assert_allclose(
        numbers_after(lines[3], "class probabilities (image 1):"), probabilities, rtol=1e-12
    )


def test_attention_block() -> None:
    assert run_example("attention.ch") == [
        "output shape: [1, 4, 8]",
        "attention of the first token (causal: only itself): [1.0, 0.0, 0.0, 0.0]",
        "multi-head output shape: [1, 4, 8]",
    ]
