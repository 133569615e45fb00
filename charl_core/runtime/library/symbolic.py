"""LANGUAGE.md §8.20: rule engines, first-order logic, fuzzy logic and concepts.

`fol_unify` is Robinson's syntactic unification with the occurs check. `fol_solver_prove` is SLD resolution
(Prolog's strategy: facts first, then rules in the order added, each rule's variables renamed apart) over
Horn clauses, with negation as failure for `fol_not`, `¬a ∨ b` for `fol_implies`, a fresh constant for the
variable of `fol_forall` and a variable for `fol_exists`. A search deeper than `MAX_DEPTH` rules or longer
than `MAX_STEPS` resolution steps fails, so left recursion answers false instead of hanging. A fact that
is a conjunction adds both parts, a universally quantified fact its body, and an implication the rule
`right ← left`. Fuzzy logic is Zadeh's (min, max, 1 − v); `soft_unify_strings` is one minus the Levenshtein
distance over the longer length. Terms print as `x`, `socrates`, `father(x)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import sequential_sum
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import to_float
from charl_core.runtime.library.specialised import ObjectValue, checked
from charl_core.runtime.values import kind_name

MAX_DEPTH = 64
MAX_STEPS = 50_000

# ───────────────────────────── rules ─────────────────────────────


class SymbolicRule(ObjectValue):
    KIND = "symbolic_rule"
    name: str
    description: str

    def text(self) -> str:
        return f"Rule({self.name})"


class RuleEngine(ObjectValue):
    KIND = "rule_engine"
    rules: tuple[SymbolicRule, ...] = ()

    def text(self) -> str:
        return "RuleEngine"


@implements("rule_create")
def rule_create(ctx, args):
    name, description = checked("rule_create", args)[:2]
    return SymbolicRule(name, description)


@implements("rule_engine_create")
def rule_engine_create(ctx, args):
    return RuleEngine()


@implements("rule_engine_add_rule")
def rule_engine_add_rule(ctx, args):
    engine, rule = checked("rule_engine_add_rule", args)[:2]
    return engine.with_(rules=(*engine.rules, rule))


@implements("rule_engine_count")
def rule_engine_count(ctx, args):
    return len(checked("rule_engine_count", args)[0].rules)


# ───────────────────────────── first-order logic ─────────────────────────────


class Term(ObjectValue):
    KIND = "fol_term"
    form: str  # "var", "const" or "func"
    name: str
    args: tuple[Term, ...] = ()

    def text(self) -> str:
        return f"FOLTerm({self.written()})"

    def written(self) -> str:
        if self.form != "func":
            return self.name
        return f"{self.name}({', '.join(a.written() for a in self.args)})"

    def same(self, other: Term) -> bool:
        return self.form == other.form and self.name == other.name


class Formula(ObjectValue):
    KIND = "fol_formula"
    op: str  # "pred", "not", "and", "or", "implies", "forall", "exists"
    name: str = ""
    terms: tuple[Term, ...] = ()
    parts: tuple[Formula, ...] = ()
    variable: Term | None = None

    def text(self) -> str:
        return "FOLFormula"


Substitution = dict[str, Term]


def resolve(term: Term, subst: Substitution) -> Term:
    while term.form == "var" and term.name in subst:
        term = subst[term.name]
    return term


def occurs(name: str, term: Term, subst: Substitution) -> bool:
    term = resolve(term, subst)
    if term.form == "var":
        return term.name == name
    return any(occurs(name, arg, subst) for arg in term.args)


def unify(a: Term, b: Term, subst: Substitution) -> Substitution | None:
    """The most general unifier extending `subst`, or None (never mutates `subst`)."""
    a, b = resolve(a, subst), resolve(b, subst)
    if a.form == "var" and b.form == "var" and a.name == b.name:
        return subst
    if a.form == "var":
        return None if occurs(a.name, b, subst) else {**subst, a.name: b}
    if b.form == "var":
        return unify(b, a, subst)
    if not a.same(b) or len(a.args) != len(b.args):
        return None
    for left, right in zip(a.args, b.args, strict=True):
        result = unify(left, right, subst)
        if result is None:
            return None
        subst = result
    return subst


def _term_list(name: str, args: list) -> tuple[Term, ...]:
    for arg in args:
        if not isinstance(arg, Term):
            raise CharlError(f"{name}() expects an array of fol_term, got {kind_name(arg)} in it")
    return tuple(args)


def _term_builder(builtin: str, form: str):
    def build(ctx, args):
        checked(builtin, args)
        if form == "func":
            return Term("func", args[0], _term_list(builtin, args[1]))
        return Term(form, args[0])

    return build


for _builtin, _form in (
    ("fol_var", "var"),
    ("fol_variable", "var"),
    ("fol_const", "const"),
    ("fol_constant", "const"),
    ("fol_func", "func"),
    ("fol_function", "func"),
):
    implements(_builtin)(_term_builder(_builtin, _form))


@implements("fol_unify")
def fol_unify(ctx, args):
    first, second = checked("fol_unify", args)[:2]
    return unify(first, second, {}) is not None


@implements("fol_predicate")
def fol_predicate(ctx, args):
    name, terms = checked("fol_predicate", args)[:2]
    return Formula("pred", name, _term_list("fol_predicate", terms))


@implements("fol_not")
def fol_not(ctx, args):
    return Formula("not", parts=(checked("fol_not", args)[0],))


def _binary(op: str):
    def build(ctx, args):
        left, right = checked(f"fol_{op}", args)[:2]
        return Formula(op, parts=(left, right))

    return build


for _op in ("and", "or", "implies"):
    implements(f"fol_{_op}")(_binary(_op))


def _quantifier(op: str):
    def build(ctx, args):
        name = f"fol_{op}"
        variable, body = checked(name, args)[:2]
        if type(variable) is str:
            variable = Term("var", variable)
        if not isinstance(variable, Term) or variable.form != "var":
            raise CharlError(f"{name}() expects a variable (fol_term), got {kind_name(variable)}")
        return Formula(op, parts=(body,), variable=variable)

    return build


for _op in ("forall", "exists"):
    implements(f"fol_{_op}")(_quantifier(_op))


class Solver(ObjectValue):
    KIND = "fol_solver"
    facts: tuple[Formula, ...] = ()  # predicates, possibly with (universal) variables
    rules: tuple[tuple[Formula, tuple[Formula, ...]], ...] = ()  # (head, body)

    def text(self) -> str:
        return "FOLSolver"

    def prove(self, goal: Formula) -> bool:
        fresh = itertools.count()
        return next(self._solve(goal, {}, 0, fresh), None) is not None

    def _solve(self, goal: Formula, subst: Substitution, depth: int, fresh) -> Iterator[Substitution]:
        if depth > MAX_DEPTH or next(fresh) > MAX_STEPS:
            return
        op = goal.op
        if op == "pred":
            yield from self._solve_predicate(goal, subst, depth, fresh)
        elif op == "and":
            for partial in self._solve(goal.parts[0], subst, depth, fresh):
                yield from self._solve(goal.parts[1], partial, depth, fresh)
        elif op == "or":
            yield from self._solve(goal.parts[0], subst, depth, fresh)
            yield from self._solve(goal.parts[1], subst, depth, fresh)
        elif op == "not":
            if next(self._solve(goal.parts[0], subst, depth + 1, fresh), None) is None:
                yield subst
        elif op == "implies":
            left, right = goal.parts
            yield from self._solve(
                Formula("or", parts=(Formula("not", parts=(left,)), right)), subst, depth, fresh
            )
        elif op == "exists":
            yield from self._solve(goal.parts[0], subst, depth, fresh)
        else:  # forall: prove the body for an arbitrary new constant
            constant = Term("const", f"#sk{next(fresh)}")
            yield from self._solve(rename(goal.parts[0], {goal.variable.name: constant}), subst, depth, fresh)

    def _solve_predicate(
        self, goal: Formula, subst: Substitution, depth: int, fresh
    ) -> Iterator[Substitution]:
        for fact in self.facts:
            renamed = rename_apart(fact, next(fresh))
            result = unify_atoms(goal, renamed, subst)
            if result is not None:
                yield result
        for head, body in self.rules:
            suffix = next(fresh)
            result = unify_atoms(goal, rename_apart(head, suffix), subst)
            if result is None:
                continue
            yield from self._solve_all([rename_apart(b, suffix) for b in body], result, depth + 1, fresh)

    def _solve_all(
        self, goals: list[Formula], subst: Substitution, depth: int, fresh
    ) -> Iterator[Substitution]:
        if not goals:
            yield subst
            return
        for partial in self._solve(goals[0], subst, depth, fresh):
            yield from self._solve_all(goals[1:], partial, depth, fresh)


def unify_atoms(a: Formula, b: Formula, subst: Substitution) -> Substitution | None:
    if b.op != "pred" or a.name != b.name or len(a.terms) != len(b.terms):
        return None
    return unify(Term("func", a.name, a.terms), Term("func", b.name, b.terms), subst)


def rename_term(term: Term, mapping: dict[str, Term]) -> Term:
    if term.form == "var":
        return mapping.get(term.name, term)
    return term.with_(args=tuple(rename_term(a, mapping) for a in term.args)) if term.args else term


def variables(formula: Formula) -> set[str]:
    found: set[str] = set()

    def visit(term: Term) -> None:
        if term.form == "var":
            found.add(term.name)
        for arg in term.args:
            visit(arg)

    for term in formula.terms:
        visit(term)
    for part in formula.parts:
        found |= variables(part)
    return found


def rename(formula: Formula, mapping: dict[str, Term]) -> Formula:
    return formula.with_(
        terms=tuple(rename_term(t, mapping) for t in formula.terms),
        parts=tuple(rename(p, mapping) for p in formula.parts),
    )


def rename_apart(formula: Formula, suffix: int) -> Formula:
    return rename(formula, {v: Term("var", f"{v}#{suffix}") for v in variables(formula)})


def _as_clauses(formula: Formula) -> tuple[list[Formula], list[tuple[Formula, tuple[Formula, ...]]]]:
    """A formula told to the solver as Horn facts and rules."""
    if formula.op == "forall":
        return _as_clauses(formula.parts[0])
    if formula.op == "and":
        facts, rules = _as_clauses(formula.parts[0])
        more_facts, more_rules = _as_clauses(formula.parts[1])
        return facts + more_facts, rules + more_rules
    if formula.op == "implies":
        return [], [(formula.parts[1], (formula.parts[0],))]
    return [formula], []


@implements("fol_solver_create")
def fol_solver_create(ctx, args):
    return Solver()


@implements("fol_solver_add_fact")
def fol_solver_add_fact(ctx, args):
    solver, formula = checked("fol_solver_add_fact", args)[:2]
    facts, rules = _as_clauses(formula)
    return solver.with_(facts=(*solver.facts, *facts), rules=(*solver.rules, *rules))


@implements("fol_solver_add_rule")
def fol_solver_add_rule(ctx, args):
    solver, head, body = checked("fol_solver_add_rule", args)[:3]
    goals = body if type(body) is list else [body]
    for goal in goals:
        if not isinstance(goal, Formula):
            raise CharlError(f"fol_solver_add_rule() expects a fol_formula body, got {kind_name(goal)}")
    while head.op == "forall":
        head = head.parts[0]
    if head.op != "pred":
        raise CharlError("fol_solver_add_rule: the head must be a predicate")
    return solver.with_(rules=(*solver.rules, (head, tuple(goals))))


@implements("fol_solver_prove")
def fol_solver_prove(ctx, args):
    solver, goal = checked("fol_solver_prove", args)[:2]
    return solver.prove(goal)


# ───────────────────────────── fuzzy logic ─────────────────────────────


class FuzzyValue(ObjectValue):
    KIND = "fuzzy_value"
    value: float
    label: str = ""

    def text(self) -> str:
        return "FuzzyValue"


def degree(name: str, value: Any) -> float:
    """A fuzzy operand: a fuzzy value or a plain number."""
    if isinstance(value, FuzzyValue):
        return value.value
    if type(value) in (int, float):
        return float(value)
    raise CharlError(f"{name}() expects a fuzzy_value or a number, got {kind_name(value)}")


@implements("fuzzy_create")
def fuzzy_create(ctx, args):
    value, name = checked("fuzzy_create", args)[:2]
    number = to_float(value)
    if not 0.0 <= number <= 1.0:
        raise CharlError("fuzzy_create: value must be in [0.0, 1.0]")
    return FuzzyValue(number, name)


@implements("fuzzy_and")
def fuzzy_and(ctx, args):
    return FuzzyValue(min(degree("fuzzy_and", args[0]), degree("fuzzy_and", args[1])))


@implements("fuzzy_or")
def fuzzy_or(ctx, args):
    return FuzzyValue(max(degree("fuzzy_or", args[0]), degree("fuzzy_or", args[1])))


@implements("fuzzy_not")
def fuzzy_not(ctx, args):
    return FuzzyValue(1.0 - degree("fuzzy_not", args[0]))


@implements("fuzzy_get_value")
def fuzzy_get_value(ctx, args):
    return checked("fuzzy_get_value", args)[0].value


@implements("fuzzy_value")
def fuzzy_value(ctx, args):
    return FuzzyValue(to_float(checked("fuzzy_value", args)[0]))


@implements("fuzzy_implies")
def fuzzy_implies(ctx, args):
    return FuzzyValue(max(1.0 - degree("fuzzy_implies", args[0]), degree("fuzzy_implies", args[1])))


@implements("fuzzy_to_bool")
def fuzzy_to_bool(ctx, args):
    return degree("fuzzy_to_bool", args[0]) >= 0.5


@implements("fuzzy_to_float")
def fuzzy_to_float(ctx, args):
    return degree("fuzzy_to_float", args[0])


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@implements("soft_unify_strings")
def soft_unify_strings(ctx, args):
    first, second = checked("soft_unify_strings", args)[:2]
    longest = max(len(first), len(second))
    return FuzzyValue(1.0 - levenshtein(first, second) / longest if longest else 1.0)


# ───────────────────────────── concepts ─────────────────────────────


class Concept(ObjectValue):
    KIND = "concept"
    name: str
    properties: tuple[tuple[str, float], ...] = ()  # insertion order, one entry per name

    def text(self) -> str:
        return "Concept"

    def strength(self, name: str) -> float:
        return next((s for n, s in self.properties if n == name), 0.0)

    def with_property(self, name: str, strength: float) -> Concept:
        kept = tuple((n, s) for n, s in self.properties if n != name)
        return self.with_(properties=(*kept, (name, strength)))


class ConceptGraph(ObjectValue):
    KIND = "concept_graph"
    concepts: tuple[Concept, ...] = ()

    def text(self) -> str:
        return "ConceptGraph"


@implements("concept_create")
def concept_create(ctx, args):
    checked("concept_create", args)
    concept = Concept(args[0])
    for name in args[1] if len(args) > 1 else []:
        if type(name) is not str:
            raise CharlError(f"concept_create() expects an array of strings, got {kind_name(name)} in it")
        concept = concept.with_property(name, 1.0)
    return concept


@implements("concept_add_property")
def concept_add_property(ctx, args):
    concept, name, strength = checked("concept_add_property", args)[:3]
    return concept.with_property(name, to_float(strength))


@implements("concept_similarity")
def concept_similarity(ctx, args):
    """Weighted Jaccard over the union of names (§8.20), summed in name order so that swapping the
    concepts cannot change the last bit."""
    first, second = checked("concept_similarity", args)[:2]
    names = sorted({n for n, _ in first.properties} | {n for n, _ in second.properties})
    pairs = np.array([(first.strength(n), second.strength(n)) for n in names]).reshape(-1, 2)
    largest = sequential_sum(pairs.max(axis=1)) if names else 0.0
    return sequential_sum(pairs.min(axis=1)) / largest if largest > 0.0 else 1.0


@implements("concept_graph_create")
def concept_graph_create(ctx, args):
    return ConceptGraph()


@implements("concept_graph_add")
def concept_graph_add(ctx, args):
    graph, concept = checked("concept_graph_add", args)[:2]
    return graph.with_(concepts=(*graph.concepts, concept))


@implements("concept_graph_count")
def concept_graph_count(ctx, args):
    return len(checked("concept_graph_count", args)[0].concepts)
