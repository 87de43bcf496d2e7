"""Writing analyses into the ledger: one transaction per document, with everything derived from it.

Owns `Ledger.add`: the document row, its sources (resolved by ledger/identity.py, aliases
registered), claims, figures, their series, and the relations and credibility of every series the
document touched, all committed together or not at all. A document's id is the hash of its
normalised text, so adding it again changes nothing; a new text at a known URL is stored as the
next version of that URL.

Also owns `Ledger.rebuild`: everything derived, derived again from the stored documents in date
order, so that the ledger is a function of its documents rather than of the order they came in.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from claimledger.analysis import timeref
from claimledger.analysis.schema import Analysis, Document, SourceMention
from claimledger.ledger import relations as rel
from claimledger.ledger.identity import (
    AliasFile,
    DocumentContext,
    Identity,
    fits_reference,
    identify,
    body_of_key,
    ministry_of_key,
    names_written,
    normalise,
    written_name,
)
from claimledger.ledger.models import (
    AliasRow,
    ClaimRow,
    DocumentRow,
    FigureRow,
    RelationRow,
    SeriesRow,
    SourceRow,
)
from claimledger.ledger.levels import FIRST_LEVEL_BODIES, level_of_key
from claimledger.ledger.series import ConceptKey, SeriesIndex, concept_key, parse_key
from claimledger.ledger.store import lock_for_writing, retrying, sessions


def document_id(text: str) -> str:
    """sha256 of the text with Unicode and whitespace normalised: re-wrapped copies are one document."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class AddResult:
    document_id: str
    added: bool
    claims: int = 0
    figures: int = 0
    # False when the ledger already held a document of a later date: what it made of that one
    # could not see this one, so `Ledger.rebuild` may read them differently. (Documents of one day
    # in another order than the rebuild's, by id, are not flagged: a day's news comes in any order,
    # and a rebuild for each ingest would cost a big ledger dearly.)
    in_order: bool = True
    # True when the document ties a person the ledger already holds as a source of their own to a
    # body ("company general manager Claudio Mendiburu" after a bare "Claudio Mendiburu"): only a
    # rebuild, which reads every document's ties first, puts that person's earlier words with the body
    ties_late: bool = False


# sources no person is tied to: persons themselves, and the text-local, anonymous and group ones
UNTIED_PREFIXES = ("person:", "local:", "anon:", "group:")

# undated documents come after the dated ones in the ledger's order
UNDATED = "9999-99-99"


def ledger_order(published: str | None, identifier: str) -> tuple[str, str]:
    """Where a document stands in the order the ledger reads its documents in: by date, then by id."""
    return (published or UNDATED, identifier)


def document_order(document: Document) -> tuple[str, str]:
    """Where a document not yet stored will stand in the ledger's order."""
    return ledger_order(document.published, document_id(document.text))


@dataclass
class RebuildResult:
    documents: int
    grades_dropped: list[str]  # names of graded sources that no longer exist (merged into another)


