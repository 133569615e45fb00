"""The interpreter: LANGUAGE.md §5–§7 semantics, the reference backend of ARCHITECTURE.md decision 4.

Code map:
- `errors.py`     `CharlError`, the run-time error with the original's exact message.
- `printing.py`   the three float formats (P, T, D) of §5.4.
- `values.py`     the value model of §5.1: kind names, truthiness, equality, `str`.
- `context.py`    `Context`: the state one program run owns (stdout, the autograd graph, generators).
- `library/`      the builtins' implementations, one module per catalog group; `library.load()` imports
                  them all, which fills the `implementation` slot of every catalog entry.
- `interpreter/`   the language itself: the AST compiled to closures once per run, scopes, functions,
                  operators, access, control flow, error locations; `run_program(text, path, ctx)`.
- `cli.py`         `charl run` (docs/runtime.md).

Invariants: no Python exception other than `CharlError` (and `KeyboardInterrupt`) leaves a run; a builtin
implementation never mutates its arguments (values have value semantics, §5.1).
"""
