"""Exercises generated from a case: each kind picks its material from the data and computes its answer.

Every kind is a class that, given the as-of case, either finds what it needs (a statement to code, two
provisions to weigh, a dispute, a judgement...) or says it is not available for this case, so a new case
gets a classroom edition without code changes. The student part (:meth:`Exercise.prompt`) and the
instructor's part (:meth:`Exercise.solution`, :meth:`Exercise.note`, :meth:`Exercise.key`) are rendered
separately: the prompts are rendered first so that the sources they cite are numbered before those only
the solutions cite. Answers that can be checked (counts, orders, codes) are in :meth:`Exercise.answer`,
computed from the data, so the key follows the data when it changes.

The connecting words are the code's; every fact, name, date and number is read or computed from the case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from analysis.brief.citations import Citations
from analysis.brief.evidence import weak_source_ids
from analysis.brief.markup import esc, join_words, lang_span, plural, table
from analysis.brief.sections import (
    date_disputes,
    day,
    event_date,
    field_descriptions,
    judgement_sources,
    jurisdiction_name,
    partial,
    stance_label,
)
from analysis.case import Case

INTRODUCTORY, ADVANCED = "introductory", "advanced"
MIN_EXERCISES = 6
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}
LETTERS = "ABCDEFGH"


@dataclass
class Context:
    """What every exercise may use: the as-of case, the level, figure numbers and drawn charts."""

    case: Case
    level: str
    main_issue: str
    figures: dict[str, int] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)
    #: events the narrative already tells (the timeline exercise asks about others)
    told: set[str] = field(default_factory=set)

    @property
    def advanced(self) -> bool:
        return self.level == ADVANCED

    @property
    def as_of(self) -> dt.date:
        return self.case.as_of_date or self.case.default_as_of

    @property
    def lang(self) -> str:
        return str(self.case.meta.get("language", "en") or "en")

    def figure_ref(self, slot: str) -> str:
        n = self.figures.get(slot)
        return f"Figure {n}" if n else "the figure"


class Exercise:
    """One exercise. Subclasses set the class attributes and implement :meth:`choose` and the parts."""

    kind: ClassVar[str]
    title: ClassVar[str]
    #: suggested minutes at each level
    minutes: ClassVar[Mapping[str, int]]
    #: how the class works on it
    mode: ClassVar[str] = "individually"
    #: levels that get this exercise
    levels: ClassVar[tuple[str, ...]] = (INTRODUCTORY, ADVANCED)
    #: height of the answer box in the handout, in lines
    answer_lines: ClassVar[int] = 6
    #: used only when a case offers fewer than :data:`MIN_EXERCISES` of the others
    fallback: ClassVar[bool] = False

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.case = ctx.case
        self.pick: Any = self.choose() if ctx.level in self.levels else None

    @property
    def available(self) -> bool:
        """Whether the case has what this exercise needs (and the level gets it)."""
        return self.pick is not None

    def suggested_minutes(self) -> int:
        return int(self.minutes.get(self.ctx.level, max(self.minutes.values())))

    # -- to implement --------------------------------------------------------------------------------
    def choose(self) -> Any:
        """The material for the exercise, chosen from the data; None when the case lacks it."""
        raise NotImplementedError

    def objective(self) -> str:
        """One learning objective (HTML), completing 'By the end of the class you can ...'."""
        raise NotImplementedError

    def prompt(self, cite: Citations) -> str:
        """The exercise as students see it (HTML, without its heading)."""
        raise NotImplementedError

    def solution(self, cite: Citations) -> str:
        """The worked solution (HTML)."""
        raise NotImplementedError

    def key(self) -> str:
        """The answer key in a line or two (HTML), for the teacher note and the answer key table."""
        raise NotImplementedError

    def note(self) -> str:
        """What to look for when marking, and where students go wrong (HTML)."""
        raise NotImplementedError

    def answer(self) -> dict[str, Any]:
        """The checkable answers as plain values (the tests compare them with the data)."""
        return {}


# -- shared helpers --------------------------------------------------------------------------------------
def parts(items: list[str]) -> str:
    """Lettered parts (a), (b), ... of an exercise."""
    return '<ol class="cr-parts" type="a">' + "".join(f"<li>{i}</li>" for i in items if i) + "</ol>"


def answers(items: list[str]) -> str:
    """The solution's answers, lettered like the parts."""
    return "".join(
        f'<p class="cr-part"><span class="cr-part-label">({"abcdefgh"[i]})</span> {a}</p>'
        for i, a in enumerate(items)
        if a
    )


