"""Relations between the figures of one series: revision, conflict, corroboration, discrepancy.

Pure: figures in, relations out, each with a sentence a person can check.
- revision: the same source gives a different figure later (1,351 early in the war, 5,936 on
  2022-09-21);
- discrepancy: the same source on the same day, reported by two documents with different figures
  (5,936 in one, 5,937 in another);
- conflict: two independent sources, within a week of each other, give figures whose intervals do
  not meet (5,936 against 10,000-50,000), the earlier source not having given a newer figure by
  the later date (a fire's area two days ago does not contradict today's);
- corroboration: two independent sources in the same week whose figures agree (within 5 per cent,
  or overlapping ranges).
Sources are independent when neither is the other (or its parent organisation) and neither claim
is nested in the other ("X said that Y said").
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from dataclasses import dataclass

WINDOW_DAYS = 7
AGREEMENT = 0.05  # relative difference within which two single figures agree
APPROXIMATE_SPREAD = 0.10  # "about 5,000" is read as 4,500-5,500
DISCREPANCY_SPREAD = 0.25  # one statement reported twice differs by a slip (23 and 28), not twofold
MAX_NEIGHBOURS = 50  # cross-source comparisons per figure, to keep big series linear


@dataclass(frozen=True)
class Fact:
    """One figure as the relation rules see it."""

    id: str
    claim_id: str | None
    source_id: str | None
    source_name: str
    source_family: frozenset[str]  # the source and its ancestors
    claim_family: frozenset[str]  # the claim and the claims it is nested in
    document_id: str
    publisher: str | None
    published: str | None
    value: float | None
    low: float | None
    high: float | None
    change: str
    delta: bool  # the size of a change ("fell 7%"), which is no level to compare
    when: str | None  # the date the figure holds at; None when the text places it at an unknown time
    as_of_text: str | None
    order: str  # sort key in time for the same source: when, or just before its document's dated figures
    concept: str


@dataclass(frozen=True)
class Relation:
    id: str
    type: str
    a: Fact
    b: Fact
    explanation: str


def interval(fact: Fact) -> tuple[float, float] | None:
    """The values a figure allows; None for changes ('rose by 5%'), which are not levels."""
    if fact.delta:
        return None
    if fact.value is not None:
        low = high = fact.value
    elif fact.low is not None and fact.high is not None:
        low, high = fact.low, fact.high
    elif fact.low is not None:
        low, high = fact.low, math.inf
    elif fact.high is not None:
        low, high = -math.inf, fact.high
    else:
        return None
    if fact.change == "~":
        low, high = low * (1 - APPROXIMATE_SPREAD), high * (1 + APPROXIMATE_SPREAD)
    elif fact.change == ">":
        high = math.inf
    elif fact.change == "<":
        low = 0.0 if low >= 0 else -math.inf  # counts and amounts do not go below zero
    return low, high


def describe(fact) -> str:
    """A figure as a reader says it ("about 42,000", "10,000-50,000"); takes anything with value,
    low, high, change and delta (a Fact or a stored figure)."""

    def number(x: float) -> str:
        return f"{x:,.10g}"

    if fact.value is not None:
        core = number(fact.value)
    elif fact.low is not None and fact.high is not None:
        core = f"{number(fact.low)}-{number(fact.high)}"
    else:
        core = number(fact.low if fact.low is not None else fact.high)
    prefix = {"~": "about ", ">": "more than ", "<": "up to "}.get(fact.change, "")
    if fact.delta:
        prefix = {"up": "a rise of ", "down": "a fall of "}.get(fact.change, prefix)
    return prefix + core


def _at(fact: Fact) -> str:
    if fact.when:
        return f"as of {fact.when}"
    if fact.as_of_text:
        return f"at an earlier time (\u201c{fact.as_of_text}\u201d)"
    return "at an unstated time"


def _same(a: Fact, b: Fact) -> bool:
    """One figure twice: "rose to 112" and "112 deaths" are the same level (up/down say how it got there)."""
    return interval(a) == interval(b) and _level(a.change) == _level(b.change)


def _level(change: str) -> str:
    return "=" if change in ("up", "down") else change


def _close(a: Fact, b: Fact) -> bool:
    """Figures near enough to be one statement misreported (5,936 and 5,937; 486 and 468)."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None or math.isinf(ia[0]) or math.isinf(ia[1]) or math.isinf(ib[0]) or math.isinf(ib[1]):
        return False
    top = max(abs(ia[1]), abs(ib[1])) or 1.0
    near = abs(ia[0] - ib[0]) / top <= DISCREPANCY_SPREAD and abs(ia[1] - ib[1]) / top <= DISCREPANCY_SPREAD
    return near or _transposed(a, b)


