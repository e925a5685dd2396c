"""The words every chart prints: dates, counts and names, the source line generated from the sources
behind the marks, and the date a chart speaks for. Titles and alt text are composed from these."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.dates import to_date

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(value: object) -> str:
    """'9 Jan 2025', independent of the locale."""
    d = to_date(value)
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def fmt_month(value: object) -> str:
    d = to_date(value)
    return f"{_MONTHS[d.month - 1]} {d.year}"


def fmt_event_date(row) -> str:
    """An event's date as precise as the data says: '9 Jan 2025', 'Mar 2025', '23-25 May 2025', '2025'.

    ``row`` is a Series or an ``itertuples`` row with ``start``, ``end`` and ``date_precision``.
    """
    start, end = to_date(row.start), to_date(row.end)
    precision = getattr(row, "date_precision", "day")
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return fmt_month(start)
    if precision == "range" and end != start:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}-{end.day} {_MONTHS[end.month - 1]} {end.year}"
        if start.year == end.year:
            return f"{start.day} {_MONTHS[start.month - 1]} - {fmt_date(end)}"
        return f"{fmt_date(start)} - {fmt_date(end)}"
    return fmt_date(start)


def chart_as_of(case) -> dt.date:
    """The date a chart speaks for: the slice's as-of date, else the case default, else its last date."""
    if getattr(case, "as_of_date", None):
        return to_date(case.as_of_date)
    if case.meta.get("default_as_of"):
        return to_date(case.meta["default_as_of"])
    ends = pd.concat([case.events["end"], case.positions["end"]]).dropna()
    return to_date(ends.max()) if len(ends) else dt.date.today()


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def join_names(names: Sequence[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C, D and 5 others'."""
    names = list(names)
    if not names:
        return ""
    if len(names) > limit:
        shown, rest = names[:limit], len(names) - limit
        return ", ".join(shown) + f" and {rest} other{'s' if rest != 1 else ''}"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def signed(stance: int) -> str:
    """'+2', '0', '−1' (true minus sign)."""
    s = int(stance)
    return f"+{s}" if s > 0 else ("0" if s == 0 else f"\u2212{abs(s)}")


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
    """'Sources: Yonhap, KBS and 4 more - see Sources', generated from the sources behind the marks."""
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
