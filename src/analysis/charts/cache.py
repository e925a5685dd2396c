"""Drawn charts kept on disk by content, so that a rebuild redraws only what changed.

The key of a chart is a hash of what it is drawn from: the tables a chart reads (as sliced), the few
fields of case.yaml a chart reads (``default_as_of``, ``main_issue``, ``stance_scale``, the case's
``vocabulary`` and which records the key judgements cite, since their actors are never cut), the
chart's name and parameters, and the code that draws it (every module of :mod:`analysis.charts`, the
style file, the library modules they read: wording, vocabulary, importance, judgements; and the
matplotlib version). Editing a judgement's wording therefore redraws nothing but the judgement track
(which reads the judgements themselves); editing an event redraws the charts that show events.

An entry is a JSON file named by its key holding the chart's SVG and what the brief reads beside it
(alt text, title, notes, sources, tooltips, the data behind the marks). An entry that cannot be read,
was written by another version of this format or names another key is ignored and replaced: the
cache is never trusted over drawing. At most ``MAX_ENTRIES`` entries are kept (the least recently
used go first), and the folder is safe to delete.

``CASEBRIEF_CHART_CACHE`` sets the folder; ``off`` turns the cache off (``casebrief build --no-cache``).
The default folder is ``reports/.chart-cache`` (beside the outputs, under ``CASEBRIEF_REPORTS``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd

from analysis import importance, judgements, vocabulary, wording
from analysis.charts.chart import Chart
from analysis.charts.style import STYLE_PATH
from analysis.charts.svg import Mark
from analysis.paths import CHART_CACHE_ENV, chart_cache_dir

FORMAT = 1
MAX_ENTRIES = 400
ENV = CHART_CACHE_ENV
#: The tables and case.yaml fields any chart reads; nothing else can change a drawn chart.
TABLES = ("sources", "actors", "issues", "events", "positions", "disputes", "dispute_claims", "quotes",
          "legal_provisions")
META = ("default_as_of", "main_issue", "stance_scale", "vocabulary", "language")
#: Charts that read the whole of case.yaml (the judgement track draws every judgement's revisions).
READS_CASE_YAML = frozenset({"judgement_track"})
#: The library modules charts read beside their own package.
LIBRARY = (wording, vocabulary, importance, judgements)


def folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    return chart_cache_dir()


@cache
def code_version() -> str:
    """A hash of the code that draws charts: their modules, the style, the wording, matplotlib."""
    h = hashlib.sha256(matplotlib.__version__.encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")) + [STYLE_PATH] + [
        Path(m.__file__) for m in LIBRARY
    ]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def key(name: str, case, args: tuple, kwargs: dict) -> str:
    """The content hash of one chart: the data it reads, its parameters and the code that draws it."""
    h = hashlib.sha256(f"{FORMAT}\n{code_version()}\n{name}\n".encode())
    h.update(repr((args, sorted(kwargs.items()), str(case.as_of_date))).encode())
    meta = case.meta if name in READS_CASE_YAML else {k: case.meta.get(k) for k in META}
    h.update(json.dumps(meta, sort_keys=True, default=str).encode())
    h.update(repr(sorted(importance.judgement_evidence(case))).encode())
    for table in TABLES:
        h.update(table.encode())
        h.update(getattr(case, table).to_csv(index=False).encode())
    return h.hexdigest()


def draw(fn: Callable[..., Chart], case, *args: Any, **kwargs: Any) -> Chart:
    """``fn(case, *args, **kwargs)``, read from the cache when an equal chart was drawn before."""
    where = folder()
    if where is None:
        return fn(case, *args, **kwargs)
    k = key(fn.__name__, case, args, kwargs)
    path = where / f"{k}.json"
    found = load(path, k)
    if found is not None:
        return found
    chart = fn(case, *args, **kwargs)
    store(path, k, chart)
    return chart


def load(path: Path, k: str) -> Chart | None:
    """The chart in ``path`` if it is a well-formed entry of this format for key ``k``, else None."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("format") != FORMAT or entry.get("key") != k:
            return None
        chart = Chart(
            figure=None,
            alt_text=str(entry["alt_text"]),
            title=str(entry["title"]),
            kind=str(entry["kind"]),
            as_of=dt.date.fromisoformat(entry["as_of"]),
            source_ids=[str(s) for s in entry["source_ids"]],
            data=pd.read_json(io.StringIO(entry["data"]), orient="table"),
            notes=[str(n) for n in entry["notes"]],
            empty=bool(entry["empty"]),
            marks={
                str(g): [Mark(str(t), tuple(map(str, ids))) for t, ids in ms]
                for g, ms in entry["marks"].items()
            },
            svg=entry["svg"].encode("utf-8"),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable, foreign or damaged: draw it again
    os.utime(path)  # recently used: kept longest
    return chart


def store(path: Path, k: str, chart: Chart) -> None:
    """Write the entry atomically (a temporary file, then a rename), then keep the cache bounded.

    A chart that cannot be written (a full disk, data JSON cannot hold) is simply not cached."""
    try:
        text = json.dumps(
            {
                "format": FORMAT,
                "key": k,
                "kind": chart.kind,
                "title": chart.title,
                "alt_text": chart.alt_text,
                "as_of": chart.as_of.isoformat(),
                "source_ids": list(chart.source_ids),
                "notes": list(chart.notes),
                "empty": chart.empty,
                "marks": {g: [[m.text, list(m.source_ids)] for m in ms] for g, ms in chart.marks.items()},
                "data": chart.data.to_json(orient="table", index=False, date_format="iso"),
                "svg": chart.to_svg().decode("utf-8"),
            },
            ensure_ascii=False,
        )
    except (TypeError, ValueError):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    prune(path.parent)


def prune(where: Path, keep: int = MAX_ENTRIES) -> None:
    """Delete the least recently used entries beyond ``keep``."""
    try:
        entries = sorted(where.glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    except OSError:
        return
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
