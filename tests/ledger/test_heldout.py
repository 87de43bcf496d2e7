"""The held-out ledger sets (tests/ledger/heldout*, each written blind to the implementation):
sources merged and kept apart, the series, the figures that must stay out of them, and every kind
of relation.

A set is scored, never tuned on, while it is blind; once its failures were read to make general
fixes it becomes a development set and a fresh blind one takes its place (sets 1-11 and 13-16 are
development sets now, sets 12, 17 and 18 are blind and print their totals only). The assertions hold
the figures measured, so a regression fails and an improvement shows in the report (and in
docs/benchmarks.md).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from claimledger.export.ledger import ledger_dict
from claimledger.ingest.documents import read_jsonl
from claimledger.ledger.book import Ledger
from claimledger.ledger.identity import normalise
from claimledger.ledger.store import open_engine

HERE = Path(__file__).parent


def build(folder: Path, analyzer, tmp_path_factory):
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp(folder.name) / 'ledger.db'}")
    documents = list(read_jsonl(open(folder / "articles.jsonl", encoding="utf-8")))
    book = Ledger(engine)
    results = [book.add(document, analysis) for document, analysis in zip(documents, analyzer.analyze_many(documents))]
    if not all(r.in_order and not r.ties_late for r in results):  # as `claimledger ingest` does
        book.rebuild()
    data = ledger_dict(engine)
    by_url = {d["url"]: d["id"] for d in data["documents"]}
    article_ids = {d.id: by_url[d.url] for d in documents}
    return data, article_ids, json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def find_figures(data, article_ids, ref) -> list[dict]:
    """Every ledger figure an expected one can be: its article and value (or range). An article
    may state the same figure twice (a headline and its body)."""
    document_id = article_ids[ref["article"]]
    found = []
    for series in data["series"]:
        for point in series["points"]:
            if point["document_id"] != document_id:
                continue
            if "value" in ref and point["value"] == ref["value"]:
                found.append({**point, "series_id": series["id"]})
            elif "low" in ref and point["low"] == ref["low"] and point.get("high") == ref.get("high"):
                found.append({**point, "series_id": series["id"]})
    return found


def find_figure(data, article_ids, ref) -> dict | None:
    found = find_figures(data, article_ids, ref)
    return found[0] if found else None


def source_ids_of(data, mentions) -> Counter:
    # an acronym matches as written: the relative pronoun "who" is no mention of the WHO
    acronyms = {m for m in mentions if m.isupper()}
    wanted = {normalise(m) for m in mentions if m not in acronyms}

    def names(text: str) -> bool:
        return text.strip(" ,.") in acronyms or normalise(text) in wanted

    return Counter(c["source_id"] for c in data["claims"] if c["source_id"] and names(c["source_text"] or ""))


def report(data, article_ids, expected) -> dict[str, list[tuple[str, bool]]]:
    results: dict[str, list[tuple[str, bool]]] = {"merged": [], "apart": [], "series": [], "kept out": [], "relations": []}
    majority: dict[str, str] = {}
    homes: set[str | None] = set()
    for source in expected["sources"]:
        ids = source_ids_of(data, source["mentions"])
        if ids:
            majority[source["name"]] = ids.most_common(1)[0][0]
            results["merged"].append((f"{source['name']}: {len(ids)} ledger source(s)", len(ids) == 1))
    for a, b in expected["distinct_sources"]:
        if a in majority and b in majority:
            results["apart"].append((f"{a} / {b}", majority[a] != majority[b]))
    for series in expected["series"]:
        # each expected figure may be any of its article's copies of that number (a headline and
        # its body, or "killing 11 workers" and "11 bodies"): the home series is the one most of
        # them can be in, and a figure is in it if any of its copies is
        copies = [find_figures(data, article_ids, p) for p in series["points"]]
        votes = Counter(series_id for found in copies for series_id in {c["series_id"] for c in found})
        home = votes.most_common(1)[0][0] if votes else None
        homes.add(home)
        for ref, found in zip(series["points"], copies):
            results["series"].append((f"{series['quantity']}: {ref}", any(c["series_id"] == home for c in found)))
    for ref in expected.get("not_in_series", []):
        # another quantity, a part of a total, the author's background figure: in none of those series
        found = find_figures(data, article_ids, ref)
        results["kept out"].append((f"{ref}", not any(c["series_id"] in homes for c in found)))
    relations = {(r["type"], frozenset(r["figures"])) for r in data["relations"]}
    for relation in expected["relations"]:
        first = relation.get("from") or relation.get("a")
        second = relation.get("to") or relation.get("b")
        # the relation holds if it joins any figure the first can be with any the second can be
        ok = any((relation["type"], frozenset((fa["figure_id"], fb["figure_id"]))) in relations
                 for fa in find_figures(data, article_ids, first) for fb in find_figures(data, article_ids, second))
        results["relations"].append((f"{relation['type']} {first['article']}:{first.get('value', first.get('low'))} -> "
                                      f"{second['article']}:{second.get('value', second.get('low'))}", ok))
    return results


def show(name: str, results, totals_only: bool = False) -> None:
    """Print the report; only the totals of a blind set, so that reading a test log cannot unblind it."""
    print(f"\n{name}:")
    for part, checks in results.items():
        print(f"  {part}: {sum(ok for _, ok in checks)}/{len(checks)}")
        for check, ok in [] if totals_only else checks:
            print(f"    {'ok  ' if ok else 'MISS'} {check}")


def scored(number: int, folder: Path, analyzer, tmp_path_factory, capsys, blind: bool = False) -> tuple[dict[str, int], set[str], dict]:
    """Build the ledger of one set, print every check, and return the score per part, the kinds
    of relation found, and the checks."""
    if not (folder / "expected.json").exists():
        pytest.skip(f"{folder} is absent")
    data, article_ids, expected = build(folder, analyzer, tmp_path_factory)
    results = report(data, article_ids, expected)
    with capsys.disabled():
        show(f"held-out ledger set {number}", results, totals_only=blind)
    score = {part: sum(ok for _, ok in checks) for part, checks in results.items()}
    kinds = {name.split()[0] for name, ok in results["relations"] if ok}
    if not blind:  # a blind set's floors say what it does, whatever that is
        assert score["apart"] == len(results["apart"]), "a pair that must stay apart was merged"
    return score, kinds, results


def test_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The first set; it was read while the ledger was built (docs/benchmarks.md), so it is a regression check."""
    score, kinds, _ = scored(1, HERE / "heldout", analyzer, tmp_path_factory, capsys)
    assert {"revision", "conflict", "discrepancy"} <= kinds
    assert score["merged"] >= 7 and score["series"] >= 11 and score["kept out"] >= 9 and score["relations"] >= 7


