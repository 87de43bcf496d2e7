"""When a figure holds: date expressions resolved against the article's publication date.

Owns `resolve`, which turns "On Wednesday", "last month", "in March", "six months ago" or
"March 2022" into a YYYY-MM-DD string (the first day of a month or year when only those are
named) and gives None for durations ("for six months") and for relative expressions when the
publication date is unknown. dateparser does the reading; the rules here fix what it leaves
ambiguous for news (a weekday means the latest such day on or before publication).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import dateparser
from text_to_num import text2num

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
]
ANCHOR = re.compile(
    r"\b(?:" + "|".join(WEEKDAYS + MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
    r"|yesterday|today|tonight|ago|last|this|next|earlier|previous|\d{4})\b",
    re.IGNORECASE,
)
AGO = re.compile(r"\b(?P<n>\d+|[a-z]+(?:[ -][a-z]+)?)\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.IGNORECASE)
LAST_UNIT = re.compile(r"\b(?:last|previous|past)\s+(?P<unit>week|month|year)\b", re.IGNORECASE)
YEAR_ONLY = re.compile(r"^(?:in\s+|of\s+|the\s+)?(?:year\s+)?(?P<year>(?:19|20)\d{2})$", re.IGNORECASE)
RELATIVE_WORDS = re.compile(r"\b(?:yesterday|today|tonight|ago|last|this|next|earlier|previous)\b", re.IGNORECASE)
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


HISTORY_DAYS = 365
# the author's own figure of months ago ("In May 2024, floods on Mount Marapi killed more than 60
# people") is background to the story; a source's figure of then may still be a point of its series
UNATTRIBUTED_HISTORY_DAYS = 90


def is_history(date: str | None, published: str | None, days: int = HISTORY_DAYS) -> bool:
    """A date more than `days` (a year) before the publication date: a figure of then is history, not the story's count."""
    then, now = parse_date(date), parse_date(published)
    return then is not None and now is not None and (now - then).days > days


def year_start(expression: str) -> str | None:
    """'the summer of 2017' -> '2017-01-01': a year named where no day can be resolved, enough to
    tell history from the story."""
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", expression)
    return f"{match.group(1)}-01-01" if match else None


def resolve(expression: str, published: str | None) -> str | None:
    """The date `expression` points at, as YYYY-MM-DD, or None when it names no point in time."""
    expression = " ".join(expression.split())
    if not expression or len(expression) > 80 or not ANCHOR.search(expression):
        return None
    return _resolve(expression.lower(), published)


@lru_cache(maxsize=4096)
def _resolve(expression: str, published: str | None) -> str | None:
    base = parse_date(published)
    year = YEAR_ONLY.match(expression)
    if year:
        return f"{year.group('year')}-01-01"
    has_year = re.search(r"\b(?:19|20)\d{2}\b", expression) is not None
    if base is None and (RELATIVE_WORDS.search(expression) or not has_year):
        return None
    if base is not None:
        ruled = _by_rule(expression, base)
        if ruled is not None:
            return ruled.isoformat()
    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    cleaned = re.sub(r"^(?:on|in|at|since|by|from|during|as of|until|of)\s+", "", expression)
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None


def _by_rule(expression: str, base: dt.date) -> dt.date | None:
    """The cases dateparser reads differently from a news reader."""
    if re.search(r"\byesterday\b", expression):
        return base - dt.timedelta(days=1)
    if re.search(r"\b(?:today|tonight|this morning|this afternoon|this evening)\b", expression):
        return base
    ago = AGO.search(expression)
    if ago:
        count = _count(ago.group("n"))
        if count is None or count > 10_000:
            return None
        return _shift(base, ago.group("unit"), -count)
    weekday = WEEKDAY.search(expression)
    if weekday and not re.search(r"\bnext\b", expression) and not re.search(r"\d", expression):
        back = (base.weekday() - WEEKDAYS.index(weekday.group(1).lower())) % 7
        if re.search(r"\blast\b", expression) and back == 0:
            back = 7
        return base - dt.timedelta(days=back)
    last = LAST_UNIT.search(expression)
    if last and len(expression.split()) <= 3:
        unit = last.group("unit")
        if unit == "week":
            return base - dt.timedelta(days=7)
        if unit == "month":
            first = base.replace(day=1)
            return (first - dt.timedelta(days=1)).replace(day=1)
        return dt.date(base.year - 1, 1, 1)
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    try:
        return int(text2num(word.replace("-", " "), "en"))
    except ValueError:
        return None


def _shift(base: dt.date, unit: str, count: int) -> dt.date | None:
    try:
        if unit == "day":
            return base + dt.timedelta(days=count)
        if unit == "week":
            return base + dt.timedelta(weeks=count)
        months = count * (12 if unit == "year" else 1)
        total = base.year * 12 + base.month - 1 + months
        year, month = divmod(total, 12)
        day = min(base.day, 28)
        return dt.date(year, month + 1, day)
    except (OverflowError, ValueError):
        return None
