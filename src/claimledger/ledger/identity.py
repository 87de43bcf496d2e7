"""Which real-world source a mention names: the rules that merge aliases into one identity.

Owns `identify`, a pure function from a source mention (text, canonical form, kind, document)
to an `Identity`: a stable key, a display name, a kind, a parent and the aliases it may register.
"Russian Defence Minister Sergei Shoigu", "Shoigu" and "Russia's Defence Ministry" share the key of
the ministry, whose parent is the Russian government that "the Kremlin" and "Moscow" name.
Anonymous sources get keys scoped to their document, so two articles' "officials" stay apart.
A user's alias file (YAML) overrides all of it. The store applies identities (ledger/ingest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from claimledger.ledger.gazetteer import ADJECTIVES, GOVERNMENT_WORDS, METONYMS, government_name

DEPARTMENTS = {
    "defence": "Defence", "defense": "Defence", "interior": "Interior", "health": "Health", "foreign": "Foreign",
    "foreign affairs": "Foreign", "finance": "Finance", "economy": "Economy", "justice": "Justice",
    "education": "Education", "energy": "Energy", "emergency": "Emergency", "emergencies": "Emergency",
    "emergency situations": "Emergency", "agriculture": "Agriculture", "transport": "Transport",
    "environment": "Environment", "labour": "Labour", "labor": "Labour", "trade": "Trade",
    "home": "Home", "culture": "Culture", "information": "Information", "disaster management": "Disaster Management",
}
TITLES = {
    "president", "prime", "minister", "spokesman", "spokeswoman", "spokesperson", "secretary", "general",
    "gen.", "gen", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "governor", "mayor", "senator", "sen.",
    "rep.", "representative", "chief", "director", "head", "deputy", "chairman", "chairwoman", "chair", "ceo",
    "commander", "colonel", "col.", "lt.", "major", "maj.", "admiral", "sir", "lord", "king", "queen", "prince",
    "foreign", "defence", "defense", "interior", "health", "finance", "former", "senior", "acting", "vice",
    "leader", "ambassador", "envoy", "official", "adviser", "advisor", "analyst", "professor", "prof.",
    "of", "the", "state", "press", "u.s.", "us", "uk", "u.k.",
    "coordinator", "manager", "officer", "inspector", "superintendent", "prosecutor", "attorney", "lawyer",
    "economist", "researcher", "engineer", "doctor", "nurse", "chancellor", "commissioner", "administrator",
}
ANONYMOUS_WORDS = {"source", "sources", "official", "officials", "person", "people", "insider", "insiders", "aide", "aides"}
ROLE_WORDS = {
    "governor", "mayor", "president", "spokesman", "spokeswoman", "spokesperson", "senator", "chancellor",
    "commander", "director", "chairman", "chairwoman", "ambassador", "envoy", "premier", "king", "queen",
}
VAGUE_GROUP_WORDS = {
    "some", "many", "several", "other", "others", "most", "few", "various", "numerous", "critics", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "both", "all",
}
STOPWORDS = {"of", "for", "the", "and", "on", "in", "de", "to"}
MINISTRY = re.compile(r"^(?:(?P<adj>.+?)\s+)?(?P<dept>[a-z][a-z ]*?)\s+(?:ministry|department)$")
MINISTRY_OF = re.compile(r"^(?:(?P<adj>.+?)\s+)?(?:ministry|department) (?:of|for) (?:the )?(?P<dept>[a-z][a-z ]*?)(?: of (?P<country>[a-z .']+))?$")
MINISTER = re.compile(r"^(?:(?P<adj>.+?)\s+)?(?P<dept>[a-z][a-z ]*?)\s+(?:minister|secretary)(?:\s+(?P<person>.+))?$")
ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Z0-9&.-]{1,9})\)")


@dataclass(frozen=True)
class Identity:
    key: str
    name: str
    kind: str
    parent: "Identity | None" = None
    aliases: tuple[str, ...] = ()  # normalised forms that should find this identity later
    use_aliases: bool = True  # False for mentions that must not be looked up globally (anonymous, generic)


@dataclass
class DocumentContext:
    """What earlier mentions in the same document settle: which ministry 'the ministry' is, which country."""

    document_id: str
    country: str | None = None
    last_ministry: Identity | None = None
    people: dict[str, Identity] = field(default_factory=dict)  # surname -> identity
    roles: dict[str, Identity] = field(default_factory=dict)  # "governor" -> the governor named earlier
    last_organisation: Identity | None = None  # the latest named organisation, for "the agency"


@dataclass(frozen=True)
class AliasFile:
    """A user's YAML: `Name: {kind: ..., parent: Name, aliases: [...]}`; wins over every rule."""

    entries: dict[str, tuple[str, str, str | None]]  # normalised alias -> (name, kind, parent name)

    @classmethod
    def load(cls, path: Path | None) -> "AliasFile":
        if path is None:
            return cls({})
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise ValueError(f"alias file not found: {path}") from None
        except yaml.YAMLError as error:
            raise ValueError(f"alias file {path} is not valid YAML: {str(error).splitlines()[0]}") from None
        if not isinstance(data, dict):
            raise ValueError(f"alias file {path}: expected a mapping of names to {{kind, parent, aliases}}")
        entries: dict[str, tuple[str, str, str | None]] = {}
        for name, spec in data.items():
            spec = spec or {}
            if not isinstance(spec, dict):
                raise ValueError(f"alias file {path}: entry {name!r} must be a mapping")
            record = (str(name), str(spec.get("kind", "organisation")), spec.get("parent"))
            for alias in [name, *(spec.get("aliases") or [])]:
                entries[normalise(str(alias))] = record
        return cls(entries)

    def identity(self, name_key: str) -> Identity | None:
        record = self.entries.get(name_key)
        if record is None:
            return None
        name, kind, parent = record
        parent_identity = self.identity(normalise(parent)) if parent else None
        return Identity(f"user:{normalise(name)}", name, kind, parent_identity, use_aliases=False)


