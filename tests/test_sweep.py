"""The time-travel sweep: every case as known at every month end, checked brief by brief.

For the default case, the mini fixture and a generated case, at every month end from the case's first
event to its default as-of date, plus that date: the analyst and public briefs (with and without
``since``, three months earlier when inside the case's range) and both classroom levels are rendered in
process by the code the notebooks run (Session -> Brief.render(), Classroom), and each is checked:

- every cited source was published by the as-of date;
- every date the brief writes (text, captions, alt text) is on or before it, no event dated later is
  named (by its title), and the sliced tables are dated by it, so no later event or position is shown;
- with ``issues=[main issue]``, no section names another issue (at every third date and the drawn ones).

Charts are drawn (alt text and captions checked) at three dates per case (first, middle, default): a
drawn analyst brief costs about 5 s, so drawing all ~70 dates would take the sweep past ten minutes.
Real ``casebrief build``s (exit 0) run at a few dates per case: HTML for the mini and generated cases,
and HTML and PDF for the default case at its first, an early, a middle and the default date, where the
page budgets are checked (see ANALYST_PAGES and PUBLIC_PAGES). ``benchmarks/sweep.py`` runs the full
real-build sweep.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.brief import Brief
from analysis.case import Case, load_case
from analysis.classroom import Classroom
from analysis.session import Session
from analysis.synthetic import write_synthetic_case

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "data" / "cases" / "nk-pows-ukraine"
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
AUDIENCES = ("analyst", "public")
LEVELS = ("introductory", "advanced")
# The budgets the briefs hold, the same as tests/test_brief_pages.py: analyst 6-14, public at most 2 (with
# a "what changed" section their prints leave parts to the HTML edition to keep to them: FIT_STEPS in
# analysis.brief.compose).
ANALYST_PAGES = (6, 14)
PUBLIC_PAGES = 2

MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}
# a written date: "26 Apr 2025", "Apr 2025"; the end of a range ("23–25 May 2025") is left out, since an
# event under way on the as-of date is known by its start
WRITTEN_DATE = re.compile(r"(?<![–\-\d])(?:(\d{1,2}) )?"
                          r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})")
CITED = re.compile(r'(?:href="#|id=")src-([^"]+)"')

pytestmark = pytest.mark.slow


# -- the dates --------------------------------------------------------------------------------------------
def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month end from ``first``'s month to before ``last``, then ``last`` itself."""
    out, y, m = [], first.year, first.month
    while True:
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if end >= last:
            break
        out.append(end)
        y, m = nxt.year, nxt.month
    return [*out, last]


def sweep_dates(case: Case) -> list[dt.date]:
    """The case's month ends from its first event (or its period start, if later) to its default date."""
    first = max(pd.Timestamp(case.events["start"].min()).date(), case.period[0])
    return month_ends(first, dt.date.fromisoformat(str(case.meta["default_as_of"])))


def since_for(case: Case, as_of: dt.date) -> dt.date | None:
    """The month end three months before ``as_of``, when it is inside the case's range."""
    y, m = (as_of.year, as_of.month - 3) if as_of.month > 3 else (as_of.year - 1, as_of.month + 9)
    since = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    return since if case.period[0] <= since < as_of else None


