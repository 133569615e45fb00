"""The type model (charl_core/types.py) and the shape algebra (charl_core/shapes.py)."""

from __future__ import annotations

from charl_core.shapes import (
    ShapeConflict,
    broadcast_shapes,
    matmul_2d,
    reshape_count,
    unify_dim,
    unify_shapes,
    window_output,
)
from charl_core.types import (
    ANY,
    FLOAT,
    INT,
    STRING,
    UNKNOWN,
    ArrayType,
    DimVar,
    FloatType,
    Grad,
    IntType,
    ObjectType,
    TensorType,
    TupleType,
    UnionType,
    display,
    element_count,
    join,
    kind_name,
    union,
)

N, M, K = DimVar("N"), DimVar("M"), DimVar("K")


def test_display_is_what_hover_shows() -> None:
    assert display(TensorType(shape=(16, 32))) == "tensor<float32, [16, 32]>"
    assert display(TensorType(shape=(N, 784), grad=Grad.YES)) == "tensor<float32, [N, 784]>, requires grad"
    assert (
        display(TensorType(shape=(UNKNOWN, 2), grad=Grad.MAYBE))
        == "tensor<float32, [_, 2]>, may require grad"
    )
    assert display(TensorType()) == "tensor<float32, [?]>"
    assert display(TensorType(shape=(2,), gpu=True)) == "gpu_tensor<float32, [2]>"
    assert display(ArrayType(FLOAT, 80)) == "[float; 80]"
    assert display(union(FLOAT, TensorType(shape=(1,), grad=Grad.YES))) == (
        "float | tensor<float32, [1]>, requires grad"
    )
    assert str(TupleType((INT, STRING))) == "(int, string)"


def test_kind_names_are_the_run_time_type_names() -> None:
    assert kind_name(IntType(3)) == "integer"
    assert kind_name(TensorType()) == "autograd_tensor"
    assert kind_name(TensorType(gpu=True)) == "gpu_tensor"
    assert kind_name(ObjectType("sgd_optimizer")) == "sgd_optimizer"
    assert kind_name(ANY) is None
    assert kind_name(union(INT, FLOAT)) is None


def test_join_drops_constants_and_differing_dimensions() -> None:
    assert join(IntType(0), IntType(0)) == IntType(0)
    assert join(IntType(0), IntType(1)) == INT
    assert join(TensorType(shape=(2, 3)), TensorType(shape=(2, 4))) == TensorType(shape=(2, UNKNOWN))
    assert join(TensorType(shape=(2,)), TensorType(shape=(2, 1))) == TensorType(shape=None)
    assert join(TensorType(grad=Grad.NO), TensorType(grad=Grad.YES)).grad is Grad.MAYBE
    assert join(INT, FLOAT) == UnionType(frozenset({INT, FLOAT}))
    assert join(INT, ANY) == ANY
    joined = join(ArrayType(FLOAT, 2, (FloatType(1.0), FLOAT)), ArrayType(FLOAT, 2, (FLOAT, FLOAT)))
    assert joined == ArrayType(FLOAT, 2, (FLOAT, FLOAT))


def test_union_flattens_and_collapses() -> None:
    assert union(INT) == INT
    assert union(union(INT, FLOAT), STRING) == UnionType(frozenset({INT, FLOAT, STRING}))
    assert union(INT, ANY) == ANY


def test_element_count() -> None:
    assert element_count((2, 3, 4)) == 24
    assert element_count(()) == 1
    assert element_count((2, N)) is None
    assert element_count(None) is None


def test_unify_dimensions() -> None:
    assert unify_dim(3, 3) == 3
    assert unify_dim(3, UNKNOWN) == 3
    assert unify_dim(N, 3) == 3
    assert unify_dim(3, 4) == ShapeConflict(3, 4)
    assert unify_dim(3, 4).certain
    assert not unify_dim(N, M).certain


def test_unify_shapes_requires_identical_shapes() -> None:
    assert unify_shapes((2, 3), (2, 3)) == (2, 3)
    assert unify_shapes((2, UNKNOWN), (UNKNOWN, 3)) == (2, 3)
    assert unify_shapes((2, 3), (3, 2)) == ShapeConflict(2, 3)
    assert unify_shapes((2,), (2, 1)) == ShapeConflict(1, 2)  # ranks
    assert unify_shapes((M, K), (K, N)) == ShapeConflict(M, K)
    assert unify_shapes(None, (2,)) == (2,)


def test_broadcasting_is_numpy_broadcasting() -> None:
    assert broadcast_shapes((2, 3), (3,)) == (2, 3)
    assert broadcast_shapes((2, 1), (1, 4)) == (2, 4)
    assert broadcast_shapes((), (5,)) == (5,)
    assert broadcast_shapes((2, 3), (4,)) == ShapeConflict(3, 4)
    assert broadcast_shapes((2, UNKNOWN), (5,)) == (2, UNKNOWN)
    assert broadcast_shapes((N, 3), (3,)) == (N, 3)


def test_matmul_reshape_and_windows() -> None:
    assert matmul_2d((2, 3), (3, 4)) == (2, 4)
    assert matmul_2d((2, 3), (4, 4)) == ShapeConflict(3, 4)
    assert matmul_2d((M, K), (K, N)) == (M, N)
    assert reshape_count((2, 3), (3, 2)) is None
    assert reshape_count((2, 3), (4,)) == ShapeConflict(6, 4)
    assert reshape_count((N, 3), (4,)) is None
    assert window_output(6, 3, 1) == 4
    assert window_output(4, 2, 2) == 2
    assert window_output(28, 5, 1, 2) == 28
    assert window_output(N, 3, 1) == UNKNOWN
