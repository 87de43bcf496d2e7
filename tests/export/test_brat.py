"""BRAT output reads back, through the PolNeAR reader, as the spans of the analysis."""

from __future__ import annotations

from claimledger.eval.polnear import from_analysis, read_ann
from claimledger.export.brat import to_brat


def test_brat_round_trip_keeps_every_span(analyze):
    text = ("“We are not leaving,” said Anna Berg, the union leader. “Management has given us nothing.”\n"
            "According to the port authority, about 40 ships were delayed.")
    analysis = analyze(text)
    ann = to_brat(analysis, text)
    assert from_analysis(analysis) == read_ann(ann)
    for line in ann.splitlines():
        if line.startswith("T"):
            _, label_offsets, surface = line.split("\t")
            label, offsets = label_offsets.split(" ", 1)
            assert label in {"Source", "Cue", "Content", "Attribution"}
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            assert surface == " ".join(text[s:e].replace("\n", " ") for s, e in pieces)


def test_attribution_without_source_is_marked_as_such():
    analysis = {"attributions": [{
        "source": None, "cue": {"start": 0, "end": 4}, "content": {"spans": [[5, 9]]},
    }]}
    ann = to_brat(analysis, "said this")
    assert "Attribution-no-source:" in ann
    assert "Source:" not in ann
