"""Sentence-level uncertainty scoring on CoNLL-2010 style `text,label` CSV files.

Owns the reader for those files (label 1 = uncertain: the sentence holds a hedge or weasel cue)
and the scoring protocol of DESIGN.md: precision, recall and F1 of the uncertain class, where a
sentence is predicted uncertain when its Analysis has at least one `hedges` entry of kind `hedge`
or `weasel` (boosters do not count), which is what an outside scorer sees through
`claimledger analyze --jsonl`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claimledger.analysis.schema import Analysis, Document

if TYPE_CHECKING:
    from claimledger.analysis.analyzer import Analyzer

UNCERTAIN_KINDS = frozenset({"hedge", "weasel"})


class WeaselDataError(ValueError):
    """The file cannot be read as a `text,label` CSV; the message is one line for the user."""


@dataclass(frozen=True)
class Sentence:
    text: str
    label: bool  # True: uncertain


@dataclass(frozen=True)
class WeaselScore:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    n: int
    skipped: int = 0  # analyses flagged `skipped` (e.g. not_english): they carry no hedges

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int, n: int, skipped: int = 0) -> WeaselScore:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, tp, fp, fn, n, skipped)


def read_sentences(path: str | Path) -> list[Sentence]:
    """Rows of a CSV with a `text` and a `label` (0 or 1) column, in file order."""
    path = Path(path)
    if not path.is_file():
        raise WeaselDataError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"text", "label"} - set(reader.fieldnames or [])
            if missing:
                raise WeaselDataError(f"{path}: missing column(s) {', '.join(sorted(missing))}; expected text,label")
            sentences = []
            for row in reader:
                label = (row["label"] or "").strip()
                if label not in ("0", "1"):
                    raise WeaselDataError(f"{path}, line {reader.line_num}: label {label!r} is not 0 or 1")
                sentences.append(Sentence(row["text"] or "", label == "1"))
    except UnicodeDecodeError as error:
        raise WeaselDataError(f"{path}: not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise WeaselDataError(f"{path}: not a readable CSV ({error})") from None
    return sentences


def is_uncertain(analysis: Analysis) -> bool:
    return any(h.kind in UNCERTAIN_KINDS for h in analysis.hedges)


def score_predictions(predictions: Iterable[bool], labels: Iterable[bool]) -> WeaselScore:
    tp = fp = fn = n = 0
    for predicted, label in zip(predictions, labels, strict=True):
        n += 1
        tp += predicted and label
        fp += predicted and not label
        fn += label and not predicted
    return WeaselScore.from_counts(tp, fp, fn, n)


def score(analyses: Iterable[Analysis], labels: Iterable[bool]) -> WeaselScore:
    """P/R/F1 of the uncertain class; analyses and labels are paired in order."""
    analyses = list(analyses)
    counts = score_predictions((is_uncertain(a) for a in analyses), labels)
    skipped = sum("skipped" in a.flags for a in analyses)
    return WeaselScore.from_counts(counts.tp, counts.fp, counts.fn, counts.n, skipped)


def analyze_sentences(sentences: Sequence[Sentence], analyzer: Analyzer) -> list[Analysis]:
    return list(analyzer.analyze_many(Document(text=s.text) for s in sentences))


def score_file(path: str | Path, analyzer: Analyzer) -> WeaselScore:
    """Read the CSV, run the Analyzer on every sentence and score its hedges."""
    sentences = read_sentences(path)
    return score(analyze_sentences(sentences, analyzer), (s.label for s in sentences))
