"""The relation rules on hand-made figures: each kind, independence, time windows, changes."""

from __future__ import annotations

from claimledger.ledger.relations import Fact, credibility, find_relations


def fact(id_, source, value=None, low=None, high=None, change="=", when="2024-01-10", document=None, claim=None,
         family=None, claims=None, delta=False, as_of_text=None, publisher="Wire"):
    return Fact(
        id=id_, claim_id=claim or f"c{id_}", source_id=source, source_name=source or "the author",
        source_family=frozenset(family or {source}), claim_family=frozenset(claims or {claim or f"c{id_}"}),
        document_id=document or f"d{id_}", publisher=publisher, published=when, value=value, low=low, high=high,
        change=change, delta=delta, when=when, as_of_text=as_of_text, order=(when or "") + "1", concept="deaths",
    )


def kinds(facts):
    return sorted((r.type, r.a.id, r.b.id) for r in find_relations(facts))


def test_same_source_new_figure_later_is_a_revision():
    assert kinds([fact("a", "gov", 1351, when="2022-03-10"), fact("b", "gov", 5936, when="2022-09-21")]) == [("revision", "a", "b")]


def test_same_source_same_day_two_documents_close_figures_is_a_discrepancy():
    found = find_relations([fact("a", "gov", 5936, publisher="Wire"), fact("b", "gov", 5937, publisher="Daily")])
    assert [(r.type, r.a.id, r.b.id) for r in found] == [("discrepancy", "a", "b")]
    assert "Wire" in found[0].explanation and "Daily" in found[0].explanation


def test_repeating_a_figure_is_no_relation():
    assert kinds([fact("a", "gov", 100), fact("b", "gov", 100, when="2024-01-12")]) == []


def test_independent_sources_that_cannot_both_hold_conflict():
    assert kinds([fact("a", "gov", 5936), fact("b", "intel", low=10000, high=50000)]) == [("conflict", "a", "b")]


def test_bounds_conflict_only_when_out_of_reach():
    assert kinds([fact("a", "gov", 486), fact("b", "ngo", 900, change=">")]) == [("conflict", "a", "b")]
    assert kinds([fact("a", "gov", 950), fact("b", "ngo", 900, change=">")]) == []


def test_agreeing_independent_sources_corroborate():
    assert kinds([fact("a", "un", 42000, change="~"), fact("b", "governor", low=40000, high=45000)]) == [("corroboration", "a", "b")]
    assert kinds([fact("a", "un", 1000), fact("b", "ngo", 1030)]) == [("corroboration", "a", "b")]


def test_a_source_and_its_parent_or_a_quoted_claim_are_not_independent():
    assert kinds([fact("a", "ministry", 100, family={"ministry", "gov"}), fact("b", "gov", 300)]) == []
    nested = fact("b", "official", 300, claim="cb", claims={"cb", "ca"})
    assert kinds([fact("a", "paper", 100, claim="ca"), nested]) == []


def test_figures_weeks_apart_or_undated_are_not_compared_across_sources():
    assert kinds([fact("a", "gov", 100, when="2024-01-01"), fact("b", "ngo", 900, when="2024-02-01")]) == []
    assert kinds([fact("a", "gov", 100, when=None, as_of_text="early on"), fact("b", "ngo", 900)]) == []


def test_changes_are_not_levels():
    assert kinds([fact("a", "gov", 5, change="up", delta=True), fact("b", "ngo", 900)]) == []


def test_credibility_follows_the_admiralty_scale():
    assert credibility([]) == 6
    assert credibility(["corroboration"]) == 2
    assert credibility(["corroboration", "corroboration"]) == 1
    assert credibility(["conflict"]) == 4
    assert credibility(["conflict", "corroboration"]) == 3


def test_transposed_digits_on_the_same_day_are_one_statement_misreported():
    found = find_relations([fact("a", "firm", 34, publisher="Wire"), fact("b", "firm", 43, publisher="Daily")])
    assert [r.type for r in found] == ["discrepancy"]
    # far apart and not the same digits: the source changed its figure
    assert [r.type for r in find_relations([fact("a", "firm", 34), fact("b", "firm", 53)])] == ["revision"]


def test_one_days_reports_are_compared_among_themselves_and_each_revises_the_day_before():
    facts = [fact("a", "gov", 9, when="2026-01-12", publisher="Wire"), fact("b", "gov", 23, when="2026-01-14", publisher="Wire"),
             fact("c", "gov", 28, when="2026-01-14", publisher="Herald"), fact("d", "gov", 31, when="2026-01-21")]
    found = set(kinds(facts))
    assert {("revision", "a", "b"), ("revision", "a", "c"), ("discrepancy", "b", "c")} <= found
    assert ("revision", "b", "d") in found and ("revision", "c", "d") in found
    assert ("revision", "a", "d") not in found  # only from the day before


def test_a_figure_republished_by_many_outlets_is_related_once_per_change():
    day1 = [fact(f"a{i}", "gov", 23, when="2026-01-14", publisher=f"Outlet {i}") for i in range(200)]
    day2 = [fact(f"b{i}", "gov", 31, when="2026-01-21", publisher=f"Outlet {i}") for i in range(200)]
    found = find_relations(day1 + day2)
    assert {r.type for r in found} == {"revision"}
    assert len(found) <= 50  # the latest reports of 23 each revised once by 31, not 200 x 200
