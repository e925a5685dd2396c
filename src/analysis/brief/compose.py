"""One brief: the as-of case, its citation registry and figure numbers, and a method per section.

The notebook calls one method per cell; each returns a :class:`Fragment`, which Jupyter shows as HTML
(an HTML display output, never Markdown, so nbconvert inserts it verbatim after our escaping).
Sections that an audience does not get return an empty fragment, so the notebook needs no branching.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from analysis import __version__
from analysis.brief import sections as S
from analysis.brief.citations import Citations
from analysis.brief.figures import figure_html
from analysis.brief.provenance import DataVersion, data_version
from analysis.case import Case
from analysis.dates import to_date

SECTIONS = ("title", "judgements", "changes", "timeline", "stakeholders", "legal", "gaps", "indicators",
            "sources", "annex")

#: Options for the charts a brief draws itself: the shifts chart shows the largest moves only, so that
#: it fits a printed page (its note says how many were left out).
CHART_OPTIONS: dict[str, dict[str, Any]] = {"position_shifts": {"max_panels": 4}}
#: Per audience, on top of those: the public summary has no list of key events, and its timeline
#: labels what fits in six tiers (the note says how many are left unlabelled).
AUDIENCE_CHART_OPTIONS: dict[str, dict[str, dict[str, Any]]] = {
    "public": {"timeline": {"max_tiers": 6, "key_list": None}},
}

#: What each audience gets, in reading order. Another audience registers its own tuple here.
AUDIENCE_SECTIONS: dict[str, tuple[str, ...]] = {
    "analyst": SECTIONS,
    "public": ("title", "judgements", "changes", "timeline", "stakeholders", "sources"),
}


class Fragment(str):
    """A piece of brief HTML that Jupyter displays as HTML (``text/html`` output)."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # the text/plain twin of the output stays short
        return f"<brief fragment, {len(self)} characters>" if self else "<empty brief fragment>"


