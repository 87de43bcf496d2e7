"""The REST API under /api/v1 (FastAPI): documents, sources, claims, series, relations, analyze, ingest.

Lists are paged as {"items": [...], "next": cursor-or-null} with `?limit=` and `?after=`; records
follow DESIGN.md's ledger schema. A token, when the server has one, is checked on every call
(`Authorization: Bearer T`; missing or wrong: 401). `POST /api/v1/analyze` analyses text without
storing it; `POST /api/v1/ingest` stores it. The analyzer is loaded on first use, not at start-up.
"""

from __future__ import annotations

import hmac
import json
import ipaddress
import socket
import threading
from typing import Annotated, Any
from urllib.parse import urlparse

from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import select

from claimledger.analysis.analyzer import MAX_CHARS
from claimledger.analysis.schema import Document
from claimledger.ledger.book import Ledger
from claimledger.ledger.models import ClaimRow, DocumentRow, FigureRow, RelationRow, SeriesRow, SourceRow
from claimledger.ledger.query import aliases_by_source, page, search_claims
from claimledger.ledger.store import sessions

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
After = Annotated[str | None, Query(max_length=200, description="The `next` value of the previous page.")]


class AnalyzeRequest(BaseModel):
    text: str = Field(max_length=MAX_CHARS)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    title: str | None = Field(default=None, max_length=1000)


class RatingRequest(BaseModel):
    rating: str = Field(min_length=1, max_length=40, description="false, mostly false, mixed, mostly true, true, or your own word")
    explanation: str | None = Field(default=None, max_length=5000)
    rated_by: str | None = Field(default=None, max_length=200)


class IngestRequest(AnalyzeRequest):
    text: str | None = Field(default=None, max_length=MAX_CHARS)
    url: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=500)
    author: str | None = Field(default=None, max_length=500)


TOKEN_COOKIE = "claimledger_token"


def check_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """`Authorization: Bearer T` (or, for a browser, the cookie /login sets) must carry the server's token."""
    token = request.app.state.token
    if not token:
        return
    supplied = authorization.removeprefix("Bearer ").strip() if (authorization or "").startswith("Bearer ") else ""
    supplied = supplied or request.cookies.get(TOKEN_COOKIE, "")
    if not supplied or not hmac.compare_digest(supplied.encode(), token.encode()):
        raise HTTPException(status_code=401, detail="missing or wrong token", headers={"WWW-Authenticate": "Bearer"})


def document_record(row: DocumentRow) -> dict[str, Any]:
    return {"id": row.id, "title": row.title, "url": row.url, "publisher": row.publisher, "published": row.published,
            "author": row.author, "version": row.version, "claims": row.claim_count, "figures": row.figure_count}


def source_record(row: SourceRow, aliases: list[str]) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "kind": row.kind, "aliases": aliases, "reliability": row.reliability, "parent": row.parent_id}


def claim_record(row: ClaimRow) -> dict[str, Any]:
    return {"id": row.id, "document_id": row.document_id, "source_id": row.source_id, "source_text": row.source_text,
            "cue": row.cue, "content": row.content, "type": row.type,
            "certainty": {"probability": row.probability, "term": row.term}, "as_of": row.as_of, "credibility": row.credibility}


def point_record(row: FigureRow) -> dict[str, Any]:
    return {"claim_id": row.claim_id, "source_id": row.source_id, "value": row.value, "low": row.low, "high": row.high,
            "change": row.change, "as_of": row.as_of, "document_id": row.document_id, "figure_id": row.id,
            "text": row.text, "start": row.start, "end": row.end, "when": row.when}


