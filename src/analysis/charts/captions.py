"""The words only charts need: an event's date as precise as the data says, the source line generated
from the sources behind the marks, and the date a chart speaks for. Dates, counts, signs, plurals and
lists come from :mod:`analysis.wording`, as in the brief and the classroom."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from analysis import wording
from analysis.dates import to_date


def fmt_event_date(row) -> str:
    """An event's date as precise as the data says: '9 Jan 2025', 'Mar 2025', '23–25 May 2025', '2025'.

    ``row`` is a Series or an ``itertuples`` row with ``start``, ``end`` and ``date_precision``.
    """
    start = to_date(row.start)
    precision = getattr(row, "date_precision", "day")
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return wording.month(start)
    if precision == "range":
        return wording.span(start, row.end)
    return wording.day(start)


def chart_as_of(case) -> dt.date:
    """The date a chart speaks for: the slice's as-of date, else the case default, else its last date."""
    if getattr(case, "as_of_date", None):
        return to_date(case.as_of_date)
    if case.meta.get("default_as_of"):
        return to_date(case.meta["default_as_of"])
    ends = pd.concat([case.events["end"], case.positions["end"]]).dropna()
    return to_date(ends.max()) if len(ends) else dt.date.today()


def source_names(case, source_ids: Iterable[str]) -> list[str]:
    """Publishers behind ``source_ids``, most cited first (ties alphabetical)."""
    counts = Counter(source_ids)
    if not counts:
        return []
    pub = dict(zip(case.sources["id"], case.sources["publisher"], strict=False))
    by_name: Counter = Counter()
    for sid, n in counts.items():
        if sid in pub:
            by_name[str(pub[sid]).strip() or sid] += n
    return [name for name, _ in sorted(by_name.items(), key=lambda kv: (-kv[1], kv[0].casefold()))]


def source_line(case, source_ids: Iterable[str], limit: int = 5) -> str:
    """'Sources: Yonhap, KBS and 4 more – see Sources', generated from the sources behind the marks."""
    names = source_names(case, source_ids)
    if not names:
        return "Sources: none behind these marks"
    if len(names) > limit:
        shown = ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    else:
        shown = ", ".join(names)
    return f"Sources: {shown} \u2013 see Sources"


def flat_ids(lists: Iterable[Iterable[str]]) -> list[str]:
    return [s for ids in lists for s in ids]
