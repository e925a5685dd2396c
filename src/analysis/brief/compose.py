"""One brief: the notebook session's case, its citation registry and figure numbers, and a method per section.

The notebook calls one method per cell; each returns a :class:`Fragment`, which Jupyter shows as HTML
(an HTML display output, never Markdown, so nbconvert inserts it verbatim after our escaping).
Sections that an audience does not get return an empty fragment, so the notebook needs no branching.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis import __version__
from analysis.brief import sections as S
from analysis.brief.citations import Citations
from analysis.brief.figures import figure_html
from analysis.brief.markup import esc, heading, slug
from analysis.brief.provenance import DataVersion, data_version
from analysis.session import Session

#: Options for the charts a brief draws itself, so that the briefs keep their page budgets by the charts'
#: shape, never by smaller type: the timeline labels what fits in four tiers and stacks a lane's marks in
#: three rows; a position map names at most three actors per cell and 15 in all (the rest counted as
#: '+N more', those named in key judgements always named), a name on at most two lines; the matrix keeps
#: the 18 most important actors and the shifts chart the two largest moves (key-judgement actors always
#: stay; each chart's note says what it left out). The briefing notebook draws through :meth:`Brief.chart`.
CHART_OPTIONS: dict[str, dict[str, Any]] = {
    "timeline": {"max_tiers": 4, "max_rows_per_lane": 3},
    "position_map": {"max_per_cell": 3, "max_actors": 15, "name_lines": 2},
    "position_matrix": {"max_rows": 18},
    "position_shifts": {"max_panels": 2},
}
#: On top of those, for the two-page plain summary (``Audience.plain``): a short timeline (two tiers of
#: labels, one row of marks per lane, no list of key events to point to) and one compact position map
#: (two names per cell, six in all besides those in key judgements, one line each, no marker key: a note
#: says what the markers show); the notes say how many are left unlabelled or counted.
PLAIN_CHART_OPTIONS: dict[str, dict[str, Any]] = {
    "timeline": {"max_tiers": 2, "max_rows_per_lane": 1, "key_list": None},
    "position_map": {"max_per_cell": 2, "max_actors": 6, "name_lines": 1, "legend": False},
}


#: What the printed analyst brief says where it leaves an issue's position map to the HTML edition.
MAP_IN_HTML = ("The position map for this issue is in the HTML edition; the table below lists the positions "
               "it shows.")
#: ... and where it leaves the chart of position changes (the print keeps the tables and the matrix).
SHIFTS_IN_HTML = "The chart of changes in stated positions over time is in the HTML edition."
#: The steps by which a printed brief over its page budget (``Audience.print_pages``) lays out tighter or
#: leaves parts to the HTML edition, each saying so where the part stood (see
#: :func:`analysis.exporter.html_to_pdf`): the analyst brief first lets its back page (the annex's data
#: and build record) run on after the annex, then its cover, sources and annex (``Audience.page_starts``)
#: after what precedes them, then leaves out the matrix (the tables give every position it shows), then
#: the chart of the judgements' likelihood over time (the "what changed" section lists each revision);
#: the plain summary first prints its sources short, then leaves out the timeline chart (its "what
#: changed" section lists the new events, and the timeline's lead counts them all), then the "what
#: changed" lists of shifts, first stated positions and judgement revisions (its lead sentence counts
#: them).
FIT_STEPS = {"back_page": 1, "page_starts": 2, "matrix": 3, "judgement_track": 4,
             "short_sources": 1, "timeline_chart": 2, "change_lists": 3}
#: The parts of ``Audience.page_starts`` that are not whole sections: where each begins in its section's
#: HTML, and its fitting step (the rest: the section itself, at step ``page_starts``).
PAGE_START_PARTS = {"provenance": ('<div class="annex-provenance"', "back_page")}
MATRIX_IN_HTML = ("The matrix of every actor's position on each issue is in the HTML edition; the tables "
                  "above give each position it shows.")
TRACK_IN_HTML = "The chart of each key judgement's likelihood over time is in the HTML edition."
TIMELINE_IN_HTML = "The timeline chart is in the HTML edition."


class Fragment(str):
    """A piece of brief HTML that Jupyter displays as HTML (``text/html`` output)."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # the text/plain twin of the output stays short
        return f"<brief fragment, {len(self)} characters>" if self else "<empty brief fragment>"


