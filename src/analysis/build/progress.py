"""What the build says while it works: one line per output, or a live status line on a terminal."""

from __future__ import annotations

import contextlib
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the runner imports this module
    from analysis.build.plan import Target
    from analysis.build.runner import Result


class Progress:
    """One line per output when the stream is not a terminal; a live status line when it is."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.quiet = quiet
        self.total = 0
        self.finished = 0
        self.running: dict[str, float] = {}
        self._width = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def note(self, text: str) -> None:
        with self._lock:
            self._clear()
            print(text, file=self.stream, flush=True)

    def start(self, total: int) -> None:
        self.total = total
        if self.tty and self._ticker is None:  # redraw the elapsed times while a brief renders
            self._ticker = threading.Thread(target=self._tick_loop, daemon=True)
            self._ticker.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._clear()

    def _tick_loop(self) -> None:
        while not self._stop.wait(0.5):
            self.tick()

    def begin(self, target: Target, formats: tuple[str, ...]) -> None:
        self.running[target.name] = time.perf_counter()
        if not self.tty and not self.quiet:
            print(f"building {target.name} ({', '.join(formats)})", file=self.stream, flush=True)
        self.tick()

    def tick(self) -> None:
        if not self.tty or self._stop.is_set():
            return
        with self._lock:
            now = time.perf_counter()
            names = ", ".join(f"{n} {now - t0:.0f}s" for n, t0 in list(self.running.items()))
            filled = int(20 * self.finished / max(self.total, 1))
            line = f"[{'#' * filled}{'.' * (20 - filled)}] {self.finished}/{self.total} building {names}"
            line = line[: shutil_columns() - 1]
            self._clear()
            self.stream.write(line)
            self.stream.flush()
            self._width = len(line)

    def done(self, result: Result) -> None:
        self.running.pop(result.target.name, None)
        self.finished += 1
        with self._lock:
            self._clear()
            if result.error:
                print(f"FAILED {result.target.name} after {result.seconds:.1f} s\n{indent(result.error)}",
                      file=self.stream, flush=True)
            elif not self.quiet:
                for fmt, out in result.outputs.items():
                    print(f"built {rel(result.target.output(fmt))} ({out['bytes'] / 1024:.0f} KB) "
                          f"in {result.seconds:.1f} s", file=self.stream, flush=True)
        self.tick()

    def _clear(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0


def shutil_columns() -> int:
    return shutil.get_terminal_size((100, 20)).columns


def indent(text: str) -> str:
    """Every line of ``text`` indented by two spaces (a failure's details under its heading)."""
    return "\n".join("  " + line for line in text.splitlines())


def rel(path: Path | None) -> str:
    """A path as the user typed it: relative to the working directory when inside it."""
    if path is None:
        return ""
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)
