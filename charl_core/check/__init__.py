"""Static checking: names, types and shapes, diagnostics (LANGUAGE.md §4).

`check_program` runs the flow-sensitive checker of `infer.py` over a lowered program and returns its
diagnostics and the inferred type of every `let` (for `charl check --show-types`, hover and inlay hints).
"""

from __future__ import annotations

from dataclasses import dataclass

from charl_core import ast
from charl_core.builtins import is_builtin
from charl_core.check.infer import Checker
from charl_core.check.report import Reporter
from charl_core.diagnostics import Diagnostic
from charl_core.types import Type


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    let_types: dict[ast.Span, tuple[ast.Name, Type]]
    expression_types: dict[ast.Span, Type]


def check_program(program: ast.Program) -> CheckResult:
    reporter = Reporter()
    checker = Checker(program, reporter, referenced_functions(program))
    checker.run()
    return CheckResult(reporter.diagnostics(), checker.let_types, checker.expression_types)


def referenced_functions(program: ast.Program) -> set[str]:
    """Keys (`name@offset`) of the `fn` statements whose name is read outside their own body: called,
    stored or passed (W208, W209). A call whose callee names a builtin calls the builtin (§5.7)."""
    functions = [node for node in program.walk() if isinstance(node, ast.FunctionDef)]
    builtin_callees = {
        id(node.callee)
        for node in program.walk()
        if isinstance(node, ast.Call)
        and isinstance(node.callee, ast.Identifier)
        and is_builtin(node.callee.name)
    }
    reads: dict[str, list[int]] = {}
    for node in program.walk():
        if isinstance(node, ast.Identifier) and id(node) not in builtin_callees:
            reads.setdefault(node.name, []).append(node.span.start)
    referenced = set()
    for function in functions:
        body = function.body.span
        if any(not body.start <= offset < body.end for offset in reads.get(function.name.id, ())):
            referenced.add(f"{function.name.id}@{function.span.start}")
    return referenced
