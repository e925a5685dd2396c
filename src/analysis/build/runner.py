"""One target's notebook run: its kernel, papermill's execution, rendering and the failure messages.

:func:`run_target` never raises: a failure becomes :attr:`Result.error`, a message that names the
notebook cell and keeps the executed notebook under ``reports/<case>/.debug/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.build.plan import Target, case_inputs, manifest_entry
from analysis.build.progress import indent, rel
from analysis.bundle import Bundle, collect
from analysis.editions import EDITIONS
from analysis.errors import BuildError, CasebriefError
from analysis.kernel import INTERRUPTED, Kernel
from analysis.manifest import atomic_write, sha256_bytes
from analysis.paths import CHART_CACHE_ENV

DEFAULT_TIMEOUT = 300  # seconds per cell: a brief's slowest cell takes a few seconds
START_TIMEOUT = 60  # seconds for the kernel to start


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
               after_execute: Callable[[], None] | None = None, redraw: bool = False) -> Result:
    """Execute, render and write one target. Never raises: the error is in ``Result.error``.

    ``kernel`` is an already started kernel (else one is started here); ``after_execute`` runs once the
    notebook has run, before rendering (the sequential build starts the next target's kernel there).
    ``redraw`` turns the chart cache off for the kernel this starts (``--no-cache``).
    """
    started = time.perf_counter()
    try:
        outputs = _run(target, formats, epoch, timeout, validated, kernel, after_execute, redraw)
        return Result(target, formats, outputs, time.perf_counter() - started)
    except CasebriefError as exc:
        return Result(target, formats, {}, time.perf_counter() - started, str(exc))
    except Exception as exc:  # an unforeseen failure still names the brief, without a traceback
        return Result(target, formats, {}, time.perf_counter() - started,
                      f"{target.name}: {type(exc).__name__}: {exc}")


def kernel_environment(epoch: int, validated: str | None, redraw: bool = False) -> dict[str, str]:
    """The kernel's environment: fixed dates for any format that stamps one, no hash randomness, and
    the chart cache turned off when every chart must be redrawn (``redraw``, ``--no-cache``)."""
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH=str(epoch), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env.pop("CASEBRIEF_VALIDATED", None)
    if validated:
        env["CASEBRIEF_VALIDATED"] = validated
    if redraw:
        env[CHART_CACHE_ENV] = "off"
    return env


def start_kernel(target: Target, epoch: int, validated: str | None, redraw: bool = False) -> Kernel:
    """Start the python3 kernel for ``target`` (in its notebook's folder, with its environment)."""
    try:
        return Kernel(cwd=target.notebook.parent, env=kernel_environment(epoch, validated, redraw))
    except Exception as exc:
        raise BuildError(
            f"{target.name}: the python3 kernel did not start: {type(exc).__name__}: {exc}"
        ) from None


def _run(target: Target, formats: tuple[str, ...], epoch: int, timeout: int, validated: str | None,
         kernel: Kernel | None, after_execute: Callable[[], None] | None,
         redraw: bool = False) -> dict[str, dict[str, Any]]:
    kernel = kernel or start_kernel(target, epoch, validated, redraw)
    prefetch = _Prefetch(any(f.endswith("pdf") for f in formats))
    try:
        nb = execute(target, timeout, kernel)
    finally:
        kernel.stop()
        if after_execute and not INTERRUPTED.is_set():
            after_execute()
    prefetch.join()
    if INTERRUPTED.is_set():  # a Ctrl-C that Python could not raise where it landed
        raise KeyboardInterrupt
    shared = case_inputs(target)

    def evidence(fmt: str) -> Bundle:
        return collect(target.case_dir, manifest_entry(target, fmt, shared), epoch, target.output(fmt).stem)

    payloads = EDITIONS[target.edition].render(target, nb, formats, epoch, evidence)
    outputs = {}
    for fmt in formats:
        data = payloads[fmt]
        atomic_write(target.output(fmt), data)
        outputs[fmt] = {"sha256": sha256_bytes(data), "bytes": len(data)}
    return outputs


class _Prefetch:
    """Import the renderers in a thread while the kernel runs (the build process is idle meanwhile)."""

    def __init__(self, pdf: bool):
        self._thread = threading.Thread(target=self._load, args=(pdf,), daemon=True)
        self._thread.start()

    @staticmethod
    def _load(pdf: bool) -> None:
        with contextlib.suppress(Exception):
            # imported here, in a thread, so that they load while the kernel runs (nbconvert, WeasyPrint)
            import analysis.exporter  # noqa: F401

            if pdf:
                import weasyprint  # noqa: F401

    def join(self) -> None:
        self._thread.join()


def execute(target: Target, timeout: int, kernel: Kernel):
    """Run the notebook with papermill on ``kernel``; raise BuildError naming the cell on failure."""
    # papermill is imported when a notebook runs: the no-op build must not pay for it
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
        if INTERRUPTED.is_set():  # the kernel was killed by the Ctrl-C: the build was interrupted
            raise KeyboardInterrupt from None
        raise BuildError(_kernel_failure(target, kept, exc, timeout, kernel.log_tail())) from None
    partial.unlink(missing_ok=True)
    debug.unlink(missing_ok=True)
    # the empty .debug folder is removed by the build once every target has run: removed here, it could
    # vanish under a brief that another worker is starting in the same folder
    return nb


def _keep(partial: Path, debug: Path) -> Path | None:
    if partial.is_file():
        os.replace(partial, debug)
        return debug
    return None


def _source_cells(notebook: Path) -> list[dict]:
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
        f"{target.name}: {rel(target.notebook)} failed in "
        f"{_cell_label(target.notebook, cell_id, exc.source)}\n"
        f"  {exc.ename}: {exc.evalue}{where}\n"
        f"  executed notebook kept at {rel(debug)}"
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
    kept = f"\n  executed notebook kept at {rel(debug)}" if debug else ""
    if log and not isinstance(exc, KeyboardInterrupt):  # why it died or did not start, when it said
        kept += "\n  kernel log:\n" + indent(indent(log))
    return f"{target.name}: {rel(target.notebook)} {what}{kept}"


def _running_cells(debug: Path) -> Iterator[dict]:
    """The cell that was running when the kernel died or hung: the last one papermill started."""
    started = [c for c in _source_cells(debug)
               if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    if started:
        yield started[-1]


def _short(path: str) -> str:
    marker = "/src/analysis/"
    return "analysis/" + path.split(marker, 1)[1] if marker in path else path
