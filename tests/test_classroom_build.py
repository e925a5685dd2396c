"""End to end: `casebrief build --audience classroom` on the mini fixture case, at the advanced level.

Students get nothing of the solutions and teacher notes (handout HTML and PDF text, the student notebook
and its bundle), the instructor guide gets all of it; both PDFs have bookmarks and page numbers and
number the exercises alike; the student notebook runs under papermill from a clean folder, with the case
found by package path or shipped next to it.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis.case import load_case
from analysis.classroom.lesson import Classroom
from analysis.session import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import checks  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
NAME = "mini-classroom-advanced"


def _env(cases: Path, reports: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, CASEBRIEF_CASES=str(cases), MPLBACKEND="Agg")
    if reports is not None:
        env["CASEBRIEF_REPORTS"] = str(reports)
    env.pop("CASEBRIEF_VALIDATED", None)
    return env


def _build(cases: Path, reports: Path, *extra: str) -> subprocess.CompletedProcess:
    args = ["--case", "mini", "--audience", "classroom", "--level", "advanced", *extra]
    return subprocess.run([sys.executable, "-m", "analysis", "build", *args], env=_env(cases, reports),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


_BLOCK = re.compile(r"</?(?:p|li|ul|ol|td|th|tr|table|div|h[1-6]|pre|br|section|header|figure|figcaption|"
                    r"blockquote|caption|nav|main|footer)\b[^>]*>", re.I)


def _lines(html: str) -> list[str]:
    """The text of each block of an HTML page or fragment (paragraph, list item, table cell...)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", _BLOCK.sub("\n", html)))
    return [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]


def _text(html: str) -> str:
    return " ".join(_lines(html))


