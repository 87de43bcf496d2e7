"""Input that is not a usable English article gets a flagged result, never an exception."""

from __future__ import annotations

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
