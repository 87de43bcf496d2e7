"""Which real-world source a mention names: the rules that merge aliases into one identity.

Owns `identify`, a pure function from a source mention (text, canonical form, kind, document)
to an `Identity`: a stable key, a display name, a kind, a parent and the aliases it may register.
"Russian Defence Minister Sergei Shoigu", "Shoigu" and "Russia's Defence Ministry" share the key of
the ministry, whose parent is the Russian government that "the Kremlin" and "Moscow" name.
Anonymous sources get keys scoped to their document, so two articles' "officials" stay apart.
A user's alias file (YAML) overrides all of it. The store applies identities (ledger/ingest.py).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from claimledger.ledger.gazetteer import ADJECTIVES, GOVERNMENT_WORDS, METONYMS, government_name
from claimledger.ledger.levels import LEVELS, heads_in_text, level_body, read_places

COUNTRY_WORDS = frozenset(ADJECTIVES) | frozenset(METONYMS)  # words that name a country or its government

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
    "collector", "commandant", "magistrate", "lieutenant", "captain", "sergeant", "constable", "brigadier",
    "prefect", "mp", "lawmaker", "legislator", "councillor", "councilor",
}
ANONYMOUS_WORDS = {"source", "sources", "official", "officials", "person", "people", "insider", "insiders", "aide", "aides"}
ROLE_WORDS = {
    "governor", "mayor", "president", "spokesman", "spokeswoman", "spokesperson", "senator", "chancellor",
    "commander", "director", "chairman", "chairwoman", "ambassador", "envoy", "premier", "king", "queen",
    "colonel", "general", "captain", "inspector", "superintendent", "chief", "collector", "commandant", "magistrate",
    "prosecutor", "prefect", "commissioner",
}
VAGUE_GROUP_WORDS = {
    "some", "many", "several", "other", "others", "most", "few", "various", "numerous", "critics", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "both", "all",
}
STOPWORDS = {"of", "for", "the", "and", "on", "in", "de", "to"}
# first words of "X Minister" / "X Secretary" that are no department
NOT_DEPARTMENTS = {"prime", "press", "general", "cabinet", "chief", "permanent", "first", "deputy", "state", "executive",
                   "former", "acting", "junior", "senior", "parliamentary", "private", "principal", "assistant", "under"}
# words in TITLES only as parts of longer titles ("Secretary of State", "Press Secretary")
NOT_TITLES_ALONE = {"of", "the", "state", "press", "u.s.", "us", "uk", "u.k.", "foreign", "defence", "defense",
                    "interior", "health", "finance", "general"}
MINISTRY = re.compile(r"^(?:(?P<adj>.+?)\s+)?(?P<dept>[a-z][a-z ]*?)\s+(?:ministry|department)$")
MINISTRY_OF = re.compile(r"^(?:(?P<adj>.+?)\s+)?(?:ministry|department) (?:of|for) (?:the )?(?P<dept>[a-z][a-z ]*?)(?: of (?P<country>[a-z .']+))?$")
MINISTER = re.compile(r"^(?:(?P<adj>.+?)\s+)?(?P<dept>[a-z][a-z ]*?)\s+(?:minister|secretary)(?:\s+(?P<person>.+))?$")
MINISTER_OF = re.compile(r"^(?:(?P<adj>[a-z' ]+?)\s+)?minister (?:of|for) (?:the )?(?P<rest>[a-z][^,]*)$")
# letters that open a name, beyond ASCII ("Édgar", "Ștefan", "Łukasz"), and the ones that go on with it
UPPER = "[A-ZÀ-ÖØ-ÞŁŚŠŽČĆŘȘȚ]"
LOWER = "[a-zà-ÿĀ-žșț'’-]"
ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Z0-9&.-]{1,9})\)")
SHORT_NAME_AT_END = re.compile(r"\s*\(([A-Z][\w&.-]{1,11})\)?[\s,]*$")  # "(Sumicar)", a short name that is no acronym


@dataclass(frozen=True)
class Identity:
    key: str
    name: str
    kind: str
    parent: "Identity | None" = None
    aliases: tuple[str, ...] = ()  # normalised forms that should find this identity later
    use_aliases: bool = True  # False for mentions that must not be looked up globally (anonymous, generic)
    # keys of identities this one is, where the ledger already has them: "Minas Gerais Civil
    # Defence" is the "Civil Defence" source, but two differently prefixed ones are not one another
    same_as: tuple[str, ...] = ()
    # "the state government" in a text that does not say which state, "the ministry of mines and
    # energy" in one that names no country: the one source of the ledger of that kind ('state
    # government', 'ministry mines and energy'; see `levels.level_of_key`, `ministry_of_key`), if exactly one
    the_only: str | None = None
    # "the coast guard" in a text that names none: the source the ledger knows by exactly that name
    known_as: str | None = None
    # "the company", "the agency" where no body the text names fits as it is read: the one source
    # the ledger knows, named somewhere in this text, that the noun fits (see `fits_reference`)
    refers_to: str | None = None


@dataclass
class DocumentContext:
    """What earlier mentions in the same document settle: which ministry 'the ministry' is, which country."""

    document_id: str
    country: str | None = None
    last_ministry: Identity | None = None
    people: dict[str, Identity] = field(default_factory=dict)  # surname -> identity
    roles: dict[str, Identity] = field(default_factory=dict)  # "governor" -> the governor named earlier
    last_organisation: Identity | None = None  # the latest named organisation, for "the agency"
    organisations: list[Identity] = field(default_factory=list)  # named organisations, in order
    companies: list[str] = field(default_factory=list)  # names the text calls a company or operator, most named first
    bodies: list[str] = field(default_factory=list)  # capitalised names of associations, federations… in the text
    anonymous: dict[str, Identity] = field(default_factory=dict)  # head noun -> the anonymous source it named first
    places: dict[str, str] = field(default_factory=dict)  # level -> the state, region, district… the text is in
    last_person: Identity | None = None  # whom a named person's mention resolved to, latest first

    @classmethod
    def read(cls, document_id: str, text: str) -> "DocumentContext":
        """The context of a document before any mention is resolved: its country and the places it
        is in, the bodies it names and the ones it calls a company ("the dam's operator, Energia
        Tapera"), and the people and acronyms it ties to a source wherever it introduces them
        ("IFRC head of delegation Clara Mendes", "Andrés Kolbe, the company's chief executive",
        "the Department of Transportation (DOTr)"), so that a mention before the introduction or
        by surname alone finds its source."""
        context = cls(document_id, country=dominant_country(text), places=read_places(text))
        context.companies = _companies(text)
        # a match may run over a sentence's end ("in Khambhat. The … Union"): the name after it
        context.bodies = list(dict.fromkeys(filter(None, (_body_name(m.group(0)) for m in BODY.finditer(text)))))
        _read_heads_of_places(context, text)
        _read_acronyms(context, text)
        _read_ministers(context, text)
        _read_introductions(context, text)
        return context

    def name_person(self, person: str, speaker: "Identity") -> None:
        """A person the text ties to a source, by full name and surname (the first tie wins); the
        names become the source's aliases, so that another text's "Pană" finds it in the ledger."""
        if speaker.use_aliases:
            speaker = dataclasses.replace(speaker, aliases=tuple(dict.fromkeys((*speaker.aliases, person, person.split()[-1]))))
        self.people.setdefault(person, speaker)
        self.people.setdefault(person.split()[-1], speaker)

    def reader(self) -> "DocumentContext":
        """A fresh context for resolving an introduction: what the text names, none of its people yet."""
        return DocumentContext(self.document_id, country=self.country, companies=self.companies, bodies=self.bodies,
                               places=self.places)


GOVERNMENT_VOICES = {"presidential", "palace", "government"}


def _government_voice(organisation: str, context: DocumentContext) -> Identity | None:
    """'Presidential spokesperson X', 'palace spokesman': the country's government speaking."""
    return government(context.country) if normalise(organisation) in GOVERNMENT_VOICES and context.country else None


BODY_LEAD = re.compile(r"^(?:(?:At|In|On|From|By|With|For|After|Before|Outside|Inside|Near)\s+)+")


def _body_name(found: str) -> str | None:
    """A body's name as BODY found it, without what came before it: a sentence it ran over ("in
    Khambhat. The … Union"), a preposition that opens the sentence ("At Nakasanvu General Hospital");
    None for a bare noun ("Police said")."""
    name = BODY_LEAD.sub("", re.split(r"\.\s+", " ".join(found.split()))[-1])
    return name if len([w for w in name.split() if w.lower() != "the"]) >= 2 else None


def _read_heads_of_places(context: DocumentContext, text: str) -> None:
    for written in heads_in_text(text):
        # "…, she said" before the head is named in full: the name already speaks for the office
        found = level_body(written, normalise(written), context.places)
        if found is not None and found[0] is not None and len(found[2]) > 1:
            _level_government(*found, context)


def _last_sentence(words: str) -> str:
    """A name a pattern matched across a sentence's end ("… Sibiu and Craiova. The Federation of
    Railway Trade Unions"): the part after the last full stop (not an initial's: "U.S. Agency")."""
    return SENTENCE_END.split(" ".join(words.split()))[-1]


def _read_acronyms(context: DocumentContext, text: str) -> None:
    for match in ACRONYM_INTRODUCED.finditer(text):
        # "the Department of Transportation (DOTr)" outside any source mention: "the DOTr" is it
        name = SENTENCE_OPENER.sub("", _last_sentence(match.group("name")))
        named = identify(name, None, "organisation", context.reader(), AliasFile({}))
        acronym = match.group("acronym").lower()
        if named.key.startswith(("name:", "ministry:", "gov:")) and acronym not in context.people:
            context.people[acronym] = dataclasses.replace(named, aliases=named.aliases + (acronym,))


def _read_ministers(context: DocumentContext, text: str) -> None:
    for match in MINISTER_NAMED.finditer(text):
        # "…, ordered by Transportation Secretary Corazon Villanueva": "Villanueva said" later is the ministry
        written = _last_sentence(match.group(0))
        before, joined, after = written.rpartition(" and ")
        if joined and _ends_a_name(text[: match.start() + len(before) + 1], before):
            written = after  # "… Minister Sorin Vlădescu and Health Minister Ioana Bratu": the second one only
        minister = identify(written, None, "person", context.reader(), AliasFile({}))
        if minister.key.startswith("ministry:"):
            context.name_person(normalise(match.group("person")), minister)


def _ends_a_name(text_before: str, words: str) -> bool:
    """Whether `words` end the name of a minister or secretary the text has just given."""
    last = re.escape(words.split()[-1])
    return re.search(r"(?:Minister|Secretary)\s+(?:\S+\s+){0,2}" + last + r"\W*$", text_before) is not None


def _read_introductions(context: DocumentContext, text: str) -> None:
    for match in [*INTRODUCTION.finditer(text), *INTRODUCED_AFTER.finditer(text), *INTRODUCED_ROLE_OF.finditer(text)]:
        speaker = _introduced_organisation(context, _last_sentence(match.group("org")).removesuffix("'s").removesuffix("’s"))
        if speaker is not None:
            context.name_person(normalise(match.group("person")), speaker)


def _introduced_organisation(context: DocumentContext, organisation: str) -> Identity | None:
    """The body a person is introduced as speaking for, where the text lets it be told."""
    if organisation.lower() in ("the company", "company") and context.companies:
        organisation = context.companies[0]
    words = {w.lower().removesuffix("'s").removesuffix("’s") for w in organisation.split()}
    generic = organisation.lower().removeprefix("the ") in BODY_WORDS  # "the group's director"
    if words & COUNTRY_WORDS or not (organisation[:1].isupper() or organisation[:4].lower() == "the " or generic):
        return None
    if normalise(organisation) in GOVERNMENT_VOICES:
        return _government_voice(organisation, context)
    if generic:  # only a body the text names by that noun ("Board chairman X")
        noun = organisation.lower().removeprefix("the ")
        return _company(context.reader()) if noun in ("company", "firm") else _named_by_noun(noun, context.reader())
    speaker = identify(organisation, None, "organisation", context.reader(), AliasFile({}))
    return speaker if speaker.key.startswith(("name:", "ministry:")) else None


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
    """Keep the written name where the canonical form cut its spelled-out tail or acronym off, or
    the first word of a name ('Energia Tapera', not 'Tapera'; but 'President X' stays 'X')."""
    if canonical is None or ACRONYM_IN_BRACKETS.search(text):
        return text
    head = re.sub(r"^(?:the|The)\s+", "", text.split(",")[0].strip())
    front = head[: len(head) - len(canonical)].split()
    if (head != canonical and head.endswith(" " + canonical) and len(head.split()) <= 6
            and all(w[:1].isupper() and w.lower() not in TITLES and w.lower() not in ADJECTIVES for w in front)):
        return head
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


PRONOUNS = {"he", "she", "him", "her"}


def identify(text: str, canonical: str | None, kind: str, context: DocumentContext, aliases: AliasFile) -> Identity:
    """The identity a mention names; see the module docstring for the rules, in the order tried here.
    A pronoun the analysis left unresolved ("…, he said") is the person the document named last."""
    key = normalise(canonical or text)
    if key in PRONOUNS and context.last_person is not None:
        return context.last_person
    identity = _identify(text, canonical, kind, context, aliases)
    if identity.key.startswith("person:") or (kind != "anonymous" and _name_after_title(" ".join(text.split()).split())):
        context.last_person = identity  # "District Collector Vikram Solanki" speaks for his district
    return identity


TIME_TAIL = re.compile(
    r"(?:\s+(?:on|late|early|last|this)?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?)+[\s,]*$")


def _without_day(name: str) -> str:
    """'The Lagos State Emergency Management Agency on Monday', 'Kayode Alabi Thursday': the day
    the tagger took in is no part of the name."""
    return TIME_TAIL.sub("", name) or name


def _identify(text: str, canonical: str | None, kind: str, context: DocumentContext, aliases: AliasFile) -> Identity:
    text = _without_day(text)
    canonical = _without_day(canonical) if canonical else canonical
    spaced = " ".join(text.split())  # the mention as written, on one line
    surface = canonical or text
    key = normalise(surface)
    override = aliases.identity(key) or aliases.identity(normalise(text))
    if override is not None:
        return override
    if key in context.anonymous:
        return context.anonymous[key]  # "the engineer" after "an engineer at the plant who…"
    if kind == "anonymous" or _looks_anonymous(key) or (ANONYMITY.search(text) and not _has_proper_name(surface)):
        anonymous = Identity(f"anon:{context.document_id[:16]}:{key}", surface, "anonymous", use_aliases=False)
        context.anonymous.setdefault(_head_noun(key), anonymous)
        return anonymous
    if key in context.people and (len(key.split()) == 1 or not context.people[key].key.startswith("person:")):
        # "Muchanga" after "Governor Jacinto Muchanga": the person this document named, whatever
        # kind the mention alone was guessed to be (a surname often looks like a place to NER)
        if context.people[key].key.startswith("ministry:"):
            context.last_ministry = context.people[key]  # "the minister" further on
        return context.people[key]
    if key.split()[0] in VAGUE_GROUP_WORDS or key.split()[0].isdigit():
        # "some analysts", "two traders": a different group in every article
        return Identity(f"group:{context.document_id[:16]}:{key}", _display(surface), kind, use_aliases=False)
    level = level_body(spaced, normalise(text), context.places)
    if level is not None:
        place, body, head = level
        if place is not None:
            return _level_government(place, body, head, context)
        if key.split()[-1] in context.roles:
            return context.roles[key.split()[-1]]  # "the governor" this document named
        return Identity(f"local:{context.document_id[:16]}:{key}", _display(surface), "government", use_aliases=False, the_only=body)
    office = re.fullmatch(r"(?:.+\s)?(?P<role>[a-z]+)'s office", key)
    if office is not None and office.group("role") in context.roles:
        return context.roles[office.group("role")]  # "the regional prosecutor's office": the prosecutor named
    written = f"{text} {surface}"  # where a department's capitals can be read
    for form in dict.fromkeys((normalise(text), key)):
        # the written form first: "Interior Minister Julio Arce" says more than its canonical "Julio Arce"
        form = re.sub(r"\s*\([^()]*\)", "", form).strip()  # "the Ministry of the Environment (Minam)"
        found = _government(form, context) or _ministry(form, written, context) or _minister(form, written, context)
        if found is not None:
            return found
    if key in ROLE_WORDS and key in context.roles:
        return context.roles[key]  # "the governor": the governor this document named
    if key in NATIONAL_FORCES and context.country is not None and not text.strip().lower().startswith(("a ", "an ")):
        # "the navy" in a story set in Peru is the Peruvian Navy
        return _named_organisation(f"{government_name(context.country).removesuffix(' government')} {key.title()}", "government")
    referred = _organisation_referred_to(key, surface, context)
    if referred is None and re.match(r"(?:a|an)\s", text.strip(), re.IGNORECASE) and not _has_proper_name(_description_head(surface)):
        # "A workers' union in western India said…", named further on: the one body of that noun
        referred = _named_by_noun(_head_noun(key), context)
    if referred is not None:
        return referred
    *levels, body_word = key.split()
    if body_word in THE_ONLY_BODIES and all(w in LEVEL_WORDS for w in levels):
        # "the police" of a text that names no police force: the one force the ledger knows, if one
        return Identity(f"local:{context.document_id[:16]}:{key}", _display(surface), "government", use_aliases=False,
                        the_only=body_word)
    described = _described_body(key, context)
    if described is not None:
        return described
    calling = CALLING_ITSELF.fullmatch(spaced) or NAMED_GROUP.fullmatch(spaced)
    if calling is not None:
        # "A ransomware group calling itself NightVault", "the NightVault ransomware group": the name
        return _named_organisation(calling.group("name"), "organisation")
    heads = WHO_HEADS.fullmatch(spaced)
    if heads is not None:
        # "Commissioner of Police Bala Waziri, who heads the Kogi State Police Command"
        body = identify(heads.group("org"), None, "organisation", context, aliases)
        if body.key.startswith("name:"):
            person = normalise(heads.group("person")).split()
            context.people.setdefault(person[-1], body)
            return dataclasses.replace(body, aliases=body.aliases + (person[-1],))
    commissioner = _commissioner(spaced.rstrip(","), context)
    if commissioner is not None:
        return commissioner
    headed = _headed_body(spaced, context)
    if headed is not None:
        return headed
    spokesperson = _spokesperson(spaced, surface, kind, context, aliases)
    if spokesperson is not None:
        return spokesperson  # also "a company spokesman", "the union's general secretary"
    appositive = APPOSITIVE_NAME.fullmatch(spaced)
    if appositive is not None and appositive.group("role").split()[-1] in TITLES | KIN:
        # "the collector, Vikram Solanki,": the person, with the role as title
        return _person(appositive.group("name"), "official", context, written=" ".join(appositive.group("role", "name")))
    if not _has_proper_name(surface):
        # "the union", "western intelligence": without a name, the same words in two articles
        # need not mean the same body, so the mention stays within its document, unless the
        # ledger knows a source by exactly these words ("the coast guard" of a named coast guard)
        indefinite = text.strip().lower().startswith(("a ", "an "))
        known_as = key if len(key.split()) >= 2 and not indefinite else None
        # "the company", "the Lima-based company", not "the environmental group" (a description
        # that names a kind of body is no reference to the one the text names)
        noun = _without_description(key) if not indefinite else None
        return Identity(f"local:{context.document_id[:16]}:{key}", _display(surface), kind if kind != "unknown" else "organisation",
                        use_aliases=False, known_as=known_as, refers_to=noun if noun in REFERRING_NOUNS else None)
    company = _names_company(surface, context)
    if not company and (kind in ("person", "official") or (kind == "unknown" and _looks_like_name(surface))
                        or _titled_name(text, surface)):
        return _person(surface, kind if kind in ("person", "official") else "person", context, written=text)
    # the written "… Service (Serfor)" carries the short name the canonical form dropped
    bracket = re.search(r"\s*\([^()]{2,12}\)\s*,?$", spaced)
    if bracket is not None and "(" not in surface:
        surface = surface + bracket.group(0).rstrip(",")
    named = _company_named(surface) if company else _named_organisation(surface, kind)
    context.last_organisation = named
    context.organisations.append(named)
    return named


CALLING_ITSELF = re.compile(r"(?i:an?|the)\s+[a-z -]*?\b(?:calling itself|which calls itself|known as|called)\s+"
                            r"(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}),?")
NAMED_GROUP = re.compile(r"(?:[Tt]he\s+)?(?P<name>[A-Z][\w-]*[A-Z][\w-]*)\s+(?:[a-z-]+\s+)?(?:group|gang|collective|crew)")
WHO_HEADS = re.compile(r"(?P<person>.+?),\s+who\s+(?:heads|leads|runs|directs|chairs|commands)\s+(?P<org>the\s+[A-Z].*?),?")
# bodies a story names in many ways ("the Uganda Police Force", "Kenya Police Service", "the National
# Police"): a bare "the police" is the one the ledger knows, where it knows one
THE_ONLY_BODIES = {"police", "service", "regulator"}


def body_of_key(key: str) -> str | None:
    """'name:uganda police force' -> 'police': the kind of body a source key names, for a bare mention of it."""
    words = key.removeprefix("name:").split() if key.startswith("name:") else []
    return next((word for word in words if word in THE_ONLY_BODIES), None)


# a country has one of each: "the navy" of a story is its country's
NATIONAL_FORCES = {"navy", "army", "air force", "coast guard", "coastguard"}
COMPANY_WORDS = {"company", "firm", "operator", "group", "miner", "utility", "manufacturer", "insurer", "carrier", "airline", "owner",
                 "plant operator", "producer", "maker", "contractor", "exporter", "developer", "builder"}
# words in a name that say the body is public or non-profit, so not what "the company" means
NOT_A_COMPANY = {
    "ministry", "department", "government", "agency", "federation", "association", "union", "council", "committee",
    "commission", "defence", "defense", "police", "army", "office", "secretariat", "cross", "crescent", "fund",
    "organisation", "organization", "programme", "program", "court", "parliament", "congress", "senate",
    "university", "institute", "forum", "network", "board", "authority", "service", "society", "federal", "state",
    "force", "corps", "brigade", "guard", "administration", "navy", "military", "marines", "greenpeace",
}
REFERENCE = re.compile(r"(?:[a-z'.]+\s+){0,2}(?P<noun>[a-z]+)")


def fits_reference(noun: str, key: str) -> bool:
    """Whether "the <noun>" can mean the named organisation of this source key: "the agency" a
    body with "agency" in its name, "the company" or "the operator" one whose name says nothing
    public or non-profit."""
    if not key.startswith("name:"):
        return False
    words = set(key.removeprefix("name:").replace("(", " ").replace(")", " ").split())
    if noun in COMPANY_WORDS:
        return not words & NOT_A_COMPANY
    return noun in words or f"{noun}s" in words


NAME_RUN = re.compile(r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|the|de|del|da|do|la|y)\s+)*[A-Z][\w'’&.-]*)*")


def names_written(text: str) -> set[str]:
    """Every run of capitalised words in a text and each shorter stretch of it, normalised: the
    forms under which the ledger may know a body the text names ("Varun Agrochem", "LASEMA")."""
    found: set[str] = set()
    for run in NAME_RUN.finditer(text):
        words = run.group(0).split()[:12]
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 8) + 1):
                found.add(normalise(" ".join(words[i:j])))
    found.discard("")
    return found