NAME_CONTINUATION = re.compile(
    r"\s+(?:for|of|on)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|and|the|on))*(?:\s*\([A-Z][A-Z0-9&-]{1,9}\))?"
)


def _spelled_out(text: str, start: int, end: int) -> str | None:
    """'The UN Office' + ' for the Coordination of Humanitarian Affairs (OCHA)': the whole name where
    the text goes on to spell it out (the tagger often stops early), so the full name and its
    acronym become aliases."""
    match = NAME_CONTINUATION.match(text, end, min(len(text), end + 160))
    if not match or not text[start:end][:1].isalpha():
        return None
    words = text[start:end].split()
    if not any(w[:1].isupper() for w in words if w.lower() not in ("the", "a", "an")):
        return None
    return text[start : match.end()].rstrip()


def _fuller(text: str, canonical: str | None) -> str | None:
    """Keep the written name where the canonical form cut its spelled-out tail or acronym off."""
    if canonical is None or ACRONYM_IN_BRACKETS.search(text):
        return text
    at = text.lower().find(canonical.lower())
    if at >= 0 and NAME_CONTINUATION.fullmatch(text.rstrip(" ,"), at + len(canonical)):
        return text.rstrip(" ,")
    return canonical


def written_name(document_text: str, start: int, end: int, text: str, canonical: str | None) -> str | None:
    """The fullest name a source mention gives: spelled out after it, or as written, else canonical."""
    return _spelled_out(document_text, start, end) or _fuller(text, canonical)


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("“", "").replace("”", "").replace('"', "")
    text = " ".join(text.split()).strip(" .,;:-").lower()
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    return text


def government(country: str) -> Identity:
    return Identity(f"gov:{country.lower()}", government_name(country), "government")


def identify(text: str, canonical: str | None, kind: str, context: DocumentContext, aliases: AliasFile) -> Identity:
    """The identity a mention names; see the module docstring for the rules, in the order tried here."""
    surface = canonical or text
    key = normalise(surface)
    override = aliases.identity(key) or aliases.identity(normalise(text))
    if override is not None:
        return override
    if kind == "anonymous" or _looks_anonymous(key):
        return Identity(f"anon:{context.document_id[:16]}:{key}", surface, "anonymous", use_aliases=False)
    if len(key.split()) == 1 and key in context.people:
        # "Muchanga" after "Governor Jacinto Muchanga": the person this document named, whatever
        # kind the mention alone was guessed to be (a surname often looks like a place to NER)
        return context.people[key]
    if key.split()[0] in VAGUE_GROUP_WORDS or key.split()[0].isdigit():
        # "some analysts", "two traders": a different group in every article
        return Identity(f"group:{context.document_id[:16]}:{key}", _display(surface), kind, use_aliases=False)
    for form in dict.fromkeys((normalise(text), key)):
        # the written form first: "Interior Minister Julio Arce" says more than its canonical "Julio Arce"
        found = _government(form, context) or _ministry(form, context) or _minister(form, surface, context)
        if found is not None:
            return found
    if key in ROLE_WORDS and key in context.roles:
        return context.roles[key]  # "the governor": the governor this document named
    if context.last_organisation is not None and ORGANISATION_REFERENCE.fullmatch(key):
        return context.last_organisation  # "the agency", "the UN health agency": the body just named
    if not _has_proper_name(surface):
        # "the union", "western intelligence": without a name, the same words in two articles
        # need not mean the same body, so the mention stays within its document
        return Identity(f"local:{context.document_id[:16]}:{key}", _display(surface), kind if kind != "unknown" else "organisation", use_aliases=False)
    spokesperson = _spokesperson(" ".join(text.split()), surface, kind, context, aliases)
    if spokesperson is not None:
        return spokesperson
    if kind in ("person", "official") or (kind == "unknown" and _looks_like_name(surface)) or _titled_name(text, surface):
        return _person(surface, kind if kind in ("person", "official") else "person", context, written=text)
    named = _named_organisation(surface, kind)
    context.last_organisation = named
    return named


