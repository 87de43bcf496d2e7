"""Bad input to ingestion (issue 7): every kind the issue names, each a test, each a one-line
message naming the input or a flagged result, never a traceback, and nothing good lost beside it.

Owns the unit-level checks of decoding, size limits, HTML extraction, fetching and JSONL, and the
end-to-end runs of the real `claimledger` command (a subprocess) against a real SQLite file and a
real HTTP server on loopback. The analysis side (quotes, non-English, offsets) is in
tests/analysis/test_bad_input.py and tests/analysis/test_properties.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import pytest

from claimledger.analysis.schema import Document
from claimledger.ingest.collect import Problem, collect, feed_documents
from claimledger.ingest.documents import (
    MAX_DOCUMENT_BYTES,
    InputError,
    JsonlProblem,
    bounded_lines,
    decode,
    fetch,
    from_bytes,
    from_html,
    from_path,
    from_stream,
    read_jsonl,
)
from tests.conftest import loopback_server

ROOT = Path(__file__).resolve().parents[2]
GOOD = "The mayor said on Monday that 40 homes were damaged by the storm and that repairs would take weeks."
GERMAN = ("Der Bundeskanzler sagte am Mittwoch, dass die Regierung neue Maßnahmen gegen die steigenden "
          "Energiepreise plane. Die Opposition warf ihm vor, zu spät zu handeln.")
FRENCH = "Le ministre a déclaré que la réforme était « nécessaire » pour l'économie française, selon l'agence."
GIB = 1024**3


def loopback_only(url: str) -> bool:
    """fetch() asks this about every hop; the real CLI and API refuse private addresses, the tests
    talk to their own server on 127.0.0.1 and nothing else."""
    return urlparse(url).hostname == "127.0.0.1"


# --- empty files --------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff".encode()])
def test_empty_file_is_one_problem_not_an_empty_document(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    (problem,) = list(collect([str(path)]))
    assert isinstance(problem, Problem)
    assert problem.where == str(path) and "empty" in problem.message


# --- binary files and images given as text -----------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
# A PDF with no NUL byte in its first 8 KiB and a page of object text before its first stream: its
# control bytes are under 10% of the sample, which the old threshold took for text. The signature tells.
PDF = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"".join(b"%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n" % n
       for n in range(3, 33)) + b"1 0 obj\n<< /Length 9000 /Filter /FlateDecode >>\nstream\n"
       + bytes((i * 131 + 7) % 255 + 1 for i in range(9000)))
NOISE = bytes((i * 2654435761 >> 7) % 255 + 1 for i in range(20000))  # no signature, no NUL, 10% control bytes


@pytest.mark.parametrize(
    "data, kind",
    [(PNG, "a PNG image"), (JPEG, "a JPEG image"), (b"GIF89a\x10\x00\x10\x00", "a GIF image"), (PDF, "a PDF"),
     (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"), (b"\x1f\x8b\x08\x00", "gzip data"), (NOISE, "binary data")],
    ids=["png", "jpeg", "gif", "pdf", "zip-docx", "gzip", "noise"],
)
def test_binary_given_as_text_is_refused_naming_what_it_looks_like(tmp_path, data, kind):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        from_path(path)
    message = str(error.value)
    assert message.startswith(f"{path}: looks like binary data") and kind in message and "\n" not in message


def test_utf16_text_with_its_byte_order_mark_is_text_not_binary():
    text, flags = decode(("\ufeff" + GOOD).encode("utf-16-le"))
    assert text == GOOD and "decoded:utf-16" in flags


# --- invalid UTF-8 and mixed encodings ---------------------------------------------------------

def test_invalid_utf8_is_decoded_by_detection_and_keeps_the_original_bytes_hash():
    data = FRENCH.encode("cp1252")
    text, flags = decode(data)
    assert text == FRENCH
    assert any(flag.startswith("decoded:") and flag != "decoded:utf-8+cp1252" for flag in flags)
    assert f"original_sha256:{hashlib.sha256(data).hexdigest()}" in flags


def test_mixed_utf8_and_cp1252_decodes_both_parts():
    """UTF-8 with Windows-1252 bytes pasted in: detection over the whole gives mojibake of one part."""
    data = ("“Quoted” in UTF-8 — fine. ".encode() + "Puis il a déclaré « non ».".encode("cp1252")) * 3
    text, flags = decode(data)
    assert text == "“Quoted” in UTF-8 — fine. Puis il a déclaré « non »." * 3
    assert "decoded:utf-8+cp1252" in flags
    assert f"original_sha256:{hashlib.sha256(data).hexdigest()}" in flags


def test_legacy_cyrillic_is_not_mistaken_for_mixed_utf8():
    """cp1251 makes a valid UTF-8 pair now and then («ТАСС» does); that is not UTF-8 text."""
    original = "Президент заявил «ТАСС», что переговоры продолжатся в понедельник. " * 20
    text, flags = decode(original.encode("cp1251"))
    assert text == original and "decoded:utf-8+cp1252" not in flags


def test_clean_utf8_carries_no_hash_flag_its_document_id_is_already_the_bytes_hash():
    assert decode(GOOD.encode()) == (GOOD, [])


# --- a 50 MB text ------------------------------------------------------------------------------

def test_a_50_mib_file_is_refused_with_the_limit_named_without_reading_it(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # sparse: 50 MiB on paper, nothing written
        handle.truncate(50 * 2**20)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as error:
            from_path(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(error.value) == f"{path}: 50.0 MiB is over the 10.0 MiB limit for one document"
    assert peak < 1_000_000


class _Words(io.RawIOBase):
    """An endless stream of words, made as it is read (standard input of unknown size)."""

    def readable(self) -> bool:
        return True

    PIECE = b"word " * 13107  # 64 KiB less a byte, handed out as a pipe would

    def readinto(self, buffer) -> int:
        size = min(len(buffer), len(self.PIECE))
        buffer[:size] = self.PIECE[:size]
        return size


def test_a_stream_of_unknown_size_is_read_no_further_than_the_limit():
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="more than the 10.0 MiB limit for one document"):
            from_stream(io.BufferedReader(_Words()), name="standard input")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * MAX_DOCUMENT_BYTES  # the limit's worth, not the stream's


def test_a_50_mib_jsonl_line_is_reported_by_number_in_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": 1, "text": GOOD}) + "\n")
        handle.write('{"id": 2, "text": "' + "word " * (10 * 2**20) + '"}\n')  # 50 MiB on one line
        handle.write(json.dumps({"id": 3, "text": GOOD}) + "\n")
    tracemalloc.start()
    try:
        with path.open(encoding="utf-8") as handle:
            items = [(i.line_number if isinstance(i, JsonlProblem) else i.id) for i in read_jsonl(bounded_lines(handle))]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert items == [1, 2, 3]  # the good ones around it, and the long one by its line number
    assert peak < 6 * MAX_DOCUMENT_BYTES  # one line's worth as str (4 bytes a character at worst), not 50 MiB


def test_uploaded_bytes_over_the_limit_are_refused_before_decoding():
    with pytest.raises(InputError, match=r"^upload.txt: 11.0 MiB is over the 10.0 MiB limit"):
        from_bytes(b"a" * (11 * 2**20), name="upload.txt")


# --- HTML with scripts, iframes, entity bombs and deep nesting ---------------------------------

def test_scripts_styles_and_iframes_are_not_article_text():
    page = ("<html><head><script>var s = 'the hacker said';</script><style>p {color: red}</style></head><body>"
            "<iframe src='http://example.invalid/'>the iframe said</iframe><article><p>" + GOOD + "</p>"
            "<script>document.write('injected text said')</script><noscript>enable scripts</noscript></article></body></html>")
    document = from_html(page)
    assert GOOD in document.text
    for hidden in ("hacker", "iframe said", "injected", "color: red"):
        assert hidden not in document.text


BOMB = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + ']><html><body><article><p>' + GOOD + ' &j;</p></article></body></html>')


def test_an_entity_bomb_is_not_expanded():
    """Ten levels of ten: 10 GB if expanded. Either refused or read without expansion, fast."""
    started = time.perf_counter()
    try:
        document = from_html(BOMB)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert len(document.text) < 10_000
    assert time.perf_counter() - started < 5


def test_numeric_entities_out_of_range_do_not_break_extraction():
    page = "<html><body><article><p>" + GOOD + " &#0; &#xD800; &#99999999; &#x1F600;</p></article></body></html>"
    assert GOOD in from_html(page).text


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
def test_ten_thousand_deep_nesting_is_a_clear_message_not_a_recursion_error(closed):
    page = "<html><body>" + "<div><span>" * 10_000 + f"<p>{GOOD}</p>" + ("</span></div>" * 10_000 if closed else "")
    started = time.perf_counter()
    try:
        document = from_html(page, url="https://example.org/deep")
    except InputError as error:
        assert str(error).startswith("https://example.org/deep: ") and "\n" not in str(error)
    else:
        assert GOOD in document.text
    assert time.perf_counter() - started < 10


# --- a feed that is not a feed, and a URL that misbehaves ---------------------------------------

CHUNK = b"x" * 65536


class Misbehaving(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a body over its limit, as it should

    def _send(self, status: int, body: bytes = b"", kind: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - the http.server API
        base = f"http://127.0.0.1:{self.server.server_port}"
        try:
            if self.path == "/good":
                self._send(200, GOOD.encode())
            elif self.path == "/forever":  # every answer a redirect to a new address, never a page
                step = int(self.headers.get("X-Step", "0"))
                self._send(302, Location=f"{base}/forever?{time.monotonic_ns()}{step}")
            elif self.path.startswith("/forever?"):
                self._send(302, Location=f"{base}/forever?{time.monotonic_ns()}")
            elif self.path == "/error":
                self._send(500, b"Internal Server Error")
            elif self.path == "/silent":  # accepts, then says nothing
                time.sleep(3)
                self._send(200, GOOD.encode())
            elif self.path == "/trickle":  # a byte at a time, each in time, the whole never
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for _ in range(60):
                    self.wfile.write(b"1\r\nx\r\n")
                    self.wfile.flush()
                    time.sleep(0.1)
                self.wfile.write(b"0\r\n\r\n")
            elif self.path == "/gigabyte-declared":  # says 1 GB up front, sends it lazily
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(GIB))
                self.end_headers()
                for _ in range(GIB // len(CHUNK)):
                    self.wfile.write(CHUNK)
            elif self.path == "/gigabyte-chunked":  # 1 GB with no length: only counting stops it
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for _ in range(GIB // len(CHUNK)):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
                self.wfile.write(b"0\r\n\r\n")
            elif self.path == "/notafeed":
                self._send(200, b"<html><body><p>Just a page, not a feed.</p></body></html>", "application/rss+xml")
            elif self.path == "/feed":
                items = "".join(
                    f"<item><title>{title}</title><link>{base}{path}</link><description>{text}</description></item>"
                    for title, path, text in [("good", "/good", ""), ("broken link", "/error", "&lt;p&gt;&lt;/p&gt;")])
                self._send(200, f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode(),
                           "application/rss+xml")
            else:
                self._send(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a body over its limit, as it should


@pytest.fixture(scope="module")
def server():
    with loopback_server(Misbehaving) as url:
        yield url


def test_a_good_page_comes_through_the_loopback_allow_hook(server):
    assert fetch(f"{server}/good", allow=loopback_only).decode() == GOOD


@pytest.mark.parametrize(
    "path, kwargs, message",
    [
        ("/silent", {"timeout": 0.5}, "no answer within 0.5 s"),
        ("/trickle", {"timeout": 1, "deadline": 1.0}, "body not complete within 1 s"),
        ("/forever", {}, "more than 5 redirects"),
        ("/error", {}, "HTTP 500"),
        ("/gigabyte-declared", {}, "1,073,741,824 bytes is over the limit of 10,485,760"),
        ("/gigabyte-chunked", {}, "body over the limit of 10,485,760 bytes"),
    ],
    ids=["times-out", "trickles", "redirects-forever", "500", "1gb-declared", "1gb-chunked"],
)
def test_a_misbehaving_url_is_one_line_naming_it(server, path, kwargs, message):
    started = time.perf_counter()
    with pytest.raises(InputError) as error:
        fetch(server + path, allow=loopback_only, **kwargs)
    assert str(error.value) == f"{server}{path}: {message}"
    assert time.perf_counter() - started < 10


def test_a_feed_that_is_not_a_feed_is_one_problem(server):
    (problem,) = list(feed_documents(f"{server}/notafeed"))
    assert isinstance(problem, Problem) and problem.where == f"{server}/notafeed"
    assert problem.message.startswith("not an RSS or Atom feed")


def test_a_feed_entry_whose_page_fails_and_whose_own_text_is_empty_markup_is_a_problem(server):
    """Its summary is '<p></p>': HTML with no article in it, which once escaped as an exception."""
    good, broken = list(feed_documents(f"{server}/feed"))
    assert isinstance(good, Document) and good.text == GOOD
    assert isinstance(broken, Problem) and broken.where == f"{server}/error"


# --- JSONL with broken lines among good ones ----------------------------------------------------

def test_jsonl_broken_lines_are_reported_by_number_and_the_good_ones_kept():
    lines = [
        json.dumps({"id": "a", "text": GOOD}),
        "{broken",
        "[" * 100_000,  # deeper than the JSON decoder's stack
        '{"id": ' + "9" * 5000 + ', "text": "x"}',  # an integer past Python's 4,300-digit limit
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"id": "c", "text": 'half a pair \ud800 here', "title": "\udfff"}),
        json.dumps({"id": "d", "text": GOOD}),
    ]
    items = list(read_jsonl(iter(lines), skip_empty=True))
    kept = {i.id: i for i in items if isinstance(i, Document)}
    problems = {p.line_number: p.message for p in items if isinstance(p, JsonlProblem)}
    assert list(kept) == ["a", "c", "d"]
    assert sorted(problems) == [2, 3, 4, 5]
    assert all(message.startswith(f"line {n}: ") for n, message in problems.items())
    assert "RecursionError" in problems[3] and "empty" in problems[5]
    # a lone surrogate cannot be encoded or stored: replaced and flagged, the rest of the text kept
    assert kept["c"].text == "half a pair \ufffd here" and kept["c"].title == "\ufffd"
    assert "replaced_lone_surrogates" in kept["c"].flags
    kept["c"].text.encode("utf-8")


# --- the real command, end to end --------------------------------------------------------------

def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimledger.cli", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300)


def stored(db: Path) -> dict[str, tuple[str, int, list[str]]]:
    """First 30 characters of each stored text: (language, claims, analysis flags)."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT text, language, claim_count, analysis FROM documents").fetchall()
    return {text[:30]: (language, claims, json.loads(analysis).get("flags", [])) for text, language, claims, analysis in rows}


