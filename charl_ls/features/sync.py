"""Document sync and diagnostics: incremental edits applied to each document's tree, diagnostics pushed
after a pause (`charl_ls.diagnostics`) or pulled with `textDocument/diagnostic`.

`.ch` and `.charl` files are Charl; the server analyses whatever the client sends it (clients choose the
files by language id), except documents that are not text (`CharlLanguageServer._judge`).
"""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_core.syntax.document import TextChange
from charl_ls import convert
from charl_ls.diagnostics import report
from charl_ls.language_server import CharlLanguageServer


def register(server: CharlLanguageServer) -> None:
    @server.notification(types.TEXT_DOCUMENT_DID_OPEN)
    def opened(params: types.DidOpenTextDocumentParams) -> None:
        """Load the document and check it right away."""
        document = params.text_document
        server.open_document(document.uri, document.text, document.version)
        server.diagnostics.edited(document.uri, immediately=True)

    @server.notification(types.TEXT_DOCUMENT_DID_CHANGE)
    def changed(params: types.DidChangeTextDocumentParams) -> None:
        """Apply the edits to the tree (no reparse from scratch) and restart the debounce timer."""
        uri = params.text_document.uri
        if uri not in server.documents:
            return
        changes = [_text_change(change) for change in params.content_changes]
        server.change_document(uri, changes, params.text_document.version)
        server.diagnostics.edited(uri)

    @server.notification(types.TEXT_DOCUMENT_DID_CLOSE)
    def closed(params: types.DidCloseTextDocumentParams) -> None:
        """Forget the document and clear its diagnostics."""
        server.close_document(params.text_document.uri)
        server.diagnostics.closed(params.text_document.uri)

    options = types.DiagnosticOptions(inter_file_dependencies=False, workspace_diagnostics=False)

    @server.query(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        options,
        empty=types.RelatedFullDocumentDiagnosticReport([]),
        complete=True,
    )
    def pull(analysis: Analysis, params: types.DocumentDiagnosticParams):
        """Pull diagnostics of the version the request was sent for."""
        return report(convert.diagnostics(analysis), params.previous_result_id)


def _text_change(change: types.TextDocumentContentChangeEvent) -> TextChange:
    if isinstance(change, types.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return TextChange(change.text, (start.line, start.character), (end.line, end.character))
    return TextChange(change.text)