def _transposed(a: Fact, b: Fact) -> bool:
    """34 and 43, 1,352 and 1,325: the same digits in another order, the commonest slip in copying a figure."""
    if a.value is None or b.value is None or a.value == b.value or not (float(a.value).is_integer() and float(b.value).is_integer()):
        return False
    return sorted(str(int(abs(a.value)))) == sorted(str(int(abs(b.value))))


def _independent(a: Fact, b: Fact) -> bool:
    if a.source_id is None or b.source_id is None:
        return False
    if a.source_id in b.source_family or b.source_id in a.source_family:
        return False
    if a.claim_id and b.claim_id and (a.claim_id in b.claim_family or b.claim_id in a.claim_family):
        return False
    return True


def _days(a: str, b: str) -> int:
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


def _agree(a: Fact, b: Fact) -> bool | None:
    """True when the figures agree, False when they cannot both hold, None when neither can be said."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    if ia[0] == ia[1] and ib[0] == ib[1]:
        top = max(abs(ia[0]), abs(ib[0])) or 1.0
        return abs(ia[0] - ib[0]) / top <= AGREEMENT
    if ia[1] < ib[0] or ib[1] < ia[0]:
        return False
    if a.change in (">", "<") or b.change in (">", "<"):
        return None  # a bound that another figure meets neither confirms nor contradicts it
    return True


def _relation(kind: str, a: Fact, b: Fact, explanation: str) -> Relation:
    digest = hashlib.sha1(f"{kind}|{a.id}|{b.id}".encode()).hexdigest()[:16]
    return Relation(f"r-{digest}", kind, a, b, explanation)


def find_relations(facts: list[Fact]) -> list[Relation]:
    """All relations among the figures of one series, in a stable order."""
    found = same_source_relations(facts) + cross_source_relations(facts, facts)
    return sorted(found, key=lambda r: (r.type, r.a.id, r.b.id))


def same_source_relations(facts: list[Fact]) -> list[Relation]:
    """Revisions and discrepancies: each source's figures in time order, neighbour to neighbour."""
    found: list[Relation] = []
    by_source: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.source_id is not None and interval(fact) is not None:
            by_source.setdefault(fact.source_id, []).append(fact)
    for chain in by_source.values():
        chain.sort(key=lambda f: (f.order, f.published or "", f.document_id, f.id))
        latest: list[Fact] = []  # the reports of the source's latest figure (or figures, one day's)
        for day in _days_of(_headline_figures(chain)):
            found.extend(_misreports(day))
            if latest and all(_same(latest[0], fact) for fact in day):
                latest.extend(day)  # the same figure again
                continue
            for later in _distinct(day):  # the latest reports of the old figure are revised by each new one
                found.extend(_revision(earlier, later) for earlier in latest[-MAX_NEIGHBOURS:] if not _same(earlier, later))
            latest = day
    return found


def _days_of(chain: list[Fact]) -> list[list[Fact]]:
    """A source's figures grouped by the day they hold at (one statement may be reported many ways);
    figures without a date each stand alone, in their documents' order."""
    days: list[list[Fact]] = []
    for fact in chain:
        if days and fact.when and days[-1][-1].when == fact.when:
            days[-1].append(fact)
        elif days and not fact.when and days[-1][-1].order == fact.order and days[-1][-1].document_id == fact.document_id:
            days[-1].append(fact)
        else:
            days.append([fact])
    return days


def _misreports(day: list[Fact]) -> list[Relation]:
    """One day's reports of a source in different documents: a discrepancy where the figures are
    near enough to be one statement misreported, else a revision within the day."""
    found = []
    distinct = _distinct(day)  # a figure republished by many outlets is compared once, not per copy
    for index, earlier in enumerate(distinct):
        for later in distinct[index + 1:]:
            if earlier.document_id == later.document_id:
                continue
            if _close(earlier, later):
                found.append(_relation("discrepancy", earlier, later, (
                    f"{earlier.publisher or 'One document'} reports {earlier.source_name} giving {describe(earlier)} "
                    f"and {later.publisher or 'another'} reports {describe(later)} for {earlier.concept} {_at(earlier)}: "
                    "the same statement with different figures."
                )))
            else:  # too far apart to be one statement: the source gave a new figure that day
                found.append(_revision(earlier, later))
    return found


