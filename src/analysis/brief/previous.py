"""The as-of date of the previous brief of a case, read from the reports manifest.

"What changed" without a ``since`` date compares with the last brief built before this one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.dates import to_date


def _entries(manifest: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    outputs = manifest.get("outputs", [])
    if isinstance(outputs, Mapping):
        outputs = list(outputs.values())
    for entry in outputs:
        if isinstance(entry, Mapping):
            yield entry


def previous_as_of(
    manifest: str | Path | Mapping[str, Any],
    *,
    case: str | None = None,
    audience: str | None = None,
    before: object = None,
) -> dt.date | None:
    """Latest as-of date among the manifest's outputs that is earlier than ``before``.

    ``manifest`` is a path to ``reports/<case>/manifest.json`` or its parsed content; outputs are read
    from ``outputs`` (a list or a mapping), each with its ``parameters`` (``case``, ``as_of``,
    ``audience``). A missing or unreadable manifest means there is no previous brief: None.
    """
    if not isinstance(manifest, Mapping):
        try:
            manifest = json.loads(Path(manifest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    limit = to_date(before) if before is not None else None
    found: list[dt.date] = []
    for entry in _entries(manifest):
        params = entry.get("parameters") or entry.get("params") or {}
        if case and params.get("case") not in (None, case):
            continue
        if audience and params.get("audience") not in (None, audience):
            continue
        raw = params.get("as_of")
        if not raw:
            continue
        try:
            when = to_date(raw)
        except ValueError:
            continue
        if limit is None or when < limit:
            found.append(when)
    return max(found) if found else None
