"""A build killed at any point loses nothing, the next build recovers, and two builds at once agree.

A copy of the mini case is built once (the *old* good brief), then an input is edited and a build is
started and killed: while a cell of the notebook runs; with the new PDF complete in its temporary file but
not yet renamed (the new HTML already in place); and with every output renamed but the manifest not yet.
After the kill, every file of the brief in ``reports/`` is either the old version or the new complete one;
the next plain ``casebrief build`` (no ``--force``) finishes the job and leaves no temporary file behind.
A Ctrl-C while a cell runs stops the build cleanly with the old brief untouched.

Each build is held at its point by ``tests/tools/paused_build.py`` (a marker file says it is there), so the
kill or the Ctrl-C lands at that point on any machine, loaded or idle: no test waits on the clock.

Concurrency is handled by a lock (``reports/<case>/.lock``, held from the up-to-date check to the last
manifest write) plus atomic per-output writes; the last test starts two builds of one case at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import checks  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
PAUSED = ROOT / "tests" / "tools" / "paused_build.py"
BUILD = ["build", "--case", "mini", "--audience", "analyst"]
OUTPUTS = ("mini-analyst.html", "mini-analyst.pdf", "manifest.json")
WAIT = 240  # seconds to reach a kill point or finish a build on a loaded 2-core machine


def _cmd() -> list[str]:
    exe = Path(sys.executable).with_name("casebrief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis"]


def _env(base: Path) -> dict[str, str]:
    return {**os.environ, "CASEBRIEF_CASES": str(base / "cases"), "CASEBRIEF_REPORTS": str(base / "reports"),
            "MPLBACKEND": "Agg"}


def _build(base: Path, *extra: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([*_cmd(), *BUILD, *extra], cwd=ROOT, env=_env(base), capture_output=True, text=True,
                          timeout=WAIT)
    assert proc.returncode == 0, f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(out: Path) -> dict[str, str]:
    """sha256 of every file in a case's reports folder (relative name -> hash), the lock file aside."""
    return {p.relative_to(out).as_posix(): _sha(p) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def _is_temporary(name: str) -> bool:
    """A write in progress (``.<output>.<random>.tmp``) or a debug notebook: not an output."""
    return name.startswith(".debug/") or (Path(name).name.startswith(".") and name.endswith(".tmp"))


def _edit_inputs(case: Path) -> None:
    path = case / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Detainee C was detained.", "Detainee C was detained at a checkpoint."),
                    encoding="utf-8")


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    kids = [int(c) for c in fh.read().split()]
                out += kids
                todo += kids
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def _kill_tree(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Kill the build and everything it started (the kernel runs in a session of its own)."""
    kids = _descendants(proc.pid)
    for pid in [proc.pid, *kids]:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    proc.wait(timeout=60)


def _wait_for(predicate, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not predicate():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the build ended (exit {proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            _kill_tree(proc)
            pytest.fail(f"the build did not reach {what} in {WAIT} s")
        time.sleep(0.05)


def _paused(point: str, marker: Path, base: Path) -> subprocess.Popen:
    """Start the build held at ``point`` by tests/tools/paused_build.py (it creates ``marker`` there)."""
    return subprocess.Popen([sys.executable, str(PAUSED), point, str(marker), *BUILD], cwd=ROOT,
                            env=_env(base), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _wait_gone(pid: int, seconds: float = 30) -> None:
    """The process ``pid`` ends within ``seconds`` (it is being shut down, not yet reaped)."""
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"process {pid} was still running {seconds} s after the build stopped")
        time.sleep(0.05)


def _check_whole(out: Path) -> None:
    """Every output present is complete: the PDF parses, the HTML ends, the manifest is JSON."""
    html, pdf, manifest = (out / n for n in OUTPUTS)
    if pdf.exists():
        code, report = checks.qpdf_check(pdf)
        assert code == 0, f"{pdf.name} is damaged:\n{report}"
    if html.exists():
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"{html.name} is cut short"
    if manifest.exists():
        json.loads(manifest.read_text(encoding="utf-8"))


def _check_manifest(out: Path) -> dict:
    """The manifest lists every output with the sha256 of the file on disk."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["outputs"].items():
        assert _sha(out / entry["path"]) == entry["sha256"], f"manifest disagrees with {name}"
    return manifest


@pytest.fixture(scope="module")
def old_build(tmp_path_factory) -> Path:
    """A folder with cases/mini and reports/mini holding a good build of the unedited case."""
    base = tmp_path_factory.mktemp("interrupted-old")
    shutil.copytree(MINI, base / "cases" / "mini")
    _build(base)
    return base


def _fresh_copy(old_build: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    base = tmp_path / "b"
    shutil.copytree(old_build, base, symlinks=True)
    _edit_inputs(base / "cases" / "mini")
    return base, _files(base / "reports" / "mini")


# (WeasyPrint prints into memory after the notebook has run: a kill there leaves what a kill while a cell
# runs leaves, so "pdf-render" of tests/tools/paused_build.py is not repeated here.)
KILL_POINTS = ["cell-running", "pdf-replace", "manifest-replace"]


@pytest.mark.parametrize("point", KILL_POINTS)
@pytest.mark.tools
def test_killed_build_leaves_old_or_new_and_recovers(point, old_build, tmp_path):
    base, old = _fresh_copy(old_build, tmp_path)
    out = base / "reports" / "mini"
    assert set(OUTPUTS) <= set(old)
    marker = tmp_path / "reached"
    proc = _paused(point, marker, base)
    _wait_for(marker.exists, proc, point)
    held = int(marker.read_text(encoding="utf-8"))  # the kernel (cell-running) or the build itself
    _kill_tree(proc)
    _wait_gone(held)

    after = _files(out)
    _check_whole(out)
    outputs_after = {n: h for n, h in after.items() if not _is_temporary(n)}
    assert set(outputs_after) == set(old), f"outputs appeared or vanished: {set(outputs_after) ^ set(old)}"

    # the next plain build finishes the job
    proc2 = _build(base)
    new = _files(out)
    manifest = _check_manifest(out)
    leftovers = [n for n in new if _is_temporary(n)]
    assert not leftovers, f"temporary files left after the recovery build: {leftovers}"
    assert new["mini-analyst.html"] != old["mini-analyst.html"], f"the edit did not show:\n{proc2.stdout}"
    for name, digest in outputs_after.items():
        assert digest in (old[name], new[name]), f"{name} after the kill is neither the old nor the new one"
    assert set(manifest["outputs"]) == {"mini-analyst.html", "mini-analyst.pdf"}
    # and the build after that has nothing left to do
    again = _build(base)
    assert "nothing to do" in again.stdout, again.stdout


def test_interrupt_during_execution_stops_cleanly(old_build, tmp_path):
    """Ctrl-C (SIGINT to the build) while a cell runs: exit 130, old outputs untouched, the kernel gone."""
    base, old = _fresh_copy(old_build, tmp_path)
    out = base / "reports" / "mini"
    marker = tmp_path / "reached"
    proc = _paused("cell-running", marker, base)
    _wait_for(marker.exists, proc, "a running cell")
    kernel = int(marker.read_text(encoding="utf-8"))
    assert kernel in _descendants(proc.pid), "the marker was not written by the build's kernel"
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGUSR1)  # the held build prints every thread's stack, then is killed
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        _kill_tree(proc)
        stdout, stderr = proc.communicate()
        pytest.fail(f"the build did not stop within 60 s of Ctrl-C; where it was:\n{stderr[-6000:]}")
    assert proc.returncode == 130, f"exit {proc.returncode}:\n{stdout}\n{stderr}"
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
    after = _files(out)
    assert {n: h for n, h in after.items() if not n.startswith(".debug/")} == old
    _wait_gone(kernel)


def test_two_builds_at_once_agree(tmp_path):
    """Two builds of one case started together: both finish; the manifest holds both, hashes true."""
    base = tmp_path
    shutil.copytree(MINI, base / "cases" / "mini")
    env = _env(base)
    a = subprocess.Popen([*_cmd(), "build", "--case", "mini", "--audience", "analyst"], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    b = subprocess.Popen([*_cmd(), "build", "--case", "mini", "--audience", "analyst,public"], cwd=ROOT,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [(p, *p.communicate(timeout=WAIT * 2)) for p in (a, b)]
    for p, stdout, stderr in results:
        assert p.returncode == 0, f"{p.args}:\n{stdout}\n{stderr}"
    out = base / "reports" / "mini"
    manifest = _check_manifest(out)
    names = {f"mini-{audience}.{fmt}" for audience in ("analyst", "public") for fmt in ("html", "pdf")}
    assert set(manifest["outputs"]) == names
    assert not [n for n in _files(out) if _is_temporary(n)]
    # the analyst brief was built once: whichever build came second found it up to date
    built = sum(any(line.startswith("built ") and "mini-analyst.html" in line for line in stdout.splitlines())
                for _, stdout, _ in results)
    assert built == 1, [r[1] for r in results]


def test_ctrl_c_kills_the_build_kernels_at_once():
    """The build's Ctrl-C handler kills the kernels it started before raising, so nothing waits on a
    cell that will never answer, even when Python cannot raise the interrupt where it lands. A build
    started with Ctrl-C ignored (in the background) keeps ignoring it."""
    from analysis import kernel as K

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a background job
    k = K.Kernel()
    pid = k.km.provisioner.pid
    try:
        with K.stop_kernels_on_interrupt():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal's foreground
        with K.stop_kernels_on_interrupt():
            with pytest.raises(KeyboardInterrupt):
                signal.raise_signal(signal.SIGINT)  # the handler runs as this call returns
            assert K.INTERRUPTED.is_set()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # its handler is gone again
        _wait_gone(pid)
    finally:
        signal.signal(signal.SIGINT, before)
        k.stop()
        K.INTERRUPTED.clear()


def test_kernels_listen_on_addresses_of_their_own():
    """Two kernels started at once each listen on a Unix socket name of their own: no TCP port is
    chosen, freed and bound a second later, when anything else on the machine may have taken it (the
    kernel then died at start)."""
    from analysis import kernel as K

    kernels = [K.Kernel(), K.Kernel()]
    try:
        infos = [k.km.get_connection_info() for k in kernels]
        assert [i["transport"] for i in infos] == ["ipc", "ipc"]
        assert all(i["ip"].startswith("@casebrief-") for i in infos)  # abstract: no socket file
        assert infos[0]["ip"] != infos[1]["ip"]
        for k in kernels:
            client = k.km.blocking_client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                assert client.execute_interactive("x = 6 * 7", timeout=60)["content"]["status"] == "ok"
            finally:
                client.stop_channels()
    finally:
        for k in kernels:
            k.stop()
