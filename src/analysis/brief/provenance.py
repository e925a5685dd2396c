"""What the brief was built from: a data version line and per-file hashes, computed from the case files.

The hash and the files it covers are :func:`analysis.manifest.data_digest`'s, so the annex, the title
block, the PDF metadata and the manifest name the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.case import Case
from analysis.manifest import data_hashes, digest_of


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
    """The case package's files and their one digest (the manifest's definition of the data's hash)."""
    files = data_hashes(case.path)
    return DataVersion(str(case.meta.get("updated", "") or ""), digest_of(files), files)
