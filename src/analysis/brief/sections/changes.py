"""Sections 3 and 4: what changed since a date, and the timeline of key events."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import importance
from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, heading, table
from analysis.brief.sections.base import IDS, label, section
from analysis.brief.sections.stakeholders import evidence_html
from analysis.case import Case, Changes
from analysis.evidence import resolve
from analysis.facts import (
    date_disputes,
    event_date,
    stance_label,
)
from analysis.judgements import reconstructed_label

# 3. What changed
# ---------------------------------------------------------------------------------------------------
#: New events, shifts and first stated positions printed in full (analyst) or listed (summary); the rest,
#: by importance, are in the HTML edition only, and the page says how many. In the analyst brief, events
#: and shifts that a key judgement rests on are always printed; the two-page summary keeps to its limit.
CHANGE_LIMIT = {"full": 6, "compact": 3}
#: Key events printed in the timeline's table (those a key judgement rests on always are); the rest are
#: in the HTML edition only, in the same way.
KEY_EVENT_LIMIT = 20


def _split_events(case: Case, ev: pd.DataFrame, limit: int,
                  keep_named: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(printed, HTML only), each in date order: the ``limit`` most important new events (and, with
    ``keep_named``, any named in a key judgement) printed."""
    if len(ev) <= limit:
        return ev, ev.iloc[0:0]
    named = importance.judgement_evidence(case)
    order = importance.rank_events(case, ev)
    keep = set(order[:limit]) | (set(ev["id"]) & named if keep_named else set())
    mask = ev["id"].isin(keep)
    return ev[mask], ev[~mask]


