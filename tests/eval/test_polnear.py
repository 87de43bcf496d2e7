"""The PolNeAR reader and the scoring protocol of DESIGN.md."""

from __future__ import annotations

from claimledger.eval.polnear import (
    Counts,
    GoldAttribution,
    Score,
    match_overlap,
    normalise_item,
    read_ann,
    read_split,
    strip_span,
)
from tests.conftest import shared_path

ANN = (
    "T1\tSource 0 2\the\n"
    "T2\tCue 3 7\tsaid\n"
    "T3\tContent 8 20;30 40\tx\n"
    "T4\tAttribution 3 7\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 50 55\tclaim\n"
    "T6\tContent 56 60\ty\n"
    "T7\tContent 62 64\tz\n"
    "E2\tAttribution-no-source:T8 Cue:T5 Content:T6 Content2:T7\n"
    "T8\tAttribution 50 55\tclaim\n"
    "#1\tAnnotatorNotes T1\ta note\n"
)


def test_read_ann_joins_parts_and_discontinuous_pieces():
    first, second = read_ann(ANN)
    assert first.source == [(0, 2)]
    assert first.cue == [(3, 7)]
    assert first.content == [(8, 20), (30, 40)]
    assert second.source == []
    assert second.content == [(56, 60), (62, 64)]


def test_strip_span_ignores_punctuation_and_space_at_edges():
    text = ' “Hello, world.” '
    assert text[slice(*strip_span(text, (0, len(text))))] == "Hello, world"


def test_pieces_separated_by_punctuation_merge_and_others_stay_apart():
    text = "“We will win,” he said, “and soon.”"
    assert normalise_item(text, [(1, 12), (24, 34)]) == ((1, 12), (25, 33))
    assert normalise_item("ab, cd", [(0, 2), (4, 6)]) == ((0, 6),)


def test_overlap_is_one_to_one_and_needs_half_jaccard():
    gold = {((0, 10),)}
    assert match_overlap(gold, {((0, 6),)}).tp == 1
    assert match_overlap(gold, {((0, 4),)}).tp == 0
    counts = match_overlap(gold, {((0, 9),), ((1, 10),)})
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_score_counts_exact_matches_per_component():
    text = "He said the sky is green."
    gold = [GoldAttribution(source=[(0, 2)], cue=[(3, 7)], content=[(8, 24)])]
    predicted = [GoldAttribution(source=[(0, 2)], cue=[(3, 7)], content=[(12, 25)])]
    score = Score()
    score.add_article(text, gold, predicted)
    assert score.exact["source"].f1 == 1.0
    assert score.exact["content"].tp == 0
    assert score.overlap["content"].tp == 1


def test_counts_f1():
    counts = Counts(tp=3, fp=1, fn=2)
    assert round(counts.precision, 3) == 0.75
    assert round(counts.recall, 3) == 0.6
    assert round(counts.f1, 3) == 0.667


def test_dev_split_reads_every_article():
    dev = read_split(shared_path("data", "polnear", "dev"))
    assert len(dev) == 84
    assert sum(len(a.attributions) for a in dev) > 2000
    for article in dev:
        for attribution in article.attributions:
            for start, end in attribution.cue:
                assert 0 <= start < end <= len(article.text)
