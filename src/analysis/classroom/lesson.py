"""One classroom edition of a case: what ``notebooks/classroom.ipynb`` shows, cell by cell.

:meth:`Classroom.start` checks the parameters, finds the case (shipped next to the notebook, else by
package path), opens the notebook session on it (:mod:`analysis.session`: loaded, validated and sliced
once, as for a brief) and hands the edition's metadata to the exporter. Everything is rendered when
the lesson is made, in reading order: first the parts students see (so that the sources they cite are
numbered 1, 2, 3... in the handout), then the solutions and teacher notes, whose further sources continue
the numbering. Each method returns a :class:`~analysis.brief.Fragment` (HTML, escaped data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__
from analysis.brief.citations import Citations, anchor
from analysis.brief.compose import Fragment
from analysis.brief.figures import figure_html
from analysis.brief.markup import esc, heading, lang_span, link, table
from analysis.classroom.exercises import (
    ADVANCED,
    KINDS,
    STARTER_CODE,
    Context,
    Exercise,
    make_exercises,
)
from analysis.classroom.params import AUDIENCE, LEVELS, ClassroomParams
from analysis.facts import event_date, weak_share
from analysis.locate import CASE_ID, resolve_case
from analysis.params import BriefParams
from analysis.session import MIME, Session, brief_metadata, emit
from analysis.wording import day, plural
from analysis.wording import join as join_words
from analysis.wording import partial_or_text as partial

#: Events the narrative tells as the latest developments.
LATEST_EVENTS = 3
DISCUSSION_MINUTES = 15


def find_case(case: str | Path | None) -> Path:
    """The case folder: shipped next to the notebook (``./<id>``, ``./data/<id>`` or ``./data/cases/<id>``
    under the working directory), else under ``data/cases`` found from the package (or ``CASEBRIEF_CASES``).
    """
    text = str(case or "")
    if text and CASE_ID.match(text):
        here = Path.cwd()
        for base in (here, here / "data", here / "data" / "cases"):
            if (base / text / "datapackage.json").is_file():
                return (base / text).resolve()
    return resolve_case(case or None)


class _Continued(Citations):
    """Citations for the instructor's parts: sources the students' parts cite keep their numbers; the others
    are numbered after them, in the order the instructor's parts first cite them."""

    def __init__(self, sources: pd.DataFrame, first: Citations):
        super().__init__(sources)
        self.first = first

    def number(self, source_id: str) -> int:
        if source_id in self.first:
            return self.first.number(source_id)
        return len(self.first) + super().number(source_id)


