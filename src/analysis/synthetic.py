"""A seeded generator of synthetic case packages, for stress tests and benchmarks.

    write_synthetic_case(folder, n_events=5000, n_actors=300, n_positions=2000, *, n_issues=5,
                         seed=0, case_id="synthetic", n_groups=6, vocabulary=False,
                         missing_codings=0.0, local_names=True) -> Path

writes a complete case folder (every table of ``schema/datapackage.json``, a ``datapackage.json`` and a
``case.yaml`` shaped like the fixtures') that passes ``casebrief validate``. Every name, event and
source in it is invented and says so. The same arguments always write the same bytes. The options give
what a large real case has: its own vocabulary, codings left empty, many groups, no local names.

Run ``python -m analysis.synthetic FOLDER [N_EVENTS N_ACTORS N_POSITIONS]`` to write one by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import yaml

from analysis.tableschema import canonical_schema, field_enum

PERIOD = (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
ACCESSED = "2026-01-15"
ACTOR_TYPES = field_enum("actors", "type")
TYPE_WEIGHTS = (0.08, 0.22, 0.08, 0.14, 0.18, 0.1, 0.06, 0.06, 0.04, 0.04)
GROUPS = ("Side A", "Side B", "Side C", "International", "Civil society", "Media")
CATEGORIES = field_enum("events", "category")
PUBLISHERS = (
    "Example Gazette",
    "Example Wire",
    "Sample Times",
    "Test Broadcasting",
    "Mock Daily",
    "Placeholder News",
    "Synthetic Herald",
    "예시 신문",
    "가상 방송",
    "Dummy Review",
    "Invented Monitor",
    "Fictional Post",
)
HANGUL = "가나다라마바사아자차카타파하"
# What a case may add to the schema's vocabularies (see analysis.vocabulary)
COURT = {"id": "court", "label": "Courts", "colour": "#6A3D9A"}
HEALTH = {"id": "health", "label": "health"}


class _NoAliasDumper(yaml.SafeDumper):
    """case.yaml refuses anchors and aliases: write repeated values out."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _header(schema: dict, name: str) -> list[str]:
    res = next(r for r in schema["resources"] if r["name"] == name)
    return [f["name"] for f in res["schema"]["fields"]]


