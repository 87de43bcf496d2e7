"""PolNeAR corpus reading and attribution scoring.

Owns the BRAT standoff reader for PolNeAR (`text/<article>.txt`, `attributions/<article>_<annotator>.ann`)
and the scoring protocol of DESIGN.md: per component (source, cue, content) exact-span and overlap
(Jaccard >= 0.5) precision, recall and F1, matched within each article and summed over articles.
Span edges ignore whitespace and punctuation; an attribution's content pieces form one item.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int]
Item = tuple[Span, ...]
COMPONENTS = ("source", "cue", "content")


@dataclass
class GoldAttribution:
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)


@dataclass
class Article:
    name: str
    text: str
    attributions: list[GoldAttribution]


def _parse_spans(spec: str) -> list[Span]:
    spans = []
    for piece in spec.split(";"):
        start, end = piece.split()
        spans.append((int(start), int(end)))
    return spans


def read_ann(text: str) -> list[GoldAttribution]:
    """Parse one BRAT .ann file's text into attributions (E lines joining T lines)."""
    spans_by_id: dict[str, list[Span]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            label, _, spec = parts[1].partition(" ")
            try:
                spans_by_id[parts[0]] = _parse_spans(spec)
            except ValueError:
                continue
        elif parts[0].startswith("E"):
            roles = []
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                roles.append((role, ref))
            events.append(roles)
    attributions = []
    for roles in events:
        attribution = GoldAttribution()
        for role, ref in roles:
            spans = spans_by_id.get(ref, [])
            if role == "Source":
                attribution.source.extend(spans)
            elif role == "Cue":
                attribution.cue.extend(spans)
            elif role.startswith("Content"):
                attribution.content.extend(spans)
        attributions.append(attribution)
    return attributions


def read_split(directory: Path | str) -> list[Article]:
    """Read a PolNeAR split; where an article has several annotators, take the first file in sorted order."""
    directory = Path(directory)
    text_dir, ann_dir = directory / "text", directory / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{directory} must hold text/ and attributions/")
    ann_by_article: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        ann_by_article.setdefault(article, ann)
    articles = []
    for txt in sorted(text_dir.glob("*.txt")):
        ann = ann_by_article.get(txt.stem)
        if ann is None:
            continue
        articles.append(
            Article(txt.stem, txt.read_text(encoding="utf-8"), read_ann(ann.read_text(encoding="utf-8")))
        )
    return articles


def _is_edge_char(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def strip_span(text: str, span: Span) -> Span:
    """Drop whitespace and punctuation at both edges of a span."""
    start, end = span
    while start < end and _is_edge_char(text[start]):
        start += 1
    while end > start and _is_edge_char(text[end - 1]):
        end -= 1
    return start, end


def normalise_item(text: str, spans: list[Span]) -> Item:
    """Strip each piece and merge pieces separated only by whitespace or punctuation."""
    pieces = sorted(p for p in (strip_span(text, s) for s in spans) if p[0] < p[1])
    merged: list[list[int]] = []
    for start, end in pieces:
        if merged and all(_is_edge_char(c) for c in text[merged[-1][1] : start]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def _chars(item: Item) -> set[int]:
    return {i for start, end in item for i in range(start, end)}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match_exact(gold: set[Item], predicted: set[Item]) -> Counts:
    tp = len(gold & predicted)
    return Counts(tp, len(predicted) - tp, len(gold) - tp)


def match_overlap(gold: set[Item], predicted: set[Item], threshold: float = 0.5) -> Counts:
    """Greedy one-to-one matching by Jaccard similarity of character sets, best pairs first."""
    gold_chars = {g: _chars(g) for g in gold}
    pred_chars = {p: _chars(p) for p in predicted}
    pairs = []
    for g, gc in gold_chars.items():
        for p, pc in pred_chars.items():
            if gc & pc:
                jaccard = len(gc & pc) / len(gc | pc)
                if jaccard >= threshold:
                    pairs.append((jaccard, g, p))
    pairs.sort(reverse=True)
    used_gold, used_pred = set(), set()
    for _, g, p in pairs:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
    tp = len(used_gold)
    return Counts(tp, len(predicted) - tp, len(gold) - tp)


def component_items(text: str, attributions: list[GoldAttribution]) -> dict[str, set[Item]]:
    """The set of normalised items of each component in one article."""
    items: dict[str, set[Item]] = {c: set() for c in COMPONENTS}
    for attribution in attributions:
        for component in COMPONENTS:
            spans = getattr(attribution, component)
            if spans:
                item = normalise_item(text, spans)
                if item:
                    items[component].add(item)
    return items


@dataclass
class Score:
    exact: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in COMPONENTS})
    overlap: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in COMPONENTS})
    articles: int = 0

    def add_article(self, text: str, gold: list[GoldAttribution], predicted: list[GoldAttribution]) -> None:
        gold_items = component_items(text, gold)
        pred_items = component_items(text, predicted)
        for component in COMPONENTS:
            self.exact[component].add(match_exact(gold_items[component], pred_items[component]))
            self.overlap[component].add(match_overlap(gold_items[component], pred_items[component]))
        self.articles += 1

    def as_dict(self) -> dict:
        def row(counts: Counts) -> dict:
            return {
                "precision": round(counts.precision, 4),
                "recall": round(counts.recall, 4),
                "f1": round(counts.f1, 4),
                "tp": counts.tp,
                "fp": counts.fp,
                "fn": counts.fn,
            }

        return {
            "articles": self.articles,
            "exact": {c: row(self.exact[c]) for c in COMPONENTS},
            "overlap": {c: row(self.overlap[c]) for c in COMPONENTS},
        }


def from_analysis(analysis_dict: dict) -> list[GoldAttribution]:
    """The spans of an Analysis JSON's attributions, in the scorer's form."""
    result = []
    for attribution in analysis_dict["attributions"]:
        item = GoldAttribution()
        if attribution.get("source"):
            item.source.append((attribution["source"]["start"], attribution["source"]["end"]))
        if attribution.get("cue"):
            item.cue.append((attribution["cue"]["start"], attribution["cue"]["end"]))
        item.content.extend(tuple(s) for s in attribution["content"]["spans"])
        result.append(item)
    return result


def score_predictions(articles: list[Article], predictions: list[list[GoldAttribution]]) -> Score:
    score = Score()
    for article, predicted in zip(articles, predictions):
        score.add_article(article.text, article.attributions, predicted)
    return score
