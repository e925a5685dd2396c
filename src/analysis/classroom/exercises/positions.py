"""Reading the position map: who stands where on the main issue, and who is silent."""

from __future__ import annotations

from typing import Any

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    Exercise,
    answers,
    names_cited,
    parts,
    stated_latest,
)
from analysis.facts import stance_label


class PositionsExercise(Exercise):
    kind = "positions"
    title = "Reading the position map"
    minutes = {INTRODUCTORY: 10, ADVANCED: 8}
    answer_lines = 5

    def choose(self) -> Any:
        issue = self.ctx.main_issue
        if not issue:
            return None
        stated, silent = stated_latest(self.case, issue)
        if stated.empty:
            return None
        top = stated[stated["influence"] == stated["influence"].max()]
        return {"issue": issue, "stated": stated, "silent": silent, "top": top}

    def _label(self) -> str:
        return self.case.issue_label(self.pick["issue"])

    def objective(self) -> str:
        return (
            f"read a position map: who supports and who opposes “{esc(self._label())}”, and how much "
            "each side can shape the outcome"
        )

    def prompt(self, cite: Citations) -> str:
        ctx, issue = self.ctx, self.pick["issue"]
        row = self.case.issues.loc[self.case.issues["id"] == issue]
        question = esc(row["question"].iloc[0]) if len(row) else ""
        lead = (
            f"{ctx.figure_ref('position-map')} places each actor by its latest public position on "
            f"<b>{esc(self._label())}</b>, from −2 (strongly opposes) on the left to +2 (strongly supports) "
            "on the right, and by how much it can shape the outcome, from 1 (little) at the bottom to 5 "
            f"(decisive) at the top. The issue: {question}"
        )
        asks = [
            "How many actors with a public position support it (+1 or +2)? How many oppose it, and how many "
            "are neutral?",
            "Which actor does the map show as the most influential, and where does it stand? What does that "
            "suggest about where the decision lies?",
            "Which actors have no public position? Why might their silence matter?",
        ]
        if ctx.advanced:
            asks.append(
                "Which supporters have strong or decisive influence (4 or 5)? Is support from a few "
                "influential actors worth more than support from many with little influence?"
            )
        return f"<p>{lead}</p>{parts(asks)}"

    def answer(self) -> dict[str, Any]:
        stated, silent, top = self.pick["stated"], self.pick["silent"], self.pick["top"]
        sup = stated[stated["stance"] > 0]
        return {
            "issue": self.pick["issue"],
            "support": int((stated["stance"] > 0).sum()),
            "oppose": int((stated["stance"] < 0).sum()),
            "neutral": int((stated["stance"] == 0).sum()),
            "no_position": sorted(silent["actor"]),
            "most_influential": sorted(top["actor"]),
            "influential_supporters": sorted(sup[sup["influence"] >= 4]["actor"]),
        }

    def key(self) -> str:
        a = self.answer()
        top = self.pick["top"]
        tops = W.join([f"{esc(r['_name'])} ({W.signed(r['stance'])})" for _, r in top.iterrows()])
        out = (
            f"(a) {a['support']} support, {a['oppose']} oppose, {a['neutral']} neutral; (b) {tops}; "
            f"(c) {W.plural(len(a['no_position']), 'actor')}"
        )
        if self.ctx.advanced:
            out += f"; (d) {len(a['influential_supporters'])}"
        return out

    def solution(self, cite: Citations) -> str:
        case, p = self.case, self.pick
        stated, silent, top = p["stated"], p["silent"], p["top"]
        issue = p["issue"]

        def stance(r):
            return W.signed(r["stance"])

        sup, opp, neu = (
            stated[stated["stance"] > 0],
            stated[stated["stance"] < 0],
            stated[stated["stance"] == 0],
        )
        out = [
            f"<b>{len(sup)} support</b>: {names_cited(sup, cite, stance)}. <b>{len(opp)} oppose</b>: "
            f"{names_cited(opp, cite, stance)}. <b>{len(neu)} neutral</b>: {names_cited(neu, cite)}.",
            W.join(
                [
                    f"<b>{esc(r['_name'])}</b> (influence {int(r['influence'])} of 5), coded "
                    f"{esc(stance_label(case, issue, r['stance']))}: {esc(r['summary'])} "
                    f"{cite.cite(r['source_ids'])}"
                    for _, r in top.iterrows()
                ]
            )
            + (
                " An actor that can decide the outcome and has not committed itself is where the case turns."
                if (top["stance"] == 0).any()
                else ""
            ),
            (
                f"{W.plural(len(silent), 'actor')}: {names_cited(silent, cite)}. "
                "Silence is not neutrality: the "
                "case codes no stance for them, and the map lists them beside the grid, not at zero."
                if len(silent)
                else "Every actor coded on this issue has a public position."
            ),
        ]
        if self.ctx.advanced:
            strong = sup[sup["influence"] >= 4]
            out.append(
                f"{W.plural(len(strong), 'supporter')} with influence 4 or 5: {names_cited(strong, None)}. "
                "Influence is a coding of who can move the outcome, so a few such supporters may count "
                "for more than many with little influence."
            )
        return answers(out)

    def note(self) -> str:
        return (
            "Counting from the map is quick; spend the time on (b) and (c). Students often read a missing "
            "position as neutral: the case codes silence separately, and the map lists silent actors "
            "beside the grid."
        )
