"""What a brief is made from and what came out: input hashes, fingerprints and the per-case manifest.

The up-to-date check runs on every ``casebrief build``, so this module imports nothing heavy: it hashes
files and compares them with ``reports/<case>/manifest.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from analysis.paths import PACKAGE_DIR, PROJECT_DIR

MANIFEST = "manifest.json"
#: Package files that cannot change a brief's bytes: editing them does not trigger a rebuild.
NOT_OUTPUT_INPUTS = {"cli.py", "__main__.py", "validate.py", "scaffold"}
#: Packages whose version is recorded and whose upgrade triggers a rebuild.
KEY_PACKAGES = (
    "casebrief", "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jinja2", "mistune",
    "weasyprint", "pydyf", "tinycss2", "pandas", "matplotlib", "pillow", "numpy", "pydantic", "pyyaml",
)
_SOURCE_SUFFIXES = {".py", ".mplstyle", ".json", ".j2", ".css", ".yaml", ".yml", ".txt"}


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_files(case_dir: Path) -> list[Path]:
    """Every file of a case package, in a stable order: what "the data" of a brief means.

    Every non-hidden file under the case folder counts (a README too): the loader may read any of
    them, the student bundle ships them all, and a change to any of them rebuilds the briefs.
    """
    return sorted(p for p in case_dir.rglob("*") if p.is_file() and not _hidden(p.relative_to(case_dir)))


def data_hashes(case_dir: Path) -> dict[str, str]:
    """sha256 of each of :func:`data_files`, keyed by its path in the case folder (``events.csv``)."""
    return {p.relative_to(case_dir).as_posix(): sha256_file(p) for p in data_files(case_dir)}


def digest_of(hashes: dict[str, str]) -> str:
    """One sha256 over per-file hashes (names and contents, in name order)."""
    h = hashlib.sha256()
    for name in sorted(hashes):
        h.update(f"{name}\0{hashes[name]}\n".encode())
    return h.hexdigest()


def data_digest(case_dir: Path) -> tuple[str, int]:
    """The data's hash and the number of files behind it: the only definition of "the data's hash".

    The manifest records the per-file hashes behind it; the title block, the PDF metadata and the
    annex (:func:`analysis.brief.provenance.data_version`) print it.
    """
    hashes = data_hashes(case_dir)
    return digest_of(hashes), len(hashes)


def package_files() -> list[Path]:
    """The package's files that can change a brief: code, template, style, schema."""
    out = []
    for p in PACKAGE_DIR.rglob("*"):
        rel = p.relative_to(PACKAGE_DIR)
        if not p.is_file() or _hidden(rel) or "__pycache__" in rel.parts:
            continue
        if rel.parts[0] in NOT_OUTPUT_INPUTS or p.suffix not in _SOURCE_SUFFIXES:
            continue
        out.append(p)
    return sorted(out)


def input_hashes(case_dir: Path, notebook: Path) -> dict[str, str]:
    """sha256 of every input of a brief, keyed ``data/<file>``, ``notebook/<file>``, ``package/<file>``."""
    out = {f"data/{name}": digest for name, digest in data_hashes(case_dir).items()}
    out[f"notebook/{notebook.name}"] = sha256_file(notebook)
    for p in package_files():
        out[f"package/{p.relative_to(PACKAGE_DIR).as_posix()}"] = sha256_file(p)
    return out


def versions() -> dict[str, str]:
    """Python and key package versions (distribution metadata only: nothing is imported).

    Read from the ``<name>-<version>.dist-info`` folder names on ``sys.path`` (one directory listing
    per entry); ``importlib.metadata.version`` scans every distribution per call, 17 times slower.
    """
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info") and "-" in folder:
                name, _, version = folder[: -len(".dist-info")].rpartition("-")
                found.setdefault(_normalise(name), version)
    out = {"python": sys.version.split()[0]}
    for name in KEY_PACKAGES:
        version = found.get(_normalise(name))
        if version is None:  # an unusual install layout: ask importlib
            from importlib import metadata

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
        out[name] = version
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def fingerprint(parameters: dict, fmt: str, inputs: dict[str, str], vers: dict[str, str]) -> str:
    """A hash of everything an output depends on: equal fingerprints mean an identical output."""
    blob = json.dumps(
        {"parameters": parameters, "format": fmt, "inputs": inputs, "versions": vers},
        sort_keys=True, separators=(",", ":"),
    )
    return sha256_bytes(blob.encode())


def read_manifest(case_reports: Path) -> dict:
    """The manifest of a case's reports folder, or an empty one."""
    try:
        with open(case_reports / MANIFEST, encoding="utf-8") as fh:
            data = json.load(fh)
    except (FileNotFoundError, json.JSONDecodeError):
        return {"outputs": {}}
    data.setdefault("outputs", {})
    return data


def previous_as_of(case_reports: Path, name: str, audience: str, as_of: dt.date) -> dt.date | None:
    """The as-of date of the previous output ``name`` (an ``audience``'s brief) of a case, from the manifest.

    Stable across rebuilds: an output already built for this as-of date keeps the baseline it was
    built with; otherwise the latest earlier as-of date among the case's outputs for this audience.
    """
    outputs = read_manifest(case_reports).get("outputs", {})
    own = [e.get("parameters", {}) for e in outputs.values() if Path(str(e.get("path", ""))).stem == name]
    for p in own:
        if p.get("as_of") == as_of.isoformat():
            return _iso(p.get("since"))
    earlier = []
    for entry in outputs.values():
        p = entry.get("parameters", {})
        when = _iso(p.get("as_of"))
        if p.get("audience") == audience and when and when < as_of:
            earlier.append(when)
    return max(earlier) if earlier else None


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def write_manifest(case_reports: Path, manifest: dict) -> None:
    """Write the manifest atomically (a reader sees the old or the new one, never half of one)."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write(case_reports / MANIFEST, text.encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def relative_to_project(path: Path) -> str:
    """A path as the manifest shows it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_DIR).as_posix()
    except ValueError:
        return str(path)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)
