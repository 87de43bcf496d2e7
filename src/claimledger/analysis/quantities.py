"""Quantities in a parsed text: figures with what they count, their concept and their date.

Owns the parsed half of quantity extraction. `numbers.find_numbers` reads the figures; here the
spaCy parse drops the ones that are names ("Apple Watch 5", "iPhone 14") or pronouns ("each
one"), finds the counted noun ("1,351 soldiers", "thousands of tests"), the concept ("the number
of Russian soldier deaths in Ukraine ... 5,936 losses"; a bare or comparative figure takes the
concept of the figure it follows up), and the date each figure holds at (`timeref`).
"""

from __future__ import annotations

import bisect

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claimledger.analysis import timeref
from claimledger.analysis.numbers import NumberMention, find_numbers
from claimledger.analysis.units import FLOW_WORDS, TIME_UNITS, UNITS

NAME_LABELS = {"ORG", "PRODUCT", "LAW", "EVENT", "WORK_OF_ART", "FAC", "PERSON", "GPE", "LOC", "NORP"}
NOT_NUMERAL_BEFORE_ONE = {"each", "every", "no", "any", "the", "this", "that", "which", "another", "someone", "anyone"}
CONCEPT_HEADS = {"number", "toll", "count", "tally", "total", "estimate", "figure", "amount"}
MEASURE_UNITS = set(UNITS.values())
GENERIC_COUNT_WORDS = {"people", "person", "individual", "one", "other"}
CONCEPT_WINDOW_SENTENCES = 2  # a follow-up figure takes a concept from at most this many sentences back


@dataclass
class FoundQuantity:
    """A figure with everything the parse adds; offsets are into the parsed text."""

    mention: NumberMention
    unit: str | None
    unit_normalized: str | None
    concept: str | None
    as_of: str | None
    as_of_text: str | None  # the words that date the figure, resolved or not
    sentence: int  # index of the sentence in the parsed text
    state: str | None = None  # a bare figure's own state: "and 23 still missing"


def find_quantities(doc: Doc, published: str | None = None) -> list[FoundQuantity]:
    sentences = list(doc.sents)
    starts = [s.start_char for s in sentences]
    dates = _dates_by_sentence(doc, sentences)
    found: list[FoundQuantity] = []
    measured: dict[str, str] = {}  # unit -> the concept of the latest measure in it
    singled: dict[int, str] = {}  # index -> "time" or "place", for figures without a concept yet
    for mention in find_numbers(doc.text):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or len(span) == 0 or _not_a_quantity(mention, span):
            continue
        sentence_index = _sentence_of(starts, mention.start)
        unit, unit_normalized = mention.unit, mention.unit_normalized
        counted = None
        attribute = _hyphened_attribute(doc.text, mention) if unit_normalized is None and not mention.refers_back else None
        if unit_normalized is None and not mention.refers_back and attribute is None:
            counted = _counted_noun(span)
            if counted is not None:
                unit = counted.text
                unit_normalized = _normalise_counted(counted)
        if attribute is not None:
            # "an eight-storey building", "a 300-bed hospital": a property of the thing named, which
            # counts nothing the sentence is about ("the number of people killed when an eight-storey …")
            concept = attribute
        elif counted is None:
            concept = _part_of(span) or _conjoined_state(span) or _of_them(span)
        else:
            concept = _among_them(span)
        if concept is None and unit_normalized not in MEASURE_UNITS:
            concept = _level_subject(span)
            if concept is None and counted is not None:
                # "…has risen to 64, and 213 people remain missing": a count with its own event is
                # of that event, not of the "number of people killed" elsewhere in the sentence
                event = _with_event(counted)
                concept = event if event != counted.text and event.split()[-1] in STATE_ADJECTIVES else None
                if concept is None and counted[-1].lemma_.lower() in COUNTED_CONCEPTS:
                    concept = event  # "six cases were confirmed": the figure's own noun, not the sentence's "number of dead"
            concept = concept or _explicit_concept(sentences[sentence_index], unit_normalized, span)
        if concept is None and counted is not None:
            concept = _with_event(counted)
        if counted is not None and concept == counted.text and counted[-1].dep_ == "pobj" and counted[-1].lower_ in STATE_ADJECTIVES:
            # "received 37 of the injured", "Nineteen of the dead came from Bonto Maleo": a part of them, no count of them
            concept = f"among the {counted.text}"
        if concept is None and unit_normalized in MEASURE_UNITS and unit_normalized not in UNCOUNTED_MEASURES:
            concept = _measured_event(span, unit) or _level_subject(span)  # "put the burned area at 58,000 hectares"
            # "… raised its own estimate to between 6,000 and 8,000 barrels": a measure with no concept of its
            # own measures what the document's latest figure in that unit measured, however far back
            concept = concept or measured.get(unit_normalized)
            if concept is not None:
                measured[unit_normalized] = concept
        alone = _singled_out(span)
        if concept is None and alone:
            singled[len(found)] = alone  # its concept comes from an earlier figure, below
        concept = _singled_concept(concept, alone or ("time" if _in_a_window(span) else None))
        as_of, as_of_text = _as_of(sentences[sentence_index], dates.get(sentence_index, []), span, published)
        state = _trailing_state(span) if counted is None and unit_normalized is None else None
        found.append(FoundQuantity(mention, unit, unit_normalized, concept, as_of, as_of_text, sentence_index, state))
    _follow_up_concepts(found)
    for index, how in singled.items():  # "Thirty-one were caught on Sunday alone", after "… recaptured 246"
        found[index].concept = _singled_concept(found[index].concept, how)
    return found


