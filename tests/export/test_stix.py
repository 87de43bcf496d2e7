"""The STIX 2.1 export: parsed back by the stix2 library itself, complete and stable."""

from __future__ import annotations

import json

import pytest
import stix2

from claimledger.export.ledger import ledger_dict
from claimledger.export.stix import DNI_CONFIDENCE, RELATIONSHIP, ledger_bundle
from claimledger.ingest.collect import Problem, collect
from claimledger.ledger.book import Ledger
from claimledger.ledger.store import open_engine
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def engine(analyzer, tmp_path_factory):
    engine = open_engine(str(tmp_path_factory.mktemp("stix") / "ledger.db"))
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    book = Ledger(engine)
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        book.add(document, analysis)
    return engine


def test_bundle_parses_back_with_the_stix2_library(engine):
    text = ledger_bundle(engine).serialize()
    parsed = stix2.parse(text, allow_custom=True)
    assert parsed.type == "bundle"
    kinds = {o.type for o in parsed.objects}
    assert {"identity", "note", "report", "relationship"} <= kinds


def test_every_claim_is_a_note_with_its_term_and_mapped_confidence(engine):
    data = ledger_dict(engine)
    bundle = json.loads(ledger_bundle(engine).serialize())
    notes = {o["x_claimledger_claim_id"]: o for o in bundle["objects"] if o["type"] == "note"}
    assert set(notes) == {c["id"] for c in data["claims"]}
    for claim in data["claims"]:
        note = notes[claim["id"]]
        term = claim["certainty"]["term"]
        assert note["x_claimledger_icd203_term"] == term
        assert note["confidence"] == DNI_CONFIDENCE[term]
        assert note["content"] == (claim["content"] or "(no content extracted)")


def test_relations_become_relationships_between_notes(engine):
    data = ledger_dict(engine)
    bundle = json.loads(ledger_bundle(engine).serialize())
    ids = {o["id"] for o in bundle["objects"]}
    relationships = [o for o in bundle["objects"] if o["type"] == "relationship"]
    assert {r["relationship_type"] for r in relationships} == {RELATIONSHIP[r["type"]] for r in data["relations"] if all(r["claims"])}
    for relationship in relationships:
        assert relationship["source_ref"] in ids and relationship["target_ref"] in ids
        assert relationship["source_ref"].startswith("note--") and relationship["description"]


def test_sources_keep_their_reliability_and_reports_their_articles(engine):
    bundle = json.loads(ledger_bundle(engine).serialize())
    identities = [o for o in bundle["objects"] if o["type"] == "identity"]
    assert identities and all(o["x_claimledger_reliability"] in "ABCDEF" for o in identities)
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    assert any(r["published"].startswith("2024-08-20") for r in reports)


def test_the_same_ledger_gives_the_same_bundle(engine):
    assert ledger_bundle(engine).serialize() == ledger_bundle(engine).serialize()
