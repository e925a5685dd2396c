"""``notebooks/explore.ipynb`` runs top to bottom under papermill on the mini fixture case.

The notebook is for analysts, not built into any brief: this keeps it working as the library changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

MINI = Path(__file__).resolve().parent / "fixtures" / "cases" / "mini"
NOTEBOOK = NOTEBOOKS_DIR / "explore.ipynb"


def test_explore_runs_top_to_bottom_on_the_mini_case(tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("CASEBRIEF_CASES", str(MINI.parent))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("CASEBRIEF_VALIDATED", raising=False)
    nb = pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "explore.ipynb"), parameters={"case": "mini"},
                             cwd=str(NOTEBOOKS_DIR), progress_bar=False, kernel_name="python3")
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # every chart shows itself, and the tables show as tables
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 5
    assert sum("text/html" in o.get("data", {}) for o in outputs) >= 8

