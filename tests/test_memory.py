"""Resource bound: building the synthetic 5,000-event case stays under 2 GB (``benchmarks/memory.py``).

The analyst brief is the heaviest (every event in its tables and charts), so the test builds that one; the
benchmark run by hand builds every audience and prints the same figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_synthetic_5000_event_build_stays_under_2_gb():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "memory.py"), "--events", "5000", "--audience", "analyst"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    print(proc.stdout)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert "target under 2,048 MB: met" in proc.stdout
