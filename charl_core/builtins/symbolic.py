"""LANGUAGE.md §8.20 Symbolic AI: rules and rule engines, first-order logic, fuzzy logic and concepts.

§8.20 mixes two arity wordings, sometimes for builtins that do the same thing: the R rows (`rule_*`,
`fol_var`/`fol_const`/`fol_func`, `fol_unify`, `fuzzy_create`/`and`/`or`/`not`/`get_value`,
`concept_graph_count`) say `NAME requires N arguments: …` and ignore extra arguments, while their siblings
(`fol_variable`, `fol_predicate`, `fuzzy_value`, `concept_*`, …) use the ordinary `expects` message. Objects
are values: every "add" returns the updated object, which the program reassigns. No tensors are involved.
"""

from __future__ import annotations

from charl_core.builtins.rules import returns
from charl_core.builtins.spec import ArityStyle, Builtin, Kind, Param
from charl_core.types import BOOL, FLOAT, INT, ObjectType

SYMBOLIC_RULE = ObjectType("symbolic_rule")
RULE_ENGINE = ObjectType("rule_engine")
FOL_TERM = ObjectType("fol_term")
FOL_FORMULA = ObjectType("fol_formula")
FOL_SOLVER = ObjectType("fol_solver")
FUZZY_VALUE = ObjectType("fuzzy_value")
CONCEPT = ObjectType("concept")
CONCEPT_GRAPH = ObjectType("concept_graph")

ENGINE = Param("engine", Kind.OBJECT, object_kind="rule_engine")
NAME = Param("name", Kind.STRING)
ARGS = Param("args", Kind.ARRAY)
TERM1 = Param("term1", Kind.OBJECT, object_kind="fol_term")
TERM2 = Param("term2", Kind.OBJECT, object_kind="fol_term")
FORMULA = Param("formula", Kind.OBJECT, object_kind="fol_formula")
LEFT = Param("left", Kind.OBJECT, object_kind="fol_formula")
RIGHT = Param("right", Kind.OBJECT, object_kind="fol_formula")
SOLVER = Param("solver", Kind.OBJECT, object_kind="fol_solver")
A_CONCEPT = Param("concept", Kind.OBJECT, object_kind="concept")
CONCEPT_GRAPH_PARAM = Param("graph", Kind.OBJECT, object_kind="concept_graph")

FUZZY_RANGE_ERROR = "fuzzy_create: value must be in [0.0, 1.0]"

_FACT = 'let human = fol_predicate("human", [fol_constant("socrates")])\n'
_P_Q = 'let p = fol_predicate("p", [fol_constant("a")])\nlet q = fol_predicate("q", [fol_constant("a")])\n'


def _term(name: str, what: str, usage: str, params: tuple[Param, ...], example: str, r: bool) -> Builtin:
    """A FOL term constructor; the R and `expects` generations differ only in name and arity wording."""
    return Builtin(
        name=name,
        section="8.20",
        usage=usage,
        params=params,
        result=returns(FOL_TERM),
        summary=f"A first-order-logic {what} term",
        doc=f"Builds a `fol_term` for a {what}; it prints `FOLTerm(‹term›)`. Terms are unified with "
        "`fol_unify` and used as the arguments of `fol_predicate`."
        + (" Extra arguments are ignored." if r else ""),
        example=example,
        arity_style=ArityStyle.REQUIRES if r else ArityStyle.EXPECTS,
    )


def _connective(name: str, params: tuple[Param, ...], formula: str, meaning: str, example: str) -> Builtin:
    """A FOL formula built from other formulas (and, for quantifiers, a variable)."""
    return Builtin(
        name=name,
        section="8.20",
        usage=f"{name}({', '.join(param.name for param in params)})",
        params=params,
        result=returns(FOL_FORMULA),
        summary=f"First-order-logic {meaning}: {formula}",
        doc=f"Builds the `fol_formula` `{formula}` ({meaning}); it prints `FOLFormula`. Formulas are given "
        "to a solver with `fol_solver_add_fact`, `fol_solver_add_rule` and `fol_solver_prove`.",
        example=example,
    )


