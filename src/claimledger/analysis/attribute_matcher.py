"""The attribute ruler's matches found by dictionary look-ups instead of spaCy's Matcher.

spaCy's `AttributeRuler` (in en_core_web_sm: 179 one- and two-token rules that set POS, MORPH and
LEMMA from the tag and the word) finds its matches with a `Matcher`, which tries every rule at
every token: 12 % of the model's whole parse time here, nine tenths of it in that matching. The
rules are simple (exact values, IN, NOT_IN, REGEX on LOWER, TAG, DEP, IS_SPACE), so this module
indexes each rule by what its first token must be and tests only the rules a token can start.
It returns exactly the list `AttributeRuler.match` returns, and the ruler's own `set_annotations`
applies it, so every token gets the same attributes (checked on every token of the shared corpora;
docs/benchmarks.md). A ruler with a rule this module cannot read keeps spaCy's Matcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import compress
from dataclasses import dataclass

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.tokens import Doc

COLUMNS = {"LOWER": LOWER, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
INDEXED = ("LOWER", "TAG", "DEP", "IS_SPACE")  # the columns a rule is looked up by, most selective first

Test = Callable[[int, "Columns"], bool]


class Unsupported(ValueError):
    """A pattern uses something beyond exact values, IN, NOT_IN and REGEX on the known columns."""


@dataclass
class Columns:
    """One document's token attributes as string hashes (IS_SPACE as 0/1), one list per column."""

    values: dict[str, list[int]]
    strings: object  # the vocabulary's StringStore, for REGEX tests

    def text(self, column: str, i: int) -> str:
        return self.strings[self.values[column][i]]


@dataclass(frozen=True)
class Rule:
    attr_id: int
    match_id: int
    tokens: tuple[tuple[Test, ...], ...]  # per token of the pattern, the tests it must pass

    def matches_at(self, i: int, columns: Columns, length: int) -> bool:
        if i + len(self.tokens) > length:
            return False
        return all(test(i + offset, columns) for offset, tests in enumerate(self.tokens) for test in tests)


def _test(column: str, spec, strings) -> Test:
    if column not in COLUMNS:
        raise Unsupported(column)
    if column == "IS_SPACE":
        if not isinstance(spec, bool):
            raise Unsupported(f"IS_SPACE {spec!r}")
        wanted = int(spec)
        return lambda i, c: c.values[column][i] == wanted
    if isinstance(spec, str):
        key = _exact_key(spec, strings)
        return lambda i, c: c.values[column][i] == key
    if isinstance(spec, dict) and len(spec) == 1:
        (operator, argument), = spec.items()
        if operator in ("IN", "NOT_IN") and isinstance(argument, list):
            keys = frozenset(_exact_key(v, strings) for v in argument)
            if operator == "IN":
                return lambda i, c: c.values[column][i] in keys
            return lambda i, c: c.values[column][i] not in keys
        if operator == "REGEX" and isinstance(argument, str):
            pattern = re.compile(argument)
            return lambda i, c: pattern.search(c.text(column, i)) is not None
    raise Unsupported(f"{column} {spec!r}")


def _index_keys(first: dict, strings) -> tuple[str, list[int]] | None:
    """The column and values a rule's first token can be looked up by, or None (test everywhere)."""
    for column in INDEXED:
        spec = first.get(column)
        if isinstance(spec, (str, bool)):
            return column, [_exact_key(spec, strings)]
        if isinstance(spec, dict) and list(spec) == ["IN"]:
            return column, [_exact_key(v, strings) for v in spec["IN"]]
    return None


def _exact_key(spec, strings) -> int | None:
    """The column value an exact spec asks for (a string's hash, a flag's 0/1), or None."""
    if isinstance(spec, bool):
        return int(spec)
    if isinstance(spec, str):
        return strings.add(spec) if spec else 0
    return None


def _regex_of(first: dict) -> tuple[str, re.Pattern] | None:
    for column, spec in first.items():
        if isinstance(spec, dict) and list(spec) == ["REGEX"] and column != "IS_SPACE":
            return column, re.compile(spec["REGEX"])
    return None


