"""Where things live, anchored at the package, never at the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parents[1]
SCHEMA_PATH = PACKAGE_DIR / "schema" / "datapackage.json"


def cases_dir() -> Path:
    """The folder that holds one sub-folder per case (``CASEBRIEF_CASES`` overrides it)."""
    return Path(os.environ.get("CASEBRIEF_CASES", PROJECT_DIR / "data" / "cases")).resolve()


def reports_dir() -> Path:
    """The folder that builds write into (``CASEBRIEF_REPORTS`` overrides it)."""
    return Path(os.environ.get("CASEBRIEF_REPORTS", PROJECT_DIR / "reports")).resolve()


#: Where drawn charts are cached (:mod:`analysis.charts.cache`): a folder, or ``off``.
CHART_CACHE_ENV = "CASEBRIEF_CHART_CACHE"


def chart_cache_dir() -> Path | None:
    """The chart cache's folder (``CASEBRIEF_CHART_CACHE``; default ``reports/.chart-cache``), or None
    when it is set to ``off`` (``casebrief build --no-cache``)."""
    where = os.environ.get(CHART_CACHE_ENV, "").strip()
    if where.lower() in ("off", "0", "no", "false"):
        return None
    return Path(where) if where else reports_dir() / ".chart-cache"


NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
DEFAULT_CASE = "nk-pows-ukraine"
