"""Independent checks of what the build hands to readers: the default case's HTML and PDF briefs.

The briefs are checked by tools that know nothing of casebrief: the Nu Html Checker (validity), axe-core in
headless Chromium (accessibility, console errors, network requests), qpdf and poppler (PDF structure,
fonts, metadata, text). ``make check-tools`` installs them; ``make test`` runs it first.

The default case is built once per session into a temporary reports folder. When ``make briefs`` already
built it, its outputs are copied in first, so the build finds them fresh and does no work.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import checks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASE = "nk-pows-ukraine"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]+(?:[\s·-]?[\uac00-\ud7a3]+)*")
BUILD_TIMEOUT = 900


def _casebrief() -> list[str]:
    exe = Path(sys.executable).with_name("casebrief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis"]


# -- the build, once per session ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    """Build the default case (every audience, HTML and PDF) and return its outputs.

    Returns ``{"dir": Path, "html": [Path], "pdf": [Path], "manifest": dict}``.
    """
    reports = tmp_path_factory.mktemp("reports")
    made = ROOT / "reports" / DEFAULT_CASE
    if (made / "manifest.json").is_file():
        # what `make briefs` produced: the incremental build keeps what is still fresh
        shutil.copytree(made, reports / DEFAULT_CASE, symlinks=False)
    env = {**os.environ, "CASEBRIEF_REPORTS": str(reports), "MPLBACKEND": "Agg"}
    env.pop("CASEBRIEF_CASES", None)
    proc = subprocess.run(
        [*_casebrief(), "build"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT
    )
    assert proc.returncode == 0, f"casebrief build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    case_dir = reports / DEFAULT_CASE
    manifest = json.loads((case_dir / "manifest.json").read_text(encoding="utf-8"))
    outputs = _manifest_outputs(manifest, case_dir)
    htmls = sorted(p for p in outputs if p.suffix == ".html")
    pdfs = sorted(p for p in outputs if p.suffix == ".pdf")
    assert htmls and pdfs, f"the build listed no HTML or no PDF output in its manifest: {outputs}"
    return {"dir": case_dir, "html": htmls, "pdf": pdfs, "manifest": manifest}


def _manifest_outputs(manifest: dict, case_dir: Path) -> list[Path]:
    """Paths of the outputs the manifest lists (``outputs`` maps a name to a record with ``path``)."""
    found = [case_dir / item["path"] for item in manifest.get("outputs", {}).values()]
    missing = [p for p in found if not p.is_file()]
    assert not missing, f"the manifest lists outputs that do not exist: {missing}"
    return found


def _pairs(built: dict) -> list[tuple[Path, Path]]:
    """(HTML, PDF) of the same brief, matched by file stem."""
    by_stem = {p.stem: p for p in built["html"]}
    return [(by_stem[p.stem], p) for p in built["pdf"] if p.stem in by_stem]


class _Text(HTMLParser):
    """Visible text, headings and the root language of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[str] = []
        self.lang: str | None = None
        self._skip = 0
        self._nav = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("script", "style", "template", "head"):
            self._skip += 1
        if tag == "nav":
            self._nav += 1  # the contents list is navigation, not a section (a short brief may not print it)
        if tag in ("h1", "h2") and not self._nav:
            self._heading = []

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav = max(0, self._nav - 1)
        if tag in ("script", "style", "template", "head"):
            self._skip = max(0, self._skip - 1)
        if tag in ("h1", "h2") and self._heading is not None:
            text = " ".join("".join(self._heading).split()).rstrip("¶").strip()
            if text:
                self.headings.append(text)
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _parse(path: Path) -> _Text:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _squash(text: str) -> str:
    """Text compared without whitespace or soft hyphens, in NFC: line breaks differ between HTML and PDF."""
    return re.sub(r"[\s\u00ad\u200b]+", "", unicodedata.normalize("NFC", html.unescape(text)))


# -- HTML -------------------------------------------------------------------------------------------------


# A page that breaks every rule, checked in the same runs as the briefs: a checker that silently passes
# everything (a page that did not load, a changed report format) fails here instead of passing the briefs.
_CANARY = """<!DOCTYPE html><html><head><title>x</title>
<script src="https://cdn.example.invalid/require.js"></script></head>
<body><img src="x.png"><center>old</center><script>console.error("boom")</script></body></html>"""


@pytest.fixture(scope="session")
def canary(tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("canary") / "checker-canary.html"
    page.write_text(_CANARY, encoding="utf-8")
    return page


@pytest.fixture(scope="session")
def vnu_messages(built, canary) -> dict[str, list[dict]]:
    """vnu's errors per file name (one JVM start for every page)."""
    out: dict[str, list[dict]] = {p.name: [] for p in [*built["html"], canary]}
    for m in checks.vnu([*built["html"], canary]):
        out.setdefault(Path(m.get("url", "")).name, []).append(m)
    return out


@pytest.fixture(scope="session")
def axe_report(built, canary) -> dict:
    """axe.mjs's report on every brief and the canary (one Chromium start)."""
    report = checks.axe([*built["html"], canary])
    report["canary"] = report["pages"].pop()
    return report


@pytest.mark.slow
def test_checkers_catch_a_bad_page(vnu_messages, axe_report, canary):
    assert vnu_messages[canary.name], "vnu found nothing wrong with an invalid page"
    page = axe_report["canary"]
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in page["violations"]}
    assert any("boom" in e["text"] for e in page["consoleErrors"])
    assert any("cdn.example.invalid" in r["url"] for r in page["requests"])
    assert any(r["url"].endswith("/x.png") for r in page["requests"])


