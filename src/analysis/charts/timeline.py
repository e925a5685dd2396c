"""Timeline: the case's events on a date axis, in lanes, with honest dates.

    timeline(case, since=None, lanes="group", *, max_marks=300, max_tiers=12, max_labels=40,
             max_rows_per_lane=4, width=TEXT_WIDTH, label_key=True) -> Chart

``case`` is a :class:`analysis.case.Case`, usually a slice (``case.as_of(date)``); the as-of date is
drawn as a vertical line. ``since`` (a date) shades the dates after it, and the title counts the
events not yet known on it (as :meth:`Case.changes` does). ``lanes`` is ``"group"`` (the group of
the event's first listed actor, in the order of actors.csv) or ``"category"``.

How dates are drawn: a day-precision event is a dot on its day; an event known only to the month
or year is a dashed, lightly filled box over the whole month or year (somewhere in it, day unknown);
a ranged event (``date_precision = range``) is a solid bar from its first to its last day. A date
disputed in ``disputes.csv`` carries a "?" and the dates each claim gives (open diamonds). Low
confidence events are hollow. Key events (``key = true``) are labelled above the lanes in tiers that
never overlap, each label a flag on a pole from its mark; labels that find no room are counted in a
note, and with more than ``max_labels`` key events none is labelled (a note says so). With more than
``max_marks`` events the lanes show counts per week, month or quarter instead of single marks, and a
note says so. A lane stacks overlapping marks in at most ``max_rows_per_lane`` sub-rows (past that,
marks share the row that frees up first and may touch): fewer make a lower chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis import wording
from analysis.charts.captions import chart_as_of, flat_ids, fmt_event_date, source_line
from analysis.charts.chart import Chart, empty_chart
from analysis.charts.layout import MARGIN, PT, TEXT_WIDTH, date_num, date_nums, new_frame, place_in_tiers
from analysis.charts.style import ASOF_COLOUR, LANE_COLOURS, MUTED, SINCE_COLOUR, use_style
from analysis.charts.timeline_marks import draw_counts, draw_disputes, draw_marks, merged_note, tooltips
from analysis.dates import parse_partial, to_date
from analysis.vocabulary import case_vocabulary

MAX_LANES = len(LANE_COLOURS)  # lanes told apart by colour; past this the smallest share one lane
OTHER_LANE = "Other"
ROW_H = 0.16  # inches per sub-row of marks
TIER_H = 0.19  # inches per tier of key-event labels
LABEL_SIZE = 7.2
MAX_ROWS_PER_LANE = 4
MARK_RADIUS = 4.5  # points: the half-width a mark needs in its sub-row


def timeline(
    case,
    since: object | None = None,
    lanes: str = "group",
    *,
    max_marks: int = 300,
    max_rows_per_lane: int = MAX_ROWS_PER_LANE,
    max_tiers: int = 12,
    max_labels: int = 40,
    width: float = TEXT_WIDTH,
    label_key: bool = True,
    key_list: str | None = "the list of key events",
) -> Chart:
    """Draw the events of ``case`` on a date axis; see the module docstring for the encoding.

    ``key_list`` names where a reader finds the key events left unlabelled (None: nowhere)."""
    if lanes not in ("group", "category"):
        raise ValueError(f"lanes must be 'group' or 'category', not {lanes!r}")
    as_of = chart_as_of(case)
    since_d = to_date(since) if since is not None else None
    ev = case.events
    if ev.empty:
        return empty_chart(
            "timeline",
            case,
            "No events to show",
            f"No event in this case is known as of {wording.day(as_of)}: no event is dated "
            "on or before that day with a source published by then.",
        )
    with use_style():
        return _draw(
            case,
            ev.copy(),
            as_of,
            since_d,
            lanes,
            max_marks,
            max_tiers,
            max_labels,
            width,
            label_key,
            key_list,
            max_rows_per_lane,
        )


def _lane_of(case, ev: pd.DataFrame, lanes: str) -> tuple[pd.Series, list[str]]:
    """Each event's lane and the lanes in order. Category lanes carry the category's label in the
    case's vocabulary, in its order; group lanes the actors' groups, in the actors table's order."""
    if lanes == "category":
        terms = case_vocabulary(case).event_categories
        lane = ev["category"].astype(str).map(lambda c: terms[c].label if c in terms else c)
        order = [t.label for t in terms.values() if t.label in set(lane)]
        order += sorted(set(lane) - set(order))
        return lane, order
    group = dict(zip(case.actors["id"], case.actors["group"], strict=False))

    def first_group(ids):
        for a in ids:
            if a in group and str(group[a]).strip():
                return str(group[a])
        return "Other"

    lane = ev["actors"].map(first_group)
    order = [g for g in dict.fromkeys(case.actors["group"].astype(str)) if g in set(lane)]
    order += sorted(set(lane) - set(order))
    return lane, order


