"""Forecast from the past: students read the case as known on an earlier date and forecast with a likelihood
term; the instructor guide reveals what happened after that date and how the case's own judgements moved.

The date is chosen from the data: the month end, before the lesson's as-of date, that best balances the
events and stated positions known by then against those that came after, among the month ends on which
one of the case's key judgements already stood. Students see only the case as sliced to that date
(:meth:`analysis.case.Case.as_of`), so nothing published later reaches their part.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pandas as pd

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, table
from analysis.case import Case
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    Exercise,
    parts,
)
from analysis.facts import event_date, stance_label
from analysis.judgements import Revision, reconstructed_label

#: Material needed on each side of the chosen date: events, and events plus stated positions.
MIN_EVENTS = 3
MIN_MATERIAL = 6
#: How much of what was known the students read, and how much of what followed the guide tells.
SHOWN_EVENTS = 5
SHOWN_POSITIONS = 6
SHOWN_AFTER = 8


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month end from ``first``'s month up to, not including, ``last``."""
    out = []
    y, m = first.year, first.month
    while True:
        end = dt.date(y, m, calendar.monthrange(y, m)[1])
        if end >= last:
            return out
        if end >= first:
            out.append(end)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _material(case: Case, day: dt.date) -> tuple[int, int, int, int]:
    """(events before, material before, events after, material after) around ``day`` in ``case``."""
    d = pd.Timestamp(day)
    ev = case.events
    pos = case.positions[case.positions["basis"] != "none"]
    ev_before = int((ev["start"] <= d).sum())
    pos_before = int((pos["start"] <= d).sum())
    return ev_before, ev_before + pos_before, len(ev) - ev_before, len(ev) + len(pos) - ev_before - pos_before


def candidate_dates(case: Case, as_of: dt.date) -> list[dt.date]:
    """The month ends before ``as_of`` with enough material on both sides, best balanced first.

    Balance is the gap between the events and stated positions known by the date and those after it,
    up to ``as_of``; ties go to the earlier date, so the order is the same on every build.
    """
    if case.events.empty:
        return []
    first = max(case.period[0], case.events["start"].min().date())
    scored = []
    for day in month_ends(first, as_of):
        evb, before, eva, after = _material(case, day)
        if min(evb, eva) >= MIN_EVENTS and min(before, after) >= MIN_MATERIAL:
            scored.append((abs(before - after), day))
    return [day for _, day in sorted(scored)]


def standing_judgements(then: Case, terms: list[str]) -> list[dict]:
    """The key judgements of a case sliced to a date that stood then with a term of the yardstick."""
    return [
        kj for kj in then.meta.get("key_judgements") or []
        if kj.get("text") and str(kj.get("likelihood")) in terms
    ]


def choose_date(case: Case, as_of: dt.date, terms: list[str]) -> tuple[dt.date, Case, dict] | None:
    """The best balanced candidate date on which a key judgement already stood (students forecast its
    statement), with the case as known then and that judgement; None when no month end qualifies."""
    if case.judgements is None:
        return None
    for day in candidate_dates(case, as_of):
        if not case.judgements.state_on(day):  # cheap test first: slicing takes longer
            continue
        then = case.as_of(day)
        standing = standing_judgements(then, terms)
        if standing:
            return day, then, standing[0]
    return None


def _term_text(rev: Revision | None) -> str:
    if rev is None:
        return ""
    return f"<em>{esc(rev.likelihood)}</em>, confidence {esc(rev.confidence)}"