def _squash(text: str) -> str:
    """Text without whitespace or hyphens, in lower case: PDF line breaks and caps cannot hide a match."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", text).casefold()  # hyphens too: pdftotext drops some


def _pdf_text(path: Path) -> str:
    return checks.pdftotext(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("classroom")
    cases, reports = base / "cases", base / "reports"
    shutil.copytree(MINI, cases / "mini")
    run = _build(cases, reports)
    assert run.returncode == 0, run.stdout + run.stderr
    out = reports / "mini"
    room = Classroom(Session.of(load_case(cases / "mini", validate=False)), level="advanced", draw=False)
    files = {k: out / f"{NAME}-{k}" for k in ("handout.html", "guide.html", "handout.pdf", "guide.pdf",
                                              "student.ipynb", "student.zip")}
    return {"cases": cases, "reports": reports, "dir": out, "room": room, "stdout": run.stdout, **files}


def _teacher_only(room: Classroom) -> list[str]:
    """Sentences of the solutions and teacher notes that no part students see contains."""
    kinds = [e.kind for e in room.exercises]
    student = _squash(_text("".join([room.title_block(), room.objectives(), room.narrative(),
                                     room.exercises_intro(), room.discussion(), room.sources(),
                                     *[room.exercise(k) for k in kinds]])))
    teacher = [room.lesson_plan(), room.discussion_notes(), room.answer_key(),
               *[room.solution(k) for k in kinds], *[room.teacher_note(k) for k in kinds]]
    assert all(teacher), "every instructor's part has content on the mini case"
    out = []
    for fragment in [*teacher, room.teacher_sources()]:  # further sources: only when solutions cite some
        for line in _lines(fragment):
            for piece in re.split(r"(?<=[.;?!])\s+", line):
                if len(piece) >= 25 and _squash(piece) not in student:
                    out.append(piece)
    return sorted(set(out))


def test_outputs_are_built_and_recorded(built):
    manifest = json.loads((built["dir"] / "manifest.json").read_text())
    for key in ("handout.html", "guide.html", "handout.pdf", "guide.pdf", "student.ipynb", "student.zip"):
        entry = manifest["outputs"][f"{NAME}-{key}"]
        assert entry["format"] == key and built[key].is_file()
        assert entry["parameters"] == {"case": "mini", "as_of": "2025-12-31", "level": "advanced"}
        assert "notebook/classroom.ipynb" in entry["inputs"]
        assert "package/classroom/classroom.css" in entry["inputs"]
    assert not (built["dir"] / ".debug").exists()


@pytest.mark.tools
def test_nothing_of_the_solutions_or_teacher_notes_reaches_students(built):
    secret = _teacher_only(built["room"])
    assert len(secret) > 30  # every solution, note, the plan, the key and the further sources
    handout_html = _squash(_text(built["handout.html"].read_text(encoding="utf-8")))
    handout_pdf = _squash(_pdf_text(built["handout.pdf"]))
    nb = json.loads(built["student.ipynb"].read_text(encoding="utf-8"))
    notebook = _squash(" ".join("".join(c["source"]) for c in nb["cells"]))
    with zipfile.ZipFile(built["student.zip"]) as zf:
        bundled = zf.read(f"{NAME}/{NAME}-student.ipynb")
    assert bundled == built["student.ipynb"].read_bytes()
    for name, text in (("handout HTML", handout_html), ("handout PDF", handout_pdf), ("notebook", notebook)):
        leaked = [s for s in secret if _squash(s) in text]
        assert not leaked, f"{name} shows instructor text: {leaked[:3]}"
    for word in ("Worked solution", "Teacher note", "Answer key", "Lesson plan"):
        assert _squash(word) not in handout_html and _squash(word) not in handout_pdf
    for cell in nb["cells"]:
        assert not {"solution", "teacher-note"} & set(cell["metadata"].get("tags", []))
        assert not cell.get("outputs") and cell.get("execution_count") is None


@pytest.mark.tools
def test_the_guide_has_all_of_it(built):
    secret = _teacher_only(built["room"])
    guide_html = _squash(_text(built["guide.html"].read_text(encoding="utf-8")))
    guide_pdf = _squash(_pdf_text(built["guide.pdf"]))
    for name, text in (("guide HTML", guide_html), ("guide PDF", guide_pdf)):
        missing = [s for s in secret if _squash(s) not in text]
        assert not missing, f"{name} lacks instructor text: {missing[:3]}"
    # and everything the students see (the table of contents aside: the guide's lists more)
    handout = re.sub(r"<nav\b.*?</nav>", "", built["handout.html"].read_text(encoding="utf-8"), flags=re.S)
    for line in _lines(handout):
        if len(line) > 25 and "Student handout" not in line:
            assert _squash(line) in guide_html, line


def _exercises(html: str) -> list[str]:
    return re.findall(r'<h3 id="exercise-\d+-title">(Exercise \d+\. [^<]+)</h3>', html)


def _outline(path: Path) -> list[str]:
    from pypdf import PdfReader

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(PdfReader(path).outline))


def test_exercises_are_numbered_alike_and_bookmarked(built):
    room = built["room"]
    expected = [f"Exercise {room.numbers[e.kind]}. {htmllib.escape(e.title, quote=False)}"
                for e in room.exercises]
    assert expected == [f"Exercise {i}. {e.title}" for i, e in enumerate(room.exercises, start=1)]
    handout = _exercises(built["handout.html"].read_text(encoding="utf-8"))
    guide = _exercises(built["guide.html"].read_text(encoding="utf-8"))
    assert handout == guide == expected
    plain = [htmllib.unescape(e) for e in expected]
    for which in ("handout.pdf", "guide.pdf"):
        outline = _outline(built[which])
        assert [t for t in outline if t.startswith("Exercise ")] == plain, which
        assert outline[0] == "Mini fixture case" and "Exercises" in outline and "Sources" in outline
    assert "Lesson plan" in _outline(built["guide.pdf"])
    assert "Lesson plan" not in _outline(built["handout.pdf"])


@pytest.mark.tools
def test_pdfs_have_page_numbers_and_name_their_edition(built):
    for which, label in (("handout.pdf", "Student handout"), ("guide.pdf", "Instructor guide")):
        from pypdf import PdfReader

        pages = PdfReader(built[which]).pages
        text = _pdf_text(built[which])
        assert f"Page 1 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text, which
        assert label in text, which
        other = "Instructor guide" if label == "Student handout" else "Student handout"
        assert other not in text, which
        info = PdfReader(built[which]).metadata
        assert info.title == "Mini fixture case" and label in info.subject


def test_a_second_build_does_nothing(built):
    run = _build(built["cases"], built["reports"])
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("nothing to do: 6 outputs up to date"), run.stdout + _changed(built)


def _changed(built) -> str:
    """Which inputs differ from the manifest (a rebuild while the package is being edited is expected)."""
    from analysis.manifest import input_hashes

    old = json.loads((built["dir"] / "manifest.json").read_text())["outputs"][f"{NAME}-guide.pdf"]["inputs"]
    new = input_hashes(built["cases"] / "mini", ROOT / "notebooks" / "classroom.ipynb")
    return "changed inputs: " + ", ".join(k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k))


def _papermill(notebook: Path, cwd: Path, cases: Path) -> dict:
    out = cwd / "executed.ipynb"
    run = subprocess.run([sys.executable, "-m", "papermill", "--cwd", str(cwd), str(notebook), str(out),
                          "--log-level", "ERROR", "--no-progress-bar"], env=_env(cases), capture_output=True,
                         text=True, timeout=300, cwd=cwd)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def _shown(nb: dict) -> str:
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    return " ".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)


@pytest.mark.notebook
def test_student_notebook_runs_from_a_clean_folder(built, tmp_path):
    """Only the .ipynb in an empty folder: the case is found by package path (here CASEBRIEF_CASES)."""
    notebook = tmp_path / built["student.ipynb"].name
    shutil.copy(built["student.ipynb"], notebook)
    nb = _papermill(notebook, tmp_path, built["cases"])
    shown = _shown(nb)
    assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    for e in built["room"].exercises:
        assert f"Exercise {built['room'].numbers[e.kind]}." in shown
    assert "Worked solution" not in shown and "Teacher note" not in shown


@pytest.mark.notebook
def test_student_bundle_runs_with_the_data_shipped_next_to_it(built, tmp_path):
    with zipfile.ZipFile(built["student.zip"]) as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / NAME
    assert (folder / "data" / "mini" / "datapackage.json").is_file() and (folder / "README.txt").is_file()
    nb = _papermill(folder / f"{NAME}-student.ipynb", folder, tmp_path / "no-cases-here")
    assert "Exercise 1." in _shown(nb)
