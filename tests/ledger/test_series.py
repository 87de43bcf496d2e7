"""Which figures measure the same thing: concept keys and the choice of a series."""

from __future__ import annotations

from claimledger.ledger.series import SeriesIndex, concept_key


def test_the_circumstances_of_an_event_are_not_what_is_counted():
    plain = concept_key("death toll", None)
    assert concept_key("people killed in Tuesday's explosion at the Varun Agrochem plant", None) == plain
    assert concept_key("death toll from last week's explosion at the plant", None) == plain
    assert concept_key("Russian soldier deaths in Ukraine", None).words == {"russian", "soldier", "death"}
    assert concept_key("employees and contract workers died", None).holds(concept_key("workers killed", None))
    assert not concept_key("soldiers killed", None).holds(concept_key("civilians killed", None))
    assert concept_key("people moved", None) == concept_key("people evacuated", None)


def test_a_bare_count_of_deaths_joins_the_people_before_the_cattle():
    index = SeriesIndex([("ser-a", concept_key("cattle died", None)), ("ser-b", concept_key("workers killed", None))])
    assert index.best(concept_key("death toll", None)) == "ser-b"
    assert index.best(concept_key("cattle died", None)) == "ser-a"
    assert index.best(concept_key("people injured", None)) is None


def test_a_series_holds_one_event_of_people_in_total():
    killed = concept_key("workers killed", None)
    assert not concept_key("workers", None).holds(killed)  # on the night shift: no count of the dead
    assert not concept_key("head killed", None).holds(concept_key("death toll", None))  # cattle
    assert not concept_key("new cases", None).holds(concept_key("suspected cases", None))  # a week's, not the total
    assert not concept_key("contract workers among dead", None).holds(killed)  # a part of the dead
    assert concept_key("new cases", None).holds(concept_key("new suspected cases", None))


def test_a_figure_of_years_before_the_story_joins_no_series(analyzer, tmp_path):
    from claimledger.analysis.schema import Document
    from claimledger.export.ledger import ledger_dict
    from claimledger.ledger.book import Ledger
    from claimledger.ledger.store import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    text = ("An explosion at a pesticide plant killed 11 workers on Tuesday, the district collector said. "
            "In May 2020 a gas leak at a plant near Visakhapatnam killed 12 people.")
    document = Document(text=text, url="https://example.org/blast", published="2026-04-14")
    Ledger(engine).add(document, analyzer.analyze(document))
    in_series = {p["value"] for s in ledger_dict(engine)["series"] for p in s["points"]}
    assert 11 in in_series and 12 not in in_series


def test_men_trapped_are_the_miners_missing_and_survivors_are_alive():
    index = SeriesIndex([("ser-w", concept_key("company's workers hired and missing", None)),
                         ("ser-m", concept_key("miners trapped", None)),
                         ("ser-a", concept_key("miners brought out alive", None))])
    assert index.best(concept_key("men still trapped", None)) == "ser-m"
    assert index.best(concept_key("men missing", None)) == "ser-m"  # the fewest other words
    assert index.best(concept_key("men survived", None)) == "ser-a"
    assert concept_key("company's workers unaccounted", None).words == {"worker", "missing"}
    assert concept_key("43 men", None) is None  # men, and nothing that happened to them
    assert not concept_key("miners", None).holds(concept_key("miners alive", None))


def test_people_travelling_on_a_train_are_its_passengers():
    assert concept_key("people traveled", None) == concept_key("passengers", None)
    assert concept_key("people aboard", None) == concept_key("passengers", None)


def test_bodies_recovered_are_deaths():
    assert concept_key("bodies recovered", None).holds(concept_key("death toll", None))


def test_evacuated_and_displaced_are_one_count_and_flooded_land_is_one_area():
    assert concept_key("people evacuated", None) == concept_key("people displaced", None)
    flooded = concept_key("hectares of rice fields flooded", "hectare")
    assert concept_key("area of flooded rice fields", "hectare") == flooded
    assert concept_key("hectares of rice fields submerged", "hectare") == flooded
    assert not concept_key("hectares burned", "hectare").holds(flooded)
    assert concept_key("hectares", "hectare") is None  # a bare measure says nothing of what it measures


def test_spills_care_and_corrections():
    assert concept_key("barrels of crude oil leaked", "barrel") == concept_key("barrels of oil poured", "barrel")
    assert concept_key("barrels of crude released", "barrel") == concept_key("barrels of oil spilled", "barrel")
    assert concept_key("km of coastline", "kilometre") == concept_key("kilometres of coastline", "kilometre")
    admitted = concept_key("people admitted", None)
    assert admitted == concept_key("people hospitalised", None) == concept_key("people treated", None)
    assert concept_key("injured people treated", None) == concept_key("people injured", None)  # treated as injured
    assert concept_key("survivors blinded", None) == concept_key("people blinded", None)
    assert not concept_key("deaths counted twice", None).holds(concept_key("death toll", None))
    assert not concept_key("deaths added", None).holds(concept_key("death toll", None))
    assert concept_key("people who died", None) == concept_key("people died", None)
    assert concept_key("litres of gin seized", "litre") == concept_key("litres of spirit seized", "litre")
