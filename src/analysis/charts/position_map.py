"""Stakeholder position map for one issue: who stands where, and how much they can move the outcome.

    position_map(case, issue=None, *, show_korean=False, max_per_cell=14, max_actors=60,
                 width=TEXT_WIDTH, name_lines=4, legend=True) -> Chart

``issue`` is an issue id (default: ``main_issue`` in case.yaml, else the first issue). Each actor's
latest position (``Case.latest_positions``) is placed in a grid: stance on x (the case's stance
scale, -2..+2), influence on y (1..5). Both are ordinal codings, so actors sharing a cell are stacked
in it, most important first (:mod:`analysis.importance`), each with its name beside its marker: labels
cannot overlap by construction. Marker colour and shape give the actor type, marker area the salience
(1..5), and a hollow marker a low-confidence coding. Influence and salience may be "not coded" (empty):
such an actor is placed by its stance in a band of its own, "not coded", below the coded bands, with a
marker of one fixed size named in the legend, never at a made-up value. Actors whose latest row has
``basis = none`` are *not* drawn at zero; they are listed under the grid under "No public position".
A cell holding more than ``max_per_cell`` actors names the most important (those named in key
judgements always) and ends in "+N more", and the cap is lowered until at most ``max_actors`` are
named; a note says so. ``name_lines`` caps the lines of a wrapped name (a longer one ends in an
ellipsis, its tooltip and the positions table give it whole): fewer lines make a lower map. ``legend``
False leaves the marker key out for a compact map and says in a note what the markers show.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D

from analysis import importance, wording
from analysis.charts.captions import chart_as_of, flat_ids, source_line
from analysis.charts.chart import Chart, empty_chart
from analysis.charts.layout import MARGIN, PT, TEXT_WIDTH, new_frame
from analysis.charts.style import MUTED, actor_type_style, hollow_edge, type_styles, use_style
from analysis.charts.svg import Mark
from analysis.vocabulary import case_vocabulary

NAME_SIZE = 7.2
LINE_PT = NAME_SIZE * 1.2  # one line of a name, in points
GAP_PT = 2.5  # between two stacked actors
STANCES = (-2, -1, 0, 1, 2)
INFLUENCES = (1, 2, 3, 4, 5)
INFLUENCE_WORDS = {1: "little", 2: "some", 3: "moderate", 4: "strong", 5: "decisive"}
NOT_CODED = 0  # the band (and grid key) of actors whose influence is not coded
NOT_CODED_AREA = 18.0  # marker area of an actor whose salience is not coded
SIDE_W = 3.1  # inches for the "no public position" list under the grid (the legend is beside it)


def default_issue(case) -> str:
    """The issue a one-issue chart shows by default: ``main_issue`` in case.yaml, else the first."""
    main = case.meta.get("main_issue")
    if main and main in set(case.issues["id"]):
        return str(main)
    if len(case.issues):
        return str(case.issues["id"].iloc[0])
    raise ValueError("this case has no issues")


def marker_area(salience) -> float:
    """Marker area in points squared for salience 1..5 (a fixed size when it is not coded)."""
    if pd.isna(salience):
        return NOT_CODED_AREA
    return 10.0 + 11.0 * float(salience)


def actor_labels(case, show_korean: bool = False) -> dict[str, str]:
    """Actor id -> the name a chart prints (with the Hangul name after it when asked and known)."""
    ko = case.actors["name_local"] if "name_local" in case.actors else [""] * len(case.actors)
    return {
        str(a): (f"{n} {k.strip()}" if show_korean and str(k).strip() else str(n))
        for a, n, k in zip(case.actors["id"], case.actors["name"], ko, strict=True)
    }


def position_map(
    case,
    issue: str | None = None,
    *,
    show_korean: bool = False,
    max_per_cell: int = 14,
    max_actors: int = 60,
    width: float = TEXT_WIDTH,
    name_lines: int = 4,
    legend: bool = True,
) -> Chart:
    """Draw where each actor stands on ``issue``; see the module docstring for the encoding."""
    issue = issue or default_issue(case)
    if issue not in set(case.issues["id"]):
        raise ValueError(f"unknown issue {issue!r}; known: {', '.join(case.issues['id'])}")
    as_of = chart_as_of(case)
    label = case.issue_label(issue)
    latest = case.latest_positions()
    latest = latest[latest["issue"] == issue] if len(latest) else latest
    if latest.empty:
        return empty_chart(
            "position_map",
            case,
            f"{label}: no positions recorded",
            f"No actor's position on {label} is recorded as of {wording.day(as_of)}.",
        )
    with use_style():
        return _draw(case, issue, label, latest, as_of, show_korean, max_per_cell, max_actors, width,
                     name_lines, legend)


def _draw(case, issue, label, latest, as_of, show_korean, max_per_cell, max_actors, width,
          name_lines=4, legend=True) -> Chart:
    lp, stated, none = _sort_positions(case, latest, show_korean)
    n_stated = len(stated)
    n_sup = int((stated["stance"] > 0).sum())
    n_opp = int((stated["stance"] < 0).sum())
    n_neu = n_stated - n_sup - n_opp
    coded = set(lp["actor"])
    n_not_coded = int((~case.actors["id"].isin(coded)).sum())

    fr = new_frame(width)
    levels = _levels(stated)
    ytick = [f"{i} {INFLUENCE_WORDS[i]}" if i != NOT_CODED else "not coded" for i in levels]
    ylab_w = (max(fr.m.width(t, 7.5) for t in ytick) + 8.5 * 1.2 + 14) * PT
    grid_w = width - ylab_w - 0.25
    cols = _columns(stated, grid_w * 72)
    stated["text"] = [  # the marker column and gaps take 16 points
        fr.m.wrap(n, cols[s][1] - 16, NAME_SIZE, max_lines=name_lines)
        for n, s in zip(stated["name"], stated["stance"], strict=True)
    ]
    stated["lines"] = [t.count("\n") + 1 for t in stated["text"]]
    order = importance.rank(case, [issue], among=list(stated["actor"]))
    stated["importance"] = stated["actor"].map(dict(zip(order["actor"], order["rank"], strict=True)))
    stated["named"] = stated["actor"].isin(set(order.loc[order["in_judgement"], "actor"]))
    cells, overflow = _fill_cells(stated, max_per_cell, max_actors)
    band_pt = {}
    for inf in levels:
        need = [_stack_height(cells[(s, inf)], (s, inf) in overflow) for s in STANCES if (s, inf) in cells]
        band_pt[inf] = max(max(need, default=0) + 5, 20)
    grid_h = sum(band_pt.values()) * PT
    side_lines = _side_text(case, none, n_not_coded, label, fr, show_korean)
    side_h = (side_lines.count("\n") + 1) * 7.5 * 1.3 * PT
    vocab = case_vocabulary(case)
    types = {t: vocab.label("actor_types", t) for t in sorted(set(stated["type"]))}
    n_entries = len(types) + 5 + bool(stated["salience"].isna().any())
    legend_h = (-(-n_entries // 2) * 9.4 + 16) * PT if n_stated and legend else 0.0  # two columns, a title
    xlab_h = 0.52  # two lines of stance ticks and the axis title
    content_h = grid_h + 0.05 + xlab_h + max(side_h, legend_h)

    if n_stated:
        title = (
            f"{label}: {n_sup} of {wording.plural(n_stated, 'actor')} with a public position support it, "
            f"{n_opp} oppose{'s' if n_opp == 1 else ''}"
        )
        if n_neu:
            title += f", {n_neu} neutral"
    else:
        title = f"{label}: no actor has a public position"
    notes = []
    if overflow:
        hidden = sum(overflow.values())
        notes.append(
            f"{wording.plural(hidden, 'actor')} in crowded cells {'is' if hidden == 1 else 'are'} counted as "
            f"'+N more' (each cell names its most important: {importance.CRITERIA}); the positions "
            "table lists all."
        )
    if n_stated and not legend:
        notes.append("Each name is printed beside its marker; the marker's colour and shape show the actor's "
                     "type, its size the salience, a hollow one a low-confidence coding.")
    src_ids = flat_ids(lp["source_ids"])
    fig, top, bottom = fr.finish(content_h, title, notes, source_line(case, src_ids), as_of)

    ax = fr.axes(ylab_w, top - grid_h - 0.05, grid_w, grid_h)
    y0 = _draw_grid(ax, fr.m, band_pt, ytick, case.stance_scale or {s: str(s) for s in STANCES}, cols, label)
    styles = type_styles(vocab.actor_types)
    rows, marks = _draw_actors(ax, cells, overflow, y0, band_pt, cols, styles)
    if not n_stated:
        ax.text(
            grid_w * 72 / 2,
            sum(band_pt.values()) / 2,
            f"No actor has a public position on {label} as of {wording.day(as_of)}.",
            ha="center",
            va="center",
            fontsize=9,
            color=MUTED,
            gid="empty-reason",
        )
    # under the grid: who has no public position on the left, the marker legend beside it
    below = top - 0.05 - grid_h - xlab_h
    _draw_side(fig, side_lines, MARGIN / width, below)
    if n_stated and legend:
        _draw_legend(fig, types, styles, (MARGIN + SIDE_W) / width, below, stated["salience"].isna().any())

    data = pd.DataFrame(
        rows, columns=["actor", "name", "stance", "influence", "salience", "confidence", "x", "y"]
    )
    alt = _alt_text(case, label, stated, none, n_sup, n_opp, n_neu, n_not_coded, as_of)
    return Chart(
        figure=fig,
        alt_text=alt,
        title=title,
        kind="position_map",
        as_of=as_of,
        source_ids=src_ids,
        data=data,
        notes=notes,
        marks=marks,
    )


def _sort_positions(case, latest: pd.DataFrame, show_korean: bool):
    """The latest positions with the names and types a chart prints: all of them, the stated ones
    (by stance, influence, salience, name) and those with no public position (by name)."""
    types = dict(zip(case.actors["id"], case.actors["type"], strict=False))
    lp = latest.copy()
    names = actor_labels(case, show_korean)
    lp["name"] = [names.get(a, a) for a in lp["actor"]]
    lp["type"] = [types.get(a, "") for a in lp["actor"]]
    stated = lp[lp["basis"] != "none"].copy()
    none = lp[lp["basis"] == "none"].sort_values("name", key=lambda s: s.str.casefold())
    stated["stance"] = stated["stance"].astype(int)
    stated["band"] = stated["influence"].fillna(NOT_CODED).astype(int)
    stated = stated.sort_values(
        ["stance", "influence", "salience", "name"], ascending=[True, False, False, True], key=_casefold
    )
    return lp, stated, none


def _fill_cells(stated: pd.DataFrame, max_per_cell: int, max_actors: int):
    """Actors per (stance, influence) cell, most important first (:func:`analysis.importance.rank`:
    ``importance``), and how many each crowded cell leaves out. The cap per cell is lowered until at
    most ``max_actors`` are drawn: a crowded map cannot be read. An actor named in a key judgement
    (``named``) is always drawn, past the cap if need be."""
    cells: dict[tuple[int, int], pd.DataFrame] = {}
    overflow: dict[tuple[int, int], int] = {}
    sizes = stated.groupby(["stance", "band"]).size()
    cap = max_per_cell
    while cap > 2 and sum(n if n <= cap else cap - 1 for n in sizes) > max_actors:
        cap -= 1
    for (s, inf), grp in stated.groupby(["stance", "band"], sort=True):
        grp = grp.sort_values(["importance", "name"], key=_casefold)
        if len(grp) > cap:
            keep = grp.iloc[: cap - 1]
            keep = pd.concat([keep, grp.iloc[cap - 1 :][grp.iloc[cap - 1 :]["named"]]])
            if len(keep) < len(grp):
                overflow[(int(s), int(inf))] = len(grp) - len(keep)
            grp = keep
        cells[(int(s), int(inf))] = grp
    return cells, overflow


def _columns(stated: pd.DataFrame, grid_pt: float) -> dict[int, tuple[float, float]]:
    """Each stance column's ``(left, width)`` in points: at least 54 points (44 if empty), and the
    rest shared in proportion to the column's most crowded cell, so names wrap less where many
    stand together."""
    crowd = stated.groupby(["stance", "band"]).size().groupby(level=0).max() if len(stated) else {}
    need = {s: float(crowd.get(s, 0)) + (1 if crowd.get(s, 0) else 0) for s in STANCES}
    floor = {s: 54.0 if need[s] else 44.0 for s in STANCES}  # an empty column only carries its tick
    spare = grid_pt - sum(floor.values())
    total = sum(need.values())
    out, left = {}, 0.0
    for s in STANCES:
        w = floor[s] + (spare * need[s] / total if total else spare / len(STANCES))
        out[s] = (left, w)
        left += w
    return out


def _draw_grid(ax, m, band_pt: dict, ytick: list[str], scale: dict, cols: dict, label: str) -> dict:
    """The stance-by-influence grid, its ticks and axis titles; x and y are in points from the
    bottom left. Returns the bottom of each influence band (influence 1 at the bottom)."""
    y0 = {}
    acc = 0.0
    for inf in band_pt:
        y0[inf] = acc
        acc += band_pt[inf]
    ax.set_xlim(0, sum(w for _, w in cols.values()))
    ax.set_ylim(0, sum(band_pt.values()))
    for b in list(y0.values())[1:]:
        ax.axhline(b, color="#E3E3E3", lw=0.7, zorder=0)
    for s in STANCES[1:]:
        ax.axvline(cols[s][0], color="#E3E3E3", lw=0.7, zorder=0)
    ax.axvspan(cols[0][0], cols[0][0] + cols[0][1], color="#F7F7F7", lw=0, zorder=0)
    ax.set_yticks([y0[i] + band_pt[i] / 2 for i in band_pt])
    ax.set_yticklabels(ytick, fontsize=7.5)
    ax.set_xticks([cols[s][0] + cols[s][1] / 2 for s in STANCES])
    ax.set_xticklabels(
        [
            f"{wording.signed(s)}\n{m.wrap(scale.get(s, ''), cols[s][1] - 4, 7.2, max_lines=2)}"
            for s in STANCES
        ],
        fontsize=7.2,
    )
    ax.tick_params(axis="x", length=0)
    ax.set_xlabel(f"Stance on {label} (analyst coding of the latest public position)", fontsize=8)
    ax.set_ylabel("Influence (coded 1–5)", fontsize=8)
    for sp in ("left", "bottom"):
        ax.spines[sp].set_visible(False)
    return y0


def _draw_actors(
    ax, cells: dict, overflow: dict, y0: dict, band_pt: dict, cols: dict, styles: dict
) -> tuple[list, dict]:
    """Each cell's actors stacked and centred in its band, a marker and a name per actor, one
    scatter per actor type; returns one row per actor drawn (``x`` in stance units: the -1 column
    runs from -1.5 to -0.5) and each scatter's tooltips."""
    rows = []
    by_type: dict[str, dict[str, list]] = {}
    for (s, inf), grp in cells.items():
        y = y0[inf] + band_pt[inf] / 2 + _stack_height(grp, (s, inf) in overflow) / 2  # centred in the band
        xm = cols[s][0] + 8  # the marker's centre, in points
        for r in grp.itertuples():
            yc = y - (LINE_PT + GAP_PT) / 2  # the name's first line
            colour, _ = actor_type_style(r.type, styles)
            d = by_type.setdefault(r.type, {"x": [], "y": [], "s": [], "face": [], "edge": [], "marks": []})
            d["x"].append(xm)
            d["y"].append(yc)
            d["s"].append(marker_area(r.salience))
            low = r.confidence == "low"
            d["face"].append("white" if low else colour)
            d["edge"].append(hollow_edge(colour) if low else "#333333")
            d["marks"].append(_mark(r))
            # a two-line name hangs from its first line, which is level with the marker
            ty, va = (yc + NAME_SIZE * 0.6, "top") if r.lines > 1 else (yc, "center")
            ax.text(xm + 7, ty, r.text, ha="left", va=va, fontsize=NAME_SIZE, gid="actor-label")
            rows.append(
                {
                    "actor": r.actor,
                    "name": r.name,
                    "stance": s,
                    "influence": None if inf == NOT_CODED else inf,
                    "salience": None if pd.isna(r.salience) else int(r.salience),
                    "confidence": r.confidence,
                    "x": s - 0.5 + 8 / cols[s][1],
                    "y": yc,
                }
            )
            y -= r.lines * LINE_PT + GAP_PT
        if (s, inf) in overflow:
            ax.text(
                xm,
                y - (LINE_PT + GAP_PT) / 2,
                f"+{overflow[(s, inf)]} more",
                ha="left",
                va="center",
                fontsize=NAME_SIZE,
                style="italic",
                color=MUTED,
                gid="overflow",
            )
    for t in sorted(by_type):
        d = by_type[t]
        _, marker = actor_type_style(t, styles)
        ax.scatter(
            d["x"],
            d["y"],
            s=d["s"],
            marker=marker,
            c=d["face"],
            edgecolors=d["edge"],
            linewidths=0.9,
            zorder=3,
            gid=f"actors-{t or 'other'}",
        )
    return rows, {f"actors-{t or 'other'}": by_type[t]["marks"] for t in sorted(by_type)}


