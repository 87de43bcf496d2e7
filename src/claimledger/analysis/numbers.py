"""Find figures in plain text: values, ranges, bounds, approximations, changes and their units.

Owns the text-level half of quantity extraction: digits with separators and scales ("5,936",
"1.2 million", "$3bn", "40%"), number words (through text2num), fractions, vague magnitudes
("tens of thousands"), ranges ("between 10,000 and 50,000", "15-22", "from 5 to 6"), the NewsQuant
`change` of each figure, units and currencies, and the figures that are not quantities (dates,
times, ordinals, phone numbers, list markers, names such as "Galaxy S22"). Needs no parse, so it
can be tested on any text; every step looks at a bounded window, so the work grows linearly with
the text. The parsed layer (quantities.py) adds counted nouns, concepts, dates and attributions.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from text_to_num import text2num

from claimledger.analysis.units import (
    CURRENCY_ONLY_SCALES,
    CURRENCY_PREFIXES,
    SCALES,
    TIME_UNITS,
    UNITS,
    normalise_unit,
)

MAX_DIGITS = 30  # longer digit strings are identifiers or noise, not figures
VAGUE_CONVENTION = "newsquant: plural 'Ns of' = N to 10N"

TOKEN = re.compile(
    r"(?P<num>(?<![\w.])\.\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<frac>[\u00BC-\u00BE\u2150-\u215E])"
    r"|(?P<word>[A-Za-z]+)"
    r"|(?P<space>\s+)"
    r"|(?P<sym>\S)"
)

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = set(ONES.split()) | set(TENS.split()) | {"hundred", "thousand", "million", "billion", "trillion"}
WORD_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}
FRACTION_WORDS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
}
VAGUE_BASES = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
CURRENCY_LETTERS = {"us", "c", "a", "nz", "hk", "s"}
CURRENCY_CODES = {"usd", "eur", "gbp", "jpy", "cny", "rmb", "cad", "aud", "inr", "chf", "rub", "uah"}
CURRENCY_SYMBOLS = {"$", "€", "£", "¥", "₹", "₽", "₴"}

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
NOT_QUANTITIES = re.compile(
    "|".join(
        [
            r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?",  # ISO dates and times
            r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?",  # clock times
            r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)",
            rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?",  # March 7, 2019
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}}\b)?",  # 1 September 2019
            rf"\b{MONTH}\s+\d{{4}}\b",  # March 2022
            r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b",  # numeric dates
            r"\b\d+(?:st|nd|rd|th)\b",  # ordinals
            r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\b\d{3}[.-])\d{3,4}[\s.-]\d{4}\b",  # phone numbers
            r"\b\d+(?:\.\d+){2,}\b",  # versions, addresses
            r"^[ \t]*\(?\d{1,2}[.)](?=\s)",  # list markers
            r"\(\d{1,2}\)",  # footnote and shirt numbers: "(4)"
            r"\b\d{4}s\b|['’]\d0s\b",  # decades
        ]
    ),
    re.MULTILINE,
)

APPROXIMATE = re.compile(
    r"\b(?:about|around|roughly|approximately|approx\.?|nearly|almost|some|circa|an estimated|estimated"
    r"|close to|just about|more or less|somewhere around)\s*$|[~≈]\s*$"
)
LOWER_BOUND = re.compile(
    r"\b(?:more than|over|above|at least|in excess of|upwards of|greater than|exceeding|no fewer than"
    r"|no less than|north of|a minimum of|a record|as high as)\s+(?:just\s+|only\s+)?$"
)
UPPER_BOUND = re.compile(
    r"\b(?:up to|fewer than|less than|under|below|at most|no more than|as many as|as much as"
    r"|a maximum of|as little as|as few as|up to about|short of)\s+$"
)
AFTER_LOWER = re.compile(r"^(?:\s+[a-z]+){0,2}?\s*(?:or more|or higher|or above|or over|plus\b|\+)")
AFTER_UPPER = re.compile(r"^(?:\s+[a-z]+){0,2}?\s*(?:or less|or fewer|or under|or below|at most|or lower)")
AFTER_APPROXIMATE = re.compile(r"^\s*(?:or so|odd\b|-odd\b)")
RISE = (
    r"rose|rise|rises|rising|risen|grew|grow|grows|growing|grown|increased|increase|increases|increasing"
    r"|climbed|climb|climbs|climbing|jumped|jump|jumps|surged|surge|surges|soared|soar|soars|gained|gain|gains"
    r"|added|adds|rallied|advanced|advances|rebounded|up"
)
FALL = (
    r"fell|fall|falls|falling|fallen|dropped|drop|drops|dropping|declined|decline|declines|declining"
    r"|decreased|decrease|decreases|slid|slide|slides|slipped|slip|slips|tumbled|tumble|tumbles|plunged"
    r"|plunge|plunges|sank|sink|sinks|shed|sheds|eased|ease|eases|narrowed|narrow"
    r"|shrank|shrink|shrinks|cut|cuts|slumped|slump|down|contracted|dipped|dip"
)
CHANGE_LINK = r"(?:(?:by|to|an?|another|further|nearly|almost|about|some|slightly|sharply|just|only)\s+)*"
CHANGE_VERB = re.compile(rf"\b(?:(?P<up>{RISE})|(?P<down>{FALL}))\s+{CHANGE_LINK}$")
RANGE_START = re.compile(r"\b(?:(?:anywhere\s+)?between|from)\s+$", re.IGNORECASE)
RANGE_LINK = re.compile(r"^\s*(?:-|–|—|to|and|through)\s*$")
PER_UNIT = re.compile(
    r"^(?:\s+(?:per|a|an|each)\s+|\s*/\s*|-|\s+a-)"
    r"(?P<per>gram|kg|kilo|month|year|day|week|hour|share|person|head|capita|litre|liter|barrel|tonne|ton|mile|night)s?\b"
)
COMPARATIVE = re.compile(
    r"\b(?:the|that|this|their|its|his|her|our) (?:real |true |actual |final |overall )?"
    r"(?:figure|number|toll|total|tally|count|estimate)s?\b(?:\s+\w+){0,3}?\s+"
    r"(?P<phrase>(?:even |much |far |considerably |significantly |substantially )?(?P<dir>higher|greater|larger|bigger|lower|smaller))\b",
    re.IGNORECASE,
)
REFERENCE_WINDOW = 600  # characters back in which a comparative looks for the figure it refers to


class Token(NamedTuple):
    """A piece of text for the scanner (a tuple: the scanner makes one per word, space and sign)."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class NumberMention:
    """A figure found in text; offsets are into the text given to `find_numbers`."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    change: str = "="
    unit: str | None = None
    unit_normalized: str | None = None
    vague: str | None = None
    from_words: bool = False
    refers_back: bool = False  # "even higher": a bound set by an earlier figure
    delta: bool = False  # the size of a change ("fell 7%", "rose by 5"), not a level ("rose to 6.7%")


@dataclass
class _Atom:
    """One figure before ranges and modifiers are worked out."""

    start: int
    end: int
    value: float
    currency: str | None = None
    scale: float | None = None
    unit: str | None = None
    unit_normalized: str | None = None
    from_words: bool = False
    vague_high: float | None = None


def tokenize(text: str) -> list[Token]:
    return [Token(m.lastgroup or "sym", m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]


class _Scanner:
    """Walks the tokens once, reading a figure wherever one starts."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = [t for t in tokenize(text) if t.kind != "space"]
        self.masks = [(m.start(), m.end()) for m in NOT_QUANTITIES.finditer(text)]
        self.mask_starts = [s for s, _ in self.masks]

    def masked(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.mask_starts, start) - 1
        for s, e in self.masks[max(0, index) : index + 2]:
            if s < end and start < e:
                return True
        return False

    def attached(self, i: int) -> bool:
        """Token i follows token i-1 with no space between."""
        return i > 0 and self.tokens[i - 1].end == self.tokens[i].start

    def word(self, i: int) -> str:
        return self.tokens[i].text.lower() if 0 <= i < len(self.tokens) and self.tokens[i].kind == "word" else ""

    def atoms(self) -> list[_Atom]:
        found: list[_Atom] = []
        i = 0
        while i < len(self.tokens):
            read = self.read(i)
            if read is None:
                i += 1
                continue
            atom, i = read
            if not self.masked(atom.start, atom.end):
                found.append(atom)
        return found

    def read(self, i: int) -> tuple[_Atom, int] | None:
        token = self.tokens[i]
        if token.kind == "num":
            return self.read_digits(i)
        if token.kind == "frac":
            value = unicodedata.numeric(token.text)
            return self.finish(_Atom(token.start, token.end, value), i + 1)
        if token.kind == "word":
            return self.read_vague(i) or self.read_words(i)
        return None

    # --- digits -------------------------------------------------------------------------------
    def read_digits(self, i: int) -> tuple[_Atom, int] | None:
        token = self.tokens[i]
        if len(token.text.replace(",", "").replace(".", "")) > MAX_DIGITS:
            return None
        if self.identifier_before(i):
            return None
        value = float(token.text.replace(",", ""))
        start, j = token.start, i + 1
        currency, start, negative = self.currency_and_sign(i, start)
        if negative:
            value = -value
        value, j = self.exponent(value, j)
        if j < len(self.tokens) and self.tokens[j].kind == "frac" and self.attached(j):
            value += math.copysign(unicodedata.numeric(self.tokens[j].text), value or 1)
            j += 1
        fraction = self.fraction(value, j, currency)
        if fraction is not None:
            value, j = fraction
        if not math.isfinite(value):
            return None
        atom = _Atom(start, self.tokens[j - 1].end, value, currency=currency)
        if self.letters_attached(j):
            return None
        return self.finish(atom, j)

    def identifier_before(self, i: int) -> bool:
        """'S22', 'V-12', 'COVID-19': a figure glued to letters is part of a name."""
        if not self.attached(i):
            return False
        before = self.tokens[i - 1]
        if before.kind == "word":
            return before.text.lower() not in CURRENCY_CODES | {"minus"}
        if before.text in "-–" and i >= 2:
            # "V-12", "COVID -19": a hyphen that is not a minus sign, after a word
            return self.tokens[i - 2].kind == "word" and not self.sign_allowed(i - 1)
        return False

    def letters_attached(self, j: int) -> bool:
        """'49ers', '5G': letters glued after a figure that are neither a unit nor a scale."""
        if j >= len(self.tokens) or not self.attached(j) or self.tokens[j].kind != "word":
            return False
        glued = self.text[self.tokens[j].start : self.tokens[j].start + 12]
        return not (UNIT_AFTER.match(glued) or self.tokens[j].text.lower() in SCALES)

    def currency_and_sign(self, i: int, start: int) -> tuple[str | None, int, bool]:
        negative, k = False, i - 1
        if k >= 0 and self.tokens[k].text in "-−" and self.attached(i) and self.sign_allowed(k):
            negative, start, k = True, self.tokens[k].start, k - 1
        elif k >= 0 and self.word(k) == "minus":
            negative, start, k = True, self.tokens[k].start, k - 1
        currency = None
        if k >= 0 and self.tokens[k].text in CURRENCY_SYMBOLS and self.tokens[k + 1].start - self.tokens[k].end <= 1:
            symbol = self.tokens[k].text
            start, currency = self.tokens[k].start, CURRENCY_PREFIXES[symbol]
            if symbol == "$" and k >= 1 and self.word(k - 1) in CURRENCY_LETTERS and self.tokens[k].start - self.tokens[k - 1].end <= 1:
                prefix = self.word(k - 1) + "$"
                currency, start = CURRENCY_PREFIXES.get(prefix, currency), self.tokens[k - 1].start
            if not negative and k + 1 < i and self.tokens[k + 1].text in "-−":
                negative = True
        elif k >= 0 and self.word(k) in CURRENCY_CODES and self.tokens[k].text.isupper():
            currency, start = CURRENCY_PREFIXES.get(self.word(k), "dollar"), self.tokens[k].start
        return currency, start, negative

    def sign_allowed(self, k: int) -> bool:
        """A minus sign, not a hyphen: after a currency, an opening bracket, or a lower-case word."""
        if k == 0:
            return True
        before = self.tokens[k - 1]
        if before.text in CURRENCY_SYMBOLS or before.text in "([":
            return True
        if self.attached(k):
            return False
        return before.kind == "word" and before.text.islower()

    def exponent(self, value: float, j: int) -> tuple[float, int]:
        """'1.99×10−30' and '1e9'."""
        tokens = self.tokens
        if j + 1 < len(tokens) and tokens[j].text in "×x" and tokens[j + 1].text == "10":
            k = j + 2
            sign = 1
            if k < len(tokens) and tokens[k].text in "-−^" and tokens[k].text != "^":
                sign, k = -1, k + 1
            elif k < len(tokens) and tokens[k].text == "^":
                k += 1
                if k < len(tokens) and tokens[k].text in "-−":
                    sign, k = -1, k + 1
            if k < len(tokens) and tokens[k].kind == "num" and len(tokens[k].text) <= 4 and self.attached(k):
                return _safe_power(value, sign * int(float(tokens[k].text))), k + 1
            return value, j
        if j < len(tokens) and tokens[j].text in ("e", "E") and self.attached(j) and j + 1 < len(tokens):
            k = j + 1
            sign = 1
            if tokens[k].text in "+-" and self.attached(k) and k + 1 < len(tokens):
                sign, k = (-1 if tokens[k].text == "-" else 1), k + 1
            if tokens[k].kind == "num" and self.attached(k) and tokens[k].text.isdigit() and len(tokens[k].text) <= 6:
                return _safe_power(value, sign * int(tokens[k].text)), k + 1
        return value, j

    def fraction(self, value: float, j: int, currency: str | None) -> tuple[float, int] | None:
        """'1/2 pound': a small proper fraction; '$7/$9' is left for the range step."""
        tokens = self.tokens
        if currency or j + 1 >= len(tokens) or tokens[j].text != "/" or not self.attached(j) or not self.attached(j + 1):
            return None
        denominator = tokens[j + 1]
        if denominator.kind != "num" or not denominator.text.isdigit() or not value.is_integer():
            return None
        bottom = int(denominator.text)
        if not 0 < value < bottom <= 16:
            return None
        return value / bottom, j + 2

    # --- words --------------------------------------------------------------------------------
    def read_words(self, i: int) -> tuple[_Atom, int] | None:
        """'three hundred', 'a dozen', 'one fourth', 'twenty-one'."""
        words: list[str] = []
        j = i
        if self.word(i) in ("a", "an") and self.word(i + 1) in WORD_SCALES | {"dozen"}:
            words, j = ["one"], i + 1
        while j < len(self.tokens):
            w = self.word(j)
            if w in NUMBER_WORDS:
                words.append(w)
                j += 1
            elif w == "and" and words and self.word(j + 1) in NUMBER_WORDS and words[-1] in WORD_SCALES:
                j += 1
            elif self.tokens[j].text == "-" and words and self.attached(j) and self.word(j + 1) in NUMBER_WORDS:
                j += 1
            else:
                break
        if self.word(j) == "dozen":
            words, j = words + ["dozen"], j + 1
        if not words:
            return None
        value = _words_value(words)
        if value is None:
            return None
        end_token = j
        denominator = FRACTION_WORDS.get(self.word(j))
        if denominator and value <= 10 and not any(w in WORD_SCALES for w in words):
            value, end_token = value / denominator, j + 1
        atom = _Atom(self.tokens[i].start, self.tokens[end_token - 1].end, value, from_words=True)
        currency, atom.start, negative = self.currency_and_sign(i, atom.start)
        atom.currency = currency
        if negative:
            atom.value = -atom.value
        return self.finish(atom, end_token)

    def read_vague(self, i: int) -> tuple[_Atom, int] | None:
        """'dozens of', 'tens of thousands': the NewsQuant convention, N to 10N."""
        base = VAGUE_BASES.get(self.word(i))
        if base is None:
            return None
        j = i + 1
        if self.word(j) == "of" and self.word(j + 1) in VAGUE_BASES and VAGUE_BASES[self.word(j + 1)] >= 100:
            base *= VAGUE_BASES[self.word(j + 1)]
            j += 2
        elif base in (10, 20) or self.word(j) != "of":
            return None  # bare "tens" or "scores" is rarely a figure
        atom = _Atom(self.tokens[i].start, self.tokens[j - 1].end, base, from_words=True, vague_high=base * 10)
        return atom, j

    # --- what follows a figure -----------------------------------------------------------------
    def finish(self, atom: _Atom, j: int) -> tuple[_Atom, int]:
        """Scale words, units and 'per' units after a figure."""
        tokens = self.tokens
        if j < len(tokens) and tokens[j].kind == "word":
            name = tokens[j].text.lower()
            # "million", "bn" scale any figure; "m", "b", "k" only one glued to money ("$3m", not "3m")
            if name in SCALES and (name not in CURRENCY_ONLY_SCALES or (self.attached(j) and atom.currency)):
                atom.value *= SCALES[name]
                atom.scale = SCALES[name]
                atom.end = tokens[j].end
                j += 1
        rest = self.text[atom.end : atom.end + 40]
        match = UNIT_AFTER.match(rest)
        if match:
            surface = match.group("unit")
            normalized = normalise_unit(surface) or _currency_code(surface)
            if normalized and not (normalized == "metre" and surface == "m" and atom.currency):
                if not (atom.currency and normalized in CURRENCY_UNITS):
                    atom.unit, atom.unit_normalized = surface, normalized
                atom.end += match.end()
                j = self.skip_to(j, atom.end)
        if atom.currency and atom.unit_normalized is None:
            atom.unit_normalized = atom.currency
            atom.unit = self.text[atom.start : atom.start + 1] if self.text[atom.start] in CURRENCY_SYMBOLS else atom.currency
        per = PER_UNIT.match(self.text[atom.end : atom.end + 30])
        if per and atom.unit_normalized:
            atom.unit_normalized = f"{atom.unit_normalized} per {per.group('per').lower()}"
            atom.unit = f"{atom.unit}{self.text[atom.end : atom.end + per.end()]}"
            atom.end += per.end()
            j = self.skip_to(j, atom.end)
        return atom, j

    def skip_to(self, j: int, end: int) -> int:
        while j < len(self.tokens) and self.tokens[j].start < end:
            j += 1
        return j