HYPHENED_WORD = re.compile(r"[-‐‑]([a-z]+)\b")


def _hyphened_attribute(text: str, mention: NumberMention) -> str | None:
    """'storey' for the 'eight' of 'an eight-storey building': a number joined by a hyphen to the
    word after it, which together say what kind of thing a noun is."""
    joined = HYPHENED_WORD.match(text, mention.end)
    return joined.group(1) if joined is not None and joined.group(1) not in FRACTION_WORDS else None


FRACTION_WORDS = {"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths"}


def _singled_concept(concept: str | None, how: str | None) -> str | None:
    """The concept of a figure singled out by place ("in his village alone": a part of the total)
    or by time ("on Tuesday alone", "over the weekend": that window's count)."""
    if concept and how == "place":
        return f"{concept} alone"
    if concept and how == "time" and not concept.lower().startswith(FLOW_WORDS):
        return f"new {concept}"
    return concept


# states the parser takes for verbs ("missing" as a form of "miss"), kept as the state
STATE_WORDS = {"missing", "unaccounted", "stranded", "trapped", "homeless"}
STATE_ADJECTIVES = STATE_WORDS | {"dead", "injured", "wounded", "ill", "sick", "hurt", "displaced", "evacuated", "detained", "alive"}


def _trailing_state(span: Span) -> str | None:
    """The state right after a bare figure, past adverbs and a copula: '23 still missing'."""
    doc = span.doc
    for token in doc[span.end : span.end + 4]:
        if token.lower_ in STATE_ADJECTIVES:
            return token.lower_
        if token.pos_ not in ("ADV", "AUX") and token.lemma_.lower() not in ("remain", "be"):
            return None
    return None


def _sentence_of(starts: list[int], char: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= char:
            low = middle
        else:
            high = middle - 1
    return low


def _not_a_quantity(mention: NumberMention, span: Span) -> bool:
    """Names ('Apple Watch 5'), pronoun 'one', and bare figures inside date or time expressions."""
    if mention.refers_back:
        return False
    numerals = [t for t in span if t.like_num or t.pos_ == "NUM"]
    first = numerals[0] if numerals else span[0]
    if mention.from_words and first.lower_ == "one":
        before = first.nbor(-1).lower_ if first.i > 0 else ""
        after = first.nbor(1).lower_ if first.i + 1 < len(first.doc) else ""
        if first.pos_ != "NUM" or before in NOT_NUMERAL_BEFORE_ONE or after in ("another", "other"):
            return True
        counts_a_noun = first.dep_ == "nummod" and first.head.i > first.i
        if not counts_a_noun and not any(c.dep_ == "prep" and c.lower_ == "of" for c in first.children):
            return True  # "on one", "the one": a pronoun, not a count
    if mention.unit_normalized is None and mention.vague is None:
        if any(t.ent_type_ in NAME_LABELS for t in numerals):
            return True
        if any(t.ent_type_ in ("DATE", "TIME") for t in numerals) and not _duration(span) and not _lone_count(numerals):
            return True
        if any(t.dep_ == "nummod" and t.head.i < t.i and t.head.pos_ == "PROPN" for t in numerals):
            return True
    return False


COUNT_WORDS_IN_DATES = {"between", "and", "to", "from", "about", "some", "nearly", "around", "almost", "roughly", "more",
                        "less", "fewer", "than", "at", "least", "most", "up", "over", "under", "-", "–"}


def _lone_count(numerals: list[Token]) -> bool:
    """'closed their count of the dead at 44', 'Between 40 and 50 people are missing': numbers NER
    alone calls a date, with no month, day or year-like digits in the entity, are a count."""
    for token in numerals:
        doc = token.doc
        start, end = token.i, token.i + 1
        # the entity's own tokens only (a short walk, not a scan of the document's entities), and
        # only its part between commas: "at 71, two weeks after" is one DATE to NER
        while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].text != ",":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].text != ",":
            end += 1
        for word in doc[start:end]:
            if word.like_num:
                digits = word.text.replace(",", "")
                if not digits.isdigit() or len(digits) == 4 or word.ent_type_ == "TIME":
                    return False  # "in 2011", "at 11", "two-thirds"
            elif word.lower_ not in COUNT_WORDS_IN_DATES:
                return False  # "March 11", "40 days"
    return True


def _duration(span: Span) -> bool:
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return following is not None and UNITS.get(following.lower_) in TIME_UNITS


