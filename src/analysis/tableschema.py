"""The canonical Table Schema of a case package, and the vocabularies (enums) it defines.

Code that needs an enum (event categories for timeline lanes, actor types for generated cases) reads it
here, so the schema stays the one place where the default vocabulary is written down; a case's own
additions are read by :mod:`analysis.vocabulary`.
"""

from __future__ import annotations

import json
from functools import cache

from analysis.paths import SCHEMA_PATH


def canonical_schema() -> dict:
    """A fresh copy of the canonical ``datapackage.json`` (callers may modify it)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def field_enum(resource: str, field: str) -> tuple[str, ...]:
    """The allowed values of ``resource.field``, in the schema's order."""
    for res in canonical_schema()["resources"]:
        if res["name"] == resource:
            for fl in res["schema"]["fields"]:
                if fl["name"] == field:
                    return tuple(fl["constraints"]["enum"])
    raise KeyError(f"{resource}.{field} has no enum in the canonical schema")


@cache
def field_labels(resource: str, field: str) -> tuple[tuple[str, str], ...]:
    """``(value, label)`` pairs of ``resource.field`` in the enum's order (labels from ``categories``)."""
    for res in canonical_schema()["resources"]:
        if res["name"] == resource:
            for fl in res["schema"]["fields"]:
                if fl["name"] == field:
                    given = {c["value"]: c["label"] for c in fl.get("categories", []) if isinstance(c, dict)}
                    return tuple((v, given.get(v, v)) for v in fl["constraints"]["enum"])
    raise KeyError(f"{resource}.{field} has no enum in the canonical schema")
