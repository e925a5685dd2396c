"""Predicting with a likelihood term, from the evidence behind a key judgement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, table
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    Exercise,
    parts,
)
from analysis.facts import (
    event_date,
    judgement_sources,
)


class PredictionExercise(Exercise):
    kind = "prediction"
    title = "Making a prediction with a likelihood term"
    minutes = {INTRODUCTORY: 15, ADVANCED: 15}
    answer_lines = 8

    def choose(self) -> Any:
        case = self.case
        yard = case.meta.get("likelihood_yardstick") or {}
        terms = yard.get("terms") or []
        if not terms:
            return None
        for kj in case.meta.get("key_judgements") or []:
            if judgement_sources(case, kj) and str(kj.get("likelihood")) in {str(t["term"]) for t in terms}:
                items = self._evidence(kj)
                if items:
                    return {"kj": kj, "yard": yard, "terms": terms, "items": items}
        return None

    def _evidence(self, kj: Mapping) -> list[tuple[str, str, list[str]]]:
        """(kind, text, source ids) for each evidence id known on the as-of date, in the judgement's order."""
        case = self.case
        out = []
        for ident in [str(e) for e in kj.get("evidence") or []]:
            hit = None
            ev = case.events[case.events["id"] == ident]
            if len(ev):
                r = ev.iloc[0]
                hit = ("event", f"{event_date(r)}: {r['title']}", list(r["source_ids"]))
            pos = case.positions[case.positions["id"] == ident]
            if hit is None and len(pos):
                r = pos.iloc[0]
                hit = (
                    "position",
                    f"{case.actor_name(r['actor'])} ({W.partial_or_text(r['date'])}): {r['summary']}",
                    list(r["source_ids"]),
                )
            lp = case.legal_provisions[case.legal_provisions["id"] == ident]
            if hit is None and len(lp):
                r = lp.iloc[0]
                hit = ("law", f"{r['instrument']}, {r['article']}: {r['summary']}", list(r["source_ids"]))
            dd = case.disputes[case.disputes["id"] == ident]
            if hit is None and len(dd):
                r = dd.iloc[0]
                cs = case.dispute_claims[case.dispute_claims["dispute"] == ident]
                hit = ("dispute", f"Disputed: {r['topic']}", [s for ids in cs["source_ids"] for s in ids])
            src = case.sources[case.sources["id"] == ident]
            if hit is None and len(src):
                r = src.iloc[0]
                hit = ("source", f"{r['publisher']}: {r['title']}", [ident])
            if hit is not None and hit[2]:
                out.append(hit)
        return out

    def objective(self) -> str:
        name = self.pick["yard"].get("name") or "the case's likelihood yardstick"
        return (
            f"make a prediction with a calibrated likelihood term ({esc(name)}) and justify it from evidence"
        )

    def _shown_items(self) -> list[tuple[str, str, list[str]]]:
        items = self.pick["items"]
        return items if self.ctx.advanced else items[:6]

    def prompt(self, cite: Citations) -> str:
        p = self.pick
        yard_rows = [(esc(t["term"]), W.number_range(esc(t.get("min")), esc(t.get("max")), "%"))
                     for t in p["terms"]]
        yard = table(["Term", "Probability"], yard_rows, class_="brief-table narrow cr-yardstick")
        ev = "".join(f"<li>{esc(text)} {cite.cite(src)}</li>" for _, text, src in self._shown_items())
        levels = self.case.meta.get("confidence_levels") or {}
        conf = (
            table(
                ["Confidence", "Meaning"],
                [(esc(k), esc(v)) for k, v in levels.items()],
                class_="brief-table cr-confidence",
                widths=["18%", "82%"],
            )
            if levels
            else ""
        )
        asks = [
            "Choose one term from the yardstick for how likely this is.",
            "Justify your term with at least two pieces of the evidence above.",
            f"How confident are you in your judgement?{' Use the levels below.' if conf else ''}",
        ]
        if self.ctx.advanced:
            asks.append(
                "Name one development that would move your estimate up and one that would move it down."
            )
        return (
            f'<p class="cr-lead">How likely is it that:</p>'
            f'<p class="cr-statement">{esc(p["kj"].get("text"))}</p>'
            f"<p>The yardstick ({esc(p['yard'].get('name', ''))}):</p>{yard}"
            f'<p>Evidence from the case:</p><ul class="cr-evidence">{ev}</ul>{parts(asks)}{conf}'
        )

    def answer(self) -> dict[str, Any]:
        kj = self.pick["kj"]
        return {
            "judgement": kj.get("id"),
            "likelihood": kj.get("likelihood"),
            "confidence": kj.get("confidence"),
        }

    def _range(self) -> str:
        term = str(self.pick["kj"].get("likelihood"))
        t = next((t for t in self.pick["terms"] if str(t["term"]) == term), {})
        return W.number_range(t.get("min"), t.get("max"), "%") if t else ""

    def key(self) -> str:
        kj = self.pick["kj"]
        return (
            f"The case's analysts: <b>{esc(kj.get('likelihood'))}</b> ({esc(self._range())}), confidence "
            f"{esc(kj.get('confidence'))}; accept a neighbouring term with a good argument"
        )

    def solution(self, cite: Citations) -> str:
        case, kj = self.case, self.pick["kj"]
        src = judgement_sources(case, kj)
        inds = [
            i
            for i in case.meta.get("indicators") or []
            if str(kj.get("id")) in [str(j) for j in i.get("judgements") or []]
        ]
        out = [
            f"The case's analysts judge it <b>{esc(kj.get('likelihood'))}</b> ({esc(self._range())}), with "
            f"<b>{esc(kj.get('confidence'))}</b> confidence (judgement {esc(kj.get('id'))}).",
            f"Their reasoning: {esc(kj.get('rationale'))} {cite.cite(src)}",
        ]
        if inds:
            out.append(
                "What would change it, according to the case: "
                + "".join(
                    f'<span class="cr-indicator">{esc(i.get("text"))}</span> ' for i in inds[:3]
                ).strip()
            )
        out.append(
            "A good answer names a term from the yardstick, not a term of its own; ties it to specific "
            "evidence on both sides; and keeps likelihood (how probable) apart from confidence (how "
            "solid the evidence is)."
        )
        return "".join(f'<p class="cr-part">{o}</p>' for o in out)

    def note(self) -> str:
        return (
            "Collect the terms on the board before revealing the case's: the spread is the lesson. "
            "Students often mix up likelihood and confidence, and pick the comfortable middle term without "
            "a reason. Accept a neighbouring term when the justification weighs evidence on both sides."
        )
