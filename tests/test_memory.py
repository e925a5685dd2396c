"""Resource bound: building the synthetic 5,000-event case stays under 2 GB (``benchmarks/memory.py``).

The analyst brief is the heaviest (every event in its tables and charts), so the test builds that one; the
benchmark run by hand builds every audience and prints the same figures. The test reads the measured
figures (``--json``) and holds the peak to the limit itself, after checking the measurement saw the build:
enough samples, the kernel among the processes, both outputs written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT_BYTES = 2 * 1024**3  # the target in the design card: under 2 GB for the whole process tree
MB = 1024**2


@pytest.mark.slow
def test_synthetic_5000_event_build_stays_under_2_gb():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "memory.py"), "--events", "5000", "--audience", "analyst",
         "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    lines = proc.stdout.strip().splitlines()
    assert lines, f"the benchmark printed nothing (exit {proc.returncode}):\n{proc.stderr}"
    try:
        figures = json.loads(lines[-1])
    except json.JSONDecodeError:
        pytest.fail(f"the benchmark's last line is not its JSON figures (exit {proc.returncode}):\n"
                    f"{proc.stdout}\n{proc.stderr}")
    print(figures)
    # the measurement saw the build: it sampled often, found the kernel, and the build wrote both outputs
    assert figures["outputs"] == ["synthetic-analyst.html", "synthetic-analyst.pdf"], figures
    assert figures["samples"] >= 10 and figures["kernels"] >= 1, figures
    assert figures["peak_kernel_bytes"] > 50 * MB, figures  # a kernel with pandas loaded: never less
    assert figures["peak_tree_bytes"] >= figures["peak_process_bytes"] >= figures["peak_kernel_bytes"]
    peak = figures["peak_tree_bytes"]
    assert peak < LIMIT_BYTES, f"peak RSS of the build's process tree {peak / MB:,.0f} MB >= 2,048 MB"
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
