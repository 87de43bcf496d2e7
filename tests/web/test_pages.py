"""The pages in a real browser (Debian's chromium through Playwright) against a live server on
loopback: every page opens, a series point leads to its highlighted sentence, search works, an
article full of markup stays text, and a token keeps strangers out.

Screenshots go to CLAIMLEDGER_SCREENSHOTS (`make screenshots` points it at docs/screenshots/)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from claimledger.analysis.schema import Document
from claimledger.ingest.collect import Problem, collect
from claimledger.ledger.book import Ledger
from claimledger.ledger.store import open_engine
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HOSTILE = ('Hostile page <script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2"> '
           'The mayor said <b>40</b> homes were damaged & "nothing" else.')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required when CI=true (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def ledger_db(analyzer, tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "ledger.db"
    engine = open_engine(str(path))
    documents = [d for d in collect([str(ROOT / "examples")]) if not isinstance(d, Problem)]
    documents.append(Document(text=HOSTILE, title="<i>Hostile</i> title", published="2024-08-21"))
    book = Ledger(engine)
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        book.add(document, analysis)
    return path


def serve(db: Path, *extra: str):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db), "--port", str(port), *extra],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/openapi.json", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.15)
    process.kill()
    raise AssertionError("the server did not start")


@pytest.fixture(scope="module")
def site(ledger_db):
    process, url = serve(ledger_db)
    yield url
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shoot(page, name: str) -> None:
    folder = os.environ.get("CLAIMLEDGER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path, heading", [("/", "Documents"), ("/sources", "Sources"), ("/claims", "Claims"),
                                           ("/series", "Series"), ("/relations", "Relations"), ("/ingest", "Ingest")])
def test_every_page_opens(page, site, path, heading):
    response = page.goto(site + path)
    assert response.status == 200
    assert page.inner_text("h1") == heading
    shoot(page, path.strip("/") or "documents")


def test_a_series_point_leads_to_its_highlighted_sentence(page, site):
    page.goto(site + "/series")
    page.click("text=hectares burned")
    assert page.locator(".chart svg").count() == 1
    shoot(page, "series-detail")
    link = page.locator("a.point").first
    figure_text = link.inner_text()
    link.click()
    page.wait_for_url("**/documents/**")
    target = page.locator(":target")
    assert target.count() == 1
    assert "role-quantity" in target.get_attribute("class") and target.inner_text() in figure_text + " hectares"
    assert target.is_visible()
    shoot(page, "document")


def test_search_finds_claims(page, site):
    page.goto(site + "/claims")
    page.fill("input[name=q]", "hectares")
    page.click("button[type=submit]")
    page.wait_for_url("**q=hectares**")
    claims = page.locator("td.claim").all_inner_texts()
    assert claims and all("hectare" in c.lower() for c in claims)


def test_markup_in_an_article_is_shown_as_text(page, site):
    page.goto(site + "/")
    page.click("text=<i>Hostile</i> title")
    page.wait_for_url("**/documents/**")
    assert page.evaluate("window.__xss === undefined")
    text = page.inner_text(".article")
    assert "<script>window.__xss = 1</script>" in text and "<b>40</b>" in text
    assert page.locator(".article script, .article img, .article b").count() == 0


def test_a_token_keeps_strangers_out(browser, ledger_db):
    process, url = serve(ledger_db, "--token", "page-s3cret")
    try:
        assert httpx.get(url + "/").status_code == 401
        assert httpx.get(url + "/login?token=wrong").status_code == 401
        context = browser.new_context()
        page = context.new_page()
        assert page.goto(url + "/sources").status == 401
        page.goto(url + "/login?token=page-s3cret")
        assert page.goto(url + "/sources").status == 200
        context.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def test_uploading_files_shows_the_progress_then_the_documents(page, site, tmp_path):
    files = []
    for i in range(3):
        path = tmp_path / f"upload-{i}.txt"
        path.write_text(f"The harbour master said on Monday that {10 + i} ships were waiting outside port number {i}.", encoding="utf-8")
        files.append(str(path))
    page.goto(site + "/ingest")
    page.set_input_files("input[name=files]", files)
    page.click("button[type=submit]")
    page.wait_for_url("**/ingest/jobs/**")
    page.wait_for_selector("#finished", timeout=60_000)
    assert "3 of 3 documents" in page.inner_text("#progress")
    links = page.locator("ul a")
    assert links.count() == 3
    links.first.click()
    page.wait_for_url("**/documents/**")
    assert "ships were waiting" in page.inner_text(".article")


def test_pasting_text_leads_to_its_article(page, site):
    page.goto(site + "/ingest")
    page.fill("textarea[name=text]", "The coast guard said on Friday that 7 fishermen were rescued.")
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/**", timeout=60_000)
    assert page.locator(".article .role-quantity").count() >= 1
