"""charl-ls, the Charl language server (pygls 2.x). Thin over `charl_core.analysis`.

Invariant: never executes user code in its own process.
"""