def write_synthetic_case(
    folder: str | Path,
    n_events: int = 5000,
    n_actors: int = 300,
    n_positions: int = 2000,
    *,
    n_issues: int = 5,
    seed: int = 0,
    case_id: str = "synthetic",
    n_groups: int = len(GROUPS),
    vocabulary: bool = False,
    missing_codings: float = 0.0,
    local_names: bool = True,
) -> Path:
    """Write a valid synthetic case of the given size into ``folder`` (created) and return its path.

    ``n_groups`` actor groups (timeline lanes; past six they are named "Group 7", ...); ``vocabulary``
    declares a case actor type (``court``) and event category (``health``) in case.yaml and uses them;
    ``missing_codings`` is the share of positions left without salience and influence, and of events
    without ``key`` ("not coded"); ``local_names`` False leaves ``name_local`` empty and gives no
    ``local_language``. The defaults write the case the generator always wrote.
    """
    if n_events < 1 or n_actors < 1 or n_issues < 1 or n_groups < 1:
        raise ValueError("a case needs at least one event, one actor, one issue and one group")
    if not 0.0 <= missing_codings <= 1.0:
        raise ValueError("missing_codings is a share, from 0 to 1")
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # each step draws from the one generator in turn: their order is part of the seed's meaning
    sources = _Sources(rng, max(60, n_events // 5))
    actors = _actors(rng, n_actors, _groups(n_groups), local_names)
    issues = _issues(n_issues)
    events, first_days = _events(rng, n_events, n_actors, sources)
    positions = _positions(rng, n_positions, n_actors, n_issues, (events, first_days), sources)
    quotes = _quotes(rng, n_actors, sources.rows)
    disputes, claims = _disputes(rng, events, sources)
    tables = {
        "sources": sources.rows,
        "actors": actors,
        "issues": issues,
        "events": events,
        "positions": positions,
        "legal_provisions": _legal(sources.rows),
        "quotes": quotes,
        "disputes": disputes,
        "dispute_claims": claims,
    }
    # the options draw from a generator of their own, so the default case stays what it was
    extra = np.random.default_rng([seed, 1])
    if vocabulary:
        _use_case_vocabulary(actors, events)
    if missing_codings:
        _leave_uncoded(extra, missing_codings, events, positions)
    _write_package(folder, case_id, tables)
    meta = _case_yaml(case_id, n_events, n_actors, events, positions)
    if local_names:
        meta["local_language"] = "ko"
    if vocabulary:
        meta["vocabulary"] = {"actor_types": [COURT], "event_categories": [HEALTH]}
    text = "# Synthetic case written by analysis.synthetic: every name, event and source is invented.\n"
    text += yaml.dump(meta, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=100)
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    return folder


class _Sources:
    """Sources dated across the period (the last one on its last day), and a way to cite them by date."""

    def __init__(self, rng: np.random.Generator, n_sources: int) -> None:
        start, _ = PERIOD
        offsets = np.sort(rng.integers(0, _days(*PERIOD) + 1, n_sources))
        offsets[-1] = _days(*PERIOD)
        self.rng = rng
        self.rows: list[list[object]] = []
        dates = []
        for i, off in enumerate(offsets, 1):
            d = start + dt.timedelta(days=int(off))
            kind = rng.random()
            if kind < 0.9:
                published, precision = d.isoformat(), "day"
            else:
                published, precision = d.strftime("%Y-%m"), "month"
                # what may cite a month-dated source is judged against the month's last day
                d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            dates.append(d)
            pub = PUBLISHERS[int(rng.integers(0, len(PUBLISHERS)))]
            self.rows.append(_source_row(i, pub, published, precision, "ABCD"[int(rng.integers(0, 4))]))
        src_ord = np.array([d.toordinal() for d in dates])
        # sources sorted by their latest possible date, for "a source published on or after day X"
        self.by_date = np.argsort(src_ord, kind="stable")
        self.sorted_ord = src_ord[self.by_date]

    def cite(self, day: dt.date, k: int = 1) -> str:
        """``k`` sources (';'-separated ids) published on or soon after ``day``."""
        first = int(np.searchsorted(self.sorted_ord, day.toordinal(), side="left"))
        first = min(first, len(self.sorted_ord) - 1)
        pool = self.by_date[first : first + 12]
        pick = sorted(set(int(p) for p in self.rng.choice(pool, size=min(k, len(pool)), replace=False)))
        return ";".join(self.rows[p][0] for p in pick)


def _source_row(i: int, pub: str, published: str, precision: str, reliability: str) -> list[object]:
    return [
        f"S{i:05d}",
        pub,
        "",
        f"[Synthetic report {i}]",
        published,
        precision,
        "",
        f"https://example.org/synthetic/{i}",
        "ko" if pub in ("예시 신문", "가상 방송") else "en",
        "original",
        reliability,
        ACCESSED,
        "Synthetic test source.",
    ]


def _groups(n: int) -> tuple[str, ...]:
    """The first ``n`` actor groups: the six usual ones, then "Group 7", "Group 8", ..."""
    return (GROUPS + tuple(f"Group {k}" for k in range(len(GROUPS) + 1, n + 1)))[:n]


def _actors(
    rng: np.random.Generator, n_actors: int, groups: tuple[str, ...] = GROUPS, local_names: bool = True
) -> list[list[object]]:
    """Actors of every type; bodies of a state hang under one of the states drawn before them."""
    types = rng.choice(len(ACTOR_TYPES), size=n_actors, p=TYPE_WEIGHTS)
    actors = []
    states: list[str] = []
    for i in range(n_actors):
        t = ACTOR_TYPES[int(types[i])]
        aid = f"actor-{i + 1:03d}"
        parent = ""
        if t in ("government-body", "armed-forces", "intelligence-agency", "legislator") and states:
            parent = states[int(rng.integers(0, len(states)))]
        if t == "state":
            states.append(aid)
        name_local = (
            f"가상 {HANGUL[i % len(HANGUL)]}{HANGUL[(i // len(HANGUL)) % len(HANGUL)]} {i + 1}"
            if i % 3 == 0 and local_names
            else ""
        )
        group = groups[int(rng.integers(0, len(groups)))]
        country = "" if t == "international-organisation" else ("AAA", "BBB", "CCC", "DDD")[i % 4]
        name = f"Synthetic {t.replace('-', ' ')} {i + 1}"
        actors.append([aid, name, name_local, t, group, country, parent, "An invented actor for tests."])
    return actors


def _use_case_vocabulary(actors: list[list[object]], events: list[list[object]]) -> None:
    """Make every tenth actor a court and every seventh event a health event (declared in case.yaml)."""
    for i, row in enumerate(actors):
        if i % 10 == 5:
            row[1], row[3], row[6] = f"Synthetic court {i + 1}", COURT["id"], ""
    for i, row in enumerate(events):
        if i % 7 == 3:
            row[5], row[8] = f"Synthetic event {i + 1} ({HEALTH['id']})", HEALTH["id"]


def _leave_uncoded(
    rng: np.random.Generator, share: float, events: list[list[object]], positions: list[list[object]]
) -> None:
    """Empty the analyst codings of about ``share`` of the rows: salience and influence, and ``key``."""
    for row, gone in zip(positions, rng.random(len(positions)) < share, strict=True):
        if gone:
            row[6] = row[7] = ""
    for row, gone in zip(events, rng.random(len(events)) < share, strict=True):
        if gone:
            row[11] = ""


def _issues(n_issues: int) -> list[list[object]]:
    return [
        [
            f"issue-{k + 1}",
            f"Synthetic issue {k + 1}",
            f"Should option {k + 1} be taken?",
            f"strongly opposes option {k + 1}",
            f"strongly supports option {k + 1}",
            "An invented issue.",
        ]
        for k in range(n_issues)
    ]


def _event_date(rng: np.random.Generator, d: dt.date, roll: float) -> tuple[dt.date, str, str, str]:
    """``(first day, date, date_end, precision)`` of an event on day ``d``; ``roll`` draws the precision."""
    _, end = PERIOD
    date_end = ""
    if roll < 0.85:
        date, precision = d.isoformat(), "day"
    elif roll < 0.93:
        date, precision = d.strftime("%Y-%m"), "month"
        d = d.replace(day=1)
    elif roll < 0.97 and d + dt.timedelta(days=2) <= end:
        last = min(d + dt.timedelta(days=int(rng.integers(1, 10))), end)
        date, date_end, precision = d.isoformat(), last.isoformat(), "range"
    else:
        date, precision = str(d.year), "year"
        d = d.replace(month=1, day=1)
    return d, date, date_end, precision


def _events(
    rng: np.random.Generator, n_events: int, n_actors: int, sources: _Sources
) -> tuple[list[list[object]], list[dt.date]]:
    """Events across the period, mostly day-precise, each citing sources published on or after it.

    Returns the rows and each event's first day (positions link to the latest event before them)."""
    start, _ = PERIOD
    ev_off = np.sort(rng.integers(0, _days(*PERIOD) + 1, n_events))
    precision_roll = rng.random(n_events)
    events, first_days = [], []
    for i in range(n_events):
        d, date, date_end, precision = _event_date(
            rng, start + dt.timedelta(days=int(ev_off[i])), precision_roll[i]
        )
        first_days.append(d)
        n_act = int(rng.integers(1, 4))
        who = ";".join(f"actor-{int(a) + 1:03d}" for a in sorted(set(rng.integers(0, n_actors, n_act))))
        cat = CATEGORIES[int(rng.integers(0, len(CATEGORIES)))]
        events.append(
            [
                f"E{i + 1:05d}",
                date,
                date_end,
                precision,
                "",
                f"Synthetic event {i + 1} ({cat})",
                "An invented event for tests.",
                who,
                cat,
                sources.cite(d, int(rng.integers(1, 3))),
                ("high", "medium", "low")[int(rng.integers(0, 3))],
                "true" if rng.random() < 0.1 else "false",
                "",
            ]
        )
    return events, first_days


def _positions(
    rng: np.random.Generator,
    n_positions: int,
    n_actors: int,
    n_issues: int,
    events: tuple[list[list[object]], list[dt.date]],
    sources: _Sources,
) -> list[list[object]]:
    """A few dated rows per actor and issue, the stance taking a random walk."""
    start, _ = PERIOD
    events, first_days = events
    ev_ord = np.array([d.toordinal() for d in first_days])
    positions = []
    n_pairs = max(1, n_positions // 3)
    pairs = sorted({(int(rng.integers(0, n_actors)), int(rng.integers(0, n_issues))) for _ in range(n_pairs)})
    counts = np.full(len(pairs), n_positions // len(pairs))
    counts[: n_positions - int(counts.sum())] += 1
    for (a, k), n in zip(pairs, counts, strict=True):
        if n == 0:
            continue
        days = np.sort(rng.integers(0, _days(*PERIOD) + 1, int(n)))
        stance = int(rng.integers(-2, 3))
        salience, influence = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        for off in days:
            d = start + dt.timedelta(days=int(off))
            if rng.random() < 0.25:
                stance = int(np.clip(stance + rng.choice([-2, -1, 1, 2]), -2, 2))
            none = rng.random() < 0.08
            basis = "none" if none else ("quote", "paraphrase", "inferred")[int(rng.integers(0, 3))]
            linked = ""
            if not none and rng.random() < 0.3:
                j = int(np.searchsorted(ev_ord, d.toordinal(), side="right")) - 1
                if j >= 0:
                    linked = events[j][0]
            positions.append(
                [
                    f"P{len(positions) + 1:05d}",
                    f"actor-{a + 1:03d}",
                    f"issue-{k + 1}",
                    d.isoformat(),
                    "" if none else str(stance),
                    basis,
                    salience,
                    influence,
                    "No statement found in the synthetic sources." if none else "Invented words.",
                    "" if none else "en",
                    "An invented position.",
                    sources.cite(d),
                    ("high", "medium", "low")[int(rng.integers(0, 3))],
                    linked,
                    "",
                ]
            )
    return positions


def _legal(sources: list[list[object]]) -> list[list[object]]:
    return [
        [
            f"L{k}",
            "Example Convention",
            f"Art. {k}",
            "1949",
            "",
            "international",
            "An invented rule.",
            "Invented relevance.",
            sources[0][0],
            "",
        ]
        for k in range(1, 4)
    ]


def _quotes(rng: np.random.Generator, n_actors: int, sources: list[list[object]]) -> list[list[object]]:
    """Up to 20 quotes, each dated on the day of a day-precise source."""
    quotes = []
    for q in range(1, min(20, n_actors) + 1):
        s = sources[int(rng.integers(0, len(sources)))]
        if s[5] != "day":
            continue
        quotes.append(
            [
                f"Q{q:03d}",
                f"actor-{q:03d}",
                f"Invented words number {q}.",
                "en",
                "false",
                s[4],
                s[0],
                "An invented occasion.",
                "",
            ]
        )
    return quotes


def _disputes(
    rng: np.random.Generator, events: list[list[object]], sources: _Sources
) -> tuple[list[list[object]], list[list[object]]]:
    """Up to ten disputed event dates, each with two claims: the day given, and two days later."""
    _, end = PERIOD
    disputes, claims = [], []
    day_events = [e for e in events if e[3] == "day"]
    for n, e in enumerate(day_events[: min(10, len(day_events))], 1):
        d = dt.date.fromisoformat(e[1])
        alt = min(d + dt.timedelta(days=2), end)
        disputes.append(
            [
                f"K{n:02d}",
                "Date of the event",
                "events",
                e[0],
                "date",
                "Invented sources disagree on the day.",
                "Uses the earlier day.",
            ]
        )
        claims.append([f"K{n:02d}", 1, "On the earlier day.", d.isoformat(), e[9].split(";")[0]])
        claims.append([f"K{n:02d}", 2, "Two days later.", alt.isoformat(), sources.cite(alt)])
    return disputes, claims


def _write_package(folder: Path, case_id: str, tables: dict[str, list[list[object]]]) -> None:
    """Every table as CSV with the schema's header, and the schema as the case's datapackage.json."""
    schema = canonical_schema()
    for name, rows in tables.items():
        _write_csv(folder / f"{name}.csv", _header(schema, name), rows)
    package = dict(schema)
    package["name"] = case_id
    package["title"] = "Synthetic case (generated test data)"
    (folder / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _case_yaml(
    case_id: str, n_events: int, n_actors: int, events: list[list[object]], positions: list[list[object]]
) -> dict:
    """The narrative of the case: invented texts, the usual scales, one judgement on the first rows."""
    start, end = PERIOD
    first_position = positions[0][0] if positions else None
    return {
        "id": case_id,
        "title": "Synthetic case (generated test data)",
        "question": "Should option 1 be taken? (invented)",
        "summary": (
            f"A generated case of {n_events} events, {n_actors} actors and {len(positions)} positions "
            "for stress tests and benchmarks. Nothing in it describes real events."
        ),
        "updated": dt.date.fromisoformat(ACCESSED),
        "period": {"start": start, "end": end},
        "default_as_of": end,
        "main_issue": "issue-1",
        "stance_scale": {
            -2: "strongly opposes",
            -1: "opposes",
            0: "neutral or ambivalent",
            1: "supports",
            2: "strongly supports",
        },
        "likelihood_yardstick": {
            "name": "ICD 203",
            "terms": [
                {"term": "almost no chance", "min": 1, "max": 5},
                {"term": "very unlikely", "min": 5, "max": 20},
                {"term": "unlikely", "min": 20, "max": 45},
                {"term": "roughly even chance", "min": 45, "max": 55},
                {"term": "likely", "min": 55, "max": 80},
                {"term": "very likely", "min": 80, "max": 95},
                {"term": "almost certain", "min": 95, "max": 99},
            ],
        },
        "confidence_levels": {
            "high": "Invented: well corroborated.",
            "moderate": "Invented: credible.",
            "low": "Invented: fragmentary.",
        },
        "key_judgements": [
            {
                "id": "KJ1",
                "text": "Option 1 is likely to be taken (invented).",
                "likelihood": "likely",
                "confidence": "moderate",
                "rationale": "Generated for tests.",
                "evidence": [events[0][0]] + ([first_position] if first_position else []),
            }
        ],
        "indicators": [{"id": "IW1", "text": "An invented signal.", "judgements": ["KJ1"]}],
    }


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m analysis.synthetic FOLDER [N_EVENTS N_ACTORS N_POSITIONS]")
        return 2
    sizes = [int(a) for a in args[1:4]]
    path = write_synthetic_case(args[0], *sizes)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
