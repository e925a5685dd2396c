"""Position matrix: every actor's latest stance on every issue, in one grid.

    position_matrix(case, issues=None, *, show_korean=False, max_rows=40, width=None) -> Chart

Rows are actors grouped by actor type (in the order of the case's vocabulary: the schema's types, then
the case's own as ``case.yaml`` declares them; a bold heading per type, its label from the vocabulary),
columns are issues (``issues``: a list of ids, default all). A cell is coloured on a diverging,
colour-blind-safe scale (orange opposes, purple supports, grey neutral) and carries the value (-2..+2);
a cell with a dashed border and the tag "low" is a low-confidence coding. A cell whose latest row says
``basis = none`` reads "no public position"; a cell with no row at all is left blank ("not coded" in the
legend). With more than ``max_rows`` actors the most important are kept, decided once for the brief by
:func:`analysis.importance.choose` (actors named in key judgements always stay, then key actors,
influence where coded, number of positions), and a note on the chart says how many are left out and
where they are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from analysis import importance, wording
from analysis.charts.captions import chart_as_of, flat_ids, source_line
from analysis.charts.chart import Chart, empty_chart
from analysis.charts.layout import MARGIN, MAX_HEIGHT, MIN_TEXT, PT, TEXT_WIDTH, Frame, new_frame
from analysis.charts.position_map import actor_labels
from analysis.charts.style import (
    NO_POSITION_COLOUR,
    NO_POSITION_TEXT,
    STANCE_COLOURS,
    stance_colour,
    text_colour_on,
    use_style,
)
from analysis.charts.svg import Mark
from analysis.vocabulary import case_vocabulary

ROW_H = 0.155  # inches per actor row
NAME_SIZE = 7.5
HEAD_H = 0.2  # inches per actor-type heading
CELL_SIZE = 7.5
NONE_TEXT = "no public position"


def type_order(case) -> dict[str, int]:
    """Actor type -> its rank among the matrix's groups, in the case's vocabulary order (the schema's
    types, then those the case declares; every type its own group, never merged)."""
    return {t: i for i, t in enumerate(case_vocabulary(case).actor_types)}


def type_heading(case, t: str) -> str:
    """The heading of an actor type's group: its label in the case's vocabulary ("Other" when empty)."""
    return case_vocabulary(case).label("actor_types", t) if t else "Other"


def position_matrix(
    case,
    issues: list[str] | None = None,
    *,
    show_korean: bool = False,
    max_rows: int = 40,
    width: float | None = None,
) -> Chart:
    """Draw the actors-by-issues grid of latest stances; see the module docstring."""
    as_of = chart_as_of(case)
    issue_ids = list(issues) if issues else list(case.issues["id"])
    unknown = [i for i in issue_ids if i not in set(case.issues["id"])]
    if unknown:
        raise ValueError(f"unknown issue(s) {', '.join(unknown)}; known: {', '.join(case.issues['id'])}")
    latest = case.latest_positions()
    if not issue_ids:
        return empty_chart("position_matrix", case, "No issues to show", "This case defines no issues.")
    latest = latest[latest["issue"].isin(issue_ids)] if len(latest) else latest
    if latest.empty:
        return empty_chart(
            "position_matrix",
            case,
            "No positions recorded yet",
            f"No actor's position on any issue is recorded as of {wording.day(as_of)}.",
        )
    with use_style():
        return _draw(case, issue_ids, latest, as_of, show_korean, max_rows, width)


def _draw(case, issue_ids, latest, as_of, show_korean, max_rows, width) -> Chart:
    lp = latest.copy()
    lp["stated"] = lp["basis"] != "none"
    rows = min(max_rows, lp["actor"].nunique())
    while True:  # fewer rows until the chart fits a page (its note says how many are shown)
        g = _plan(case, lp, issue_ids, show_korean, rows, width, as_of)
        if g.height <= MAX_HEIGHT or rows <= 10:
            break
        rows -= 1
    fr = g.frame
    fig, top, bottom = fr.finish(g.content_h, g.title, g.notes, g.source, as_of)

    ax = fr.axes(g.name_w * PT + 0.25, top - g.head_h - g.grid_h, g.col_pt * len(issue_ids) * PT, g.grid_h)
    ax.set_xlim(0, len(issue_ids))
    ax.set_ylim(g.grid_h, 0)
    ax.set_axis_off()
    for j, t in enumerate(g.head_text):
        ax.text(
            j + 0.5, -0.06, t, ha="center", va="bottom", fontsize=7.8, fontweight="bold", gid="issue-label"
        )
    words = (dict(g.per_actor["name"]), {i: case.issue_label(i) for i in issue_ids})
    cells, marks = _draw_rows(
        ax, g.layout, issue_ids, lp.set_index(["actor", "issue"]), g.names, -g.name_w / g.col_pt, words
    )
    _draw_legend(fig, case.stance_scale, g.legend_cols, 0.18 / g.width, bottom + g.legend_h - 0.04)

    data = pd.DataFrame(cells, columns=["actor", "issue", "stance", "state", "confidence"])
    alt = _alt_text(case, g.per_actor, issue_ids, data, g.summary, as_of, g.n_all)
    return Chart(
        figure=fig,
        alt_text=alt,
        title=g.title,
        kind="position_matrix",
        as_of=as_of,
        source_ids=g.source_ids,
        data=data,
        notes=g.notes,
        marks=marks,
    )


@dataclass
class _Plan:
    """The matrix laid out before drawing: who is shown, the sizes, the words; ``height`` is the
    whole figure's, in inches."""

    frame: Frame
    per_actor: pd.DataFrame
    notes: list[str]
    n_all: int
    width: float
    name_w: float
    col_pt: float
    names: dict
    head_text: list[str]
    head_h: float
    layout: list
    grid_h: float
    legend_cols: int
    legend_h: float
    content_h: float
    summary: pd.DataFrame
    title: str
    source_ids: list[str]
    source: str
    height: float