def _distinct(day: list[Fact]) -> list[Fact]:
    """The first report of each different figure of one day."""
    firsts: list[Fact] = []
    for fact in day:
        if not any(_same(first, fact) for first in firsts):
            firsts.append(fact)
    return firsts


def _revision(earlier: Fact, later: Fact) -> Relation:
    return _relation("revision", earlier, later, (
        f"{earlier.source_name} gave {describe(earlier)} for {earlier.concept} {_at(earlier)}, "
        f"then {describe(later)} {_at(later)}."
    ))


def _headline_figures(chain: list[Fact]) -> list[Fact]:
    """One figure per document and moment of a source's chain: the first the document gives.

    An article leads with its total ("2,870 people were injured") and goes on to details in the same
    series ("dozens are in intensive care", "190 of them children"); the revisions run between the
    totals, not from a detail of one report to the total of the next.
    """
    firsts: dict[tuple[str, str], Fact] = {}
    for fact in chain:
        key = (fact.document_id, fact.order)
        if key not in firsts or _position(fact) < _position(firsts[key]):
            firsts[key] = fact
    return [f for f in chain if firsts[(f.document_id, f.order)] is f]


def _position(fact: Fact) -> int:
    """Where the figure stands in its document: ids end in the analysis' q1, q2, … (text order)."""
    tail = fact.id.rsplit("-q", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def cross_source_relations(new: list[Fact], facts: list[Fact]) -> list[Relation]:
    """Conflicts and corroborations between each new figure and the dated figures of other sources
    within the window (the nearest MAX_NEIGHBOURS on each side, so a huge series stays linear)."""
    found: list[Relation] = []
    dated = sorted((f for f in facts if f.when and f.source_id and interval(f) is not None), key=lambda f: (f.when, f.id))
    position = {f.id: i for i, f in enumerate(dated)}
    dates_by_source: dict[str, list[str]] = {}
    for f in dated:
        dates_by_source.setdefault(f.source_id, []).append(f.when)
    new_ids = {f.id for f in new}
    seen: set[tuple[str, str]] = set()
    for fact in new:
        index = position.get(fact.id)
        if index is None:
            continue
        for other in dated[max(0, index - MAX_NEIGHBOURS) : index] + dated[index + 1 : index + 1 + MAX_NEIGHBOURS]:
            first, second = (other, fact) if (other.when, other.id) < (fact.when, fact.id) else (fact, other)
            if (first.id, second.id) in seen or (other.id in new_ids and other.id < fact.id and (other.id, fact.id) in seen):
                continue
            seen.add((first.id, second.id))
            if _days(first.when, second.when) > WINDOW_DAYS or not _independent(first, second):
                continue
            if _superseded(first, second.when, dates_by_source):
                continue  # by the later date the first source had moved on to a newer figure
            agreement = _agree(first, second)
            if agreement is False:
                found.append(_relation("conflict", first, second, (
                    f"{first.source_name} gave {describe(first)} ({_at(first)}) and {second.source_name} gave "
                    f"{describe(second)} ({_at(second)}) for {second.concept}; the figures cannot both hold."
                )))
            elif agreement:
                found.append(_relation("corroboration", first, second, (
                    f"{first.source_name} gave {describe(first)} ({_at(first)}) and, independently, "
                    f"{second.source_name} gave {describe(second)} ({_at(second)}) for {second.concept}."
                )))
    return found


def _superseded(fact: Fact, until: str, dates_by_source: dict[str, list[str]]) -> bool:
    dates = dates_by_source.get(fact.source_id or "", [])
    return bisect.bisect_right(dates, until) > bisect.bisect_right(dates, fact.when)


def credibility(claim_relations: list[str]) -> int:
    """Admiralty information credibility from the relations a claim's figures take part in.

    1 confirmed by other sources (two or more corroborations), 2 probably true (one), 3 possibly
    true (corroborated and contradicted), 4 doubtful (contradicted only), 6 cannot be judged.
    """
    corroborations = claim_relations.count("corroboration")
    conflicts = claim_relations.count("conflict")
    if corroborations and conflicts:
        return 3
    if corroborations >= 2:
        return 1
    if corroborations:
        return 2
    if conflicts:
        return 4
    return 6