def _currency_code(surface: str) -> str | None:
    key = surface.lower().rstrip("=")
    return CURRENCY_PREFIXES.get(key) if key in CURRENCY_CODES and surface[:3].isupper() else None


CURRENCY_UNITS = set(CURRENCY_PREFIXES.values())
_UNIT_SURFACES = sorted(set(UNITS) | {"M", "L"} | {c.upper() for c in CURRENCY_CODES}, key=len, reverse=True)
UNIT_AFTER = re.compile(
    r"^(?:\s?|-)(?P<unit>" + "|".join(re.escape(u) for u in _UNIT_SURFACES) + r")(?![A-Za-z0-9])=?",
    re.IGNORECASE,
)


def _safe_power(value: float, exponent: int) -> float:
    if abs(exponent) > 308:
        return math.inf
    return value * 10.0**exponent


def _words_value(words: list[str]) -> float | None:
    dozen = words[-1] == "dozen"
    if dozen:
        words = words[:-1] or ["one"]
    try:
        value = float(text2num(" ".join(words), "en"))
    except ValueError:
        return None
    return value * 12 if dozen else value


def _is_year(atom: _Atom, text: str) -> bool:
    """A bare four-digit figure from 1900 to 2099 with nothing counted after it is a year."""
    surface = text[atom.start : atom.end]
    if atom.currency or atom.unit or atom.from_words or not surface.isdigit() or not 1900 <= atom.value <= 2099:
        return False
    following = re.match(r"\s+([a-z]+)", text[atom.end : atom.end + 30])
    return not (following and following.group(1).endswith("s") and following.group(1) not in ("was", "is", "has", "as", "its", "this", "his", "plus"))


