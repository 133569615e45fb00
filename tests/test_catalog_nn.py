"""Shape rules of the §8.6–§8.13 catalog entries (linear layer, embedding, losses, autograd, optimizers,
layers and CNN operations, attention, GPU, quantization): for each non-trivial rule, a call with known shapes
gives the exact result type, a certainly wrong call gives E107 with the run-time message, dimension
variables propagate or give W206, and unknown shapes report nothing."""

from __future__ import annotations

import pytest

from charl_core import builtins
from charl_core.builtins.spec import Call, Finding
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    NULL,
    STRING,
    UNKNOWN,
    ArrayType,
    BoolType,
    DimVar,
    FloatType,
    Grad,
    IntType,
    LegacyTensorType,
    ObjectType,
    StringType,
    TensorType,
    TupleType,
    Type,
    union,
)

N, B, IN, K, OUT, D, E = (DimVar(name) for name in ("N", "B", "I", "K", "O", "D", "E"))


def call(name: str, *arguments: Type) -> tuple[Type, list[Finding]]:
    """Applies the rule of `name` (an alias resolves to its entry) to argument types."""
    entry = builtins.lookup(name)
    assert entry is not None, name
    site = Call(entry, arguments)
    return entry.result(site), site.findings


def t(*shape, grad: Grad = Grad.NO, gpu: bool = False) -> TensorType:
    return TensorType(shape=tuple(shape), grad=grad, gpu=gpu)


def ints(*values: int) -> tuple[IntType, ...]:
    return tuple(IntType(value) for value in values)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def messages(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(finding.code, finding.message) for finding in findings]


# ───────────────────────────── §8.6 nn_linear ─────────────────────────────


@pytest.mark.parametrize(
    ("x", "w", "b", "expected"),
    [
        (t(3), t(3, 2), t(2), t(2)),
        (t(4, 3), t(3, 2), t(2), t(4, 2)),
        (t(B, IN), t(IN, OUT), t(OUT), t(B, OUT)),
        (t(B, 3), t(IN, OUT), t(2), t(B, 2)),  # the bias pins O; an integer may equal a variable
    ],
)
def test_nn_linear_result_shapes(x, w, b, expected) -> None:
    assert call("nn_linear", x, w, b) == (expected, [])


def test_nn_linear_is_tracked_when_any_input_requires_grad() -> None:
    result, _ = call("nn_linear", t(4, 3), t(3, 2, grad=Grad.YES), t(2))
    assert result == t(4, 2, grad=Grad.YES)
    result, _ = call("nn_linear", t(4, 3), t(3, 2), t(2, grad=Grad.MAYBE))
    assert result == t(4, 2, grad=Grad.MAYBE)


@pytest.mark.parametrize(
    ("x", "w", "b", "message"),
    [
        (t(3), t(2, 3), t(3), "nn_linear(): input features 3 doesn't match weight input 2"),
        (t(5, 3), t(3, 2), t(4), "nn_linear(): bias size 4 doesn't match output features 2"),
        (t(1, 3), t(3), t(2), "nn_linear(): invalid shapes - input: [1, 3], weight: [3], bias: [2]"),
        (
            t(2, 2, 3),
            t(3, 2),
            t(2),
            "nn_linear(): invalid shapes - input: [2, 2, 3], weight: [3, 2], bias: [2]",
        ),
    ],
)
def test_nn_linear_certain_mismatches_repeat_the_runtime_message(x, w, b, message) -> None:
    _, findings = call("nn_linear", x, w, b)
    assert messages(findings) == [("E107", message)]


def test_nn_linear_tracked_path_says_linear() -> None:
    _, findings = call("nn_linear", t(3), t(2, 3, grad=Grad.YES), t(3))
    assert messages(findings) == [("E107", "linear(): input features 3 doesn't match weight input 2")]


def test_nn_linear_different_dimension_variables_warn() -> None:
    result, findings = call("nn_linear", t(B, IN), t(K, OUT), t(OUT))
    assert codes(findings) == ["W206"]
    assert "I == K" in findings[0].message
    assert result == t(B, OUT)
    _, findings = call("nn_linear", t(B, IN), t(IN, OUT), t(E))
    assert codes(findings) == ["W206"] and "E == O" in findings[0].message


