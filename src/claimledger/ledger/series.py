"""Which figures measure the same thing: concept keys and the matching of a figure to a series.

A concept ("Russian soldier deaths in Ukraine", "people killed", "the death toll") becomes a set of
content words after plural folding and a small synonym table (killed, died, dead, deaths, losses,
fatalities -> death), without the words every count shares (number, total, toll, people). Two
figures belong to one series when their units are of one class and one word set holds the other:
"soldiers killed" joins "Russian soldier deaths in Ukraine"; "reserve soldiers" does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.analysis.units import FLOW_WORDS, TIME_UNITS, UNITS

SYNONYMS = {
    "killed": "death", "kill": "death", "killing": "death", "died": "death", "die": "death", "dead": "death",
    "death": "death", "fatality": "death", "toll": "death", "body": "death", "corpse": "death",
    "casualty": "casualty", "injured": "injury", "wounded": "injury", "injury": "injury", "hurt": "injury",
    # the people a disaster drove from their homes are counted as "evacuated" and "displaced" alike,
    # often by one agency in one week: one series
    "destroy": "destruction", "damage": "damage", "injure": "injury", "wound": "injury", "displace": "displacement",
    "evacuate": "displacement", "moved": "displacement", "relocated": "displacement", "relocate": "displacement",
    "detain": "arrest", "arrest": "arrest",
    "displaced": "displacement", "homeless": "displacement", "displacement": "displacement", "evacuated": "displacement",
    "evacuee": "displacement", "evacuation": "displacement",
    "refugee": "refugee", "missing": "missing", "unaccounted": "missing", "destroyed": "destruction",
    "damaged": "damage", "collapsed": "destruction", "arrested": "arrest", "detained": "arrest",
    "employee": "worker", "staff": "worker", "labourer": "worker", "laborer": "worker",
    "servicemen": "soldier", "serviceman": "soldier", "troop": "soldier", "military": "military",
    # in outbreak reporting the people who "fell ill" or were "infected" are its cases
    "ill": "case", "sick": "case", "sickened": "case", "infected": "case", "infection": "case",
    # "30 men still trapped" are the story's miners, passengers or workers: men and women are no kind
    # of person the way miners or soldiers are
    "men": "people", "man": "people", "women": "people", "woman": "people", "persons": "people",
    # people trapped underground or in rubble are the ones unaccounted for, until found
    "trapped": "missing",
    # "between 280 and 300 people had been travelling on the train", "212 people aboard"
    "traveled": "passenger", "travelled": "passenger", "travelling": "passenger", "traveling": "passenger",
    "aboard": "passenger", "onboard": "passenger",
    # "14 of the men survived", "12 miners were brought out alive", "rescued alive"
    "alive": "alive", "survived": "alive", "survive": "alive", "survivor": "alive", "rescued": "alive",
    # oil "spilled", "leaked" or "poured into the sea" is one spill; crude is oil; seabirds are birds
    "spilled": "spill", "spill": "spill", "leaked": "spill", "leak": "spill", "poured": "spill",
    "crude": "oil", "seabird": "bird",
    # people taken into hospital, whatever the verb
    "admitted": "hospitalised", "hospitalised": "hospitalised", "hospitalized": "hospitalised", "treated": "hospitalised",
    "succumbed": "death", "succumb": "death",
    "blinded": "blinded", "blind": "blinded",
    # a jailbreak: who got out, and who was caught again
    "escaped": "escape", "escape": "escape", "broke": "escape", "fled": "escape", "escapee": "inmate",
    "prisoner": "inmate", "recaptured": "arrest", "rearrested": "arrest", "caught": "arrest",
    # the drink of a poisoning, whatever it is called
    "gin": "liquor", "spirit": "liquor", "liquor": "liquor", "alcohol": "liquor", "brew": "liquor", "moonshine": "liquor",
    # land "under water", "submerged" or "inundated" is flooded land
    "flooded": "flood", "flood": "flood", "submerged": "flood", "inundated": "flood", "underwater": "flood",
}
# a measure's own name says nothing of what it measures: "hectares submerged" and "the area of
# flooded rice fields" are one quantity
AREA_WORDS = {"area", "surface", "extent"}
# what a word means of a measured amount, not of people ("barrels released" spilled; "rupiah released" paid out)
MEASURE_SYNONYMS = {"released": "spill", "discharged": "spill"}  # (people "discharged" leave hospital)
GENERIC = {
    "number", "total", "figure", "estimate", "count", "tally", "people", "person", "overall", "official",
    "amount", "level", "rate", "latest", "confirmed", "reported", "about", "some", "more", "than",
    "least", "at", "the", "of", "in", "a", "an", "and", "to", "for", "its", "their", "his", "her", "on",
    "by", "from", "as", "with", "so", "far", "just", "only", "all", "other", "others", "still",
    # "50 km of coastline north of Lima": where, not what
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "who", "whom", "which", "that", "them", "those", "out",
}
MEASURES = set(UNITS.values())
# counts of animals ("3,000 head of cattle killed") are never the toll of people
ANIMALS = {"cattle", "livestock", "animal", "head", "cow", "sheep", "goat", "pig", "poultry", "chicken", "horse", "dog", "bird"}
# a count of what is new each day or week is no running total ("150 new cases in the past week")
FLOWS = set(FLOW_WORDS)
# a part of a total ("children among the evacuated") is no count of the total
PARTS = {"among"}
# what happened to the counted, as the synonyms fold it: two keys of one series say the same
EVENTS = {"death", "casualty", "injury", "destruction", "damage", "displacement", "arrest", "missing", "case", "alive",
          "hospitalised", "blinded", "escape"}
# events that say less than another beside them: the survivors blinded are the blinded, the injured
# treated the injured
SECONDARY_EVENTS = {"alive", "hospitalised"}
# the size of a correction ("six deaths recorded twice", "13 deaths added") is no count of the total
CORRECTIONS = {"twice", "added"}
CIRCUMSTANCE = re.compile(r"\s(?:in|at|from|since|during|after|on|over|across|by|near|following|throughout|within)\s", re.IGNORECASE)
LOSS_WORDS = {"lost", "lose", "loss"}
PERSON_WORDS = {"soldier", "people", "person", "civilian", "life", "fighter", "personnel", "troop", "child", "worker",
                "passenger", "crew", "resident", "villager", "patient", "victim", "miner", "student", "pilgrim", "migrant"}
POSSESSIVE = re.compile(r"\b[A-Za-z]+['’]s\b")  # "the company's workers": whose, not what is counted


@dataclass(frozen=True)
class ConceptKey:
    unit_class: str
    words: frozenset[str]

    @property
    def text(self) -> str:
        return f"{self.unit_class}|{' '.join(sorted(self.words))}"

    def holds(self, other: "ConceptKey") -> bool:
        """One key names the other's quantity more or less closely ('deaths' and 'soldier deaths'),
        about the same event: 'workers on the night shift' is no count of 'workers killed'."""
        return self.unit_class == other.unit_class and bool(self.words) and bool(other.words) and (
            self.words <= other.words or other.words <= self.words
        ) and self.words & EVENTS == other.words & EVENTS and all(
            bool(self.words & kind) == bool(other.words & kind) for kind in (ANIMALS, FLOWS, PARTS, CORRECTIONS))


def fold(word: str) -> str:
    """Plural and simple inflection folding, then synonyms: 'fatalities' -> 'death'."""
    word = word.lower()
    if word in SYNONYMS:
        return SYNONYMS[word]
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and not word.endswith("ss"):
            base = word[: -len(suffix)] + replacement
            if suffix == "es" and base + "s" != word:
                continue
            word = base
            break
    return SYNONYMS.get(word, word)


def concept_key(concept: str | None, unit_normalized: str | None) -> ConceptKey | None:
    """None for figures that belong to no series: no concept, or a duration."""
    if not concept:
        return None
    if unit_normalized in TIME_UNITS:
        return None
    unit_class = unit_normalized if unit_normalized in MEASURES else "count"
    # "people killed in Tuesday's explosion at the plant" and "the death toll from last week's
    # explosion" count the same dead: what is counted comes before the event's circumstances
    head = POSSESSIVE.sub(" ", CIRCUMSTANCE.split(concept, maxsplit=1)[0])
    words = {fold(w) for w in re.findall(r"[A-Za-z]+", head)}
    if words & LOSS_WORDS and words & PERSON_WORDS:
        # "lost 1,351 soldiers" counts deaths; "lost 200 jobs" does not
        words = (words - LOSS_WORDS) | {"death"}
    words -= GENERIC
    if words & (EVENTS - SECONDARY_EVENTS):
        # "34 survivors had lost their sight", "injured people treated": counted by what befell them
        words -= SECONDARY_EVENTS
    if unit_class != "count":
        words = {MEASURE_SYNONYMS.get(w, w) for w in words if UNITS.get(w) != unit_class} - AREA_WORDS - {
            fold(w) for w in unit_class.split()}
    if not words:
        return None
    return ConceptKey(unit_class, frozenset(words))


class SeriesIndex:
    """The known series, found by the words of their keys.

    A series can only hold a key (or be held by it) when the two share a unit class and a word, so
    a lookup compares the key with the series sharing one of its words rather than with all of them:
    a ledger of many series costs the same per figure as a small one.
    """

    def __init__(self, series: list[tuple[str, ConceptKey]] = ()):
        self._by_word: dict[tuple[str, str], list[tuple[str, ConceptKey]]] = {}
        self.size = 0
        for series_id, key in series:
            self.add(series_id, key)

    def add(self, series_id: str, key: ConceptKey) -> None:
        self.size += 1
        for word in key.words:
            self._by_word.setdefault((key.unit_class, word), []).append((series_id, key))

    def best(self, key: ConceptKey) -> str | None:
        """The series (id) whose key holds or is held by `key`: equal first, then one whose other
        words name people, then the largest overlap, then the fewest other words (a bare "men
        missing" is the "miners missing", not the "contract workers hired and missing"), then the
        smallest id."""
        best: tuple[int, int, int, int, str] | None = None
        for word in key.words:
            for series_id, other in self._by_word.get((key.unit_class, word), ()):
                if not key.holds(other):
                    continue
                # a bare "death toll" counts people: a series of "workers killed" before "cattle died"
                people = (other.words - key.words) <= PERSON_WORDS
                rank = (0 if other.words == key.words else 1, 0 if people else 1, -len(other.words & key.words),
                        len(other.words - key.words), series_id)
                if best is None or rank < best:
                    best = rank
        return best[-1] if best else None


def parse_key(text: str) -> ConceptKey:
    unit_class, _, words = text.partition("|")
    return ConceptKey(unit_class, frozenset(words.split()))
