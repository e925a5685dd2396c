"""Load a case package into typed pandas tables, and slice it by what was known at a date.

``load_case`` validates first (see :mod:`analysis.validate`), so the typing here can assume clean input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.dates import parse_partial, to_date
from analysis.errors import CaseDataError, Problem
from analysis.locate import CASE_ID as _CASE_ID  # noqa: F401  (kept importable from here)
from analysis.locate import resolve_case  # noqa: F401  (part of this module's API)
from analysis.params import default_as_of

TABLES = (
    "sources", "actors", "issues", "events", "positions",
    "legal_provisions", "quotes", "disputes", "dispute_claims",
)
LIST_COLUMNS = {"actors", "source_ids"}
INT_COLUMNS = {"stance", "salience", "influence", "claim"}
BOOL_COLUMNS = {"key", "translated_by_outlet"}


def read_table(path: Path) -> pd.DataFrame:
    """Read a case CSV as text cells (a spreadsheet's BOM and CRLF are accepted)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_meta(path: Path) -> dict:
    """Read ``case.yaml`` with the validator's safe loader (no anchors or aliases, bounded size)."""
    from analysis.validate import read_case_yaml

    meta, problems = read_case_yaml(path)
    if problems:
        raise CaseDataError(path.parent.name, problems)
    return meta if isinstance(meta, dict) else {}


def _span(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if not text:
        return pd.NaT, pd.NaT
    first, last, _ = parse_partial(text)
    return pd.Timestamp(first), pd.Timestamp(last)


def type_table(name: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Turn a validated table of text cells into typed columns plus derived date spans."""
    df = raw.copy()
    for col in df.columns:
        if col in LIST_COLUMNS:
            df[col] = [[x for x in str(v).split(";") if x] for v in df[col]]
        elif col in INT_COLUMNS:
            df[col] = pd.array([int(v) if str(v).strip() else pd.NA for v in df[col]], dtype="Int64")
        elif col in BOOL_COLUMNS:
            df[col] = [str(v).strip().lower() in ("true", "1", "yes") for v in df[col]]
    date_col = {"sources": "published", "events": "date", "positions": "date", "quotes": "date"}.get(name)
    if date_col:
        spans = [_span(v) for v in df[date_col]]
        df["start"] = pd.to_datetime(pd.Series([s for s, _ in spans], index=df.index, dtype="object"))
        df["end"] = pd.to_datetime(pd.Series([e for _, e in spans], index=df.index, dtype="object"))
        if name == "events":
            has_end = df["date_end"].astype(bool)
            df.loc[has_end, "end"] = [_span(v)[1] for v in df.loc[has_end, "date_end"]]
    return df


@dataclass
class Changes:
    """What changed between two dates (``since`` exclusive, ``until`` inclusive)."""

    since: dt.date
    until: dt.date
    new_events: pd.DataFrame
    new_positions: pd.DataFrame
    shifts: pd.DataFrame  # actor, issue, from_stance, to_stance, position (id), summary, evidence, source_ids
    new_sources: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.new_events.empty and self.new_positions.empty and self.new_sources.empty


@dataclass
class Case:
    """A loaded case: narrative (``meta``) plus typed tables; ``as_of_date`` is set on a slice."""

    id: str
    path: Path
    meta: dict
    sources: pd.DataFrame
    actors: pd.DataFrame
    issues: pd.DataFrame
    events: pd.DataFrame
    positions: pd.DataFrame
    legal_provisions: pd.DataFrame
    quotes: pd.DataFrame
    disputes: pd.DataFrame
    dispute_claims: pd.DataFrame
    as_of_date: dt.date | None = None
    files: dict[str, Path] = field(default_factory=dict)

    # -- narrative shortcuts -------------------------------------------------------------------
    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.id))

    @property
    def question(self) -> str:
        return str(self.meta.get("question", ""))

    @property
    def default_as_of(self) -> dt.date:
        """The date a brief shows unless told otherwise (:func:`analysis.params.default_as_of`)."""
        date = default_as_of(self.meta)
        if date is None:
            raise CaseDataError(self.id, [Problem("case.yaml", "has no default_as_of and no period end")])
        return date

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        p = self.meta["period"]
        return to_date(p["start"]), to_date(p["end"])

    @property
    def stance_scale(self) -> dict[int, str]:
        return {int(k): str(v) for k, v in self.meta.get("stance_scale", {}).items()}

    def actor_name(self, actor_id: str) -> str:
        row = self.actors.loc[self.actors["id"] == actor_id]
        return str(row["name"].iloc[0]) if len(row) else actor_id

    def issue_label(self, issue_id: str) -> str:
        row = self.issues.loc[self.issues["id"] == issue_id]
        return str(row["label"].iloc[0]) if len(row) else issue_id

    # -- slicing ---------------------------------------------------------------------------------
    def as_of(self, date: object) -> Case:
        """The case as it was known on ``date``.

        Keeps events, positions and quotes dated on or before it that rest on at least one source
        published by then (or undated); their source lists are trimmed to those sources. Disputes
        are kept while at least two of their claims are known.
        """
        d = pd.Timestamp(to_date(date))
        known_src = self.sources[self.sources["start"].isna() | (self.sources["start"] <= d)]
        known = set(known_src["id"])

        def keep(df: pd.DataFrame, list_col: str | None, single_col: str | None = None) -> pd.DataFrame:
            out = df[df["start"] <= d].copy()
            if list_col:
                out[list_col] = [[s for s in ids if s in known] for ids in out[list_col]]
                # .loc, not []: an empty mask must keep the columns
                out = out.loc[[len(ids) > 0 for ids in out[list_col]]]
            if single_col:
                out = out[out[single_col].isin(known)]
            return out

        events = keep(self.events, "source_ids")
        positions = keep(self.positions, "source_ids")
        quotes = keep(self.quotes, None, "source_id")
        claims = self.dispute_claims.copy()
        claims["source_ids"] = [[s for s in ids if s in known] for ids in claims["source_ids"]]
        claims = claims.loc[[len(ids) > 0 for ids in claims["source_ids"]]]
        counts = claims.groupby("dispute").size()
        live = set(counts[counts >= 2].index)
        claims = claims[claims["dispute"].isin(live)]
        disputes = self.disputes[self.disputes["id"].isin(live)].copy()
        return replace(
            self,
            sources=known_src.copy(),
            events=events,
            positions=positions,
            quotes=quotes,
            disputes=disputes,
            dispute_claims=claims,
            as_of_date=to_date(date),
        )

    def latest_positions(self) -> pd.DataFrame:
        """One row per actor and issue: the latest stated position, else the latest 'none' row."""
        pos = self.positions.copy()
        if pos.empty:
            return pos
        pos["_stated"] = pos["basis"] != "none"
        pos = pos.sort_values(["actor", "issue", "_stated", "start", "id"], kind="stable")
        latest = pos.groupby(["actor", "issue"], sort=True).tail(1)
        return latest.drop(columns="_stated").reset_index(drop=True)

    def changes(self, since: object, until: object | None = None) -> Changes:
        """What changed after ``since`` up to ``until`` (default: this slice's as-of date or period end)."""
        s = to_date(since)
        u = to_date(until) if until is not None else (self.as_of_date or self.period[1])
        before, after = self.as_of(s), self.as_of(u)
        new_events = after.events[~after.events["id"].isin(before.events["id"])]
        new_positions = after.positions[~after.positions["id"].isin(before.positions["id"])]
        new_sources = after.sources[~after.sources["id"].isin(before.sources["id"])]
        old = before.latest_positions().set_index(["actor", "issue"]) if len(before.positions) else None
        rows = []
        for _, p in after.latest_positions().iterrows():
            if p["basis"] == "none":
                continue
            key = (p["actor"], p["issue"])
            prev = None
            if old is not None and key in old.index:
                prev = old.loc[key]
            prev_stance = None if prev is None or prev["basis"] == "none" else int(prev["stance"])
            if prev is not None and prev["id"] == p["id"]:
                continue
            if prev_stance is None or prev_stance != int(p["stance"]):
                rows.append({
                    "actor": p["actor"], "issue": p["issue"],
                    "from_stance": prev_stance, "to_stance": int(p["stance"]),
                    "position": p["id"], "date": p["date"], "summary": p["summary"],
                    "evidence": p["evidence"], "source_ids": p["source_ids"],
                })
        shifts = pd.DataFrame(rows, columns=[
            "actor", "issue", "from_stance", "to_stance", "position", "date", "summary", "evidence",
            "source_ids",
        ])
        # nullable integers: a first stated position has no previous stance (<NA>), not NaN or None
        shifts = shifts.astype({"from_stance": "Int64", "to_stance": "Int64"})
        return Changes(s, u, new_events.copy(), new_positions.copy(), shifts, new_sources.copy())


def load_case(case: str | Path | None = None, *, validate: bool = True) -> Case:
    """Load (and by default validate) a case by id or path. Raises :class:`CaseDataError`."""
    path = resolve_case(case)
    if validate:
        from analysis.validate import validate_case  # frictionless is only imported when validating

        validate_case(path)
    tables = {name: type_table(name, read_table(path / f"{name}.csv")) for name in TABLES}
    meta = read_meta(path / "case.yaml")
    files = {name: path / f"{name}.csv" for name in TABLES}
    files["case.yaml"] = path / "case.yaml"
    files["datapackage.json"] = path / "datapackage.json"
    return Case(id=str(meta.get("id", path.name)), path=path, meta=meta, files=files, **tables)
