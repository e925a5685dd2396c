"""The build's bookkeeping: the per-case lock, the up-to-date check and the manifest record."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from analysis.build.plan import CaseInputs, Target, manifest_entry
from analysis.build.runner import Result
from analysis.manifest import fingerprint, read_manifest, relative_to_project, sha256_file, write_manifest


@contextlib.contextmanager
def case_lock(out_dir: Path, say=None) -> Iterator[None]:
    """Hold ``reports/<case>/.lock`` exclusively; wait (and say so) while another build holds it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say(f"waiting for another build of {out_dir.name} to finish...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        # A build killed mid-write leaves its temporary file (".<output>.<random>.tmp"). Every write into
        # this folder happens under this lock, so once we hold it any such file is stale.
        for stale in out_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def stale_formats(target: Target, shared: CaseInputs, manifest: dict, force: bool) -> tuple[str, ...]:
    """The formats of ``target`` whose output is missing, altered or built from other inputs."""
    out = []
    for fmt in target.formats:
        path = target.output(fmt)
        entry = manifest.get("outputs", {}).get(path.name)
        fp = fingerprint(target.params.notebook_values(), fmt, shared.inputs, shared.versions)
        if force or not entry or entry.get("fingerprint") != fp or not path.is_file():
            out.append(fmt)
        elif entry.get("sha256") != sha256_file(path):  # edited or damaged by hand
            out.append(fmt)
    return tuple(out)


def record(result: Result, shared: CaseInputs) -> None:
    """Add a built target's outputs to its case's manifest (read, merge, atomic write: under the lock)."""
    t = result.target
    manifest = read_manifest(t.out_dir)
    manifest["case"] = t.case_id
    manifest["case_dir"] = relative_to_project(t.case_dir)
    for fmt, out in result.outputs.items():
        entry = manifest_entry(t, fmt, shared)
        manifest["outputs"][entry["path"]] = {**entry, "sha256": out["sha256"], "bytes": out["bytes"]}
    write_manifest(t.out_dir, manifest)
