"""The interpreter of LANGUAGE.md §5 and §9: the AST compiled once per run to Python closures.

- `scopes.py`      the environment (one flat dictionary per call, undo records for pushed scopes), the
                   run state with the break/continue/return flags.
- `operators.py`   the scalar operators of §5.2, tensor operands handed to `tensor_operators` (§9.3).
- `access.py`      indexing, slicing, index assignment, tuple fields, ranges, `[v; n]`, casts.
- `functions.py`   function values, the depth limit, late binding of names (§9.2).
- `calls.py`       the user-function call, generated per argument count.
- `expressions.py` and `statements.py`: the compiler, AST → closures.
- `traceback.py`   the stderr text of parse and runtime errors.
- `run.py`         `run_program(text, path, ctx) -> exit code`.

Invariant: no Python exception or traceback reaches the user; only `CharlError` texts (§5.11, §8) and
this implementation's location lines.
"""

from charl_core.runtime.interpreter.run import Captured, run_captured, run_program

__all__ = ["Captured", "run_captured", "run_program"]