def _organisation_referred_to(key: str, surface: str, context: DocumentContext) -> Identity | None:
    """'the federation' after 'the International Federation of Red Cross…', 'the company' after a
    company was named, 'the agency' after any body: the organisation of this document the words
    point back to, the latest one first; None where nothing named fits."""
    described = _without_description(key)
    if described != key and described in COMPANY_WORDS and context.companies:
        return _company(context)  # "the Johannesburg-based insurer", "the South African insurer"
    # "the regional prosecutor's office" is the prosecutor's, not a named office
    match = REFERENCE.fullmatch(key) if "'s " not in key else None
    if match is not None and (not _has_proper_name(surface) or key in BODY_WORDS):  # "the Board" is a reference too
        named = _named_by_noun(match.group("noun"), context)
        if named is not None:
            return named
        if key in COMPANY_WORDS:
            return _company(context)
    if context.last_organisation is not None and ORGANISATION_REFERENCE.fullmatch(key) and not key.endswith("'s office"):
        return context.last_organisation  # "the agency", "the UN health agency": the body just named
    return None


DESCRIBED_BODY = re.compile(r"(?:the\s+)?(?P<owner>[a-z][a-z .'-]*?'s|[a-z]+)\s+(?P<words>(?:[a-z]+\s+){1,2})(?P<noun>[a-z]+)")


