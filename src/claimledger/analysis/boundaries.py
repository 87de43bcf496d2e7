"""Where a content ends (and starts): a learned choice among boundary alternatives.

Owns the step after linking that reconsiders each attribution's content span. The content tagger
reads tokens, not clauses, and most of its boundary errors are a whole trailing modifier more or
less (", forcing them to leave", "in July"), a clause or quotation cut short, or a second piece
linked to the wrong cue. For each content this module lists the spans a parse makes plausible
(without a trailing dependent or what follows a comma; to the end of the clause, sentence,
quotation or next sentence; without a leading "that"; back to the clause's or sentence's start;
without the first or last piece), describes each by what it removes or adds (words, tags, the
content tagger's own probability for those tokens), and asks a log-linear model whether it is
better than the tagged span. The model (crfsuite over one-item sequences, so that no other
library is needed) is trained by `scripts/train_boundaries.py` on the taggers' mistakes on text
they were not trained on; the tagged span stays unless an alternative is more likely right than not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc, Token

from claimledger.analysis.tagger import TokenRun

MODEL_FILE = "boundary.crfsuite"
BETTER, NOT_BETTER = "better", "not_better"  # the model's two labels
EDGE_PUNCT = {",", ";", ":", "-", "—", "–", "--", ".", "!", "?"}
QUOTE_CHARS = set("\"'“”‘’«»„`")
MAX_TRAILING_CUTS = 4
BETTER_THRESHOLD = 0.5  # an alternative replaces the tagger's span only if the model thinks it more likely right than not

Probability = Callable[[int], float]  # the content tagger's P(token i is content)


@dataclass(frozen=True)
class Candidate:
    """One possible content: its pieces and the features that describe the change."""

    kind: str
    pieces: tuple[TokenRun, ...]
    features: tuple[str, ...]


def _length_bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 13, 21, 34):
        if n <= limit:
            return str(limit)
    return "35+"


def _is_quote(token: Token) -> bool:
    return bool(token.text) and all(c in QUOTE_CHARS for c in token.text)


def _trimmed_end(doc: Doc, start: int, end: int) -> int:
    """`end` moved back past punctuation, spaces and quote marks."""
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or _is_quote(doc[end - 1])):
        end -= 1
    return end


def _token_words(prefix: str, token: Token) -> list[str]:
    return [f"{prefix}.w={token.lower_}", f"{prefix}.t={token.tag_}", f"{prefix}.d={token.dep_}",
            f"{prefix}.hp={token.head.pos_}"]


def _probability_bucket(p: float) -> str:
    return str(min(int(p * 5), 4))


def _part_features(doc: Doc, kind: str, start: int, end: int, probability: Probability | None) -> list[str]:
    """What a removed or added stretch [start, end) holds, and how sure the content tagger was of it."""
    tokens = [doc[i] for i in range(start, end) if not doc[i].is_space]
    if not tokens:
        return [f"{kind}.empty"]
    words = [t for t in tokens if not t.is_punct]
    feats = [f"{kind}.len={_length_bucket(len(words))}"]
    if probability is not None:
        inside = [probability(t.i) for t in words] or [probability(tokens[0].i)]
        feats += [f"{kind}.p_mean={_probability_bucket(sum(inside) / len(inside))}",
                  f"{kind}.p_first={_probability_bucket(inside[0])}",
                  f"{kind}.p_min={_probability_bucket(min(inside))}"]
    feats += _token_words(f"{kind}.first", tokens[0])
    if words:
        feats += _token_words(f"{kind}.firstword", words[0])
        feats.append(f"{kind}.firstword={words[0].lower_}|{words[0].dep_}")
    feats.append(f"{kind}.last.t={tokens[-1].tag_}")
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        feats.append(f"{kind}.has_verb")
    if any(t.tag_ == "VBG" for t in words[:2]):
        feats.append(f"{kind}.gerund_start")
    if any(_is_quote(t) for t in tokens):
        feats.append(f"{kind}.has_quote")
    if any(t.ent_type_ in ("DATE", "TIME") for t in words):
        feats.append(f"{kind}.has_date")
    if any(t.is_sent_start for t in tokens[1:]):
        feats.append(f"{kind}.crosses_sentence")
    return feats


def _context_features(doc: Doc, cue: TokenRun, pieces: tuple[TokenRun, ...]) -> list[str]:
    """What the content as tagged looks like: shared by all of its candidates."""
    start, end = pieces[0].start, pieces[-1].end
    words = sum(1 for i in range(start, end) if not doc[i].is_punct)
    cue_root = doc[cue.start:cue.end].root
    before = doc[start - 1] if start > 0 else None
    feats = [
        f"ctx.pieces={min(len(pieces), 3)}",
        f"ctx.len={_length_bucket(words)}",
        f"ctx.side={'after' if start >= cue.end else 'before' if end <= cue.start else 'around'}",
        f"ctx.cue={cue_root.lemma_.lower()}",
        f"ctx.rule={cue.from_rule}",
        f"ctx.quoted_start={_is_quote(doc[start]) or (before is not None and _is_quote(before))}",
        f"ctx.conf={min(int(sum(p.confidence for p in pieces) / len(pieces) * 10), 9)}",
    ]
    return feats


def _sentence_end(doc: Doc, index: int) -> int:
    return doc[index].sent.end


def _with_end(pieces: tuple[TokenRun, ...], end: int) -> tuple[TokenRun, ...]:
    last = pieces[-1]
    return pieces[:-1] + (TokenRun(last.start, end, last.confidence, last.from_rule),)


def _with_start(pieces: tuple[TokenRun, ...], start: int) -> tuple[TokenRun, ...]:
    first = pieces[0]
    return (TokenRun(start, first.end, first.confidence, first.from_rule),) + pieces[1:]


def alternatives(doc: Doc, cue: TokenRun, source: TokenRun | None, pieces: list[TokenRun],
                 probability: Probability | None = None) -> list[Candidate]:
    """The spans near the tagger's content that a parse makes plausible, each described by what
    it removes or adds (every feature is conjoined with the kind of change, so that "a date
    removed" and "a date added" weigh differently)."""
    pieces_t = tuple(pieces)
    last = pieces_t[-1]
    end = _trimmed_end(doc, last.start, last.end)
    if end <= last.start:
        return []
    context = _context_features(doc, cue, pieces_t)
    out: list[Candidate] = []
    blocked = set(range(cue.start, cue.end)) | (set(range(source.start, source.end)) if source else set())
    seen = {(last.start, end)}

    def add(kind: str, new_pieces: tuple[TokenRun, ...], part: tuple[int, int], part_kind: str, extra=()) -> None:
        described = context + _part_features(doc, part_kind, *part, probability) + list(extra)
        out.append(Candidate(kind, new_pieces, tuple([f"kind={kind}"] + [f"{kind}|{f}" for f in described])))

    # cuts: drop a trailing dependent, or everything after a comma, in the last piece
    cuts: list[tuple[int, str]] = []
    for i in range(last.start + 1, end):
        token = doc[i]
        if token.text in (",", ";", "--", "—", "–"):
            cuts.append((i, "comma"))
        elif token.left_edge.i == i and token.head.i < i and token.right_edge.i >= end - 1 and not token.is_punct:
            cuts.append((i, "dependent"))
    for cut, how in cuts[-MAX_TRAILING_CUTS:]:
        new_end = _trimmed_end(doc, last.start, cut)
        if new_end <= last.start or (last.start, new_end) in seen:
            continue
        seen.add((last.start, new_end))
        add(f"cut_{how}", _with_end(pieces_t, new_end), (cut, end), "removed",
            [f"cut.depth={len(cuts) - cuts.index((cut, how))}"])
    # extensions: to the end of the clause the content's root heads, of the sentence, of the
    # quotation it opens, of the next sentence
    root = doc[last.start:end].root
    sentence_end = _sentence_end(doc, end - 1)
    targets = [("extend_subtree", root.right_edge.i + 1), ("extend_sentence", sentence_end),
               ("extend_quote", _closing_quote(doc, pieces_t[0].start, end))]
    if sentence_end < len(doc) and not doc[sentence_end - 1].text.count("\n"):
        targets.append(("extend_next_sentence", _sentence_end(doc, sentence_end)))
    for kind, target in targets:
        if target is None:
            continue
        new_end = _trimmed_end(doc, last.start, target)
        if new_end <= end or (last.start, new_end) in seen or any(i in blocked for i in range(end, new_end)):
            continue
        seen.add((last.start, new_end))
        add(kind, _with_end(pieces_t, new_end), (end, new_end), "added")
    # starts: without a leading "that"; back to the left edge of the content's root or its sentence
    first = pieces_t[0]
    starts = {first.start}
    if doc[first.start].dep_ == "mark" and first.end - first.start > 1:
        add("drop_mark", _with_start(pieces_t, first.start + 1), (first.start, first.start + 1), "removed")
    lefts = {"extend_left": doc[first.start:first.end].root.left_edge.i,
             "extend_left_sentence": doc[first.start].sent.start}
    for kind, left in lefts.items():
        while left < first.start and (doc[left].is_space or (doc[left].is_punct and not _is_quote(doc[left]))):
            left += 1
        if left < first.start and left not in starts and not any(i in blocked for i in range(left, first.start)):
            starts.add(left)
            add(kind, _with_start(pieces_t, left), (left, first.start), "added")
    # pieces: one piece too many at either end
    if len(pieces_t) > 1:
        add("drop_last", pieces_t[:-1], (pieces_t[-1].start, pieces_t[-1].end), "removed")
        if not _complement_before_conjuncts(doc, cue, pieces_t):
            add("drop_first", pieces_t[1:], (pieces_t[0].start, pieces_t[0].end), "removed")
    return out


def _within(piece: TokenRun, head: Token) -> bool:
    return head.left_edge.i <= piece.start and piece.end <= head.right_edge.i + 1


def _complement_before_conjuncts(doc: Doc, cue: TokenRun, pieces: tuple[TokenRun, ...]) -> bool:
    """The first piece is the clause the parse makes the cue's complement, before it, and the rest
    are clauses joined to the reporting clause after it ("At least 19 people have died …, the
    ministry said on Monday, and more than 60 others have been admitted"): the first piece is the
    reported clause itself, which no boundary choice may drop."""
    root = doc[cue.start:cue.end].root
    complements = [c for c in root.children if c.dep_ == "ccomp" and c.i < root.i]
    conjuncts = [c for c in root.children if c.dep_ == "conj" and c.i > root.i]
    return (any(_within(pieces[0], c) for c in complements)
            and all(any(_within(piece, c) for c in conjuncts) for piece in pieces[1:]))


def _closing_quote(doc: Doc, start: int, end: int) -> int | None:
    """Where a content that opens a quotation (at or just before `start`) has it closed, if after `end`."""
    opener = next((i for i in (start, start - 1) if 0 <= i < len(doc) and _is_quote(doc[i])), None)
    if opener is None:
        return None
    if any(_is_quote(doc[i]) for i in range(opener + 1, end)):
        return None  # closed inside the content already
    for i in range(end, min(len(doc), end + 200)):
        if _is_quote(doc[i]):
            return i
    return None


class BoundaryChooser:
    """Asks the shipped model, for each alternative to a content, whether it is better than the
    tagger's span (trained on pairs where exactly one of the two is the annotated span), and takes
    the most likely one above `BETTER_THRESHOLD`. Without a model file, contents stay as tagged."""

    def __init__(self, model_dir: Path):
        path = Path(model_dir) / MODEL_FILE
        self.tagger: pycrfsuite.Tagger | None = None
        if path.exists():
            self.tagger = pycrfsuite.Tagger()
            self.tagger.open(str(path))

    def better(self, candidate: Candidate) -> float:
        """P(the candidate is the annotated span and the tagger's span is not)."""
        assert self.tagger is not None
        self.tagger.set(pycrfsuite.ItemSequence([list(candidate.features)]))
        return self.tagger.marginal(BETTER, 0)

    def choose(self, doc: Doc, cue: TokenRun, source: TokenRun | None, pieces: list[TokenRun],
               probability: Probability | None = None) -> list[TokenRun]:
        if self.tagger is None or not pieces:
            return pieces
        best, best_p = None, BETTER_THRESHOLD
        for candidate in alternatives(doc, cue, source, pieces, probability):
            p = self.better(candidate)
            if p > best_p:
                best, best_p = candidate, p
        return list(best.pieces) if best is not None else pieces
