"""The dates a brief may be built for: from the case's period start to the day its data was last updated.

Nothing can be known before the case begins, nor after the data was last updated; a ``since`` date
must come before the as-of date. Checked before any kernel starts, in one sentence a user can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from analysis.dates import PartialDateError, to_date


def brief_range(meta: Mapping) -> tuple[dt.date, dt.date] | None:
    """``(period start, updated)``: the first and last date a brief of this case may be as of; None when
    case.yaml lacks either (the validator reports that, naming the field)."""
    try:
        return to_date(meta["period"]["start"]), to_date(meta["updated"])
    except (KeyError, TypeError, PartialDateError):
        return None


def since_problem(since: dt.date, as_of: dt.date) -> str | None:
    """The one rule for ``since``: strictly before ``as_of`` (a window of no days shows nothing)."""
    return f"since {since} must be before as_of {as_of}" if since >= as_of else None


def check_brief_dates(meta: Mapping, as_of: object, since: object | None = None) -> str | None:
    """None when ``as_of`` (and ``since``) suit this case; else one sentence naming the valid range."""
    bounds = brief_range(meta)
    if bounds is None:
        return None
    start, updated = bounds
    span = f"{start} (period start) to {updated} (data last updated)"
    try:
        day = to_date(as_of)
    except PartialDateError:
        return f"as_of {as_of!r} is not a date (YYYY-MM-DD); this case's range is {span}"
    if not start <= day <= updated:
        return f"as_of {day} is outside this case's range: {span}"
    if since is None or since == "":
        return None
    try:
        first = to_date(since)
    except PartialDateError:
        return f"since {since!r} is not a date (YYYY-MM-DD); it must be before as_of {day}"
    why = since_problem(first, day)
    return f"{why}; this case's range is {span}" if why else None
