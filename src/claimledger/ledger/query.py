"""Reading the ledger: full-text search over claims (FTS5 in SQLite, tsvector in PostgreSQL)."""

from __future__ import annotations

import re

from sqlalchemy import Engine, func, or_, select, text

from claimledger.ledger.models import AliasRow, ClaimRow
from claimledger.ledger.store import has_search_table, sessions


def search_claims(engine: Engine, query: str, limit: int = 50) -> list[ClaimRow]:
    """Claims whose content, source or cue match every word of `query`, best first where the engine ranks."""
    words = re.findall(r"\w+", query)
    if not words:
        return []
    with sessions(engine)() as session:
        if engine.dialect.name == "postgresql":
            document = func.to_tsvector(
                "english",
                func.coalesce(ClaimRow.content, "") + " " + func.coalesce(ClaimRow.source_text, "") + " " + func.coalesce(ClaimRow.cue, ""),
            )
            match = document.op("@@")(func.plainto_tsquery("english", " ".join(words)))
            statement = select(ClaimRow).where(match).order_by(ClaimRow.id).limit(limit)
            return list(session.execute(statement).scalars())
        if has_search_table(engine):
            phrase = " ".join(f'"{w}"' for w in words)  # quoted: FTS5 operators in user input stay words
            ids = session.execute(
                text("SELECT claim_id FROM claims_search WHERE claims_search MATCH :q ORDER BY rank LIMIT :n"),
                {"q": phrase, "n": limit},
            ).scalars().all()
            found = {c.id: c for c in session.execute(select(ClaimRow).where(ClaimRow.id.in_(ids))).scalars()}
            return [found[i] for i in ids if i in found]
        conditions = [or_(ClaimRow.content.ilike(f"%{w}%"), ClaimRow.source_text.ilike(f"%{w}%")) for w in words]
        return list(session.execute(select(ClaimRow).where(*conditions).order_by(ClaimRow.id).limit(limit)).scalars())


def page(session, statement, key, limit: int, after: str | None):
    """One page of rows ordered by `key`, starting after the cursor; returns (rows, next cursor)."""
    if after:
        statement = statement.where(key > after)
    rows = list(session.execute(statement.order_by(key).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (getattr(rows[-1], key.key) if more and rows else None)


def aliases_by_source(session, source_ids=None) -> dict[str, list[str]]:
    """Each source's aliases as first written, in alias order; all sources when `source_ids` is None."""
    statement = select(AliasRow).order_by(AliasRow.alias)
    if source_ids is not None:
        statement = statement.where(AliasRow.source_id.in_(list(source_ids)))
    found: dict[str, list[str]] = {}
    for row in session.execute(statement).scalars():
        found.setdefault(row.source_id, []).append(row.text)
    return found
