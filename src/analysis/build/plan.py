"""What a build will make: its targets (one notebook run each), their output names and their inputs.

Planning checks every parameter before any kernel starts and asks each audience's edition
(:data:`analysis.editions.EDITIONS`) for its runs, notebook, outputs and names. Light: no pandas,
papermill or nbconvert (the no-op build plans, hashes and stops).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.audiences import AUDIENCES
from analysis.bundle import publisher_inputs
from analysis.editions import EDITIONS, FORMATS
from analysis.errors import BuildError, CasebriefError, ParameterError
from analysis.manifest import fingerprint, input_hashes, relative_to_project, versions
from analysis.params import CaseParams, case_folder, default_as_of, parameter_help, read_case_yaml
from analysis.paths import reports_dir


@dataclass(frozen=True)
class Target:
    """One notebook run: a case, resolved parameters and the outputs wanted from it."""

    case_id: str
    case_dir: Path
    params: CaseParams
    name: str
    formats: tuple[str, ...]
    notebook: Path
    out_dir: Path
    edition: str  # its name in analysis.editions.EDITIONS, which renders it

    def output(self, fmt: str) -> Path:
        # an edition's products are formats like "handout.pdf", written as "<name>-handout.pdf"
        stem, dot, ext = fmt.rpartition(".")
        return self.out_dir / (f"{self.name}-{stem}.{ext}" if dot else f"{self.name}.{fmt}")

    @property
    def debug_notebook(self) -> Path:
        return self.out_dir / ".debug" / f"{self.name}.ipynb"


def plan(
    case: str | None = None,
    *,
    as_of: object = None,
    since: object = None,
    audiences: Sequence[str] | None = None,
    issues: object = None,
    title: str | None = None,
    formats: Sequence[str] = FORMATS,
    notebook: Path | None = None,
    level: str | None = None,
) -> list[Target]:
    """Check the parameters and list the targets (no kernel, no heavy import).

    ``notebook`` replaces every edition's own notebook (for tests and notebook authors).
    """
    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise CasebriefError(f"unknown format {', '.join(bad) or '(none)'}; formats: {', '.join(FORMATS)}")
    if notebook is not None:
        notebook = _existing(notebook)
    given = {"case": case, "as_of": as_of, "since": since, "issues": issues, "title": title}
    values: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    targets = []
    for name in audiences or list(AUDIENCES):
        if name not in AUDIENCES:
            raise ParameterError(f"unknown audience {name!r}; one of: {', '.join(AUDIENCES)}\n"
                                 f"valid parameters:\n{parameter_help()}")
        audience = AUDIENCES[name]
        edition = EDITIONS[audience.edition]
        for params in edition.variants(values, audience, level):
            folder = case_folder(params.case)
            meta = case_meta(folder)
            params = params.resolved(meta)
            case_id = str(meta.get("id") or folder.name)
            out_dir = reports_dir() / case_id
            stem = edition.output_name(case_id, params, default_as_of(meta))
            targets.append(Target(
                case_id=case_id, case_dir=folder, params=edition.settle(params, out_dir, stem), name=stem,
                formats=edition.formats(formats), notebook=notebook or _existing(edition.notebook),
                out_dir=out_dir, edition=edition.name,
            ))
    return targets


def _existing(notebook: Path) -> Path:
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise BuildError(f"notebook {notebook} does not exist")
    return notebook


_META_CACHE: dict[tuple[Path, int, int], dict] = {}


def case_meta(folder: Path) -> dict:
    """``case.yaml`` of a case, read once per build (the safe loader is slow on a large file)."""
    st = (folder / "case.yaml").stat()
    key = (folder, st.st_mtime_ns, st.st_size)
    if key not in _META_CACHE:
        _META_CACHE[key] = read_case_yaml(folder)
    return _META_CACHE[key]


# -- inputs --------------------------------------------------------------------------------------------
@dataclass
class CaseInputs:
    """Hashes shared by every target of a case and notebook (computed once per build)."""

    inputs: dict[str, str]
    versions: dict[str, str]
    epoch: int


def case_inputs(target: Target) -> CaseInputs:
    """Every input's hash (case data, publisher profile, notebook, package), versions and the fixed date."""
    inputs = input_hashes(target.case_dir, target.notebook) | publisher_inputs(target.case_dir)
    return CaseInputs(inputs, versions(), source_date_epoch(case_meta(target.case_dir)))


def manifest_entry(target: Target, fmt: str, shared: CaseInputs) -> dict[str, Any]:
    """What the manifest records of one output, less its own hash and size: the PDF carries this."""
    values = target.params.notebook_values()
    return {
        "path": target.output(fmt).name,
        "case": target.case_id,
        "format": fmt,
        "parameters": values,
        "notebook": relative_to_project(target.notebook),
        "inputs": shared.inputs,
        "versions": shared.versions,
        "source_date_epoch": shared.epoch,
        "fingerprint": fingerprint(values, fmt, shared.inputs, shared.versions),
    }


def source_date_epoch(meta: dict) -> int:
    """``case.yaml``'s ``updated`` date as a Unix time (midnight UTC): the date stamped in every output."""
    value = meta.get("updated")
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        day = dt.date(2000, 1, 1)  # a fixed date still gives identical rebuilds
    if isinstance(day, dt.datetime):
        day = day.date()
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
