"""The ledger as data: the `claimledger/ledger@1` JSON of DESIGN.md and a CSV with one row per claim.

Field names follow the contract exactly; rows come out in a stable order (by id, points by date)
so that two exports of the same ledger are byte-for-byte the same.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import Engine, select

from claimledger.ledger.models import AliasRow, ClaimRow, DocumentRow, FigureRow, RelationRow, SeriesRow, SourceRow
from claimledger.ledger.store import sessions

SCHEMA = "claimledger/ledger@1"


def ledger_dict(engine: Engine) -> dict[str, Any]:
    with sessions(engine)() as session:
        documents = session.execute(select(DocumentRow).order_by(DocumentRow.published, DocumentRow.id)).scalars().all()
        sources = session.execute(select(SourceRow).order_by(SourceRow.id)).scalars().all()
        aliases: dict[str, list[str]] = {}
        for alias in session.execute(select(AliasRow).order_by(AliasRow.alias)).scalars():
            aliases.setdefault(alias.source_id, []).append(alias.text)
        claims = session.execute(select(ClaimRow).order_by(ClaimRow.document_id, ClaimRow.id)).scalars().all()
        series = session.execute(select(SeriesRow).order_by(SeriesRow.id)).scalars().all()
        figures = session.execute(
            select(FigureRow).where(FigureRow.series_id.is_not(None)).order_by(FigureRow.series_id, FigureRow.when, FigureRow.id)
        ).scalars().all()
        relations = session.execute(select(RelationRow).order_by(RelationRow.type, RelationRow.id)).scalars().all()
    points: dict[str, list[dict]] = {}
    for figure in figures:
        points.setdefault(figure.series_id, []).append({
            "claim_id": figure.claim_id, "source_id": figure.source_id, "value": figure.value, "low": figure.low,
            "high": figure.high, "change": figure.change, "as_of": figure.as_of, "document_id": figure.document_id,
            "figure_id": figure.id, "text": figure.text, "when": figure.when,
        })
    return {
        "schema": SCHEMA,
        "documents": [
            {"id": d.id, "title": d.title, "url": d.url, "publisher": d.publisher, "published": d.published,
             "author": d.author, "version": d.version}
            for d in documents
        ],
        "sources": [
            {"id": s.id, "name": s.name, "kind": s.kind, "aliases": sorted(set(aliases.get(s.id, []))),
             "reliability": s.reliability, "parent": s.parent_id}
            for s in sources
        ],
        "claims": [
            {"id": c.id, "document_id": c.document_id, "source_id": c.source_id, "cue": c.cue, "content": c.content,
             "type": c.type, "certainty": {"probability": c.probability, "term": c.term}, "as_of": c.as_of,
             "credibility": c.credibility, "source_text": c.source_text}
            for c in claims
        ],
        "series": [
            {"id": s.id, "concept": s.concept, "unit": s.unit, "points": points.get(s.id, [])}
            for s in series
        ],
        "relations": [
            {"id": r.id, "type": r.type, "claims": [r.claim_a, r.claim_b], "figures": [r.figure_a, r.figure_b],
             "series_id": r.series_id, "explanation": r.explanation}
            for r in relations
        ],
    }


CSV_COLUMNS = [
    "claim_id", "document_id", "published", "publisher", "source_id", "source", "source_kind", "reliability",
    "cue", "type", "content", "probability", "term", "credibility", "as_of", "figures",
]


def ledger_csv(engine: Engine) -> str:
    data = ledger_dict(engine)
    documents = {d["id"]: d for d in data["documents"]}
    sources = {s["id"]: s for s in data["sources"]}
    figures: dict[str, list[str]] = {}
    for series in data["series"]:
        for point in series["points"]:
            if point["claim_id"]:
                figures.setdefault(point["claim_id"], []).append(point["text"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for claim in data["claims"]:
        document = documents.get(claim["document_id"], {})
        source = sources.get(claim["source_id"] or "", {})
        writer.writerow({
            "claim_id": claim["id"], "document_id": claim["document_id"], "published": document.get("published"),
            "publisher": document.get("publisher"), "source_id": claim["source_id"], "source": source.get("name"),
            "source_kind": source.get("kind"), "reliability": source.get("reliability"), "cue": claim["cue"],
            "type": claim["type"], "content": claim["content"], "probability": claim["certainty"]["probability"],
            "term": claim["certainty"]["term"], "credibility": claim["credibility"], "as_of": claim["as_of"],
            "figures": "; ".join(figures.get(claim["id"], [])),
        })
    return out.getvalue()