@pytest.mark.parametrize(
    "arguments",
    [
        (TensorType(), t(3, 2), t(2)),
        (t(4, 3), TensorType(), t(2)),
        (t(4, UNKNOWN), t(3, 2), t(2)),
        (t(4, 3), t(UNKNOWN, 2), t(UNKNOWN)),
        (ANY, ANY, ANY),
        (t(4, 3),),
    ],
)
def test_nn_linear_unknown_shapes_report_nothing(arguments) -> None:
    _, findings = call("nn_linear", *arguments)
    assert findings == []


def test_nn_linear_partial_knowledge_keeps_what_is_known() -> None:
    assert call("nn_linear", t(4, 3), TensorType(), t(2))[0] == t(4, 2)
    assert call("nn_linear", TensorType(), t(3, 2), t(2))[0] == TensorType()


def test_nn_linear_on_the_gpu_stays_there_untracked_and_mixing_is_an_error() -> None:
    gpu = dict(gpu=True)
    assert call("nn_linear", t(4, 3, **gpu), t(3, 2, **gpu), t(2, **gpu)) == (t(4, 2, gpu=True), [])
    _, findings = call("nn_linear", t(4, 3, **gpu), t(3, 2), t(2, **gpu))
    assert messages(findings) == [
        (
            "E106",
            "nn_linear(): Cannot mix CPU and GPU tensors. Use tensor_to_gpu() or tensor_to_cpu() to convert "
            "first.",
        )
    ]


# ───────────────────────────── §8.6 embedding, losses, nn_linear_forward ─────────────────────────────


@pytest.mark.parametrize(
    ("indices", "matrix", "expected"),
    [
        (t(3), t(5, 2), t(3, 2)),
        (t(2, 2), t(4, 2), t(4, 2)),  # indices are flattened: n = element count
        (t(), t(4, 2), t(1, 2)),
        (t(N), t(10, D), t(N, D)),
        (t(N, 2), t(10, D), t(UNKNOWN, D)),
        (TensorType(), t(4, 2), t(UNKNOWN, 2)),
        (t(3), TensorType(), t(3, UNKNOWN)),
        (t(3), t(4, 2, 1), t(3, UNKNOWN)),
    ],
)
def test_nn_embedding_shapes(indices, matrix, expected) -> None:
    assert call("nn_embedding", indices, matrix) == (expected, [])


def test_nn_embedding_is_tracked_through_the_matrix_only() -> None:
    assert call("nn_embedding", t(3, grad=Grad.YES), t(5, 2))[0].grad is Grad.NO
    assert call("nn_embedding", t(3), t(5, 2, grad=Grad.YES))[0].grad is Grad.YES


def test_losses_report_their_canonical_name_and_change_kind() -> None:
    result, findings = call("nn_mse_loss", t(2), t(1))
    assert messages(findings) == [("E107", "loss_mse(): shape mismatch - pred: [2], target: [1]")]
    assert result == FLOAT
    _, findings = call("nn_binary_cross_entropy", t(2, 3), t(3, 2))
    assert messages(findings) == [
        ("E107", "loss_cross_entropy(): shape mismatch - pred: [2, 3], target: [3, 2]")
    ]
    assert call("loss_mse", t(2, grad=Grad.YES), t(2)) == (TensorType(shape=(1,), grad=Grad.YES), [])
    assert call("loss_mse", t(2), t(2, grad=Grad.YES))[0] == FLOAT


def test_cross_entropy_logits_shapes_and_the_tracked_rank_limit() -> None:
    _, findings = call("nn_cross_entropy_logits", t(2, 3), t(3, 2))
    assert messages(findings) == [
        ("E107", "nn_cross_entropy_logits(): shape mismatch - logits: [2, 3], target: [3, 2]")
    ]
    result, findings = call("nn_cross_entropy_logits", t(2, 2, 3, grad=Grad.YES), t(2, 2, 3))
    assert messages(findings) == [("E107", "cross_entropy_loss_with_logits() expects 1D or 2D tensor")]
    assert result == TensorType(shape=(1,), grad=Grad.YES)
    # Untracked, any rank works (one global softmax); `maybe` is not certain either.
    assert call("nn_cross_entropy_logits", t(2, 2, 3), t(2, 2, 3)) == (FLOAT, [])
    assert call("nn_cross_entropy_logits", t(2, 2, 3, grad=Grad.MAYBE), t(2, 2, 3))[1] == []
    _, findings = call("nn_cross_entropy_logits", t(B, D), t(N, D))
    assert codes(findings) == ["W206"]
    assert call("nn_cross_entropy_logits", TensorType(grad=Grad.YES), t(2, 3))[1] == []


