"""charl-ls, the Charl language server (pygls 2.x): thin over `charl_core.analysis`.

Layout
------
- `server.py`: the `charl-ls` command (stdio by default, `--tcp HOST:PORT`, `--log-file`, `--version`).
- `language_server.py`: `CharlLanguageServer`, the state at the edge: open documents (a
  `charl_core.analysis.Workspace` edited incrementally), settings, the thread pools, and the decorators
  through which every feature registers its handlers guarded.
- `snapshots.py`: one version of one document, and its single check on the check worker.
- `diagnostics.py`: debounced publishing (push) and pull reports.
- `settings.py`: typed settings, declared by the features that read them.
- `convert.py`: LSP types ↔ charl_core spans and dataclasses.
- `features/`: one module per feature group; `features/__init__.py` is the feature table.

The feature table: a feature is one module and one row
-------------------------------------------------------
`charl_ls/features/__init__.py` holds `FEATURE_MODULES`, a tuple of module names under `charl_ls.features`.
At start-up each listed module is imported and its `register(server)` is called; a module that does not
exist yet is simply not listed. A module registers handlers with the server's decorators, which wrap
every handler so that an exception is logged and answered with the given empty result, never a crash::

    # charl_ls/features/folding.py
    from lsprotocol import types
    from charl_core.analysis import Analysis
    from charl_ls.language_server import CharlLanguageServer

    def register(server: CharlLanguageServer) -> None:
        server.declare_setting("folding.comments", True, "Fold runs of line comments.")

        @server.query(types.TEXT_DOCUMENT_FOLDING_RANGE, empty=[])
        def folding_ranges(analysis: Analysis, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
            '''Blocks, comment runs and `// #region` markers.'''
            fold_comments = server.setting("folding.comments")
            ...

The decorators (all in `CharlLanguageServer`):

- `query(method, options=None, empty=None, complete=False)`: a request about one document
  (`params.text_document.uri`). The handler gets the `Analysis` of the version the request was sent
  against, and runs on a worker thread, so the event loop keeps reading edits and cancellations. Each
  version is checked once (`snapshots.py`); a query waits at most half a second for that check and
  otherwise gets an `UncheckedAnalysis` of the same version (no types, as for text with a syntax error),
  so a huge file stays responsive. `complete=True` waits for the check (pull diagnostics). A query never
  waits for the check of an older version. A refused (binary) or unknown document answers `empty`.
  `$/cancelRequest` is honoured: a cancelled query that has not started never runs.
- `request(method, options=None, empty=None)`: a request not about one document (`workspace/symbol`);
  the handler gets only `params`, on a worker thread.
- `notification(method)`: a notification, handled on the event loop (keep it quick).
- `command(name, empty=None)`: a `workspace/executeCommand` command; the handler gets the arguments list.
- `options` is the registration options object pygls advertises in the capabilities (a legend, trigger
  characters, …). A module that should not advertise a capability (the formatter is not installed) just
  does not register it.

Settings: `server.declare_setting(key, default, doc)` declares `charl.<key>` (dotted, e.g.
`inlayHints.parameterNames`); `server.setting(key)` reads the current value. Values come from
`initializationOptions` and from `workspace/configuration` (section `charl`), requested after `initialized`
and again on `workspace/didChangeConfiguration`; a value of the wrong type is replaced by the default and
reported to the client. `server.on_settings_changed(callback)` runs `callback()` after each change (to
ask the client to refresh inlay hints, say).

Invariant: never executes user code in its own process (`charl.run` starts a `charl` subprocess).
Invariant: no handler raises to pygls: every failure is logged and answered with an empty result.
A handler may raise `RequestRefused(message)` on purpose (renaming a builtin): the client gets LSP's
RequestFailed error with that message, which editors show.
"""
