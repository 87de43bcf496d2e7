"""Governments below the country: which state, province, region or district a story is in, and
which mentions speak for that level's government.

"Gujarat Chief Minister Anjali Trivedi", "the chief minister", "the chief minister's office" and
"the state government" are one source in a story set in Gujarat, as a minister and the ministry
are one; "District Collector Vikram Solanki" and "the district administration" are the district's.
The place comes from the mention where it names one, else from the document (`read_places`); a
mention whose place cannot be told stays what the other rules make of it.
"""

from __future__ import annotations

import re
from collections import Counter

from claimledger.ledger.gazetteer import ADJECTIVES, METONYMS

LEVELS = {
    "state": "state", "province": "province", "provincial": "province", "region": "region", "regional": "region",
    "district": "district", "county": "county", "city": "city", "town": "city", "municipal": "city",
}
BODIES = {
    "state": "state government", "province": "provincial government", "region": "regional government",
    "district": "district administration", "county": "county government", "city": "city council",
}
# what a country's first division is called differs (states, provinces, regions), and stories mix
# the words ("South Sulawesi Governor X", "the provincial government"): one level when it must be told
FIRST_LEVEL_BODIES = ("state government", "provincial government", "regional government")
# heads of a level's executive, with the level the title implies (None: the document's level)
HEAD_TITLES = {
    "chief minister": "state", "governor": None, "district collector": "district", "collector": "district",
    "district magistrate": "district", "intendant": "region", "president": None, "mayor": "city",
}
# titles that head a territory only with a level word: "regional president X", not "President X"
LEVEL_ONLY_TITLES = {"president"}
# a governor of these is no head of a territory ("central bank governor"), a former one speaks for none
NOT_HEADS = {"former", "ex", "deputy", "vice", "bank", "central", "lieutenant", "outgoing"}
GOVERNOR_LEVELS = ("state", "region", "province")
FUNCTION_WORDS = {"the", "in", "at", "on", "for", "from", "across", "of", "and", "a", "an", "its", "their", "to", "by",
                  "with", "near", "as", "but", "when", "while", "after", "before", "this", "that", "both", "said"}

PLACE = r"[A-Z][\w'’-]+(?:\s+(?:(?:do|da|de|del|dos|das|la|el)\s+)?[A-Z][\w'’-]+){0,2}"
LEVEL_WORD = r"[Ss]tate|[Pp]rovince|[Rr]egion|[Dd]istrict|[Cc]ounty"
LEVEL_ADJECTIVE = r"[Rr]egional|[Pp]rovincial"
TITLE = "|".join(sorted(HEAD_TITLES, key=len, reverse=True))
PLACE_OF = re.compile(r"\b(?P<level>" + LEVEL_WORD + r") of (?P<place>" + PLACE + ")")
PLACE_LEVEL = re.compile(r"(?P<place>" + PLACE + r")\s+(?P<level>" + LEVEL_WORD + "|" + LEVEL_ADJECTIVE + r")\b")
PLACE_TITLE = re.compile(
    r"(?P<place>" + PLACE + r")\s+(?:(?P<level>(?i:state|regional|provincial|district))\s+)?(?P<title>(?i:" + TITLE + r"))\b")
TITLED = re.compile(
    r"^(?:(?:the|The)\s+)?(?:(?P<place>" + PLACE + r")\s+)??(?:(?P<level>(?i:state|regional|provincial|district))\s+)?"
    r"(?:(?P<owner>(?i:state|region|province|district))['’]s\s+)?(?P<title>(?i:" + TITLE + r"))(?:['’]s\s+office)?(?P<rest>(?:,?\s+[A-Z][\w'’.-]*)*),?$")
BODY = re.compile(
    r"^(?:(?P<place>.+?)\s+)?(?P<level>state|regional|provincial|district|county)\s+(?:government|administration|authorities)$"
    r"|^(?:(?P<city>.+?)\s+)?(?:city|town|municipal)\s+(?:council|hall|authorities)$")
# "the regional health department", "regional health chief X": the department of the region's government
DEPARTMENT = re.compile(
    r"^(?:(?:the|The)\s+)?(?:(?P<place>" + PLACE + r")['’]?s?\s+)??(?P<level>(?i:state|regional|provincial))\s+(?P<field>(?i:[a-z]+))\s+"
    r"(?P<title>(?i:department|chief|head|minister|secretary|councillor|director))(?P<rest>(?:,?\s+[A-Z][\w'’.-]*)*),?$")
# "Chief District Health Officer Dr Kavita Joshi" speaks for "the district health office"
OFFICER = re.compile(
    r"^(?:(?:the|The)\s+)?(?:(?P<place>" + PLACE + r")\s+)??(?:(?i:chief|senior|principal)\s+)?"
    r"(?P<level>(?i:state|regional|provincial|district))\s+(?P<field>(?i:[a-z]+))\s+(?i:officer)"
    r"(?P<rest>(?:,?\s+[A-Z][\w'’.-]*)*),?$")
OFFICE = re.compile(r"^(?:(?P<place>.+?)\s+)?(?P<level>state|regional|provincial|district)\s+(?P<field>[a-z]+)\s+office$")
# a head or officer named in the text: "Gujarat Chief Minister Anjali Trivedi", "Chief District Health Officer Dr Kavita Joshi"
HEAD_IN_TEXT = re.compile(
    r"(?:" + PLACE + r"\s+)?(?:(?i:state|regional|provincial|district)\s+)?(?:(?i:" + TITLE + r")|"
    r"(?:(?i:chief|senior|principal)\s+)?(?i:state|regional|provincial|district)\s+(?i:[a-z]+)\s+(?i:officer))"
    r"\s+(?:(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}")
