"""Briefing parameters: refused with the list of valid ones, before any kernel starts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis import params as P
from analysis.classroom.params import ClassroomParams
from analysis.errors import ParameterError
from analysis.paths import NOTEBOOKS_DIR


@pytest.fixture(autouse=True)
def _fixture_cases(monkeypatch, mini_path):
    monkeypatch.setenv("CASEBRIEF_CASES", str(mini_path.parent))


def test_defaults_come_from_case_yaml():
    p = P.BriefParams.parse(case="mini").resolved()
    assert p.as_of == dt.date(2025, 12, 31) and p.audience == "analyst" and p.issues is None


def test_unknown_parameter_lists_the_valid_ones():
    with pytest.raises(ParameterError) as err:
        P.BriefParams.parse(case="mini", colour="red")
    text = str(err.value)
    assert "colour: unknown parameter" in text
    for name in ("case", "as_of", "since", "audience", "issues", "title"):
        assert f"  {name}: " in text
    assert "as_of: date | None" in text


@pytest.mark.parametrize("values, fragment", [
    ({"as_of": 20250101}, "as_of: expected a date"),
    ({"as_of": "2025-13-01"}, "as_of:"),
    ({"since": "yesterday"}, "since:"),
    ({"audience": "kids"}, "unknown audience 'kids'"),
    ({"issues": 3}, "issues:"),
    ({"title": ["a"]}, "title:"),
])
def test_ill_typed_values_are_refused(values, fragment):
    with pytest.raises(ParameterError, match="valid parameters") as err:
        P.BriefParams.parse(case="mini", **values)
    assert fragment in str(err.value)


def test_values_checked_against_the_case():
    with pytest.raises(ParameterError, match="unknown issue 'nope'.*known issues: transfer, return"):
        P.BriefParams.parse(case="mini", issues="transfer,nope").resolved()
    with pytest.raises(ParameterError, match="must be before"):
        P.BriefParams.parse(case="mini", since="2026-01-01").resolved()  # after default as_of


def test_the_date_rule_names_the_valid_range():
    """as_of outside the case's range, or since not before as_of: one sentence, before any kernel."""
    for values in ({"as_of": "2020-01-01"}, {"as_of": "2025-06-01", "since": "2025-07-01"},
                   {"as_of": "2025-06-01", "since": "2025-06-01"}):
        with pytest.raises(ParameterError, match=r"range is|range: ") as err:
            P.BriefParams.parse(case="mini", **values).resolved()
        assert "(period start) to" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ParameterError, match="outside this case's range"):
        ClassroomParams.parse(case="mini", as_of="2020-01-01").resolved()


def test_audiences_come_from_the_audience_records():
    from analysis.audiences import AUDIENCES

    assert P.AUDIENCES == {name: a.description for name, a in AUDIENCES.items()}
    assert P.BRIEF_AUDIENCES == ("analyst", "public")  # the classroom has its own edition and parameters
    with pytest.raises(ParameterError, match="unknown audience 'classroom'"):
        P.BriefParams.parse(case="mini", audience="classroom")
    assert f"public ({AUDIENCES['public'].description})" in P.parameter_help()


def test_notebook_values_are_what_papermill_injects():
    p = P.BriefParams.parse(case="mini", issues=["transfer"], since="2025-03-01").resolved()
    values = p.notebook_values()
    assert values == {"case": "mini", "as_of": "2025-12-31", "since": "2025-03-01", "audience": "analyst",
                      "issues": ["transfer"], "title": None}
    json.dumps(values)  # papermill writes them into the notebook


def test_notebook_parameters_cell_matches_the_model():
    """The notebook documents every parameter (name, # type:, help) and no other."""
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    nb = load_notebook_node(str(NOTEBOOKS_DIR / "briefing.ipynb"))
    found = {p.name: p for p in _infer_parameters(nb)}
    assert set(found) == set(P.BriefParams.model_fields)
    for p in found.values():
        assert p.inferred_type_name != "None" and p.help, p


def test_notebook_is_committed_without_outputs():
    nb = json.loads((NOTEBOOKS_DIR / "briefing.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_a_case_named_by_a_relative_folder_is_found_from_the_notebooks_folder(tmp_path, monkeypatch):
    """``--case data/cases/x`` names a folder relative to where casebrief runs: the parameters carry it
    absolute, so the kernel (which runs in notebooks/) finds the same folder; ids and '..' stay as given."""
    from analysis.params import BriefParams

    (tmp_path / "cases" / "x").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert BriefParams(case="cases/x").case == str(tmp_path / "cases" / "x")
    assert BriefParams(case="./cases/x").case == str(tmp_path / "cases" / "x")
    assert BriefParams(case="mini").case == "mini"
    assert BriefParams(case="../cases/x").case == "../cases/x"
