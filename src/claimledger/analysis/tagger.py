"""CRF taggers for attribution cues, sources and contents.

Owns the three linear-chain CRF models (python-crfsuite) that mark cue, source and content tokens
with B/I/O labels over a whole document, their shipped weights, and the conversion between
character spans and token labels. The cue tagger runs first; the source and content taggers read
its cues through `features.cue_features`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc

from claimledger.analysis.features import TokenTable, cue_features, lexical_features

LAYERS = ("cue", "source", "content")
MODEL_DIR = Path(__file__).parent / "models"


@dataclass(frozen=True)
class TokenRun:
    """A run of tagged tokens [start, end) with the mean marginal probability of its labels.

    `from_rule` marks runs that a parse rule added rather than a tagger found.
    """

    start: int
    end: int
    confidence: float
    from_rule: bool = False


def labels_from_spans(doc: Doc, spans: list[tuple[int, int]]) -> list[str]:
    """B/I/O labels for one layer. Longer spans win where spans overlap (outer content over inner)."""
    labels = ["O"] * len(doc)
    for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        covered = [t.i for t in span if not t.is_space]
        if not covered or any(labels[i] != "O" for i in covered):
            continue
        labels[covered[0]] = "B"
        for i in covered[1:]:
            labels[i] = "I"
    return labels


def runs_from_labels(labels: list[str], marginals: list[float] | None = None) -> list[TokenRun]:
    runs: list[TokenRun] = []
    start = None
    for i, label in enumerate(labels + ["O"]):
        if start is not None and label != "I":
            probs = marginals[start:i] if marginals else [1.0]
            runs.append(TokenRun(start, i, sum(probs) / len(probs)))
            start = None
        if label == "B" or (label == "I" and start is None):
            start = i
    return runs


def _marginal(tagger: pycrfsuite.Tagger, label: str, index: int) -> float:
    probability = tagger.marginal(label, index)
    return probability if math.isfinite(probability) else 0.0


class AttributionTagger:
    """Loads the shipped CRF weights once and tags parsed documents."""

    def __init__(self, model_dir: Path = MODEL_DIR):
        self.model_dir = Path(model_dir)
        prior_path = self.model_dir / "cue_prior.json"
        if not prior_path.exists():
            raise FileNotFoundError(
                f"attribution models missing in {self.model_dir}; rebuild them with `make train`"
            )
        self.cue_prior: dict[str, float] = json.loads(prior_path.read_text())
        self.taggers = {}
        for layer in LAYERS:
            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.model_dir / f"{layer}.crfsuite"))
            self.taggers[layer] = tagger
        self._generation = 0

    def _tag(self, layer: str, rows: pycrfsuite.ItemSequence) -> tuple[list[str], list[float]]:
        tagger = self.taggers[layer]
        labels = tagger.tag(rows)
        # crfsuite's forward-backward overflows on some long sequences (538 quotation marks in a row)
        # and gives NaN, which is no JSON number: a probability it cannot compute is reported as 0
        # (only tokens inside runs need one: runs_from_labels reads no other)
        marginals = [_marginal(tagger, label, i) if label != "O" else 1.0 for i, label in enumerate(labels)]
        return labels, marginals

    def tag(self, doc: Doc) -> dict[str, list[TokenRun]]:
        """Runs of cue, source and content tokens in a parsed document."""
        return self.tag_with_content_probability(doc)[0]

    def tag_with_content_probability(self, doc: Doc) -> tuple[dict[str, list[TokenRun]], Callable[[int], float]]:
        """The runs, and P(token i is content) as the content tagger saw it. The probability is read
        from the tagger's state on demand (computing it for every token costs ~10 % of tagging) and
        only until this tagger tags the next document."""
        self._generation += 1
        generation = self._generation
        content = self.taggers["content"]
        memo: dict[int, float] = {}

        def probability(index: int) -> float:
            if generation != self._generation:
                raise RuntimeError("content probability read after the tagger moved on to another document")
            if index not in memo:
                memo[index] = 1.0 - _marginal(content, "O", index)
            return memo[index]

        return self._tag_runs(doc), probability

    def _tag_runs(self, doc: Doc) -> dict[str, list[TokenRun]]:
        if len(doc) == 0:
            return {layer: [] for layer in LAYERS}
        table = TokenTable.of(doc)
        base = lexical_features(doc, self.cue_prior, table)
        labels, marginals = self._tag("cue", pycrfsuite.ItemSequence(base))
        cue_runs = runs_from_labels(labels, marginals)
        cue_tokens = {i for run in cue_runs for i in range(run.start, run.end)}
        relative = cue_features(doc, cue_tokens, table)
        # one conversion for both taggers: building an ItemSequence costs as much as tagging it
        rows = pycrfsuite.ItemSequence([a + b for a, b in zip(base, relative)])
        result = {"cue": cue_runs}
        for layer in ("source", "content"):
            labels, marginals = self._tag(layer, rows)
            result[layer] = runs_from_labels(labels, marginals)
        return result
