"""Domain rules: what a well-formed table can still get wrong about the case.

References between tables (including ';' lists), impossible and mismatched dates, rows dated after every
source that reports them, events outside the case period, stances off the case's scale or without
evidence, and disputes with fewer than two sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from analysis.dates import PartialDateError, parse_partial
from analysis.validate.case_yaml import FULL_DATE, CaseMeta
from analysis.validate.report import EXAMPLE, Report
from analysis.validate.tables import Table

# Tables a case cannot do without: a brief with no sources, actors, issues or events says nothing.
NON_EMPTY_TABLES = ("sources", "actors", "issues", "events")
# Partial-date columns (text in the schema, so Frictionless checks only their shape).
DATE_COLUMNS = {
    "sources": ("published",),
    "events": ("date", "date_end"),
    "positions": ("date",),
    "quotes": ("date",),
    "legal_provisions": ("adopted",),
}
# Every reference between tables: (table, column, referenced table, is the cell a ';' list?). The
# Frictionless foreign keys cover the single ids; the lists are checked here only.
REFERENCES = (
    ("actors", "parent", "actors", False),
    ("events", "actors", "actors", True),
    ("events", "source_ids", "sources", True),
    ("positions", "actor", "actors", False),
    ("positions", "issue", "issues", False),
    ("positions", "event", "events", False),
    ("positions", "source_ids", "sources", True),
    ("legal_provisions", "source_ids", "sources", True),
    ("legal_provisions", "adopted_source_ids", "sources", True),
    ("quotes", "speaker", "actors", False),
    ("quotes", "source_id", "sources", False),
    ("quotes", "event", "events", False),
    ("dispute_claims", "dispute", "disputes", False),
    ("dispute_claims", "source_ids", "sources", True),
)
# The bases of a position that must show their evidence (words quoted or pointed to).
EVIDENCE_BASES = ("quote", "paraphrase", "inferred")


def domain_checks(tables: dict[str, Table], canonical: dict, meta: CaseMeta, report: Report) -> None:
    """Run the domain rules on the tables that could be read (``meta`` gives the period and scale)."""
    for name in NON_EMPTY_TABLES:
        table = tables.get(name)
        if table is not None and not table.rows:
            report.add(table.file, "has no rows; a case needs at least one")
    ids = {name: t.ids() for name, t in tables.items() if "id" in t.columns}
    _check_references(tables, ids, report)
    spans = _check_dates(tables, report)
    _check_event_dates(tables, spans, report)
    _check_source_dates(tables, spans, report)
    if meta.period_span is not None:
        _check_period(tables.get("events"), spans, meta.period_span, report)
    _check_positions(tables.get("positions"), meta.stances, report)
    _check_disputes(tables, ids, canonical, report)
    _check_examples(tables, report)


def _cells(table: Table | None, column: str, report: Report) -> Iterable[tuple[int, str]]:
    """``(row, cell)`` of a column, skipping cells that already have a problem."""
    if table is None or column not in table.columns:
        return
    for row, cells in table.rows:
        if not report.flagged(table.file, row, column):
            yield row, cells[column]


def _check_references(tables: dict[str, Table], ids: dict[str, dict[str, int]], report: Report) -> None:
    for name, column, target, is_list in REFERENCES:
        table, known = tables.get(name), ids.get(target)
        if table is None or not known or column not in table.columns:
            # a missing or empty table or column is reported already; checking against it would only echo that
            continue
        for row, cell in _cells(table, column, report):
            if not cell:
                continue
            items = [x for x in cell.split(";")] if is_list else [cell]
            unknown = [x for x in items if x not in known]
            if unknown:
                listed = ", ".join(repr(x) for x in unknown)
                if is_list and unknown != [cell]:
                    rule = (
                        f"lists {listed}, which {'is not an id' if len(unknown) == 1 else 'are not ids'} "
                        f"in {tables[target].file}"
                    )
                else:
                    rule = f"is not an id in {tables[target].file}"
                report.add(table.file, rule, row, column, cell)


Span = tuple[dt.date, dt.date, str]


def _check_dates(tables: dict[str, Table], report: Report) -> dict[tuple[str, int, str], Span]:
    """Parse every partial date once; impossible dates (2025-02-30) become problems."""
    spans: dict[tuple[str, int, str], Span] = {}
    for name, columns in DATE_COLUMNS.items():
        table = tables.get(name)
        for column in columns:
            for row, cell in _cells(table, column, report):
                if not cell:
                    continue
                try:
                    spans[(name, row, column)] = parse_partial(cell)
                except PartialDateError as exc:
                    report.add(table.file, str(exc), row, column, cell)
    return spans


def _shape(precision: str) -> str:
    return {"day": "a full date (YYYY-MM-DD)", "month": "a month (YYYY-MM)", "year": "a year (YYYY)"}[
        precision
    ]


def _check_event_dates(tables: dict[str, Table], spans: dict, report: Report) -> None:
    events = tables.get("events")
    if events is None or not {"date", "date_precision", "date_end"} <= events.columns:
        return
    for row, cells in events.rows:
        precision, start, end = cells["date_precision"], spans.get(("events", row, "date")), cells["date_end"]
        if report.flagged(events.file, row, "date_precision") or start is None:
            continue
        if precision in ("day", "month", "year") and start[2] != precision:
            report.add(
                events.file,
                f"does not match the date {cells['date']!r}, which is {_shape(start[2])}",
                row,
                "date_precision",
                precision,
            )
        if precision == "range":
            if not end:
                report.add(
                    events.file,
                    "is empty, but date_precision is 'range': give the last day of the range",
                    row,
                    "date_end",
                    "",
                )
            elif ("events", row, "date_end") in spans and spans[("events", row, "date_end")][0] <= start[0]:
                report.add(
                    events.file,
                    f"is not after the date {cells['date']!r}; a range ends after it starts",
                    row,
                    "date_end",
                    end,
                )
        elif end and not report.flagged(events.file, row, "date_end"):
            report.add(
                events.file,
                f"is set but date_precision is {precision!r}: use 'range', or leave date_end empty",
                row,
                "date_end",
                end,
            )


def _check_source_dates(tables: dict[str, Table], spans: dict, report: Report) -> None:
    """Sources: precision matches the date and access follows publication; then what cites them."""
    sources = tables.get("sources")
    if sources is None or "published" not in sources.columns:
        return
    published: dict[str, Span | None] = {}
    for row, cells in sources.rows:
        sid = cells.get("id", "")
        span = spans.get(("sources", row, "published"))
        published.setdefault(sid, span)
        precision = cells.get("published_precision", "")
        if report.flagged(sources.file, row, "published_precision") or report.flagged(
            sources.file, row, "published"
        ):
            continue
        if not cells["published"]:
            if precision and precision != "unknown":
                report.add(
                    sources.file,
                    f"is {precision!r} but published is empty: use 'unknown' for an undated source",
                    row,
                    "published_precision",
                    precision,
                )
        elif precision == "unknown":
            report.add(
                sources.file,
                f"is 'unknown' but published is {cells['published']!r}: say how precise "
                "the date is (day, month or year)",
                row,
                "published_precision",
                precision,
            )
        elif span is not None and precision in ("day", "month", "year") and span[2] != precision:
            report.add(
                sources.file,
                f"does not match published {cells['published']!r}, which is {_shape(span[2])}",
                row,
                "published_precision",
                precision,
            )
        accessed = cells.get("accessed", "")
        if (
            span is not None
            and FULL_DATE.match(accessed)
            and not report.flagged(sources.file, row, "accessed")
        ):
            try:
                seen = dt.date.fromisoformat(accessed)
            except ValueError:
                seen = None
            if seen is not None and seen < span[0]:
                report.add(
                    sources.file,
                    f"is before the source was published ({cells['published']})",
                    row,
                    "accessed",
                    accessed,
                )
    _check_reported_after(tables, spans, published, report)


def _check_reported_after(
    tables: dict[str, Table], spans: dict, published: dict[str, Span | None], report: Report
) -> None:
    """No event, position or quote is dated after every source that reports it."""
    for name, column in (("events", "source_ids"), ("positions", "source_ids"), ("quotes", "source_id")):
        table = tables.get(name)
        if table is None or column not in table.columns:
            continue
        for row, cells in table.rows:
            span = spans.get((name, row, "date"))
            cited = [s for s in cells[column].split(";") if s]
            if span is None or not cited or report.flagged(table.file, row, column):
                continue
            dates = [published.get(s) for s in cited]
            if any(d is None for d in dates):
                continue  # an undated or unknown source might be later: nothing to say
            latest_sid, latest = max(zip(cited, dates, strict=True), key=lambda x: x[1][1])
            if span[0] > latest[1]:
                what = {"events": "an event", "positions": "a position", "quotes": "a quote"}[name]
                report.add(
                    table.file,
                    f"is later than every source cited for it (the latest, {latest_sid}, "
                    f"was published {_fmt_span(latest)}); {what} cannot be reported before its date",
                    row,
                    "date",
                    cells["date"],
                )


def _fmt_span(span: Span) -> str:
    first, _, precision = span
    return {"day": first.isoformat(), "month": first.strftime("%Y-%m"), "year": str(first.year)}[precision]


def _check_period(events: Table | None, spans: dict, period: tuple[dt.date, dt.date], report: Report) -> None:
    """An event must overlap the case period (a month-precision date overlaps if any of its days does)."""
    if events is None:
        return
    start, end = period
    for row, cells in events.rows:
        span = spans.get(("events", row, "date"))
        if span is None or report.flagged(events.file, row, "date"):
            continue
        last = spans.get(("events", row, "date_end"), span)[1]
        if last < start or span[0] > end:
            report.add(
                events.file,
                f"is outside the case period ({start} to {end}, in case.yaml)",
                row,
                "date",
                cells["date"],
            )


def _check_positions(positions: Table | None, scale: set[int] | None, report: Report) -> None:
    if positions is None or not {"stance", "basis"} <= positions.columns:
        return
    for row, cells in positions.rows:
        stance, basis = cells["stance"].strip(), cells["basis"]
        if report.flagged(positions.file, row, "basis") or report.flagged(positions.file, row, "stance"):
            continue
        if basis == "none" and stance:
            report.add(
                positions.file,
                "is set, but basis is 'none': a row recording no public position has "
                "no stance (leave it empty)",
                row,
                "stance",
                stance,
            )
        elif basis != "none" and not stance:
            report.add(
                positions.file,
                f"is empty, but basis is {basis!r}: code the stance on the scale, "
                "or use basis 'none' for no public position",
                row,
                "stance",
                "",
            )
        elif stance and scale is not None:
            try:
                value = int(stance)
            except ValueError:
                value = None
            if value is not None and value not in scale:
                shown = ", ".join(str(k) for k in sorted(scale))
                report.add(
                    positions.file,
                    f"is not on the stance scale in case.yaml ({shown})",
                    row,
                    "stance",
                    stance,
                )
        if basis in EVIDENCE_BASES and "evidence" in positions.columns and not cells["evidence"].strip():
            report.add(
                positions.file,
                f"is empty, but basis is {basis!r}: quote the words or point to the evidence",
                row,
                "evidence",
                "",
            )


def _check_disputes(
    tables: dict[str, Table], ids: dict[str, dict[str, int]], canonical: dict, report: Report
) -> None:
    disputes = tables.get("disputes")
    if disputes is None or not {"about_table", "about_id"} <= disputes.columns:
        return
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in canonical["resources"]}
    for row, cells in disputes.rows:
        about_table, about_id = cells["about_table"], cells["about_id"]
        if report.flagged(disputes.file, row, "about_table"):
            continue
        if about_id and not about_table:
            report.add(
                disputes.file,
                "is set, but about_table is empty: say which table the id is in",
                row,
                "about_id",
                about_id,
            )
        elif about_id and about_table in ids and about_id not in ids[about_table]:
            report.add(
                disputes.file,
                f"is not an id in {tables[about_table].file} (about_table)",
                row,
                "about_id",
                about_id,
            )
        about_field = cells.get("about_field", "")
        if about_field and about_table in fields and about_field not in fields[about_table]:
            report.add(
                disputes.file, f"is not a column of {about_table}.csv", row, "about_field", about_field
            )
    claims = tables.get("dispute_claims")
    if claims is not None and "dispute" in claims.columns and "id" in disputes.columns:
        count: dict[str, int] = {}
        for _, cells in claims.rows:
            count[cells["dispute"]] = count.get(cells["dispute"], 0) + 1
        for row, cells in disputes.rows:
            n = count.get(cells["id"], 0)
            if n < 2 and not report.flagged(disputes.file, row, "id"):
                report.add(
                    disputes.file,
                    f"has {n} claim{'s' if n != 1 else ''} in dispute_claims.csv; a dispute "
                    "needs two or more sides",
                    row,
                    "id",
                    cells["id"],
                )


def _check_examples(tables: dict[str, Table], report: Report) -> None:
    """Rows still as ``casebrief new-case`` wrote them: a case is not done while one remains."""
    for table in tables.values():
        for row, cells in table.rows:
            if any(EXAMPLE.search(cell) for cell in cells.values()):
                report.add(
                    table.file,
                    "is an EXAMPLE row from 'casebrief new-case': replace it with the case's own data, "
                    "or delete it",
                    row,
                )
