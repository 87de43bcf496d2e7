"""What kind of source speaks, and which named mention a pronoun or "the source" refers to.

Owns the source `kind` (DESIGN.md's vocabulary) from the mention's head noun and named entities,
and `canonical`, the mention's name after resolving pronouns and definite descriptions
("he", "the source", "the sources") to the most recent compatible earlier source.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

ANONYMOUS_HEADS = {
    "source", "official", "insider", "person", "people", "aide", "someone", "diplomat", "officer",
    "staffer", "adviser", "advisor", "individual", "member", "figure", "one", "somebody",
}
GOVERNMENT_HEADS = {
    "kremlin", "government", "ministry", "administration", "pentagon", "department", "intelligence",
    "police", "army", "military", "cabinet", "parliament", "congress", "senate", "house", "embassy",
    "agency", "authorities", "authority", "regime", "command", "office", "prosecutor", "fbi", "cia",
    "state", "commission", "council", "court", "white", "downing", "moscow", "washington", "kyiv",
    "beijing", "london", "paris", "nato", "un", "eu",
}
MEDIA_HEADS = {
    "cnn", "reuters", "ap", "bbc", "afp", "times", "post", "journal", "newspaper", "network", "outlet",
    "magazine", "media", "press", "bloomberg", "guardian", "telegraph", "tass", "ria", "fox", "msnbc",
    "nbc", "abc", "cbs", "npr", "politico", "axios", "channel", "broadcaster", "tabloid", "daily",
    "reporter", "journalist", "correspondent",
}
EXPERT_HEADS = {
    "analyst", "expert", "researcher", "economist", "scientist", "professor", "scholar", "observer",
    "historian", "academic", "specialist", "strategist", "commentator", "pundit", "pollster", "study",
}
DOCUMENT_HEADS = {
    "report", "document", "survey", "poll", "statement", "data", "figure", "memo", "filing",
    "letter", "assessment", "estimate", "analysis", "record", "release", "email", "tweet", "post",
    "paper", "information", "evidence", "intercept", "transcript", "video", "footage", "book",
}
TITLE_HEADS = {
    "spokesman", "spokeswoman", "spokesperson", "president", "minister", "secretary", "senator",
    "governor", "mayor", "chief", "director", "general", "commander", "leader", "candidate",
    "chairman", "chair", "ceo", "judge", "ambassador", "representative", "rep", "sen", "lawmaker",
    "congressman", "congresswoman", "manager", "campaign", "prime",
}
PERSONAL_PRONOUNS = {"he", "she", "him", "her", "i", "we", "they", "it", "you", "his", "their"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}


@dataclass
class ResolvedSource:
    kind: str
    canonical: str | None
    is_reference: bool  # a pronoun or definite description that points back


def _strip_determiner(span: Span) -> str:
    tokens = list(span)
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def _entities_by_root(doc: Doc) -> dict[int, list[Span]]:
    """The document's entities by the index of their root token, made once per document (kept in
    `doc.user_data`): `Span.ents` walks all of them on every call, quadratic in a long transcript."""
    found = doc.user_data.get("claimledger_entities_by_root")
    if found is None:
        found = {}
        for entity in doc.ents:
            found.setdefault(entity.root.i, []).append(entity)
        doc.user_data["claimledger_entities_by_root"] = found
    return found


def name_of(span: Span) -> str:
    """The name a source goes by: its person or organisation entity, else the phrase up to any
    appositive or relative clause, without a leading determiner."""
    root = span.root.i
    headed = [e for e in _entities_by_root(span.doc).get(root, ()) if span.start <= e.start and e.end <= span.end]
    for label in ("PERSON", "ORG", "GPE", "NORP"):
        entities = [e for e in headed if e.label_ == label]
        if entities:
            return max(entities, key=len).text
    end = span.end
    for token in span:
        if token.i > span.start and (token.text in {",", "(", "—", "–"} or token.tag_ in {"WP", "WDT"}):
            end = token.i
            break
    return _strip_determiner(span.doc[span.start : end])


def kind_of(span: Span) -> str:
    """Source kind from named entities and the head noun, in order of specificity."""
    head = span.root
    lemma = head.lemma_.lower()
    words = {t.lower_ for t in span} | {t.lemma_.lower() for t in span}
    entity_types = {t.ent_type_ for t in span if t.ent_type_}
    if lemma in PERSONAL_PRONOUNS or head.tag_ == "PRP":
        return "person" if lemma in {"he", "she", "i"} else "unknown"
    if lemma in MEDIA_HEADS or (head.ent_type_ == "ORG" and lemma in MEDIA_HEADS):
        return "media"
    if "PERSON" in entity_types and (head.ent_type_ == "PERSON" or lemma in TITLE_HEADS):
        return "person"
    if lemma in EXPERT_HEADS:
        return "expert"
    if lemma in ANONYMOUS_HEADS:
        return "anonymous"
    if lemma in DOCUMENT_HEADS:
        return "document"
    if lemma in GOVERNMENT_HEADS or head.ent_type_ in {"GPE", "NORP"}:
        return "government"
    if lemma in TITLE_HEADS:
        return "official"
    if words & GOVERNMENT_HEADS and head.ent_type_ == "ORG":
        return "government"
    if head.ent_type_ == "ORG" or "ORG" in entity_types:
        return "organisation"
    if head.ent_type_ == "PERSON":
        return "person"
    return "unknown"


def relative_antecedent(span: Span) -> Span | None:
    """For "who"/"which"/"that" heading a relative clause, the noun phrase the clause modifies."""
    head = span.root
    if head.tag_ not in {"WP", "WDT"} or head.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    verb = head.head
    if verb.dep_ != "relcl":
        return None
    noun = verb.head
    return span.doc[noun.left_edge.i : noun.i + 1]


CARRIER_HEADS = {"information", "word", "news", "report", "reports", "intelligence", "data", "leak"}


def informant(span: Span) -> Span | None:
    """In "Information from two sources", the sources: who the information comes from."""
    head = span.root
    if head.lemma_.lower() not in CARRIER_HEADS:
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "from":
            for obj in prep.children:
                if obj.dep_ == "pobj" and span.start <= obj.i < span.end:
                    return span.doc[obj.left_edge.i : min(obj.right_edge.i + 1, span.end)]
    return None


def _is_reference(span: Span) -> bool:
    head = span.root
    if head.tag_ == "PRP" or head.lower_ in PERSONAL_PRONOUNS:
        return True
    first = span[0].lower_
    return first in {"the", "this", "that", "these", "those"} and head.lemma_.lower() in (
        ANONYMOUS_HEADS | {"spokesman", "spokeswoman", "spokesperson"}
    ) and not any(t.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} for t in span)


class SourceResolver:
    """Walks a document's sources in text order, resolving each reference to an earlier mention."""

    def __init__(self) -> None:
        self._seen: list[tuple[Span, ResolvedSource]] = []

    def resolve(self, span: Span) -> ResolvedSource:
        span = relative_antecedent(span) or informant(span) or span
        kind = kind_of(span)
        if _is_reference(span):
            antecedent = self._antecedent(span)
            if antecedent is not None:
                resolved = ResolvedSource(antecedent.kind, antecedent.canonical, True)
                self._seen.append((span, resolved))
                return resolved
            resolved = ResolvedSource(kind, None, True)
        else:
            resolved = ResolvedSource(kind, name_of(span), False)
        self._seen.append((span, resolved))
        return resolved

    def _antecedent(self, span: Span) -> ResolvedSource | None:
        head = span.root
        plural = head.tag_ in {"NNS", "NNPS"} or head.lower_ in {"they", "we"}
        pronoun = head.tag_ == "PRP" or head.lower_ in PERSONAL_PRONOUNS
        for earlier, resolved in reversed(self._seen):
            if resolved.canonical is None or span.start_char - earlier.end_char > 3000:
                continue
            earlier_head = earlier.root
            earlier_plural = earlier_head.tag_ in {"NNS", "NNPS"}
            if pronoun:
                if head.lower_ in {"he", "she", "i"} and resolved.kind in {"person", "official", "anonymous"} and not earlier_plural:
                    return resolved
                if plural and earlier_plural:
                    return resolved
                if head.lower_ == "it" and resolved.kind in {"organisation", "government", "media", "document"}:
                    return resolved
                continue
            if earlier_head.lemma_.lower() == head.lemma_.lower() and earlier_plural == plural:
                return resolved
            if resolved.kind == "anonymous" and earlier_plural == plural:
                return resolved
        if pronoun and head.lower_ in {"he", "she"}:
            for entity in reversed(list(span.doc.ents)):
                if entity.label_ == "PERSON" and entity.end_char <= span.start_char:
                    return ResolvedSource("person", entity.text, True)
        return None
