"""The classroom edition's parameters: ``case``, ``as_of`` and ``level``, checked before any kernel starts.

The same contract as :class:`analysis.params.BriefParams` (``parse``, ``resolved``, ``notebook_values``,
``describe``), so the build treats both alike; only the three parameters the classroom notebook declares
are injected into it. Light: pydantic and the standard library only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analysis.errors import ParameterError
from analysis.paths import DEFAULT_CASE

AUDIENCE = "classroom"
#: Levels, with what each adds.
LEVELS: dict[str, str] = {
    "introductory": "first-year students: reading charts, coding a statement, weighing two rules, "
    "a dispute between sources and a prediction",
    "advanced": "advanced students: the same exercises with harder parts, plus position shifts and a "
    "pandas task on the case data",
}
DEFAULT_LEVEL = "introductory"


class ClassroomParams(BaseModel):
    """The parameters of ``notebooks/classroom.ipynb``; the same names and types as its parameters cell."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str = Field(DEFAULT_CASE, description="case id (a folder under data/cases/) or a path to one")
    as_of: dt.date | None = Field(None, description="teach what was known on this date (default: case.yaml)")
    level: Literal["introductory", "advanced"] = Field(DEFAULT_LEVEL, description="who the class is")

    # the build reads these of every target's parameters; the classroom edition has one fixed audience
    @property
    def audience(self) -> str:
        return AUDIENCE

    @property
    def since(self) -> None:
        return None

    @property
    def issues(self) -> None:
        return None

    @property
    def title(self) -> None:
        return None

    @field_validator("as_of", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        if value is None or isinstance(value, dt.date) or (isinstance(value, str) and value):
            return value or None
        raise ValueError("expected a date (YYYY-MM-DD)")

    @classmethod
    def parse(cls, **values: Any) -> ClassroomParams:
        """Validate raw values, raising :class:`~analysis.errors.ParameterError` with the valid ones."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ParameterError(_explain(exc)) from None

    def resolved(self, meta: dict | None = None, folder: Path | None = None) -> ClassroomParams:
        """Fill ``as_of`` from ``case.yaml`` (as the briefs do; ``meta`` when already read, ``folder`` when
        the case was found elsewhere, e.g. next to the student notebook) and check the case exists."""
        from analysis.params import BriefParams

        as_of = BriefParams.parse(case=self.case, as_of=self.as_of).resolved(meta, folder).as_of
        return self.model_copy(update={"as_of": as_of})

    def notebook_values(self) -> dict[str, Any]:
        """Values as papermill injects them: the date as ISO text."""
        return {
            "case": self.case,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "level": self.level,
        }

    def describe(self) -> str:
        """``case=mini as_of=2025-12-31 level=introductory``: the provenance line's form."""
        return " ".join(f"{k}={v}" for k, v in self.notebook_values().items() if v is not None)


def parameter_help() -> str:
    """One line per parameter: name, type, default and meaning."""
    lines = []
    for name, field in ClassroomParams.model_fields.items():
        about = field.description or ""
        kind = "date" if name == "as_of" else "str"
        if name == "level":
            about += ": " + "; ".join(f"{k} ({v})" for k, v in LEVELS.items())
        lines.append(f"  {name}: {kind} (default {field.default!r}) - {about}")
    return "\n".join(lines)


def _explain(exc: ValidationError) -> str:
    lines = ["invalid classroom parameters:"]
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "parameters"
        if err["type"] == "extra_forbidden":
            lines.append(f"  - {name}: unknown parameter")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"  - {name}: {msg} (got {err.get('input')!r})")
    lines.append("valid parameters:")
    lines.append(parameter_help())
    return "\n".join(lines)