def _described_body(key: str, context: DocumentContext) -> Identity | None:
    """'Indonesia's disaster agency' in a text that also names the 'National Disaster Management
    Agency': a description by country and purpose of the one body of the text whose name holds
    its words."""
    match = DESCRIBED_BODY.fullmatch(key)
    if match is None or match.group("noun") not in BODY_WORDS or context.country is None:
        return None
    if ADJECTIVES.get(match.group("owner")) != context.country:
        return None
    wanted = set(match.group("words").split()) | {match.group("noun")}
    fitting = [name for name in context.bodies if wanted <= set(normalise(name).split())]
    return _named_organisation(fitting[0], "organisation") if len(fitting) == 1 else None


def _without_description(key: str) -> str:
    """'the johannesburg-based insurer', 'the south african insurer' -> 'insurer': a body described by
    where it is, which names no other."""
    words = [w for w in key.split() if w not in ("the", "a", "an") and not w.endswith("-based")]
    for size in (2, 1):
        if len(words) > size and " ".join(words[:size]) in ADJECTIVES:
            words = words[size:]
            break
    return " ".join(words)


def _named_by_noun(noun: str, context: DocumentContext) -> Identity | None:
    for named in reversed(context.organisations):
        if noun in normalise(named.name).split():
            return named
    for name in context.bodies:
        if noun in normalise(name).split():  # "the union": the National Union of Inter-Island Seafarers
            return _named_organisation(name, "organisation")
    return None


