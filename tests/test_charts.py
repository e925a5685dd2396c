"""Charts: what was drawn (marks, labels, counts), honest dates, no overlaps, alt text, determinism,
degenerate cases and Hangul. Tests read the figure's artists, not its pixels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from itertools import combinations
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection, PolyCollection

from analysis.case import load_case
from analysis.charts import (
    Chart,
    position_map,
    position_matrix,
    position_shifts,
    timeline,
    to_png,
    to_svg,
)
from analysis.charts.common import boxes_overlap

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
DEFAULT_CASE_DIR = ROOT / "data" / "cases" / "nk-pows-ukraine"
ALL = (timeline, position_map, position_matrix, position_shifts)


# -- helpers ---------------------------------------------------------------------------------------
def by_gid(fig, gid: str, prefix: bool = False) -> list:
    return fig.findobj(lambda a: (a.get_gid() or "").startswith(gid) if prefix else a.get_gid() == gid)


def n_marks(fig, gid: str, prefix: bool = False) -> int:
    n = 0
    for a in by_gid(fig, gid, prefix):
        if isinstance(a, PathCollection):
            n += len(a.get_offsets())
        elif isinstance(a, PolyCollection):
            n += len(a.get_paths())
    return n


def texts(fig, gid: str) -> list[str]:
    return [t.get_text() for t in by_gid(fig, gid)]


def boxes(fig, gid: str) -> list:
    renderer = FigureCanvasAgg(fig).get_renderer() if not isinstance(fig.canvas, FigureCanvasAgg) else None
    renderer = renderer or fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in by_gid(fig, gid) if t.get_text()]


def assert_no_overlap(bxs) -> None:
    for a, b in combinations(bxs, 2):
        assert not boxes_overlap(a, b), f"labels overlap: {a} and {b}"


@pytest.fixture(scope="module")
def mini():
    return load_case(MINI, validate=False)


@pytest.fixture(scope="module")
def mini_end(mini):
    return mini.as_of(mini.default_as_of)


@pytest.fixture(scope="module")
def default_case():
    # part of the repository: a missing default case fails here (and in test_data_default_case), not skips
    return load_case(DEFAULT_CASE_DIR, validate=False)


# -- timeline --------------------------------------------------------------------------------------
def test_timeline_draws_one_mark_per_event_with_honest_dates(mini_end):
    chart = timeline(mini_end)
    fig = chart.figure
    assert isinstance(chart, Chart) and not chart.empty
    total = n_marks(fig, "events-day") + n_marks(fig, "events-span") + n_marks(fig, "events-range")
    assert total == len(mini_end.events) == 6
    kinds = dict(zip(chart.data["id"], chart.data["kind"], strict=True))
    # month and year precision are spans over the whole month/year, a range is a bar, a day is a dot
    assert kinds == {"E1": "day", "E2": "day", "E3": "span", "E4": "range", "E5": "day", "E6": "span"}
    assert n_marks(fig, "events-span") == 2 and n_marks(fig, "events-range") == 1
    e3 = chart.data.set_index("id").loc["E3"]
    assert e3["x1"] - e3["x0"] == 31  # all of March, not a false exact day


def test_timeline_labels_key_events_without_overlap(mini_end, default_case):
    chart = timeline(mini_end)
    labels = texts(chart.figure, "key-label")
    for title in mini_end.events.loc[mini_end.events["key"], "title"]:
        assert any(lab.startswith(title) for lab in labels), title
    assert_no_overlap(boxes(chart.figure, "key-label") + boxes(chart.figure, "asof-label"))
    big = timeline(default_case.as_of(default_case.default_as_of))
    n_key = int(big.data["key"].sum())
    assert len(by_gid(big.figure, "key-label")) == int(big.data["labelled"].sum())
    unlabelled = n_key - int(big.data["labelled"].sum())
    # every key event is labelled, or a note says that some are not (and only then)
    assert (unlabelled > 0) == any("not labelled" in n for n in big.notes), (unlabelled, big.notes)
    assert_no_overlap(boxes(big.figure, "key-label") + boxes(big.figure, "asof-label"))


@pytest.mark.parametrize("as_of", ["2025-03-15", "2025-06-02", "2025-12-31"])
def test_timeline_as_of_line_at_the_as_of_date(mini, as_of):
    chart = timeline(mini.as_of(as_of))
    lines = by_gid(chart.figure, "asof")
    assert lines
    want = mdates.date2num(pd.Timestamp(as_of))
    for line in lines:
        assert list(line.get_xdata()) == [want, want]
    assert f"as of {chart.as_of.day}" in texts(chart.figure, "asof-label")[0]
    assert chart.as_of == dt.date.fromisoformat(as_of)
    # only what was known then is drawn
    total = n_marks(chart.figure, "events-day") + n_marks(chart.figure, "events-span")
    total += n_marks(chart.figure, "events-range")
    assert total == len(mini.as_of(as_of).events)


def test_timeline_since_shades_from_since_to_as_of(mini_end):
    chart = timeline(mini_end, since="2025-05-01")
    spans = by_gid(chart.figure, "since")
    assert spans
    x0, x1 = spans[0].get_x(), spans[0].get_x() + spans[0].get_width()
    assert x0 == mdates.date2num(pd.Timestamp("2025-05-01"))
    assert x1 == mdates.date2num(pd.Timestamp("2025-12-31"))
    assert chart.title == "2 of 6 events are new since 1 May 2025"  # one each in two lanes: no "most"
    # "new" means what Case.changes means: not yet known on that day
    new = set(chart.data.loc[chart.data["new"], "id"])
    assert new == set(mini_end.changes("2025-05-01").new_events["id"])
    later = timeline(mini_end, since="2026-02-01")  # after the as-of date: nothing to shade
    assert not by_gid(later.figure, "since") and later.title.startswith("No new events since 1 Feb 2026")


def test_timeline_marks_disputed_dates(mini_end):
    chart = timeline(mini_end)
    assert len(by_gid(chart.figure, "disputed-mark")) == 1  # K1: the day of E1
    claims = by_gid(chart.figure, "dispute-claims")[0].get_offsets()[:, 0]
    assert sorted(claims) == [mdates.date2num(pd.Timestamp(d)) for d in ("2025-01-09", "2025-01-11")]
    assert "1 date is disputed (C detained)" in chart.alt_text


def test_timeline_lanes_by_group_or_category(mini_end):
    by_group = timeline(mini_end, lanes="group")
    ax = by_group.figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Side A (3)",
        "Side B (1)",
        "People (1)",
        "Civil society (1)",
    ]
    by_cat = timeline(mini_end, lanes="category")
    assert {t.get_text().split(" (")[0] for t in by_cat.figure.axes[0].get_yticklabels()} == set(
        mini_end.events["category"]
    )
    with pytest.raises(ValueError):
        timeline(mini_end, lanes="colour")


def test_timeline_aggregates_when_there_are_too_many_marks(mini_end):
    chart = timeline(mini_end, max_marks=3)
    assert n_marks(chart.figure, "events-day") == 0
    assert n_marks(chart.figure, "counts") >= 4
    assert any("too many to draw one by one" in n for n in chart.notes)
    assert any("too many to draw one by one" in t for t in texts(chart.figure, "note"))
    assert "counts per period" in chart.alt_text


def test_timeline_alt_text_and_source_line_come_from_the_data(mini_end):
    chart = timeline(mini_end)
    assert chart.alt_text.startswith("Timeline of 6 events from Jan 2025 to Dec 2025 in 4 lanes by actor")
    assert "Key events include C detained (9 Jan 2025)" in chart.alt_text
    assert chart.alt_text.count(". ") <= 2  # two sentences
    line = texts(chart.figure, "source-line")[0]
    assert line.startswith("Sources: ") and line.endswith("see Sources")
    for publisher in ("Example Gazette", "예시 신문", "Example Wire Mirror", "Digest Site"):
        assert publisher in line
    assert "Treaty Office" not in line  # S5 is behind no event
    assert texts(chart.figure, "as-of-note") == ["As of 31 Dec 2025"]


# -- position map ----------------------------------------------------------------------------------
def test_position_map_leaves_out_actors_with_no_public_position(mini_end):
    chart = position_map(mini_end, "return")
    fig = chart.figure
    assert n_marks(fig, "actors-", prefix=True) == 2 == len(chart.data)
    assert set(chart.data["actor"]) == {"ngo-d", "ministry-a"}
    labels = texts(fig, "actor-label")
    assert "State B" not in " ".join(labels)
    assert "State B" in texts(fig, "no-position-list")[0]
    assert texts(fig, "no-position-heading") == ["No public position (1)"]
    assert "no public position from State B" in chart.alt_text
    assert chart.title == "Return to B: 0 of 2 actors with a public position support it, 2 oppose"


def test_position_map_places_stance_influence_and_confidence(mini_end):
    chart = position_map(mini_end, "return")
    row = chart.data.set_index("actor").loc["ministry-a"]
    assert (row["stance"], row["influence"]) == (-1, 4)
    assert -1.5 < row["x"] < -0.5  # inside the -1 column
    gov = by_gid(chart.figure, "actors-government-body")[0]
    assert tuple(gov.get_facecolors()[0][:3]) == (1.0, 1.0, 1.0)  # low confidence: hollow


def test_position_map_labels_every_actor_without_overlap(default_case):
    case = default_case.as_of(default_case.default_as_of)
    chart = position_map(case)
    latest = case.latest_positions()
    stated = latest[(latest["issue"] == case.meta["main_issue"]) & (latest["basis"] != "none")]
    assert n_marks(chart.figure, "actors-", prefix=True) == len(stated) == len(chart.data)
    assert len(by_gid(chart.figure, "actor-label")) == len(stated)
    assert_no_overlap(boxes(chart.figure, "actor-label"))
    assert f"{int((stated['stance'] > 0).sum())} of {len(stated)} actors" in chart.alt_text


def test_position_map_defaults_to_the_main_issue(mini_end):
    assert position_map(mini_end).title.startswith("Transfer to A:")
    with pytest.raises(ValueError):
        position_map(mini_end, "no-such-issue")


# -- matrix ----------------------------------------------------------------------------------------
def test_matrix_writes_values_and_no_public_position(mini_end):
    chart = position_matrix(mini_end)
    fig = chart.figure
    latest = mini_end.latest_positions()
    n_actors = latest["actor"].nunique()
    assert len(chart.data) == n_actors * len(mini_end.issues)
    stated = latest[latest["basis"] != "none"]
    assert n_marks(fig, "cells-stated") + n_marks(fig, "cells-low") == len(stated)
    values = sorted(texts(fig, "cell-value"))
    assert values == sorted({2: "+2", -1: "\u22121", -2: "\u22122", 0: "0"}[int(s)] for s in stated["stance"])
    assert texts(fig, "cell-none") == ["no public position"]  # State B on return
    assert texts(fig, "cell-low-tag") == ["low"]  # P6 is low confidence
    assert [t for t in texts(fig, "type-heading")] == ["States", "Government bodies", "NGOs", "Individuals"]
    assert "Return to B: 0 support, 2 oppose, 1 with no public position" in chart.alt_text


def test_matrix_caps_rows_and_says_so(mini_end):
    from analysis.importance import judgement_actors

    chart = position_matrix(mini_end, max_rows=2)
    named = judgement_actors(mini_end) & set(mini_end.positions["actor"])
    shown = set(chart.data["actor"])
    assert named <= shown  # actors named in key judgements are never cut
    assert len(shown) == max(2, len(named))
    assert any(f"Showing {len(shown)} of 4 actors" in n and "more actors" in n for n in chart.notes)


def test_matrix_keeps_key_judgement_actors_that_rank_low(mini):
    from analysis.importance import choose, rank

    mini_end = mini.as_of(mini.default_as_of)  # its own slice: this test edits the judgements
    mini_end.meta = dict(mini_end.meta)
    order = list(rank(mini_end)["actor"])
    low = order[-1]  # the least important actor, then named in a key judgement's evidence
    pos = mini_end.positions.loc[mini_end.positions["actor"] == low, "id"].iloc[0]
    mini_end.meta["key_judgements"] = [dict(mini_end.meta["key_judgements"][0], evidence=[pos])]
    chart = position_matrix(mini_end, max_rows=1)
    assert low in set(chart.data["actor"])
    assert choose(mini_end, None, 1).shown[0] == low


# -- shifts ----------------------------------------------------------------------------------------
def test_shifts_steps_and_linked_event(mini_end):
    chart = position_shifts(mini_end)
    assert texts(chart.figure, "panel-title") == ["Ministry of State A on Transfer to A: 0 \u2192 +2"]
    assert texts(chart.figure, "event-label") == ["Talks held (Mar 2025)"]
    assert list(chart.data["stance"]) == [0, 2]
    assert chart.data["labelled"].tolist() == [False, True]
    assert "moved from 0 to +2 (with Talks held, Mar 2025)" in chart.alt_text
    segs = by_gid(chart.figure, "asof")[0].get_segments()
    assert {s[0][0] for s in segs} == {mdates.date2num(pd.Timestamp("2025-12-31"))}


def test_shifts_on_the_default_case_has_no_overlapping_labels(default_case):
    chart = position_shifts(default_case.as_of(default_case.default_as_of))
    assert not chart.empty
    assert_no_overlap(boxes(chart.figure, "event-label") + boxes(chart.figure, "panel-title"))
    assert len(by_gid(chart.figure, "panel-title")) == chart.data.groupby(["actor", "issue"]).ngroups


# -- degenerate cases ------------------------------------------------------------------------------
def _only(case, events=None, actors=None, positions=None):
    out = dataclasses.replace(case)
    if events is not None:
        out = dataclasses.replace(out, events=case.events[case.events["id"].isin(events)])
    if actors is not None:
        out = dataclasses.replace(out, actors=case.actors[case.actors["id"].isin(actors)])
    if positions is not None:
        out = dataclasses.replace(out, positions=case.positions[case.positions["id"].isin(positions)])
    return out


@pytest.mark.parametrize("chart_fn", ALL)
def test_nothing_known_yet_says_why(mini, chart_fn):
    chart = chart_fn(mini.as_of("2024-12-31"))
    assert chart.empty and chart.figure is not None
    reason = texts(chart.figure, "empty-reason")[0]
    assert "31 Dec 2024" in reason
    assert reason.replace("\n", " ") in chart.alt_text


def test_degenerate_cases_still_draw(mini_end):
    one_event = timeline(_only(mini_end, events=["E1"]))
    assert n_marks(one_event.figure, "events-day") == 1
    assert one_event.title == "One event so far: C detained (9 Jan 2025)"
    months = timeline(_only(mini_end, events=["E3", "E6"]))
    assert n_marks(months.figure, "events-span") == 2 and n_marks(months.figure, "events-day") == 0
    one_actor = position_map(_only(mini_end, actors=["ngo-d"], positions=["P5"]), "return")
    assert n_marks(one_actor.figure, "actors-", prefix=True) == 1
    only_none = position_map(_only(mini_end, positions=["P4"]), "return")
    assert n_marks(only_none.figure, "actors-", prefix=True) == 0
    assert "No actor has a public position" in texts(only_none.figure, "empty-reason")[0]
    assert "State B" in texts(only_none.figure, "no-position-list")[0]
    no_positions = _only(mini_end, positions=[])
    for fn in (position_map, position_matrix, position_shifts):
        chart = fn(no_positions)
        assert chart.empty and texts(chart.figure, "empty-reason")
    unchanged = position_shifts(_only(mini_end, positions=["P3", "P5"]))
    assert unchanged.empty and "kept the same stance" in unchanged.alt_text


# -- determinism and fonts -------------------------------------------------------------------------
@pytest.mark.parametrize("chart_fn", ALL)
def test_png_and_svg_bytes_are_identical_across_renders(mini_end, chart_fn):
    a, b = chart_fn(mini_end), chart_fn(mini_end)
    png_a, png_b = to_png(a.figure, dpi=60), to_png(b.figure, dpi=60)
    assert png_a == png_b
    assert b"Software" not in png_a and b"matplotlib" not in png_a.lower()
    svg_a, svg_b = to_svg(a.figure), to_svg(b.figure)
    assert svg_a == svg_b
    assert b"<dc:date>" not in svg_a and b"Matplotlib" not in svg_a


def test_png_prints_at_200_dpi(mini_end):
    chart = timeline(mini_end)
    png = chart.to_png()
    width = int.from_bytes(png[16:20], "big")
    assert width == round(chart.figure.get_size_inches()[0] * 200)


def test_hangul_renders_without_missing_glyphs(mini_end):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = position_map(mini_end, "transfer", show_korean=True)  # names and a Hangul publisher
        to_png(chart.figure, dpi=50)
        to_svg(chart.figure)
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing
    chart = position_map(mini_end, "transfer", show_korean=True)
    assert any("가국 외무부" in t for t in texts(chart.figure, "actor-label"))


# -- the default case at any as-of date ------------------------------------------------------------
def test_default_case_draws_at_any_as_of_date(default_case):
    first = default_case.events["start"].min().date()
    later = dt.date(2030, 1, 1)  # after everything the case knows (a fixed date: the test must not age)
    assert later > default_case.events["start"].max().date() and later > default_case.default_as_of
    dates = [first, default_case.default_as_of - dt.timedelta(days=200), later]
    for d in dates:
        case = default_case.as_of(d)
        charts = {fn: fn(case) for fn in ALL}
        for chart in charts.values():
            assert chart.figure.get_size_inches()[1] > 1
            assert chart.alt_text and chart.title
            assert chart.as_of == d
        n = len(case.events)
        if n:
            assert f"{n:,} event" in charts[timeline].alt_text, charts[timeline].alt_text
        else:
            assert charts[timeline].empty


def test_timeline_merges_the_smallest_lanes_past_the_palette_and_says_so():
    from analysis.charts.style import LANE_COLOURS
    from analysis.charts.timeline import OTHER_LANE, _lane_colours, _lane_of, _merge_lanes

    case = load_case(ROOT / "data" / "cases" / "fukushima-treated-water")
    for lanes in ("group", "category"):
        lane, order = _lane_of(case, case.events, lanes)
        assert len(order) > len(LANE_COLOURS)  # this case has more groups and categories than colours
        merged_lane, merged_order, merged = _merge_lanes(lane, order)
        assert len(merged_order) == len(LANE_COLOURS) and merged_order[-1] == OTHER_LANE
        assert set(merged_lane) == set(merged_order) and merged
        colours = _lane_colours(case, merged_order, lanes)
        assert len(set(colours.values())) == len(merged_order)  # no two lanes share a colour
    chart = timeline(case.as_of(case.default_as_of))
    assert any(f"share the lane ‘{OTHER_LANE}’" in n for n in chart.notes)
    assert chart.data["lane"].nunique() <= len(LANE_COLOURS)


def test_position_map_never_hides_an_actor_named_in_a_key_judgement(default_case):
    from analysis.importance import judgement_actors

    case = default_case.as_of(default_case.default_as_of)
    issue = case.meta["main_issue"]
    chart = position_map(case, issue, max_per_cell=2, max_actors=10)
    latest = case.latest_positions()
    stated = set(latest.loc[(latest["issue"] == issue) & (latest["basis"] != "none"), "actor"])
    named = judgement_actors(case) & stated
    assert named and named <= set(chart.data["actor"])
    assert len(chart.data) < len(stated) and any("+N more" in n for n in chart.notes)
