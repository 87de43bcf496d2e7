"""The ledger does not depend on the order documents were ingested in: `Ledger.rebuild` derives it
again from the stored documents in the ledger's own order (date, then id), and keeps what people
added by hand (grades, ratings). On real SQLite and PostgreSQL databases."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from claimledger.analysis.schema import Analysis
from claimledger.ingest.documents import read_jsonl
from claimledger.ledger.book import Ledger, ledger_order, document_id, set_reliability
from claimledger.ledger.identity import AliasFile
from claimledger.ledger.store import open_engine, sessions
from claimledger.ledger.models import ClaimRow, SourceRow
from tests.ledger.test_book import snapshot

# a development set whose sources merge differently when its articles come newest first (a
# governor named without her state before the article that names it)
STORY = Path(__file__).parent / "heldout3" / "articles.jsonl"


@pytest.fixture(scope="module")
def story(analyzer):
    documents = list(read_jsonl(open(STORY, encoding="utf-8")))
    return list(zip(documents, analyzer.analyze_many(documents)))


def in_ledger_order(pairs):
    return sorted(pairs, key=lambda pair: ledger_order(pair[1].document.published, document_id(pair[0].text)))


def build(url: str, pairs, aliases: AliasFile | None = None) -> tuple[Ledger, list[bool]]:
    ledger = Ledger(open_engine(url), aliases)
    return ledger, [ledger.add(document, analysis).in_order for document, analysis in pairs]


def test_the_stored_analysis_reads_back_as_it_was(story):
    for _, analysis in story:
        data = analysis.to_dict()
        assert Analysis.from_dict(json.loads(json.dumps(data))).to_dict() == data


def test_any_ingest_order_rebuilds_to_the_ledger_of_date_order(db_url, story):
    ordered, flags = build(db_url, in_ledger_order(story))
    assert all(flags)
    wanted = snapshot(ordered.engine)

    newest_first = list(reversed(in_ledger_order(story)))
    for name, pairs in (("reversed", newest_first), ("shuffled", random.Random(7).sample(story, len(story)))):
        _empty(db_url)
        ledger, flags = build(db_url, pairs)
        assert not all(flags), f"{name}: an out-of-order document was not flagged"
        if name == "reversed":
            assert flags == [True] + [False] * (len(pairs) - 1)
            assert snapshot(ledger.engine) != wanted, "the test story no longer depends on ingest order"
        result = ledger.rebuild()
        assert result.documents == len(story) and result.grades_dropped == []
        assert snapshot(ledger.engine) == wanted, f"{name} order, rebuilt, differs from date order"


def _empty(url: str) -> None:
    with open_engine(url).begin() as connection:
        for table in ("relations", "figures", "claims", "source_aliases", "series", "documents"):
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("UPDATE sources SET parent_id = NULL"))
        connection.execute(text("DELETE FROM sources"))


def test_rebuilding_twice_changes_nothing(db_url, story):
    ledger, _ = build(db_url, story)
    ledger.rebuild()
    once = snapshot(ledger.engine)
    ledger.rebuild()
    assert snapshot(ledger.engine) == once
    assert [ledger.add(document, analysis).added for document, analysis in story] == [False] * len(story)


def test_grades_and_ratings_survive_and_the_alias_file_applies_to_every_document(db_url, story, tmp_path):
    ledger, _ = build(db_url, in_ledger_order(story))
    graded = set_reliability(ledger.engine, "Teixeira", "C")  # the spokesman's organisation
    with sessions(ledger.engine).begin() as session:
        source_id = _source_id(session, graded)
        claim = session.query(ClaimRow).filter(ClaimRow.source_id == source_id).order_by(ClaimRow.id).first()
        claim.rating, claim.rated_by, claim.rated_on = "mostly true", "desk", "2026-11-28"
        rated = claim.id
        mentions = sorted({c.source_text for c in session.query(ClaimRow).filter(ClaimRow.source_id == source_id)})
    before = snapshot(ledger.engine)

    assert ledger.rebuild().grades_dropped == []
    assert snapshot(ledger.engine) == before

    # the user's alias file gives every mention of that source to another name: rebuilt, every
    # document follows it, the graded source is gone and its grade is reported dropped
    path = tmp_path / "aliases.yaml"
    path.write_text(yaml.safe_dump({"State Civil Defence": {"kind": "government", "aliases": mentions}}), encoding="utf-8")
    rebuilt = Ledger(ledger.engine, AliasFile.load(path)).rebuild()
    assert rebuilt.grades_dropped == [graded]
    with sessions(ledger.engine)() as session:
        assert not session.query(SourceRow).filter(SourceRow.name == graded).count()
        moved = session.query(ClaimRow).filter(ClaimRow.source_text.in_(mentions)).all()
        assert len(moved) >= 5 and {c.source_id for c in moved} == {_source_id(session, "State Civil Defence")}
        assert session.get(ClaimRow, rated).rating == "mostly true"


def _source_id(session, name: str) -> str:
    return session.query(SourceRow).filter(SourceRow.name == name).one().id


def _source_names(engine) -> dict[str, str]:
    """Each claim's source text -> the name of the source it was given."""
    from tests.ledger.test_identity import claim_sources

    return dict(claim_sources(engine))


def test_a_person_a_later_article_ties_to_a_body_joins_it_on_a_rebuild(db_url, analyzer):
    from claimledger.analysis.schema import Document

    bare = Document(text="General manager Claudio Mendiburu told analysts on Monday that 2,300 barrels had leaked.",
                    published="2025-09-15", url="https://example.org/a")
    tied = Document(text="Petrolera Costa Norte S.A. raised its estimate on Wednesday. Company general manager Claudio "
                         "Mendiburu told reporters that 6,000 barrels had leaked.", published="2025-09-17", url="https://example.org/b")
    engine = open_engine(db_url)
    ledger = Ledger(engine)
    first, second = (ledger.add(d, a) for d, a in zip([bare, tied], analyzer.analyze_many([bare, tied])))
    assert not first.ties_late and second.ties_late and second.in_order
    before = _source_names(engine)
    assert before["General manager Claudio Mendiburu"] == "Claudio Mendiburu"  # a person, as far as the ledger knew
    assert before["Company general manager Claudio Mendiburu"] == "Petrolera Costa Norte S.A"  # not given to him
    ledger.rebuild()
    after = _source_names(engine)
    assert after["General manager Claudio Mendiburu"] == after["Company general manager Claudio Mendiburu"] == "Petrolera Costa Norte S.A"
    engine.dispose()


def test_a_person_tied_to_two_bodies_stays_a_person(db_url, analyzer):
    from claimledger.analysis.schema import Document

    documents = [
        Document(text="General manager Claudio Mendiburu told analysts on Monday that 2,300 barrels had leaked.",
                 published="2025-09-15", url="https://example.org/a"),
        Document(text="Petrolera Costa Norte S.A. raised its estimate on Wednesday. Company general manager Claudio "
                      "Mendiburu told reporters that 6,000 barrels had leaked.", published="2025-09-17", url="https://example.org/b"),
        Document(text="Harbour Freight Ltd said on Friday that 3 trucks were damaged. Its chief executive Claudio "
                      "Mendiburu told reporters that 40 drivers had quit.", published="2025-09-19", url="https://example.org/c"),
    ]
    engine = open_engine(db_url)
    ledger = Ledger(engine)
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        ledger.add(document, analysis)
    ledger.rebuild()
    assert _source_names(engine)["General manager Claudio Mendiburu"] == "Claudio Mendiburu"  # which body, no text says
    engine.dispose()
