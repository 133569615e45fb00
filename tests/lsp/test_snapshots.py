"""The unchecked view a query gets while its version's check is still running: everything but types,
and never a check of its own (in process: this is the server's internal contract with the analysis)."""

from __future__ import annotations

import threading

import pytest
from pygls.exceptions import JsonRpcContentModified

from charl_core.analysis import Analysis
from charl_ls.snapshots import Checks, Snapshot, UncheckedAnalysis

SOURCE = (
    "fn f(a: tensor<float32, [N]>) -> tensor<float32, [N]> {\n    return a\n}\nlet x = f(tensor_ones([3]))\n"
)


def test_unchecked_view_has_names_and_signatures_but_no_types():
    full = Analysis.of_text(SOURCE)
    view = UncheckedAnalysis(full)
    assert view.check is None
    hover = view.type_at(SOURCE.index("x ="))
    assert hover is not None and hover.name == "x" and hover.type is None
    signature = view.type_at(SOURCE.index("f(tensor"))
    assert signature.signature == "fn f(a: tensor<float32, [N]>) -> tensor<float32, [N]>"
    assert view.diagnostics() == []
    assert "check" not in full.__dict__, "the view must not run the checker of the full analysis"
    assert view.program is full.program and view.symbols is full.symbols


def test_view_waits_for_a_quick_check_and_shares_it():
    snapshot = Snapshot(Analysis.of_text(SOURCE), generation=1)
    checks = Checks(lambda _: True)
    try:
        view = snapshot.view(checks, wait_s=30)
        assert view is snapshot.analysis and snapshot.checked.is_set()
        assert view.type_at(SOURCE.index("x =")).type == "tensor<float32, [3]>"
    finally:
        checks.shutdown()


def test_view_answers_without_types_while_the_check_is_held_up():
    snapshot = Snapshot(Analysis.of_text(SOURCE), generation=1)
    release = threading.Event()
    checks = Checks(lambda _: release.wait(30) or True)  # the worker is busy until released
    try:
        view = snapshot.view(checks, wait_s=0.05)
        assert isinstance(view, UncheckedAnalysis)
        assert view.type_at(SOURCE.index("x =")).type is None
        release.set()
        assert checks.start(snapshot).result(timeout=30) is True
        assert snapshot.view(checks) is snapshot.analysis
    finally:
        release.set()
        checks.shutdown()


def test_a_stale_check_is_skipped():
    snapshot = Snapshot(Analysis.of_text(SOURCE), generation=1)
    checks = Checks(lambda _: False)
    try:
        assert checks.start(snapshot).result(timeout=30) is False
        assert not snapshot.checked.is_set() and "check" not in snapshot.analysis.__dict__
        with pytest.raises(JsonRpcContentModified):  # a pull for text that changed meanwhile
            snapshot.diagnostics(checks)
        assert "check" not in snapshot.analysis.__dict__
    finally:
        checks.shutdown()
