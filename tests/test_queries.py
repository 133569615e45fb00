"""Editor queries (grammar/queries/*.scm) compile against the real grammar and capture what they promise.

Editors load these files as they are, so a typo in a node or capture name only shows up as missing colours
or folds; these tests make it fail here instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tree_sitter import Node, Query, QueryCursor

from charl_core.syntax.language import LANGUAGE, parse_bytes
from tests.conftest import ROOT

QUERIES = ROOT / "grammar" / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.scm"))

# nvim-treesitter's capture names that highlights.scm may use; editors that know only a prefix (`keyword`)
# fall back to it.
STANDARD_HIGHLIGHTS = {
    "boolean", "comment", "function", "function.builtin", "function.call", "keyword", "keyword.conditional",
    "keyword.function", "keyword.operator", "keyword.repeat", "keyword.return", "number", "number.float",
    "operator", "property", "punctuation.bracket", "punctuation.delimiter", "string", "type", "type.builtin",
    "variable", "variable.parameter",
}  # fmt: skip

PROGRAM = """\
// scales a value
fn scale(x: float, k: int) -> tensor<float32, [N]> {
    let y = x * k
    if y < 0.0 { y = 0.0 }
    y
}
let total = scale(1.5, 2)
for i in 0..3 { print(i) }
let name = match total { 0 => "zero", n => str(n) }
"""


def load(name: str) -> Query:
    return Query(LANGUAGE, (QUERIES / f"{name}.scm").read_text(encoding="utf-8"))


def captured(name: str, source: str) -> dict[str, list[str]]:
    """Capture name -> texts of the captured nodes, in source order."""
    tree = parse_bytes(source.encode())
    found = QueryCursor(load(name)).captures(tree.root_node)
    return {
        capture: [node.text.decode() for node in sorted(nodes, key=lambda node: node.start_byte)]
        for capture, nodes in found.items()
    }


def highlights(source: str) -> dict[tuple[int, int, str], str]:
    """The highlight an editor shows for each captured node.

    The last matching pattern wins, as in Neovim and `tree-sitter highlight` (0.22).
    """
    tree = parse_bytes(source.encode())
    chosen: dict[tuple[int, int, str], tuple[int, str]] = {}
    for pattern, captures in QueryCursor(load("highlights")).matches(tree.root_node):
        for capture, nodes in captures.items():
            for node in nodes:
                key = (node.start_byte, node.end_byte, node.type)
                if key not in chosen or pattern >= chosen[key][0]:
                    chosen[key] = (pattern, capture)
    return {key: capture for key, (_, capture) in chosen.items()}


def highlight_of(source: str, text: str, occurrence: int = 0, node_type: str | None = None) -> str | None:
    """The highlight of the `occurrence`-th node whose text is `text` (optionally of one node type)."""
    data = source.encode()
    hits = sorted(
        (start, capture)
        for (start, end, kind), capture in highlights(source).items()
        if data[start:end].decode() == text and (node_type is None or kind == node_type)
    )
    return hits[occurrence][1] if occurrence < len(hits) else None


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.name)
def test_query_compiles_and_matches_real_programs(path: Path, conformance_cases: list[Path]) -> None:
    query = Query(LANGUAGE, path.read_text(encoding="utf-8"))
    assert query.pattern_count > 0
    matched = sum(
        len(QueryCursor(query).matches(parse_bytes(case.read_bytes()).root_node))
        for case in conformance_cases
    )
    assert matched > 0, f"{path.name} matches nothing in the conformance programs"


def test_every_query_the_package_names_exists() -> None:
    """grammar/package.json tells the tree-sitter CLI (and editors that read it) where the queries are."""
    (config,) = json.loads((ROOT / "grammar" / "package.json").read_text(encoding="utf-8"))["tree-sitter"]
    for key in ("highlights", "locals", "tags", "injections"):
        assert (ROOT / "grammar" / config[key]).is_file(), key


def test_highlight_captures_are_standard_names() -> None:
    query = load("highlights")
    names = {query.capture_name(index) for index in range(query.capture_count)}
    assert names <= STANDARD_HIGHLIGHTS, names - STANDARD_HIGHLIGHTS


def test_highlights_of_a_small_program() -> None:
    assert highlight_of(PROGRAM, "// scales a value") == "comment"
    assert highlight_of(PROGRAM, "fn") == "keyword.function"
    assert highlight_of(PROGRAM, "scale", 0) == "function"
    assert highlight_of(PROGRAM, "scale", 1) == "function.call"
    assert highlight_of(PROGRAM, "print") == "function.call"
    assert highlight_of(PROGRAM, "x", 0) == "variable.parameter"
    assert highlight_of(PROGRAM, "y", 0) == "variable"
    assert highlight_of(PROGRAM, "int") == "type.builtin"
    assert highlight_of(PROGRAM, "float32") == "type.builtin"
    assert highlight_of(PROGRAM, "tensor") == "type.builtin"
    assert highlight_of(PROGRAM, "N") == "type"
    assert highlight_of(PROGRAM, "1.5") == "number.float"
    assert highlight_of(PROGRAM, '"zero"') == "string"
    assert highlight_of(PROGRAM, "let") == "keyword"
    assert highlight_of(PROGRAM, "if") == "keyword.conditional"
    assert highlight_of(PROGRAM, "match") == "keyword.conditional"
    assert highlight_of(PROGRAM, "for") == "keyword.repeat"
    assert highlight_of(PROGRAM, "..") == "operator"


def test_angle_brackets_are_brackets_in_types_and_operators_in_expressions() -> None:
    assert highlight_of(PROGRAM, "<", 0) == "punctuation.bracket"
    assert highlight_of(PROGRAM, ">", 0) == "punctuation.bracket"
    assert highlight_of(PROGRAM, "<", 1) == "operator"


def test_tensor_in_an_expression_is_a_call_not_a_type() -> None:
    source = "let t = tensor([1.0], [1])"
    assert highlight_of(source, "tensor") == "function.call"


def test_calls_of_builtins_are_plain_calls() -> None:
    """No builtin list in the queries (the analysis owns it): `print` and a user function look the same."""
    text = (QUERIES / "highlights.scm").read_text(encoding="utf-8")
    assert "#any-of?" not in text and "#match?" not in text
    assert highlight_of("print(1)\nmy_fn(1)", "print") == highlight_of("print(1)\nmy_fn(1)", "my_fn")


def test_locals_definitions_and_scopes() -> None:
    found = captured("locals", PROGRAM)
    assert found["local.definition"] == ["x", "k", "y", "total", "i", "name", "n"]
    scopes = [text.split("\n")[0] for text in found["local.scope"]]
    # §5.6: functions, for loops and match arms open scopes; if/while blocks do not.
    assert scopes[0].startswith("// scales")  # the file
    assert scopes[1].startswith("fn scale")
    assert any(scope.startswith("for i in") for scope in scopes)
    assert any(scope.startswith("n =>") for scope in scopes)
    assert not any(scope.startswith(("if", "{")) for scope in scopes)
    assert "y" in found["local.reference"]


def test_tags_name_definitions_and_calls() -> None:
    tree = parse_bytes(PROGRAM.encode())
    tags: list[tuple[str, str]] = []
    for _, captures in QueryCursor(load("tags")).matches(tree.root_node):
        kind = next(name for name in captures if name != "name")
        name: Node = captures["name"][0]
        tags.append((kind, name.text.decode()))
    assert ("definition.function", "scale") in tags
    assert ("reference.call", "scale") in tags
    assert ("reference.call", "print") in tags


def test_folds_cover_blocks_and_match_arms() -> None:
    folds = captured("folds", PROGRAM)["fold"]
    assert any(text.startswith("{\n    let y") for text in folds)
    assert any(text.startswith("{ 0 =>") for text in folds)


def test_indents_open_at_blocks_and_close_at_braces() -> None:
    found = captured("indents", PROGRAM)
    assert any(text.startswith("{\n    let y") for text in found["indent.begin"])
    assert "}" in found["indent.branch"]


def test_comments_are_injected_as_the_comment_language() -> None:
    query = load("injections")
    tree = parse_bytes(PROGRAM.encode())
    matches = QueryCursor(query).matches(tree.root_node)
    assert [nodes["injection.content"][0].text.decode() for _, nodes in matches] == ["// scales a value"]
    assert query.pattern_settings(matches[0][0]) == {"injection.language": "comment"}