def _names_company(surface: str, context: DocumentContext) -> bool:
    """'Carbones del Altiplano, which operates El Roble': a name the text calls a company, whatever
    kind NER guessed for it."""
    plain = normalise(APPOSITION.sub("", surface))
    return any(plain == normalise(name) or plain in _without_corporate_words(normalise(name)) for name in context.companies)


# first words too common to name a company alone ("National", "United", "Golden"…)
NOT_SHORT_NAMES = {"national", "general", "united", "international", "global", "first", "new", "central", "royal",
                   "golden", "great", "standard", "continental", "eastern", "western", "northern", "southern"}


def _company_named(name: str) -> Identity:
    """A name the text calls a company, with the shorter names stories give it: "Carpat Rail
    Express SA" is also "Carpat Rail" and "Carpat" (not where the first word is a common one)."""
    company = _named_organisation(name, "organisation")
    words = company.key.removeprefix("name:").split()
    if not words or words[0] in NOT_SHORT_NAMES or words[0] in COUNTRY_WORDS or words[0] in STOPWORDS:
        return company
    shorter = tuple(" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)
                    if words[n - 1] not in STOPWORDS and words[n - 1] not in CORPORATE_WORDS and len(words[n - 1]) > 2)
    # "Costa Norte" of "Petrolera Costa Norte": a story also drops a first word that says what the
    # company does, keeping at least two words of name
    shorter += tuple(" ".join(words[n:]) for n in range(1, len(words) - 1)
                     if words[n] not in STOPWORDS and words[n] not in NOT_SHORT_NAMES)
    return dataclasses.replace(company, aliases=company.aliases + shorter)


def _company(context: DocumentContext) -> Identity | None:
    if context.companies:
        return _company_named(context.companies[0])
    for named in reversed(context.organisations):
        words = normalise(named.name).replace("(", " ").replace(")", " ").split()
        national = bool(words) and words[0] in COUNTRY_WORDS and not set(words) & CORPORATE_WORDS  # "the Peruvian Navy"
        if not set(words) & NOT_A_COMPANY and not national and (set(words) & CORPORATE_WORDS or len(words) >= 2):
            return named  # "Golden Tide Shipping Lines", "Energia Tapera"; not a one-word "DOTr"
    return None


ORGANISATION_REFERENCE = re.compile(
    r"(?:(?:un|u\.n\.|eu|international|global|world|aid|health|relief|humanitarian|charity|medical|rights|"
    r"children's|refugee|food|migration|development|nuclear|atomic|weather|environment|environmental|shipping|maritime|"
    r"labour|labor|trade|aviation|telecommunications|postal|meteorological)\s+){0,2}"
    r"(?:agency|organisation|organization|charity|body|group|office|programme|program|fund|mission)"
)


APPOSITION = re.compile(r",\s+(?:which|who|that|whose|a|an|the|its|based|part)\b.*$", re.DOTALL)


def _named_organisation(surface: str, kind: str) -> Identity:
    # "The Gujarat Pollution Control Board (GPCB), which monitors air quality": the name, not the clause
    surface = APPOSITION.sub("", surface).strip()
    acronyms = tuple(a.lower() for a in ACRONYM_IN_BRACKETS.findall(surface))
    surface = ACRONYM_IN_BRACKETS.sub("", surface)
    short_name = SHORT_NAME_AT_END.search(surface)
    if short_name is not None:  # "the United Coal Miners' Union (Sumicar)", or cut before its bracket closes
        acronyms += (short_name.group(1).lower(),)
        surface = surface[: short_name.start()]
    plain = _without_legal_form(normalise(surface))
    initials = _initials(plain)
    extra = acronyms + ((initials,) if initials else ())
    first, _, rest = plain.partition(" ")
    if first.removesuffix("'s") in ADJECTIVES and len(rest.split()) >= 2:
        extra += (rest,)  # "the Peruvian Red Cross" is "the Red Cross" in a story about Peru
        if rest.endswith(" society") and len(rest.split()) >= 3:
            extra += (rest.removesuffix(" society"),)  # "the Nigerian Red Cross Society" is "the Red Cross"
    shorter = _without_place(surface)
    extra += shorter + _without_corporate_words(plain)
    return Identity(f"name:{plain}", _display(surface), kind if kind != "unknown" else "organisation",
                    aliases=(plain, *extra), same_as=tuple(f"name:{name}" for name in shorter))


