"""Briefing parameters: one pydantic model, checked in the build process before any kernel starts.

Papermill only warns about a parameter the notebook does not declare; casebrief refuses it, and says
which parameters exist and what type each takes. This module stays light (no pandas): the build's
up-to-date check imports it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.errors import ParameterError
from analysis.paths import DEFAULT_CASE

#: Who a brief is written for. Other modules add theirs with :func:`register_audience`.
AUDIENCES: dict[str, str] = {
    "analyst": "full detail: every section, evidence tables, disputes and caveats",
    "public": "plain language: judgements, timeline and sources, without working tables",
    # its own notebook and outputs (analysis.build.EDITIONS): handout, instructor guide, student notebook
    "classroom": "teaching material: student handout, instructor guide and a runnable student notebook",
}

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def register_audience(name: str, description: str) -> None:
    """Make ``name`` a valid ``audience`` (e.g. ``register_audience("classroom", "...")``)."""
    if not _NAME.match(name):
        raise ValueError(f"audience name {name!r}: lowercase letters, digits and hyphens")
    AUDIENCES[name] = description


class BriefParams(BaseModel):
    """The parameters of ``notebooks/briefing.ipynb``; the same names and types as its parameters cell."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str = Field(DEFAULT_CASE, description="case id (a folder under data/cases/) or a path to one")
    as_of: dt.date | None = Field(None, description="show what was known on this date (default: case.yaml)")
    since: dt.date | None = Field(None, description="start of the 'what changed' section (optional)")
    audience: str = Field("analyst", description="who reads it")
    issues: tuple[str, ...] | None = Field(None, description="issue ids to cover (default: all)")
    title: str | None = Field(None, description="title on the cover (default: the case title)")

    @field_validator("audience")
    @classmethod
    def _known_audience(cls, value: str) -> str:
        if value not in AUDIENCES:
            raise ValueError(f"unknown audience {value!r}; one of: {', '.join(AUDIENCES)}")
        return value

    @field_validator("as_of", "since", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        # pydantic would read an int as a Unix timestamp; a briefing date is a date or YYYY-MM-DD text
        if value is None or isinstance(value, dt.date) or (isinstance(value, str) and value):
            return value or None
        raise ValueError("expected a date (YYYY-MM-DD)")

    @field_validator("issues", mode="before")
    @classmethod
    def _split_issues(cls, value: Any) -> Any:
        # "a,b" from a command line is accepted as well as a list
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("issues")
    @classmethod
    def _nonempty_issues(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and not value:
            raise ValueError("name at least one issue, or leave it out for all issues")
        return value

    @field_validator("title")
    @classmethod
    def _title_text(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _since_before_as_of(self) -> BriefParams:
        if self.since and self.as_of and self.since >= self.as_of:
            raise ValueError(f"since ({self.since}) must be before as_of ({self.as_of})")
        return self

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def parse(cls, **values: Any) -> BriefParams:
        """Validate raw values (strings from a command line, or Python values), raising ParameterError."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ParameterError(_explain(exc)) from None

    def resolved(self, meta: dict | None = None, folder: Path | None = None) -> BriefParams:
        """Fill the defaults that come from the case (``as_of``) and check values against the case.

        Reads only ``case.yaml`` (unless given as ``meta``) and ``issues.csv`` of the case's folder
        (``folder`` when already found): cheap enough for the up-to-date check.
        """
        folder = case_folder(self.case) if folder is None else folder
        if meta is None:
            meta = read_case_yaml(folder)
        as_of = self.as_of or default_as_of(meta)
        if as_of is None:
            raise ParameterError(f"case {self.case!r}: no as_of given and case.yaml has no default_as_of")
        if self.since and self.since >= as_of:
            raise ParameterError(f"since ({self.since}) must be before as_of ({as_of})")
        if self.issues:
            known = case_issue_ids(folder)
            unknown = [i for i in self.issues if i not in known]
            if unknown:
                raise ParameterError(
                    f"unknown issue{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                    f"in case {self.case!r}; known issues: {', '.join(known)}"
                )
        return self.model_copy(update={"as_of": as_of})

    # -- views -------------------------------------------------------------------------------------
    def notebook_values(self) -> dict[str, Any]:
        """Values as papermill injects them: dates as ISO text, issues as a list."""
        out: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def describe(self) -> str:
        """Short human form for provenance lines: ``case=mini as_of=2025-12-31 audience=analyst``."""
        parts = []
        for name, value in self.notebook_values().items():
            if value is None:
                continue
            if isinstance(value, list):
                value = ",".join(value)
            parts.append(f"{name}={value}")
        return " ".join(parts)


def parameter_help() -> str:
    """One line per parameter: name, type, default and meaning."""
    lines = []
    for name, field in BriefParams.model_fields.items():
        kind = _type_name(field.annotation)
        about = field.description
        if name == "audience":  # the set grows at run time (register_audience)
            about += ": " + "; ".join(f"{k} ({v})" for k, v in AUDIENCES.items())
        lines.append(f"  {name}: {kind} (default {field.default!r}) - {about}")
    return "\n".join(lines)


def _type_name(annotation: Any) -> str:
    text = str(annotation).replace("datetime.date", "date").replace("typing.", "")
    return re.sub(r"<class '(\w+)'>", r"\1", text).replace("tuple[str, ...]", "list[str]")


def _explain(exc: ValidationError) -> str:
    lines = ["invalid briefing parameters:"]
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "parameters"
        if err["type"] == "extra_forbidden":
            lines.append(f"  - {name}: unknown parameter")
        else:
            shown = err.get("input")
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"  - {name}: {msg} (got {shown!r})")
    lines.append("valid parameters:")
    lines.append(parameter_help())
    return "\n".join(lines)


# -- light case access (no pandas) ------------------------------------------------------------------
def case_folder(case: str | Path | None) -> Path:
    """The folder of a case given by id or path (:func:`analysis.locate.resolve_case`, no pandas)."""
    from analysis.locate import resolve_case

    return resolve_case(case)


def read_case_yaml(folder: Path) -> dict:
    """``case.yaml`` as a dict, read as the validator reads it (bounded size, no aliases, no links).

    Raises :class:`~analysis.errors.CaseDataError` when it cannot be read as a mapping, so a hostile
    case.yaml stops a build with the validator's words before anything else looks at it.
    """
    from analysis.errors import CaseDataError, Problem
    from analysis.validate import read_case_yaml as read

    data, problems = read(folder / "case.yaml")
    if not problems and data is not None and not isinstance(data, dict):
        problems = [Problem("case.yaml", "must be a set of 'field: value' lines (a YAML mapping)")]
    if problems:
        raise CaseDataError(folder.name, problems)
    return data or {}


def case_issue_ids(folder: Path) -> list[str]:
    """The ids in ``issues.csv``, in file order."""
    import csv

    path = folder / "issues.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row["id"] for row in csv.DictReader(fh) if row.get("id")]


def default_as_of(meta: dict) -> dt.date | None:
    """The as-of date a brief of this case shows by default: ``default_as_of``, else the period's end."""
    return _date(meta.get("default_as_of")) or _period_end(meta)


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _period_end(meta: dict) -> dt.date | None:
    period = meta.get("period") or {}
    return _date(period.get("end")) if isinstance(period, dict) else None
