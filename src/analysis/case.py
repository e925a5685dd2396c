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
from analysis.judgements import JudgementChange, JudgementHistory
from analysis.locate import CASE_ID as _CASE_ID  # noqa: F401  (kept importable from here)
from analysis.locate import resolve_case  # noqa: F401  (part of this module's API)
from analysis.params import default_as_of
from analysis.validate import load_meta, validate_case

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
    """Read ``case.yaml`` at ``path`` through the one reader (:func:`analysis.validate.load_meta`)."""
    return load_meta(path.parent)


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


SHIFT_COLUMNS = [
    "actor", "issue", "from_stance", "to_stance", "position", "date", "summary", "evidence", "source_ids",
]


@dataclass
class Changes:
    """What changed between two dates (``since`` exclusive, ``until`` inclusive).

    ``new_stances`` are first stated positions (an actor speaking on an issue for the first time);
    ``shifts`` only changes of stance between two stated positions (see :func:`stance_shifts`).
    """

    since: dt.date
    until: dt.date
    new_events: pd.DataFrame
    new_positions: pd.DataFrame
    shifts: pd.DataFrame  # actor, issue, from_stance, to_stance, position (id), summary, evidence, source_ids
    new_sources: pd.DataFrame
    new_stances: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SHIFT_COLUMNS))
    judgements: list[JudgementChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return (
            self.new_events.empty and self.new_positions.empty and self.new_sources.empty
            and self.shifts.empty and not self.judgements
        )


def stance_shifts(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The one definition of a shift: ``(new_stances, shifts)`` between two sets of positions.

    For each actor and issue, the latest stated position in ``after`` is compared with the latest
    stated position in ``before``. With none before, it is a new stance (a first stated position,
    not a shift from "no public position"); with one before and a different stance, it is a shift.
    Rows with basis ``none`` never take part. Both frames carry :data:`SHIFT_COLUMNS`.
    """

    def latest(pos: pd.DataFrame) -> pd.DataFrame:
        pos = pos[pos["basis"] != "none"]
        return pos.sort_values(["actor", "issue", "start", "id"], kind="stable").groupby(
            ["actor", "issue"], sort=True).tail(1)

    old = {(r["actor"], r["issue"]): r for _, r in latest(before).iterrows()} if len(before) else {}
    new_rows, shift_rows = [], []
    for _, p in latest(after).iterrows():
        prev = old.get((p["actor"], p["issue"]))
        if prev is not None and prev["id"] == p["id"]:
            continue
        row = {
            "actor": p["actor"], "issue": p["issue"],
            "from_stance": None if prev is None else int(prev["stance"]), "to_stance": int(p["stance"]),
            "position": p["id"], "date": p["date"], "summary": p["summary"],
            "evidence": p["evidence"], "source_ids": p["source_ids"],
        }
        if prev is None:
            new_rows.append(row)
        elif int(prev["stance"]) != int(p["stance"]):
            shift_rows.append(row)

    def frame(rows: list[dict]) -> pd.DataFrame:
        # nullable integers: a first stated position has no previous stance (<NA>), not NaN or None
        out = pd.DataFrame(rows, columns=SHIFT_COLUMNS)
        return out.astype({"from_stance": "Int64", "to_stance": "Int64"})

    return frame(new_rows), frame(shift_rows)


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
    #: key judgements with their dated revisions (on a slice: only revisions made by its date)
    judgements: JudgementHistory | None = None

    def __post_init__(self) -> None:
        # Parse the judgement history once; ``meta['key_judgements']`` then holds the flat state the
        # sections read (each judgement as last revised; withdrawn ones left out).
        if self.judgements is None:
            self.judgements = JudgementHistory.from_meta(self.meta)
            dates = self.judgements.dates
            latest = max(dates) if dates else None
            self.meta = {**self.meta, "key_judgements": [
                st.as_flat() for st in (self.judgements.state_on(latest) if latest else [])
                if not st.withdrawn
            ]}

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
        """The case exactly as it could have been written on ``date``, every table and ``case.yaml``.

        - sources published by then (or undated);
        - events, positions and quotes dated by then that rest on at least one such source, their
          source lists trimmed to those; disputes while at least two of their claims are known;
        - legal provisions adopted by then (an empty ``adopted`` counts as always), citing only
          known sources; a provision with no known source left is dropped, since nothing known on
          the date would let the brief cite it;
        - actors once a kept event, position, quote or judgement's evidence involves them (with the
          parents of those actors); issues once a kept position is on them, plus ``main_issue``,
          which is the brief's own question;
        - key judgements as they stood then (:attr:`judgements` cut to revisions made by then,
          evidence cut to ids known then; ``meta['key_judgements']`` their flat state, withdrawn ones
          left out); indicators bearing on a judgement that exists then; information gaps recordable
          by then (``since``) that rest on a known source.
        """
        day = to_date(date)
        d = pd.Timestamp(day)
        known_src = self.sources[self.sources["start"].isna() | (self.sources["start"] <= d)]
        known = set(known_src["id"])
        events = _known_rows(self.events, d, known, "source_ids")
        positions = _known_rows(self.positions, d, known, "source_ids")
        quotes = _known_rows(self.quotes, d, known, single_col="source_id")
        disputes, claims = _live_disputes(self.disputes, self.dispute_claims, known)
        legal = _legal_in_force(self.legal_provisions, day, known)
        known_ids = known | set(events["id"]) | set(positions["id"]) | set(legal["id"]) | set(disputes["id"])
        history, states = self._judgements_on(day, known_ids)
        meta = _meta_on(self.meta, day, known, {st.id for st in states})
        meta["key_judgements"] = [st.as_flat() for st in states]
        actors = self.actors[self.actors["id"].isin(_involved(self.actors, events, positions, quotes))]
        wanted_issues = set(positions["issue"]) | {str(self.meta.get("main_issue", ""))}
        issues = self.issues[self.issues["id"].isin(wanted_issues)].copy()
        return replace(
            self, meta=meta, sources=known_src.copy(), actors=actors.copy(), issues=issues, events=events,
            positions=positions, legal_provisions=legal, quotes=quotes, disputes=disputes,
            dispute_claims=claims, as_of_date=day, judgements=history,
        )

    def _judgements_on(self, day: dt.date, known_ids: set[str]):
        """The judgements' history cut to ``day`` and their states then (withdrawn ones left out).

        Evidence is cut to what was known on the date; an id the case does not hold at all is kept, so
        that the brief's own checks still report it (a case loaded without validation). A judgement none
        of whose evidence is known yet cannot be shown on the date: it is left out (one that never listed
        evidence stays, for the brief's checks to refuse).
        """
        held = set(self.sources["id"]) | set(self.events["id"]) | set(self.positions["id"])
        held |= set(self.legal_provisions["id"]) | set(self.disputes["id"])
        cited = {e for j in self.judgements for r in j.revisions for e in r.evidence}
        history = self.judgements.until(day, known_ids | (cited - held))
        before_cut = {st.id: st for st in self.judgements.state_on(day)}
        states = [
            st for st in history.state_on(day)
            if not st.withdrawn and (st.revision.evidence or not before_cut[st.id].revision.evidence)
        ]
        return history, states

    def latest_positions(self) -> pd.DataFrame:
        """One row per actor and issue: the latest stated position, else the latest 'none' row."""
        pos = self.positions.copy()
        if pos.empty:
            return pos
        pos["_stated"] = pos["basis"] != "none"
        pos = pos.sort_values(["actor", "issue", "_stated", "start", "id"], kind="stable")
        latest = pos.groupby(["actor", "issue"], sort=True).tail(1)
        return latest.drop(columns="_stated").reset_index(drop=True)

    def changes(self, since: object, until: object | None = None, issues: list[str] | None = None) -> Changes:
        """What changed after ``since`` up to ``until`` (default: this slice's as-of date or period end).

        ``issues``, when given, keeps only positions, shifts and new stances on those issues (events
        and sources carry no issue and are not filtered). Judgement revisions come from
        :meth:`JudgementHistory.revisions_between`.
        """
        s = to_date(since)
        u = to_date(until) if until is not None else (self.as_of_date or self.period[1])
        before, after = self.as_of(s), self.as_of(u)
        new_events = after.events[~after.events["id"].isin(before.events["id"])]
        new_positions = after.positions[~after.positions["id"].isin(before.positions["id"])]
        new_sources = after.sources[~after.sources["id"].isin(before.sources["id"])]
        before_pos, after_pos = before.positions, after.positions
        if issues:
            wanted = set(issues)
            before_pos = before_pos[before_pos["issue"].isin(wanted)]
            after_pos = after_pos[after_pos["issue"].isin(wanted)]
            new_positions = new_positions[new_positions["issue"].isin(wanted)]
        new_stances, shifts = stance_shifts(before_pos, after_pos)
        judged = self.judgements.revisions_between(s, u)
        return Changes(
            s, u, new_events.copy(), new_positions.copy(), shifts, new_sources.copy(),
            new_stances=new_stances, judgements=judged,
        )


def _trim(df: pd.DataFrame, col: str, known: set[str]) -> pd.DataFrame:
    """``df`` with the id lists in ``col`` cut to ``known`` ids."""
    df = df.copy()
    df[col] = [[s for s in ids if s in known] for ids in df[col]]
    return df


def _cited(df: pd.DataFrame, col: str) -> pd.DataFrame:
    # .loc, not []: an empty mask must keep the columns
    return df.loc[[len(ids) > 0 for ids in df[col]]]


def _known_rows(df: pd.DataFrame, d: pd.Timestamp, known: set[str], list_col: str | None = None,
                single_col: str | None = None) -> pd.DataFrame:
    """Rows dated by ``d`` that rest on at least one known source (their source lists trimmed)."""
    out = df[df["start"] <= d].copy()
    if list_col:
        out = _cited(_trim(out, list_col, known), list_col)
    if single_col:
        out = out[out[single_col].isin(known)]
    return out


def _live_disputes(disputes: pd.DataFrame, claims: pd.DataFrame,
                   known: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disputes while at least two of their claims rest on a known source, and those claims."""
    claims = _cited(_trim(claims, "source_ids", known), "source_ids")
    counts = claims.groupby("dispute").size()
    live = set(counts[counts >= 2].index)
    return disputes[disputes["id"].isin(live)].copy(), claims[claims["dispute"].isin(live)]


def _legal_in_force(legal: pd.DataFrame, day: dt.date, known: set[str]) -> pd.DataFrame:
    """Provisions adopted by ``day`` (empty ``adopted``: always) that still cite a known source."""
    if "adopted" in legal.columns:
        legal = legal.loc[[not a or parse_partial(a)[0] <= day for a in legal["adopted"]]]
    legal = _trim(legal, "source_ids", known)
    if "adopted_source_ids" in legal.columns:
        legal = _trim(legal, "adopted_source_ids", known)
    return _cited(legal, "source_ids")


def _meta_on(meta: dict, day: dt.date, known: set[str], standing: set[str]) -> dict:
    """``case.yaml`` on ``day``: indicators bearing on a standing judgement, gaps recordable by then."""
    out = dict(meta)
    indicators = []
    for ind in meta.get("indicators") or []:
        if not isinstance(ind, dict):
            continue
        named = [j for j in ind.get("judgements") or [] if str(j) in standing]
        if named:
            indicators.append({**ind, "judgements": named})
    out["indicators"] = indicators
    if "information_gaps" in meta:
        gaps = []
        for gap in meta.get("information_gaps") or []:
            since = gap.get("since") if isinstance(gap, dict) else None
            if since is None or to_date(since) > day:
                continue
            cited = [s for s in gap.get("source_ids") or [] if s in known]
            if cited:
                gaps.append({**gap, "source_ids": cited})
        out["information_gaps"] = gaps
    return out


def _involved(actors: pd.DataFrame, events: pd.DataFrame, positions: pd.DataFrame,
              quotes: pd.DataFrame) -> set[str]:
    """Actors a kept event, position or quote involves, with their parents (a judgement's evidence is
    cut to kept rows, so its actors are among these already)."""
    involved = set(positions["actor"]) | set(quotes["speaker"])
    involved |= {a for ids in events["actors"] for a in ids}
    parents = dict(zip(actors["id"], actors["parent"], strict=True)) if "parent" in actors.columns else {}
    for a in list(involved):
        while parents.get(a) and parents[a] not in involved:
            a = parents[a]
            involved.add(a)
    return involved


def load_case(case: str | Path | None = None, *, validate: bool = True) -> Case:
    """Load (and by default validate) a case by id or path. Raises :class:`CaseDataError`."""
    path = resolve_case(case)
    if validate:
        validate_case(path)
    tables = {name: type_table(name, read_table(path / f"{name}.csv")) for name in TABLES}
    meta = read_meta(path / "case.yaml")
    files = {name: path / f"{name}.csv" for name in TABLES}
    files["case.yaml"] = path / "case.yaml"
    files["datapackage.json"] = path / "datapackage.json"
    return Case(id=str(meta.get("id", path.name)), path=path, meta=meta, files=files, **tables)
