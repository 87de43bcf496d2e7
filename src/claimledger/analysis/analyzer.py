"""The analysis entry point: Document in, Analysis out.

Owns the order of the steps (language check, parse, tag, link, resolve sources, author, certainty,
figures and their attributions, hedges) and the translation of token runs into the character-offset
records of the Analysis JSON. Pure: no
database, no web, no state beyond the loaded spaCy pipeline and CRF weights.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import py3langid
from spacy.language import Language
from spacy.tokens import Doc

from claimledger.analysis import byline, certainty
from claimledger.analysis.attribution import (
    LinkedAttribution,
    attribution_type,
    link,
    reported_conjunct,
    stance_of,
    supplement_cues,
    tagged_tokens,
)
from claimledger.analysis.boundaries import BoundaryChooser
from claimledger.analysis.pipeline import load_nlp
from claimledger.analysis.schema import (
    Analysis,
    Attribution,
    Certainty,
    CertaintyCue,
    Content,
    Cue,
    Document,
    DocumentInfo,
    Hedge,
    Quantity,
    SourceMention,
    TextSpan,
)
from claimledger.analysis.quantities import FoundQuantity, find_quantities
from claimledger.analysis.sources import SourceResolver
from claimledger.analysis.tagger import AttributionTagger, TokenRun

MAX_CHARS = 2_000_000
CHUNK_CHARS = 100_000  # spaCy parses in pieces of about this size, cut at paragraph breaks
MIN_CHARS_FOR_LANGUAGE = 60
LANGUAGE_CONFIDENCE = 0.9


_IDENTIFIER = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code; short texts are taken as English since detection on them is a guess."""
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    if letters and sum(c < "\u0250" for c in letters) * 2 < len(letters):
        # mostly letters of another script than Latin: not English however short or unsure the
        # guess (a 40-character Chinese headline, an Arabic sentence at 0.85), named as best it can be
        language, _ = _IDENTIFIER.classify(sample)
        return language if language != "en" else "und"
    if len(sample.strip()) < MIN_CHARS_FOR_LANGUAGE:
        return "en"
    language, confidence = _IDENTIFIER.classify(sample)
    if language != "en" and confidence >= LANGUAGE_CONFIDENCE:
        return language
    return "en"


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut a text into pieces of at most about `size` characters, at paragraph breaks when there are some."""
    bounds, start = [], 0
    while len(text) - start > size:
        cut = text.rfind("\n", start + size // 2, start + size)
        if cut == -1:
            cut = text.rfind(" ", start + size // 2, start + size)
        end = cut + 1 if cut != -1 else start + size
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _char_range(doc: Doc, run: TokenRun, offset: int) -> tuple[int, int]:
    first, last = doc[run.start], doc[run.end - 1]
    return first.idx + offset, last.idx + len(last.text) + offset


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(document: Document) -> Document:
    """A Python string may hold half a UTF-16 pair (JSON's "\\ud800"), which cannot be encoded or
    hashed: each becomes U+FFFD, one character for one, so offsets still point into the text given."""
    if document.text.isascii() or not _LONE_SURROGATE.search(document.text):
        return document
    return dataclasses.replace(document, text=_LONE_SURROGATE.sub("\ufffd", document.text),
                               flags=[*document.flags, "replaced_lone_surrogates"])


def _parse_bounds(text: str) -> list[tuple[int, int]]:
    """The pieces of a text to parse: its chunks, without a dateline ("MIRVADA, India (Deccan
    Wire) - "), so that the first sentence parses as a sentence and not as the town's."""
    bounds = chunk_bounds(text)
    found = byline.dateline(text)
    if found is None:
        return bounds
    cut_start, cut_end = found
    pieces = []
    for start, end in bounds:
        if start <= cut_start < end:
            if text[start:cut_start].strip():
                pieces.append((start, cut_start))  # a title line before the dateline
            if cut_end < end:
                pieces.append((cut_end, end))
        else:
            pieces.append((start, end))
    return pieces


class Analyzer:
    """Holds the loaded models; `analyze` and `analyze_many` are the whole public surface."""

    def __init__(self, model: str | None = None, nlp: Language | None = None, model_dir: Path | None = None):
        self.nlp = nlp if nlp is not None else load_nlp(model)
        self.tagger = AttributionTagger(model_dir) if model_dir else AttributionTagger()
        self.boundaries = BoundaryChooser(self.tagger.model_dir)
        self.model_name = self.nlp.meta.get("name", "unknown")

    def _link(self, doc: Doc) -> list[LinkedAttribution]:
        """Tag cues, sources and contents, add the rule cues, link them into attributions, then
        reconsider where each content starts and ends."""
        runs, content_probability = self.tagger.tag_with_content_probability(doc)
        supplement_cues(doc, runs)
        linked = link(doc, runs)
        tagged = tagged_tokens(runs)
        for item in linked:
            own = {i for piece in item.contents for i in range(piece.start, piece.end)}
            item.contents = self.boundaries.choose(doc, item.cue, item.source, item.contents, content_probability)
            if item.continued is None:
                # the boundary choice may have dropped a conjunct after the cue ("…, the ministry
                # said on Monday, and more than 60 others have been admitted"): more of the report
                item.continued = reported_conjunct(doc, item, tagged - own)
            if item.continued is not None:
                item.contents.append(item.continued)
        return linked

    def analyze(self, document: Document | str, **meta) -> Analysis:
        if isinstance(document, str):
            document = Document(text=document, **meta)
        return next(self.analyze_many([document]))

    def analyze_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Analysis]:
        """Analyses in input order; texts are parsed in batches with `nlp.pipe`."""
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= batch_size:
                yield from self._analyze_batch(batch)
                batch = []
        if batch:
            yield from self._analyze_batch(batch)

    def _analyze_batch(self, documents: list[Document]) -> list[Analysis]:
        documents = [_whole_characters(d) for d in documents]
        analyses = [self._start(d) for d in documents]
        pieces: list[tuple[int, int, str]] = []  # (document index, offset, text)
        for index, (document, analysis) in enumerate(zip(documents, analyses)):
            if "skipped" in analysis.flags:
                continue
            for start, end in _parse_bounds(document.text):
                pieces.append((index, start, document.text[start:end]))
        parsed: dict[int, list[tuple[int, Doc]]] = {}
        docs = self.nlp.pipe((text for _, _, text in pieces), batch_size=32)
        for (index, offset, _), doc in zip(pieces, docs):
            parsed.setdefault(index, []).append((offset, doc))
        for index, chunks in parsed.items():
            self._fill(analyses[index], documents[index].text, chunks)
        return analyses

    def _start(self, document: Document) -> Analysis:
        text = document.text
        info = DocumentInfo(
            id=DocumentInfo.text_id(text),
            title=document.title,
            url=document.url,
            publisher=document.publisher,
            author=document.author,
            published=document.published,
        )
        analysis = Analysis(document=info, id=document.id, flags=list(document.flags))
        if not text.strip():
            analysis.flags += ["empty", "skipped"]
        elif len(text) > MAX_CHARS:
            analysis.flags += [f"too_long:{len(text)}>{MAX_CHARS}", "skipped"]
        else:
            info.language = detect_language(text)
            if info.language != "en":
                analysis.flags += ["not_english", "skipped"]
        return analysis

    def _fill(self, analysis: Analysis, text: str, chunks: list[tuple[int, Doc]]) -> None:
        resolver = SourceResolver()
        authorship = byline.find_author(text)
        if analysis.document.author is None:
            analysis.document.author = authorship.author
        biography_start = authorship.biography[0] if authorship.biography else len(text)
        counter = 0
        for offset, doc in chunks:
            linked = self._link(doc)
            linked.sort(key=lambda a: (a.source or a.cue).start)
            for item in linked:
                if doc[item.cue.start].idx + offset >= biography_start:
                    continue  # the writer's biography is not a claim
                counter += 1
                analysis.attributions.append(self._record(f"a{counter}", text, doc, offset, item, resolver))
        _set_parents(analysis.attributions)
        analysis.attributions.sort(key=lambda a: int(a.id[1:]))
        _set_certainty(text, analysis.attributions)
        published = analysis.document.published
        for offset, doc in chunks:
            for found in find_quantities(doc, published):
                analysis.quantities.append(_quantity(f"q{len(analysis.quantities) + 1}", text, offset, found))
        _link_quantities(analysis.attributions, analysis.quantities, text)
        for match in certainty.find_cues(text):
            analysis.hedges.append(Hedge(match.text, match.start, match.end, match.kind))

    def _record(
        self, id_: str, text: str, doc: Doc, offset: int, item: LinkedAttribution, resolver: SourceResolver
    ) -> Attribution:
        cue_start, cue_end = _char_range(doc, item.cue, offset)
        cue_root = doc[item.cue.start : item.cue.end].root
        lemma = cue_root.lemma_.lower()
        cue = Cue(text[cue_start:cue_end], cue_start, cue_end, lemma=lemma, stance=stance_of(lemma))
        source = None
        if item.source is not None:
            s_start, s_end = _char_range(doc, item.source, offset)
            resolved = resolver.resolve(doc[item.source.start : item.source.end])
            source = SourceMention(text[s_start:s_end], s_start, s_end, kind=resolved.kind, canonical=resolved.canonical)
        spans = [list(_char_range(doc, run, offset)) for run in item.contents]
        content_text = " … ".join(text[s:e] for s, e in spans)
        via = None
        if item.via is not None:
            v_start, v_end = doc[item.via[0]].idx + offset, doc[item.via[1] - 1].idx + len(doc[item.via[1] - 1].text) + offset
            via = TextSpan(text[v_start:v_end], v_start, v_end)
        confidences = [item.cue.confidence] + [r.confidence for r in item.contents]
        if item.source is not None:
            confidences.append(item.source.confidence)
        return Attribution(
            id=id_,
            type=attribution_type(text, cue.text, [tuple(s) for s in spans]),
            source=source,
            cue=cue,
            content=Content(content_text, spans),
            via=via,
            confidence=round(sum(confidences) / len(confidences), 3),
        )


