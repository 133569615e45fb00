"""Shape rules of LANGUAGE.md §8.1–§8.5 (core, tensor creation and inspection, tensor operations,
activations): for each rule, known shapes give the exact result type, a certain failure gives E107 with the
run-time text, dimension variables give W206 or propagate, and unknown shapes report nothing (§4.4)."""

from __future__ import annotations

import pytest

from charl_core.builtins import activations, core, tensor_ops, tensors
from charl_core.builtins.spec import Call
from charl_core.types import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    STRING,
    UNKNOWN,
    ArrayType,
    BoolType,
    DimVar,
    FloatType,
    Grad,
    IntType,
    LegacyTensorType,
    StringType,
    TensorType,
    Type,
    union,
)

ENTRIES = {
    entry.name: entry
    for entry in core.BUILTINS + tensors.BUILTINS + tensor_ops.BUILTINS + activations.BUILTINS
}
N, M = DimVar("N"), DimVar("M")
YES, MAYBE = Grad.YES, Grad.MAYBE


def check(name: str, *arguments: Type) -> tuple[Type, list[tuple[str, str]]]:
    """The result type of `name(arguments…)` and its findings as (code, message) pairs."""
    entry = ENTRIES[name]
    call = Call(entry, arguments)
    return entry.result(call), [(finding.code, finding.message) for finding in call.findings]


def t(*shape, grad: Grad = Grad.NO, gpu: bool = False) -> TensorType:
    return TensorType(shape=shape, grad=grad, gpu=gpu)


def ints(*values: int) -> ArrayType:
    """An array literal of integer constants, as a shape or index list argument."""
    return ArrayType(INT, len(values), tuple(IntType(v) for v in values))


def floats(length: int | None) -> ArrayType:
    """A data array of floats of known (or unknown) length, like `[0.0; 80]`."""
    return ArrayType(FLOAT, length)


def test_the_five_sections_are_complete() -> None:
    sections = [entry.section for entry in ENTRIES.values()]
    assert {s: sections.count(s) for s in set(sections)} == {
        "8.1": 18,
        "8.2": 13,
        "8.3": 8,
        "8.4": 16,
        "8.5": 12,
    }


@pytest.mark.parametrize(
    ("name", "got", "message"),
    [
        ("tensor", 0, "tensor() expects 1-2 arguments: tensor(data, shape)"),
        ("tensor_full", 1, "tensor_full() expects 2 arguments: tensor_full([shape], value)"),
        ("tensor_mul", 3, "tensor_mul() expects 2 arguments: tensor_mul(tensor, scalar)"),
        ("nn_leaky_relu", 1, "nn_leaky_relu() expects 2 arguments: nn_leaky_relu(tensor, alpha)"),
        ("str", 2, "str() takes exactly 1 argument, got 2"),
        ("pop", 0, "pop() takes exactly 1 argument, got 0"),
        ("type", 2, "type() takes exactly 1 argument, got 2"),
    ],
)
def test_arity_messages(name: str, got: int, message: str) -> None:
    entry = ENTRIES[name]
    assert not entry.accepts_count(got)
    assert entry.arity_error(got) == message


def test_print_accepts_any_number_of_arguments() -> None:
    assert ENTRIES["print"].accepts_count(0) and ENTRIES["print"].accepts_count(12)


# ───────────────────────────── §8.1 ─────────────────────────────


def test_len_folds_arrays_strings_and_legacy_tensors() -> None:
    assert check("len", ints(1, 2, 3)) == (IntType(3), [])
    assert check("len", StringType("héllo")) == (IntType(6), [])  # UTF-8 bytes
    assert check("len", LegacyTensorType((2, 3))) == (IntType(6), [])
    assert check("len", ANY) == (INT, [])
    assert check("len", t(3)) == (
        INT,
        [("E106", "len() requires array, string, or tensor, got autograd_tensor")],
    )


