"""The analysis facade and its editor features, on real Charl text.

Each feature has one `check_…` helper. A fixture is Charl source where `$0` marks the cursor and `«…»`
marks the spans the answer must name (definitions, references, dimension origins); both are removed before
the text is analysed, and offsets are UTF-8 bytes as everywhere in the analysis.
"""

from __future__ import annotations

from charl_core.analysis import Analysis, Workspace
from charl_core.ast import Span
from charl_core.builtins import lookup
from charl_core.syntax.document import TextChange
from tests.conftest import EXAMPLES, require_conformance

# ───────────────────────────── fixtures ─────────────────────────────


def fixture(marked: str) -> tuple[Analysis, int, list[Span]]:
    """The analysis of `marked` without its markers, the cursor offset and the marked spans."""
    text, cursor, spans, starts = [], -1, [], []
    offset = 0
    index = 0
    while index < len(marked):
        if marked.startswith("$0", index):
            cursor = offset
            index += 2
            continue
        char = marked[index]
        if char == "«":
            starts.append(offset)
        elif char == "»":
            spans.append(Span(starts.pop(), offset))
        else:
            text.append(char)
            offset += len(char.encode("utf-8"))
        index += 1
    assert cursor >= 0, "the fixture has no $0 cursor"
    return Analysis.of_text("".join(text)), cursor, sorted(spans, key=lambda span: span.start)


# ───────────────────────────── hover ─────────────────────────────


def check_hover(marked: str, **expected: object) -> None:
    """Compare the named fields of the hover at the cursor; `usage`/`summary` are the builtin's, and
    `dimensions` are compared with the marked spans."""
    analysis, cursor, spans = fixture(marked)
    found = analysis.type_at(cursor)
    if expected.get("none"):
        assert found is None
        return
    assert found is not None
    actual = {
        "kind": found.kind.value,
        "name": found.name,
        "type": found.type,
        "grad": found.grad,
        "signature": found.signature,
        "usage": found.builtin.usage if found.builtin else None,
        "summary": found.builtin.summary if found.builtin else None,
        "dimensions": [(origin.name, origin.span) for origin in found.dimensions],
    }
    if "dimensions" in expected:
        expected["dimensions"] = list(zip(expected["dimensions"], spans, strict=True))  # type: ignore[arg-type]
    assert {key: actual[key] for key in expected} == expected


TRAINING_DATA = """\
let xs: [float32; 80] = [0.0; 80]
let i = 0
while i < 40 { xs[i * 2] = i * 0.1  xs[i * 2 + 1] = 1.0  i = i + 1 }
"""


def test_hover_on_a_tensor_let_shows_its_shape() -> None:
    check_hover(
        TRAINING_DATA + "let X$0 = tensor(xs, [40, 2])\n",
        kind="variable",
        name="X",
        type="tensor<float32, [40, 2]>",
        grad="no",
    )


def test_hover_on_a_function_value_shows_the_name_users_wrote() -> None:
    """The checker's function keys (`helper@…`) never reach the editor."""
    check_hover(
        "fn helper(x: int) -> int { x + 1 }\nlet $0g = helper\nprint(g(2))", type="fn helper(int) -> any"
    )


def test_hover_on_a_read_shows_the_type_there_and_the_grad_state() -> None:
    check_hover(
        "let W = tensor_requires_grad(tensor_zeros([2, 3]), true)\nprint(W$0)\n",
        kind="variable",
        type="tensor<float32, [2, 3]>, requires grad",
        grad="yes",
    )


def test_hover_on_a_builtin_callee_shows_usage_summary_and_the_call_type() -> None:
    check_hover(
        "let b = tensor_requires_grad(tensor_ze$0ros([8]), true)\n",
        kind="builtin",
        usage="tensor_zeros(shape)",
        summary=lookup("tensor_zeros").summary,
        type="tensor<float32, [8]>",
    )


def test_hover_on_a_builtin_alias_spells_the_alias() -> None:
    check_hover(
        "let p = tensor([1.0])\nprint(nn_mse_loss$0(p, p))\n",
        usage="nn_mse_loss(pred, target)",
        summary=lookup("loss_mse").summary,
    )