def _fuzzy_combination(name: str, params: tuple[Param, ...], what: str, example: str) -> Builtin:
    """fuzzy_and/or/not (R): operands may be fuzzy values or plain numbers."""
    return Builtin(
        name=name,
        section="8.20",
        usage=f"{name}({', '.join(param.name for param in params)})",
        params=params,
        result=returns(FUZZY_VALUE),
        summary=f"Fuzzy {what}",
        doc=f"Returns a new `fuzzy_value` holding {what}. Each operand may be a fuzzy value or a plain "
        "number. Extra arguments are ignored.",
        example=example,
        arity_style=ArityStyle.REQUIRES,
    )


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        name="rule_create",
        section="8.20",
        usage="rule_create(name, description)",
        params=(NAME, Param("description", Kind.STRING)),
        result=returns(SYMBOLIC_RULE),
        summary="A named symbolic rule",
        doc="Creates a `symbolic_rule` from two strings, a name and a description; it prints "
        "`Rule(‹name›)`. Add it to an engine with `rule_engine_add_rule`. Extra arguments are ignored.",
        example='print(rule_create("mortality", "every human is mortal"))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="rule_engine_create",
        section="8.20",
        usage="rule_engine_create()",
        params=(),
        result=returns(RULE_ENGINE),
        summary="An empty rule engine",
        doc="Creates a `rule_engine` with no rules; it prints `RuleEngine`. Arguments are ignored.",
        example="let engine = rule_engine_create()\nprint(rule_engine_count(engine))",
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="rule_engine_add_rule",
        section="8.20",
        usage="rule_engine_add_rule(engine, rule)",
        params=(ENGINE, Param("rule", Kind.OBJECT, object_kind="symbolic_rule")),
        result=returns(RULE_ENGINE),
        summary="The rule engine with one more rule",
        doc="Returns the updated engine with `rule` added; programs reassign the result: "
        "`engine = rule_engine_add_rule(engine, r)`. Extra arguments are ignored.",
        example='let engine = rule_engine_create()\nengine = rule_engine_add_rule(engine, rule_create("r1", '
        '"first"))\nprint(rule_engine_count(engine))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="rule_engine_count",
        section="8.20",
        usage="rule_engine_count(engine)",
        params=(ENGINE,),
        result=returns(INT),
        summary="The number of rules in a rule engine",
        doc="Returns the number of rules added to `engine`, as an integer. Extra arguments are ignored.",
        example='let engine = rule_engine_add_rule(rule_engine_create(), rule_create("r1", "first"))\n'
        "print(rule_engine_count(engine))",
        arity_style=ArityStyle.REQUIRES,
    ),
    _term("fol_var", "variable", "fol_var(name)", (NAME,), 'print(fol_var("x"))', r=True),
    _term("fol_const", "constant", "fol_const(name)", (NAME,), 'print(fol_const("socrates"))', r=True),
    _term(
        "fol_func",
        "function-application",
        "fol_func(name, args)",
        (NAME, ARGS),
        'print(fol_func("father", [fol_var("x")]))',
        r=True,
    ),
    _term("fol_variable", "variable", "fol_variable(name)", (NAME,), 'print(fol_variable("x"))', r=False),
    _term(
        "fol_constant", "constant", "fol_constant(name)", (NAME,), 'print(fol_constant("socrates"))', r=False
    ),
    _term(
        "fol_function",
        "function-application",
        "fol_function(name, args)",
        (NAME, ARGS),
        'print(fol_function("father", [fol_variable("x")]))',
        r=False,
    ),
    Builtin(
        name="fol_unify",
        section="8.20",
        usage="fol_unify(term1, term2)",
        params=(TERM1, TERM2),
        result=returns(BOOL),
        summary="Whether two first-order terms unify syntactically",
        doc="Returns `true` when syntactic unification of `term1` and `term2` succeeds (a variable unifies "
        "with any term; constants and functions must match by name and arguments), `false` otherwise. "
        "Extra arguments are ignored.",
        example='print(fol_unify(fol_var("x"), fol_const("socrates")))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fol_predicate",
        section="8.20",
        usage="fol_predicate(name, args)",
        params=(NAME, ARGS),
        result=returns(FOL_FORMULA),
        summary="An atomic first-order formula: a predicate applied to terms",
        doc="Builds the `fol_formula` `name(args…)` from a predicate name and an array of terms; it prints "
        "`FOLFormula`. Combine formulas with `fol_not`, `fol_and`, `fol_or`, `fol_implies`, `fol_forall` "
        "and `fol_exists`.",
        example='print(fol_predicate("human", [fol_constant("socrates")]))',
    ),
    _connective(
        "fol_not",
        (FORMULA,),
        "¬formula",
        "negation",
        _FACT + "print(fol_not(human))",
    ),
    _connective("fol_and", (LEFT, RIGHT), "left ∧ right", "conjunction", _P_Q + "print(fol_and(p, q))"),
    _connective("fol_or", (LEFT, RIGHT), "left ∨ right", "disjunction", _P_Q + "print(fol_or(p, q))"),
    _connective(
        "fol_implies", (LEFT, RIGHT), "left → right", "implication", _P_Q + "print(fol_implies(p, q))"
    ),
    _connective(
        "fol_forall",
        (Param("variable"), FORMULA),
        "∀ variable: formula",
        "universal quantification",
        'let x = fol_variable("x")\nprint(fol_forall(x, fol_predicate("mortal", [x])))',
    ),
    _connective(
        "fol_exists",
        (Param("variable"), FORMULA),
        "∃ variable: formula",
        "existential quantification",
        'let x = fol_variable("x")\nprint(fol_exists(x, fol_predicate("human", [x])))',
    ),
    Builtin(
        name="fol_solver_create",
        section="8.20",
        usage="fol_solver_create()",
        params=(),
        result=returns(FOL_SOLVER),
        summary="An empty first-order-logic solver",
        doc="Creates a `fol_solver` with no facts and no rules; it prints `FOLSolver`. Add knowledge with "
        "`fol_solver_add_fact` and `fol_solver_add_rule`, then ask `fol_solver_prove`.",
        example="print(fol_solver_create())",
    ),
    Builtin(
        name="fol_solver_add_fact",
        section="8.20",
        usage="fol_solver_add_fact(solver, formula)",
        params=(SOLVER, FORMULA),
        result=returns(FOL_SOLVER),
        summary="The solver with one more fact",
        doc="Returns the updated solver with `formula` added as a fact; programs reassign the result.",
        example=_FACT + "let solver = fol_solver_add_fact(fol_solver_create(), human)\nprint(solver)",
    ),
    Builtin(
        name="fol_solver_add_rule",
        section="8.20",
        usage="fol_solver_add_rule(solver, head, body)",
        params=(SOLVER, Param("head", Kind.OBJECT, object_kind="fol_formula"), Param("body")),
        result=returns(FOL_SOLVER),
        summary="The solver with one more rule: head holds when body holds",
        doc="Returns the updated solver with the rule `head ← body` added (the head is proved by proving the "
        "body); programs reassign the result.",
        example='let x = fol_variable("x")\nlet solver = fol_solver_add_rule(fol_solver_create(), '
        'fol_predicate("mortal", [x]),\n    [fol_predicate("human", [x])])\nprint(solver)',
    ),
    Builtin(
        name="fol_solver_prove",
        section="8.20",
        usage="fol_solver_prove(solver, goal)",
        params=(SOLVER, Param("goal", Kind.OBJECT, object_kind="fol_formula")),
        result=returns(BOOL),
        summary="Whether the solver can prove a goal from its facts and rules",
        doc="Returns `true` when `goal` follows from the solver's facts and rules, `false` otherwise.",
        example=_FACT + "let solver = fol_solver_add_fact(fol_solver_create(), human)\n"
        "print(fol_solver_prove(solver, human))",
    ),
    Builtin(
        name="fuzzy_create",
        section="8.20",
        usage="fuzzy_create(value, label)",
        params=(Param("value", Kind.NUMBER), Param("label", Kind.STRING)),
        result=returns(FUZZY_VALUE),
        summary="A labelled fuzzy truth value in [0, 1]",
        doc="Creates a `fuzzy_value` with degree of truth `value` and a label; it prints `FuzzyValue`. "
        "`value` must lie in [0.0, 1.0], otherwise it is a run-time error. Read it back with "
        "`fuzzy_get_value`. Extra arguments are ignored.",
        example='print(fuzzy_get_value(fuzzy_create(0.7, "warm")))',
        arity_style=ArityStyle.REQUIRES,
        errors=(FUZZY_RANGE_ERROR,),
    ),
    _fuzzy_combination(
        "fuzzy_and",
        (Param("val1"), Param("val2")),
        "conjunction: the minimum of the two degrees",
        'print(fuzzy_get_value(fuzzy_and(fuzzy_create(0.7, "warm"), fuzzy_create(0.4, "humid"))))',
    ),
    _fuzzy_combination(
        "fuzzy_or",
        (Param("val1"), Param("val2")),
        "disjunction: the maximum of the two degrees",
        'print(fuzzy_get_value(fuzzy_or(fuzzy_create(0.7, "warm"), fuzzy_create(0.4, "humid"))))',
    ),
    _fuzzy_combination(
        "fuzzy_not",
        (Param("val"),),
        "negation: `1.0 - v`",
        'print(fuzzy_get_value(fuzzy_not(fuzzy_create(0.25, "cold"))))',
    ),
    Builtin(
        name="fuzzy_get_value",
        section="8.20",
        usage="fuzzy_get_value(fuzzy)",
        params=(Param("fuzzy", Kind.OBJECT, object_kind="fuzzy_value"),),
        result=returns(FLOAT),
        summary="The degree of truth of a fuzzy value, as a float",
        doc="Returns the degree in [0, 1] held by a `fuzzy_value`. Extra arguments are ignored.",
        example='print(fuzzy_get_value(fuzzy_create(0.7, "warm")))',
        arity_style=ArityStyle.REQUIRES,
    ),
    Builtin(
        name="fuzzy_value",
        section="8.20",
        usage="fuzzy_value(value)",
        params=(Param("value", Kind.NUMBER),),
        result=returns(FUZZY_VALUE),
        summary="An unlabelled fuzzy truth value",
        doc="Creates a `fuzzy_value` with degree of truth `value`; it prints `FuzzyValue`. Convert back with "
        "`fuzzy_to_float` or `fuzzy_to_bool`.",
        example="print(fuzzy_to_float(fuzzy_value(0.8)))",
    ),
    Builtin(
        name="fuzzy_implies",
        section="8.20",
        usage="fuzzy_implies(a, b)",
        params=(Param("a"), Param("b")),
        result=returns(FUZZY_VALUE),
        summary="Fuzzy implication ¬a ∨ b",
        doc="Returns a new `fuzzy_value` for `a → b` read as `¬a ∨ b`, i.e. the maximum of `1.0 - a` "
        "and `b`.",
        example="print(fuzzy_to_float(fuzzy_implies(fuzzy_value(0.8), fuzzy_value(0.3))))",
    ),
    Builtin(
        name="fuzzy_to_bool",
        section="8.20",
        usage="fuzzy_to_bool(value)",
        params=(Param("value"),),
        result=returns(BOOL),
        summary="A fuzzy value as a boolean: true when its degree is at least 0.5",
        doc="Returns `true` when the degree of `value` is ≥ 0.5, `false` otherwise.",
        example="print(fuzzy_to_bool(fuzzy_value(0.5)))",
    ),
    Builtin(
        name="fuzzy_to_float",
        section="8.20",
        usage="fuzzy_to_float(value)",
        params=(Param("value"),),
        result=returns(FLOAT),
        summary="The degree of a fuzzy value, as a float",
        doc="Returns the degree of truth of `value` as a float.",
        example="print(fuzzy_to_float(fuzzy_value(0.8)))",
    ),
    Builtin(
        name="soft_unify_strings",
        section="8.20",
        usage="soft_unify_strings(term1, term2)",
        params=(Param("term1", Kind.STRING), Param("term2", Kind.STRING)),
        result=returns(FUZZY_VALUE),
        summary="How well two strings match, as a fuzzy value",
        doc="Soft unification: returns a `fuzzy_value` whose degree says how closely `term1` matches "
        "`term2`.",
        example='print(fuzzy_to_float(soft_unify_strings("colour", "color")))',
    ),
    Builtin(
        name="concept_create",
        section="8.20",
        usage="concept_create(name, properties)",
        params=(NAME, Param("properties", Kind.ARRAY, optional=True)),
        result=returns(CONCEPT),
        summary="A named concept with optional properties",
        doc="Creates a `concept` (it prints `Concept`). `properties`, when given, is an array of property "
        "names, each with strength 1.0; `concept_add_property` adds one with another strength. Compare "
        "concepts with `concept_similarity`.",
        example='print(concept_create("svm", ["supervised", "classification"]))',
    ),
    Builtin(
        name="concept_add_property",
        section="8.20",
        usage="concept_add_property(concept, property, strength)",
        params=(A_CONCEPT, Param("property", Kind.STRING), Param("strength", Kind.NUMBER)),
        result=returns(CONCEPT),
        summary="The concept with one more property of the given strength",
        doc="Returns a copy of `concept` with the property `property` at strength `strength`; programs "
        "reassign the result.",
        example='let cat = concept_add_property(concept_create("cat"), "furry", 0.9)\n'
        'print(concept_similarity(cat, concept_create("dog", ["furry"])))',
    ),
    Builtin(
        name="concept_similarity",
        section="8.20",
        usage="concept_similarity(c1, c2)",
        params=(
            Param("c1", Kind.OBJECT, object_kind="concept"),
            Param("c2", Kind.OBJECT, object_kind="concept"),
        ),
        result=returns(FLOAT),
        summary="Weighted Jaccard similarity of two concepts' properties",
        doc="Returns `Σ min(s1, s2) / Σ max(s1, s2)` over the union of the two concepts' property names, "
        "where a missing property has strength 0 (1.0 when both have no properties). "
        "`{supervised, classification, neural}` vs `{supervised, classification, tree}` gives `0.5`; vs "
        "`{unsupervised, clustering, neural}` it gives `0.2`.",
        example='let a = concept_create("mlp", ["supervised", "classification", "neural"])\n'
        'let b = concept_create("tree", ["supervised", "classification", "tree"])\n'
        "print(concept_similarity(a, b))",
    ),
    Builtin(
        name="concept_graph_create",
        section="8.20",
        usage="concept_graph_create()",
        params=(),
        result=returns(CONCEPT_GRAPH),
        summary="An empty concept graph",
        doc="Creates a `concept_graph` with no concepts; it prints `ConceptGraph`. Add concepts with "
        "`concept_graph_add` and count them with `concept_graph_count`.",
        example="print(concept_graph_count(concept_graph_create()))",
    ),
    Builtin(
        name="concept_graph_add",
        section="8.20",
        usage="concept_graph_add(graph, concept)",
        params=(CONCEPT_GRAPH_PARAM, A_CONCEPT),
        result=returns(CONCEPT_GRAPH),
        summary="The concept graph with one more concept",
        doc="Returns the updated graph with `concept` added; programs reassign the result. "
        "`concept_graph_add_concept` is the same builtin.",
        example='let g = concept_graph_add(concept_graph_create(), concept_create("cat"))\n'
        "print(concept_graph_count(g))",
        aliases=("concept_graph_add_concept",),
    ),
    Builtin(
        name="concept_graph_count",
        section="8.20",
        usage="concept_graph_count(graph)",
        params=(CONCEPT_GRAPH_PARAM,),
        result=returns(INT),
        summary="The number of concepts in a concept graph",
        doc="Returns the number of concepts added to `graph`, as an integer. Unlike its siblings this one is "
        "R: the arity message reads `concept_graph_count requires 1 argument: graph`, and extra arguments "
        "are ignored.",
        example='let g = concept_graph_add(concept_graph_create(), concept_create("cat"))\n'
        "print(concept_graph_count(g))",
        arity_style=ArityStyle.REQUIRES,
    ),
)
