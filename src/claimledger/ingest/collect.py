"""Turn what a user names on the command line into a stream of Documents.

Owns expanding targets: files (text or HTML), directories (recursively: .txt, .html, .htm,
.jsonl), JSONL files, URLs, standard input, and RSS/Atom feeds (the feed's bytes fetched with the
same limits as any URL, parsed by feedparser, each entry's page fetched; an entry whose page
cannot be fetched falls back to the text the feed itself carries). Problems come back in the
stream as `Problem` records so that one bad input never stops the rest; an input with no text at
all is such a problem, since the ledger has nothing to keep of it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from pathlib import Path

from claimledger.analysis.schema import Document
from claimledger.ingest.documents import (
    InputError,
    JsonlProblem,
    bounded_lines,
    fetch,
    from_html,
    from_path,
    from_stream,
    from_url,
    is_url,
    read_jsonl,
)

DIRECTORY_SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __post_init__(self) -> None:
        # fetch and read errors already name what failed: say it once
        prefix = f"{self.where}: "
        if self.message.startswith(prefix):
            object.__setattr__(self, "message", self.message[len(prefix):])


DATE_ORDER_WINDOW = 1000  # documents held at once to be put in date order
T = TypeVar("T")


def in_date_order(documents: Iterable[T], key: Callable[[T], Any], window: int = DATE_ORDER_WINDOW) -> Iterator[T]:
    """The documents (or analysed pairs) sorted by `key` within each run of `window` of them. A
    feed lists its newest article first and a directory sorts by name; what the ledger makes of a
    document can depend on the ones before it, so they go in in date order where they can, and
    memory stays bounded."""
    batch: list[T] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= window:
            yield from sorted(batch, key=key)
            batch = []
    yield from sorted(batch, key=key)


def collect(targets: Iterable[str], feeds: Iterable[str] = ()) -> Iterator[Document | Problem]:
    for target in targets:
        yield from _target(target)
    for feed in feeds:
        yield from feed_documents(feed)


def _with_text(document: Document, where: str) -> Document | Problem:
    return document if document.text.strip() else Problem(where, "empty: no text to ingest")


def _target(target: str) -> Iterator[Document | Problem]:
    if target == "-":
        try:
            yield _with_text(from_stream(sys.stdin.buffer, name="standard input"), "standard input")
        except InputError as error:
            yield Problem("standard input", str(error))
        return
    if is_url(target):
        try:
            yield _with_text(from_url(target), target)
        except InputError as error:
            yield Problem(target, str(error))
        return
    path = Path(target)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DIRECTORY_SUFFIXES)
        if not files:
            yield Problem(target, "no .txt, .html or .jsonl files in this directory")
        for file in files:
            yield from _file(file)
        return
    if not path.exists():
        yield Problem(target, "no such file, directory or URL")
        return
    yield from _file(path)


def _file(path: Path) -> Iterator[Document | Problem]:
    if path.suffix.lower() == ".jsonl":
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                for item in read_jsonl(bounded_lines(handle), skip_empty=True):
                    if isinstance(item, JsonlProblem):
                        yield Problem(str(path), item.message)
                    else:
                        yield item
        except OSError as error:
            yield Problem(str(path), f"cannot read: {error.strerror}")
        return
    try:
        yield _with_text(from_path(path), str(path))
    except InputError as error:
        yield Problem(str(path), str(error))


def feed_documents(url: str) -> Iterator[Document | Problem]:
    """Every entry of an RSS or Atom feed as a Document: its page where it can be fetched, else its own text."""
    import feedparser

    try:
        data = fetch(url)
    except InputError as error:
        yield Problem(url, str(error))
        return
    try:
        parsed = feedparser.parse(data)
    except Exception as error:  # noqa: BLE001 - feedparser on hostile bytes; one feed's failure is one problem
        yield Problem(url, f"not an RSS or Atom feed ({type(error).__name__})")
        return
    if not parsed.entries:
        # an HTML page parses without complaint and without entries: said, not silently nothing
        if parsed.get("bozo"):
            yield Problem(url, f"not an RSS or Atom feed ({type(parsed.bozo_exception).__name__})")
        elif not parsed.get("version"):
            yield Problem(url, "not an RSS or Atom feed (no feed element)")
        else:
            yield Problem(url, "the feed has no entries")
        return
    for entry in parsed.entries:
        item = _entry(entry, url)
        yield _with_text(item, item.url or url) if isinstance(item, Document) else item


def _entry(entry, feed_url: str) -> Document | Problem:
    link = entry.get("link")
    published = _entry_date(entry)
    document: Document | None = None
    if link and is_url(link):
        try:
            document = from_url(link)
        except InputError:
            document = None
    if document is None:
        body = _entry_text(entry)
        if not body:
            return Problem(link or feed_url, "feed entry has no fetchable page and no text of its own")
        try:
            document = from_html(body, url=link) if "<" in body else Document(text=body, url=link)
        except InputError:
            return Problem(link or feed_url, "feed entry has no fetchable page, and its own text is no article")
        document.flags.append("from_feed_text")
    document.title = document.title or entry.get("title")
    document.author = document.author or entry.get("author")
    document.published = document.published or published
    return document


def _entry_text(entry) -> str:
    for item in entry.get("content") or []:
        if item.get("value"):
            return item["value"]
    return entry.get("summary") or ""


def _entry_date(entry) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", stamp) if stamp else None