def _disputed_dates(case, ids: set[str]) -> dict[str, list[tuple[float, float]]]:
    """Event id -> the (start, end) date numbers each claim of a date dispute gives."""
    d = case.disputes
    if d.empty:
        return {}
    mask = (d["about_table"].str.strip() == "events") & (d["about_field"].str.strip().str.lower() == "date")
    out: dict[str, list[tuple[float, float]]] = {}
    claims = case.dispute_claims
    for _, row in d[mask & d["about_id"].isin(ids)].iterrows():
        spans = []
        for v in claims.loc[claims["dispute"] == row["id"], "value"]:
            try:
                first, last, _ = parse_partial(str(v))
            except ValueError:
                continue
            spans.append((date_num(first), date_num(last)))
        out.setdefault(row["about_id"], []).extend(spans)
    return out


def _choose_period(span_days: float) -> tuple[str, str]:
    if span_days <= 200:
        return "W-SUN", "week"
    if span_days <= 6 * 365:
        return "M", "month"
    return "Q", "quarter"


def _draw(
    case, ev, as_of, since_d, lanes, max_marks, max_tiers, max_labels, width, label_key, key_list,
    max_rows_per_lane=MAX_ROWS_PER_LANE,
) -> Chart:
    ev, lane_order, merged = _prepare(case, ev, since_d, lanes)
    n = len(ev)
    aggregate = n > max_marks
    asx = date_num(as_of)
    lo = min(ev["x0"].min(), asx)
    hi = max(ev["x1"].max(), asx)
    pad = max((hi - lo) * 0.03, 10.0)
    xmin, xmax = lo - pad, hi + pad

    fr = new_frame(width)
    lane_counts = ev["lane"].value_counts()
    lane_text = {ln: f"{ln} ({lane_counts.get(ln, 0):,})" for ln in lane_order}
    left = max(fr.m.width(t, 8) for t in lane_text.values()) * PT + 0.3
    right = 0.3
    axw_pt = (width - left - right) * 72
    ppd = axw_pt / (xmax - xmin)  # points per day

    freq, unit = _choose_period(hi - lo) if aggregate else ("", "")
    rows_in_lane = _stack_rows(ev, lane_order, aggregate, xmin, ppd, max_rows_per_lane)
    base, y = {}, 0
    for ln in lane_order:
        base[ln] = y
        y += rows_in_lane[ln]
    total_rows = y
    ev["y"] = [base[ln] + r + 0.5 for ln, r in zip(ev["lane"], ev["row"], strict=True)]

    key = ev[ev["key"]] if label_key else ev.iloc[0:0]
    n_key = len(key)
    too_many_keys = n_key > max_labels
    if too_many_keys:  # hundreds of labels cannot be read: none are drawn, and a note says so
        key = key.iloc[0:0]
    band_span = (-(left - MARGIN) * 72, axw_pt + (right - 0.05) * 72)
    keys = _place_key_labels(fr, key, xmin, ppd, band_span, max_tiers)
    tiers_used = max((p[0] + 1 for p in keys.placed if p), default=0)
    n_unlabelled = sum(p is None for p in keys.placed)

    disputed = _disputed_dates(case, set(ev["id"]))
    ev["disputed"] = ev["id"].isin(disputed)

    band_h = tiers_used * keys.tier_h + TIER_H + 0.05
    lanes_h = max(total_rows * ROW_H, 0.45) + 0.1
    axis_h = 0.42
    legend_h = 0.3 if aggregate else 0.58  # up to three rows of three entries
    content_h = band_h + lanes_h + axis_h + legend_h

    title, notes = _title(ev, lanes, lane_order, lane_counts, since_d, as_of)
    if aggregate:
        notes += _aggregate_notes(ev, freq, unit, disputed)
    notes += _label_notes(n_key if too_many_keys else 0, n_unlabelled, len(key), key_list)
    notes += merged_note(merged, lanes, OTHER_LANE)
    src_ids = flat_ids(ev["source_ids"])
    fig, top, bottom = fr.finish(content_h, title, notes, source_line(case, src_ids), as_of)

    lanes_bottom = bottom + legend_h + axis_h
    ax = fr.axes(left, lanes_bottom, width - left - right, lanes_h)
    band = fr.axes(left, lanes_bottom + lanes_h, width - left - right, band_h, sharex=ax)
    band.set_axis_off()
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(total_rows + 0.05, -0.05)
    band.set_ylim(0, band_h)
    colours = _lane_colours(case, lane_order, lanes)
    _draw_lanes(ax, lane_order, base, rows_in_lane, lane_text, lanes)
    shade = since_d is not None and date_num(since_d) < asx
    _draw_dates(ax, band, fr.m, as_of, since_d if shade else None, xmin, ppd, tiers_used * keys.tier_h)

    handles: list = []
    if aggregate:
        draw_counts(ax, ev, lane_order, base, freq, colours)
        handles.append(Patch(facecolor="#777777", label=f"events per {unit}"))
    else:
        draw_marks(ax, ev, colours, handles)
        draw_disputes(ax, ev, disputed, handles)
    labelled = _draw_key_labels(ax, band, key, keys, xmin, ppd)
    ev["labelled"] = ev["id"].isin(labelled)
    if shade:
        handles.append(Patch(facecolor=SINCE_COLOUR, label=f"new since {wording.day(since_d)}"))
    _draw_legend(fig, handles, MARGIN / width, bottom + legend_h)

    n_not_labelled = n_unlabelled + (n_key if too_many_keys else 0)
    alt = _alt_text(
        ev, lane_order, lane_counts, lanes, as_of, since_d, aggregate, labelled, disputed, n_not_labelled
    )
    return _result(fig, ev, alt, title, as_of, src_ids, notes, aggregate)


