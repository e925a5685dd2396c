"""Data tests for the second worked example, fukushima-treated-water: it validates, is big enough to
show the engine on a case from another field, cites existing sources everywhere, and declares every
actor type and event category of its own."""

from __future__ import annotations

import pytest

from analysis.case import load_case
from analysis.charts.matrix import position_matrix
from analysis.charts.position_map import position_map
from analysis.paths import PROJECT_DIR
from analysis.validate import check_case
from analysis.vocabulary import case_vocabulary

CASE_DIR = PROJECT_DIR / "data" / "cases" / "fukushima-treated-water"
MINIMUM = {"events": 40, "actors": 30, "issues": 2}


@pytest.fixture(scope="module")
def case():
    return load_case(CASE_DIR)


def test_the_second_case_validates():
    result = check_case(CASE_DIR)
    assert result.problems == [], "\n" + "\n".join(str(p) for p in result.problems)


@pytest.mark.parametrize("table, minimum", sorted(MINIMUM.items()))
def test_coverage(case, table, minimum):
    rows = len(getattr(case, table))
    assert rows >= minimum, f"{table}: {rows} rows, the second case needs at least {minimum}"


@pytest.mark.parametrize("table", ["events", "positions", "legal_provisions"])
def test_every_row_cites_an_existing_source(case, table):
    known = set(case.sources["id"])
    df = getattr(case, table)
    bad = [(r["id"], r["source_ids"]) for _, r in df.iterrows()
           if not r["source_ids"] or not set(r["source_ids"]) <= known]
    assert bad == [], f"{table} rows without an existing source: {bad}"


def test_every_quote_and_claim_cites_an_existing_source(case):
    known = set(case.sources["id"])
    assert [r["id"] for _, r in case.quotes.iterrows() if r["source_id"] not in known] == []
    bad = [(c["dispute"], c["claim"]) for _, c in case.dispute_claims.iterrows()
           if not c["source_ids"] or not set(c["source_ids"]) <= known]
    assert bad == []


def test_every_source_has_a_web_address(case):
    bad = [(r["id"], r["url"]) for _, r in case.sources.iterrows()
           if not str(r["url"]).startswith(("http://", "https://"))]
    assert bad == [], f"sources without an http(s) URL: {bad}"


@pytest.mark.parametrize("kind, table, column", [
    ("actor_types", "actors", "type"),
    ("event_categories", "events", "category"),
])
def test_the_case_declares_what_it_adds(case, kind, table, column):
    defaults = {i for i, t in case_vocabulary(None).terms(kind).items() if t.declared_in == "schema"}
    declared = {i for i, t in case_vocabulary(case).terms(kind).items() if t.declared_in == "case.yaml"}
    used = set(getattr(case, table)[column])
    undeclared = used - defaults - declared
    assert not undeclared, f"{table}.{column} values not declared in case.yaml: {sorted(undeclared)}"
    assert used - defaults, f"the second case is meant to show a vocabulary of its own ({kind})"


def test_the_matrix_gives_each_declared_type_its_own_heading(case):
    """Actors of the case's own types are grouped under their own labels, never under another's."""
    chart = position_matrix(case)
    headings = [t.get_text() for ax in chart.figure.axes for t in ax.texts if t.get_gid() == "type-heading"]
    vocab = case_vocabulary(case)
    drawn = set(chart.data["actor"])
    types = dict(zip(case.actors["id"], case.actors["type"], strict=True))
    assert sorted(headings) == sorted({vocab.label("actor_types", types[a]) for a in drawn})
    assert "Companies" in headings and "Fishing cooperatives" in headings


def test_the_position_map_draws_uncoded_actors_in_their_own_band(case):
    """Most of this case's positions leave influence and salience empty: those actors are drawn (in the
    'not coded' band, with no value made up) and the legend names the case's own types by label."""
    chart = position_map(case, "discharge")
    latest = case.latest_positions()
    stated = latest[(latest["issue"] == "discharge") & (latest["basis"] != "none")]
    assert set(chart.data["actor"]) == set(stated["actor"])
    uncoded = set(stated.loc[stated["influence"].isna(), "actor"])
    assert uncoded and set(chart.data.loc[chart.data["influence"].isna(), "actor"]) == uncoded
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert "Companies" in legend and "salience not coded" in legend
