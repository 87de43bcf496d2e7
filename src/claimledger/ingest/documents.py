"""Turning files, URLs, standard input and JSONL lines into Documents.

Owns decoding (UTF-8, else charset detection, flagged), refusing binary input with a one-line
reason, main-text extraction from HTML with trafilatura, and fetching URLs with a timeout, a size
limit and a bounded number of redirects.
"""

from __future__ import annotations

import datetime as dt

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import httpx
import trafilatura

from claimledger.analysis.schema import Document

FETCH_TIMEOUT_S = 20.0
FETCH_MAX_BYTES = 10 * 1024 * 1024
FETCH_MAX_REDIRECTS = 5
USER_AGENT = "claimledger/0.1 (+news attribution analysis)"


class InputError(ValueError):
    """Input that cannot become a Document; the message names what is wrong in one line."""


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(sample) and control / len(sample) > 0.1


def decode(data: bytes, name: str = "input") -> tuple[str, list[str]]:
    """Text and flags: UTF-8 when it decodes, else the encoding charset_normalizer detects."""
    if looks_binary(data):
        raise InputError(f"{name}: looks like binary data, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), ["decoded:utf-8-with-replacements"]
    return str(best), [f"decoded:{best.encoding}"]


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:5000])


def from_html(html: str, url: str | None = None) -> Document:
    """Main text and metadata of an HTML page, by trafilatura."""
    extracted = trafilatura.extract(html, url=url, output_format="json", with_metadata=True, include_comments=False)
    if not extracted:
        raise InputError(f"{url or 'HTML input'}: no article text found in the page")
    data = json.loads(extracted)
    return Document(
        text=data.get("text") or "",
        title=data.get("title"),
        url=data.get("url") or url,
        publisher=data.get("sitename") or data.get("hostname"),
        author=data.get("author"),
        published=(data.get("date") or None),
    )


def from_bytes(data: bytes, name: str = "input", url: str | None = None) -> Document:
    text, flags = decode(data, name)
    if looks_like_html(text, name):
        document = from_html(text, url=url)
    else:
        document = Document(text=text, url=url)
    document.flags.extend(flags)
    return document


def from_path(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    return from_bytes(data, name=str(path))


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def fetch(url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = FETCH_MAX_BYTES,
          allow: Callable[[str], bool] | None = None) -> bytes:
    """The body of a URL, refused when it is too large, too slow or an HTTP error. `allow` is asked
    about every address requested, redirects included, so a server can refuse private ones."""

    def check(request: httpx.Request) -> None:
        if allow is not None and not allow(str(request.url)):
            raise InputError(f"{url}: refused to fetch {request.url} (not a public address)")

    try:
        with httpx.Client(
            follow_redirects=True, max_redirects=FETCH_MAX_REDIRECTS, timeout=timeout,
            headers={"User-Agent": USER_AGENT}, event_hooks={"request": [check]},
        ) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise InputError(f"{url}: HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(f"{url}: {int(declared):,} bytes is over the limit of {max_bytes:,}")
            body = bytearray()
            for piece in response.iter_bytes():
                body.extend(piece)
                if len(body) > max_bytes:
                    raise InputError(f"{url}: body over the limit of {max_bytes:,} bytes")
            return bytes(body)
    except httpx.TooManyRedirects as error:
        raise InputError(f"{url}: more than {FETCH_MAX_REDIRECTS} redirects") from error
    except httpx.TimeoutException as error:
        raise InputError(f"{url}: no answer within {timeout:g} s") from error
    except httpx.HTTPError as error:
        raise InputError(f"{url}: {type(error).__name__}: {error}") from error


def from_url(url: str, allow: Callable[[str], bool] | None = None) -> Document:
    document = from_bytes(fetch(url, allow=allow), name=url, url=url)
    document.url = document.url or url
    return document


@dataclass
class JsonlProblem:
    line_number: int
    message: str


def read_jsonl(lines: Iterator[str]) -> Iterator[Document | JsonlProblem]:
    """One Document per good line ({"id", "text", "published"?, ...}); a problem for each bad one."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield JsonlProblem(number, f"line {number}: not JSON ({error.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield JsonlProblem(number, f"line {number}: needs an object with a string \"text\"")
            continue
        identifier = record.get("id")
        published, flags = _published_date(record.get("published"))
        yield Document(
            text=record["text"],
            id=None if identifier is None else str(identifier) if not isinstance(identifier, (int, str)) else identifier,
            title=_optional_text(record.get("title")),
            url=_optional_text(record.get("url")),
            publisher=_optional_text(record.get("publisher")),
            author=_optional_text(record.get("author")),
            published=published,
            flags=flags,
        )


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _published_date(value: object) -> tuple[str | None, list[str]]:
    """A YYYY-MM-DD date (a longer ISO timestamp is cut to its date); anything else is dropped and flagged."""
    if value is None or value == "":
        return None, []
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat(), []
        except ValueError:
            pass
    return None, [f"bad_published:{str(value)[:40]}"]
