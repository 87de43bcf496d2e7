#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of ingestion's byte and HTML handling: from_bytes on any bytes
taken as an .html file (binary sniffing, decoding by detection, trafilatura extraction) and
from_html on the same bytes as text. The only allowed failure is an InputError of one line naming
the input; a Document's strings must be storable (encodable as UTF-8). Anything else is a crash.
See scripts/fuzz_common.py for the budget and files."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import atheris  # noqa: E402

from scripts.fuzz_common import fuzz  # noqa: E402

with atheris.instrument_imports(include=["claimledger", "trafilatura", "charset_normalizer", "htmldate", "courlan"]):
    from claimledger.ingest.documents import InputError, from_bytes, from_html

ARTICLE = """<!DOCTYPE html><html><head><title>Port strike goes on</title>
<meta name="author" content="Ana Berg"><meta property="article:published_time" content="2025-10-09">
</head><body><nav>Home | World</nav><article><h1>Port strike goes on</h1>
<p>Dockworkers will stay off the job until Monday, the union announced on Thursday.</p>
<p>"Nobody wants to be out here in the rain," said union leader Anna Berg.</p></article></body></html>"""
SEEDS = [
    ARTICLE.encode(),
    ARTICLE.encode("cp1252", errors="replace"),
    ARTICLE.encode("utf-16"),
    b"<html><body>" + b"<div>" * 300 + b"<p>" + b"The mayor said the bridge would reopen. " * 5,
    b"<html><head><script>var a = '<p>said</p>';</script></head><body><iframe src=x>said</iframe>"
    b"<article><p>Officials said 3 roads were closed &amp; &#0; &#xD800; &#99999999;.</p></article></body></html>",
    b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><html><body><p>&b;</p></body></html>',
    b"<rss><channel><item><title>x</title></item></channel></rss>",
]


def check(call, name: str) -> None:
    try:
        document = call()
    except InputError as error:
        message = str(error)
        assert message.startswith(f"{name}: ") and "\n" not in message, message
        return
    for value in (document.text, document.title, document.author, document.publisher, document.url):
        if value is not None:
            value.encode("utf-8")


def test_one_input(data: bytes) -> None:
    check(lambda: from_bytes(data, name="page.html"), "page.html")
    check(lambda: from_html(data.decode("utf-8", errors="replace"), url="https://example.org/a"), "https://example.org/a")


if __name__ == "__main__":
    fuzz("html", SEEDS, test_one_input, max_len=65536)
