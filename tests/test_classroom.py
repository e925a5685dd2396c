"""The classroom edition without rendering: parameters, the notebook's cells, exercises chosen and answered
from the data, the two citation series, the student notebook and the build's plan."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_lib
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import build as B
from analysis.case import load_case
from analysis.classroom import SOLUTION, TEACHER_NOTE
from analysis.classroom import edition as ED
from analysis.classroom.exercises import KINDS, MIN_EXERCISES, STARTER_CODE, stance_by_group
from analysis.classroom.lesson import Classroom, find_case
from analysis.classroom.params import LEVELS, ClassroomParams
from analysis.errors import ParameterError
from analysis.paths import NOTEBOOKS_DIR
from analysis.session import Session

NOTEBOOK = NOTEBOOKS_DIR / "classroom.ipynb"


def _room(path: Path, level: str = "introductory", **kw) -> Classroom:
    return Classroom(Session.of(load_case(path, validate=False), **kw), level=level, draw=False)


def _append_row(path: Path, row: dict) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        fields = next(csv.reader(fh))
    with open(path, "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields).writerow(row)


# -- parameters -------------------------------------------------------------------------------------------
def test_parameters_are_checked_and_listed(monkeypatch, mini_path):
    monkeypatch.setenv("CASEBRIEF_CASES", str(mini_path.parent))
    p = ClassroomParams.parse(case="mini", level="advanced").resolved()
    assert p.notebook_values() == {"case": "mini", "as_of": "2025-12-31", "level": "advanced"}
    # the brief's own parameters are not the classroom's: the build does not ask every target for them
    assert not any(hasattr(p, name) for name in ("audience", "since", "issues", "title"))
    with pytest.raises(ParameterError, match="level") as err:
        ClassroomParams.parse(case="mini", level="expert")
    assert "introductory" in str(err.value) and "valid parameters" in str(err.value)
    with pytest.raises(ParameterError, match="since: unknown parameter"):
        ClassroomParams.parse(case="mini", since="2025-01-01")


def test_notebook_parameters_cell_matches_the_model():
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    found = {p.name: p for p in _infer_parameters(load_notebook_node(str(NOTEBOOK)))}
    assert set(found) == set(ClassroomParams.model_fields)
    assert all(p.help and p.inferred_type_name != "None" for p in found.values())


def test_notebook_has_one_tagged_group_per_exercise_kind_in_lesson_order():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    calls = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        m = re.fullmatch(r'room\.(exercise|solution|teacher_note)\("(\w+)"\)', cell.source.strip())
        if m:
            calls.append((m.group(1), m.group(2)))
            want = {"exercise": set(), "solution": {SOLUTION}, "teacher_note": {TEACHER_NOTE}}[m.group(1)]
            assert tags == want, (cell.source, tags)
    kinds = [k.kind for k in KINDS]
    assert [k for what, k in calls if what == "exercise"] == kinds
    assert [k for what, k in calls if what == "solution"] == kinds
    assert [k for what, k in calls if what == "teacher_note"] == kinds
    # the pandas exercise's starter code is the one the handout prints
    assert any(c.source == STARTER_CODE for c in nb.cells if c.cell_type == "code")
    # no cell whose output reaches an edition types a fact: each calls the library. Cells tagged
    # remove-cell (the teacher's look into the exercise objects) reach no edition and may hold any code.
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and not tags & {"parameters", ED.MAINTAINER}:
            assert cell.source.startswith(("room.", "from analysis", "import pandas")), cell.source
    teacher = [c.source for c in nb.cells
               if c.cell_type == "code" and ED.MAINTAINER in c.metadata.get("tags", [])]
    assert any("room.exercise_object(" in src for src in teacher)


def test_exercise_objects_can_be_looked_into(mini_path):
    room = _room(mini_path, "advanced")
    table = room.exercise_table()
    assert list(table["kind"]) == [e.kind for e in room.exercises]
    assert list(table["number"]) == list(range(1, len(room.exercises) + 1))
    ex = room.exercise_object("timeline")
    assert ex is room.exercises[room.numbers["timeline"] - 1] and ex.pick is not None
    assert table.loc[table["kind"] == "timeline", "answer"].iloc[0] == ex.answer()
    assert _room(mini_path).exercise_object("pandas") is None  # not at the introductory level
    with pytest.raises(ValueError, match="unknown exercise kind"):
        room.exercise_object("essay")


# -- exercises ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("case", ["mini", "default"])
def test_every_level_has_six_to_ten_numbered_exercises(case, level, mini_path):
    path = mini_path if case == "mini" else Path(__file__).resolve().parents[1] / "data/cases/nk-pows-ukraine"
    room = _room(path, level)
    assert MIN_EXERCISES <= len(room.exercises) <= 10
    assert list(room.numbers.values()) == list(range(1, len(room.exercises) + 1))
    kinds = {e.kind for e in room.exercises}
    assert {"timeline", "coding", "law", "dispute", "prediction"} <= kinds
    assert ("pandas" in kinds) == (level == "advanced")
    for e in room.exercises:
        n = room.numbers[e.kind]
        assert f"Exercise {n}. {e.title}" in room.exercise(e.kind)
        assert f"Worked solution to Exercise {n}" in room.solution(e.kind)
        assert f"Teacher note to Exercise {n}" in room.teacher_note(e.kind)
    assert room.exercise("pandas" if level == "introductory" else "sources") == ""  # not in this lesson


def test_answers_are_computed_from_the_data(case_copy):
    case = case_copy()
    before = _room(case).answers()
    # mini: the ministry (+2) and detainee C (+2) support transfer; State B's only coded view is on return
    assert before["positions"]["support"] == 2 and before["positions"]["oppose"] == 0
    assert before["positions"]["no_position"] == []
    assert before["timeline"]["order_ids"] == sorted(before["timeline"]["order_ids"],
                                                     key=lambda i: int(i[1:]))  # E1 < E2 < ... by date here
    assert before["dispute"] == {"number": 5, "dispute": "K1", "versions": 2, "used": "9 Jan 2025"}
    assert before["prediction"]["likelihood"] == "likely"
    assert before["coding"]["stances"] == [0]  # the hedged quote ("We are studying the matter.")

    _append_row(case / "positions.csv", {
        "id": "P7", "actor": "ngo-d", "issue": "transfer", "date": "2025-06-01", "stance": "1",
        "basis": "quote", "salience": "3", "influence": "2",
        "evidence": "C should be allowed to go to State A.", "evidence_language": "en",
        "summary": "Supports transfer.", "source_ids": "S3", "confidence": "high", "event": "E5",
        "coder_note": "",
    })
    _append_row(case / "positions.csv", {
        "id": "P8", "actor": "state-b", "issue": "transfer", "date": "2025-06-02", "stance": "",
        "basis": "none", "salience": "3", "influence": "5", "evidence": "No statement found.",
        "evidence_language": "",
        "summary": "No public position.", "source_ids": "S3", "confidence": "medium", "event": "",
        "coder_note": "",
    })
    after = _room(case).answers()
    assert after["positions"]["support"] == 3
    assert after["positions"]["no_position"] == ["state-b"]
    assert "3 support" in _room(case).teacher_note("positions")  # the key printed for the teacher follows


def test_pandas_answer_is_the_shown_code_run_on_the_csv(mini_path):
    import pandas as pd

    room = _room(mini_path, "advanced")
    got = stance_by_group(pd.read_csv(mini_path / "positions.csv"), pd.read_csv(mini_path / "actors.csv"),
                          "transfer", "2025-12-31")
    assert room.answers()["pandas"]["rows"] == int(got["positions"].sum()) == 3
    assert room.answers()["pandas"]["highest"] == got.index[0]
    assert "def stance_by_group" in room.solution("pandas")


def test_a_case_without_disputes_gets_the_fallback_exercise(case_copy):
    case = case_copy()
    for name in ("disputes.csv", "dispute_claims.csv"):
        path = case / name
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    room = _room(case)
    kinds = [e.kind for e in room.exercises]
    assert "dispute" not in kinds and "sources" in kinds and len(kinds) == MIN_EXERCISES
    assert room.answers()["sources"]["weak_only"]  # S4 (aggregator, grade C) carries E6 alone


def test_a_lesson_before_anything_happened_still_renders(mini_path):
    # the period's first day: the earliest date the date rule allows, before the first event
    room = _room(mini_path, as_of="2025-01-01")
    # only the event dated by the year alone (it starts on 1 Jan) can be shown; nothing dated later
    assert set(room.case.events["id"]) <= {"E6"} and "id" in room.case.events.columns
    assert "Learning objectives" in room.objectives()


def test_a_lesson_before_the_case_began_is_refused(mini_path):
    with pytest.raises(ParameterError, match="outside this case's range"):
        _room(mini_path, as_of="2024-06-01")


def test_data_text_is_escaped(case_copy):
    case = case_copy()
    path = case / "quotes.csv"
    text = path.read_text(encoding="utf-8").replace("Press briefing.", "<script>alert(1)</script>{{ x }}")
    path.write_text(text, encoding="utf-8")
    path = case / "positions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "We are studying the matter.,en", "<b>We</b> are studying the matter.,en"), encoding="utf-8")
    path = case / "quotes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Q1,ministry-a,We are", "Q1,ministry-a,<b>We</b> are"), encoding="utf-8")
    html = _room(case).exercise("coding")
    assert "<script>" not in html and "&lt;script&gt;" in html and "{{" not in html
    assert "&lt;b&gt;We&lt;/b&gt;" in html


# -- forecast from the past -------------------------------------------------------------------------------
DEFAULT_CASE = Path(__file__).resolve().parents[1] / "data/cases/nk-pows-ukraine"


@pytest.fixture(scope="module")
def default_room() -> Classroom:
    return Classroom(Session.of(load_case(DEFAULT_CASE, validate=False)), level="advanced", draw=False)


def _cited_numbers(html: str) -> set[int]:
    """Every source number a fragment cites, ranges ([11–13]) spelt out."""
    text = re.sub(r"<[^>]+>", "", html)
    out: set[int] = set()
    for group in re.findall(r"\[(\d+(?:\s*[,\u2013]\s*\d+)*)\]", text):
        for piece in group.split(","):
            ends = [int(n) for n in piece.split("\u2013")]
            out.update(range(ends[0], ends[-1] + 1))
    return out


def test_forecast_date_is_chosen_from_the_data_with_material_on_both_sides(default_room):
    from analysis.classroom.exercises.forecast import (
        MIN_EVENTS,
        MIN_MATERIAL,
        _material,
        choose_date,
        month_ends,
    )

    ex = default_room.exercise_object("forecast")
    day = ex.pick["date"]
    assert day < default_room.as_of and (day + dt.timedelta(days=1)).day == 1  # a month end, earlier
    ev_before, before, ev_after, after = _material(default_room.case, day)
    assert min(ev_before, ev_after) >= MIN_EVENTS and min(before, after) >= MIN_MATERIAL
    # the same date every time, and the best balance among the qualifying month ends
    terms = [t["term"] for t in default_room.case.meta["likelihood_yardstick"]["terms"]]
    assert choose_date(default_room.case, default_room.as_of, terms)[0] == day
    for other in month_ends(default_room.case.period[0], default_room.as_of):
        eb, b, ea, a = _material(default_room.case, other)
        judged = default_room.case.judgements.state_on(other)
        if min(eb, ea) >= MIN_EVENTS and min(b, a) >= MIN_MATERIAL and judged and other != day:
            assert abs(b - a) >= abs(before - after)
    again = Classroom(Session.of(load_case(DEFAULT_CASE, validate=False)), level="introductory", draw=False)
    assert again.exercise_object("forecast").pick["date"] == day
    # on both sides of the date there is something to read and something to reveal
    then = default_room.case.as_of(day)
    assert len(then.events) and len(ex.pick["changes"].new_events)
    assert ex.answer()["date"] == day.isoformat() and ex.answer()["likelihood_then"]


def _late_citations(room: Classroom) -> list[str]:
    """Sources the forecast exercise's student text cites that were published after its chosen date."""
    day = pd.Timestamp(room.exercise_object("forecast").pick["date"])
    numbers = _cited_numbers(room.exercise("forecast"))
    assert numbers, "the exercise cites what was known"
    order = room.student.order
    assert max(numbers) <= len(order)  # only the handout's own numbers
    published = room.full.sources.set_index("id")["start"]
    return [order[n - 1] for n in sorted(numbers)
            if pd.notna(published[order[n - 1]]) and published[order[n - 1]] > day]