def _plan(case, lp: pd.DataFrame, issue_ids: list[str], show_korean: bool, rows: int, width, as_of) -> _Plan:
    """Lay the matrix out for at most ``rows`` actors (``width`` None: as wide as it needs)."""
    per_actor, notes, n_all = _choose_actors(case, lp, show_korean, rows)
    fr = new_frame(width or TEXT_WIDTH)
    name_w = min(max(fr.m.width(n, NAME_SIZE) for n in per_actor["name"]), 2.4 * 72) + 16
    fixed_w = width
    if fixed_w is None:
        fixed_w = min(max(name_w * PT + len(issue_ids) * 78.0 * PT + 0.6, 6.0), TEXT_WIDTH)
        fr = new_frame(fixed_w)
    col_pt = (fixed_w - name_w * PT - 0.5) * 72 / len(issue_ids)
    names = {
        a: fr.m.wrap(per_actor.at[a, "name"], name_w - 15, NAME_SIZE, max_lines=2) for a in per_actor.index
    }
    head_text = [fr.m.wrap(case.issue_label(i), col_pt - 6, 7.8, "bold", max_lines=3) for i in issue_ids]
    head_h = max(t.count("\n") + 1 for t in head_text) * 7.8 * 1.25 * PT + 0.12
    layout, grid_h = _row_layout(per_actor, names)
    legend_cols = 3 if fixed_w >= 6.0 else 2
    legend_h = -(-9 // legend_cols) * 0.19 + 0.08  # at most 9 entries
    content_h = head_h + grid_h + legend_h
    stated = lp[lp["stated"] & lp["actor"].isin(per_actor.index)].copy()
    stated["stance"] = stated["stance"].astype(int)
    summary = _summary(case, issue_ids, stated)
    title = _title(summary, issue_ids)
    source_ids = flat_ids(lp.loc[lp["actor"].isin(per_actor.index), "source_ids"])
    source = source_line(case, source_ids)
    height = content_h + fr.text_block(title, notes)[2] + fr.footer_block(source, as_of)[2] + 2 * MARGIN
    return _Plan(
        fr,
        per_actor,
        notes,
        n_all,
        fixed_w,
        name_w,
        col_pt,
        names,
        head_text,
        head_h,
        layout,
        grid_h,
        legend_cols,
        legend_h,
        content_h,
        summary,
        title,
        source_ids,
        source,
        height,
    )


def _choose_actors(case, lp: pd.DataFrame, show_korean: bool, max_rows: int):
    """The actors drawn (their type, printed name and order) with the note on any left out, and
    how many there were. Beyond ``max_rows`` those with the most stated positions are kept."""
    actors = case.actors.set_index("id")
    per_actor = lp.groupby("actor").agg(n_stated=("stated", "sum"), top_influence=("influence", "max"))
    per_actor["type"] = [str(actors.at[a, "type"]) if a in actors.index else "" for a in per_actor.index]
    labels = actor_labels(case, show_korean)
    per_actor["name"] = [labels.get(a, a) for a in per_actor.index]
    order = type_order(case)
    per_actor["order"] = [order.get(t, len(order)) for t in per_actor["type"]]
    per_actor["heading"] = [type_heading(case, t) for t in per_actor["type"]]
    notes = []
    n_all = len(per_actor)
    if n_all > max_rows:
        issues = sorted(set(lp["issue"]))
        chosen = importance.choose(case, issues, max_rows, among=list(per_actor.index),
                                   what="actors with positions", where="listed in the positions tables")
        notes.append(f"Showing {len(chosen.shown)} of {n_all:,} actors ({importance.CRITERIA}). "
                     + chosen.reason)
        per_actor = per_actor.loc[chosen.shown]
    per_actor = per_actor.sort_values(
        ["order", "name"], key=lambda s: s.str.casefold() if s.dtype == object else s
    )
    return per_actor, notes, n_all


def _row_layout(per_actor: pd.DataFrame, names: dict) -> tuple[list, float]:
    """Rows top to bottom, a type heading then its actors: ``(kind, key, y_top, height)`` in inches
    from the grid's top, and the grid's height."""
    layout = []
    y = 0.0
    for _, grp in per_actor.groupby(["order", "type"], sort=True):
        layout.append(("head", grp["heading"].iloc[0], y, HEAD_H))
        y += HEAD_H
        for a in grp.index:
            h = ROW_H if "\n" not in names[a] else ROW_H + 0.12
            layout.append(("actor", a, y, h))
            y += h
    return layout, y


def _summary(case, issue_ids: list[str], stated: pd.DataFrame) -> pd.DataFrame:
    """Per issue: its label, how many stated positions, how many support and oppose."""
    summary = []
    for i in issue_ids:
        sub = stated[stated["issue"] == i]
        summary.append(
            {
                "issue": i,
                "label": case.issue_label(i),
                "n": len(sub),
                "sup": int((sub["stance"] > 0).sum()),
                "opp": int((sub["stance"] < 0).sum()),
            }
        )
    return pd.DataFrame(summary)


def _title(summ: pd.DataFrame, issue_ids: list[str]) -> str:
    """What stands out: the issue with most support and the one with most opposition."""
    with_pos = summ[summ["n"] > 0]
    if with_pos.empty:
        return "No actor has a public position on these issues yet"
    if len(issue_ids) == 1:
        r = with_pos.iloc[0]
        return (
            f"{r['label']}: {r['sup']} of {wording.plural(int(r['n']), 'actor')} "
            "with a public position support it, "
            f"{r['opp']} oppose"
        )
    ws = with_pos.assign(share_sup=with_pos["sup"] / with_pos["n"], share_opp=with_pos["opp"] / with_pos["n"])
    best = ws.sort_values(["share_sup", "n"], ascending=False).iloc[0]
    worst = ws.sort_values(["share_opp", "n"], ascending=False).iloc[0]
    title = f"Most support on {best['label']} ({best['sup']} of {int(best['n'])} stated positions)"
    if worst["opp"] > 0 and worst["issue"] != best["issue"]:
        title += f"; most opposition on {worst['label']} ({worst['opp']} of {int(worst['n'])})"
    elif worst["opp"] == 0:
        title += "; no stated opposition on any issue"
    return title


def _draw_rows(
    ax, layout: list, issue_ids: list[str], cell: pd.DataFrame, names: dict, head_x: float, words: tuple
) -> tuple[list, dict]:
    """Type headings, actor names and one cell per issue (value, 'low' tag or 'no public position'
    written in it); the cells' boxes are added as one collection per kind. Returns one row per cell
    and each collection's tooltips (``words``: actor id -> name, issue id -> label)."""
    polys = {k: ([], [], []) for k in ("stated", "low", "none", "blank")}  # boxes, fills, tooltips
    rows = []
    for kind, key, y_top, h in layout:
        yc = y_top + h / 2
        if kind == "head":
            ax.text(
                head_x,
                yc + 0.02,
                key,
                ha="left",
                va="center",
                fontsize=8,
                fontweight="bold",
                color="#333333",
                gid="type-heading",
            )
            continue
        ax.text(
            -0.06,
            yc,
            names[key],
            ha="right",
            va="center",
            linespacing=1.05,
            fontsize=NAME_SIZE,
            gid="actor-label",
        )
        for j, i in enumerate(issue_ids):
            box = [
                (j + 0.03, y_top + 0.015),
                (j + 0.97, y_top + 0.015),
                (j + 0.97, y_top + h - 0.015),
                (j + 0.03, y_top + h - 0.015),
            ]
            if (key, i) not in cell.index:
                polys["blank"][0].append(box)
                polys["blank"][2].append(Mark(f"{words[0][key]} on {words[1][i]}: not coded"))
                rows.append(
                    {"actor": key, "issue": i, "stance": None, "state": "not coded", "confidence": ""}
                )
                continue
            r = cell.loc[(key, i)]
            row = _draw_cell(ax, polys, box, j, yc, r)
            rows.append(row | {"actor": key, "issue": i})
            state = wording.signed(row["stance"]) if row["state"] == "stated" else "no public position found"
            when = wording.partial_or_text(r["date"])
            polys[row["kind"]][2].append(
                Mark(f"{words[0][key]} on {words[1][i]}: {state} ({when})", tuple(r["source_ids"]))
            )
    _add_cells(ax, polys)
    gids = {"stated": "cells-stated", "low": "cells-low", "none": "cells-empty", "blank": "cells-not-coded"}
    return rows, {gids[k]: polys[k][2] for k in gids}


def _draw_cell(ax, polys: dict, box: list, j: int, yc: float, r) -> dict:
    """One coded cell: its box goes to ``polys`` by kind, its words are drawn; returns its row."""
    if r["basis"] == "none":
        polys["none"][0].append(box)
        polys["none"][1].append(NO_POSITION_COLOUR)
        ax.text(
            j + 0.5,
            yc,
            NONE_TEXT,
            ha="center",
            va="center",
            fontsize=MIN_TEXT,
            style="italic",
            color=NO_POSITION_TEXT,
            gid="cell-none",
        )
        return {"stance": None, "state": "none", "confidence": r["confidence"], "kind": "none"}
    s = int(r["stance"])
    fill = stance_colour(s)
    group = "low" if r["confidence"] == "low" else "stated"
    polys[group][0].append(box)
    polys[group][1].append(fill)
    ax.text(
        j + 0.5,
        yc,
        wording.signed(s),
        ha="center",
        va="center",
        fontsize=CELL_SIZE,
        fontweight="bold",
        color=text_colour_on(fill),
        gid="cell-value",
    )
    if group == "low":
        ax.text(
            j + 0.93,
            yc,
            "low",
            ha="right",
            va="center",
            fontsize=MIN_TEXT,
            style="italic",
            color=text_colour_on(fill),
            gid="cell-low-tag",
        )
    return {"stance": s, "state": "stated", "confidence": r["confidence"], "kind": group}


def _add_cells(ax, polys: dict) -> None:
    """The cells' boxes, one collection per kind: stated, low confidence, no public position, and
    not coded (left blank: a word in every such cell would drown the others)."""
    styles = {
        "stated": {"edgecolors": "white", "linewidths": 0.5, "gid": "cells-stated"},
        "low": {
            "edgecolors": "#222222",
            "linestyles": (0, (2.5, 1.5)),
            "linewidths": 0.9,
            "gid": "cells-low",
        },
        "none": {"edgecolors": "#D0D0D0", "linewidths": 0.5, "gid": "cells-empty"},
        "blank": {"edgecolors": "#E4E4E4", "linewidths": 0.5, "gid": "cells-not-coded"},
    }
    for kind, style in styles.items():
        boxes, fills, _ = polys[kind]
        if boxes:
            ax.add_collection(
                PolyCollection(boxes, facecolors=fills if kind != "blank" else "#FAFAFA", **style)
            )


def _draw_legend(fig, scale: dict, ncol: int, x: float, top: float) -> None:
    """The stance colours with the case's words for them, then the low, none and blank cells
    (``x`` in figure fraction, ``top`` in inches from the figure's bottom)."""
    handles = [
        Patch(
            facecolor=STANCE_COLOURS[s],
            edgecolor="none",
            label=f"{wording.signed(s)} {scale.get(s, '')}".strip(),
        )
        for s in (-2, -1, 0, 1, 2)
    ]
    handles.append(
        Patch(
            facecolor="#DCDCDC",
            edgecolor="#222222",
            ls=(0, (2.5, 1.5)),
            lw=0.9,
            label="low: low-confidence coding",
        )
    )
    handles.append(Patch(facecolor="white", edgecolor="#BDBDBD", lw=0.5, label=NONE_TEXT + " (none found)"))
    handles.append(Patch(facecolor="#FAFAFA", edgecolor="#E4E4E4", lw=0.5, label="blank: not coded"))
    fig.legend(
        handles=handles,
        loc="upper left",
        ncol=ncol,
        fontsize=7,
        bbox_to_anchor=(x, top / fig.get_size_inches()[1]),
        borderaxespad=0,
        handlelength=1.4,
        columnspacing=1.2,
    )


def _alt_text(case, per_actor, issue_ids, data, summ, as_of, n_all) -> str:
    n_act = len(per_actor)
    s = (
        f"Matrix of the latest stances of {wording.plural(n_act, 'actor')}"
        f"{f' (of {n_all:,})' if n_all > n_act else ''} on {wording.plural(len(issue_ids), 'issue')} as of "
        f"{wording.day(as_of)}, grouped by actor type. "
    )
    parts = []
    for r in summ.itertuples():
        none = int(((data["issue"] == r.issue) & (data["state"] == "none")).sum())
        bit = f"{r.label}: {r.sup} support, {r.opp} oppose"
        neu = r.n - r.sup - r.opp
        if neu:
            bit += f", {neu} neutral"
        if none:
            bit += f", {none} with no public position"
        parts.append(bit)
    s += "; ".join(parts[:6])
    if len(parts) > 6:
        s += f"; and {len(parts) - 6} more issues"
    return s + "."


__all__ = ["position_matrix"]
