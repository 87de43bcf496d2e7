"""The text-level figure scanner: values, ranges, changes, units, and what is not a quantity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.analysis.numbers import VAGUE_CONVENTION, find_numbers


def one(text: str):
    found = find_numbers(text)
    assert len(found) == 1, [(text[m.start : m.end], m.value, m.low, m.high) for m in found]
    return found[0]


@pytest.mark.parametrize(
    "text, value",
    [
        ("a total of 5,936 losses", 5936),
        ("it cost 1.2 million", 1_200_000),
        ("a $3bn deal", 3e9),
        ("$13.6M to retrofit", 13_600_000),
        ("USD10m for the yacht", 10_000_000),
        ("three hundred soldiers", 300),
        ("a dozen eggs", 12),
        ("two dozen eggs", 24),
        ("twenty-one guns", 21),
        ("4 hundred people", 400),
        ("rates fell to .001 per cent", 0.001),
        ("1/2 pound of chips", 0.5),
        ("One fourth of them", 0.25),
        ("about minus 387 Fahrenheit", -387),
        ("decrease to $-50.8bn", -50.8e9),
        ("approximately 1.99×10−30 kilograms", 1.99e-30),
    ],
)
def test_values(text, value):
    assert math.isclose(one(text).value, value, rel_tol=1e-9)


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("anywhere between 10,000 and 50,000", 10_000, 50_000),
        ("10,000-50,000 troops", 10_000, 50_000),
        ("from 5 to 6", 5, 6),
        ("15 to 22 miles per hour", 15, 22),
        ("four thousand to five thousand people", 4000, 5000),
        ("a fine of $3 to $5 million", 3e6, 5e6),
        ("risk reward is $7/$9", 7, 9),
        ("fell from $2,415 to $2,315", 2315, 2415),
    ],
)
def test_ranges(text, low, high):
    found = one(text)
    assert (found.value, found.low, found.high) == (None, low, high)


@pytest.mark.parametrize(
    "text, low, high",
    [("tens of thousands of students", 10_000, 100_000), ("Dozens of people", 12, 120), ("thousands of tests", 1000, 10_000)],
)
def test_vague_magnitudes_follow_a_named_convention(text, low, high):
    found = one(text)
    assert (found.low, found.high, found.vague) == (low, high, VAGUE_CONVENTION)


@pytest.mark.parametrize(
    "text, change",
    [
        ("about 60 fishermen", "~"),
        ("nearly 60 fishermen", "~"),
        ("some 60 fishermen", "~"),
        ("roughly 8 billion people", "~"),
        ("more than 6,650 employees", ">"),
        ("at least 40 people", ">"),
        ("over 2,000km", ">"),
        ("40 people or more", ">"),
        ("up to 400 people", "<"),
        ("fewer than 30 cases", "<"),
        ("just under 296 hp", "<"),
        ("exports dropped 7%", "down"),
        ("the stock tumbled 6.9%", "down"),
        ("set to rise by 10.1 percent", "up"),
        ("climbed to 6.7%", "up"),
        ("it costs 40 dollars", "="),
        ("78 per cent of the deal, up from 50 per cent", "="),
    ],
)
def test_change(text, change):
    assert find_numbers(text)[-1].change == change


def test_change_carries_across_or_and_brackets():
    found = find_numbers("just under 296 hp (224 kW / 300 PS) and grew by 125,600 positions or 2.2 per cent")
    assert [m.change for m in found] == ["<", "<", "<", "up", "up"]


@pytest.mark.parametrize(
    "text, unit",
    [
        ("40%", "percentage"),
        ("40 per cent", "percentage"),
        ("$800 million", "dollar"),
        ("€5", "euro"),
        ("£24 a-year", "pound sterling per year"),
        ("C $6", "canadian dollar"),
        ("US $1.1 million", "dollar"),
        ("2,000km", "kilometre"),
        ("87 mph", "mile per hour"),
        ("50GB storage", "gigabyte"),
        ("a 65-year-old man", "year of age"),
        ("$14.95 a month", "dollar per month"),
        ("500 degrees celsius", "celsius"),
        ("108.79 JPY", "japanese yen"),
        ("7.5 million Danish crowns", "danish krone"),
    ],
)
def test_units(text, unit):
    assert one(text).unit_normalized == unit


@pytest.mark.parametrize(
    "text",
    [
        "On February 11 this year",
        "She died on September 8 in Dar es Salaam",
        "It happened in 2019.",
        "at 11 a.m. on Sunday",
        "from 1.05am to 7.05am",
        "2019-09-01T10:38:07.190Z",
        "the second time this year",
        "the 3rd of May",
        "call 555-123-4567 today",
        "call (020) 7946 0958 now",
        "1. First item\n2. Second item",
        "Galaxy S22 and the SF90",
        "a V-12 engine and COVID -19 tests",
        "the 1990s were different",
        "version 1.2.3 was released",
        "Dak Prescott (4) ran",
    ],
)
def test_not_quantities(text):
    assert find_numbers(text) == [], [(text[m.start : m.end], m.value) for m in find_numbers(text)]


def test_comparative_refers_back_to_the_last_figure():
    text = "Russia could have lost between 10,000 and 50,000, while analysts suggest the figure could be even higher."
    found = find_numbers(text)
    assert len(found) == 2
    follow_up = found[1]
    assert text[follow_up.start : follow_up.end] == "even higher"
    assert (follow_up.low, follow_up.high, follow_up.change, follow_up.refers_back) == (50_000, None, ">", True)


def test_comparative_without_an_earlier_figure_is_nothing():
    assert find_numbers("Analysts say the figure could be even higher.") == []


def test_offsets_point_into_the_text():
    text = "Between 10,000 and 50,000 died; about 5% of 300,000 reserve soldiers, $3bn and three hundred more."
    for mention in find_numbers(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end].strip() == text[mention.start : mention.end]


@pytest.mark.parametrize(
    "text",
    [
        "9" * 10_000,
        "1e999 and 1e-999 and 2E+400",
        "½ of ¾",
        "(" * 500 + "12" + ")" * 500,
        " ".join(str(i) for i in range(20_000)),
        "1,2,3,4,5,6,7,8,9,10," * 1000,
        "-" * 5000 + "5",
        "$" * 3000 + "5",
    ],
)
def test_hostile_input_gives_finite_results(text):
    for mention in find_numbers(text):
        for number in (mention.value, mention.low, mention.high):
            assert number is None or math.isfinite(number)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("0123456789.,-–/$€£%½ x×eEkmMbn()") + ["to ", "and ", "between ", "million ", "about ", "three ", "hundred ", "tens of thousands ", "the figure is higher "]),
        max_size=60,
    ).map("".join)
)
def test_random_number_like_text_never_breaks_the_scanner(text):
    for mention in find_numbers(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.change in {"=", "~", ">", "<", "up", "down"}
        for number in (mention.value, mention.low, mention.high):
            assert number is None or math.isfinite(number)
        if mention.low is not None and mention.high is not None:
            assert mention.low <= mention.high


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_breaks_the_scanner(text):
    for mention in find_numbers(text):
        assert 0 <= mention.start < mention.end <= len(text)
