"""Score quantities against NewsQuant-format files with CQE's matching.

Owns reading NewsQuant JSON (`[{"text", "quantities": [{"value", "change", "unit",
"normalized_unit", ...}]}]`) and the three CQE scores: a gold figure is found when a predicted
figure of the same sentence has the same value (or the same range), compared with numpy's
`isclose` tolerances (relative 1e-5, absolute 1e-8); each prediction matches at most one gold
figure, preferring one whose unit also matches. value+unit also needs the normalised unit (a
missing unit is "-"), value+change the NewsQuant change. Precision divides by all predictions,
recall by all gold figures.

One difference from CQE's script, on purpose: ranges are compared as sets. Our schema stores
`low` <= `high`, and NewsQuant writes some ranges in text order ("4.8-4.7" for "from 4.8 to 4.7").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

Value = float | tuple[float, float]


class NewsQuantError(ValueError):
    """The file cannot be read as NewsQuant; the message names the problem."""


@dataclass(frozen=True)
class Figure:
    value: Value
    unit: str
    change: str


@dataclass
class Sentence:
    text: str
    gold: list[Figure]


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    value: int = 0
    value_unit: int = 0
    value_change: int = 0
    misses: list[dict] = field(default_factory=list)

    def scores(self) -> dict[str, dict[str, float]]:
        return {
            "value": _prf(self.value, self.gold, self.predicted),
            "value+unit": _prf(self.value_unit, self.gold, self.predicted),
            "value+change": _prf(self.value_change, self.gold, self.predicted),
        }


def _prf(correct: int, gold: int, predicted: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def parse_gold_value(raw: str | float | int) -> Value:
    """'800000000.0', '-387', '1.99E-29', or a range '10000.0-100000.0'."""
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).strip()
    if "-" in text and not text.startswith("-") and "E" not in text.upper():
        low, high = text.split("-", 1)
        return (float(low), float(high))
    return float(text)


def read_newsquant(path: Path) -> list[Sentence]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NewsQuantError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NewsQuantError(f"{path} is not JSON: {error}") from None
    if not isinstance(data, list):
        raise NewsQuantError(f"{path}: expected a list of sentences, got {type(data).__name__}")
    sentences = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise NewsQuantError(f"{path}: item {index} has no 'text' string")
        gold = []
        for quantity in item.get("quantities") or []:
            try:
                value = parse_gold_value(quantity["value"])
            except (KeyError, ValueError, TypeError):
                raise NewsQuantError(f"{path}: item {index} has a quantity without a readable 'value': {quantity!r}") from None
            unit = str(quantity.get("normalized_unit") or "-").lower()
            gold.append(Figure(value, unit, str(quantity.get("change", "="))))
        sentences.append(Sentence(item["text"], gold))
    return sentences


def figures_from_analysis(analysis: dict) -> list[Figure]:
    """The figures of an Analysis JSON (its `quantities`), in the scorer's terms."""
    figures = []
    for quantity in analysis.get("quantities", []):
        if quantity.get("value") is not None:
            value: Value = float(quantity["value"])
        elif quantity.get("low") is not None and quantity.get("high") is not None:
            value = (float(quantity["low"]), float(quantity["high"]))
        elif quantity.get("low") is not None:
            value = float(quantity["low"])
        elif quantity.get("high") is not None:
            value = float(quantity["high"])
        else:
            continue
        figures.append(Figure(value, (quantity.get("unit_normalized") or "-").lower(), quantity.get("change") or "="))
    return figures


def values_match(gold: Value, predicted: Value) -> bool:
    if isinstance(gold, tuple) != isinstance(predicted, tuple):
        return False
    if isinstance(gold, tuple):
        return all(_close(g, p) for g, p in zip(sorted(gold), sorted(predicted)))  # type: ignore[arg-type]
    return _close(gold, predicted)  # type: ignore[arg-type]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-8 + 1e-5 * abs(b)  # numpy.isclose with its default tolerances


def score(sentences: list[Sentence], predictions: list[list[Figure]]) -> Counts:
    counts = Counts()
    for sentence, predicted in zip(sentences, predictions, strict=True):
        counts.gold += len(sentence.gold)
        counts.predicted += len(predicted)
        unmatched = list(predicted)
        for gold in sentence.gold:
            candidates = [p for p in unmatched if values_match(gold.value, p.value)]
            if not candidates:
                counts.misses.append({"text": sentence.text, "gold": gold.__dict__, "predicted": [p.__dict__ for p in predicted]})
                continue
            best = next((p for p in candidates if p.unit == gold.unit), candidates[0])
            unmatched.remove(best)
            counts.value += 1
            counts.value_unit += best.unit == gold.unit
            counts.value_change += best.change == gold.change
    return counts