def test_range_length_is_known_for_constant_arguments() -> None:
    assert check("range", IntType(5)) == (ArrayType(INT, 5), [])
    assert check("range", IntType(1), FloatType(10.7), IntType(3)) == (ArrayType(INT, 3), [])  # truncated
    assert check("range", IntType(3), IntType(0), IntType(-1)) == (ArrayType(INT, 3), [])
    assert check("range", IntType(0), INT) == (ArrayType(INT), [])
    assert check("range", IntType(0), IntType(3), IntType(0)) == (
        ArrayType(INT),
        [("E106", "range() step cannot be zero")],
    )


def test_type_names_a_certain_kind() -> None:
    assert check("type", IntType(1))[0] == StringType("integer")
    assert check("type", t(2, grad=YES))[0] == StringType("autograd_tensor")
    assert check("type", ANY)[0] == STRING


def test_min_max_give_an_integer_only_for_two_integers() -> None:
    assert check("min", IntType(3), IntType(1))[0] == IntType(1)
    assert check("min", FloatType(3.0), IntType(1))[0] == FloatType(1.0)
    assert check("max", IntType(1), FloatType(2.5))[0] == FloatType(2.5)
    assert check("max", INT, FLOAT)[0] == FLOAT
    assert check("max", INT, ANY)[0] == union(INT, FLOAT)


def test_abs_keeps_the_kind() -> None:
    assert check("abs", IntType(-3))[0] == IntType(3)
    assert check("abs", FLOAT)[0] == FLOAT
    assert check("abs", ANY)[0] == union(INT, FLOAT)


# ───────────────────────────── §8.2 ─────────────────────────────


def test_tensor_shape_must_match_the_data_length() -> None:
    assert check("tensor", floats(4), ints(2, 2)) == (t(2, 2), [])
    assert check("tensor", floats(3), ints(2, 2)) == (
        t(2, 2),
        [("E107", "tensor() shape [2, 2] (total: 4) does not match data length 3")],
    )
    assert check("tensor", floats(None), ints(2, 2)) == (t(2, 2), [])
    assert check("tensor", ANY, ANY) == (TensorType(), [])


def test_tensor_without_shape_is_one_dimensional() -> None:
    assert check("tensor", floats(3)) == (t(3), [])
    assert check("tensor", ANY) == (t(UNKNOWN), [])


def test_tensor_fills_a_single_unknown_dimension_from_the_data_length() -> None:
    n_by_two = ArrayType(INT, 2, (INT, IntType(2)))  # tensor(xs, [n, 2]) with n unknown
    assert check("tensor", floats(80), n_by_two) == (t(40, 2), [])
    assert check("tensor", floats(81), n_by_two) == (t(UNKNOWN, 2), [])


def test_tensor_from_array_has_its_own_message() -> None:
    assert check("tensor_from_array", floats(6), ints(2, 3)) == (t(2, 3), [])
    assert check("tensor_from_array", floats(3), ints(2, 2))[1] == [
        ("E107", "tensor_from_array() data length 3 doesn't match shape [2, 2] (expected 4)")
    ]
    assert check("tensor_from_array", floats(3), ArrayType(INT)) == (TensorType(), [])


def test_creators_take_the_spelled_shape() -> None:
    assert check("tensor_zeros", ints(4, 3)) == (t(4, 3), [])
    assert check("tensor_randn_seeded", ints(2, 3), IntType(42)) == (t(2, 3), [])
    assert check("tensor_full", ArrayType(INT, 2), FLOAT) == (t(UNKNOWN, UNKNOWN), [])
    assert check("tensor_eye", IntType(3)) == (t(3, 3), [])
    assert check("tensor_eye", INT) == (t(UNKNOWN, UNKNOWN), [])
    assert check("tensor_zeros_like", t(N, 3, grad=YES)) == (t(N, 3), [])
    assert check("tensor_zeros_like", floats(5)) == (ArrayType(FLOAT, 5), [])


