"""§6.8 and §8.8: optimizer objects and their print texts, the functional steps (bit-exact against the
formulas written out in Python), the learning-rate schedules, and the error texts."""

from __future__ import annotations

import math

import pytest

from charl_core.runtime import autograd
from charl_core.runtime.errors import CharlError
from tests.runtime.optest import call, new_context, tensor


def trained_parameter(ctx, values: list[float]):
    """A grad-requiring parameter after one backward of `mse(p, 0)`: its gradient is `2/n * p`."""
    p = call(ctx, "tensor_requires_grad", tensor(values), True)
    call(ctx, "tensor_backward", call(ctx, "loss_mse", p, tensor([0.0] * len(values))))
    return p


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((0.1,), "SGD(lr=0.1, momentum=0, weight_decay=0)"),
        ((0.5, 0.9, 0.0001), "SGD(lr=0.5, momentum=0.9, weight_decay=0.0001)"),
        ((1,), "SGD(lr=1, momentum=0, weight_decay=0)"),
        ((2.0, 0.0, 0.00001), "SGD(lr=2, momentum=0, weight_decay=0.00001)"),
    ],
)
def test_sgd_text(args: tuple, text: str) -> None:
    assert call(new_context(), "sgd_create", *args).text() == text


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((0.001,), "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=0.00000001)"),
        ((0.01, 0.5), "Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=0.00000001)"),
        ((0.01, 0.8, 0.99), "Adam(lr=0.01, beta1=0.8, beta2=0.99, eps=0.00000001)"),
        ((0.1, 0.9, 0.999, 0.5), "Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=0.00000001)"),
    ],
)
def test_adam_text(args: tuple, text: str) -> None:
    assert call(new_context(), "adam_create", *args).text() == text


def test_rmsprop_text_and_kinds() -> None:
    ctx = new_context()
    assert call(ctx, "rmsprop_create", 0.01).text() == "RMSprop(lr=0.01, alpha=0.99, eps=0.00000001)"
    assert call(ctx, "sgd_create", 0.1).KIND == "sgd_optimizer"
    assert call(ctx, "adam_create", 0.1).KIND == "adam_optimizer"
    assert call(ctx, "rmsprop_create", 0.1).KIND == "rmsprop_optimizer"


def test_sgd_step_returns_fresh_leaves_and_ignores_momentum() -> None:
    ctx = new_context()
    p = trained_parameter(ctx, [1.0, -2.0])
    plain = call(ctx, "sgd_step", call(ctx, "sgd_create", 0.1), [p])
    heavy = call(ctx, "sgd_step", call(ctx, "sgd_create", 0.1, 0.9, 0.5), [p])
    g = [2.0 / 2 * 1.0, 2.0 / 2 * -2.0]
    assert plain[0].data.tolist() == [1.0 - 0.1 * g[0], -2.0 - 0.1 * g[1]]
    assert heavy[0].data.tolist() == plain[0].data.tolist()
    assert plain[0].id != p.id and plain[0].requires_grad
    assert autograd.graph_of(ctx).get(plain[0].id).grad.tolist() == [0.0, 0.0]
    assert p.data.tolist() == [1.0, -2.0]


def test_adam_step_is_a_first_step_every_time() -> None:
    ctx = new_context()
    p = trained_parameter(ctx, [1.0, -2.0, 0.5])
    result = call(ctx, "adam_step", call(ctx, "adam_create", 0.1), [p])[0]
    expected = []
    for value in [1.0, -2.0, 0.5]:
        g = 2.0 / 3 * (value - 0.0)
        m = 0.9 * 0.0 + (1.0 - 0.9) * g
        v = 0.999 * 0.0 + (1.0 - 0.999) * g * g
        m_hat, v_hat = m / (1.0 - 0.9), v / (1.0 - 0.999)
        expected.append(value - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8))
    assert result.data.tolist() == expected
    assert result.text() == "AutogradTensor([0.9000000015, -1.90000000075, 0.40000000299999994], shape=[3])"


def test_rmsprop_step_reads_the_own_buffer() -> None:
    ctx = new_context()
    p = trained_parameter(ctx, [1.0, 2.0])  # graph gradient [1, 2], own buffer zeros
    unchanged = call(ctx, "rmsprop_step", call(ctx, "rmsprop_create", 0.1), [p])[0]
    assert unchanged.data.tolist() == [1.0, 2.0]
    own = call(ctx, "tensor_set_grad", tensor([1.0], grad=True), [0.5])
    moved = call(ctx, "rmsprop_step", call(ctx, "rmsprop_create", 0.1), [own])[0]
    v = (1.0 - 0.99) * 0.5 * 0.5
    assert moved.data.tolist() == [1.0 - 0.1 * 0.5 / (math.sqrt(v) + 1e-8)]


