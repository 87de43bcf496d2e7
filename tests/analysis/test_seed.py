"""Rows 1-12 of ../shared/seed/expected.md: attributions, certainty, quantities and dates of the example article."""

from __future__ import annotations

import re

import pytest

from tests.conftest import shared_path

EDGE = re.compile(r"^(?:information from |the |a |an |that )+|[\s.,;:“”\"']+$", re.IGNORECASE)


def norm(text: str | None) -> str:
    """Lower-cased, with the edges that expected.md's "≈" allows taken off."""
    if not text:
        return ""
    text = " ".join(text.split()).strip(" .,;:“”\"'")
    previous = None
    while previous != text:
        previous, text = text, EDGE.sub("", text).strip()
    return text.lower()


@pytest.fixture(scope="module")
def seed(analyzer):
    path = shared_path("seed", "article.txt")
    text = path.read_text(encoding="utf-8")
    return text, analyzer.analyze(text, published="2022-09-23").to_dict()


def find(analysis: dict, cue: str, content_start: str) -> dict:
    """The attribution with this cue whose content begins (≈) with these words."""
    for a in analysis["attributions"]:
        if a["cue"] and norm(a["cue"]["text"]).endswith(cue) and norm(a["content"]["text"]).startswith(norm(content_start)):
            return a
    found = [(a["cue"]["text"] if a["cue"] else None, a["content"]["text"][:60]) for a in analysis["attributions"]]
    raise AssertionError(f"no attribution with cue {cue!r} and content {content_start!r}; found {found}")


def source_names(attribution: dict) -> set[str]:
    source = attribution["source"] or {}
    return {norm(source.get("text")), norm(source.get("canonical"))}


def certainty_words(attribution: dict) -> set[str]:
    """Every word of the certainty cues: "seems to suggest" gives "seems", "to", "suggest"."""
    return {w.lower() for c in attribution["certainty"]["cues"] for w in c["text"].split()}


def quantity(analysis: dict, **wanted) -> dict:
    for q in analysis["quantities"]:
        if all(q.get(k) == v for k, v in wanted.items()):
            return q
    raise AssertionError(f"no quantity with {wanted}; found {[(q['text'], q['value'], q['low'], q['high']) for q in analysis['quantities']]}")


def attribution_by_id(analysis: dict, id_: str | None) -> dict:
    return next(a for a in analysis["attributions"] if a["id"] == id_)


def test_offsets_point_at_the_quoted_text(seed):
    text, analysis = seed
    for a in analysis["attributions"]:
        for part in ("source", "cue", "via"):
            if a[part]:
                assert text[a[part]["start"] : a[part]["end"]] == a[part]["text"]
        for start, end in a["content"]["spans"]:
            assert 0 <= start < end <= len(text)


def test_row1_anonymous_sources_seem_to_suggest(seed):
    a = find(seed[1], "suggest", "the command structure of the Russian military has collapsed")
    assert "two sources familiar with u.s. and western intelligence" in source_names(a)
    assert a["source"]["kind"] == "anonymous"
    assert norm(a["cue"]["text"]) in {"seems to suggest", "suggest"}
    assert a["certainty"]["probability"] < 0.8
    assert "seems" in certainty_words(a)


def test_row2_sources_told_cnn(seed):
    a = find(seed[1], "told", "the Russian president is bypassing his own military officials")
    assert norm(a["source"]["text"]) == "sources"
    assert a["source"]["kind"] == "anonymous"
    assert a["via"] and a["via"]["text"] == "CNN"
    assert a["type"] == "indirect"


def test_row3_the_sources_describe(seed):
    a = find(seed[1], "describe", "how intelligence intercepts caught Russian officers arguing")
    assert norm(a["source"]["text"]) == "sources"
    assert a["source"]["kind"] == "anonymous"


def test_row4_some_leaders_and_others(seed):
    leaders = find(seed[1], "arguing", "the Russian military should focus on defensive lines")
    assert norm(leaders["source"]["text"]) == "some leaders"
    others = find(seed[1], "suggested", "going on the offensive")
    assert norm(others["source"]["text"]) == "others"


def test_row5_former_nato_official_claimed_through_the_report(seed):
    a = find(seed[1], "claimed", "Russian officials in Moscow are attempting to shift blame away from the Kremlin")
    assert "former senior nato official" in source_names(a)
    assert a["source"]["kind"] in {"anonymous", "person"}
    assert a["cue"]["stance"] == "distancing"
    assert a["via"] and norm(a["via"]["text"]) == "same report"