LEVEL_WORDS = {"state", "federal", "national", "provincial", "regional", "municipal", "district", "county"}


def _without_place(surface: str) -> tuple[str, ...]:
    """'the Minas Gerais Civil Defence', 'the state Civil Defence': the name without the place or
    level of government in front ('civil defence'), which the same story also calls it. Only a
    capitalised prefix is dropped, and at least two words of name stay."""
    words = [w for w in ACRONYM_IN_BRACKETS.sub("", " ".join(surface.split())).split() if w.lower() not in ("the", "a", "an")]
    found = []
    for cut in range(1, len(words) - 1):
        dropped, kept = words[:cut], words[cut:]
        if not all(w[:1].isupper() or w.lower() in LEVEL_WORDS for w in dropped):
            break
        if not kept[0][:1].isupper() or kept[0].lower() in STOPWORDS or kept[-1].lower() in STOPWORDS:
            continue
        found.append(normalise(" ".join(kept)))
    return tuple(found)


# a company's legal form, no part of its name ("Carbones del Altiplano S.A.")
LEGAL_FORMS = {"ltd", "ltd.", "inc", "inc.", "corp", "corp.", "co", "co.", "plc", "limited", "llc", "sa", "s.a.", "s.a", "ag",
               "gmbh", "ltda", "ltda.", "s.a.s", "s.a.s.", "nv", "n.v", "n.v.", "bv", "b.v", "b.v.", "pty", "bhd", "tbk", "jsc"}
# words a story drops when it shortens a company's name ("Golden Tide" of "Golden Tide Shipping Lines")
CORPORATE_WORDS = LEGAL_FORMS | {"corporation", "company", "group", "holdings", "lines", "shipping", "airlines", "industries"}


# legal forms written before the name ("PT Tirta Baruga Energi", "OOO Gazprom Dobycha")
LEADING_LEGAL_FORMS = {"pt", "cv", "ooo", "oao", "pao", "zao", "pjsc", "jsc"}


def _without_legal_form(plain: str) -> str:
    """'carbones del altiplano s.a', 'pt tirta baruga energi' -> the company, whichever way it is written."""
    words = plain.replace(",", " ").split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    while len(words) > 2 and words[0] in LEADING_LEGAL_FORMS:
        words.pop(0)
    return " ".join(words)


def _without_corporate_words(plain: str) -> tuple[str, ...]:
    """'golden tide shipping lines' -> 'golden tide shipping', 'golden tide': how the story shortens a company."""
    words, found = plain.split(), []
    while len(words) > 2 and words[-1] in CORPORATE_WORDS:
        words = words[:-1]
        found.append(" ".join(words))
    return tuple(found)


def _has_proper_name(surface: str) -> bool:
    words = [w for w in surface.split() if w.lower() not in ("the", "a", "an")]
    return any(w[:1].isupper() for w in words)


KIN = {"son", "daughter", "wife", "husband", "mother", "father", "brother", "sister", "neighbour", "neighbor", "friend",
       "widow", "widower", "grandson", "granddaughter", "niece", "nephew", "cousin", "partner"}
APPOSITIVE_NAME = re.compile(r"(?:[Tt]he\s+|[Hh]is\s+|[Hh]er\s+|[Tt]heir\s+)?(?P<role>[a-z][a-z' -]*?),\s+(?P<name>" + UPPER
                             + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,3}),?")
ANONYMITY = re.compile(
    r"\b(?:anonymity|not authori[sz]ed to|declined to be (?:named|identified)|asked not to be (?:named|identified)|"
    r"did not want to be (?:named|identified)|unnamed)\b", re.IGNORECASE)
# words that end the head of a description ("an engineer at the plant who spoke…")
DESCRIPTION_END = {"at", "in", "of", "from", "with", "for", "on", "near", "based", "who", "close", "familiar", "involved",
                   "speaking", ","}


def _description_head(text: str) -> str:
    """'A workers' union in western India' -> "A workers' union": what a description is, before where or whose."""
    words = []
    for word in text.replace(",", " , ").split():
        if word.lower() in DESCRIPTION_END:
            break
        words.append(word)
    return " ".join(words)


def _head_noun(key: str) -> str:
    """'engineer at the plant who spoke…' -> 'engineer': the word a later 'the engineer' repeats."""
    head = _description_head(key).split()
    return head[-1] if head else key


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
    if key in ("government", "authorities", "administration", "federal government", "national government",
               "central government", "federal authorities", "national authorities", "central authorities"):
        if context.country:
            return government(context.country)
    return None


def _department(phrase: str, surface: str) -> str | None:
    """The department a ministry or minister is of: a known one ('defense' is Defence), or one the
    text names with capitals ('Integration and Regional Development Minister')."""
    phrase = phrase.strip()
    if phrase in DEPARTMENTS:
        return DEPARTMENTS[phrase]
    words = phrase.split()
    if not words or words[0] in NOT_DEPARTMENTS:
        return None
    at = surface.lower().find(phrase)
    written = surface[at:at + len(phrase)].split() if at >= 0 else []
    if written and all(w[:1].isupper() or w in STOPWORDS for w in written) and written[0][:1].isupper():
        return " ".join(written)
    return None


def _split_department(adjective: str | None, department: str, context: DocumentContext) -> tuple[str | None, str]:
    """'integration and regional development minister': the regular expression may cut a long
    department name in two; only a country in front is no part of it."""
    if adjective in ("federal", "national", "central", "union"):
        return None, department  # "the Federal Ministry of Housing": the country's
    if adjective and _country(adjective, context) is None and department.strip() not in DEPARTMENTS:
        return None, f"{adjective} {department}"
    return adjective, department


def _ministry(key: str, surface: str, context: DocumentContext) -> Identity | None:
    match = MINISTRY_OF.match(key) or MINISTRY.match(key)
    if match is None:
        if key in ("ministry", "department") and context.last_ministry is not None:
            return context.last_ministry
        return None
    adjective, phrase = _split_department(match.groupdict().get("adj"), match.group("dept"), context)
    department = _department(phrase, surface)
    if department is None:
        return None
    country = _country(adjective, context) or _country(match.groupdict().get("country"), context)
    place = re.sub(r"\s+(?:state|province|region|county)$", "", adjective.replace("'s", "")) if adjective else None
    if country is None and place and place in {p.lower() for p in context.places.values()}:
        # "the Almadera Health Department", "the Lagos State Ministry of Health": the department of a
        # state or region the text is in, not a national ministry
        return None
    level = LEVELS.get(adjective or "")
    if country is None and level in context.places:
        # "the state health ministry": the one of the state the text is in
        return _level_ministry(context.places[level], level, department)
    return _ministry_identity(country or context.country, department, context)


def _level_ministry(place: str, level: str, department: str) -> Identity:
    return _named_organisation(f"{place} {level.title()} Ministry of {department}", "government")


# "Lagos State Commissioner for Health Olumide Adewusi": a state's commissioner heads its ministry
COMMISSIONER_FOR = re.compile(
    r"^(?:[Tt]he\s+)?(?:(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?P<level>State|Province|Provincial|Regional)\s+)?"
    r"Commissioner\s+(?:for|of)\s+(?P<field>(?!Police)[A-Z][\w'’-]+(?:\s+and\s+[A-Z][\w'’-]+)?)"
    r"(?:,?\s+(?P<name>" + UPPER + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,2}))?,?$")