class Ledger:
    def __init__(self, engine: Engine, aliases: AliasFile | None = None):
        self.engine = engine
        self.aliases = aliases or AliasFile({})
        self.sessions = sessions(engine)
        self._known: _Known | None = None
        self._last: tuple[str, str] | None = None  # the latest document in the ledger's order, once read
        self._ties: dict[str, Identity] = {}  # person's name -> the body some document ties them to (rebuild only)
        self._late_ties = 0  # such ties the document being added made too late (see AddResult.ties_late)

    def has(self, text: str) -> bool:
        def look() -> bool:
            with self.sessions() as session:
                return session.get(DocumentRow, document_id(text)) is not None

        return retrying(self.engine, look, "read the ledger")

    def add(self, document: Document, analysis: Analysis) -> AddResult:
        """Store the document whole or not at all; a lost connection or a concurrent writer is
        retried (store.retrying), a lasting failure is a one-line LedgerError."""
        return retrying(self.engine, lambda: self._attempt(document, analysis))

    def _attempt(self, document: Document, analysis: Analysis) -> AddResult:
        try:
            return self._add(document, analysis)
        except BaseException:
            self._known = self._last = None  # they may hold rows of the transaction that failed
            raise

    def _add(self, document: Document, analysis: Analysis) -> AddResult:
        identifier = document_id(document.text)
        with self.sessions.begin() as session:
            lock_for_writing(session)
            if session.get(DocumentRow, identifier) is not None:
                return AddResult(identifier, False)
            self._known = _Known.current(session, self._known)
            last = self._last if self._last is not None else _last_in_order(session)
            row = self._document_row(session, identifier, document, analysis)
            session.add(row)
            session.flush()
            self._late_ties = 0
            self._derive(session, row, document.text, analysis)
            here = ledger_order(row.published, identifier)
            self._last = max(last, here) if last is not None else here
            return AddResult(identifier, True, row.claim_count, row.figure_count, in_order=last is None or here[0] >= last[0],
                             ties_late=self._late_ties > 0)

    def _derive(self, session: Session, row: DocumentRow, text: str, analysis: Analysis) -> None:
        """Everything the ledger derives from one stored document: its claims with their sources,
        its figures in their series, and the relations of every series it touched."""
        claims = self._claims(session, row, text, analysis)
        touched = self._figures(session, row, analysis, claims)
        row.claim_count, row.figure_count = len(claims), len(analysis.quantities)
        session.flush()
        for series_id in sorted(touched):
            refresh_series(session, series_id, touched[series_id])

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> RebuildResult:
        """Derive the whole ledger again from its stored documents, read in the ledger's order
        (publication date, then id), so that it no longer depends on the order they were ingested
        in; the current alias file applies to every document. Sources' grades and claims' ratings
        are kept. One transaction: an interrupted rebuild leaves the ledger as it was."""
        try:
            return retrying(self.engine, lambda: self._rebuild(progress))
        except BaseException:
            self._known = self._last = None
            raise

    def _rebuild(self, progress: Callable[[int, int], None] | None) -> RebuildResult:
        with self.sessions.begin() as session:
            lock_for_writing(session)
            grades = dict(session.execute(select(SourceRow.key, SourceRow.reliability).where(SourceRow.reliability != "F")).all())
            names = dict(session.execute(select(SourceRow.key, SourceRow.name).where(SourceRow.reliability != "F")).all())
            ratings = {claim_id: rating for claim_id, *rating in session.execute(select(
                ClaimRow.id, ClaimRow.rating, ClaimRow.rating_explanation, ClaimRow.rated_by, ClaimRow.rated_on,
            ).where(ClaimRow.rating.is_not(None))).all()}
            for table in (RelationRow, FigureRow, ClaimRow, AliasRow):
                session.execute(delete(table))
            session.execute(update(SourceRow).values(parent_id=None))
            session.execute(delete(SourceRow))
            session.execute(delete(SeriesRow))
            self._known = _Known(key_ids={}, alias_ids={}, series=SeriesIndex())
            order = session.execute(select(DocumentRow.id).order_by(
                func.coalesce(DocumentRow.published, UNDATED), DocumentRow.id)).scalars().all()
            self._ties = self._ties_in(session, order)
            for done, identifier in enumerate(order, 1):
                row = session.get(DocumentRow, identifier)
                self._derive(session, row, row.text, Analysis.from_dict(json.loads(row.analysis)))
                session.flush()
                session.expunge_all()  # the rows are written; a big ledger need not stay in memory
                if progress is not None:
                    progress(done, len(order))
            kept = set()
            for key, grade in grades.items():
                if session.execute(update(SourceRow).where(SourceRow.key == key).values(reliability=grade)).rowcount:
                    kept.add(key)
            for claim_id, (rating, explanation, by, on) in ratings.items():
                session.execute(update(ClaimRow).where(ClaimRow.id == claim_id).values(
                    rating=rating, rating_explanation=explanation, rated_by=by, rated_on=on))
            self._last = _last_in_order(session)
            self._ties = {}
            return RebuildResult(len(order), sorted(names[key] for key in grades if key not in kept))

    def _ties_in(self, session: Session, order: list[str]) -> dict[str, Identity]:
        """Every person whom some document ties to one body (and no document to another), by name:
        the ties of all the documents, read before any is replayed, so that a person named bare in
        an early article joins the body a later one names."""
        people: set[str] = set()
        bodies: dict[str, dict[str, Identity]] = {}  # a name among a body's aliases -> key -> the body
        for identifier in order:
            row = session.get(DocumentRow, identifier)
            analysis = Analysis.from_dict(json.loads(row.analysis))
            context = DocumentContext.read(row.id, row.text)
            for attribution in analysis.attributions:
                if attribution.source is None:
                    continue
                _, identity = self._identified(row.text, attribution.source, context)
                if identity.key.startswith("person:"):
                    if len(identity.key.split()) >= 2:  # a full name: a surname alone ties no one
                        people.add(identity.key.removeprefix("person:"))
                elif identity.use_aliases and not identity.key.startswith(UNTIED_PREFIXES):
                    for alias in identity.aliases:
                        if len(alias.split()) >= 2:
                            bodies.setdefault(alias, {})[identity.key] = identity
            session.expunge(row)
        ties = {}
        for name in people:
            # a body named after the person ("name:victor cha", a person taken for an organisation)
            # ties no one to anything
            found = {key: body for key, body in bodies.get(name, {}).items() if name.split()[-1] not in key}
            if len(found) == 1:
                ties[name] = next(iter(found.values()))
        return ties

    def _tied(self, identity: Identity, context: DocumentContext) -> Identity:
        """A person some document ties to a body (during a rebuild): that body, with the name."""
        body = self._ties.get(identity.key.removeprefix("person:")) if identity.key.startswith("person:") else None
        if body is None:
            return identity
        name = identity.key.removeprefix("person:")
        context.people[name.split()[-1]] = body  # "Mendiburu" further on in this document
        return dataclasses.replace(body, aliases=tuple(dict.fromkeys((*body.aliases, name, name.split()[-1]))))

    # --- rows ------------------------------------------------------------------------------------
    def _document_row(self, session: Session, identifier: str, document: Document, analysis: Analysis) -> DocumentRow:
        info = analysis.document
        version, previous = 1, None
        if info.url:
            latest = session.execute(
                select(DocumentRow.id, DocumentRow.version).where(DocumentRow.url == info.url).order_by(DocumentRow.version.desc())
            ).first()
            if latest is not None:
                version, previous = latest.version + 1, latest.id
        return DocumentRow(
            id=identifier, url=info.url, title=info.title, publisher=info.publisher, author=info.author,
            published=info.published, language=info.language, version=version, previous_version=previous,
            words=len(document.text.split()), text=document.text, analysis=json.dumps(analysis.to_dict(), ensure_ascii=False),
        )

    def _identified(self, text: str, mention: SourceMention, context: DocumentContext) -> tuple[str, Identity]:
        """A source mention's fullest written form, and whom it names (as the document reads it)."""
        canonical = written_name(text, mention.start, mention.end, mention.text, mention.canonical)
        return canonical or mention.text, identify(mention.text, canonical, mention.kind, context, self.aliases)

    def _claims(self, session: Session, row: DocumentRow, text: str, analysis: Analysis) -> dict[str, ClaimRow]:
        context = DocumentContext.read(row.id, text)
        names_here = functools.cache(lambda: names_written(text))  # read only for a bare "the company"
        aliases: list[AliasRow] = []
        source_ids: list[str | None] = []
        for attribution in analysis.attributions:
            source_id = None
            if attribution.source is not None:
                surface, identity = self._identified(text, attribution.source, context)
                source_id = self._source(session, self._tied(identity, context), surface, aliases, names_here)
            source_ids.append(source_id)
        # One flush for the new sources, in the order they were made (parents first), before the
        # rows that point at them: the unit of work does not order tables without relationships.
        session.flush()
        session.add_all(aliases)
        claims: dict[str, ClaimRow] = {}
        for attribution, source_id in zip(analysis.attributions, source_ids):
            certainty = attribution.certainty
            claim = ClaimRow(
                id=f"c-{row.id[:16]}-{attribution.id}", document_id=row.id, attribution_id=attribution.id,
                source_id=source_id, source_text=attribution.source.text if attribution.source else None,
                cue=attribution.cue.text if attribution.cue else None,
                stance=attribution.cue.stance if attribution.cue else None,
                content=attribution.content.text, type=attribution.type,
                probability=certainty.probability if certainty else None, term=certainty.term if certainty else None,
                as_of=_claim_as_of(analysis, attribution.quantities), confidence=attribution.confidence,
                parent_id=f"c-{row.id[:16]}-{attribution.parent}" if attribution.parent else None,
            )
            session.add(claim)
            claims[attribution.id] = claim
        return claims

    def _people_named(self, body: Identity) -> set[str]:
        """The ids of the person sources whose full names this body's identity carries."""
        keys = self._known.keys
        return {self._known.alias_ids[alias] for alias in body.aliases if len(alias.split()) >= 2
                and keys.get(self._known.alias_ids.get(alias, ""), "") == f"person:{alias}"}

    def _named_here(self, noun: str, names_here: set[str]) -> str | None:
        """The one known source that the text names (under any of its aliases) and "the <noun>" fits."""
        found = {self._known.alias_ids.get(name) or self._known.key_ids.get(f"name:{name}") for name in names_here}
        found.discard(None)
        fitting = {id_ for id_ in found if fits_reference(noun, self._known.keys.get(id_, ""))}
        return next(iter(fitting)) if len(fitting) == 1 else None

    def _source(self, session: Session, identity: Identity, surface: str, aliases: list[AliasRow],
                names_here: Callable[[], set[str]] | None = None) -> str:
        """The stored source for an identity: found by alias, by key, or created with its parents.
        New sources are added to the session; new aliases to `aliases`, for after the sources' flush.
        `names_here`: the names the document writes, for a bare "the company" (Identity.refers_to)."""
        mention = normalise(surface)
        # the person sources this body's identity names ("company general manager Claudio
        # Mendiburu", canonically "Claudio Mendiburu", after a bare "Claudio Mendiburu"): its
        # mentions are the body's, not that person's, though aliases point there (first come)
        named = self._people_named(identity) if identity.use_aliases and not identity.key.startswith(UNTIED_PREFIXES) else set()
        self._late_ties += len(named)
        if identity.use_aliases:
            found = self._known.alias_ids.get(mention)
            if found is not None and found not in named:
                return found
        existing = self._known.key_ids.get(identity.key)
        for same in identity.same_as:
            if existing is None:
                existing = self._known.key_ids.get(same)
        if existing is None and identity.use_aliases:
            for alias_key in identity.aliases:
                if f"name:{alias_key}" in identity.same_as:
                    continue  # a shorter name is registered for later mentions, not searched for
                existing = self._known.alias_ids.get(alias_key)
                if existing in named:
                    existing = None  # "mendiburu": the person the body's text names, not the body
                if existing is not None:
                    break
        if existing is None and identity.known_as:
            existing = self._known.alias_ids.get(identity.known_as)
        if existing is None and identity.the_only:
            candidates = self._known.governments.get(identity.the_only, set())
            if not candidates and identity.the_only in FIRST_LEVEL_BODIES:
                candidates = set().union(*(self._known.governments.get(body, set()) for body in FIRST_LEVEL_BODIES))
            existing = next(iter(candidates)) if len(candidates) == 1 else None
        if existing is None and identity.refers_to and names_here is not None:
            existing = self._named_here(identity.refers_to, names_here())
        if existing is None:
            parent_id = self._source(session, identity.parent, identity.parent.name, aliases) if identity.parent else None
            existing = f"s-{_short_hash(identity.key)}"
            session.add(SourceRow(id=existing, key=identity.key, name=identity.name, kind=identity.kind, parent_id=parent_id))
            self._known.key_ids[identity.key] = existing
            self._known.note(identity.key, existing)
        if identity.use_aliases:
            names = list(identity.aliases)
            if any(ch.isupper() for ch in surface[1:]) or surface[:1].isupper() and len(surface.split()) > 1:
                names.append(mention)
            for alias_key in dict.fromkeys(names):
                if alias_key and alias_key not in self._known.alias_ids:
                    aliases.append(AliasRow(alias=alias_key, source_id=existing, text=surface))
                    self._known.alias_ids[alias_key] = existing
        return existing

    def _figures(self, session: Session, row: DocumentRow, analysis: Analysis, claims: dict[str, ClaimRow]) -> dict[str, set[str]]:
        """Store the figures; returns the series they joined, each with the new figure ids."""
        touched: dict[str, set[str]] = {}
        candidates = self._known.series
        for quantity in analysis.quantities:
            claim = claims.get(quantity.attribution) if quantity.attribution else None
            key = concept_key(quantity.concept, quantity.unit_normalized)
            history_days = timeref.HISTORY_DAYS if claim is not None else timeref.UNATTRIBUTED_HISTORY_DAYS
            if timeref.is_history(quantity.as_of, row.published, history_days):
                key = None  # "In May 2020 a gas leak killed 12 people": another event, told as background
            series_id = None
            if key is not None:
                series_id = candidates.best(key)
                if series_id is None:
                    series_id = f"ser-{_short_hash(key.text)}"
                    session.add(SeriesRow(id=series_id, key=key.text, concept=quantity.concept or "", unit=_unit_label(key)))
                    session.flush()  # the figure's foreign key needs the series row first
                    candidates.add(series_id, key)
            figure_id = f"f-{row.id[:16]}-{quantity.id}"
            if series_id is not None:
                touched.setdefault(series_id, set()).add(figure_id)
            when = quantity.as_of or (row.published if not quantity.as_of_text else None)
            session.add(FigureRow(
                id=figure_id, document_id=row.id, quantity_id=quantity.id,
                claim_id=claim.id if claim else None, source_id=claim.source_id if claim else None, series_id=series_id,
                text=quantity.text, start=quantity.start, end=quantity.end, value=quantity.value, low=quantity.low,
                high=quantity.high, change=quantity.change, delta=quantity.delta, unit=quantity.unit, unit_normalized=quantity.unit_normalized,
                concept=quantity.concept, as_of=quantity.as_of, as_of_text=quantity.as_of_text, when=when,
            ))
        return touched


