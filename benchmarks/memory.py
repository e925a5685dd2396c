"""Peak memory of ``casebrief build`` on the synthetic 5,000-event case (target: under 2 GB).

Generates the synthetic case (``analysis.synthetic``) into a temporary cases folder, builds it in a
subprocess with ``--force`` into a temporary reports folder, and samples the resident memory (RSS) of the
build process and every descendant (papermill's kernels, any worker processes) from ``/proc`` every
50 ms. Prints:

- the peak of the whole tree's summed RSS (what the machine must hold at once; the figure held to 2 GB);
- the largest single process's peak RSS, and the kernel's (the ``ipykernel`` child);
- the kernel-reported ``ru_maxrss`` of the largest waited-for descendant, as a cross-check of sampling.

With ``--json`` the figures are printed as one JSON object instead (bytes, seconds, counts: what
``tests/test_memory.py`` holds to the limit).

usage: python benchmarks/memory.py [--events 5000] [--audience analyst] [--format html,pdf] [--jobs 1]
                                  [--json]
Linux only (reads ``/proc``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_BYTES = 2 * 1024**3
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _rss(pid: int) -> int:
    """Resident bytes of one process (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


class TreeSampler(threading.Thread):
    """Samples a process tree's RSS until the root process ends."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total = 0
        self.peak_by_pid: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = 0
            for p in _tree(self.pid):
                r = _rss(p)
                total += r
                if r > self.peak_by_pid.get(p, 0):
                    self.peak_by_pid[p] = r
                if p not in self.names:
                    self.names[p] = _cmdline(p)
            self.peak_total = max(self.peak_total, total)
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def make_case(cases: Path, events: int) -> str:
    """Write the synthetic case (``analysis.synthetic``) into ``cases`` and return its id."""
    from analysis.synthetic import write_synthetic_case

    return write_synthetic_case(cases / "synthetic", n_events=events, case_id="synthetic").name


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--audience", default=None, help="one audience (default: every audience)")
    ap.add_argument("--format", default="html,pdf")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="casebrief-mem-") as tmp:
        cases, reports = Path(tmp) / "cases", Path(tmp) / "reports"
        cases.mkdir()
        t0 = time.perf_counter()
        case_id = make_case(cases, args.events)
        gen_s = time.perf_counter() - t0
        cmd = [str(Path(sys.executable).with_name("casebrief")), "build", "--case", case_id, "--force",
               "--format", args.format, "--jobs", str(args.jobs)]
        if args.audience:
            cmd += ["--audience", args.audience]
        env = {**os.environ, "CASEBRIEF_CASES": str(cases), "CASEBRIEF_REPORTS": str(reports),
               "MPLBACKEND": "Agg"}
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        out, _ = proc.communicate()
        sampler.stop()
        build_s = time.perf_counter() - t0
        if proc.returncode != 0:
            print(out)
            print(f"build failed with exit code {proc.returncode}")
            return 1
        outputs = sorted(p.name for p in (reports / case_id).rglob("*") if p.suffix in (".html", ".pdf"))

    kid = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    top = sorted(sampler.peak_by_pid.items(), key=lambda kv: -kv[1])
    kernels = [r for p, r in top if "ipykernel" in sampler.names.get(p, "")]
    ok = sampler.peak_total < LIMIT_BYTES
    if args.json:
        print(json.dumps({
            "events": args.events, "format": args.format, "jobs": args.jobs, "outputs": outputs,
            "generate_seconds": round(gen_s, 2), "build_seconds": round(build_s, 2),
            "peak_tree_bytes": sampler.peak_total, "peak_process_bytes": top[0][1] if top else 0,
            "peak_kernel_bytes": max(kernels) if kernels else 0, "kernels": len(kernels),
            "ru_maxrss_child_bytes": kid, "samples": sampler.samples, "processes": len(top),
            "limit_bytes": LIMIT_BYTES,
        }))
        return 0 if ok else 1
    print("\n".join(line for line in out.splitlines() if line.startswith(("built", "FAILED"))))
    print(f"synthetic case: {args.events} events, generated in {gen_s:.1f} s; "
          f"build ({args.format}, jobs {args.jobs}) in {build_s:.1f} s, {len(outputs)} outputs")
    print(f"peak RSS, whole process tree (sum):   {_mb(sampler.peak_total)}   "
          f"({sampler.samples} samples, {len(top)} processes)")
    print(f"peak RSS, largest single process:     {_mb(top[0][1]) if top else 'n/a'}")
    print(f"peak RSS, largest kernel:             {_mb(max(kernels)) if kernels else 'n/a'}")
    print(f"ru_maxrss, largest waited-for child:  {_mb(kid)}")
    print(f"target under {_mb(LIMIT_BYTES)}: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