class ForecastExercise(Exercise):
    kind = "forecast"
    title = "Forecast from the past"
    minutes = {INTRODUCTORY: 15, ADVANCED: 20}
    mode = "in pairs"
    answer_lines = 8

    def choose(self) -> Any:
        case = self.case
        terms = (case.meta.get("likelihood_yardstick") or {}).get("terms") or []
        if not terms:
            return None
        chosen = choose_date(case, self.ctx.as_of, [str(t["term"]) for t in terms])
        if chosen is None:
            return None
        day, then, kj = chosen
        ev = then.events.sort_values(["start", "id"], kind="stable")
        key = ev[ev["key"]] if ev["key"].any() else ev
        known_events = key.tail(SHOWN_EVENTS)
        positions = pd.DataFrame()
        issue = self.ctx.main_issue
        if issue:
            latest = then.latest_positions()
            if len(latest):
                latest = latest[(latest["issue"] == issue) & (latest["basis"] != "none")].copy()
                latest["_name"] = [then.actor_name(a) for a in latest["actor"]]
                positions = latest.sort_values(["_name", "actor"], kind="stable").head(SHOWN_POSITIONS)
        return {
            "date": day,
            "then": then,
            "kj": kj,
            "terms": terms,
            "yard": case.meta.get("likelihood_yardstick") or {},
            "events": known_events,
            "positions": positions,
            "issue": issue,
            "changes": case.changes(day, self.ctx.as_of),
        }

    # -- students -------------------------------------------------------------------------------------
    def objective(self) -> str:
        return (
            "forecast from what was known on an earlier date, with a likelihood term, and check the "
            "forecast against what happened"
        )

    def prompt(self, cite: Citations) -> str:
        p = self.pick
        then, day = p["then"], p["date"]
        events = "".join(
            f"<li><b>{esc(event_date(r))}.</b> {esc(r['title'])} {cite.cite(r['source_ids'])}</li>"
            for _, r in p["events"].iterrows()
        )
        out = [
            f'<p class="cr-lead">It is <b>{esc(W.long_day(day))}</b>. Forget what you know of what came '
            "later: here is what was known then.</p>",
            f"<p>The latest key events by that date:</p><ul class=\"cr-events\">{events}</ul>",
        ]
        if len(p["positions"]):
            items = "".join(
                f"<li>{esc(r['_name'])}: {esc(stance_label(then, p['issue'], r['stance']))} "
                f"({esc(W.partial_or_text(r['date']))}) {cite.cite(r['source_ids'])}</li>"
                for _, r in p["positions"].iterrows()
            )
            out.append(
                f"<p>Stated positions on <b>{esc(then.issue_label(p['issue']))}</b> then:</p>"
                f'<ul class="cr-evidence">{items}</ul>'
            )
        yard_rows = [(esc(t["term"]), W.number_range(esc(t.get("min")), esc(t.get("max")), "%"))
                     for t in p["terms"]]
        out.append('<p class="cr-lead">Forecast, as on that date, how likely it is that:</p>')
        out.append(f'<p class="cr-statement">{esc(p["kj"].get("text"))}</p>')
        out.append(f"<p>The yardstick ({esc(p['yard'].get('name', ''))}):</p>")
        out.append(table(["Term", "Probability"], yard_rows, class_="brief-table narrow cr-yardstick"))
        asks = [
            "Choose one term from the yardstick.",
            "Justify it with at least two pieces of the evidence above, using nothing you learnt later.",
            "Name one thing that would have to happen next for your forecast to come true.",
        ]
        if self.ctx.advanced:
            asks.append("Which of the actors above is most likely to change its position, and why?")
        out.append(parts(asks))
        return "".join(out)

    # -- instructor ---------------------------------------------------------------------------------------
    def _moves(self) -> list[tuple[str, Revision | None, Revision | None]]:
        """(id, revision on the chosen date, revision on the lesson's date) for each key judgement."""
        day, as_of = self.pick["date"], self.ctx.as_of
        return [(j.id, j.on(day), j.on(as_of)) for j in self.case.judgements]

    def answer(self) -> dict[str, Any]:
        kj_id = str(self.pick["kj"].get("id"))
        moves = {i: (a.likelihood if a else None, b.likelihood if b else None) for i, a, b in self._moves()}
        ch = self.pick["changes"]
        return {
            "date": self.pick["date"].isoformat(),
            "judgement": kj_id,
            "likelihood_then": moves.get(kj_id, (None, None))[0],
            "likelihood_now": moves.get(kj_id, (None, None))[1],
            "events_after": len(ch.new_events),
            "shifts_after": len(ch.shifts),
        }

    def key(self) -> str:
        a = self.answer()
        kj, then = esc(a["judgement"]), esc(W.day(self.pick["date"]))
        return (
            f"On {then} the case's analysts judged {kj} <b>{esc(a['likelihood_then'])}</b>; "
            f"by {esc(W.day(self.ctx.as_of))}, <b>{esc(a['likelihood_now'])}</b>. Mark the reasoning against "
            "what was known then, not against the outcome alone"
        )

    def solution(self, cite: Citations) -> str:
        p, case = self.pick, self.case
        day, as_of = p["date"], self.ctx.as_of
        ch = p["changes"]
        out = []
        ev = ch.new_events.sort_values(["start", "id"], kind="stable")
        key = ev[ev["key"]] if ev["key"].any() else ev
        shown = key.head(SHOWN_AFTER)
        rest = len(ev) - len(shown)
        if len(shown):
            items = "".join(
                f"<li><b>{esc(event_date(r))}.</b> {esc(r['title'])} {cite.cite(r['source_ids'])}</li>"
                for _, r in shown.iterrows()
            )
            more = f" and {W.plural(rest, 'other event')}" if rest else ""
            out.append(
                f'<p class="cr-part">What happened after {esc(W.day(day))}, up to {esc(W.day(as_of))} '
                f"({W.plural(len(shown), 'key event' if ev['key'].any() else 'event')}{more}):</p>"
                f'<ul class="cr-events">{items}</ul>'
            )
        if len(ch.shifts):
            items = "".join(
                f"<li>{esc(case.actor_name(r['actor']))} on {esc(case.issue_label(r['issue']))}: "
                f"{W.signed(r['from_stance'])} → {W.signed(r['to_stance'])} "
                f"({esc(W.partial_or_text(r['date']))}) {cite.cite(r['source_ids'])}</li>"
                # ISO dates (partial or whole) sort as text
                for _, r in ch.shifts.sort_values(["date", "actor", "issue"], kind="stable")
                .head(SHOWN_AFTER).iterrows()
            )
            more = len(ch.shifts) - min(len(ch.shifts), SHOWN_AFTER)
            tail = f'<p class="cr-note">and {W.plural(more, "other shift")}.</p>' if more else ""
            out.append(
                f'<p class="cr-part">Shifts in stated position in that time:</p><ul>{items}</ul>{tail}'
            )
        else:
            out.append('<p class="cr-part">No actor shifted its stated position in that time.</p>')
        rows = []
        for ident, a, b in self._moves():
            then = _term_text(a) if a and not a.withdrawn else f"not yet made on {esc(W.day(day))}"
            if a is not None and a.reconstructed:
                then += f" ({esc(reconstructed_label(a.date))})"
            now = _term_text(b) if b and not b.withdrawn else "withdrawn"
            mark = " (forecast in the exercise)" if ident == str(p["kj"].get("id")) else ""
            rows.append((f"<b>{esc(ident)}</b>{mark}", then, now))
        out.append(
            '<p class="cr-part">How the case\'s own key judgements moved:</p>'
            + table(
                ["Judgement", f"On {W.day(day)}", f"On {W.day(as_of)}"],
                rows,
                class_="brief-table cr-forecast-moves",
                widths=["16%", "42%", "42%"],
            )
        )
        kj_id = str(p["kj"].get("id"))
        later = next((b for i, _, b in self._moves() if i == kj_id), None)
        restated = later is not None and later.text.strip() != str(p["kj"].get("text")).strip()
        if restated and not later.withdrawn:
            out.append(
                f'<p class="cr-part">By {esc(W.day(as_of))} the analysts had restated {esc(kj_id)}: '
                f"{esc(later.text)} Their reasoning: {esc(later.rationale)}</p>"
            )
        out.append(
            '<p class="cr-part">Marking: first compare the student\'s term with the case\'s own term on '
            f"{esc(W.day(day))}; a term one step away with reasons drawn from the evidence then is a good "
            "forecast. Then compare it with what followed: a forecast that leant the way the later revision "
            "moved read the evidence well, but one that turned out wrong is not a bad forecast if the "
            "evidence then pointed that way. Take marks off for any argument that uses later knowledge.</p>"
        )
        return "".join(out)

    def note(self) -> str:
        return (
            "Set this exercise before students read the case in brief: its timeline and latest developments "
            "reach past the date. Collect the terms before revealing what happened. Students find it hard "
            "not to use hindsight: ask where each reason comes from. The point is "
            "calibration, not being right once: a forecast of an unlikely event that happened can still "
            "have been a good forecast."
        )