@dataclass
class _Known:
    """What one writer holds in memory of the ledger's sources, aliases and series, so that a
    document costs the same in a big ledger as in a small one.

    These rows are never deleted, so the copy is exact while the tables hold as many rows as it
    does: each transaction compares the counts (under the writer's lock) and reads the tables again
    when another writer has added rows. A failed transaction drops the copy (Ledger._attempt).
    """

    key_ids: dict[str, str]  # source key -> source id
    alias_ids: dict[str, str]  # alias -> source id
    series: SeriesIndex

    governments: dict[str, set[str]] = field(default_factory=dict)  # 'state government' -> ids of the named ones
    keys: dict[str, str] = field(default_factory=dict)  # source id -> key, kept by `note`

    def __post_init__(self) -> None:
        for key, id_ in self.key_ids.items():
            self.note(key, id_)

    def note(self, key: str, id_: str) -> None:
        """Index a source by id, and one that is the government of a state, region, district… by
        that level's words."""
        self.keys[id_] = key
        body = level_of_key(key) or ministry_of_key(key) or body_of_key(key)
        if body is not None:
            self.governments.setdefault(body, set()).add(id_)

    @classmethod
    def current(cls, session: Session, known: "_Known | None") -> "_Known":
        stored = session.execute(select(
            select(func.count()).select_from(SourceRow).scalar_subquery(),
            select(func.count()).select_from(AliasRow).scalar_subquery(),
            select(func.count()).select_from(SeriesRow).scalar_subquery(),
        )).one()
        if known is not None and tuple(stored) == (len(known.key_ids), len(known.alias_ids), known.series.size):
            return known
        return cls(
            key_ids={key: id_ for key, id_ in session.execute(select(SourceRow.key, SourceRow.id))},
            alias_ids={alias: id_ for alias, id_ in session.execute(select(AliasRow.alias, AliasRow.source_id))},
            series=SeriesIndex([(key_text_id[1], parse_key(key_text_id[0])) for key_text_id in session.execute(select(SeriesRow.key, SeriesRow.id)).all()]),
        )


