"""Shared fixtures: the synthetic mini case and a writable copy of any case."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
