"""W212, its reading half: a function reads a global that is assigned after the `fn` statement (§5.7).

The function captured the global's value when its `fn` statement ran; an assignment after it changes the
global but not the snapshot, so the function keeps reading the old value (`getg()` prints 5 in §5.7's
example, after `g = 7`). Reported at the function's first read of the name, with the first later
assignment as related information, for top-level functions that are referenced (an unreferenced one has
W208 already). It needs every item after the function, so it runs over the items' facts once the walk of
`incremental.py` is done; those facts are cached per item, so this costs one pass over the items.
"""

from __future__ import annotations

from charl_core import ast
from charl_core.ast import Span
from charl_core.diagnostics import Diagnostic, Related, Severity


def stale_snapshot_reads(placed: list) -> list[Diagnostic]:
    """`placed`: (current start, `ItemResult`) in program order, at least those that declare a function or
    assign a global."""
    later: dict[str, Span] = {}
    found = []
    for start, result in reversed(placed):
        item = result.syntax
        if not (result.registrations or item.global_assignments):
            continue
        statement = item.statement
        if isinstance(statement, ast.FunctionDef) and result.registrations:
            info = result.registrations[0][1]
            if info.referenced:
                function = statement.name.id
                for name, (begin, end) in item.first_free_reads.items():
                    assigned = later.get(name)
                    if assigned is None or info.snapshot.lookup(name) is None:
                        continue
                    message = (
                        f"fn {function} reads '{name}' from its snapshot: "
                        "the assignment after the fn statement does not reach it"
                    )
                    related = (Related(assigned, f"'{name}' is assigned here, after fn {function}"),)
                    found.append(
                        Diagnostic(
                            Span(start + begin, start + end), Severity.WARNING, "W212", message, related
                        )
                    )
        for name, (begin, end) in item.global_assignments.items():
            later[name] = Span(start + begin, start + end)
    return found
