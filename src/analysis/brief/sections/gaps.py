"""Section 7: uncertainties and information gaps (disputes, missing positions, weak sourcing)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from analysis import importance
from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, heading, slug
from analysis.brief.sections.base import IDS, section
from analysis.brief.sections.stakeholders import table_selection
from analysis.case import Case
from analysis.evidence import only_weak, weak_source_ids
from analysis.facts import (
    event_date,
    issue_ids,
)

# 7. Uncertainties and information gaps
# ---------------------------------------------------------------------------------------------------
#: Items printed per list of weakly sourced or single-source items, by importance (events a key
#: judgement rests on always are); the rest are in the HTML edition only, and the list says how many.
LIST_LIMIT = 8


def _event_run(case: Case, citations: Citations, events: pd.DataFrame, limit: int = LIST_LIMIT) -> str:
    """'9 Jan 2025: title [3]; ...' in date order: the most important ``limit`` events printed, the others
    in a span that print leaves out, with a count."""
    events = events.sort_values(["start", "id"], kind="stable")
    order = importance.rank_events(case, events)
    keep = set(order[:limit]) | (set(events["id"]) & importance.judgement_evidence(case))

    def run(df: pd.DataFrame) -> str:
        return "; ".join(f"{esc(event_date(r))}: {esc(r['title'])} {citations.cite(r['source_ids'])}"
                         for _, r in df.iterrows())

    printed, online = events[events["id"].isin(keep)], events[~events["id"].isin(keep)]
    if online.empty:
        return run(printed)
    shown = run(printed)
    with citations.online():
        rest = run(online)
    return (f'{shown}<span class="html-only">; {rest}</span>'
            f'<span class="print-only"> (and {W.plural(len(online), "more event")}, listed in the HTML '
            f"edition only)</span>")


def gaps(
    case: Case,
    citations: Citations,
    *,
    issues: Sequence[str] | None = None,
    shown_events: Collection[str] | None = None,
    show_handling: bool = False,
) -> str:
    """Disputes (each side with its sources, and the version used), missing positions, and the items
    of this brief that rest only on weaker sources or, for events, on a single source.

    ``shown_events``: ids of the events the brief shows (key events, new events); None means all.
    ``show_handling``: say after each dispute which version the data uses (disputes.csv ``handling``).
    Positions checked are the latest stated ones, as the stakeholder tables show them.
    """
    parts = [heading(2, "Uncertainties and information gaps", IDS["gaps"])]
    weak = weak_source_ids(case)
    ids = issue_ids(case, issues)
    latest = case.latest_positions()
    if len(latest):
        latest = latest[latest["issue"].isin(ids)]
    missing = latest[latest["basis"] == "none"] if len(latest) else latest
    events = case.events if shown_events is None else case.events[case.events["id"].isin(set(shown_events))]
    ev_weak = only_weak(events, weak)
    # the positions the stakeholder tables show in full (the same choice, made by the same function)
    full = {(a, i) for i in ids for a in table_selection(case, i).shown}
    stated = latest[latest["basis"] != "none"] if len(latest) else latest
    if len(stated):
        stated = stated[[(a, i) in full for a, i in zip(stated["actor"], stated["issue"], strict=True)]]
    pos_weak = only_weak(stated, weak) if len(stated) else stated
    legal_weak = only_weak(case.legal_provisions, weak)
    # .loc: with no event shown, a bare empty list would select no columns rather than no rows
    single = events.loc[[len(x) == 1 for x in events["source_ids"]]]
    single = single[~single["id"].isin(set(ev_weak["id"]))]
    counts = [
        W.plural(len(case.disputes), "point disputed between sources", "points disputed between sources",
                 zero="no point disputed between sources"),
        W.plural(len(missing), "actor–issue pair without a public position",
                 "actor–issue pairs without a public position",
                 zero="no actor–issue pair without a public position"),
        W.plural(len(ev_weak) + len(pos_weak) + len(legal_weak), "item resting only on weaker sources",
                 "items resting only on weaker sources", zero="no item resting only on weaker sources"),
        W.plural(len(single), "further event reported by a single source",
                 "further events reported by a single source",
                 zero="no further event reported by a single source"),
    ]
    parts.append(f'<p class="lead">The case records {counts[0]}; {counts[1]}. Among the events, positions '
                 f"and provisions this brief shows in full, {W.join(counts[2:])}.</p>")

    parts.extend(_disputes(case, citations, show_handling))
    parts.extend(_missing(case, missing, ids))
    parts.extend(_weak(case, citations, ev_weak, pos_weak, legal_weak))
    parts.extend(_single(case, citations, single))
    return section("gaps", "".join(parts))


def _disputes(case: Case, citations: Citations, show_handling: bool) -> list[str]:
    """Each disputed point with every side and its sources (and, if asked, the version used)."""
    parts = [heading(3, "Disputed points", "uncertainties-disputes")]
    if case.disputes.empty:
        parts.append('<p class="none">No dispute between sources is recorded.</p>')
    for _, d in case.disputes.iterrows():
        claims = case.dispute_claims[case.dispute_claims["dispute"] == d["id"]].sort_values("claim")
        sides = " ".join(
            f'<span class="claim">({n}) {esc(c["statement"])} {citations.cite(c["source_ids"])}</span>'
            for n, (_, c) in enumerate(claims.iterrows(), start=1)
        )
        handling = (f'<p class="handling"><span class="label">Used here:</span> {esc(d["handling"])}</p>'
                    if d["handling"] and show_handling else "")
        parts.append(
            f'<div class="dispute" id="dispute-{esc(d["id"])}"><p class="topic"><strong>{esc(d["topic"])}'
            f'</strong> {sides}</p>{handling}</div>'
        )
    return parts


def _missing(case: Case, missing: pd.DataFrame, ids: Sequence[str]) -> list[str]:
    """How many actor–issue pairs have no public position, linked to each issue's table."""
    parts = [heading(3, "Missing positions", "uncertainties-missing")]
    if missing.empty:
        parts.append('<p class="none">Every actor coded on these issues has a public position.</p>')
    else:  # the names and the sources checked are given with each issue's table; here, where
        per_issue = [
            f'<a href="#stakeholders-{esc(slug(i))}">{esc(case.issue_label(i))}</a> '
            f"({int((missing['issue'] == i).sum())})"
            for i in ids if (missing["issue"] == i).any()
        ]
        actors = missing["actor"].nunique()
        parts.append(
            f"<p>No public position was found for {W.plural(len(missing), 'actor–issue pair')} "
            f"({W.plural(actors, 'actor')}) in the sources read: {W.join(per_issue)}. "
            "Stakeholders and positions names them after each issue's table or under Further positions, "
            "with the latest source checked.</p>"
        )
    return parts


