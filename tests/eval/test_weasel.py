"""The `text,label` reader and the uncertain-class scoring of DESIGN.md, through the Analyzer."""

from __future__ import annotations

import pytest

from claimledger.analysis.schema import Analysis, DocumentInfo, Hedge
from claimledger.eval.weasel import (
    WeaselDataError,
    analyze_sentences,
    read_sentences,
    score,
    score_file,
    score_predictions,
)
from tests.conftest import shared_path


def write(tmp_path, content: str):
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    return path


def analysis(*kinds: str, flags: list[str] | None = None) -> Analysis:
    hedges = [Hedge("x", 0, 1, kind) for kind in kinds]
    return Analysis(document=DocumentInfo(id="d"), hedges=hedges, flags=flags or [])


def test_reader_keeps_order_labels_and_multiline_text(tmp_path):
    path = write(tmp_path, 'text,label\n"First one.\n",1\nSecond one.,0\n')
    sentences = read_sentences(path)
    assert [(s.text, s.label) for s in sentences] == [("First one.\n", True), ("Second one.", False)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("words,label\nA.,1\n", "missing column(s) text"),
        ("text\nA.\n", "missing column(s) label"),
        ("", "missing column(s) label, text"),
        ("text,label\nA.,1\nB.,yes\n", "line 3: label 'yes' is not 0 or 1"),
        ("text,label\nA.,\n", "label '' is not 0 or 1"),
    ],
)
def test_reader_errors_are_one_line(tmp_path, content, message):
    with pytest.raises(WeaselDataError) as error:
        read_sentences(write(tmp_path, content))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_reader_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(WeaselDataError, match="no such file"):
        read_sentences(tmp_path / "absent.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes("text,label\ncaf\xe9,1\n".encode("latin-1"))
    with pytest.raises(WeaselDataError, match="not UTF-8"):
        read_sentences(path)


def test_scoring_arithmetic_counts_hedges_and_weasels_not_boosters():
    analyses = [analysis("hedge"), analysis("weasel", "booster"), analysis("booster"), analysis(), analysis("hedge")]
    labels = [True, True, True, False, False]
    result = score(analyses, labels)
    assert (result.tp, result.fp, result.fn, result.n) == (2, 1, 1, 5)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)


def test_scoring_degenerate_cases_and_skipped_count():
    assert score_predictions([], []).f1 == 0.0
    assert score_predictions([False, False], [True, False]).precision == 0.0
    result = score([analysis(flags=["not_english", "skipped"]), analysis("hedge")], [True, True])
    assert (result.tp, result.fn, result.skipped) == (1, 1, 1)
    with pytest.raises(ValueError):
        score_predictions([True], [True, False])


def test_score_file_runs_the_analyzer(tmp_path, analyzer):
    path = write(tmp_path, (
        "text,label\n"
        "Some critics say the bridge was probably built in 1850.,1\n"
        "The bridge opened in May 2010.,0\n"
        "It is widely believed that the plan failed.,1\n"
        "The bridge is 300 metres long.,1\n"
    ))
    result = score_file(path, analyzer)
    assert (result.tp, result.fp, result.fn, result.n, result.skipped) == (2, 0, 1, 4, 0)


def test_analyzer_path_f1_on_every_tenth_training_sentence(analyzer):
    """Regression floor on a fixed sample (the lexicon was learned on this file, so this is not a
    held-out figure; the cross-validated one is in docs/benchmarks.md)."""
    sentences = read_sentences(shared_path("data", "wiki-weasel", "train.csv"))[::10]
    analyses = analyze_sentences(sentences, analyzer)
    result = score(analyses, [s.label for s in sentences])
    assert result.n == 737
    # English Wikipedia must not be taken for another language (a skipped analysis has no hedges);
    # the few skipped rows are blank lines.
    assert not any("not_english" in a.flags for a in analyses)
    assert result.skipped == sum(not s.text.strip() for s in sentences)
    assert result.f1 >= 0.62  # measured 0.657 when the lexicon was last trained