def _last_in_order(session: Session) -> tuple[str, str] | None:
    last = session.execute(select(func.coalesce(DocumentRow.published, UNDATED), DocumentRow.id).order_by(
        func.coalesce(DocumentRow.published, UNDATED).desc(), DocumentRow.id.desc()).limit(1)).first()
    return tuple(last) if last is not None else None


def _claim_as_of(analysis: Analysis, quantity_ids: list[str]) -> str | None:
    dates = sorted(q.as_of for q in analysis.quantities if q.id in quantity_ids and q.as_of)
    return dates[0] if dates else None


def _unit_label(key: ConceptKey) -> str | None:
    return key.unit_class if key.unit_class != "count" else None


def refresh_series(session: Session, series_id: str, new_figures: set[str]) -> None:
    """Relations of one series after figures were added: the same-source chains of the sources that
    gave the new figures are recomputed, and the new figures are compared with the other sources'
    figures around their date. Credibility follows for the claims involved."""
    facts = series_facts(session, series_id)
    new = [f for f in facts if f.id in new_figures]
    sources = {f.source_id for f in new if f.source_id}
    chains = [f for f in facts if f.source_id in sources]
    chain_ids = {f.id for f in chains}
    if chain_ids:
        session.execute(delete(RelationRow).where(
            RelationRow.type.in_(("revision", "discrepancy")),
            RelationRow.figure_a.in_(chain_ids) | RelationRow.figure_b.in_(chain_ids),
        ))
    found = rel.same_source_relations(chains) + rel.cross_source_relations(new, facts)
    existing = set(session.execute(select(RelationRow.id).where(RelationRow.id.in_([r.id for r in found]))).scalars()) if found else set()
    touched_claims: set[str] = set()
    for relation in sorted(found, key=lambda r: r.id):
        if relation.id in existing:
            continue
        existing.add(relation.id)
        session.add(RelationRow(
            id=relation.id, type=relation.type, series_id=series_id, figure_a=relation.a.id, figure_b=relation.b.id,
            claim_a=relation.a.claim_id, claim_b=relation.b.claim_id, explanation=relation.explanation,
        ))
        if relation.type in ("conflict", "corroboration"):
            touched_claims.update(c for c in (relation.a.claim_id, relation.b.claim_id) if c)
    session.flush()
    _update_credibility(session, touched_claims)


