"""The typed case and its slices: as_of, latest_positions, changes, and how a case is found."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.case import load_case, resolve_case
from analysis.errors import CaseNotFoundError


@pytest.fixture(scope="module")
def mini():
    return load_case(Path(__file__).parent / "fixtures" / "cases" / "mini")


def ids(df: pd.DataFrame) -> list[str]:
    return sorted(df["id"])


def test_loaded_tables_are_typed(mini):
    assert mini.id == "mini" and mini.title == "Mini fixture case"
    assert str(mini.positions["stance"].dtype) == "Int64"
    assert mini.positions.set_index("id")["stance"].isna().to_dict()["P4"]  # basis none: no stance
    assert mini.events["key"].dtype == bool
    assert mini.events.set_index("id").at["E5", "source_ids"] == ["S3", "S4"]
    assert mini.events.set_index("id").at["E1", "actors"] == ["person-c", "state-b"]
    e3 = mini.events.set_index("id").loc["E3"]  # a month-precision date covers the whole month
    assert (e3["start"], e3["end"]) == (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))
    e4 = mini.events.set_index("id").loc["E4"]  # a range ends at date_end
    assert e4["end"] == pd.Timestamp("2025-05-25")
    assert mini.period == (pd.Timestamp("2025-01-01").date(), pd.Timestamp("2025-12-31").date())
    assert mini.stance_scale[2] == "strongly supports"
    assert mini.actor_name("ministry-a") == "Ministry of State A" and mini.actor_name("nobody") == "nobody"


def test_as_of_keeps_what_was_known(mini):
    known = mini.as_of("2025-03-31")
    assert known.as_of_date.isoformat() == "2025-03-31"
    # S3 (June) is not yet published; S4 is undated and S5 is from 1949, so both count as known
    assert ids(known.sources) == ["S1", "S2", "S4", "S5"]
    assert ids(known.events) == ["E1", "E2", "E3", "E6"]
    assert ids(known.positions) == ["P1", "P2", "P6"]
    assert ids(known.quotes) == ["Q1"]
    assert ids(known.disputes) == ["K1"]
    assert len(mini.events) == 6  # the full case is untouched


def test_as_of_drops_rows_whose_sources_came_later(mini):
    known = mini.as_of("2025-01-09")
    # E1 happened on 9 January but its only source was published on the 10th
    assert "E1" not in set(known.events["id"])
    assert ids(known.events) == ["E6"]  # year-precision 2025, from an undated source
    assert known.positions.empty


def test_as_of_trims_source_lists(mini):
    known = mini.as_of("2025-06-01")
    # E5 (1 June) cites S3 (2 June) and the undated S4: only S4 was known on 1 June
    assert known.events.set_index("id").at["E5", "source_ids"] == ["S4"]


def test_latest_positions(mini):
    latest = mini.latest_positions().set_index(["actor", "issue"])
    assert len(latest) == 5
    assert latest.loc[("ministry-a", "transfer"), "id"] == "P2"  # March supersedes January
    assert latest.loc[("state-b", "return"), "basis"] == "none"
    assert pd.isna(latest.loc[("state-b", "return"), "stance"])
    assert mini.as_of("2025-02-01").latest_positions().set_index(["actor", "issue"]).loc[
        ("ministry-a", "transfer"), "id"] == "P1"


def test_changes_since_a_date(mini):
    ch = mini.changes("2025-03-31", "2025-12-31")
    assert not ch.empty
    assert ids(ch.new_events) == ["E4", "E5"]
    assert ids(ch.new_positions) == ["P3", "P4", "P5"]
    assert ids(ch.new_sources) == ["S3"]
    # first stated positions are new stances, not shifts from "no public position"
    assert ch.shifts.empty and str(ch.shifts["from_stance"].dtype) == "Int64"
    stances = ch.new_stances.set_index(["actor", "issue"])
    assert set(stances.index) == {("person-c", "transfer"), ("ngo-d", "return")}  # no 'none' rows
    assert str(ch.new_stances["to_stance"].dtype) == "Int64"
    assert stances["from_stance"].isna().all()
    assert stances.loc[("ngo-d", "return"), "to_stance"] == -2


def test_changes_record_a_shift(mini):
    ch = mini.changes("2025-01-31", "2025-03-31")
    shifts = ch.shifts.set_index(["actor", "issue"])
    assert shifts.loc[("ministry-a", "transfer"), "from_stance"] == 0
    assert shifts.loc[("ministry-a", "transfer"), "to_stance"] == 2
    assert shifts.loc[("ministry-a", "transfer"), "position"] == "P2"
    assert list(shifts.index) == [("ministry-a", "transfer")]
    assert ("ministry-a", "return") in set(ch.new_stances.set_index(["actor", "issue"]).index)
    assert ids(ch.new_events) == ["E3"]


def test_changes_default_until_and_nothing_new(mini):
    assert mini.changes("2025-12-31").empty
    ch = mini.as_of("2025-03-31").changes("2025-03-31")
    assert ch.until.isoformat() == "2025-03-31" and ch.empty and ch.shifts.empty
    assert str(ch.shifts["from_stance"].dtype) == "Int64"


# -- finding a case ---------------------------------------------------------------------------------


@pytest.fixture
def fixture_cases(monkeypatch):
    root = Path(__file__).parent / "fixtures" / "cases"
    monkeypatch.setenv("CASEBRIEF_CASES", str(root))
    return root


def test_resolve_case_by_id_and_path(fixture_cases):
    assert resolve_case("mini") == (fixture_cases / "mini").resolve()
    assert resolve_case(fixture_cases / "mini") == (fixture_cases / "mini").resolve()
    assert resolve_case(str(fixture_cases / "mini")) == (fixture_cases / "mini").resolve()
    assert load_case("mini").id == "mini"


def test_unknown_case_lists_known_cases(fixture_cases):
    with pytest.raises(CaseNotFoundError, match=r"unknown case 'nope' .*known cases: mini"):
        resolve_case("nope")


@pytest.mark.parametrize("name", ["../../etc", "..", "../mini", "mini/../../..", "..\\..\\etc"])
def test_case_id_cannot_leave_the_cases_folder(fixture_cases, name):
    with pytest.raises(CaseNotFoundError, match="'..' is not allowed|is not a case folder|no folder"):
        resolve_case(name)


@pytest.mark.parametrize("name", ["Mini", "mini case", "-mini", "mini!", "x" * 65])
def test_bad_case_ids(fixture_cases, name):
    with pytest.raises(CaseNotFoundError, match="a case id is lowercase letters, digits and hyphens"):
        resolve_case(name)


def test_folder_without_datapackage_is_not_a_case(tmp_path):
    with pytest.raises(CaseNotFoundError, match="has no datapackage.json"):
        resolve_case(tmp_path)
    with pytest.raises(CaseNotFoundError, match="there is no folder"):
        resolve_case(tmp_path / "missing")


def test_default_case_is_used_when_none_is_named(fixture_cases):
    with pytest.raises(CaseNotFoundError, match="unknown case 'nk-pows-ukraine'"):
        resolve_case(None)