def _weak(case: Case, citations: Citations, ev_weak: pd.DataFrame, pos_weak: pd.DataFrame,
          legal_weak: pd.DataFrame) -> list[str]:
    """The events, positions and provisions shown that rest only on weaker sources."""
    parts = [heading(3, "Resting only on weaker sources", "uncertainties-weak")]
    items = []
    if len(ev_weak):
        run = _event_run(case, citations, ev_weak)
        items.append(f"<li><strong>Events</strong> ({len(ev_weak)}): {run}.</li>")
    if len(pos_weak):
        p = pos_weak.assign(_name=[case.actor_name(a) for a in pos_weak["actor"]])
        runs = []
        for name, rows in p.sort_values(["_name", "start", "id"], kind="stable").groupby("_name", sort=False):
            on = [f"{esc(case.issue_label(r['issue']))} ({esc(W.partial_or_text(r['date']))}) "
                  f"{citations.cite(r['source_ids'])}" for _, r in rows.iterrows()]
            runs.append(f"{esc(name)} on {W.join(on)}")
        items.append(f"<li><strong>Positions</strong> ({len(pos_weak)}): {'; '.join(runs)}.</li>")
    if len(legal_weak):
        runs = [f"{esc(r['instrument'])} {esc(r['article'])} {citations.cite(r['source_ids'])}"
                for _, r in legal_weak.iterrows()]
        items.append(f"<li><strong>Legal provisions</strong> ({len(legal_weak)}): {'; '.join(runs)}.</li>")
    if items:
        parts.append('<p class="note">Weaker sources are copies, aggregator rewrites and fragments, and '
                     "sources graded C or D; the Sources list gives each one's kind and grade.</p>")
        parts.append(f'<ul class="compact">{"".join(items)}</ul>')
    else:
        parts.append('<p class="none">Every item rests on at least one original or official source '
                     "graded A or B.</p>")
    return parts


def _single(case: Case, citations: Citations, single: pd.DataFrame) -> list[str]:
    """The further events reported by a single source (none: no heading)."""
    parts: list[str] = []
    if len(single):
        parts.append(heading(3, "Events reported by a single source", "uncertainties-single"))
        parts.append(f'<p class="source-run">{_event_run(case, citations, single)}.</p>')
    return parts
