"""Case-level facts that more than one edition states: stance labels, an event's date in words, the
sources a judgement rests on, date disputes, jurisdiction names, the data's own field descriptions.

Each is read from a :class:`~analysis.case.Case` (usually the as-of slice) and returns plain text or
rows, never HTML, so the brief and the classroom say the same thing in the same words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import wording as W
from analysis.case import Case
from analysis.evidence import ranked, resolve, weak_source_ids


def stance_label(case: Case, issue: str | None, stance: object) -> str:
    """'+2 strongly supports transfer': the signed code, then the issue's own words at the ends.

    ``issue`` None gives the scale's generic words ('+2 strongly supports'), for tables under a heading
    that already names the issue.
    """
    if stance is None or stance is pd.NA or (isinstance(stance, float) and stance != stance):
        return "no public position"
    value = int(stance)
    words = case.stance_scale.get(value, "")
    row = case.issues.loc[case.issues["id"] == issue] if issue else case.issues.iloc[0:0]
    if len(row):
        if value == max(case.stance_scale, default=value) and row["positive_label"].iloc[0]:
            words = row["positive_label"].iloc[0]
        elif value == min(case.stance_scale, default=value) and row["negative_label"].iloc[0]:
            words = row["negative_label"].iloc[0]
    return f"{W.signed(value)} {lower_first(str(words))}".strip()


def lower_first(text: str) -> str:
    """'Credible but...' -> 'credible but...' for use mid-sentence; acronyms ('UN ...') are left alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def event_date(row: Mapping) -> str:
    """An event's date in words, as precise as the data: a range shows both ends ('23–25 May 2025')."""
    end = row.get("date_end") if row.get("date_precision") == "range" else None
    return W.partial_or_text(row.get("date"), end or None)


def issue_ids(case: Case, issues: Sequence[str] | None) -> list[str]:
    """The case's issue ids in its own order, kept to ``issues`` when given (None: all of them)."""
    known = list(case.issues["id"])
    if not issues:
        return known
    return [i for i in known if i in set(issues)]


def yardstick(case: Case) -> dict[str, tuple[object, object]]:
    """Likelihood term -> (min, max) percent, from case.yaml's likelihood yardstick."""
    terms = (case.meta.get("likelihood_yardstick") or {}).get("terms") or []
    return {str(t["term"]): (t.get("min"), t.get("max")) for t in terms}


def judgement_sources(case: Case, kj: Mapping, *, limit: int | None = None) -> list[str]:
    """The sources a judgement rests on, as known on the slice's date.

    ``limit``: the summary form, at most that many sources: the strongest source of each evidence
    item, strongest first (see :func:`analysis.evidence.ranked`).
    """
    evidence = kj.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    found, _ = resolve(case, [str(e) for e in evidence], strongest_only=limit is not None)
    return found if limit is None else ranked(case, found)[:limit]


def date_disputes(case: Case) -> dict[str, list[pd.Series]]:
    """Event id -> the claims of disputes about that event's date."""
    out: dict[str, list[pd.Series]] = {}
    d = case.disputes
    about = d[(d["about_table"] == "events") & d["about_field"].isin(["date", "date_end"])]
    for _, dispute in about.iterrows():
        claims = case.dispute_claims[case.dispute_claims["dispute"] == dispute["id"]]
        out.setdefault(dispute["about_id"], []).extend(c for _, c in claims.sort_values("claim").iterrows())
    return out


def jurisdiction_name(case: Case, code: str) -> str:
    """'international', or the name of the state actor whose country code it is (else the code)."""
    code = str(code or "").strip()
    states = case.actors[(case.actors["type"] == "state") & (case.actors["country"] == code)]
    return str(states["name"].iloc[0]) if code and len(states) else code


def field_descriptions(case: Case) -> dict[tuple[str, str], str]:
    """(table, field) -> description, from the case's own datapackage.json (the data's documentation)."""
    path = case.path / "datapackage.json"
    try:
        pkg = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        (res.get("name", ""), f.get("name", "")): str(f.get("description", ""))
        for res in pkg.get("resources", [])
        for f in (res.get("schema") or {}).get("fields", [])
    }


def weak_share(case: Case) -> tuple[int, int]:
    """(events resting only on weaker sources or on a single source, all events)."""
    weak = weak_source_ids(case)
    ev = case.events
    n = sum(1 for ids in ev["source_ids"] if len(ids) == 1 or all(s in weak for s in ids))
    return n, len(ev)
