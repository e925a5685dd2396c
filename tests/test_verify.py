"""`casebrief verify`: a brief carries its evidence, and a rebuild from it is compared byte for byte.

One build of the mini case's analyst brief (HTML and PDF, with a publisher profile), then: the fresh PDF
and HTML verify as identical; a changed byte in a page stream, a replaced attachment and a truncated
file are each reported as not matching (exit 1); a random PDF and a PNG renamed .pdf are not briefs
(exit 2). No input gives a traceback.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # tier e2e (tests/conftest.py); the PDF tools' tests are tools

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 24), (31, 78, 121)).save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


def _env(cases: Path, reports: Path) -> dict[str, str]:
    env = dict(os.environ, CASEBRIEF_CASES=str(cases), CASEBRIEF_REPORTS=str(reports), MPLBACKEND="Agg")
    env.pop("CASEBRIEF_DEBUG", None)
    return env


def _casebrief(args: list[str], cases: Path, reports: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], env=_env(cases, reports),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("verify")
    cases, reports = base / "cases", base / "reports"
    shutil.copytree(MINI, cases / "mini")
    (cases / "logo.png").write_bytes(PNG)
    (cases / "publisher.yaml").write_text(
        "name: Example Policy Desk\nshort_name: EPD\nlogo: logo.png\ncolour: '#1f4e79'\n"
        "contact: briefs@example.org\nlicence: CC-BY-4.0\nmarking: For public release\n", encoding="utf-8")
    run = _casebrief(["build", "--case", "mini", "--audience", "analyst"], cases, reports)
    assert run.returncode == 0, run.stdout + run.stderr
    return {"cases": cases, "reports": reports, "pdf": reports / "mini" / "mini-analyst.pdf",
            "html": reports / "mini" / "mini-analyst.html", "base": base}


def _verify(path: Path, built) -> subprocess.CompletedProcess:
    # verify reads only the file: no case folder, no reports, an empty data directory
    empty = built["base"] / "nothing"
    empty.mkdir(exist_ok=True)
    return _casebrief(["verify", str(path)], empty, empty / "reports")


@pytest.mark.tools
def test_pdf_carries_data_package_and_build_record(built):
    listed = subprocess.run(["pdfdetach", "-list", str(built["pdf"])], capture_output=True, text=True)
    names = listed.stdout
    assert "casebrief-manifest.json" in names
    for f in ("case.yaml", "events.csv", "sources.csv", "datapackage.json"):
        assert f"data/{f}" in names
    assert "publisher/publisher.yaml" in names and "publisher/logo.png" in names
    from pypdf import PdfReader

    reader = PdfReader(str(built["pdf"]))
    entry = json.loads(reader.attachments["casebrief-manifest.json"][0])
    assert entry["parameters"]["case"] == "mini" and entry["path"] == "mini-analyst.pdf"
    assert "data/events.csv" in entry["inputs"] and "publisher/publisher.yaml" in entry["inputs"]
    events = (MINI / "events.csv").read_bytes()
    assert reader.attachments["data/events.csv"][0] == events


@pytest.mark.tools
def test_pdf_is_pdfa3_with_publisher_metadata(built):
    from pypdf import PdfReader

    reader = PdfReader(str(built["pdf"]))
    assert reader.metadata["/Author"] == "Example Policy Desk"
    assert "creativecommons.org/licenses/by/4.0" in reader.metadata["/Rights"]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<dc:language><rdf:Bag><rdf:li>en</rdf:li>" in xmp and "<dc:title>" in xmp
    assert "Example Policy Desk" in xmp
    check = subprocess.run(["qpdf", "--check", str(built["pdf"])], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.tools
def test_marking_and_short_name_print_on_every_page(built):
    text = subprocess.run(["pdftotext", "-layout", str(built["pdf"]), "-"], capture_output=True,
                          text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        assert "FOR PUBLIC RELEASE" in page.upper(), f"page {i} lacks the handling marking"
        assert "EPD" in page, f"page {i} lacks the publisher's short name"
    assert "Creative Commons Attribution 4.0 International" in pages[0]


def test_fresh_pdf_and_html_verify_as_identical(built):
    for path in (built["pdf"], built["html"]):
        run = _verify(path, built)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "verified: identical" in run.stdout
        assert "Traceback" not in run.stdout + run.stderr


def _content_stream_offset(data: bytes) -> int:
    """Where the first page's content stream's bytes start in the file."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    ref = reader.pages[0].get("/Contents")
    ref = ref[0] if isinstance(ref, list) else ref
    marker = f"\n{ref.idnum} 0 obj".encode()
    at = data.index(marker)
    return data.index(b"stream", data.index(b">>", at)) + len(b"stream\n")


def test_a_changed_byte_in_a_page_stream_does_not_match(built, tmp_path):
    data = bytearray(built["pdf"].read_bytes())
    at = _content_stream_offset(bytes(data)) + 40
    data[at] ^= 0x01
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(bytes(data))
    run = _verify(edited, built)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "not matching" in run.stderr and "page 1" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_replaced_attachment_does_not_match(built, tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(built["pdf"])))
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        if names[i] == "data/events.csv":
            stream = names[i + 1].get_object()["/EF"][NameObject("/F")].get_object()
            stream.set_data(stream.get_data().replace(b"2025", b"2024", 1))
    out = io.BytesIO()
    writer.write(out)
    edited = tmp_path / "replaced.pdf"
    edited.write_bytes(out.getvalue())
    run = _verify(edited, built)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "events.csv: changed since the build" in run.stderr


def test_a_truncated_brief_does_not_match(built, tmp_path):
    data = built["pdf"].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    run = _verify(cut, built)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "not matching" in run.stderr and "Traceback" not in run.stderr


def test_strangers_are_not_briefs(built, tmp_path):
    from weasyprint import HTML

    plain = tmp_path / "random.pdf"
    plain.write_bytes(HTML(string="<p>Just a PDF.</p>").write_pdf())
    png = tmp_path / "picture.pdf"
    png.write_bytes(PNG)
    for path in (plain, png):
        run = _verify(path, built)
        assert run.returncode == 2, run.stdout + run.stderr
        assert "not a casebrief brief" in run.stderr and "Traceback" not in run.stderr