def _result(fig, ev, alt: str, title: str, as_of, src_ids: list[str], notes: list[str],
            aggregate: bool) -> Chart:
    """The drawn timeline as a :class:`Chart`: one data row per event, a tooltip per mark."""
    data = ev[
        ["id", "lane", "kind", "x0", "x1", "y", "key", "labelled", "disputed", "confidence", "new"]
    ].copy()
    return Chart(
        figure=fig, alt_text=alt, title=title, kind="timeline", as_of=as_of,
        source_ids=src_ids, data=data, notes=notes,
        marks={} if aggregate else tooltips(ev),
    )


def _lane_colours(case, lane_order: list[str], lanes: str) -> dict[str, str]:
    """A colour per lane: the one the case's vocabulary gives a category (``Term.colour``), else the
    palette's next colour not yet taken; at most ``MAX_LANES`` lanes, so no two share one."""
    given: dict[str, str] = {}
    if lanes == "category":
        given = {t.label: t.colour for t in case_vocabulary(case).event_categories.values() if t.colour}
    free = [c for c in LANE_COLOURS if c not in {given.get(ln) for ln in lane_order}]
    out = {}
    for ln in lane_order:
        out[ln] = given.get(ln) or (free.pop(0) if free else LANE_COLOURS[len(out) % len(LANE_COLOURS)])
    return out