def test_nn_linear_forward_accepts_only_legacy_tensors() -> None:
    layer = ObjectType("linear_layer")
    assert call("nn_linear_forward", layer, LegacyTensorType((3,))) == (LegacyTensorType(), [])
    _, findings = call("nn_linear_forward", layer, t(3))
    assert messages(findings) == [("E106", "nn_linear_forward: second argument must be a Tensor")]
    assert call("nn_linear_forward", layer, ANY)[1] == []


# ───────────────────────────── §8.7 autograd ─────────────────────────────


@pytest.mark.parametrize(
    ("enabled", "grad"),
    [(BoolType(True), Grad.YES), (BoolType(False), Grad.NO), (BoolType(), Grad.MAYBE), (ANY, Grad.MAYBE)],
)
def test_tensor_requires_grad_takes_the_flag_from_a_constant(enabled, grad) -> None:
    assert call("tensor_requires_grad", t(N, 3), enabled) == (t(N, 3, grad=grad), [])


def test_gradient_reads_keep_shapes() -> None:
    assert call("tensor_grad", t(2, 3, grad=Grad.YES))[0] == LegacyTensorType((2, 3))
    assert call("tensor_zero_grad", t(N, grad=Grad.YES))[0] == t(N, grad=Grad.YES)
    assert call("tensor_update_inplace", t(2, 3), t(2, 3), FloatType(0.1))[0] == t(2, 3, grad=Grad.YES)
    assert call("tensor_backward", t(1, grad=Grad.YES)) == (NULL, [])


def test_tensor_set_grad_needs_one_number_per_element() -> None:
    assert call("tensor_set_grad", t(2), ArrayType(FLOAT, 2)) == (t(2), [])
    _, findings = call("tensor_set_grad", t(2), ArrayType(FLOAT, 3))
    assert messages(findings) == [("E107", "tensor_set_grad(): gradient size 3 doesn't match tensor size 2")]
    assert call("tensor_set_grad", t(N), ArrayType(FLOAT, 3)) == (t(N), [])
    assert call("tensor_set_grad", t(2), ArrayType(FLOAT)) == (t(2), [])


def test_manual_gradient_helpers_return_one_float_per_element() -> None:
    result, _ = call("autograd_compute_linear_grad", t(2), t(2, 3), t(3), ArrayType(FLOAT, 3))
    assert result == TupleType((ArrayType(FLOAT, 2), ArrayType(FLOAT, 6), ArrayType(FLOAT, 3)))
    assert call("autograd_compute_relu_grad", t(N), ArrayType(FLOAT))[0] == ArrayType(FLOAT)
    assert call("autograd_compute_mse_grad", t(2, 2), t(2, 2))[0] == ArrayType(FLOAT, 4)


def test_reset_graph_arity_message() -> None:
    entry = builtins.lookup("reset_graph")
    assert entry.accepts_count(0) and not entry.accepts_count(1)
    assert entry.arity_error(1) == "reset_graph() expects no arguments"


# ───────────────────────────── §8.8 optimizers ─────────────────────────────


def test_sgd_step_mirrors_the_params_array_position_by_position() -> None:
    params = ArrayType(ANY, 3, (t(2, 3, grad=Grad.YES), t(3, grad=Grad.MAYBE), ANY))
    result, findings = call("sgd_step", ObjectType("sgd_optimizer"), params)
    assert findings == []
    assert isinstance(result, ArrayType) and result.length == 3
    assert result.items == (t(2, 3, grad=Grad.YES), t(3, grad=Grad.YES), TensorType(grad=Grad.YES))
    assert result.element == TensorType(grad=Grad.YES)  # the join of differently shaped positions