def test_tensor_with_grad_is_a_grad_requiring_leaf() -> None:
    shape = ArrayType(FLOAT, 2, (FloatType(2.0), IntType(3)))  # integral floats are accepted
    assert check("tensor_with_grad", floats(6), shape) == (t(2, 3, grad=YES), [])
    assert check("tensor_with_grad", floats(6), ANY) == (TensorType(grad=YES), [])


def test_tensor_from_data_follows_its_flag() -> None:
    assert check("tensor_from_data", floats(4), ints(2, 2), BoolType(True))[0] == t(2, 2, grad=YES)
    assert check("tensor_from_data", floats(4), ints(2, 2), IntType(0))[0] == t(4)  # shape ignored
    assert check("tensor_from_data", floats(4), ints(2, 2), BOOL)[0] == TensorType(grad=MAYBE)
    assert check("tensor_from_data", floats(4), ints(4), BOOL)[0] == t(4, grad=MAYBE)


def test_tensor_from_scalar_is_a_legacy_tensor() -> None:
    assert check("tensor_from_scalar", FloatType(2.5))[0] == LegacyTensorType((1,))


# ───────────────────────────── §8.3 ─────────────────────────────


def test_tensor_shape_is_an_array_of_the_known_dimensions() -> None:
    assert check("tensor_shape", t(2, 3)) == (ints(2, 3), [])
    assert check("tensor_shape", t(N, 3)) == (ArrayType(INT, 2, (INT, IntType(3))), [])
    assert check("tensor_shape", TensorType()) == (ArrayType(INT), [])


def test_size_and_data_follow_the_element_count() -> None:
    assert check("tensor_size", t(2, 3)) == (IntType(6), [])
    assert check("tensor_size", LegacyTensorType((4,))) == (IntType(4), [])
    assert check("tensor_size", t(N, 3)) == (INT, [])
    assert check("tensor_get_data", t(2, 3, gpu=True)) == (ArrayType(FLOAT, 6), [])
    assert check("tensor_get_data", t(N)) == (ArrayType(FLOAT), [])


def test_tensor_item_needs_exactly_one_element() -> None:
    assert check("tensor_item", t(1, 1)) == (FLOAT, [])
    assert check("tensor_item", t()) == (FLOAT, [])
    assert check("tensor_item", t(3)) == (
        FLOAT,
        [("E107", "item() only works on 1-element tensors, got 3 elements")],
    )
    assert check("tensor_item", t(N)) == (FLOAT, [])
    assert check("tensor_item", ANY) == (FLOAT, [])


def test_tensor_get_checks_index_count_and_bounds() -> None:
    assert check("tensor_get", t(2, 3), ints(1, 2)) == (FLOAT, [])
    assert check("tensor_get", t(2, 3), ints(1)) == (
        FLOAT,
        [("E107", "Index length 1 doesn't match tensor dimensions 2")],
    )
    assert check("tensor_get", t(2, 3), ints(2, 0)) == (
        FLOAT,
        [("E107", "Index 2 out of bounds for dimension 0 (size 2)")],
    )
    assert check("tensor_get", t(2, 3), ints(0, -1)) == (
        FLOAT,
        [("E107", "Index 18446744073709551615 out of bounds for dimension 1 (size 3)")],
    )


def test_tensor_get_stops_at_what_it_cannot_decide() -> None:
    unknown_first = ArrayType(INT, 2, (INT, IntType(9)))
    assert check("tensor_get", t(2, 3), unknown_first) == (FLOAT, [])  # index 0 may fail first
    assert check("tensor_get", t(N, 3), ints(5, 1)) == (FLOAT, [])
    assert check("tensor_get", TensorType(), ints(5, 1)) == (FLOAT, [])


def test_tensor_set_keeps_the_tensor_type() -> None:
    assert check("tensor_set", t(N, 3, grad=YES), ints(0, 0), FLOAT) == (t(N, 3, grad=YES), [])
    assert check("tensor_set", ANY, ints(0), FLOAT) == (TensorType(grad=MAYBE), [])