def drawn_dates(dates: list[dt.date]) -> set[dt.date]:
    return {dates[0], dates[len(dates) // 2], dates[-1]}


# -- the checks -------------------------------------------------------------------------------------------
def check_brief(html: str, full: Case, session: Session, what: str) -> None:
    """Sources cited, dates written and rows shown in one rendered brief all belong to its as-of date."""
    as_of = session.as_of
    published = dict(zip(full.sources["id"], full.sources["start"], strict=True))
    for sid in set(CITED.findall(html)):
        assert sid in published, f"{what}: cites {sid!r}, which is not a source of the case"
        day = published[sid]
        assert pd.isna(day) or day.date() <= as_of, (
            f"{what}: cites {sid}, published {day.date()}, after the as-of date {as_of}")
    doc = BeautifulSoup(html, "html.parser")
    body = doc.get_text(" ")
    for text in [body, *(img.get("alt", "") for img in doc.find_all("img"))]:
        for m in WRITTEN_DATE.finditer(text):
            written = dt.date(int(m[3]), MONTHS[m[2]], int(m[1] or 1))
            assert written <= as_of, (
                f"{what}: writes {m[0]!r}, after the as-of date {as_of}: "
                f"...{text[max(0, m.start() - 120):m.end() + 20]}...")
    # no later event is named: its title (when unique, and in no earlier title) is nowhere in the text
    known = set(session.case.events["title"])
    titles = full.events["title"].value_counts()
    for title, start in zip(full.events["title"], full.events["start"], strict=True):
        if start.date() > as_of and titles[title] == 1 and not any(title in k for k in known):
            assert title not in body, f"{what}: names the event {title!r}, of {start.date()}, after {as_of}"
    case = session.case
    for table in ("events", "positions", "quotes"):
        df = getattr(case, table)
        late = df.loc[df["start"] > pd.Timestamp(as_of), "id"].tolist()
        assert not late, f"{what}: {table} dated after {as_of} in the slice: {late}"


def check_issue_filter(html: str, full: Case, session: Session, what: str) -> None:
    """With one issue chosen, no section names, anchors or maps another issue."""
    (keep,) = session.issues
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    for other in full.issues.itertuples():
        if other.id == keep:
            continue
        for mark in (f'id="stakeholders-{other.id}"', f'id="fig-position-map-{other.id}"'):
            assert mark not in html, f"{what}: shows issue {other.id!r} ({mark})"
        label = str(other.label)
        assert label not in text, (
            f"{what}: names issue {other.id!r} ({label!r})")
    assert set(session.case.positions["issue"]) <= {keep}, f"{what}: positions on other issues"


def guide_html(room: Classroom) -> str:
    """The whole instructor guide (the handout and everything for the teacher), as the notebook shows it."""
    parts = [room.title_block(), room.lesson_plan(), room.objectives(), room.narrative(),
             room.exercises_intro()]
    for e in room.exercises:
        parts += [room.exercise(e.kind), room.solution(e.kind), room.teacher_note(e.kind)]
    parts += [room.discussion(), room.discussion_notes(), room.answer_key(), room.sources(),
              room.teacher_sources()]
    return "\n".join(parts)


def render_briefs(full: Case, as_of: dt.date, *, draw: bool, filtered: bool) -> int:
    """Render and check every brief and lesson of ``full`` at ``as_of``; the number rendered."""
    n = 0
    since = since_for(full, as_of)
    for audience in AUDIENCES:
        for s in (None, since) if since else (None,):
            session = Session.of(full, as_of=as_of.isoformat(), since=s and s.isoformat(), audience=audience)
            what = f"{full.id} {audience} as of {as_of}" + (f" since {s}" if s else "")
            check_brief(Brief(session, draw=draw).render(), full, session, what)
            n += 1
        # the issue filter, on the main issue, with since when there is one, at a subset of the dates
        main = Session.of(full, as_of=as_of.isoformat(), audience=audience).main_issue
        if filtered and main and len(full.issues) > 1:
            session = Session.of(full, as_of=as_of.isoformat(), since=since and since.isoformat(),
                                 audience=audience, issues=[main])
            what = f"{full.id} {audience} as of {as_of} on {main}"
            html = Brief(session, draw=draw).render()
            check_brief(html, full, session, what)
            check_issue_filter(html, full, session, what)
            n += 1
    for level in LEVELS:
        session = Session.of(full, as_of=as_of.isoformat())
        room = Classroom(session, level=level, draw=draw)
        check_brief(guide_html(room), full, session, f"{full.id} classroom {level} as of {as_of}")
        n += 1
    return n


# -- the cases --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return write_synthetic_case(tmp_path_factory.mktemp("cases") / "sweep", n_events=60, n_actors=15,
                                n_positions=40, seed=3, case_id="sweep")


@pytest.fixture(scope="module", params=["default", "mini", "generated"])
def case(request) -> Case:
    path = {"default": DEFAULT, "mini": MINI}.get(request.param) or request.getfixturevalue("generated")
    return load_case(path)


def test_every_month_end_shows_only_what_was_known(case):
    dates = sweep_dates(case)
    drawn = drawn_dates(dates)
    start = time.perf_counter()
    n = sum(render_briefs(case, d, draw=d in drawn, filtered=d in drawn or i % 3 == 0)
            for i, d in enumerate(dates))
    took = time.perf_counter() - start
    print(f"\nsweep {case.id}: {len(dates)} dates ({dates[0]} to {dates[-1]}), {n} briefs and lessons "
          f"rendered, charts at {len(drawn)} dates, {took:.1f} s")
    assert n >= len(dates) * 4


# -- real builds ------------------------------------------------------------------------------------------
def build(case: Path, reports: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEBRIEF_REPORTS": str(reports), "MPLBACKEND": "Agg"}
    env.pop("CASEBRIEF_CASES", None)
    run = subprocess.run([sys.executable, "-m", "analysis", "build", "--case", str(case), "--jobs", "2",
                          *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (
        f"casebrief build {' '.join(args)}: exit {run.returncode}\n{run.stdout}{run.stderr}")
    return run


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


@pytest.mark.parametrize("which", ["mini", "generated"])
def test_real_html_builds_at_an_early_and_the_default_date(which, tmp_path, request):
    path = MINI if which == "mini" else request.getfixturevalue("generated")
    full = load_case(path)
    dates = sweep_dates(full)
    early = dates[len(dates) // 3]
    since = since_for(full, early)
    # latest first: a build without --since compares with the latest earlier brief in the manifest
    build(path, tmp_path, "--format", "html")
    build(path, tmp_path, "--as-of", early.isoformat(), *(["--since", since.isoformat()] if since else []),
          "--format", "html")
    html = sorted(p.name for p in (tmp_path / full.id).glob("*.html"))
    assert len(html) >= 2 * (len(AUDIENCES) + 2 * len(LEVELS)), html


@pytest.fixture(scope="module")
def default_pdfs(tmp_path_factory) -> dict[dt.date, dict[str, Path]]:
    """The default case's analyst and public briefs (HTML, PDF) at the first, an early, a middle and the
    default date (the first: before any position or judgement, where the analyst brief is shortest)."""
    full = load_case(DEFAULT)
    dates = sweep_dates(full)
    picked = [dates[0], dates[len(dates) // 4], dates[len(dates) // 2], dates[-1]]
    reports = tmp_path_factory.mktemp("reports")
    out: dict[dt.date, dict[str, Path]] = {}
    # latest first: a build without --since compares with the latest earlier brief in the manifest
    for d in reversed(picked):
        args = ["--as-of", d.isoformat(), "--audience", ",".join(AUDIENCES), "--format", "html,pdf"]
        if d == picked[1]:
            args += ["--since", since_for(full, d).isoformat()]
        build(DEFAULT, reports, *args)
        out[d] = {}
        for audience in AUDIENCES:
            pdfs = sorted((reports / full.id).glob(f"*-{audience}-asof-{d}*.pdf"))
            if d == picked[-1] and not pdfs:  # the default date's brief is named without its date
                pdfs = [reports / full.id / f"{full.id}-{audience}.pdf"]
            assert len(pdfs) == 1 and pdfs[0].exists(), sorted(p.name for p in (reports / full.id).iterdir())
            out[d][audience] = pdfs[0]
    return dict(sorted(out.items()))


PDF_DATES = ["first", "early", "middle", "default"]


@pytest.mark.parametrize("which", PDF_DATES)
def test_default_case_page_budgets(default_pdfs, which):
    """The page budgets (:data:`ANALYST_PAGES`, :data:`PUBLIC_PAGES`) at each PDF date; every count is in the
    message."""
    d = list(default_pdfs)[PDF_DATES.index(which)]
    analyst, public = (pages(default_pdfs[d][a]) for a in AUDIENCES)
    print(f"\n{d}: analyst {analyst} pages, public {public}")
    over = []
    if not ANALYST_PAGES[0] <= analyst <= ANALYST_PAGES[1]:
        over.append(f"the analyst brief has {analyst} pages (budget {ANALYST_PAGES[0]}-{ANALYST_PAGES[1]})")
    if public > PUBLIC_PAGES:
        over.append(f"the public brief has {public} pages (budget at most {PUBLIC_PAGES})")
    assert not over, f"as of {d} ({which} date of the sweep): " + "; ".join(over)


def test_default_case_classroom_builds_at_an_early_date(tmp_path):
    full = load_case(DEFAULT)
    early = sweep_dates(full)[len(sweep_dates(full)) // 4]
    build(DEFAULT, tmp_path, "--as-of", early.isoformat(), "--audience", "classroom", "--format", "html")
    assert len(list((tmp_path / full.id).glob("*-classroom-*.html"))) == 2 * len(LEVELS)
