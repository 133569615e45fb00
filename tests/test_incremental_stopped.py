"""Incremental checking across a change of the program's certain-failure state (LANGUAGE.md §4.6).

An edit that adds or removes the program's first certain error (a renamed variable) changes, for every later
item, whether its own errors are errors or "if reached" warnings. Items whose check never asked that
question where code certainly runs are reused anyway (`Reporter.asked_where_certain`); the others must be
checked again. Either way the result must equal a fresh check, in both directions of the edit.
"""

from __future__ import annotations

import pytest

from charl_core.analysis import Analysis, Workspace
from charl_core.check import check_tree
from charl_core.syntax.document import Document, TextChange
from tests.test_incremental import snapshot

# Line 0 toggles between a good and an undefined name; what follows exercises each way an item can depend
# on whether code certainly runs: certain errors, a call whose body certainly fails, a loop that surely
# runs and calls a function, errors in undecided branches, and items that ask nothing at all.
PROGRAM = """let first = 1
let total = first + 1
fn fails(n: int) {
    tensor_matmul(tensor_zeros([2, n]), tensor_zeros([3, 3]))
}
let zeros = tensor_zeros([4, 4])
let bad = fails(2)
let epoch = 0
while epoch < 3 {
    let t = fails(epoch)
    epoch = epoch + 1
}
if total > len([1, 2]) {
    print(undefined_here)
}
let shapes = tensor_matmul(zeros, tensor_zeros([5, 2]))
print(zeros, len([1, 2, 3]))
let later = [0.0; 40]
later[total] = 1.5
"""


def _toggle(text: str, name: str) -> TextChange:
    """Rename `first` in its `let` (line 0) to `name`: the read on line 1 becomes undefined, or defined."""
    end = text.index("\n")
    return TextChange(f"let {name} = 1", (0, 0), (0, end))


@pytest.mark.parametrize("names", [("firsu", "first"), ("firsu", "firsv", "first")])
def test_adding_and_removing_the_first_certain_error_matches_a_fresh_check(names: tuple[str, ...]) -> None:
    workspace = Workspace()
    workspace.open("file", PROGRAM, 0)
    snapshot(workspace.analysis("file"))
    document = Document(PROGRAM)
    for version, name in enumerate(names, start=1):
        change = _toggle(document.text, name)
        workspace.change("file", [change], version)
        document.apply_changes([change], version)
        assert snapshot(workspace.analysis("file")) == snapshot(Analysis.of_text(document.text)), name


def test_items_that_never_ask_are_reused_when_the_state_changes() -> None:
    """The first certain error moves earlier: items that ask nothing keep their result objects, the
    items with certain calls and certain errors are checked again, and the result equals a fresh one."""
    document = Document(PROGRAM)
    fresh_before, before = check_tree(document.tree, document.source)
    assert any(d.code == "E107" and d.is_error for d in fresh_before.diagnostics)
    document.apply_changes([_toggle(document.text, "firsu")], 1)
    result, after = check_tree(document.tree, document.source, before)
    kept = [new for old, new in zip(before.results, after.results, strict=True) if old is new]
    rechecked = [new for new in after.results if all(new is not old for old in before.results)]
    across = [r for r in kept if not r.stopped_before]  # checked before the old error, now after the new
    assert across and all(r.stopped_irrelevant for r in across)
    assert any(r.stopped_before and not r.stopped_irrelevant for r in rechecked)
    fresh, _ = check_tree(document.tree, document.source)
    assert result.diagnostics == fresh.diagnostics
    assert [d.code for d in result.diagnostics if d.is_error] == ["E101"]
