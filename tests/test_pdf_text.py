"""Every PDF of a real build, read with a PDF text library: no text under 6.5 pt on any page (chart
text included), chart labels are text a reader can search and copy, and no chart is a raster image."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(p.parent.name for p in (ROOT / "data" / "cases").glob("*/case.yaml"))
MIN_PT = 6.5

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CASES, reason="no case in data/cases")]


@pytest.fixture(scope="module", params=CASES)
def built(request, tmp_path_factory) -> Path:
    """All editions of one case, built as ``casebrief build`` does by default."""
    reports = tmp_path_factory.mktemp("reports")
    env = {**os.environ, "CASEBRIEF_REPORTS": str(reports), "MPLBACKEND": "Agg"}
    env.pop("CASEBRIEF_CASES", None)
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--case", request.param, "--jobs", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return reports / request.param


def _size(char: dict) -> float:
    """The font size on paper; a rotated character's height runs along x (pdfminer's ``size`` is the
    height of its box, which for a vertical axis label is the glyph's advance)."""
    return char["size"] if char["upright"] else char["width"]


def _page_text(page) -> str:
    """The page's text, then its vertical text (an axis title read bottom to top) as runs."""
    rotated = sorted((c for c in page.chars if not c["upright"]), key=lambda c: (round(c["x0"]), -c["top"]))
    return (page.extract_text() or "") + "".join(c["text"] for c in rotated)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_no_text_under_6_5_points_and_no_raster_charts(built):
    pdfs = sorted(built.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            for number, page in enumerate(doc.pages, start=1):
                small = sorted(
                    {(round(_size(c), 2), c["text"]) for c in page.chars if _size(c) < MIN_PT - 1e-2}
                )
                assert not small, f"{pdf.name} page {number}: text under {MIN_PT} pt: {small[:10]}"
                assert not page.images, f"{pdf.name} page {number} holds a raster image"


def test_chart_labels_are_extractable_text(built):
    """Every word a printed chart shows in the HTML (its title, key-event labels, axes) is text in the PDF."""
    pdfs = sorted(built.glob("*.pdf"))
    checked = 0
    for pdf in pdfs:
        html = BeautifulSoup(pdf.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
        # figures of the HTML edition only (class html-only) are not in the print, by design
        printed = html.select("figure:not(.html-only) svg")
        labels = [t.get_text() for svg in printed for t in svg.find_all("text")]
        labels = [t for t in labels if t.strip()]
        if not labels:
            continue
        with pdfplumber.open(pdf) as doc:
            text = _squeeze("".join(_page_text(page) for page in doc.pages))
        missing = [t for t in labels if _squeeze(t) not in text]
        assert not missing, f"{pdf.name}: chart text not found as text: {missing[:10]}"
        checked += len(labels)
        if "-analyst" in pdf.name:
            timeline = html.select_one("figure#fig-timeline svg")
            titles = [g.get_text() for g in timeline.select('g[id="fig-timeline-title"]')]
            keys = [g.get_text() for g in timeline.select('g[id^="fig-timeline-key-label"]')]
            assert titles and all(_squeeze(t) in text for t in titles)
            assert keys and all(_squeeze(k) in text for k in keys)
    assert checked, "no chart text found in any HTML"