def test_row6_the_source_resolves_to_the_nato_official(seed):
    a = find(seed[1], "claimed", "Kremlin officials and state media pundits")
    assert norm(a["source"]["text"]) == "source"
    assert norm(a["source"]["canonical"]) == "former senior nato official"
    assert a["type"] == "direct"
    assert "seems" in certainty_words(a)
    assert a["certainty"]["probability"] <= 0.55  # distancing "claimed" and a hedge


def test_row7_the_kremlin_claiming_regrouping(seed):
    a = find(seed[1], "claiming", "fleeing troops were “regrouping” in Donbas")
    assert "kremlin" in source_names(a)
    assert a["source"]["kind"] == "government"


def test_row8_kremlin_acknowledges_5936_deaths_on_wednesday(seed):
    q = quantity(seed[1], value=5936)
    a = attribution_by_id(seed[1], q["attribution"])
    assert norm(a["cue"]["text"]) == "acknowledging"
    assert a["cue"]["stance"] == "factive"
    assert "kremlin" in source_names(a)
    assert "soldier deaths" in q["concept"].lower() and "ukraine" in q["concept"].lower()
    assert q["as_of"] == "2022-09-21"  # "On Wednesday", published Friday 2022-09-23
    assert q["id"] in a["quantities"]


def test_row9_kremlin_claimed_1351_soldiers_early_in_the_war(seed):
    q = quantity(seed[1], value=1351)
    a = attribution_by_id(seed[1], q["attribution"])
    assert norm(a["cue"]["text"]) == "claimed" and "kremlin" in source_names(a)
    assert "soldier" in q["unit"].lower()
    assert q["as_of"] is None or q["as_of"].startswith("2022-03")


def test_row10_western_intelligence_range_is_hedged(seed):
    q = quantity(seed[1], low=10000, high=50000)
    a = attribution_by_id(seed[1], q["attribution"])
    assert norm(a["source"]["text"]) == "western intelligence" and a["source"]["kind"] == "government"
    assert norm(a["cue"]["text"]) == "suggests"
    assert "could" in certainty_words(a)
    assert a["certainty"]["probability"] <= 0.55


def test_row11_some_analysts_even_higher(seed):
    q = quantity(seed[1], low=50000, change=">")
    assert q["text"] == "even higher" and q["high"] is None
    a = attribution_by_id(seed[1], q["attribution"])
    assert norm(a["source"]["text"]) == "some analysts" and a["source"]["kind"] == "expert"
    assert norm(a["cue"]["text"]) == "suggest"
    assert "could" in certainty_words(a)
    weasels = [h for h in seed[1]["hedges"] if h["kind"] == "weasel"]
    assert any(norm(h["text"]) == "some analysts" for h in weasels)


def test_row12_reserve_soldiers_belong_to_the_author(seed):
    q = quantity(seed[1], value=300000)
    assert q["attribution"] is None
    assert "reserve soldiers" in q["unit"].lower()


def test_follow_up_figures_take_the_concept_they_follow(seed):
    """The bare range and "even higher" count what the figure before them counts (the ledger then
    puts all four estimates in one series: tests/ledger/test_book.py)."""
    earlier = quantity(seed[1], value=1351)
    assert "soldier" in earlier["concept"].lower()
    assert quantity(seed[1], low=10000, high=50000)["concept"] == earlier["concept"]
    assert quantity(seed[1], low=50000, change=">")["concept"] == earlier["concept"]
    assert "soldier deaths" in quantity(seed[1], value=5936)["concept"].lower()


def test_author_comes_from_the_closing_biography(seed):
    text, analysis = seed
    assert analysis["document"]["author"] == "Jack Buckby"
    biography = text.index("Jack Buckby is")
    assert all(a["cue"]["start"] < biography for a in analysis["attributions"])


def test_hedges_carry_offsets_and_kinds(seed):
    text, analysis = seed
    for hedge in analysis["hedges"]:
        assert text[hedge["start"] : hedge["end"]] == hedge["text"]
        assert hedge["kind"] in {"hedge", "weasel", "booster"}
    assert any(h["kind"] == "booster" and norm(h["text"]) == "no doubt" for h in analysis["hedges"])
