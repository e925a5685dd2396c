"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) and the spans they stand for.

A month-precision date is not a day: it covers the whole month, and charts and as-of slicing treat it so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDateError(ValueError):
    """Raised with a user-facing reason when a partial date is malformed or impossible."""


def parse_partial(text: str) -> tuple[dt.date, dt.date, str]:
    """Return ``(first_day, last_day, precision)`` for a partial date.

    ``precision`` is ``"day"``, ``"month"`` or ``"year"``.

    >>> parse_partial("2025-06")
    (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30), 'month')
    """
    m = _PARTIAL.match(str(text).strip())
    if not m:
        raise PartialDateError("is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    y = int(year)
    if y < 1000:
        raise PartialDateError("is not a date (year out of range)")
    if month is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    mo = int(month)
    if not 1 <= mo <= 12:
        raise PartialDateError("is not a real date (month must be 01-12)")
    last = calendar.monthrange(y, mo)[1]
    if day is None:
        return dt.date(y, mo, 1), dt.date(y, mo, last), "month"
    d = int(day)
    if not 1 <= d <= last:
        raise PartialDateError(f"is not a real date (day must be 01-{last:02d} in that month)")
    return dt.date(y, mo, d), dt.date(y, mo, d), "day"


def to_date(value: object) -> dt.date:
    """Coerce a date-like value (``date``, ``datetime``, pandas ``Timestamp`` or ISO text) to ``date``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise PartialDateError(f"{text!r} is not a date (YYYY-MM-DD)") from exc
