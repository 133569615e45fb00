"""Code actions through `Analysis.code_actions` at the `$0` cursor: the action with the given title is
applied and the resulting text compared; the result is then re-checked, so a fix must remove its
diagnostic without adding a syntax error (each before/after pair here is also in the docs)."""

from __future__ import annotations

import re
from pathlib import Path

from charl_core.analysis import Analysis
from charl_core.ast import Span
from charl_core.ide.code_actions import ActionKind, apply_edits, edit_distance


def actions_at(source: str) -> tuple[Analysis, list]:
    """The actions at the `$0` cursor, or over the whole text when there is none."""
    if "$0" not in source:
        analysis = Analysis.of_text(source)
        return analysis, list(analysis.code_actions(Span(0, len(analysis.source))))
    before, after = source.split("$0")
    analysis = Analysis.of_text(before + after)
    offset = len(before.encode())
    return analysis, list(analysis.code_actions(Span(offset, offset)))


def check(source: str, title: str, expected: str, *, preferred: bool | None = None) -> None:
    analysis, actions = actions_at(source)
    titles = [action.title for action in actions]
    chosen = next((action for action in actions if action.title == title), None)
    assert chosen is not None, f"no action {title!r} among {titles}"
    if preferred is not None:
        assert chosen.preferred is preferred
    fixed = apply_edits(analysis.source, chosen.edits).decode()
    assert fixed == expected
    after = Analysis.of_text(fixed)
    assert not after.tree.root_node.has_error
    if chosen.diagnostic is not None:
        code = chosen.diagnostic.code
        assert code not in {d.code for d in after.diagnostics()}, after.diagnostics()


TRAINING = """let W = tensor_requires_grad(tensor_randn_seeded([2, 2], 1), true)
let b = tensor_requires_grad(tensor_zeros([2]), true)
let x = tensor_randn_seeded([3, 2], 2)
let i = 0
while i < 3 {
    let h = {relu}(nn_linear(x, W, b))
    let loss = nn_mse_loss(h, x)
    tensor_backward(loss)
    i = i + 1
}
"""


def test_w202_replaces_the_graph_cutting_builtin_with_its_tracked_twin():
    check(
        TRAINING.replace("{relu}", "tensor_$0relu"),
        "Replace tensor_relu with nn_relu (records gradients)",
        TRAINING.replace("{relu}", "nn_relu"),
        preferred=True,
    )
    fixed = Analysis.of_text(TRAINING.replace("{relu}", "nn_relu"))
    assert not [d for d in fixed.diagnostics() if d.is_error]  # the loss is a tensor again: no E106


def test_w203_splits_the_print_at_each_newline():
    check(
        'let loss = 0.5\nif loss > 0.1 {\n    print("Loss:\\n$0", loss)\n}\n',
        "Split into one print per line",
        'let loss = 0.5\nif loss > 0.1 {\n    print("Loss:")\n    print(loss)\n}\n',
        preferred=True,
    )
    check(
        'print("$0\\nEpoch\\n\\nend", 3)\n',
        "Split into one print per line",
        'print()\nprint("Epoch")\nprint()\nprint("end", 3)\n',
    )


def test_w203_is_not_offered_where_splitting_would_change_more_than_lines():
    _, actions = actions_at('let s = "a\\n$0b"\nprint("C:\\\\n")\n')
    assert actions == []
    _, actions = actions_at('print("C:\\\\$0n")\n')
    assert actions == []


def test_e101_suggests_the_nearest_visible_names_and_builtins():
    check(
        "let weights = 3\nprint(weigt$0hs + 1)\n",
        "Change to 'weights'",
        "let weights = 3\nprint(weights + 1)\n",
        preferred=True,
    )
    check(
        "let y = nn_rel$0uu(tensor([1.0], [1]))\n",
        "Change to 'nn_relu'",
        "let y = nn_relu(tensor([1.0], [1]))\n",
        preferred=True,
    )


def test_e101_never_suggests_a_name_not_yet_visible():
    _, actions = actions_at("print(valu$0e)\nlet value = 1\n")
    assert "Change to 'value'" not in [action.title for action in actions]


def test_w207_renames_the_shadowed_function_and_its_calls():
    source = "fn lin$0ear(x: int) { x * 2 }\nprint(linear(2, 3))\n"
    check(
        source,
        "Rename fn linear to my_linear and call it instead of the builtin",
        "fn my_linear(x: int) { x * 2 }\nprint(my_linear(2, 3))\n",
    )
    check(source, "Remove fn linear", "print(linear(2, 3))\n")
    nested = "fn outer() {\n    linear(1, 2)\n    fn lin$0ear(x: int) { x }\n    linear(1, 2)\n}\nouter()\n"
    check(
        nested,
        "Rename fn linear to my_linear and call it instead of the builtin",
        "fn outer() {\n    linear(1, 2)\n    fn my_linear(x: int) { x }\n    my_linear(1, 2)\n}\nouter()\n",
    )  # a nested `fn` exists only from its statement on: the call before it keeps the builtin


def test_w208_calls_main_or_removes_the_function():
    source = 'let x = 1\nfn ma$0in() {\n    print("hi")\n}'
    check(
        source, "Call main() at the end of the file", source.replace("$0", "") + "\nmain()\n", preferred=True
    )
    check(source, "Remove fn main", "let x = 1\n")
    _, actions = actions_at("fn helper$0(a: int) { a }\n")
    assert [action.title for action in actions] == ["Remove fn helper"]


def test_add_type_annotation_with_the_inferred_shape():
    check(
        "let $0h = tensor_matmul(tensor_zeros([4, 3]), tensor_ones([3, 5]))\n",
        "Add type annotation: tensor<float32, [4, 5]>",
        "let h: tensor<float32, [4, 5]> = tensor_matmul(tensor_zeros([4, 3]), tensor_ones([3, 5]))\n",
    )
    _, actions = actions_at("let $0h = tensor_matmul(tensor_zeros([4, 3]), tensor_ones([3, 5]))\n")
    assert [action.kind for action in actions] == [ActionKind.REWRITE]


def test_no_annotation_for_scalars_annotated_lets_or_inside_the_value():
    for source in (
        "let $0n = 3\n",
        "let $0x: tensor<float32, [2]> = tensor_zeros([2])\n",
        "let x = tensor_zeros([$02])\n",
        "let $0x = tensor_zeros([2]\n",
        "let $0g = tensor_to_gpu(tensor_zeros([2]))\n",  # no annotation spells a GPU tensor
    ):
        assert actions_at(source)[1] == [], source


def test_edit_distance_counts_the_usual_typos():
    assert edit_distance("weigths", "weights", 2) == 1  # transposition
    assert edit_distance("nn_reluu", "nn_relu", 2) == 1
    assert edit_distance("lose", "loss", 1) == 1
    assert edit_distance("x", "tensor_zeros", 3) is None


DOCS = Path(__file__).resolve().parents[2] / "docs" / "language-server-features.md"
_DOCUMENTED = re.compile(
    r"<!-- action: (.+?) -->\n```charl\n(.*?)```\nbecomes\n```charl\n(.*?)```", re.DOTALL
)


def test_every_documented_before_and_after_pair():
    """docs/language-server-features.md: each `<!-- action: … -->` pair, applied at the `$0` cursor, or
    over the whole text when the example has none."""
    pairs = _DOCUMENTED.findall(DOCS.read_text())
    assert len(pairs) >= 8, "the documented examples were not found"
    for title, before, after in pairs:
        check(before, title, after)
