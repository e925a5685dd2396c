"""How the timeline draws its events: single marks (a dot for a known day, a dashed box for a month or
year, a bar for a range), counts per period when there are too many, and the claims of disputed
dates. Each function adds to an axes whose y is the sub-row and x the matplotlib date number."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis import wording
from analysis.charts.captions import fmt_event_date
from analysis.charts.layout import date_nums
from analysis.charts.style import DISPUTE_COLOUR, hollow_edge
from analysis.charts.svg import Mark


def _rect(x0: float, x1: float, y: float, h: float) -> list[tuple[float, float]]:
    return [(x0, y - h), (x1, y - h), (x1, y + h), (x0, y + h)]


def draw_marks(ax, ev: pd.DataFrame, colours: dict, handles: list) -> None:
    day = ev[ev["kind"] == "day"]
    if len(day):
        col = [colours[ln] for ln in day["lane"]]
        low = (day["confidence"] == "low").to_numpy()
        face = ["white" if lw else c for c, lw in zip(col, low, strict=True)]
        edge = [
            "#111111" if k and not lw else (hollow_edge(c) if lw else c)
            for c, k, lw in zip(col, day["key"], low, strict=True)
        ]
        size = np.where(day["key"], 46, 20)
        ax.scatter(
            day["x0"],
            day["y"],
            s=size,
            c=face,
            edgecolors=edge,
            linewidths=np.where(day["key"] | low, 1.1, 0.4),
            zorder=3,
            gid="events-day",
        )
        handles.append(Line2D([], [], marker="o", ls="", color="#555555", markersize=5, label="day known"))
    for kind, h, gid, label in (
        ("span", 0.3, "events-span", "only month or year known"),
        ("range", 0.16, "events-range", "lasted (date range)"),
    ):
        sub = ev[ev["kind"] == kind]
        if not len(sub):
            continue
        verts = [_rect(r.x0, r.x1, r.y, h) for r in sub.itertuples()]
        low = (sub["confidence"] == "low").to_numpy()
        col = [colours[ln] for ln in sub["lane"]]
        if kind == "span":
            face = [(0, 0, 0, 0) if lw else _alpha(c, 0.22) for c, lw in zip(col, low, strict=True)]
            pc = PolyCollection(
                verts,
                facecolors=face,
                edgecolors=col,
                linewidths=np.where(sub["key"], 1.3, 0.8),
                linestyles="--",
                zorder=2,
                gid=gid,
            )
            handles.append(
                Patch(facecolor=_alpha("#555555", 0.22), edgecolor="#555555", ls="--", label=label)
            )
        else:
            face = [(1, 1, 1, 1) if lw else c for c, lw in zip(col, low, strict=True)]
            edge = ["#111111" if k else c for c, k in zip(col, sub["key"], strict=True)]
            pc = PolyCollection(
                verts,
                facecolors=face,
                edgecolors=edge,
                linewidths=np.where(sub["key"], 1.0, 0.6),
                zorder=2.5,
                gid=gid,
            )
            handles.append(Patch(facecolor="#555555", label=label))
        ax.add_collection(pc)
    if ev["key"].any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="#555555",
                mec="#111111",
                mew=1.1,
                markersize=7,
                label="key event (labelled)",
            )
        )
    if (ev["confidence"] == "low").any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="white",
                mec="#555555",
                mew=1.1,
                markersize=5,
                label="low confidence (hollow)",
            )
        )


def _alpha(colour: str, a: float) -> tuple[float, float, float, float]:
    return to_rgba(colour, a)


def draw_counts(ax, ev: pd.DataFrame, lane_order: list[str], base: dict, freq: str, colours: dict) -> None:
    per = ev["start"].dt.to_period(freq)
    counts = ev.assign(per=per).groupby(["lane", "per"], observed=True).size()
    top = counts.max()
    periods = counts.index.get_level_values("per")
    x0 = date_nums(pd.Series(periods.start_time))
    x1 = date_nums(pd.Series(periods.end_time)) + 1
    lanes_of = counts.index.get_level_values("lane")
    y_bottom = np.array([base[ln] + 2 for ln in lanes_of], dtype=float)
    h = 1.8 * counts.to_numpy() / top
    verts = np.stack(
        [
            np.column_stack([x0, y_bottom]),
            np.column_stack([x1, y_bottom]),
            np.column_stack([x1, y_bottom - h]),
            np.column_stack([x0, y_bottom - h]),
        ],
        axis=1,
    )
    ax.add_collection(
        PolyCollection(
            verts,
            facecolors=[colours[ln] for ln in lanes_of],
            edgecolors="white",
            linewidths=0.2,
            zorder=2,
            gid="counts",
        )
    )


def draw_disputes(ax, ev: pd.DataFrame, disputed: dict, handles: list) -> None:
    if not disputed:
        return
    rows = ev[ev["disputed"]]
    xs, ys = [], []
    for r in rows.itertuples():
        claims = disputed.get(r.id, [])
        y = r.y
        if claims:
            cx = [c[0] for c in claims]
            ax.plot(
                [min(cx), max(cx)],
                [y, y],
                color=DISPUTE_COLOUR,
                lw=0.8,
                ls=":",
                zorder=2.8,
                gid="dispute-span",
            )
            xs.extend(cx)
            ys.extend([y] * len(cx))
        x = (r.x0 + r.x1) / 2 if r.kind != "day" else r.x0
        ax.annotate(
            "?",
            (x, y),
            xytext=(0, 5.5),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            color=DISPUTE_COLOUR,
            zorder=6,
            gid="disputed-mark",
        )
    if xs:
        ax.scatter(
            xs,
            ys,
            s=18,
            marker="D",
            facecolors="none",
            edgecolors=DISPUTE_COLOUR,
            linewidths=0.9,
            zorder=2.9,
            gid="dispute-claims",
        )
    handles.append(
        Line2D(
            [],
            [],
            marker="D",
            ls=":",
            color=DISPUTE_COLOUR,
            mfc="none",
            markersize=4,
            label="? date disputed (dates claimed)",
        )
    )


def tooltips(ev: pd.DataFrame) -> dict[str, list[Mark]]:
    """Each mark's tooltip, per collection of marks (one per kind of date): title, date, sources."""
    return {
        f"events-{kind}": [
            Mark(f"{r.title} ({fmt_event_date(r)})", tuple(r.source_ids)) for r in sub.itertuples()
        ]
        for kind, sub in ev.groupby("kind", sort=False)
    }


def merged_note(merged: list[str], lanes: str, other: str) -> list[str]:
    """The note naming the groups (or categories) that share the 'Other' lane, if any."""
    if not merged:
        return []
    kind = "groups" if lanes == "group" else "categories"
    return [f"The {len(merged)} smallest {kind} share the lane ‘{other}’ "
            f"({wording.join([f'‘{m}’' for m in merged], limit=6)})."]