def test_hover_on_a_builtin_works_in_broken_text() -> None:
    check_hover("let x = tensor([1.0])\nlet y = nn_linear$0(x, \n", kind="builtin", type=None)


MM = """\
fn mm(a: tensor<float32, [«M», «K»]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]> {
    tensor_matmul(a$0, b)
}
"""


def test_hover_on_a_parameter_shows_where_its_dimensions_were_bound() -> None:
    check_hover(MM, kind="parameter", type="tensor<float32, [M, K]>, may require grad", dimensions=["M", "K"])


def test_hover_on_a_function_shows_its_signature() -> None:
    signature = "fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]>"
    plain = MM.replace("«", "").replace("»", "").replace("$0", "")
    check_hover(plain + "let z = m$0m(tensor_zeros([2, 3]), tensor_zeros([3, 4]))\n", signature=signature)
    check_hover(plain.replace("fn mm", "fn m$0m"), kind="function", signature=signature)


def test_hover_on_loop_variables_and_expressions() -> None:
    check_hover("for k$0 in 0..3 { print(k) }\n", kind="loop_variable", type="int")
    check_hover("let r = 1 $0+ 2.5\n", kind="expression", type="float")
    check_hover('print("a // b$0")\n', kind="expression", type="string")


def test_hover_in_comments_and_whitespace_is_nothing() -> None:
    check_hover("let x = 1  // x$0 is one\n", none=True)
    check_hover("let x = 1\n   $0  \nprint(x)\n", none=True)


# ───────────────────────────── navigation ─────────────────────────────


def check_definition(marked: str) -> None:
    """The definitions at the cursor are exactly the marked names."""
    analysis, cursor, spans = fixture(marked)
    assert [target.name_span for target in analysis.definition(cursor)] == spans


def check_references(marked: str, include_declaration: bool = True) -> None:
    analysis, cursor, spans = fixture(marked)
    assert list(analysis.references(cursor, include_declaration)) == spans


def test_definition_follows_re_lets() -> None:
    check_definition("let x = 1\nlet «x» = x + 1\nprint(x$0)\n")
    check_definition("let «x» = 1\nlet x = x$0 + 1\nprint(x)\n")  # the value reads the old x


def test_definition_joins_the_branches_of_an_if() -> None:
    check_definition("let c = true\nlet «x» = 1\nif c { let «x» = 2 }\nprint(x$0)\n")


def test_definition_respects_for_loop_scopes() -> None:
    check_definition("let «best» = 0\nfor k in 0..3 { let best = k }\nprint(best$0)\n")
    check_definition("let best = 0\nfor k in 0..3 { let «best» = k  print(best$0, k) }\n")
    check_definition("for «k» in 0..3 { print(k$0) }\n")


def test_definition_of_a_function_declared_later() -> None:
    check_definition("print(twice$0(2))\nfn «twice»(n: int) -> int { n * 2 }\n")


def test_definition_of_a_late_bound_call_inside_a_function() -> None:
    check_definition(
        "fn is_even(n: int) -> bool { if n == 0 { return true }  return is_odd$0(n - 1) }\n"
        "fn «is_odd»(n: int) -> bool { if n == 0 { return false }  return is_even(n - 1) }\n"
    )


def test_definition_of_a_builtin_is_nothing() -> None:
    check_definition("print$0(len([1, 2]))\n")
    check_definition("fn len(x: int) -> int { x }\nprint(len$0([1, 2]))\n")  # builtins win (§5.7)


def test_references_across_re_lets_and_assignments() -> None:
    check_references("let «x» = 1\n«x» = «x» + 1\nprint(«x$0»)\nlet x = 2\nprint(x)\n")
    check_references("let x = 1\n«x» = «x» + 1\nprint(«x$0»)\nlet x = 2\n", include_declaration=False)


def test_references_of_a_function_and_of_a_builtin() -> None:
    check_references("fn «f$0»(n: int) -> int { n }\nprint(«f»(1), «f»(2))\n")
    check_references("«print»(1)\nlet s = str(2)\n«pr$0int»(s)\n")


def test_highlights_tell_writes_from_reads() -> None:
    analysis, cursor, spans = fixture("let «x» = 1\n«x» = 2\nprint(«x$0»)\n")
    found = analysis.highlights(cursor)
    assert [(h.span, h.kind.value) for h in found] == list(
        zip(spans, ["write", "write", "read"], strict=True)
    )


