"""What every Analysis must satisfy whatever the text: the checks shared by the property tests
(tests/analysis/test_properties.py) and the coverage-guided fuzzer (scripts/fuzz_analysis.py).

Owns the statement of the analysis invariants: every span inside the text and equal to the text it
quotes, every range low <= high, every reference to an id that exists, JSON that any parser reads.
"""

from __future__ import annotations

import hashlib
import json
import math


def check_span(text: str, span: dict, what: str) -> None:
    start, end = span["start"], span["end"]
    assert isinstance(start, int) and isinstance(end, int), f"{what}: offsets {start!r}, {end!r} are not integers"
    assert 0 <= start < end <= len(text), f"{what}: [{start}, {end}) is not a non-empty range inside {len(text)} characters"
    assert text[start:end] == span["text"], f"{what}: {span['text']!r} is not the text at [{start}, {end}): {text[start:end]!r}"


def check_analysis(text: str, data: dict) -> None:
    """Raise AssertionError naming the first invariant this Analysis (its to_dict()) breaks."""
    json.dumps(data, allow_nan=False)  # outside scorers parse it: no NaN or Infinity
    assert data["document"]["id"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    attribution_ids = [a["id"] for a in data["attributions"]]
    quantity_ids = [q["id"] for q in data["quantities"]]
    assert len(set(attribution_ids)) == len(attribution_ids) and len(set(quantity_ids)) == len(quantity_ids)
    for a in data["attributions"]:
        where = f"attribution {a['id']}"
        for part in ("source", "cue", "via"):
            if a[part] is not None:
                check_span(text, a[part], f"{where} {part}")
        spans = a["content"]["spans"]
        for start, end in spans:
            assert 0 <= start < end <= len(text), f"{where} content span [{start}, {end}) outside the text"
        assert a["content"]["text"] == " … ".join(text[s:e] for s, e in spans), f"{where}: content text is not its spans"
        if a["certainty"] is not None:
            assert 0.0 <= a["certainty"]["probability"] <= 1.0, f"{where}: probability out of [0, 1]"
            for cue in a["certainty"]["cues"]:
                check_span(text, cue, f"{where} certainty cue")
        assert a["parent"] is None or (a["parent"] in attribution_ids and a["parent"] != a["id"]), f"{where}: bad parent"
        assert set(a["quantities"]) <= set(quantity_ids), f"{where}: links a quantity that does not exist"
        assert 0.0 <= a["confidence"] <= 1.0, f"{where}: confidence out of [0, 1]"
    for q in data["quantities"]:
        where = f"quantity {q['id']}"
        check_span(text, q, where)
        for key in ("value", "low", "high"):
            assert q[key] is None or math.isfinite(q[key]), f"{where}: {key} is {q[key]}"
        if q["low"] is not None and q["high"] is not None:
            assert q["low"] <= q["high"], f"{where}: range {q['low']} > {q['high']}"
        assert q["attribution"] is None or q["attribution"] in attribution_ids, f"{where}: unknown attribution"
    for h in data["hedges"]:
        check_span(text, h, "hedge")
