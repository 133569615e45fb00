"""Editor features over one `charl_core.analysis.Analysis`, one module each (as rust-analyzer's `ide` crate):
`hover`, `navigation` (definition, references, highlights, outline), `completion` and `signature`; `cursor`
reads what surrounds an offset and `declarations` describes what a declaration says. Each takes the analysis
and a byte offset and returns plain frozen dataclasses in editor terms, with byte `Span`s; the language
server only converts them to LSP types.

Invariant: no IO, no LSP library types, and no query raises on any text or offset.
"""
