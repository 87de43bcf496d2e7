"""The first ledger schema: documents, sources, aliases, claims, series, figures, relations, search.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, index=True),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(10), index=True),
        sa.Column("language", sa.String(8)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("previous_version", sa.String(64)),
        sa.Column("words", sa.Integer, nullable=False, server_default="0"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Column("claim_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("figure_count", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reliability", sa.String(1), nullable=False, server_default="F"),
        sa.Column("parent_id", sa.String(40), sa.ForeignKey("sources.id")),
    )
    op.create_table(
        "source_aliases",
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("source_id", sa.String(40), sa.ForeignKey("sources.id"), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), nullable=False, index=True),
        sa.Column("attribution_id", sa.String(12), nullable=False),
        sa.Column("source_id", sa.String(40), sa.ForeignKey("sources.id"), index=True),
        sa.Column("source_text", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("stance", sa.String(12)),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("probability", sa.Float),
        sa.Column("term", sa.String(32)),
        sa.Column("as_of", sa.String(10)),
        sa.Column("confidence", sa.Float, nullable=False, server_default="0"),
        sa.Column("parent_id", sa.String(40)),
        sa.Column("credibility", sa.Integer, nullable=False, server_default="6"),
    )
    op.create_table(
        "series",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("concept", sa.Text, nullable=False),
        sa.Column("unit", sa.Text),
    )
    op.create_table(
        "figures",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), nullable=False, index=True),
        sa.Column("quantity_id", sa.String(12), nullable=False),
        sa.Column("claim_id", sa.String(40), sa.ForeignKey("claims.id"), index=True),
        sa.Column("source_id", sa.String(40), sa.ForeignKey("sources.id"), index=True),
        sa.Column("series_id", sa.String(40), sa.ForeignKey("series.id"), index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("change", sa.String(8), nullable=False),
        sa.Column("delta", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("unit", sa.Text),
        sa.Column("unit_normalized", sa.Text),
        sa.Column("concept", sa.Text),
        sa.Column("as_of", sa.String(10)),
        sa.Column("as_of_text", sa.Text),
        sa.Column("when", sa.String(10)),
    )
    op.create_index("ix_figures_series_when", "figures", ["series_id", "when"])
    op.create_table(
        "relations",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(16), nullable=False, index=True),
        sa.Column("series_id", sa.String(40), sa.ForeignKey("series.id"), index=True),
        sa.Column("figure_a", sa.String(40), sa.ForeignKey("figures.id"), nullable=False),
        sa.Column("figure_b", sa.String(40), sa.ForeignKey("figures.id"), nullable=False),
        sa.Column("claim_a", sa.String(40)),
        sa.Column("claim_b", sa.String(40)),
        sa.Column("explanation", sa.Text, nullable=False),
    )
    _create_search()


def _create_search() -> None:
    """Full-text search over claims: FTS5 in SQLite where the build has it, a GIN tsvector index in PostgreSQL."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_claims_search ON claims USING gin "
            "(to_tsvector('english', coalesce(content, '') || ' ' || coalesce(source_text, '') || ' ' || coalesce(cue, '')))"
        )
    elif bind.dialect.name == "sqlite" and _sqlite_has_fts5(bind):
        op.execute("CREATE VIRTUAL TABLE claims_search USING fts5(claim_id UNINDEXED, content, source_text, cue)")
        op.execute(
            "CREATE TRIGGER claims_search_insert AFTER INSERT ON claims BEGIN "
            "INSERT INTO claims_search (claim_id, content, source_text, cue) "
            "VALUES (new.id, new.content, coalesce(new.source_text, ''), coalesce(new.cue, '')); END"
        )
        op.execute(
            "CREATE TRIGGER claims_search_delete AFTER DELETE ON claims BEGIN "
            "DELETE FROM claims_search WHERE claim_id = old.id; END"
        )


def _sqlite_has_fts5(bind) -> bool:
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        bind.exec_driver_sql("DROP TABLE temp._fts5_probe")
        return True
    except Exception:  # noqa: BLE001 - any failure means no FTS5 in this SQLite build
        return False


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS claims_search")
    for table in ("relations", "figures", "series", "claims", "source_aliases", "sources", "documents"):
        op.drop_table(table)
