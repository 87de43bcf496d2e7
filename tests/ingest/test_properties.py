"""Property-based tests (hypothesis) of ingestion: any bytes, any markup, any JSONL line become a
Document or a one-line InputError/problem naming the input, never another exception; text that
was decoded losslessly round-trips; and no Document carries a string that cannot be stored.

Owns the byte, markup and JSONL strategies. Every test here runs in well under a few seconds.
"""

from __future__ import annotations

import codecs
import hashlib
import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimledger.analysis.schema import Document
from claimledger.ingest.documents import InputError, JsonlProblem, decode, from_bytes, from_html, read_jsonl

QUICK = settings(max_examples=300, deadline=None)

# Bytes that look like text in some encoding more often than uniformly random bytes do.
TEXTISH_BYTES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=200).map(lambda t: t.encode("latin-1")),
    st.lists(st.one_of(st.text(max_size=20).map(str.encode), st.binary(max_size=3)), max_size=20).map(b"".join),
)

TAGS = ["<html>", "<body>", "<article>", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<iframe>",
        "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;", "&lol;", "<!DOCTYPE html>", "<?xml?>",
        "<title>", "</title>", "<meta name='author' content='A'>", "<", ">", "\"", "'", "=", "/"]
MARKUP = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=30)), max_size=60).map("".join)


def assert_one_line(error: InputError, name: str) -> None:
    message = str(error)
    assert message.startswith(f"{name}: ") and "\n" not in message and "\r" not in message


def assert_storable(document: Document) -> None:
    """What the ledger stores must encode as UTF-8 (SQLite and PostgreSQL both need it)."""
    for value in (document.text, document.title, document.author, document.publisher, document.url):
        if value is not None:
            value.encode("utf-8")


@QUICK
@given(data=TEXTISH_BYTES)
@example(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark and nothing else
@example(codecs.BOM_UTF16_LE + b"\x00\xd8")  # UTF-16 with a lone surrogate in it
@example(codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff")  # not a code point
def test_decode_any_bytes_is_text_or_a_one_line_refusal(data):
    try:
        text, flags = decode(data, name="in.txt")
    except InputError as error:
        assert_one_line(error, "in.txt")
        return
    text.encode("utf-8")  # no lone surrogates survive decoding
    hashes = [f for f in flags if f.startswith("original_sha256:")]
    if hashes:
        assert hashes == [f"original_sha256:{hashlib.sha256(data).hexdigest()}"]
    else:
        assert text.encode("utf-8") == data  # unflagged means byte for byte what came in


@QUICK
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=300))
def test_utf8_and_utf16_text_round_trips(text):
    assert decode(text.encode("utf-8")) == (text.removeprefix("\ufeff"), []) or text.startswith("\ufeff")
    decoded, flags = decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert decoded == text and "decoded:utf-16" in flags


@QUICK
@given(data=TEXTISH_BYTES, html=MARKUP)
def test_from_bytes_gives_a_storable_document_or_a_one_line_refusal(data, html):
    for payload, name in ((data, "in.txt"), (html.encode("utf-8", errors="replace"), "page.html")):
        try:
            document = from_bytes(payload, name=name)
        except InputError as error:
            assert_one_line(error, name)
        else:
            assert_storable(document)


@settings(max_examples=300, deadline=None)
@given(html=MARKUP)
@example("<html><body>" + "<div>" * 5000 + "<p>" + "word " * 50)
def test_html_extraction_of_any_markup_is_a_document_or_a_one_line_refusal(html):
    try:
        document = from_html(html, url="https://example.org/page")
    except InputError as error:
        assert_one_line(error, "https://example.org/page")
    else:
        assert document.text.strip()
        assert_storable(document)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
RECORDS = st.fixed_dictionaries(
    {}, optional={"id": JSON_VALUES, "text": JSON_VALUES | st.text(max_size=80), "published": JSON_VALUES,
                  "title": JSON_VALUES, "author": JSON_VALUES, "url": JSON_VALUES}
).map(json.dumps)
LINES = st.lists(st.one_of(RECORDS, st.text(max_size=40)), max_size=12)


@QUICK
@given(lines=LINES)
@example(['{"text": "a\\ud800b", "id": "\\udfff"}'])
@example(["[" * 50_000, '{"id": ' + "1" * 4400 + ', "text": "x"}'])
def test_jsonl_gives_one_item_per_non_blank_line_and_never_raises(lines):
    lines = [line.replace("\n", " ") for line in lines]  # one record per line, as a file gives them
    items = list(read_jsonl(iter(lines), skip_empty=True))
    assert len(items) == sum(1 for line in lines if line.strip())
    numbers = [n for n, line in enumerate(lines, start=1) if line.strip()]
    for number, item in zip(numbers, items):
        if isinstance(item, JsonlProblem):
            assert item.line_number == number and item.message.startswith(f"line {number}: ")
        else:
            assert item.text.strip()
            assert_storable(item)
            json.dumps(item.id, ensure_ascii=False).encode("utf-8")