def _draw_legend(fig, handles: list, x: float, top: float) -> None:
    """The legend under the axis: the marks used, then the as-of line (``x`` in figure fraction,
    ``top`` in inches from the figure's bottom)."""
    handles.append(Line2D([], [], color=ASOF_COLOUR, lw=1.0, ls=(0, (4, 2)), label="as-of date"))
    fig.legend(
        handles=handles,
        loc="upper left",
        ncol=min(len(handles), 3),
        fontsize=7.2,
        handlelength=1.8,
        columnspacing=1.4,
        bbox_to_anchor=(x, top / fig.get_size_inches()[1]),
        borderaxespad=0.0,
    )


def _merge_lanes(lane: pd.Series, order: list[str]) -> tuple[pd.Series, list[str], list[str]]:
    """Past ``MAX_LANES`` lanes the smallest are merged into one "Other" lane (last), so that no two
    lanes share a colour; returns the lanes, their order and the names merged (for the chart's note)."""
    if len(order) <= MAX_LANES:
        return lane, order, []
    counts = lane.value_counts()
    ranked = sorted(order, key=lambda ln: (ln == OTHER_LANE, -counts.get(ln, 0), order.index(ln)))
    keep = set(ranked[: MAX_LANES - 1])
    merged = [ln for ln in order if ln not in keep and ln != OTHER_LANE]
    lane = lane.where(lane.isin(keep), OTHER_LANE)
    return lane, [ln for ln in order if ln in keep] + [OTHER_LANE], merged


