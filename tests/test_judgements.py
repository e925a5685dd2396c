"""Judgement history: parsing both forms, the state on a date, revisions in a window, the checks,
the track chart and the rule for the dates a brief may be built for."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.charts.judgements import judgement_track
from analysis.charts.layout import TEXT_WIDTH
from analysis.judgements import (
    JudgementHistory,
    check_judgements,
    confidence_steps,
    evidence_index,
    reconstructed_label,
)
from analysis.window import check_brief_dates

D = dt.date
TERMS = ["almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely",
         "almost certain"]
BANDS = [(1, 5), (5, 20), (20, 45), (45, 55), (55, 80), (80, 95), (95, 99)]


def meta(judgements, **extra) -> dict:
    return {
        "default_as_of": D(2025, 12, 31),
        "period": {"start": D(2025, 1, 1), "end": D(2025, 12, 31)},
        "updated": D(2026, 1, 15),
        "likelihood_yardstick": {"terms": [{"term": t, "min": a, "max": b} for t, (a, b) in zip(TERMS, BANDS,
                                                                                              strict=True)]},
        "confidence_levels": {"high": "h", "moderate": "m", "low": "l"},
        "key_judgements": judgements,
        **extra,
    }


def rev(date, likelihood="unlikely", confidence="low", evidence=("E1",), **kw) -> dict:
    return {"date": date, "text": f"text {date}", "likelihood": likelihood, "confidence": confidence,
            "rationale": "why", "evidence": list(evidence), **kw}


@pytest.fixture
def history() -> JudgementHistory:
    return JudgementHistory.from_meta(meta([
        {"id": "KJ1", "revisions": [
            rev(D(2025, 3, 31), "roughly even chance", "low", ["E1", "P1"], reconstructed=True),
            rev(D(2025, 6, 30), "unlikely", "low", ["E1", "E2"]),
            rev(D(2025, 9, 30), "very unlikely", "moderate", ["E1", "E2", "E3"]),
        ]},
        {"id": "KJ2", "revisions": [
            rev(D(2025, 6, 30), "likely", "moderate", ["E2"]),
            {"date": D(2025, 9, 30), "withdrawn": True, "rationale": "overtaken"},
        ]},
        {"id": "KJ3", "text": "flat", "likelihood": "likely", "confidence": "high", "rationale": "r",
         "evidence": ["E4"]},
    ]))


def test_state_before_the_first_revision_is_empty(history):
    assert history.state_on("2025-03-30") == []


def test_state_between_revisions(history):
    states = {s.id: s for s in history.state_on("2025-07-15")}
    assert set(states) == {"KJ1", "KJ2"}
    assert states["KJ1"].revision.likelihood == "unlikely" and states["KJ1"].first_made == D(2025, 3, 31)
    assert states["KJ2"].revision.likelihood == "likely"
    # on a revision's own date, that revision is in force
    on_the_day = {s.id: s.revision.likelihood for s in history.state_on("2025-03-31")}
    assert on_the_day == {"KJ1": "roughly even chance"}


def test_withdrawn_judgement_is_reported_as_withdrawn(history):
    states = {s.id: s for s in history.state_on("2025-10-01")}
    assert states["KJ2"].withdrawn and not states["KJ1"].withdrawn


def test_flat_form_counts_as_made_on_default_as_of(history):
    assert "KJ3" not in {s.id for s in history.state_on("2025-12-30")}
    kj3 = {s.id: s for s in history.state_on("2025-12-31")}["KJ3"]
    assert kj3.revision.evidence == ("E4",) and kj3.as_flat()["likelihood"] == "likely"
    made = JudgementHistory.from_meta(meta([{"id": "K", "made": D(2025, 2, 1), "text": "t",
                                             "likelihood": "likely", "confidence": "low", "rationale": "r",
                                             "evidence": ["E1"]}]))
    assert [s.id for s in made.state_on("2025-02-01")] == ["K"]


def test_evidence_filtered_to_known_ids(history):
    states = {s.id: s for s in history.state_on("2025-10-01", known_ids={"E1", "E3"})}
    assert states["KJ1"].revision.evidence == ("E1", "E3")
    cut = history.until("2025-07-01", known_ids={"E1"})
    assert [len(j.revisions) for j in cut] == [2, 1]
    assert cut.judgements[0].revisions[-1].evidence == ("E1",)


def test_revisions_between_steps_and_kinds(history):
    changes = history.revisions_between("2025-03-31", "2025-12-31")
    got = [(c.id, c.kind, c.date, c.steps) for c in changes]
    assert ("KJ1", "likelihood", D(2025, 6, 30), -1) in got
    assert ("KJ1", "likelihood", D(2025, 9, 30), -1) in got
    assert ("KJ1", "confidence", D(2025, 9, 30), 1) in got
    assert ("KJ2", "new", D(2025, 6, 30), 0) in got
    assert ("KJ2", "withdrawn", D(2025, 9, 30), 0) in got
    # KJ3 has no recorded date: never reported as new
    assert not [c for c in changes if c.id == "KJ3"]
    moved = next(c for c in changes if c.kind == "likelihood" and c.date == D(2025, 9, 30))
    assert moved.evidence_added == ("E3",) and moved.before.likelihood == "unlikely"
    # the window is since-exclusive, until-inclusive
    assert [c.kind for c in history.revisions_between("2025-06-30", "2025-06-30")] == []
    two = JudgementHistory.from_meta(meta([{"id": "K", "revisions": [
        rev(D(2025, 1, 1), "very unlikely"), rev(D(2025, 2, 1), "likely")]}]))
    assert [c.steps for c in two.revisions_between("2025-01-01", "2025-02-01")] == [3]


def test_confidence_steps_and_reconstructed_label():
    assert confidence_steps("low", "high") == 2 and confidence_steps("high", "moderate") == -1
    assert reconstructed_label("2025-03-31") == "reconstructed from sources published by 31 Mar 2025"


# -- checks -----------------------------------------------------------------------------------------
def problems(m, known=("E1", "E2", "E3", "E4", "P1"), **kw):
    return {(p.column, str(p.value)): p.rule for p in check_judgements(m, set(known), **kw)}


def test_check_a_clean_history_has_no_problems():
    assert problems(meta([{"id": "KJ1", "revisions": [rev(D(2025, 3, 31)), rev(D(2025, 6, 30))]}])) == {}


def test_check_revision_fields():
    found = problems(meta([{"id": "KJ1", "revisions": [
        rev(D(2025, 6, 30)),
        rev(D(2025, 3, 31), "probable", "certain", ["E9"]) | {"text": " ", "rationale": None},
        {"date": "soon", "text": "t", "likelihood": "likely", "confidence": "low", "rationale": "r",
         "evidence": []},
    ]}]))
    assert found[("key_judgements[KJ1].revisions[#2].date", "2025-03-31")] == (
        "must be later than the revision before it (2025-06-30)")
    assert found[("key_judgements[KJ1].revisions[#2].likelihood", "probable")].startswith(
        "is not a term of the likelihood yardstick")
    assert found[("key_judgements[KJ1].revisions[#2].confidence", "certain")] == (
        "is not a confidence level (high, moderate, low)")
    assert found[("key_judgements[KJ1].revisions[#2].evidence", "E9")].startswith("is not an id in events")
    assert ("key_judgements[KJ1].revisions[#2].text", "None") in found
    assert ("key_judgements[KJ1].revisions[#2].rationale", "None") in found
    assert found[("key_judgements[KJ1].revisions[#3].date", "soon")] == "is not a date (YYYY-MM-DD)"
    assert found[("key_judgements[KJ1].revisions[#3].evidence", "[]")].startswith("must list the ids")
    assert all(p.row is None and p.file == "case.yaml"
               for p in check_judgements(meta([{"id": "KJ1", "revisions": [rev("x")]}]), {"E1"}))


def test_check_a_reconstruction_uses_no_later_source():
    tables = {
        "sources": [{"id": "S1", "published": "2025-03"}, {"id": "S2", "published": "2025-05-02"}],
        "events": [{"id": "E1", "source_ids": "S1"}, {"id": "E2", "source_ids": "S1;S2"}],
    }
    via, published = evidence_index(tables)
    m = meta([{"id": "KJ1", "revisions": [rev(D(2025, 3, 31), evidence=["E1", "E2"], reconstructed=True)]}])
    found = problems(m, ("E1", "E2"), evidence_sources=via, published=published)
    assert list(found) == [("key_judgements[KJ1].revisions[#1].evidence", "E2")]
    assert "S2, published after this reconstructed revision's date (2025-03-31)" in found[
        ("key_judgements[KJ1].revisions[#1].evidence", "E2")]
    # a revision not marked reconstructed is not held to its sources' dates here
    m["key_judgements"][0]["revisions"][0].pop("reconstructed")
    assert problems(m, ("E1", "E2"), evidence_sources=via, published=published) == {}


def test_check_information_gaps():
    published = {"S1": "2025-03-01", "S2": "2025-08-01"}
    m = meta([{"id": "KJ1", "revisions": [rev(D(2025, 3, 31))]}], information_gaps=[
        {"id": "U1", "text": "t", "since": D(2025, 4, 1), "source_ids": ["S1"]},
        {"id": "U1", "text": "", "since": "later", "source_ids": ["S9"]},
        {"id": "U3", "text": "t", "since": D(2025, 4, 1), "source_ids": ["S2"]},
    ])
    found = problems(m, published=published, evidence_sources={})
    assert found[("information_gaps[U1].id", "U1")] == "is used by two gaps"
    assert ("information_gaps[U1].text", "None") in found
    assert found[("information_gaps[U1].since", "later")] == "is not a date (YYYY-MM-DD)"
    assert found[("information_gaps[U1].source_ids", "S9")] == "is not an id in sources.csv"
    assert found[("information_gaps[U3].source_ids", "S2")] == (
        "was published after the gap's since date (2025-04-01)")
    assert len(found) == 5


# -- the track chart --------------------------------------------------------------------------------
def test_track_chart_draws_one_mark_per_revision(history):
    chart = judgement_track(history, as_of="2025-10-01")
    assert chart.kind == "judgement_track" and chart.as_of == D(2025, 10, 1)
    assert len(chart.data) == 5  # KJ1: 3, KJ2: 2 (made, withdrawn); KJ3 not made yet
    # one dot (or withdrawal cross) per revision, each with its tooltip
    dots = [c for ax in chart.figure.axes for c in ax.collections
            if str(c.get_gid()).startswith(("revisions-", "withdrawn-"))]
    assert sum(len(c.get_offsets()) for c in dots) == len(chart.data)
    assert sum(len(m) for m in chart.marks.values()) == len(chart.data)
    assert chart.svg_element("x-").count("<title>") == len(chart.data)
    faces = [tuple(f) for c in dots if c.get_gid().startswith("revisions-") for f in c.get_facecolors()]
    assert faces.count((1.0, 1.0, 1.0, 1.0)) == int(chart.data["reconstructed"].sum()) == 1
    first = "KJ1: roughly even chance (45-55%, low confidence, reconstructed) from 31 Mar 2025"
    assert first in chart.alt_text
    assert "withdrawn 30 Sep 2025" in chart.alt_text
    assert abs(chart.figure.get_size_inches()[0] - TEXT_WIDTH) < 0.01  # drawn at its printed width
    assert chart.to_png() == judgement_track(history, as_of="2025-10-01").to_png()


def test_track_chart_of_the_default_case_cites_only_known_sources():
    from analysis.case import load_case

    case = load_case("nk-pows-ukraine").as_of("2025-03-31")
    chart = judgement_track(case)
    assert set(chart.data["judgement"]) == {"KJ1", "KJ2", "KJ3", "KJ5"}
    assert chart.data["reconstructed"].all() and (chart.data["date"] <= D(2025, 3, 31)).all()
    assert set(chart.source_ids) <= set(case.sources["id"]) and chart.source_ids


# -- the date rule ----------------------------------------------------------------------------------
def test_brief_dates_inside_the_range_pass():
    m = meta([])
    assert check_brief_dates(m, "2025-06-01", None) is None
    assert check_brief_dates(m, "2026-01-15", "2025-01-01") is None
    assert check_brief_dates(m, D(2025, 6, 1), D(2025, 5, 31)) is None
    assert check_brief_dates(m, D(2025, 6, 1), D(2025, 6, 1)).startswith("since 2025-06-01 must be before")


@pytest.mark.parametrize(("as_of", "since", "message"), [
    ("2024-12-31", None, "as_of 2024-12-31 is outside this case's range: 2025-01-01 (period start) to "
                         "2026-01-15 (data last updated)"),
    ("2026-01-16", None, "as_of 2026-01-16 is outside this case's range: 2025-01-01 (period start) to "
                         "2026-01-15 (data last updated)"),
    ("2025-06-01", "2025-06-02", "since 2025-06-02 must be before as_of 2025-06-01; "
                                 "this case's range is 2025-01-01"),
])
def test_brief_dates_outside_the_range_give_one_sentence(as_of, since, message):
    got = check_brief_dates(meta([]), as_of, since)
    assert got is not None and got.startswith(message) and got.count(". ") == 0
