"""The ledger's tables (SQLAlchemy 2): documents, sources and aliases, claims, figures, series, relations.

Ids are derived from content (hashes of text and keys), never from insertion order or clocks, so
ingesting the same corpus twice writes nothing new and two databases built from the same input
agree row for row. Alembic migrations (ledger/migrations) create these tables; this module is the
single description of them that the code uses.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the normalised text
    url: Mapped[str | None] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer, default=1)  # 2, 3, ... for new texts at a known URL
    previous_version: Mapped[str | None] = mapped_column(String(64))
    words: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    analysis: Mapped[str] = mapped_column(Text)  # the Analysis JSON, as analysed
    claim_count: Mapped[int] = mapped_column(Integer, default=0)
    figure_count: Mapped[int] = mapped_column(Integer, default=0)


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)  # the resolution key, e.g. "gov:russia"
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))


class AliasRow(Base):
    __tablename__ = "source_aliases"

    alias: Mapped[str] = mapped_column(Text, primary_key=True)  # normalised surface form
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    text: Mapped[str] = mapped_column(Text)  # as first written


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    attribution_id: Mapped[str] = mapped_column(String(12))
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)
    source_text: Mapped[str | None] = mapped_column(Text)
    cue: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(12))
    content: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    probability: Mapped[float | None] = mapped_column(Float)
    term: Mapped[str | None] = mapped_column(String(32))
    as_of: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    parent_id: Mapped[str | None] = mapped_column(String(40))
    credibility: Mapped[int] = mapped_column(Integer, default=6)  # Admiralty 1-6; 6 cannot be judged
    rating: Mapped[str | None] = mapped_column(String(40))  # a user's verdict ("false", "mostly true", ...)
    rating_explanation: Mapped[str | None] = mapped_column(Text)
    rated_by: Mapped[str | None] = mapped_column(Text)
    rated_on: Mapped[str | None] = mapped_column(String(10))


class SeriesRow(Base):
    __tablename__ = "series"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)  # unit class + sorted concept words
    concept: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)


class FigureRow(Base):
    __tablename__ = "figures"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    quantity_id: Mapped[str] = mapped_column(String(12))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)
    series_id: Mapped[str | None] = mapped_column(ForeignKey("series.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    change: Mapped[str] = mapped_column(String(8))
    delta: Mapped[bool] = mapped_column(Boolean, default=False)  # the size of a change, not a level
    unit: Mapped[str | None] = mapped_column(Text)
    unit_normalized: Mapped[str | None] = mapped_column(Text)
    concept: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[str | None] = mapped_column(String(10))
    as_of_text: Mapped[str | None] = mapped_column(Text)
    when: Mapped[str | None] = mapped_column(String(10))  # as_of, else publication date; None when undatable


class RelationRow(Base):
    __tablename__ = "relations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    series_id: Mapped[str | None] = mapped_column(ForeignKey("series.id"), index=True)
    figure_a: Mapped[str] = mapped_column(ForeignKey("figures.id"))
    figure_b: Mapped[str] = mapped_column(ForeignKey("figures.id"))
    claim_a: Mapped[str | None] = mapped_column(String(40))
    claim_b: Mapped[str | None] = mapped_column(String(40))
    explanation: Mapped[str] = mapped_column(Text)


Index("ix_figures_series_when", FigureRow.series_id, FigureRow.when)
