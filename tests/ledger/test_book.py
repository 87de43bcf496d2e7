"""The ledger on real SQLite and PostgreSQL databases: the seed article's series and relations,
idempotent re-ingestion, URL versions, search."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import text

from claimledger.analysis.schema import Document
from claimledger.export.ledger import ledger_dict
from claimledger.ingest.collect import Problem, collect
from claimledger.ledger.book import Ledger, counts
from claimledger.ledger.query import search_claims
from claimledger.ledger.store import DocumentRefused, open_engine
from tests.conftest import ROOT, shared_path

TABLES = ["documents", "sources", "source_aliases", "claims", "series", "figures", "relations"]


def ingest(engine, analyzer, documents) -> None:
    ledger = Ledger(engine)
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        ledger.add(document, analysis)


def seed_document() -> Document:
    text_ = shared_path("seed", "article.txt").read_text(encoding="utf-8")
    return Document(text=text_, published="2022-09-23")


def snapshot(engine) -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row's content, per table, in primary-key order."""
    result = {}
    with engine.connect() as connection:
        for table in TABLES:
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result


def point_of(data: dict, **wanted) -> tuple[dict, dict]:
    for series in data["series"]:
        for point in series["points"]:
            if all(point.get(k) == v for k, v in wanted.items()):
                return series, point
    raise AssertionError(f"no point with {wanted}")


def test_seed_article_gives_one_series_a_revision_and_a_conflict(db_url, analyzer):
    engine = open_engine(db_url)
    ingest(engine, analyzer, [seed_document()])
    data = ledger_dict(engine)
    series, p1351 = point_of(data, value=1351)
    _, p5936 = point_of(data, value=5936)
    _, p_range = point_of(data, low=10000, high=50000)
    _, p_more = point_of(data, low=50000, change=">")
    ids = {p["figure_id"] for p in series["points"]}
    assert {p1351["figure_id"], p5936["figure_id"], p_range["figure_id"], p_more["figure_id"]} <= ids
    assert "soldier deaths" in series["concept"].lower()
    sources = {s["id"]: s for s in data["sources"]}
    assert p1351["source_id"] == p5936["source_id"]  # the Kremlin, twice
    assert sources[p_range["source_id"]]["name"].lower() == "western intelligence"
    assert sources[p_more["source_id"]]["name"].lower() == "some analysts"
    kinds = {(r["type"], tuple(r["figures"])) for r in data["relations"]}
    assert ("revision", (p1351["figure_id"], p5936["figure_id"])) in kinds
    assert ("conflict", (p5936["figure_id"], p_range["figure_id"])) in kinds
    assert not any(t == "conflict" and p1351["figure_id"] in f for t, f in kinds)  # 1,351 is from early in the war
    for relation in data["relations"]:
        assert relation["explanation"].endswith(".") and len(relation["explanation"].split()) > 6
    claims = {c["id"]: c for c in data["claims"]}
    assert claims[p5936["claim_id"]]["credibility"] == 4  # contradicted, never corroborated


def test_ingesting_the_same_corpus_twice_changes_nothing(db_url, analyzer):
    engine = open_engine(db_url)
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    ingest(engine, analyzer, documents)
    before = snapshot(engine)
    assert before["documents"][0] == len(documents) and before["claims"][0] > 0
    ingest(engine, analyzer, documents)
    assert snapshot(engine) == before


def test_a_new_text_at_a_known_url_is_the_next_version(db_url, analyzer):
    engine = open_engine(db_url)
    url = "https://news.example/story"
    ingest(engine, analyzer, [Document(text="The mayor said 40 homes were damaged.", url=url, published="2024-01-01")])
    ingest(engine, analyzer, [Document(text="The mayor said 45 homes were damaged.", url=url, published="2024-01-02")])
    ingest(engine, analyzer, [Document(text="The  mayor said 45 homes   were damaged.", url=url, published="2024-01-02")])
    versions = sorted((d["version"], d["published"]) for d in ledger_dict(engine)["documents"])
    assert versions == [(1, "2024-01-01"), (2, "2024-01-02")]  # the re-spaced copy is the same text


def test_search_finds_claims_by_their_words(db_url, analyzer):
    engine = open_engine(db_url)
    ingest(engine, analyzer, [seed_document()])
    found = search_claims(engine, "Kremlin deflect blame")
    assert found and any("deflect the blame" in c.content for c in found)
    assert search_claims(engine, "zebra") == []
    assert search_claims(engine, '"unbalanced AND OR (') is not None  # operators in user input are words


def test_counts_match_the_analysis(db_url, analyzer):
    engine = open_engine(db_url)
    document = seed_document()
    analysis = analyzer.analyze(document)
    result = Ledger(engine).add(document, analysis)
    assert result.added and result.claims == len(analysis.attributions)
    table_counts = counts(engine)
    assert table_counts["claims"] == len(analysis.attributions)
    assert table_counts["figures"] == len(analysis.quantities)
    assert Ledger(engine).add(document, analysis).added is False


