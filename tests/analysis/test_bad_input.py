"""Input that is not a usable English article gets a flagged result, never an exception."""

from __future__ import annotations

import json

import pytest

from claimledger.analysis.analyzer import MAX_CHARS, chunk_bounds


def test_empty_text_is_flagged(analyze):
    analysis = analyze("   \n ")
    assert "empty" in analysis["flags"]
    assert analysis["attributions"] == []


def test_non_english_is_detected_and_not_analysed(analyze):
    text = ("Der Bundeskanzler sagte am Mittwoch, dass die Regierung neue Maßnahmen gegen die steigenden "
            "Energiepreise plane. Die Opposition warf ihm vor, zu spät zu handeln.")
    analysis = analyze(text)
    assert analysis["document"]["language"] == "de"
    assert "not_english" in analysis["flags"]
    assert analysis["attributions"] == []


def test_text_over_the_limit_is_flagged_with_the_limit(analyze):
    analysis = analyze("word " * (MAX_CHARS // 5 + 10))
    assert any(flag.startswith("too_long") and str(MAX_CHARS) in flag for flag in analysis["flags"])


def test_chunks_cover_the_text_exactly_and_cut_at_paragraphs():
    text = ("A paragraph of some length that ends here.\n" * 5000)
    bounds = chunk_bounds(text, size=10_000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(text[end - 1] == "\n" for _, end in bounds[:-1])


def test_long_text_is_analysed_in_chunks_with_true_offsets(analyzer):
    paragraph = "“The port will reopen soon,” the harbour master said on Monday.\n"
    text = "Filler sentence without any claims in it at all.\n" * 2500 + paragraph
    analysis = analyzer.analyze(text).to_dict()
    said = [a for a in analysis["attributions"] if a["cue"]["text"] == "said"]
    assert said
    assert text[said[-1]["cue"]["start"] : said[-1]["cue"]["end"]] == "said"
    assert said[-1]["cue"]["start"] > 100_000


# --- issue 7: quotation marks, languages -------------------------------------------------------

QUOTE_TEXTS = {
    "quotes-only": "“We will win.” “We will not give up.” “Never.” “Not now, not ever.” " * 40,
    "5000-straight": '"' * 5000,
    "5000-curly": "“" * 2500 + "”" * 2500,
    "5000-in-prose": 'The minister said "yes" and then "no". ' * 100 + '"' * 4800 + " the end, she said.",
    "5000-unbalanced": "“The port will reopen,” the harbour master said. " + "“" * 5000,
}


@pytest.mark.parametrize("name", list(QUOTE_TEXTS))
def test_quotation_marks_alone_or_by_thousands_give_a_valid_analysis(analyzer, name):
    """No exception and every offset valid; the cues the quotes become are no longer quadratic."""
    from tests.analysis.invariants import check_analysis

    text = QUOTE_TEXTS[name]
    data = analyzer.analyze(text).to_dict()
    check_analysis(text, data)
    if name == "quotes-only":
        assert all(a["source"] is None for a in data["attributions"])  # nobody is named, nobody is made up
    if name == "5000-unbalanced":
        # the real quote is still found, whatever the run of marks after it does to the cue's extent
        assert any(a["content"]["text"] == "“The port will reopen,”" and a["source"]["text"] == "the harbour master"
                   for a in data["attributions"])


def test_cue_features_stay_linear_with_thousands_of_cues_in_a_sentence(analyzer):
    """Each token once looked at every cue of its sentence: 20,000 quotation marks took minutes."""
    import time

    from spacy.tokens import Doc

    from claimledger.analysis.features import cue_features

    words = ['"'] * 20_000
    doc = Doc(analyzer.nlp.vocab, words=words, sent_starts=[True] + [False] * (len(words) - 1))
    started = time.perf_counter()
    rows = cue_features(doc, range(0, len(words), 2))
    assert len(rows) == len(words) and "cue_side=C" in rows[0]
    assert time.perf_counter() - started < 20  # quadratic: 2e8 steps, minutes; now well under a second


@pytest.mark.parametrize(
    "language, text",
    [
        ("fr", "Le ministre a déclaré mercredi que la réforme des retraites était nécessaire pour l'économie."),
        ("es", "El presidente dijo el lunes que el gobierno aprobará nuevas medidas contra la inflación."),
        ("ru", "Президент заявил в понедельник, что переговоры с соседними странами продолжатся."),
        ("uk", "Київ заявив про нові переговори."),
        ("zh|wuu", "国家统计局周一表示，今年前三个季度国内生产总值同比增长百分之五点二，经济运行总体平稳。"),
        ("ar", "قال المتحدث باسم الحكومة يوم الاثنين إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة."),
    ],
)
def test_other_languages_are_detected_flagged_and_not_analysed_as_english(analyze, language, text):
    """Short texts in other scripts were once taken as English (under 60 characters, or under 0.9
    confidence); a text mostly in another script than Latin is not English, however short."""
    analysis = analyze(text)
    assert analysis["document"]["language"] in language.split("|")
    assert "not_english" in analysis["flags"]
    assert analysis["attributions"] == [] and analysis["quantities"] == []


def test_crf_probabilities_that_overflow_give_a_number_not_nan(analyze):
    """Regression: 538 straight quotation marks in a row made crfsuite's marginals NaN, and the
    Analysis JSON carried "confidence": NaN, which no strict JSON parser reads."""
    import json
    import math

    analysis = analyze('"' * 538)
    json.dumps(analysis, allow_nan=False)
    assert all(math.isfinite(a["confidence"]) for a in analysis["attributions"])


def test_a_short_text_in_another_script_is_not_english(analyze):
    """Regression: under 60 characters every text was taken as English, a Chinese headline too."""
    analysis = analyze("俄罗斯总统周一表示谈判将继续")
    assert analysis["document"]["language"] != "en" and "not_english" in analysis["flags"]


def test_half_a_utf16_pair_is_replaced_one_for_one_and_flagged(analyzer):
    text = 'The mayor said 40 homes were damaged \ud800 on Monday, officials said.'
    result = analyzer.analyze(text)
    assert "replaced_lone_surrogates" in result.flags
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # encodable: no surrogate left
    cleaned = text.replace("\ud800", "\ufffd")
    assert result.attributions and all(cleaned[a.cue.start:a.cue.end] == a.cue.text for a in result.attributions)
    assert any(q.text == "40" or "40" in q.text for q in result.quantities)
