"""Briefs that keep their shape: codings left empty ("not coded"), wording at zero, what is shown in full by
importance and where the rest is, and (slow) the page budgets of a generated large case."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis import importance  # noqa: E402
from analysis.brief import Brief  # noqa: E402
from analysis.brief.sections.stakeholders import FURTHER_ID, TABLE_LIMIT  # noqa: E402
from analysis.case import load_case  # noqa: E402
from analysis.classroom.lesson import Classroom  # noqa: E402
from analysis.session import Session  # noqa: E402
from analysis.synthetic import write_synthetic_case  # noqa: E402
from brief_html import check_links, check_outline, soup  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _brief(case, **params) -> Brief:
    return Brief(Session.of(case, **params), draw=False)


def _room(case, level: str) -> Classroom:
    return Classroom(Session.of(case), level=level, draw=False)


def _with_evidence(case, extra: str):
    """``case`` with ``extra`` added to its first key judgement's evidence (the history parsed again)."""
    from dataclasses import replace

    kjs = [dict(k) for k in case.meta["key_judgements"]]
    kjs[0]["evidence"] = [*kjs[0]["evidence"], extra]
    return replace(case, meta={**case.meta, "key_judgements": kjs}, judgements=None)


def _blank(path: Path, table: str, columns: tuple[str, ...]) -> None:
    df = pd.read_csv(path / f"{table}.csv", dtype=str, keep_default_na=False)
    for c in columns:
        df[c] = ""
    df.to_csv(path / f"{table}.csv", index=False)


@pytest.fixture
def not_coded(case_copy) -> Path:
    """The mini case with salience, influence and the events' key left empty."""
    path = case_copy()
    _blank(path, "positions", ("salience", "influence"))
    _blank(path, "events", ("key",))
    return path


@pytest.mark.parametrize("audience", ["analyst", "public"])
def test_empty_codings_build_and_are_counted(not_coded, audience):
    case = load_case(not_coded, validate=False)
    assert case.positions["influence"].isna().all() and not case.events["key"].any()
    brief = _brief(case, since="2025-02-01", audience=audience)
    doc = soup(brief.render())
    check_outline(doc)
    check_links(doc)
    text = doc.get_text(" ", strip=True)
    if audience == "analyst":
        assert "Salience was not coded for 4 of 4 stated positions, influence for 4" in text
    assert "none is marked as key" in text
    assert not re.search(r"(?<![\d.,])0 (actor|event|item|point|are|is|shift|new|source|further)", text)


def test_no_missing_position_says_nothing_about_it(case_copy):
    path = case_copy()
    pos = pd.read_csv(path / "positions.csv", dtype=str, keep_default_na=False)
    pos[pos["basis"] != "none"].to_csv(path / "positions.csv", index=False)
    brief = _brief(load_case(path, validate=False))
    text = soup(brief.stakeholders()).get_text(" ", strip=True)
    assert "no public position was found" not in text and "0 actor" not in text
    gaps = soup(brief.gaps()).get_text(" ", strip=True)
    assert "no actor–issue pair without a public position" in gaps


def test_classroom_never_presents_a_made_up_influence(not_coded):
    room = _room(load_case(not_coded, validate=False), "advanced")
    answers = room.answers()["positions"]
    assert answers["most_influential"] is None and answers["influential_supporters"] is None
    assert "most influential" not in room.exercise("positions")
    assert "Influence is not coded for 2 of 2 actors" in room.solution("positions")
    for level in ("introductory", "advanced"):  # every exercise, key and note renders without a coding
        room = _room(load_case(not_coded, validate=False), level)
        for e in room.exercises:
            assert room.exercise(e.kind) and room.solution(e.kind) and room.teacher_note(e.kind)
        assert room.answers()


def test_tied_influence_asks_no_most_influential_question(case_copy):
    path = case_copy()
    pos = pd.read_csv(path / "positions.csv", dtype=str, keep_default_na=False)
    pos["influence"] = "3"
    pos.to_csv(path / "positions.csv", index=False)
    room = _room(load_case(path, validate=False), "introductory")
    # the mini case's three supporters and neutrals on transfer all tie at 3: a list of all is no answer
    top = room.answers()["positions"]["most_influential"]
    assert top is None or len(top) <= 3


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    return write_synthetic_case(tmp_path_factory.mktemp("cases") / "large", n_events=200, n_actors=300,
                                n_positions=600, n_issues=3, case_id="large")


