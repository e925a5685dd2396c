"""The README's examples run as written: every ``casebrief`` command line of its fenced blocks exits 0.

The commands run in a scratch folder laid out like the project (``.venv`` linked to this one, the cases
copied, ``reports/`` empty), so relative paths such as ``reports/nk-pows-ukraine/...`` mean what the README
says. ``casebrief new-case my-case`` writes the documented scaffold, which ``validate`` refuses (exit 2)
until its EXAMPLE rows are replaced, as the README says; the build of ``my-case`` then runs on a filled-in
case (the mini fixture under that name). Commands run in README order; ``make`` lines are left out.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.S | re.M)

pytestmark = pytest.mark.slow


def readme_commands() -> list[str]:
    """Every ``casebrief`` command line in the README's fenced blocks, comments stripped, in order."""
    out = []
    for block in FENCE.findall(README.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip()
            if re.match(r"^(\.venv/bin/)?casebrief\s", line):
                out.append(line)
    return out


def test_the_readme_shows_the_commands_we_run():
    commands = readme_commands()
    assert any(c.split()[1:2] == ["build"] for c in commands), commands
    assert any(c.split()[1:2] == ["verify"] for c in commands), commands


def fill_in(case: Path, case_id: str) -> None:
    """Replace a scaffold with a filled-in case: the mini fixture, under the scaffold's name."""
    shutil.rmtree(case)
    shutil.copytree(MINI, case)
    meta = case / "case.yaml"
    text = re.sub(r"^id: .*$", f"id: {case_id}", meta.read_text(encoding="utf-8"), count=1, flags=re.M)
    meta.write_text(text, encoding="utf-8")
    assert yaml.safe_load(meta.read_text(encoding="utf-8"))["id"] == case_id


def test_every_readme_command_runs_as_written(tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    (work / ".venv").symlink_to(ROOT / ".venv")
    shutil.copytree(ROOT / "data" / "cases", work / "cases")
    env = {**os.environ, "CASEBRIEF_CASES": str(work / "cases"), "CASEBRIEF_REPORTS": str(work / "reports"),
           "MPLBACKEND": "Agg"}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    timings = []
    for command in readme_commands():
        argv = shlex.split(command)
        if argv[0] == "casebrief":
            argv[0] = str(ROOT / ".venv" / "bin" / "casebrief")
        start = time.perf_counter()
        run = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=1200)
        timings.append((command, time.perf_counter() - start))
        assert run.returncode == 0, f"{command}: exit {run.returncode}\n{run.stdout}{run.stderr}"
        if argv[1] == "new-case":
            # the scaffold is refused until its examples are replaced (README, "Add a case")
            name = argv[2]
            check = subprocess.run([argv[0], "validate", name], cwd=work, env=env, capture_output=True,
                                   text=True, timeout=300)
            said = check.stdout + check.stderr
            assert check.returncode == 2 and "EXAMPLE" in said, said
            fill_in(work / "cases" / name, name)
        if argv[1] == "verify":
            assert "verified: identical" in run.stdout, run.stdout
    print("\n" + "\n".join(f"{t:6.1f} s  {c}" for c, t in timings))
    # what the README says the builds write
    built = {p.name for p in (work / "reports").rglob("*") if p.suffix in (".html", ".pdf")}
    for name in ("nk-pows-ukraine-analyst.pdf", "nk-pows-ukraine-public.html", "my-case-public.pdf",
                 "nk-pows-ukraine-analyst-asof-2025-12-31-since-2025-06-30.pdf"):
        assert name in built, sorted(built)
    assert any(n.startswith("nk-pows-ukraine-classroom-") for n in built), sorted(built)
