"""The examples of docs/formatter.md run: each ```charl before``` block formats to the ```charl after```
block that follows it, and each ```toml``` block is a valid formatter configuration."""

from __future__ import annotations

import re
import tomllib
from itertools import pairwise
from pathlib import Path

import pytest

from formatter.api import format_text
from formatter.config import options_from_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "formatter.md"
BLOCK = re.compile(r"^```(\w+)(?: (\w+))?\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str, str]]:
    return [(language, role or "", body) for language, role, body in BLOCK.findall(DOC.read_text("utf-8"))]


def _pairs() -> list[tuple[str, str]]:
    blocks = [(role, body) for language, role, body in _blocks() if language == "charl"]
    pairs = []
    for (role, body), (next_role, next_body) in pairwise(blocks):
        if role == "before":
            assert next_role == "after", "every `charl before` block is followed by a `charl after` block"
            pairs.append((body, next_body))
    return pairs


def test_the_doc_has_examples() -> None:
    assert len(_pairs()) >= 5


@pytest.mark.parametrize(("before", "after"), _pairs())
def test_example_formats_as_documented(before: str, after: str) -> None:
    assert format_text(before).text == after
    assert format_text(after).changed is False


def test_configuration_examples_are_valid() -> None:
    tables = [tomllib.loads(body) for language, _, body in _blocks() if language == "toml"]
    assert tables
    for table in tables:
        section = table.get("tool", {}).get("charl", {}).get("format") or table["format"]
        assert options_from_table(section, "docs/formatter.md").line_width == section["line-width"]
