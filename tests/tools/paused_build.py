"""Run ``casebrief build`` and stop it at a named point, so a test can kill it exactly there.

usage: python tests/tools/paused_build.py POINT MARKER [build arguments...]

POINT is where the build stops: it creates the file MARKER, then sleeps until killed.
- ``pdf-render``: the notebook has run and the HTML is rendered in memory; WeasyPrint is about to print.
- ``pdf-replace``: the new PDF is complete in its temporary file, which is about to be renamed over the old
  PDF (the HTML of the same brief has already been replaced).
- ``manifest-replace``: every output has been replaced; the new manifest is about to be renamed.

The build itself is the real one (``analysis.cli.main``); only these two functions are wrapped.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _stop_here(marker: Path) -> None:
    marker.write_text(str(os.getpid()), encoding="utf-8")
    while True:
        time.sleep(60)


def main() -> int:
    point, marker, argv = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    if point == "pdf-render":
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
        print(f"unknown point {point!r}", file=sys.stderr)
        return 64
    from analysis.cli import main as casebrief

    return casebrief(argv)


if __name__ == "__main__":
    sys.exit(main())
