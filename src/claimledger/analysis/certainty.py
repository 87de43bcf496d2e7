"""How sure an attribution is: cue stance and hedges mapped to the ICD 203 scale.

Owns the hedge, weasel and booster lexicon (loaded once from `models/hedges.json`, which
`scripts/train_hedges.py` rebuilds from the CoNLL-2010 Wikipedia weasel sentences), the token
matcher that finds those cues in a text, and the combination of a cue's stance with the cues in
its content into a probability and the ICD 203 term (the first row of DESIGN.md's table:
"likely", never mixed with "probable").

The matcher works on text alone (no parse) so that `find_cues` can run on any slice of a
document. Training and matching share `tokens`, so a learned n-gram means the same thing in both.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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

# Where a hedge word leaves a claim on ICD 203's scale (its first row): "could"/"may" an even
# chance, "probably"/"likely" likely, "seems"/"suggests" a little above even, "unlikely" unlikely.
HEDGE_LEVELS = {
    "could": 0.5, "may": 0.5, "might": 0.45, "possibly": 0.4, "perhaps": 0.45, "maybe": 0.45, "possible": 0.45,
    "probably": 0.7, "likely": 0.7, "probable": 0.7, "unlikely": 0.3, "doubtful": 0.3,
    "seems": 0.6, "seem": 0.6, "seemed": 0.6, "appears": 0.6, "appear": 0.6, "apparently": 0.6,
    "suggest": 0.6, "suggests": 0.6, "suggested": 0.6, "indicate": 0.65, "indicates": 0.65,
    "reportedly": 0.6, "allegedly": 0.5, "purportedly": 0.5, "believed": 0.65, "thought": 0.6, "unclear": 0.45,
}
DEFAULT_HEDGE_LEVEL = 0.6
EXTRA_HEDGE_PENALTY = 0.05
WEASEL_PENALTY = 0.05
BOOSTER_BONUS = 0.1
BOOSTED = 0.95

LEXICON_PATH = Path(__file__).parent / "models" / "hedges.json"
KINDS = ("hedge", "weasel", "booster")
EXCEPTION = "exception"  # a lexicon entry that hides the cues inside it and is not reported itself

# A word, with inner hyphens and apostrophes ("so-called", "don't"); other punctuation separates.
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Characters that, between two words, start a new sentence or clause as far as casing goes.
_OPENERS = re.compile(r"[.!?:;\"“”‘`(\[\n]")
_DIGIT_NEXT = re.compile(r"\s+\d")
_DIGIT_BEFORE = re.compile(r"\d\s+$")


class Token(NamedTuple):
    norm: str  # lower-cased, except a capitalised word inside a sentence (a name or a title: "May")
    start: int
    end: int
    joined: bool  # only whitespace separates it from the previous token, so an n-gram may span both


@dataclass(frozen=True)
class CueMatch:
    text: str
    start: int
    end: int
    kind: str


def tokens(text: str) -> list[Token]:
    """Words of `text` with their offsets. A capitalised word that does not open a sentence keeps
    its case, so names and titles ("Theresa May", "Some Like It Hot") never match a lower-case cue;
    "May" next to a number is the month wherever it stands."""
    out: list[Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        word, start, end = match.group(0), match.start(), match.end()
        gap = text[previous_end:start]
        opens = not out or bool(_OPENERS.search(gap))
        norm = word.lower().replace("’", "'")
        if word[0].isupper() and not opens:
            norm = word
        elif norm == "may" and (_DIGIT_NEXT.match(text, end) or _DIGIT_BEFORE.search(text, max(0, start - 8), start)):
            norm = "May"
        out.append(Token(norm, start, end, joined=bool(out) and not gap.strip()))
        previous_end = end
    return out


def parse_entry(entry: str) -> tuple[tuple[str, ...], tuple[int, int]]:
    """`"[could] have"` -> (("could", "have"), (0, 1)): the words to match and the word range
    reported as the cue (the bracketed words; all of them when none is bracketed)."""
    words = entry.split()
    marked = [i for i, w in enumerate(words) if w.startswith("[") or w.endswith("]")]
    gram = tuple(w.strip("[]") for w in words)
    return gram, ((marked[0], marked[-1] + 1) if marked else (0, len(gram)))


class Lexicon:
    """Cue entries and their kind, matched leftmost-longest over `tokens`, so a longer entry (a cue,
    or an exception such as "may be") hides the entries inside it. An entry may report only part
    of what it matches: "[could] have" finds "could" where "have" follows."""

    def __init__(self, entries: dict[str, str]):
        self.entries: dict[tuple[str, ...], tuple[str, tuple[int, int]]] = {}
        for entry, kind in entries.items():
            gram, head = parse_entry(entry)
            self.entries[gram] = (kind, head)
        self.longest = max((len(k) for k in self.entries), default=0)
        self.first_words = {gram[0] for gram in self.entries}

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({entry: kind for kind in (*KINDS, EXCEPTION) for entry in data.get(kind, [])})

    def find(self, text: str, offset: int = 0) -> list[CueMatch]:
        found: list[CueMatch] = []
        words = tokens(text)
        i = 0
        while i < len(words):
            if words[i].norm not in self.first_words:
                i += 1
                continue
            for n in range(min(self.longest, len(words) - i), 0, -1):
                if n > 1 and not all(w.joined for w in words[i + 1 : i + n]):
                    continue
                match = self.entries.get(tuple(w.norm for w in words[i : i + n]))
                if match is not None:
                    kind, (first, last) = match
                    if kind != EXCEPTION:
                        start, end = words[i + first].start, words[i + last - 1].end
                        found.append(CueMatch(text[start:end], start + offset, end + offset, kind))
                    i += n
                    break
            else:
                i += 1
        return found


LEXICON = Lexicon.load()


def find_cues(text: str, offset: int = 0) -> list[CueMatch]:
    """Hedge, weasel and booster cues in text order; a longer cue hides the cues inside it."""
    return LEXICON.find(text, offset)


def term_for(probability: float) -> str:
    for low, high, term in ICD_203:
        if low <= probability < high:
            return term
    return ICD_203[-1][2]


def hedge_level(text: str) -> float:
    """The probability a hedge leaves a claim at, read off ICD 203's scale: 'could' is an even chance."""
    words = text.lower().replace("’", "'").split()
    for word in words:
        if word in HEDGE_LEVELS:
            return HEDGE_LEVELS[word]
    return DEFAULT_HEDGE_LEVEL


def combine(stance: str, cues: list[CueMatch]) -> float:
    """The cue's stance sets the start; the strongest hedge caps it, each further distinct hedge
    takes a little more, a weasel source a little more; a booster lifts a claim with no hedge.
    Within [0.01, 0.99]."""
    probability = STANCE_PROBABILITY.get(stance, STANCE_PROBABILITY["neutral"])
    hedges = sorted({c.text.lower() for c in cues if c.kind == "hedge"})
    if hedges:
        probability = min(probability, min(hedge_level(h) for h in hedges))
        probability -= EXTRA_HEDGE_PENALTY * (len(hedges) - 1)
    if any(c.kind == "weasel" for c in cues):
        probability -= WEASEL_PENALTY
    if not hedges and any(c.kind == "booster" for c in cues):
        probability = max(probability, min(BOOSTED, probability + BOOSTER_BONUS))
    return round(min(0.99, max(0.01, probability)), 2)