def _stack_height(grp: pd.DataFrame, overflow: bool) -> float:
    """Points a cell's stack of names needs (with its '+N more' line)."""
    return float(grp["lines"].sum() * LINE_PT + (len(grp) + overflow) * GAP_PT + overflow * LINE_PT)


def _mark(r) -> Mark:
    """A position's tooltip: who, the coded stance, influence and salience, and the date."""
    when = wording.partial_or_text(r.date)
    influence, salience = (
        "not coded" if pd.isna(v) else int(v) for v in (r.influence, r.salience)
    )
    text = f"{r.name}: {wording.signed(r.stance)}, influence {influence}, salience {salience} ({when})"
    return Mark(text.replace("\n", " "), tuple(r.source_ids))


def _draw_side(fig, side_lines: str, x: float, top: float) -> None:
    """The 'No public position' list under the grid (``x`` in figure fraction, ``top`` in inches)."""
    fig_h = fig.get_size_inches()[1]
    head, _, body = side_lines.partition("\n")
    fig.text(
        x,
        (top - 0.02) / fig_h,
        head,
        ha="left",
        va="top",
        fontsize=7.5,
        fontweight="bold",
        gid="no-position-heading",
    )
    fig.text(
        x,
        (top - 0.02 - 13 * PT) / fig_h,
        body,
        ha="left",
        va="top",
        fontsize=7.5,
        linespacing=1.3,
        gid="no-position-list",
    )


