"""Every named node kind of the grammar has a formatting rule, so a new grammar node fails here (and the
formatter refuses files that use it) until someone decides how it prints."""

from __future__ import annotations

from charl_core.syntax.language import LANGUAGE
from formatter.rules import RULES

NO_RULE = {
    "comment": "attached to tokens by formatter/comments.py",
    "token_tree": "inside `model`, which prints verbatim",
    "end_of_file_close": "printed as `}` by the block rule (§3.2)",
    "ERROR": "files with syntax errors are never formatted",
}


def _named_kinds() -> set[str]:
    kinds = set()
    for kind_id in range(LANGUAGE.node_kind_count):
        name = LANGUAGE.node_kind_for_id(kind_id)
        if name and LANGUAGE.node_kind_is_named(kind_id) and LANGUAGE.node_kind_is_visible(kind_id):
            kinds.add(name)
    return kinds


def test_every_named_kind_has_a_rule() -> None:
    missing = _named_kinds() - RULES.keys() - NO_RULE.keys()
    assert not missing, f"node kinds without a formatting rule: {sorted(missing)}"


def test_no_rule_for_a_kind_the_grammar_lacks() -> None:
    assert not RULES.keys() - _named_kinds()
