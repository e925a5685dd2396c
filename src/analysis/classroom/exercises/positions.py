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

#: The most influential actors an answer may name; more tied at the top and the question is not asked.
MAX_TOP = 3


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
        # influence not coded (<NA>) is never read as a value: the question about the most influential
        # actor is asked only when the coding singles out a few (ties of more are no answer)
        coded = stated.dropna(subset=["influence"])
        top = coded[coded["influence"] == coded["influence"].max()] if len(coded) else coded
        if len(top) > MAX_TOP:
            top = top.iloc[0:0]
        return {"issue": issue, "stated": stated, "silent": silent, "top": top, "coded": coded}

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
        ]
        if self._has_top():
            asks.append("Which actor does the map show as the most influential, and where does it stand? "
                        "What does that suggest about where the decision lies?")
        asks.append("Which actors have no public position? Why might their silence matter?")
        if self._ask_strong():
            asks.append(
                "Which supporters have strong or decisive influence (4 or 5)? Is support from a few "
                "influential actors worth more than support from many with little influence?"
            )
        return f"<p>{lead}</p>{parts(asks)}"

    def _has_top(self) -> bool:
        return len(self.pick["top"]) > 0

    def _ask_strong(self) -> bool:
        """The advanced question on influential supporters needs influence coded for every supporter."""
        stated = self.pick["stated"]
        sup = stated[stated["stance"] > 0]
        return self.ctx.advanced and len(sup) > 0 and not sup["influence"].isna().any()

    def answer(self) -> dict[str, Any]:
        stated, silent, top = self.pick["stated"], self.pick["silent"], self.pick["top"]
        sup = stated[stated["stance"] > 0]
        return {
            "issue": self.pick["issue"],
            "support": int((stated["stance"] > 0).sum()),
            "oppose": int((stated["stance"] < 0).sum()),
            "neutral": int((stated["stance"] == 0).sum()),
            "no_position": sorted(silent["actor"]),
            "most_influential": sorted(top["actor"]) if self._has_top() else None,
            "influential_supporters": (sorted(sup[(sup["influence"] >= 4).fillna(False)]["actor"])
                                       if self._ask_strong() else None),
        }

    def key(self) -> str:
        a = self.answer()
        top = self.pick["top"]
        items = [f"{a['support']} support, {a['oppose']} oppose, {a['neutral']} neutral"]
        if self._has_top():
            items.append(W.join([f"{esc(r['_name'])} ({W.signed(r['stance'])})" for _, r in top.iterrows()]))
        items.append(W.plural(len(a["no_position"]), "actor"))
        if self._ask_strong():
            items.append(str(len(a["influential_supporters"])))
        return "; ".join(f"({'abcdefgh'[i]}) {t}" for i, t in enumerate(items))

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
            f"{names_cited(opp, cite, stance)}. <b>{len(neu)} neutral</b>: {names_cited(neu, cite)}."
            + self._coding_gap(),
        ]
        if self._has_top():
            out.append(W.join(
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
            ))
        out.append(
            f"{W.plural(len(silent), 'actor')}: {names_cited(silent, cite)}. "
            "Silence is not neutrality: the "
            "case codes no stance for them, and the map lists them beside the grid, not at zero."
            if len(silent)
            else "Every actor coded on this issue has a public position."
        )
        if self._ask_strong():
            strong = sup[sup["influence"] >= 4]
            out.append(
                f"{W.plural(len(strong), 'supporter')} with influence 4 or 5: {names_cited(strong, None)}. "
                "Influence is a coding of who can move the outcome, so a few such supporters may count "
                "for more than many with little influence."
            )
        return answers(out)

    def _coding_gap(self) -> str:
        """A sentence on how much influence is not coded ('' when all of it is)."""
        stated, coded = self.pick["stated"], self.pick["coded"]
        n = len(stated) - len(coded)
        if not n:
            return ""
        return (f" Influence is not coded for {W.count(n)} of {W.plural(len(stated), 'actor')} with a "
                "position, so the map cannot say how much those can shape the outcome.")

    def note(self) -> str:
        return (
            "Counting from the map is quick; spend the time on who can decide and who is silent. "
            "Students often read a missing position as neutral: the case codes silence separately, and "
            "the map lists silent actors beside the grid."
        )
