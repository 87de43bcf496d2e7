"""The Analysis record (schema `claimledger/analysis@1`, DESIGN.md) and its JSON form.

Field names here are a public contract read by tests, exports and outside scorers: add fields,
never rename or remove them. Every span is a pair of Python `str` offsets into the document text.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "claimledger/analysis@1"


@dataclass
class Document:
    """A text to analyse and what is known about it; what ingestion produces."""

    text: str
    id: str | None = None  # the caller's id (JSONL), copied to Analysis.id
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class DocumentInfo:
    id: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    language: str = "en"

    @staticmethod
    def text_id(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class TextSpan:
    text: str
    start: int
    end: int


@dataclass
class SourceMention(TextSpan):
    kind: str = "unknown"
    canonical: str | None = None


@dataclass
class Cue(TextSpan):
    lemma: str = ""
    stance: str = "neutral"


@dataclass
class Content:
    text: str
    spans: list[list[int]]


@dataclass
class CertaintyCue(TextSpan):
    pass


@dataclass
class Certainty:
    probability: float
    term: str
    cues: list[CertaintyCue] = field(default_factory=list)


@dataclass
class Attribution:
    id: str
    type: str
    source: SourceMention | None
    cue: Cue | None
    content: Content
    via: TextSpan | None = None
    parent: str | None = None
    certainty: Certainty | None = None
    quantities: list[str] = field(default_factory=list)
    confidence: float = 0.0


@dataclass
class Quantity:
    id: str
    text: str
    start: int
    end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    change: str = "="
    unit: str | None = None
    unit_normalized: str | None = None
    concept: str | None = None
    as_of: str | None = None
    attribution: str | None = None
    vague: str | None = None
    as_of_text: str | None = None  # the words the date was read from ("On Wednesday", "Only weeks into the war")
    delta: bool = False  # the size of a change ("fell 7%"), not a level ("fell to 7%")


@dataclass
class Hedge(TextSpan):
    kind: str = "hedge"


@dataclass
class Analysis:
    document: DocumentInfo
    attributions: list[Attribution] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    id: str | None = None
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": SCHEMA}
        if self.id is not None:
            data["id"] = self.id
        data["document"] = asdict(self.document)
        data["attributions"] = [asdict(a) for a in self.attributions]
        data["quantities"] = [asdict(q) for q in self.quantities]
        data["hedges"] = [asdict(h) for h in self.hedges]
        if self.flags:
            data["flags"] = list(self.flags)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Analysis":
        """The Analysis a `to_dict` form was made from (the ledger keeps that form and reads it back
        when it rebuilds)."""
        return cls(
            document=DocumentInfo(**data["document"]),
            attributions=[_attribution(a) for a in data.get("attributions", [])],
            quantities=[Quantity(**q) for q in data.get("quantities", [])],
            hedges=[Hedge(**h) for h in data.get("hedges", [])],
            id=data.get("id"),
            flags=list(data.get("flags", [])),
        )


def _attribution(data: dict[str, Any]) -> Attribution:
    certainty = data.get("certainty")
    return Attribution(
        **{**data,
           "source": SourceMention(**data["source"]) if data.get("source") else None,
           "cue": Cue(**data["cue"]) if data.get("cue") else None,
           "content": Content(**data["content"]),
           "via": TextSpan(**data["via"]) if data.get("via") else None,
           "certainty": Certainty(**{**certainty, "cues": [CertaintyCue(**c) for c in certainty.get("cues", [])]})
           if certainty else None},
    )
