"""A real editor talks to charl-ls: Neovim, headless (route N of ../shared/EDITORS.md), opens a real
program, gets its diagnostics, a hover with a tensor shape and a definition (and formatting when the
server offers it), and writes what it saw to JSON, asserted here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from charl_core.analysis import Analysis

ROOT = Path(__file__).resolve().parents[2]
INIT = Path(__file__).with_name("init.lua")

PROGRAM = (ROOT / "examples" / "mlp_classifier.ch").read_text(encoding="utf-8") + (
    "let wrong = tensor_add(X, tensor_zeros([2, 40]))\n"  # a shape bug: [40, 2] vs [2, 40]
)


def position_of(text: str, needle: str) -> list[int]:
    index = text.index(needle)
    before = text[:index]
    return [before.count("\n"), index - (before.rfind("\n") + 1)]


@pytest.fixture(scope="module")
def neovim_saw(tmp_path_factory) -> dict:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail("nvim is not installed (apt-get install -y neovim; ../shared/EDITORS.md, route N)")
    work = tmp_path_factory.mktemp("neovim")
    source = work / "mlp.ch"
    source.write_text(PROGRAM, encoding="utf-8")
    spec = {
        "cmd": [sys.executable, "-m", "charl_ls.server"],
        "root": str(work),
        "hover": position_of(PROGRAM, "h, W2, b2)"),  # `h` in `nn_linear(h, W2, b2)`
        "definition": position_of(PROGRAM, "hidden_relu(X"),
    }
    (work / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    environment = dict(
        os.environ, CHARL_NVIM_SPEC=str(work / "spec.json"), CHARL_NVIM_OUT=str(work / "out.json")
    )
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        (work / name).mkdir()
        environment[name] = str(work / name)
    done = subprocess.run(
        [nvim, "--headless", "-i", "NONE", "-n", "-u", str(INIT), str(source)],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = work / "out.json"
    assert out.exists(), f"Neovim wrote nothing (exit {done.returncode}): {done.stderr[-2000:]}"
    saw = json.loads(out.read_text(encoding="utf-8"))
    assert done.returncode == 0 and not saw["errors"], saw["errors"]
    return saw


def test_neovim_shows_the_shape_error(neovim_saw: dict):
    line = PROGRAM.count("\n") - 1
    shown = [(d["lnum"], d["code"], d["severity"]) for d in neovim_saw["shown"]]
    assert (line, "E107", 1) in shown, neovim_saw["shown"]
    message = next(d["message"] for d in neovim_saw["shown"] if d["code"] == "E107")
    assert "[40, 2]" in message and "[2, 40]" in message


def test_neovim_hover_shows_the_tensor_shape(neovim_saw: dict):
    assert "tensor<float32, [40, 16]>" in neovim_saw["hover"]["contents"]["value"]


def test_neovim_definition_jumps_to_the_function(neovim_saw: dict):
    (target,) = neovim_saw["definition"]
    line, character = position_of(PROGRAM, "hidden_relu(x:")
    assert target["targetSelectionRange"]["start"] == {"line": line, "character": character}


def test_neovim_formatting(neovim_saw: dict):
    assert "formatting" in neovim_saw, "the server did not offer formatting (the formatter is part of Charl)"
    formatted = _apply(PROGRAM, neovim_saw["formatting"] or [])
    before, after = Analysis.of_text(PROGRAM), Analysis.of_text(formatted)
    assert [d.code for d in after.diagnostics()] == [d.code for d in before.diagnostics()]
    assert after.program == before.program, "formatting changed what the program means"


def _apply(text: str, edits: list[dict]) -> str:
    """Apply LSP text edits (the program is ASCII, so UTF-16 columns are string indices)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: dict) -> int:
        return starts[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[: offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]) :]
    return text
