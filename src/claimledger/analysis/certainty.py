"""How sure an attribution is: cue stance and hedges mapped to the ICD 203 scale.

Owns the hedge, weasel and booster lexicon, the search for those cues in a text, and the
combination of a cue's stance with the cues in its content into a probability and the ICD 203
term (the first row of DESIGN.md's table: "likely", never mixed with "probable").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (lower, upper, term) rows of ICD 203; only the first of the two wordings is used.
ICD_203 = [
    (0.00, 0.05, "almost no chance"),
    (0.05, 0.20, "very unlikely"),
    (0.20, 0.45, "unlikely"),
    (0.45, 0.55, "roughly even chance"),
    (0.55, 0.80, "likely"),
    (0.80, 0.95, "very likely"),
    (0.95, 1.01, "almost certain"),
]

STANCE_PROBABILITY = {"factive": 0.9, "neutral": 0.75, "tentative": 0.6, "distancing": 0.5}

HEDGES = [
    "seems to suggest", "seems to", "seem to", "seemed to", "appears to", "appear to", "seems",
    "could", "may", "might", "possibly", "perhaps", "probably", "likely", "unlikely", "suggests",
    "suggest", "reportedly", "allegedly", "apparently", "presumably", "potentially", "estimated",
    "roughly", "approximately", "believed to", "thought to", "it is believed", "it is thought",
    "it is said", "it is claimed", "it is reported", "not clear", "unclear", "if that's the case",
]
WEASELS = [
    "some analysts", "some experts", "some observers", "some critics", "some people", "some say",
    "many believe", "many say", "sources say", "sources said", "critics say", "experts say",
    "analysts say", "it has been said", "some have", "many have", "it is widely", "widely regarded",
    "widely believed", "many consider", "some consider", "some argue", "others argue",
]
BOOSTERS = [
    "no doubt", "clearly", "certainly", "definitely", "undoubtedly", "without doubt", "of course",
    "obviously", "surely", "indeed", "in fact", "must",
]

HEDGE_PENALTY = {"hedge": 0.2, "weasel": 0.1}
BOOSTER_BONUS = 0.1


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in alternatives) + r")\b", re.IGNORECASE)


PATTERNS = {"weasel": _pattern(WEASELS), "hedge": _pattern(HEDGES), "booster": _pattern(BOOSTERS)}


@dataclass(frozen=True)
class CueMatch:
    text: str
    start: int
    end: int
    kind: str


def find_cues(text: str, offset: int = 0) -> list[CueMatch]:
    """Hedge, weasel and booster cues in text order; a longer cue hides the cues inside it."""
    found: list[CueMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            found.append(CueMatch(match.group(0), start + offset, end + offset, kind))
    return sorted(found, key=lambda c: c.start)


def term_for(probability: float) -> str:
    for low, high, term in ICD_203:
        if low <= probability < high:
            return term
    return ICD_203[-1][2]


def combine(stance: str, cues: list[CueMatch]) -> float:
    """Start from the cue's stance; each hedge lowers, each booster raises, within [0.01, 0.99]."""
    probability = STANCE_PROBABILITY.get(stance, 0.75)
    kinds = {c.kind for c in cues}
    for kind in ("hedge", "weasel"):
        if kind in kinds:
            probability -= HEDGE_PENALTY[kind]
    if "booster" in kinds:
        probability += BOOSTER_BONUS
    return round(min(0.99, max(0.01, probability)), 2)