def _commissioner(written: str, context: DocumentContext) -> Identity | None:
    match = COMMISSIONER_FOR.match(written)
    if match is None:
        return None
    level = LEVELS[match.group("level").lower()] if match.group("level") else next(
        (lvl for lvl in ("state", "province", "region") if lvl in context.places), None)
    place = match.group("place") or (context.places.get(level) if level else None)
    if not place or not level:
        return None
    ministry = _level_ministry(place, level, match.group("field"))
    if match.group("name"):
        context.name_person(normalise(match.group("name")), ministry)
    context.roles["commissioner"] = ministry  # "the commissioner" further on
    return ministry


def _ministry_identity(country: str | None, department: str, context: DocumentContext, aliases: tuple[str, ...] = ()) -> Identity:
    adjective = government_name(country).removesuffix(" government") + " " if country else ""
    parent = government(country) if country else None
    # same_as: "the Ministry of Transport and Infrastructure" is the Transport Ministry, and a
    # country's ministry is the one an earlier text that named no country spoke of ("Health
    # Minister X" alone); the_only: a text that never says which country ("The ministry said 25
    # had died") means the ledger's one ministry of that department, if it knows exactly one
    same_as = tuple(f"ministry:{c}:{d}" for c in dict.fromkeys(((country or "").lower(), "")) for d in
                    dict.fromkeys((department.lower(), department.lower().split(" and ")[0]))
                    if (c, d) != ((country or "").lower(), department.lower()))
    identity = Identity(f"ministry:{(country or '').lower()}:{department.lower()}", f"{adjective}{department} Ministry",
                        "government", parent, aliases, same_as=same_as,
                        the_only=None if country else f"ministry {department.lower()}")
    context.last_ministry = identity
    return identity


def ministry_of_key(key: str) -> str | None:
    """'ministry:colombia:mines and energy' -> 'ministry mines and energy': what a ministry of a
    country is known by where a text names no country (see `Identity.the_only`)."""
    parts = key.split(":")
    return f"ministry {parts[2]}" if len(parts) == 3 and parts[0] == "ministry" and parts[1] else None


def _minister_parts(key: str) -> tuple[str | None, str, str | None] | None:
    """(adjective, department, person) of 'housing minister chidinma ezeakor' or of 'minister of
    housing and urban development chidinma ezeakor' (the name taken as the last two words)."""
    match = MINISTER.match(key)
    if match is not None:
        return match.group("adj"), match.group("dept"), match.group("person")
    match = MINISTER_OF.match(key)
    if match is None:
        return None
    words = match.group("rest").split()
    if len(words) >= 3:
        return match.group("adj"), " ".join(words[:-2]), " ".join(words[-2:])
    return match.group("adj"), " ".join(words), None


def _minister(key: str, surface: str, context: DocumentContext) -> Identity | None:
    parts = _minister_parts(key)
    if parts is None:
        if key in ("minister", "secretary") and context.last_ministry is not None:
            return context.last_ministry
        return None
    adjective, phrase = _split_department(parts[0], parts[1], context)
    department = _department(phrase, surface)
    if department is None:
        return None
    country = _country(adjective, context) or context.country
    person = parts[2]
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
    if words == name_words:
        # no name was told apart ("District Collector Vikram Solanki"): the words after the last title
        return _name_after_title(words) is not None
    if len(name_words) < 2 or len(words) <= len(name_words) or words[-len(name_words):] != name_words:
        return False
    before = words[-len(name_words) - 1].lower().strip(",")
    return before in TITLES and before not in NOT_TITLES_ALONE and _looks_like_name(surface)


def _name_after_title(words: list[str]) -> list[str] | None:
    """The one to four capitalised words after a mention's last title word, where they end it
    ("village head Baharuddin": many people go by one name)."""
    for cut in (1, 2, 3, 4):
        if len(words) <= cut:
            break
        name, before = words[-cut:], words[-cut - 1].lower().strip(",")
        if any(w.lower().strip(",.") in TITLES for w in name):
            break
        if before in TITLES and before not in NOT_TITLES_ALONE and _looks_like_name(" ".join(name)):
            return [w.strip(",.") for w in name]
    return None


def _looks_like_name(surface: str) -> bool:
    words = [w for w in surface.replace("’", "'").split() if w.lower() not in TITLES]
    return 1 <= len(words) <= 4 and all(w[:1].isupper() and w[1:2].islower() for w in words) and len(surface) < 60


SPOKES_ROLES = r"spokesman|spokeswoman|spokesperson|press secretary|press officer"
COMPANY_ROLES = r"chief executive(?: officer)?|ceo|managing director|general manager|chief operating officer|chief financial officer"
# roles whose holder speaks for a named organisation (not a country: "Brazilian President X" stays a person)
HEAD_ROLES = (r"chief executive(?: officer)?|ceo|president|chairman|chairwoman|chair|(?:national |regional |deputy )?director(?:[- ]general)?|"
              r"secretary[- ]general|general secretary|commandant|commander|chief|head(?: of [a-z ]+?)?|managing director|executive director|country director|coordinator|"
              r"(?:country )?representative|general manager|campaigner|(?:medical )?superintendent|medical director")
# "General manager Claudio Mendiburu" with no company named in the mention: the text's company
BARE_COMPANY_ROLE = re.compile(r"^(?:the\s+)?(?:" + COMPANY_ROLES + r")\s+(?P<person>[a-z'’-]+(?:\s+[a-z'’-]+){1,3})$", re.IGNORECASE)
# "WHO representative in Mozambique Samuel Okafor": where the role is held, between role and name
ROLE_PLACE = r"(?:\s+(?:in|for|to)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?"
SPOKESPERSON = re.compile(
    r"^(?:the\s+)?(?P<org>.+?)(?:['’]s)?\s+(?:(?-i:relief|emergency|country|field|medical|operations|programme|program|communications|media|rescue|search|safety|technical|site|crisis)\s+)?(?P<role>" + SPOKES_ROLES + "|" + HEAD_ROLES + r")" + ROLE_PLACE
    + r"(?:,?\s+(?P<person>.+))?$",
    re.IGNORECASE,
)


# "A spokesman for the Almadera regional government"
SPOKESPERSON_FOR = re.compile(r"^(?:an?|the)\s+(?P<role>" + SPOKES_ROLES + r")\s+(?:for|of|at)\s+(?P<org>.+?),?(?P<person>)$", re.IGNORECASE)
# "Farida Shaikh, general secretary of the Mirvada Chemical Workers' Union"
ROLE_OF = re.compile(
    r"^(?P<person>" + UPPER + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,3}),\s+(?:the\s+|a\s+|its\s+)?(?P<role>" + SPOKES_ROLES + "|" + HEAD_ROLES
    + r")\s+(?:of|at|for)\s+(?P<org>(?:the\s+)?[A-Z].*?),?$"
)
# "Halima Ocholi, the Red Cross branch secretary in Kogi State": a person, then the body's role
ROLE_OF_NAMED_ORG = re.compile(
    r"^(?P<person>" + UPPER + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,3}),\s+(?:the\s+)?(?P<org>" + UPPER + r"[\w'’&.-]*"
    r"(?:\s+" + UPPER + r"[\w'’&.-]*){0,4})\s+(?:branch\s+|regional\s+|country\s+|local\s+)?(?P<role>" + SPOKES_ROLES + "|"
    + HEAD_ROLES + r"|secretary|official|officer)" + ROLE_PLACE + r",?$"
)
# "The managing director of Bellmount Properties Limited, Chukwudi Nnadozie,"
ROLE_OF_ORG_NAME = re.compile(
    r"^(?:[Tt]he\s+)?(?P<role>" + SPOKES_ROLES + "|" + HEAD_ROLES + r")\s+(?:of|at|for)\s+(?P<org>(?:the\s+)?[A-Z][^,]*?),\s+"
    r"(?P<person>" + UPPER + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,3}),?$"
)
# "police spokeswoman Elena Rusu of the Vâlcea County Police"
ROLE_NAME_OF = re.compile(
    r"^(?:the\s+)?(?:[a-z]+\s+)?(?P<role>" + SPOKES_ROLES + "|" + HEAD_ROLES + r")\s+(?P<person>" + UPPER + r"[\w'’-]+"
    r"(?:\s+" + UPPER + r"[\w'’-]+){1,3})\s+(?:of|at|for)\s+(?P<org>(?:the\s+)?" + UPPER + r".*?),?$"
)
# "Héctor Nahuelpán, SNIF's director for the Quelhue region", "Andrés Kolbe, the company's chief executive"
ROLE_OF_POSSESSIVE = re.compile(
    r"^(?P<person>" + UPPER + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,3}),\s+(?P<org>(?:the\s+)?[\w'’&.-]+(?:\s+[\w'’&.-]+){0,4}?)['’]s\s+"
    r"(?P<role>" + SPOKES_ROLES + "|" + HEAD_ROLES + r")\b.*$"
)