def test_forecast_students_see_nothing_published_after_the_date(default_room):
    ex = default_room.exercise_object("forecast")
    day = pd.Timestamp(ex.pick["date"])
    html = default_room.exercise("forecast")
    assert not _late_citations(default_room)
    # no event dated after the date is told, and the judgement is stated as it stood then
    later = default_room.case.events[default_room.case.events["start"] > day]
    assert not [t for t in later["title"] if html_lib.escape(t) in html]
    assert html_lib.escape(ex.pick["kj"]["text"]) in html
    assert "almost certain" in html and "very unlikely" in html  # the yardstick's terms are listed


@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-12-31", "2026-03-31"])
def test_forecast_at_earlier_lessons_also_cites_only_what_was_known(as_of):
    room = Classroom(Session.of(load_case(DEFAULT_CASE, validate=False), as_of=as_of),
                     level="introductory", draw=False)
    ex = room.exercise_object("forecast")
    assert ex is not None and ex.pick["date"] < room.as_of
    assert not _late_citations(room)


def test_forecast_guide_reveals_the_outcome_and_how_judgements_moved(default_room):
    ex = default_room.exercise_object("forecast")
    day = ex.pick["date"]
    guide = default_room.solution("forecast")
    after = ex.pick["changes"].new_events
    key = after[after["key"]] if after["key"].any() else after
    assert all(html_lib.escape(t) in guide for t in key["title"].head(8))  # what happened after
    for j in default_room.case.judgements:
        assert f"<b>{j.id}</b>" in guide
        then, now = j.on(day), j.on(default_room.as_of)
        assert now.likelihood in guide
        if then is None:
            assert "not yet made on" in guide
        else:
            assert then.likelihood in guide
    a = ex.answer()
    assert (a["likelihood_then"], a["likelihood_now"]) == ("roughly even chance", "unlikely")  # KJ1's move
    assert "Marking" in guide and a["likelihood_then"] in default_room.teacher_note("forecast")


