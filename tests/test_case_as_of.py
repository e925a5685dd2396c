"""One consistent slice: the default case as it could have been written on 31 Mar 2025, every table and
case.yaml, and "what changed" with one definition of a shift and the issue filter."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.case import load_case, stance_shifts
from analysis.dates import parse_partial

DAY = dt.date(2025, 3, 31)


@pytest.fixture(scope="module")
def full():
    return load_case("nk-pows-ukraine")


@pytest.fixture(scope="module")
def early(full):
    return full.as_of(DAY)


@pytest.fixture(scope="module")
def published(full) -> dict[str, dt.date | None]:
    src = full.sources
    return {s: (parse_partial(p)[0] if p else None) for s, p in zip(src["id"], src["published"], strict=True)}


def late(ids, published) -> list[str]:
    """Ids not known on DAY: not a source of the case, or published after it (undated sources count)."""
    return [s for s in ids if s not in published or (published[s] or DAY) > DAY]


def test_sources_are_those_published_by_the_date(early, published):
    assert len(early.sources) and early.sources["start"].dropna().max() <= pd.Timestamp(DAY)
    assert late(early.sources["id"], published) == []


@pytest.mark.parametrize("table", ["events", "positions", "legal_provisions", "dispute_claims"])
def test_no_row_cites_a_later_source(early, published, table):
    df = getattr(early, table)
    assert len(df)
    assert [r for ids in df["source_ids"] for r in late(ids, published)] == []
    assert all(len(ids) for ids in df["source_ids"])


def test_quotes_events_and_positions_are_dated_by_then(early, published):
    for table in ("events", "positions", "quotes"):
        assert (getattr(early, table)["start"] <= pd.Timestamp(DAY)).all(), table
    assert late(early.quotes["source_id"], published) == []


def test_legal_provisions_adopted_by_then_and_citing_known_sources(full, early):
    legal = full.legal_provisions
    adopted = {i: parse_partial(a)[0] for i, a in zip(legal["id"], legal["adopted"], strict=True) if a}
    assert all(adopted[i] <= DAY for i in early.legal_provisions["id"] if i in adopted)
    known = set(early.sources["id"])
    for col in ("source_ids", "adopted_source_ids"):
        assert {s for ids in early.legal_provisions[col] for s in ids} <= known
    # L15 rests only on SRC015, published later: nothing known on the date lets the brief cite it
    assert "L15" in set(full.legal_provisions["id"]) - set(early.legal_provisions["id"])
    l08 = early.legal_provisions.set_index("id").at["L08", "source_ids"]
    assert l08 == ["SRC084", "SRC011"]  # SRC001 (Feb 2026) trimmed


def test_a_provision_counts_from_its_adoption(case_copy):
    path = case_copy()
    csv = path / "legal_provisions.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_text(text.replace("Art. 1,1949,", "Art. 1,2025-06,"), encoding="utf-8")
    case = load_case(path)
    assert "L1" not in set(case.as_of("2025-05-31").legal_provisions["id"])
    assert "L1" in set(case.as_of("2025-06-01").legal_provisions["id"])  # a month counts from its first day
    assert "L2" in set(case.as_of("2025-05-31").legal_provisions["id"])  # no adoption date: always in force


def test_judgements_stand_as_on_the_date(early):
    kjs = early.meta["key_judgements"]
    assert [k["id"] for k in kjs] == ["KJ1", "KJ2", "KJ3", "KJ5"]  # KJ4 and KJ6 were first made later
    assert all(k["reconstructed"] and k["date"] <= DAY for k in kjs)
    known = set(early.events["id"]) | set(early.positions["id"]) | set(early.legal_provisions["id"])
    known |= set(early.disputes["id"]) | set(early.sources["id"])
    assert all(k["evidence"] and set(k["evidence"]) <= known for k in kjs)
    assert all(r.date <= DAY for j in early.judgements for r in j.revisions)


def test_indicators_and_gaps_known_by_then(early):
    standing = {k["id"] for k in early.meta["key_judgements"]}
    assert early.meta["indicators"]
    assert all(set(i["judgements"]) <= standing for i in early.meta["indicators"])
    gaps = early.meta["information_gaps"]
    assert [g["id"] for g in gaps] == ["U07", "U16"]  # U04 was recordable only from Feb 2026
    assert all(g["since"] <= DAY and set(g["source_ids"]) <= set(early.sources["id"]) for g in gaps)


def test_actors_and_issues_appear_once_involved(full, early):
    involved = set(early.positions["actor"]) | set(early.quotes["speaker"])
    involved |= {a for ids in early.events["actors"] for a in ids}
    kept = set(early.actors["id"])
    assert involved <= kept and len(kept) < len(full.actors)
    parents = dict(zip(full.actors["id"], full.actors["parent"], strict=True))
    assert all(not parents[a] or parents[a] in kept for a in kept)  # the hierarchy stays whole
    assert set(early.issues["id"]) <= set(early.positions["issue"]) | {early.meta["main_issue"]}


def test_a_slice_of_a_slice_is_the_same_slice(full, early):
    again = full.as_of("2025-12-31").as_of(DAY)
    for table in ("sources", "actors", "events", "positions", "legal_provisions", "quotes", "disputes"):
        assert list(getattr(again, table)["id"]) == list(getattr(early, table)["id"]), table
    assert again.meta["key_judgements"] == early.meta["key_judgements"]


# -- what changed -----------------------------------------------------------------------------------
def test_one_definition_of_a_shift(full):
    ch = full.changes("2025-03-31", "2026-05-13")
    # shifts are changes of stance between two stated positions; first stated positions are new stances
    assert ch.shifts["from_stance"].notna().all() and ch.new_stances["from_stance"].isna().all()
    assert (ch.shifts["from_stance"] != ch.shifts["to_stance"]).all()
    before = full.as_of("2025-03-31").positions
    stated_before = set(map(tuple, before.loc[before["basis"] != "none", ["actor", "issue"]].to_numpy()))
    assert not set(zip(ch.new_stances["actor"], ch.new_stances["issue"], strict=True)) & stated_before
    assert set(zip(ch.shifts["actor"], ch.shifts["issue"], strict=True)) <= stated_before
    # the function the shifts chart can share gives the same answer
    new, shifts = stance_shifts(before, full.as_of("2026-05-13").positions)
    assert list(shifts["position"]) == list(ch.shifts["position"])
    assert list(new["position"]) == list(ch.new_stances["position"])


def test_changes_apply_the_issue_filter(full):
    ch = full.changes("2025-03-31", "2026-05-13", issues=["transfer-south"])
    for df in (ch.shifts, ch.new_stances, ch.new_positions):
        assert set(df["issue"]) <= {"transfer-south"}
    every = full.changes("2025-03-31", "2026-05-13")
    assert len(every.new_positions) > len(ch.new_positions)


def test_changes_report_judgement_revisions(full):
    ch = full.changes("2025-03-31", "2025-12-31")
    got = {(c.id, c.kind, c.steps) for c in ch.judgements}
    assert {("KJ1", "likelihood", -1), ("KJ4", "new", 0), ("KJ6", "new", 0)} <= got
    assert not ch.empty
    assert full.changes("2026-05-13", "2026-05-13").judgements == []
