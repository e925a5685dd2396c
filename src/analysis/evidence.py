"""From the ids a judgement or a claim rests on to the sources that carry them, and how strong those are."""

from __future__ import annotations

import pandas as pd

from analysis.case import Case

# Source kinds and grades that are weaker carriers of a fact (see sources.kind / sources.reliability in the
# schema): a copy, a rewrite or a fragment, or an analyst grade of C or D.
WEAK_KINDS = frozenset({"aggregator", "fragment", "wire-copy"})
WEAK_GRADES = frozenset({"C", "D"})

_TABLES_WITH_SOURCES = ("events", "positions", "legal_provisions")


def _sources_of_row(case: Case, ident: str) -> tuple[str, list[str]] | None:
    """(table, source ids) of the row with this id, or None when no table holds it."""
    if ident in set(case.sources["id"]):
        return "sources", [ident]
    for name in _TABLES_WITH_SOURCES:
        df = getattr(case, name)
        hit = df.loc[df["id"] == ident]
        if len(hit):
            return name, list(hit["source_ids"].iloc[0])
    hit = case.quotes.loc[case.quotes["id"] == ident]
    if len(hit):
        return "quotes", [str(hit["source_id"].iloc[0])]
    if ident in set(case.disputes["id"]):
        claims = case.dispute_claims.loc[case.dispute_claims["dispute"] == ident]
        return "disputes", [s for ids in claims["source_ids"] for s in ids]
    return None


def resolve(case: Case, ids: list[str], *, strongest_only: bool = False) -> tuple[list[str], list[str]]:
    """Map evidence ids (events, positions, legal provisions, quotes, disputes or sources) to source ids.

    Returns ``(source_ids, unknown_ids)``: sources in the order the evidence lists them, without
    duplicates; ids that no table of this case (or slice) holds. ``strongest_only`` keeps one source
    per evidence item, the strongest (see :func:`strongest`): the short citations of a summary brief.
    """
    out: list[str] = []
    unknown: list[str] = []
    for ident in ids:
        found = _sources_of_row(case, str(ident))
        if found is None:
            unknown.append(str(ident))
        elif found[1]:
            out.extend([strongest(case, found[1])] if strongest_only else found[1])
    return list(dict.fromkeys(out)), unknown


def strongest(case: Case, source_ids: list[str]) -> str:
    """The best-graded source of a list: grade A before D, then originals and official texts before copies,
    then the order the data lists them in."""
    return ranked(case, source_ids)[0]


def ranked(case: Case, source_ids: list[str]) -> list[str]:
    """Sources ordered strongest first (grade, then kind, then the data's order)."""
    s = case.sources.set_index("id")

    def rank(item: tuple[int, str]) -> tuple[str, bool, int]:
        i, sid = item
        if sid not in s.index:
            return ("Z", True, i)
        return (str(s.at[sid, "reliability"]), str(s.at[sid, "kind"]) in WEAK_KINDS, i)

    return [sid for _, sid in sorted(enumerate(source_ids), key=rank)]


def weak_source_ids(case: Case) -> set[str]:
    """Ids of sources that are copies, aggregators or fragments, or graded C or D."""
    s = case.sources
    weak = s["kind"].isin(WEAK_KINDS) | s["reliability"].isin(WEAK_GRADES)
    return set(s.loc[weak, "id"])


def only_weak(df: pd.DataFrame, weak: set[str]) -> pd.DataFrame:
    """Rows whose every source is weak."""
    if df.empty:
        return df
    mask = [len(ids) > 0 and all(s in weak for s in ids) for ids in df["source_ids"]]
    return df[mask]
