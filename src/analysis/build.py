"""``casebrief build``: execute the briefing notebook with papermill and render HTML and PDF briefs.

One *target* is one set of parameters (case, as-of date, audience...): one notebook run, rendered to
each requested format. The pipeline per target:

1. parameters are checked (:class:`~analysis.params.BriefParams`) before any kernel starts; the case
   is validated in the build process while the first kernel boots (an invalid case stops that kernel
   before it runs a cell), then each notebook loads it without validating again;
2. the up-to-date check hashes every input (data files, notebook, template, styles, the package's code)
   and compares with ``reports/<case>/manifest.json``; nothing stale means no work (and no import of
   papermill, pandas or matplotlib: this path must answer in well under half a second);
3. papermill runs the notebook (explicit working directory, a per-cell timeout); on failure the executed
   notebook is kept under ``reports/<case>/.debug/`` and the error names the cell;
4. :mod:`analysis.exporter` renders HTML, WeasyPrint prints that HTML to PDF;
5. each output is written to a temporary file in its folder and renamed over the old one, so a failed
   build leaves the previous good brief in place; the manifest is rewritten the same way.

Concurrency: a build holds an exclusive ``fcntl`` lock on ``reports/<case>/.lock`` from its up-to-date
check to its last manifest write. A second build of the same case waits, then finds the outputs up to
date. Outputs and manifest are also replaced atomically, so readers never see half a file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import BuildError, CasebriefError
from analysis.paths import NOTEBOOKS_DIR, reports_dir

if TYPE_CHECKING:
    from analysis.kernel import Kernel
    from analysis.params import BriefParams

NOTEBOOK = NOTEBOOKS_DIR / "briefing.ipynb"
FORMATS = ("html", "pdf")
DEFAULT_TIMEOUT = 300  # seconds per cell: a brief's slowest cell takes a few seconds
START_TIMEOUT = 60  # seconds for the kernel to start
#: Audiences with a notebook and outputs of their own, by the module that provides them (NOTEBOOK,
#: variants, formats, output_name and render: see analysis.classroom.edition).
EDITIONS = {"classroom": "analysis.classroom.edition"}


def edition(audience: str) -> Any:
    """The module of an audience that has its own notebook and outputs, else None."""
    name = EDITIONS.get(audience)
    if name is None:
        return None
    import importlib

    return importlib.import_module(name)


# -- planning ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """One notebook run: a case, resolved parameters and the formats wanted from it."""

    case_id: str
    case_dir: Path
    params: BriefParams
    name: str
    formats: tuple[str, ...]
    notebook: Path
    out_dir: Path

    def output(self, fmt: str) -> Path:
        # an edition's products are formats like "handout.pdf", written as "<name>-handout.pdf"
        stem, dot, ext = fmt.rpartition(".")
        return self.out_dir / (f"{self.name}-{stem}.{ext}" if dot else f"{self.name}.{fmt}")

    @property
    def debug_notebook(self) -> Path:
        return self.out_dir / ".debug" / f"{self.name}.ipynb"


def output_name(case_id: str, params: BriefParams, default_as_of: dt.date | None) -> str:
    """``<case>-<audience>``, plus a suffix for every parameter that differs from the default brief."""
    parts = [case_id, params.audience]
    if params.as_of and params.as_of != default_as_of:
        parts.append(f"asof-{params.as_of.isoformat()}")
    if params.since:
        parts.append(f"since-{params.since.isoformat()}")
    if params.issues:
        parts.append("issues-" + "+".join(params.issues))
    if params.title:
        import hashlib

        parts.append("title-" + hashlib.sha256(params.title.encode()).hexdigest()[:8])
    return "-".join(parts)


def plan(
    case: str | None = None,
    *,
    as_of: object = None,
    since: object = None,
    audiences: Sequence[str] | None = None,
    issues: object = None,
    title: str | None = None,
    formats: Sequence[str] = FORMATS,
    notebook: Path = NOTEBOOK,
    level: str | None = None,
) -> list[Target]:
    """Check the parameters and list the targets (no kernel, no heavy import)."""
    from analysis.params import AUDIENCES, BriefParams, case_folder, default_as_of

    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise CasebriefError(f"unknown format {', '.join(bad) or '(none)'}; formats: {', '.join(FORMATS)}")
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise BuildError(f"notebook {notebook} does not exist")
    targets = []
    for audience in audiences or list(AUDIENCES):
        values: dict[str, Any] = {"audience": audience}
        for key, value in (("case", case), ("as_of", as_of), ("since", since), ("issues", issues),
                           ("title", title)):
            if value is not None:
                values[key] = value
        ed = edition(audience)
        if ed is not None:
            targets += _edition_targets(ed, values, level, formats, notebook)
            continue
        params = BriefParams.parse(**values)
        folder = case_folder(params.case)
        meta = case_meta(folder)
        params = params.resolved(meta)
        case_id = str(meta.get("id") or folder.name)
        name = output_name(case_id, params, default_as_of(meta))
        out_dir = reports_dir() / case_id
        if params.since is None:
            # "what changed" defaults to the previous brief's date (analysis.brief reads it from the
            # manifest); fixed here, it becomes a recorded parameter instead of hidden state
            baseline = previous_as_of(out_dir, name, params)
            if baseline:
                params = params.model_copy(update={"since": baseline})
        targets.append(Target(
            case_id=case_id, case_dir=folder, params=params, name=name, formats=formats, notebook=notebook,
            out_dir=out_dir,
        ))
    return targets


def _edition_targets(ed: Any, values: dict[str, Any], level: str | None, formats: tuple[str, ...],
                     notebook: Path) -> list[Target]:
    """The targets of an audience with its own notebook: one per variant (e.g. per classroom level)."""
    from analysis.params import case_folder, default_as_of

    folder = case_folder(values.get("case"))
    meta = case_meta(folder)
    case_id = str(meta.get("id") or folder.name)
    out = []
    for params in ed.variants(values, level, meta):
        out.append(Target(
            case_id=case_id, case_dir=folder, params=params,
            name=ed.output_name(case_id, params, default_as_of(meta)), formats=ed.formats(formats),
            notebook=ed.NOTEBOOK if notebook == NOTEBOOK.resolve() else notebook,
            out_dir=reports_dir() / case_id,
        ))
    return out


_META_CACHE: dict[tuple[Path, int, int], dict] = {}


def case_meta(folder: Path) -> dict:
    """``case.yaml`` of a case, read once per build (the safe loader is slow on a large file)."""
    from analysis.params import read_case_yaml

    st = (folder / "case.yaml").stat()
    key = (folder, st.st_mtime_ns, st.st_size)
    if key not in _META_CACHE:
        _META_CACHE[key] = read_case_yaml(folder)
    return _META_CACHE[key]


def previous_as_of(out_dir: Path, name: str, params: BriefParams) -> dt.date | None:
    """The as-of date of the previous brief of this case and audience, from the manifest.

    Stable across rebuilds: an output already built for this as-of date keeps the baseline it was
    built with; otherwise the latest earlier as-of date among the case's briefs for this audience.
    """
    from analysis.manifest import read_manifest

    outputs = read_manifest(out_dir).get("outputs", {})
    own = [e.get("parameters", {}) for e in outputs.values() if Path(str(e.get("path", ""))).stem == name]
    for p in own:
        if p.get("as_of") == params.as_of.isoformat():
            return _iso(p.get("since"))
    earlier = []
    for entry in outputs.values():
        p = entry.get("parameters", {})
        when = _iso(p.get("as_of"))
        if p.get("audience") == params.audience and when and when < params.as_of:
            earlier.append(when)
    return max(earlier) if earlier else None


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# -- up-to-date check ----------------------------------------------------------------------------------
@dataclass
class CaseInputs:
    """Hashes shared by every target of a case (computed once per build)."""

    inputs: dict[str, str]
    versions: dict[str, str]
    epoch: int


def case_inputs(target: Target) -> CaseInputs:
    from analysis.manifest import input_hashes, versions

    return CaseInputs(input_hashes(target.case_dir, target.notebook), versions(),
                      source_date_epoch(case_meta(target.case_dir)))


def source_date_epoch(meta: dict) -> int:
    """``case.yaml``'s ``updated`` date as a Unix time (midnight UTC): the date stamped in every output."""
    value = meta.get("updated")
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        day = dt.date(2000, 1, 1)  # a fixed date still gives identical rebuilds
    if isinstance(day, dt.datetime):
        day = day.date()
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def stale_formats(target: Target, shared: CaseInputs, manifest: dict, force: bool) -> tuple[str, ...]:
    """The formats of ``target`` whose output is missing, altered or built from other inputs."""
    from analysis.manifest import fingerprint, sha256_file

    out = []
    for fmt in target.formats:
        path = target.output(fmt)
        entry = manifest.get("outputs", {}).get(path.name)
        fp = fingerprint(target.params.notebook_values(), fmt, shared.inputs, shared.versions)
        if force or not entry or entry.get("fingerprint") != fp or not path.is_file():
            out.append(fmt)
        elif entry.get("sha256") != sha256_file(path):  # edited or damaged by hand
            out.append(fmt)
    return tuple(out)


