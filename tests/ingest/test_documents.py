"""Decoding, HTML extraction, JSONL reading and URL fetching, over real files and real HTTP on loopback."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest

from tests.conftest import loopback_server
from claimledger.ingest.documents import (
    InputError,
    JsonlProblem,
    decode,
    fetch,
    from_bytes,
    from_path,
    read_jsonl,
)

ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Port strike goes on</title>
<meta name="author" content="Ana Berg"><meta property="article:published_time" content="2025-10-09">
</head><body><nav>Home | World | Sport</nav><article><h1>Port strike goes on</h1>
<p>Dockworkers at the port will stay off the job until at least Monday, the union announced on Thursday,
after members voted by a large margin to continue the walkout that began last week.</p>
<p>"Nobody wants to be out here in the rain," said union leader Anna Berg, who spoke to reporters at the gate.
"But management has given us nothing to vote on, and until it does we are not going back."</p>
<p>The port authority said in a statement that about 40 ships were delayed and that talks would resume.</p>
</article><footer>Copyright</footer></body></html>"""


def test_utf8_decodes_without_flags():
    text, flags = decode("Kyiv — “quoted”".encode())
    assert text == "Kyiv — “quoted”"
    assert flags == []


def test_legacy_encoding_is_detected_and_flagged():
    original = "Le ministre a déclaré que la réforme était « nécessaire » pour l'économie française."
    text, flags = decode(original.encode("cp1252"))
    assert "déclaré" in text
    assert flags and flags[0].startswith("decoded:")


def test_binary_bytes_are_refused_with_one_line():
    with pytest.raises(InputError) as error:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), name="photo.png")
    assert "photo.png" in str(error.value) and "\n" not in str(error.value)


def test_html_file_gives_main_text_and_metadata(tmp_path):
    page = tmp_path / "strike.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    document = from_path(page)
    assert "Nobody wants to be out here in the rain" in document.text
    assert "Home | World" not in document.text
    assert document.title == "Port strike goes on"
    assert document.published == "2025-10-09"


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        from_path(tmp_path / "nope.txt")


def test_jsonl_reports_bad_lines_and_keeps_good_ones():
    lines = ['{"id": "a", "text": "One."}', "{broken", '{"id": 7, "text": "Two.", "published": "2024-01-02"}', '{"text": 5}']
    items = list(read_jsonl(iter(lines)))
    assert [type(i).__name__ for i in items] == ["Document", "JsonlProblem", "Document", "JsonlProblem"]
    assert items[1].line_number == 2 and "line 2" in items[1].message
    assert items[2].id == 7 and items[2].published == "2024-01-02"
    assert isinstance(items[3], JsonlProblem) and items[3].line_number == 4


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        if self.path == "/article":
            body = ARTICLE_HTML.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/to-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/article")
            self.end_headers()
        elif self.path == "/error":
            self.send_response(500)
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(64):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    with loopback_server(_Handler) as url:
        yield url


def test_fetch_and_extract_over_http(server):
    document = from_bytes(fetch(server + "/article"), name="page", url=server + "/article")
    assert "Nobody wants to be out here" in document.text


@pytest.mark.parametrize(
    "path, kwargs, message",
    [
        ("/loop", {}, "redirects"),
        ("/error", {}, "HTTP 500"),
        ("/huge", {"max_bytes": 1_000_000}, "limit"),
        ("/slow", {"timeout": 0.5}, "no answer"),
    ],
)
def test_fetch_failures_are_one_line_errors(server, path, kwargs, message):
    with pytest.raises(InputError) as error:
        fetch(server + path, **kwargs)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_jsonl_published_dates_are_checked_and_bad_ones_flagged():
    lines = [
        '{"id": 1, "text": "a", "published": "2022-09-23T10:00:00Z"}',
        '{"id": 2, "text": "b", "published": 20220923}',
        '{"id": 3, "text": "c", "published": "yesterday", "author": ["x"]}',
    ]
    first, second, third = read_jsonl(iter(lines))
    assert (first.published, first.flags) == ("2022-09-23", [])
    assert second.published is None and second.flags == ["bad_published:20220923"]
    assert third.published is None and third.flags == ["bad_published:yesterday"] and third.author is None


def test_every_redirect_hop_is_checked(server):
    """A page on an allowed host that redirects to a refused one is refused (SSRF through redirects)."""
    from urllib.parse import urlparse

    port = urlparse(server).port
    allow_localhost_only = lambda url: urlparse(url).hostname == "localhost"  # noqa: E731
    assert "Nobody wants" in from_bytes(fetch(f"http://localhost:{port}/article", allow=allow_localhost_only)).text
    with pytest.raises(InputError, match="refused to fetch http://127.0.0.1"):
        fetch(f"http://localhost:{port}/to-loopback", allow=allow_localhost_only)
