"""The accurate profile: windowing over word pieces and the ONNX tagger's output on real text."""

from __future__ import annotations

import pytest

from claimledger.analysis.neural import WINDOW, windows


@pytest.mark.parametrize("length", [0, 1, 100, WINDOW - 2, WINDOW - 1, 1000, 5003])
def test_windows_cover_every_piece_and_fit(length):
    spans = windows(length)
    covered = set()
    for start, end in spans:
        assert 0 <= start < end <= length or length == 0
        assert end - start <= WINDOW - 2
        covered.update(range(start, end))
    assert covered == set(range(length))
    assert all(b[0] < a[1] for a, b in zip(spans, spans[1:]))  # consecutive windows overlap


@pytest.fixture(scope="module")
def accurate():
    from claimledger.analysis.analyzer import Analyzer

    return Analyzer(profile="accurate")


def test_accurate_profile_finds_a_quote_and_its_speaker(accurate):
    text = "“The bridge will reopen in May,” the mayor said on Tuesday, adding that repairs had cost $4 million."
    analysis = accurate.analyze(text).to_dict()
    said = [a for a in analysis["attributions"] if a["cue"]["text"] == "said"]
    assert said, analysis["attributions"]
    assert said[0]["source"]["text"] == "the mayor"
    assert "The bridge will reopen in May" in said[0]["content"]["text"]


def test_accurate_profile_offsets_stay_inside_long_text(accurate):
    paragraph = "Officials said the talks had failed, according to two people familiar with them. "
    text = paragraph * 120  # several windows of word pieces
    analysis = accurate.analyze(text).to_dict()
    assert len(analysis["attributions"]) >= 100
    for a in analysis["attributions"]:
        assert text[a["cue"]["start"] : a["cue"]["end"]] == a["cue"]["text"]
        for start, end in a["content"]["spans"]:
            assert 0 <= start < end <= len(text)
