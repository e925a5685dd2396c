"""The classroom edition's parameters: ``case``, ``as_of`` and ``level``, checked before any kernel starts.

The shared contract (``parse``, ``resolved``, ``notebook_values``, ``describe``, ``parameter_help``) comes
from :class:`analysis.params.CaseParams`; this model adds ``level``. Light: pydantic and the standard
library only.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from analysis.params import CaseParams

AUDIENCE = "classroom"
#: Levels, with what each adds.
LEVELS: dict[str, str] = {
    "introductory": "first-year students: reading charts, coding a statement, weighing two rules, "
    "a dispute between sources and a prediction",
    "advanced": "advanced students: the same exercises with harder parts, plus position shifts and a "
    "pandas task on the case data",
}
DEFAULT_LEVEL = "introductory"


class ClassroomParams(CaseParams):
    """The parameters of ``notebooks/classroom.ipynb``; the same names and types as its parameters cell."""

    WHAT: ClassVar[str] = "classroom"
    KINDS: ClassVar[dict[str, str]] = {"as_of": "date", "level": "str"}

    as_of: dt.date | None = Field(None, description="teach what was known on this date (default: case.yaml)")
    level: Literal["introductory", "advanced"] = Field(DEFAULT_LEVEL, description="who the class is")

    @classmethod
    def _about(cls, name: str, description: str) -> str:
        if name == "level":
            return description + ": " + "; ".join(f"{k} ({v})" for k, v in LEVELS.items())
        return description


def parameter_help() -> str:
    """The classroom notebook's parameters, one line each."""
    return ClassroomParams.parameter_help()
