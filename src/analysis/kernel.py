"""Start the notebook's kernel early, hand it to papermill, and stop it without waiting.

A kernel needs about a second to start and another to import pandas and matplotlib. Started first, it
does that on one core while the build process validates the case and imports the renderers on the other;
papermill then runs the notebook on the already running kernel. The kernel's own log (not the cells'
output, which papermill records) goes to a file, so a crash can be reported with its last lines.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
from pathlib import Path

#: Imported by the kernel while it starts: what every briefing notebook imports anyway.
PRELOAD = ("analysis.session", "analysis.brief", "matplotlib.pyplot")
KERNEL_ARGS = (
    "--HistoryManager.enabled=False",  # no sqlite history: parallel kernels would contend for it
    *(f"--IPKernelApp.exec_lines=import {m}" for m in PRELOAD),
)


class Kernel:
    """A started python3 kernel (an ``AsyncKernelManager``) plus its log file."""

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None,
                 env: dict[str, str] | None = None):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        # an anonymous file (already unlinked): nothing is left behind even if the build is killed
        self._log = tempfile.TemporaryFile(prefix="casebrief-kernel-")
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        atexit.register(self.stop)  # a build that stops half-way leaves no kernel behind
        run_sync(self.km.start_kernel)(
            extra_arguments=list(KERNEL_ARGS), cwd=str(cwd) if cwd else None,
            env=dict(env) if env is not None else os.environ.copy(), stdout=self._log, stderr=self._log,
        )

    def log_tail(self, lines: int = 5) -> str:
        """The last lines the kernel process printed (its crash message, if it crashed)."""
        with contextlib.suppress(OSError, ValueError):
            fd = self._log.fileno()
            size = os.fstat(fd).st_size
            # pread leaves the offset the kernel shares with this descriptor alone
            text = os.pread(fd, min(size, 65536), max(0, size - 65536)).decode("utf-8", "replace")
            keep = [ln for ln in text.splitlines() if ln.strip() and "without encryption" not in ln]
            return "\n".join(keep[-lines:])
        return ""

    def stop(self) -> None:
        """Kill the kernel now (its work is done or failed) and remove its files."""
        atexit.unregister(self.stop)
        with contextlib.suppress(Exception):
            self._run_sync(self.km.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            self._log.close()