def _draw_legend(
    fig, types: dict[str, str], styles: dict, x: float, top: float, salience_not_coded: bool = False
):
    """Marker legend in two columns: actor types present (``{type: label}``), salience sizes (and the
    one size of a salience not coded), confidence (``x`` in figure fraction, ``top`` in inches from
    the figure's bottom)."""

    def handle(label, mfc="#777777", mec="#333333", marker="o", markersize=6):
        return Line2D([], [], marker=marker, ls="", mfc=mfc, mec=mec, markersize=markersize, label=label)

    handles = [
        handle(label, mfc=actor_type_style(t, styles)[0], marker=actor_type_style(t, styles)[1])
        for t, label in types.items()
    ]
    handles += [handle(f"salience {s}", mfc="#BBBBBB", markersize=marker_area(s) ** 0.5) for s in (1, 3, 5)]
    if salience_not_coded:
        handles.append(handle("salience not coded", mfc="#BBBBBB", markersize=NOT_CODED_AREA**0.5))
    handles += [handle("high or medium confidence"), handle("low confidence", mfc="white", mec="#777777")]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(x, (top - 0.02) / fig.get_size_inches()[1]),
        fontsize=7,
        ncol=2,
        handletextpad=0.4,
        labelspacing=0.3,
        borderaxespad=0.0,
        title="Marker",
        title_fontsize=7.5,
        alignment="left",
    )