def _set_certainty(text: str, attributions: list[Attribution]) -> None:
    """Cue stance with the hedges of the cue and the content; a nested attribution's hedges are its own."""
    nested: dict[str, list[tuple[int, int]]] = {}
    for inner in attributions:
        if inner.parent is not None:
            spans = [(s, e) for s, e in inner.content.spans]
            spans += [(part.start, part.end) for part in (inner.source, inner.cue) if part is not None]
            nested.setdefault(inner.parent, []).extend(spans)
    for attribution in attributions:
        cue = attribution.cue
        found = [m for s, e in attribution.content.spans for m in certainty.find_cues(text[s:e], s)]
        inside_others = nested.get(attribution.id, [])
        found = [m for m in found if not any(s <= m.start and m.end <= e for s, e in inside_others)]
        if cue is not None:
            found += [m for m in certainty.find_cues(cue.text, cue.start) if m.kind == "hedge"]
        probability = certainty.combine(cue.stance if cue else "neutral", found)
        attribution.certainty = Certainty(
            probability,
            certainty.term_for(probability),
            [CertaintyCue(m.text, m.start, m.end) for m in found if m.kind != "booster"],
        )


def _quantity(id_: str, text: str, offset: int, found: FoundQuantity) -> Quantity:
    mention = found.mention
    start, end = mention.start + offset, mention.end + offset
    low, high = mention.low, mention.high
    if mention.value is not None and mention.change == ">":
        low = mention.value  # "at least 900": a lower bound, as DESIGN.md writes "even higher"
    elif mention.value is not None and mention.change == "<":
        high = mention.value
    return Quantity(
        id=id_, text=text[start:end], start=start, end=end,
        value=mention.value, low=low, high=high, change=mention.change,
        unit=found.unit, unit_normalized=found.unit_normalized, concept=found.concept,
        as_of=found.as_of, vague=mention.vague, as_of_text=found.as_of_text, delta=mention.delta,
    )


