"""Test tooling shared by the test suites and benchmarks: an AST printer (`printer`), hypothesis strategies
for random valid programs (`strategies`, the only module that imports hypothesis) and a generator of large
realistic programs (`programs`).

Invariant: nothing outside tests/ and bench/ imports this package.
"""