def _levels(stated: pd.DataFrame) -> tuple[int, ...]:
    """The influence bands from the bottom: "not coded" first when some actor has no coded influence."""
    return ((NOT_CODED,) if stated["influence"].isna().any() else ()) + INFLUENCES


def _casefold(s: pd.Series) -> pd.Series:
    return s.str.casefold() if s.dtype == object else s


def _side_text(case, none: pd.DataFrame, n_not_coded: int, label: str, fr, show_korean: bool) -> str:
    width_pt = (SIDE_W - 0.4) * 72
    lines = [f"No public position ({len(none)})"]
    names = list(none["name"])
    shown = names[:18]
    for n in shown:
        lines.append(fr.m.wrap(n, width_pt - 8, 7.5, max_lines=3).replace("\n", "\n   "))
    if len(names) > len(shown):
        lines.append(f"and {len(names) - len(shown)} more")
    if not names:
        lines.append("none")
    if n_not_coded:
        lines.append(
            fr.m.wrap(f"{wording.plural(n_not_coded, 'actor')} not coded on this issue.", width_pt, 7.5)
        )
    return "\n".join(lines)


def _alt_text(case, label, stated, none, n_sup, n_opp, n_neu, n_not_coded, as_of) -> str:
    """Two sentences: who stands where (with the counts), then who weighs most and who is silent."""
    n = len(stated)
    scale = case.stance_scale
    if not n:
        s = f"Position map for {label} as of {wording.day(as_of)}: no actor has a public position."
    else:
        by_weight = stated.sort_values(["influence", "salience", "name"], ascending=[False, False, True])
        sup = list(by_weight.loc[by_weight["stance"] > 0, "name"])
        opp = list(by_weight.loc[by_weight["stance"] < 0, "name"])
        s = f"Position map for {label} as of {wording.day(as_of)}: "
        s += f"{n_sup} of {wording.plural(n, 'actor')} with a public position support it"
        s += f" ({wording.join(sup, limit=4)})" if sup else ""
        s += f", {n_opp} oppose{'s' if n_opp == 1 else ''}" + (
            f" ({wording.join(opp, limit=3)})" if opp else ""
        )
        if n_neu:
            s += f" and {n_neu} {'is' if n_neu == 1 else 'are'} neutral"
        coded = by_weight[by_weight["influence"].notna()]
        if len(coded):
            top = coded.iloc[0]
            word = scale.get(int(top["stance"]), wording.signed(top["stance"]))
            s += f". The most influential ({int(top['influence'])} of 5) is {top['name']}, who {_verb(word)}"
        if len(coded) < n:
            s += f". Influence is not coded for {wording.plural(n - len(coded), 'actor')} with a position"
    rest = []
    if len(none):
        rest.append(f"no public position from {wording.join(list(none['name']), limit=4)}")
    if n_not_coded:
        rest.append(f"{wording.plural(n_not_coded, 'actor')} not coded on this issue")
    if rest:
        s += ("; " if n else " ") + "; ".join(rest)
    return s.rstrip(".") + "."


def _verb(word: str) -> str:
    """'strongly supports' -> 'strongly supports'; 'neutral or ambivalent' -> 'is neutral or ambivalent'."""
    return word if word.split()[-1].endswith("s") and not word.startswith("neutral") else f"is {word}"


__all__ = ["position_map", "default_issue"]
