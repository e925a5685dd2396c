"""Fallback: judging the sources behind events (copies, grades, single sources)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, table
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    LETTERS,
    Exercise,
    answers,
    parts,
)
from analysis.evidence import weak_source_ids
from analysis.facts import event_date


class SourcesExercise(Exercise):
    kind = "sources"
    title = "Judging the sources behind events"
    minutes = {INTRODUCTORY: 10, ADVANCED: 10}
    mode = "in pairs"
    fallback = True
    answer_lines = 6

    def choose(self) -> Any:
        case = self.case
        ev = case.events.sort_values(["start", "id"], kind="stable")
        if len(ev) < 3:
            return None
        weak = weak_source_ids(case)
        pool = ev[ev["key"]] if ev["key"].sum() >= 3 else ev
        is_weak = [all(s in weak for s in ids) for ids in pool["source_ids"]]
        weak_rows, strong_rows = pool[is_weak], pool[[not w for w in is_weak]]
        # a mix is the point: up to two events on weaker sources, the rest on stronger ones
        chosen = pd.concat([weak_rows.head(2), strong_rows.head(4 - min(len(weak_rows), 2))])
        chosen = chosen.sort_values(["start", "id"], kind="stable").head(4)
        if len(chosen) < 3:
            return None
        return {"events": chosen, "weak": weak}

    def objective(self) -> str:
        return "judge how well an event is established from the kind, grade and number of its sources"

    def _describe(self, ids: list[str], cite: Citations) -> str:
        s = self.case.sources.set_index("id", drop=False)
        return "; ".join(
            f"{esc(s.loc[i, 'publisher'])} ({esc(s.loc[i, 'kind'])}, grade "
            f"{esc(s.loc[i, 'reliability'])}) {cite.cite(i)}"
            for i in ids
            if i in s.index
        )

    def prompt(self, cite: Citations) -> str:
        rows = [
            (
                f'<span class="cr-letter">{LETTERS[i]}</span>',
                f"{esc(event_date(r))}: {esc(r['title'])}",
                self._describe(list(r["source_ids"]), cite),
            )
            for i, (_, r) in enumerate(self.pick["events"].iterrows())
        ]
        tab = table(
            ["", "Event", "Its sources (kind, grade)"],
            rows,
            widths=["6%", "44%", "50%"],
            class_="brief-table cr-claims",
        )
        asks = [
            "Which events rest only on weaker sources: copies (wire-copy), rewrites (aggregator), fragments, "
            "or sources graded C or D?",
            "Which rest on a single source?",
            "Choose one of them: what would you look for to confirm it?",
        ]
        lead = f"Here are {W.plural(len(rows), 'event')} of the case with the sources they rest on."
        return f"<p>{lead}</p>{tab}{parts(asks)}"

    def answer(self) -> dict[str, Any]:
        ev, weak = self.pick["events"], self.pick["weak"]
        letters = list(LETTERS[: len(ev)])
        return {
            "weak_only": [
                letters[i] for i, ids in enumerate(ev["source_ids"]) if all(s in weak for s in ids)
            ],
            "single_source": [letters[i] for i, ids in enumerate(ev["source_ids"]) if len(ids) == 1],
        }

    def key(self) -> str:
        a = self.answer()
        return f"(a) {', '.join(a['weak_only']) or 'none'}; (b) {', '.join(a['single_source']) or 'none'}"

    def solution(self, cite: Citations) -> str:
        a = self.answer()
        ev = self.pick["events"]
        notes = [
            f"<b>{LETTERS[i]}</b>: {esc(r['note'])}"
            for i, (_, r) in enumerate(ev.iterrows())
            if str(r.get("note", "") or "").strip()
        ]
        out = [
            f"Only weaker sources: {', '.join(a['weak_only']) or 'none'}. A copy repeats its original and a "
            "rewrite may change it; grades C and D mark sources the case trusts less.",
            f"A single source: {', '.join(a['single_source']) or 'none'}.",
            "Look for the original the copy reproduces, an official statement, or a second outlet with its "
            "own "
            "reporting. " + (f"The case's own notes: {'; '.join(notes)}" if notes else ""),
        ]
        return answers(out)

    def note(self) -> str:
        return (
            "Students tend to trust a well-known outlet's name even on a copy site: point them to the kind "
            "column. Independent confirmation means a second source with its own access to the facts."
        )