class Brief:
    """The content of one brief.

    Parameters
    ----------
    case
        The whole case (as loaded); the brief works on ``case.as_of(as_of)``.
    as_of, since
        Dates (or ISO text). ``since`` None leaves the "what changed" section out; ``casebrief build``
        passes the previous brief's as-of date from the reports manifest as ``since``.
    audience
        ``analyst`` (every section) or ``public`` (a two-page summary); see :data:`AUDIENCE_SECTIONS`.
    issues
        Issue ids to cover (default: all).
    params
        Build parameters, shown in the annex.
    draw
        Draw the charts (:mod:`analysis.charts`) for sections not handed one; False leaves figures out.
    """

    @classmethod
    def from_started(cls, started: Any, **kw: Any) -> Brief:
        """The brief for what :func:`analysis.display.start` set up (its parameters and whole case).

        ``since`` is taken as given: ``casebrief build`` has already put the previous brief's date
        there when the user gave none (a recorded parameter, not state read from ``reports/``).
        """
        p = started.params
        return cls(started.full, as_of=p.as_of, since=p.since, audience=p.audience, issues=p.issues,
                   title=p.title, params=p.notebook_values(), **kw)

    def __init__(
        self,
        case: Case,
        *,
        as_of: object = None,
        since: object = None,
        audience: str = "analyst",
        issues: Sequence[str] | None = None,
        title: str | None = None,
        params: Mapping[str, Any] | None = None,
        draw: bool = True,
    ):
        self.full = case
        self.as_of: dt.date = to_date(as_of) if as_of else case.default_as_of
        self.case = case.as_of(self.as_of)
        self.audience = audience
        self.parts = AUDIENCE_SECTIONS.get(audience, SECTIONS)
        self.issues = list(issues) if issues else list(self.case.issues["id"])
        self.title = title or None
        self.since: dt.date | None = to_date(since) if since else None
        self.params = dict(params) if params is not None else {
            "case": case.id, "as_of": self.as_of, "since": self.since, "audience": audience,
            "issues": list(issues) if issues else None, "title": title,
        }
        self.citations = Citations(self.case.sources)
        self.data: DataVersion = data_version(case)
        self._figures: dict[str, int] = {}
        self._pending: dict[str, tuple] = {}
        self.draw = draw
        # fail before any cell renders when a judgement has no evidence
        S.check_judgements(self.case, self.full)

    # -- helpers ------------------------------------------------------------------------------------
    def chart(self, name: str, *args: Any, **kw: Any) -> Any:
        """Draw ``analysis.charts.<name>(self.case, ...)``; None when drawing is off."""
        if not self.draw:
            return None
        from analysis import charts
        from analysis.charts import cache as chart_cache

        per_audience = AUDIENCE_CHART_OPTIONS.get(self.audience, {}).get(name, {})
        options = {**CHART_OPTIONS.get(name, {}), **per_audience}
        return chart_cache.draw(getattr(charts, name), self.case, *args, **{**options, **kw})

    def wants(self, part: str) -> bool:
        """Whether this audience gets the section ``part``."""
        return part in self.parts

    @property
    def main_issue(self) -> str:
        main = str(self.case.meta.get("main_issue") or "")
        return main if main in self.issues else (self.issues[0] if self.issues else "")

    def figure(self, slot: str, chart: Any, caption: str, alt: str | None = None, class_: str = "") -> str:
        """A numbered figure; the number is fixed per slot, so re-running a cell keeps it.

        Returns a placeholder that :meth:`_place_figures` replaces once the section's text has cited
        its sources, so that the chart's tooltips can give citation numbers without assigning any.
        """
        if chart is None:
            return ""
        number = self._figures.setdefault(slot, len(self._figures) + 1)
        self._pending[slot] = (chart, caption, alt, number, class_)
        return f"<!--figure:{slot}-->"

    def _place_figures(self, html: str) -> str:
        for slot, (chart, caption, alt, number, class_) in self._pending.items():
            fig = figure_html(chart, caption, alt, number=number, anchor=f"fig-{slot}", class_=class_,
                              cite=self.citations.known)
            html = html.replace(f"<!--figure:{slot}-->", fig)
        self._pending.clear()
        return html

    def _out(self, html: str) -> Fragment:
        # the page's <body> carries ``audience-<name>`` (the template sets it); fragments stay plain
        return Fragment(html)

    # -- sections, in reading order -----------------------------------------------------------------
    def title_block(self) -> Fragment:
        return self._out(S.title_block(
            self.case, self.citations, as_of=self.as_of, data=self.data, audience=self.audience,
            title=self.title, version=__version__, summary=False,
        ))

    def key_judgements(self) -> Fragment:
        if not self.wants("judgements"):
            return self._out("")
        return self._out(S.key_judgements(self.case, self.citations, full=self.full, summary=False,
                                          annex=self.wants("annex"), rationale=self.audience != "public"))

    def what_changed(self) -> Fragment:
        """Left out (empty) when there is no ``since`` date to compare with."""
        if not self.wants("changes") or self.since is None:
            return self._out("")
        changes = self.full.changes(self.since, self.as_of)
        return self._out(S.what_changed(self.case, self.citations, changes,
                                       list_sources=self.audience != "public"))

    def timeline(self, chart: Any = None) -> Fragment:
        """The timeline; ``chart`` is the timeline chart (a Figure or a chart object with alt text).

        Without one, the timeline chart of :mod:`analysis.charts` is drawn (unless ``draw`` is off).
        """
        if not self.wants("timeline"):
            return self._out("")
        if chart is None:
            chart = self.chart("timeline", since=self.since)
        fig = ""
        if chart is not None:
            period = f"{S.day(self.case.period[0])} to {S.day(self.as_of)}"
            fig = self.figure("timeline", chart, f"Timeline of the case, {period}.", class_="timeline")
        return self._out(self._place_figures(S.timeline(self.case, self.citations, figure=fig,
                                                        table_=self.audience != "public")))

    def stakeholders(
        self,
        position_maps: Mapping[str, Any] | None = None,
        matrix: Any = None,
        shifts: Any = None,
    ) -> Fragment:
        """Positions per issue, with the position maps (issue id -> chart), the matrix and the shifts chart.

        Charts not handed in are drawn (unless ``draw`` is off). The public summary shows the main
        issue's position map only.
        """
        if not self.wants("stakeholders"):
            return self._out("")
        public = self.audience == "public"
        maps = dict(position_maps or {})
        issues = [self.main_issue] if public else self.issues
        for i in issues:
            if maps.get(i) is None:
                maps[i] = self.chart("position_map", i)
        if not public and matrix is None:
            matrix = self.chart("position_matrix", self.issues)
        if not public and shifts is None:
            shifts = self.chart("position_shifts", self.issues)
        # numbered in reading order: the overview charts come before the per-issue maps
        mx = "" if public else self.figure("matrix", matrix, f"Positions of actors on each issue, as of "
                                                             f"{S.day(self.as_of)}.", class_="matrix")
        sh = "" if public else self.figure("shifts", shifts, "Changes in stated positions over time.",
                                           class_="shifts")
        html_maps = {
            i: self.figure(f"position-map-{i}", maps[i],
                           f"Position map: {self.case.issue_label(i)}, as of {S.day(self.as_of)}.",
                           class_="map")
            for i in issues if maps.get(i) is not None
        }
        return self._out(self._place_figures(S.stakeholders(
            self.case, self.citations, issues=issues, position_maps=html_maps, matrix=mx, shifts=sh,
            tables=not public)))

    def legal(self) -> Fragment:
        return self._out(S.legal(self.case, self.citations) if self.wants("legal") else "")

    def shown_events(self) -> set[str]:
        """Ids of the events this brief lists: the key events and, with a ``since`` date, the new ones."""
        ev = self.case.events
        shown = set(ev.loc[ev["key"], "id"])
        if self.since is not None and self.wants("changes"):
            shown |= set(self.full.changes(self.since, self.as_of).new_events["id"])
        return shown

    def gaps(self) -> Fragment:
        if not self.wants("gaps"):
            return self._out("")
        return self._out(S.gaps(self.case, self.citations, issues=self.issues,
                                shown_events=self.shown_events()))

    def indicators(self) -> Fragment:
        return self._out(S.indicators(self.case, self.citations) if self.wants("indicators") else "")

    def sources(self) -> Fragment:
        return self._out(S.sources(self.case, self.citations, annex=self.wants("annex"),
                                   compact=self.audience == "public")
                        if self.wants("sources") else "")

    def annex(self) -> Fragment:
        if not self.wants("annex"):
            return self._out("")
        return self._out(S.annex(self.case, self.citations, data=self.data, params=self.params,
                                version=__version__))

    # -- whole brief ---------------------------------------------------------------------------------
    def render(self, charts: Mapping[str, Any] | None = None) -> str:
        """Every section in order, as one HTML string (what the notebook's cells produce together).

        ``charts`` may hold ``timeline``, ``matrix``, ``shifts`` and ``position_maps`` (issue -> chart).
        """
        charts = charts or {}
        parts = [
            self.title_block(),
            self.key_judgements(),
            self.what_changed(),
            self.timeline(charts.get("timeline")),
            self.stakeholders(charts.get("position_maps"), charts.get("matrix"), charts.get("shifts")),
            self.legal(),
            self.gaps(),
            self.indicators(),
            self.sources(),
            self.annex(),
        ]
        return "\n".join(p for p in parts if p)