# -- running one target (in this process or a worker) --------------------------------------------------
@dataclass
class Result:
    """What one target produced: per format its path, sha256 and size; or the error."""

    target: Target
    formats: tuple[str, ...]
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None


def run_target(target: Target, formats: tuple[str, ...], epoch: int, timeout: int,
               validated: str | None = None, kernel: Kernel | None = None,
               after_execute: Callable[[], None] | None = None) -> Result:
    """Execute, render and write one target. Never raises: the error is in ``Result.error``.

    ``kernel`` is an already started kernel (else one is started here); ``after_execute`` runs once the
    notebook has run, before rendering (the sequential build starts the next target's kernel there).
    """
    started = time.perf_counter()
    try:
        outputs = _run(target, formats, epoch, timeout, validated, kernel, after_execute)
        return Result(target, formats, outputs, time.perf_counter() - started)
    except CasebriefError as exc:
        return Result(target, formats, {}, time.perf_counter() - started, str(exc))
    except Exception as exc:  # an unforeseen failure still names the brief, without a traceback
        return Result(target, formats, {}, time.perf_counter() - started,
                      f"{target.name}: {type(exc).__name__}: {exc}")


def kernel_environment(epoch: int, validated: str | None) -> dict[str, str]:
    """The kernel's environment: fixed dates for any format that stamps one, no hash randomness."""
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH=str(epoch), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env.pop("CASEBRIEF_VALIDATED", None)
    if validated:
        env["CASEBRIEF_VALIDATED"] = validated
    return env


