"""The case's charts: each function takes a :class:`analysis.case.Case` (usually a slice,
``case.as_of(date)``) and options, and returns a :class:`Chart` with ``.figure`` (a matplotlib
Figure, not registered with pyplot), ``.alt_text``, ``.title``, ``.data`` (one row per mark drawn),
``.notes`` and ``.source_ids``. Nothing is shown or written; take bytes from :func:`to_png` /
:func:`to_svg` (deterministic: no dates, no creator, fixed ``svg.hashsalt``).

    timeline(case, since=None, lanes="group", *, max_marks=300, max_tiers=12, max_labels=40, width=TEXT_WIDTH,
             label_key=True, key_list="the list of key events")
    position_map(case, issue=None, *, show_korean=False, max_per_cell=14, max_actors=60, width=TEXT_WIDTH)
    position_matrix(case, issues=None, *, show_korean=False, max_rows=40, width=None)  # None: fit
    position_shifts(case, issues=None, *, show_korean=False, max_panels=8, width=TEXT_WIDTH)
    judgement_track(case, *, as_of=None, judgements=None, width=16.5 cm)

Example::

    from analysis.case import load_case
    from analysis.charts import timeline
    case = load_case("nk-pows-ukraine").as_of("2026-05-13")
    chart = timeline(case, since="2026-01-01")
    png = chart.to_png()                         # or chart.to_svg()
    print(chart.alt_text)

Every chart is drawn at the size it is printed (``TEXT_WIDTH``, the text width of the brief's A4
page), with no text under 7 pt, and changes shape (height, fewer labels with a note) rather than
shrink. Every chart applies the packaged style (``casebrief.mplstyle``) itself; a notebook needs no
setup beyond ``MPLBACKEND=Agg`` for builds. A ``Chart`` displays itself in Jupyter (``_repr_png_``).
"""

from analysis.charts.chart import Chart, to_png, to_svg
from analysis.charts.judgements import judgement_track
from analysis.charts.layout import TEXT_WIDTH
from analysis.charts.matrix import position_matrix
from analysis.charts.position_map import default_issue, position_map
from analysis.charts.shifts import find_shifts, position_shifts
from analysis.charts.style import STYLE_PATH, use_style
from analysis.charts.timeline import timeline

CHARTS = {
    "timeline": timeline,
    "position_map": position_map,
    "position_matrix": position_matrix,
    "position_shifts": position_shifts,
    "judgement_track": judgement_track,
}

__all__ = [
    "CHARTS",
    "Chart",
    "STYLE_PATH",
    "TEXT_WIDTH",
    "default_issue",
    "find_shifts",
    "judgement_track",
    "position_map",
    "position_matrix",
    "position_shifts",
    "timeline",
    "to_png",
    "to_svg",
    "use_style",
]
