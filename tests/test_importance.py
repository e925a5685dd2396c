"""Which actors matter most: judgement actors never dropped, not-coded influence never read as a value."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import importance
from analysis.case import load_case
from analysis.synthetic import write_synthetic_case


def _blank(path, columns=("salience", "influence"), actors=None) -> None:
    """Empty the codings (of ``actors`` only, when given) in a copy's positions.csv."""
    df = pd.read_csv(path / "positions.csv", dtype=str, keep_default_na=False)
    rows = df["actor"].isin(actors) if actors else slice(None)
    for c in columns:
        df.loc[rows, c] = ""
    df.to_csv(path / "positions.csv", index=False)


def test_judgement_actors_rank_first_and_are_never_dropped(mini_path):
    case = load_case(mini_path, validate=False)
    named = importance.judgement_actors(case)
    assert named == {"ministry-a", "state-a", "state-b"}  # P2 (ministry-a) and E3's actors
    order = importance.rank(case)  # candidates: the actors with a position (state-a has none)
    assert set(order["actor"].iloc[:2]) == {"ministry-a", "state-b"}
    pick = importance.choose(case, limit=1)
    assert set(pick.shown) == {"ministry-a", "state-b"} and len(pick.left_out) == 2
    assert pick.reason == "2 more actors are not shown."


def test_choose_says_what_was_left_out_and_where(mini_path):
    case = load_case(mini_path, validate=False)
    case.meta["key_judgements"] = []
    pick = importance.choose(case, limit=2, what="actors with a position on this issue",
                             where="listed in the annex table")
    assert len(pick.shown) == 2 and len(pick.left_out) == 2
    assert pick.reason == "2 more actors with a position on this issue are listed in the annex table."
    assert importance.choose(case, limit=10).reason == ""
    assert importance.left_out_sentence(0) == ""


def test_not_coded_influence_is_neither_zero_nor_a_value(case_copy):
    path = case_copy()
    _blank(path)
    case = load_case(path, validate=False)
    case.meta["key_judgements"] = []
    order = importance.rank(case)
    assert order["influence"].isna().all()
    # key actors (of key events) first; then, with influence missing everywhere, the number of stated
    # positions decides, then the name
    assert list(order["key"]) == [True, True, False, False]
    assert list(order["actor"]) == ["person-c", "state-b", "ministry-a", "ngo-d"]


def test_uncoded_actor_is_placed_by_its_other_criteria(case_copy):
    path = case_copy()
    # ngo-d (one position) loses its influence coding; ministry-a keeps 4 and has three positions
    _blank(path, ("influence",), ["ngo-d"])
    case = load_case(path, validate=False)
    case.meta["key_judgements"] = []
    order = list(importance.rank(case)["actor"])
    assert order.index("ministry-a") < order.index("ngo-d")
    # the same order whatever the order of the rows
    case.positions = case.positions.iloc[::-1]
    assert list(importance.rank(case)["actor"]) == order


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = write_synthetic_case(tmp_path_factory.mktemp("big") / "big", n_events=120, n_actors=150,
                                n_positions=400, n_issues=3, case_id="big")
    return load_case(path, validate=False)


def test_low_ranked_judgement_actor_stays_within_a_tight_limit(big):
    order = importance.rank(big, [big.issues["id"].iloc[0]])
    last = order["actor"].iloc[-1]
    pos = big.positions[big.positions["actor"] == last].iloc[0]
    big.meta["key_judgements"] = [{"id": "KJ9", "text": "x", "likelihood": "likely",
                                   "confidence": "low", "evidence": [pos["id"]]}]
    pick = importance.choose(big, [pos["issue"]], 5)
    assert last in pick.shown and last not in pick.left_out
    assert len(pick.shown) == 5 and pick.left_out
