"""Data tests: every case under data/cases/ validates; the default case is complete and fully sourced."""

from __future__ import annotations

import pytest

from analysis.case import load_case
from analysis.locate import list_cases
from analysis.paths import DEFAULT_CASE, PROJECT_DIR
from analysis.validate import check_case

CASES_DIR = PROJECT_DIR / "data" / "cases"
CASES = sorted(
    p for p in (CASES_DIR.iterdir() if CASES_DIR.is_dir() else [])
    if not p.name.startswith(".") and (p / "datapackage.json").is_file()
)
MINIMUM = {"events": 40, "actors": 15, "positions": 40, "legal_provisions": 10, "sources": 30}


@pytest.fixture(scope="module")
def default_case():
    return load_case(CASES_DIR / DEFAULT_CASE)


def test_the_default_case_exists():
    assert (CASES_DIR / DEFAULT_CASE / "datapackage.json").is_file()
    assert DEFAULT_CASE in [p.name for p in CASES]


def test_list_cases_sees_every_case(monkeypatch):
    monkeypatch.setenv("CASEBRIEF_CASES", str(CASES_DIR))
    assert [p.name for p in list_cases()] == [p.name for p in CASES]


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_every_case_validates(case):
    result = check_case(case)
    assert result.problems == [], "\n" + "\n".join(str(p) for p in result.problems)
    # Frictionless dominates and a check takes about a second; this bound catches a blow-up, not a slow
    # machine (a tight timed assert fails on a loaded machine, not on slow code)
    assert result.seconds < 60, f"validating {case.name} took {result.seconds:.2f} s"


@pytest.mark.parametrize("table, minimum", sorted(MINIMUM.items()))
def test_default_case_coverage(default_case, table, minimum):
    rows = len(getattr(default_case, table))
    assert rows >= minimum, f"{table}: {rows} rows, the default case needs at least {minimum}"


@pytest.mark.parametrize("table", ["events", "positions", "legal_provisions"])
def test_every_row_cites_an_existing_source(default_case, table):
    known = set(default_case.sources["id"])
    df = getattr(default_case, table)
    bad = [(r["id"], r["source_ids"]) for _, r in df.iterrows() if not r["source_ids"]
           or not set(r["source_ids"]) <= known]
    assert bad == [], f"{table} rows without an existing source: {bad}"


def test_every_quote_cites_an_existing_source(default_case):
    known = set(default_case.sources["id"])
    bad = [r["id"] for _, r in default_case.quotes.iterrows() if r["source_id"] not in known]
    assert bad == []


def test_every_judgement_rests_on_existing_sources(default_case):
    """A judgement cites sources directly, or through the events, positions, provisions, disputes it names."""
    case = default_case
    known = set(case.sources["id"])
    via: dict[str, set[str]] = {s: {s} for s in known}
    for table in ("events", "positions", "legal_provisions"):
        for _, r in getattr(case, table).iterrows():
            via[r["id"]] = set(r["source_ids"])
    for _, r in case.quotes.iterrows():
        via[r["id"]] = {r["source_id"]}
    for _, c in case.dispute_claims.iterrows():
        via.setdefault(c["dispute"], set()).update(c["source_ids"])
    judgements = case.meta["key_judgements"]
    assert judgements
    for kj in judgements:
        cited = set().union(*(via.get(str(e), set()) for e in kj["evidence"]))
        assert cited & known, f"{kj['id']} rests on no existing source (evidence {kj['evidence']})"


def test_no_public_position_is_never_a_neutral_stance(default_case):
    pos = default_case.positions
    assert pos.loc[pos["basis"] == "none", "stance"].isna().all()
    assert pos.loc[pos["basis"] != "none", "stance"].notna().all()