def _innermost(attributions: list[Attribution], start: int, end: int, slack: int = 0,
               besides: Attribution | None = None) -> Attribution | None:
    """The attribution with the smallest content span holding [start, end) (`end` may overrun by `slack`)."""
    best: tuple[int, Attribution] | None = None
    for attribution in attributions:
        if attribution is besides:
            continue
        for span_start, span_end in attribution.content.spans:
            if span_start <= start and end <= span_end + slack and (best is None or span_end - span_start < best[0]):
                best = (span_end - span_start, attribution)
    return best[1] if best else None


# "…rose to 214, the Health Ministry said on Monday, with 3,870 suspected cases recorded": a
# figure in a with-phrase that trails the reporting clause is the same source's
TRAILING_WITH = re.compile(r"[^.;:!?\"“”\n]{0,40}?,?\s+with\s+(?:[\w-]+\s+){0,3}", re.IGNORECASE)


def _link_quantities(attributions: list[Attribution], quantities: list[Quantity], text: str = "") -> None:
    """A figure belongs to the attribution with the smallest content span that holds it, or to the
    reporting clause it trails in a with-phrase."""
    for quantity in quantities:
        owner = _innermost(attributions, quantity.start, quantity.end, slack=1) or _trailed(attributions, quantity, text)
        if owner is not None:
            quantity.attribution = owner.id
            owner.quantities.append(quantity.id)


def _trailed(attributions: list[Attribution], quantity: Quantity, text: str) -> Attribution | None:
    for attribution in attributions:
        if attribution.cue is None or attribution.source is None:
            continue
        clause_end = max(attribution.cue.end, attribution.source.end)
        content_start = min((s for s, _ in attribution.content.spans), default=clause_end)
        if content_start < attribution.cue.start and clause_end <= quantity.start and \
                TRAILING_WITH.fullmatch(text, clause_end, quantity.start):
            return attribution
    return None


def _set_parents(attributions: list[Attribution]) -> None:
    """An attribution whose cue lies inside another's content is nested in the smallest such one."""
    for inner in attributions:
        if inner.cue is None:
            continue
        outer = _innermost(attributions, inner.cue.start, inner.cue.end, besides=inner)
        inner.parent = outer.id if outer else None
