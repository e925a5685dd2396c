"""How the briefs, charts and classroom write dates, ranges, signs, counts, plurals and lists.

One vocabulary, decided once, so every edition prints the same forms: '9 Jan 2025', '23–25 May 2025'
(en dash), '−2' (a true minus sign), '1,200'. Month names are spelled here, never taken from the
locale, so the bytes are the same on every machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from analysis.dates import PartialDateError, parse_partial, to_date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
EN_DASH = "\u2013"
MINUS = "\u2212"


# -- dates -----------------------------------------------------------------------------------------
def _date(value: object) -> dt.date:
    """A date from a date, datetime, Timestamp or ISO text (a time part after the day is ignored)."""
    if isinstance(value, str):
        value = value.strip()[:10]
    return to_date(value)


def day(value: object) -> str:
    """'9 Jan 2025'."""
    d = _date(value)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def long_day(value: object) -> str:
    """'31 December 2025'."""
    d = _date(value)
    return f"{d.day} {LONG_MONTHS[d.month - 1]} {d.year}"


def month(value: object) -> str:
    """'Jan 2025'."""
    d = _date(value)
    return f"{MONTHS[d.month - 1]} {d.year}"


def span(start: object, end: object) -> str:
    """A span of days, sharing what the two ends share: '23–25 May 2025', '30 May – 2 Jun 2025',
    '30 Dec 2024 – 2 Jan 2025'; one day when the ends are the same."""
    a, b = _date(start), _date(end)
    if a == b:
        return day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}{EN_DASH}{day(b)}"
    if a.year == b.year:
        return f"{a.day} {MONTHS[a.month - 1]} {EN_DASH} {day(b)}"
    return f"{day(a)} {EN_DASH} {day(b)}"


def partial(text: str, end: str | None = None) -> str:
    """A partial date (YYYY, YYYY-MM, YYYY-MM-DD) as precise as it is: '2025', 'Jun 2025', '9 Jan 2025';
    with ``end``, the span from its first day to the first day of ``end``.

    Raises ``PartialDateError`` when a date is malformed.
    """
    first, _, precision = parse_partial(text)
    if end:
        return span(first, parse_partial(end)[0])
    if precision == "year":
        return str(first.year)
    if precision == "month":
        return month(first)
    return day(first)


def partial_or_text(text: object, end: object = None, *, empty: str = "undated") -> str:
    """``partial`` for data that may not hold a date: the text itself when it is not one, ``empty``
    when it is blank."""
    raw = str(text or "").strip()
    if not raw:
        return empty
    try:
        return partial(raw, str(end).strip() or None if end else None)
    except PartialDateError:
        return raw


def about_months(days: int) -> str:
    """'about 3 months', 'about 1 month', 'less than a month' (a month taken as 30.44 days)."""
    m = round(days / 30.44)
    return f"about {plural(m, 'month')}" if m >= 1 else "less than a month"


# -- numbers ---------------------------------------------------------------------------------------
def signed(value: int) -> str:
    """'+2', '0', '−2' (a true minus sign; zero has no sign)."""
    n = int(value)
    return f"+{n:,}" if n > 0 else ("0" if n == 0 else f"{MINUS}{-n:,}")


def count(n: int) -> str:
    """'1,200': thousands separated by commas."""
    return f"{int(n):,}"


def number_range(low: object, high: object, unit: str = "") -> str:
    """'10–30%': two numbers joined by an en dash, the unit written once at the end."""
    return f"{low}{EN_DASH}{high}{unit}"


def plural(n: int, one: str, many: str | None = None, *, zero: str | None = None) -> str:
    """'1 actor', '2 actors', '1,200 actors'; ``zero`` replaces '0 actors' (e.g. 'no actors')."""
    if n == 0 and zero is not None:
        return zero
    return f"{count(n)} {one if n == 1 else (many or one + 's')}"


# -- lists -----------------------------------------------------------------------------------------
def join(items: Iterable[str], last: str = "and", *, limit: int | None = None) -> str:
    """'A', 'A and B', 'A, B and C'; past ``limit`` items, 'A, B, C, D and 5 others'. Blank items are
    dropped. Items are joined as given: escape them first for HTML."""
    items = [i for i in items if i]
    if limit is not None and len(items) > limit:
        rest = len(items) - limit
        return ", ".join(items[:limit]) + f" {last} {plural(rest, 'other')}"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
