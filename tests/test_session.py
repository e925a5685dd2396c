"""The notebook session: parameters resolved by one rule, the case sliced once, and read by every section."""

from __future__ import annotations

import pytest

from analysis.brief import Brief
from analysis.case import Case, load_case
from analysis.classroom.lesson import Classroom
from analysis.errors import ParameterError
from analysis.params import default_as_of
from analysis.session import MIME, Session, start


@pytest.fixture
def mini(mini_path) -> Case:
    return load_case(mini_path, validate=False)


def test_as_of_defaults_by_the_one_rule(mini):
    session = Session.of(mini)
    assert session.as_of == default_as_of(mini.meta) == mini.default_as_of
    assert session.case.as_of_date == session.as_of and session.changes is None
    assert session.issues == list(mini.issues["id"])


def test_parameters_are_checked_against_the_case(mini):
    with pytest.raises(ParameterError, match="unknown issue 'nope'"):
        Session.of(mini, issues=["nope"])
    with pytest.raises(ParameterError, match="since"):
        Session.of(mini, since="2026-01-01", as_of="2025-12-31")


def test_the_brief_never_slices_again(mini, monkeypatch):
    first = mini.issues["id"].iloc[0]
    session = Session.of(mini, since="2025-02-01", issues=[first])
    assert set(session.case.positions["issue"]) == {first}
    assert set(session.changes.new_positions["issue"]) <= {first}

    def refuse(self, date):
        raise AssertionError("the case was sliced again")

    monkeypatch.setattr(Case, "as_of", refuse)
    monkeypatch.setattr(Case, "changes", refuse)
    html = Brief(session, draw=False).render()
    assert 'id="what-changed"' in html


def test_start_and_the_classroom_open_the_same_kind_of_session(mini_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIEF_CASES", str(mini_path.parent))
    session = start(case="mini", audience="public")
    assert session.meta["audience_label"] == "Public brief" and session.meta["as_of"] == "2025-12-31"
    assert MIME in capsys.readouterr().out  # outside a kernel, the display output is printed
    room = Classroom.start(case="mini", level="introductory", draw=False)
    assert isinstance(room.session, Session) and room.case is room.session.case
    assert room.as_of == session.as_of and room.meta["audience"] == "classroom"