@pytest.mark.slow
def test_html_is_valid_per_the_nu_html_checker(vnu_messages, canary):
    errors = [m for name, ms in vnu_messages.items() if name != canary.name for m in ms]
    shown = "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in errors[:30]
    )
    assert not errors, f"{len(errors)} HTML errors:\n{shown}"


@pytest.mark.slow
def test_html_has_no_serious_accessibility_violations(axe_report):
    bad = [
        (Path(p["file"]).name, v["id"], v["impact"], v["nodes"], v["help"])
        for p in axe_report["pages"]
        for v in p["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "axe-core violations (page, rule, impact, nodes, help):\n" + "\n".join(map(str, bad))


@pytest.mark.slow
def test_html_opens_without_console_errors(axe_report):
    pages = axe_report["pages"]
    bad = [(Path(p["file"]).name, e) for p in pages for e in p["consoleErrors"] + p["pageErrors"]]
    assert not bad, f"console errors: {bad}"


@pytest.mark.slow
def test_html_is_self_contained(axe_report):
    bad = [(Path(p["file"]).name, r["url"]) for p in axe_report["pages"] for r in p["requests"]]
    assert not bad, f"the page requested other resources when opened: {bad}"


# -- PDF --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_structure_is_clean(built):
    for pdf in built["pdf"]:
        code, out = checks.qpdf_check(pdf)
        assert code == 0, f"qpdf --check {pdf.name} exited {code}:\n{out}"


@pytest.mark.slow
def test_pdf_passes_pdfbox_preflight_except_pdfa1_only_rules(built):
    """PDF/A-3b as far as Apache PDFBox can check it (see README: conformance)."""
    for pdf in built["pdf"]:
        findings = checks.preflight(pdf)
        counted = [f"{rule}: {msg[:160]}" for rule, msg in checks.pdfa3_findings(findings)]
        assert not counted, f"{pdf.name}: PDFBox preflight findings:\n" + "\n".join(counted)


@pytest.mark.slow
def test_pdf_declares_pdfa3_language_and_title_in_xmp(built):
    from pypdf import PdfReader

    for pdf in built["pdf"]:
        reader = PdfReader(str(pdf))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp, pdf.name
        assert "<dc:language>" in xmp and "<dc:title>" in xmp, pdf.name
        assert reader.attachments.get("casebrief-manifest.json"), f"{pdf.name} carries no build record"


@pytest.mark.slow
def test_pdf_embeds_every_font(built):
    for pdf in built["pdf"]:
        fonts = checks.pdffonts(pdf)
        assert fonts, f"{pdf.name} has no fonts"
        loose = [f["name"] for f in fonts if f.get("emb") != "yes"]
        assert not loose, f"{pdf.name}: fonts not embedded: {loose}"
        no_unicode = [f["name"] for f in fonts if f.get("uni") != "yes"]
        assert not no_unicode, f"{pdf.name}: fonts without a ToUnicode map (no text to extract): {no_unicode}"


@pytest.mark.slow
def test_pdf_metadata_has_title_and_language(built):
    for html_path, pdf in _pairs(built):
        info = checks.pdfinfo(pdf)
        assert info.get("Title"), f"{pdf.name}: no Title in the document info"
        assert info.get("Lang"), f"{pdf.name}: no /Lang in the document catalog"
        page = _parse(html_path)
        if page.lang:
            assert info["Lang"].lower().startswith(page.lang.split("-")[0].lower()), (
                f"{pdf.name}: /Lang {info['Lang']!r} differs from the HTML's lang {page.lang!r}"
            )


@pytest.mark.slow
def test_pdf_text_has_the_headings_and_korean_names(built):
    pairs = _pairs(built)
    assert pairs, "no PDF has an HTML brief of the same name to compare with"
    for html_path, pdf in pairs:
        text = checks.pdftotext(pdf)
        assert "\ufffd" not in text, f"{pdf.name}: replacement characters in the extracted text"
        flat = _squash(text)
        page = _parse(html_path)
        missing = [h for h in page.headings if _squash(h) not in flat]
        assert page.headings and not missing, f"{pdf.name}: headings not found in the PDF text: {missing}"
        hangul = sorted(set(HANGUL.findall(" ".join(page.text))))
        lost = [w for w in hangul if _squash(w) not in flat]
        assert not lost, f"{pdf.name}: Hangul in the HTML but not in the PDF text: {lost}"
    # The default case names the two men and many Korean actors in Hangul: some must reach every brief.
    for _, pdf in pairs:
        assert HANGUL.search(checks.pdftotext(pdf)), f"{pdf.name}: no Hangul at all in the PDF text"


# -- notebooks (cheap: no build needed) --------------------------------------------------------------------


@pytest.mark.unit
def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
@pytest.mark.unit
def test_notebook_is_valid_tagged_and_stripped(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)  # raises ValidationError against the nbformat JSON schema
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters' (need exactly one)"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {i} has outputs: strip them (nbstripout)"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
