"""The Charl formatter (`charl fmt`): syntax tree → document IR → text (docs/formatter.md).

`api.py` is the entry point (`format_text`, `format_range`, `format_document_edits`); `cli.py` is
`charl fmt`. Pure functions throughout: no IO outside `cli.py` and `config.py`.

Invariant: never changes what a program means (the re-parsed AST and the comments must equal the
original's, and a second format must change nothing; otherwise the text is left as it was).
Invariant: imports only `charl_core`'s syntax layer and AST, never the analysis, runtime or pygls.
"""