HONORIFICS = {"dr", "dr.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "prof", "prof.", "sir"}
LEVEL_BODY_KEY = re.compile(r"^name:.+ (?P<body>(?:state|provincial|regional|district|county) (?:government|administration|[a-z]+ office))$")


def _place(text: str | None) -> str | None:
    """A place as written, without the function words a pattern may have caught before it."""
    if not text:
        return None
    words = text.split()
    while words and (words[0].lower() in FUNCTION_WORDS or _country_possessive(words[0])):
        words = words[1:]  # "Peru's Arequipa" region is Arequipa
    place = " ".join(words)
    place = re.sub(r"['’]s$", "", place)  # "Almadera's regional president"
    lower = place.lower().replace("’", "'")
    if not place or lower in ADJECTIVES or lower in METONYMS or lower.split()[-1] in LEVELS:
        return None
    return place


def _country_possessive(word: str) -> bool:
    lower = word.lower().replace("’", "'")
    return lower.endswith("'s") and (lower[:-2] in METONYMS or lower[:-2] in ADJECTIVES)


def read_places(text: str) -> dict[str, str]:
    """The place a document names most for each level: {'state': 'Gujarat', 'district': 'Kantha'}."""
    counts: dict[str, Counter] = {}
    found = [(m.group("level"), m.group("place")) for m in PLACE_OF.finditer(text)]
    found += [(m.group("level"), m.group("place")) for m in PLACE_LEVEL.finditer(text)]
    for match in PLACE_TITLE.finditer(text):
        level = match.group("level") or HEAD_TITLES[match.group("title").lower()]
        if level:
            found.append((level, match.group("place")))
    for level, place in found:
        place = _place(place)
        if place:
            counts.setdefault(LEVELS[level.lower()], Counter())[place] += 1
    return {level: counter.most_common(1)[0][0] for level, counter in counts.items()}


def _level_of_title(title: str, level_word: str | None, places: dict[str, str]) -> str | None:
    if level_word:
        return LEVELS[level_word.lower()]
    implied = HEAD_TITLES[title.lower()]
    if implied:
        return implied
    return next((level for level in GOVERNOR_LEVELS if level in places), "state")


def _headed(match: re.Match, level: str, body: str, places: dict[str, str]) -> tuple[str | None, str, list[str]] | None:
    """A head's mention: the place it names (else the document's for that level), the body, the
    head's name; None for a named head of a place that cannot be told (a person, then)."""
    place = _place(match.group("place")) or places.get(level)
    name = [w.strip(",.") for w in match.group("rest").replace(",", " ").split() if w.lower().strip(",") not in HONORIFICS]
    return (place, body, name) if place or not name else None


def level_body(written: str, key: str, places: dict[str, str]) -> tuple[str | None, str, list[str]] | None:
    """(place, body, name words of the head) where a mention speaks for a level's government:
    ('Gujarat', 'state government', ['Anjali', 'Trivedi']); the place is None where the document
    does not tell it; None where the mention is no such government or a named head of an unknown
    place (a person, whom the ledger's aliases can still find)."""
    if NOT_HEADS & set(key.replace("-", " ").split()):
        return None
    match = TITLED.match(written)
    if match is not None and match.group("title").lower() in LEVEL_ONLY_TITLES and not (match.group("level") or match.group("owner")):
        match = None  # "President X" heads no region
    if match is not None:
        level = _level_of_title(match.group("title"), match.group("level") or match.group("owner"), places)
        return _headed(match, level, BODIES[level], places)
    match = OFFICER.match(written)
    if match is not None:
        level = LEVELS[match.group("level").lower()]
        return _headed(match, level, f"{match.group('level').lower()} {match.group('field').lower()} office", places)
    match = DEPARTMENT.match(written)
    if match is not None:
        level = LEVELS[match.group("level").lower()]
        return _headed(match, level, f"{match.group('field').lower()} department", places)
    match = BODY.match(key)
    if match is not None and match.group("level") is None:  # "the city council"
        place = _place(match.group("city").title()) if match.group("city") else places.get("city")
        return place, BODIES["city"], []
    for pattern, body_of in ((BODY, lambda m: BODIES[LEVELS[m.group("level")]]),
                             (OFFICE, lambda m: f"{m.group('level')} {m.group('field')} office")):
        match = pattern.match(key)
        if match is not None:
            place = places.get(LEVELS[match.group("level")])
            written_place = match.group("place")
            if written_place:  # "a spokesman for the almadera regional government": the words after the last "for"
                words = written_place.split()
                cut = max((i + 1 for i, w in enumerate(words) if w in FUNCTION_WORDS), default=0)
                written_place = " ".join(words[cut:])
            if written_place and (place is None or written_place != place.lower()):
                place = _place(written_place.title())
            return place, body_of(match), []
    if key.endswith(" government") or key.endswith(" administration"):
        named = key.rsplit(" ", 1)[0]
        for level, place in places.items():
            if named == place.lower():
                return place, BODIES[level], []  # "the Gujarat government"
    return None


def level_of_key(key: str) -> str | None:
    """'name:gujarat state government' -> 'state government': the level body a source key names."""
    match = LEVEL_BODY_KEY.match(key)
    return match.group("body") if match else None


def heads_in_text(text: str) -> list[str]:
    """The mentions of named heads and officers of a level's government in a text, as written."""
    return [" ".join(match.group(0).split()) for match in HEAD_IN_TEXT.finditer(text)]
