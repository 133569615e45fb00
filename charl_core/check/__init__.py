"""Static checking: names, types and shapes, diagnostics (LANGUAGE.md §4).

`check_program` runs the flow-sensitive checker of `infer.py` over a lowered program and returns its
diagnostics and the inferred type of every `let` (for `charl check --show-types`, hover and inlay hints).
"""

from __future__ import annotations

from dataclasses import dataclass

from charl_core import ast
from charl_core.check.infer import Checker
from charl_core.check.report import Reporter
from charl_core.check.symbols import SymbolKind, SymbolTable, symbol_table
from charl_core.diagnostics import Diagnostic
from charl_core.types import Type


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    let_types: dict[ast.Span, tuple[ast.Name, Type]]
    expression_types: dict[ast.Span, Type]


def check_program(program: ast.Program, symbols: SymbolTable | None = None) -> CheckResult:
    """Check `program`; `symbols` is its symbol table when the caller already has one."""
    table = symbols if symbols is not None else symbol_table(program)
    referenced = {
        f"{definition.name}@{definition.span.start}"
        for definition in table.definitions
        if definition.kind is SymbolKind.FUNCTION and table.is_referenced(definition)
    }
    reporter = Reporter()
    checker = Checker(program, reporter, referenced)
    checker.run()
    return CheckResult(reporter.diagnostics(), checker.let_types, checker.expression_types)