def test_large_case_tables_keep_judgement_actors_and_say_where_the_rest_are(large):
    full = load_case(large, validate=False)
    case = full.as_of("2025-12-31")
    issue = str(case.issues["id"].iloc[0])
    low = importance.rank(case, [issue], among=list(
        case.latest_positions().query("issue == @issue and basis != 'none'")["actor"]))["actor"].iloc[-1]
    pos = case.positions[(case.positions["actor"] == low) & (case.positions["issue"] == issue)].iloc[-1]
    brief = _brief(_with_evidence(full, pos["id"]), as_of="2025-12-31")
    case = brief.case
    doc = soup(brief.render())
    tables = doc.select("table.positions")
    first = tables[0].get_text(" ", strip=True)
    assert case.actor_name(low) in first
    named = importance.judgement_actors(case)
    assert len(tables[0].select("tbody tr")) <= TABLE_LIMIT + len(named)
    cut = doc.select_one(".brief-stakeholders p.cut").get_text(" ", strip=True)
    assert "more actors with a position on this issue are listed under Further positions" in cut
    assert doc.find(id=FURTHER_ID) is not None
    check_links(doc)


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


@pytest.mark.slow
@pytest.mark.e2e
def test_large_case_briefs_keep_their_page_budgets(large, tmp_path):
    """A generated 300-actor, 3-issue case: analyst 6-14 pages, public at most 2, with and without since."""
    reports = tmp_path / "reports"
    env = {**os.environ, "CASEBRIEF_CASES": str(large.parent), "CASEBRIEF_REPORTS": str(reports),
           "MPLBACKEND": "Agg"}
    for extra in ([], ["--since", "2025-03-01"]):
        run = subprocess.run([sys.executable, "-m", "analysis", "build", "--case", "large",
                              "--audience", "analyst,public", *extra], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stdout + run.stderr
    pdfs = sorted((reports / "large").glob("*.pdf"))
    assert len(pdfs) == 4, [p.name for p in pdfs]
    for pdf in pdfs:
        pages = _pages(pdf)
        if "-analyst" in pdf.name:
            assert 6 <= pages <= 14, (pdf.name, pages)
        else:
            assert pages <= 2, (pdf.name, pages)


def test_long_change_lists_print_the_important_part_and_say_where_the_rest_is(large):
    case = load_case(large, validate=False)
    since = "2025-03-01"
    new = case.changes(since, case.default_as_of).new_events.sort_values("start")
    oldest = new.iloc[0]  # ranked last among non-key events (the latest come first)
    case = _with_evidence(case, oldest["id"])
    doc = soup(_brief(case, since=since).what_changed())
    notes = [p.get_text(" ", strip=True) for p in doc.select("p.cut")]
    assert any("new events that matter most" in n and "in the HTML edition only" in n for n in notes)
    tables = doc.select("table")

    def titles(table) -> list[str]:
        return [b.get_text(strip=True) for b in table.select("td strong")]

    printed, online = titles(tables[0]), titles(tables[1])
    assert "html-only" in tables[1]["class"] and "html-only" not in tables[0]["class"]
    assert oldest["title"] in printed and oldest["title"] not in online
    shown = len(printed) + len(online)
    assert shown == len(new)  # nothing dropped: printed plus HTML-only is every new event


def test_sources_cited_only_in_html_parts_are_listed_for_the_html_only(mini_path):
    from analysis.brief import sections as S
    from analysis.brief.citations import Citations

    case = load_case(mini_path, validate=False)
    cites = Citations(case.sources)
    first, second = list(case.sources["id"][:2])
    cites.cite(first)
    with cites.online():
        cites.cite([first, second])
    assert cites.printed(first) and not cites.printed(second)
    doc = soup(S.sources(case, cites))
    items = doc.select("ol.source-list li")
    assert [li.get("class") for li in items] == [None, ["html-only"]]
    assert "1 of them, cited only in parts left to the HTML edition, is listed there" in doc.get_text(" ")