def test_an_old_ledger_is_migrated_to_the_newest_schema(db_url):
    """A database made at revision 0001 (before claim ratings) opens and gains the new columns."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect

    from claimledger.ledger.store import MIGRATIONS, database_url

    engine = create_engine(database_url(db_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "rating" not in {c["name"] for c in inspect(engine).get_columns("claims")}
    engine.dispose()
    upgraded = open_engine(db_url)
    assert {"rating", "rating_explanation", "rated_by", "rated_on"} <= {c["name"] for c in inspect(upgraded).get_columns("claims")}


def test_two_writers_taking_turns_build_the_ledger_one_writer_builds(db_url, analyzer, tmp_path):
    """Each Ledger keeps the sources, aliases and series it has seen in memory; a writer must
    notice what another wrote in between (and a failed transaction must not leave phantoms)."""
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    documents.append(seed_document())
    pairs = list(zip(documents, analyzer.analyze_many(documents)))
    alone = open_engine(f"sqlite:///{tmp_path / 'alone.db'}")
    one = Ledger(alone)
    for document, analysis in pairs:
        one.add(document, analysis)

    engine = open_engine(db_url)
    first, second = Ledger(engine), Ledger(engine)
    failing = pairs[1][1].__class__(**{**vars(pairs[1][1])})
    failing.quantities = [*failing.quantities, failing.quantities[0]]  # the same figure id twice: the insert fails
    if failing.quantities:
        with pytest.raises(Exception):
            first.add(pairs[1][0], failing)
    for index, (document, analysis) in enumerate(pairs):
        (first if index % 2 == 0 else second).add(document, analysis)
    assert identities(engine) == identities(alone)


def identities(engine) -> dict[str, list[tuple]]:
    """Every row's identity and the rows it points at (comparable across backends, unlike floats)."""
    columns = {
        "documents": "id", "sources": "id, key, parent_id", "source_aliases": "alias, source_id",
        "claims": "id, source_id, parent_id", "series": "id, key", "figures": "id, series_id, claim_id, source_id",
        "relations": "id, type, figure_a, figure_b",
    }
    with engine.connect() as connection:
        return {table: [tuple(r) for r in connection.execute(text(f"SELECT {names} FROM {table} ORDER BY 1"))]
                for table, names in columns.items()}


def test_a_nul_character_is_stored_as_a_replacement_and_the_rest_goes_in(db_url, analyzer, tmp_path):
    """PostgreSQL refuses NUL in text; a stray one must not stop an ingest (nor lose its document)."""
    corpus = tmp_path / "nul.jsonl"
    corpus.write_text(
        json.dumps({"text": "The mayor said 40 homes were damaged.\u0000 Officials said more.", "title": "a\u0000b"}) + "\n"
        + json.dumps({"text": "The governor said 12 roads were closed on Monday."}) + "\n",
        encoding="utf-8",
    )
    documents = [d for d in collect([str(corpus)]) if not isinstance(d, Problem)]
    assert len(documents) == 2
    engine = open_engine(db_url)
    ingest(engine, analyzer, documents)
    with engine.connect() as connection:
        texts = sorted(connection.execute(text("SELECT text FROM documents")).scalars())
    assert len(texts) == 2 and not any("\x00" in t for t in texts)
    assert "The mayor said 40 homes were damaged.\ufffd Officials said more." in texts
    assert all("replaced_nul" in d.flags for d in documents if "\ufffd" in d.text)


def test_a_document_the_database_cannot_store_is_refused_alone(db_url, analyzer):
    """A value the database refuses (NUL in PostgreSQL text, when a caller bypasses ingestion) is a
    one-line DocumentRefused for that document; the ledger takes the next one."""
    engine = open_engine(db_url)
    ledger = Ledger(engine)
    bad = Document(text="The mayor said 40 homes were damaged.\x00", published="2024-01-01")
    good = Document(text="The governor said 12 roads were closed.", published="2024-01-02")
    if engine.dialect.name == "postgresql":
        with pytest.raises(DocumentRefused) as refused:
            ledger.add(bad, analyzer.analyze(bad))
        assert "\n" not in str(refused.value) and "NUL" in str(refused.value)
    assert ledger.add(good, analyzer.analyze(good)).added
    assert counts(engine)["documents"] == 1


def test_the_author_s_figure_of_months_ago_stays_out_of_the_series(db_url, analyzer):
    engine = open_engine(db_url)
    document = Document(text="The agency said on Monday that 14 people had died in the floods. In June 2024, floods in "
                             "the north killed more than 60 people.", published="2025-01-20")
    ingest(engine, analyzer, [document])
    data = ledger_dict(engine)
    in_series = {point["value"] for series in data["series"] for point in series["points"]}
    assert 14 in in_series and 60 not in in_series