def _combine(atoms: list[_Atom], text: str) -> list[NumberMention]:
    """Join ranges, share units across them, and read each figure's change."""
    mentions: list[NumberMention] = []
    i = 0
    while i < len(atoms):
        first = atoms[i]
        second = atoms[i + 1] if i + 1 < len(atoms) else None
        start_match = RANGE_START.search(text[max(0, first.start - 20) : first.start])
        if second is not None and _is_range(first, second, text, start_match is not None):
            _share(first, second)
            start = first.start - (len(start_match.group(0)) if start_match else 0)
            low, high = sorted((first.value, second.value))
            mentions.append(_mention(start, second.end, None, low, high, second, text))
            i += 2
            continue
        if second is not None and re.fullmatch(r"-?\s*(?:or|and)\s*", text[first.end : second.start]):
            if first.unit_normalized is None and second.unit_normalized:
                first.unit, first.unit_normalized = second.unit, second.unit_normalized
        if first.vague_high is not None:
            mentions.append(_mention(first.start, first.end, None, first.value, first.vague_high, first, text, vague=True))
        else:
            mentions.append(_mention(first.start, first.end, first.value, None, None, first, text))
        i += 1
    return mentions


SAME_CHANGE_LINK = re.compile(r"(?:\s+[a-z]+){0,2}\s+or\s+|\s*[(/]\s*|\s*/\s*")


