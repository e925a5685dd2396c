"""The default case's briefs, built for real (notebook, template, WeasyPrint): page counts and outline.

Built with ``since`` = 2026-02-18 (the seed article's date): the analyst brief fits 6-14 A4 pages (its
print leaves the matrix to the HTML edition to do so, and says so: ``FIT_STEPS`` in
``analysis.brief.compose``) and the public summary 2 (its print gives the sources short and leaves the
timeline chart to the HTML edition to do so); without ``since`` the public summary keeps to its two
pages with nothing left out. The second case is held to the same budgets. Charts are drawn at their
printed size and made compact by shape (audience chart options in ``analysis.brief.compose``), never
by smaller type. The PDF bookmarks follow the sections in order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brief_html import check_links, check_outline, check_tables, cited_numbers, soup  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CASE = "nk-pows-ukraine"
SINCE = "2026-02-18"
PUBLIC_SECTIONS = ["Key judgements", "What changed since 18 Feb 2026", "Timeline",
                   "Stakeholders and positions", "Sources"]
ANALYST_SECTIONS = [*PUBLIC_SECTIONS[:4], "Legal framework", "Uncertainties and information gaps",
                    "Indicators to watch", "Sources", "Annex: method and provenance"]

pytestmark = pytest.mark.slow  # the default case is part of the repository: without it these fail


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Build the default case's analyst and public briefs (HTML and PDF) with since=2026-02-18."""
    reports = tmp_path_factory.mktemp("reports")
    env = {**os.environ, "CASEBRIEF_REPORTS": str(reports), "MPLBACKEND": "Agg"}
    env.pop("CASEBRIEF_CASES", None)
    run = subprocess.run([sys.executable, "-m", "analysis", "build", "--case", CASE, "--since", SINCE,
                          "--audience", "analyst,public"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    out = reports / CASE
    found = {}
    for audience in ("analyst", "public"):
        html = sorted(out.glob(f"*-{audience}*.html"))
        pdf = sorted(out.glob(f"*-{audience}*.pdf"))
        assert len(html) == 1 and len(pdf) == 1, sorted(p.name for p in out.iterdir())
        found[audience] = {"html": html[0], "pdf": pdf[0]}
    return found


def _outline(pdf: Path) -> list[tuple[int, str]]:
    from pypdf import PdfReader

    def walk(items, depth=1):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title

    return list(walk(PdfReader(pdf).outline))


@pytest.mark.parametrize("audience, low, high", [("analyst", 6, 14), ("public", 1, 2)])
def test_page_counts(briefs, audience, low, high):
    from pypdf import PdfReader

    pages = len(PdfReader(briefs[audience]["pdf"]).pages)
    assert low <= pages <= high, f"{audience} brief has {pages} A4 pages, expected {low}-{high}"


def test_the_analyst_print_says_where_the_part_it_left_out_is(briefs):
    """With "what changed", the analyst brief runs over 14 pages until its print leaves the matrix to
    the HTML edition; the print says so, and the HTML edition still shows the matrix."""
    from pypdf import PdfReader

    from analysis.brief.compose import MATRIX_IN_HTML

    text = " ".join(p.extract_text() for p in PdfReader(briefs["analyst"]["pdf"]).pages)
    assert " ".join(MATRIX_IN_HTML.split()[:6]) in " ".join(text.split())
    doc = soup(briefs["analyst"]["html"].read_text(encoding="utf-8"))
    assert doc.select_one("figure.matrix") is not None


def test_the_public_print_says_where_the_parts_it_left_out_are(briefs):
    from pypdf import PdfReader

    from analysis.brief.compose import TIMELINE_IN_HTML

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(briefs["public"]["pdf"]).pages).split())
    assert TIMELINE_IN_HTML in text
    assert "This print gives each source's publisher, date and site" in text.replace("’", "'")
    doc = soup(briefs["public"]["html"].read_text(encoding="utf-8"))
    assert doc.select_one("figure.timeline") is not None and doc.select_one("span.src-title") is not None