def _spokesperson(key: str, surface: str, kind: str, context: DocumentContext, aliases: AliasFile) -> Identity | None:
    """'Red Cross spokesman Diego Salcedo', 'Energia Tapera chief executive Ricardo Moura', 'the
    company's spokesman': a spokesperson's or head's words are the organisation's, as a minister's
    are the ministry's; the name becomes an alias (and the surname, later in the document)."""
    # "Farida Shaikh, general secretary of …", "Diana Mesa, a spokeswoman for …": the person first,
    # so that "Diana Mesa, a" is never taken for an organisation
    bare = BARE_COMPANY_ROLE.match(normalise(key))
    if bare is not None and context.companies:
        company = _company(context)
        person = normalise(bare.group("person"))
        context.people[person.split()[-1]] = company
        return dataclasses.replace(company, aliases=company.aliases + (person, person.split()[-1]))
    match = (ROLE_OF.match(key) or ROLE_OF_POSSESSIVE.match(key) or ROLE_NAME_OF.match(key) or ROLE_OF_ORG_NAME.match(key)
             or ROLE_OF_NAMED_ORG.match(key) or SPOKESPERSON_FOR.match(key) or SPOKESPERSON.match(key))
    if match is None or match.group("org").endswith(","):
        return None
    org_text = match.group("org")
    if org_text.lower() in ("its", "their"):
        # "Its chief executive, Germán Castellanos": the company the text names; "its president":
        # the body it just named (a chief executive is never a union's)
        company_role = re.fullmatch(COMPANY_ROLES, match.group("role"), re.IGNORECASE) is not None
        owner = _company(context) if company_role or context.companies else context.last_organisation
        if owner is None:
            return None
        org_text = owner.name
    spokes = re.fullmatch(SPOKES_ROLES, match.group("role"), re.IGNORECASE) is not None
    voice = _government_voice(org_text, context) if spokes else None
    if voice is not None:
        return voice
    org_words = {w.removesuffix("'s") for w in normalise(org_text).split()}
    if not spokes and org_words & (COUNTRY_WORDS | {"former", "vice", "deputy", "acting", "then", "late"}):
        return None
    organisation = identify(org_text, None, "organisation", context, aliases)
    if organisation.key.startswith(("anon:", "group:", "person:")) or (
            organisation.key.startswith("local:") and not organisation.the_only):
        return None  # but "Service spokesman X" where the text names no service: the one the ledger knows
    if organisation.key == f"name:{normalise(org_text)}" and normalise(org_text) in BODY_WORDS:
        return None  # "Board chairman X" where the text names no board: the person, whom aliases may find
    if not spokes and not organisation.key.startswith(("name:", "ministry:")):
        return None
    if not match.group("person"):
        return organisation
    person = normalise(match.group("person"))
    *titles, surname = person.split()
    speaker = dataclasses.replace(organisation, aliases=organisation.aliases + (person, surname))
    context.people[surname] = speaker
    if spokes:
        context.roles[match.group("role").lower()] = speaker  # "the spokeswoman" further on
    for word in titles:
        if word in ROLE_WORDS:
            context.roles[word] = speaker
    return speaker


def _person(surface: str, kind: str, context: DocumentContext, written: str | None = None) -> Identity:
    words = [w.strip(",.") for w in surface.replace("’", "'").split()]
    written_words = [w.strip(",.") for w in (written or surface).replace("’", "'").split()]
    def is_title(word: str) -> bool:
        lower = word.lower().removesuffix("'s")
        return lower in TITLES or lower in METONYMS or lower in ADJECTIVES

    title = [w for w in words if is_title(w)]
    # "Kantha District Collector Vikram Solanki": the name is what follows the title, not the place before it
    name = _name_after_title(words) or [w for w in words if not is_title(w) and w[:1].isupper()] or words
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


# a head whose title names the body: "Energy Superintendent X" heads the (National) Energy Superintendency
HEADED_BODIES = {"superintendent": "Superintendency", "commissioner": "Commission", "ombudsman": "Ombudsman"}
HEADED = re.compile(
    r"^(?:[Tt]he\s+)?(?P<field>(?:[A-Z][\w'’-]+\s+){1,3}?)(?P<title>" + "|".join(HEADED_BODIES) + r")\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}),?$", re.IGNORECASE)


def _headed_body(written: str, context: DocumentContext) -> Identity | None:
    match = HEADED.match(written)
    if match is None or not match.group("field")[:1].isupper() or not match.group("name")[:1].isupper():
        return None
    field = " ".join(match.group("field").split())
    if {w.lower().removesuffix("'s") for w in field.split()} & COUNTRY_WORDS:
        return None  # "Chilean Energy Superintendent X": the country is no part of the body's name
    body = _named_organisation(f"{field} {HEADED_BODIES[match.group('title').lower()]}", "government")
    person = normalise(match.group("name"))
    speaker = dataclasses.replace(body, aliases=body.aliases + (person, person.split()[-1]))
    context.name_person(person, speaker)
    return speaker


def _level_government(place: str, body: str, head: list[str], context: DocumentContext) -> Identity:
    """The government of a state, region or district; its head's name and surname become aliases."""
    name = f"{place} {body}"
    plain = normalise(name)
    head_name = normalise(" ".join(head)) if len(head) > 1 else ""
    aliases = (plain, head_name, head_name.split()[-1]) if head_name else (plain,)
    parent = government(context.country) if context.country else None
    identity = Identity(f"name:{plain}", name, "government", parent, aliases=aliases)
    if head_name:
        context.name_person(head_name, identity)
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
    tokens = re.findall(r"[^\W\d_](?:[^\W\d_]|[.'’])*", text.lower())  # letters beyond ASCII: "brasília"
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