class Classroom:
    """The classroom edition of a case at one level.

    Parameters
    ----------
    session
        The notebook session (:class:`analysis.session.Session`): the lesson works on its case as known
        on its as-of date (``Session.of(case, as_of=...)`` for a case already loaded).
    level
        ``introductory`` or ``advanced`` (:data:`analysis.classroom.params.LEVELS`).
    draw
        Draw the charts; False leaves the figures out (fast, for tests of the text).
    """

    @classmethod
    def start(
        cls, case: str | None = None, as_of: str | None = None, level: str = "introductory", **kw: Any
    ) -> Classroom:
        """Check the parameters, load the case and emit the edition's metadata (the notebook's first cell)."""
        params = ClassroomParams.parse(
            case=case if case is not None else ClassroomParams().case, as_of=as_of, level=level
        )
        folder = find_case(params.case)
        params = params.resolved(folder=folder)
        # the lesson covers the whole case as known on as_of, as a brief with no since, issues or title
        # would; `casebrief build` validates the case before any kernel starts, run by hand the session does
        session = Session.load(BriefParams(case=params.case, as_of=params.as_of), folder)
        room = cls(session, level=params.level, **kw)
        room.meta = session.meta = room.metadata()
        room.meta["parameters"] = params.describe()  # the classroom's own: case, as_of, level
        emit({MIME: room.meta, "text/plain": f"{room.meta['audience_label']}: {room.meta['title']}"})
        return room

    def __init__(self, session: Session, *, level: str = "introductory", draw: bool = True):
        if level not in LEVELS:
            raise ValueError(f"level {level!r}: one of {', '.join(LEVELS)}")
        self.session = session
        self.full = session.full
        self.as_of: dt.date = session.as_of
        self.case = session.case
        self.level = level
        self.meta: dict[str, Any] = {}
        self.main_issue = session.main_issue
        self.ctx = Context(case=self.case, level=level, main_issue=self.main_issue)
        self.student = Citations(self.case.sources)
        self.teacher = _Continued(self.case.sources, self.student)
        self._latest = self._latest_events()
        self.ctx.told = set(self._latest["id"])
        self._charts(draw)
        self.exercises: list[Exercise] = make_exercises(self.ctx)
        self.numbers = {e.kind: i for i, e in enumerate(self.exercises, start=1)}
        self._parts: dict[str, str] = {}
        self._render()

    # -- setup ------------------------------------------------------------------------------------------
    def _latest_events(self) -> pd.DataFrame:
        ev = self.case.events.sort_values(["start", "id"], kind="stable")
        key = ev[ev["key"]] if len(ev) and ev["key"].any() else ev
        return key.tail(LATEST_EVENTS)

    def _charts(self, draw: bool) -> None:
        """Draw the charts the lesson shows and number them in reading order."""
        self.charts: dict[str, Any] = {}
        if not draw:
            return
        from analysis import charts
        from analysis.charts.cache import draw as cached  # the handout and guide share each chart

        if len(self.case.events):
            # the lesson has no list of key events for the chart's note to point to
            self.charts["timeline"] = cached(charts.timeline, self.case, key_list=None)
        if self.main_issue:
            self.charts["position-map"] = cached(charts.position_map, self.case, self.main_issue)
        if self.level == ADVANCED and self.main_issue and charts.find_shifts(self.case, [self.main_issue]):
            from analysis.classroom.exercises import MAX_SHIFTS

            self.charts["shifts"] = cached(
                charts.position_shifts, self.case, [self.main_issue], max_panels=MAX_SHIFTS
            )
        self.ctx.charts = self.charts
        self.ctx.figures = {slot: i for i, slot in enumerate(self.charts, start=1)}

    def _render(self) -> None:
        """Every part, students' first (their citations are numbered first), then the instructor's."""
        p = self._parts
        p["title"] = self._title()
        p["objectives"] = self._objectives()
        p["narrative"] = self._narrative()
        p["exercises"] = self._exercises_intro()
        for e in self.exercises:
            p[f"exercise:{e.kind}"] = self._exercise(e)
        p["discussion"] = self._discussion()
        p["sources"] = self._sources(self.student, heading(2, "Sources", "sources"), start=0)
        # the instructor's parts
        p["plan"] = self._plan()
        for e in self.exercises:
            p[f"solution:{e.kind}"] = self._solution(e)
            p[f"note:{e.kind}"] = self._note(e)
        p["discussion-notes"] = self._discussion_notes()
        p["key"] = self._answer_key()
        p["teacher-sources"] = self._sources(
            self.teacher,
            heading(3, "Further sources cited in the solutions and teacher notes", "sources-teacher"),
            start=len(self.student),
        )

    # -- what the notebook calls --------------------------------------------------------------------------
    def _get(self, name: str) -> Fragment:
        return Fragment(self._parts.get(name, ""))

    def title_block(self) -> Fragment:
        return self._get("title")

    def lesson_plan(self) -> Fragment:
        """Teacher note: timing, materials and how the key is made."""
        return self._get("plan")

    def objectives(self) -> Fragment:
        return self._get("objectives")

    def narrative(self) -> Fragment:
        """The case in brief, with the timeline and the position map."""
        return self._get("narrative")

    def exercises_intro(self) -> Fragment:
        return self._get("exercises")

    def exercise(self, kind: str) -> Fragment:
        """The exercise of this kind as students see it; empty when this case or level has none."""
        self._known(kind)
        return self._get(f"exercise:{kind}")

    def solution(self, kind: str) -> Fragment:
        self._known(kind)
        return self._get(f"solution:{kind}")

    def teacher_note(self, kind: str) -> Fragment:
        self._known(kind)
        return self._get(f"note:{kind}")

    def discussion(self) -> Fragment:
        return self._get("discussion")

    def discussion_notes(self) -> Fragment:
        return self._get("discussion-notes")

    def answer_key(self) -> Fragment:
        return self._get("key")

    def sources(self) -> Fragment:
        return self._get("sources")

    def teacher_sources(self) -> Fragment:
        return self._get("teacher-sources")

    def data_file(self, name: str) -> Path:
        """A file of the case package (for the students' own code): ``room.data_file("positions.csv")``."""
        path = (self.full.path / name).resolve()
        if self.full.path.resolve() not in path.parents or not path.is_file():
            files = ", ".join(sorted(p.name for p in self.full.path.iterdir() if p.is_file()))
            raise FileNotFoundError(f"{name!r} is not a file of case {self.full.id!r}; its files: {files}")
        return path

    def exercise_object(self, kind: str) -> Exercise | None:
        """The exercise of this kind as an object, for a teacher to look into; None when the lesson has none.

        ``.pick`` is the material it chose from the data, ``.answer()`` the checkable answers,
        ``.key()`` the answer key (HTML), ``.suggested_minutes()`` and ``.mode`` how it is worked.
        """
        self._known(kind)
        return next((e for e in self.exercises if e.kind == kind), None)

    def exercise_table(self) -> pd.DataFrame:
        """One row per exercise of the lesson: number, kind, title, how it is worked, minutes, answers."""
        rows = [
            {"number": self.numbers[e.kind], "kind": e.kind, "title": e.title, "mode": e.mode,
             "minutes": e.suggested_minutes(), "answer": e.answer()}
            for e in self.exercises
        ]
        return pd.DataFrame(rows, columns=["number", "kind", "title", "mode", "minutes", "answer"])

    def answers(self) -> dict[str, dict[str, Any]]:
        """Every checkable answer by exercise kind (what the answer key prints, as plain values)."""
        return {e.kind: {"number": self.numbers[e.kind], **e.answer()} for e in self.exercises}

    def _known(self, kind: str) -> None:
        if kind not in {k.kind for k in KINDS}:
            raise ValueError(f"unknown exercise kind {kind!r}; kinds: {', '.join(k.kind for k in KINDS)}")

    # -- metadata --------------------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        """The edition's title, running header and document metadata (the exporter's ``casebrief`` dict)."""
        meta = brief_metadata(self.session)
        level = self.level.capitalize()
        meta.update(
            {
                "audience": AUDIENCE,
                "audience_label": "Classroom edition",
                "audience_about": f"{level} level",
                "level": self.level,
                "subject": f"Classroom edition ({self.level} level): {self.case.question}".strip(),
                "keywords": [
                    self.full.id,
                    "classroom edition",
                    f"{self.level} level",
                    "teaching case",
                    *[self.case.issue_label(i) for i in self.case.issues["id"]],
                ],
                "exercises": [
                    {"number": self.numbers[e.kind], "kind": e.kind, "title": e.title} for e in self.exercises
                ],
            }
        )
        return meta

    # -- the students' parts ------------------------------------------------------------------------------
    def _minutes(self) -> int:
        """The lesson's length, to the nearest five minutes."""
        total = sum(e.suggested_minutes() for e in self.exercises) + DISCUSSION_MINUTES
        return int(5 * round(total / 5))

    def _title(self) -> str:
        case = self.case
        level = self.level.capitalize()
        parts = [
            '<p class="cr-kicker"><span class="cr-edition">Classroom edition</span> · '
            f"{esc(level)} level</p>",
            heading(1, case.title, "brief-title"),
        ]
        if case.question:
            parts.append(
                f'<p class="brief-question"><span class="label">The question:</span> {esc(case.question)}</p>'
            )
        parts.append(
            f'<p class="brief-meta"><span class="as-of">As of {esc(day(self.as_of))}</span> · '
            f"{plural(len(self.exercises), 'exercise')} and discussion, about {self._minutes()} minutes · "
            f"Prepared with casebrief {esc(__version__)} from the case's data</p>"
        )
        classes = "brief-titleblock cr-titleblock tex2jax_ignore mathjax_ignore"
        return f'<header class="{classes}">{"".join(parts)}</header>'

    def _objectives(self) -> str:
        items = (
            ["explain the question at the heart of the case, and who can decide it"]
            if self.case.question
            else []
        )
        items += [e.objective() for e in self.exercises]
        lis = "".join(f"<li>{i}</li>" for i in items)
        return _section(
            "objectives",
            heading(2, "Learning objectives", "objectives")
            + f'<p>By the end of the class you can:</p><ul class="cr-objectives">{lis}</ul>',
        )

    def _narrative(self) -> str:
        """The case's summary, the timeline, the actors and issues, the position map, the latest events.

        The figures alternate with text so that each fits on a printed page with what precedes it.
        """
        case, cite = self.case, self.student
        out = [heading(2, "The case in brief", "case")]
        summary = str(case.meta.get("summary", "") or "").strip()
        # the case's own summary is written for its default date; an earlier lesson tells only the events
        if summary and self.as_of >= case.default_as_of:
            out.append(f'<p class="brief-summary">{esc(summary)}</p>')
        if "timeline" in self.charts:
            out.append(
                figure_html(
                    self.charts["timeline"],
                    f"Timeline of the case up to {day(self.as_of)}. "
                    "Each mark is an event, in the row of the first actor it names.",
                    number=self.ctx.figures["timeline"],
                    anchor="fig-timeline",
                    lang=self.case.meta.get("local_language"),
                )
            )
        ev = case.events.sort_values(["start", "id"], kind="stable")
        if len(ev):
            groups = list(dict.fromkeys(case.actors["group"].astype(str)))
            involved = {a for ids in ev["actors"] for a in ids}
            out.append(
                f"<p>The case file records {plural(len(ev), 'event')} from {esc(event_date(ev.iloc[0]))} to "
                f"{esc(event_date(ev.iloc[-1]))}, involving {plural(len(involved), 'actor')} in "
                f"{plural(len(groups), 'group')} ({esc(', '.join(groups))}). It codes their public positions "
                f"on {plural(len(case.issues), 'issue')}:</p>"
            )
            items = "".join(
                f"<li><b>{esc(r['label'])}</b>: {esc(r['question'])}</li>" for _, r in case.issues.iterrows()
            )
            out.append(f'<ul class="cr-issues">{items}</ul>')
        if "position-map" in self.charts:
            out.append(
                figure_html(
                    self.charts["position-map"],
                    f"Position map: {self.case.issue_label(self.main_issue)}, as of {day(self.as_of)}.",
                    number=self.ctx.figures["position-map"],
                    anchor="fig-position-map",
                    lang=self.case.meta.get("local_language"),
                )
            )
        if len(self._latest):
            out.append(heading(3, "The latest developments", "case-latest"))
            items = "".join(
                f"<li><b>{esc(event_date(r))}.</b> {esc(r['title'])}. {esc(r['description'])} "
                f"{cite.cite(r['source_ids'])}</li>"
                for _, r in self._latest.iterrows()
            )
            out.append(f'<ul class="cr-events">{items}</ul>')
        return _section("case", "".join(out))

    def _exercises_intro(self) -> str:
        n = len(self.exercises)
        return _section(
            "exercises",
            heading(2, "Exercises", "exercises")
            + (
                f"<p>{plural(n, 'exercise')}. Write your answers in the boxes, or in the cells marked "
                "<em>Your answer</em> in the student notebook. Cite the evidence you use by its number in "
                "brackets, as the text does.</p>"
                if n
                else "<p>This case has no exercises at this level.</p>"
            ),
        )

    def _exercise(self, e: Exercise) -> str:
        n = self.numbers[e.kind]
        fig = ""
        if e.kind == "shifts" and "shifts" in self.charts:
            fig = figure_html(
                self.charts["shifts"],
                f"Changes in coded stance on "
                f"{self.case.issue_label(self.main_issue)}, up to {day(self.as_of)}.",
                number=self.ctx.figures["shifts"],
                anchor="fig-shifts",
                lang=self.case.meta.get("local_language"),
            )
        body = fig + e.prompt(self.student)  # a figure first: it stays on the page of its heading
        # sized by class, not inline style: in JupyterLab (no stylesheet) the empty box takes no room
        lines = min(max(e.answer_lines, 3), 10)
        box = f'<div class="cr-answer cr-lines-{lines}" aria-hidden="true"></div>'
        return (
            f'<section class="brief-section cr-exercise" id="exercise-{n}">'
            + heading(3, f"Exercise {n}. {e.title}", f"exercise-{n}-title")
            + body
            + box
            + "</section>"
        )

    def _discussion(self) -> str:
        case = self.case
        qs = []
        if case.question:
            qs.append(
                f"You advise one of the actors in the case. Which one, and what would you recommend? "
                f"The question: {esc(case.question)}"
            )
        for _, r in case.issues.iterrows():
            if r["id"] != self.main_issue and str(r["question"]).strip():
                qs.append(esc(r["question"]))
        n_weak, n_ev = weak_share(case)
        if n_ev:
            qs.append(
                f"{n_weak} of the {plural(n_ev, 'event')} in this case rest on a single source or only on "
                "weaker sources (copies, rewrites, low grades). What does that allow a brief to say, and "
                "what not?"
            )
        if "prediction" in self.numbers:
            qs.append(
                f"What news would make you revise your answer to Exercise {self.numbers['prediction']}? "
                "Name two signals you would watch for."
            )
        if self.level == ADVANCED:
            qs.append(
                "The case turns statements into codes from −2 to +2. What does coding make possible, and "
                "what is lost?"
            )
        lis = "".join(f"<li>{q}</li>" for q in qs)
        return _section(
            "discussion",
            heading(2, "Discussion questions", "discussion") + f'<ol class="cr-discussion">{lis}</ol>',
        )

    def _sources(self, reg: Citations, head: str, start: int) -> str:
        if not len(reg):
            return "" if start else _section("sources", head + '<p class="none">No source is cited.</p>')
        s = reg.sources
        items = []
        for i, sid in enumerate(reg.order, start=start + 1):
            r = s.loc[sid]
            pub = esc(r["publisher"])
            if str(r.get("original_outlet", "")).strip():
                pub += f' <span class="outlet">(copy of {esc(r["original_outlet"])})</span>'
            when = partial(r["published"]) if r["published"] else "undated"
            items.append(
                f'<li id="{esc(anchor(sid))}" value="{i}"><span class="src-num">[{i}]</span> {pub}. '
                f'<span class="src-title">{lang_span(r["title"], r["language"])}</span>. {esc(when)}. '
                f'<span class="src-url">{link(r["url"])}</span>. '
                f'<span class="src-grade">{esc(r["kind"])}, grade {esc(r["reliability"])}</span>.</li>'
            )
        lead = (
            '<p class="lead">Numbered in the order of first citation. Kind: original, copy (wire-copy), '
            "rewrite (aggregator), official document, treaty text or fragment; grade: A (most reliable) "
            "to D.</p>"
            if not start
            else ""
        )
        return _section(
            "sources" if not start else "sources-teacher",
            head + lead + f'<ol class="source-list">{"".join(items)}</ol>',
        )

    # -- the instructor's parts ---------------------------------------------------------------------------
    def _plan(self) -> str:
        rows = [
            (str(self.numbers[e.kind]), esc(e.title), esc(e.mode), f"{e.suggested_minutes()} min")
            for e in self.exercises
        ]
        rows.append(("", "Discussion questions", "whole class", f"{DISCUSSION_MINUTES} min"))
        tab = table(
            ["Exercise", "Kind", "Work", "Time"],
            rows,
            class_="brief-table cr-plan",
            widths=["12%", "52%", "20%", "16%"],
        )
        level = self.level
        return _section(
            "plan",
            heading(2, "Lesson plan", "lesson-plan")
            + (
                '<p class="cr-teacher-lead">This instructor guide is the student handout plus what is '
                "shaded: a worked solution and a teacher note after every exercise, notes for the discussion "
                "and an answer key at the end. Students get the handout (PDF or HTML) or the student "
                "notebook, which runs in "
                "JupyterLab or on Binder and holds the same exercises without solutions.</p>"
                f"<p>{esc(level.capitalize())} level ({esc(LEVELS[level])}): "
                f"{plural(len(self.exercises), 'exercise')}, about {self._minutes()} minutes in all, or two "
                "sessions "
                "with the exercises as homework in between.</p>"
                + tab
                + "<p>Every answer that can be checked is computed from the case data as of "
                f"{esc(day(self.as_of))}, "
                "so rebuilding this guide after the data changes keeps the key right.</p>"
            ),
            teacher=True,
        )

    def _solution(self, e: Exercise) -> str:
        n = self.numbers[e.kind]
        return (
            f'<div class="cr-box cr-solution" id="solution-{n}"><p class="cr-box-title">Worked solution '
            f"to Exercise {n}</p>{e.solution(self.teacher)}</div>"
        )

    def _note(self, e: Exercise) -> str:
        n = self.numbers[e.kind]
        return (
            f'<div class="cr-box cr-teacher" id="note-{n}"><p class="cr-box-title">Teacher note to '
            f"Exercise {n} · about {e.suggested_minutes()} minutes, {esc(e.mode)}</p>"
            f'<p><span class="cr-part-label">Answer key:</span> {e.key()}.</p>'
            f'<p><span class="cr-part-label">What to look for:</span> {e.note()}</p></div>'
        )

    def _discussion_notes(self) -> str:
        case, cite = self.case, self.teacher
        out = [
            f'<p class="cr-box-title">Teacher note to the discussion · about {DISCUSSION_MINUTES} minutes</p>'
        ]
        kjs = [k for k in case.meta.get("key_judgements") or [] if k.get("text")]
        if kjs:
            items = "".join(
                f"<li><b>{esc(k.get('id'))}</b> {esc(str(k.get('text')).strip())} Judged "
                f"<em>{esc(k.get('likelihood'))}</em>, confidence {esc(k.get('confidence'))}.</li>"
                for k in kjs
            )
            out.append(
                f"<p>The case's own judgements, to compare with the class's views:</p>"
                f'<ul class="compact">{items}</ul>'
            )
        inds = case.meta.get("indicators") or []
        if inds:
            items = "".join(f"<li>{esc(i.get('text'))}</li>" for i in inds)
            out.append(
                f"<p>Signals the case's analysts watch for (for the question on revising a "
                f'prediction):</p><ul class="compact">{items}</ul>'
            )
        silent = case.latest_positions()
        if len(silent):
            silent = silent[(silent["basis"] == "none") & (silent["issue"] == self.main_issue)]
            if len(silent):
                names = join_words(
                    [
                        f"{esc(case.actor_name(r['actor']))} {cite.cite(r['source_ids'])}"
                        for _, r in silent.iterrows()
                    ]
                )
                out.append(
                    f"<p>Actors with no public position on the main issue, worth raising when students "
                    f"choose whom to advise: {names}.</p>"
                )
        return f'<div class="cr-box cr-teacher" id="note-discussion">{"".join(out)}</div>'

    def _answer_key(self) -> str:
        rows = [(str(self.numbers[e.kind]), esc(e.title), e.key()) for e in self.exercises]
        tab = table(
            ["Exercise", "Kind", "Answer"], rows, class_="brief-table cr-key", widths=["11%", "27%", "62%"]
        )
        return _section(
            "key",
            heading(2, "Answer key at a glance", "answer-key")
            + f"<p>Computed from the case data as of {esc(day(self.as_of))}.</p>"
            + tab,
            teacher=True,
        )


def _section(key: str, body: str, *, teacher: bool = False) -> str:
    cls = "brief-section cr-section" + (" cr-teacher-section" if teacher else "")
    return f'<section class="{cls} tex2jax_ignore mathjax_ignore" id="section-{esc(key)}">{body}</section>'


def kinds() -> Iterable[str]:
    """Every exercise kind, in lesson order (the notebook has one cell group per kind)."""
    return [k.kind for k in KINDS]


__all__ = ["STARTER_CODE", "Classroom", "find_case", "kinds"]
