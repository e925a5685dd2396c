"""Each key judgement's track over time: its likelihood band at every revision, so a reader sees it move.

One small panel per judgement, stacked, drawn at the size it is printed (``TEXT_WIDTH``, no text under
7 pt): the yardstick band (min-max %) held from each revision to the next as a step, a dot per revision
filled by confidence (light = low, dark = high), reconstructed revisions drawn hollow with a dashed band
edge, and the as-of date as a line. Each revision's dot carries a tooltip in the SVG (its term, range,
confidence, date and the sources of its evidence).
"""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pandas as pd

from analysis import wording
from analysis.charts.captions import chart_as_of, source_line
from analysis.charts.chart import Chart, empty_chart
from analysis.charts.layout import MIN_TEXT, PT, TEXT_WIDTH, date_num, new_frame
from analysis.charts.style import ASOF_COLOUR, MUTED, use_style
from analysis.charts.svg import Mark
from analysis.judgements import JudgementHistory

WIDTH = TEXT_WIDTH  # drawn at the width it is printed
PANEL_H = 0.34  # inches per judgement
GAP_H = 0.12
AXIS_H = 0.34
LABEL_SIZE = 7.5
TICK_SIZE = MIN_TEXT
DOT_AREA = 5.5**2  # points squared: a revision's dot
INNER_AREA = 2.4**2
BAND_COLOUR = "#0072B2"
# confidence as the dot's fill: light to dark blue (one hue, so it reads in grey as well)
CONFIDENCE_FILL = {"low": "#C6DBEF", "moderate": "#6BAED6", "high": "#08519C"}


def track_data(history: JudgementHistory, as_of: dt.date) -> pd.DataFrame:
    """One row per revision made by ``as_of``: the marks the chart draws, oldest first per judgement."""
    rows = []
    for j in history:
        for k, r in enumerate(j.revisions):
            if r.date > as_of:
                continue
            lo, hi = history.bands.get(r.likelihood, (float("nan"), float("nan")))
            nxt = next((x.date for x in j.revisions[k + 1 :] if x.date <= as_of), as_of)
            rows.append({
                "judgement": j.id, "date": r.date, "until": nxt, "likelihood": r.likelihood,
                "min": lo, "max": hi, "confidence": r.confidence, "reconstructed": r.reconstructed,
                "withdrawn": r.withdrawn, "evidence": list(r.evidence),
            })
    return pd.DataFrame(rows, columns=[
        "judgement", "date", "until", "likelihood", "min", "max", "confidence", "reconstructed",
        "withdrawn", "evidence",
    ])


def _evidence_sources(case, ids: list[str]) -> list[str]:
    """The sources behind evidence ids (events, positions, legal provisions, disputes, sources)."""
    if case is None:
        return []
    out: list[str] = []
    wanted = set(ids)
    for name in ("events", "positions", "legal_provisions"):
        df = getattr(case, name)
        for ids_ in df.loc[df["id"].isin(wanted), "source_ids"]:
            out.extend(ids_)
    claims = case.dispute_claims
    for ids_ in claims.loc[claims["dispute"].isin(wanted), "source_ids"]:
        out.extend(ids_)
    out.extend(s for s in case.sources["id"] if s in wanted)
    return list(dict.fromkeys(out))


def _alt(data: pd.DataFrame, as_of: dt.date) -> str:
    parts = []
    for jid, g in data.groupby("judgement", sort=False):
        steps = []
        for _, r in g.iterrows():
            if r["withdrawn"]:
                steps.append(f"withdrawn {wording.day(r['date'])}")
                continue
            recon = ", reconstructed" if r["reconstructed"] else ""
            steps.append(
                f"{r['likelihood']} ({r['min']:.0f}-{r['max']:.0f}%, {r['confidence']} confidence{recon}) "
                f"from {wording.day(r['date'])}"
            )
        parts.append(f"{jid}: " + "; then ".join(steps) + ".")
    n = data["judgement"].nunique()
    return (
        f"Key judgements over time as of {wording.day(as_of)}: {wording.plural(n, 'judgement')}, "
        f"{wording.plural(len(data), 'revision')}. " + " ".join(parts)
    )


def judgement_track(
    case_or_history,
    *,
    as_of: object | None = None,
    judgements: list[str] | None = None,
    width: float = WIDTH,
) -> Chart:
    """Draw each judgement's likelihood band per revision date; see the module docstring.

    ``case_or_history`` is a :class:`~analysis.case.Case` (its slice's judgements, as-of date and
    sources) or a :class:`JudgementHistory` (then give ``as_of``; the source line stays empty).
    ``judgements`` keeps only those ids.
    """
    if isinstance(case_or_history, JudgementHistory):
        case, history = None, case_or_history
        day = pd.Timestamp(as_of).date() if as_of is not None else max(history.dates, default=dt.date.today())
    else:
        case, history = case_or_history, case_or_history.judgements
        day = pd.Timestamp(as_of).date() if as_of is not None else chart_as_of(case)
    data = track_data(history, day)
    if judgements:
        data = data[data["judgement"].isin(judgements)].reset_index(drop=True)
    title = "How the key judgements moved"
    if data.empty:
        why = f"No key judgement had been made as of {wording.day(day)}."
        if case is None:
            raise ValueError(why)
        return empty_chart("judgement_track", case, title, why, width=width)
    src_ids = _evidence_sources(case, [e for ev in data["evidence"] for e in ev])
    with use_style():
        return _draw(case, data, day, title, src_ids, width)


