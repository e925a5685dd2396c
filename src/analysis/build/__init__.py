"""``casebrief build``: execute each edition's notebook with papermill and render its outputs.

One *target* is one set of parameters (case, as-of date, audience...): one notebook run, rendered to
each requested format. The pipeline, a module per step:

1. :mod:`.plan`: parameters are checked before any kernel starts and each audience's edition
   (:data:`analysis.editions.EDITIONS`) lists its runs, notebook and outputs;
2. :mod:`.record`: under the case's lock, the up-to-date check hashes every input (data files,
   notebook, template, styles, the package's code) and compares with ``reports/<case>/manifest.json``;
   nothing stale means no work (and no import of papermill, pandas or matplotlib: this path must
   answer in well under half a second);
3. the case is validated in the build process while the first kernel boots (an invalid case stops that
   kernel before it runs a cell), then each notebook loads it without validating again;
4. :mod:`.runner`: papermill runs the notebook (explicit working directory, a per-cell timeout); on
   failure the executed notebook is kept under ``reports/<case>/.debug/`` and the error names the cell;
   the edition renders the executed notebook (HTML, PDF...); each output is written to a temporary file
   in its folder and renamed over the old one, so a failed build leaves the previous good output;
5. :mod:`.record`: the manifest is rewritten the same way; :mod:`.progress` says what happens.

Concurrency: a build holds an exclusive ``fcntl`` lock on ``reports/<case>/.lock`` from its up-to-date
check to its last manifest write. A second build of the same case waits, then finds the outputs up to
date. Outputs and manifest are also replaced atomically, so readers never see half a file.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from analysis.build.plan import CaseInputs, Target, case_inputs, case_meta, plan, source_date_epoch
from analysis.build.progress import Progress, rel
from analysis.build.record import case_lock, record, stale_formats
from analysis.build.runner import (
    DEFAULT_TIMEOUT,
    Result,
    execute,
    kernel_environment,
    run_target,
    start_kernel,
)
from analysis.editions import EDITIONS, FORMATS
from analysis.errors import BuildError, CasebriefError
from analysis.kernel import Kernel, stop_kernels_on_interrupt
from analysis.locate import default_case_notice
from analysis.manifest import data_digest, previous_as_of, read_manifest
from analysis.publisher import load_publisher
from analysis.validate import validate_case

__all__ = [
    "DEFAULT_TIMEOUT", "EDITIONS", "FORMATS", "CaseInputs", "Progress", "Report", "Result", "Target",
    "add_arguments", "build", "case_inputs", "case_lock", "case_meta", "execute", "kernel_environment",
    "plan", "previous_as_of", "run", "run_target", "source_date_epoch", "stale_formats", "start_kernel",
]


# -- the build ----------------------------------------------------------------------------------------
@dataclass
class Report:
    built: list[Result] = field(default_factory=list)
    failed: list[Result] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def build(
    targets: Sequence[Target],
    *,
    force: bool = False,
    jobs: int = 1,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    redraw: bool = False,
) -> Report:
    """Bring every target up to date. Returns what was built, what failed and what was already current.

    ``redraw`` (``--no-cache``) rebuilds everything and has every kernel redraw its charts rather than
    read them from the chart cache (:mod:`analysis.charts.cache`).
    """
    force = force or redraw
    progress = progress or Progress(stream=sys.stdout)
    report = Report()
    by_case: dict[Path, list[Target]] = {}
    for t in targets:
        by_case.setdefault(t.out_dir, []).append(t)
    with contextlib.ExitStack() as stack:
        for out_dir in sorted(by_case):
            stack.enter_context(case_lock(out_dir, progress.note))
        todo, shared = _stale(by_case, force, report)
        if not todo:
            return report
        digests = {d: data_digest(d)[0] for d in sorted({t.case_dir for t, _, _ in todo})}
        first = None
        if jobs <= 1 or len(todo) == 1:  # the first kernel starts while the case is validated
            t0, _, epoch0 = todo[0]
            first = start_kernel(t0, epoch0, digests[t0.case_dir], redraw)
        try:
            for case_dir in digests:  # each case once, in the build process, before any notebook runs
                validate_case(case_dir)
                load_publisher(case_dir)  # a bad publisher.yaml stops the build here, every problem at once
        except BaseException:
            if first:
                first.stop()
            raise
        progress.start(len(todo))
        try:
            stack.enter_context(stop_kernels_on_interrupt())
            for result in _execute_all(todo, jobs, timeout, digests, progress, first, redraw):
                if result.error:
                    report.failed.append(result)
                else:
                    report.built.append(result)
                    record(result, shared[(result.target.out_dir, result.target.notebook)])
                progress.done(result)
        finally:
            progress.stop()
            for out_dir in by_case:  # only when empty: failed briefs' debug notebooks stay
                with contextlib.suppress(OSError):
                    (out_dir / ".debug").rmdir()
    return report


Todo = list[tuple[Target, tuple[str, ...], int]]


def _stale(by_case: dict[Path, list[Target]], force: bool,
           report: Report) -> tuple[Todo, dict[tuple[Path, Path], CaseInputs]]:
    """The up-to-date check: what each target must rebuild (the rest goes to ``report.up_to_date``)."""
    todo: Todo = []
    shared: dict[tuple[Path, Path], CaseInputs] = {}
    for out_dir, group in by_case.items():
        manifest = read_manifest(out_dir)
        for t in group:
            if (out_dir, t.notebook) not in shared:  # hashed once per case and notebook
                shared[(out_dir, t.notebook)] = case_inputs(t)
            inputs = shared[(out_dir, t.notebook)]
            formats = stale_formats(t, inputs, manifest, force)
            report.up_to_date += [t.output(f) for f in t.formats if f not in formats]
            if formats:
                todo.append((t, formats, inputs.epoch))
    return todo, shared


def _execute_all(todo: Todo, jobs: int, timeout: int, digests: dict[Path, str], progress: Progress,
                 first: Kernel | None, redraw: bool = False) -> Iterator[Result]:
    """Run every stale target, one after another (``jobs`` 1) or in worker processes."""
    if jobs <= 1 or len(todo) == 1:
        kernels: list[Kernel | None] = [first]
        for i, (t, formats, epoch) in enumerate(todo):
            nxt = todo[i + 1] if i + 1 < len(todo) else None

            def start_next(nxt=nxt) -> None:
                # the next notebook's kernel boots on the other core while this brief is rendered
                if nxt is not None:
                    with contextlib.suppress(BuildError):
                        kernels.append(start_kernel(nxt[0], nxt[2], digests.get(nxt[0].case_dir), redraw))

            kernel = kernels.pop() if kernels else None
            progress.begin(t, formats)
            yield run_target(t, formats, epoch, timeout, digests.get(t.case_dir), kernel, start_next, redraw)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
        pending = {}
        for t, formats, epoch in todo:
            progress.begin(t, formats)
            pending[pool.submit(run_target, t, formats, epoch, timeout, digests.get(t.case_dir),
                                redraw=redraw)] = t
        while pending:
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            progress.tick()
            for fut in done:
                pending.pop(fut)
                yield fut.result()


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
    p.add_argument("--notebook", type=Path, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    audiences = [a.strip() for a in args.audience.split(",") if a.strip()] if args.audience else None
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if args.case is None and (notice := default_case_notice()):
        print(notice)
    targets = plan(args.case, as_of=args.as_of, since=args.since, audiences=audiences, issues=args.issues,
                   title=args.title, formats=formats, notebook=args.notebook, level=args.level)
    if args.jobs < 1:
        raise CasebriefError("--jobs must be at least 1")
    progress = Progress(stream=sys.stdout)
    report = build(targets, force=args.force, jobs=args.jobs, timeout=args.timeout, progress=progress,
                   redraw=args.no_cache)
    elapsed = time.perf_counter() - started
    if not report.built and not report.failed:
        folders = sorted({rel(p.parent) for p in report.up_to_date})
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
