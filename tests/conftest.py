"""Shared fixtures (the synthetic mini case, a writable copy of any case) and the test tiers.

Every test belongs to exactly one tier (``make test-unit`` ... ``make test-tools``): its own marker if it
has one, else its file's tier from ``FILE_TIERS``. A test file missing from that table fails collection,
and a test outside the ``tools`` tier that calls an external checker fails, so the tiers stay true.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import checks  # noqa: E402

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CASES = ROOT / "tests" / "fixtures" / "cases"
MINI = FIXTURE_CASES / "mini"
DEFAULT_CASE_DIR = ROOT / "data" / "cases" / "nk-pows-ukraine"


@pytest.fixture(scope="session", autouse=True)
def _chart_cache(tmp_path_factory):
    """Drawn charts are cached in a folder of the test session, never in the project's reports/."""
    os.environ.setdefault("CASEBRIEF_CHART_CACHE", str(tmp_path_factory.mktemp("chart-cache")))


@pytest.fixture
def mini_path() -> Path:
    """Path of the synthetic mini case (read-only: copy it before editing)."""
    return MINI


@pytest.fixture
def case_copy(tmp_path):
    """Return a function that copies a case folder into tmp_path and returns the copy's path."""

    def _copy(src: Path = MINI, name: str | None = None) -> Path:
        dst = tmp_path / "cases" / (name or src.name)
        shutil.copytree(src, dst)
        return dst

    return _copy


# -- tiers --------------------------------------------------------------------------------------------------
#: The tiers, as registered in pyproject.toml ([tool.pytest.ini_options] markers).
TIERS = ("unit", "data", "notebook", "e2e", "tools")

#: The tier of each test file's tests, unless a test carries a tier marker of its own.
FILE_TIERS = {
    "test_brief_citations.py": "unit",
    "test_brief_figures.py": "unit",
    "test_brief_pages.py": "e2e",
    "test_brief_safety.py": "unit",
    "test_brief_sections.py": "unit",
    "test_briefing_notebook.py": "notebook",
    "test_build.py": "e2e",
    "test_build_plan.py": "unit",
    "test_case.py": "unit",
    "test_case_vocabulary.py": "unit",
    "test_build_default_notice.py": "unit",
    "test_brief_shape.py": "unit",
    "test_importance.py": "unit",
    "test_case_as_of.py": "unit",
    "test_judgements.py": "unit",
    "test_data_second_case.py": "data",
    "test_chart_cache.py": "unit",
    "test_chart_style.py": "unit",
    "test_chart_svg.py": "unit",
    "test_charts.py": "unit",
    "test_classroom.py": "unit",
    "test_classroom_build.py": "e2e",
    "test_cli.py": "unit",
    "test_data_default_case.py": "data",
    "test_data_hash.py": "unit",
    "test_environment.py": "unit",
    "test_explore.py": "notebook",
    "test_exporter.py": "unit",
    "test_facts.py": "unit",
    "test_fuzz_loader.py": "unit",
    "test_hostile.py": "unit",
    "test_interrupted.py": "e2e",
    "test_memory.py": "e2e",
    "test_outputs.py": "tools",
    "test_params.py": "unit",
    "test_pdf_text.py": "e2e",
    "test_publisher.py": "unit",
    "test_session.py": "unit",
    "test_synthetic.py": "unit",
    "test_validate.py": "unit",
    "test_verify.py": "e2e",
    "test_wording.py": "unit",
}


def pytest_collection_modifyitems(config, items):
    """Give each test its file's tier unless it has its own; refuse a test with no tier or with two."""
    for item in items:
        own = {m.name for m in item.iter_markers() if m.name in TIERS}
        if len(own) > 1:
            raise pytest.UsageError(f"{item.nodeid} is marked with two tiers: {sorted(own)}")
        if not own:
            tier = FILE_TIERS.get(item.path.name)
            if tier is None:
                raise pytest.UsageError(f"{item.path.name} has no test tier: add it to FILE_TIERS in "
                                        f"tests/conftest.py (one of {', '.join(TIERS)})")
            item.add_marker(tier)


@pytest.fixture(autouse=True)
def _checkers_only_in_the_tools_tier(request, monkeypatch):
    """Outside the ``tools`` tier no test may run an external checker (Chromium, vnu, PDFBox, poppler...)."""
    if request.node.get_closest_marker("tools") is None:

        def refuse(tool, *args, **kwargs):
            raise AssertionError(f"{request.node.nodeid} runs {tool}, an external checker: mark it "
                                 "@pytest.mark.tools (tests/conftest.py explains the tiers)")

        monkeypatch.setattr(checks, "_need", refuse)
