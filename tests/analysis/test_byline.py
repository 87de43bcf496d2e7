"""Author from a byline or a closing biography."""

from __future__ import annotations

from claimledger.analysis.byline import find_author


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
