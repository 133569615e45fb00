"""The tensor graph IR shared by the runtime and both compilers (ARCHITECTURE.md decision 4).

- `ops.py`  the op vocabulary: one enum of tensor operations in commented groups, plus named sets
            (ELEMENTWISE, MOVEMENT, REDUCE, …). The autograd graph records these ops.

Invariant: pure data; imports nothing from the runtime, the checker or the backends.
"""
