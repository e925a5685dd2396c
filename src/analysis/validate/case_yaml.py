"""``case.yaml``: its one reader and its typed model.

Every module that reads a case's ``case.yaml`` goes through :func:`read_case_yaml` (the checks,
:func:`analysis.case.read_meta` and the build's parameters alike), so a file the validator refuses is
refused everywhere with the same words. :class:`CaseMeta` is the typed view of the fields the code relies
on; it is lenient (a field that does not have its type reads as None), because the rules in
:mod:`analysis.validate.meta_rules` say in the editor's words what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictInt,
    ValidationError,
    WrapValidator,
)

from analysis.dates import PartialDateError, parse_partial
from analysis.errors import CaseDataError, Problem
from analysis.validate.report import META, Report
from analysis.validate.safe_read import (
    CONTROL,
    MAX_YAML_BYTES,
    decode_utf8,
    load_case_yaml,
    read_bytes,
    yaml_strings,
)

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class MetaRead:
    """What reading ``case.yaml`` gave: the mapping (None when unusable), each field's line, the problems."""

    data: dict | None
    lines: dict[tuple, int]
    problems: list[Problem]


def read_meta_file(path: Path) -> MetaRead:
    """Read a ``case.yaml`` file safely (bounded size, no link, UTF-8, no aliases, no control characters)."""
    report = Report()
    raw = read_bytes(path, MAX_YAML_BYTES, META, report)
    if raw is None:
        return MetaRead(None, {}, report.problems)
    text, why = decode_utf8(raw, META)
    if text is None:
        report.add_yaml(why.replace("'CSV UTF-8'", "UTF-8"))
        return MetaRead(None, {}, report.problems)
    data, lines, errors = load_case_yaml(text)
    for error in errors:
        report.add_yaml(error)
    if errors and data is None:
        return MetaRead(None, {}, report.problems)
    for where, value in yaml_strings(data, ()):
        if bad := CONTROL.search(value):
            rule = f"contains the control character U+{ord(bad.group()):04X} (a YAML escape?); delete it"
            report.add_yaml(rule, ".".join(map(str, where)), lines.get(where), value)
    if not isinstance(data, dict):
        report.add_yaml("must be a set of 'field: value' lines (a YAML mapping) with the case's narrative")
        return MetaRead(None, lines, report.problems)
    return MetaRead(data, lines, report.problems)


def read_case_yaml(path: Path) -> tuple[dict | None, list[Problem]]:
    """Read a case.yaml file: ``(data, problems)`` (data is None when it cannot be read as a mapping)."""
    got = read_meta_file(path)
    return got.data, got.problems


def load_meta(folder: Path) -> dict:
    """A case folder's ``case.yaml`` as a dict; raises :class:`CaseDataError` with the validator's words."""
    data, problems = read_case_yaml(folder / META)
    if problems:
        raise CaseDataError(folder.name, problems)
    return data or {}


# -- the typed model ------------------------------------------------------------------------------


def as_date(value: object) -> dt.date | None:
    """A full date from YAML (a date, or YYYY-MM-DD text); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and FULL_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def date_reason(value: object) -> str:
    """Why a value is not a full date, in the editor's words."""
    if isinstance(value, str) and FULL_DATE.match(value.strip()):
        try:
            parse_partial(value.strip())
        except PartialDateError as exc:
            return str(exc)
    return "is not a date (YYYY-MM-DD)"


def _date(value: object) -> dt.date:
    got = as_date(value)
    if got is None:
        raise ValueError("not a date")
    return got


def _or_none(value: Any, handler: Any) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


def _non_empty(value: dict) -> dict:
    if not value:
        raise ValueError("empty")
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]
Lenient = WrapValidator(_or_none)

#: Where each case vocabulary is used: ``vocabulary: <kind>:`` in case.yaml extends ``(table, column)``.
VOCABULARY_FIELDS = {"actor_types": ("actors", "type"), "event_categories": ("events", "category")}
TERM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _term_id(value: object) -> str:
    if not isinstance(value, str) or not TERM_ID.match(value):
        raise ValueError("not a term id")
    return value


def _label(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("not a label")
    return value.strip()


def _colour(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not COLOUR.match(value):
        raise ValueError("not a colour")
    return value.upper()


class Term(BaseModel):
    """One entry of a case vocabulary: an id used in the data, its label, and optionally its colour."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    id: Annotated[str, BeforeValidator(_term_id)]
    label: Annotated[str, BeforeValidator(_label)]
    colour: Annotated[str | None, BeforeValidator(_colour)] = None


def _valid_terms(value: object) -> list[Term]:
    """The well-formed entries of a vocabulary list, first of each id (the rules report the others)."""
    out: dict[str, Term] = {}
    for entry in value if isinstance(value, list) else []:
        try:
            term = Term.model_validate(entry)
        except ValidationError:
            continue
        out.setdefault(term.id, term)
    return list(out.values())


Terms = Annotated[list[Term], BeforeValidator(_valid_terms)]


class CaseVocabulary(BaseModel):
    """The actor types and event categories a case declares beside the schema's defaults."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    actor_types: Terms = []
    event_categories: Terms = []


def _language(value: object) -> str:
    if not isinstance(value, str) or not LANGUAGE_TAG.match(value):
        raise ValueError("not a language tag")
    return value


class Period(BaseModel):
    """The span of time a case covers."""

    model_config = ConfigDict(frozen=True)
    start: Date
    end: Date


class CaseMeta(BaseModel):
    """The fields of ``case.yaml`` the code relies on, typed; a field of the wrong shape reads as None."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: Annotated[str | None, Lenient] = None
    title: Annotated[str | None, Lenient] = None
    question: Annotated[str | None, Lenient] = None
    summary: Annotated[str | None, Lenient] = None
    updated: Annotated[Date | None, Lenient] = None
    period: Annotated[Period | None, Lenient] = None
    default_as_of: Annotated[Date | None, Lenient] = None
    main_issue: Annotated[str | None, Lenient] = None
    stance_scale: Annotated[dict[StrictInt, Any] | None, AfterValidator(_non_empty), Lenient] = None
    local_language: Annotated[str | None, BeforeValidator(_language), Lenient] = None
    vocabulary: Annotated[CaseVocabulary, Lenient] = CaseVocabulary()

    @property
    def period_span(self) -> tuple[dt.date, dt.date] | None:
        """``(start, end)`` of the case period when both are dates and in order."""
        p = self.period
        return (p.start, p.end) if p is not None and p.start <= p.end else None

    def declared(self, kind: str) -> list[Term]:
        """The terms the case declares for ``kind`` (``actor_types`` or ``event_categories``)."""
        return list(getattr(self.vocabulary or CaseVocabulary(), kind))

    @property
    def stances(self) -> set[int] | None:
        """The stance values the case's scale defines (None when the scale is unusable)."""
        return set(self.stance_scale) if self.stance_scale else None


def case_meta(data: object) -> CaseMeta:
    """The typed view of a loaded ``case.yaml`` (anything but a mapping gives an empty model)."""
    if not isinstance(data, dict):
        return CaseMeta()
    return CaseMeta.model_validate({k: data[k] for k in CaseMeta.model_fields if k in data})
