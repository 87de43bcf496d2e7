"""Turning files, URLs, standard input and JSONL lines into Documents.

Owns decoding (UTF-8, UTF-16/32 by their byte-order mark, mostly-UTF-8 text with stray legacy
bytes, else charset detection; every decoding that changed the bytes is flagged with the original
bytes' sha256), refusing binary input and documents over the size limit with a one-line reason,
main-text extraction from HTML with trafilatura, and fetching URLs with a timeout, an overall
deadline, a size limit and a bounded number of redirects.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

import charset_normalizer
import httpx
import trafilatura

from claimledger.analysis.schema import Document

FETCH_TIMEOUT_S = 20.0
FETCH_MAX_BYTES = 10 * 1024 * 1024
FETCH_MAX_REDIRECTS = 5
FETCH_DEADLINE_S = 60.0  # the whole fetch; `timeout` alone is per read, which a trickling server never trips
# One document, however it arrives (file, standard input, upload, JSONL line): bigger inputs are
# refused before they are read whole, so memory stays bounded. The analyzer's own MAX_CHARS (2 M
# characters) flags and skips texts that pass this but are still too long to parse.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
USER_AGENT = "claimledger/0.1 (+news attribution analysis)"


class InputError(ValueError):
    """Input that cannot become a Document; the message names what is wrong in one line."""


# Signatures of the binary files most often handed over by mistake; named in the refusal.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"RIFF", "a RIFF file (WebP, WAV or AVI)"), (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive or Office document"), (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x1f\x8b", "gzip data"), (b"\xfd7zXZ\x00", "xz data"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "a program"), (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"OggS", "Ogg media"),
)
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def binary_kind(data: bytes) -> str | None:
    """What binary data this looks like ("a PNG image", "binary data"), or None for text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text is full of NUL bytes
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary data"
    # Random bytes are about 10.5% control characters; text in any 8-bit encoding has almost none.
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return "binary data" if sample and control / len(sample) > 0.05 else None


def looks_binary(data: bytes) -> bool:
    return binary_kind(data) is not None


def size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def check_size(size: int, name: str, limit: int = MAX_DOCUMENT_BYTES) -> None:
    if size > limit:
        raise InputError(f"{name}: {size_text(size)} is over the {size_text(limit)} limit for one document")


_STRAY = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, as surrogateescape keeps them
_GENUINE = re.compile("[^\x00-\x7f\udc80-\udcff]")  # characters that were real multi-byte UTF-8


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with stray bytes from a legacy encoding (Windows quotes pasted into UTF-8, the
    commonest mixed encoding), the stray bytes read as cp1252; None when the UTF-8 in it is only
    accidental. A legacy-encoded text makes a valid UTF-8 sequence now and then (Cyrillic cp1251
    about one in forty of its non-ASCII bytes), so at least one in five must be genuine."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = sum(len(run) for run in _STRAY.findall(text))
    genuine = len(_GENUINE.findall(text))
    if not genuine or genuine * 4 < stray:
        return None
    return _STRAY.sub(lambda run: bytes(ord(c) - 0xDC00 for c in run.group()).decode("cp1252", errors="replace"), text)


def decode(data: bytes, name: str = "input") -> tuple[str, list[str]]:
    """Text and flags: UTF-8 when it decodes, else the encoding charset_normalizer detects. When the
    text is not the original bytes, the flags say how it was decoded and keep the bytes' sha256."""
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"{name}: looks like {kind if kind == 'binary data' else f'binary data ({kind})'}, not text")
    text, flags = _decode_text(data)
    if text.encode("utf-8", errors="surrogatepass") != data:
        flags.append(f"original_sha256:{hashlib.sha256(data).hexdigest()}")
    return text, flags


def _decode_text(data: bytes) -> tuple[str, list[str]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), [f"decoded:{encoding}"]
            except UnicodeDecodeError:
                return data.decode(encoding, errors="replace"), [f"decoded:{encoding}-with-replacements"]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed, ["decoded:utf-8+cp1252"]
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), ["decoded:utf-8-with-replacements"]
    return str(best), [f"decoded:{best.encoding}"]


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:5000])


def from_html(html: str, url: str | None = None, name: str | None = None) -> Document:
    """Main text and metadata of an HTML page, by trafilatura. Scripts, styles and iframes are not
    text; lxml caps nesting depth and does not expand entity declarations, so bombs stay small."""
    name = name or url or "HTML input"
    try:
        extracted = trafilatura.extract(html, url=url, output_format="json", with_metadata=True, include_comments=False)
        data = json.loads(extracted) if extracted else {}
    except Exception as error:  # noqa: BLE001 - any failure of the extractor on hostile markup is this page's problem, not the run's
        raise InputError(f"{name}: the page could not be read as HTML ({type(error).__name__})") from error
    if not (data.get("text") or "").strip():
        raise InputError(f"{name}: no article text found in the page")
    return Document(
        text=data.get("text") or "",
        title=data.get("title"),
        url=data.get("url") or url,
        publisher=data.get("sitename") or data.get("hostname"),
        author=data.get("author"),
        published=(data.get("date") or None),
    )


def from_bytes(data: bytes, name: str = "input", url: str | None = None) -> Document:
    check_size(len(data), name)
    text, flags = decode(data, name)
    if looks_like_html(text, name):
        document = from_html(text, url=url, name=name)
    else:
        document = Document(text=text, url=url)
    document.flags.extend(flags)
    document.text = _without_nul(document.text, document.flags)
    return document