def _update_credibility(session: Session, claim_ids: set[str]) -> None:
    if not claim_ids:
        return
    kinds: dict[str, list[str]] = {c: [] for c in claim_ids}
    rows = session.execute(
        select(RelationRow.claim_a, RelationRow.claim_b, RelationRow.type).where(
            RelationRow.claim_a.in_(claim_ids) | RelationRow.claim_b.in_(claim_ids)
        )
    ).all()
    for claim_a, claim_b, kind in rows:
        for claim_id in (claim_a, claim_b):
            if claim_id in kinds:
                kinds[claim_id].append(kind)
    for claim in session.execute(select(ClaimRow).where(ClaimRow.id.in_(claim_ids))).scalars():
        claim.credibility = rel.credibility(kinds[claim.id])


def series_facts(session: Session, series_id: str) -> list[rel.Fact]:
    series = session.get(SeriesRow, series_id)
    rows = session.execute(
        select(FigureRow, DocumentRow.publisher, DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == FigureRow.document_id)
        .where(FigureRow.series_id == series_id)
    ).all()
    sources = _sources_with_parents(session, {figure.source_id for figure, _, _ in rows if figure.source_id})
    parents = _claim_parents(session, {figure.claim_id for figure, _, _ in rows if figure.claim_id})
    earliest_dated: dict[tuple[str, str | None], str] = {}
    for figure, _, _ in rows:
        if figure.when:
            key = (figure.document_id, figure.source_id)
            earliest_dated[key] = min(earliest_dated.get(key, figure.when), figure.when)
    facts = []
    for figure, publisher, published in rows:
        # an undated background figure ("Only weeks into the war") sorts just before the dated
        # figures its document gives for the same source
        base = figure.when or earliest_dated.get((figure.document_id, figure.source_id)) or published or ""
        order = base + ("1" if figure.when else "0")
        facts.append(rel.Fact(
            id=figure.id, claim_id=figure.claim_id, source_id=figure.source_id,
            source_name=sources[figure.source_id].name if figure.source_id in sources else "the author",
            source_family=_family(sources, figure.source_id), claim_family=_chain(parents, figure.claim_id),
            document_id=figure.document_id, publisher=publisher, published=published, value=figure.value,
            low=figure.low, high=figure.high, change=figure.change, delta=figure.delta, when=figure.when,
            as_of_text=figure.as_of_text, order=order, concept=series.concept if series else (figure.concept or "the figure"),
        ))
    return facts


