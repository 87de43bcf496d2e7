"""The analyst's pages: server-rendered Jinja templates over the ledger, no build step, nothing
fetched from elsewhere (styles come from the package; series charts are Vega-Lite specs rendered to
SVG on the server by vl-convert, which bundles Vega).

Owns the routes /, /documents/{id}, /sources, /sources/{id}, /claims, /series, /series/{id},
/relations, /ingest, and the building of the highlighted article: every source, cue, content,
figure and hedge of the stored Analysis wrapped in place, escaped by Jinja's autoescaping.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import func, select

from claimledger.analysis.certainty import ICD_203
from claimledger.ingest.documents import InputError, from_bytes
from claimledger.ledger.book import Ledger, counts
from claimledger.ledger.relations import describe
from claimledger.ledger.models import ClaimRow, DocumentRow, FigureRow, RelationRow, SeriesRow, SourceRow
from claimledger.ledger.query import aliases_by_source, page, search_claims
from claimledger.ledger.store import sessions
from claimledger.web.api import IngestRequest, document_to_ingest, found_or_404

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
ROLE_ORDER = ["content", "source", "cue", "quantity", "hedge"]  # later roles are drawn inside earlier ones
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass
class Piece:
    text: str
    classes: str = ""
    title: str = ""
    anchor: str = ""


def highlight(text: str, analysis: dict, document_id: str) -> list[Piece]:
    """The text cut at every highlight boundary; each piece carries the roles that cover it."""
    marks: list[tuple[int, int, str, str, str]] = []  # start, end, role, title, anchor
    for a in analysis.get("attributions", []):
        certainty = a.get("certainty") or {}
        about = f"{a['type']} · {certainty.get('term', '')} ({certainty.get('probability', '')})"
        if a.get("source"):
            s = a["source"]
            marks.append((s["start"], s["end"], "source", f"source: {s.get('canonical') or s['text']} · {s['kind']}", ""))
        if a.get("cue"):
            c = a["cue"]
            marks.append((c["start"], c["end"], "cue", f"cue: {c.get('lemma', '')} · {c.get('stance', '')} · {about}", ""))
        for start, end in a["content"]["spans"]:
            marks.append((start, end, "content", f"content of {a['id']} · {about}", ""))
    for q in analysis.get("quantities", []):
        figure = q["value"] if q["value"] is not None else f"{q['low']}-{q['high']}"
        marks.append((q["start"], q["end"], "quantity",
                      f"figure {q['change']} {figure} {q.get('unit_normalized') or ''} · {q.get('concept') or ''} · as of {q.get('as_of') or '?'}",
                      f"f-{document_id[:16]}-{q['id']}"))
    for h in analysis.get("hedges", []):
        marks.append((h["start"], h["end"], "hedge", f"{h['kind']}: {h['text']}", ""))
    cuts = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks})
    pieces: list[Piece] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        covering.sort(key=lambda m: ROLE_ORDER.index(m[2]))
        roles = sorted({m[2] for m in covering}, key=ROLE_ORDER.index)
        anchor = next((m[4] for m in covering if m[4] and m[0] == start), "")
        pieces.append(Piece(text[start:end], " ".join(f"role-{r}" for r in roles), " | ".join(m[3] for m in covering), anchor))
    return pieces


CHART_POINTS = 1500  # above this, each source's figures of one day are drawn as one min-max bar
TABLE_ROWS = 500


def _condensed(points: list[dict]) -> list[dict]:
    """One mark per source and day for big series: the day's range as a bar and its median as the point."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for point in points:
        groups.setdefault((point["when"], point["source"]), []).append(point)
    condensed = []
    for (when, source), members in sorted(groups.items()):
        if len(members) == 1:
            condensed.append(members[0])
            continue
        ys = sorted(m["value"] if m["value"] is not None else (m["low"] if m["low"] is not None else m["high"]) for m in members)
        condensed.append({**members[len(members) // 2], "value": None, "low": ys[0], "high": ys[-1], "change": "=",
                          "figure": f"{len(members)} figures, {ys[0]:,.10g}–{ys[-1]:,.10g}"})
        condensed.append({**members[len(members) // 2], "value": ys[len(ys) // 2], "low": None, "high": None})
    return condensed


def series_chart(points: list[dict], unit: str | None) -> str:
    """Every source's figures over time as SVG: ranges as bars, bounds as arrows, points linked to their sentence."""
    dated = [p for p in points if p["when"]]
    if not dated:
        return "<p class='muted'>No dated figures to draw.</p>"
    if len(dated) > CHART_POINTS:
        dated = _condensed(dated)
    import vl_convert

    values = [{
        "when": p["when"], "source": p["source"], "href": p["href"], "label": p["figure"],
        "y": p["value"] if p["value"] is not None else (p["low"] if p["low"] is not None else p["high"]),
        "low": p["low"] if p["value"] is None else None, "high": p["high"] if p["value"] is None else None,
        "shape": {">": "triangle-up", "<": "triangle-down"}.get(p["change"], "circle"),
    } for p in dated]
    y_title = unit or "count"
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 760, "height": 320,
        "data": {"values": values},
        "layer": [
            {"transform": [{"filter": "datum.low != null && datum.high != null"}], "mark": {"type": "rule", "strokeWidth": 6, "opacity": 0.6},
             "encoding": {"x": {"field": "when", "type": "temporal", "title": "as of"},
                          "y": {"field": "low", "type": "quantitative", "title": y_title}, "y2": {"field": "high"},
                          "color": {"field": "source", "type": "nominal"}, "href": {"field": "href"}}},
            {"mark": {"type": "point", "filled": True, "size": 120, "cursor": "pointer"},
             "encoding": {"x": {"field": "when", "type": "temporal"}, "y": {"field": "y", "type": "quantitative"},
                          "shape": {"field": "shape", "type": "nominal", "scale": None},
                          "color": {"field": "source", "type": "nominal", "title": "source"},
                          "href": {"field": "href"}, "tooltip": [{"field": "source"}, {"field": "label"}, {"field": "when"}]}},
        ],
    }
    return vl_convert.vegalite_to_svg(spec)


def router(check_token) -> APIRouter:
    pages = APIRouter(dependencies=[Depends(check_token)], include_in_schema=False)

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, name, context)

    @pages.get("/", response_class=HTMLResponse)
    def home(request: Request, after: Annotated[str | None, Query(max_length=200)] = None):
        engine = request.app.state.engine
        with sessions(engine)() as session:
            rows, following = page(session, select(DocumentRow), DocumentRow.id, 100, after)
            rows.sort(key=lambda d: (d.published or "", d.title or ""), reverse=True)
        return render(request, "documents.html", documents=rows, next=following, counts=counts(engine))

    @pages.get("/documents/{document_id}", response_class=HTMLResponse)
    def document(request: Request, document_id: str):
        with sessions(request.app.state.engine)() as session:
            row = found_or_404(session, DocumentRow, document_id, "document")
            claims = session.execute(select(ClaimRow).where(ClaimRow.document_id == document_id).order_by(ClaimRow.id)).scalars().all()
        pieces = highlight(row.text, json.loads(row.analysis), row.id)
        return render(request, "document.html", document=row, pieces=pieces, claims=claims)

    @pages.get("/sources", response_class=HTMLResponse)
    def sources(request: Request):
        with sessions(request.app.state.engine)() as session:
            claim_counts = dict(session.execute(select(ClaimRow.source_id, func.count()).group_by(ClaimRow.source_id)).all())
            aliases = aliases_by_source(session)
            rows = [
                {"id": s.id, "name": s.name, "kind": s.kind, "reliability": s.reliability,
                 "aliases": sorted(set(aliases.get(s.id, []))), "claims": claim_counts.get(s.id, 0)}
                for s in session.execute(select(SourceRow)).scalars()
            ]
        rows.sort(key=lambda s: (-s["claims"], s["name"].lower()))
        return render(request, "sources.html", sources=rows)

    @pages.get("/sources/{source_id}", response_class=HTMLResponse)
    def source(request: Request, source_id: str):
        with sessions(request.app.state.engine)() as session:
            row = found_or_404(session, SourceRow, source_id, "source")
            parent = session.get(SourceRow, row.parent_id) if row.parent_id else None
            aliases = sorted(set(aliases_by_source(session, [source_id]).get(source_id, [])))
            claims = session.execute(
                select(ClaimRow, DocumentRow).join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
                .where(ClaimRow.source_id == source_id).order_by(DocumentRow.published, ClaimRow.id)
            ).all()
        return render(request, "source.html", source=row, parent=parent, aliases=aliases, claims=claims)

    @pages.get("/claims", response_class=HTMLResponse)
    def claims(
        request: Request, q: Annotated[str, Query(max_length=500)] = "", term: Annotated[str, Query(max_length=40)] = "",
        source: Annotated[str, Query(max_length=200)] = "", kind: Annotated[str, Query(max_length=40)] = "",
        since: Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
        until: Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
        after: Annotated[str | None, Query(max_length=200)] = None,
    ):
        engine = request.app.state.engine
        following = None
        with sessions(engine)() as session:
            statement = select(ClaimRow).join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
            if q:
                ids = [c.id for c in search_claims(engine, q, limit=500)]
                statement = statement.where(ClaimRow.id.in_(ids))
            if term:
                statement = statement.where(ClaimRow.term == term)
            if source:
                statement = statement.where(ClaimRow.source_id == source)
            if kind:
                statement = statement.join(SourceRow, SourceRow.id == ClaimRow.source_id).where(SourceRow.kind == kind)
            if since:
                statement = statement.where(DocumentRow.published >= since)
            if until:
                statement = statement.where(DocumentRow.published <= until)
            rows, following = page(session, statement, ClaimRow.id, 100, after)
            kinds = sorted(set(session.execute(select(SourceRow.kind)).scalars()))
        return render(request, "claims.html", claims=rows, q=q, term=term, source=source, kind=kind, since=since,
                      until=until, next=following, terms=[t for _, _, t in ICD_203], kinds=kinds)

    @pages.get("/series", response_class=HTMLResponse)
    def series_list(request: Request):
        with sessions(request.app.state.engine)() as session:
            stats = dict((sid, (n, s)) for sid, n, s in session.execute(
                select(FigureRow.series_id, func.count(), func.count(func.distinct(FigureRow.source_id))).group_by(FigureRow.series_id)).all())
            rows = session.execute(select(SeriesRow)).scalars().all()
        listed = sorted(((s, *stats.get(s.id, (0, 0))) for s in rows), key=lambda r: (-r[2], -r[1], r[0].concept))
        return render(request, "series_list.html", series=listed)

    @pages.get("/series/{series_id}", response_class=HTMLResponse)
    def series(request: Request, series_id: str, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0):
        with sessions(request.app.state.engine)() as session:
            row = found_or_404(session, SeriesRow, series_id, "series")
            figures = session.execute(
                select(FigureRow, DocumentRow).join(DocumentRow, DocumentRow.id == FigureRow.document_id)
                .where(FigureRow.series_id == series_id).order_by(FigureRow.when, FigureRow.id)
            ).all()
            names = {s.id: s.name for s in session.execute(select(SourceRow).where(SourceRow.id.in_({f.source_id for f, _ in figures if f.source_id}))).scalars()}
        points = [{
            "when": f.when, "source": names.get(f.source_id, "the author"), "figure": describe(f), "text": f.text,
            "value": f.value, "low": f.low, "high": f.high, "change": f.change, "document_id": d.id,
            "document": d.publisher or d.title or d.id[:12], "anchor": f.id, "href": f"/documents/{d.id}#{f.id}",
        } for f, d in figures]
        shown = points[offset : offset + TABLE_ROWS]
        following = offset + TABLE_ROWS if offset + TABLE_ROWS < len(points) else None
        return render(request, "series.html", series=row, points=shown, total=len(points), offset=offset, next=following,
                      chart=series_chart(points, row.unit))

    @pages.get("/relations", response_class=HTMLResponse)
    def relations(request: Request):
        with sessions(request.app.state.engine)() as session:
            rows = session.execute(select(RelationRow).order_by(RelationRow.type, RelationRow.id)).scalars().all()
            figures = {f.id: f for f in session.execute(
                select(FigureRow).where(FigureRow.id.in_({r.figure_a for r in rows} | {r.figure_b for r in rows}))).scalars()}
        listed = [(r, _side(figures.get(r.figure_a)), _side(figures.get(r.figure_b))) for r in rows]
        return render(request, "relations.html", relations=listed)

    @pages.get("/export/{name}")
    def export(request: Request, name: str):
        """The CLI's exports, as downloads: ledger.json, claims.csv, stix.json, claimreview.jsonld."""
        from fastapi.responses import Response

        from claimledger.export.claimreview import claim_reviews
        from claimledger.export.ledger import ledger_csv, ledger_dict
        from claimledger.export.stix import ledger_bundle

        engine = request.app.state.engine
        makers = {
            "ledger.json": ("application/json", lambda: json.dumps(ledger_dict(engine), ensure_ascii=False, indent=2)),
            "claims.csv": ("text/csv", lambda: ledger_csv(engine)),
            "stix.json": ("application/json", lambda: ledger_bundle(engine).serialize(pretty=True)),
            "claimreview.jsonld": ("application/ld+json", lambda: json.dumps(claim_reviews(engine), ensure_ascii=False, indent=2)),
        }
        if name not in makers:
            raise HTTPException(404, f"no export {name}; try one of {', '.join(makers)}")
        media_type, make = makers[name]
        return Response(make(), media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @pages.get("/ingest", response_class=HTMLResponse)
    def ingest_form(request: Request, message: Annotated[str, Query(max_length=300)] = ""):
        return render(request, "ingest.html", message=message)

    # a text field may hold 2,000,000 characters of up to 4 bytes each (the parser's default is 1 MB)
    @pages.post("/ingest", form_limits={"max_part_size": 4 * 2_000_000})
    async def ingest(
        request: Request, text: Annotated[str, Form(max_length=2_000_000)] = "", url: Annotated[str, Form(max_length=2000)] = "",
        published: Annotated[str, Form(max_length=10)] = "", title: Annotated[str, Form(max_length=1000)] = "",
        files: list[UploadFile] | None = None,
    ):
        if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"uploads are limited to {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
        documents = []
        for upload in files or []:
            if not upload.filename:
                continue
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise HTTPException(413, f"{upload.filename} is over {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
            try:
                documents.append(from_bytes(data, name=upload.filename))
            except InputError as error:
                raise HTTPException(422, str(error)) from None
        if text.strip() or url.strip():
            try:
                body = IngestRequest(text=text or None, url=url or None, published=published or None, title=title or None)
            except ValidationError as error:
                raise HTTPException(422, "; ".join(e["msg"] for e in error.errors())) from None
            documents.append(document_to_ingest(request, body))
        if not documents:
            return RedirectResponse("/ingest?message=Give+text,+a+URL+or+files", status_code=303)
        job = IngestJob(total=len(documents))
        jobs = request.app.state.ingest_jobs
        jobs[job.id] = job
        threading.Thread(target=job.run, args=(request.app, documents), daemon=True).start()
        return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)

    @pages.get("/ingest/jobs/{job_id}", response_class=HTMLResponse)
    def ingest_job(request: Request, job_id: str):
        job = request.app.state.ingest_jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no ingest job {job_id}")
        if job.finished and job.total == 1 and job.document_ids and not job.error:
            return RedirectResponse(f"/documents/{job.document_ids[0]}", status_code=303)
        return render(request, "ingest_job.html", job=job)

    return pages


@dataclass
class IngestJob:
    """A background ingest that a page can watch: documents done of total, words per second."""

    total: int
    done: int = 0
    added: int = 0
    words: int = 0
    started: float = 0.0
    finished: bool = False
    error: str = ""
    document_ids: list[str] | None = None
    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or uuid.uuid4().hex[:12]
        self.document_ids = []
        self.started = time.perf_counter()

    @property
    def rate(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        return f"{self.done / elapsed:.1f} documents/s, {self.words / elapsed:,.0f} words/s"

    def run(self, app, documents) -> None:
        try:
            with app.state.ingest_lock:  # one ingest at a time: the analyzer is not shared across threads
                ledger = Ledger(app.state.engine)
                for document, analysis in zip(documents, app.state.analyzer().analyze_many(documents)):
                    result = ledger.add(document, analysis)
                    self.document_ids.append(result.document_id)
                    self.added += result.added
                    self.words += len(document.text.split())
                    self.done += 1
        except Exception as error:  # noqa: BLE001 - shown on the job page instead of lost in a thread
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.finished = True


def _side(figure: FigureRow | None) -> dict | None:
    return {"document_id": figure.document_id, "anchor": figure.id} if figure else None
