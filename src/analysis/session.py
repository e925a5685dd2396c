"""The notebook session: parameters resolved, the case loaded, validated and sliced once, for every cell.

``session = start(**parameters)`` (the briefing notebook's first cell) checks the parameters, loads the
case (validating it unless ``casebrief build`` already did), slices it to the as-of date and the chosen
issues, works out what changed since ``since``, and emits the brief's metadata as a display output of
type :data:`MIME`; the exporter (:mod:`analysis.exporter`) lifts it into the running header, the PDF
metadata, the provenance line and, unless the content brings its own ``<h1>``, a title block. The brief
(:class:`analysis.brief.Brief`), the charts drawn in the notebook and the classroom's lesson all read this
one session, so every section shows the same slice of the case.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from IPython.display import display

from analysis import __version__
from analysis.audiences import Audience, audience
from analysis.case import Case, Changes, load_case
from analysis.manifest import data_digest
from analysis.params import BriefParams, case_folder
from analysis.publisher import load_publisher

#: Display output that carries the brief's metadata from the kernel to the exporter.
MIME = "application/vnd.casebrief.brief+json"
#: Set by ``casebrief build`` to the data digest of the case it validated before starting any kernel.
VALIDATED = "CASEBRIEF_VALIDATED"


@dataclass
class Session:
    """One case as a brief (or lesson) covers it.

    Attributes
    ----------
    params
        The resolved parameters (:class:`~analysis.params.BriefParams`, or the classroom's): ``as_of`` set.
    full
        The whole case, as loaded (judgements' evidence is checked against it).
    case
        The case as known on ``as_of``, with only the chosen issues (and their positions).
    changes
        What changed between ``since`` and ``as_of`` on those issues; None without ``since``.
    digest
        (sha256, number of files) of the case's data, when known.
    meta
        The metadata handed to the exporter (set by :func:`start`).
    """

    params: Any
    full: Case
    case: Case
    changes: Changes | None = None
    digest: tuple[str, int] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    # -- construction ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, params: Any, folder: Path | None = None) -> Session:
        """Load the case of resolved ``params`` (from ``folder`` when given) and slice it.

        ``casebrief build`` validates each case before any kernel starts and passes the digest of what it
        checked; run by hand (JupyterLab, papermill), the case is validated here.
        """
        folder = case_folder(params.case) if folder is None else folder
        digest = data_digest(folder)
        full = load_case(folder, validate=os.environ.get(VALIDATED) != digest[0])
        return cls.slice(full, params, digest)

    @classmethod
    def of(cls, full: Case, **values: Any) -> Session:
        """The session of a case already loaded: ``Session.of(case, since="2025-06-01", issues=["a"])``.

        ``values`` are briefing parameters (:class:`~analysis.params.BriefParams`), checked against the case.
        """
        params = BriefParams.parse(case=full.id, **values).resolved(full.meta, folder=full.path)
        return cls.slice(full, params)

    @classmethod
    def slice(cls, full: Case, params: Any, digest: tuple[str, int] | None = None) -> Session:
        """Slice ``full`` once: to ``params.as_of``, to ``params.issues``, and the changes since ``since``
        (worked out on the whole case, so a first stated position is told from a shift, then filtered
        to the issues)."""
        if params.as_of is None:
            raise ValueError("the parameters are not resolved: as_of is None (call .resolved() first)")
        covered = only_issues(full, params.issues) if params.issues else full
        since = params.since
        issues = list(params.issues) if params.issues else None
        return cls(
            params=params,
            full=full,
            case=covered.as_of(params.as_of),
            changes=full.changes(since, params.as_of, issues=issues) if since else None,
            digest=digest,
        )

    # -- what the cells read ---------------------------------------------------------------------------
    @property
    def as_of(self):
        return self.params.as_of

    @property
    def since(self):
        return self.params.since

    @property
    def issues(self) -> list[str]:
        """The issue ids covered, in the order asked for (default: every issue, in file order)."""
        return list(self.params.issues) if self.params.issues else list(self.case.issues["id"])

    @property
    def audience(self) -> Audience:
        return audience(self.params.audience)

    @property
    def title(self) -> str | None:
        return self.params.title or None

    @property
    def main_issue(self) -> str:
        """``main_issue`` of case.yaml when covered, else the first issue covered."""
        main = str(self.case.meta.get("main_issue") or "")
        issues = self.issues
        return main if main in issues else (issues[0] if issues else "")


def start(**values: Any) -> Session:
    """Check the parameters, load and slice the case once, and emit the brief's metadata."""
    session = Session.load(BriefParams.parse(**values).resolved())
    session.meta = brief_metadata(session)
    emit({MIME: session.meta, "text/html": title_block_html(session.meta)})
    return session


def only_issues(case: Case, issues: tuple[str, ...] | list[str]) -> Case:
    """``case`` with only these issues and the positions on them."""
    keep = set(issues)
    return replace(
        case,
        issues=case.issues[case.issues["id"].isin(keep)],
        positions=case.positions[case.positions["issue"].isin(keep)],
    )


def brief_metadata(session: Session) -> dict[str, Any]:
    """The brief's title block, running header, provenance and document metadata, as plain JSON."""
    params, case = session.params, session.full
    publisher = load_publisher(case.path)
    digest, n_files = session.digest or data_digest(case.path)
    meta = case.meta
    issues = [case.issue_label(i) for i in session.issues]
    who = session.audience
    return {
        "title": session.title or case.title,
        "question": case.question,
        "case": case.id,
        "as_of": session.as_of.isoformat(),
        "since": session.since.isoformat() if session.since else None,
        "audience": who.name,
        "audience_label": who.label,
        "audience_about": who.description,
        "issues": issues,
        "author": publisher.name if publisher else str(meta.get("organisation") or meta.get("author")
                                                        or "casebrief"),
        "publisher": publisher.metadata() if publisher else None,
        "subject": case.question or str(meta.get("summary", "")),
        "keywords": [case.id, who.label.lower(), *issues],
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


def emit(bundle: dict[str, Any]) -> None:
    """Display a raw MIME bundle as a notebook output (the metadata for the exporter, a title block)."""
    display(bundle, raw=True)
