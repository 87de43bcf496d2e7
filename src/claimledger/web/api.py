"""The REST API under /api/v1 (FastAPI): documents, sources, claims, series, relations, analyze, ingest.

Lists are paged as {"items": [...], "next": cursor-or-null} with `?limit=` and `?after=`; records
follow DESIGN.md's ledger schema. A token, when the server has one, is checked on every call
(`Authorization: Bearer T`; missing or wrong: 401), the OpenAPI schema and its /docs included; only
the stylesheet under /static is open to all. Request bodies are capped at MAX_BODY_BYTES (413).
`POST /api/v1/analyze` analyses text without storing it; `POST /api/v1/ingest` stores it, fetching
a URL only from public addresses (web/fetchguard.py). The analyzer is loaded on first use.
"""

from __future__ import annotations

import hmac
import json
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select

from claimledger.analysis.analyzer import MAX_CHARS
from claimledger.analysis.schema import Document
from claimledger.ledger.book import Ledger
from claimledger.ledger.models import ClaimRow, DocumentRow, FigureRow, RelationRow, SeriesRow, SourceRow
from claimledger.ledger.query import aliases_by_source, page, search_claims
from claimledger.ledger.store import sessions
from claimledger.web.fetchguard import public_only_transport, public_url

MAX_BODY_BYTES = 16 * 1024 * 1024  # a 2,000,000-character text as JSON, or the page's 10 MB of uploads, fits

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
After = Annotated[str | None, Query(max_length=200, description="The `next` value of the previous page.")]


def no_nul(value):
    """PostgreSQL text cannot hold NUL, and no article needs it: refused as input, not failed as a write."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


class AnalyzeRequest(BaseModel):
    _no_nul = field_validator("*")(no_nul)
    text: str = Field(max_length=MAX_CHARS)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    title: str | None = Field(default=None, max_length=1000)


class RatingRequest(BaseModel):
    _no_nul = field_validator("*")(no_nul)
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


def refuse_nul(request: Request) -> None:
    """A NUL in a path or query parameter is a 422 (PostgreSQL would refuse it as a 500 otherwise)."""
    if any("\x00" in v for v in (*request.path_params.values(), *request.query_params.values(), *request.query_params.keys())):
        raise HTTPException(422, "NUL characters are not allowed in the address")


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


def _listing(request: Request, statement, key, limit: int, after: str | None, record) -> dict:
    """One page of a list answer: {"items": [record(row)...], "next": cursor-or-null}."""
    with sessions(request.app.state.engine)() as session:
        rows, following = page(session, statement, key, limit, after)
        return {"items": [record(r) for r in rows], "next": following}


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(check_token)])

    @api.get("/documents")
    def documents(request: Request, limit: Limit = 50, after: After = None) -> dict:
        return _listing(request, select(DocumentRow), DocumentRow.id, limit, after, document_record)

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
        if q:
            found = [c for c in search_claims(request.app.state.engine, q, limit=limit) if not source or c.source_id == source]
            return {"items": [claim_record(c) for c in found], "next": None}
        statement = select(ClaimRow).where(ClaimRow.source_id == source) if source else select(ClaimRow)
        return _listing(request, statement, ClaimRow.id, limit, after, claim_record)

    @api.get("/series")
    def series_list(request: Request, limit: Limit = 50, after: After = None) -> dict:
        return _listing(request, select(SeriesRow), SeriesRow.id, limit, after,
                        lambda r: {"id": r.id, "concept": r.concept, "unit": r.unit})

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
        statement = select(RelationRow).where(RelationRow.type == type) if type else select(RelationRow)
        return _listing(request, statement, RelationRow.id, limit, after, relation_record)

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
            # every hop is checked again (a public page may redirect to a private address), and so
            # is every address connected to (a name may resolve differently the second time)
            guarded = not request.app.state.allow_private_urls
            document = from_url(body.url, allow=public_url if guarded else None, transport=public_only_transport() if guarded else None)
        except InputError as error:
            raise HTTPException(422, str(error)) from None
    else:
        document = Document(text=body.text or "")
    document.title = body.title or document.title
    document.published = body.published or document.published
    document.publisher = body.publisher or document.publisher
    document.author = body.author or document.author
    return document


def create_app(engine, token: str | None = None, allow_private_urls: bool = False, analyzer_factory=None) -> FastAPI:
    """The app over one ledger; `analyzer_factory` builds the analyzer on first use."""
    # the schema and its viewers are served below, behind the token like everything else
    app = FastAPI(title="claimledger", version="1", description="Who says what, through whom, how sure, with which figures.",
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
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
    app.include_router(router(), dependencies=[Depends(refuse_nul)])
    app.mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static")
    guarded = [Depends(check_token)]

    @app.get("/openapi.json", include_in_schema=False, dependencies=guarded)
    def openapi_schema() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=guarded)
    def swagger():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="claimledger API")

    @app.get("/redoc", include_in_schema=False, dependencies=guarded)
    def redoc():
        return get_redoc_html(openapi_url="/openapi.json", title="claimledger API")

    @app.get("/login", include_in_schema=False)
    def login(token: Annotated[str, Query(max_length=500)] = ""):
        """Browsers cannot send a bearer header: /login?token=T keeps the token in a cookie."""
        if not app.state.token or not hmac.compare_digest(token.encode(), app.state.token.encode()):
            raise HTTPException(status_code=401, detail="missing or wrong token")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    from claimledger.web.pages import router as pages_router

    app.include_router(pages_router(check_token), dependencies=[Depends(refuse_nul)])
    return app


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes is answered 413 without being read on.

    The declared Content-Length is checked before anything is read; a chunked body is counted as it
    arrives, so no request can make the server hold or spool more than `limit` bytes."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = HTTPException(413, f"request body over the limit of {self.limit // 1024 // 1024} MB")
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await JSONResponse({"detail": too_large.detail}, status_code=413)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise too_large  # FastAPI passes an HTTPException from body parsing on as it is
            return message

        async def watched(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except HTTPException as error:
            if error is not too_large or started:
                raise
            await JSONResponse({"detail": too_large.detail}, status_code=413)(scope, receive, send)
