"""§5.5–§5.8 and §9.1–§9.2 through the real interpreter: scopes, snapshot functions, late binding, the
recursion limit, statement values, and the break/continue flag rules."""

from __future__ import annotations

from charl_core.runtime.interpreter import run_captured


def output(program: str) -> str:
    result = run_captured(program)
    assert result.code == 0, result.stderr
    return result.stdout


def failure(program: str) -> tuple[str, str]:
    result = run_captured(program)
    assert result.code == 1, result.stdout
    return result.stdout, result.stderr


# ── scopes (§5.6) ──


def test_let_in_if_and_while_writes_the_enclosing_scope() -> None:
    program = """
let i = 0
while i < 2 { let inner = i * 10  i = i + 1 }
if true { let from_if = "kept" }
print(inner, from_if)
"""
    assert output(program) == "10 kept\n"


def test_for_scope_shadows_and_restores() -> None:
    program = """
let best = 0
for k in 0..3 { let best = k }
print(best)
for k in 0..3 { best = k }
print(best)
let k = "outer"
for k in [1, 2] { let extra = k }
print(k)
"""
    assert output(program) == "0\n2\nouter\n"
    _, stderr = failure("for k in 0..2 { let t = k }\nprint(t)")
    assert "Undefined variable: t" in stderr


def test_match_arm_binding_is_scoped() -> None:
    program = """
let v = "outer"
print(match 5 { v => v + 1 })
print(v)
print(match 2 { 1 => "one", n => if n > 1 { let w = n  w * 10 } else { 0 } })
"""
    assert output(program) == "6\nouter\n20\n"
    _, stderr = failure("match 1 { 1 => if true { let w = 3  w } else { 0 } }\nprint(w)")
    assert "Undefined variable: w" in stderr


# ── functions (§5.7) ──


def test_snapshot_hides_later_globals_and_discards_writes() -> None:
    program = """
let g = 5
fn getg() -> int32 { return g }
fn setg() { g = 100 }
g = 7
setg()
print(getg(), g)
let data = [1, 2, 3]
fn modify(xs: [int32]) -> [int32] { xs[0] = 99  xs }
print(modify(data), data)
"""
    assert output(program) == "5 7\n[99, 2, 3] [1, 2, 3]\n"
    _, stderr = failure("fn f() -> int { later }\nlet later = 1\nf()")
    assert "Undefined variable: later" in stderr


def test_statement_values_and_implicit_returns() -> None:
    program = """
fn double(x: int) -> int { x * 2 }
fn let_value() { let z = 3 }
fn if_none() { if false { 1 } }
fn loop_value() { for i in 0..3 { i * 10 } }
fn bare() { return }
fn empty() { }
fn function_value() { fn inner() { 1 } }
print(double(4), let_value(), if_none(), loop_value(), bare(), empty(), function_value())
"""
    assert output(program) == "8 3 null 20 false null <function>\n"


def test_builtins_win_and_are_not_values() -> None:
    assert output('fn len(x: int) -> int { 42 }\nprint(len("abc"))') == "3\n"
    _, stderr = failure("let f = print")
    assert "Undefined variable: print" in stderr


def test_functions_are_values() -> None:
    program = """
fn square(x: int) -> int { x * x }
fn apply(f: int, v: int) -> int { f(v) }
let g = square
print(g(3), apply(square, 5), type(g), g == g)
"""
    assert output(program) == "9 25 function false\n"


def test_arity_is_checked_before_arguments_are_evaluated() -> None:
    stdout, stderr = failure('fn f(a: int) -> int { a }\nf(print("evaluated"), 2)')
    assert stdout == ""
    assert "Wrong number of arguments: expected 1, got 2" in stderr


# ── late binding (§9.2) ──


def test_recursion_and_functions_declared_later() -> None:
    program = """
fn fact(n: int) -> int { if n <= 1 { return 1 }  return n * fact(n - 1) }
fn is_even(n: int) -> bool { if n == 0 { return true }  return is_odd(n - 1) }
fn is_odd(n: int) -> bool { if n == 0 { return false }  return is_even(n - 1) }
print(fact(5), is_even(10), is_odd(7))
"""
    assert output(program) == "120 true true\n"


def test_late_binding_uses_the_last_top_level_declaration() -> None:
    program = """
fn first() -> string { helper() }
print(first())
fn helper() -> string { "v1" }
print(first())
fn helper() -> string { "v2" }
print(first())
"""
    # before any `fn helper` ran: the last one of the file; afterwards: the global binding of the moment
    assert output(program) == "v2\nv1\nv2\n"


def test_nested_function_sees_its_own_name_and_its_enclosing_function() -> None:
    program = """
fn outer(n: int) -> int {
    fn countdown(k: int) -> int { if k == 0 { return 0 }  countdown(k - 1) + 1 }
    if n == 0 { return countdown(3) }
    outer(n - 1)
}
print(outer(2))
"""
    assert output(program) == "3\n"


def test_a_nested_function_calls_the_function_it_is_declared_in() -> None:
    """§9.2 step 2a one level out: `outer` is in neither `inner`'s snapshot nor its call scope."""
    program = """
fn outer(n: int) -> int {
    fn inner(k: int) -> int { if k == 0 { return 100 }  outer(k - 1) }
    if n == 0 { return 0 }
    inner(n) + 1
}
print(outer(3))
"""
    assert output(program) == "3\n"  # outer(n) = outer(n - 1) + 1 through inner, outer(0) = 0


