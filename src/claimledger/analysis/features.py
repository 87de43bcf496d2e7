"""Token features for the attribution taggers.

Owns the translation of a parsed spaCy `Doc` into one feature list per token, the input of the
CRF taggers in `tagger.py`. Two families: features of the token and its neighbours (word, lemma,
tags, dependency, quotation state), and features relative to the attribution cues of the document
(where the token sits in the parse with respect to a cue), which the source and content taggers use.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc

OPENING_QUOTES = {"“", "‘", "«", "„"}
CLOSING_QUOTES = {"”", "’", "»"}
AMBIGUOUS_QUOTES = {'"', "''", "``"}
MAX_ANCESTOR_STEPS = 10


def _bucket(distance: int) -> str:
    if distance <= 3:
        return str(distance)
    if distance <= 6:
        return "4-6"
    if distance <= 12:
        return "7-12"
    return "13+"


@dataclass
class TokenTable:
    """The attributes the features read, one list per attribute, read from the Doc in one pass:
    every `doc[i]`, `token.head` or `token.left_edge` makes a new Token object, and making them
    over and over for each feature family was a measurable part of the analysis time."""

    texts: list[str]
    words: list[str]  # lower case
    tags: list[str]
    lemmas: list[str]  # lower case
    deps: list[str]
    shapes: list[str]  # first four characters
    ents: list[str]  # IOB + type, or "O"
    starts: list[bool]  # sentence starts
    heads: list[int]
    left_edges: list[int]
    right_edges: list[int]
    newline_after: list[bool]  # a line break in the whitespace after the token
    alpha: list[bool]

    @classmethod
    def of(cls, doc: Doc) -> "TokenTable":
        table = cls(*([] for _ in range(13)))
        for t in doc:
            table.texts.append(t.text)
            table.words.append(t.lower_)
            table.tags.append(t.tag_)
            table.lemmas.append(t.lemma_.lower())
            table.deps.append(t.dep_)
            table.shapes.append(t.shape_[:4])
            table.ents.append(t.ent_iob_ + t.ent_type_ if t.ent_type_ else "O")
            table.starts.append(bool(t.is_sent_start))
            table.heads.append(t.head.i)
            table.left_edges.append(t.left_edge.i)
            table.right_edges.append(t.right_edge.i)
            table.newline_after.append("\n" in t.whitespace_)
            table.alpha.append(t.is_alpha)
        return table

    def sentence_of(self) -> list[int]:
        """Each token's sentence index (the sentences of `doc.sents`)."""
        index, found = -1, []
        for i, start in enumerate(self.starts):
            if start or i == 0:
                index += 1
            found.append(index)
        return found


def quote_states(doc: Doc, table: TokenTable | None = None) -> list[int]:
    """For each token: 1 inside quotation marks, 0 outside; quote marks themselves get 2.

    The state resets at every paragraph break unless the next paragraph opens with a quote mark
    (news style repeats the opening mark on each quoted paragraph). An unbalanced mark never
    raises: the state simply runs to the end of the paragraph.
    """
    table = table or TokenTable.of(doc)
    texts, n = table.texts, len(table.texts)
    states = []
    inside = False
    for i, text in enumerate(texts):
        if "\n" in text or (i > 0 and table.newline_after[i - 1]):
            inside = False
        if text in OPENING_QUOTES:
            inside = True
            states.append(2)
        elif text in CLOSING_QUOTES and text != "’":
            inside = False
            states.append(2)
        elif text == "’" and inside and i + 1 < n and not table.alpha[i + 1]:
            # a right single quote that ends a nested quotation, not an apostrophe
            states.append(2)
        elif text in AMBIGUOUS_QUOTES:
            inside = not inside
            states.append(2)
        else:
            states.append(1 if inside else 0)
    return states


def _depths(heads: list[int]) -> list[int]:
    """Distance of each token from its sentence root, through the head indices."""
    depths = []
    for i in range(len(heads)):
        depth, node = 0, i
        while heads[node] != node and depth < 50:
            node, depth = heads[node], depth + 1
        depths.append(depth)
    return depths


def constituent_edges(doc: Doc, table: TokenTable | None = None) -> tuple[list[str], list[str]]:
    """For each token, the dependency label of the outermost constituent (below the root) it opens and closes.

    Span boundaries in attribution follow the parse: a content often opens where a `ccomp`
    subtree begins, a source is an `nsubj` subtree. "-" where the token opens or closes nothing.
    """
    table = table or TokenTable.of(doc)
    depths = _depths(table.heads)
    n = len(table.heads)
    opens: list[tuple[int, str] | None] = [None] * n
    closes: list[tuple[int, str] | None] = [None] * n
    for i in range(n):
        if table.heads[i] == i:
            continue
        depth, label = depths[i], table.deps[i]
        left, right = table.left_edges[i], table.right_edges[i]
        if opens[left] is None or depth < opens[left][0]:
            opens[left] = (depth, label)
        if closes[right] is None or depth < closes[right][0]:
            closes[right] = (depth, label)
    return [o[1] if o else "-" for o in opens], [c[1] if c else "-" for c in closes]