def relation_record(row: RelationRow) -> dict[str, Any]:
    return {"id": row.id, "type": row.type, "claims": [row.claim_a, row.claim_b], "figures": [row.figure_a, row.figure_b],
            "series_id": row.series_id, "explanation": row.explanation}


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(check_token)])

    @api.get("/documents")
    def documents(request: Request, limit: Limit = 50, after: After = None) -> dict:
        with sessions(request.app.state.engine)() as session:
            rows, following = page(session, select(DocumentRow), DocumentRow.id, limit, after)
            return {"items": [document_record(r) for r in rows], "next": following}

    @api.get("/documents/{document_id}")
    def document(request: Request, document_id: str) -> dict:
        with sessions(request.app.state.engine)() as session:
            row = found_or_404(session, DocumentRow, document_id, "document")
            return {**document_record(row), "text": row.text, "analysis": json.loads(row.analysis)}

    @api.get("/analyses/{document_id}")
    def analysis(request: Request, document_id: str) -> dict:
        """The stored Analysis JSON (claimledger/analysis@1) of a document."""
        with sessions(request.app.state.engine)() as session:
            return json.loads(found_or_404(session, DocumentRow, document_id, "document").analysis)

    @api.get("/search")
    def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 50) -> dict:
        """Claims by full text, and sources whose name or alias holds the words."""
        engine = request.app.state.engine
        words = q.lower().split()
        with sessions(engine)() as session:
            found = session.execute(select(SourceRow).order_by(SourceRow.name)).scalars().all()
            alias_text = aliases_by_source(session, [s.id for s in found])
        matching = [s for s in found if all(w in (s.name + " " + " ".join(alias_text.get(s.id, []))).lower() for w in words)]
        return {"claims": [claim_record(c) for c in search_claims(engine, q, limit=limit)],
                "sources": [source_record(s, alias_text.get(s.id, [])) for s in matching[:limit]]}

    @api.get("/sources")
    def sources(request: Request, limit: Limit = 50, after: After = None) -> dict:
        with sessions(request.app.state.engine)() as session:
            rows, following = page(session, select(SourceRow), SourceRow.id, limit, after)
            aliases = aliases_by_source(session, [r.id for r in rows])
            return {"items": [source_record(r, aliases.get(r.id, [])) for r in rows], "next": following}

    @api.get("/sources/{source_id}")
    def source(request: Request, source_id: str) -> dict:
        with sessions(request.app.state.engine)() as session:
            row = found_or_404(session, SourceRow, source_id, "source")
            claims = session.execute(select(ClaimRow).where(ClaimRow.source_id == source_id).order_by(ClaimRow.as_of, ClaimRow.id)).scalars()
            return {**source_record(row, aliases_by_source(session, [row.id]).get(row.id, [])), "claims": [claim_record(c) for c in claims]}

    @api.get("/claims")
    def claims(
        request: Request, limit: Limit = 50, after: After = None,
        q: Annotated[str | None, Query(max_length=500, description="Full-text search.")] = None,
        source: Annotated[str | None, Query(max_length=200)] = None,
    ) -> dict:
        engine = request.app.state.engine
        if q:
            found = [c for c in search_claims(engine, q, limit=limit) if not source or c.source_id == source]
            return {"items": [claim_record(c) for c in found], "next": None}
        with sessions(engine)() as session:
            statement = select(ClaimRow)
            if source:
                statement = statement.where(ClaimRow.source_id == source)
            rows, following = page(session, statement, ClaimRow.id, limit, after)
            return {"items": [claim_record(r) for r in rows], "next": following}

    @api.get("/series")
    def series_list(request: Request, limit: Limit = 50, after: After = None) -> dict:
        with sessions(request.app.state.engine)() as session:
            rows, following = page(session, select(SeriesRow), SeriesRow.id, limit, after)
            return {"items": [{"id": r.id, "concept": r.concept, "unit": r.unit} for r in rows], "next": following}

    @api.get("/series/{series_id}")
    def series(request: Request, series_id: str) -> dict:
        with sessions(request.app.state.engine)() as session:
            row = found_or_404(session, SeriesRow, series_id, "series")
            points = session.execute(select(FigureRow).where(FigureRow.series_id == series_id).order_by(FigureRow.when, FigureRow.id)).scalars()
            return {"id": row.id, "concept": row.concept, "unit": row.unit, "points": [point_record(p) for p in points]}

    @api.get("/relations")
    def relations(
        request: Request, limit: Limit = 50, after: After = None,
        type: Annotated[str | None, Query(pattern="^(revision|conflict|corroboration|discrepancy)$")] = None,
    ) -> dict:
        with sessions(request.app.state.engine)() as session:
            statement = select(RelationRow)
            if type:
                statement = statement.where(RelationRow.type == type)
            rows, following = page(session, statement, RelationRow.id, limit, after)
            return {"items": [relation_record(r) for r in rows], "next": following}

    @api.post("/claims/{claim_id}/rating")
    def rate_claim(request: Request, claim_id: str, body: RatingRequest) -> dict:
        from claimledger.export.claimreview import rate

        try:
            rate(request.app.state.engine, claim_id, body.rating, body.explanation, body.rated_by)
        except LookupError:
            raise HTTPException(404, f"no claim {claim_id}") from None
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
        return {"claim_id": claim_id, "rating": " ".join(body.rating.split()).lower()}

    @api.post("/analyze")
    def analyze(request: Request, body: AnalyzeRequest) -> dict:
        document = Document(text=body.text, published=body.published, title=body.title)
        with request.app.state.ingest_lock:  # one analysis at a time: the pipeline is shared
            return request.app.state.analyzer().analyze(document).to_dict()

    @api.post("/ingest")
    def ingest(request: Request, body: IngestRequest) -> dict:
        document = document_to_ingest(request, body)
        with request.app.state.ingest_lock:
            analysis = request.app.state.analyzer().analyze(document)
            result = Ledger(request.app.state.engine).add(document, analysis)
        return {"document_id": result.document_id, "added": result.added, "claims": result.claims, "figures": result.figures}

    return api


