"""Semantic tokens, folding, selection, inlay hints and code actions never raise and keep their promises
on text being typed: the examples cut, with pieces deleted, brackets, quotes, comment openers and
non-ASCII text pasted at random places (a fixed seed, so a failure reproduces)."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from charl_core.analysis import Analysis
from charl_core.ast import Span
from tests.conftest import EXAMPLES

PASTES = [
    "{",
    "}",
    "(",
    ")",
    "[",
    '"',
    "/*",
    "*/",
    "// #region\n",
    "é→π",
    "\n",
    "let ",
    "tensor<",
    ",",
    "\\n",
]


def mutated_texts(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    sources = [path.read_text() for path in EXAMPLES]
    texts = []
    for _ in range(count):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(text))
            action = rng.random()
            if action < 0.3:
                text = text[:at]
            elif action < 0.6:
                text = text[:at] + text[at + rng.randint(1, 40) :]
            else:
                text = text[:at] + rng.choice(PASTES) + text[at:]
        texts.append(text)
    return texts


@pytest.mark.parametrize("text", mutated_texts(40), ids=lambda text: f"{len(text)}b")
def test_features_on_broken_text(text: str):
    analysis = Analysis.of_text(text)
    end = analysis.parsed_end
    rng = random.Random(len(text))

    tokens = analysis.semantic_tokens()
    assert all(0 <= t.span.start < t.span.end <= end for t in tokens)
    assert all(a.span.end <= b.span.start for a, b in pairwise(tokens))
    low = rng.randint(0, end)
    window = Span(low, min(end, low + rng.randint(0, 300)))
    inside = [t for t in tokens if t.span.end > window.start and t.span.start < window.end]
    assert list(analysis.semantic_tokens(window)) == inside

    for fold in analysis.folding_ranges():
        assert 0 <= fold.start < fold.end <= end

    offsets = [0, end, *(rng.randint(0, end) for _ in range(5))]
    for offset in offsets:
        chain = analysis.selection_ranges(offset)
        assert chain and chain[-1] == Span(0, end)
        assert all(o.start <= i.start and i.end <= o.end and i != o for i, o in pairwise(chain))

    hints = analysis.inlay_hints()
    assert all(0 <= h.offset <= end for h in hints)
    assert [h.offset for h in hints] == sorted(h.offset for h in hints)
    assert list(analysis.inlay_hints(window)) == [h for h in hints if window.start <= h.offset <= window.end]

    for offset in offsets:
        for action in analysis.code_actions(Span(offset, offset)):
            edits = sorted(action.edits, key=lambda edit: edit.span.start)
            assert all(0 <= e.span.start <= e.span.end <= len(analysis.source) for e in edits)
            assert all(a.span.end <= b.span.start for a, b in pairwise(edits)), action.title