def test_second_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The second set: blind when it arrived (first score below); since set 3 arrived it is a
    development set like set 1, and the floors follow what the ledger now does."""
    score, kinds, _ = scored(2, HERE / "heldout2", analyzer, tmp_path_factory, capsys)
    # the first (blind) score, 2026-11-27: merged 5/8, apart 5/5, series 12/14, relations 4/9
    assert {"revision", "conflict", "corroboration", "discrepancy"} <= kinds
    assert score["merged"] >= 7 and score["series"] >= 14 and score["kept out"] >= 21 and score["relations"] >= 8


def test_third_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The third set: blind when it arrived (first score below); its failures were read on
    2026-11-27 (late) to make general fixes, so it is a development set now, and the floors follow
    what the ledger does since."""
    score, kinds, _ = scored(3, HERE / "heldout3", analyzer, tmp_path_factory, capsys)
    # the first (blind) score, 2026-11-27 20:25: merged 7/16, apart 14/14, series 10/17, relations 1/11
    assert {"revision", "conflict"} <= kinds
    assert score["merged"] >= 15 and score["series"] >= 16 and score["kept out"] >= 24 and score["relations"] >= 9


def test_fourth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The fourth set (a chemical plant explosion): blind when it arrived; its failures were read on
    2026-11-28 to make general fixes (set 5 took its place as the blind set), so it is a
    development set now, and the floors follow what the ledger does since."""
    score, kinds, _ = scored(4, HERE / "heldout4", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-27: merged 4/15, apart 13/13, series 9/20, relations 3/12; the last blind
    # score (after the set-3 fixes, scored four times in all, totals only): 6/15, 13/13, 10/20, 3/12
    assert {"revision", "conflict", "corroboration", "discrepancy"} <= kinds
    assert score["merged"] >= 13 and score["series"] >= 20 and score["kept out"] >= 8 and score["relations"] >= 11


def test_fifth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The fifth set (a wildfire): blind when it arrived; its failures were read on 2026-11-28 to
    make general fixes (set 6 took its place as the blind set), so it is a development set now."""
    score, kinds, _ = scored(5, HERE / "heldout5", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28: first score merged 8/15, apart 13/13, series 17/22, relations 1/12 (kept
    # out 18/24 when that check came); last blind score 8/15, 13/13, 20/22, 19/24, 3/12
    assert {"revision", "conflict"} <= kinds
    assert score["merged"] >= 11 and score["series"] >= 22 and score["kept out"] >= 22 and score["relations"] >= 9


def test_sixth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The sixth set (a ferry capsizing): blind when it arrived; its failures were read on
    2026-11-28 to make general fixes (set 7 took its place as the blind set)."""
    score, kinds, _ = scored(6, HERE / "heldout6", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the code of the session's start (464be22) merged 3/12, apart
    # 10/10, series 12/21, kept out 19/20, relations 0/12; after the set-4 and set-5 fixes 4, 10, 14, 20, 1
    assert {"revision", "conflict"} <= kinds
    assert score["merged"] >= 10 and score["series"] >= 19 and score["kept out"] >= 20 and score["relations"] >= 8


def test_seventh_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The seventh set (a heatwave): blind when it arrived; its failures were read on 2026-11-28 to
    make general fixes (set 8 took its place as the blind set)."""
    score, kinds, _ = scored(7, HERE / "heldout7", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the code of the session's start (464be22) merged 7/15, apart
    # 13/14, series 15/20, kept out 14/20, relations 1/12; after the set-4 to set-6 fixes 8, 13, 15, 14, 2.
    # Kept out fell 14 -> 12 with the set-13 round: "admitted", "treated" and "hospitalised" are one
    # count now, and two admissions this set keeps apart (one hospital group's, one day's) join it
    assert score["merged"] >= 10 and score["series"] >= 15 and score["kept out"] >= 13 and score["relations"] >= 6


def test_eighth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The eighth set (a mine explosion): blind when it arrived; its failures were read on
    2026-11-28 (second session) to make general fixes (set 9 took its place as the blind set)."""
    score, kinds, _ = scored(8, HERE / "heldout8", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the code of that day's start (464be22) merged 6/12, apart
    # 8/8, series 8/20, kept out 13/20, relations 1/11; its last blind score (after the boundary
    # model, 6bf3083) 7, 8, 10, 17, 2
    assert {"revision", "corroboration", "discrepancy"} <= kinds
    assert score["merged"] >= 8 and score["series"] >= 17 and score["kept out"] >= 19 and score["relations"] >= 7


def test_ninth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The ninth set (a train collision): blind when it arrived; its failures were read on
    2026-11-28 (second session) to make general fixes (set 10 took its place as the blind set)."""
    score, kinds, _ = scored(9, HERE / "heldout9", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the code of the session's start (0b67613) merged 9/16, apart
    # 15/15, series 18/22, kept out 22/29, relations 2/17; after the set-8 fixes 9, 14, 18, 22, 5
    assert {"revision", "discrepancy"} <= kinds
    assert score["merged"] >= 16 and score["apart"] >= 15 and score["series"] >= 19 and score["kept out"] >= 22 \
        and score["relations"] >= 11


def test_tenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The tenth set (a building collapse): blind when it arrived; its failures were read on
    2026-11-28 (second session) to make general fixes (set 11 took its place as the blind set)."""
    score, kinds, _ = scored(10, HERE / "heldout10", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the code of the session's start (0b67613) merged 4/10, apart
    # 8/8, series 20/29, kept out 19/20, relations 4/19; after the set-8 and set-9 fixes 3, 8, 20, 20, 4
    assert {"revision"} <= kinds
    assert score["merged"] >= 9 and score["apart"] >= 8 and score["series"] >= 23 and score["kept out"] >= 19 \
        and score["relations"] >= 10


def test_eleventh_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The eleventh set (floods and landslides): blind when it arrived; its failures were read on
    2026-11-28 (third session) to make general fixes (set 12 took its place as the blind set)."""
    score, kinds, _ = scored(11, HERE / "heldout11", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the code of the second session's start (0b67613) merged 9/13,
    # apart 11/11, series 18/28, kept out 21/23, relations 4/19; its last blind score (3754195) 9, 11,
    # 19, 20, 5
    assert {"revision", "corroboration", "discrepancy"} <= kinds
    assert score["merged"] >= 12 and score["apart"] >= 11 and score["series"] >= 26 and score["kept out"] >= 21 \
        and score["relations"] >= 13


def test_thirteenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The thirteenth set (a methanol poisoning), written blind; its failures were read on 2026-11-28
    (third session) to make general fixes, with set 14's, while set 12 stayed blind."""
    score, kinds, _ = scored(13, HERE / "heldout13", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the third session's start (3754195) merged 9/13, apart 14/14,
    # series 22/30, kept out 14/18, relations 7/19; after the set-11 round (aff7479) 9, 14, 21, 15, 7
    assert {"revision", "conflict", "discrepancy"} <= kinds
    assert score["merged"] >= 10 and score["apart"] >= 14 and score["series"] >= 29 and score["kept out"] >= 17 \
        and score["relations"] >= 13


def test_fourteenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The fourteenth set (an oil spill: barrels, kilometres, tonnes, birds, a fine), written blind;
    its failures were read with set 13's on 2026-11-28 (third session)."""
    score, kinds, _ = scored(14, HERE / "heldout14", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the third session's start (3754195) merged 8/14, apart 16/16,
    # series 14/25, kept out 20/20, relations 2/17; after the set-11 round (aff7479) 8, 16, 13, 20, 2
    assert {"revision", "discrepancy"} <= kinds
    assert score["merged"] >= 11 and score["apart"] >= 16 and score["series"] >= 21 and score["kept out"] >= 20 \
        and score["relations"] >= 11


def test_fifteenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The fifteenth set (a jailbreak), written blind; its failures were read on 2026-11-28 (third
    session) with set 16's, while set 12 stayed blind."""
    score, kinds, _ = scored(15, HERE / "heldout15", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the third session's start (3754195) merged 7/11, apart 13/13,
    # series 14/23, kept out 16/24, relations 3/14; after the set-11 round (aff7479) 7, 13, 14, 17, 3;
    # after the set-13 and set-14 round (31440e3) 7, 13, 14, 17, 3
    assert {"revision", "conflict", "discrepancy"} <= kinds
    assert score["merged"] >= 9 and score["apart"] >= 13 and score["series"] >= 20 and score["kept out"] >= 23 \
        and score["relations"] >= 11


def test_sixteenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The sixteenth set (a ransomware attack on an insurer: records, terabytes, dollars, clinics),
    written blind; its failures were read with set 15's on 2026-11-28 (third session)."""
    score, kinds, _ = scored(16, HERE / "heldout16", analyzer, tmp_path_factory, capsys)
    # blind, 2026-11-28, first scores: the third session's start (3754195) merged 6/12, apart 16/16,
    # series 24/28, kept out 15/19, relations 4/17; after the set-11 round (aff7479) 6, 16, 23, 15, 4;
    # after the set-13 and set-14 round (31440e3) 6, 16, 24, 15, 9
    assert {"revision"} <= kinds
    assert score["merged"] >= 8 and score["apart"] >= 16 and score["series"] >= 24 and score["kept out"] >= 15 \
        and score["relations"] >= 11


def test_twelfth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The twelfth set (a general strike and protests), written blind and scored only, never tuned
    on (only its totals were read); the floors are its score (docs/benchmarks.md)."""
    score, _, _ = scored(12, HERE / "heldout12", analyzer, tmp_path_factory, capsys, blind=True)
    for part, floor in SCORE_12.items():
        assert score[part] >= floor, (part, score[part], floor)


# blind, 2026-11-28, first scores: the code of the third session's start (3754195) and after the
# set-11 fixes alike 7, 21, 15, 27, 3; after the set-13 and set-14 fixes the figures below, and
# after the set-15 and set-16 fixes the same
SCORE_12 = {"merged": 8, "apart": 21, "series": 15, "kept out": 28, "relations": 4}  # of 14, 21, 20, 30, 12


def test_seventeenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The seventeenth set (an airliner crash), written blind at the end of the third session and
    scored only, never tuned on (only its totals were read)."""
    score, _, _ = scored(17, HERE / "heldout17", analyzer, tmp_path_factory, capsys, blind=True)
    for part, floor in SCORE_17.items():
        assert score[part] >= floor, (part, score[part], floor)


# blind, 2026-11-28, first scores: the same on the third session's start (3754195), after the
# set-13 and set-14 round (31440e3) and at its end
SCORE_17 = {"merged": 8, "apart": 12, "series": 16, "kept out": 22, "relations": 5}  # of 12, 12, 21, 23, 10


def test_eighteenth_heldout_ledger(analyzer, tmp_path_factory, capsys):
    """The eighteenth set (an earthquake in Peru), written blind in the fourth session and scored
    only, never tuned on (only its totals were read)."""
    score, _, _ = scored(18, HERE / "heldout18", analyzer, tmp_path_factory, capsys, blind=True)
    for part, floor in SCORE_18.items():
        assert score[part] >= floor, (part, score[part], floor)


# blind, 2026-11-29, first scores: the same on the fourth session's start (f32ca5b) and after its
# rebuild, attribution and "the company" changes (4439bf4)
SCORE_18 = {"merged": 12, "apart": 16, "series": 24, "kept out": 41, "relations": 8}  # of 17, 16, 27, 45, 16
