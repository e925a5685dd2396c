"""Coding a stance from a quoted statement, against the case's scale."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc
from analysis.classroom.exercises.base import (
    ADVANCED,
    CONFIDENCE_ORDER,
    INTRODUCTORY,
    LETTERS,
    Exercise,
    parts,
    quote_block,
    scale_table,
)
from analysis.facts import (
    field_descriptions,
    stance_label,
)

_ROW_ID = re.compile(r"\b[A-Z]{1,3}\d{2,4}\b")


class CodingExercise(Exercise):
    kind = "coding"
    title = "Coding a stance from a statement"
    minutes = {INTRODUCTORY: 12, ADVANCED: 15}
    mode = "in pairs"
    answer_lines = 6

    def choose(self) -> Any:
        case, ctx = self.case, self.ctx
        pos = case.positions
        if pos.empty or not case.stance_scale:
            return None
        cand = pos[
            (pos["basis"] == "quote")
            & pos["stance"].notna()
            & (pos["evidence_language"].astype(str) == ctx.lang)
        ].copy()
        cand = cand[cand["evidence"].astype(str).str.len().between(25, 300)]
        if cand.empty:
            cand = pos[(pos["basis"] == "quote") & pos["stance"].notna()].copy()
        if cand.empty:
            return None
        cand["_s"] = cand["stance"].astype(int)
        # a hedged statement (+1, -1 or 0) teaches more than an outright one; well-sourced first
        cand["_rank"] = [
            (
                CONFIDENCE_ORDER.get(str(r["confidence"]), 3),
                {1: 0, 0: 1, 2: 2}.get(abs(r["_s"]), 3),
                r["issue"] != ctx.main_issue,
                -r["start"].toordinal() if pd.notna(r["start"]) else 0,
                r["id"],
            )
            for _, r in cand.iterrows()
        ]
        cand = cand.sort_values("_rank", kind="stable")
        picks = [cand.iloc[0]]
        if ctx.advanced:  # a second statement by another actor, coded differently, on the same issue if any
            other = cand[(cand["actor"] != picks[0]["actor"]) & (cand["_s"] != picks[0]["_s"])]
            other = other.assign(_other_issue=other["issue"] != picks[0]["issue"])
            other = other.sort_values(["_other_issue", "_rank"], kind="stable")
            if len(other):
                picks.append(other.iloc[0])
        return {"positions": picks, "descriptions": field_descriptions(case)}

    def objective(self) -> str:
        return (
            "code an actor's stance from its own words against the case's documented scale, and "
            "justify the code"
        )

    def _context(self, r: pd.Series) -> str:
        q = self.case.quotes
        hit = q[
            (q["speaker"] == r["actor"]) & (q["text"].astype(str).str.strip() == str(r["evidence"]).strip())
        ]
        text = str(hit["context"].iloc[0]).strip() if len(hit) else ""
        # a context that points at other rows of the data ("see K08") is written for analysts
        return "" if _ROW_ID.search(text) else text

    def prompt(self, cite: Citations) -> str:
        case, p = self.case, self.pick
        blocks, asked = [], set()
        for i, r in enumerate(p["positions"]):
            who = esc(case.actor_name(r["actor"]))
            ctxt = self._context(r)
            label = f"Statement {LETTERS[i]}: " if len(p["positions"]) > 1 else ""
            question = "" if r["issue"] in asked else f" ({esc(self._question(r['issue']))})"
            asked.add(r["issue"])
            blocks.append(
                f'<p class="cr-lead">{label}<b>{who}</b>, {esc(W.partial_or_text(r["date"]))}, on '
                f"<b>{esc(case.issue_label(r['issue']))}</b>{question}"
                f"{f'. {esc(ctxt)}' if ctxt else ''}</p>"
                + quote_block(
                    str(r["evidence"]),
                    str(r["evidence_language"]),
                    f'<p class="cr-quote-source">{cite.cite(r["source_ids"])}</p>',
                )
            )
        issues = {r["issue"] for r in p["positions"]}
        scale = scale_table(case, next(iter(issues)) if len(issues) == 1 else None)
        which = "each statement" if len(p["positions"]) > 1 else "the statement"
        asks = [
            f"Which code from −2 to +2 would you give {which}?",
            "Quote the words that decided your code.",
            "What would the speaker have had to say for you to code it one step higher or lower?",
        ]
        if self.ctx.advanced:
            conf = p["descriptions"].get(("positions", "confidence"), "")
            asks.append(
                "How well is each of your codings established: high, medium or low confidence?"
                + (f' <span class="cr-note">The case\'s definition: {esc(conf)}</span>' if conf else "")
            )
        return "".join(blocks) + '<p class="cr-lead">The case\'s scale:</p>' + scale + parts(asks)

    def _question(self, issue: str) -> str:
        row = self.case.issues.loc[self.case.issues["id"] == issue]
        return str(row["question"].iloc[0]) if len(row) else ""

    def answer(self) -> dict[str, Any]:
        ps = self.pick["positions"]
        return {
            "positions": [r["id"] for r in ps],
            "stances": [int(r["stance"]) for r in ps],
            "basis": [str(r["basis"]) for r in ps],
            "confidence": [str(r["confidence"]) for r in ps],
        }

    def key(self) -> str:
        ps = self.pick["positions"]
        codes = [f"{LETTERS[i] + ': ' if len(ps) > 1 else ''}{W.signed(r['stance'])}"
                 for i, r in enumerate(ps)]
        out = "(a) " + ", ".join(codes)
        if self.ctx.advanced:
            out += "; (d) confidence " + "; ".join(
                f"{LETTERS[i] + ': ' if len(ps) > 1 else ''}{esc(r['confidence'])}" for i, r in enumerate(ps)
            )
        return out + " (accept one step either way with a reasoned case)"

    def solution(self, cite: Citations) -> str:
        case = self.case
        out = []
        for i, r in enumerate(self.pick["positions"]):
            label = f"Statement {LETTERS[i]}. " if len(self.pick["positions"]) > 1 else ""
            note = str(r.get("coder_note", "") or "").strip()
            out.append(
                f'<p class="cr-part">{label}The case codes it '
                f"<b>{esc(stance_label(case, r['issue'], r['stance']))}"
                f"</b> (basis: {esc(r['basis'])}, confidence: {esc(r['confidence'])}). In the case's words: "
                f"{esc(r['summary'])} {cite.cite(r['source_ids'])}</p>"
                + (
                    '<p class="cr-part"><span class="cr-part-label">The analyst\'s reasoning:</span> '
                    f"{esc(note)}</p>"
                    if note
                    else ""
                )
            )
        out.append(
            '<p class="cr-part">A good answer quotes the decisive words, names the scale point they fit, '
            "and says what is missing for the next point (a commitment, a condition removed, an action "
            "rather than words).</p>"
        )
        return "".join(out)

    def note(self) -> str:
        return (
            "Accept a code one step away when it rests on the words of the statement. Watch for answers "
            "that code what the student thinks of the issue, or what the actor did later, rather than what "
            'this statement says. Conditions ("if ...") and passive forms usually lower a code by a step.'
        )
