#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of the analysis: Analyzer.analyze on texts mutated from news
articles and hostile seeds, every result held to tests/analysis/invariants.py (offsets inside the
text and matching it, ranges low <= high, references that resolve, JSON without NaN). Any
exception or broken invariant is a crash. See scripts/fuzz_common.py for the budget and files."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package, for the invariants

import atheris  # noqa: E402

from scripts.fuzz_common import ROOT, fuzz  # noqa: E402

with atheris.instrument_imports(include=["claimledger"]):
    from claimledger.analysis.analyzer import Analyzer

from tests.analysis.invariants import check_analysis  # noqa: E402

SEEDS = [path.read_bytes()[:4000] for path in sorted((ROOT / "examples").glob("*.txt"))] + [
    "“We will win,” the coach said. “We will not give up.”".encode(),
    b"The minister said between 3 and 5 million people may have fled, according to the UN.",
    b"Prices fell 7% to $40bn last week, officials told Reuters on Monday.",
    b'"' * 600,
    "« Non », a dit le maire. — “Yes,” she said; ‘maybe’, he added…".encode(),
    "Der Minister sagte, 40 Häuser seien zerstört. 国家统计局周一表示".encode(),
]

analyzer = Analyzer()


def test_one_input(data: bytes) -> None:
    # UTF-8 with replacements: mutations of the seed articles stay mostly English text, and every
    # other byte string still becomes some text (no lone surrogates, as ingestion guarantees)
    text = data.decode("utf-8", errors="replace")
    check_analysis(text, analyzer.analyze(text).to_dict())


if __name__ == "__main__":
    fuzz("analysis", SEEDS, test_one_input, max_len=4096)
