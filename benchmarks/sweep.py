"""The full real-build time-travel sweep of one case: every month end, every audience, with and without since.

For every month end from the case's first event to its default as-of date, plus that date, runs
``casebrief build --as-of D --jobs 2`` (every audience: analyst, public, both classroom levels) in HTML,
then again with ``--since`` three months earlier (when inside the case's range), and prints the number
of targets (outputs built), the time per date and in total. With ``--pdf`` the analyst and public briefs
are built in PDF too and their page counts are printed per date (budget: analyst 6-14, public at most 2).

usage: python benchmarks/sweep.py [--case ID] [--pdf] [--limit N]
Outputs go to a temporary folder (CASEBRIEF_REPORTS); reports/ is left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from analysis.case import load_case
from analysis.paths import DEFAULT_CASE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_sweep import since_for, sweep_dates  # noqa: E402  (the dates the sweep test uses)

BUILT = re.compile(r"^built ", re.M)


def build(env: dict, *args: str) -> tuple[float, int]:
    """Run one ``casebrief build``; (seconds, outputs built). Exits on a failed build."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--jobs", "2", *args], env=env,
                          cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): casebrief build {' '.join(args)}\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return took, len(BUILT.findall(proc.stdout))


def pages(folder: Path, audience: str, as_of: dt.date, default: dt.date, case_id: str) -> int | None:
    found = sorted(folder.glob(f"{case_id}-{audience}-asof-{as_of}.pdf"))
    if not found and as_of == default:
        found = sorted(folder.glob(f"{case_id}-{audience}.pdf"))
    return len(PdfReader(found[0]).pages) if found else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", default=DEFAULT_CASE)
    ap.add_argument("--pdf", action="store_true", help="also build the analyst and public PDFs; print pages")
    ap.add_argument("--limit", type=int, default=0, help="only the first N dates (0: all)")
    a = ap.parse_args()
    case = load_case(a.case)
    dates = sweep_dates(case)
    if a.limit:
        dates = dates[: a.limit]
    default = dates[-1] if not a.limit else sweep_dates(case)[-1]
    with tempfile.TemporaryDirectory(prefix="casebrief-sweep-") as tmp:
        env = {**os.environ, "CASEBRIEF_REPORTS": tmp, "MPLBACKEND": "Agg"}
        total_t, total_n = 0.0, 0
        print(f"{case.id}: {len(dates)} dates, {dates[0]} to {dates[-1]}")
        # without since, latest date first: a build without --since compares with the latest earlier
        # brief in the manifest, so going backwards keeps these briefs without a "what changed" section
        for d in reversed(dates):
            t, n = build(env, "--case", a.case, "--as-of", d.isoformat(), "--format", "html")
            row = f"{d}  without since  {n:3d} outputs  {t:6.1f} s"
            if a.pdf:
                t3, n3 = build(env, "--case", a.case, "--as-of", d.isoformat(),
                               "--audience", "analyst,public", "--format", "pdf")
                t, n = t + t3, n + n3
                folder = Path(tmp) / case.id
                analyst, public = (pages(folder, who, d, default, case.id) for who in ("analyst", "public"))
                row = f"{d}  without since  {n:3d} outputs  {t:6.1f} s"
                row += f"  analyst {analyst} pages, public {public}"
            total_t, total_n = total_t + t, total_n + n
            print(row, flush=True)
        for d in dates:
            since = since_for(case, d)
            if since is None:
                continue
            t, n = build(env, "--case", a.case, "--as-of", d.isoformat(), "--since", since.isoformat(),
                         "--audience", "analyst,public", "--format", "html")
            total_t, total_n = total_t + t, total_n + n
            print(f"{d}  since {since}  {n:3d} outputs  {t:6.1f} s", flush=True)
        print(f"total: {len(dates)} dates, {total_n} outputs built, {total_t:.0f} s "
              f"({total_t / max(total_n, 1):.1f} s per output)")


if __name__ == "__main__":
    main()