def test_document_symbols_nest_what_functions_declare() -> None:
    analysis = Analysis.of_text(
        "let X = tensor_zeros([4, 2])\n"
        "fn step(x: tensor) -> tensor {\n  let h = nn_relu(x)\n  fn inner() { 1 }\n  h\n}\n"
        "for k in 0..2 { let hidden = k }\n"
    )
    outline = [(s.name, s.kind, s.detail, [c.name for c in s.children]) for s in analysis.document_symbols()]
    assert outline == [
        ("X", "variable", "tensor<float32, [4, 2]>", []),
        ("step", "function", "fn step(x: tensor) -> tensor", ["h", "inner"]),
        ("hidden", "variable", "int", []),
    ]


# ───────────────────────────── completion ─────────────────────────────


def check_completions(
    marked: str,
    position: str,
    includes: dict[str, str] | None = None,
    excludes: set[str] = frozenset(),  # type: ignore[assignment]
    prefix: str | None = None,
) -> dict[str, object]:
    """The position kind, candidates that must be there with their kind, and names that must not."""
    analysis, cursor, _ = fixture(marked)
    found = analysis.completions_context(cursor)
    assert found.position.value == position
    items = {item.label: item for item in found.items}
    if includes is not None:
        assert {label: items[label].kind.value for label in includes if label in items} == includes
    assert not excludes & items.keys()
    if prefix is not None:
        assert found.prefix == prefix
        assert found.replace == Span(cursor - len(prefix.encode()), cursor)
    return items


def test_completion_in_an_expression_offers_visible_names_with_types_and_builtins() -> None:
    items = check_completions(
        "let alpha = 1.5\nlet X = tensor_zeros([4, 2])\nlet y = nn_linear(X, al$0\n",
        "expression",
        {
            "alpha": "variable",
            "X": "variable",
            "nn_linear": "builtin",
            "tensor_zeros": "builtin",
            "if": "keyword",
        },
        excludes={"y", "let"},
        prefix="al",
    )
    assert items["nn_linear"].usage == "nn_linear(input, weight, bias)"
    assert items["nn_linear"].summary == lookup("nn_linear").summary
    typed = check_completions("let alpha = 1.5\nlet beta = al$0\n", "expression")
    assert typed["alpha"].detail == "float"  # types where the checker ran


def test_completion_in_a_function_sees_only_its_snapshot() -> None:
    items = check_completions(
        "let before = 1\n"
        "fn f(p: int) -> int {\n    let local = p\n    return local + be$0\n}\n"
        "let after = 2\n"
        "fn later() -> int { 3 }\n",
        "expression",
        {"before": "variable", "p": "parameter", "local": "variable", "f": "function", "later": "function"},
        excludes={"after"},
    )
    assert items["p"].detail == "int"
    assert items["later"].detail == "fn later() -> int"


def test_completion_respects_for_loop_scopes_and_statement_keywords() -> None:
    check_completions(
        "for k in 0..3 {\n    let inner = k\n}\nlet outer = 1\n$0\n",
        "statement",
        {"outer": "variable", "let": "keyword", "fn": "keyword"},
        excludes={"k", "inner", "break"},
    )
    check_completions(
        "let n = 0\nwhile n < 3 {\n    n = n + 1\n    $0\n    let later_in_loop = n\n}\n",
        "statement",
        {"n": "variable", "break": "keyword", "later_in_loop": "variable"},  # declared on an earlier turn
    )


def test_completion_after_for_in_is_an_expression() -> None:
    check_completions("let xs = [1, 2]\nfor x in $0", "expression", {"xs": "variable"}, excludes={"x", "let"})


def test_completion_in_type_positions() -> None:
    types = {"tensor": "type", "float32": "type", "int": "type"}
    check_completions("fn f(a: ten$0", "type", types, excludes={"print"}, prefix="ten")
    check_completions("fn f(a: int) -> $0 { 1 }\n", "type", types)
    check_completions("let v: [$0", "type", types)
    check_completions("let W: tensor<$0", "type", {"float32": "type"}, excludes={"tensor", "string"})
    check_completions("let n = 3 as $0", "type", {"int": "type", "float32": "type"}, excludes={"tensor"})
    check_completions(
        "fn g(x: tensor<float32, [batch, $0", "dimension", {"batch": "dimension", "_": "dimension"}
    )


