"""The casebrief command: exit codes, messages without tracebacks, list, new-case, lazy imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli
from analysis.cli import main, register
from analysis.validate import check_case
from case_edits import BAD_INPUTS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cases(tmp_path, monkeypatch, case_copy, mini_path):
    """An empty-but-for-mini cases folder, used instead of data/cases/."""
    root = tmp_path / "cases"
    case_copy(mini_path)  # copies to tmp_path/cases/mini
    monkeypatch.setenv("CASEBRIEF_CASES", str(root))
    return root


def run_subprocess(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)


def test_validate_valid_case(cases, capsys):
    assert main(["validate", "mini"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("case 'mini' is valid: 6 events, 5 actors, 2 issues, 6 positions, "
                          "2 legal provisions, 5 sources, 2 quotes, 1 dispute (checked in ")
    assert out.count("\n") == 1


def test_validate_by_path(mini_path, capsys):
    assert main(["validate", str(mini_path)]) == 0
    assert "is valid" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_validate_bad_input_exits_2_with_the_report(name, cases, capsys):
    bad = BAD_INPUTS[name]
    bad.edit(cases / "mini")
    assert main(["validate", "mini"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("case 'mini' is not valid: ")
    assert bad.words in captured.err
    assert bad.file in captured.err
    if bad.row is not None:
        assert f"{bad.file} row {bad.row}" in captured.err
    if bad.value is not None:
        assert repr(bad.value) in captured.err
    assert "Traceback" not in captured.err


def test_bad_input_through_a_real_process(cases):
    for name in ("impossible month", "cp949 file", "missing case.yaml field", "duplicate id"):
        BAD_INPUTS[name].edit(cases / "mini")
    proc = run_subprocess("validate", "mini", env={"CASEBRIEF_CASES": str(cases)})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    report = proc.stderr
    assert report.startswith("case 'mini' is not valid: ")
    assert "events.csv row 3, column date: '2025-13-01' is not a real date (month must be 01-12)" in report
    assert "sources.csv: is not UTF-8 text (byte 0x" in report and "save it as 'CSV UTF-8'" in report
    assert "case.yaml, field main_issue: is missing" in report
    assert "actors.csv row 4, column id: 'state-a' is a duplicate" in report


@pytest.mark.parametrize("name, words", [
    ("nope", "unknown case 'nope'"),
    ("../../etc", "'..' is not allowed in a case name"),
    ("Bad_Case", "a case id is lowercase letters, digits and hyphens"),
])
def test_validate_unknown_or_escaping_case(name, words, cases, capsys):
    assert main(["validate", name]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_escaping_case_through_a_real_process():
    proc = run_subprocess("validate", "../../etc")
    assert proc.returncode == 2
    assert "'..' is not allowed in a case name" in proc.stderr and "Traceback" not in proc.stderr


def test_list(cases, capsys):
    (cases / "not-a-case").mkdir()
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "mini  Mini fixture case",
        "    period 2025-01-01 to 2025-12-31; 6 events, 5 actors, 6 positions, 5 sources",
    ]


def test_list_shows_a_broken_case_without_failing(cases, capsys):
    (cases / "mini" / "case.yaml").write_text("title: [unclosed\n")
    (cases / "mini" / "events.csv").write_bytes("id\nÉ\n".encode("latin-1"))
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "mini  (no title: case.yaml is missing or unreadable)" in out and "? events" in out


def test_list_with_no_cases(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIEF_CASES", str(tmp_path / "none"))
    assert main(["list"]) == 0
    assert "no cases in" in capsys.readouterr().out


def test_new_case_is_refused_while_example_rows_remain(cases, capsys):
    assert main(["new-case", "border-talks", "--title", "Border talks: 국경 회담"]) == 0
    out = capsys.readouterr().out
    assert f"created {cases / 'border-talks'}" in out and "casebrief validate border-talks" in out
    folder = cases / "border-talks"
    problems = check_case(folder).problems
    # every problem is an EXAMPLE left in place: one per example row, naming its file and row
    assert problems and all("EXAMPLE" in p.rule for p in problems), [str(p) for p in problems]
    rows = {(p.file, p.row) for p in problems if p.file.endswith(".csv")}
    assert ("events.csv", 2) in rows and ("dispute_claims.csv", 3) in rows and len(rows) == 10
    assert any(p.file == "case.yaml" and p.column == "question" for p in problems)
    assert main(["validate", "border-talks"]) == 2
    err = capsys.readouterr().err
    assert "events.csv row 2: is an EXAMPLE row from 'casebrief new-case'" in err
    meta = (folder / "case.yaml").read_text(encoding="utf-8")
    assert "id: border-talks" in meta and 'title: "Border talks: 국경 회담"' in meta
    package = (folder / "datapackage.json").read_text(encoding="utf-8")
    assert '"name": "border-talks"' in package and '"title": "Border talks: 국경 회담"' in package
    for table in ("sources", "actors", "issues", "events", "positions", "legal_provisions", "quotes",
                  "disputes"):
        lines = (folder / f"{table}.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2 and "EXAMPLE" in lines[1], table  # header and one marked example row
    assert not [p for p in cases.iterdir() if p.name.startswith(".")]  # no temporary folder left
    # the rows are otherwise valid: with the mark replaced, the case validates
    for path in folder.iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("EXAMPLE", "Sample"), encoding="utf-8")
    assert check_case(folder).problems == []


def test_new_case_refuses_existing_folder_and_bad_ids(cases, capsys):
    assert main(["new-case", "mini"]) == 2
    assert "already exists" in capsys.readouterr().err
    for bad in ("../escape", "Big Case", "", "x" * 65):
        assert main(["new-case", bad]) == 2
        err = capsys.readouterr().err
        assert "cannot create case" in err and "Traceback" not in err
    assert main(["new-case", "-x"]) == 2  # read as an option: argparse's usage error
    assert sorted(p.name for p in cases.iterdir()) == ["mini"]


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: casebrief" in capsys.readouterr().out


def test_help_and_usage_errors(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("validate", "list", "new-case"):
        assert name in out
    assert main(["validate", "a", "b"]) == 2  # argparse's own usage error
    assert main(["--version"]) == 0


@pytest.fixture
def extra_commands(monkeypatch):
    monkeypatch.setattr(cli, "COMMANDS", list(cli.COMMANDS))


def test_unexpected_error_is_one_line_and_exit_1(extra_commands, capsys, monkeypatch):
    def boom(args):
        raise RuntimeError("disk on fire")

    register("boom", "fail on purpose", lambda p: None, boom)
    monkeypatch.delenv("CASEBRIEF_DEBUG", raising=False)
    assert main(["boom"]) == 1
    err = capsys.readouterr().err
    assert "casebrief boom: unexpected error: RuntimeError: disk on fire" in err
    assert "CASEBRIEF_DEBUG=1" in err and "Traceback" not in err
    monkeypatch.setenv("CASEBRIEF_DEBUG", "1")
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["boom"])


def test_register_a_lazily_imported_command(extra_commands, capsys):
    def args(p):
        p.add_argument("words", nargs="*")

    register("echo", "print the words", args, "analysis.errors:Problem")  # any importable callable
    assert "echo" in [c.name for c in cli.COMMANDS]
    code = main(["echo", "x"])  # Problem(args) raises TypeError: reported as unexpected, exit 1
    assert code == 1 and "unexpected error: TypeError" in capsys.readouterr().err


def test_re_registering_replaces(extra_commands):
    register("list", "other", lambda p: None, lambda a: 0)
    assert [c.help for c in cli.COMMANDS if c.name == "list"] == ["other"]


def test_cli_start_and_validate_do_not_import_pandas(mini_path):
    code = (
        "import sys\n"
        "from analysis.cli import main\n"
        "main(['--help'])\n"
        "assert 'pandas' not in sys.modules and 'frictionless' not in sys.modules, 'heavy import at start'\n"
        f"assert main(['validate', {str(mini_path)!r}]) == 0\n"
        "assert 'pandas' not in sys.modules, 'validate imported pandas'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_console_script_entry_point():
    script = Path(sys.executable).parent / "casebrief"
    assert script.exists(), f"pip install did not create the casebrief script ({script})"
    proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "validate" in proc.stdout


@pytest.mark.parametrize("args, words", [
    (["--as-of", "2020-01-01"], "as_of 2020-01-01 is outside this case's range: "),
    (["--as-of", "2025-06-30", "--since", "2025-07-31"], "since 2025-07-31 must be before as_of 2025-06-30"),
])
def test_a_bad_date_is_refused_before_any_kernel_starts(args, words):
    """One sentence naming the valid range, exit 2, no traceback (the date rule, analysis.window)."""
    proc = run_subprocess("build", *args)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr and "(period start) to" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1
