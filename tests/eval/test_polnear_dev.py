"""The shipped models on PolNeAR dev hold issue 2's goals: exact F1 0.72 source, 0.68 cue, 0.55 content
(measured 0.738 / 0.697 / 0.559, docs/benchmarks.md)."""

from __future__ import annotations

from claimledger.analysis.schema import Document
from claimledger.eval.polnear import from_analysis, read_split, score_predictions
from tests.conftest import shared_path


def test_dev_exact_f1(analyzer):
    articles = read_split(shared_path("data", "polnear", "dev"))
    predictions = [from_analysis(a.to_dict()) for a in analyzer.analyze_many(Document(text=x.text) for x in articles)]
    exact = score_predictions(articles, predictions).exact
    assert exact["source"].f1 >= 0.72
    assert exact["cue"].f1 >= 0.68
    assert exact["content"].f1 >= 0.55