def test_completion_in_comments_strings_numbers_and_declarations_is_empty() -> None:
    for text in ["// let $0\n", "/* x $0", 'print("abc $0")\n', 'print("a\\"$0 b")', "let n = 12$0"]:
        analysis, cursor, _ = fixture(text)
        found = analysis.completions_context(cursor)
        assert (found.position.value, found.items) == ("none", ()), text
    for text in ["let na$0", "fn na$0", "fn f(a: int, $0", "for i$0"]:
        analysis, cursor, _ = fixture(text)
        found = analysis.completions_context(cursor)
        assert (found.position.value, found.items) == ("declaration", ()), text


def test_completion_after_a_dot_offers_tuple_fields() -> None:
    items = check_completions('let t = (1, "a")\nlet u = t.$00\n', "tuple_index")
    assert {label: item.detail for label, item in items.items()} == {"0": "int", "1": "string"}


# ───────────────────────────── signature help ─────────────────────────────


def check_signature(
    marked: str, label: str | None, active: int = 0, types: list[str | None] | None = None
) -> None:
    analysis, cursor, _ = fixture(marked)
    found = analysis.signature_at(cursor)
    if label is None:
        assert found is None
        return
    assert found is not None
    assert (found.label, found.active_parameter) == (label, active)
    for parameter in found.parameters:
        start, end = parameter.label_range
        assert found.label[start:end] == parameter.label
    if types is not None:
        assert [parameter.type for parameter in found.parameters] == types


def test_signature_help_on_a_builtin_counts_top_level_commas() -> None:
    usage = "nn_linear(input, weight, bias)"
    check_signature("let x = tensor([1.0, 2.0], [1, 2])\nlet y = nn_linear(x, $0", usage, 1)
    check_signature("let y = nn_linear(tensor([1.0, 2.0], [1, 2]), $0)", usage, 1)
    check_signature("let y = nn_linear(x, tensor_zeros([2, $0", "tensor_zeros(shape)", 0)
    check_signature('print("a, b$0", 1)', "print(value, ...)", 0)
    check_signature("print(1, 2, 3, $0)", "print(value, ...)", 1)  # variadic: the last parameter


def test_signature_help_on_a_user_function() -> None:
    check_signature(
        "fn mm(a: tensor<float32, [M, K]>, b: tensor) -> tensor { tensor_matmul(a, b) }\n"
        "let z = mm(tensor_zeros([2, 3]), $0)\n",
        "mm(a: tensor<float32, [M, K]>, b: tensor) -> tensor",
        1,
        ["tensor<float32, [M, K]>", "tensor"],
    )
    check_signature(
        "let y = later(1, (2, 3), [$0])\nfn later(a: int, b: (int, int), c: [float]) { a }\n",
        "later(a: int, b: (int, int), c: [float])",
        2,
    )


def test_signature_help_outside_calls_is_nothing() -> None:
    check_signature("let t = (1, $0", None)
    check_signature("fn f(a: int, $0", None)
    check_signature("print(1)\nlet y = 2$0", None)
    check_signature("print(1)\nlen$0", None)


# ───────────────────────────── diagnostics and the workspace ─────────────────────────────


def test_the_checker_runs_only_without_syntax_errors() -> None:
    clean = Analysis.of_text("print(undefined_name)\n")
    assert [d.code for d in clean.diagnostics()] == ["E101"]
    broken = Analysis.of_text("print(undefined_name)\nlet = 1\n")
    assert broken.check is None
    assert {d.code for d in broken.diagnostics()} == {"E001"}
    unclosed = Analysis.of_text("fn f() {\n  print(undefined_name)\n")  # W215 is a warning: the checker runs
    assert unclosed.check is not None


