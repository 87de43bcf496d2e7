"""Property-based tests (hypothesis) of the whole analysis: for any text, no exception, and every
invariant of tests/analysis/invariants.py (offsets inside the text and matching the quoted text,
ranges low <= high, references that resolve, JSON without NaN).

Owns the text strategies: arbitrary Unicode, and news-like text assembled from the pieces the
analysis reacts to (quotation marks, speech verbs, figures, ranges, hedges, line breaks), which
reaches far more of its code than random characters do. The analyzer is loaded once (the
session fixture in tests/conftest.py); the example budgets keep each test to a few seconds here.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.analysis.invariants import check_analysis

# Any text hypothesis can make: every Unicode scalar value (a Python str with a lone surrogate is no
# Unicode text, and ingestion never makes one: tests/ingest/test_properties.py).
ANY_TEXT = st.text(max_size=300)

PIECES = [
    "“", "”", '"', "'", "‘", "’", "«", "»", " said ", " says ", " told reporters ", " according to ", " claimed ",
    "The minister", "the police", "Reuters", "a spokesperson for the UN", "officials", "He", "she", " that ",
    " 40 ", "3.5%", " between 3 and 5 million ", "$40bn", " up to 1,200 ", " fell 7% to ", " about two dozen ",
    "-", "–", " to ", " may ", " possibly ", " it is believed ", " some critics ", " on Monday", " last week",
    ". ", ", ", "\n", "\n\n", " ", "…", "(", ")", ":", ";", "?", "!", "1e400", "0" * 40, "½", "٣", "Ⅻ",
]
NEWSLIKE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(text=ANY_TEXT)
@example("")
@example("\u2028\u2029\x85\x0b\x0c")  # line and paragraph separators, which str.splitlines cuts at
@example("\U0001F600" * 50)  # characters outside the BMP: two UTF-16 units, one Python character
@example("e\u0301" * 40)  # combining marks
def test_any_unicode_text_gives_a_valid_analysis(analyzer, text):
    check_analysis(text, analyzer.analyze(text).to_dict())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NEWSLIKE)
@example("“We will win,” the coach said. “We will not give up.”")
@example("The minister said between 3 and 5 million people may have fled, according to the UN.")
@example('"' * 41)
def test_news_like_text_gives_a_valid_analysis(analyzer, text):
    check_analysis(text, analyzer.analyze(text).to_dict())


@FAST
@given(texts=st.lists(NEWSLIKE, min_size=2, max_size=5))
def test_batches_give_each_text_the_analysis_it_gets_alone(analyzer, texts):
    """analyze_many parses in batches: offsets must still be each text's own."""
    together = [a.to_dict() for a in analyzer.analyze_many(texts_as_documents(texts))]
    assert len(together) == len(texts)
    for text, data in zip(texts, together):
        check_analysis(text, data)
        assert data["attributions"] == analyzer.analyze(text).to_dict()["attributions"]


def texts_as_documents(texts):
    from claimledger.analysis.schema import Document

    return [Document(text=t) for t in texts]