def test_argmax_and_extrema_reject_empty_tensors() -> None:
    assert check("argmax", t(2, 5)) == (INT, [])
    assert check("argmax", t(0, 5)) == (INT, [("E107", "argmax() cannot operate on empty tensor")])
    assert check("tensor_max", t(0)) == (FLOAT, [("E107", "tensor_max() cannot operate on empty tensor")])
    assert check("tensor_min", t(N)) == (FLOAT, [])


# ───────────────────────────── §8.4 ─────────────────────────────


def test_tensor_mul_of_two_tensors_needs_identical_shapes() -> None:
    assert check("tensor_mul", t(2, 3), t(2, 3, grad=YES)) == (t(2, 3, grad=YES), [])
    assert check("tensor_mul", t(2, 3), t(3, 2))[1] == [
        ("E107", "tensor_mul(): shape mismatch [2, 3] vs [3, 2]")
    ]
    assert check("tensor_mul", t(N, 3), t(M, 3))[1] == [
        ("W206", "tensor_mul needs equal shapes; [N, 3] vs [M, 3] requires N == M")
    ]
    assert check("tensor_mul", t(N, 3), t(UNKNOWN, 3)) == (t(N, 3), [])


def test_tensor_mul_by_a_scalar_fails_on_grad_requiring_tensors_unless_shape_1() -> None:
    assert check("tensor_mul", t(2, 3), FloatType(2.0)) == (t(2, 3), [])
    assert check("tensor_mul", t(1, grad=YES), FLOAT) == (t(1, grad=YES), [])
    assert check("tensor_mul", t(2, grad=YES), FLOAT) == (
        t(2, grad=YES),
        [("E107", "Shape mismatch: [2] vs [1]")],
    )
    assert check("tensor_mul", t(grad=YES), INT)[1] == [("E107", "Shape mismatch: [] vs [1]")]
    warning = [("W204", "tensor_mul(t, scalar) on a tensor that requires grad fails unless t has shape [1]")]
    assert check("tensor_mul", t(N, grad=YES), FLOAT) == (t(N, grad=YES), warning)
    assert check("tensor_mul", t(2, grad=MAYBE), FLOAT) == (t(2, grad=MAYBE), warning)
    assert check("tensor_mul", TensorType(grad=YES), FLOAT)[1] == warning
    assert check("tensor_mul", t(2, gpu=True), FLOAT) == (t(2, gpu=True), [])


def test_tensor_mul_with_an_unknown_second_argument_keeps_the_shape() -> None:
    assert check("tensor_mul", t(2, 3), ANY) == (t(2, 3, grad=MAYBE), [])


def test_tensor_div_by_a_scalar_is_never_tracked() -> None:
    assert check("tensor_div", t(2, grad=YES), FloatType(2.0)) == (t(2), [])
    assert check("tensor_div", t(2), IntType(0)) == (t(2), [("E110", "tensor_div(): division by zero")])
    assert check("tensor_div", t(2, grad=YES), t(2)) == (t(2, grad=YES), [])
    assert check("tensor_div", t(2), t(3))[1] == [("E107", "tensor_div(): shape mismatch [2] vs [3]")]


def test_tensor_transpose_swaps_two_dimensions() -> None:
    assert check("tensor_transpose", t(2, 3, grad=YES)) == (t(3, 2), [])
    assert check("tensor_transpose", t(N, M)) == (t(M, N), [])
    assert check("tensor_transpose", t(2, 3, 4)) == (
        TensorType(),
        [("E107", "tensor_transpose() currently only supports 2D tensors")],
    )
    assert check("tensor_transpose", TensorType()) == (t(UNKNOWN, UNKNOWN), [])
    assert check("tensor_transpose", t(2, 3, gpu=True)) == (t(3, 2, gpu=True), [])