def _carry_change(mentions: list[NumberMention], text: str) -> list[NumberMention]:
    """'grew by 125,600 positions or 2.2 per cent', 'under 296 hp (224 kW / 300 PS)': one change for both."""
    carried: list[NumberMention] = []
    for mention in mentions:
        if carried and mention.change == "=" and carried[-1].change != "=":
            if SAME_CHANGE_LINK.fullmatch(text[carried[-1].end : mention.start]):
                mention = NumberMention(**{**mention.__dict__, "change": carried[-1].change, "delta": carried[-1].delta})
        carried.append(mention)
    return carried


def _is_range(first: _Atom, second: _Atom, text: str, opened: bool) -> bool:
    between = text[first.end : second.start]
    if first.vague_high is not None or second.vague_high is not None:
        return False
    if opened and re.fullmatch(r"\s*(?:to|and|-|–)\s*", between):
        return True
    if re.fullmatch(r"\s*/\s*", between):
        return bool(first.currency and second.currency)
    if not RANGE_LINK.match(between):
        return False
    if between.strip() == "and":
        return False
    if between.strip() in "-–—" and first.value < 0 <= second.value:
        return False
    return (first.unit_normalized is None or second.unit_normalized is None
            or first.unit_normalized == second.unit_normalized)


def _share(first: _Atom, second: _Atom) -> None:
    """'3 to 5 million', '15 to 22 miles per hour', '$1 to 2 million': one unit and scale for both."""
    if first.unit_normalized is None:
        first.unit, first.unit_normalized = second.unit, second.unit_normalized
    if second.unit_normalized is None:
        second.unit, second.unit_normalized = first.unit, first.unit_normalized
    if first.scale is None and second.scale and first.value * second.scale <= second.value * 1.0001:
        first.value *= second.scale
    first.currency = first.currency or second.currency