def lexical_features(doc: Doc, cue_prior: Mapping[str, float], table: TokenTable | None = None) -> list[list[str]]:
    """Features that depend on the text and its parse alone."""
    table = table or TokenTable.of(doc)
    quotes = quote_states(doc, table)
    rows: list[list[str]] = []
    words, tags, lemmas, deps, shapes, ents, starts, heads = (
        table.words, table.tags, table.lemmas, table.deps, table.shapes, table.ents, table.starts, table.heads)
    opens, closes = constituent_edges(doc, table)
    n = len(words)
    priors = ["%.1f" % round(cue_prior.get(lemma, 0.0), 1) for lemma in lemmas]
    quote_text = [str(q) for q in quotes]
    # Neighbour features are made once per token and shared by the rows that refer to them:
    # string formatting in the inner loop was most of this function's time.
    neighbour = {
        offset: (["t%+d=%s" % (offset, tag) for tag in tags], ["q%+d=%s" % (offset, q) for q in quote_text])
        for offset in (-2, -1, 1, 2)
    }
    prev_word = ["w-1=" + w for w in words]
    next_word = ["w+1=" + w for w in words]
    opens_text = ["opens=" + o for o in opens]
    closes_text = ["closes=" + c for c in closes]
    for i in range(n):
        h = heads[i]
        lemma = lemmas[i]
        row = [
            "w=" + words[i],
            "l=" + lemma,
            "t=" + tags[i],
            "d=" + deps[i],
            "sh=" + shapes[i],
            "suf=" + words[i][-3:],
            "hl=" + lemmas[h],
            "ht=" + tags[h],
            "d|hl=" + deps[i] + "|" + lemmas[h],
            "d|hd=" + deps[i] + "|" + deps[h],
            "q=" + quote_text[i],
            "cp=" + priors[i],
            "hcp=" + priors[h],
            "ent=" + ents[i],
            opens_text[i],
            closes_text[i],
        ]
        if i > 0:
            row.append("prev_" + closes_text[i - 1])
        if i + 1 < n:
            row.append("next_" + opens_text[i + 1])
        if starts[i]:
            row.append("sent_start")
        if i + 1 == n or starts[i + 1]:
            row.append("sent_end")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                tag_at, quote_at = neighbour[offset]
                row.append(tag_at[j])
                row.append(quote_at[j])
                if offset == -1:
                    row.append(prev_word[j])
                    row.append("l-1|l=" + lemmas[j] + "|" + lemma)
                elif offset == 1:
                    row.append(next_word[j])
                    row.append("l+1|l=" + lemmas[j] + "|" + lemma)
            else:
                row.append("t%+d=BOUND" % offset)
        rows.append(row)
    return rows


def _nearest(ascending: list[int], i: int) -> int:
    """The cue closest to token i, the earlier one on a tie (as min() gave), by bisection: a
    sentence of 5,000 quotation marks has 5,000 cues, and a scan per token was quadratic."""
    at = bisect_left(ascending, i)
    if at == 0:
        return ascending[0]
    if at == len(ascending):
        return ascending[-1]
    left, right = ascending[at - 1], ascending[at]
    return left if i - left <= right - i else right


def cue_features(doc: Doc, cue_tokens: Collection[int], table: TokenTable | None = None) -> list[list[str]]:
    """Where each token stands with respect to the cues: parse path, sentence, distance."""
    table = table or TokenTable.of(doc)
    cues = set(cue_tokens)
    sentence_of = table.sentence_of()
    sentence_cues: list[list[int]] = [[] for _ in range(sentence_of[-1] + 1 if sentence_of else 0)]
    for c in sorted(cues):
        sentence_cues[sentence_of[c]].append(c)
    heads, deps, lemmas = table.heads, table.deps, table.lemmas
    cue_children: dict[int, list[int]] = {}
    for c in sorted(cues):
        if heads[c] != c:
            cue_children.setdefault(heads[c], []).append(c)
    rows: list[list[str]] = []
    for i in range(len(heads)):
        row: list[str] = []
        if i in cues:
            row.append("is_cue")
        # climb the parse until a cue: the dependency of the child on the path says the role
        node, child, steps = i, i, 0
        while steps < MAX_ANCESTOR_STEPS:
            if node in cues and node != i:
                row.append("anc_cue=" + deps[child])
                row.append("anc_cue|l=%s|%s" % (deps[child], lemmas[node]))
                row.append("anc_cue_steps=" + _bucket(steps))
                break
            if heads[node] == node:
                break
            child, node, steps = node, heads[node], steps + 1
        for kid in cue_children.get(i, ()):
            row.append("child_cue=" + deps[kid])
        s_index = sentence_of[i]
        here = sentence_cues[s_index]
        if here:
            nearest = _nearest(here, i)
            side = "L" if i < nearest else ("R" if i > nearest else "C")
            row.append("cue_side=" + side)
            row.append("cue_side|dist=%s|%s" % (side, _bucket(abs(nearest - i))))
            row.append("cue_side|l=%s|%s" % (side, lemmas[nearest]))
        else:
            row.append("no_cue_in_sent")
            if s_index > 0 and sentence_cues[s_index - 1]:
                row.append("cue_prev_sent")
            if s_index + 1 < len(sentence_cues) and sentence_cues[s_index + 1]:
                row.append("cue_next_sent")
        rows.append(row)
    return rows