def test_forecast_is_left_out_without_material(mini_path):
    # the mini case's judgements are made on its default date: none stood earlier to forecast
    for level in LEVELS:
        room = _room(mini_path, level)
        assert "forecast" not in {e.kind for e in room.exercises} and room.exercise("forecast") == ""
    # an early lesson on the default case: too little before any month end with a judgement
    early = Classroom(Session.of(load_case(DEFAULT_CASE, validate=False), as_of="2025-03-15"),
                      level="advanced", draw=False)
    assert early.exercise_object("forecast") is None and early.solution("forecast") == ""


# -- citations: the handout's sources are numbered first --------------------------------------------------
def test_students_sources_are_numbered_before_those_only_solutions_cite(mini_path):
    room = _room(mini_path, "advanced")
    student, teacher = room.student.order, room.teacher.order
    assert student and not set(student) & set(teacher)
    listed = re.findall(r'value="(\d+)"', room.sources())
    assert listed == [str(i) for i in range(1, len(student) + 1)]
    more = re.findall(r'value="(\d+)"', room.teacher_sources())
    assert more == [str(i) for i in range(len(student) + 1, len(student) + len(teacher) + 1)]
    student_html = "".join(room.exercise(e.kind) for e in room.exercises) + room.narrative()
    cited = {int(n) for n in re.findall(r'class="cite" href="#src-\w+">\[?(\d+)', student_html)}
    assert cited and max(cited) <= len(student)  # no student part cites a teacher-only number


