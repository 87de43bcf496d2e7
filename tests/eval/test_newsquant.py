"""The NewsQuant scorer (CQE's matching) and the dev figures it gives."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from claimledger.eval.newsquant import (
    Figure,
    NewsQuantError,
    Sentence,
    figures_from_analysis,
    parse_gold_value,
    read_newsquant,
    score,
)
from tests.conftest import ROOT, shared_path


def test_gold_values_ranges_and_negatives():
    assert parse_gold_value("800000000.0") == 800_000_000
    assert parse_gold_value("10000.0-100000.0") == (10_000, 100_000)
    assert parse_gold_value("-387") == -387
    assert parse_gold_value("1.99E-29") == 1.99e-29


def test_matching_counts_value_unit_and_change_separately():
    sentences = [
        Sentence("a", [Figure(5.0, "percentage", "down"), Figure((1.0, 2.0), "dollar", "=")]),
        Sentence("b", [Figure(7.0, "-", "=")]),
    ]
    predictions = [
        [Figure(5.0, "percentage", "="), Figure((2.0, 1.0), "euro", "="), Figure(9.0, "-", "=")],
        [],
    ]
    counts = score(sentences, predictions)
    assert (counts.gold, counts.predicted) == (3, 3)
    assert (counts.value, counts.value_unit, counts.value_change) == (2, 1, 1)
    scores = counts.scores()
    assert scores["value"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["value+unit"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert len(counts.misses) == 1 and counts.misses[0]["text"] == "b"


def test_one_prediction_matches_one_gold_figure():
    counts = score([Sentence("a", [Figure(1.0, "-", "="), Figure(1.0, "-", "=")])], [[Figure(1.0, "-", "=")]])
    assert counts.value == 1


def test_figures_from_analysis_reads_values_ranges_and_bounds():
    analysis = {"quantities": [
        {"value": 3, "low": None, "high": None, "unit_normalized": None, "change": "="},
        {"value": None, "low": 1, "high": 2, "unit_normalized": "dollar", "change": "~"},
        {"value": None, "low": 50_000, "high": None, "unit_normalized": None, "change": ">"},
    ]}
    assert figures_from_analysis(analysis) == [Figure(3.0, "-", "="), Figure((1.0, 2.0), "dollar", "~"), Figure(50_000.0, "-", ">")]


@pytest.mark.parametrize(
    "content, words",
    [("{", "not JSON"), ('{"a": 1}', "list"), ('[{"quantities": []}]', "text"), ('[{"text": "x", "quantities": [{"value": "abc"}]}]', "value")],
)
def test_bad_files_give_clear_errors(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(NewsQuantError, match=words):
        read_newsquant(path)


def test_dev_meets_the_issue_floor(analyzer):
    """Issue 3: value F1 >= 0.88 and value+change F1 >= 0.80 on NewsQuant dev."""
    from claimledger.analysis.schema import Document

    sentences = read_newsquant(shared_path("data", "newsquant", "dev.json"))
    predictions = [figures_from_analysis(a.to_dict()) for a in analyzer.analyze_many(Document(text=s.text) for s in sentences)]
    scores = score(sentences, predictions).scores()
    assert scores["value"]["f1"] >= 0.88
    assert scores["value+change"]["f1"] >= 0.80


def test_cli_scores_a_file(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps([
        {"text": "Exports dropped 7% to $2.3 billion.", "quantities": [
            {"value": "7", "change": "down", "normalized_unit": "percentage"},
            {"value": "2300000000", "change": "=", "normalized_unit": "dollar"}]},
        {"text": "She died on September 8.", "quantities": []},
    ]))
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", "eval", "newsquant", str(path), "--json"],
                            capture_output=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    scores = json.loads(result.stdout)
    assert scores["gold"] == 2 and scores["value"]["f1"] == 1.0 and scores["value+change"]["f1"] == 1.0
