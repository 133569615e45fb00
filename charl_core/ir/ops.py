"""The op vocabulary of ARCHITECTURE.md decision 4: every tensor operation the reference backend executes,
one enum in commented groups plus named sets.

The autograd graph (`runtime/autograd.py`) records these ops and its gradient rules are a table keyed by
them; the compilers will extend the enum with their own ops (fused kernels, casts) and read the same sets
to decide what fuses. The graph ops of LANGUAGE.md §6.3 (the ones tracked builtins record) and of
§9.3/§9.4 (operators and indexing) are members; which builtin records which op is a catalog fact
(`Builtin.gradient`).
"""

from __future__ import annotations

from enum import Enum


class Op(Enum):
    # ── elementwise binary, identical shapes (tensor_add … tensor_div, §6.3) ──
    ADD = "Add"
    SUB = "Sub"
    MUL = "Mul"
    DIV = "Div"
    # ── elementwise binary with NumPy broadcasting (the operators + - * /, §9.3) ──
    BADD = "BAdd"
    BSUB = "BSub"
    BMUL = "BMul"
    BDIV = "BDiv"
    # ── elementwise unary ──
    NEG = "Neg"
    RELU = "ReLU"
    SIGMOID = "Sigmoid"
    TANH = "Tanh"
    GELU = "GELU"
    LEAKY_RELU = "LeakyReLU"
    ELU = "ELU"
    ABS = "Abs"
    SQRT = "Sqrt"
    # ── reduce (all elements to one number, sequential from 0.0, §6.9) ──
    SUM = "Sum"
    MEAN = "Mean"
    MAX = "Max"
    MIN = "Min"
    SOFTMAX = "Softmax"  # a reduction (max, sum) followed by an elementwise division
    # ── movement (no arithmetic: elements are selected or reordered) ──
    RESHAPE = "Reshape"
    TRANSPOSE = "Transpose"
    CONCAT = "Concat"
    INDEX = "Index"  # t[i] on the first axis (§9.4)
    SLICE = "Slice"  # t[a..b] on the first axis (§9.4)
    EMBEDDING = "Embedding"  # rows of a matrix selected by index values
    # ── matrix products ──
    MATMUL = "MatMul"  # the @ operator (§9.3)
    LINEAR = "Linear"  # x·W + b with W shaped [in, out] (nn_linear)
    # ── losses (a [1] result; their gradients ignore the incoming gradient, §6.6) ──
    MSE_LOSS = "MSELoss"
    CROSS_ENTROPY_LOSS = "CrossEntropyLoss"
    CROSS_ENTROPY_LOGITS_LOSS = "CrossEntropyLogitsLoss"


ELEMENTWISE_BINARY = frozenset({Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.BADD, Op.BSUB, Op.BMUL, Op.BDIV})
BROADCASTING = frozenset({Op.BADD, Op.BSUB, Op.BMUL, Op.BDIV})
ELEMENTWISE_UNARY = frozenset(
    {Op.NEG, Op.RELU, Op.SIGMOID, Op.TANH, Op.GELU, Op.LEAKY_RELU, Op.ELU, Op.ABS, Op.SQRT}
)
ELEMENTWISE = ELEMENTWISE_BINARY | ELEMENTWISE_UNARY
REDUCE = frozenset({Op.SUM, Op.MEAN, Op.MAX, Op.MIN, Op.SOFTMAX})
MOVEMENT = frozenset({Op.RESHAPE, Op.TRANSPOSE, Op.CONCAT, Op.INDEX, Op.SLICE, Op.EMBEDDING})
MATRIX = frozenset({Op.MATMUL, Op.LINEAR})
LOSS = frozenset({Op.MSE_LOSS, Op.CROSS_ENTROPY_LOSS, Op.CROSS_ENTROPY_LOGITS_LOSS})

RECORDED = frozenset(
    {
        Op.ADD,
        Op.SUB,
        Op.MUL,
        Op.DIV,
        Op.BADD,
        Op.BSUB,
        Op.BMUL,
        Op.BDIV,
        Op.NEG,
        Op.MATMUL,
        Op.LINEAR,
        Op.RELU,
        Op.SIGMOID,
        Op.EMBEDDING,
        Op.CONCAT,
        Op.INDEX,
        Op.SLICE,
    }
    | LOSS
)
"""The ops the autograd graph records (§6.3, §9.3, §9.4); everything else cuts the graph (§6.4)."""
