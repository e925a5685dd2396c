"""Find cases: turn a case id or a path into its folder, and list the cases under ``data/cases/``.

Kept apart from :mod:`analysis.case` (which needs pandas) so that the command line can find a case, and
refuse a bad name, without paying for the data stack.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.errors import CaseNotFoundError
from analysis.paths import DEFAULT_CASE, PROJECT_DIR, cases_dir

CASE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CASE_ID_RULE = "a case id is lowercase letters, digits and hyphens, starting with a letter or digit " \
    "(at most 64 characters, e.g. nk-pows-ukraine)"


def list_cases() -> list[Path]:
    """The case folders under ``data/cases/`` (those holding a ``datapackage.json``), sorted by id."""
    root = cases_dir()
    if not root.is_dir():
        return []
    # a hidden folder is a case being created (see analysis.scaffold), not a case
    return sorted(
        p for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "datapackage.json").is_file()
    )


def default_case_notice() -> str | None:
    """The line a command prints when it falls back to the default case while the data folder holds
    several, so that forgetting ``--case`` is never silent; None when there is one case or none."""
    n = len(list_cases())
    if n < 2:
        return None
    root = cases_dir()
    where = root.relative_to(PROJECT_DIR) if root.is_relative_to(PROJECT_DIR) else root
    return f"building the default case {DEFAULT_CASE} ({n} cases in {where}; name one with --case)"


def describe_case(folder: Path) -> dict[str, str]:
    """Title, period and row counts of a case for listing; never raises (a broken case says so)."""
    import csv

    # imported here: analysis.validate brings yaml and pydantic (0.9 s measured), which finding a case
    # by name (every command) does not need
    from analysis.validate import read_case_yaml

    meta, problems = read_case_yaml(folder / "case.yaml")
    meta = meta if isinstance(meta, dict) else {}
    period = meta.get("period") if isinstance(meta.get("period"), dict) else {}
    counts = []
    for table in ("events", "actors", "positions", "sources"):
        try:
            with open(folder / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
                n = sum(1 for row in csv.reader(fh) if any(c.strip() for c in row)) - 1
            n = max(n, 0)
            counts.append(f"{n} {table[:-1] if n == 1 else table}")
        except (OSError, UnicodeDecodeError, csv.Error):
            counts.append(f"? {table}")
    title = str(meta.get("title") or "(no title: case.yaml is missing or unreadable)")
    return {
        "title": title,
        "period": f"{period.get('start', '?')} to {period.get('end', '?')}",
        "counts": ", ".join(counts),
    }


def resolve_case(case: str | Path | None = None) -> Path:
    """Return the folder of a case given by id (under ``data/cases/``) or by an explicit path.

    An id never leaves ``data/cases/``: ``../../etc`` is refused. A path is taken as given (the user
    named it), but must hold a ``datapackage.json``.
    """
    case = DEFAULT_CASE if case is None or str(case) == "" else case
    text = str(case)
    if isinstance(case, Path) or "/" in text or "\\" in text or text.startswith("."):
        if ".." in Path(text).parts and not isinstance(case, Path):
            # ids with ../ are refused; a user who means a path outside can name it absolutely
            raise CaseNotFoundError(
                f"case {text!r}: a case is an id under {cases_dir()} or a path to a case folder; "
                "'..' is not allowed in a case name"
            )
        path = Path(text).expanduser().resolve()
        if not path.is_dir():
            raise CaseNotFoundError(f"case {text!r}: there is no folder {path}")
    else:
        if not CASE_ID.match(text):
            raise CaseNotFoundError(f"case {text!r}: {CASE_ID_RULE}")
        root = cases_dir()
        path = (root / text).resolve()
        if root not in path.parents:
            raise CaseNotFoundError(f"case {text!r} is outside {root}")
        if not path.is_dir():
            known = ", ".join(p.name for p in list_cases())
            raise CaseNotFoundError(
                f"unknown case {text!r} (no folder {path}); known cases: {known or 'none'}"
            )
    if not (path / "datapackage.json").is_file():
        raise CaseNotFoundError(f"case {text!r}: {path} has no datapackage.json, so it is not a case folder")
    return path
