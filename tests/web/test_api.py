"""The REST API over a ledger built from the examples: every endpoint over HTTP, paging, bad
parameters (422, never 500), tokens, and a live server on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from claimledger.ingest.collect import Problem, collect
from claimledger.ledger.book import Ledger
from claimledger.ledger.store import open_engine
from claimledger.web.api import create_app, public_url
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def db_path(analyzer, tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "ledger.db"
    engine = open_engine(str(path))
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    book = Ledger(engine)
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        book.add(document, analysis)
    return path


@pytest.fixture(scope="module")
def client(db_path, analyzer):
    return TestClient(create_app(open_engine(str(db_path)), analyzer_factory=lambda: analyzer))


def test_lists_are_paged_with_a_cursor(client):
    seen, after = [], None
    while True:
        params = {"limit": 3} | ({"after": after} if after else {})
        body = client.get("/api/v1/claims", params=params).json()
        assert len(body["items"]) <= 3
        seen += [c["id"] for c in body["items"]]
        after = body["next"]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 40 and seen == sorted(seen)


@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/sources", "/api/v1/claims", "/api/v1/series", "/api/v1/relations"])
def test_every_list_and_its_items(client, path):
    body = client.get(path, params={"limit": 500}).json()
    assert body["items"] and body["next"] is None
    first = body["items"][0]
    if path.endswith(("documents", "sources", "series")):
        detail = client.get(f"{path}/{first['id']}")
        assert detail.status_code == 200 and detail.json()["id"] == first["id"]


def test_records_follow_the_ledger_schema(client):
    series = client.get("/api/v1/series", params={"limit": 500}).json()["items"]
    burned = next(s for s in series if "hectares burned" in s["concept"])
    points = client.get(f"/api/v1/series/{burned['id']}").json()["points"]
    assert {"claim_id", "source_id", "value", "low", "high", "change", "as_of", "document_id"} <= set(points[0])
    relations = client.get("/api/v1/relations", params={"type": "conflict"}).json()["items"]
    assert relations and all(r["type"] == "conflict" and r["explanation"] for r in relations)
    source = client.get(f"/api/v1/sources/{points[0]['source_id']}").json()
    assert source["claims"] and source["reliability"] == "F"


def test_search_and_filters(client):
    found = client.get("/api/v1/claims", params={"q": "hectares burned"}).json()["items"]
    assert found and all("hectare" in c["content"].lower() for c in found)
    assert client.get("/api/v1/claims", params={"q": "zzzqqq"}).json()["items"] == []


@pytest.mark.parametrize(
    "method, path, params",
    [
        ("get", "/api/v1/documents", {"limit": 0}),
        ("get", "/api/v1/documents", {"limit": 100000}),
        ("get", "/api/v1/claims", {"limit": "many"}),
        ("get", "/api/v1/relations", {"type": "rumour"}),
        ("post", "/api/v1/analyze", None),
        ("post", "/api/v1/ingest", None),
    ],
)
def test_bad_parameters_are_422_never_500(client, method, path, params):
    response = client.get(path, params=params) if method == "get" else client.post(path, json={"published": "yesterday"})
    assert response.status_code == 422


def test_unknown_ids_are_404(client):
    for path in ("documents", "sources", "series"):
        assert client.get(f"/api/v1/{path}/nope").status_code == 404


def test_analyze_returns_an_analysis_without_storing_it(client):
    before = len(client.get("/api/v1/documents", params={"limit": 500}).json()["items"])
    body = client.post("/api/v1/analyze", json={"text": "The mayor said on Monday that 40 homes were damaged.", "published": "2024-05-08"}).json()
    assert body["schema"] == "claimledger/analysis@1" and body["quantities"][0]["value"] == 40
    assert len(client.get("/api/v1/documents", params={"limit": 500}).json()["items"]) == before


def test_ingest_stores_text_and_refuses_private_urls(analyzer, tmp_path):
    client = TestClient(create_app(open_engine(str(tmp_path / "l.db")), analyzer_factory=lambda: analyzer))
    stored = client.post("/api/v1/ingest", json={"text": "Police said 12 people were arrested.", "published": "2024-05-08"}).json()
    assert stored["added"] and stored["claims"] >= 1
    assert client.post("/api/v1/ingest", json={"text": "Police said 12 people were arrested."}).json()["added"] is False
    for url in ("http://127.0.0.1:9/x", "http://10.0.0.5/x", "http://169.254.169.254/latest", "file:///etc/passwd"):
        refused = client.post("/api/v1/ingest", json={"url": url})
        assert refused.status_code == 422 and "public" in refused.json()["detail"]
    assert client.post("/api/v1/ingest", json={"text": "x", "url": "http://example.org"}).status_code == 422


def test_public_url_check():
    assert not public_url("http://localhost/")
    assert not public_url("ftp://example.org/")
    assert not public_url("http://[::1]/")


def test_token_missing_wrong_and_right(db_path):
    client = TestClient(create_app(open_engine(str(db_path)), token="s3cret"))
    assert client.get("/api/v1/documents").status_code == 401
    assert client.get("/api/v1/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/v1/documents", headers={"Authorization": "s3cret"}).status_code == 401
    assert client.get("/api/v1/documents", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_live_server_over_http_on_loopback(db_path):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db_path), "--port", str(port), "--token", "t0k"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert httpx.get(url + "/openapi.json").status_code == 401  # the schema too is behind the token
        schema = httpx.get(url + "/openapi.json", headers={"Authorization": "Bearer t0k"}).json()
        assert {"/api/v1/documents", "/api/v1/claims", "/api/v1/analyze", "/api/v1/ingest"} <= set(schema["paths"])
        assert httpx.get(url + "/api/v1/sources").status_code == 401
        body = httpx.get(url + "/api/v1/sources", headers={"Authorization": "Bearer t0k"}).json()
        assert body["items"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def test_serving_beyond_loopback_needs_a_token(db_path):
    env = {k: v for k, v in os.environ.items() if k != "CLAIMLEDGER_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db_path), "--host", "0.0.0.0"],
                            cwd=ROOT, capture_output=True, timeout=120, env=env)
    assert result.returncode != 0 and b"needs a token" in result.stderr and b"Traceback" not in result.stderr


def copy_ledger(source, target) -> None:
    """A consistent copy of a SQLite ledger in WAL mode (a plain file copy can miss the WAL)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def test_rating_a_claim_gives_a_claim_review(analyzer, db_path, tmp_path):
    copy = tmp_path / "rated.db"
    copy_ledger(db_path, copy)
    client = TestClient(create_app(open_engine(str(copy)), analyzer_factory=lambda: analyzer))
    claim = client.get("/api/v1/claims", params={"q": "hectares"}).json()["items"][0]
    rated = client.post(f"/api/v1/claims/{claim['id']}/rating", json={"rating": "Mostly False", "explanation": "Satellites saw more.", "rated_by": "Desk"})
    assert rated.status_code == 200 and rated.json()["rating"] == "mostly false"
    assert client.post("/api/v1/claims/nope/rating", json={"rating": "true"}).status_code == 404
    assert client.post(f"/api/v1/claims/{claim['id']}/rating", json={"rating": ""}).status_code == 422
    reviews = client.get("/export/claimreview.jsonld").json()
    (review,) = reviews
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == claim["content"]
    assert review["reviewRating"]["ratingValue"] == 2 and review["reviewRating"]["alternateName"] == "mostly false"
    assert review["author"]["name"] == "Desk" and review["reviewBody"] == "Satellites saw more."
    for name in ("ledger.json", "claims.csv", "stix.json"):
        response = client.get(f"/export/{name}")
        assert response.status_code == 200 and name in response.headers["content-disposition"]
    assert client.get("/export/nothing.txt").status_code == 404


def test_stored_analyses_and_search(client):
    document = client.get("/api/v1/documents", params={"limit": 1}).json()["items"][0]
    analysis = client.get(f"/api/v1/analyses/{document['id']}").json()
    assert analysis["schema"] == "claimledger/analysis@1"
    assert client.get("/api/v1/analyses/nope").status_code == 404
    found = client.get("/api/v1/search", params={"q": "fire service"}).json()
    assert any(s["name"] == "Fire Service" for s in found["sources"]) and found["claims"]
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422


def test_claims_page_filters(client):
    kind = next(s["kind"] for s in client.get("/api/v1/sources", params={"limit": 500}).json()["items"] if s["name"] == "Fire Service")
    page = client.get("/claims", params={"kind": kind, "since": "2024-08-21", "until": "2024-08-31"})
    assert page.status_code == 200 and "48,000 hectares" in page.text and "12,000 hectares" not in page.text
    assert client.get("/claims", params={"since": "last week"}).status_code == 422
    none = client.get("/claims", params={"since": "2030-01-01"})
    assert none.status_code == 200 and "0 shown" in none.text
