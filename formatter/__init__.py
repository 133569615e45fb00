"""The Charl formatter (`charl fmt`): syntax tree → document IR → text. Arrives with the formatter milestone.

Invariant: never changes what a program means (the re-parsed AST must equal the original's).
"""
