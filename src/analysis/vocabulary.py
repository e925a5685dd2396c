"""A case's effective vocabularies: the schema's actor types and event categories, plus the case's own.

The canonical schema lists the default types and categories (its enums) with their labels (its
``categories``); a case adds its own, or relabels and colours a default, in ``case.yaml`` under
``vocabulary:``. Charts, legends and colours read :func:`case_vocabulary`, so no list of types or
categories is written in code.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.tableschema import field_labels
from analysis.validate.case_yaml import VOCABULARY_FIELDS, case_meta

KINDS = tuple(VOCABULARY_FIELDS)  # ("actor_types", "event_categories")


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: its id in the data, its label, its colour (None: the chart chooses)."""

    id: str
    label: str
    colour: str | None = None
    declared_in: str = "schema"  # or "case.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """The actor types and event categories of a case, each ``{id: Term}`` in order (defaults first)."""

    actor_types: dict[str, Term]
    event_categories: dict[str, Term]

    def terms(self, kind: str) -> dict[str, Term]:
        """``{id: Term}`` of ``kind`` (``actor_types`` or ``event_categories``)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return getattr(self, kind)

    def label(self, kind: str, value: str) -> str:
        """The label of ``value`` (the value itself when the vocabulary does not know it)."""
        term = self.terms(kind).get(value)
        return term.label if term is not None else value

    def colour(self, kind: str, value: str) -> str | None:
        """The colour the case gives ``value`` (``#RRGGBB``); None leaves the choice to the chart."""
        term = self.terms(kind).get(value)
        return term.colour if term is not None else None


def case_vocabulary(case: object = None) -> Vocabulary:
    """The effective vocabularies of a case: a :class:`~analysis.case.Case`, its ``case.yaml`` dict, or None.

    Defaults come from the schema in its order; the case's own entries follow in the order declared, and
    an entry with a default's id changes that default's label or colour in place."""
    meta = getattr(case, "meta", case)
    typed = case_meta(meta if isinstance(meta, dict) else {})
    found: dict[str, dict[str, Term]] = {}
    for kind, (table, column) in VOCABULARY_FIELDS.items():
        terms = {v: Term(v, label) for v, label in field_labels(table, column)}
        for t in typed.declared(kind):
            terms[t.id] = Term(t.id, t.label, t.colour, "case.yaml")
        found[kind] = terms
    return Vocabulary(**found)