def test_a_print_within_its_budget_leaves_nothing_out(without_since):
    """Without "what changed" the analyst brief fits in 14 pages as it is: its print keeps the matrix."""
    from pypdf import PdfReader

    from analysis.brief.compose import MATRIX_IN_HTML

    reader = PdfReader(without_since["analyst"])
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert 6 <= len(reader.pages) <= 14 and " ".join(MATRIX_IN_HTML.split()[:6]) not in text
    assert "Positions of actors on each issue" in text  # the matrix's caption


@pytest.mark.parametrize("since", [None, "2025-08-19"])
def test_the_second_case_keeps_the_page_budgets(tmp_path, since):
    """The second real case at its default date, without and with a "what changed" section: analyst 6-14
    pages, public at most 2."""
    from pypdf import PdfReader

    case = "fukushima-treated-water"
    env = {**os.environ, "CASEBRIEF_REPORTS": str(tmp_path), "MPLBACKEND": "Agg"}
    env.pop("CASEBRIEF_CASES", None)
    run = subprocess.run([sys.executable, "-m", "analysis", "build", "--case", case,
                          *(["--since", since] if since else []), "--audience", "analyst,public",
                          "--format", "pdf", "--jobs", "2"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    pages = {a: len(PdfReader(next((tmp_path / case).glob(f"*-{a}*.pdf"))).pages)
             for a in ("analyst", "public")}
    assert 6 <= pages["analyst"] <= 14 and pages["public"] <= 2, pages


@pytest.fixture(scope="module")
def without_since(tmp_path_factory) -> dict[str, Path]:
    """The default case's analyst and public PDFs at the default date, without "what changed"."""
    reports = tmp_path_factory.mktemp("reports")
    env = {**os.environ, "CASEBRIEF_REPORTS": str(reports), "MPLBACKEND": "Agg"}
    env.pop("CASEBRIEF_CASES", None)
    run = subprocess.run([sys.executable, "-m", "analysis", "build", "--case", CASE, "--audience",
                          "analyst,public", "--format", "pdf", "--jobs", "2"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    found = {a: sorted((reports / CASE).glob(f"*-{a}*.pdf")) for a in ("analyst", "public")}
    assert all(len(v) == 1 for v in found.values()), found
    return {a: v[0] for a, v in found.items()}


def test_public_summary_keeps_to_two_pages_without_since(without_since):
    """At the default date and without a "what changed" section, the public summary is two A4 pages."""
    from pypdf import PdfReader

    reader = PdfReader(without_since["public"])
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) <= 2, f"public summary has {len(reader.pages)} A4 pages without since"
    from analysis.brief.compose import TIMELINE_IN_HTML

    # nothing left out: it fits as it is
    assert TIMELINE_IN_HTML not in text and "publisher, date and site" not in text


@pytest.mark.parametrize("audience, sections", [("analyst", ANALYST_SECTIONS), ("public", PUBLIC_SECTIONS)])
def test_bookmarks_follow_the_sections(briefs, audience, sections):
    outline = _outline(briefs[audience]["pdf"])
    titles = [t for _, t in outline]
    positions = [titles.index(s) for s in sections]
    assert positions == sorted(positions), titles
    assert titles[0].startswith("Two North Korean prisoners"), titles[:3]


@pytest.mark.parametrize("audience", ["analyst", "public"])
def test_built_html_outline_citations_and_figures(briefs, audience):
    doc = soup(briefs[audience]["html"].read_text(encoding="utf-8"))
    main = doc.find("main")
    assert len(doc.find_all("h1")) == 1 and main.find("h1") is not None  # the brief's own title block
    for nav in main.find_all("nav"):  # the template's table of contents, itself titled by an h2
        nav.decompose()
    check_outline(main)
    check_links(doc)
    check_tables(main)
    entries = {int(li["value"]) for li in doc.select("ol.source-list > li")}
    assert set(cited_numbers(main)) == entries == set(range(1, len(entries) + 1))
    for img in main.find_all("img"):
        assert len(img.get("alt", "")) > 40, img.get("alt")
    for svg in main.select("figure > svg"):
        assert len(svg.get("aria-label", "")) > 40, svg.get("aria-label")
