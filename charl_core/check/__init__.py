"""Static checking: names, types and shapes, diagnostics (LANGUAGE.md §4).

The flow-sensitive checker of `infer.py` runs over a program item by item (`incremental.py`): `check_tree`
checks a parsed file and reuses the results of the previous version's unchanged items through an explicit
`CheckCache`; `check_program` checks an AST with no cache. Both return the diagnostics and the inferred type
of every `let` and expression (for `charl check --show-types`, hover and inlay hints).
"""

from __future__ import annotations

from charl_core import ast
from charl_core.check.incremental import EMPTY_CACHE, CheckCache, CheckResult, check_statements, check_tree
from charl_core.check.symbols import SymbolTable

__all__ = ["EMPTY_CACHE", "CheckCache", "CheckResult", "check_program", "check_tree"]


def check_program(program: ast.Program, symbols: SymbolTable | None = None) -> CheckResult:
    """Check a lowered program. `symbols` is accepted for compatibility and no longer needed: which
    functions are referenced comes from the items themselves (`items.FunctionFacts`)."""
    return check_statements(program)
