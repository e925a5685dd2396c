"""Reading the timeline: put events in order, measure a span, spot vague dates."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc
from analysis.classroom.exercises.base import (
    ADVANCED,
    INTRODUCTORY,
    LETTERS,
    Exercise,
    answers,
    parts,
    stable_order,
)
from analysis.facts import (
    date_disputes,
    event_date,
)


class TimelineExercise(Exercise):
    kind = "timeline"
    title = "Reading the timeline"
    minutes = {INTRODUCTORY: 10, ADVANCED: 10}
    answer_lines = 5

    def choose(self) -> Any:
        case = self.case
        ev = case.events.sort_values(["start", "id"], kind="stable")
        if len(ev) < 3:
            return None
        disputed = set(date_disputes(case))
        exact = ev[ev["date_precision"].isin(["day", "range"]) & ~ev["id"].isin(disputed)]
        exact = exact.drop_duplicates("start")  # an order question needs distinct dates
        fresh = exact[~exact["id"].isin(self.ctx.told)]
        pool = next((p for p in (fresh[fresh["key"]], fresh, exact) if len(p) >= 4), exact)
        if len(pool) < 3:
            return None
        n = min(4, len(pool))
        chosen = pool.iloc[sorted({round(i * (len(pool) - 1) / (n - 1)) for i in range(n)})]
        shown = [chosen.iloc[i] for i in stable_order(list(chosen["id"]))]
        lanes = self._lanes(ev)
        return {
            "events": ev,
            "chosen": chosen,
            "shown": shown,
            "lanes": lanes,
            "vague": ev[ev["date_precision"].isin(["month", "year"])],
        }

    def _lanes(self, ev: pd.DataFrame) -> Counter:
        """Events per lane of the timeline chart (its own data when drawn, else the same rule)."""
        chart = self.ctx.charts.get("timeline")
        data = getattr(chart, "data", None)
        if data is not None and {"id", "lane"} <= set(data.columns) and data["id"].notna().all():
            return Counter(data.drop_duplicates("id")["lane"])
        group = dict(zip(self.case.actors["id"], self.case.actors["group"], strict=False))
        return Counter(
            next((str(group[a]) for a in ids if str(group.get(a, "")).strip()), "Other")
            for ids in ev["actors"]
        )

    def objective(self) -> str:
        p = self.pick
        return (
            f"read a timeline of {W.plural(len(p['events']), 'event')}: put events in order, measure the "
            "time between them and see whose actions the record is made of"
        )

    def _letter(self, event_id: str) -> str:
        ids = [r["id"] for r in self.pick["shown"]]
        return LETTERS[ids.index(event_id)]

    def prompt(self, cite: Citations) -> str:
        p, ctx = self.pick, self.ctx
        items = "".join(
            f'<li><span class="cr-letter">{LETTERS[i]}</span> {esc(r["title"])}</li>'
            for i, r in enumerate(p["shown"])
        )
        asks = [
            f"Put these {W.plural(len(p['shown']), 'event')} in the order in which they happened:"
            f'<ul class="cr-items">{items}</ul>',
            "About how much time passed between the first and the last of them?",
            "Which group of actors (a row of the timeline) has the most events? What does that suggest about "
            "whose actions and statements the record is made of?",
        ]
        if ctx.advanced:
            asks.append(
                "Some events are dated only to a month or a year. How many, how does the timeline "
                "draw them, and why does it matter when you put events in order?"
            )
        lead = (
            f"{ctx.figure_ref('timeline')} shows every event the case records up to "
            f"{esc(W.day(ctx.as_of))}, in rows by group of actors; key events carry a label."
        )
        return f"<p>{lead}</p>{parts(asks)}"

    def answer(self) -> dict[str, Any]:
        p = self.pick
        chosen = p["chosen"]
        first, last = chosen.iloc[0], chosen.iloc[-1]
        lane, count = sorted(p["lanes"].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return {
            "order": [self._letter(i) for i in chosen["id"]],
            "order_ids": list(chosen["id"]),
            "days": int((last["start"] - first["start"]).days),
            "top_lane": lane,
            "top_lane_events": int(count),
            "events": len(p["events"]),
            "vague_dates": len(p["vague"]),
        }

    def key(self) -> str:
        a = self.answer()
        out = (
            f"(a) {', '.join(a['order'])}; (b) {a['days']} days ({W.about_months(a['days'])}); "
            f"(c) {esc(a['top_lane'])}, {a['top_lane_events']} of {a['events']} events"
        )
        if self.ctx.advanced:
            out += f"; (d) {a['vague_dates']}"
        return out

    def solution(self, cite: Citations) -> str:
        p, a = self.pick, self.answer()
        steps = [
            f"<b>{self._letter(r['id'])}</b> {esc(event_date(r))}: {esc(r['title'])} "
            f"{cite.cite(r['source_ids'])}"
            for _, r in p["chosen"].iterrows()
        ]
        first, last = p["chosen"].iloc[0], p["chosen"].iloc[-1]
        lanes = sorted(p["lanes"].items(), key=lambda kv: (-kv[1], kv[0]))
        others = ", ".join(f"{esc(k)} {v}" for k, v in lanes[1:4])
        out = [
            f"In order: {'; '.join(steps)}.",
            f"{a['days']} days, {W.about_months(a['days'])}: from {esc(event_date(first))} "
            f"to {esc(event_date(last))}.",
            f"<b>{esc(a['top_lane'])}</b>, with {a['top_lane_events']} of the {a['events']} events"
            f"{f' (then {others})' if others else ''}. An event sits in the row of the first actor it names. "
            "A record dominated by one group is seen largely through that group's actions and statements: "
            "ask whose actions are missing, and whether that reflects events or the sources read.",
        ]
        if self.ctx.advanced:
            vague = p["vague"]
            names = "; ".join(f"{esc(r['title'])} ({esc(event_date(r))})" for _, r in vague.iterrows())
            out.append(
                f"{W.plural(len(vague), 'event')} {'is' if len(vague) == 1 else 'are'} dated only to a "
                "month or "
                f"a year{f': {names}' if names else ''}. The timeline draws them as a span over the whole "
                "month or year, so they cannot be placed before or after a dated event within that span."
            )
        return answers(out)

    def note(self) -> str:
        return (
            "Students should read dates from the labels and the axis, not from the order of the rows. "
            "For (b), accept a round figure in months. Part (c) opens the question of perspective: a "
            "record built from one country's media and officials tells their side first."
        )