# particles inside a name: "Carbones del Altiplano", "Companhia de Navegação", "Van der Berg Shipping"
PARTICLE = r"(?:(?:de|del|de la|do|da|dos|das|di|du|van|von|der|y)\s+)?"
NAME = r"(?:[A-Z][\w'’&.-]*\s+" + PARTICLE + r"){0,4}[A-Z][\w'’&.-]*"
COMPANY_NOUNS = "|".join(sorted(w for w in COMPANY_WORDS if " " not in w))
# nouns that put a company's name right after them ("mining company Vale"); "the group, X" names a person
NAMING_COMPANY_NOUNS = "|".join(sorted(w for w in COMPANY_WORDS if " " not in w and w not in ("owner", "group")))
COMPANY_NOUN = re.compile(r"\b(?:" + COMPANY_NOUNS + r")\b")
COMPANY_PATTERNS = (
    # "Energia Tapera, the dam's operator," / "Varun Agrochem, a pesticide maker,"
    # ("Outside, a group of relatives": "group" names no company here)
    re.compile(r"(?P<name>" + NAME + r"),\s+(?:the|a|an|its)\s+(?:[\w'’-]+\s+){0,3}(?:" + NAMING_COMPANY_NOUNS + r")\b(?!['’]s\b)(?!\s+who\b)"),
    # "the dam's operator, Energia Tapera" / "mining company Vale" ("the group, Claudia Riquelme" is no company)
    re.compile(r"(?:" + NAMING_COMPANY_NOUNS + r"),?\s+(?P<name>" + NAME + r")"),
    # "Energia Tapera, which operates the dam" / "The mine is operated by Carbones del Altiplano"
    re.compile(r"(?P<name>" + NAME + r"),\s+which\s+(?:operates|owns|runs|manages|built)\b"),
    re.compile(r"\b(?:operated|owned|run|managed)\s+by\s+(?P<name>" + NAME + r")"),
    # "The managing director of Bellmount Properties Limited, Chukwudi Nnadozie"
    re.compile(r"\b(?:managing director|chief executive|chief executive officer|CEO)\s+of\s+(?P<name>" + NAME + r")"),
    # "nine of Energia Tapera's employees": what only a company has
    re.compile(r"(?P<name>" + NAME + r")['’]s\s+(?:employees|shares|shareholders|chief executive|managing director|"
               r"board of directors|share price|profits?|revenues?)\b"),
    # a legal form names a company: "Petrolera Costa Norte S.A.", "PT Tirta Baruga Energi"
    re.compile(r"(?P<name>(?:[A-Z][\w'’&-]*\s+" + PARTICLE + r"){1,4}(?:S\.A\.?|SA|S\.A\.S\.?|Ltd\.?|Limited|Inc\.?|"
               r"Corp\.?|PLC|plc|LLC|GmbH|AG|Ltda\.?|N\.V\.|B\.V\.|Pty|Bhd|Tbk|JSC))(?!\w)"),
    re.compile(r"\b(?P<name>(?:PT|OOO|OAO|PAO|PJSC)\s+(?:[A-Z][\w'’&-]*\s+){0,3}[A-Z][\w'’&-]*)"),
)
# a day or month before "the company" is no company's name ("on Tuesday, the company said")
DATE_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
              "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
              "today", "yesterday", "tomorrow"}
INTRODUCTION = re.compile(
    r"(?P<org>(?:[Tt]he\s+)?(?:[A-Z][\w'’&.-]*\s+" + PARTICLE + r"){0,5}?(?:[A-Z][\w&.-]*|company)(?:['’]s)?)\s+(?:"
    + SPOKES_ROLES + "|" + HEAD_ROLES + r")" + ROLE_PLACE + r",?\s+(?P<person>(?:(?:Lieutenant|Colonel|General|Dr\.?|Mr\.?|Ms\.?|Mrs\.?)\s+)*"
    + UPPER + LOWER + r"+(?:\s+" + UPPER + LOWER + r"+){1,3})"
)


# "Andrés Kolbe, the company's chief executive", "Héctor Nahuelpán, SNIF's director for the region"
INTRODUCED_AFTER = re.compile(
    r"(?P<person>" + UPPER + LOWER + r"+(?:\s+" + UPPER + LOWER + r"+){1,2}),\s+(?P<org>(?:the\s+)?[\w&.-]+(?:\s+[\w&.-]+){0,3}?)['’]s\s+"
    r"(?:" + SPOKES_ROLES + "|" + HEAD_ROLES + r")\b"
)


# "Rasheed Akanbi, president of the Lagos Association of Building Artisans (LABA)"
INTRODUCED_ROLE_OF = re.compile(
    r"(?P<person>" + UPPER + LOWER + r"+(?:\s+" + UPPER + LOWER + r"+){1,2}),\s+(?:the\s+|a\s+)?(?:"
    + SPOKES_ROLES + "|" + HEAD_ROLES + r")\s+(?:of|at|for)\s+(?P<org>the\s+[A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|the|de|del)\s+)*"
    r"[A-Z][\w'’&.-]*){0,7}(?:\s+\([A-Z][\w&.-]{1,11}\))?)"
)


MINISTER_NAMED = re.compile(
    r"(?:" + UPPER + r"[\w'’-]*\s+(?:(?:and|of|for)\s+)?){1,5}(?:Minister|Secretary)\s+(?P<person>" + UPPER + r"[\w'’-]+(?:\s+" + UPPER + r"[\w'’-]+){1,2})")
ACRONYM_INTRODUCED = re.compile(
    r"(?P<name>(?:[Tt]he\s+)?[A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|the|on|de|del|da|do|la|y)\s+)*[A-Z][\w'’&.-]*){1,8})\s+\((?P<acronym>[A-Z][A-Za-z0-9&.-]{1,9})\)")
# a capitalised word that opens a sentence and is no part of a name after it ("But the United … Union (X)")
SENTENCE_END = re.compile(r"(?<=[a-zà-ÿĀ-ž])\.\s+")
SENTENCE_OPENER = re.compile(r"^(?:But|And|Or|So|Yet|Meanwhile|However|While|When|After|Before|Since|Although|Now|Still|Also)\s+")


def _companies(text: str) -> list[str]:
    """Names the text calls a company, operator or firm, the most often named first (the story's company).
    A public body is none, even where it "runs" something: "The ANM, which runs the rescue stations",
    after "the National Mining Agency (ANM)"."""
    public = {m.group("acronym") for m in ACRONYM_INTRODUCED.finditer(text)
              if {w.lower() for w in m.group("name").split()} & NOT_A_COMPANY}
    names: dict[str, None] = {}  # in order of first finding, which breaks ties in the count
    for pattern in COMPANY_PATTERNS:
        for match in pattern.finditer(text):
            name = re.sub(r"^(?:The|A|An|Its)\s+", "", match.group("name").strip())
            if name in public or {w.lower() for w in name.split()} & (NOT_A_COMPANY | DATE_WORDS):
                continue
            if len(name) > 2 and name.lower() not in COUNTRY_WORDS and not COMPANY_NOUN.search(name.lower()):
                names[name] = None
    return sorted(names, key=lambda name: -text.count(name))


BODY_WORDS = {"board", "union", "company", "agency", "council", "commission", "committee", "authority", "association",
              "federation", "forum", "society", "institute", "foundation", "network", "firm", "group", "force", "police",
              "hospital", "service"}
# "the company", "the agency": nouns a bare reference to a named body uses ("the group" may be any kind of body)
REFERRING_NOUNS = (COMPANY_WORDS | BODY_WORDS) - {"group"}
BODY_NOUNS = ("Association", "Federation", "Union", "Agency", "Forum", "Alliance", "Council", "Committee", "Hospital", "Service",
              "Commission", "Society", "Foundation", "Network", "Coalition", "Institute", "Board", "Authority",
              "Police Command", "Police Service", "Police Force", "Police")  # the longer names first
BODY = re.compile(r"(?:[A-Z][\w'’&.-]*\s+){1,5}(?:" + "|".join(BODY_NOUNS) + r")\b"
                  r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’&.-]*(?:\s+(?:and\s+)?[A-Z][\w'’&.-]*)*){0,2}")
