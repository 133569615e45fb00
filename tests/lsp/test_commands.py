"""The command line (`--version`, `--tcp`, `--log-file`), settings through `workspace/configuration`,
and the Run lens with its three commands."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from charl_core import __version__
from tests.lsp.conftest import ROOT, SERVER, answer, open_document, pushed_diagnostics, start

in_module_loop = pytest.mark.asyncio(loop_scope="module")


def test_version():
    done = subprocess.run(
        [sys.executable, "-m", "charl_ls.server", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"charl-ls {__version__}"


def test_bad_tcp_address_is_refused_with_a_message():
    done = subprocess.run(
        [sys.executable, "-m", "charl_ls.server", "--tcp", "localhost"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2 and "--tcp expects HOST:PORT" in done.stderr


def _lsp_message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_tcp_serves_one_client_and_logs_to_a_file(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "charl_ls.server", "--tcp", f"127.0.0.1:{port}", "--log-file", str(log)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.1)
        with connection:
            connection.sendall(
                _lsp_message(
                    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
                )
            )
            received = b""
            while b'"id": 1' not in received and b'"id":1' not in received:
                chunk = connection.recv(65536)
                assert chunk, "connection closed before the answer"
                received += chunk
            assert b'"name": "charl-ls"' in received or b'"name":"charl-ls"' in received
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "initialized: encoding utf-16, pushed diagnostics" in log.read_text(encoding="utf-8")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def configured(lsp_client: LanguageClient):
    lsp_client.set_configuration({"diagnostics": {"debounceMs": "soon"}}, section="charl")
    await start(lsp_client, "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


@in_module_loop
async def test_a_setting_of_the_wrong_type_is_reported(configured: LanguageClient):
    async def reported() -> str:
        while True:
            for message in configured.messages:
                if "charl.diagnostics.debounceMs" in message.message:
                    return message.message
            await configured.wait_for_notification(types.WINDOW_SHOW_MESSAGE)

    message = await answer(reported())
    assert message == "charl.diagnostics.debounceMs must be a int, got 'soon'; using 50"


@in_module_loop
async def test_settings_are_read_again_when_they_change(configured: LanguageClient):
    configured.set_configuration(
        {"diagnostics": {"debounceMs": 0}, "inlayHints": {"shapes": 1}}, section="charl"
    )
    before = len(configured.messages)
    configured.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    async def reported() -> str:
        while len(configured.messages) == before:
            await configured.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
        return configured.messages[before].message

    assert await answer(reported()) == "charl.inlayHints.shapes must be a bool, got 1; using True"
    uri = open_document(configured, "after_settings.ch", "let x = tensor_add(1, 2)\n")
    assert [d.code for d in await pushed_diagnostics(configured, uri, 1)] == ["E106"]


@in_module_loop
async def test_run_lens_on_the_first_line(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.code_lens_provider is not None
    assert {"charl.run", "charl.runOnGpu", "charl.profile"} <= set(
        vscode.initialize_result.capabilities.execute_command_provider.commands
    )
    uri = open_document(vscode, "lens.ch", "let x = 1\nprint(x)\n")
    found = await answer(
        vscode.text_document_code_lens_async(types.CodeLensParams(types.TextDocumentIdentifier(uri)))
    )
    assert [(lens.command.title, lens.command.command, lens.range.start.line) for lens in found] == [
        ("▶ Run", "charl.run", 0),
        ("Run on GPU", "charl.runOnGpu", 0),
        ("Profile", "charl.profile", 0),
    ]
    assert all(list(lens.command.arguments) == [uri] for lens in found)


@pytest.mark.parametrize("command", ["charl.runOnGpu", "charl.profile"])
@in_module_loop
async def test_gpu_and_profile_commands_say_not_available_yet(vscode: LanguageClient, command: str):
    uri = (ROOT / "examples" / "hello.ch").as_uri()
    result = await answer(
        vscode.workspace_execute_command_async(types.ExecuteCommandParams(command=command, arguments=[uri]))
    )
    assert result["available"] is False and "not available yet" in result["message"]


@in_module_loop
async def test_run_starts_charl_run_in_a_subprocess(vscode: LanguageClient, tmp_path: Path):
    program = tmp_path / "sum.ch"
    program.write_text("let a = 2\nlet b = 40\nprint(a + b)\n", encoding="utf-8")
    result = await asyncio.wait_for(
        vscode.workspace_execute_command_async(
            types.ExecuteCommandParams(command="charl.run", arguments=[program.as_uri()])
        ),
        120,
    )
    if importlib.util.find_spec("charl_core.runtime.cli") is None:
        assert result == {
            "available": False,
            "message": "Run is not available yet: this version of Charl has no interpreter",
        }
    else:
        assert result["available"] is True and result["exitCode"] == 0, result
        assert result["stdout"] == "42\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def with_options(lsp_client: LanguageClient):
    await start(
        lsp_client,
        "visual-studio-code",
        initialization_options={"charl": {"inlayHints": {"parameterNames": "no"}}},
    )
    yield
    await lsp_client.shutdown_session()


@in_module_loop
async def test_initialization_options_are_validated(with_options: LanguageClient):
    async def reported() -> str:
        while True:
            for message in with_options.messages:
                if "parameterNames" in message.message:
                    return message.message
            await with_options.wait_for_notification(types.WINDOW_SHOW_MESSAGE)

    assert await answer(reported()) == "charl.inlayHints.parameterNames must be a bool, got 'no'; using True"