def test_a_parameter_cut_from_the_graph_comes_back_unchanged() -> None:
    ctx = new_context()
    w1 = call(ctx, "tensor_requires_grad", tensor([1.0, -2.0]), True)
    w2 = call(ctx, "tensor_requires_grad", tensor([0.5, 0.5]), True)
    y = call(ctx, "tensor_add", call(ctx, "tensor_relu", w1), w2)  # tensor_relu cuts w1 off
    call(ctx, "tensor_backward", call(ctx, "loss_mse", y, tensor([0.0, 0.0])))
    updated = call(ctx, "sgd_step", call(ctx, "sgd_create", 0.5), [w1, w2])
    assert updated[0].data.tolist() == [1.0, -2.0] and updated[0].id != w1.id
    assert updated[1].data.tolist() == [0.5 - 0.5 * (2.0 / 2 * 1.5), 0.5 - 0.5 * (2.0 / 2 * 0.5)]


def test_functional_steps_match_their_formulas() -> None:
    ctx = new_context()
    p, g = tensor([1.0, 2.0, 3.0]), [0.5, -1.0, 2.0]
    expected = [pk - 0.1 * gk for pk, gk in zip([1.0, 2.0, 3.0], g, strict=True)]
    assert call(ctx, "optim_sgd_step", p, g, 0.1).data.tolist() == expected
    new_p, velocity = call(ctx, "optim_sgd_momentum_step", p, g, [1.0, 1.0, 1.0], 0.1, 0.9)
    assert velocity == [0.9 * 1.0 + x for x in g]
    assert new_p.data.tolist() == [v - 0.1 * u for v, u in zip([1.0, 2.0, 3.0], velocity, strict=True)]
    new_p, m, v = call(ctx, "optim_adam_step", p, g, [0.1, 0.1, 0.1], [0.2, 0.2, 0.2], 3, 0.01, 0.9, 0.999)
    for k, (pk, gk) in enumerate(zip([1.0, 2.0, 3.0], g, strict=True)):
        mk = 0.9 * 0.1 + (1.0 - 0.9) * gk
        vk = 0.999 * 0.2 + (1.0 - 0.999) * gk * gk
        assert (m[k], v[k]) == (mk, vk)
        bias1, bias2 = 1.0 - 0.9 * (0.9 * 0.9), 1.0 - 0.999 * (0.999 * 0.999)
        assert new_p.data[k] == pk - 0.01 * (mk / bias1) / (math.sqrt(vk / bias2) + 1e-8)


def test_clip_grad() -> None:
    ctx = new_context()
    assert call(ctx, "tensor_clip_grad", [3.0, 4.0], 1.0) == [3.0 * (1.0 / 5.0), 4.0 * (1.0 / 5.0)]
    assert call(ctx, "tensor_clip_grad", [3, 4], 5.0) == [3.0, 4.0]
    assert call(ctx, "tensor_clip_grad", [0.0, 0.0], 1.0) == [0.0, 0.0]


def test_schedules() -> None:
    ctx = new_context()
    assert [call(ctx, "step_lr", 0.1, e, 5, 0.5) for e in (0, 4, 5, 25)] == [0.1, 0.1, 0.05, 0.1 * 0.5**5]
    assert call(ctx, "exponential_lr", 0.1, 2, 0.9) == 0.1 * (0.9 * 0.9)
    assert call(ctx, "exponential_lr", 0.1, 3, 0.9) == 0.1 * (0.9 * (0.9 * 0.9))
    for epoch in (0, 5, 10, 15):
        t = min(epoch, 10)
        expected = 0.001 + (0.1 - 0.001) * (1.0 + math.cos(math.pi * t / 10)) / 2.0
        assert call(ctx, "cosine_annealing_lr", 0.1, 0.001, epoch, 10) == expected


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda ctx: call(ctx, "sgd_step", 1, []), "sgd_step() first argument must be SGDOptimizer"),
        (
            lambda ctx: call(ctx, "sgd_step", call(ctx, "sgd_create", 0.1), [1.0]),
            "sgd_step() params must be array of AutogradTensor",
        ),
        (
            lambda ctx: call(ctx, "sgd_step", call(ctx, "sgd_create", 0.1), [tensor([1.0])]),
            "sgd_step(): all parameters must have requires_grad=true",
        ),
        (
            lambda ctx: call(
                ctx, "sgd_step", call(ctx, "sgd_create", 0.1), [tensor([1.0], grad=True).copy_with(grad=None)]
            ),
            "sgd_step(): parameter has no gradient. Did you call tensor_backward()?",
        ),
        (
            lambda ctx: call(ctx, "optim_sgd_step", tensor([1.0, 2.0]), [1.0, 2.0, 3.0], 0.1),
            "optim_sgd_step(): gradient size 3 doesn't match params size 2",
        ),
        (
            lambda ctx: call(ctx, "cosine_annealing_lr", 0.1, 0.0, 1, 0),
            "cosine_annealing_lr() T_max must be > 0",
        ),
        (lambda ctx: call(ctx, "sgd_create", "fast"), "Cannot convert string to float"),
    ],
)
def test_error_messages(build, message: str) -> None:
    with pytest.raises(CharlError) as raised:
        build(new_context())
    assert raised.value.message == message
