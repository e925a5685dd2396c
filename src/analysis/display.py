"""How the briefing notebook hands content to the brief: start it, then show its sections.

The notebook stays thin: ``ctx = start(**parameters)`` checks the parameters, loads (and, outside
``casebrief build``, validates) the case, slices it to the as-of date, and emits the brief's metadata
(title, as-of date, audience, provenance) as a display output of type :data:`MIME`; the exporter
(:mod:`analysis.exporter`) lifts it into the running header, the PDF metadata, the provenance line and,
unless the content brings its own ``<h1>``, a title block. Sections are HTML fragments (any object with
``_repr_html_``, or a string passed to :func:`show`).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis import __version__
from analysis.manifest import data_digest
from analysis.params import AUDIENCES, BriefParams, case_folder

if TYPE_CHECKING:
    from analysis.case import Case

#: Display output that carries the brief's metadata from the kernel to the exporter.
MIME = "application/vnd.casebrief.brief+json"
AUDIENCE_LABELS = {"analyst": "Analyst brief", "public": "Public brief"}


@dataclass
class BriefContext:
    """A brief being assembled: its parameters, the case as known on ``as_of``, and the full case."""

    params: BriefParams
    case: Case
    full: Case
    meta: dict[str, Any]


def start(**values: Any) -> BriefContext:
    """Check the parameters, load the case, slice it to ``as_of`` and emit the brief's metadata."""
    from analysis.case import load_case

    params = BriefParams.parse(**values).resolved()
    digest = data_digest(case_folder(params.case))
    # `casebrief build` validates each case before any kernel starts and passes the digest of what it
    # checked; run by hand (JupyterLab, papermill), the notebook validates here
    full = load_case(params.case, validate=os.environ.get("CASEBRIEF_VALIDATED") != digest[0])
    case = full.as_of(params.as_of)
    if params.issues:
        case = _only_issues(case, params.issues)
    meta = brief_metadata(params, full, digest)
    _emit({MIME: meta, "text/html": title_block_html(meta)})
    return BriefContext(params=params, case=case, full=full, meta=meta)


def brief_metadata(params: BriefParams, case: Case, digest: tuple[str, int] | None = None) -> dict[str, Any]:
    """The brief's title block, running header, provenance and document metadata, as plain JSON."""
    digest, n_files = digest or data_digest(case.path)
    meta = case.meta
    from analysis.publisher import load_publisher

    publisher = load_publisher(case.path)
    issues = [case.issue_label(i) for i in (params.issues or list(case.issues["id"]))]
    audience_label = AUDIENCE_LABELS.get(params.audience, params.audience.capitalize() + " brief")
    return {
        "title": params.title or case.title,
        "question": case.question,
        "case": case.id,
        "as_of": params.as_of.isoformat(),
        "since": params.since.isoformat() if params.since else None,
        "audience": params.audience,
        "audience_label": audience_label,
        "audience_about": AUDIENCES.get(params.audience, ""),
        "issues": issues,
        "author": publisher.name if publisher else str(meta.get("organisation") or meta.get("author")
                                                        or "casebrief"),
        "publisher": publisher.metadata() if publisher else None,
        "subject": case.question or str(meta.get("summary", "")),
        "keywords": [case.id, audience_label.lower(), *issues],
        "lang": str(meta.get("language", "en")),
        "updated": str(meta.get("updated", "")),
        "data_sha256": digest,
        "data_files": n_files,
        "parameters": params.describe(),
        "generator": f"casebrief {__version__}",
    }


def title_block_html(meta: dict[str, Any]) -> str:
    """The title block as JupyterLab shows it (the HTML template renders its own from ``meta``)."""
    e = html.escape
    return (
        f'<header class="cb-title"><p class="cb-kicker">{e(meta["audience_label"])}</p>'
        f"<h1>{e(meta['title'])}</h1><p>{e(meta['question'])}</p>"
        f"<p>As of {e(meta['as_of'])} · data {e(meta['data_sha256'][:12])}</p></header>"
    )


def show(fragment: str) -> None:
    """Display an HTML fragment (a section) as a notebook output."""
    _emit({"text/html": fragment})


def _emit(bundle: dict[str, Any]) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def _only_issues(case: Case, issues: tuple[str, ...]) -> Case:
    from dataclasses import replace

    keep = set(issues)
    return replace(
        case,
        issues=case.issues[case.issues["id"].isin(keep)],
        positions=case.positions[case.positions["issue"].isin(keep)],
    )
