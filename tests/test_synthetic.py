"""The synthetic case generator: valid, seeded, the size asked for, and drawable."""

from __future__ import annotations

import pytest

from analysis.case import load_case
from analysis.charts import position_map, timeline
from analysis.synthetic import write_synthetic_case
from analysis.validate import check_case


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_synthetic_case(
        tmp_path_factory.mktemp("syn") / "synthetic", 400, 40, 150, n_issues=3, seed=7
    )


def test_synthetic_case_has_the_size_asked_for(small):
    case = load_case(small, validate=False)
    assert (len(case.events), len(case.actors), len(case.positions), len(case.issues)) == (400, 40, 150, 3)
    assert set(case.events["date_precision"]) >= {"day", "month"}
    assert (case.positions["basis"] == "none").any()
    assert case.disputes["about_table"].eq("events").all()


def test_synthetic_case_validates(small):
    result = check_case(small)
    assert not result.problems, [str(p) for p in result.problems[:10]]


def test_synthetic_case_is_seeded(small, tmp_path):
    again = write_synthetic_case(tmp_path / "again", 400, 40, 150, n_issues=3, seed=7)
    for name in ("events.csv", "positions.csv", "actors.csv", "sources.csv", "case.yaml"):
        assert (again / name).read_bytes() == (small / name).read_bytes(), name
    other = write_synthetic_case(tmp_path / "other", 400, 40, 150, n_issues=3, seed=8)
    assert (other / "events.csv").read_bytes() != (small / "events.csv").read_bytes()


def test_a_large_case_is_drawn_as_counts_and_capped_labels(small):
    case = load_case(small, validate=False)
    chart = timeline(case, max_marks=300)
    assert any("too many to draw one by one" in n for n in chart.notes)
    pm = position_map(case, max_actors=20)
    assert len(pm.data) <= 20