def test_sgd_step_of_an_unknown_array_gives_grad_requiring_tensors() -> None:
    assert call("sgd_step", ANY, ANY)[0] == ArrayType(TensorType(grad=Grad.YES))
    result, _ = call("rmsprop_step", ANY, ArrayType(t(N, 4), 2))
    assert result == ArrayType(t(N, 4, grad=Grad.YES), 2)


def test_optimizer_settings_without_effect_warn() -> None:
    assert call("sgd_create", FloatType(0.1)) == (ObjectType("sgd_optimizer"), [])
    assert call("sgd_create", FloatType(0.1), IntType(0), FloatType(0.0))[1] == []
    _, findings = call("sgd_create", FloatType(0.1), FloatType(0.9))
    assert messages(findings) == [("W213", "sgd_step ignores momentum")]
    assert codes(call("adam_create", FloatType(0.1), FloatType(0.5))[1]) == ["W213"]
    assert call("adam_create", FloatType(0.1), FloatType(0.5), FloatType(0.9))[1] == []
    assert codes(call("adam_create", *(FloatType(0.1),) * 4)[1]) == ["W213"]
    result, findings = call(
        "adam_step", ObjectType("adam_optimizer"), ArrayType(ANY, 1, (t(3, grad=Grad.YES),))
    )
    assert codes(findings) == ["W213"]
    assert result == ArrayType(t(3, grad=Grad.YES), 1, (t(3, grad=Grad.YES),))


def test_optim_sgd_step_needs_one_gradient_per_element() -> None:
    assert call("optim_sgd_step", t(2, 2), ArrayType(FLOAT, 4), FloatType(0.1)) == (t(2, 2), [])
    _, findings = call("optim_sgd_step", t(2, 2), ArrayType(FLOAT, 3), FloatType(0.1))
    assert messages(findings) == [("E107", "optim_sgd_step(): gradient size 3 doesn't match params size 4")]
    assert call("optim_sgd_step", t(N, 2), ArrayType(FLOAT, 3), FloatType(0.1)) == (t(N, 2), [])
    assert call("optim_sgd_step", t(2, 2, grad=Grad.YES), ANY, ANY) == (t(2, 2), [])


def test_functional_optimizers_return_their_state_arrays() -> None:
    momentum, _ = call("optim_sgd_momentum_step", t(3), ArrayType(FLOAT, 3), ArrayType(FLOAT, 3), ANY, ANY)
    assert momentum == TupleType((t(3), ArrayType(FLOAT, 3)))
    zeros = ArrayType(FLOAT, 2)
    adam, _ = call("optim_adam_step", t(N), zeros, zeros, zeros, INT, FLOAT, FLOAT, FLOAT)
    assert adam == TupleType((t(N), zeros, zeros))
    assert call("tensor_clip_grad", ArrayType(FLOAT, 2), FLOAT)[0] == ArrayType(FLOAT, 2)


# ───────────────────────────── §8.9, §8.10 layers and CNN operations ─────────────────────────────


@pytest.mark.parametrize(
    ("x", "arguments", "expected"),
    [
        (t(1, 1, 4, 4), (1, 2, 3, 1, 0), t(1, 2, 2, 2)),
        (t(1, 1, 4, 4), (1, 1, 2, 2, 0), t(1, 1, 2, 2)),
        (t(1, 1, 4, 4), (1, 1, 3, 1, 1), t(1, 1, 4, 4)),
        (t(2, 2, 3, 3), (2, 3, 2, 1, 0), t(2, 3, 2, 2)),
        (t(N, 3, 32, D), (3, 16, 5, 1, 2), t(N, 16, 32, UNKNOWN)),
        (t(1, 1, 2, 2), (1, 1, 3, 1, 0), t(1, 1, UNKNOWN, UNKNOWN)),  # the window does not fit
    ],
)
def test_nn_conv2d_output_shape(x, arguments, expected) -> None:
    assert call("nn_conv2d", x, *ints(*arguments)) == (expected, [])


def test_nn_conv2d_channel_mismatch_is_certain() -> None:
    result, findings = call("nn_conv2d", t(1, 3, 8, 8), *ints(1, 4, 3, 1, 0))
    assert messages(findings) == [("E107", "nn_conv2d(): input channels 3 doesn't match in_channels 1")]
    assert result == t(1, 4, 6, 6)


