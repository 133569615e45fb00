"""Shared paths and helpers for the test suite.

The conformance suite lives beside the repository in `../shared/conformance` (CI has it); tests that need it
use the `conformance_cases` fixture, which fails with a clear message when it is absent, so a missing
checkout never passes silently. `CHARL_SHARED` points elsewhere if needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHARL_SHARED", ROOT.parent / "shared"))
CONFORMANCE_CASES = sorted((SHARED / "conformance" / "cases").glob("*.ch"))
EXAMPLES = sorted((ROOT / "examples").glob("*.ch"))


def require_conformance() -> list[Path]:
    if not CONFORMANCE_CASES:
        pytest.fail(f"conformance cases not found under {SHARED}; set CHARL_SHARED to the shared/ folder")
    return CONFORMANCE_CASES


@pytest.fixture(scope="session")
def conformance_cases() -> list[Path]:
    return require_conformance()
