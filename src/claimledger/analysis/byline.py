"""Who wrote an article and where it was filed, read from its text: a byline at the top, a
dateline, or a biography at the end.

Owns `find_author` and `dateline`. Metadata (HTML, a JSONL field) wins when there is some; this is the fallback
for plain text. The closing biography ("Jack Buckby is a British author ...") is about the writer,
not a claim in the news, so its span is returned for the analyzer to leave out of attributions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = r"[A-Z][a-zA-Z'’.-]+(?:\s+(?:[A-Z][a-zA-Z'’.-]+|de|van|von|der|da|al|bin|le|la)){1,3}"
BYLINE = re.compile(
    rf"^[ \t]*(?:By|BY|Written by|Words by|Reporting by)[ \t]+(?P<names>{NAME}(?:(?:,[ \t]*|[ \t]+and[ \t]+){NAME})*)"
    r"[ \t]*(?:$|[,|–—-])",
    re.MULTILINE,
)
ROLE = (
    r"author|journalist|writer|reporter|correspondent|editor|columnist|contributor|researcher|analyst"
    r"|fellow|professor|freelance|commentator|novelist|broadcaster|producer"
)
BIOGRAPHY = re.compile(
    rf"^(?P<name>{NAME})\s+(?:is|was|has been|writes|covers|reports)\b[^\n]{{0,200}}?\b(?:{ROLE})",
)
BYLINE_WINDOW = 600
BIOGRAPHY_PARAGRAPHS = 2


@dataclass(frozen=True)
class Authorship:
    author: str | None
    biography: tuple[int, int] | None  # from the closing biography paragraph to the end of the text


def find_author(text: str) -> Authorship:
    byline = BYLINE.search(text[:BYLINE_WINDOW])
    biography = _biography(text)
    if byline:
        names = re.split(r",\s*|\s+and\s+", byline.group("names"))
        return Authorship(", ".join(n.strip() for n in names if n.strip()), biography[1] if biography else None)
    if biography:
        return Authorship(biography[0], biography[1])
    return Authorship(None, None)


def _biography(text: str) -> tuple[str, tuple[int, int]] | None:
    paragraphs = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    for match in paragraphs[-BIOGRAPHY_PARAGRAPHS:]:
        paragraph = match.group(0)
        stripped = paragraph.lstrip()
        found = BIOGRAPHY.match(stripped)
        if found:
            start = match.start() + len(paragraph) - len(stripped)
            return found.group("name"), (start, len(text))
    return None


# "MIRVADA, India (Deccan Wire) - ", "NEW DELHI - ", "LIMA, Peru, March 11 (Reuters) -", "MIRVADA: "
DATELINE = re.compile(
    r"[ \t]*(?P<place>[^\W\d_][^\W\d_'’.-]*(?:[ ./'’-]+[^\W\d_][^\W\d_'’.-]*){0,4})"
    r"(?:,[ \t]+[^,\n()]{2,30}?){0,2}(?:[ \t]+\([^)\n]{1,40}\))?[ \t]*(?:[-–—]{1,2}|:)[ \t]+"
)
DATELINE_PARAGRAPHS = 2


def dateline(text: str) -> tuple[int, int] | None:
    """The span of a wire dateline opening one of the first paragraphs (the place in capitals), or None.

    It is no part of the first sentence: parsed with it, "MIRVADA: The death toll has risen to 34"
    makes the town the subject, and the attribution tagger loses the sentence's content."""
    start = 0
    for _ in range(DATELINE_PARAGRAPHS):
        match = DATELINE.match(text, start)
        if match is not None and match.group("place").isupper() and sum(c.isalpha() for c in match.group("place")) >= 3:
            return match.start(), match.end()
        start = text.find("\n", start) + 1
        if start == 0:
            break
        while start < len(text) and text[start] == "\n":
            start += 1
    return None