def _sources_with_parents(session: Session, ids: set[str]) -> dict[str, SourceRow]:
    found: dict[str, SourceRow] = {}
    wanted = set(ids)
    while wanted:
        rows = session.execute(select(SourceRow).where(SourceRow.id.in_(wanted))).scalars().all()
        found.update({r.id: r for r in rows})
        wanted = {r.parent_id for r in rows if r.parent_id and r.parent_id not in found}
    return found


def _claim_parents(session: Session, ids: set[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    wanted = set(ids)
    while wanted:
        rows = session.execute(select(ClaimRow.id, ClaimRow.parent_id).where(ClaimRow.id.in_(wanted))).all()
        found.update({r.id: r.parent_id for r in rows})
        wanted = {r.parent_id for r in rows if r.parent_id and r.parent_id not in found}
    return found


def _family(sources: dict[str, SourceRow], source_id: str | None) -> frozenset[str]:
    family: set[str] = set()
    while source_id and source_id not in family:
        family.add(source_id)
        parent = sources.get(source_id)
        source_id = parent.parent_id if parent else None
    return frozenset(family)


def _chain(parents: dict[str, str | None], claim_id: str | None) -> frozenset[str]:
    family: set[str] = set()
    while claim_id and claim_id not in family:
        family.add(claim_id)
        claim_id = parents.get(claim_id)
    return frozenset(family)


def counts(engine: Engine) -> dict[str, int]:
    with sessions(engine)() as session:
        return {
            table.__tablename__: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (DocumentRow, SourceRow, AliasRow, ClaimRow, SeriesRow, FigureRow, RelationRow)
        }


def set_reliability(engine: Engine, name: str, grade: str) -> str:
    """Grade the source a name or alias points at; LookupError names the candidates when it is unclear."""
    key = normalise(name)
    with sessions(engine).begin() as session:
        alias = session.get(AliasRow, key)
        source = session.get(SourceRow, alias.source_id) if alias else None
        if source is None:
            matches = session.execute(select(SourceRow).where(func.lower(SourceRow.name) == key)).scalars().all()
            if len(matches) == 1:
                source = matches[0]
            else:
                like = session.execute(
                    select(SourceRow.name).where(func.lower(SourceRow.name).contains(key)).order_by(SourceRow.name).limit(5)
                ).scalars().all()
                hint = f"; did you mean: {', '.join(like)}" if like else ""
                raise LookupError(f"no single source named {name!r}{hint}")
        source.reliability = grade
        return source.name
