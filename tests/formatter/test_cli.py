"""`charl fmt` through the real command line (a subprocess), on real files in a temporary directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

UGLY = "let  x=1;\nfn f( a:int )->int { a*2 }\n"
PRETTY = "let x = 1\n\nfn f(a: int) -> int {\n    a * 2\n}\n"
LONG = "let r = some_function(argument_one, argument_two, argument_three)\n"


def charl(*arguments: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "charl_core.cli", "fmt", *arguments],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_formats_files_and_directories_in_place(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.ch").write_text(UGLY)
    (tmp_path / "pkg" / "b.charl").write_text(PRETTY)
    result = charl("pkg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pkg" / "a.ch").read_text() == PRETTY
    assert "1 file reformatted, 1 file left unchanged" in result.stderr


def test_check_changes_nothing_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "a.ch").write_text(UGLY)
    result = charl("--check", "a.ch", cwd=tmp_path)
    assert result.returncode == 1
    assert "Would reformat: a.ch" in result.stderr
    assert (tmp_path / "a.ch").read_text() == UGLY
    (tmp_path / "a.ch").write_text(PRETTY)
    assert charl("--check", "a.ch", cwd=tmp_path).returncode == 0


def test_diff_prints_a_unified_diff(tmp_path: Path) -> None:
    (tmp_path / "a.ch").write_text(UGLY)
    result = charl("--diff", "a.ch", cwd=tmp_path)
    assert result.returncode == 1
    assert "\n-let  x=1;\n" in result.stdout and "\n+let x = 1\n" in result.stdout
    assert result.stdout.startswith("--- a.ch\t(original)\n+++ a.ch\t(formatted)\n")
    assert (tmp_path / "a.ch").read_text() == UGLY


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = charl("-", "--stdin-filename", "in.ch", cwd=tmp_path, stdin=UGLY)
    assert result.returncode == 0
    assert result.stdout == PRETTY
    assert result.stderr == ""


def test_syntax_error_leaves_the_file_untouched_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.ch").write_text("let x = (\n")
    (tmp_path / "good.ch").write_text(UGLY)
    result = charl(".", cwd=tmp_path)
    assert result.returncode == 2
    assert "error: cannot format bad.ch: cannot format a file with syntax errors: 1:10:" in result.stderr
    assert (tmp_path / "bad.ch").read_text() == "let x = (\n"
    assert (tmp_path / "good.ch").read_text() == PRETTY
    assert "1 file reformatted, 1 file could not be formatted" in result.stderr


def test_stdin_with_errors_passes_through(tmp_path: Path) -> None:
    result = charl("-", cwd=tmp_path, stdin="let x = (\n")
    assert result.returncode == 2
    assert result.stdout == "let x = (\n"
    assert "cannot format <stdin>" in result.stderr


def test_missing_path_and_bad_width(tmp_path: Path) -> None:
    result = charl("nope.ch", cwd=tmp_path)
    assert result.returncode == 2
    assert "error: nope.ch: no such file or directory" in result.stderr
    result = charl("--line-width", "3", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "line-width must be an integer from 20 to 1000" in result.stderr


def test_line_width_from_pyproject_and_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.charl.format]\nline-width = 40\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.ch").write_text(LONG)
    assert charl("src", cwd=tmp_path).returncode == 0
    assert (tmp_path / "src" / "a.ch").read_text() == (
        "let r = some_function(\n    argument_one,\n    argument_two,\n    argument_three\n)\n"
    )
    assert charl("--line-width", "100", "src", cwd=tmp_path).returncode == 0
    assert (tmp_path / "src" / "a.ch").read_text() == LONG


def test_charl_toml_wins_over_pyproject_and_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.charl.format]\nline-width = 1000\n")
    (tmp_path / "charl.toml").write_text("[format]\nline-width = 40\n")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "a.ch").write_text(LONG)
    assert charl("--check", "deep", cwd=tmp_path).returncode == 1
    result = charl("-", "--stdin-filename", "deep/er/x.ch", cwd=tmp_path, stdin=LONG)
    assert result.stdout.count("\n") == 5


def test_bad_configuration_is_reported(tmp_path: Path) -> None:
    (tmp_path / "charl.toml").write_text("[format]\nline-widht = 40\n")
    (tmp_path / "a.ch").write_text(PRETTY)
    result = charl("a.ch", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown formatter option 'line-widht'" in result.stderr


def test_options_follow_edits_of_the_configuration(tmp_path: Path) -> None:
    """A long-running language server asks again for every format: an edit of charl.toml must be seen."""
    from formatter.config import options_for

    config = tmp_path / "charl.toml"
    config.write_text("[format]\nline-width = 60\n", encoding="utf-8")
    assert options_for(tmp_path / "a.ch").line_width == 60
    config.write_text("[format]\nline-width = 80\n", encoding="utf-8")
    assert options_for(tmp_path / "a.ch").line_width == 80