class IndexedAttributeMatcher:
    """A drop-in `match` for one AttributeRuler: `ruler.match = IndexedAttributeMatcher(ruler)`.

    Nearly all rules are one token with exact values ("TAG is NN", "LOWER is 'gets' and TAG is
    VBZ"): those sit in one dictionary per combination of columns, keyed by the values, so each
    token costs one look-up per combination. The rest (IN, NOT_IN, REGEX, two tokens) are indexed
    by what their first token must be and tested where they can start.
    """

    def __init__(self, ruler):
        strings = ruler.vocab.strings
        self.strings = strings
        self.columns = {"LOWER", "TAG"}
        self.exact: dict[tuple[str, ...], dict[tuple[int, ...] | int, list[tuple[int, int]]]] = {}
        self.index: dict[str, dict[int, list[Rule]]] = {column: {} for column in INDEXED}
        self.everywhere: list[Rule] = []
        # rules whose first token is known only by a regular expression on a column: which of them
        # a value passes is remembered per value (a word's hash), so each word is tested once
        self.by_pattern: list[tuple[str, re.Pattern, Rule]] = []
        self.passes: dict[str, dict[int, list[Rule]]] = {}
        for attr_id, entry in enumerate(ruler.patterns):
            match_id = strings.add(str(attr_id))
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
                    raise Unsupported(repr(pattern))
                tests = tuple(tuple(_test(column, spec, strings) for column, spec in token.items()) for token in pattern)
                self.columns.update(column for token in pattern for column in token)
                keys = [_exact_key(spec, strings) for spec in pattern[0].values()]
                if len(pattern) == 1 and None not in keys:
                    signature = tuple(sorted(zip(pattern[0], keys)))
                    columns = tuple(column for column, _ in signature)
                    table = self.exact.setdefault(columns, {})
                    values = tuple(key for _, key in signature)
                    table.setdefault(values if len(values) > 1 else values[0], []).append((attr_id, match_id))
                    continue
                rule = Rule(attr_id, match_id, tests)
                keyed = _index_keys(pattern[0], strings)
                regex = _regex_of(pattern[0])
                if keyed is None and regex is not None:
                    self.by_pattern.append((*regex, rule))
                elif keyed is None:
                    self.everywhere.append(rule)
                else:
                    column, values = keyed
                    for value in values:
                        self.index[column].setdefault(value, []).append(rule)
        for column, _, _ in self.by_pattern:
            self.passes.setdefault(column, {})
        self.needs_parse = "DEP" in self.columns

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(attr_id, match_id, start, end) of every match, sorted as AttributeRuler.match sorts them."""
        names = sorted(self.columns)
        length = len(doc)
        array = doc.to_array([COLUMNS[name] for name in names]).T.tolist() if length else [[] for _ in names]
        columns = Columns(dict(zip(names, array)), self.strings)
        found: list[tuple[int, int, int, int]] = []
        # map() and compress() keep the per-token work in C: Python only sees the tokens that hit
        for signature, table in self.exact.items():
            keys = zip(*(columns.values[c] for c in signature)) if len(signature) > 1 else columns.values[signature[0]]
            hits = list(map(table.get, keys))
            for i in compress(range(length), hits):
                found.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in hits[i])
        tables = [(columns.values[column], table) for column, table in self.index.items() if table]
        tables += [(columns.values[column], self._passing(column, columns.values[column])) for column in self.passes]
        for values, table in tables:
            hits = list(map(table.get, values))
            for i in compress(range(length), hits):
                found.extend(self._matches(hits[i], i, columns, length))
        if self.everywhere:
            for i in range(length):
                found.extend(self._matches(self.everywhere, i, columns, length))
        return sorted(set(found))

    @staticmethod
    def _matches(rules, i, columns, length):
        return [(r.attr_id, r.match_id, i, i + len(r.tokens)) for r in rules if r.matches_at(i, columns, length)]

    def _passing(self, column: str, values: list[int]) -> dict[int, list[Rule]]:
        memo = self.passes[column]
        for value in set(values).difference(memo):
            text = self.strings[value]
            memo[value] = [rule for col, regex, rule in self.by_pattern if col == column and regex.search(text)]
        return memo


def speed_up_attribute_ruler(nlp: Language) -> bool:
    """Give the pipeline's attribute ruler the indexed matcher; False where it keeps spaCy's."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        indexed = IndexedAttributeMatcher(ruler)
    except Unsupported:
        return False
    stock = ruler.match

    def match(doc: Doc):
        # without a parse the Matcher treats DEP tests as missing; leave that case to it
        if indexed.needs_parse and not doc.has_annotation("DEP"):
            return stock(doc)
        return indexed(doc)

    ruler.match = match
    return True
