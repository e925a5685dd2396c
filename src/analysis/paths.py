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


NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
DEFAULT_CASE = "nk-pows-ukraine"
