"""The content-boundary step: which alternatives a parse offers, and that the choice is safe."""

from __future__ import annotations

import pytest

from claimledger.analysis.boundaries import BoundaryChooser, alternatives
from claimledger.analysis.tagger import TokenRun


def _run(doc, words: str) -> TokenRun:
    """The token run of the first occurrence of `words` in the doc."""
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words))
    assert span is not None, words
    return TokenRun(span.start, span.end, 0.9)


def _texts(doc, candidates) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for c in candidates:
        found.setdefault(c.kind, []).append(" … ".join(doc[p.start:p.end].text for p in c.pieces))
    return found


@pytest.fixture(scope="module")
def nlp(analyzer):
    return analyzer.nlp


def test_a_trailing_clause_can_be_cut(nlp):
    doc = nlp("Officials said 40 people died in the blast, forcing hundreds of families to flee.")
    found = _texts(doc, alternatives(doc, _run(doc, "said"), _run(doc, "Officials"),
                                     [_run(doc, "40 people died in the blast, forcing hundreds of families to flee")]))
    assert "40 people died in the blast" in found["cut_comma"]
    assert all("Officials" not in text and "said" not in text for texts in found.values() for text in texts)


def test_a_content_cut_short_can_reach_the_end_of_its_clause_or_quotation(nlp):
    doc = nlp('"We will rebuild every house in the valley before winter comes," the mayor said on Monday.')
    cue, source = _run(doc, "said"), _run(doc, "the mayor")
    found = _texts(doc, alternatives(doc, cue, source, [_run(doc, "We will rebuild every house")]))
    extended = {text for kind, texts in found.items() if kind.startswith("extend") for text in texts}
    assert any(text.startswith("We will rebuild every house in the valley before winter comes") for text in extended)
    # an extension never swallows the attribution's own source or cue
    assert not any("mayor" in text or "said" in text for text in extended)


def test_a_second_piece_can_be_dropped(nlp):
    doc = nlp("The minister said the bridge was safe. Engineers disagreed, he added.")
    pieces = [_run(doc, "the bridge was safe"), _run(doc, "Engineers disagreed")]
    found = _texts(doc, alternatives(doc, _run(doc, "said"), _run(doc, "The minister"), pieces))
    assert found["drop_last"] == ["the bridge was safe"]
    assert found["drop_first"] == ["Engineers disagreed"]


def test_every_alternative_is_described_by_its_kind(nlp):
    doc = nlp("The agency said that 12 people were hurt in the fire on Tuesday, according to a statement.")
    for candidate in alternatives(doc, _run(doc, "said"), _run(doc, "The agency"),
                                  [_run(doc, "that 12 people were hurt in the fire on Tuesday")]):
        assert candidate.features[0] == f"kind={candidate.kind}"
        assert all(f.startswith(candidate.kind + "|") for f in candidate.features[1:])
        assert all(p.start < p.end for p in candidate.pieces)


def test_without_a_model_the_tagged_content_stays(nlp, tmp_path):
    doc = nlp("Officials said 40 people died in the blast, forcing hundreds of families to flee.")
    pieces = [_run(doc, "40 people died in the blast, forcing hundreds of families to flee")]
    chooser = BoundaryChooser(tmp_path)
    assert chooser.choose(doc, _run(doc, "said"), None, pieces) == pieces


def test_the_shipped_choice_returns_the_tagged_span_or_one_of_its_alternatives(analyzer, nlp):
    doc = nlp("Officials said 40 people died in the blast, forcing hundreds of families to flee.")
    cue, source = _run(doc, "said"), _run(doc, "Officials")
    pieces = [_run(doc, "40 people died in the blast, forcing hundreds of families to flee")]
    assert analyzer.boundaries.tagger is not None, "boundary.crfsuite is shipped"
    chosen = analyzer.boundaries.choose(doc, cue, source, pieces)
    options = [pieces] + [list(c.pieces) for c in alternatives(doc, cue, source, pieces)]
    assert chosen in options
    for candidate in alternatives(doc, cue, source, pieces):
        assert 0.0 <= analyzer.boundaries.better(candidate) <= 1.0


def test_content_probability_is_only_read_for_the_document_just_tagged(analyzer, nlp):
    first, second = nlp("The mayor said the road is closed."), nlp("Police said two men were arrested.")
    _, probability = analyzer.tagger.tag_with_content_probability(first)
    values = [probability(i) for i in range(len(first))]
    assert all(0.0 <= p <= 1.0 for p in values)
    assert max(values[3:7]) > min(values[:2])  # "the road is closed" is more content than "The mayor"
    analyzer.tagger.tag_with_content_probability(second)
    with pytest.raises(RuntimeError):
        probability(0)