def _prepare(case, ev: pd.DataFrame, since_d, lanes: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Events in date order with their lane, whether they are new since ``since_d``, their x extent
    (matplotlib date numbers) and how their date is drawn (``day``, ``range`` or ``span``); the lanes
    in order, and those merged into "Other"."""
    ev = ev.sort_values(["start", "end", "id"], kind="stable").reset_index(drop=True)
    ev["lane"], lane_order, merged = _merge_lanes(*_lane_of(case, ev, lanes))
    # new since `since`: not yet known then (as Case.changes counts it: by the sources' dates)
    known_then = set(case.as_of(since_d).events["id"]) if since_d is not None else set(ev["id"])
    ev["new"] = ~ev["id"].isin(known_then)
    ev["x0"] = date_nums(ev["start"])
    ev["x1"] = date_nums(ev["end"])
    is_day = (ev["date_precision"] == "day") | (ev["x0"] == ev["x1"])
    ev["kind"] = np.where(is_day, "day", np.where(ev["date_precision"] == "range", "range", "span"))
    ev.loc[ev["kind"] != "day", "x1"] += 1.0  # a span covers its last day in full
    return ev, lane_order, merged


def _stack_rows(ev: pd.DataFrame, lane_order: list[str], aggregate: bool, xmin: float, ppd: float,
                max_rows: int = MAX_ROWS_PER_LANE) -> dict:
    """Give each event a sub-row of its lane (``ev["row"]``) so that marks do not overlap; returns
    the number of sub-rows per lane. Counts per period take two rows per lane."""
    ev["row"] = 0
    if aggregate:
        return {ln: 2 for ln in lane_order}
    rows_in_lane = {}
    for ln in lane_order:
        ends: list[float] = []
        for i in ev.index[ev["lane"] == ln]:
            a = (ev.at[i, "x0"] - xmin) * ppd - MARK_RADIUS
            b = (ev.at[i, "x1"] - xmin) * ppd + MARK_RADIUS
            for k, e in enumerate(ends):
                if a >= e + 1:
                    ends[k] = b
                    ev.at[i, "row"] = k
                    break
            else:
                if len(ends) < max_rows:
                    ends.append(b)
                    ev.at[i, "row"] = len(ends) - 1
                else:  # lane full: share the row that frees up first (marks may touch)
                    k = int(np.argmin(ends))
                    ends[k] = max(ends[k], b)
                    ev.at[i, "row"] = k
        rows_in_lane[ln] = max(1, len(ends))
    return rows_in_lane


@dataclass
class _KeyLabels:
    """Where the key-event labels go: their anchors (date numbers), texts, ``(tier, left)`` in
    points per label (``None`` where no room), and the height of a tier in inches."""

    anchors: list[float]
    texts: list[str]
    placed: list
    tier_h: float


def _place_key_labels(fr, key: pd.DataFrame, xmin: float, ppd: float, span, max_tiers: int) -> _KeyLabels:
    """One line per label if that labels every key event; else labels wrapped to two lines, if that
    labels more (narrow labels pack better where key events cluster). The band (``span``, in points
    from the axes' left) reaches over the lane names: early labels may hang into that space."""
    full_text = [f"{r.title} ({fmt_event_date(r)})" for r in key.itertuples()]
    anchors = [((r.x0 + r.x1) / 2 if r.kind != "day" else r.x0) for r in key.itertuples()]
    layouts = []
    for lines, wrap_pt in ((1, None), (2, 185.0)):
        texts = (
            full_text
            if wrap_pt is None
            else [fr.m.wrap(t, wrap_pt, LABEL_SIZE, max_lines=2) for t in full_text]
        )
        items = [
            ((a - xmin) * ppd, fr.m.width(t, LABEL_SIZE) + 3) for a, t in zip(anchors, texts, strict=True)
        ]
        tiers = max_tiers if lines == 1 else max(1, max_tiers * 2 // 3)
        placed = place_in_tiers(items, span[0], span[1], tiers, gap=8.0)
        layouts.append((sum(p is not None for p in placed), -lines, texts, placed))
        if layouts[-1][0] == len(full_text):
            break
    _, neg_lines, texts, placed = max(layouts, key=lambda lay: (lay[0], lay[1]))
    return _KeyLabels(anchors, texts, placed, TIER_H if neg_lines == -1 else TIER_H * 1.75)


def _title(ev, lanes: str, lane_order: list[str], lane_counts, since_d,
           as_of=None) -> tuple[str, list[str]]:
    """The title (what stands out) and, with a since-date, the note on late-reported events."""
    notes: list[str] = []
    n = len(ev)
    # as in the alt text: the period named stops at the as-of date, as far as anything is known
    first = ev["start"].min()
    last = min(ev["end"].max(), pd.Timestamp(as_of)) if as_of is not None else ev["end"].max()
    period_txt = (
        wording.month(first)
        if wording.month(first) == wording.month(last)
        else f"{wording.month(first)} to {wording.month(last)}"
    )
    ties = list(lane_counts[lane_counts == lane_counts.iloc[0]].index)
    top_lane = sorted(ties, key=lane_order.index)[0]
    # "most" would claim a majority: the title names the lane with the most events and its count
    lane_word = "involving" if lanes == "group" else "of the kind"
    if since_d is not None:
        new = ev[ev["new"]]
        late = int((new["start"] <= pd.Timestamp(since_d)).sum())
        if late:
            notes.append(
                f"{late:,} of the new events happened before {wording.day(since_d)} but were first reported "
                "after it (they lie left of the shading)."
            )
        if len(new):
            new_top = new["lane"].value_counts()
            new_top_lane = sorted(new_top[new_top == new_top.iloc[0]].index, key=lane_order.index)[0]
            title = f"{len(new):,} of {wording.plural(n, 'event')} are new since {wording.day(since_d)}"
            if len(new) > 1 and (new_top == new_top.iloc[0]).sum() == 1:  # a tie has no "most often"
                title += f", most often {lane_word} {new_top_lane} ({new_top[new_top_lane]:,})"
        else:
            in_all = f"{wording.plural(n, 'event')} in all, {period_txt}"
            title = f"No new events since {wording.day(since_d)}; {in_all}"
        return title, notes
    if n == 1:
        r = ev.iloc[0]
        return f"One event so far: {r['title']} ({fmt_event_date(r)})", notes
    lead = sorted(ties, key=lane_order.index)
    if len(lead) > 2:  # no lane stands out
        where = wording.plural(len(lane_order), "group" if lanes == "group" else "category", "categories")
        return f"{wording.plural(n, 'event')}, {period_txt}, in {where}", notes
    k = f"{lane_counts[top_lane]:,}" + (" each" if len(lead) > 1 else "")
    many = "is the most active group" if len(lead) == 1 else "are the most active"
    kinds = "kind is" if len(lead) == 1 else "kinds are"
    what = (
        f"{wording.join(lead, limit=4)} {many}"
        if lanes == "group"
        else f"the most common {kinds} {wording.join(lead, limit=4)}"
    )
    return f"{wording.plural(n, 'event')}, {period_txt}: {what} ({k})", notes


def _aggregate_notes(ev, freq: str, unit: str, disputed: dict) -> list[str]:
    """What a reader must know when events are drawn as counts per period."""
    tallest = int(ev.groupby(["lane", ev["start"].dt.to_period(freq)]).size().max())
    notes = [
        f"{len(ev):,} events are too many to draw one by one: each lane shows the number of "
        f"events per {unit} by the date each event begins (the tallest bar is {tallest:,})."
    ]
    if disputed:
        notes.append(
            f"{wording.plural(len(disputed), 'disputed date')} {'is' if len(disputed) == 1 else 'are'} "
            "not marked at this scale; see Disputes."
        )
    wide = int(((ev["x1"] - ev["x0"]) > {"week": 7, "month": 31, "quarter": 92}[unit]).sum())
    if wide:
        notes.append(
            f"{wording.plural(wide, 'event')} dated only to a month or year or lasting longer than a {unit} "
            + (
                "is counted in the {0} where it begins."
                if wide == 1
                else "are counted in the {0} where they begin."
            ).format(unit)
        )
    return notes


def _label_notes(n_too_many: int, n_unlabelled: int, n_key: int, key_list: str | None) -> list[str]:
    """Why key events are not labelled: too many to label at all, or no room for some."""
    see = f"; see {key_list}." if key_list else "."
    notes = []
    if n_too_many:
        notes.append(f"{n_too_many:,} key events are too many to label here{see}")
    if n_unlabelled:
        notes.append(f"{n_unlabelled:,} of {n_key:,} key events are not labelled for lack of room{see}")
    return notes


def _draw_lanes(ax, lane_order, base: dict, rows_in_lane: dict, lane_text: dict, lanes: str) -> None:
    """Alternate lane shading, lane names with their counts, and the date axis."""
    for i, ln in enumerate(lane_order):
        if i % 2 == 1:
            ax.axhspan(base[ln], base[ln] + rows_in_lane[ln], color="#F4F4F4", lw=0, zorder=0)
        if i:
            ax.axhline(base[ln], color="#D9D9D9", lw=0.6, zorder=0.5)
    ax.set_yticks([base[ln] + rows_in_lane[ln] / 2 for ln in lane_order])
    ax.set_yticklabels([lane_text[ln] for ln in lane_order], fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylabel("")
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    lane_desc = "actor group of the first actor listed" if lanes == "group" else "event category"
    ax.set_xlabel(f"Date (lanes: {lane_desc}; numbers are events per lane)", fontsize=7.5, color=MUTED)


def _draw_dates(ax, band, m, as_of, shade_from, xmin: float, ppd: float, label_y: float) -> None:
    """The shading after the since-date (``shade_from``, or None), the as-of line through lanes and
    band, and its label in the band's top row on the side of the line with room."""
    asx = date_num(as_of)
    if shade_from is not None:  # a since-date before the first event shades from the axis' start
        for a in (ax, band):
            a.axvspan(max(date_num(shade_from), xmin), asx, color=SINCE_COLOUR, lw=0, zorder=0.2, gid="since")
    for a in (ax, band):
        a.axvline(asx, color=ASOF_COLOUR, lw=1.0, ls=(0, (4, 2)), zorder=4, gid="asof")
    asof_txt = f"as of {wording.day(as_of)}"
    room_left = (asx - xmin) * ppd
    ha, dx = ("right", -3) if room_left > m.width(asof_txt, 7.5) + 6 else ("left", 3)
    band.annotate(
        asof_txt,
        (asx, label_y + TIER_H / 2),
        xytext=(dx, 0),
        textcoords="offset points",
        ha=ha,
        va="center",
        fontsize=7.5,
        color=ASOF_COLOUR,
        fontweight="bold",
        gid="asof-label",
    )


def _draw_key_labels(ax, band, key: pd.DataFrame, keys: _KeyLabels, xmin: float, ppd: float) -> list[str]:
    """Each placed key label as a flag on a pole from its mark; returns the ids labelled."""
    key_rows = key.reset_index(drop=True)
    labelled = []
    for j, p in enumerate(keys.placed):
        if p is None:
            continue
        t, left_pt = p
        xl = xmin + left_pt / ppd
        r = key_rows.iloc[j]
        yc = (t + 0.5) * keys.tier_h
        band.text(
            xl + 1.5 / ppd,
            yc,
            keys.texts[j],
            ha="left",
            va="center",
            fontsize=LABEL_SIZE,
            linespacing=1.1,
            zorder=5,
            gid="key-label",
            bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none"},
        )
        # the pole runs from the lanes to the top of its flag, so each label sits on its own pole
        top_of_flag = yc + (keys.texts[j].count("\n") + 1) * LABEL_SIZE * 0.6 * PT
        x = keys.anchors[j]
        band.plot([x, x], [0, top_of_flag], color="#8A8A8A", lw=0.6, zorder=1, gid="leader")
        ax.plot([x, x], [-0.05, r["y"]], color="#9A9A9A", lw=0.5, ls=":", zorder=1, gid="leader")
        labelled.append(r["id"])
    return labelled


def _alt_text(
    ev, lane_order, lane_counts, lanes, as_of, since_d, aggregate, labelled, disputed, n_unlabelled
) -> str:
    """Two sentences: what is drawn (with the counts), then what stands out."""
    n = len(ev)
    # an event known by its start (a year, a range under way) may end after the as-of date: the text
    # stops at the as-of date, which is as far as anything in the slice is known
    last_day = min(ev["end"].max(), pd.Timestamp(as_of)) if as_of is not None else ev["end"].max()
    first, last = wording.month(ev["start"].min()), wording.month(last_day)
    by = "actor group" if lanes == "group" else "category"
    when = f"in {first}" if first == last else f"from {first} to {last}"
    top = lane_counts.index[0]
    lead = [ln for ln in lane_order if lane_counts.get(ln, 0) == lane_counts[top]]
    lanes_txt = wording.plural(len(lane_order), "lane")
    s = f"Timeline of {wording.plural(n, 'event')} {when} in {lanes_txt} by {by}"
    if len(lane_order) > 1:
        each = " each" if len(lead) > 1 else ""
        s += f", the busiest {wording.join(lead, limit=2)} ({wording.count(lane_counts[top])}{each})"
    if aggregate:
        s += ", drawn as counts per period because there are too many to show one by one"
    s += f"; as of {wording.day(as_of)}."
    found = []
    if since_d is not None:
        k = int(ev["new"].sum())
        found.append(f"{k:,} {'is' if k == 1 else 'are'} new since {wording.day(since_d)}")
    if labelled:
        lab = ev[ev["id"].isin(labelled)]
        names = [f"{r.title} ({fmt_event_date(r)})" for r in lab.itertuples()]
        found.append(f"key events include {wording.join(names, limit=3)}")
    if n_unlabelled:
        found.append(f"{n_unlabelled:,} key events are not labelled")
    if disputed:
        titles = list(ev.loc[ev["id"].isin(disputed), "title"])
        found.append(
            f"{wording.plural(len(titles), 'date')} {'is' if len(titles) == 1 else 'are'} disputed "
            f"({wording.join(titles, limit=2)})"
        )
    inexact = int((ev["kind"] == "span").sum())
    if inexact:
        found.append(
            f"{wording.plural(inexact, 'event')} {'is' if inexact == 1 else 'are'} "
            "dated only to a month or year"
        )
    if found:
        text = "; ".join(found)
        s += f" {text[0].upper()}{text[1:]}."
    return s


__all__ = ["timeline"]
