"""Assembling tagged cue, source and content runs into attributions.

Owns the linking step after the CRF taggers: which content pieces and which source belong to
which cue (parse path first, then nearness within the sentence), and the attribution's type,
conduit (`via`), nesting (`parent`) and the cue's stance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from claimledger.analysis.features import AMBIGUOUS_QUOTES, CLOSING_QUOTES, OPENING_QUOTES
from claimledger.analysis.sources import relative_antecedent
from claimledger.analysis.tagger import TokenRun

MAX_CONTENT_GAP = 40  # tokens between a cue and a content piece it can own outside the parse path
QUOTE_MARKS = OPENING_QUOTES | CLOSING_QUOTES | AMBIGUOUS_QUOTES

STANCE_BY_LEMMA = {
    "distancing": {"claim", "allege", "insist", "purport", "contend", "maintain", "assert", "profess"},
    "factive": {
        "acknowledge", "admit", "confirm", "reveal", "concede", "note", "show", "prove", "recognize",
        "recognise", "disclose", "point", "learn", "know", "realize", "demonstrate", "establish",
    },
    "tentative": {
        "suggest", "believe", "think", "seem", "estimate", "speculate", "guess", "hint", "indicate",
        "suspect", "imply", "feel", "expect", "predict", "appear", "hope", "fear", "warn",
    },
}
FALLBACK_MIN_CONFIDENCE = 0.9
RULE_CUE_DEPS = {"pcomp", "advcl", "acl"}
RULE_CUE_VERBS = {
    "say", "tell", "claim", "allege", "insist", "deny", "acknowledge", "admit", "announce", "warn",
    "argue", "report", "state", "explain", "assert", "contend", "concede", "confirm", "reveal",
    "suggest", "believe", "estimate", "predict",
}
RULE_CONFIDENCE = 0.5
CLIMB_DEPS = {"advcl", "xcomp", "conj", "pcomp", "prep"}
CONDUIT_VERBS = {"cite", "quote", "report"}
TELL_VERBS = {"tell", "say", "write", "explain", "confirm", "report"}


@dataclass
class LinkedAttribution:
    """Token runs of one attribution, before they are turned into the JSON record."""

    cue: TokenRun
    source: TokenRun | None = None
    contents: list[TokenRun] = field(default_factory=list)
    via: tuple[int, int] | None = None
    # a reported clause joined after the reporting clause ("…, the spokesman said, and 17,800 people
    # are displaced"): added after the content's boundaries are chosen, which it takes no part in
    continued: TokenRun | None = None


def _run_tokens(run: TokenRun) -> range:
    return range(run.start, run.end)


def _ancestor_steps(token: Token, max_steps: int) -> dict[int, int]:
    """The first `max_steps` tokens up the parse from `token`, each with its distance from it."""
    steps_to: dict[int, int] = {}
    node, steps = token, 0
    while steps < max_steps and node.head.i != node.i:
        node, steps = node.head, steps + 1
        steps_to.setdefault(node.i, steps)
    return steps_to


def _steps_to(steps_to: dict[int, int], targets) -> int | None:
    """Steps to the nearest of `targets` among those ancestors, or None."""
    return min((steps_to[i] for i in targets if i in steps_to), default=None)


def _ancestors_within(token: Token, targets: set[int], max_steps: int) -> int | None:
    """Steps up the parse from `token` to the first token in `targets`, or None."""
    return _steps_to(_ancestor_steps(token, max_steps), targets)


def _run_root(doc: Doc, run: TokenRun) -> Token:
    """The token of a run whose head lies outside it (the first one where there are several)."""
    for i in _run_tokens(run):
        head = doc[i].head
        if head.i < run.start or head.i >= run.end or head.i == i:
            return doc[i]
    return doc[run.start]


def _gap(a: TokenRun, b: TokenRun) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def supplement_cues(doc: Doc, runs: dict[str, list[TokenRun]]) -> None:
    """Add reporting verbs with a clausal complement that the tagger missed, with their clause as content.

    The CRF misses some cues in unusual syntax ("after first claiming troops were regrouping");
    a verb that is usually a cue and governs a complement clause is one all the same.
    """
    taken = {i for run in runs["cue"] for i in range(run.start, run.end)}
    for token in doc:
        if token.i in taken or token.lemma_.lower() not in RULE_CUE_VERBS:
            continue
        if token.dep_ not in RULE_CUE_DEPS and not _misparsed_main_clause(token):
            continue
        clause = next((c for c in token.children if c.dep_ == "ccomp" and c.i > token.i), None)
        if clause is None:
            continue
        runs["cue"].append(TokenRun(token.i, token.i + 1, RULE_CONFIDENCE, from_rule=True))
        # the clause may sit inside another attribution's content: that nesting is wanted
        runs["content"].append(_clause_run(doc, clause))
    _figure_reports(doc, runs, taken)
    _split_clause_sources(doc, runs)
    runs["cue"].sort(key=lambda r: r.start)
    runs["content"].sort(key=lambda r: r.start)


def _misparsed_main_clause(token: Token) -> bool:
    """'Spokesman X told The Herald that 38 escapees had been recaptured by Monday evening, some of
    them found hiding on farms, …': in a long sentence the parser may hang the reporting verb, with
    its own subject, as the complement of a later verb that reports nothing."""
    return (token.dep_ == "ccomp" and token.head.i > token.i and token.head.lemma_.lower() not in RULE_CUE_VERBS
            and any(c.dep_ == "nsubj" and c.i < token.i for c in token.children))


def _split_clause_sources(doc: Doc, runs: dict[str, list[TokenRun]]) -> None:
    """'About 1,400 barrels of oil leaked into the sea on Saturday, Petrolera Costa Norte S.A. said':
    where the parser gives the cue two subjects, the reported clause and the speaker, the source
    tagger may take both as the source; the speaker after the last comma is the source and the
    clause before it the content."""
    cue_roots = {_run_root(doc, cue).i for cue in runs["cue"]}
    kept: list[TokenRun] = []
    for run in runs["source"]:
        comma = next((i for i in range(run.end - 1, run.start - 1, -1) if doc[i].text == ","), None)
        speaker = _run_root(doc, TokenRun(comma + 1, run.end, run.confidence)) if comma not in (None, run.end - 1) else None
        if speaker is None or speaker.dep_ != "nsubj" or speaker.head.i not in cue_roots:
            kept.append(run)
            continue
        before = doc[run.start:comma]
        two_subjects = any(t.dep_ == "nsubj" and t.head.i == speaker.head.i for t in before)
        if two_subjects and any(t.pos_ in ("VERB", "AUX") for t in before):  # not "The family, protesters and …"
            kept.append(TokenRun(comma + 1, run.end, run.confidence, from_rule=True))
            runs["content"].append(TokenRun(run.start, comma, RULE_CONFIDENCE, from_rule=True))
        elif _dangling(doc, run.start, comma, run.end, cue_roots):
            # "…, among them four guards, service spokesman X told reporters": words of the clause
            # before, hung outside the run, are no part of the speaker
            kept.append(TokenRun(comma + 1, run.end, run.confidence, from_rule=True))
        else:
            kept.append(run)
    runs["source"] = kept


def _dangling(doc: Doc, start: int, comma: int, end: int, cue_roots: set[int]) -> bool:
    """The tokens [start, comma) hang from words outside [start, end) that are no cue: the tail of
    the clause before, not a first part of the speaker."""
    heads = [t.head.i for t in doc[start:comma] if not start <= t.head.i < comma]
    return bool(heads) and all(not start <= head < end and head not in cue_roots for head in heads)


FIGURE_REPORT_VERBS = {"report", "announce", "record", "register", "confirm", "count", "put", "give"}
# "revised its count of the injured down to 139", "raised its death toll to 212": the subject's own figure
LEVEL_SETTING_VERBS = {"revise", "raise", "put", "close", "update", "lower", "bring", "cut", "increase", "reduce"}


def _figure_reports(doc: Doc, runs: dict[str, list[TokenRun]], taken: set[int]) -> None:
    """"The Health Ministry reported 112 deaths and 1,241 suspected cases": a source that reports
    figures as a noun phrase, not a clause. The object is the content when it holds a number and
    the verb has a subject the tagger did not already give a cue."""
    tagged = {i for run in runs["content"] for i in range(run.start, run.end)}
    for token in doc:
        lemma = token.lemma_.lower()
        if token.i in taken or token.pos_ != "VERB" or lemma not in FIGURE_REPORT_VERBS | LEVEL_SETTING_VERBS:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in ("which", "who", "that") and token.dep_ == "relcl":
            subject = token.head  # "Costa Norte, which on Wednesday raised its estimate to 8,000 barrels, …"
        if subject is None and token.dep_ == "conj" and lemma in LEVEL_SETTING_VERBS:
            # "Authorities ended the search on Tuesday … and put the final death toll at 36": the
            # subject of the first of the joined verbs
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        if subject is None and token.dep_ == "advcl" and token.tag_ == "VBG":
            # "The agency ended its search on Monday, putting the final death toll at 71"
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        target = next((c for c in token.children if c.dep_ == "dobj" and c.i > token.i), None)
        if subject is None or target is None or subject.pos_ not in ("NOUN", "PROPN"):
            continue
        end = target.right_edge.i + 1
        # "raised its estimate of the crude spilled … to 9,850 bbl": the level may hang on a clause after the object
        after = [child for child in token.children if child.i > target.i]
        after += [c for child in after if child.dep_ in ("advcl", "acl", "xcomp") for c in child.children]
        level_end = max([0] + [_level_phrase_end(child) for child in after])
        # "lowered the number of miners missing at the mine to eight": the parser may hang the new
        # level on a participle inside the object
        level_inside = any(_level_phrase_end(t) for t in target.subtree if t.dep_ == "prep")
        if lemma in LEVEL_SETTING_VERBS and (level_end or level_inside):
            end = max(end, level_end)  # "put the burned area at between 58,000 and 63,000 hectares"
        elif lemma not in FIGURE_REPORT_VERBS:
            continue
        span = range(target.left_edge.i, end)
        if not any(doc[i].like_num for i in span) or any(i in tagged for i in span):
            continue
        runs["cue"].append(TokenRun(token.i, token.i + 1, RULE_CONFIDENCE, from_rule=True))
        runs["content"].append(TokenRun(span.start, _end_before_punct(doc, span.start, span.stop, keep_quotes=True),
                                        RULE_CONFIDENCE, from_rule=True))


def _level_phrase_end(child: Token) -> int:
    """End of the phrase that gives the new level ("down to 139 from 152", "at 44"), or 0."""
    if child.dep_ in ("advmod", "prt") and child.lower_ in ("down", "up"):
        return max([0] + [_level_phrase_end(c) for c in child.children])
    if child.dep_ == "prep" and child.lower_ in ("to", "at", "from") and any(t.like_num for t in child.subtree):
        return child.right_edge.i + 1
    return 0


def _clause_run(doc: Doc, clause: Token) -> TokenRun:
    start = clause.left_edge.i
    if doc[start].dep_ == "mark":
        start += 1
    return TokenRun(start, clause.right_edge.i + 1, RULE_CONFIDENCE, from_rule=True)


def content_fallback(doc: Doc, cue: TokenRun) -> TokenRun | None:
    """Where the tagger gave a cue no content: its complement clause (after it, else before it:
    "The death toll has risen to 34, the administration said"), or for "according to X" the
    clause that the phrase modifies, without the phrase."""
    root = _run_root(doc, cue)
    if root.lower_ == "according" and root.head.i != root.i:
        clause = root.head
        start, end = clause.left_edge.i, clause.right_edge.i + 1
        phrase = range(root.left_edge.i, root.right_edge.i + 1)
        if phrase.start == start:
            start = phrase.stop
        elif phrase.stop == end:
            end = phrase.start
        while start < end and doc[start].is_punct:
            start += 1
        return _rule_run(start, _end_before_punct(doc, start, end, keep_quotes=False))
    after = next((c for c in root.children if c.dep_ in {"ccomp", "xcomp"} and c.i > root.i), None)
    if after is not None:
        return _clause_run(doc, after)
    if root.head.i < root.left_edge.i and (root.dep_ == "parataxis" or _reporting_conjunct(doc, root)):
        # "The number … rose to 17 on Thursday, the minister said, as rescuers …": the parser makes
        # the reporting clause an aside (or a second conjunct) of the reported one; the content is
        # what comes before it
        start = root.head.left_edge.i
        return _rule_run(start, _end_before_punct(doc, start, root.left_edge.i, keep_quotes=True))
    subjects = [c for c in root.children if c.dep_ == "nsubj"]
    if len(subjects) >= 2 and any(t.pos_ == "VERB" for t in subjects[0].subtree):
        # "About 900 barrels of diesel leaked into the bay …, Refineria Delta S.A. said": the parser
        # gives the cue two subjects, the first of them the reported clause
        start = subjects[0].left_edge.i
        return _rule_run(start, _end_before_punct(doc, start, subjects[0].right_edge.i + 1, keep_quotes=True))
    before = next((c for c in root.children if c.dep_ == "ccomp" and c.i < root.i), None)
    if before is None:
        return None
    run = _clause_run(doc, before)
    return _rule_run(run.start, _end_before_punct(doc, run.start, run.end, keep_quotes=True))


def _reporting_conjunct(doc: Doc, root: Token) -> bool:
    """'… has risen to 41, the agency said on Wednesday, as rescuers reached …': a reporting verb
    with its own subject, joined to the clause before it by a comma alone."""
    return (root.dep_ == "conj" and root.head.pos_ in ("VERB", "AUX") and root.left_edge.i > 0
            and doc[root.left_edge.i - 1].text == "," and any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children))


def _end_before_punct(doc: Doc, start: int, end: int, keep_quotes: bool) -> int:
    """`end` moved back past trailing punctuation (a closing quote mark stays where `keep_quotes`)."""
    while end > start and doc[end - 1].is_punct and not (keep_quotes and doc[end - 1].text in QUOTE_MARKS):
        end -= 1
    return end


def _rule_run(start: int, end: int) -> TokenRun | None:
    return TokenRun(start, end, RULE_CONFIDENCE, from_rule=True) if start < end else None


def _paragraph_index(doc: Doc) -> list[int]:
    """Index of the paragraph (text between line breaks) of each token."""
    index, paragraph = [], 0
    for token in doc:
        index.append(paragraph)
        if "\n" in token.text or "\n" in token.whitespace_:
            paragraph += 1
    return index


def link(doc: Doc, runs: dict[str, list[TokenRun]]) -> list[LinkedAttribution]:
    """Give every content piece to one cue, and every cue its source."""
    cues = runs["cue"]
    if not cues:
        return []
    sentence_index = [0] * len(doc)
    for s_index, sentence in enumerate(doc.sents):
        for token in sentence:
            sentence_index[token.i] = s_index
    paragraph_index = _paragraph_index(doc)
    linked = [LinkedAttribution(cue) for cue in cues]
    for content in runs["content"]:
        owner = _content_owner(doc, content, cues, sentence_index, paragraph_index)
        if owner is not None:
            linked[owner].contents.append(content)
    covered = tagged_tokens(runs)
    for attribution in linked:
        attribution.source = _choose_source(doc, attribution.cue, runs["source"], sentence_index)
        if not attribution.contents:
            fallback = content_fallback(doc, attribution.cue)
            attribution.contents = [fallback] if fallback else []
        if (attribution.source is None and not attribution.contents) or _clause_like(doc, attribution.source):
            preposed = _preposed_report(doc, attribution.cue)
            if preposed is not None:
                attribution.source, clause = preposed
                attribution.contents = [clause]
        attribution.contents = _join_pieces(attribution, _carve(doc, attribution))
        attribution.continued = reported_conjunct(doc, attribution, covered)
        attribution.via = find_via(doc, attribution)
    return linked


def tagged_tokens(runs: dict[str, list[TokenRun]]) -> set[int]:
    """Every token some cue, content or source run holds."""
    return {i for kind in ("cue", "content", "source") for run in runs[kind] for i in range(run.start, run.end)}


NAME_PHRASE_POS = {"DET", "PROPN", "NOUN", "ADJ", "PART", "PUNCT", "NUM"}


def _clause_like(doc: Doc, run: TokenRun | None) -> bool:
    """A source run that holds a clause of its own (a verb with its subject or auxiliary), which no
    name of a speaker does: the tagger took the reported clause for the speaker."""
    return run is not None and any(
        t.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in t.children) for t in doc[run.start:run.end])


def _preposed_report(doc: Doc, cue: TokenRun) -> tuple[TokenRun, TokenRun] | None:
    """'Nearly 4,500 fishermen have lost their income since …, the Federation of Artisanal Fishermen
    (Fepanor) said on Monday, …': the wire's commonest shape, read from the words where the parse of
    a long sentence lost it: a clause, a comma, a name phrase, the cue. Returns (source, content)."""
    root = _run_root(doc, cue)
    if cue.end - cue.start != 1 or root.lemma_.lower() not in RULE_CUE_VERBS:
        return None
    sentence = root.sent
    comma = next((i for i in range(cue.start - 1, sentence.start, -1) if doc[i].text == ","), None)
    if comma is None or not 1 <= cue.start - comma - 1 <= 14:
        return None
    speaker = doc[comma + 1 : cue.start]
    allowed = all(t.pos_ in NAME_PHRASE_POS or t.lower_ in ("of", "for", "and") for t in speaker)
    if not allowed or not any(t.pos_ in ("PROPN", "NOUN") for t in speaker) or any(t.text in QUOTE_MARKS for t in speaker):
        return None
    start = sentence.start
    while start < comma and (doc[start].is_space or doc[start].text in QUOTE_MARKS):
        start += 1
    clause = doc[start:comma]
    if len(clause) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in clause) or any(t.text in QUOTE_MARKS for t in clause):
        return None
    return TokenRun(comma + 1, cue.start, RULE_CONFIDENCE, from_rule=True), TokenRun(start, comma, RULE_CONFIDENCE, from_rule=True)


def reported_conjunct(doc: Doc, attribution: LinkedAttribution, covered: set[int]) -> TokenRun | None:
    """'Eleven people remain missing, the spokesman told a news conference, and 17,800 people are
    displaced' (or '…, but about 290 remain at large'): a clause with a figure joined to a
    reporting clause that follows its content is more of what was reported, not the writer's own
    statement (a clause without one is as often the writer's narrative: '…," she said, and soon the
    balloons were dropping')."""
    if not attribution.contents or any(c.start > attribution.cue.start for c in attribution.contents):
        return None
    root = _run_root(doc, attribution.cue)
    for clause in root.children:
        if clause.dep_ != "conj" or clause.i < root.i or clause.pos_ not in ("VERB", "AUX"):
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            continue
        if clause.lemma_.lower() in RULE_CUE_VERBS and any(c.dep_ in ("ccomp", "xcomp") for c in clause.children):
            continue  # a report of its own ("and the union said …"), not "and 60 others were admitted to hospital"
        start = clause.left_edge.i
        if start < 2 or doc[start - 1].lower_ not in ("and", "but") or doc[start - 2].text != ",":
            continue
        end = _end_before_punct(doc, start, clause.right_edge.i + 1, keep_quotes=True)
        if any(i in covered for i in range(start, end)) or not any(doc[i].like_num for i in range(start, end)):
            continue
        return _rule_run(start, end)
    return None


def _content_owner(
    doc: Doc, content: TokenRun, cues: list[TokenRun], sentence_index: list[int], paragraph_index: list[int]
) -> int | None:
    """Index of the cue a content piece belongs to: parse path first, then nearness; None if no cue fits."""
    root = _run_root(doc, content)
    # one walk up the parse per piece, not one per piece and cue (a transcript has hundreds of both)
    above = _ancestor_steps(root, 6)
    best, best_score = None, None
    for index, cue in enumerate(cues):
        if cue.start >= content.start and cue.end <= content.end:
            continue  # a cue inside this content belongs to a nested attribution
        steps = _steps_to(above, _run_tokens(cue))
        if steps is not None:
            score = steps
        else:
            gap = _gap(cue, content)
            # off the parse path, a piece belongs to a cue of its own paragraph only
            if gap > MAX_CONTENT_GAP or paragraph_index[cue.start] != paragraph_index[content.start]:
                continue
            score = 10 + gap + 20 * abs(sentence_index[cue.start] - sentence_index[root.i])
        if best_score is None or score < best_score:
            best, best_score = index, score
    return best


def _choose_source(doc: Doc, cue: TokenRun, sources: list[TokenRun], sentence_index: list[int]) -> TokenRun | None:
    """The source run of the cue's sentence closest to it in the parse, else the verb's subject."""
    root = _run_root(doc, cue)
    if cue.from_rule and any(c.dep_ in {"nsubj", "nsubjpass"} for c in root.children):
        # a rule cue sits in an embedded clause ("while some analysts suggest"): its own subject speaks
        own = subject_fallback(doc, cue)
        if own is not None:
            return own
    cue_tokens = set(_run_tokens(cue))
    best, best_score = None, None
    for source in sources:
        if sentence_index[cue.start] not in (sentence_index[source.start], sentence_index[source.end - 1]):
            continue
        down = _ancestors_within(_run_root(doc, source), cue_tokens, 4)
        up = _ancestors_within(doc[cue.start], set(_run_tokens(source)), 2)
        if down is not None:
            score = down
        elif up is not None:
            score = up + 1
        else:
            score = 10 + _gap(cue, source)
        if best_score is None or score < best_score:
            best, best_score = source, score
    return best if best is not None else subject_fallback(doc, cue)


def _carve(doc: Doc, attribution: LinkedAttribution) -> list[TokenRun]:
    """Content pieces without the attribution's own cue and source tokens (the taggers run apart and may overlap)."""
    removed = set(_run_tokens(attribution.cue))
    if attribution.source is not None:
        removed |= set(_run_tokens(attribution.source))
    pieces: list[TokenRun] = []
    for piece in attribution.contents:
        start = None
        for i in list(_run_tokens(piece)) + [piece.end]:
            keep = i < piece.end and i not in removed
            if keep and start is None:
                start = i
            elif not keep and start is not None:
                if any(not doc[j].is_punct and not doc[j].is_space for j in range(start, i)):
                    pieces.append(TokenRun(start, i, piece.confidence))
                start = None
    return _trim_punct(doc, pieces)


def _trim_punct(doc: Doc, pieces: list[TokenRun]) -> list[TokenRun]:
    """Leading commas and the like left behind by carving are not content (quote marks are kept)."""
    trimmed = []
    for piece in pieces:
        start = piece.start
        while start < piece.end and doc[start].is_punct and doc[start].text in {",", ";", ":", "-", "—", "–"}:
            start += 1
        if start < piece.end:
            trimmed.append(TokenRun(start, piece.end, piece.confidence))
    return trimmed


def _join_pieces(attribution: LinkedAttribution, pieces: list[TokenRun]) -> list[TokenRun]:
    """Content pieces of one attribution are one piece unless its cue or source stands between them."""
    pieces = sorted(pieces, key=lambda r: r.start)
    separators = [attribution.cue] + ([attribution.source] if attribution.source else [])
    joined: list[TokenRun] = []
    for piece in pieces:
        if joined and not any(joined[-1].end <= s.start and s.end <= piece.start for s in separators):
            last = joined[-1]
            joined[-1] = TokenRun(last.start, max(last.end, piece.end), (last.confidence + piece.confidence) / 2)
        else:
            joined.append(piece)
    return joined


def subject_fallback(doc: Doc, cue: TokenRun) -> TokenRun | None:
    """Where the tagger found no source: the grammatical subject of the cue's verb, or of the verb it hangs from."""
    if cue.confidence < FALLBACK_MIN_CONFIDENCE and not cue.from_rule:
        return None
    node = _run_root(doc, cue)
    for _ in range(3):
        for child in node.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.tag_ not in {"EX", "WDT"} and child.lower_ not in {"it", "this", "that"}:
                if cue.start <= child.i < cue.end:
                    continue
                return TokenRun(child.left_edge.i, child.i + 1 if child.right_edge.i >= cue.start > child.i else child.right_edge.i + 1, 0.3)
        if node.dep_ not in CLIMB_DEPS or node.head.i == node.i:
            break
        node = node.head
    return None


def find_via(doc: Doc, attribution: LinkedAttribution) -> tuple[int, int] | None:
    """The conduit of an attribution: "told CNN", or "The report cited an official who said"."""
    cue_head = _run_root(doc, attribution.cue)
    if cue_head.lemma_.lower() in TELL_VERBS:
        for child in cue_head.children:
            if child.dep_ in {"dative", "dobj"} and child.ent_type_ in {"ORG", "GPE", "NORP", "PERSON"}:
                return child.left_edge.i, child.right_edge.i + 1
    if attribution.source is not None:
        source = doc[attribution.source.start : attribution.source.end]
        antecedent = relative_antecedent(source)
        holder = antecedent.root if antecedent is not None else source.root
        verb = holder.head
        if holder.dep_ in {"dobj", "pobj"} and verb.lemma_.lower() in CONDUIT_VERBS:
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    return child.left_edge.i, child.right_edge.i + 1
    return None


def stance_of(lemma: str) -> str:
    for stance, lemmas in STANCE_BY_LEMMA.items():
        if lemma in lemmas:
            return stance
    return "neutral"


def attribution_type(text: str, cue_text: str, spans: list[tuple[int, int]]) -> str:
    """direct: the content is all quoted; mixed: part quoted; according_to; indirect otherwise."""
    if cue_text.lower().startswith("according"):
        return "according_to"
    if not spans:
        return "other"
    start, end = spans[0][0], spans[-1][1]
    body = text[start:end].strip()
    before = text[max(0, start - 2) : start].strip()
    after = text[end : end + 2].strip()
    opens = body[:1] in QUOTE_MARKS or (before[-1:] in QUOTE_MARKS)
    closes = body[-1:] in QUOTE_MARKS or (after[:1] in QUOTE_MARKS) or body[-2:-1] in QUOTE_MARKS
    if opens and closes:
        return "direct"
    if any(mark in body for mark in QUOTE_MARKS):
        return "mixed"
    return "indirect"
