"""Spotting a dispute between sources, and which version the data uses."""

from __future__ import annotations

from typing import Any

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, table
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    LETTERS,
    Exercise,
    parts,
)
from analysis.facts import event_date


class DisputeExercise(Exercise):
    kind = "dispute"
    title = "Spotting a dispute between sources"
    minutes = {INTRODUCTORY: 12, ADVANCED: 12}
    mode = "in pairs"
    answer_lines = 7

    def choose(self) -> Any:
        case = self.case
        if case.disputes.empty:
            return None
        claims = case.dispute_claims
        best = None
        for _, d in case.disputes.iterrows():
            cs = claims[claims["dispute"] == d["id"]].sort_values("claim")
            if len(cs) < 2:
                continue
            about_row = str(d["about_table"]) == "events" and bool(str(d["about_id"]).strip())
            # a dispute about a dated fact is the clearest to teach; then the one with most versions
            rank = (not about_row, -len(cs), len(cs) > 4, str(d["id"]))
            if best is None or rank < best[0]:
                best = (rank, d, cs)
        if best is None:
            return None
        return {"dispute": best[1], "claims": best[2]}

    def objective(self) -> str:
        return (
            "spot where sources disagree, and decide which version to use by asking who knows and how "
            "reliable each source is"
        )

    def _sources(self, ids: list[str], cite: Citations) -> str:
        s = self.case.sources.set_index("id", drop=False)
        out = []
        for i in ids:
            if i not in s.index:
                continue
            r = s.loc[i]
            out.append(
                f"{esc(r['publisher'])} ({esc(r['kind'])}, grade {esc(r['reliability'])}) {cite.cite(i)}"
            )
        return "; ".join(out)

    def prompt(self, cite: Citations) -> str:
        cs = self.pick["claims"]
        rows = [
            (
                f'<span class="cr-letter">{LETTERS[i]}</span>',
                esc(c["statement"]),
                self._sources(list(c["source_ids"]), cite),
            )
            for i, (_, c) in enumerate(cs.iterrows())
        ]
        tab = table(
            ["", "What the source says", "Source (kind, grade)"],
            rows,
            widths=["6%", "60%", "34%"],
            class_="brief-table cr-claims",
        )
        asks = [
            "What exactly do these accounts disagree about?",
            "Which version would you use in a briefing, and why? Consider who was in a position to know, and "
            "the kind and grade of each source (the grades run from A, the most reliable, to D).",
            "How would you write the point so that a reader knows it is disputed?",
        ]
        if self.ctx.advanced:
            asks.append(
                "Are any of these sources copies of one another? If so, how many independent accounts "
                "are there?"
            )
        n = W.plural(len(cs), "account")
        return f"<p>Here are {n} from the sources of the case.</p>{tab}{parts(asks)}"

    def _used(self) -> tuple[str, str] | None:
        """(what the case records, where) when the dispute is about a field of an event."""
        d = self.pick["dispute"]
        if str(d["about_table"]) != "events":
            return None
        ev = self.case.events[self.case.events["id"] == d["about_id"]]
        if ev.empty:
            return None
        r = ev.iloc[0]
        fld = str(d["about_field"] or "")
        value = event_date(r) if fld in ("date", "date_end") else str(r.get(fld, ""))
        return value, str(r["title"])

    def answer(self) -> dict[str, Any]:
        d = self.pick["dispute"]
        used = self._used()
        return {"dispute": d["id"], "versions": len(self.pick["claims"]), "used": used[0] if used else None}

    def key(self) -> str:
        d, a = self.pick["dispute"], self.answer()
        used = f"; the case uses {esc(a['used'])}" if a["used"] else ""
        return f"{esc(d['topic'])}: {a['versions']} versions{used}"

    def solution(self, cite: Citations) -> str:
        d, cs = self.pick["dispute"], self.pick["claims"]
        all_src = [s for ids in cs["source_ids"] for s in ids]
        out = [
            f"The case records this as a dispute, <b>{esc(d['topic'])}</b>: {esc(d['summary'])} "
            f"{cite.cite(all_src)}",
            f"The case's choice: {esc(d['handling'])}" if str(d["handling"]).strip() else "",
        ]
        used = self._used()
        if used:
            out.append(f"On the timeline, “{esc(used[1])}” is dated {esc(used[0])}.")
        if d["about_table"] == "events" and str(d["about_field"]).startswith("date"):
            out.append(
                "For a date, a brief gives the version it uses and says in a note that other sources "
                "differ, with their dates and sources, as the timeline does with its question mark."
            )
        else:
            out.append(
                "A brief states the version it uses and says in the same sentence that other sources "
                "differ, citing both."
            )
        if self.ctx.advanced:
            s = self.case.sources.set_index("id", drop=False)
            ids = [i for i in dict.fromkeys(all_src) if i in s.index]
            copies = [i for i in ids if str(s.loc[i, "original_outlet"]).strip()]
            outlets = sorted({str(s.loc[i, "original_outlet"]) for i in copies})
            of = f" of {W.join([esc(o) for o in outlets])}" if copies else ""
            out.append(
                f"{W.plural(len(ids), 'source')} carry these accounts; "
                f"{W.plural(len(copies), 'is a copy', 'are copies')}{of}. "
                "Copies repeat their original and do not add an independent account."
            )
        return "".join(f'<p class="cr-part">{o}</p>' for o in out if o)

    def note(self) -> str:
        return (
            "The point is method, not the right date: who had first-hand knowledge, whether sources are "
            "independent or copies, and how to write a disputed point honestly. Reward answers that keep "
            "the disagreement visible instead of silently picking a side."
        )
