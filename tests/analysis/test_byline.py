"""Author from a byline or a closing biography; the dateline that is no part of the first sentence."""

from __future__ import annotations

import pytest

from claimledger.analysis.byline import dateline, find_author


def test_byline_at_the_top():
    text = "Storm hits coast\nBy Maria Lopez and John O'Neill\n\nThe storm arrived on Monday, officials said."
    assert find_author(text).author == "Maria Lopez, John O'Neill"


def test_byline_with_a_role_after_a_comma():
    assert find_author("By Jane Doe, Reuters\nThe talks failed.").author == "Jane Doe"


def test_closing_biography_gives_author_and_span():
    text = "The talks failed, officials said.\nJane Doe is a journalist based in Kyiv who covers the war."
    found = find_author(text)
    assert found.author == "Jane Doe"
    assert text[found.biography[0] :].startswith("Jane Doe is a journalist")


def test_no_author_when_neither_is_there():
    found = find_author("The talks failed, officials said.\nMore talks are planned.")
    assert (found.author, found.biography) == (None, None)


def test_a_sentence_starting_with_by_is_not_a_byline():
    assert find_author("By Tuesday the talks had failed, officials said.").author is None


@pytest.mark.parametrize("text, expected", [
    ("MIRVADA, India (Deccan Wire) - An explosion killed 11.", "MIRVADA, India (Deccan Wire) - "),
    ("NEW DELHI - The number of injured rose.", "NEW DELHI - "),
    ("MIRVADA: The toll has risen to 34.", "MIRVADA: "),
    ("GENEVA/BELO HORIZONTE - The Red Cross said.", "GENEVA/BELO HORIZONTE - "),
    ("Dam bursts in Brazil\nSÃO BENTO DO TAPERA, Brazil (Southern Cross Wire) - A dam burst.", "SÃO BENTO DO TAPERA, Brazil (Southern Cross Wire) - "),
])
def test_a_dateline_is_found(text, expected):
    start, end = dateline(text)
    assert text[start:end] == expected


@pytest.mark.parametrize("text", ["Officials said - in a statement - that 3 died.", "UN: a body of nations", "The toll rose."])
def test_no_dateline_where_the_place_is_not_in_capitals(text):
    assert dateline(text) is None


def test_the_sentence_after_a_dateline_keeps_its_content(analyze):
    text = ("MIRVADA: The death toll from last week's explosion has risen to 34, the Kantha district administration "
            "said on Wednesday.")
    (attribution,) = analyze(text)["attributions"]
    assert attribution["content"]["text"].startswith("The death toll") and "MIRVADA" not in attribution["content"]["text"]
    (figure,) = analyze(text)["quantities"]
    assert figure["attribution"] == attribution["id"] and "MIRVADA" not in figure["concept"]
