"""Run ``casebrief build`` and stop it at a named point, so a test can kill or interrupt it exactly there.

usage: python tests/tools/paused_build.py POINT MARKER [build arguments...]

POINT is where the build stops. Once there, the file MARKER appears (written atomically; it holds the id of
the process that is held) and the build waits until it is killed or interrupted:
- ``cell-running``: the kernel is running a cell in the middle of the notebook (the cells before it have
  run, papermill waits for this one's reply). The cell writes MARKER, holding the kernel's pid, and blocks.
- ``pdf-render``: the notebook has run and the HTML is rendered in memory; WeasyPrint is about to print.
- ``pdf-replace``: the new PDF is complete in its temporary file, which is about to be renamed over the old
  PDF (the HTML of the same brief has already been replaced).
- ``manifest-replace``: every output has been replaced; the new manifest is about to be renamed.

The build itself is the real one (``analysis.cli.main``); only the function named for each point is
wrapped (nbclient's ``execute_cell``, ``analysis.exporter.html_to_pdf``, ``os.replace``). Nothing here
waits on the clock: a held build stays held until the test acts, however slow or fast the machine.
"""

from __future__ import annotations

import copy
import faulthandler
import os
import signal
import sys
import threading
from pathlib import Path

POINTS = ("cell-running", "pdf-render", "pdf-replace", "manifest-replace")


def write_marker(marker: Path, pid: int) -> None:
    """Create MARKER holding ``pid``, atomically: a test that sees the file can read the whole pid."""
    tmp = marker.with_name(f".{marker.name}.tmp")
    tmp.write_text(str(pid), encoding="utf-8")
    os.replace(tmp, marker)


def _stop_here(marker: Path) -> None:
    write_marker(marker, os.getpid())
    threading.Event().wait()  # until killed, or a Ctrl-C (KeyboardInterrupt) ends the wait


def _hold_source(marker: Path) -> str:
    """Code run in the kernel ahead of the held cell: write MARKER (the kernel's pid), then block."""
    return (
        "import os as _os, threading as _threading\n"
        f"_marker, _tmp = {str(marker)!r}, {str(marker.with_name(f'.{marker.name}.tmp'))!r}\n"
        "with open(_tmp, 'w', encoding='utf-8') as _fh:\n"
        "    _fh.write(str(_os.getpid()))\n"
        "_os.replace(_tmp, _marker)\n"
        "_threading.Event().wait()\n"
    )


def _hold_in_a_cell(marker: Path) -> None:
    from nbclient.client import NotebookClient

    real_execute_cell = NotebookClient.execute_cell

    def execute_cell(self, cell, cell_index, *args, **kwargs):
        code = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"
                and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]
        if code and cell_index == code[len(code) // 2]:
            cell = copy.deepcopy(cell)
            cell.source = _hold_source(marker) + cell.source
        return real_execute_cell(self, cell, cell_index, *args, **kwargs)

    NotebookClient.execute_cell = execute_cell


def main() -> int:
    point, marker, argv = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    # a test that gives up on a held build sends SIGUSR1 first: every thread's stack goes to stderr
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    # a build in a terminal's foreground, which Ctrl-C reaches, even when the test suite itself runs in
    # the background (as under make in CI), where every process it starts inherits Ctrl-C ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if point == "cell-running":
        _hold_in_a_cell(marker)
    elif point == "pdf-render":
        import analysis.exporter

        real_render = analysis.exporter.html_to_pdf

        def html_to_pdf(*args, **kwargs):
            _stop_here(marker)
            return real_render(*args, **kwargs)

        analysis.exporter.html_to_pdf = html_to_pdf
    elif point in ("pdf-replace", "manifest-replace"):
        suffix = ".pdf" if point == "pdf-replace" else "manifest.json"
        real_replace = os.replace

        def replace(src, dst, *args, **kwargs):
            if str(dst).endswith(suffix):
                _stop_here(marker)
            return real_replace(src, dst, *args, **kwargs)

        os.replace = replace
    else:
        print(f"unknown point {point!r}; known points: {', '.join(POINTS)}", file=sys.stderr)
        return 64
    from analysis.cli import main as casebrief

    return casebrief(argv)


if __name__ == "__main__":
    sys.exit(main())
