"""Rows 1-7 of ../shared/seed/expected.md: the attributions of the canonical example article."""

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


def test_row7_the_kremlin_claiming_regrouping(seed):
    a = find(seed[1], "claiming", "fleeing troops were “regrouping” in Donbas")
    assert "kremlin" in source_names(a)
    assert a["source"]["kind"] == "government"
