"""Rename and prepareRename (`charl_core.ide.rename`); refusals (builtins, keywords, invalid names) are
answered as LSP errors so that the editor shows their message."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.ide.rename import RenameRefusal, prepare_rename, rename
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer, RequestRefused


def register(server: CharlLanguageServer) -> None:
    options = types.RenameOptions(prepare_provider=True)

    @server.query(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare(analysis: Analysis, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder:
        """The name under the cursor, or why it cannot be renamed."""
        found = prepare_rename(analysis, convert.offset(analysis, params.position))
        if isinstance(found, RenameRefusal):
            raise RequestRefused(found.message)
        return types.PrepareRenamePlaceholder(convert.lsp_range(analysis, found.span), found.name)

    @server.query(types.TEXT_DOCUMENT_RENAME, options)
    def rename_symbol(analysis: Analysis, params: types.RenameParams) -> types.WorkspaceEdit:
        """Every declaration and use of the name, renamed in one edit."""
        found = rename(analysis, convert.offset(analysis, params.position), params.new_name)
        if isinstance(found, RenameRefusal):
            raise RequestRefused(found.message)
        edits = [types.TextEdit(convert.lsp_range(analysis, span), found.new_name) for span in found.spans]
        if not _versioned_edits(server):
            return types.WorkspaceEdit(changes={analysis.uri: edits})
        document = types.OptionalVersionedTextDocumentIdentifier(analysis.uri, analysis.version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(document, edits)])


def _versioned_edits(server: CharlLanguageServer) -> bool:
    """Whether the client applies `documentChanges`, which carry the version the edit was computed for
    (so a client can refuse an edit of text that changed meanwhile)."""
    workspace = server.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    return bool(edit is not None and edit.document_changes)