def _split_shifts(case: Case, shifts: pd.DataFrame, limit: int,
                  keep_named: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(printed, HTML only): the rows (shifts or first stated positions) of the most important actors
    (:mod:`analysis.importance`)."""
    if len(shifts) <= limit:
        return shifts, shifts.iloc[0:0]
    ranked = importance.rank(case, list(dict.fromkeys(shifts["issue"])), among=list(shifts["actor"]))
    place = dict(zip(ranked["actor"], ranked["rank"], strict=True))
    named = importance.judgement_actors(case)
    by_rank = shifts.assign(_r=[place.get(a, len(place) + 1) for a in shifts["actor"]])
    by_rank = by_rank.sort_values(["_r", "issue"], kind="stable")
    forced = set(shifts.index[shifts["actor"].isin(named)]) if keep_named else set()
    keep = set(by_rank.index[:limit]) | forced
    mask = shifts.index.isin(keep)
    return shifts[mask], shifts[~mask]


def _online_note(shown: int, rest: int, noun: str, many: str | None = None) -> str:
    """'The printed edition shows the 15 new events that matter most; 12 more are in the HTML edition
    only.' ('' when nothing is held back)."""
    if not rest:
        return ""
    return (f'<p class="note cut">The printed edition shows the {W.plural(shown, noun, many)} that matter '
            f"most; {W.count(rest)} more {'is' if rest == 1 else 'are'} in the HTML edition only.</p>")


def _position(case: Case, shift: Mapping) -> Mapping:
    """The position row a shift points at (for its basis and language), else the shift itself."""
    row = case.positions.loc[case.positions["id"] == shift.get("position")]
    return row.iloc[0].to_dict() if len(row) else dict(shift)


def what_changed(case: Case, citations: Citations, changes: Changes, *, list_sources: bool = True,
                 fit_step: int = 0) -> str:
    """New events, shifted positions and new sources between ``changes.since`` and ``changes.until``.

    ``list_sources`` False is the summary form: lists instead of tables, new sources only counted.
    ``fit_step`` (0: never) is the fitting step from which print leaves the lists of shifts, first
    stated positions and judgement revisions to the HTML edition and says so (the lead counts them).
    """
    since, until = changes.since, changes.until
    title = f"What changed since {W.day(since)}"
    parts = [heading(2, title, IDS["changes"])]
    ev = changes.new_events.sort_values(["start", "id"], kind="stable")
    shifts = changes.shifts
    stated = changes.new_positions[changes.new_positions["basis"] != "none"]
    restated = stated[~stated["id"].isin(set(shifts["position"]) | set(changes.new_stances["position"]))]
    src = changes.new_sources.sort_values(["start", "id"], kind="stable", na_position="first")
    span = f"between {W.day(since)} and {W.day(until)}"
    if ev.empty and shifts.empty and src.empty and stated.empty and not changes.judgements:
        parts.append(f'<p class="no-change"><strong>No change</strong> {esc(span)}: no new event, '
                     f"no new or shifted position and no new source.</p>")
        return section("changes", "".join(parts))
    counts = [W.plural(len(ev), "new event", zero="no new event"),
              W.plural(len(shifts), "shift in position", "shifts in position", zero="no shift in position"),
              W.plural(len(changes.new_stances), "first stated position", zero="no first stated position"),
              W.plural(len(changes.judgements), "judgement revision", zero="no judgement revision"),
              W.plural(len(src), "new source", zero="no new source")]
    lead = f"{esc(span[0].upper() + span[1:])} the case records {W.join(counts)}."
    if len(restated):
        lead += f" {W.plural(len(restated), 'further statement')} restated an existing position."
    parts.append(f'<p class="lead">{lead}</p>')
    limit = CHANGE_LIMIT["full" if list_sources else "compact"]
    if not ev.empty:
        printed, online = _split_events(case, ev, limit, keep_named=list_sources)
        if list_sources:
            parts.append(label("New events", "what-changed-events"))

            def rows(df: pd.DataFrame) -> list[tuple[str, str]]:
                return [(esc(event_date(r)), f"<strong>{esc(r['title'])}</strong>. {esc(r['description'])} "
                                             f"{citations.cite(r['source_ids'])}") for _, r in df.iterrows()]

            parts.append(table(["Date", "What happened, and sources"], rows(printed), widths=["15%", "85%"]))
            if len(online):
                with citations.online():
                    parts.append(table(["Date", "What happened, and sources"], rows(online),
                                       widths=["15%", "85%"], class_="brief-table html-only"))
        else:
            def items(df: pd.DataFrame) -> str:
                return "".join(f"<li>{esc(event_date(r))}: {esc(r['title'])} "
                               f"{citations.cite(r['source_ids'])}</li>" for _, r in df.iterrows())

            parts.append(f'<p class="list-label">New events</p><ul class="compact">{items(printed)}</ul>')
            if len(online):
                with citations.online():
                    parts.append(f'<ul class="compact html-only">{items(online)}</ul>')
        parts.append(_online_note(len(printed), len(online), "new event"))
    lists = []
    with citations.droppable(fit_step):
        if not shifts.empty:
            printed_s, online_s = _split_shifts(case, shifts, limit, keep_named=list_sources)
            lists.extend(_shifts(case, citations, printed_s, list_sources))
            if len(online_s):
                with citations.online():
                    lists.extend(_shifts(case, citations, online_s, list_sources, online=True))
            lists.append(_online_note(len(printed_s), len(online_s), "shift in position",
                                      "shifts in position"))
        lists.append(_new_stances_and_judgements(case, citations, changes, limit, keep_named=list_sources))
    if fit_step and "".join(lists):
        kinds = [(one if n == 1 else many, n) for one, many, n in (
            ("shift in position", "shifts in position", len(shifts)),
            ("first stated position", "first stated positions", len(changes.new_stances)),
            ("judgement revision", "judgement revisions", len(changes.judgements))) if n]
        verb = "is" if len(kinds) == 1 and kinds[0][1] == 1 else "are"
        lists = [f'<div class="fit-drop-{fit_step}">', *lists, "</div>",
                 f'<p class="note fit-note-{fit_step}">The {esc(W.join(k for k, _ in kinds))} {verb} listed '
                 "in the HTML edition.</p>"]
    parts.extend(lists)
    if not src.empty and list_sources:
        parts.append(label("New sources", "what-changed-sources"))
        items = [
            f"{esc(r['publisher'])}, {esc(W.partial_or_text(r['published']))} {citations.cite(r['id'])}"
            for _, r in src.iterrows()
        ]
        parts.append(f'<p class="source-run">{"; ".join(items)}.</p>')
    return section("changes", "".join(parts))


def _shifts(case: Case, citations: Citations, shifts: pd.DataFrame, list_sources: bool, *,
            online: bool = False) -> list[str]:
    """The shifts as a table (analyst) or a list (summary), by issue then actor name; ``online`` marks
    the part held back from print."""
    parts: list[str] = []
    order = shifts.assign(_name=[case.actor_name(a) for a in shifts["actor"]])
    order = order.sort_values(["issue", "_name"], kind="stable")
    extra = " html-only" if online else ""
    if list_sources:
        if not online:
            parts.append(label("Shifts in position", "what-changed-shifts"))
        rows = []
        for _, r in order.iterrows():
            rows.append((
                esc(r["_name"]),
                esc(case.issue_label(r["issue"])),
                f"{esc(stance_label(case, r['issue'], r['from_stance']))} → "
                f"<strong>{esc(stance_label(case, r['issue'], r['to_stance']))}</strong>"
                f'<br><span class="date">{esc(W.partial_or_text(r["date"]))}</span>',
                f'<span class="evidence">{evidence_html(_position(case, r))}</span> '
                f"{citations.cite(r['source_ids'])}",
            ))
        parts.append(table(["Actor", "Issue", "From → to", "Evidence and sources"], rows,
                           widths=["18%", "16%", "26%", "40%"], class_=f"brief-table{extra}"))
    else:
        items = [
            f"<li>{esc(r['_name'])} on {esc(case.issue_label(r['issue']))}: "
            f"{esc(stance_label(case, None, r['from_stance']))} → "
            f"<strong>{esc(stance_label(case, None, r['to_stance']))}</strong> "
            f"({esc(W.partial_or_text(r['date']))}) {citations.cite(r['source_ids'])}</li>"
            for _, r in order.iterrows()
        ]
        head = "" if online else '<p class="list-label">Shifts in position</p>'
        parts.append(f'{head}<ul class="compact{extra}">{"".join(items)}</ul>')
    return parts


def _new_stances_and_judgements(case: Case, citations: Citations, changes: Changes, limit: int,
                                keep_named: bool = True) -> str:
    """First stated positions (new, not shifts) and judgement revisions in the window, as short lists;
    past ``limit`` the first positions of the most important actors are printed, the rest are online."""
    parts = []
    if not changes.new_stances.empty:
        printed, online = _split_shifts(case, changes.new_stances, limit, keep_named)

        def items(df: pd.DataFrame) -> str:
            order = df.assign(_name=[case.actor_name(a) for a in df["actor"]])
            return "".join(
                f"<li>{esc(r['_name'])} on {esc(case.issue_label(r['issue']))}: "
                f"<strong>{esc(stance_label(case, r['issue'], r['to_stance']))}</strong> "
                f"({esc(W.partial_or_text(r['date']))}) {citations.cite(r['source_ids'])}</li>"
                for _, r in order.sort_values(["issue", "_name"], kind="stable").iterrows()
            )

        parts.append('<p class="list-label" id="what-changed-new-stances">First stated positions</p>'
                     f'<ul class="compact">{items(printed)}</ul>')
        if len(online):
            with citations.online():
                parts.append(f'<ul class="compact html-only">{items(online)}</ul>')
        parts.append(_online_note(len(printed), len(online), "first stated position"))
    if changes.judgements:
        items = []
        for c in changes.judgements:
            r = c.after
            if c.kind == "new":
                what = f"new: {esc(r.text)} (<em>{esc(r.likelihood)}</em>, {esc(r.confidence)} confidence)"
            elif c.kind == "withdrawn":
                what = "withdrawn"
            elif c.kind == "likelihood":
                word = "up" if c.steps > 0 else "down"
                what = (f"likelihood {word} {W.plural(abs(c.steps), 'step')}: {esc(c.before.likelihood)} → "
                        f"<strong>{esc(r.likelihood)}</strong>")
            elif c.kind == "confidence":
                what = f"confidence {esc(c.before.confidence)} → <strong>{esc(r.confidence)}</strong>"
            else:
                what = "reworded"
            recon = f" ({esc(reconstructed_label(r.date))})" if r.reconstructed else ""
            found, _ = resolve(case, list(c.evidence_added))
            cite = f" {citations.cite(found)}" if found else ""
            items.append(f"<li>{esc(c.id)}, {esc(W.day(c.date))}{recon}: {what}{cite}</li>")
        parts.append('<p class="list-label" id="what-changed-judgements">Key judgements revised</p>'
                     f'<ul class="compact">{"".join(items)}</ul>')
    return "".join(parts)


def timeline(case: Case, citations: Citations, *, figure: str = "", table_: bool = True,
             key_only: bool = True) -> str:
    """The timeline figure, then the key events: date (with its precision), what happened, citations.

    A date that sources dispute shows every version with its sources.
    """
    parts = [heading(2, "Timeline", IDS["timeline"])]
    ev = case.events.sort_values(["start", "id"], kind="stable")
    key = ev[ev["key"]] if key_only else ev
    if len(ev):
        first, last = ev.iloc[0], ev.iloc[-1]
        parts.append(
            f'<p class="lead">The case records {W.plural(len(ev), "event")} from {esc(event_date(first))} '
            f"to {esc(event_date(last))}; "
            f"{'none is' if not len(key) else W.count(len(key)) + (' is' if len(key) == 1 else ' are')} "
            "marked as key"
            f"{' and listed below' if table_ and len(key) else ''}.</p>"
        )
    else:
        parts.append('<p class="none">No event is recorded up to this date.</p>')
    if figure:
        parts.append(figure)
    if table_ and len(key):
        disputed = date_disputes(case)

        def rows(df: pd.DataFrame) -> list[tuple[str, str]]:
            out = []
            for _, r in df.iterrows():
                when = esc(event_date(r))
                if r["id"] in disputed:
                    versions = [
                        f"{esc(W.partial_or_text(c['value']) if c['value'] else c['statement'])} "
                        f"{citations.cite(c['source_ids'])}"
                        for c in disputed[r["id"]]
                    ]
                    when += f'<br><span class="disputed">sources give {W.join(versions, "or")}</span>'
                what = (f"<strong>{esc(r['title'])}</strong>. {esc(r['description'])} "
                        f"{citations.cite(r['source_ids'])}")
                out.append((when, what))
            return out

        printed, online = _split_events(case, key, KEY_EVENT_LIMIT)
        parts.append(heading(3, "Key events", "timeline-key-events"))
        parts.append(table(["Date", "What happened, and sources"], rows(printed), widths=["16%", "84%"],
                           class_="brief-table events"))
        if len(online):
            with citations.online():
                parts.append(table(["Date", "What happened, and sources"], rows(online),
                                   widths=["16%", "84%"], class_="brief-table events html-only"))
        parts.append(_online_note(len(printed), len(online), "key event"))
    return section("timeline", "".join(parts))