def read_limited(stream: BinaryIO, name: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """At most `limit` bytes of a stream; more is refused without reading it (a pipe or /dev/zero
    says nothing of its size, so the read itself is what is bounded)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: more than the {size_text(limit)} limit for one document")
    return data


def from_stream(stream: BinaryIO, name: str = "standard input") -> Document:
    return from_bytes(read_limited(stream, name), name=name)


def from_path(path: Path) -> Document:
    try:
        check_size(path.stat().st_size, str(path))  # a regular file says its size: refuse before reading
        with path.open("rb") as stream:
            data = read_limited(stream, str(path))
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    return from_bytes(data, name=str(path))


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def fetch(url: str, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = FETCH_MAX_BYTES,
          allow: Callable[[str], bool] | None = None, deadline: float = FETCH_DEADLINE_S,
          transport: httpx.BaseTransport | None = None) -> bytes:
    """The body of a URL, refused when it is too large, too slow or an HTTP error. `timeout` bounds
    each connect and read, `deadline` the whole body. `allow` is asked about every address
    requested, redirects included, so a server can refuse private ones; `transport`, when given,
    makes the connections (the web server's checks each address it connects to)."""

    def check(request: httpx.Request) -> None:
        if allow is not None and not allow(str(request.url)):
            raise InputError(f"{url}: refused to fetch {request.url} (not a public address)")

    try:
        with httpx.Client(
            follow_redirects=True, max_redirects=FETCH_MAX_REDIRECTS, timeout=timeout,
            headers={"User-Agent": USER_AGENT}, event_hooks={"request": [check]}, transport=transport,
        ) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise InputError(f"{url}: HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(f"{url}: {int(declared):,} bytes is over the limit of {max_bytes:,}")
            body = bytearray()
            started = time.monotonic()
            for piece in response.iter_bytes():
                body.extend(piece)
                if len(body) > max_bytes:
                    raise InputError(f"{url}: body over the limit of {max_bytes:,} bytes")
                if time.monotonic() - started > deadline:
                    raise InputError(f"{url}: body not complete within {deadline:g} s")
            return bytes(body)
    except httpx.TooManyRedirects as error:
        raise InputError(f"{url}: more than {FETCH_MAX_REDIRECTS} redirects") from error
    except httpx.TimeoutException as error:
        raise InputError(f"{url}: no answer within {timeout:g} s") from error
    except httpx.HTTPError as error:
        raise InputError(f"{url}: {type(error).__name__}: {error}") from error


def from_url(url: str, allow: Callable[[str], bool] | None = None, transport: httpx.BaseTransport | None = None) -> Document:
    document = from_bytes(fetch(url, allow=allow, transport=transport), name=url, url=url)
    document.url = document.url or url
    return document


@dataclass
class JsonlProblem:
    line_number: int
    message: str


def bounded_lines(handle: Iterable[str] | TextIO, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[str]:
    """The lines of a text file, none read longer than `limit` + 1 characters: the rest of a longer
    line is read in pieces and dropped, so memory stays bounded and read_jsonl reports the line."""
    if not hasattr(handle, "readline"):
        yield from handle
        return
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while (rest := handle.readline(limit)) and not rest.endswith("\n"):
                pass
        yield line


def read_jsonl(lines: Iterable[str], skip_empty: bool = False,
               max_chars: int = MAX_DOCUMENT_BYTES) -> Iterator[Document | JsonlProblem]:
    """One Document per good line ({"id", "text", "published"?, ...}); a problem for each bad one.
    With `skip_empty`, a line whose text is blank is a problem too (the ledger has no use for it)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > max_chars:
            yield JsonlProblem(number, f"line {number}: longer than the limit of {max_chars:,} characters for one document")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield JsonlProblem(number, f"line {number}: not JSON ({error.msg})")
            continue
        except (ValueError, RecursionError) as error:  # integers over 4,300 digits; nesting deeper than the stack
            yield JsonlProblem(number, f"line {number}: not usable JSON ({type(error).__name__})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield JsonlProblem(number, f"line {number}: needs an object with a string \"text\"")
            continue
        if skip_empty and not record["text"].strip():
            yield JsonlProblem(number, f"line {number}: \"text\" is empty")
            continue
        identifier = record.get("id")
        published, flags = _published_date(record.get("published"))
        text = _whole_characters(record["text"])
        if text != record["text"]:
            flags.append("replaced_lone_surrogates")
        text = _without_nul(text, flags)
        yield Document(
            text=text,
            id=_identifier(identifier),
            title=_optional_text(record.get("title")),
            url=_optional_text(record.get("url")),
            publisher=_optional_text(record.get("publisher")),
            author=_optional_text(record.get("author")),
            published=published,
            flags=flags,
        )


def _identifier(value: object) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    return _without_nul(_whole_characters(value if isinstance(value, str) else str(value)), [])


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(text: str) -> str:
    """JSON may escape half a UTF-16 pair ("\\ud800"); such a string cannot be encoded, hashed or
    stored, so the half becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _optional_text(value: object) -> str | None:
    return _without_nul(_whole_characters(value), []) if isinstance(value, str) and value.strip() else None


def _without_nul(text: str, flags: list[str]) -> str:
    """PostgreSQL stores no NUL in text, and one in an article is debris of its conversion: each
    becomes U+FFFD, one character for one (offsets hold), and the document says so."""
    if "\x00" not in text:
        return text
    flags.append("replaced_nul")
    return text.replace("\x00", "\ufffd")


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