def quote_block(text: str, lang: str, source: str = "") -> str:
    return f'<blockquote class="cr-quote"><p>{lang_span(text, lang)}</p>{source}</blockquote>'


def stated_latest(case: Case, issue: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(stated, silent): each actor's latest position on ``issue``, split by whether it has a stance."""
    latest = case.latest_positions()
    if latest.empty:
        return latest, latest
    latest = latest[latest["issue"] == issue].copy()
    latest["_name"] = [case.actor_name(a) for a in latest["actor"]]
    latest = latest.sort_values(["_name", "actor"], kind="stable")
    stated = latest[latest["basis"] != "none"].copy()
    stated["stance"] = stated["stance"].astype(int)
    return stated, latest[latest["basis"] == "none"]


def names_cited(
    rows: pd.DataFrame, cite: Citations | None, with_stance: Callable[[Any], str] | None = None
) -> str:
    out = []
    for _, r in rows.iterrows():
        extra = f" ({esc(with_stance(r))})" if with_stance else ""
        c = f" {cite.cite(r['source_ids'])}" if cite is not None else ""
        out.append(f"{esc(r['_name'])}{extra}{c}")
    return join_words(out) if out else "none"


def signed(value: int) -> str:
    """'+2', '-1', '0' (zero has no sign)."""
    return f"{int(value):+d}" if int(value) else "0"


def months(days: int) -> str:
    m = round(days / 30.44)
    return f"about {plural(m, 'month')}" if m >= 1 else "less than a month"


def scale_table(case: Case, issue: str | None) -> str:
    """The case's stance scale, with the issue's own words at its ends (``issue`` None: the scale alone)."""
    head = ["Code", "Meaning on the scale"]
    if issue:
        head.append(f"On this issue ({case.issue_label(issue)})")
    rows = []
    for value in sorted(case.stance_scale, reverse=True):
        row = [f"{value:+d}" if value else "0", esc(case.stance_scale[value])]
        if issue:
            row.append(esc(stance_label(case, issue, value).split(" ", 1)[-1]))
        rows.append(row)
    return table(head, rows, class_="brief-table narrow cr-scale")


def _stable_order(ids: list[str]) -> list[int]:
    """A fixed shuffle of positions (by a hash of the ids): the same for every build."""
    keyed = sorted(range(len(ids)), key=lambda i: hashlib.sha256(str(ids[i]).encode()).hexdigest())
    if keyed == sorted(keyed):  # never show the items already in order
        keyed = keyed[1:] + keyed[:1]
    return keyed


# ---------------------------------------------------------------------------------------------------
# Reading the timeline
# ---------------------------------------------------------------------------------------------------
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
        shown = [chosen.iloc[i] for i in _stable_order(list(chosen["id"]))]
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
            f"read a timeline of {plural(len(p['events']), 'event')}: put events in order, measure the "
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
            f"Put these {plural(len(p['shown']), 'event')} in the order in which they happened:"
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
            f"{esc(day(ctx.as_of))}, in rows by group of actors; key events carry a label."
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
            f"(a) {', '.join(a['order'])}; (b) {a['days']} days ({months(a['days'])}); "
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
            f"{a['days']} days, {months(a['days'])}: from {esc(event_date(first))} "
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
                f"{plural(len(vague), 'event')} {'is' if len(vague) == 1 else 'are'} dated only to a "
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


# ---------------------------------------------------------------------------------------------------
# Reading the position map
# ---------------------------------------------------------------------------------------------------
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
        tops = join_words([f"{esc(r['_name'])} ({signed(r['stance'])})" for _, r in top.iterrows()])
        out = (
            f"(a) {a['support']} support, {a['oppose']} oppose, {a['neutral']} neutral; (b) {tops}; "
            f"(c) {plural(len(a['no_position']), 'actor')}"
        )
        if self.ctx.advanced:
            out += f"; (d) {len(a['influential_supporters'])}"
        return out

    def solution(self, cite: Citations) -> str:
        case, p = self.case, self.pick
        stated, silent, top = p["stated"], p["silent"], p["top"]
        issue = p["issue"]

        def stance(r):
            return signed(r["stance"])

        sup, opp, neu = (
            stated[stated["stance"] > 0],
            stated[stated["stance"] < 0],
            stated[stated["stance"] == 0],
        )
        out = [
            f"<b>{len(sup)} support</b>: {names_cited(sup, cite, stance)}. <b>{len(opp)} oppose</b>: "
            f"{names_cited(opp, cite, stance)}. <b>{len(neu)} neutral</b>: {names_cited(neu, cite)}.",
            join_words(
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
                f"{plural(len(silent), 'actor')}: {names_cited(silent, cite)}. "
                "Silence is not neutrality: the "
                "case codes no stance for them, and the map lists them beside the grid, not at zero."
                if len(silent)
                else "Every actor coded on this issue has a public position."
            ),
        ]
        if self.ctx.advanced:
            strong = sup[sup["influence"] >= 4]
            out.append(
                f"{plural(len(strong), 'supporter')} with influence 4 or 5: {names_cited(strong, None)}. "
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


# ---------------------------------------------------------------------------------------------------
# Coding a stance from a quoted statement
# ---------------------------------------------------------------------------------------------------
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
                f'<p class="cr-lead">{label}<b>{who}</b>, {esc(partial(r["date"]))}, on '
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
        codes = [f"{LETTERS[i] + ': ' if len(ps) > 1 else ''}{signed(r['stance'])}" for i, r in enumerate(ps)]
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


# ---------------------------------------------------------------------------------------------------
# Weighing two legal provisions
# ---------------------------------------------------------------------------------------------------
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
        names = join_words([esc(jurisdiction_name(self.case, x)) for x in dict.fromkeys(j)])
        return (
            "There is no single right answer; mark the reasoning. Look for (1) an accurate statement of each "
            "rule, (2) the facts that bring them into conflict, (3) a reason for the priority (binding "
            "force, "
            f"specific over general, timing, the person's protection). Jurisdictions: {names}."
        )


# ---------------------------------------------------------------------------------------------------
# Spotting a dispute between sources
# ---------------------------------------------------------------------------------------------------
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
        n = plural(len(cs), "account")
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
            of = f" of {join_words([esc(o) for o in outlets])}" if copies else ""
            out.append(
                f"{plural(len(ids), 'source')} carry these accounts; "
                f"{plural(len(copies), 'is a copy', 'are copies')}{of}. "
                "Copies repeat their original and do not add an independent account."
            )
        return "".join(f'<p class="cr-part">{o}</p>' for o in out if o)

    def note(self) -> str:
        return (
            "The point is method, not the right date: who had first-hand knowledge, whether sources are "
            "independent or copies, and how to write a disputed point honestly. Reward answers that keep "
            "the disagreement visible instead of silently picking a side."
        )


# ---------------------------------------------------------------------------------------------------
# Fallback: judging the sources behind events
# ---------------------------------------------------------------------------------------------------
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
        lead = f"Here are {plural(len(rows), 'event')} of the case with the sources they rest on."
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


# ---------------------------------------------------------------------------------------------------
# Predicting with a likelihood term
# ---------------------------------------------------------------------------------------------------
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
                    f"{case.actor_name(r['actor'])} ({partial(r['date'])}): {r['summary']}",
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
        yard_rows = [(esc(t["term"]), f"{esc(t.get('min'))}–{esc(t.get('max'))}%") for t in p["terms"]]
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
        return f"{t.get('min')}–{t.get('max')}%" if t else ""

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


# ---------------------------------------------------------------------------------------------------
# Advanced: shifts in position
# ---------------------------------------------------------------------------------------------------
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
            f"{esc(day(self.ctx.as_of))}.</p>{parts(asks)}"
        )

    def answer(self) -> dict[str, Any]:
        return {
            "issue": self.pick["issue"],
            "shifts": {r["actor"]: tuple(_steps(r["path"])) for r in self._rows()},
        }

    def key(self) -> str:
        return "(a) " + "; ".join(
            f"{esc(r['name'])} {' → '.join(signed(x) for x in _steps(r['path']))}" for r in self._rows()
        )

    def solution(self, cite: Citations) -> str:
        items = []
        for r in self._rows():
            rows = r["rows"]
            moves = rows[rows["stance"].astype(int).diff().fillna(1) != 0]  # the first coding of each stance
            steps = " → ".join(
                f"{signed(p['stance'])} ({esc(partial(p['date']))}) {cite.cite(p['source_ids'])}"
                for _, p in moves.iterrows()
            )
            last = r["rows"].iloc[-1]
            items.append(f"<li><b>{esc(r['name'])}</b>: {steps}. Latest: {esc(last['summary'])}</li>")
        more = (
            f'<p class="cr-note">{plural(self.pick["more"], "smaller change")} '
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


# ---------------------------------------------------------------------------------------------------
# Advanced: a small pandas task on the case data
# ---------------------------------------------------------------------------------------------------
#: The code the student notebook gives under the pandas exercise (the notebook's answer cell holds it too).
STARTER_CODE = """\
import pandas as pd

positions = pd.read_csv(room.data_file("positions.csv"))
actors = pd.read_csv(room.data_file("actors.csv"))
positions.head()"""


# The guide prints this function as the pandas task's solution: its lines fit the printed code box.
def stance_by_group(positions: pd.DataFrame, actors: pd.DataFrame, issue: str, as_of: str):
    """Mean stance and count of coded positions per actor group on one issue, up to a date."""
    coded = positions[positions["stance"].notna() & (positions["issue"] == issue)]
    # dates are text (2025-10-14, 2025-10 or 2025): compared as text, they sort in time order
    coded = coded[coded["date"].astype(str) <= as_of]
    merged = coded.merge(actors[["id", "group"]], left_on="actor", right_on="id")
    table = merged.groupby("group")["stance"].agg(positions="count", mean_stance="mean")
    return table.sort_values(["mean_stance", "positions"], ascending=False).round(2)


class PandasExercise(Exercise):
    kind = "pandas"
    title = "A pandas task on the case data"
    minutes = {ADVANCED: 20}
    levels = (ADVANCED,)
    answer_lines = 6

    def choose(self) -> Any:
        issue = self.ctx.main_issue
        path = self.case.path
        if not issue or not (path / "positions.csv").is_file() or not (path / "actors.csv").is_file():
            return None
        positions = pd.read_csv(path / "positions.csv", encoding="utf-8-sig")
        actors = pd.read_csv(path / "actors.csv", encoding="utf-8-sig")
        result = stance_by_group(positions, actors, issue, self.ctx.as_of.isoformat())
        if result.empty:
            return None
        return {"issue": issue, "result": result, "rows": int(result["positions"].sum())}

    def objective(self) -> str:
        return "answer a question about the case with pandas: filter, join and group the case's tables"

    def prompt(self, cite: Citations) -> str:
        issue, as_of = self.pick["issue"], self.ctx.as_of.isoformat()
        asks = [
            f"How many coded positions (rows with a stance) on the issue <code>{esc(issue)}</code> are "
            "dated on "
            f"or before {esc(as_of)}?",
            "Join them with the actors table and find the actor group with the highest mean stance, and "
            "the one "
            "with the lowest.",
            "Why is a mean of codes from −2 to +2 only a rough summary? Name two things it hides.",
        ]
        return (
            "<p>In the student notebook, the cell under this exercise loads two tables of the case "
            "(<code>positions.csv</code> and <code>actors.csv</code>) with pandas:</p>"
            f'<pre class="cr-code">{esc(STARTER_CODE)}</pre>'
            f"<p>Dates in the files are text such as <code>2025-10-14</code>, <code>2025-10</code> or "
            f"<code>2025</code>; compared as text they sort in time order.</p>{parts(asks)}"
        )

    def answer(self) -> dict[str, Any]:
        r = self.pick["result"]
        return {
            "rows": self.pick["rows"],
            "highest": str(r.index[0]),
            "lowest": str(r.index[-1]),
            "table": {g: (int(v["positions"]), float(v["mean_stance"])) for g, v in r.iterrows()},
        }

    def key(self) -> str:
        a = self.answer()
        r = self.pick["result"]
        return (
            f"(a) {a['rows']}; (b) highest {esc(a['highest'])} ({r.iloc[0]['mean_stance']:+.2f}), "
            f"lowest {esc(a['lowest'])} ({r.iloc[-1]['mean_stance']:+.2f})"
        )

    def solution(self, cite: Citations) -> str:
        a, r = self.answer(), self.pick["result"]
        code = textwrap.dedent(inspect.getsource(stance_by_group))
        call = (
            f'stance_by_group(positions, actors, issue="{self.pick["issue"]}", '
            f'as_of="{self.ctx.as_of.isoformat()}")'
        )
        rows = [(esc(g), str(int(v["positions"])), f"{v['mean_stance']:+.2f}") for g, v in r.iterrows()]
        tab = table(["Group", "Coded positions", "Mean stance"], rows, class_="brief-table narrow")
        return f'<pre class="cr-code">{esc(code)}\n{esc(call)}</pre>{tab}' + answers(
            [
                f"{a['rows']} coded positions.",
                f"Highest: <b>{esc(a['highest'])}</b>; lowest: <b>{esc(a['lowest'])}</b>.",
                "A mean treats the codes as distances on a ruler, gives one vote to each coded statement "
                "(an actor that speaks often counts more), and hides both influence and change over time.",
            ]
        )

    def note(self) -> str:
        return (
            "The join is the step that fails most often (the key is <code>actor</code> in positions and "
            "<code>id</code> in actors). Students who keep only each actor's latest position get a "
            "different, "
            "also defensible table: ask them to say which question each version answers."
        )


#: Every kind, in the order a lesson uses them (and numbers them).
KINDS: tuple[type[Exercise], ...] = (
    TimelineExercise,
    PositionsExercise,
    CodingExercise,
    LawExercise,
    DisputeExercise,
    SourcesExercise,
    PredictionExercise,
    ShiftsExercise,
    PandasExercise,
)


def make_exercises(ctx: Context) -> list[Exercise]:
    """The exercises this case supports at this level, in lesson order.

    A case that lacks the material for some kinds (no dispute, no legal provision...) gets the fallback
    kinds instead, as far as it can, so that a lesson has at least :data:`MIN_EXERCISES`.
    """
    made = [k(ctx) for k in KINDS]
    regular = [e for e in made if e.available and not e.fallback]
    spare = [e for e in made if e.available and e.fallback]
    chosen = {id(e) for e in regular + spare[: max(MIN_EXERCISES - len(regular), 0)]}
    return [e for e in made if id(e) in chosen]


def weak_share(case: Case) -> tuple[int, int]:
    """(events resting only on weaker sources or on a single source, all events): for discussion."""
    weak = weak_source_ids(case)
    ev = case.events
    n = sum(1 for ids in ev["source_ids"] if len(ids) == 1 or all(s in weak for s in ids))
    return n, len(ev)
