"""Definition, references, highlights, document and workspace symbols, rename and prepareRename over
stdio; each test first checks that the capability is announced."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import SERVER, answer, cursor, open_document, start

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROGRAM = """let scale = 2.0
fn double(t: tensor<float32, [N]>) -> tensor<float32, [N]> {
    let twice = t * scale
    return twice
}
let v = tensor_ones([3])
let w = double(v)
if true {
    let w = double(w)
    print(w)
}
print(w)
"""


def position_of(text: str, needle: str, occurrence: int = 0) -> types.Position:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    return types.Position(before.count("\n"), index - (before.rfind("\n") + 1))


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri)


async def test_definition_of_a_function_call(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.definition_provider
    uri = open_document(vscode, "nav_definition.ch", PROGRAM)
    found = await answer(
        vscode.text_document_definition_async(
            types.DefinitionParams(doc(uri), position_of(PROGRAM, "double(v)"))
        )
    )
    assert len(found) == 1
    assert found[0].target_uri == uri
    assert found[0].target_selection_range.start == types.Position(1, 3)
    assert found[0].target_range.start == types.Position(1, 0)


async def test_definition_of_builtin_is_empty(vscode: LanguageClient):
    uri = open_document(vscode, "nav_builtin.ch", PROGRAM)
    found = await answer(
        vscode.text_document_definition_async(
            types.DefinitionParams(doc(uri), position_of(PROGRAM, "tensor_ones"))
        )
    )
    assert found == []


async def test_references_with_and_without_declaration(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.references_provider
    uri = open_document(vscode, "nav_references.ch", PROGRAM)
    where = position_of(PROGRAM, "scale\n")
    lines = []
    for include in (True, False):
        found = await answer(
            vscode.text_document_references_async(
                types.ReferenceParams(
                    text_document=doc(uri),
                    position=where,
                    context=types.ReferenceContext(include_declaration=include),
                )
            )
        )
        lines.append([(r.range.start.line, r.range.start.character) for r in found])
    assert lines == [[(0, 4), (2, 20)], [(2, 20)]]


async def test_highlights_mark_writes(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.document_highlight_provider
    uri = open_document(vscode, "nav_highlights.ch", PROGRAM)
    found = await answer(
        vscode.text_document_document_highlight_async(
            types.DocumentHighlightParams(doc(uri), position_of(PROGRAM, "twice", 1))
        )
    )
    assert [(h.range.start.line, h.kind) for h in found] == [
        (2, types.DocumentHighlightKind.Write),
        (3, types.DocumentHighlightKind.Read),
    ]


async def test_document_symbols_are_hierarchical(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.document_symbol_provider
    uri = open_document(vscode, "nav_symbols.ch", PROGRAM)
    found = await answer(vscode.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri))))
    outline = [(s.name, s.kind, [c.name for c in s.children or ()]) for s in found]
    assert ("double", types.SymbolKind.Function, ["twice"]) in outline
    assert ("scale", types.SymbolKind.Variable, []) in outline
    double = next(s for s in found if s.name == "double")
    assert double.detail.startswith("fn double(t: tensor<float32, [N]>)")


async def test_rename_a_variable_everywhere(vscode: LanguageClient):
    assert vscode.initialize_result.capabilities.rename_provider.prepare_provider
    uri = open_document(vscode, "nav_rename.ch", PROGRAM)
    where = position_of(PROGRAM, "scale")
    prepared = await answer(
        vscode.text_document_prepare_rename_async(types.PrepareRenameParams(doc(uri), where))
    )
    assert prepared.placeholder == "scale"
    edit = await answer(
        vscode.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=where, new_name="factor")
        )
    )
    (change,) = edit.document_changes
    assert change.text_document.uri == uri and change.text_document.version == 1
    renamed = _apply(PROGRAM, change.edits)
    assert "let factor = 2.0" in renamed and "t * factor" in renamed and "scale" not in renamed


@pytest.mark.parametrize(
    ("needle", "new_name", "message"),
    [
        ("tensor_ones", None, "'tensor_ones' is a builtin and cannot be renamed"),
        ("let v", None, "'let' is a keyword and cannot be renamed"),
        ("scale =", "2x", "'2x' is not a valid name"),
        ("scale =", "tensor", "'tensor' is a keyword"),
        ("double(v)", "tensor_add", "'tensor_add' is a builtin"),
    ],
)
async def test_rename_refusals_carry_a_message(vscode: LanguageClient, needle, new_name, message):
    uri = open_document(vscode, "nav_refuse.ch", PROGRAM)
    where = position_of(PROGRAM, needle)
    if new_name is None:
        request = vscode.text_document_prepare_rename_async(types.PrepareRenameParams(doc(uri), where))
    else:
        request = vscode.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=where, new_name=new_name)
        )
    with pytest.raises(Exception, match=message):
        await answer(request)


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        line = lines[start.line]
        lines[start.line] = line[: start.character] + edit.new_text + line[end.character :]
    return "\n".join(lines)


WORKSPACE_FILES = {
    "models/encoder.ch": "fn encode_tokens(x: tensor<float32, [N]>) {\n    let hidden = x\n"
    "    return hidden\n}\n",
    "train.charl": "let learning_rate = 0.1\nfn train_step() {\n    print(learning_rate)\n}\ntrain_step()\n",
    "notes.txt": "fn not_charl() {}\n",
    ".git/hooks/ignored.ch": "fn ignored_function() {}\n",
    "broken.ch": None,  # not UTF-8: skipped
}


@pytest.fixture(scope="module")
def workspace_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workspace")
    for name, text in WORKSPACE_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.write_bytes(b"fn broken() {}\n\xff\xfe\n")
        else:
            path.write_text(text, encoding="utf-8")
    return folder


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def in_workspace(lsp_client: LanguageClient, workspace_folder: Path):
    folder = types.WorkspaceFolder(workspace_folder.as_uri(), "workspace")
    await start(lsp_client, "visual-studio-code", workspace_folders=[folder], root_uri=folder.uri)
    yield
    await lsp_client.shutdown_session()


async def test_workspace_symbols_include_files_on_disk(in_workspace: LanguageClient, workspace_folder: Path):
    assert in_workspace.initialize_result.capabilities.workspace_symbol_provider
    found = await answer(in_workspace.workspace_symbol_async(types.WorkspaceSymbolParams(query="")))
    names = {symbol.name: symbol for symbol in found}
    assert {"encode_tokens", "hidden", "learning_rate", "train_step"} <= set(names)
    assert "not_charl" not in names and "ignored_function" not in names and "broken" not in names
    assert names["hidden"].container_name == "encode_tokens"
    assert names["hidden"].location.uri == (workspace_folder / "models" / "encoder.ch").as_uri()
    assert names["hidden"].location.range.start == types.Position(1, 8)


async def test_workspace_symbols_match_fuzzily_and_prefer_open_documents(
    in_workspace: LanguageClient, workspace_folder: Path
):
    found = await answer(in_workspace.workspace_symbol_async(types.WorkspaceSymbolParams(query="trs")))
    assert [symbol.name for symbol in found] == ["train_step"]
    text, _ = cursor("$0fn train_steps_renamed() {}\n")
    uri = (workspace_folder / "train.charl").as_uri()
    in_workspace.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "charl", 2, text))
    )
    found = await answer(in_workspace.workspace_symbol_async(types.WorkspaceSymbolParams(query="trs")))
    assert [symbol.name for symbol in found] == ["train_steps_renamed"]