@pytest.mark.parametrize(
    "arguments",
    [
        (t(1, D, 8, 8), *ints(1, 4, 3, 1, 0)),
        (TensorType(), *ints(1, 4, 3, 1, 0)),
        (t(1, 3, 8, 8), INT, INT, INT, INT, INT),
        (t(1, 3, 8, 8),),
    ],
)
def test_nn_conv2d_unknowns_report_nothing(arguments) -> None:
    assert call("nn_conv2d", *arguments)[1] == []


@pytest.mark.parametrize(
    ("name", "x", "kernel", "stride", "expected"),
    [
        ("nn_maxpool2d", t(1, 1, 4, 4), 2, 2, t(1, 1, 2, 2)),
        ("nn_maxpool2d", t(1, 1, 4, 4), 2, 0, t(1, 1, 2, 2)),  # stride 0 means stride = kernel
        ("nn_avgpool2d", t(1, 1, 4, 4), 3, 1, t(1, 1, 2, 2)),
        ("nn_maxpool2d", t(2, 3, 6, 6), 2, 2, t(2, 3, 3, 3)),
        ("nn_avgpool2d", t(B, D, 7, 6), 2, 2, t(B, D, 3, 3)),
    ],
)
def test_pooling_output_shape(name, x, kernel, stride, expected) -> None:
    assert call(name, x, IntType(kernel), IntType(stride)) == (expected, [])


@pytest.mark.parametrize(
    ("layer", "x", "expected"),
    [
        ("linear_layer", t(3), t(UNKNOWN)),
        ("linear_layer", t(B, 3), t(B, UNKNOWN)),
        ("conv2d_layer", t(B, 3, 8, 8), t(B, UNKNOWN, UNKNOWN, UNKNOWN)),
        ("maxpool2d_layer", t(2, 3, 8, 8), t(2, 3, UNKNOWN, UNKNOWN)),
        ("batchnorm_layer", t(4, 2), t(4, 2)),
        ("layernorm_layer", t(2, 5, 4), t(2, 5, 4)),
        ("dropout_layer", t(20), t(20)),
        ("linear_layer", t(2, 2, 3), TensorType()),
    ],
)
def test_layer_forward_knows_only_what_the_layer_kind_implies(layer, x, expected) -> None:
    assert call("layer_forward", ObjectType(layer), x) == (expected, [])


def test_layer_forward_never_tracks_and_keeps_gpu_input_a_gpu_tensor() -> None:
    assert call("layer_forward", ObjectType("dropout_layer"), t(4, grad=Grad.YES))[0] == t(4)
    assert call("layer_forward", ObjectType("dropout_layer"), t(4, gpu=True))[0] == t(4, gpu=True)
    assert call("layer_forward", ANY, t(4)) == (TensorType(), [])


# ───────────────────────────── §8.11 attention ─────────────────────────────


def pair(output: TensorType, weights: TensorType) -> tuple[TensorType, TensorType]:
    return output, weights


def attention_items(name: str, *arguments: Type) -> tuple[tuple[Type, ...] | None, list[Finding]]:
    result, findings = call(name, *arguments)
    assert isinstance(result, ArrayType) and result.length == 2
    return result.items, findings


def test_attention_scaled_shapes() -> None:
    q = t(1, 2, 2)
    assert attention_items("attention_scaled", q, q, q) == (pair(t(1, 2, 2), t(1, 2, 2)), [])
    q3 = t(1, 3, 2)
    assert attention_items("attention_scaled_dot_product", q3, q3, q3) == (pair(t(1, 3, 2), t(1, 3, 3)), [])
    assert attention_items("attention_scaled", t(B, N, D), t(B, K, D), t(B, K, E)) == (
        pair(t(B, N, E), t(B, N, K)),
        [],
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            (t(1, 2, 4), t(1, 3, 2), t(1, 3, 2)),
            "attention_scaled(): query and key need the same feature size; query [1, 2, 4] vs key [1, 3, 2]",
        ),
        (
            (t(1, 2, 4), t(1, 3, 4), t(1, 2, 4)),
            "attention_scaled(): key and value need the same sequence length; "
            "key [1, 3, 4] vs value [1, 2, 4]",
        ),
        (
            (t(2, 2, 4), t(1, 2, 4), t(2, 2, 4)),
            "attention_scaled(): query and key need the same batch size; query [2, 2, 4] vs key [1, 2, 4]",
        ),
        (
            (t(1, 2, 2), t(1, 2, 2), t(1, 2, 2), t(3)),
            "attention_scaled(): mask [3] has 3 elements, needs B·Lq·Lk = 4",
        ),
    ],
)
def test_attention_scaled_certain_mismatches(arguments, message) -> None:
    _, findings = attention_items("attention_scaled", *arguments)
    assert messages(findings) == [("E107", message)]


