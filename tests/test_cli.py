"""`charl check` and `charl parse` through the real console script, as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from charl_core import sources
from tests.conftest import EXAMPLES, ROOT

CHARL = shutil.which("charl") or pytest.fail("the `charl` console script is not installed (pip install -e .)")

BROKEN = 'let x = (1\nlet y = [1, 2,]\nlet é = "🚀" + 1 +\n'


def charl(
    *arguments: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHARL, *arguments], input=stdin, capture_output=True, cwd=cwd or ROOT, timeout=60, check=False
    )


def test_check_examples_directory_succeeds() -> None:
    result = charl("check", "examples")
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert result.stdout == b""
    assert f"no problems in {len(EXAMPLES)} files" in result.stderr.decode()


def test_check_reports_file_line_column_code_and_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.ch"
    path.write_text(BROKEN, encoding="utf-8")
    result = charl("check", str(path))
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        f"{path}:1:11: error[E001]: expected `)` to close the parenthesis opened at 1:9",
        f"{path}:2:14: error[E001]: trailing commas are not allowed in arrays",
        # Columns count characters: `é` and `🚀` are one column each.
        f"{path}:3:18: error[E001]: expected an expression after `+`",
    ]
    assert "3 errors, 0 warnings in 1 file" in result.stderr.decode()


def test_check_json_format(tmp_path: Path) -> None:
    path = tmp_path / "broken.charl"
    path.write_text(BROKEN, encoding="utf-8")
    result = charl("check", "--format", "json", str(path))
    assert result.returncode == 1
    found = json.loads(result.stdout)
    assert found[1] == {
        "file": str(path),
        "line": 2,
        "column": 14,
        "end_line": 2,
        "end_column": 15,
        "severity": "error",
        "code": "E001",
        "message": "trailing commas are not allowed in arrays",
    }
    assert [set(item) for item in found] == [set(found[1])] * 3


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    path = tmp_path / "open.ch"
    path.write_text("while true {\n    print(1)\n", encoding="utf-8")
    result = charl("check", str(path))
    assert result.returncode == 0
    assert result.stdout.decode() == (
        f"{path}:1:12: warning[W215]: block opened at 1:12 is never closed (the end of the file closes it)\n"
    )


def test_directory_is_searched_recursively_for_ch_and_charl(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "ok.ch").write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "bad.charl").write_text("let = 1\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "notes.txt").write_text("let = 1\n", encoding="utf-8")
    result = charl("check", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        f"{tmp_path}/a/b/bad.charl:1:1: error[E001]: expected a variable name after `let`, found `=`"
    ]
    assert "in 2 files" in result.stderr.decode()


def test_stdin_with_a_name() -> None:
    result = charl("check", "--stdin-filename", "scratch.ch", "-", stdin=b"print(1 +)\n")
    assert result.returncode == 1
    assert result.stdout.decode() == "scratch.ch:1:10: error[E001]: expected an expression after `+`\n"


def test_missing_file_and_empty_directory_are_clear_errors(tmp_path: Path) -> None:
    result = charl("check", str(tmp_path / "nope.ch"), str(tmp_path))
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert f"charl: error: {tmp_path / 'nope.ch'}: no such file or directory" in stderr
    assert f"charl: error: {tmp_path}: no .ch or .charl files in this directory" in stderr
    assert "Traceback" not in stderr


def test_invalid_utf8_is_reported_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ch"
    path.write_bytes('print("é")\nlet x = "caf'.encode() + b"\xe9" + b'"\n')
    result = charl("check", str(path))
    assert result.returncode == 1
    assert result.stdout.decode() == (
        f"{path}:2:13: error[E001]: file is not valid UTF-8 (invalid byte 0xe9); Charl source must be UTF-8\n"
    )


def test_unreadable_file_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(sources.SourceError, match=r"^secret\.ch: permission denied$"):
        sources.read_source("secret.ch")


def test_usage_error_exits_two() -> None:
    result = charl("check")
    assert result.returncode == 2
    assert "usage: charl check" in result.stderr.decode()


def test_parse_prints_tree_with_fields_and_positions() -> None:
    result = charl("parse", "-", stdin="let é = f(1)\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        "source_file 1:1-2:1",
        "  let_statement 1:1-1:13",
        "    name: identifier 1:5-1:6 'é'",
        "    value: call_expression 1:9-1:13",
        "      function: identifier 1:9-1:10 'f'",
        "      arguments: arguments 1:10-1:13",
        "        integer 1:11-1:12 '1'",
    ]


def test_parse_shows_missing_nodes_and_fails() -> None:
    result = charl("parse", "-", stdin=b"f(1\n")
    assert result.returncode == 1
    assert "MISSING ) 1:4-1:4" in result.stdout.decode()


def test_parse_ast() -> None:
    result = charl("parse", "--ast", "-", stdin=b"let x = 1 + 2\n")
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("Program")
    assert "op='+'" in lines[3]


def test_module_entry_point_works_without_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "--version"], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert result.stdout.decode().startswith("charl ")


def test_parse_handles_very_deep_expressions() -> None:
    deep = ("let x = " + " + ".join(["1"] * 5000) + "\n").encode()
    for arguments in (("parse", "-"), ("parse", "--ast", "-")):
        result = charl(*arguments, stdin=deep)
        assert result.returncode == 0, result.stderr.decode()[-500:]
        assert b"Traceback" not in result.stderr


def test_language_server_entry_point_is_installed() -> None:
    """`charl-ls` is on PATH, answers `--version`, and ends quietly when its client closes stdin (the LSP
    features themselves are tested over stdio in tests/lsp)."""
    server = shutil.which("charl-ls")
    assert server is not None
    version = subprocess.run([server, "--version"], capture_output=True, timeout=60, check=False)
    assert version.returncode == 0 and version.stdout.startswith(b"charl-ls ")
    start = subprocess.run([server], capture_output=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
    assert start.returncode == 0
    assert start.stdout == b""
    assert b"Traceback" not in start.stderr


def test_check_reports_shape_errors_and_shows_types(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ch"
    path.write_text(
        "let x = tensor_zeros([2, 3])\n"
        "let W = tensor_randn_seeded([4, 5], 1)\n"
        "let y = nn_linear(x, W, tensor_zeros([5]))\n",
        encoding="utf-8",
    )
    result = charl("check", "--show-types", str(path))
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        f"{path}:3:9: error[E107]: nn_linear(): input features 3 doesn't match weight input 4",
        f"{path}:1:5: let x: tensor<float32, [2, 3]>",
        f"{path}:2:5: let W: tensor<float32, [4, 5]>",
        f"{path}:3:5: let y: tensor<float32, [2, 5]>",
    ]


def test_type_checking_waits_for_valid_syntax(tmp_path: Path) -> None:
    path = tmp_path / "broken.ch"
    path.write_text("let = 1\nprint(y)\n", encoding="utf-8")
    result = charl("check", str(path))
    assert [line.split(": ", 1)[1].split(":")[0] for line in result.stdout.decode().splitlines()] == [
        "error[E001]"
    ]
