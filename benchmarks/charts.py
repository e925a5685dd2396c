"""Time and memory of each chart on the default case and on a synthetic case (target: < 1.5 s each).

For every chart and case it prints the median of ``--repeat`` runs (after one warm-up run, which loads
fonts) of:

- ``build``: the chart function alone (figure, layout, alt text);
- ``+png``: the function plus a PNG at ``--dpi`` (what a brief pays), wall clock and CPU time (the CPU
  time is the fairer figure on a shared machine: wall time grows with the machine's load);
- ``py peak``: the peak of Python allocations during one more run, traced with ``tracemalloc``
  (matplotlib's C++ pixel buffer is not traced: about width x height x 4 bytes at that dpi).

The synthetic case (``analysis.synthetic``: 5,000 events, 300 actors, 2,000 positions by default) is
written into a temporary folder. The process's peak resident memory is printed at the end.

usage: python benchmarks/charts.py [--events 5000] [--actors 300] [--positions 2000] [--repeat 3] [--dpi 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.case import load_case  # noqa: E402
from analysis.charts import CHARTS, to_png  # noqa: E402
from analysis.paths import DEFAULT_CASE  # noqa: E402
from analysis.synthetic import write_synthetic_case  # noqa: E402

TARGET_S = 1.5


def measure(fn, case, repeat: int, dpi: int) -> dict:
    chart = fn(case)  # warm-up: fonts, caches
    to_png(chart.figure, dpi=dpi)
    build, wall, cpu = [], [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        chart = fn(case)
        build.append(time.perf_counter() - t0)
        png = to_png(chart.figure, dpi=dpi)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    tracemalloc.start()
    to_png(fn(case).figure, dpi=dpi)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    w, h = chart.figure.get_size_inches()
    return {
        "build": statistics.median(build),
        "wall": statistics.median(wall),
        "cpu": statistics.median(cpu),
        "peak_mb": peak / 2**20,
        "size": f"{w:.1f}x{h:.1f} in",
        "png_kb": len(png) / 1024,
        "notes": len(chart.notes),
    }


def run(label: str, case, repeat: int, dpi: int, target: bool) -> list[str]:
    print(
        f"\n{label}: {len(case.events):,} events, {len(case.actors):,} actors, "
        f"{len(case.positions):,} positions, as of {case.as_of_date}"
    )
    print(f"  {'chart':<16} {'build':>7} {'+png wall':>10} {'+png cpu':>9} {'py peak':>9} {'png':>8}  figure")
    over = []
    for name, fn in CHARTS.items():
        m = measure(fn, case, repeat, dpi)
        flag = ""
        if target:
            flag = "  ok" if m["wall"] < TARGET_S else f"  wall over {TARGET_S} s"
            if m["cpu"] >= TARGET_S:
                flag += f", cpu over {TARGET_S} s"
            if m["wall"] >= TARGET_S:
                over.append(f"{name} (cpu {m['cpu']:.2f} s)")
        print(
            f"  {name:<16} {m['build']:>6.2f}s {m['wall']:>9.2f}s {m['cpu']:>8.2f}s {m['peak_mb']:>7.1f}MB "
            f"{m['png_kb']:>6.0f}KB  {m['size']}{flag}"
        )
    return over


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--actors", type=int, default=300)
    ap.add_argument("--positions", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args(argv)
    print(
        f"charts benchmark: median of {args.repeat} runs, PNG at {args.dpi} dpi, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    t0 = time.perf_counter()
    default = load_case(DEFAULT_CASE, validate=False)
    print(f"default case loaded in {time.perf_counter() - t0:.2f} s")
    run(f"default case ({default.id})", default.as_of(default.default_as_of), args.repeat, args.dpi, False)

    with tempfile.TemporaryDirectory(prefix="casebrief-bench-") as tmp:
        t0 = time.perf_counter()
        path = write_synthetic_case(Path(tmp) / "synthetic", args.events, args.actors, args.positions)
        t1 = time.perf_counter()
        synthetic = load_case(path, validate=False)
        print(f"\nsynthetic case written in {t1 - t0:.2f} s, loaded in {time.perf_counter() - t1:.2f} s")
        over = run("synthetic case", synthetic.as_of(synthetic.default_as_of), args.repeat, args.dpi, True)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {peak:.0f} MB")
    print(
        f"target: every chart under {TARGET_S} s (build + PNG, wall clock) on the synthetic case: "
        + ("met" if not over else f"not met by {', '.join(over)}")
        + f"; load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (on a busy machine wall"
        " time exceeds CPU time; on an idle one they agree)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
