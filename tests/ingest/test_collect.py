"""Expanding what the user names into documents: directories, JSONL, and RSS/Atom feeds over real HTTP."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from claimledger.analysis.schema import Document
from claimledger.ingest.collect import Problem, collect, feed_documents
from tests.conftest import loopback_server
from tests.ingest.test_documents import ARTICLE_HTML

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour news</title>
<item><title>Port strike goes on</title><link>{base}/strike</link><pubDate>Thu, 09 Oct 2025 10:00:00 GMT</pubDate></item>
<item><title>Gone page</title><link>{base}/gone</link><pubDate>Fri, 10 Oct 2025 10:00:00 GMT</pubDate>
<description>The mayor said on Friday that 300 homes were flooded, and officials said the river was still rising.</description></item>
<item><title>Nothing at all</title><link>{base}/gone</link></item>
</channel></rss>"""


class Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        base = f"http://127.0.0.1:{self.server.server_port}"
        pages = {"/feed.xml": ("application/rss+xml", FEED.format(base=base)), "/strike": ("text/html", ARTICLE_HTML),
                 "/notafeed": ("text/plain", "just words, not a feed at all")}
        if self.path not in pages:
            self.send_response(404)
            self.end_headers()
            return
        kind, body = pages[self.path]
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def site():
    with loopback_server(Site) as url:
        yield url


def test_feed_entries_become_documents_with_their_metadata(site):
    items = list(feed_documents(f"{site}/feed.xml"))
    strike, gone, nothing = items
    assert isinstance(strike, Document) and "Nobody wants to be out here in the rain" in strike.text
    assert strike.url == f"{site}/strike" and strike.published == "2025-10-09"
    assert isinstance(gone, Document) and "300 homes were flooded" in gone.text
    assert gone.published == "2025-10-10" and "from_feed_text" in gone.flags
    assert isinstance(nothing, Problem) and "no fetchable page" in nothing.message


def test_a_page_that_is_no_feed_is_one_problem(site):
    (problem,) = list(feed_documents(f"{site}/notafeed"))
    assert isinstance(problem, Problem) and "not an RSS or Atom feed" in problem.message


def test_directories_are_read_recursively_with_jsonl_and_html(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("The mayor said 40 homes were damaged.", encoding="utf-8")
    (tmp_path / "a" / "two.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (tmp_path / "more.jsonl").write_text('{"id": 1, "text": "Officials said 3 roads closed."}\nnot json\n', encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    items = list(collect([str(tmp_path)]))
    documents = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(documents) == 3 and len(problems) == 1 and "line 2" in problems[0].message


def test_missing_paths_are_problems_not_errors(tmp_path):
    (problem,) = list(collect([str(tmp_path / "nope")]))
    assert "no such file" in problem.message


def test_documents_go_in_date_order_within_each_window_and_undated_last():
    from claimledger.ingest.collect import in_date_order
    from claimledger.ledger.book import document_order

    dates = ["2025-10-09", None, "2025-10-01", "2025-10-05", "2025-10-03", "2025-10-02"]
    documents = [Document(text=f"Report {i}.", published=date) for i, date in enumerate(dates)]
    whole = [d.published for d in in_date_order(documents, key=document_order)]
    assert whole == ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-05", "2025-10-09", None]
    # memory stays bounded: each run of `window` documents is sorted on its own
    windowed = [d.published for d in in_date_order(documents, key=document_order, window=3)]
    assert windowed == ["2025-10-01", "2025-10-09", None, "2025-10-02", "2025-10-03", "2025-10-05"]
