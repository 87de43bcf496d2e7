"""Shared fixtures: the loaded analyzer (once per session) and the path to ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test where it is absent, fails under CI where it must exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is required when CI=true")
        pytest.skip(f"{path} is absent (the shared data sits beside the repository)")
    return path


@pytest.fixture(scope="session")
def analyzer():
    from claimledger.analysis.analyzer import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def analyze(analyzer):
    def run(text: str, **meta) -> dict:
        return analyzer.analyze(text, **meta).to_dict()

    return run
