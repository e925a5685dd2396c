"""Position shifts: for actors whose stance on an issue changed, a step chart of stance by date.

    position_shifts(case, issues=None, *, show_korean=False, max_panels=8, width=TEXT_WIDTH) -> Chart

One panel per actor and issue whose stated stance took more than one value (rows with ``basis =
none`` carry no stance and are left out). The line steps at each coded position and runs on to the
as-of date; a dot marks each coding (hollow when low confidence), and a position dated only to a
month carries a bracket over that month. Where ``positions.event`` links a change to an event, the
event's title and date are written above the step, in tiers that never overlap. Panels are ordered
by the size of the move; beyond ``max_panels`` a note says how many are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.collections import LineCollection

from analysis import wording
from analysis.charts.captions import chart_as_of, flat_ids, fmt_event_date, source_line
from analysis.charts.chart import Chart, empty_chart
from analysis.charts.layout import (
    MARGIN,
    MIN_TEXT,
    PT,
    TEXT_WIDTH,
    date_num,
    date_nums,
    new_frame,
    place_in_tiers,
)
from analysis.charts.position_map import actor_labels
from analysis.charts.style import ASOF_COLOUR, MUTED, hollow_edge, stance_colour, use_style
from analysis.charts.svg import Mark

STANCE_H = 0.66  # inches of a panel's stance area
TIER_H = 0.16
HEAD_H = 0.22
GAP_H = 0.1
LABEL_SIZE = 7.0


def find_shifts(case, issues: list[str] | None = None) -> list[pd.DataFrame]:
    """Stated positions of each actor and issue whose stance changed, largest move first."""
    pos = case.positions
    if pos.empty:
        return []
    pos = pos[pos["basis"] != "none"]
    if issues:
        pos = pos[pos["issue"].isin(issues)]
    if pos.empty:
        return []
    pos = pos.assign(stance=pos["stance"].astype(int)).sort_values(
        ["actor", "issue", "start", "id"], kind="stable"
    )
    keys = ["actor", "issue"]
    nunique = pos.groupby(keys, sort=False)["stance"].transform("nunique")
    moved = pos[nunique > 1]
    if moved.empty:
        return []
    g = moved.groupby(keys, sort=False)["stance"]
    first, last = g.transform("first"), g.transform("last")
    steps = (moved["stance"] != g.shift()).astype(int) - 1  # the first row of a pair counts -1 + 1 = 0
    summary = (
        pd.DataFrame(
            {
                "size": (last - first).abs(),
                "moves": steps.groupby([moved["actor"], moved["issue"]]).transform("sum") + 1,
            }
        )
        .groupby([moved["actor"], moved["issue"]])
        .first()
    )
    names = dict(zip(case.actors["id"], case.actors["name"].astype(str).str.casefold(), strict=False))
    summary["name"] = [names.get(a, a) for a, _ in summary.index]
    summary = summary.reset_index().sort_values(
        ["size", "moves", "name", "issue"], ascending=[False, False, True, True], kind="stable"
    )
    parts = dict(iter(moved.groupby(keys, sort=False)))
    return [parts[(a, i)] for a, i in zip(summary["actor"], summary["issue"], strict=True)]


def position_shifts(
    case,
    issues: list[str] | None = None,
    *,
    show_korean: bool = False,
    max_panels: int = 8,
    width: float = TEXT_WIDTH,
) -> Chart:
    """Draw the stance changes in ``case``; see the module docstring."""
    as_of = chart_as_of(case)
    groups = find_shifts(case, issues)
    if not groups:
        stated = case.positions[case.positions["basis"] != "none"] if len(case.positions) else case.positions
        if issues and len(stated):
            stated = stated[stated["issue"].isin(issues)]
        n_pairs = len(stated.groupby(["actor", "issue"])) if len(stated) else 0
        why = f"No actor's stance changed as of {wording.day(as_of)}: " + (
            f"the {wording.plural(n_pairs, 'actor-issue pair')} with a public position "
            f"{'has' if n_pairs == 1 else 'have'} kept the same stance."
            if n_pairs
            else "no public position is recorded yet."
        )
        return empty_chart(
            "position_shifts",
            case,
            "No stance has changed",
            why,
            source_ids=flat_ids(stated["source_ids"]) if len(stated) else (),
        )
    with use_style():
        return _draw(case, groups, as_of, show_korean, max_panels, width)


def _draw(case, groups, as_of, show_korean, max_panels, width) -> Chart:
    n_pairs = len(groups)
    shown = groups[:max_panels]
    events = case.events.set_index("id") if len(case.events) else None
    asx = date_num(as_of)
    starts = pd.concat([g["start"] for g in shown])
    ends = pd.concat([g["end"] for g in shown])
    lo = min(float(date_nums(starts).min()), asx)
    hi = max(float(date_nums(ends).max()) + 1, asx)
    pad = max((hi - lo) * 0.04, 12.0)
    xmin, xmax = lo - pad, hi + pad

    fr = new_frame(width)
    scale = case.stance_scale or {}
    ytick = [f"{wording.signed(s)} {scale.get(s, '')}".strip() for s in (-2, -1, 0, 1, 2)]
    left = (max(fr.m.width(t, MIN_TEXT) for t in ytick) + 12) * PT + 0.1
    right = 0.3
    axw_pt = (width - left - right) * 72
    ppd = axw_pt / (xmax - xmin)
    reach = -(left - MARGIN) * 72  # labels and panel titles may use the room over the tick labels
    panels = [_panel_labels(g, events, fr.m, xmin, ppd, (reach, axw_pt)) for g in shown]
    heights = [HEAD_H + t * TIER_H + STANCE_H for *_, t in panels]
    axis_h = 0.4
    content_h = sum(heights) + GAP_H * (len(panels) - 1) + axis_h

    title = _title(case, groups, scale)
    notes = []
    if n_pairs > len(shown):
        notes.append(
            f"Showing the {len(shown)} largest of {n_pairs:,} changes; the positions table lists all."
        )
    unplaced = sum(p is None for _, _, placed, _ in panels for p in placed)
    if unplaced:
        notes.append(
            f"{wording.plural(unplaced, 'linked event')} {'is' if unplaced == 1 else 'are'} not labelled "
            "for lack of room."
        )
    src_ids = flat_ids(pd.concat([g["source_ids"] for g in shown]))
    linked = [ev for _, labels, _, _ in panels for _, ev, _, _ in labels]
    if linked and events is not None:
        src_ids += flat_ids(events.loc[linked, "source_ids"])
    fig, top, bottom = fr.finish(content_h, title, notes, source_line(case, src_ids), as_of)

    # One axes holds every panel (an axes per panel costs more than the rest of the chart): y is in
    # inches from the axes' bottom, and each panel maps the stance scale into its own band.
    axes_h = content_h - axis_h
    ax = fr.axes(left, top - axes_h, width - left - right, axes_h)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(0, axes_h)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.set_xlabel(
        "Date of the coded position (dots; the line holds each stance until the next)",
        fontsize=7.5,
        color=MUTED,
    )
    lines = _Lines(grid_x=[x for x in locator() if xmin <= x <= xmax], xmin=xmin, xmax=xmax, asx=asx)
    lines.head_x = reach / axw_pt
    rows = []
    y_top = axes_h
    names = actor_labels(case, show_korean)
    for panel in panels:
        head = _panel_head(case, names, panel[0])
        head = fr.m.truncate(head, axw_pt - reach, 8, "bold")
        rows += _draw_panel(ax, panel, y_top, head, ytick, lines, ppd)
        y_top -= HEAD_H + panel[3] * TIER_H + STANCE_H + GAP_H
    ax.set_yticks(lines.ticks)
    ax.set_yticklabels(lines.ticklabels, fontsize=MIN_TEXT)
    ax.add_collection(LineCollection(lines.grid, colors="#EEEEEE", linewidths=0.6, zorder=0, gid="grid"))
    ax.add_collection(
        LineCollection(lines.spine, colors="#999999", linewidths=0.6, zorder=0.5, gid="panel-axis")
    )
    ax.add_collection(
        LineCollection(
            lines.asof, colors=ASOF_COLOUR, linewidths=0.9, linestyles=(0, (4, 2)), zorder=4, gid="asof"
        )
    )

    data = pd.DataFrame(
        rows, columns=["actor", "issue", "position", "date", "stance", "changed", "event", "labelled"]
    )
    alt = _alt_text(case, groups, shown, events, scale, as_of)
    return Chart(
        figure=fig,
        alt_text=alt,
        title=title,
        kind="position_shifts",
        as_of=as_of,
        source_ids=src_ids,
        data=data,
        notes=notes,
        marks=lines.marks,
    )


def _panel_labels(g: pd.DataFrame, events, m, xmin: float, ppd: float, span: tuple[float, float]):
    """For one panel: its positions, the labels of the events linked to its changes
    ``(row, event id, text, x)``, where they are placed in tiers, and how many tiers they use."""
    st = list(g["stance"])
    changes = [k for k in range(1, len(st)) if st[k] != st[k - 1]]
    labels = []
    for k in changes:
        ev_id = str(g["event"].iloc[k]).strip()
        if events is not None and ev_id and ev_id in events.index:
            e = events.loc[ev_id]
            text = f"{e['title']} ({fmt_event_date(e)})"
            labels.append((k, ev_id, text, date_num(g["start"].iloc[k])))
    items = [((x - xmin) * ppd, m.width(t, LABEL_SIZE) + 4) for _, _, t, x in labels]
    placed = place_in_tiers(items, span[0], span[1], 3, gap=6)
    tiers = max((p[0] + 1 for p in placed if p), default=0)
    return g, labels, placed, tiers


def _title(case, groups: list[pd.DataFrame], scale: dict) -> str:
    """How many actors changed stance, and the largest move."""
    g0 = groups[0]
    a0, i0 = g0["actor"].iloc[0], g0["issue"].iloc[0]
    s_first, s_last = int(g0["stance"].iloc[0]), int(g0["stance"].iloc[-1])
    n_pairs = len(groups)
    n_actors = len({g["actor"].iloc[0] for g in groups})
    n_issues = len({g["issue"].iloc[0] for g in groups})
    word = lambda s: scale.get(s, wording.signed(s))  # noqa: E731
    move = f"from {word(s_first)} to {word(s_last)}" if s_first != s_last else f"back to {word(s_last)}"
    if n_pairs == 1:
        return f"{case.actor_name(a0)} changed stance on {case.issue_label(i0)}: {move}"
    title = f"{wording.plural(n_actors, 'actor')} changed stance"
    if n_pairs > n_actors:
        title += f" ({wording.plural(n_pairs, 'actor-issue pair')})"
    if n_issues == 1:
        title += f" on {case.issue_label(i0)}; largest move: {case.actor_name(a0)}, {move}"
    else:
        title += f"; largest move: {case.actor_name(a0)} on {case.issue_label(i0)}, {move}"
    return title


def _panel_head(case, names: dict, g: pd.DataFrame) -> str:
    """'Actor on Issue: −1 → +1' (each distinct stance in turn)."""
    actor, issue = g["actor"].iloc[0], g["issue"].iloc[0]
    st = list(g["stance"])
    path = [v for k, v in enumerate(st) if k == 0 or v != st[k - 1]]
    return f"{names.get(actor, actor)} on {case.issue_label(issue)}: " + " \u2192 ".join(
        wording.signed(v) for v in path
    )


@dataclass
class _Lines:
    """What the panels share and add to: the x grid and range, the as-of date, and the ticks and
    line segments collected from every panel (drawn as one collection each at the end)."""

    grid_x: list[float]
    xmin: float
    xmax: float
    asx: float
    ticks: list[float] = field(default_factory=list)
    ticklabels: list[str] = field(default_factory=list)
    grid: list = field(default_factory=list)
    spine: list = field(default_factory=list)
    asof: list = field(default_factory=list)
    marks: dict = field(default_factory=dict)
    head_x: float = 0.0  # where panel titles start, in axes fraction


def _draw_panel(
    ax, panel, y_top: float, head: str, ytick: list[str], lines: _Lines, ppd: float
) -> list[dict]:
    """One panel from ``y_top`` down: its title, stance band, step line, dots, month brackets and
    event labels; returns one row per position."""
    g, labels, placed, tiers = panel
    yb = y_top - (HEAD_H + tiers * TIER_H + STANCE_H)  # bottom of this panel's stance band
    unit = STANCE_H / 5.2  # inches per stance step

    def y_of(stance: float) -> float:
        return yb + (stance + 2.6) * unit

    xmin, xmax, asx = lines.xmin, lines.xmax, lines.asx
    st = list(g["stance"])
    gid = f"shift-points-{len(lines.spine)}"  # one scatter per panel
    who = head.split(": ")[0]
    lines.marks[gid] = [
        Mark(f"{who}: {wording.signed(r.stance)} ({wording.partial_or_text(r.date)})", tuple(r.source_ids))
        for r in g.itertuples()
    ]
    ax.text(
        lines.head_x,
        y_top - 0.02,
        head,
        transform=ax.get_yaxis_transform(),
        ha="left",
        va="top",
        fontsize=8,
        fontweight="bold",
        gid="panel-title",
    )
    for v in (-2, -1, 0, 1, 2):
        lines.ticks.append(y_of(v))
        lines.ticklabels.append(ytick[v + 2])
        lines.grid.append([(xmin, y_of(v)), (xmax, y_of(v))])
    lines.spine.append([(xmin, y_of(-2)), (xmin, y_of(2))])
    lines.grid.extend([(x, y_of(-2.4)), (x, y_of(2.4))] for x in lines.grid_x)
    lines.asof.append([(asx, y_of(-2.6)), (asx, y_of(2.6))])
    xs = list(date_nums(g["start"]))
    ys = [y_of(v) for v in st]
    ax.step(xs + [asx], ys + [ys[-1]], where="post", color="#4D4D4D", lw=1.4, zorder=2, gid="shift-line")
    low = (g["confidence"] == "low").tolist()
    cols = [stance_colour(v) for v in st]
    ax.scatter(
        xs,
        ys,
        s=34,
        c=["white" if lw else c for c, lw in zip(cols, low, strict=True)],
        edgecolors=[hollow_edge(c) if lw else "#222222" for c, lw in zip(cols, low, strict=True)],
        linewidths=0.9,
        zorder=3,
        gid=gid,
    )
    for r in g.itertuples():
        if r.start != r.end:  # month or year precision: the whole span it may fall in
            ax.plot(
                [date_num(r.start), date_num(r.end) + 1],
                [y_of(r.stance - 0.22)] * 2,
                color=MUTED,
                lw=0.8,
                marker="|",
                markersize=4,
                zorder=2.5,
                gid="shift-span",
            )
    done = _draw_event_labels(ax, labels, placed, ys, yb + STANCE_H, xmin, ppd)
    actor, issue = g["actor"].iloc[0], g["issue"].iloc[0]
    return [
        {
            "actor": actor,
            "issue": issue,
            "position": r.id,
            "date": r.date,
            "stance": int(r.stance),
            "changed": k > 0 and st[k] != st[k - 1],
            "event": str(r.event) if str(r.event).strip() else "",
            "labelled": k in done,
        }
        for k, r in enumerate(g.itertuples())
    ]


def _draw_event_labels(ax, labels, placed, ys: list[float], band_y: float, xmin: float, ppd: float) -> set:
    """The linked events' labels in tiers above the stance band (from ``band_y``), each on a pole
    from its step; returns the rows whose change is labelled."""
    for (k, _, text, x), p in zip(labels, placed, strict=True):
        if p is None:
            continue
        t, left_pt = p
        ty = band_y + (t + 0.5) * TIER_H
        ax.text(
            xmin + (left_pt + 2) / ppd,
            ty,
            text,
            ha="left",
            va="center",
            fontsize=LABEL_SIZE,
            color="#222222",
            zorder=5,
            gid="event-label",
            bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none"},
        )
        ax.plot([x, x], [ys[k], ty + LABEL_SIZE * 0.6 * PT], color="#8A8A8A", lw=0.6, zorder=1, gid="leader")
    return {lab[0] for lab, pl in zip(labels, placed, strict=True) if pl is not None}


def _alt_text(case, groups, shown, events, scale, as_of) -> str:
    n = len(groups)
    s = (
        f"Step chart of stance over time, as of {wording.day(as_of)}, for "
        f"{wording.plural(n, 'actor-issue pair')} whose stance changed"
    )
    bits = []
    for g in shown[:4]:
        st = list(g["stance"])
        bit = (
            f"{case.actor_name(g['actor'].iloc[0])} on {case.issue_label(g['issue'].iloc[0])} moved from "
            f"{wording.signed(st[0])} to {wording.signed(st[-1])}"
        )
        k = next((k for k in range(1, len(st)) if st[k] != st[k - 1]), None)
        ev_id = str(g["event"].iloc[k]).strip() if k is not None else ""
        if ev_id and events is not None and ev_id in events.index:
            bit += f" (with {events.at[ev_id, 'title']}, {fmt_event_date(events.loc[ev_id])})"
        bits.append(bit)
    s += ": " + "; ".join(bits)
    if n > 4:
        s += f"; and {n - 4} more"
    return s + "."


__all__ = ["position_shifts", "find_shifts"]
