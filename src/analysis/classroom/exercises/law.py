"""Weighing two legal provisions that bear on the case."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    Exercise,
    parts,
)
from analysis.facts import (
    judgement_sources,
    jurisdiction_name,
)


class LawExercise(Exercise):
    kind = "law"
    title = "Weighing two legal provisions"
    minutes = {INTRODUCTORY: 15, ADVANCED: 15}
    mode = "in small groups"
    answer_lines = 9

    def choose(self) -> Any:
        case = self.case
        lp = case.legal_provisions
        if len(lp) < 2:
            return None
        # provisions the case's own judgements rest on come first: they are the ones that decide the case
        cited: list[str] = []
        judgement_of: dict[str, dict] = {}
        for kj in case.meta.get("key_judgements") or []:
            for e in kj.get("evidence") or []:
                if str(e) in set(lp["id"]) and str(e) not in cited:
                    cited.append(str(e))
                    judgement_of.setdefault(str(e), kj)
        order = cited + [i for i in lp["id"] if i not in cited]
        rows = {r["id"]: r for _, r in lp.iterrows()}
        first = rows[order[0]]
        second = next(
            (rows[i] for i in order[1:] if rows[i]["instrument"] != first["instrument"]), rows[order[1]]
        )
        shared = None
        for kj in case.meta.get("key_judgements") or []:
            ev = {str(e) for e in kj.get("evidence") or []}
            if first["id"] in ev and second["id"] in ev:
                shared = kj
                break
        return {"a": first, "b": second, "judgement": shared}

    def _name(self, r: pd.Series) -> str:
        return f"{r['instrument']}, {r['article']}" if r["article"] else str(r["instrument"])

    def objective(self) -> str:
        a, b = self.pick["a"], self.pick["b"]
        return (
            f"weigh two legal provisions against each other ({esc(a['article'] or a['instrument'])} and "
            f"{esc(b['article'] or b['instrument'])}) and argue which should prevail in this case"
        )

    def prompt(self, cite: Citations) -> str:
        case, a, b = self.case, self.pick["a"], self.pick["b"]
        boxes = "".join(
            f'<div class="cr-provision"><p><span class="cr-letter">{k}</span> <b>{esc(self._name(r))}</b> '
            f'<span class="cr-jurisdiction">({esc(jurisdiction_name(case, r["jurisdiction"]))})</span></p>'
            f"<p>{esc(r['summary'])} {cite.cite(r['source_ids'])}</p></div>"
            for k, r in (("A", a), ("B", b))
        )
        asks = [
            "Say in one sentence each what A and B require, and of whom.",
            f"Where do they pull in different directions in this case? The case asks: {esc(case.question)}",
            "Which should carry more weight here, and under what condition? "
            "Argue in five to eight sentences.",
        ]
        if self.ctx.advanced:
            asks.append(
                "What kind of text is each (a treaty, a commentary, a national law, a declaration), and "
                "whom does it bind? How does that change its weight?"
            )
        return boxes + parts(asks)

    def answer(self) -> dict[str, Any]:
        return {
            "provisions": [self.pick["a"]["id"], self.pick["b"]["id"]],
            "judgement": (self.pick["judgement"] or {}).get("id"),
        }

    def key(self) -> str:
        kj = self.pick["judgement"]
        tail = f"; compare the case's judgement {esc(kj.get('id'))}" if kj else ""
        return f"No single answer: marked on the argument{tail}"

    def solution(self, cite: Citations) -> str:
        case, a, b, kj = self.case, self.pick["a"], self.pick["b"], self.pick["judgement"]
        out = []
        for k, r in (("A", a), ("B", b)):
            note = str(r.get("note", "") or "").strip()
            out.append(
                f'<p class="cr-part"><span class="cr-part-label">{k}, why it matters here:</span> '
                f"{esc(r['relevance'])} {cite.cite(r['source_ids'])}"
                + (f' <span class="cr-note">({esc(note)})</span>' if note else "")
                + "</p>"
            )
        if kj:
            src = judgement_sources(case, kj)
            out.append(
                f'<p class="cr-part"><span class="cr-part-label">How the case\'s analysts use both:</span> '
                f"judgement {esc(kj.get('id'))}, “{esc(str(kj.get('text')).strip().rstrip('.'))}”, judged "
                f"<b>{esc(kj.get('likelihood'))}</b>. "
                f"Their reasoning: {esc(kj.get('rationale'))} {cite.cite(src)}</p>"
            )
        out.append(
            '<p class="cr-part">A strong answer states the rule in each text, finds the facts that '
            "bring them into conflict, and resolves it with a reason: which text is more specific, more "
            "recent or more binding on the state that must act, or which reading protects the person "
            "concerned, and at what moment each would apply.</p>"
        )
        return "".join(out)

    def note(self) -> str:
        j = [self.pick["a"]["jurisdiction"], self.pick["b"]["jurisdiction"]]
        names = W.join([esc(jurisdiction_name(self.case, x)) for x in dict.fromkeys(j)])
        return (
            "There is no single right answer; mark the reasoning. Look for (1) an accurate statement of each "
            "rule, (2) the facts that bring them into conflict, (3) a reason for the priority (binding "
            "force, "
            f"specific over general, timing, the person's protection). Jurisdictions: {names}."
        )