def skipped_lines(stderr: str) -> dict[str, str]:
    """'skipped: WHERE: why' lines by WHERE; every other line must be the closing summary."""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr
    found, rest = {}, []
    for line in lines:
        if line.startswith("skipped: "):
            where, _, why = line[len("skipped: "):].partition(": ")
            found[where] = why
        else:
            rest.append(line)
    # no stray log lines from the libraries; the summary itself may wrap at the console's width
    assert " ".join(rest).startswith("ingested "), rest
    return found


@pytest.fixture(scope="module")
def bad_directory(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    (folder / "scan.html").write_bytes(PDF)
    (folder / "cp1252.txt").write_bytes(("“The bridge will reopen in May,” the engineer said, “and not before.” " * 2).encode("cp1252"))
    (folder / "mixed.txt").write_bytes("“We will rebuild,” the minister said. ".encode() + "Le maire a dit « non » à Genève.".encode("cp1252"))
    (folder / "german.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "[").mkdir()  # with the file below, a path holding "[/b]": a closing tag to rich's markup
    (folder / "[" / "b] empty.txt").write_bytes(b"\n")
    with (folder / "big.txt").open("wb") as handle:
        handle.truncate(50 * 2**20)
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 10_000 + GOOD, encoding="utf-8")
    (folder / "lines.jsonl").write_text(
        json.dumps({"id": 1, "text": "The union said 60 ships were waiting outside the port."}) + "\n"
        "{not json\n" + json.dumps({"id": 3, "text": "Police said two people were arrested after the protest."}) + "\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ingested(bad_directory, server, tmp_path_factory):
    db = tmp_path_factory.mktemp("ledger") / "ledger.db"
    result = run("ingest", str(bad_directory), f"{server}/good", f"{server}/error", f"{server}/forever",
                 f"{server}/gigabyte-chunked", "--feed", f"{server}/notafeed", "--db", str(db), "--workers", "1")
    return result, db


def test_ingest_run_with_every_bad_input_exits_cleanly_and_names_each(ingested, bad_directory, server):
    result, _ = ingested
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    skipped = skipped_lines(stderr)
    expected = {
        "empty.txt": "empty: no text to ingest",
        "photo.txt": "looks like binary data (a PNG image), not text",
        "scan.html": "looks like binary data (a PDF), not text",
        "big.txt": "50.0 MiB is over the 10.0 MiB limit for one document",
        "[/b] empty.txt": "empty: no text to ingest",  # printed as written, not read as markup
    }
    for name, why in expected.items():
        assert skipped[str(bad_directory / name)] == why
    assert skipped[str(bad_directory / "lines.jsonl")].startswith("line 2: not JSON")
    assert skipped[f"{server}/error"] == "HTTP 500"
    assert skipped[f"{server}/forever"] == "more than 5 redirects"
    assert skipped[f"{server}/gigabyte-chunked"] == "body over the limit of 10,485,760 bytes"
    assert skipped[f"{server}/notafeed"].startswith("not an RSS or Atom feed")
    assert skipped[str(bad_directory / "deep.html")].startswith("no article text found")
    assert len(skipped) == 11


def test_ingest_run_keeps_every_good_document(ingested):
    """Nothing lost: the good ones in the same run land in the ledger, flagged where they need it."""
    _, db = ingested
    documents = stored(db)
    by_start = {start[:12]: value for start, value in documents.items()}
    assert len(documents) == 6
    assert by_start["The mayor sa"][0] == "en"  # good.txt, and the same text from /good is known, not doubled
    assert by_start["The union sa"][1] >= 1 and by_start["Police said "][1] >= 1  # JSONL lines 1 and 3
    cp1252 = by_start["“The bridge "]
    assert cp1252[1] >= 1 and any(f.startswith("decoded:") for f in cp1252[2])
    assert any(f.startswith("original_sha256:") for f in cp1252[2])
    mixed = by_start["“We will reb"]
    assert "decoded:utf-8+cp1252" in mixed[2] and mixed[1] >= 1
    german = by_start["Der Bundeska"]
    assert german == ("de", 0, ["not_english", "skipped"])  # detected and flagged, not analysed as English


def test_analyze_a_50_mib_file_or_stream_is_a_one_line_error_naming_the_limit(bad_directory):
    for result, name in [(run("analyze", str(bad_directory / "big.txt")), str(bad_directory / "big.txt")),
                         (run("analyze", "-", stdin=b"word " * (11 * 2**20 // 5)), "standard input")]:
        stderr = result.stderr.decode()
        assert result.returncode == 2 and "Traceback" not in stderr
        assert stderr.strip().count("\n") == 0, stderr
        assert name in stderr and "10.0 MiB limit for one document" in stderr


def test_analyze_jsonl_with_broken_lines_writes_the_good_ones(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"id": "one", "text": GOOD}) + "\n" + "[" * 100_000 + "\n"
        + '{"id": "two", "text": "half \\ud800 pair, the official said."}\n', encoding="utf-8")
    result = run("analyze", "--jsonl", str(path))
    stderr = result.stderr.decode()
    assert result.returncode == 0 and "Traceback" not in stderr
    assert [json.loads(line)["id"] for line in result.stdout.decode().splitlines()] == ["one", "two"]
    assert f"skipped: {path}: line 2: not usable JSON (RecursionError)" in stderr