def _counted_noun(span: Span) -> Span | None:
    """The noun a figure counts, with the modifiers between: '300,000 reserve soldiers'."""
    doc = span.doc
    numeral = span[-1]
    while numeral.dep_ in ("conj", "quantmod") and numeral.head.i < numeral.i and (numeral.head.like_num or numeral.head.pos_ == "NUM"):
        numeral = numeral.head  # "between 40,000 and 45,000 people": the first figure carries the noun
    head = None
    # "Eleven people remain missing": the tagger may take a number word at a sentence start for an adjective or a noun
    counts = numeral.dep_ in ("nummod", "quantmod") or numeral.dep_ in ("amod", "compound") and numeral.like_num
    if counts and numeral.head.i > numeral.i and numeral.head.pos_ in ("NOUN", "PROPN"):
        head = numeral.head
    else:
        for child in numeral.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                # "34 of the workers", "more than 70 of the injured"
                objects = [c for c in child.children if c.dep_ == "pobj" and (c.pos_ in ("NOUN", "PROPN") or c.lower_ in STATE_ADJECTIVES)]
                if objects:
                    head = objects[0]
                    return _noun_phrase(doc, head, child.i + 1)
    if head is None:
        return None
    return _noun_phrase(doc, head, span.end)


def _noun_phrase(doc: Doc, head: Token, start: int) -> Span:
    """From `start` to the head when only modifiers lie between; else the head alone."""
    between = doc[start : head.i]
    if head.i - start <= 4 and all(t.pos_ in ("ADJ", "NOUN", "PROPN", "NUM", "PART") or t.dep_ in ("compound", "amod", "det", "punct") for t in between):
        first = start
        while first < head.i and doc[first].pos_ in ("DET",):
            first += 1
        while first < head.i and doc[first].is_punct:
            first += 1
        return doc[first : head.i + 1]
    return doc[head.i : head.i + 1]


def _normalise_counted(noun_phrase: Span) -> str:
    head = noun_phrase[-1]
    if head.lower_ in UNITS:
        return UNITS[head.lower_]
    return " ".join(t.lemma_.lower() if t.i == head.i else t.lower_ for t in noun_phrase if not t.is_punct)


LEVEL_VERBS = {
    "stand", "rise", "climb", "reach", "jump", "increase", "grow", "fall", "drop", "decline", "put", "hit", "total",
    "top", "exceed", "be", "surpass", "pass", "soar", "surge", "near", "approach", "remain", "stay", "edge", "mount",
}
EVENT_STOP_VERBS = {
    "be", "have", "say", "tell", "report", "give", "put", "include", "reach", "stand", "rise", "add", "make", "take",
    "get", "see", "expect", "estimate", "show", "bring", "count", "confirm", "record", "number", "find", "need",
    "want", "use", "provide", "send", "deploy", "receive", "hold", "keep", "lead", "cost", "feed", "serve",
    # where the counted come from or live says which of them, not what happened to them
    "come", "live", "hail", "originate",
}


# verbs whose object is the level they set: "raising the death toll to 26", "closed their count of
# the dead at 44", "revised its count of the injured down to 139"
SETTING_VERBS = {"put", "raise", "bring", "push", "take", "lift", "revise", "close", "lower", "cut", "set", "fix", "update"}


COUNTED_CONCEPTS = {"case", "death", "fatality", "injury", "casualty", "infection", "arrest", "evacuee", "refugee", "victim"}


WINDOW_NOUNS = {"weekend", "day", "week", "hour", "night", "overnight"}


def _figure_verb(span: Span) -> Token:
    verb = span[-1]
    while verb.dep_ not in ("ROOT",) and verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _singled_out(span: Span) -> str | None:
    """'on Tuesday alone' ("time": one day's count) or 'in his village alone' ("place": one part of
    the total), read from the word before "alone"."""
    near = [*_figure_verb(span).children, *(c for t in span for c in t.children), *span[-1].head.children]
    for child in near:
        alone = child if child.dep_ in ("advmod", "advcl") and child.lower_ == "alone" else None
        if alone is None and child.dep_ == "prep":
            # "on Saturday alone": the parser may hang "alone" on the preposition's object
            alone = next((m for c in child.children if c.dep_ == "pobj" for m in c.children if m.lower_ == "alone"), None)
        if alone is None or alone.i == 0:
            continue
        before = alone.doc[alone.i - 1]
        timed = before.ent_type_ in ("DATE", "TIME") or before.lemma_.lower() in WINDOW_NOUNS
        return "time" if timed else "place"
    return None


def _in_a_window(span: Span) -> bool:
    """The figure counts what happened in a stretch of time ("over the weekend", "in the past 24
    hours"), not everything so far."""
    for child in _figure_verb(span).children:
        if child.dep_ == "prep" and child.lower_ in ("over", "in", "during", "within"):
            for noun in child.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in WINDOW_NOUNS and (
                    noun.lower_ == "weekend" or any(m.lower_ in ("past", "last", "previous", "preceding") for m in noun.children)
                    or noun.lemma_.lower() == "hour"):
                    return True
    return False


