"""The briefing notebook as an analyst opens it: a named session and brief, a hidden heading per section,
each chart drawn in its section's cell, and cells of one's own that reach the brief where they stand."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.paths import NOTEBOOKS_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import checks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
NOTEBOOK = NOTEBOOKS_DIR / "briefing.ipynb"
HIDDEN = "remove-cell"


def _code(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_the_notebook_names_its_session_and_brief_and_draws_each_chart_in_view():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(_code(nb))
    assert re.search(r"^session = start\(", code, re.M)
    assert re.search(r"^brief = Brief\(session\)", code, re.M)
    for chart in ("timeline", "position_map", "position_matrix", "position_shifts"):
        assert re.search(rf"charts\.{chart}\(session\.case", code), chart
    assert "brief.timeline(timeline)" in code and "brief.stakeholders(position_maps, matrix, shifts)" in code
    # a heading per section, for finding one's way in JupyterLab, tagged so that the brief leaves it out
    headings = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(headings) == 9 and all(HIDDEN in c.metadata.get("tags", []) for c in headings)
    assert all(HIDDEN in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.slow
@pytest.mark.tools
def test_a_cell_of_ones_own_appears_in_the_brief_where_it_stands(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if c.source.startswith("brief.legal()"))
    note = nbformat.v4.new_code_cell(
        'brief.note("Zanzibar reading: the record is thin before March.", title="Analyst note on timing",\n'
        '           chart=charts.timeline(session.case, lanes="category"), caption="Events by kind.")'
    )
    prose = nbformat.v4.new_markdown_cell("Quillwort remark, written as markdown in the notebook.")
    nb.cells[at:at] = [note, prose]  # after the stakeholders, before the legal framework
    copy = tmp_path / "nb" / "briefing.ipynb"
    copy.parent.mkdir()
    nbformat.write(nb, copy)
    cases, reports = tmp_path / "cases", tmp_path / "reports"
    shutil.copytree(MINI, cases / "mini")
    env = dict(os.environ, CASEBRIEF_CASES=str(cases), CASEBRIEF_REPORTS=str(reports), MPLBACKEND="Agg")
    args = ["build", "--notebook", str(copy), "--case", "mini", "--audience", "analyst"]
    run = subprocess.run([sys.executable, "-m", "analysis", *args], env=env, capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    html = (reports / "mini" / "mini-analyst.html").read_text(encoding="utf-8")
    marks = ('id="stakeholders"', 'id="note-analyst-note-on-timing"', "Zanzibar reading", "Events by kind.",
             "Quillwort remark", 'id="legal-framework"')
    order = [html.index(m) for m in marks]
    assert order == sorted(order)
    assert re.search(r'<a href="#note-analyst-note-on-timing"', html)  # listed in the contents
    text = " ".join(checks.pdftotext(reports / "mini" / "mini-analyst.pdf").split())
    for words in ("Analyst note on timing", "Zanzibar reading: the record is thin before March.",
                  "Events by kind.", "Quillwort remark"):
        assert words in text, words
