"""The exercise contract (:class:`Exercise`), what every exercise may use (:class:`Context`), and the
helpers the kinds share (lettered parts, quoted statements, the stance scale table)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, lang_span, table
from analysis.case import Case
from analysis.facts import stance_label

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
    return W.join(out) if out else "none"


def scale_table(case: Case, issue: str | None) -> str:
    """The case's stance scale, with the issue's own words at its ends (``issue`` None: the scale alone)."""
    head = ["Code", "Meaning on the scale"]
    if issue:
        head.append(f"On this issue ({case.issue_label(issue)})")
    rows = []
    for value in sorted(case.stance_scale, reverse=True):
        row = [W.signed(value), esc(case.stance_scale[value])]
        if issue:
            row.append(esc(stance_label(case, issue, value).split(" ", 1)[-1]))
        rows.append(row)
    return table(head, rows, class_="brief-table narrow cr-scale")


def stable_order(ids: list[str]) -> list[int]:
    """A fixed shuffle of positions (by a hash of the ids): the same for every build."""
    keyed = sorted(range(len(ids)), key=lambda i: hashlib.sha256(str(ids[i]).encode()).hexdigest())
    if keyed == sorted(keyed):  # never show the items already in order
        keyed = keyed[1:] + keyed[:1]
    return keyed
