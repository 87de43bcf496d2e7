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