def start_kernel(target: Target, epoch: int, validated: str | None) -> Kernel:
    """Start the python3 kernel for ``target`` (in its notebook's folder, with its environment)."""
    from analysis.kernel import Kernel

    try:
        return Kernel(cwd=target.notebook.parent, env=kernel_environment(epoch, validated))
    except Exception as exc:
        raise BuildError(
            f"{target.name}: the python3 kernel did not start: {type(exc).__name__}: {exc}"
        ) from None


def _run(target: Target, formats: tuple[str, ...], epoch: int, timeout: int, validated: str | None,
         kernel: Kernel | None, after_execute: Callable[[], None] | None) -> dict[str, dict[str, Any]]:
    kernel = kernel or start_kernel(target, epoch, validated)
    prefetch = _Prefetch(any(f.endswith("pdf") for f in formats))
    try:
        nb = execute(target, timeout, kernel)
    finally:
        kernel.stop()
        if after_execute:
            after_execute()
    prefetch.join()
    from analysis.exporter import CasebriefHTMLExporter, html_to_pdf
    from analysis.manifest import atomic_write, sha256_bytes

    ed = edition(target.params.audience)
    if ed is not None:
        payloads = ed.render(target, nb, formats, epoch)
    else:
        resources = {"metadata": {"name": target.name}}
        html, _ = CasebriefHTMLExporter().from_notebook_node(nb, resources=resources)
        payloads = {"html": html.encode("utf-8")}
    if "pdf" in formats:
        try:
            payloads["pdf"] = html_to_pdf(html)
        except Exception as exc:
            raise BuildError(f"{target.name}: printing the PDF failed: {type(exc).__name__}: {exc}") from None
    outputs = {}
    for fmt in formats:
        data = payloads[fmt]
        atomic_write(target.output(fmt), data)
        outputs[fmt] = {"sha256": sha256_bytes(data), "bytes": len(data)}
    return outputs


