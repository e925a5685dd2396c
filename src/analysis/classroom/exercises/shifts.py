"""Advanced: how actors' positions shifted, read from the case's shifts in position."""

from __future__ import annotations

from typing import Any

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc
from analysis.classroom.exercises.base import (
    ADVANCED,
    Exercise,
    parts,
)

MAX_SHIFTS = 6


def _steps(path: list[int]) -> list[int]:
    """A stance path without repeats: [0, 0, 2, 2, 0] -> [0, 2, 0]."""
    return [x for i, x in enumerate(path) if i == 0 or x != path[i - 1]]


class ShiftsExercise(Exercise):
    kind = "shifts"
    title = "Tracing shifts in position"
    minutes = {ADVANCED: 12}
    levels = (ADVANCED,)
    mode = "in pairs"
    answer_lines = 7

    def choose(self) -> Any:
        from analysis.charts.shifts import find_shifts

        issue = self.ctx.main_issue
        groups = find_shifts(self.case, [issue]) if issue else []
        if not groups:
            return None
        return {"issue": issue, "groups": groups[:MAX_SHIFTS], "more": max(len(groups) - MAX_SHIFTS, 0)}

    def objective(self) -> str:
        return "trace how actors' positions changed over time and link each change to events"

    def _rows(self) -> list[dict[str, Any]]:
        out = []
        for g in self.pick["groups"]:
            first, last = g.iloc[0], g.iloc[-1]
            out.append(
                {
                    "actor": first["actor"],
                    "name": self.case.actor_name(first["actor"]),
                    "from": int(first["stance"]),
                    "to": int(last["stance"]),
                    "path": [int(s) for s in g["stance"]],
                    "rows": g,
                }
            )
        return out

    def prompt(self, cite: Citations) -> str:
        label = self.case.issue_label(self.pick["issue"])
        fig = self.ctx.figure_ref("shifts")
        asks = [
            "For each actor in the figure: from which code to which did it move, and when?",
            "Which change is the largest? Find on the timeline an event that could explain it.",
            "Is a change of code always a change of mind? Think of the source and the basis of each coding.",
        ]
        return (
            f"<p>{fig} shows the actors whose coded stance on <b>{esc(label)}</b> changed the most up to "
            f"{esc(W.day(self.ctx.as_of))}.</p>{parts(asks)}"
        )

    def answer(self) -> dict[str, Any]:
        return {
            "issue": self.pick["issue"],
            "shifts": {r["actor"]: tuple(_steps(r["path"])) for r in self._rows()},
        }

    def key(self) -> str:
        return "(a) " + "; ".join(
            f"{esc(r['name'])} {' → '.join(W.signed(x) for x in _steps(r['path']))}" for r in self._rows()
        )

    def solution(self, cite: Citations) -> str:
        items = []
        for r in self._rows():
            rows = r["rows"]
            moves = rows[rows["stance"].astype(int).diff().fillna(1) != 0]  # the first coding of each stance
            steps = " → ".join(
                f"{W.signed(p['stance'])} ({esc(W.partial_or_text(p['date']))}) {cite.cite(p['source_ids'])}"
                for _, p in moves.iterrows()
            )
            last = r["rows"].iloc[-1]
            items.append(f"<li><b>{esc(r['name'])}</b>: {steps}. Latest: {esc(last['summary'])}</li>")
        more = (
            f'<p class="cr-note">{W.plural(self.pick["more"], "smaller change")} '
            f"{'is' if self.pick['more'] == 1 else 'are'} not shown in the figure.</p>"
            if self.pick["more"]
            else ""
        )
        return (
            f'<ul class="cr-shifts">{"".join(items)}</ul>{more}'
            '<p class="cr-part">Not every change of code is a change of mind: a first position inferred or '
            "reported second-hand may be replaced by the actor's own words, and a neutral code early on "
            "can mean that the actor had not yet spoken.</p>"
        )

    def note(self) -> str:
        return (
            "Pairs can split the actors between them. The discussion in (c) matters most: compare the basis "
            "(quote, paraphrase, inferred) of the codings before and after each change."
        )