# -- finding the case and the student notebook ---------------------------------------------------------
def test_case_shipped_next_to_the_notebook_wins(tmp_path, monkeypatch, mini_path):
    import shutil

    shutil.copytree(mini_path, tmp_path / "data" / "mini")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASEBRIEF_CASES", str(tmp_path / "nowhere"))
    assert find_case("mini") == (tmp_path / "data" / "mini").resolve()


def test_set_parameters_keeps_the_type_comments():
    src = ('case = "x"  # type: str  Case id\nas_of = None  # type: Optional[str]  Date\n'
           'level = "a"  # type: str  L')
    out = ED.set_parameters(src, {"case": "mini", "as_of": "2025-12-31", "level": "advanced"})
    assert out.splitlines() == ['case = "mini"  # type: str  Case id',
                                'as_of = "2025-12-31"  # type: Optional[str]  Date',
                                'level = "advanced"  # type: str  L']


def test_student_notebook_drops_teacher_cells_and_lessons_this_level_lacks(monkeypatch, mini_path):
    monkeypatch.setenv("CASEBRIEF_CASES", str(mini_path.parent))
    params = ClassroomParams.parse(case="mini").resolved()
    executed = nbformat.read(NOTEBOOK, as_version=4)
    for cell in executed.cells:  # what a run at the introductory level shows: the advanced kinds are empty
        if cell.cell_type == "code":
            empty = any(f'"{k}"' in cell.source for k in ("shifts", "pandas", "sources"))
            html = "" if empty else "<p>x</p>"
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    data = ED.student_notebook(NOTEBOOK, executed, params)
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    text = "\n".join(c.source for c in nb.cells)
    assert "room.solution" not in text and "room.teacher_note" not in text and "lesson_plan" not in text
    assert "room.answer_key" not in text and "teacher_sources" not in text
    assert 'room.exercise("pandas")' not in text and STARTER_CODE.splitlines()[2] not in text
    assert 'room.exercise("dispute")' in text
    for cell in nb.cells:
        assert not set(cell.metadata.get("tags", [])) & {SOLUTION, TEACHER_NOTE, "remove-cell"}
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    params_cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'as_of = "2025-12-31"' in params_cell.source and 'level = "introductory"' in params_cell.source
    # the answer cells follow their exercise: one per exercise kept
    answers = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("**Your answer")]
    assert len(answers) == sum('room.exercise("' in c.source for c in nb.cells)