def found_or_404(session, model, key: str, what: str):
    """The row with this primary key, or a 404 that names what was asked for."""
    row = session.get(model, key)
    if row is None:
        raise HTTPException(404, f"no {what} {key}")
    return row


def document_to_ingest(request: Request, body: IngestRequest) -> Document:
    from claimledger.ingest.documents import InputError, from_url

    if bool(body.text) == bool(body.url):
        raise HTTPException(422, "give either text or url")
    if body.url:
        if not request.app.state.allow_private_urls and not public_url(body.url):
            raise HTTPException(422, f"refusing {body.url}: it is not a public http(s) address (start the server with --allow-private-urls)")
        try:
            # every hop is checked again: a public page may redirect to a private address
            document = from_url(body.url, allow=None if request.app.state.allow_private_urls else public_url)
        except InputError as error:
            raise HTTPException(422, str(error)) from None
    else:
        document = Document(text=body.text or "")
    document.title = body.title or document.title
    document.published = body.published or document.published
    document.publisher = body.publisher or document.publisher
    document.author = body.author or document.author
    return document


def public_url(url: str) -> bool:
    """http(s) to a host whose every address is public: not loopback, private, link-local or reserved."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname, None)}
    except (socket.gaierror, UnicodeError):
        return False
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
            return False
    return bool(addresses)


def create_app(engine, token: str | None = None, allow_private_urls: bool = False, analyzer_factory=None) -> FastAPI:
    """The app over one ledger; `analyzer_factory` builds the analyzer on first use."""
    app = FastAPI(title="claimledger", version="1", description="Who says what, through whom, how sure, with which figures.")
    app.state.engine = engine
    app.state.token = token
    app.state.allow_private_urls = allow_private_urls
    cache: dict[str, Any] = {}

    def analyzer():
        if "analyzer" not in cache:
            if analyzer_factory is None:
                from claimledger.analysis.analyzer import Analyzer

                cache["analyzer"] = Analyzer()
            else:
                cache["analyzer"] = analyzer_factory()
        return cache["analyzer"]

    app.state.analyzer = analyzer
    app.state.ingest_jobs = {}
    app.state.ingest_lock = threading.Lock()
    app.include_router(router())
    app.mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static")

    @app.get("/login", include_in_schema=False)
    def login(token: Annotated[str, Query(max_length=500)] = ""):
        """Browsers cannot send a bearer header: /login?token=T keeps the token in a cookie."""
        if not app.state.token or not hmac.compare_digest(token.encode(), app.state.token.encode()):
            raise HTTPException(status_code=401, detail="missing or wrong token")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    from claimledger.web.pages import router as pages_router

    app.include_router(pages_router(check_token))
    return app
