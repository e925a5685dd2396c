"""What the brief was built from: a data version line and per-file hashes, computed from the case files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from analysis.case import Case


@dataclass(frozen=True)
class DataVersion:
    """``updated`` from case.yaml, a short hash over all case files, and each file's sha256."""

    updated: str
    digest: str
    files: dict[str, str]

    @property
    def short(self) -> str:
        return self.digest[:12]

    def label(self) -> str:
        """e.g. 'data of 2026-11-27, sha256 1a2b3c4d5e6f'."""
        head = f"data of {self.updated}, " if self.updated else ""
        return f"{head}sha256 {self.short}"


def data_version(case: Case) -> DataVersion:
    """Hash every file of the case package (sorted by name) into one digest."""
    files: dict[str, str] = {}
    total = hashlib.sha256()
    for name in sorted(case.files):
        path = case.files[name]
        fname = path.name
        if not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files[fname] = digest
    for fname in sorted(files):
        total.update(f"{fname}\0{files[fname]}\n".encode())
    return DataVersion(str(case.meta.get("updated", "") or ""), total.hexdigest(), files)
