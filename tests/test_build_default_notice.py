"""The build trap: with several cases in the data folder, omitting --case says which case is built."""

from __future__ import annotations

import argparse

import pytest

from analysis import build
from analysis.errors import CasebriefError
from analysis.locate import default_case_notice
from analysis.paths import DEFAULT_CASE


class Stop(CasebriefError):
    """Raised in place of planning, so that run() stops before building anything."""


def _cases(tmp_path, *names):
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "datapackage.json").write_text("{}", encoding="utf-8")
    return tmp_path


def _run(monkeypatch, case):
    parser = argparse.ArgumentParser()
    build.add_arguments(parser)
    args = parser.parse_args([] if case is None else ["--case", case])

    def stop(*a, **k):
        raise Stop("planning stopped by the test")

    monkeypatch.setattr(build, "plan", stop)
    with pytest.raises(Stop):
        build.run(args)


def test_omitted_case_with_several_cases_names_the_default(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIEF_CASES", str(_cases(tmp_path, DEFAULT_CASE, "second-case")))
    _run(monkeypatch, None)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"building the default case {DEFAULT_CASE} (2 cases in {tmp_path}; name one with --case)"
    ]


def test_named_case_or_a_single_case_builds_without_the_notice(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIEF_CASES", str(_cases(tmp_path, DEFAULT_CASE, "second-case")))
    _run(monkeypatch, "second-case")
    assert capsys.readouterr().out == ""
    (tmp_path / "one").mkdir()
    monkeypatch.setenv("CASEBRIEF_CASES", str(_cases(tmp_path / "one", DEFAULT_CASE)))
    assert default_case_notice() is None
    _run(monkeypatch, None)
    assert capsys.readouterr().out == ""