class _Prefetch:
    """Import the renderers in a thread while the kernel runs (the build process is idle meanwhile)."""

    def __init__(self, pdf: bool):
        import threading

        self._thread = threading.Thread(target=self._load, args=(pdf,), daemon=True)
        self._thread.start()

    @staticmethod
    def _load(pdf: bool) -> None:
        with contextlib.suppress(Exception):
            import analysis.exporter  # noqa: F401  (nbconvert)

            if pdf:
                import weasyprint  # noqa: F401

    def join(self) -> None:
        self._thread.join()


def execute(target: Target, timeout: int, kernel: Kernel):
    """Run the notebook with papermill on ``kernel``; raise BuildError naming the cell on failure."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    debug = target.debug_notebook
    debug.parent.mkdir(parents=True, exist_ok=True)
    partial = debug.with_name(debug.stem + ".partial.ipynb")
    try:
        nb = pm.execute_notebook(
            str(target.notebook), str(partial),
            parameters=target.params.notebook_values(),
            kernel_name="python3",
            cwd=str(target.notebook.parent),
            execution_timeout=timeout,
            start_timeout=START_TIMEOUT,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=True,
            km=kernel.km,
        )
    except PapermillExecutionError as exc:
        os.replace(partial, debug)
        raise BuildError(_cell_failure(target, debug, exc)) from None
    except KeyboardInterrupt:  # the user stops the whole build, not just this brief
        _keep(partial, debug)
        raise
    except BaseException as exc:
        kept = _keep(partial, debug)
        raise BuildError(_kernel_failure(target, kept, exc, timeout, kernel.log_tail())) from None
    partial.unlink(missing_ok=True)
    debug.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        debug.parent.rmdir()  # only when empty: other briefs' debug notebooks stay
    return nb


def _keep(partial: Path, debug: Path) -> Path | None:
    if partial.is_file():
        os.replace(partial, debug)
        return debug
    return None


def _source_cells(notebook: Path) -> list[dict]:
    import json

    with open(notebook, encoding="utf-8") as fh:
        return json.load(fh).get("cells", [])


def _cell_label(notebook: Path, cell_id: str | None, source: str) -> str:
    """'cell 3 (`show(brief.summary())`)': the index in the notebook as committed (no injected cell)."""
    index = None
    for i, cell in enumerate(_source_cells(notebook)):
        if cell_id and cell.get("id") == cell_id:
            index = i
            break
    first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    if len(first) > 70:
        first = first[:67] + "..."
    where = f"cell {index}" if index is not None else "a cell"
    return f"{where} (`{first}`)"


def _cell_failure(target: Target, debug: Path, exc) -> str:
    import re

    cell_id = None
    with contextlib.suppress(Exception):
        # papermill puts an error banner cell at the top of the saved notebook: find the failed cell
        # by its error output rather than by index
        for cell in _source_cells(debug):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                cell_id = cell.get("id")
    tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(exc.traceback or []))
    frames = re.findall(r"File (\S+?):(\d+), in ([^\s(]+)", tb)
    where = ""
    if frames:
        path, line, func = frames[-1]
        where = f"\n  raised in {_short(path)} line {line}, in {func}"
    return (
        f"{target.name}: {_rel(target.notebook)} failed in "
        f"{_cell_label(target.notebook, cell_id, exc.source)}\n"
        f"  {exc.ename}: {exc.evalue}{where}\n"
        f"  executed notebook kept at {_rel(debug)}"
    )


def _kernel_failure(target: Target, debug: Path | None, exc: BaseException, timeout: int, log: str) -> str:
    name = type(exc).__name__
    cell = ""
    if debug is not None:
        with contextlib.suppress(Exception):
            for c in _running_cells(debug):
                cell = f" in {_cell_label(target.notebook, c.get('id'), ''.join(c.get('source', '')))}"
    if name == "CellTimeoutError" or isinstance(exc, TimeoutError):
        what = f"timed out{cell}: no result after {timeout} s (the kernel hung or is too slow; --timeout)"
    elif name == "DeadKernelError":
        what = f"kernel died{cell} (it crashed or was killed)"
    elif isinstance(exc, KeyboardInterrupt):
        what = f"interrupted{cell}"
    elif "Kernel didn't respond" in str(exc) or "kernel" in str(exc).lower():
        what = f"kernel failed to start or answer{cell}: {name}: {exc}"
    else:
        what = f"execution failed{cell}: {name}: {exc}"
    kept = f"\n  executed notebook kept at {_rel(debug)}" if debug else ""
    if log and name == "DeadKernelError":
        kept += "\n  kernel log:\n" + _indent(_indent(log))
    return f"{target.name}: {_rel(target.notebook)} {what}{kept}"


def _running_cells(debug: Path) -> Iterator[dict]:
    """The cell that was running when the kernel died or hung: the last one papermill started."""
    started = [c for c in _source_cells(debug)
               if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    if started:
        yield started[-1]


def _rel(path: Path | None) -> str:
    if path is None:
        return ""
    for base in (Path.cwd(),):
        with contextlib.suppress(ValueError):
            return str(path.resolve().relative_to(base))
    return str(path)


def _short(path: str) -> str:
    marker = "/src/analysis/"
    return "analysis/" + path.split(marker, 1)[1] if marker in path else path


# -- the build ----------------------------------------------------------------------------------------
@dataclass
class Report:
    built: list[Result] = field(default_factory=list)
    failed: list[Result] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@contextlib.contextmanager
def case_lock(out_dir: Path, say=None) -> Iterator[None]:
    """Hold ``reports/<case>/.lock`` exclusively; wait (and say so) while another build holds it."""
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say(f"waiting for another build of {out_dir.name} to finish...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        # A build killed mid-write leaves its temporary file (".<output>.<random>.tmp"). Every write into
        # this folder happens under this lock, so once we hold it any such file is stale.
        for stale in out_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(
    targets: Sequence[Target],
    *,
    force: bool = False,
    jobs: int = 1,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Report:
    """Bring every target up to date. Returns what was built, what failed and what was already current."""
    progress = progress or Progress(stream=sys.stdout)
    report = Report()
    by_case: dict[Path, list[Target]] = {}
    for t in targets:
        by_case.setdefault(t.out_dir, []).append(t)
    with contextlib.ExitStack() as stack:
        for out_dir in sorted(by_case):
            stack.enter_context(case_lock(out_dir, progress.note))
        todo: list[tuple[Target, tuple[str, ...], int]] = []
        shared_by_case: dict[tuple[Path, Path], CaseInputs] = {}
        from analysis.manifest import read_manifest

        for out_dir, group in by_case.items():
            manifest = read_manifest(out_dir)
            for t in group:
                if (out_dir, t.notebook) not in shared_by_case:  # hashed once per case and notebook
                    shared_by_case[(out_dir, t.notebook)] = case_inputs(t)
                shared = shared_by_case[(out_dir, t.notebook)]
                formats = stale_formats(t, shared, manifest, force)
                report.up_to_date += [t.output(f) for f in t.formats if f not in formats]
                if formats:
                    todo.append((t, formats, shared.epoch))
        if not todo:
            return report
        from analysis.manifest import data_digest

        digests = {d: data_digest(d)[0] for d in sorted({t.case_dir for t, _, _ in todo})}
        sequential = jobs <= 1 or len(todo) == 1
        first = None
        if sequential:  # the first kernel starts while the case is validated
            t0, _, epoch0 = todo[0]
            first = start_kernel(t0, epoch0, digests[t0.case_dir])
        try:
            _validate_cases(digests)
        except BaseException:
            if first:
                first.stop()
            raise
        progress.start(len(todo))
        try:
            for result in _execute_all(todo, jobs, timeout, digests, progress, first):
                if result.error:
                    report.failed.append(result)
                else:
                    report.built.append(result)
                    _record(result, shared_by_case[(result.target.out_dir, result.target.notebook)])
                progress.done(result)
        finally:
            progress.stop()
    return report


def _validate_cases(digests: dict[Path, str]) -> None:
    """Validate each case once, in the build process, before any notebook runs."""
    try:
        from analysis.validate import validate_case
    except ImportError:  # a checkout without the validator: the notebook loads the case as it is
        return
    for case_dir in digests:
        validate_case(case_dir)


def _execute_all(todo, jobs: int, timeout: int, digests: dict[Path, str], progress: Progress,
                 first: Kernel | None):
    if jobs <= 1 or len(todo) == 1:
        kernels: list[Kernel | None] = [first]
        for i, (t, formats, epoch) in enumerate(todo):
            nxt = todo[i + 1] if i + 1 < len(todo) else None

            def start_next(nxt=nxt) -> None:
                # the next notebook's kernel boots on the other core while this brief is rendered
                if nxt is not None:
                    with contextlib.suppress(BuildError):
                        kernels.append(start_kernel(nxt[0], nxt[2], digests.get(nxt[0].case_dir)))

            kernel = kernels.pop() if kernels else None
            progress.begin(t, formats)
            yield run_target(t, formats, epoch, timeout, digests.get(t.case_dir), kernel, start_next)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
        pending = {}
        for t, formats, epoch in todo:
            progress.begin(t, formats)
            pending[pool.submit(run_target, t, formats, epoch, timeout, digests.get(t.case_dir))] = t
        while pending:
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            progress.tick()
            for fut in done:
                pending.pop(fut)
                yield fut.result()


def _record(result: Result, shared: CaseInputs) -> None:
    """Add a built target's outputs to its case's manifest (read, merge, atomic write: under the lock)."""
    from analysis.manifest import fingerprint, read_manifest, relative_to_project, write_manifest

    t = result.target
    manifest = read_manifest(t.out_dir)
    manifest["case"] = t.case_id
    manifest["case_dir"] = relative_to_project(t.case_dir)
    values = t.params.notebook_values()
    for fmt, out in result.outputs.items():
        path = t.output(fmt)
        manifest["outputs"][path.name] = {
            "path": path.name,
            "format": fmt,
            "sha256": out["sha256"],
            "bytes": out["bytes"],
            "parameters": values,
            "notebook": relative_to_project(t.notebook),
            "inputs": shared.inputs,
            "versions": shared.versions,
            "source_date_epoch": shared.epoch,
            "fingerprint": fingerprint(values, fmt, shared.inputs, shared.versions),
        }
    write_manifest(t.out_dir, manifest)


# -- progress ----------------------------------------------------------------------------------------
class Progress:
    """One line per output when the stream is not a terminal; a live status line when it is."""

    def __init__(self, stream=None, quiet: bool = False):
        import threading

        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.quiet = quiet
        self.total = 0
        self.finished = 0
        self.running: dict[str, float] = {}
        self._width = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def note(self, text: str) -> None:
        with self._lock:
            self._clear()
            print(text, file=self.stream, flush=True)

    def start(self, total: int) -> None:
        import threading

        self.total = total
        if self.tty and self._ticker is None:  # redraw the elapsed times while a brief renders
            self._ticker = threading.Thread(target=self._tick_loop, daemon=True)
            self._ticker.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._clear()

    def _tick_loop(self) -> None:
        while not self._stop.wait(0.5):
            self.tick()

    def begin(self, target: Target, formats: tuple[str, ...]) -> None:
        self.running[target.name] = time.perf_counter()
        if not self.tty and not self.quiet:
            print(f"building {target.name} ({', '.join(formats)})", file=self.stream, flush=True)
        self.tick()

    def tick(self) -> None:
        if not self.tty or self._stop.is_set():
            return
        with self._lock:
            now = time.perf_counter()
            names = ", ".join(f"{n} {now - t0:.0f}s" for n, t0 in list(self.running.items()))
            filled = int(20 * self.finished / max(self.total, 1))
            line = f"[{'#' * filled}{'.' * (20 - filled)}] {self.finished}/{self.total} building {names}"
            line = line[: shutil_columns() - 1]
            self._clear()
            self.stream.write(line)
            self.stream.flush()
            self._width = len(line)

    def done(self, result: Result) -> None:
        self.running.pop(result.target.name, None)
        self.finished += 1
        with self._lock:
            self._clear()
            if result.error:
                print(f"FAILED {result.target.name} after {result.seconds:.1f} s\n{_indent(result.error)}",
                      file=self.stream, flush=True)
            elif not self.quiet:
                for fmt, out in result.outputs.items():
                    print(f"built {_rel(result.target.output(fmt))} ({out['bytes'] / 1024:.0f} KB) "
                          f"in {result.seconds:.1f} s", file=self.stream, flush=True)
        self.tick()

    def _clear(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0


def shutil_columns() -> int:
    import shutil

    return shutil.get_terminal_size((100, 20)).columns


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# -- command line ------------------------------------------------------------------------------------
def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", default=None, help="case id or folder (default: the default case)")
    p.add_argument("--as-of", default=None, metavar="DATE",
                   help="what was known on DATE (default: case.yaml)")
    p.add_argument("--since", default=None, metavar="DATE", help="start of the 'what changed' section")
    p.add_argument("--audience", default=None, help="one audience, or several separated by commas "
                   "(default: every audience)")
    p.add_argument("--issues", default=None, help="issue ids to cover, separated by commas (default: all)")
    p.add_argument("--title", default=None, help="title on the cover (default: the case title)")
    p.add_argument("--level", default=None, help="classroom edition level: introductory or advanced "
                   "(default: both)")
    p.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default: both)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="build N briefs at once (processes)")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--no-cache", action="store_true",
                   help="rebuild everything and redraw every chart (ignore the chart cache)")
    p.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on a notebook cell after SECONDS (default {DEFAULT_TIMEOUT})")
    p.add_argument("--notebook", type=Path, default=NOTEBOOK, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    audiences = [a.strip() for a in args.audience.split(",") if a.strip()] if args.audience else None
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    targets = plan(args.case, as_of=args.as_of, since=args.since, audiences=audiences, issues=args.issues,
                   title=args.title, formats=formats, notebook=args.notebook, level=args.level)
    if args.jobs < 1:
        raise CasebriefError("--jobs must be at least 1")
    if args.no_cache:  # the kernels inherit the environment; analysis.charts.cache reads it
        os.environ["CASEBRIEF_CHART_CACHE"] = "off"
    progress = Progress(stream=sys.stdout)
    report = build(targets, force=args.force or args.no_cache, jobs=args.jobs, timeout=args.timeout,
                   progress=progress)
    elapsed = time.perf_counter() - started
    if not report.built and not report.failed:
        folders = sorted({_rel(p.parent) for p in report.up_to_date})
        print(f"nothing to do: {len(report.up_to_date)} outputs up to date in {', '.join(folders)} "
              f"({elapsed:.2f} s; --force rebuilds)")
        return 0
    summary = f"{len(report.built)} built, {len(report.failed)} failed"
    if report.up_to_date:
        summary += f", {len(report.up_to_date)} outputs already up to date"
    print(f"{summary} ({elapsed:.1f} s)")
    if report.failed:
        print("previous outputs of the failed briefs were left untouched", file=sys.stderr)
        return BuildError.exit_code
    return 0