def _draw(
    case, data: pd.DataFrame, as_of: dt.date, title: str, src_ids: list[str], width: float
) -> Chart:
    ids = list(dict.fromkeys(data["judgement"]))
    fr = new_frame(width)
    notes = [
        "Band: the likelihood term's range (%), held until the next revision; dot fill: confidence "
        "(light low, dark high); hollow dot, dashed band: reconstructed from sources published by then."
    ]
    content_h = len(ids) * PANEL_H + (len(ids) - 1) * GAP_H + AXIS_H
    source = source_line(case, src_ids) if case is not None else "Sources: see the key judgements"
    fig, top, _bottom = fr.finish(content_h, title, notes, source, as_of)
    left = (max(fr.m.width(i, LABEL_SIZE, "bold") for i in ids) + fr.m.width("50%", TICK_SIZE) + 16) * PT
    right = 0.15
    first = min(data["date"])
    lo = date_num(first)
    hi = date_num(as_of)
    pad = max((hi - lo) * 0.03, 10.0)
    y = top
    axes = []
    marks: dict[str, list[Mark]] = {}
    for k, jid in enumerate(ids):
        g = data[data["judgement"] == jid]
        ax = fr.axes(left, y - PANEL_H, width - left - right, PANEL_H)
        axes.append(ax)
        y -= PANEL_H + GAP_H
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(0, 100)
        ax.set_yticks([50], ["50%"], fontsize=TICK_SIZE)  # 0 and 100 are the panel's edges
        ax.tick_params(axis="y", length=2)
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.text(-(fr.m.width("50%", TICK_SIZE) + 8) / ((width - left - right) * 72), 0.5, jid,
                transform=ax.transAxes, ha="right", va="center", fontsize=LABEL_SIZE, fontweight="bold")
        dots: dict[str, list] = {k: [] for k in ("x", "y", "face", "lw", "marks")}
        inner: dict[str, list] = {"x": [], "y": [], "c": []}
        gone: dict[str, list] = {"x": [], "marks": []}
        for _, r in g.iterrows():
            x0, x1 = date_num(r["date"]), date_num(r["until"])
            mark = Mark(_tooltip(r), tuple(_evidence_sources(case, list(r["evidence"]))))
            if r["withdrawn"]:
                gone["x"].append(x0)
                gone["marks"].append(mark)
                continue
            recon = bool(r["reconstructed"])
            ax.fill_between(
                # a revision made on the as-of date is drawn a little past it, so its band shows
                [x0, max(x1, x0 + pad * 0.7)], r["min"], r["max"], step="post",
                facecolor="none" if recon else BAND_COLOUR, alpha=1 if recon else 0.25,
                edgecolor=BAND_COLOUR, linestyle="--" if recon else "-", linewidth=0.8,
                gid=f"band-{jid}",
            )
            mid = (r["min"] + r["max"]) / 2
            dots["x"].append(x0)
            dots["y"].append(mid)
            dots["face"].append("white" if recon else CONFIDENCE_FILL.get(r["confidence"], "#999999"))
            dots["lw"].append(1.2 if recon else 1.0)
            dots["marks"].append(mark)
            if recon:  # confidence still shown: a small inner dot in the confidence fill
                inner["x"].append(x0)
                inner["y"].append(mid)
                inner["c"].append(CONFIDENCE_FILL.get(r["confidence"], "#999999"))
        # one collection per kind of mark, so that each dot gets its tooltip in the SVG
        if dots["x"]:
            ax.scatter(dots["x"], dots["y"], s=DOT_AREA, c=dots["face"], edgecolors=BAND_COLOUR,
                       linewidths=dots["lw"], zorder=3, gid=f"revisions-{k}")
            marks[f"revisions-{k}"] = dots["marks"]
        if inner["x"]:
            ax.scatter(inner["x"], inner["y"], s=INNER_AREA, c=inner["c"], linewidths=0, zorder=4,
                       gid=f"inner-{k}")
        if gone["x"]:
            ax.scatter(gone["x"], [50] * len(gone["x"]), s=25, marker="x", c=MUTED, linewidths=1.0,
                       zorder=3, gid=f"withdrawn-{k}")
            marks[f"withdrawn-{k}"] = gone["marks"]
        ax.axvline(hi, color=ASOF_COLOUR, linewidth=0.8, gid="as-of-line")
        if k < len(ids) - 1:
            ax.tick_params(axis="x", labelbottom=False, length=0)
        else:
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            # every month tick with its year: a track that starts mid-year is read without an offset
            formats = ["%Y", "%b %Y", "%d %b %Y", "%H:%M", "%H:%M", "%S.%f"]
            ax.xaxis.set_major_formatter(
                mdates.ConciseDateFormatter(locator, formats=formats, show_offset=False)
            )
            ax.tick_params(axis="x", labelsize=TICK_SIZE)
    return Chart(
        figure=fig,
        alt_text=_alt(data, as_of),
        title=title,
        kind="judgement_track",
        as_of=as_of,
        source_ids=src_ids,
        data=data.reset_index(drop=True),
        notes=notes,
        marks=marks,
    )


def _tooltip(r) -> str:
    """A revision's words on hover: the judgement, its term and range, confidence, date."""
    when = wording.day(r["date"])
    if r["withdrawn"]:
        return f"{r['judgement']}: withdrawn ({when})"
    recon = ", reconstructed" if r["reconstructed"] else ""
    return (f"{r['judgement']}: {r['likelihood']} ({r['min']:.0f}–{r['max']:.0f}%), "
            f"{r['confidence']} confidence{recon} ({when})")