ORGANISATION_REFERENCE = re.compile(
    r"(?:(?:un|u\.n\.|eu|international|global|world|aid|health|relief|humanitarian|charity|medical|rights)\s+){0,2}"
    r"(?:agency|organisation|organization|charity|body|group|office|programme|program|fund|mission)"
)


def _named_organisation(surface: str, kind: str) -> Identity:
    acronyms = tuple(a.lower() for a in ACRONYM_IN_BRACKETS.findall(surface))
    plain = normalise(ACRONYM_IN_BRACKETS.sub("", surface))
    initials = _initials(plain)
    extra = acronyms + ((initials,) if initials else ())
    first, _, rest = plain.partition(" ")
    if first.removesuffix("'s") in ADJECTIVES and len(rest.split()) >= 2:
        extra += (rest,)  # "the Peruvian Red Cross" is "the Red Cross" in a story about Peru
    return Identity(f"name:{plain}", _display(surface), kind if kind != "unknown" else "organisation", aliases=(plain, *extra))


def _has_proper_name(surface: str) -> bool:
    words = [w for w in surface.split() if w.lower() not in ("the", "a", "an")]
    return any(w[:1].isupper() for w in words)


def _looks_anonymous(key: str) -> bool:
    words = key.split()
    return bool(words) and words[-1] in ANONYMOUS_WORDS and not any(w[:1].isupper() for w in words) and len(words) <= 8 and (
        words[0] in {"sources", "source", "officials", "official", "people", "insiders", "two", "three", "several", "some", "one", "senior", "an", "a", "other", "many"}
        or len(words) == 1
    )


def _government(key: str, context: DocumentContext) -> Identity | None:
    if key in METONYMS:
        return government(METONYMS[key])
    match = re.fullmatch(r"(?P<adj>.+?)\s+(?:" + "|".join(GOVERNMENT_WORDS) + ")", key)
    if match and match.group("adj") in ADJECTIVES:
        return government(ADJECTIVES[match.group("adj")])
    if key in ("government", "authorities", "administration"):
        if context.country:
            return government(context.country)
    return None


def _ministry(key: str, context: DocumentContext) -> Identity | None:
    match = MINISTRY_OF.match(key) or MINISTRY.match(key)
    if match is None:
        if key in ("ministry", "department") and context.last_ministry is not None:
            return context.last_ministry
        return None
    department = DEPARTMENTS.get(match.group("dept").strip())
    if department is None:
        return None
    country = _country(match.groupdict().get("adj"), context) or _country(match.groupdict().get("country"), context)
    return _ministry_identity(country or context.country, department, context)


def _ministry_identity(country: str | None, department: str, context: DocumentContext, aliases: tuple[str, ...] = ()) -> Identity:
    adjective = government_name(country).removesuffix(" government") + " " if country else ""
    parent = government(country) if country else None
    identity = Identity(f"ministry:{(country or '').lower()}:{department.lower()}", f"{adjective}{department} Ministry",
                        "government", parent, aliases)
    context.last_ministry = identity
    return identity


def _minister(key: str, surface: str, context: DocumentContext) -> Identity | None:
    match = MINISTER.match(key)
    if match is None:
        if key in ("minister", "secretary") and context.last_ministry is not None:
            return context.last_ministry
        return None
    department = DEPARTMENTS.get(match.group("dept").strip())
    if department is None:
        return None
    country = _country(match.group("adj"), context) or context.country
    person = match.group("person")
    aliases: tuple[str, ...] = ()
    if person:
        aliases = (normalise(person), normalise(person).split()[-1])
    identity = _ministry_identity(country, department, context, aliases)
    if person:
        context.people[normalise(person).split()[-1]] = identity
    return identity


def _country(adjective: str | None, context: DocumentContext) -> str | None:
    if not adjective:
        return None
    adjective = adjective.strip()
    if adjective in ADJECTIVES:
        return ADJECTIVES[adjective]
    last = adjective.split()[-1]
    return ADJECTIVES.get(last)


