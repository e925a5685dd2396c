"""Start the notebook's kernel early, hand it to papermill, and stop it without waiting.

A kernel needs about a second to start and another to import pandas and matplotlib. Started first, it
does that on one core while the build process validates the case and imports the renderers on the other;
papermill then runs the notebook on the already running kernel. The kernel's own log (not the cells'
output, which papermill records) goes to a file, so a crash can be reported with its last lines.

On Linux the kernel listens on Unix sockets with a name of its own (``ipc://@casebrief-<uuid>-N``, in
the abstract namespace: no file to leave behind). Over TCP, jupyter_client picks free ports and closes
them before the kernel binds them, about a second later; any process on the machine (another kernel of
a parallel build, any outgoing connection) may take one in between, and the kernel then dies at start
("Kernel died before replying to kernel_info", seen once in a test run on a fresh machine). A unique
name cannot be taken. Access is as over TCP on the loopback: any local process may connect, and every
message must carry the kernel's HMAC key.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import tempfile
import threading
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path

#: Imported by the kernel while it starts: what every briefing notebook imports anyway.
PRELOAD = ("analysis.session", "analysis.brief", "matplotlib.pyplot")
KERNEL_ARGS = (
    "--HistoryManager.enabled=False",  # no sqlite history: parallel kernels would contend for it
    *(f"--IPKernelApp.exec_lines=import {m}" for m in PRELOAD),
)


#: Set by a Ctrl-C during a build (:func:`stop_kernels_on_interrupt`): the build stops, whatever it was
#: waiting for when the signal came.
INTERRUPTED = threading.Event()
_LIVE: weakref.WeakSet[Kernel] = weakref.WeakSet()


@contextlib.contextmanager
def stop_kernels_on_interrupt() -> Iterator[None]:
    """While a build runs: a Ctrl-C (SIGINT) kills every kernel this process started, then raises
    ``KeyboardInterrupt`` as usual.

    With the kernels dead, nothing the build waits for can outlast the interrupt: even when the
    ``KeyboardInterrupt`` lands where Python can only ignore it (a finaliser, a callback), papermill's
    wait on the running cell ends, and the build sees :data:`INTERRUPTED` and stops as interrupted.
    Outside the main thread (where no signal handler can be set) this does nothing, and so it does for
    a build started with Ctrl-C ignored (a background job, ``nohup``): that one keeps ignoring it.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
        yield
        return

    def on_interrupt(signum, frame):
        INTERRUPTED.set()
        for kernel in list(_LIVE):
            kernel.kill()
        raise KeyboardInterrupt

    hook = sys.unraisablehook

    def unraisable(info):
        if not (info.exc_type and issubclass(info.exc_type, KeyboardInterrupt)):
            hook(info)  # a Ctrl-C that landed in a finaliser is handled through INTERRUPTED

    INTERRUPTED.clear()
    previous = signal.signal(signal.SIGINT, on_interrupt)
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook


def channels() -> dict[str, str]:
    """The kernel manager's transport: a uniquely named Unix socket on Linux, else TCP (see above)."""
    if sys.platform.startswith("linux"):
        return {"transport": "ipc", "ip": f"@casebrief-{uuid.uuid4().hex}"}
    return {}


class Kernel:
    """A started python3 kernel (an ``AsyncKernelManager``) plus its log file."""

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None,
                 env: dict[str, str] | None = None):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        # an anonymous file (already unlinked): nothing is left behind even if the build is killed
        self._log = tempfile.TemporaryFile(prefix="casebrief-kernel-")
        self.km = AsyncKernelManager(kernel_name=kernel_name, **channels())
        atexit.register(self.stop)  # a build that stops half-way leaves no kernel behind
        _LIVE.add(self)
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

    def kill(self) -> None:
        """SIGKILL the kernel process at once (safe in a signal handler: no waiting, no event loop)."""
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        """Kill the kernel now (its work is done or failed) and remove its files."""
        atexit.unregister(self.stop)
        _LIVE.discard(self)
        with contextlib.suppress(Exception):
            self._run_sync(self.km.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            self._log.close()
