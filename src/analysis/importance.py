"""Which actors of a case matter most, decided once for the brief's tables and the charts.

Order: actors named in the key judgements' evidence (never left out), then key actors, then influence
where it is coded, then the number of stated positions, then the name. Influence that is not coded is
neither 0 nor an average: an actor without it is placed among the coded ones by the other criteria.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

from analysis import wording as W
from analysis.case import Case

#: How the order is decided, in words the brief prints beside a cut.
CRITERIA = ("actors named in key judgements first, then key actors, then influence where coded, "
            "then number of positions")


class Selection(NamedTuple):
    """The actors shown in full, those left out (both in rank order), and one sentence on the cut."""

    shown: list[str]
    left_out: list[str]
    reason: str


def _ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or []]


def judgement_actors(case: Case) -> set[str]:
    """Actors named by the evidence of the key judgements: the actor of a position, the speaker of a
    quote, the actors of an event (also of the event a dispute is about)."""
    evidence = judgement_evidence(case)
    out: set[str] = set()
    pos = case.positions
    out |= set(pos.loc[pos["id"].isin(evidence), "actor"])
    q = case.quotes
    if "speaker" in q.columns:
        out |= set(q.loc[q["id"].isin(evidence), "speaker"])
    d = case.disputes
    about = set(d.loc[d["id"].isin(evidence) & (d["about_table"] == "events"), "about_id"])
    ev = case.events
    for ids in ev.loc[ev["id"].isin(evidence | about), "actors"]:
        out |= set(ids)
    return {a for a in out if a}


def key_actors(case: Case) -> set[str]:
    """Actors marked key: the actors table's ``key`` column where the case has one, else the actors of
    the key events (events.csv ``key``; an empty cell reads as not key)."""
    a = case.actors
    if "key" in a.columns:
        return set(a.loc[a["key"].fillna(False).astype(bool), "id"])
    ev = case.events
    if "key" not in ev.columns:
        return set()
    return {x for ids in ev.loc[ev["key"].fillna(False).astype(bool), "actors"] for x in ids}


def rank(
    case: Case, issues: Sequence[str] | None = None, *, among: Iterable[str] | None = None
) -> pd.DataFrame:
    """The candidate actors in order of importance, one row each.

    ``issues``: the issues that count (None: all). ``among``: the candidates (default: every actor
    with a position row on those issues). Columns: ``actor``, ``name``, ``in_judgement``, ``key``,
    ``influence`` (the highest coded on those issues, <NA> when none is coded), ``positions`` (stated
    positions on those issues) and ``rank`` (1 = most important).
    """
    pos = case.positions
    if issues is not None:
        pos = pos[pos["issue"].isin(set(issues))]
    candidates = list(dict.fromkeys(among if among is not None else pos["actor"]))
    named, keys = judgement_actors(case), key_actors(case)
    stated = pos[pos["basis"] != "none"]
    counts = stated.groupby("actor").size()
    coded = pos.dropna(subset=["influence"]) if "influence" in pos.columns else pos.iloc[0:0]
    best = coded.groupby("actor")["influence"].max()
    names = dict(zip(case.actors["id"], case.actors["name"].astype(str), strict=True))
    rows = [{
        "actor": a,
        "name": names.get(a, a),
        "in_judgement": a in named,
        "key": a in keys,
        "influence": int(best[a]) if a in best.index else pd.NA,
        "positions": int(counts.get(a, 0)),
    } for a in candidates]

    def compare(x: dict, y: dict) -> int:
        # tiers first; influence only between two coded actors; otherwise positions, then name
        for k in ("in_judgement", "key"):
            if x[k] != y[k]:
                return -1 if x[k] else 1
        xi, yi = x["influence"], y["influence"]
        if xi is not pd.NA and yi is not pd.NA and xi != yi:
            return -1 if xi > yi else 1
        if x["positions"] != y["positions"]:
            return -1 if x["positions"] > y["positions"] else 1
        a, b = (x["name"], x["actor"]), (y["name"], y["actor"])
        return (a > b) - (a < b)

    ordered = _merge_sorted(rows, compare)
    out = pd.DataFrame(ordered, columns=["actor", "name", "in_judgement", "key", "influence", "positions"])
    out["influence"] = out["influence"].astype("Int64")
    out["rank"] = range(1, len(out) + 1)
    return out


def _merge_sorted(rows: list[dict], compare) -> list[dict]:
    """Sort coded and not-coded actors each on their own, then merge them with ``compare``.

    ``compare`` is not transitive across the two groups (influence counts only between coded actors),
    so one sort over all rows could order them differently depending on input order; sorting each
    group (where it is transitive) and merging gives one order, whatever the input.
    """
    key = functools.cmp_to_key(compare)
    coded = sorted((r for r in rows if r["influence"] is not pd.NA), key=key)
    open_ = sorted((r for r in rows if r["influence"] is pd.NA), key=key)
    out, i, j = [], 0, 0
    while i < len(coded) and j < len(open_):
        if compare(open_[j], coded[i]) < 0:
            out.append(open_[j])
            j += 1
        else:
            out.append(coded[i])
            i += 1
    return out + coded[i:] + open_[j:]


def choose(
    case: Case,
    issues: Sequence[str] | None = None,
    limit: int | None = None,
    *,
    among: Iterable[str] | None = None,
    what: str = "actors",
    where: str = "",
) -> Selection:
    """The top ``limit`` actors by :func:`rank` (None: all), plus every actor named in a key judgement
    even past the limit.

    The reason reads "12 more actors with positions on this issue are listed in the annex table." from
    ``what`` ("actors with positions on this issue") and ``where`` ("listed in the annex table"), or is
    empty when nothing is left out. Charts and tables pass their own words for both.
    """
    order = rank(case, issues, among=among)
    if limit is None or len(order) <= limit:
        return Selection(list(order["actor"]), [], "")
    named = order[order["in_judgement"]]
    rest = order[~order["in_judgement"]]
    room = max(0, limit - len(named))
    shown_ids = set(named["actor"]) | set(rest["actor"].iloc[:room])
    shown = [a for a in order["actor"] if a in shown_ids]
    left = [a for a in order["actor"] if a not in shown_ids]
    return Selection(shown, left, left_out_sentence(len(left), what, where))


def left_out_sentence(n: int, what: str = "actors", where: str = "") -> str:
    """'12 more actors with positions on this issue are listed in the annex table.' ('' for 0).

    ``what`` starts with the plural noun ('actors ...'); a single one reads '1 more actor ...'.
    """
    if n <= 0:
        return ""
    noun, _, tail = what.partition(" ")
    one = noun[:-1] if noun.endswith("s") else noun
    words = W.plural(n, f"more {one}", f"more {noun}") + (f" {tail}" if tail else "")
    verb = "is" if n == 1 else "are"
    place = f" {verb} {where}" if where else f" {verb} not shown"
    return f"{words}{place}."


def judgement_evidence(case: Case) -> set[str]:
    """Ids the key judgements list as evidence (events, positions, quotes, disputes, sources...)."""
    return {e for kj in case.meta.get("key_judgements") or [] for e in _ids(kj.get("evidence"))}


def rank_events(case: Case, events: pd.DataFrame) -> list[str]:
    """Event ids in order of importance: named in a key judgement's evidence, then key, then the latest
    first, then the id (for a stable order)."""
    if events.empty:
        return []
    named = judgement_evidence(case)
    key = events["key"].fillna(False).astype(bool) if "key" in events.columns else False
    order = events.assign(_named=events["id"].isin(named), _key=key)
    order = order.sort_values(["_named", "_key", "start", "id"], ascending=[False, False, False, True],
                              kind="stable", na_position="last")
    return list(order["id"])