def _titled_name(written: str, surface: str) -> bool:
    """'Nampula provincial governor Jacinto Muchanga': a title word right before a personal name is a
    person, whatever kind the mention was guessed to be (the place in the title can mislead NER)."""
    words = written.replace("’", "'").split()
    name_words = surface.split()
    if len(name_words) < 2 or len(words) <= len(name_words) or words[-len(name_words):] != name_words:
        return False
    return words[-len(name_words) - 1].lower().strip(",") in TITLES and _looks_like_name(surface)


def _looks_like_name(surface: str) -> bool:
    words = [w for w in surface.replace("’", "'").split() if w.lower() not in TITLES]
    return 1 <= len(words) <= 4 and all(w[:1].isupper() and w[1:2].islower() for w in words) and len(surface) < 60


SPOKESPERSON = re.compile(
    r"^(?:the\s+)?(?P<org>.+?)(?:['’]s)?\s+(?:spokesman|spokeswoman|spokesperson|press secretary)(?:,)?\s+(?P<person>.+)$",
    re.IGNORECASE,
)


def _spokesperson(key: str, surface: str, kind: str, context: DocumentContext, aliases: AliasFile) -> Identity | None:
    """'Red Cross spokesman Diego Salcedo', 'Kremlin spokesman Dmitry Peskov': a spokesperson's words
    are the organisation's, as a minister's are the ministry's; the name becomes an alias."""
    match = SPOKESPERSON.match(key)
    if match is None:
        return None
    organisation = identify(match.group("org"), None, "organisation", context, aliases)
    if organisation.key.startswith(("anon:", "group:", "local:")):
        return None
    person = normalise(match.group("person"))
    return Identity(organisation.key, organisation.name, organisation.kind, organisation.parent,
                    organisation.aliases + (person, person.split()[-1]), organisation.use_aliases)


def _person(surface: str, kind: str, context: DocumentContext, written: str | None = None) -> Identity:
    words = [w.strip(",.") for w in surface.replace("’", "'").split()]
    written_words = [w.strip(",.") for w in (written or surface).replace("’", "'").split()]
    def is_title(word: str) -> bool:
        lower = word.lower().removesuffix("'s")
        return lower in TITLES or lower in METONYMS or lower in ADJECTIVES

    title = [w for w in words if is_title(w)]
    name = [w for w in words if not is_title(w) and w[:1].isupper()] or words
    full = normalise(" ".join(name))
    surname = full.split()[-1] if full else full
    if len(name) == 1 and surname in context.people:
        return context.people[surname]
    parent = None
    for word in title + words:
        lower = word.lower().removesuffix("'s")
        if lower in METONYMS:
            parent = government(METONYMS[lower])
            break
    identity = Identity(f"person:{full}", " ".join(name), "person" if kind == "unknown" else kind, parent,
                        aliases=(full, surname) if len(name) > 1 else (full,))
    context.people[surname] = identity
    for word in title + written_words:
        if word.lower() in ROLE_WORDS and len(name) > 1:
            context.roles[word.lower()] = identity
    return identity


def _initials(name: str) -> str | None:
    words = [w for w in name.split() if w not in STOPWORDS]
    if len(words) < 3:
        return None
    return "".join(w[0] for w in words)


def _display(surface: str) -> str:
    surface = " ".join(surface.split()).strip(" .,;:")
    return re.sub(r"^(?:the|The|a|an|A|An)\s+", "", surface)


DATELINE_CHARS = 80


def dominant_country(text: str) -> str | None:
    """The country a document is about: the one its dateline names ("LIMA (Reuters) -"), else the
    one it mentions most (by name, adjective or seat), the earlier mention winning a tie; None when
    it names none."""
    dateline = re.match(r"^\s*([^\n]{1,%d}?)\s+[-–—]\s" % DATELINE_CHARS, text)
    return (_most_named(dateline.group(1)) if dateline else None) or _most_named(text)


def _most_named(text: str) -> str | None:
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    tokens = re.findall(r"[a-z][a-z.'’]*", text.lower())
    for index, token in enumerate(tokens):
        if token in ("us", "uk"):  # the pronoun "us" is far more common than the country
            continue
        bigram = f"{token} {tokens[index + 1]}" if index + 1 < len(tokens) else ""
        country = ADJECTIVES.get(bigram) or METONYMS.get(bigram) or ADJECTIVES.get(token) or METONYMS.get(token)
        if country:
            counts[country] = counts.get(country, 0) + 1
            first.setdefault(country, index)
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], first[c]))
