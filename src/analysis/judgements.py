"""Key judgements with a history: dated revisions, their state on a date, what moved in a window.

A judgement in ``case.yaml`` is either the dated ``revisions`` form or the older flat form (one
statement, made on its optional ``made:`` date, else on the case's ``default_as_of``). Both parse into
the same typed history, so a brief as of any date shows each judgement as it then stood.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from analysis import wording
from analysis.dates import PartialDateError, parse_partial, to_date
from analysis.errors import Problem

META = "case.yaml"
CONFIDENCE_ORDER = ("low", "moderate", "high")
_FLAT_FIELDS = ("text", "likelihood", "confidence", "rationale", "evidence")


@dataclass(frozen=True)
class Revision:
    """One dated statement of a judgement, or its withdrawal."""

    date: dt.date
    text: str = ""
    likelihood: str = ""
    confidence: str = ""
    rationale: str = ""
    evidence: tuple[str, ...] = ()
    reconstructed: bool = False
    withdrawn: bool = False
    #: a flat judgement without ``made:`` is dated default_as_of by assumption, not by record
    assumed_date: bool = False


@dataclass(frozen=True)
class JudgementState:
    """A judgement as it stood on a date: its revision in force then, evidence cut to what was known."""

    id: str
    revision: Revision
    first_made: dt.date

    @property
    def withdrawn(self) -> bool:
        return self.revision.withdrawn

    def as_flat(self) -> dict:
        """The flat ``case.yaml`` shape the brief sections read (plus ``date`` and ``reconstructed``)."""
        r = self.revision
        return {
            "id": self.id,
            "text": r.text,
            "likelihood": r.likelihood,
            "confidence": r.confidence,
            "rationale": r.rationale,
            "evidence": list(r.evidence),
            "date": r.date,
            "made": self.first_made,
            "reconstructed": r.reconstructed,
        }


@dataclass(frozen=True)
class JudgementChange:
    """What moved one judgement in a window: ``kind`` is new, withdrawn, likelihood, confidence or text."""

    id: str
    kind: str
    date: dt.date
    before: Revision | None
    after: Revision
    steps: int = 0  # likelihood steps on the yardstick: + up, - down
    evidence_added: tuple[str, ...] = ()


@dataclass(frozen=True)
class Judgement:
    """One key judgement: its id and its revisions, oldest first."""

    id: str
    revisions: tuple[Revision, ...]

    def on(self, date: dt.date) -> Revision | None:
        """The revision in force on ``date`` (None before the judgement was first made)."""
        current = None
        for r in self.revisions:
            if r.date <= date:
                current = r
        return current


@dataclass(frozen=True)
class JudgementHistory:
    """Every key judgement of a case with its revisions, and the yardstick that orders likelihood."""

    judgements: tuple[Judgement, ...]
    terms: tuple[str, ...] = ()
    bands: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def from_meta(cls, meta: Mapping) -> JudgementHistory:
        """Parse ``meta['key_judgements']`` (revisions or flat form); assumes a validated case."""
        default = _date(meta.get("default_as_of"))
        items = meta.get("key_judgements") or []
        out = []
        for kj in items if isinstance(items, list) else []:
            if not isinstance(kj, Mapping):
                continue
            revs = [_revision(r) for r in _raw_revisions(kj, default)]
            revs = [r for r in revs if r is not None]
            out.append(Judgement(str(kj.get("id", "")), tuple(sorted(revs, key=lambda r: r.date))))
        yard = meta.get("likelihood_yardstick") or {}
        terms, bands = [], {}
        for t in (yard.get("terms") if isinstance(yard, Mapping) else None) or []:
            if isinstance(t, Mapping) and isinstance(t.get("term"), str):
                terms.append(t["term"])
                bands[t["term"]] = (float(t.get("min", 0)), float(t.get("max", 0)))
        return cls(tuple(out), tuple(terms), bands)

    def __iter__(self):
        return iter(self.judgements)

    def __len__(self) -> int:
        return len(self.judgements)

    @property
    def dates(self) -> list[dt.date]:
        """Every revision date, oldest first, once each."""
        return sorted({r.date for j in self.judgements for r in j.revisions})

    def state_on(self, date: object, known_ids: Iterable[str] | None = None) -> list[JudgementState]:
        """Each judgement as it stood on ``date``; absent if first made later; withdrawn ones say so.

        ``known_ids``, when given, cuts each revision's evidence to the ids known on that date.
        """
        d = to_date(date)
        known = None if known_ids is None else set(known_ids)
        out = []
        for j in self.judgements:
            rev = j.on(d)
            if rev is None:
                continue
            if known is not None:
                rev = replace(rev, evidence=tuple(e for e in rev.evidence if e in known))
            out.append(JudgementState(j.id, rev, j.revisions[0].date))
        return out

    def until(self, date: object, known_ids: Iterable[str] | None = None) -> JudgementHistory:
        """The history as written by ``date``: later revisions dropped, evidence cut to ``known_ids``."""
        d = to_date(date)
        known = None if known_ids is None else set(known_ids)
        kept = []
        for j in self.judgements:
            revs = [r for r in j.revisions if r.date <= d]
            if known is not None:
                revs = [replace(r, evidence=tuple(e for e in r.evidence if e in known)) for r in revs]
            if revs:
                kept.append(Judgement(j.id, tuple(revs)))
        return replace(self, judgements=tuple(kept))

    def step(self, term: str) -> int | None:
        """The position of a likelihood term on the yardstick (0 = least likely)."""
        return self.terms.index(term) if term in self.terms else None

    def revisions_between(self, since: object, until: object) -> list[JudgementChange]:
        """What changed after ``since`` up to ``until`` (inclusive): one change per kind per revision."""
        s, u = to_date(since), to_date(until)
        out: list[JudgementChange] = []
        for j in self.judgements:
            prev = j.on(s)
            for r in j.revisions:
                if not s < r.date <= u:
                    continue
                if r.assumed_date:  # no recorded date: not reported as a change in any window
                    prev = r
                    continue
                added = tuple(e for e in r.evidence if prev is None or e not in prev.evidence)
                if r.withdrawn:
                    if prev is not None and not prev.withdrawn:
                        out.append(JudgementChange(j.id, "withdrawn", r.date, prev, r))
                elif prev is None or prev.withdrawn:
                    out.append(JudgementChange(j.id, "new", r.date, prev, r, evidence_added=added))
                else:
                    moved = False
                    a, b = self.step(prev.likelihood), self.step(r.likelihood)
                    if a is not None and b is not None and a != b:
                        out.append(JudgementChange(j.id, "likelihood", r.date, prev, r, b - a, added))
                        moved = True
                    if prev.confidence != r.confidence:
                        out.append(
                            JudgementChange(
                                j.id,
                                "confidence",
                                r.date,
                                prev,
                                r,
                                confidence_steps(prev.confidence, r.confidence),
                                added,
                            )
                        )
                        moved = True
                    if not moved and prev.text != r.text:
                        out.append(JudgementChange(j.id, "text", r.date, prev, r, evidence_added=added))
                prev = r
        return sorted(out, key=lambda c: (c.date, c.id))


def confidence_steps(before: str, after: str) -> int:
    """Steps between two confidence levels (low < moderate < high); 0 for an unknown level."""
    if before in CONFIDENCE_ORDER and after in CONFIDENCE_ORDER:
        return CONFIDENCE_ORDER.index(after) - CONFIDENCE_ORDER.index(before)
    return 0


def reconstructed_label(date: object) -> str:
    """'reconstructed from sources published by 31 Mar 2025'."""
    return f"reconstructed from sources published by {wording.day(to_date(date))}"


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _raw_revisions(kj: Mapping, default: dt.date | None) -> list[Mapping]:
    """The revision mappings of a judgement; the flat form is one revision made on ``made`` or the default."""
    if "revisions" in kj:
        revs = kj.get("revisions")
        return [r for r in revs if isinstance(r, Mapping)] if isinstance(revs, list) else []
    flat = {k: kj.get(k) for k in _FLAT_FIELDS}
    flat["date"] = kj.get("made", default)
    flat["assumed_date"] = "made" not in kj
    return [flat]


def _revision(r: Mapping) -> Revision | None:
    d = _date(r.get("date"))
    if d is None:
        return None
    ev = r.get("evidence")
    return Revision(
        date=d,
        text=str(r.get("text") or ""),
        likelihood=str(r.get("likelihood") or ""),
        confidence=str(r.get("confidence") or ""),
        rationale=str(r.get("rationale") or ""),
        evidence=tuple(str(e) for e in ev) if isinstance(ev, list) else (),
        reconstructed=bool(r.get("reconstructed")),
        withdrawn=bool(r.get("withdrawn")),
        assumed_date=bool(r.get("assumed_date")),
    )


# ------------------------------------------------------------------------------------------------
# checks


def _shown(value: object) -> str:
    return "" if value is None else (value if isinstance(value, str) else repr(value))


def _earliest(text: str) -> dt.date | None:
    try:
        return parse_partial(text)[0]
    except (PartialDateError, ValueError, TypeError):
        return None


def judgement_problems(
    meta: Mapping,
    known_ids: Mapping[str, list[str]] | Iterable[str] | None,
    evidence_sources: Mapping[str, Iterable[str]] | None = None,
    published: Mapping[str, str] | None = None,
) -> list[tuple[tuple, Problem]]:
    """Each problem in the key judgements and information gaps, with the YAML path it sits at.

    ``known_ids`` maps each evidence id to the files that hold it (a set of ids will do; None skips
    the id checks); ``evidence_sources`` maps an evidence id to its source ids and ``published`` a
    source id to its publication date, for the rule that a reconstructed revision uses no later
    knowledge.
    """
    checks = _JudgementChecks(meta, known_ids, evidence_sources, published)
    items = meta.get("key_judgements")
    for i, kj in enumerate(items if isinstance(items, list) else []):
        checks.judgement(i, kj)
    checks.gaps(meta.get("information_gaps"))
    return checks.out


class _JudgementChecks:
    """The rules of :func:`judgement_problems`, one method per part of a judgement or gap."""

    def __init__(self, meta: Mapping, known_ids, evidence_sources, published) -> None:
        self.out: list[tuple[tuple, Problem]] = []
        self.where = (
            None
            if known_ids is None
            else (dict(known_ids) if isinstance(known_ids, Mapping) else {str(i): ["?"] for i in known_ids})
        )
        yard = meta.get("likelihood_yardstick")
        self.terms = (
            [t["term"] for t in yard.get("terms")
             if isinstance(t, Mapping) and isinstance(t.get("term"), str)]
            if isinstance(yard, Mapping) and isinstance(yard.get("terms"), list)
            else []
        )
        levels = meta.get("confidence_levels")
        self.levels = list(levels) if isinstance(levels, Mapping) else None
        self.default = _date(meta.get("default_as_of"))
        self.evidence_sources = evidence_sources
        self.published = published
        self.seen: set[str] = set()

    def add(self, path: tuple, label: str, rule: str, value: object | None = None) -> None:
        self.out.append((path, Problem(META, rule, None, label, value)))

    def source_date(self, sid: str) -> dt.date | None:
        return _earliest(str((self.published or {}).get(sid, "")))

    def judgement(self, i: int, kj: object) -> None:
        base = ("key_judgements", i)
        if not isinstance(kj, Mapping):
            self.add(base, f"key_judgements[#{i + 1}]",
                     "must be a judgement with id and revisions (date, text, likelihood, confidence, "
                     "rationale, evidence)", _shown(kj))
            return
        kid = kj.get("id")
        name = f"key_judgements[{kid}]" if isinstance(kid, str) and kid else f"key_judgements[#{i + 1}]"
        if not isinstance(kid, str) or not kid.strip():
            self.add(base + ("id",), f"{name}.id", "needs an id (e.g. KJ1)")
        elif kid in self.seen:
            self.add(base + ("id",), f"{name}.id", "is used by two judgements", kid)
        else:
            self.seen.add(kid)
        if "revisions" in kj:
            revs = kj.get("revisions")
            if not isinstance(revs, list) or not revs:
                self.add(base + ("revisions",), f"{name}.revisions",
                         "must be a list of one or more dated revisions, oldest first", _shown(revs))
                return
            entries = [(base + ("revisions", j), f"{name}.revisions[#{j + 1}]", r)
                       for j, r in enumerate(revs)]
        else:
            # the flat form: made on ``made``, else on default_as_of (whose own absence is reported there)
            flat = dict(kj)
            flat["date"] = flat.get("made") if "made" in flat else self.default
            entries = [(base, name, flat)]
        last: dt.date | None = None
        for path, label, rev in entries:
            last = self.revision(path, label, rev, base, last)

    def revision(self, path: tuple, label: str, rev: object, base: tuple,
                 last: dt.date | None) -> dt.date | None:
        """Check one revision; returns the latest date seen so far (for the ordering rule)."""
        if not isinstance(rev, Mapping):
            self.add(path, label,
                     "must be a revision (date, text, likelihood, confidence, rationale, evidence)",
                     _shown(rev))
            return last
        date_key = "date" if path != base else "made"
        d = _date(rev.get("date"))
        if d is None and (path != base or "made" in rev):
            self.add(path + (date_key,), f"{label}.{date_key}",
                     "is missing (a date, YYYY-MM-DD)" if rev.get("date") is None
                     else "is not a date (YYYY-MM-DD)", _shown(rev.get("date")))
        elif last is not None and d <= last:
            self.add(path + (date_key,), f"{label}.{date_key}",
                     f"must be later than the revision before it ({last})", str(d))
        if d is not None:
            last = d
        if rev.get("withdrawn"):
            if rev.get("withdrawn") is not True:
                self.add(path + ("withdrawn",), f"{label}.withdrawn", "must be true",
                         _shown(rev.get("withdrawn")))
            return last
        for key in ("text", "rationale"):
            if not isinstance(rev.get(key), str) or not rev[key].strip():
                self.add(path + (key,), f"{label}.{key}", "is missing or empty (a text)")
        likelihood = rev.get("likelihood")
        if self.terms and likelihood not in self.terms:
            self.add(path + ("likelihood",), f"{label}.likelihood",
                     f"is not a term of the likelihood yardstick ({', '.join(sorted(self.terms))})",
                     _shown(likelihood))
        confidence = rev.get("confidence")
        if self.levels is not None and confidence not in self.levels:
            self.add(path + ("confidence",), f"{label}.confidence",
                     f"is not a confidence level ({', '.join(self.levels)})", _shown(confidence))
        self.evidence(path, label, rev, d)
        return last

    def evidence(self, path: tuple, label: str, rev: Mapping, d: dt.date | None) -> None:
        evidence = rev.get("evidence")
        if not isinstance(evidence, list) or not evidence:
            self.add(path + ("evidence",), f"{label}.evidence",
                     "must list the ids of the evidence behind the judgement (events, positions, legal "
                     "provisions, disputes or sources)", _shown(evidence))
            return
        where = self.where
        for j, item in enumerate(evidence):
            ref = str(item)
            if where is not None and ref not in where:
                self.add(path + ("evidence", j), f"{label}.evidence",
                         "is not an id in events, positions, legal_provisions, disputes or sources", ref)
                continue
            if where is not None and len(where[ref]) > 1:
                self.add(path + ("evidence", j), f"{label}.evidence",
                         f"is ambiguous: it is an id in {' and '.join(where[ref])}", ref)
                continue
            if rev.get("reconstructed") and d is not None and self.evidence_sources is not None:
                late = sorted(s for s in self.evidence_sources.get(ref, ())
                              if (sd := self.source_date(s)) is not None and sd > d)
                if late:
                    self.add(path + ("evidence", j), f"{label}.evidence",
                             f"rests on {', '.join(late)}, published after this reconstructed revision's "
                             f"date ({d}): a reconstruction may use only sources published by then", ref)

    def gaps(self, gaps: object) -> None:
        if gaps is not None and not isinstance(gaps, list):
            self.add(("information_gaps",), "information_gaps",
                     "must be a list of gaps (id, text, since, source_ids)", _shown(gaps))
            return
        gap_ids: set[str] = set()
        for i, gap in enumerate(gaps or []):
            self.gap(i, gap, gap_ids)

    def gap(self, i: int, gap: object, gap_ids: set[str]) -> None:
        base = ("information_gaps", i)
        if not isinstance(gap, Mapping):
            self.add(base, f"information_gaps[#{i + 1}]", "must be a gap with id, text, since and source_ids",
                     _shown(gap))
            return
        gid = gap.get("id")
        name = f"information_gaps[{gid}]" if isinstance(gid, str) and gid else f"information_gaps[#{i + 1}]"
        if not isinstance(gid, str) or not gid.strip():
            self.add(base + ("id",), f"{name}.id", "needs an id (e.g. U04)")
        elif gid in gap_ids:
            self.add(base + ("id",), f"{name}.id", "is used by two gaps", gid)
        else:
            gap_ids.add(gid)
        if not isinstance(gap.get("text"), str) or not gap["text"].strip():
            self.add(base + ("text",), f"{name}.text", "is missing or empty (a text)")
        since = _date(gap.get("since"))
        if since is None:
            self.add(base + ("since",), f"{name}.since",
                     "is missing (a date, YYYY-MM-DD)" if gap.get("since") is None
                     else "is not a date (YYYY-MM-DD)", _shown(gap.get("since")))
        sids = gap.get("source_ids")
        if not isinstance(sids, list) or not sids:
            self.add(base + ("source_ids",), f"{name}.source_ids",
                     "must list the ids of the sources that show the gap", _shown(sids))
            return
        published = self.published
        for j, sid in enumerate(sids):
            ref = str(sid)
            if published is not None and ref not in published:
                self.add(base + ("source_ids", j), f"{name}.source_ids", "is not an id in sources.csv", ref)
            elif published is not None and since is not None and (sd := self.source_date(ref)) and sd > since:
                self.add(base + ("source_ids", j), f"{name}.source_ids",
                         f"was published after the gap's since date ({since})", ref)


def evidence_index(
    tables: Mapping[str, Iterable[Mapping[str, str]]],
) -> tuple[dict[str, set[str]], dict[str, str]]:
    """From tables of text cells: each evidence id's source ids, and each source's publication date."""
    published = {r.get("id", ""): r.get("published", "") for r in tables.get("sources", ())}
    via: dict[str, set[str]] = {s: {s} for s in published}
    for name in ("events", "positions", "legal_provisions"):
        for r in tables.get(name, ()):
            via[r.get("id", "")] = {s for s in str(r.get("source_ids", "")).split(";") if s}
    for r in tables.get("dispute_claims", ()):
        via.setdefault(r.get("dispute", ""), set()).update(
            s for s in str(r.get("source_ids", "")).split(";") if s
        )
    return via, published


def check_judgements(
    meta: Mapping,
    known_ids: Mapping[str, list[str]] | Iterable[str] | None,
    evidence_sources: Mapping[str, Iterable[str]] | None = None,
    published: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Problems in ``case.yaml``'s key judgements (either form) and information gaps."""
    return [p for _, p in judgement_problems(meta, known_ids, evidence_sources, published)]
