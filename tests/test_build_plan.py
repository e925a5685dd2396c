"""Planning a build without running it: names, parameters, the "previous brief" baseline, the lock."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis import build as B
from analysis.errors import CasebriefError, ParameterError


@pytest.fixture(autouse=True)
def _dirs(monkeypatch, mini_path, tmp_path):
    monkeypatch.setenv("CASEBRIEF_CASES", str(mini_path.parent))
    monkeypatch.setenv("CASEBRIEF_REPORTS", str(tmp_path / "reports"))
    return tmp_path / "reports" / "mini"


def test_default_plan_is_every_audience_in_both_formats(_dirs):
    targets = B.plan("mini")
    assert [t.name for t in targets] == ["mini-analyst", "mini-public", "mini-classroom-introductory",
                                         "mini-classroom-advanced"]  # the classroom: its own outputs
    targets = targets[:2]
    assert all(t.formats == ("html", "pdf") for t in targets)
    assert targets[0].output("pdf") == _dirs / "mini-analyst.pdf"
    assert targets[0].params.as_of == dt.date(2025, 12, 31)


def test_names_show_every_non_default_parameter():
    t = B.plan("mini", as_of="2025-06-30", since="2025-03-01", audiences=["public"], issues="transfer",
               title="A title")[0]
    assert t.name.startswith("mini-public-asof-2025-06-30-since-2025-03-01-issues-transfer-title-")
    assert B.plan("mini", as_of="2025-12-31", audiences=["analyst"])[0].name == "mini-analyst"


def test_bad_format_and_parameters_are_refused():
    with pytest.raises(CasebriefError, match="unknown format docx"):
        B.plan("mini", formats=["html", "docx"])
    with pytest.raises(ParameterError, match="valid parameters"):
        B.plan("mini", audiences=["everyone"])


def _manifest(out_dir, entries):
    out_dir.mkdir(parents=True)
    outputs = {f"{name}.pdf": {"path": f"{name}.pdf", "parameters": p} for name, p in entries}
    (out_dir / "manifest.json").write_text(json.dumps({"outputs": outputs}))


def test_previous_brief_becomes_an_explicit_since(_dirs):
    _manifest(_dirs, [
        ("mini-analyst-asof-2025-03-31", {"as_of": "2025-03-31", "audience": "analyst", "since": None}),
        ("mini-analyst-asof-2025-06-30", {"as_of": "2025-06-30", "audience": "analyst", "since": None}),
        ("mini-public-asof-2025-09-30", {"as_of": "2025-09-30", "audience": "public", "since": None}),
    ])
    analyst, public = B.plan("mini", audiences=["analyst", "public"])
    assert analyst.params.since == dt.date(2025, 6, 30) and analyst.name == "mini-analyst"
    assert public.params.since == dt.date(2025, 9, 30)
    # given by the user, it is not replaced
    assert B.plan("mini", since="2025-01-31", audiences=["analyst"])[0].params.since == dt.date(2025, 1, 31)


def test_baseline_is_stable_once_built(_dirs):
    """Rebuilding a brief keeps the baseline it was built with (no flip-flop after its own entry)."""
    built = {"as_of": "2025-12-31", "audience": "analyst", "since": "2025-06-30"}
    _manifest(_dirs, [("mini-analyst", built)])
    assert B.plan("mini", audiences=["analyst"])[0].params.since == dt.date(2025, 6, 30)


def test_source_date_epoch_comes_from_case_yaml():
    assert B.source_date_epoch({"updated": "2026-11-27"}) == 1795737600
    assert B.source_date_epoch({"updated": dt.date(2026, 11, 27)}) == 1795737600
    assert B.source_date_epoch({}) == B.source_date_epoch({"updated": "garbage"})


def test_lock_is_exclusive(_dirs):
    import fcntl

    with B.case_lock(_dirs):
        with open(_dirs / ".lock", "a+") as fh, pytest.raises(BlockingIOError):
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(_dirs / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released


def test_every_audience_names_a_registered_edition():
    from analysis.audiences import AUDIENCES
    from analysis.editions import EDITIONS

    assert {a.edition for a in AUDIENCES.values()} <= set(EDITIONS)
    assert {t.edition for t in B.plan("mini")} == {"brief", "classroom"}


def test_an_edition_plugs_in_through_the_registry_alone(monkeypatch):
    """A new edition needs an Edition subclass and an audience record: no change to the build."""
    from analysis import editions
    from analysis.audiences import AUDIENCES, Audience

    class Poster(editions.Edition):
        name = "poster"
        params = editions.ClassroomParams  # any CaseParams model: case, as_of (and a level)
        notebook = editions.ClassroomEdition.notebook

        def formats(self, requested):
            return ("poster.pdf",)

        def output_name(self, case_id, params, default_as_of):
            return f"{case_id}-poster-{params.level}"

    monkeypatch.setitem(editions.EDITIONS._editions, "poster", Poster())
    wall = Audience("wall", "Poster", "one page for a wall", edition="poster")
    monkeypatch.setitem(AUDIENCES, "wall", wall)
    (target,) = B.plan("mini", audiences=["wall"], since="2025-03-01")  # since is the brief's: not passed on
    assert target.edition == "poster" and target.params.level == "introductory"
    assert target.output("poster.pdf").name == "mini-poster-introductory-poster.pdf"