def _part_of(span: Span) -> str | None:
    """'Of the dead, 21 were contract workers', '2,300 of those evacuated were children': a part
    of a total, named by what it is among."""
    numeral = span[-1]
    verb = numeral.head
    if numeral.dep_ != "nsubj" or verb.lemma_.lower() != "be":
        return None
    what = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
    if what is None:
        return None
    group = next((c for c in numeral.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    group = group or next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of" and c.i < numeral.i), None)
    if group is None:
        return None
    among = " ".join(t.text for t in group.subtree if t.i != group.i and t.dep_ not in ("det", "punct"))
    return f"{_phrase_text(what)} among {among}" if among else None


def _among_them(span: Span) -> str | None:
    """'…, among them four guards': a part of the count just given, whatever noun it counts."""
    before_words = [t.lower_ for t in span.doc[max(0, span.start - 2) : span.start]]
    return "among them" if before_words == ["among", "them"] else None


def _of_them(span: Span) -> str | None:
    """'148 people had been admitted, 23 of them in critical condition', '23 suspects, nine of whom
    had been charged': a part of the count just given."""
    numeral = span[-1]
    if _among_them(span):
        return "among them"
    # "Of those, 112 have been rearrested": the parser may hang the "of" on the verb, before the figure
    before = [c for c in numeral.head.children if c.i < numeral.i] if numeral.dep_ in ("nsubj", "nsubjpass") else []
    for child in [*numeral.children, *before]:
        if child.dep_ == "prep" and child.lower_ == "of" and any(
                c.dep_ == "pobj" and c.lower_ in ("them", "whom", "those", "these") for c in child.children):
            verb = numeral.head
            if numeral.dep_ in ("nsubj", "nsubjpass") and verb.pos_ == "VERB" and verb.lemma_.lower() not in EVENT_STOP_VERBS:
                return f"those {_event_words(verb)}"  # "Of those, 112 have been rearrested": a count of its own
            return "among them"
    return None


def _level_subject(span: Span) -> str | None:
    """'The death toll stands at 212', 'the number of dead rose to 486', 'put the number of dead at 731'."""
    numeral = span[-1]
    verb = None
    if numeral.dep_ == "pobj" and numeral.head.lower_ in ("at", "to", "from"):
        counted = _counted_before_level(numeral.head)
        if counted:
            return counted
        verb = numeral.head.head
        if verb.dep_ in ("advmod", "prt") and verb.lower_ in ("down", "up"):
            verb = verb.head  # "revised … down to 139"
    elif numeral.dep_ in ("dobj", "attr") and numeral.head.pos_ in ("VERB", "AUX"):
        verb = numeral.head
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    lemma = verb.lemma_.lower()
    if lemma in SETTING_VERBS and numeral.dep_ == "pobj":
        subjects = [c for c in verb.children if c.dep_ == "dobj"]
    elif lemma in LEVEL_VERBS and (numeral.dep_ != "pobj" or numeral.head.lower_ != "from"):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        clause = next((c for c in verb.children if c.dep_ == "csubj"), None)
        if clause is None and verb.dep_ == "conj":
            clause = verb.head  # or "confirmed … rose" as two verbs sharing the subject
        if not subjects and clause is not None:
            # "The number of people confirmed dead … rose to 31": the parser makes "confirmed" the subject
            inner_subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            state = _stated(clause)
            if inner_subject is not None and inner_subject.lemma_.lower() in CONCEPT_HEADS:
                counted = _of_phrase(inner_subject)
                if counted:
                    return f"{counted} {state}" if state and state not in counted else counted
    else:
        return None
    if not subjects or subjects[0].pos_ not in ("NOUN", "PROPN"):
        return None
    subject = subjects[0]
    if subject.lemma_.lower() in CONCEPT_HEADS:
        inner = _of_phrase(subject)
        if inner:
            return inner
        if all(c.dep_ in ("det", "poss", "punct") or c.lower_ in BARE_HEAD_WORDS for c in subject.children):
            return None  # "raised its own estimate to 8,000 barrels": of what, an earlier figure says
    return _phrase_text(subject)


# words that leave "its own estimate", "the latest figure" without saying what is counted
BARE_HEAD_WORDS = {"own", "latest", "new", "first", "earlier", "initial", "previous", "official", "current", "revised"}


PARTICIPLE_DEPS = {"acl", "advcl", "amod", "acomp", "relcl", "xcomp", "prt"}


def _counted_before_level(preposition: Token) -> str | None:
    """'raised the number of miners missing at the mine to 11', 'brings the number of miners brought
    out alive to 14': the parser hangs 'to 11' on the participle inside the counted phrase, so the
    verb that sets the level is not its head; the counted phrase is what the 'number of' holds,
    up to the preposition."""
    word = preposition.head
    climbed = False
    for _ in range(4):
        if word.lemma_.lower() in CONCEPT_HEADS and word.pos_ == "NOUN":
            head = word
        elif word.dep_ == "pobj" and word.head.lower_ == "of" and word.head.head.lemma_.lower() in CONCEPT_HEADS:
            head = word.head.head
        elif word.dep_ in PARTICIPLE_DEPS and word.head.i != word.i:
            word = word.head
            climbed = True
            continue
        elif climbed and word.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lemma_.lower() in CONCEPT_HEADS for c in word.children):
            # "raised its estimate of the crude spilled from the pipeline to 9,850 bbl", "to" hung on "spilled"
            head = next(c for c in word.children if c.dep_ == "dobj" and c.lemma_.lower() in CONCEPT_HEADS)
        else:
            return None
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None or not of.i < preposition.i:
            return None
        end = preposition.i
        for token in head.doc[of.i + 1 : preposition.i]:
            if token.dep_ == "prep" and token.lower_ in ("to", "at", "from") and any(c.like_num for c in token.children):
                end = token.i  # "… to 11 from three": the counted phrase ends before the first level
                break
        tokens = list(head.doc[of.i + 1 : end])
        while tokens and tokens[0].dep_ in ("det", "poss", "predet"):
            tokens = tokens[1:]
        text = head.doc[tokens[0].i : tokens[-1].i + 1].text.strip(" ,;:") if tokens else ""
        # only where a participle or state follows the counted noun: otherwise the plain reading holds
        return text if len(text.split()) > 1 else None
    return None


def _of_phrase(head: Token) -> str | None:
    """What follows 'of' under a head noun: 'the number of confirmed dead from the quake' -> 'confirmed dead from the quake'."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            tokens = [t for t in child.subtree if t.i != child.i]
            while tokens and tokens[0].dep_ in ("det", "poss", "predet"):
                tokens = tokens[1:]
            if not tokens:
                continue
            end = tokens[-1].i + 1
            # "the number of people killed when …": the parser may hang the participle on "number"
            after = next((c for c in head.children if c.dep_ == "acl" and c.i == end and c.tag_ == "VBN"), None)
            if after is not None:
                end = after.right_edge.i + 1
            return head.doc[tokens[0].i : end].text.strip(" ,;:")
    return None


def _with_event(counted: Span) -> str:
    """'212 people' killed -> 'people killed': the event a count is of, where the verb names one."""
    noun = counted[-1]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in TOTAL_NOUNS:
        noun = noun.head.head  # "a total of 251 people have died": the total is what died
    elif noun.dep_ == "pobj" and noun.head.lower_ == "of" and (noun.head.head.like_num or noun.head.head.pos_ == "NUM"):
        # "34 of its employees had died": the figure is the subject of what happened to them
        numeral = noun.head.head
        verb = numeral.head
        if numeral.dep_ in ("nsubj", "nsubjpass") and (verb.pos_ == "VERB" or (verb.pos_ == "AUX" and _stated(verb))):
            # "34 of its employees had died", "19 of the company's workers were unaccounted for"
            stated = _stated(verb)
            if stated or verb.lemma_.lower() not in EVENT_STOP_VERBS:
                return f"{counted.text} {stated or _event_words(verb)}"
        held = _held_in(verb) if numeral.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() == "be" else None
        if held:
            return f"{counted.text} {held}"  # "318 of the inmates who escaped are back in custody"
        if numeral.dep_ == "dobj" and verb.pos_ == "VERB" and verb.lemma_.lower() not in EVENT_STOP_VERBS:
            return f"{counted.text} {_event_words(verb)}"  # "have recaptured 246 of the inmates who escaped"
    after = _state_after(noun) or (_state_after(noun.head, of_verb=True) if noun.dep_ == "dobj" else None)
    if after:
        return f"{counted.text} {after}"  # "counted 68 people dead", "lists 48 people as dead"
    for child in noun.children:
        # "121 people confirmed dead and 23 still missing", "the 23 people who are still missing":
        # the noun's own participle or clause says what happened to it, whatever verb the parser
        # hangs the noun on
        if child.dep_ == "relcl":
            state = child.lower_ if child.lower_ in STATE_ADJECTIVES else _stated(child)
            if state:
                return f"{counted.text} {state}"
            if child.tag_ == "VBN" and child.lemma_.lower() not in EVENT_STOP_VERBS:
                return f"{counted.text} {_event_words(child)}"  # "30 people who have been blinded"
        if child.dep_ == "acl" and child.tag_ == "VBN":
            stated = _stated(child)
            if stated:
                return f"{counted.text} {stated}"
            if child.lemma_.lower() not in EVENT_STOP_VERBS:
                return f"{counted.text} {_event_words(child)}"
    verb = noun.head
    if verb.pos_ == "VERB":
        # "six deaths had been recorded twice", "Thirteen deaths were added": a correction's size
        if any(c.lower_ == "twice" for c in verb.children):
            return f"{counted.text} counted twice"
        if verb.lemma_.lower() == "add" and noun.dep_ == "nsubjpass":
            return f"{counted.text} added"
    stated = _stated(verb) if noun.dep_ in ("nsubj", "nsubjpass") and verb.pos_ == "VERB" else None
    if stated:
        return f"{counted.text} {stated}"
    if noun.dep_ in ("dobj", "nsubjpass", "nsubj") and verb.pos_ == "VERB" and verb.lemma_.lower() not in EVENT_STOP_VERBS:
        return f"{counted.text} {_event_words(verb)}"
    if noun.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() == "be":
        # "3,412 people had been injured", "40 people are missing": the state is an adjective
        states = [c for c in verb.children if c.dep_ in ("acomp", "attr") and c.pos_ in ("ADJ", "VERB")]
        if not states and verb.dep_ in ("aux", "auxpass") and verb.head.lower_ in STATE_ADJECTIVES:
            states = [verb.head]  # "100 people were unaccounted for": the parser hangs "were" on the state
        if states:
            return f"{counted.text} {states[0].text.lower()}"
    if noun.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in ("be", "remain", "stay"):
        placed = _held_in(verb)  # "23 suspects were in custody", "nine remain in hospital"
        if placed:
            return f"{counted.text} {placed}"
    return counted.text


# where people are held says what happened to them: "23 suspects were in custody", "nine are in hospital"
HELD_IN = {"custody": "detained", "detention": "detained", "jail": "detained", "prison": "detained",
           "hospital": "hospitalised"}


def _held_in(verb: Token) -> str | None:
    # "back in custody": the parser may hang the place on "back"
    backs = [c for c in verb.children if c.dep_ == "advmod" and c.lower_ == "back"]
    for child in [*verb.children, *(c for back in backs for c in back.children)]:
        if child.dep_ == "prep" and child.lower_ == "in":
            place = next((c.lower_ for c in child.children if c.dep_ == "pobj" and c.lower_ in HELD_IN), None)
            if place:
                return HELD_IN[place]
    return None


def _conjoined_state(span: Span) -> str | None:
    """'lists 48 people as dead and 18 as missing': the second figure counts the first's noun in its own state."""
    numeral = span[-1]
    state = _state_after(numeral)
    if not state or numeral.dep_ != "conj":
        return None
    noun = numeral.head
    if noun.pos_ in ("VERB", "AUX"):  # "lists 48 people as dead and 18 as missing", parsed as two objects of "lists"
        noun = next((c for c in noun.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
    return f"{noun.text} {state}" if noun is not None and noun.pos_ in ("NOUN", "PROPN") else None


def _state_after(word: Token, of_verb: bool = False) -> str | None:
    """A state the text puts right after a noun or number: '68 people dead', '48 people as dead',
    '18 as missing'; `of_verb` for the verb's own: 'counted 68 people dead', 'lists 48 people as dead'."""
    # "brought 12 miners out alive": the parser makes the verb's state an adverbial clause
    deps = ("acomp", "oprd", "advcl") if of_verb else ("amod", "acomp", "oprd")
    for child in word.children:
        if child.i < word.i:
            continue
        if child.dep_ in deps and child.lower_ in STATE_ADJECTIVES:
            return child.lower_
        if child.dep_ == "prep" and child.lower_ == "as":
            for state in child.children:
                if state.lower_ in STATE_ADJECTIVES:
                    return state.lower_
    return None


def _stated(verb: Token) -> str | None:
    """'confirmed dead', 'reported missing', 'listed as missing': the state a verb ascribes, not the
    (reporting) verb."""
    for child in verb.children:
        if child.dep_ in ("oprd", "acomp") and (child.pos_ == "ADJ" or child.lower_ in STATE_WORDS):
            return child.lower_
        if child.dep_ == "prep" and child.lower_ == "as":
            state = next((c for c in child.children if c.lower_ in STATE_ADJECTIVES), None)
            if state is not None:
                return state.lower_
    return None


UNCOUNTED_MEASURES = TIME_UNITS | {"percentage", "percentage point", "basis point", "year of age"}


def _measured_event(span: Span, unit: str | None) -> str | None:
    """'has burned 12,000 hectares', '74,000 hectares had burned': a measure with the event it measures."""
    if not unit:
        return None
    for token in reversed(span):
        if token.dep_ in ("dobj", "nsubj", "nsubjpass") and token.head.pos_ == "VERB":
            verb = token.head
            if verb.lemma_.lower() not in EVENT_STOP_VERBS:
                return f"{_measured_thing(token, unit)} {_participle(verb)}"
        if token.dep_ == "nsubj" and token.head.lemma_.lower() == "be" and any(
                c.dep_ == "prep" and c.lower_ == "under" and any(w.lower_ == "water" for w in c.children) for c in token.head.children):
            return f"{_measured_thing(token, unit)} flooded"  # "11,000 hectares of rice fields were under water"
        # "About 1,400 barrels of crude oil leaked into the Pacific …, the company said": the parser
        # may make the measure the reporting verb's subject and its own verb a clause under it
        event = next((c for c in token.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD")
                      and c.lemma_.lower() not in EVENT_STOP_VERBS), None)
        if event is not None:
            return f"{_measured_thing(token, unit)} {_participle(event)}"
    for token in reversed(span):
        thing = _measured_thing(token, unit)
        if thing != unit:
            return thing  # "oil had reached 48 kilometres of coastline": what is measured, if not what happened
    return None


def _measured_thing(measure: Token, unit: str) -> str:
    """'4,200 hectares of rice fields': the unit with what it measures."""
    of = next((c for c in measure.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    thing = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of is not None else None
    if thing is None:
        return unit
    # "1,350 tonnes of oily sand, seaweed and waste": every noun of the list
    # (the parser may hang the list on the measure)
    def listed(noun: Token) -> bool:  # "… and two neighbouring districts" is no material of the list
        return noun.dep_ == "conj" and noun.tag_.startswith("NN") and not any(c.dep_ == "nummod" for c in noun.children)
    nouns = [thing] + [c for c in (*thing.children, *measure.children) if listed(c)]
    nouns += [c for noun in nouns[1:] for c in noun.children if listed(c)]
    words = [t.text for noun in sorted(set(nouns), key=lambda t: t.i)
             for t in [*(c for c in noun.children if c.dep_ == "compound" and c.i < noun.i), noun]]
    return f"{unit} of {' '.join(words)}"


TOTAL_NOUNS = {"total", "number", "toll", "tally", "count"}
LINKING_VERBS = {"fall", "become", "go", "turn", "remain", "grow"}  # "fell ill", "went missing"
DISPLACING_VERBS = {"force", "drive", "chase", "push"}  # "forced from their homes", "driven out"
FLEEING_VERBS = {"flee", "leave", "evacuate", "abandon"}  # "forced to flee"
CARE_VERBS = {"treat", "hospitalise", "hospitalize", "admit"}
INJURIES = {"burn", "injury", "wound", "fracture", "trauma", "cut", "bruise"}


def _event_words(verb: Token) -> str:
    """What a verb says happened to the counted: 'fallen ill' -> 'ill' (the state, not the motion);
    'forced from their homes' -> 'displaced'; else the verb as a participle."""
    if verb.lower_ in STATE_WORDS:
        return verb.lower_  # "40 people are still missing": parsed as the verb "miss"
    if verb.lemma_.lower() == "lose":
        objects = {c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"}
        if objects & {"home", "house", "shelter"}:
            return "displaced"  # "lost their homes": not the "lost" of lives
        if objects & {"life"}:
            return "died"
        if objects & {"sight", "eyesight", "vision"}:
            return "blinded"
    linking = verb.lemma_.lower() in LINKING_VERBS  # the parser often makes "fallen ill" an advmod
    states = [c for c in verb.children if (c.pos_ == "ADJ" or c.lower_ in STATE_WORDS) and (
        c.dep_ in ("acomp", "oprd") or linking and c.dep_ in ("advmod", "xcomp", "ccomp"))]
    if states:
        return states[0].text.lower()
    if verb.lemma_.lower() in CARE_VERBS:
        # "118 people had been treated for burns": the injured; "treated for cholera": the ill
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "for":
                treated_for = {c.lemma_.lower() for c in child.children if c.dep_ == "pobj"}
                if treated_for & INJURIES:
                    return "injured"
                if treated_for:
                    return "ill"
    if verb.lemma_.lower() in DISPLACING_VERBS:
        displaced = any(c.dep_ == "prep" and c.lower_ in ("from", "out") for c in verb.children) or any(
            c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in FLEEING_VERBS for c in verb.children)
        if displaced or any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
            return "displaced"
    return _participle(verb)


def _participle(verb: Token) -> str:
    """'killing' -> 'killed' for display; irregular verbs keep the form the text used."""
    if verb.tag_ in ("VBN", "VBD"):
        return verb.text.lower()
    lemma = verb.lemma_.lower()
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _explicit_concept(sentence: Span, unit_normalized: str | None, figure: Span | None = None) -> str | None:
    """'the number of Russian soldier deaths in Ukraine': what a count in this sentence measures.

    Not the figure's own noun ("a total of 251 people"): that says what is counted, and the verb
    ("have died") what happened to it (_with_event)."""
    if unit_normalized in MEASURE_UNITS:
        return None
    for token in sentence:
        if figure is not None and token.i > figure.end:
            break  # "Seven people were killed …, adding that the number of inmates who broke out …": a later clause's
        if token.lemma_.lower() in CONCEPT_HEADS and token.pos_ == "NOUN":
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects and figure is not None and any(t.head.i == objects[0].i for t in figure):
                        return None
                    if objects and any(c.dep_ == "nummod" for c in objects[0].children):
                        continue  # "A total of 1,326 houses … and 12,500 people": another figure's own noun
                    if objects and objects[0].lemma_.lower() not in CONCEPT_HEADS:
                        return _phrase_text(objects[0])
                    if objects:
                        inner = _explicit_concept_from(objects[0])
                        if inner:
                            return inner
                    if not objects:
                        return _of_phrase(token)
    return None


def _explicit_concept_from(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _phrase_text(objects[0])
    return None


def _phrase_text(head: Token) -> str:
    """The noun phrase under `head`, without a leading determiner, clauses or time adverbials."""
    cut: set[int] = set()
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "advcl", "appos") or (
            child.dep_ == "prep" and child.lower_ in ("for", "since", "during", "on", "at", "over")
        ):
            cut.update(t.i for t in child.subtree)
    kept = [t for t in head.subtree if t.i not in cut]
    while kept and kept[0].dep_ in ("det", "poss", "predet"):
        kept = kept[1:]
    if not kept:
        return head.text
    return head.doc[kept[0].i : kept[-1].i + 1].text.strip(" ,;:")


EARLIER = re.compile(r"\b(?:initially|at first|previously|originally|earlier|at the time|in the early days)\b", re.IGNORECASE)
PLAIN_DURATION = re.compile(
    r"^(?:the\s+)?(?:last\s+|past\s+|next\s+|first\s+)?(?:\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|twenty|thirty|several|a few|few|many)\s+(?:days?|weeks?|months?|years?|decades?|hours?)$",
    re.IGNORECASE,
)


def _dates_by_sentence(doc: Doc, sentences: list[Span]) -> dict[int, list[Span]]:
    """The DATE entities of each sentence (index), read once: `Span.ents` walks all of the
    document's entities each time it is asked."""
    ends = [s.end for s in sentences]
    found: dict[int, list[Span]] = {}
    for entity in doc.ents:
        if entity.label_ != "DATE":
            continue
        index = bisect.bisect_right(ends, entity.start)
        if index < len(sentences) and entity.end <= ends[index]:
            found.setdefault(index, []).append(entity)
    return found


def _as_of(sentence: Span, dates: list[Span], span: Span, published: str | None) -> tuple[str | None, str | None]:
    """The date the figure holds at and the words it was read from.

    The nearest date expression of the figure's sentence that resolves wins. Where none resolves,
    the date is None but the words that place the figure in time ("Only weeks into the war",
    "initially") are kept, so a ledger can tell a figure from the past from a current one.
    """
    best: tuple[int, str, str] | None = None
    unresolved: str | None = None
    past_event: tuple[str, str] | None = None
    for entity in dates:
        if entity.start < span.end and span.start < entity.end:
            continue
        if entity.start > 0 and entity.doc[entity.start - 1].lower_ == "since":
            continue  # "1,214 cases since mid-January": when the count began, not when it holds
        if _dates_another_figure(entity, span):
            continue  # "31,800 hectares, up from about 6,500 on Monday": Monday is the 6,500's
        if _names_an_event(entity):
            # "the quake near Pisco in 2007 killed 500": an event years back dates its own figure
            resolved = timeref.resolve(entity.text, published) or timeref.year_start(entity.text)
            if timeref.is_history(resolved, published):
                past_event = past_event or (resolved, entity.text)
            continue
        resolved = timeref.resolve(entity.text, published)
        if resolved is None:
            if unresolved is None and not PLAIN_DURATION.match(entity.text.strip()):
                unresolved = entity.text
            continue
        distance = min(abs(entity.start - span.end), abs(span.start - entity.end))
        if _dates_a_statement(entity):
            distance -= 10_000  # "…, the ministry said on Monday": when the figure was given wins
        if best is None or distance < best[0]:
            best = (distance, resolved, entity.text)
    if best:
        return best[1], best[2]
    if past_event:
        return past_event
    if unresolved is None:
        earlier = EARLIER.search(sentence.text)
        unresolved = earlier.group(0) if earlier else None
    return None, unresolved


def _dates_another_figure(entity: Span, span: Span) -> bool:
    """The date hangs from a phrase that holds another number: that number's date, not this one's."""
    node = entity.root
    for _ in range(3):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return False
        if any(c.like_num and not (span.start <= c.i < span.end) and not (entity.start <= c.i < entity.end)
               and c.dep_ in ("pobj", "nummod") for c in node.children):
            return True
    return False


STATEMENT_VERBS = {
    "say", "tell", "announce", "report", "add", "state", "confirm", "acknowledge", "claim", "estimate", "put",
    "update", "publish", "release", "give", "raise", "lower", "revise", "close",
}


def _dates_a_statement(entity: Span) -> bool:
    root = entity.root
    head = root.head.head if root.dep_ == "pobj" else root.head
    return head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in STATEMENT_VERBS


def _names_an_event(entity: Span) -> bool:
    """'Tuesday's earthquake', 'the quake on Tuesday': a date that says when something happened, not
    when the figure was given; only dates that modify a verb (or stand alone) date a figure."""
    root = entity.root
    if root.dep_ == "poss":
        return True
    head = root.head
    if root.dep_ == "pobj":
        head = head.head
    if head.i != root.i and head.pos_ in ("NOUN", "PROPN") and root.dep_ in ("pobj", "npadvmod", "compound", "nmod"):
        return True
    # "the earthquake that struck three weeks ago": the date sits in a clause describing a noun
    return head.pos_ in ("VERB", "AUX") and head.dep_ in ("relcl", "acl")


def _follow_up_concepts(found: list[FoundQuantity]) -> None:
    """A bare figure, a comparative, or a count of a noun already in a recent concept takes that concept."""
    for index, quantity in enumerate(found):
        earlier = _recent_concept(found, index)
        if earlier is None:
            continue
        if quantity.concept is None and quantity.unit_normalized is None:
            quantity.concept, quantity.unit, quantity.unit_normalized = earlier.concept, earlier.unit, earlier.unit_normalized
            if quantity.state and earlier.unit and not earlier.concept.endswith(" " + quantity.state):
                quantity.concept = f"{earlier.unit} {quantity.state}"  # "121 people confirmed dead and 23 still missing"
        elif quantity.mention.refers_back and quantity.concept is None:
            quantity.concept = earlier.concept
        elif quantity.concept and quantity.concept == quantity.unit and quantity.unit_normalized not in MEASURE_UNITS:
            # a bare count ("1,351 soldiers") of something a recent concept names ("soldier deaths")
            words = {w.rstrip("s") for w in (quantity.unit_normalized or "").split()} - GENERIC_COUNT_WORDS
            concept_words = {w.lower().rstrip("s") for w in earlier.concept.split()}
            if words and words <= concept_words:
                quantity.concept = earlier.concept


def _recent_concept(found: list[FoundQuantity], index: int) -> FoundQuantity | None:
    sentence = found[index].sentence
    for earlier in reversed(found[:index]):
        if sentence - earlier.sentence > CONCEPT_WINDOW_SENTENCES:
            return None
        if earlier.concept and earlier.unit_normalized not in TIME_UNITS:
            return earlier
    return None
