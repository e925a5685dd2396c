"""Notebook parameters: one pydantic base, checked in the build process before any kernel starts.

:class:`CaseParams` holds what every edition's notebook takes (``case``, ``as_of``) and the contract the
build relies on (``parse``, ``resolved``, ``notebook_values``, ``describe``, ``parameter_help``);
:class:`BriefParams` adds the brief's own. Papermill only warns about a parameter the notebook does not
declare; casebrief refuses it, and says which parameters exist and what type each takes. This module
stays light (no pandas): the build's up-to-date check imports it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analysis import audiences
from analysis.errors import CaseDataError, ParameterError, Problem
from analysis.locate import resolve_case
from analysis.paths import DEFAULT_CASE
from analysis.validate import read_case_yaml as read_yaml
from analysis.window import check_brief_dates

#: Every audience and its one-line description (a view of :data:`analysis.audiences.AUDIENCES`).
AUDIENCES: dict[str, str] = {name: a.description for name, a in audiences.AUDIENCES.items()}
#: The audiences the briefing notebook renders (the others have an edition of their own).
BRIEF_AUDIENCES: tuple[str, ...] = tuple(n for n, a in audiences.AUDIENCES.items() if a.edition == "brief")


class CaseParams(BaseModel):
    """What every edition's notebook takes: a case and the date it is seen as of.

    Subclasses add their own fields; ``WHAT`` names them in error messages ("invalid briefing
    parameters"), ``KINDS`` overrides a field's type name in :meth:`parameter_help`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    WHAT: ClassVar[str] = "notebook"
    KINDS: ClassVar[dict[str, str]] = {}

    case: str = Field(DEFAULT_CASE, description="case id (a folder under data/cases/) or a path to one")
    as_of: dt.date | None = Field(None, description="show what was known on this date (default: case.yaml)")

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_text(cls, value: Any) -> Any:
        return date_text(value)

    @field_validator("case", mode="before")
    @classmethod
    def _case_folder_absolute(cls, value: Any) -> Any:
        """A case named by a relative folder (``data/cases/x``, ``./x``) is made absolute where the
        parameters are checked, so the notebook's kernel, which runs in ``notebooks/``, finds the same
        folder. Ids stay ids, and a path with ``..`` is left as given for the case lookup to refuse."""
        text = str(value) if isinstance(value, str | Path) else value
        if isinstance(text, str) and ("/" in text or "\\" in text or text.startswith(".")):
            path = Path(text).expanduser()
            if not path.is_absolute() and ".." not in path.parts:
                return str(path.resolve())
        return text

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def parse(cls, **values: Any) -> Self:
        """Validate raw values (strings from a command line, or Python values), raising ParameterError."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ParameterError(cls._explain(exc)) from None

    def resolved(self, meta: dict | None = None, folder: Path | None = None) -> Self:
        """Fill ``as_of`` from the case (:func:`default_as_of`) and check the values against the case.

        Reads only ``case.yaml`` (unless given as ``meta``) and what :meth:`_check_case` needs, in the
        case's folder (``folder`` when already found, e.g. next to a student notebook): cheap enough for
        the up-to-date check.
        """
        folder = case_folder(self.case) if folder is None else folder
        if meta is None:
            meta = read_case_yaml(folder)
        as_of = self.as_of or default_as_of(meta)
        if as_of is None:
            raise ParameterError(f"case {self.case!r}: no as_of given and case.yaml has no default_as_of")
        # the date rule (analysis.window), before any kernel starts: one sentence naming the valid range
        why = check_brief_dates(meta, as_of, getattr(self, "since", None))
        if why:
            raise ParameterError(f"case {self.case!r}: {why}")
        self._check_case(folder, as_of)
        return self.model_copy(update={"as_of": as_of})

    def _check_case(self, folder: Path, as_of: dt.date) -> None:
        """Raise ParameterError when a value does not fit the case (a subclass's own fields)."""

    # -- views -------------------------------------------------------------------------------------
    def notebook_values(self) -> dict[str, Any]:
        """Values as papermill injects them: dates as ISO text, tuples as lists."""
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

    @classmethod
    def parameter_help(cls) -> str:
        """One line per parameter: name, type, default and meaning."""
        lines = []
        for name, field in cls.model_fields.items():
            kind = cls.KINDS.get(name) or _type_name(field.annotation)
            about = cls._about(name, field.description or "")
            lines.append(f"  {name}: {kind} (default {field.default!r}) - {about}")
        return "\n".join(lines)

    @classmethod
    def _about(cls, name: str, description: str) -> str:
        """A field's meaning in :meth:`parameter_help` (a subclass lists a field's choices here)."""
        return description

    @classmethod
    def _explain(cls, exc: ValidationError) -> str:
        lines = [f"invalid {cls.WHAT} parameters:"]
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "parameters"
            if err["type"] == "extra_forbidden":
                lines.append(f"  - {name}: unknown parameter")
            else:
                msg = err["msg"].removeprefix("Value error, ")
                lines.append(f"  - {name}: {msg} (got {err.get('input')!r})")
        lines.append("valid parameters:")
        lines.append(cls.parameter_help())
        return "\n".join(lines)


class BriefParams(CaseParams):
    """The parameters of ``notebooks/briefing.ipynb``; the same names and types as its parameters cell."""

    WHAT: ClassVar[str] = "briefing"

    since: dt.date | None = Field(None, description="start of the 'what changed' section (optional)")
    audience: str = Field("analyst", description="who reads it")
    issues: tuple[str, ...] | None = Field(None, description="issue ids to cover (default: all)")
    title: str | None = Field(None, description="title on the cover (default: the case title)")

    @field_validator("audience")
    @classmethod
    def _known_audience(cls, value: str) -> str:
        if value not in BRIEF_AUDIENCES:
            raise ValueError(f"unknown audience {value!r}; one of: {', '.join(BRIEF_AUDIENCES)}")
        return value

    @field_validator("since", mode="before")
    @classmethod
    def _since_text(cls, value: Any) -> Any:
        return date_text(value)

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

    def _check_case(self, folder: Path, as_of: dt.date) -> None:
        if self.issues:
            known = case_issue_ids(folder)
            unknown = [i for i in self.issues if i not in known]
            if unknown:
                raise ParameterError(
                    f"unknown issue{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                    f"in case {self.case!r}; known issues: {', '.join(known)}"
                )

    @classmethod
    def _about(cls, name: str, description: str) -> str:
        if name == "audience":
            return description + ": " + "; ".join(f"{k} ({AUDIENCES[k]})" for k in BRIEF_AUDIENCES)
        return description


def date_text(value: Any) -> Any:
    """A date parameter before pydantic parses it: a date or YYYY-MM-DD text ("" and None: no date).

    pydantic would read an int as a Unix timestamp; a briefing date is never one.
    """
    if value is None or isinstance(value, dt.date) or (isinstance(value, str) and value):
        return value or None
    raise ValueError("expected a date (YYYY-MM-DD)")


def parameter_help() -> str:
    """The briefing notebook's parameters, one line each (:meth:`CaseParams.parameter_help`)."""
    return BriefParams.parameter_help()


def _type_name(annotation: Any) -> str:
    text = str(annotation).replace("datetime.date", "date").replace("typing.", "")
    return re.sub(r"<class '(\w+)'>", r"\1", text).replace("tuple[str, ...]", "list[str]")


# -- light case access (no pandas) ------------------------------------------------------------------
def case_folder(case: str | Path | None) -> Path:
    """The folder of a case given by id or path (:func:`analysis.locate.resolve_case`, no pandas)."""
    return resolve_case(case)


def read_case_yaml(folder: Path) -> dict:
    """``case.yaml`` as a dict, read as the validator reads it (bounded size, no aliases, no links).

    Raises :class:`~analysis.errors.CaseDataError` when it cannot be read as a mapping, so a hostile
    case.yaml stops a build with the validator's words before anything else looks at it.
    """
    data, problems = read_yaml(folder / "case.yaml")
    if not problems and data is not None and not isinstance(data, dict):
        problems = [Problem("case.yaml", "must be a set of 'field: value' lines (a YAML mapping)")]
    if problems:
        raise CaseDataError(folder.name, problems)
    return data or {}


def case_issue_ids(folder: Path) -> list[str]:
    """The ids in ``issues.csv``, in file order."""
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
