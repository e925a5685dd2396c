"""Section 5: who stands where on each issue, on what evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import importance
from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, heading, lang_span, slug, table
from analysis.brief.sections.base import IDS, section
from analysis.case import Case
from analysis.evidence import strongest
from analysis.facts import (
    issue_ids,
    stance_label,
)

#: Actors shown in full (stance, evidence, source) per issue table; the others, chosen by
#: :mod:`analysis.importance`, go to the compact "Further positions" table. Actors named in a key
#: judgement are always shown in full, past this number if need be.
TABLE_LIMIT = 8
#: Rows of the "Further positions" table printed on paper; the rest are in the HTML edition only.
FURTHER_PRINT_LIMIT = 40
#: Actors with no public position named after an issue's table; the rest are counted.
SILENT_LIMIT = 8
FURTHER_ID = "stakeholders-further"


# 5. Stakeholders and positions
# ---------------------------------------------------------------------------------------------------
def evidence_html(position: Mapping) -> str:
    """A position's evidence: a quote in quotation marks (in its language), else marked as paraphrase
    or inference."""
    ev = lang_span(position.get("evidence", ""), position.get("evidence_language", ""))
    basis = str(position.get("basis", "") or "")
    if basis == "quote":
        return f"“{ev}”"
    return f'<span class="basis">{esc(basis)}:</span> {ev}' if basis else ev


def table_selection(case: Case, issue: str, limit: int | None = TABLE_LIMIT) -> importance.Selection:
    """Which actors with a stated position on ``issue`` its table shows in full (decided here once, for
    the table, the "Further positions" table and the uncertainties section)."""
    latest = case.latest_positions()
    stated = latest[(latest["issue"] == issue) & (latest["basis"] != "none")] if len(latest) else latest
    among = list(stated["actor"]) if len(stated) else []
    return importance.choose(case, [issue], limit, among=among,
                             what="actors with a position on this issue",
                             where=f'listed under <a href="#{FURTHER_ID}">Further positions</a>')


def positions_table(case: Case, citations: Citations, issue: str, *,
                    limit: int | None = None) -> tuple[str, pd.DataFrame]:
    """(table HTML, rows with no public position) for one issue, from each actor's latest position.

    Each row cites the strongest of the position's sources (the one whose words the evidence gives,
    as a rule); the annex's grades say how the strength is judged. ``limit``: show that many actors in
    full, chosen by importance (see :func:`table_selection`), and say in a sentence where the others are.
    """
    latest = case.latest_positions()
    latest = latest[latest["issue"] == issue] if len(latest) else latest
    if latest.empty:
        return "", latest
    stated = latest[latest["basis"] != "none"].copy()
    gaps = latest[latest["basis"] == "none"]
    cut = ""
    if limit is not None:
        pick = table_selection(case, issue, limit)
        if pick.left_out:
            stated = stated[stated["actor"].isin(set(pick.shown))].copy()
            cut = (f'<p class="note cut">The table shows the {W.count(len(pick.shown))} actors that matter '
                   f"most here ({importance.CRITERIA}); {pick.reason}</p>")
    stated["_name"] = [case.actor_name(a) for a in stated["actor"]]
    stated["_s"] = stated["stance"].astype("float")
    # influence not coded (<NA>) sorts after the coded ones of the same stance, never as a number
    stated = stated.sort_values(["_s", "influence", "_name"], ascending=[False, False, True], kind="stable",
                                na_position="last")
    rows = []
    for _, r in stated.iterrows():
        ev = evidence_html(r)
        rows.append((
            esc(case.actor_name(r["actor"])),
            f'<span class="stance s{int(r["stance"]):+d}">{esc(stance_label(case, None, r["stance"]))}</span>'
            f'<br><span class="date">{esc(W.partial_or_text(r["date"]))}</span>',
            esc(r["confidence"]),
            f'<span class="evidence">{ev}</span> {citations.cite(strongest(case, r["source_ids"]))}',
        ))
    html = table(["Actor", "Stance", "Confidence", "Evidence and source"], rows,
                 widths=["21%", "18%", "11%", "50%"], class_="brief-table positions") if rows else ""
    return html + cut, gaps


def coding_note(case: Case, positions: pd.DataFrame) -> str:
    """'Salience was not coded for 40 of 120 stated positions, influence for 12.' ('' when all are coded)."""
    stated = positions[positions["basis"] != "none"] if len(positions) else positions
    if stated.empty:
        return ""
    missing = [(name, int(stated[name].isna().sum())) for name in ("salience", "influence")
               if name in stated.columns]
    missing = [(name, n) for name, n in missing if n]
    if not missing:
        return ""
    total = W.plural(len(stated), "stated position")
    first, *rest = missing
    text = f"{first[0].capitalize()} was not coded for {W.count(first[1])} of {total}"
    text += "".join(f", {name} for {W.count(n)}" for name, n in rest)
    return text + "."


def stakeholders(
    case: Case,
    citations: Citations,
    *,
    issues: Sequence[str] | None = None,
    position_maps: Mapping[str, str] | None = None,
    map_notes: Mapping[str, str] | None = None,
    matrix: str = "",
    shifts: str = "",
    tables: bool = True,
    limit: int | None = TABLE_LIMIT,
) -> str:
    """Per issue who stands where and on what evidence, then its position map; actors with no public
    position are named after each table; then the overview figures (shifts, matrix). ``map_notes``:
    issue -> a passage shown before the issue's table (where a map is left to the HTML edition).

    ``limit``: actors shown in full per issue, by importance (:mod:`analysis.importance`); the others
    are listed in a compact "Further positions" table at the end of the section (None: all in full).
    """
    position_maps = position_maps or {}
    map_notes = map_notes or {}
    ids = issue_ids(case, issues)
    latest = case.latest_positions()
    parts = [heading(2, "Stakeholders and positions", IDS["stakeholders"])]
    if len(latest):
        sub = latest[latest["issue"].isin(ids)]
        stated = sub[sub["basis"] != "none"]
        gaps = sub[sub["basis"] == "none"]
        lead = (f"{W.plural(stated['actor'].nunique(), 'actor', zero='No actor')} took a public position "
                f"on {'at least one of ' if len(ids) > 1 else ''}{W.plural(len(ids), 'issue')}")
        if len(gaps):
            lead += (f"; for {W.plural(len(gaps), 'actor–issue pair')} no public position was found"
                     f"{' (see uncertainties)' if tables else ''}")
        note = coding_note(case, sub)
        parts.append(f'<p class="lead">{lead}.{" " + note if note else ""}</p>')
    else:
        parts.append('<p class="none">No position is recorded up to this date.</p>')
    further: dict[str, None] = {}
    for issue in ids:
        row = case.issues.loc[case.issues["id"] == issue].iloc[0]
        fig = position_maps.get(issue, "")
        if not tables and not fig:
            continue
        if tables:  # a summary shows the main issue's map alone: its caption names the issue
            parts.append(heading(3, str(row["label"]), f"stakeholders-{slug(issue)}"))
            parts.append(f'<p class="issue-question">{esc(row["question"])}</p>')
        if not tables:
            parts.append(fig)
            continue
        # the table flows from where the text stands; the map follows it, so a map that does not fit
        # moves to the next page behind text rather than leaving the page under a heading empty
        parts.append(map_notes.get(issue, ""))
        html, gaps = positions_table(case, citations, issue, limit=limit)
        if limit is not None:
            further.update(dict.fromkeys(table_selection(case, issue, limit).left_out))
        parts.append(html or '<p class="none">No position recorded on this issue.</p>')
        if len(gaps):
            parts.append(_silent(case, citations, issue, gaps, limit, further))
        parts.append(fig)
    # the overview charts follow the issues' tables, which flow across pages, so a chart that does not
    # fit where it stands moves to the next page without leaving a page half empty behind the text
    parts.extend(f for f in (shifts, matrix) if f)
    if further:
        parts.append(further_table(case, citations, ids, list(further)))
    return section("stakeholders", "".join(parts))


def _silent(case: Case, citations: Citations, issue: str, gaps: pd.DataFrame, limit: int | None,
            further: dict[str, None]) -> str:
    """'No public position found: A, B and C [4].'; past ``SILENT_LIMIT`` names (when tables are cut),
    the most important are named and the rest listed under Further positions."""
    order = list(importance.rank(case, [issue], among=list(gaps["actor"]))["actor"])
    named = order if limit is None or len(order) <= SILENT_LIMIT else order[:SILENT_LIMIT]
    rest = order[len(named):]
    further.update(dict.fromkeys(rest))
    cited = gaps[gaps["actor"].isin(set(named))]
    names = [esc(case.actor_name(a)) for a in named]
    where = f'listed under <a href="#{FURTHER_ID}">Further positions</a>'
    more = f" {importance.left_out_sentence(len(rest), 'actors without one', where)}" if rest else ""
    return (f'<p class="gap"><span class="label">No public position found:</span> '
            f"{W.join(names)} {citations.cite([s for x in cited['source_ids'] for s in x])}.{more}</p>")


def further_table(case: Case, citations: Citations, ids: Sequence[str], actors: Sequence[str]) -> str:
    """The actors left out of the issue tables, one line each: their latest stance on every issue (or
    'none found'), with the strongest source of each. Ordered by importance; past
    :data:`FURTHER_PRINT_LIMIT` rows the table is in the HTML edition only, and the page says so."""
    latest = case.latest_positions()
    latest = latest[latest["issue"].isin(ids)]
    order = list(importance.rank(case, ids, among=actors)["actor"])

    by_pair = {(r["actor"], r["issue"]): r for r in latest.to_dict("records")}

    def row(a: str) -> tuple[str, ...]:
        cells, cites = [], []
        for issue in ids:
            r = by_pair.get((a, issue))
            if r is None:
                cells.append("")
                continue
            if r["basis"] == "none":
                cells.append('<span class="none-found">none found</span>')
            else:
                code = int(r["stance"])
                cells.append(f'<span class="stance s{code:+d}">{esc(W.signed(code))}</span>')
            if r["source_ids"]:
                cites.append(strongest(case, r["source_ids"]))
        return (esc(case.actor_name(a)), *cells, citations.cite(list(dict.fromkeys(cites))))

    printed = [row(a) for a in order[:FURTHER_PRINT_LIMIT]]
    with citations.online():
        online = [row(a) for a in order[FURTHER_PRINT_LIMIT:]]
    rows = printed + online
    header = ["Actor", *[case.issue_label(i) for i in ids], "Sources"]
    n_issue = len(ids)
    widths = ["34%", *[f"{round(46 / max(n_issue, 1))}%"] * n_issue, "20%"]
    lead = (f"{W.plural(len(rows), 'actor')} not shown in full above, by importance "
            f"({importance.CRITERIA}), with the latest stance on each issue (codes as in the annex).")
    if online:
        lead += (f" The printed edition lists the first {W.count(len(printed))}; the other "
                 f"{W.count(len(online))} are in the HTML edition only.")
    parts = [heading(3, "Further positions", FURTHER_ID), f'<p class="note">{lead}</p>',
             table(header, printed, widths=widths, class_="brief-table further")]
    if online:
        parts.append(table(header, online, widths=widths, class_="brief-table further html-only"))
    return "".join(parts)
