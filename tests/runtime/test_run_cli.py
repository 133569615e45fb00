"""`charl run` through the real console script, as a user runs it: exit codes, the stderr formats of
parse and runtime errors, stdin, bad files, options, Ctrl-C, and no Python traceback ever."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from charl_core.runtime.interpreter import run_captured
from tests.conftest import EXAMPLES, ROOT

CHARL = shutil.which("charl") or pytest.fail("the `charl` console script is not installed (pip install -e .)")


def charl(
    *arguments: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHARL, *arguments], input=stdin, capture_output=True, cwd=cwd or ROOT, timeout=120, check=False
    )


def write(tmp_path: Path, text: str, name: str = "prog.ch") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_success_prints_program_output_and_exits_0(tmp_path: Path) -> None:
    result = charl("run", str(write(tmp_path, 'print("héllo 🚀", 1.0, [1e-5])\n')))
    assert (result.returncode, result.stdout.decode(), result.stderr) == (0, "héllo 🚀 1.0 [0.00001]\n", b"")


def test_runtime_error_format_and_exit_1(tmp_path: Path) -> None:
    path = write(tmp_path, 'fn f(x: int) -> int {\n    x / 0\n}\nprint("before")\nf(1)\n')
    result = charl("run", str(path))
    assert result.returncode == 1
    assert result.stdout.decode() == "before\n"
    assert result.stderr.decode().splitlines() == [
        "❌ Runtime error:",
        "Division by zero",
        f"  at {path}:2:5",
        f"  in fn f at {path}:5:1",
    ]


def test_parse_error_runs_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, 'print("never")\nlet x = [1, 2,]\n')
    result = charl("run", str(path))
    assert (result.returncode, result.stdout) == (1, b"")
    lines = result.stderr.decode().splitlines()
    assert lines[:2] == ["❌ Parse error:", "Parser errors:"]
    assert lines[2].startswith(f"{path}:2:") and "trailing commas" in lines[2]


def test_stdin_and_its_name() -> None:
    result = charl("run", "-", "--stdin-filename", "typed.ch", stdin=b"print(1 + 1)\nprint(nope)\n")
    assert result.stdout == b"2\n"
    assert result.stderr.decode().splitlines()[1:] == ["Undefined variable: nope", "  at typed.ch:2:7"]


def test_unreadable_files_give_one_line(tmp_path: Path) -> None:
    missing = charl("run", str(tmp_path / "missing.ch"))
    (tmp_path / "latin1.ch").write_bytes(b'print("caf\xe9")\n')
    latin1 = charl("run", str(tmp_path / "latin1.ch"))
    for result in (missing, latin1):
        assert result.returncode == 1
        assert len(result.stderr.decode().splitlines()) == 1
        assert result.stderr.startswith(b"charl: error: ")
    assert b"not valid UTF-8 (invalid byte 0xe9 at line 1, column 11)" in latin1.stderr


def test_backend_option_accepts_only_reference(tmp_path: Path) -> None:
    path = write(tmp_path, "print(1)\n")
    assert charl("run", "--backend", "reference", str(path)).stdout == b"1\n"
    wrong = charl("run", "--backend", "gpu", str(path))
    assert wrong.returncode == 2
    assert b"invalid choice: 'gpu'" in wrong.stderr


def test_seed_makes_unseeded_randomness_repeatable(tmp_path: Path) -> None:
    path = write(tmp_path, "print(tensor_randn([3]))\n")
    first, second = charl("run", "--seed", "7", str(path)), charl("run", "--seed", "7", str(path))
    other = charl("run", "--seed", "8", str(path))
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout == second.stdout != other.stdout


def test_top_level_return_exits_0(tmp_path: Path) -> None:
    # `return` followed by a newline would return `print("b")`: newlines do not end statements (§2.6)
    result = charl("run", str(write(tmp_path, 'print("a")\nreturn 0\nprint("b")\n')))
    assert (result.returncode, result.stdout) == (0, b"a\n")


def test_a_broken_builtin_gives_no_traceback(tmp_path: Path) -> None:
    """A bug inside a builtin still ends as a `❌ Runtime error:` block naming the builtin."""
    path = write(tmp_path, "print(1)\nprint(cos(0))\n")
    script = (
        "import sys\n"
        "from charl_core.builtins import lookup\n"
        "from charl_core.runtime.library import load\n"
        "from charl_core.cli import main\n"
        "load()\n"
        "def broken(ctx, args):\n"
        "    raise ZeroDivisionError('a bug')\n"
        "object.__setattr__(lookup('cos'), 'implementation', broken)\n"
        f"sys.exit(main(['run', {str(path)!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert result.stdout == b"1\n"
    assert result.stderr.decode().splitlines() == [
        "❌ Runtime error:",
        "cos(): internal error: ZeroDivisionError: a bug",
        f"  at {path}:2:7",
    ]
    debug = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "CHARL_DEBUG": "1"},
    )
    assert b"Traceback" in debug.stderr and b"ZeroDivisionError: a bug" in debug.stderr


def test_deep_recursion_does_not_crash_python(tmp_path: Path) -> None:
    declaration = "fn depth(n: int) -> int { if n == 0 { return 0 }  1 + depth(n - 1) }"
    program = f"{declaration}\nprint(depth(9999))\ndepth(20000)\n"
    result = charl("run", str(write(tmp_path, program)))
    assert result.returncode == 1
    assert result.stdout == b"9999\n"
    assert b"Maximum recursion depth exceeded (10000 calls)" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the run thread start")
def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "let i = 0\nwhile true { i = i + 1 }\n")
    process = subprocess.Popen([CHARL, "run", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(os.listdir(f"/proc/{process.pid}/task")) < 2:  # the program runs on its own thread
        assert time.monotonic() < deadline, "the run thread never started"
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode() == "charl: interrupted\n"


def test_closed_stdout_is_not_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'let i = 0\nwhile i < 200000 { print("line", i)  i = i + 1 }\n')
    process = subprocess.Popen([CHARL, "run", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.read(10) == b"line 0\nlin"
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert stderr == b""


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_examples_run(example: Path) -> None:
    result = charl("run", str(example), cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr


def documented_examples() -> list[tuple[str, str, str]]:
    """(program, stdout, stderr) of each ```charl block of docs/runtime.md with the ```text (stdout) and
    ```stderr blocks that follow it."""
    text = (ROOT / "docs" / "runtime.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(charl|text|stderr)\n(.*?)```", text, re.DOTALL)
    examples = []
    for index, (kind, body) in enumerate(blocks):
        if kind != "charl":
            continue
        following = dict(block for block in blocks[index + 1 : index + 3] if block[0] != "charl")
        examples.append((body, following.get("text", ""), following.get("stderr", "")))
    return examples


@pytest.mark.parametrize(("program", "stdout", "stderr"), documented_examples())
def test_documented_examples(program: str, stdout: str, stderr: str) -> None:
    result = run_captured(program, "prog.ch")
    assert (result.stdout, result.stderr) == (stdout, stderr)
