"""The one vocabulary of wording: dates, ranges, signs, counts, plurals and lists."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import wording as W
from analysis.dates import PartialDateError


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2025, 1, 9), "9 Jan 2025"),
        (dt.datetime(2025, 12, 31, 23, 59), "31 Dec 2025"),
        (pd.Timestamp("2024-02-29"), "29 Feb 2024"),
        ("2025-05-23", "23 May 2025"),
        ("2025-05-23T10:00:00", "23 May 2025"),
    ],
)
def test_day_from_any_date_like_value(value, expected):
    assert W.day(value) == expected


def test_long_day_and_month():
    assert W.long_day("2025-12-31") == "31 December 2025"
    assert W.month(dt.date(2025, 6, 30)) == "Jun 2025"


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2025-05-23", "2025-05-25", "23\u201325 May 2025"),
        ("2025-05-30", "2025-06-02", "30 May \u2013 2 Jun 2025"),
        ("2024-12-30", "2025-01-02", "30 Dec 2024 \u2013 2 Jan 2025"),
        ("2025-05-23", "2025-05-23", "23 May 2025"),
    ],
)
def test_span_shares_what_its_ends_share_and_takes_an_en_dash(start, end, expected):
    assert W.span(start, end) == expected


@pytest.mark.parametrize(
    "text, end, expected",
    [
        ("2025", None, "2025"),
        ("2025-06", None, "Jun 2025"),
        ("2025-01-09", None, "9 Jan 2025"),
        ("2025-05-23", "2025-05-25", "23\u201325 May 2025"),
    ],
)
def test_partial_dates_are_as_precise_as_the_data(text, end, expected):
    assert W.partial(text, end) == expected


def test_partial_rejects_a_malformed_date_and_partial_or_text_keeps_it():
    with pytest.raises(PartialDateError):
        W.partial("2025-13")
    assert W.partial_or_text("late 2025") == "late 2025"
    assert W.partial_or_text("") == "undated"
    assert W.partial_or_text(None, empty="no date") == "no date"
    assert W.partial_or_text("2025-05-23", "2025-05-25") == "23\u201325 May 2025"


def test_signed_uses_a_true_minus_and_no_sign_for_zero():
    assert [W.signed(v) for v in (2, 1, 0, -1, -2)] == ["+2", "+1", "0", "\u22121", "\u22122"]
    assert W.signed(-1200) == "\u22121,200"
    assert "-" not in W.signed(-3)


def test_counts_and_ranges():
    assert W.count(1200) == "1,200"
    assert W.count(999) == "999"
    assert W.number_range(10, 30, "%") == "10\u201330%"


@pytest.mark.parametrize(
    "n, expected",
    [(0, "0 actors"), (1, "1 actor"), (2, "2 actors"), (1200, "1,200 actors")],
)
def test_plural(n, expected):
    assert W.plural(n, "actor") == expected


def test_plural_irregular_and_zero_words():
    assert W.plural(2, "party", "parties") == "2 parties"
    assert W.plural(0, "actor", zero="no actors") == "no actors"
    assert W.plural(1, "actor", zero="no actors") == "1 actor"


def test_about_months():
    assert W.about_months(10) == "less than a month"
    assert W.about_months(30) == "about 1 month"
    assert W.about_months(92) == "about 3 months"


@pytest.mark.parametrize(
    "items, expected",
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "", "B"], "A and B"),
    ],
)
def test_join(items, expected):
    assert W.join(items) == expected


def test_join_with_another_word_and_a_limit():
    assert W.join(["A", "B"], "or") == "A or B"
    assert W.join(list("ABCDEFGHI"), limit=4) == "A, B, C, D and 5 others"
    assert W.join(list("ABCDE"), limit=4) == "A, B, C, D and 1 other"
    assert W.join(list("ABCD"), limit=4) == "A, B, C and D"
