"""Section 5: who stands where on each issue, on what evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

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


def positions_table(case: Case, citations: Citations, issue: str) -> tuple[str, pd.DataFrame]:
    """(table HTML, rows with no public position) for one issue, from each actor's latest position.

    Each row cites the strongest of the position's sources (the one whose words the evidence gives,
    as a rule); the annex's grades say how the strength is judged.
    """
    latest = case.latest_positions()
    latest = latest[latest["issue"] == issue] if len(latest) else latest
    if latest.empty:
        return "", latest
    stated = latest[latest["basis"] != "none"].copy()
    gaps = latest[latest["basis"] == "none"]
    stated["_name"] = [case.actor_name(a) for a in stated["actor"]]
    stated["_s"] = stated["stance"].astype("float")
    stated = stated.sort_values(["_s", "influence", "_name"], ascending=[False, False, True], kind="stable")
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
                 widths=["22%", "19%", "9%", "50%"], class_="brief-table positions") if rows else ""
    return html, gaps


def stakeholders(
    case: Case,
    citations: Citations,
    *,
    issues: Sequence[str] | None = None,
    position_maps: Mapping[str, str] | None = None,
    matrix: str = "",
    shifts: str = "",
    tables: bool = True,
) -> str:
    """Figures (matrix, shifts, a position map per issue), then per issue who stands where and on what
    evidence; actors with no public position are named after each table."""
    position_maps = position_maps or {}
    ids = issue_ids(case, issues)
    latest = case.latest_positions()
    parts = [heading(2, "Stakeholders and positions", IDS["stakeholders"])]
    if len(latest):
        sub = latest[latest["issue"].isin(ids)]
        stated = sub[sub["basis"] != "none"]
        gaps = sub[sub["basis"] == "none"]
        parts.append(
            f'<p class="lead">{W.plural(stated["actor"].nunique(), "actor")} took a public position on '
            f"{'at least one of ' if len(ids) > 1 else ''}{W.plural(len(ids), 'issue')}; for "
            f"{W.plural(len(gaps), 'actor–issue pair')} no public position was found"
            f"{' (listed under uncertainties)' if tables and len(gaps) else ''}.</p>"
        )
    else:
        parts.append('<p class="none">No position is recorded up to this date.</p>')
    parts.extend(f for f in (matrix, shifts) if f)
    for issue in ids:
        row = case.issues.loc[case.issues["id"] == issue].iloc[0]
        fig = position_maps.get(issue, "")
        if not tables and not fig:
            continue
        if tables:  # a summary shows the main issue's map alone: its caption names the issue
            parts.append(heading(3, str(row["label"]), f"stakeholders-{slug(issue)}"))
            parts.append(f'<p class="issue-question">{esc(row["question"])}</p>')
        if fig:
            parts.append(fig)
        if tables:
            html, gaps = positions_table(case, citations, issue)
            parts.append(html or '<p class="none">No position recorded on this issue.</p>')
            if len(gaps):
                names = [f"{esc(case.actor_name(a))}" for a in gaps["actor"]]
                parts.append(
                    f'<p class="gap"><span class="label">No public position found:</span> '
                    f"{W.join(names)} {citations.cite([s for x in gaps['source_ids'] for s in x])}.</p>"
                )
    return section("stakeholders", "".join(parts))
