"""Security of the web server (issue 7, "Security"), one test per item:

- the token on every route when bound beyond loopback: every route the app has, every method, over
  HTTP to a server listening on 0.0.0.0 (test_every_route_needs_the_token_beyond_loopback);
- server-side fetching refuses loopback, private, link-local and metadata addresses, in every
  spelling, through redirects, through names that resolve to them, and at connect time whatever the
  name said a moment before (test_private_addresses_*, test_redirects_*, test_names_*, test_*rebinding*);
- request bodies and uploads are size-limited (test_upload_*, test_body_*);
- every template escapes (test_templates_*) and hostile text comes back escaped (test_xss_*);
- SQL only through bound parameters: injection strings in every search and filter field of the API
  and the pages on SQLite and PostgreSQL (test_sql_injection_*), and no SQL built from strings in
  src/ (test_no_sql_is_built_from_strings).

pip-audit over the locked dependencies runs in CI (`make audit`, called by .ci/run), see
test_ci_audits_the_dependencies.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import inspect, insert, select
from starlette.routing import Mount, Route

from claimledger.analysis.schema import Document
from claimledger.ingest.collect import Problem, collect
from claimledger.ingest.documents import InputError, fetch
from claimledger.ledger.book import Ledger, counts
from claimledger.ledger.models import ClaimRow, DocumentRow, FigureRow, SeriesRow, SourceRow
from claimledger.ledger.store import open_engine, sessions
from claimledger.web.api import MAX_BODY_BYTES, create_app
from claimledger.web.fetchguard import public_address, public_only_transport, public_url
from claimledger.web.pages import MAX_UPLOAD_BYTES, TEMPLATES
from tests.conftest import ROOT, loopback_server
from tests.ledger.conftest import db_url  # noqa: F401 - SQLite and PostgreSQL ledgers

TOKEN = "sec-t0ken"
WEB = ROOT / "src" / "claimledger" / "web"


def build_examples(url: str, analyzer) -> None:
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    ledger = Ledger(open_engine(url))
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        ledger.add(document, analysis)
    ledger.engine.dispose()


@pytest.fixture(scope="module")
def examples_db(analyzer, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("security") / "ledger.db"
    build_examples(str(path), analyzer)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Path, *args: str):
    """A real `claimledger serve` process; yields its base URL on 127.0.0.1."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db), "--port", str(port), *args],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            assert process.poll() is None, process.stderr.read().decode()
            try:
                httpx.get(url + "/static/style.css", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


# --- the token on every route --------------------------------------------------------------------

# Open to anyone, on purpose: the stylesheet (no ledger data; the login page's looks depend on it).
# /login is not open: it answers 401 unless the token it is given is right.
PUBLIC_PREFIXES = {"/static": "the stylesheet: no ledger data"}


def every_route(app, values: dict[str, str]) -> list[tuple[str, str]]:
    """(method, path) for every route of the app, path parameters filled in from `values`."""
    found = []
    for context in iter_route_contexts(app.routes):  # included routers flattened, prefixes applied
        route = context.original_route
        if isinstance(route, Mount):
            found.append(("GET", context.path + "/style.css"))
            continue
        assert isinstance(route, (APIRoute, Route)), f"a route of an unknown kind: {route!r}"
        path = context.path
        for name in re.findall(r"{(\w+)(?::\w+)?}", context.path):
            assert name in values, f"no test value for the path parameter {name} of {route.path}"
            path = re.sub(r"{%s(?::\w+)?}" % name, quote(values[name], safe=""), path)
        found.extend((method, path) for method in sorted(route.methods or {"GET"}))
    return found


def test_every_route_needs_the_token_beyond_loopback(examples_db):
    engine = open_engine(str(examples_db))
    with sessions(engine)() as session:
        values = {
            "document_id": session.execute(select(DocumentRow.id)).scalars().first(),
            "source_id": session.execute(select(SourceRow.id)).scalars().first(),
            "series_id": session.execute(select(SeriesRow.id)).scalars().first(),
            "claim_id": session.execute(select(ClaimRow.id)).scalars().first(),
            "job_id": "0123456789ab", "name": "ledger.json",
        }
    routes = every_route(create_app(engine), values)
    assert len(routes) >= 30 and ("POST", "/api/v1/ingest") in routes and ("GET", "/openapi.json") in routes
    bodies = {"/api/v1/analyze": {}, "/api/v1/ingest": {}, f"/api/v1/claims/{values['claim_id']}/rating": {}}
    with serve(examples_db, "--host", "0.0.0.0", "--token", TOKEN) as url:
        def ask(method, path, cookies=None, **kwargs):
            # a new client each time: no cookie from an earlier answer (/login sets one) may carry over
            with httpx.Client(base_url=url, timeout=60, cookies=cookies) as client:
                return client.request(method, path, **kwargs)

        for method, path in routes:
            public = next((why for prefix, why in PUBLIC_PREFIXES.items() if path.startswith(prefix + "/")), None)
            extra = {"json": bodies[path]} if path in bodies else {}
            bare = ask(method, path, **extra)
            if public:
                assert bare.status_code == 200, (method, path, public)
                continue
            assert bare.status_code == 401, f"{method} {path} answered {bare.status_code} without a token"
            wrong = ask(method, path, headers={"Authorization": "Bearer not-" + TOKEN}, **extra)
            assert wrong.status_code == 401, f"{method} {path} answered {wrong.status_code} to a wrong token"
            wrong_cookie = ask(method, path, cookies={"claimledger_token": TOKEN + "x"}, **extra)
            assert wrong_cookie.status_code == 401, f"{method} {path} took a wrong cookie"
            # the route is real and the token opens it (so the 401 above was the token check, not a miss)
            if path == "/login":  # a browser's way in: the token as a query parameter, kept in a cookie
                right = ask(method, path, params={"token": TOKEN})
            else:
                right = ask(method, path, headers={"Authorization": f"Bearer {TOKEN}"}, **extra)
            assert right.status_code not in (401, 403) and right.status_code < 500, f"{method} {path}: {right.status_code}"
    engine.dispose()


# --- server-side fetching ------------------------------------------------------------------------

REFUSED_ADDRESSES = [
    "127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "::1", "::", "fc00::1", "fd00:ec2::254", "fe80::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
    "2002:7f00:1::", "64:ff9b::a9fe:a9fe",  # 6to4 and NAT64 forms of loopback and the metadata address
]


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_private_addresses_are_not_public(address):
    assert not public_address(address)


def test_public_addresses_are_public():
    assert all(public_address(a) for a in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"))


class _Target(BaseHTTPRequestHandler):
    """A loopback server standing in for an internal service: it counts what reaches it."""

    hits: list[str] = []
    redirect_to = ""

    def do_GET(self):  # noqa: N802 - the http.server name
        type(self).hits.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", type(self).redirect_to)
            self.end_headers()
            return
        body = b"<html><body><article><p>Internal secret: the admin password is hunter2, officials said.</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def target_server():
    with loopback_server(_Target) as url:
        yield url, int(url.rsplit(":", 1)[1])


@pytest.fixture
def target(target_server):
    _Target.hits = []
    return target_server


def private_names() -> list[str]:
    """Host names this machine resolves to non-public addresses: localhost, and those in /etc/hosts."""
    names = {"localhost"}
    for line in Path("/etc/hosts").read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2 and not public_address(fields[0]):
            names.update(fields[1:])
    return sorted(n for n in names if public_url(f"http://{n}/") is False and socket.getaddrinfo(n, None))


def test_private_addresses_are_refused_in_every_spelling(target, examples_db):
    _, port = target
    client = TestClient(create_app(open_engine(str(examples_db))))
    spellings = [f"http://{a}:{port}/" if ":" not in a else f"http://[{a}]:{port}/" for a in REFUSED_ADDRESSES]
    spellings += [f"http://{n}:{port}/" for n in ("2130706433", "0177.0.0.1", "0x7f.1", "127.1", "[::ffff:7f00:1]")]
    spellings += ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "gopher://127.0.0.1:25/", "http:///x"]
    for url in spellings:
        refused = client.post("/api/v1/ingest", json={"url": url})
        assert refused.status_code == 422 and "not a public" in refused.json()["detail"], (url, refused.text)
    assert _Target.hits == []


def test_names_that_resolve_to_private_addresses_are_refused(target, examples_db):
    _, port = target
    names = private_names()
    assert "localhost" in names
    client = TestClient(create_app(open_engine(str(examples_db))))
    for name in names:
        refused = client.post("/api/v1/ingest", json={"url": f"http://{name}:{port}/"})
        assert refused.status_code == 422 and "not a public" in refused.json()["detail"], name
    assert _Target.hits == []


@pytest.mark.parametrize("destination", ["http://169.254.169.254/latest/meta-data/", "http://localhost:{port}/secret",
                                         "http://127.0.0.1:{port}/secret", "http://[::1]:{port}/secret", "http://10.1.2.3/"])
def test_redirects_to_private_addresses_are_refused(target, destination):
    """The first hop is admitted (as a public page would be); where it redirects is checked again."""
    url, port = target
    _Target.redirect_to = destination.format(port=port)
    first = url + "/redirect"
    with pytest.raises(InputError, match="not a public address"):
        fetch(first, allow=lambda u: u == first or public_url(u))
    assert _Target.hits == ["/redirect"]  # the private address itself was never asked


def test_connections_are_checked_where_they_go_so_dns_rebinding_cannot_reach_a_private_address(target):
    """The server's transport checks the address each connection is made to, when it is made. A
    name check that was fooled (a DNS answer that changed between the check and the connect) is
    stood in for by an allow hook that admits everything: the connection is still refused."""
    _, port = target
    for url in (f"http://localhost:{port}/secret", f"http://127.0.0.1:{port}/secret", f"http://[::1]:{port}/secret"):
        with pytest.raises(InputError, match="not a public address"):
            fetch(url, allow=lambda u: True, transport=public_only_transport())
    assert _Target.hits == []


def test_the_guarded_transport_still_connects_to_public_addresses():
    """The guard refuses by address, not wholesale: a public address is connected to (this machine
    has no route out, so the attempt ends in a connect error or a timeout, not a refusal)."""
    with pytest.raises(InputError) as error:
        fetch("http://8.8.8.8:9/", timeout=1, transport=public_only_transport())
    assert "not a public address" not in str(error.value)


def test_allow_private_urls_lets_the_server_fetch_loopback(target, analyzer, tmp_path):
    """--allow-private-urls is the one way past the guard (for a server reading an intranet)."""
    url, _ = target
    client = TestClient(create_app(open_engine(str(tmp_path / "l.db")), allow_private_urls=True, analyzer_factory=lambda: analyzer))
    stored = client.post("/api/v1/ingest", json={"url": url + "/page"})
    assert stored.status_code == 200 and stored.json()["added"], stored.text
    assert _Target.hits == ["/page"]


# --- size limits ---------------------------------------------------------------------------------

def test_upload_over_the_limit_is_413_with_a_message(examples_db):
    client = TestClient(create_app(open_engine(str(examples_db)), token=TOKEN))
    big = b"The mayor said 40 homes were damaged. " * (MAX_UPLOAD_BYTES // 38 + 10)
    answer = client.post("/ingest", files={"files": ("big.txt", big, "text/plain")}, headers={"Authorization": f"Bearer {TOKEN}"},
                         follow_redirects=False)
    assert answer.status_code == 413 and "limited to 10 MB" in answer.json()["detail"]


def test_body_over_the_limit_is_413_before_it_is_read(examples_db):
    """Over real HTTP: a declared length over the cap is refused at once, and a chunked body with no
    declared length is cut off once it passes the cap; the server carries on answering."""
    with serve(examples_db, "--token", TOKEN) as url:
        host, port = "127.0.0.1", int(url.rsplit(":", 1)[1])
        with socket.create_connection((host, port), timeout=10) as raw:
            raw.sendall(f"POST /api/v1/analyze HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
                        f"Content-Type: application/json\r\nContent-Length: {10 * MAX_BODY_BYTES}\r\n\r\n".encode())
            answer = b""
            while b"over the limit" not in answer and (piece := raw.recv(4096)):
                answer += piece
            answer = answer.decode()
        assert answer.startswith("HTTP/1.1 413") and "over the limit of 16 MB" in answer

        sent = 0

        def chunks():
            nonlocal sent
            piece = b'{"text": "' + b"x" * (1024 * 1024)
            while sent < 3 * MAX_BODY_BYTES:  # stops early if the server stops reading
                sent += len(piece)
                yield piece

        try:
            answer = httpx.post(url + "/api/v1/analyze", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
            assert answer.status_code == 413 and "over the limit" in answer.json()["detail"]
        except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
            pass  # the server answered 413 and closed while the body was still coming: refused just the same
        assert httpx.get(url + "/api/v1/sources", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_form_fields_are_size_limited_too(examples_db):
    client = TestClient(create_app(open_engine(str(examples_db))))
    answer = client.post("/ingest", data={"text": "x" * 2_000_001}, follow_redirects=False)
    assert answer.status_code == 422 and "2000000 characters" in answer.text
    answer = client.post("/ingest", data={"text": "nul \x00 inside"}, follow_redirects=False)
    assert answer.status_code == 422 and "NUL" in answer.text


# --- templates escape ----------------------------------------------------------------------------

# Places that turn escaping off or put data at the start of a URL attribute, each with its reason.
TEMPLATE_ALLOWED = {
    ("series.html", "{{ chart|safe }}"): "SVG that vl-convert draws on the server; Vega escapes every text it writes "
                                          "(test_chart_svg_escapes_hostile_names)",
    ("document.html", 'href="{{ document.url }}'): "rendered only when the URL starts with http:// or https:// "
                                                     "(test_xss_payloads_come_back_escaped)",
}
TEMPLATE_RISKS = re.compile(r"\{\{[^}]*\|\s*safe\b[^}]*\}\}|\{%-?\s*autoescape\s+(false|False)|Markup|"
                            r"(?:href|src|action|formaction)=\"\{\{[^}]*\}\}")


def test_templates_escape_everything_they_show():
    templates = sorted((WEB / "templates").glob("*.html"))
    assert len(templates) >= 10
    found = {(t.name, m.group(0)) for t in templates for m in TEMPLATE_RISKS.finditer(t.read_text(encoding="utf-8"))}
    assert found - set(TEMPLATE_ALLOWED) == set(), "escaping turned off without a reason in TEMPLATE_ALLOWED"
    assert set(TEMPLATE_ALLOWED) <= found, "TEMPLATE_ALLOWED lists a place that is gone; drop it"
    assert all(TEMPLATES.env.autoescape(t.name) for t in templates)  # Jinja autoescapes every .html
    python = "\n".join(p.read_text(encoding="utf-8") for p in WEB.glob("*.py"))
    assert "Markup(" not in python and "autoescape=False" not in python


HOSTILE = "<script>window.__xss=1</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_db(analyzer, tmp_path_factory):
    """A ledger whose text, metadata, source names and URL are all attacks."""
    path = tmp_path_factory.mktemp("xss") / "ledger.db"
    ledger = Ledger(open_engine(str(path)))
    text = (f"{HOSTILE} The mayor said on Monday that 40 homes were damaged. "
            f"\"{HOSTILE} We counted 12 families in shelters {HOSTILE_ATTR},\" the mayor said on Tuesday.")
    documents = [
        Document(text=text, title=HOSTILE + HOSTILE_ATTR, publisher=HOSTILE_ATTR, author=HOSTILE, published="2024-05-06",
                 url="javascript:alert(document.cookie)"),
        Document(text="Police said 30 homes were damaged on Monday. " + HOSTILE, title="Second", published="2024-05-07",
                 url=" JavaScript:alert(2)"),
    ]
    for document in documents:
        ledger.add(document, analyzer.analyze(document))
    ledger.engine.dispose()
    return path


def test_xss_payloads_come_back_escaped(hostile_db):
    engine = open_engine(str(hostile_db))
    client = TestClient(create_app(engine))
    with sessions(engine)() as session:
        documents = session.execute(select(DocumentRow.id)).scalars().all()
        sources = session.execute(select(SourceRow.id)).scalars().all()
        series = session.execute(select(SeriesRow.id)).scalars().all()
    pages = ["/", "/sources", "/claims", "/series", "/relations", f"/claims?q={quote(HOSTILE)}&source={quote(HOSTILE_ATTR)}",
             f"/ingest?message={quote(HOSTILE + HOSTILE_ATTR)}", *(f"/documents/{d}" for d in documents),
             *(f"/sources/{s}" for s in sources), *(f"/series/{s}" for s in series)]
    shown = 0
    for page in pages:
        body = client.get(page).text
        assert "<script>window" not in body and "<img src=x" not in body, page
        assert 'href="javascript:' not in body.lower() and 'href=" javascript:' not in body.lower(), page
        shown += body.count("&lt;script&gt;window.__xss=1&lt;/script&gt;")
    assert shown >= 6  # the payloads were on the pages, as text
    assert "&#34;&gt;&lt;img src=x" in client.get(f"/claims?q={quote(HOSTILE_ATTR)}").text  # a reflected attribute value
    engine.dispose()


def test_chart_svg_escapes_hostile_names(tmp_path):
    """The series chart is the one place output is not autoescaped: names in it must come back as text."""
    engine = open_engine(str(tmp_path / "chart.db"))
    with engine.begin() as connection:
        connection.execute(insert(SourceRow), [{"id": f"s-{i}", "key": f"k{i}", "name": HOSTILE + f" {i}", "kind": "government"} for i in range(2)])
        connection.execute(insert(DocumentRow), [{"id": "d" * 64, "title": "t", "text": "x", "analysis": "{}", "version": 1,
                                                  "publisher": HOSTILE_ATTR, "published": "2024-01-01"}])
        connection.execute(insert(SeriesRow), [{"id": "ser-x", "key": "count|x", "concept": HOSTILE, "unit": HOSTILE}])
        connection.execute(insert(FigureRow), [{"id": f"f-{i}", "document_id": "d" * 64, "quantity_id": "q1", "source_id": f"s-{i % 2}",
                                                "series_id": "ser-x", "text": HOSTILE, "start": 0, "end": 1, "value": float(i),
                                                "change": "=", "delta": False, "when": f"2024-01-{i + 1:02d}"} for i in range(6)])
    body = TestClient(create_app(engine)).get("/series/ser-x").text
    assert "<svg" in body and "&lt;script&gt;" in body
    assert "<script>" not in body and "<img src=x" not in body
    engine.dispose()


# --- SQL injection -------------------------------------------------------------------------------

INJECTIONS = ["' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE documents; --", "\"; DROP TABLE claims; --", "1; SELECT pg_sleep(5)",
              "' UNION SELECT id, text FROM documents --", "NEAR(mayor said, 2)", "*", "mayor*", "\"unbalanced", "'unbalanced",
              "content:mayor OR source_text:*", "%", "_", "\\", "\x00", "::", "$1", "mayor' AND '1'='1"]


@pytest.fixture
def ledger_url(db_url, analyzer):  # noqa: F811 - the fixture imported above, on both backends
    build_examples(db_url, analyzer)
    return db_url


def test_sql_injection_in_every_search_and_filter_field(ledger_url):
    engine = open_engine(ledger_url)
    before, tables = counts(engine), sorted(inspect(engine).get_table_names())
    client = TestClient(create_app(engine))
    requests = []
    for bad in INJECTIONS:
        q = quote(bad, safe="")
        requests += [
            f"/api/v1/search?q={q}", f"/api/v1/claims?q={q}", f"/api/v1/claims?source={q}", f"/api/v1/claims?after={q}",
            f"/api/v1/documents?after={q}", f"/api/v1/sources?after={q}", f"/api/v1/series?after={q}",
            f"/api/v1/relations?after={q}", f"/api/v1/relations?type={q}", f"/api/v1/documents/{q}", f"/api/v1/analyses/{q}",
            f"/api/v1/sources/{q}", f"/api/v1/series/{q}",
            f"/?after={q}", f"/claims?q={q}", f"/claims?term={q}", f"/claims?source={q}", f"/claims?kind={q}",
            f"/claims?since={q}", f"/claims?until={q}", f"/claims?after={q}", f"/claims?q={q}&term={q}&source={q}&kind={q}",
            f"/documents/{q}", f"/sources/{q}", f"/series/{q}", f"/export/{q}", f"/ingest/jobs/{q}",
        ]
    statuses = {}
    for path in requests:
        answer = client.get(path)
        assert answer.status_code < 500, f"{path}: {answer.status_code} {answer.text[:200]}"
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    for bad in INJECTIONS:
        rating = client.post(f"/api/v1/claims/{quote(bad, safe='')}/rating", json={"rating": bad[:40] or "x"})
        assert rating.status_code in (404, 422), (bad, rating.status_code)
    assert 200 in statuses and (404 in statuses or 422 in statuses)
    # a bound parameter is compared, never obeyed: "match everything" strings match nothing
    for field in ("source", "after"):
        items = client.get("/api/v1/claims", params={field: "' OR 1=1 --", "limit": 500}).json()["items"]
        assert items == [] if field == "source" else all(i["id"] > "' OR 1=1 --" for i in items)
    assert "<td class=\"claim\">" not in client.get("/claims", params={"term": "' OR '1'='1"}).text
    assert counts(engine) == before and sorted(inspect(engine).get_table_names()) == tables
    engine.dispose()


# SQL written as text, each place with why it is safe
SQL_TEXT_ALLOWED = {
    ("ledger/store.py", 'cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")'): "a module constant (an int); PRAGMA takes no parameters",
}
SQL_BUILT = re.compile(r"""(?:\btext|\.execute|\.exec_driver_sql|\.executescript)\(\s*(?:f["']|["'][^"']*["']\s*(?:%|\+|\.format\())""")


def test_no_sql_is_built_from_strings():
    source = ROOT / "src" / "claimledger"
    found = set()
    for path in source.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if SQL_BUILT.search(line):
                found.add((str(path.relative_to(source)), line.strip()))
    assert found - set(SQL_TEXT_ALLOWED) == set(), "SQL built from strings; bind parameters instead"
    assert set(SQL_TEXT_ALLOWED) <= found, "SQL_TEXT_ALLOWED lists a line that is gone; drop it"


# --- dependencies --------------------------------------------------------------------------------

def test_ci_audits_the_dependencies():
    """CI runs pip-audit over the hash-locked requirements and every pinned package installed from
    pyproject (it needs PyPI's vulnerability service, so it runs in CI, not here)."""
    makefile = (ROOT / "Makefile").read_text()
    audit = makefile.split("\naudit:", 1)[1].split("\n\n", 1)[0]
    assert "pip-audit" in audit and "requirements.lock" in audit and "freeze" in audit
    assert re.search(r"^(AUDIT_UNREACHABLE_OK=1 )?make audit$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_the_audit_summary_fails_on_a_vulnerability_even_when_the_service_is_out_of_reach(tmp_path):
    """CI tolerates advisory data out of reach (a warning), never a known vulnerability."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"dependencies": [
        {"name": "somepkg", "version": "1.0", "vulns": [{"id": "PYSEC-0000-1"}]},
        {"name": "otherpkg", "skip_reason": "Dependency not found on PyPI"},
    ]}))
    script = [sys.executable, str(ROOT / "scripts" / "audit_summary.py"), str(report)]
    for tolerated in ("0", "1"):
        done = subprocess.run(script, capture_output=True, text=True, env={**os.environ, "AUDIT_UNREACHABLE_OK": tolerated})
        assert done.returncode == 1 and "PYSEC-0000-1" in done.stdout
    report.write_text(json.dumps({"dependencies": [{"name": "otherpkg", "skip_reason": "Dependency not found on PyPI"}]}))
    strict = subprocess.run(script, capture_output=True, text=True, env={**os.environ, "AUDIT_UNREACHABLE_OK": "0"})
    tolerant = subprocess.run(script, capture_output=True, text=True, env={**os.environ, "AUDIT_UNREACHABLE_OK": "1"})
    assert strict.returncode == 1 and "error:" in strict.stdout
    assert tolerant.returncode == 0 and "warning:" in tolerant.stdout