def test_attention_scaled_dimension_variables_and_unknowns() -> None:
    _, findings = attention_items("attention_scaled", t(B, N, D), t(B, K, E), t(B, K, E))
    assert codes(findings) == ["W206"] and "D == E" in findings[0].message
    for arguments in [
        (TensorType(), t(1, 2, 2), t(1, 2, 2)),
        (t(1, 2, UNKNOWN), t(1, 3, 2), t(1, 3, 2)),
        (t(1, 2, 2), t(1, 2, 2), t(1, 2, 2), NULL),
        (t(1, 2, 2), t(1, 2, 2), t(1, 2, 2), t(4, 4)),  # a larger mask is not certainly wrong
        (ANY, ANY),
    ]:
        assert call("attention_scaled", *arguments)[1] == []


def test_attention_multi_head_shapes_and_divisibility() -> None:
    x = t(1, 2, 4)
    assert attention_items("mha_forward", x, x, x, *ints(4, 2)) == (pair(t(1, 2, 4), t(1, 2, 2, 2)), [])
    assert attention_items("attention_multi_head", t(B, N, D), t(B, K, D), t(B, K, D), INT, IntType(8)) == (
        pair(t(B, N, D), t(B, 8, N, K)),
        [],
    )
    _, findings = attention_items("attention_multi_head", t(1, 2, 6), t(1, 2, 6), t(1, 2, 6), *ints(6, 4))
    assert messages(findings) == [
        ("E107", "attention_multi_head(): d_model 6 is not divisible by num_heads 4")
    ]
    assert call("attention_multi_head", x, x, x, INT, IntType(0))[1] == []


def test_attention_self_projects_back_to_d_model() -> None:
    x = t(1, 2, 4)
    assert attention_items("attention_self", x, *ints(4, 2, 2)) == (pair(t(1, 2, 4), t(1, 2, 2)), [])
    assert attention_items("attention_self", t(B, N, D), INT, INT, INT) == (pair(t(B, N, D), t(B, N, N)), [])


def test_positional_encoding_and_causal_mask_take_constant_sizes() -> None:
    assert call("positional_encoding", *ints(3, 4)) == (t(3, 4), [])
    assert call("positional_encoding", INT, IntType(8)) == (t(UNKNOWN, 8), [])
    assert call("attention_mask_causal", IntType(5)) == (t(5, 5), [])
    assert call("attention_mask_causal", IntType(-1)) == (t(UNKNOWN, UNKNOWN), [])


# ───────────────────────────── §8.12 GPU, §8.13 quantization ─────────────────────────────


def test_device_transfers() -> None:
    assert call("tensor_to_gpu", t(2, 3, grad=Grad.YES))[0] == t(2, 3, gpu=True)
    assert call("tensor_to_cpu", t(2, 3, gpu=True))[0] == t(2, 3)
    assert call("tensor_to_cpu", t(2, grad=Grad.YES))[0] == t(2, grad=Grad.YES)  # returned unchanged
    assert call("tensor_device", t(2))[0] == StringType("CPU")
    assert call("tensor_device", t(2, gpu=True))[0] == STRING


def test_quantized_tensor_info_types_each_position() -> None:
    result, _ = call("quantized_tensor_info", ObjectType("quantized_tensor"))
    assert result == ArrayType(union(STRING, INT), 3, (STRING, STRING, INT))
    assert call("quantize_model_weights", t(2, 2), ANY)[0] == ObjectType("quantized_tensor")
