"""Lexical facts of LANGUAGE.md §2 that the grammar cannot enforce by itself."""

from __future__ import annotations

INT64_MAX = 9_223_372_036_854_775_807
"""§2.3: integer literals are signed 64-bit; a larger literal is a parse error."""

STATEMENT_KEYWORDS = frozenset(
    {"let", "fn", "return", "if", "else", "for", "while", "match", "break", "continue"}
)

RESERVED_WORDS = STATEMENT_KEYWORDS | frozenset(
    {
        # §2.2, by group: literals and operators, type names, reserved for future use.
        "true", "false", "as", "and", "or", "not",
        "int32", "int64", "float32", "float64", "bool", "string", "tensor", "concept",
        "model", "layer", "layers", "autograd", "gradient", "dense", "activation",
        "relu", "sigmoid", "tanh", "softmax",
    }
)  # fmt: skip
"""Words that can never name a variable, parameter or function (§2.2). tree-sitter 0.22 treats keywords
contextually, so a reserved word in a name position parses as an identifier and is reported afterwards."""

EXPRESSION_KEYWORDS = frozenset({"tensor"})
"""Reserved words that are still ordinary identifiers in expression position (`tensor(…)`, §2.2)."""

RESERVED_WORD_HINTS = {
    "relu": "call `nn_relu(x)` (records gradients) or `tensor_relu(x)`",
    "sigmoid": "call `nn_sigmoid(x)` (records gradients) or `tensor_sigmoid(x)`",
    "tanh": "call `nn_tanh(x)` or `tensor_tanh(x)`",
    "softmax": "call `nn_softmax(x)` or `tensor_softmax(x)`",
    "string": "convert with `str(x)`",
    "model": "`model` blocks are not supported yet (LANGUAGE.md §9.6)",
    "layer": "choose another name",
    "gradient": "read gradients with `tensor_grad(t)`",
    "autograd": "`autograd(expr)` is a special form with exactly one argument",
}
"""What to write instead of a reserved word used as a name or called like a function."""