class Brief:
    """The content of one brief, read from one notebook session.

    Parameters
    ----------
    session
        The session (:func:`analysis.session.start`, or :meth:`analysis.session.Session.of` for a case
        already loaded): its case as known on ``as_of`` with the chosen issues, the changes since
        ``since`` on those issues, the audience and the parameters shown in the annex. ``since`` None
        leaves the "what changed" section out; ``casebrief build`` passes the previous brief's as-of
        date from the reports manifest as ``since``.
    draw
        Draw the charts (:mod:`analysis.charts`) for sections not handed one; False leaves figures out.
    """

    def __init__(self, session: Session, *, draw: bool = True):
        self.session = session
        self.full = session.full
        self.case = session.case
        self.as_of = session.as_of
        self.since = session.since
        self.audience = session.audience
        self.issues = session.issues
        self.title = session.title
        self.params = session.params.notebook_values()
        self.citations = Citations(self.case.sources)
        self.data: DataVersion = data_version(self.full)
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

        return chart_cache.draw(getattr(charts, name), self.case, *args, **{**self.options(name), **kw})

    def options(self, name: str) -> dict[str, Any]:
        """The options this brief draws chart ``name`` with (the plain summary's on top of the rest);
        the briefing notebook passes them to the chart it draws in view."""
        plain = PLAIN_CHART_OPTIONS.get(name, {}) if self.audience.plain else {}
        return {**CHART_OPTIONS.get(name, {}), **plain}

    def wants(self, part: str) -> bool:
        """Whether this audience gets the section ``part``."""
        return self.audience.wants(part)

    @property
    def main_issue(self) -> str:
        return self.session.main_issue

    @property
    def map_issues(self) -> list[str]:
        """The issues whose position maps the stakeholders section shows (the plain summary: the main one)."""
        return [self.main_issue] if self.audience.plain else self.issues

    def figure(self, slot: str, chart: Any, caption: str, alt: str | None = None, class_: str = "") -> str:
        """A numbered figure; the number is fixed per slot, so re-running a cell keeps it.

        Returns a placeholder that :meth:`_out` replaces once the section's text has cited its
        sources, so that the chart's tooltips can give citation numbers without assigning any.
        """
        if chart is None:
            return ""
        number = self._figures.setdefault(slot, len(self._figures) + 1)
        self._pending[slot] = (chart, caption, alt, number, class_)
        return f"<!--figure:{slot}-->"

    def _place_figures(self, html: str) -> str:
        for slot, (chart, caption, alt, number, class_) in self._pending.items():
            fig = figure_html(chart, caption, alt, number=number, anchor=f"fig-{slot}", class_=class_,
                              cite=self.citations.known, lang=self.full.meta.get("local_language"))
            html = html.replace(f"<!--figure:{slot}-->", fig)
        self._pending.clear()
        return html

    def _out(self, html: str, *parts: str) -> Fragment:
        """The section's HTML with its figures placed, and marked ``page-start`` where one of ``parts``
        (the section's name, or a part of it) starts a printed page for this audience."""
        # the page's <body> carries ``audience-<name>`` (the template sets it); fragments stay plain
        for part in parts:
            where, step = PAGE_START_PARTS.get(part, ("<section ", "page_starts"))
            at = html.find(where) if part in self.audience.page_starts else -1
            if at >= 0:
                at = html.index('class="', at) + len('class="')
                html = html[:at] + f"page-start fit-flow-{FIT_STEPS[step]} " + html[at:]
        return Fragment(self._place_figures(html))

    # -- sections, in reading order -----------------------------------------------------------------
    def title_block(self) -> Fragment:
        return self._out(S.title_block(
            self.case, self.citations, as_of=self.as_of, data=self.data, audience=self.audience.name,
            title=self.title, version=__version__, summary=False, glance=not self.audience.plain,
        ))

    def key_judgements(self) -> Fragment:
        if not self.wants("judgements"):
            return self._out("")
        html = S.key_judgements(self.case, self.citations, full=self.full, summary=False,
                                annex=self.wants("annex"), rationale=not self.audience.plain)
        # each judgement's track over time, in the briefs with an annex (the analytic ones), once some
        # judgement has been revised (a single statement per judgement has no track to show)
        if self.wants("annex") and any(len(j.revisions) > 1 for j in self.case.judgements):
            track = self.chart("judgement_track")
            if track is not None and not track.empty:
                # the sources behind the marks join the list, cited where a reader sees them
                step = FIT_STEPS["judgement_track"]
                with self.citations.droppable(step):
                    cites = self.citations.cite(track.source_ids)
                fig = self.figure("judgement-track", track, "How each key judgement's likelihood moved, "
                                  "revision by revision, up to the as-of date.", class_=f"fit-drop-{step}")
                fig += (f'<p class="source-run fit-drop-{step}">Sources of the revisions: {cites}</p>'
                        if cites else "")
                fig += f'<p class="note fit-note-{step}">{TRACK_IN_HTML}</p>'
                head, end, _ = html.rpartition("</section>")
                html = head + fig + end if end else html + fig
        return self._out(html, "judgements")

    def what_changed(self) -> Fragment:
        """Left out (empty) when there is no ``since`` date to compare with."""
        if not self.wants("changes") or self.since is None:
            return self._out("")
        plain = self.audience.plain
        return self._out(S.what_changed(self.case, self.citations, self.session.changes,
                                       list_sources=not plain,
                                       fit_step=FIT_STEPS["change_lists"] if plain else 0))

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
            step = FIT_STEPS["timeline_chart"] if self.audience.plain else 0
            fig = self.figure("timeline", chart, f"Timeline of the case, {period}.",
                              class_=f"timeline fit-drop-{step}" if step else "timeline")
            fig += f'<p class="note fit-note-{step}">{TIMELINE_IN_HTML}</p>' if step else ""
        return self._out(S.timeline(self.case, self.citations, figure=fig, table_=not self.audience.plain))

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
        plain = self.audience.plain
        maps = dict(position_maps or {})
        issues = self.map_issues
        for i in issues:
            if maps.get(i) is None:
                maps[i] = self.chart("position_map", i)
        if not plain and matrix is None:
            matrix = self.chart("position_matrix", self.issues)
        if not plain and shifts is None:
            shifts = self.chart("position_shifts", self.issues)
        # on paper the analyst brief keeps the main issue's map; the others are in the HTML edition
        # only (numbered still), and the issue's subsection says so before its table
        html_maps = {
            i: self.figure(f"position-map-{i}", maps[i],
                           f"Position map: {self.case.issue_label(i)}, as of {S.day(self.as_of)}.",
                           class_="map" if plain or i == self.main_issue else "map html-only")
            for i in issues if maps.get(i) is not None
        }
        in_html = {i: f'<p class="print-only note">{MAP_IN_HTML}</p>'
                   for i in html_maps if not plain and i != self.main_issue}
        # numbered in reading order: the per-issue maps come before the overview charts
        sh = "" if plain else self.figure("shifts", shifts, "Changes in stated positions over time.",
                                          class_="shifts html-only")
        sh += f'<p class="print-only note">{SHIFTS_IN_HTML}</p>' if sh else ""
        step = FIT_STEPS["matrix"]
        mx = "" if plain else self.figure("matrix", matrix, f"Positions of actors on each issue, as of "
                                                            f"{S.day(self.as_of)}.",
                                          class_=f"matrix fit-drop-{step}")
        mx += f'<p class="note fit-note-{step}">{MATRIX_IN_HTML}</p>' if mx else ""
        return self._out(S.stakeholders(self.case, self.citations, issues=issues, position_maps=html_maps,
                                        map_notes=in_html, matrix=mx, shifts=sh, tables=not plain))

    def legal(self) -> Fragment:
        return self._out(S.legal(self.case, self.citations) if self.wants("legal") else "")

    def shown_events(self) -> set[str]:
        """Ids of the events this brief lists: the key events and, with a ``since`` date, the new ones."""
        ev = self.case.events
        shown = set(ev.loc[ev["key"], "id"])
        if self.since is not None and self.wants("changes"):
            shown |= set(self.session.changes.new_events["id"])
        return shown

    def gaps(self) -> Fragment:
        if not self.wants("gaps"):
            return self._out("")
        return self._out(S.gaps(self.case, self.citations, issues=self.issues,
                                shown_events=self.shown_events()))

    def indicators(self) -> Fragment:
        return self._out(S.indicators(self.case, self.citations) if self.wants("indicators") else "")

    def sources(self) -> Fragment:
        plain = self.audience.plain
        return self._out(S.sources(self.case, self.citations, annex=self.wants("annex"), compact=plain,
                                   short_from=FIT_STEPS["short_sources"] if plain else 0)
                         if self.wants("sources") else "", "sources")

    def annex(self) -> Fragment:
        if not self.wants("annex"):
            return self._out("")
        return self._out(S.annex(self.case, self.citations, data=self.data, params=self.params,
                                version=__version__), "annex", "provenance")

    # -- the analyst's own cells --------------------------------------------------------------------------
    def note(
        self,
        text: str = "",
        *,
        title: str | None = None,
        chart: Any = None,
        caption: str = "",
        alt: str | None = None,
    ) -> Fragment:
        """A passage of the analyst's own, shown in the brief where its cell stands.

        ``title`` becomes a heading (listed in the contents), ``text`` paragraphs (a blank line between
        them; escaped like data), ``chart`` a figure numbered with the brief's others, with ``caption``
        and alt text (a chart's own, or ``alt``; a figure without alt text is refused).
        """
        key = slug(title or caption or text[:40])
        parts = [heading(2, title, f"note-{key}")] if title else []
        parts += [f"<p>{esc(p.strip())}</p>" for p in text.split("\n\n") if p.strip()]
        if chart is not None:
            parts.append(self.figure(f"note-{key}", chart, caption, alt))
        return self._out(S.section("note", "".join(parts)) if parts else "")

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
