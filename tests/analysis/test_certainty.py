"""The shipped hedge/weasel/booster lexicon and its matcher (`certainty.find_cues`)."""

from __future__ import annotations

import json

from claimledger.analysis.certainty import EXCEPTION, KINDS, LEXICON_PATH, Lexicon, find_cues, parse_entry, tokens
from tests.conftest import shared_path


def cues(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in find_cues(text)]


def test_offsets_point_at_the_cue_and_shift_by_offset():
    text = "Analysts said the army could have lost 10,000 men, probably more."
    found = find_cues(text)
    assert ("could", "hedge") in [(c.text, c.kind) for c in found]
    for cue in found:
        assert text[cue.start : cue.end] == cue.text
    shifted = find_cues(text, offset=100)
    assert [(c.start - 100, c.end - 100) for c in shifted] == [(c.start, c.end) for c in found]


def test_kinds_of_hedges_weasels_and_boosters():
    assert ("probably", "hedge") in cues("It was probably built in 1850.")
    assert ("Some analysts", "weasel") in cues("Some analysts suggest the figure could be even higher.")
    assert ("no doubt", "booster") in cues("The Kremlin will be no doubt hoping to keep them low.")
    assert {c.kind for c in find_cues("Some critics say so; it may well be true; clearly not.")} <= set(KINDS)


def test_the_month_may_and_names_are_not_hedges():
    assert cues("In May 2010 the bridge opened.") == []
    assert cues("The bridge opened on 3 May and closed in June.") == []
    assert cues("May 2010 saw the opening of the bridge.") == []
    assert cues("Prime Minister Theresa May opened it.") == []
    assert ("may", "hedge") in cues("It may also indicate that the plan failed.")


def test_a_longer_cue_hides_the_cues_inside_it():
    found = cues("Some analysts say the war is lost.")
    assert ("Some analysts", "weasel") in found
    assert ("Some", "weasel") not in found
    booster = find_cues("There is no doubt about it.")
    assert [(c.text, c.kind) for c in booster] == [("no doubt", "booster")]


def test_a_head_entry_reports_only_its_head_and_exceptions_report_nothing():
    lexicon = Lexicon({"[could] have": "hedge", "some": "weasel", "some time": EXCEPTION})
    found = lexicon.find("They could have waited some time, said some.")
    assert [(c.text, c.kind) for c in found] == [("could", "hedge"), ("some", "weasel")]
    assert found[1].start == len("They could have waited some time, said ")
    assert parse_entry("[may] also indicate") == (("may", "also", "indicate"), (0, 1))
    assert parse_entry("some analysts") == (("some", "analysts"), (0, 2))


def test_cues_do_not_span_punctuation():
    lexicon = Lexicon({"some analysts": "weasel"})
    assert lexicon.find("some, analysts") == []
    assert [c.text for c in lexicon.find("some\n analysts")] == ["some\n analysts"]


def test_empty_and_cue_free_text():
    assert find_cues("") == []
    assert find_cues("   \n") == []
    assert find_cues("The bridge opened in 1850.") == []
    assert tokens("") == []


def test_curly_apostrophes_match_straight_ones():
    assert ("If that’s the case", "hedge") in cues("If that’s the case, it failed.")


def test_the_shipped_lexicon_is_small_and_well_formed():
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    entries = [e for kind in (*KINDS, EXCEPTION) for e in data.get(kind, [])]
    assert 20 <= len(entries) <= 1000
    assert len({parse_entry(e)[0] for e in entries}) == len(entries)
    assert all(e == e.lower() for e in entries)


def test_seed_article_hedges_through_the_analyzer(analyze):
    text = shared_path("seed", "article.txt").read_text(encoding="utf-8")
    hedges = analyze(text, published="2022-09-23")["hedges"]
    for h in hedges:
        assert text[h["start"] : h["end"]] == h["text"]

    def at(kind: str, cue: str, context: str) -> bool:
        where = text.index(context)
        return any(h["kind"] == kind and h["text"].lower() == cue and where <= h["start"] < where + len(context)
                   for h in hedges)

    assert at("hedge", "seems", "seems to suggest")
    assert at("hedge", "seems", "the Kremlin seems to be attempting")
    assert at("hedge", "could", "could have lost")
    assert at("hedge", "could", "could be even higher")
    assert at("hedge", "may", "It may also indicate")
    assert at("weasel", "some analysts", "some analysts suggest")
    assert at("booster", "no doubt", "no doubt hoping")


def _cue(text: str, kind: str):
    from claimledger.analysis.certainty import CueMatch

    return CueMatch(text, 0, len(text), kind)


def test_stance_sets_the_start_and_the_strongest_hedge_caps_it():
    from claimledger.analysis.certainty import combine, term_for

    assert combine("factive", []) == 0.9 and term_for(0.9) == "very likely"
    assert combine("neutral", [_cue("could", "hedge")]) == 0.5
    assert term_for(combine("neutral", [_cue("could", "hedge")])) == "roughly even chance"
    assert combine("neutral", [_cue("probably", "hedge")]) == 0.7
    assert combine("distancing", [_cue("probably", "hedge")]) == 0.5  # a hedge never raises
    two = combine("tentative", [_cue("could", "hedge"), _cue("suggests", "hedge")])
    assert two < combine("tentative", [_cue("could", "hedge")])


def test_weasels_lower_and_boosters_lift_only_unhedged_claims():
    from claimledger.analysis.certainty import combine

    assert combine("neutral", [_cue("some analysts", "weasel")]) < combine("neutral", [])
    assert combine("neutral", [_cue("no doubt", "booster")]) > combine("neutral", [])
    assert combine("neutral", [_cue("no doubt", "booster"), _cue("might", "hedge")]) == combine("neutral", [_cue("might", "hedge")])


def test_terms_come_from_one_row_of_icd_203():
    from claimledger.analysis.certainty import ICD_203, term_for

    first_row = {term for _, _, term in ICD_203}
    assert {term_for(p / 100) for p in range(0, 101)} <= first_row
    assert not first_row & {"probable", "improbable", "highly probable", "roughly even odds", "remote"}
