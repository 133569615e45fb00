"""Properties of the specialised builtins over generated inputs (hypothesis, modest example counts):
unification is symmetric and its unifier makes both terms equal, BFS paths are real and as short as
Floyd–Warshall says, concept similarity is a symmetric score in [0, 1], fuzzy connectives obey De Morgan."""

from __future__ import annotations

import io
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.library import load
from charl_core.runtime.library.symbolic import Term, resolve, unify

load()
SETTINGS = settings(max_examples=60, deadline=None)


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def _terms(depth: int = 2):
    leaves = st.one_of(
        st.sampled_from("xyz").map(lambda n: call("fol_var", n)),
        st.sampled_from("ab").map(lambda n: call("fol_const", n)),
    )
    if depth == 0:
        return leaves
    compound = st.tuples(st.sampled_from("fg"), st.lists(_terms(depth - 1), min_size=1, max_size=2)).map(
        lambda pair: call("fol_func", pair[0], pair[1])
    )
    return st.one_of(leaves, compound)


def applied(term: Term, subst) -> str:
    term = resolve(term, subst)
    if term.form != "func":
        return f"{term.form}:{term.name}"
    return f"{term.name}({','.join(applied(a, subst) for a in term.args)})"


@SETTINGS
@given(_terms(), _terms())
def test_unification_is_symmetric_and_its_unifier_equates_the_terms(left, right):
    forward = call("fol_unify", left, right)
    assert forward is call("fol_unify", right, left)
    subst = unify(left, right, {})
    assert (subst is not None) is forward
    if subst is not None:
        assert applied(left, subst) == applied(right, subst)


@SETTINGS
@given(
    st.integers(2, 7).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=14)
        )
    )
)
def test_bfs_paths_are_edges_and_shortest(case):
    size, edges = case
    kg = call("kg_create")
    for node in range(size):
        kg = call("kg_add_node", kg, node, "n", [])
    for source, target in edges:
        kg = call("kg_add_edge", kg, source, target, "r")
    inf = float("inf")
    distance = [[0 if i == j else inf for j in range(size)] for i in range(size)]
    for source, target in edges:
        if source != target:
            distance[source][target] = 1
    for k in range(size):
        for i in range(size):
            for j in range(size):
                distance[i][j] = min(distance[i][j], distance[i][k] + distance[k][j])
    for target in range(size):
        path = call("kg_shortest_path", kg, 0, target)
        if distance[0][target] == inf:
            assert path == []
            continue
        assert path[0] == 0 and path[-1] == target and len(path) - 1 == distance[0][target]
        assert all((a, b) in edges for a, b in itertools.pairwise(path))


_properties = st.dictionaries(st.sampled_from("abcdef"), st.floats(0, 1), max_size=5)


def _concept(properties: dict[str, float]):
    concept = call("concept_create", "c")
    for name, strength in properties.items():
        concept = call("concept_add_property", concept, name, strength)
    return concept


@SETTINGS
@given(_properties, _properties)
def test_concept_similarity_is_a_symmetric_score(first, second):
    a, b = _concept(first), _concept(second)
    score = call("concept_similarity", a, b)
    assert 0.0 <= score <= 1.0
    assert score == call("concept_similarity", b, a)
    assert call("concept_similarity", a, a) == 1.0


@SETTINGS
@given(st.floats(0, 1), st.floats(0, 1))
def test_fuzzy_de_morgan(p, q):
    def value(v):
        return call("fuzzy_get_value", v)

    not_and = value(call("fuzzy_not", call("fuzzy_and", p, q)))
    or_nots = value(call("fuzzy_or", call("fuzzy_not", p), call("fuzzy_not", q)))
    assert not_and == or_nots
    assert value(call("fuzzy_and", p, q)) == value(call("fuzzy_and", q, p)) == min(p, q)
