"""Check a case package and report every problem at once, in the words of the person who edits it.

The checks run in layers that add to one list of problems: files and schema drift
(:mod:`~analysis.validate.files`), reading each table with its encoding and header
(:mod:`~analysis.validate.tables`), the Frictionless table checks (types, constraints, primary and foreign
keys: :mod:`~analysis.validate.table_rules`), domain rules (:mod:`~analysis.validate.domain`), and
``case.yaml`` (read by :mod:`~analysis.validate.case_yaml`, checked by :mod:`~analysis.validate.meta_rules`).
Every file is read through :mod:`~analysis.validate.safe_read` (bounded size, no links, no YAML aliases).
A layer that cannot run on a broken table skips that table only, so one mistake neither hides the others
nor buries them in echoes; a cell gets at most one problem (the first layer's).

Column order is free, as in a spreadsheet. Nothing here imports pandas; Frictionless is imported only
when the table checks run.
"""

from __future__ import annotations

import time
from pathlib import Path

from analysis.errors import CaseDataError
from analysis.tableschema import canonical_schema
from analysis.validate.case_yaml import CaseMeta, case_meta, load_meta, read_case_yaml, read_meta_file
from analysis.validate.domain import domain_checks
from analysis.validate.files import check_files
from analysis.validate.meta_rules import check_meta
from analysis.validate.report import DATAPACKAGE, META, Report, Validation, YamlProblem
from analysis.validate.table_rules import frictionless_checks
from analysis.validate.tables import Table, read_table

__all__ = [
    "CaseMeta",
    "Validation",
    "YamlProblem",
    "case_meta",
    "check_case",
    "load_meta",
    "read_case_yaml",
    "validate_case",
]


def validate_case(path: str | Path) -> None:
    """Check the case folder at ``path``; raise :class:`CaseDataError` listing every problem at once."""
    result = check_case(path)
    if result.problems:
        raise CaseDataError(result.case, result.problems)


def check_case(path: str | Path) -> Validation:
    """Run every check on the case folder at ``path`` and return the problems found (never raises)."""
    started = time.perf_counter()
    folder = Path(path)
    report = Report()
    timings: dict[str, float] = {}
    tables: dict[str, Table] = {}
    canonical = canonical_schema()
    try:
        tick = time.perf_counter()
        check_files(folder, canonical, report)
        for resource in canonical["resources"]:
            table = read_table(folder, resource, report)
            if table is not None:
                tables[table.name] = table
        timings["read"] = time.perf_counter() - tick
        tick = time.perf_counter()
        meta, lines = _read_meta(folder, report)
        typed = case_meta(meta)
        timings["case.yaml"] = time.perf_counter() - tick
        tick = time.perf_counter()
        frictionless_checks(tables, canonical, report, typed)
        timings["frictionless"] = time.perf_counter() - tick
        tick = time.perf_counter()
        domain_checks(tables, canonical, typed, report)
        if meta is not None:
            check_meta(meta, lines, tables, report, folder.name)
        timings["domain"] = time.perf_counter() - tick
    except Exception as exc:  # a bug or an input nobody foresaw: still a report, never a traceback
        report.add(folder.name, f"could not be checked completely ({type(exc).__name__}: {exc})")
    order = [DATAPACKAGE, META] + [f"{r['name']}.csv" for r in canonical["resources"]]
    rank = {name: i for i, name in enumerate(order)}
    problems = sorted(report.problems, key=lambda p: (rank.get(p.file, len(order)), p.row or 0))
    counts = {name: len(t.rows) for name, t in tables.items()}
    return Validation(folder.name, folder, problems, counts, time.perf_counter() - started, timings)


def _read_meta(folder: Path, report: Report) -> tuple[dict | None, dict[tuple, int]]:
    """case.yaml through the one reader (a missing file is reported with the files)."""
    if not (folder / META).is_file():
        return None, {}
    got = read_meta_file(folder / META)
    report.problems.extend(got.problems)
    return got.data, got.lines