def test_workspace_edits_give_a_new_snapshot_and_leave_the_old_one_alone() -> None:
    workspace = Workspace()
    uri = "file:///tmp/train.ch"
    workspace.open(uri, "let x = 1\nprint(x)\n", 1)
    before = workspace.analysis(uri)
    assert before is not None and workspace.analysis(uri) is before
    workspace.change(uri, [TextChange("tensor_zeros([2, 3])", (0, 8), (0, 9))], 2)
    after = workspace.analysis(uri)
    assert after is not None and after.version == 2
    print_x = after.offset_at(1, 6)
    assert after.type_at(print_x).type == "tensor<float32, [2, 3]>"
    assert before.type_at(before.offset_at(1, 6)).type == "int"
    workspace.close(uri)
    assert workspace.analysis(uri) is None and uri not in workspace


def test_positions_convert_in_the_workspace_encoding() -> None:
    analysis = Analysis.of_text('let s = "🚀"\nlet t = s\n')
    offset = analysis.offset_at(1, 8)
    assert analysis.type_at(offset).name == "s"
    assert analysis.position_at(offset) == (1, 8)
    assert analysis.range_of(analysis.type_at(offset).span) == ((1, 8), (1, 9))


# ───────────────────────────── robustness ─────────────────────────────

BROKEN_TEXTS = [
    "",
    "let",
    'let x = (1\nlet y = [1, 2,]\nlet é = "🚀" + 1 +\n',
    "fn f(a: tensor<float32, [N, ",
    'print("unterminated\nlet x = 1\n',
    "let x = 1 /* unterminated\nprint(x)",
    "fn f() {\n  for i in 0..3 {\n    match i { 0 => x. 1 => \n",
    "let t = (1, 2)\nlet u = t.\nlet v = nn_linear(t, \n}}}){[\n",
    "let a = 1\0let b = a\n",
    "let x = 1\r\nprint(x)\rlet y = x\n",
    "model M { layers { dense(1, 2) } }\nlet relu = 3\n",
    "fn f(x: int) -> { x }\nfn g(: int) { f(1, }\n",
]


def every_query(analysis: Analysis, offset: int) -> None:
    analysis.type_at(offset)
    analysis.definition(offset)
    analysis.references(offset)
    analysis.highlights(offset)
    analysis.completions_context(offset)
    analysis.signature_at(offset)


def test_no_query_raises_at_any_offset_of_broken_text() -> None:
    for text in BROKEN_TEXTS:
        analysis = Analysis.of_text(text)
        analysis.diagnostics()
        analysis.document_symbols()
        for offset in range(-2, len(analysis.source) + 3):
            every_query(analysis, offset)


def test_queries_survive_zero_width_siblings_that_tree_sitter_cannot_step_back_over() -> None:
    """Here recovery leaves a MISSING `identifier` and a MISSING `]` at one offset, and tree-sitter's
    `prev_sibling` cycles between them. The syntax diagnostics of this text loop (`_previous_leaf` in
    syntax/errors.py steps back with `prev_sibling`), so hover and completion must learn that the checker
    does not run from the tree alone, without computing them."""
    table = "let table = tensor([0.0, 0.1, 1.0,/*1.1])\n"
    analysis = Analysis.of_text(table + "print(nn_embedding(tensor([0.0, 3.0, 1.0]), table))\n" * 5)
    assert analysis.check is None
    for offset in range(len(analysis.source) + 1):
        every_query(analysis, offset)


def test_no_query_raises_at_any_offset_of_real_programs() -> None:
    cases = {path.name: path for path in require_conformance()}
    for name in ["128_e2e_mlp_classifier.ch", "060_match_patterns.ch", "070_function_snapshot.ch"]:
        text = cases[name].read_text(encoding="utf-8")
        for variant in (text, text[: len(text) // 2], text[: len(text) // 3] + "(" + text[len(text) // 3 :]):
            analysis = Analysis.of_text(variant)
            analysis.document_symbols()
            for offset in range(len(analysis.source) + 1):
                every_query(analysis, offset)


def test_no_query_raises_on_any_conformance_case_or_example() -> None:
    """Every seventh offset of every case and example, whole and with a bracket dropped into its middle."""
    for path in [*require_conformance(), *EXAMPLES]:
        text = path.read_text(encoding="utf-8")
        for variant in (text, text[: len(text) // 2] + "[" + text[len(text) // 2 :]):
            analysis = Analysis.of_text(variant)
            analysis.diagnostics()
            for offset in range(0, len(analysis.source) + 1, 7):
                every_query(analysis, offset)
