"""Date expressions resolved against the publication date."""

from __future__ import annotations

import pytest

from claimledger.analysis.timeref import resolve

FRIDAY = "2022-09-23"


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("On Wednesday", "2022-09-21"),
        ("Friday", "2022-09-23"),  # the day of publication itself
        ("last Friday", "2022-09-16"),
        ("yesterday", "2022-09-22"),
        ("last month", "2022-08-01"),
        ("in March", "2022-03-01"),
        ("six months ago", "2022-03-23"),
        ("two weeks ago", "2022-09-09"),
        ("March 2022", "2022-03-01"),
        ("2019", "2019-01-01"),
        ("last year", "2021-01-01"),
        ("September 8, 2021", "2021-09-08"),
    ],
)
def test_resolves_against_publication(expression, expected):
    assert resolve(expression, FRIDAY) == expected


@pytest.mark.parametrize("expression", ["six months", "the first time", "weeks", "", "Only weeks into the war"])
def test_durations_and_vague_spans_have_no_date(expression):
    assert resolve(expression, FRIDAY) is None


def test_relative_dates_need_a_publication_date():
    assert resolve("On Wednesday", None) is None
    assert resolve("last month", None) is None
    assert resolve("March 2022", None) == "2022-03-01"
    assert resolve("in 2019", None) == "2019-01-01"


def test_absurd_input_is_harmless():
    assert resolve("9999999999 years ago", FRIDAY) is None
    assert resolve("x" * 10_000, FRIDAY) is None