def test_a_variable_named_like_the_function_wins_over_the_function_itself() -> None:
    """§9.2 step 1 before step 2a: once the call scope holds `g`, `g(…)` calls that value."""
    program = """
fn double(x: int) -> int { x * 2 }
fn g(x: int) -> int {
    if x > 3 { return g(x - 1) }
    let g = double
    g(x)
}
print(g(5))
let h = 1
fn h2() -> int { h(1) }
print(h2())
"""
    _, stderr = failure(program)
    assert "Cannot call non-function value: integer" in stderr
    assert output(program.split("let h")[0]) == "6\n"


def test_a_call_never_inherits_the_array_ownership_of_an_earlier_call() -> None:
    """Calls at the same depth reuse one frame: `fill` owns its `xs` when it returns, and `poke` must still
    copy the global array it captured before writing its own copy (§5.1, §5.7)."""
    program = """
let xs = [1, 2, 3]
fn fill() -> int { let xs = [0; 3]  xs[0] = 9  xs[0] }
fn poke() -> int { xs[1] = 7  xs[1] }
print(fill(), poke(), xs)
print(fill() + poke(), xs)
"""
    assert output(program) == "9 7 [1, 2, 3]\n16 [1, 2, 3]\n"


def test_an_array_passed_to_a_function_is_not_written_in_place_afterwards() -> None:
    """§5.1: `keep(xs)` shares the array with `ys`, so the next `xs[0] = …` must copy, not write in place."""
    program = """
fn keep(a: [int]) -> [int] { a }
let xs = [1, 2]
xs[1] = 3
let ys = keep(xs)
xs[0] = 9
let zs = keep(keep(xs))
xs[1] = 8
print(xs, ys, zs)
"""
    assert output(program) == "[9, 8] [1, 3] [9, 3]\n"


def test_recursion_limit_is_a_charl_error() -> None:
    declaration = "fn down(n: int) -> int { if n == 0 { return 0 }  down(n - 1) }"
    assert output(f"{declaration}\nprint(down(9999))") == "0\n"
    _, stderr = failure(f"{declaration}\nprint(down(10000))")
    lines = stderr.splitlines()
    assert lines[:2] == ["❌ Runtime error:", "Maximum recursion depth exceeded (10000 calls)"]
    column = declaration.index("down(n - 1)") + 1
    assert lines[2] == f"  at <program>:1:{column}"
    assert len(lines) < 30  # the repeated frames are summarised
    assert lines[-1] == "  in fn down at <program>:2:7"


def test_unbounded_mutual_recursion_is_a_charl_error() -> None:
    program = """
fn ping(n: int) -> int { pong(n + 1) }
fn pong(n: int) -> int { ping(n + 1) }
ping(0)
"""
    _, stderr = failure(program)
    assert "Maximum recursion depth exceeded (10000 calls)" in stderr
    assert "more frames" in stderr


# ── control flow (§5.8) ──


def test_statements_after_break_in_the_same_if_block_still_run() -> None:
    program = """
for k in 0..5 {
    if k == 2 { break  print("after break in if") }
    print(k)
}
"""
    assert output(program) == "0\n1\nafter break in if\n"


def test_break_in_a_called_function_acts_on_the_calling_loop() -> None:
    program = """
fn stop() { break  print("function goes on") }
for k in 0..5 { print(k)  stop()  print("not printed") }
print("done")
"""
    assert output(program) == "0\nfunction goes on\ndone\n"


def test_top_level_continue_flag_waits_for_the_next_loop() -> None:
    program = """
continue
print("top level goes on")
for k in 0..3 { print("first", k)  print("second", k) }
"""
    assert output(program) == "top level goes on\nfirst 0\nfirst 1\nsecond 1\nfirst 2\nsecond 2\n"


def test_continue_reevaluates_the_while_condition() -> None:
    program = """
let i = 0
while i < 5 { i = i + 1  if i % 2 == 0 { continue }  print(i) }
"""
    assert output(program) == "1\n3\n5\n"


def test_top_level_return_ends_the_program_with_exit_0() -> None:
    result = run_captured('print("a")\nif true { return 5 }\nprint("b")')
    assert (result.stdout, result.code) == ("a\n", 0)


def test_return_inside_loops_stops_them() -> None:
    program = """
fn find(xs: [int], v: int) -> int {
    let i = 0
    while true { for x in xs { if x == v { return i }  i = i + 1 } }
}
print(find([4, 5, 6], 6))
"""
    assert output(program) == "2\n"


def test_else_if_chain_and_if_expression() -> None:
    program = """
fn grade(s: int) -> string { if s >= 90 { "A" } else if s >= 75 { "B" } else { "C" } }
let g = if 80 >= 90 { "A" } else if 80 >= 75 { "B" } else { "C" }
print(grade(95), grade(80), grade(10), g)
"""
    assert output(program) == "A B C B\n"


def test_concurrent_runs_keep_their_recursion_depth_and_restore_pythons_limit() -> None:
    import sys
    import threading

    before = sys.getrecursionlimit()
    deep = "fn down(n: int) -> int { if n == 0 { return 0 }  down(n - 1) }\nprint(down(9999))"
    results: list[str] = []
    runs = [threading.Thread(target=lambda: results.append(output(deep))) for _ in range(3)]
    for run in runs:
        run.start()
    results.append(output("print(1)"))  # a short run ending while the deep ones go on
    for run in runs:
        run.join()
    assert sorted(results) == ["0\n", "0\n", "0\n", "1\n"]
    assert sys.getrecursionlimit() == before