# -- the build's plan ----------------------------------------------------------------------------------------
def test_build_plans_both_levels_with_their_own_notebook_and_outputs(monkeypatch, mini_path, tmp_path):
    monkeypatch.setenv("CASEBRIEF_CASES", str(mini_path.parent))
    monkeypatch.setenv("CASEBRIEF_REPORTS", str(tmp_path))
    targets = B.plan("mini")
    by_name = {t.name: t for t in targets}
    assert set(by_name) == {"mini-analyst", "mini-public", "mini-classroom-introductory",
                            "mini-classroom-advanced"}
    room = by_name["mini-classroom-advanced"]
    assert room.notebook == NOTEBOOK and by_name["mini-analyst"].notebook.name == "briefing.ipynb"
    assert [room.output(f).name for f in room.formats] == [
        "mini-classroom-advanced-handout.html", "mini-classroom-advanced-guide.html",
        "mini-classroom-advanced-handout.pdf", "mini-classroom-advanced-guide.pdf",
        "mini-classroom-advanced-student.ipynb", "mini-classroom-advanced-student.zip"]
    only = B.plan("mini", audiences=["classroom"], level="introductory", formats=["html"], since="2025-03-01")
    assert [t.name for t in only] == ["mini-classroom-introductory"]
    assert only[0].formats == ("handout.html", "guide.html", "student.ipynb", "student.zip")
    # the classroom notebook is an input of the classroom outputs only
    analyst_inputs = B.case_inputs(by_name["mini-analyst"]).inputs
    room_inputs = B.case_inputs(room).inputs
    assert "notebook/classroom.ipynb" in room_inputs and "notebook/classroom.ipynb" not in analyst_inputs
    with pytest.raises(ParameterError, match="level"):
        B.plan("mini", audiences=["classroom"], level="expert")