def tensors_array(*items: Type) -> ArrayType:
    return ArrayType(TensorType(), len(items), items)


def test_tensor_concat_joins_columns() -> None:
    assert check("tensor_concat", tensors_array(t(2, 1), t(2, 2)), IntType(1)) == (t(2, 3), [])
    assert check("tensor_concat", tensors_array(t(2, 1), t(2, 2, grad=YES)), IntType(1)) == (
        t(2, 3, grad=YES),
        [],
    )
    assert check("tensor_concat", tensors_array(t(N, 4)), INT) == (t(N, 4), [])
    assert check("tensor_concat", tensors_array(t(UNKNOWN, 1), t(N, 2)), IntType(1)) == (t(N, 3), [])


def test_tensor_concat_batch_sizes_must_agree() -> None:
    assert check("tensor_concat", tensors_array(t(3, 1), t(2, 1)), IntType(1))[1] == [
        ("E107", "tensor_concat(): batch size mismatch 3 vs 2")
    ]
    tracked = tensors_array(t(3, 1, grad=YES), t(2, 1))
    assert check("tensor_concat", tracked, IntType(1))[1] == [
        ("E107", "concat(): batch size mismatch 3 vs 2")
    ]
    assert check("tensor_concat", tensors_array(t(N, 1), t(M, 1)), IntType(1))[1] == [
        ("W206", "tensor_concat needs equal batch sizes; N vs M requires N == M")
    ]


def test_tensor_concat_only_supports_dim_1() -> None:
    assert check("tensor_concat", tensors_array(t(2, 1), t(2, 1)), IntType(0)) == (
        t(UNKNOWN, UNKNOWN),
        [("E107", "tensor_concat(): only dim=1 supported, got dim=0")],
    )


def test_tensor_concat_of_unknown_arrays_reports_nothing() -> None:
    assert check("tensor_concat", ArrayType(TensorType()), IntType(1)) == (t(UNKNOWN, UNKNOWN), [])
    assert check("tensor_concat", ANY, ANY) == (t(UNKNOWN, UNKNOWN, grad=MAYBE), [])
    same = ArrayType(t(4, 2), 3)  # three tensors of one shape, positions not tracked
    assert check("tensor_concat", same, IntType(1)) == (t(4, 6), [])


def test_gpu_input_gives_a_cpu_result_where_section_6_11_says_so() -> None:
    assert check("tensor_abs", t(2, 3, gpu=True)) == (t(2, 3), [])
    assert check("tensor_sqrt", t(N, grad=YES)) == (t(N), [])
    assert check("tensor_sin", LegacyTensorType((3,))) == (LegacyTensorType((3,)), [])


# ───────────────────────────── §8.5 ─────────────────────────────


@pytest.mark.parametrize(
    ("name", "argument", "result"),
    [
        ("nn_relu", t(N, 3, grad=YES), t(N, 3, grad=YES)),
        ("nn_sigmoid", t(2, grad=MAYBE), t(2, grad=MAYBE)),
        ("nn_tanh", t(N, 3, grad=YES), t(N, 3)),
        ("tensor_relu", t(4, grad=YES), t(4)),
        ("tensor_softmax", t(2, 3, gpu=True), t(2, 3, gpu=True)),
        ("nn_gelu", t(2, 3, gpu=True), t(2, 3)),
        ("nn_relu", ANY, TensorType(grad=MAYBE)),
        ("tensor_relu", ANY, TensorType()),
    ],
)
def test_activations_keep_the_shape_and_only_nn_relu_and_nn_sigmoid_track(name, argument, result) -> None:
    assert check(name, argument) == (result, [])


def test_activation_alpha_argument_does_not_change_the_shape() -> None:
    assert check("nn_leaky_relu", t(2, 3), FloatType(0.1)) == (t(2, 3), [])
    assert check("nn_elu", t(2, 3, gpu=True), FloatType(1.0)) == (t(2, 3), [])
