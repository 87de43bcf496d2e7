"""The indexed attribute-ruler matcher finds exactly spaCy's matches and leaves every token as the
stock pipeline leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from claimledger.analysis.attribute_matcher import IndexedAttributeMatcher, speed_up_attribute_ruler
from claimledger.analysis.pipeline import load_nlp, load_stock_nlp

EXAMPLES = Path(__file__).parents[2] / "examples"

# every kind of rule in en_core_web_sm's ruler: two-token rules ("ain't", "gonna", "y'all",
# "let's", "c'mon", "there is"), IN / NOT_IN on tags and dependencies, REGEX, spaces
ODD_TEXTS = [
    "He ain't gonna go, y'all. Let's c'm on, there is nothin' here and there are gotta wanna.",
    "I'd've done it. Ain't nothin' but a y' all thing.  \n\n  Do you? I do. He does have it.",
    "That that is is that. Whether or not it is, he gets what he got; they have, and he had.",
    "It's the one which was sold, not the ones that were. I am; you are; we're; they've been.",
    "",
    "   ",
]


def texts() -> list[str]:
    found = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    assert found, "the bundled examples are missing"
    return ODD_TEXTS + found


@pytest.fixture(scope="module")
def stock():
    return load_stock_nlp()


def test_same_matches_as_spacy_matcher(stock):
    ruler = stock.get_pipe("attribute_ruler")
    indexed = IndexedAttributeMatcher(ruler)
    before_ruler = [name for name in stock.pipe_names if name not in ("attribute_ruler", "lemmatizer", "ner")]
    assert "parser" in before_ruler
    total = 0
    for doc in stock.pipe(texts(), disable=["attribute_ruler", "lemmatizer", "ner"]):
        expected = [tuple(match) for match in ruler.match(doc)]
        assert indexed(doc) == expected, doc.text[:80]
        total += len(expected)
    assert total > 1000  # the texts exercised the rules


def test_tokens_annotated_as_by_the_stock_pipeline(stock):
    fast = load_nlp()
    assert not hasattr(fast.get_pipe("attribute_ruler").match, "__self__")  # ours, not the bound stock method
    for a, b in zip(stock.pipe(texts()), fast.pipe(texts())):
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in a] == [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in b]


def test_without_a_parse_the_stock_matcher_answers(stock):
    fast = load_nlp()
    text = "There is nothing they didn't do, and there are people who do."
    a = next(stock.pipe([text], disable=["parser"]))
    b = next(fast.pipe([text], disable=["parser"]))
    assert not b.has_annotation("DEP")
    assert [(t.pos_, t.lemma_) for t in a] == [(t.pos_, t.lemma_) for t in b]


def test_a_rule_it_cannot_read_keeps_spacys_matcher():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], {"LEMMA": "intense"})
    assert speed_up_attribute_ruler(nlp) is False
    assert nlp.get_pipe("attribute_ruler").match.__self__ is ruler  # still the bound stock method


def test_a_pipeline_without_a_ruler_is_left_alone():
    assert speed_up_attribute_ruler(spacy.blank("en")) is False