def _mention(start: int, end: int, value, low, high, atom: _Atom, text: str, vague: bool = False) -> NumberMention:
    before = text[max(0, start - 40) : start].lower()
    after = text[end : end + 40].lower()
    change = "="
    if APPROXIMATE.search(before) or AFTER_APPROXIMATE.match(after):
        change = "~"
    elif LOWER_BOUND.search(before) or AFTER_LOWER.match(after):
        change = ">"
    elif UPPER_BOUND.search(before) or AFTER_UPPER.match(after):
        change = "<"
    delta = False
    if change == "=":
        verb = CHANGE_VERB.search(text[max(0, start - 60) : start].lower())
        if verb:
            change = "up" if verb.group("up") else "down"
            delta = not re.search(r"\bto\s", verb.group(0)) and not RANGE_START.search(text[max(0, start - 20) : start].lower())
    return NumberMention(
        start, end, value, low, high, change, atom.unit, atom.unit_normalized,
        VAGUE_CONVENTION if vague else None, atom.from_words, delta=delta,
    )


def _comparatives(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """'the figure could be even higher': a bound set by the latest figure before it."""
    found: list[NumberMention] = []
    starts = [m.start for m in mentions]
    for match in COMPARATIVE.finditer(text):
        index = bisect.bisect_left(starts, match.start()) - 1
        if index < 0 or match.start() - mentions[index].end > REFERENCE_WINDOW:
            continue
        earlier = mentions[index]
        if earlier.unit_normalized in TIME_UNITS:
            continue
        start, end = match.start("phrase"), match.end("phrase")
        higher = match.group("dir").lower() in ("higher", "greater", "larger", "bigger")
        top = earlier.high if earlier.high is not None else earlier.value
        bottom = earlier.low if earlier.low is not None else earlier.value
        found.append(
            NumberMention(
                start, end, None, top if higher else None, None if higher else bottom, ">" if higher else "<",
                earlier.unit, earlier.unit_normalized, None, False, refers_back=True,
            )
        )
    return found


def find_numbers(text: str) -> list[NumberMention]:
    """Every figure in `text`, in text order."""
    scanner = _Scanner(text)
    atoms = [a for a in scanner.atoms() if not _is_year(a, text)]
    mentions = _carry_change(_combine(atoms, text), text)
    mentions += _comparatives(text, mentions)
    return sorted(mentions, key=lambda m: m.start)


__all__ = ["NumberMention", "find_numbers", "tokenize"]
