"""The builtin catalog against LANGUAGE.md §8: every name is there exactly once, in its section, with the
arity the run time enforces and its exact arity message; every entry is documented; no rule raises."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charl_core import builtins
from charl_core.builtins.spec import ArityStyle, Call
from charl_core.syntax.errors import syntax_diagnostics
from charl_core.syntax.language import parse_bytes
from charl_core.syntax.positions import LineIndex
from charl_core.types import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    NULL,
    STRING,
    UNKNOWN,
    ArrayType,
    DimVar,
    FloatType,
    Grad,
    IntType,
    ObjectType,
    TensorType,
    TupleType,
)
from tests.conftest import SHARED

LANGUAGE = (SHARED / "LANGUAGE.md").read_text(encoding="utf-8")
SECTION_8 = LANGUAGE[LANGUAGE.index("## 8. Builtin catalog") : LANGUAGE.index("## 9. Extensions")]


def documented_names() -> dict[str, str]:
    """Every builtin name in the first column of the §8 tables, with its section (e.g. `8.4`)."""
    found: dict[str, str] = {}
    section = None
    for line in SECTION_8.splitlines():
        heading = re.match(r"(?:###|\*\*)\s*(8\.\d+)", line)
        if heading:
            section = heading.group(1)
        if section and line.startswith("|") and not line.startswith("|---"):
            first = line.split("|")[1]
            if first.strip() == "builtin" or "form `autograd" in first:
                continue
            for name in re.findall(r"`([a-z_][a-z0-9_]*)(?:\([^`]*\))?`", first):
                found.setdefault(name, section)
    return found


DOCUMENTED = documented_names()


def test_language_md_lists_308_builtins() -> None:
    assert len(DOCUMENTED) == 308


def test_every_documented_builtin_is_in_the_catalog_in_its_section() -> None:
    missing = sorted(name for name in DOCUMENTED if builtins.lookup(name) is None)
    assert missing == []
    misplaced = {
        name: (builtins.lookup(name).section, section)
        for name, section in DOCUMENTED.items()
        if builtins.lookup(name).section != section
    }
    assert misplaced == {}


def test_the_catalog_has_no_builtin_that_language_md_lacks() -> None:
    assert sorted(set(builtins.names()) - set(DOCUMENTED)) == []


@pytest.mark.parametrize("entry", builtins.ENTRIES, ids=lambda entry: entry.name)
def test_entry_is_documented(entry) -> None:
    assert entry.summary and not entry.summary.endswith("."), "a one-line summary without a final period"
    assert entry.doc
    assert entry.example.strip()
    assert entry.usage.startswith(f"{entry.name}("), entry.usage
    low, high = entry.arity
    assert low >= 0 and (high is None or high >= low)


# The arity messages LANGUAGE.md §8.0 spells out, word for word.
ARITY_MESSAGES = [
    ("nn_mse_loss", 1, "loss_mse() expects 2 arguments: loss_mse(pred, target)"),
    ("len", 3, "len() takes exactly 1 argument, got 3"),
    ("push", 1, "push() takes exactly 2 arguments, got 1"),
    ("assert", 0, "assert() takes 1 or 2 arguments, got 0"),
    ("range", 4, "range() takes 1, 2, or 3 arguments, got 4"),
    ("reset_graph", 1, "reset_graph() expects no arguments"),
    ("tensor_add", 1, "tensor_add() expects 2 arguments: tensor_add(a, b)"),
]


@pytest.mark.parametrize(("name", "got", "message"), ARITY_MESSAGES)
def test_arity_messages(name: str, got: int, message: str) -> None:
    entry = builtins.lookup(name)
    assert not entry.accepts_count(got)
    assert entry.arity_error(got) == message


def test_requires_style_builtins_accept_extra_arguments() -> None:
    required = [entry for entry in builtins.ENTRIES if entry.arity_style is ArityStyle.REQUIRES]
    assert required, "§8.14–§8.21 mark several builtins R"
    for entry in required:
        low, high = entry.arity
        assert high is None and entry.accepts_count(low + 3)
        assert entry.arity_error(low - 1 if low else 0).startswith(f"{entry.name} requires ")


def _section_number(entry) -> tuple[int, ...]:
    return tuple(int(part) for part in entry.section.split("."))


def _table_row(name: str) -> str | None:
    """The §8 table row whose first column lists `name`."""
    for line in SECTION_8.splitlines():
        if line.startswith("|") and f"`{name}`" in line.split("|")[1]:
            return line
    return None


def test_usage_strings_are_the_ones_language_md_shows() -> None:
    """The usage in an `expects` arity message is the call form of the §8.1–§8.13 tables, verbatim (§8.0); a
    row listing several builtins shows the form of its first, with the name substituted. The later tables
    list parameters only, so there the usage is the name applied to the parameters."""
    absent = []
    for entry in builtins.ENTRIES:
        if entry.arity == (0, None):
            continue  # print: no arity error can show a usage
        if _section_number(entry) > (8, 13):
            if entry.usage != f"{entry.name}({', '.join(p.name for p in entry.params)})":
                absent.append(entry.usage)
            continue
        if entry.arity_style is not ArityStyle.EXPECTS or f"`{entry.usage}`" in SECTION_8:
            continue
        row = _table_row(entry.name) or ""
        first = re.search(r"`([a-z_][a-z0-9_]*)`", row.split("|")[1] if row else "")
        shown = entry.usage.replace(entry.name, first.group(1), 1) if first else None
        parameters_only = f"`{entry.usage[len(entry.name) :]}`" in row  # rows like `(input, output_grad)`
        if not parameters_only and (shown is None or f"`{shown}" not in row):
            absent.append(entry.usage)
    assert absent == []


SAMPLE_TYPES = st.sampled_from(
    [
        ANY,
        NULL,
        BOOL,
        INT,
        IntType(0),
        IntType(3),
        IntType(-2),
        FLOAT,
        FloatType(0.5),
        STRING,
        ArrayType(),
        ArrayType(IntType(), 2, (IntType(2), IntType(3))),
        ArrayType(FLOAT, 4),
        TupleType((INT, FLOAT)),
        ObjectType("sgd_optimizer"),
        TensorType(),
        TensorType(shape=()),
        TensorType(shape=(3,)),
        TensorType(shape=(2, 3), grad=Grad.YES),
        TensorType(shape=(4, 3)),
        TensorType(shape=(DimVar("N"), 3), grad=Grad.MAYBE),
        TensorType(shape=(UNKNOWN, UNKNOWN, 5, 5)),
        TensorType(shape=(1, 2, 6, 6), gpu=True),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(builtins.ENTRIES), st.lists(SAMPLE_TYPES, max_size=6))
def test_shape_rules_never_raise(entry, arguments) -> None:
    call = Call(entry, tuple(arguments))
    result = entry.result(call)
    assert result is not None
    for finding in call.findings:
        assert re.fullmatch(r"[EW]\d{3}", finding.code)


@pytest.mark.parametrize("entry", builtins.ENTRIES, ids=lambda entry: entry.name)
def test_example_parses_without_syntax_diagnostics(entry) -> None:
    """Examples are shown on hover and will be executed once the interpreter lands; they must parse."""
    source = entry.example.encode()
    index = LineIndex(source)
    assert syntax_diagnostics(parse_bytes(source), source, index.display_position) == [], entry.example
    assert entry.name in entry.example or any(alias in entry.example for alias in entry.aliases)


def test_builtin_reference_is_up_to_date() -> None:
    from charl_core.builtins.reference import render_markdown
    from tests.conftest import ROOT

    committed = (ROOT / "docs" / "builtins.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), (
        "regenerate: python3 -m charl_core.builtins.reference > docs/builtins.md"
    )
