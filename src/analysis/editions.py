"""The editions ``casebrief build`` makes: one :class:`Edition` per notebook, found in :data:`EDITIONS`.

An edition says what its notebook takes (a :class:`~analysis.params.CaseParams` model), which runs one
audience asks for (its variants, e.g. the classroom's levels), which outputs each run gives for the
requested formats and under which names, and how an executed notebook becomes those outputs' bytes.
The build asks the edition of each audience (:attr:`analysis.audiences.Audience.edition`) and has no
branch for any of them. Modelled on papermill's engine registry: a small base class and an explicit
registry object, no module names in strings.

Light to import (no pandas, nbconvert or matplotlib): the no-op build plans through it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from analysis.audiences import Audience, audience
from analysis.classroom import edition as classroom
from analysis.classroom.params import LEVELS, ClassroomParams
from analysis.errors import BuildError
from analysis.manifest import previous_as_of
from analysis.params import BriefParams, CaseParams
from analysis.paths import NOTEBOOKS_DIR

if TYPE_CHECKING:
    from analysis.bundle import Bundle

#: The formats a build can ask for; an edition maps them to its own products.
FORMATS = ("html", "pdf")


#: ``evidence(fmt)``: the files an output carries (data package, publisher profile, its manifest entry).
Evidence = Callable[[str], "Bundle"]


class Job(Protocol):
    """What an edition needs to know of one notebook run to render it (the build's ``Target``)."""

    name: str
    notebook: Path
    case_dir: Path
    params: Any


class Edition:
    """One notebook and the outputs made from it. Subclasses set the class attributes and ``render``."""

    name: ClassVar[str]
    params: ClassVar[type[CaseParams]]
    notebook: ClassVar[Path]

    def variants(self, values: dict[str, Any], audience: Audience,
                 level: str | None = None) -> list[CaseParams]:
        """The parameters of each run ``audience`` gets, checked but not yet resolved against the case.

        ``values`` are the build's parameters; those the notebook does not declare are left out.
        """
        return [self.params.parse(**self._own(values))]

    def _own(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k in self.params.model_fields}

    def formats(self, requested: Sequence[str]) -> tuple[str, ...]:
        """The outputs of one run for the requested ``--format`` values (default: those formats)."""
        return tuple(requested)

    def output_name(self, case_id: str, params: Any, default_as_of: dt.date | None) -> str:
        """The stem of a run's outputs: ``<case>-<...>``, plus a suffix per non-default parameter."""
        raise NotImplementedError

    def settle(self, params: Any, case_reports: Path, name: str) -> Any:
        """Parameters filled from earlier builds of the case (default: none)."""
        return params

    def render(self, job: Job, nb: Any, formats: tuple[str, ...], epoch: int,
               evidence: Evidence) -> dict[str, bytes]:
        """The bytes of each output in ``formats`` from the executed notebook ``nb``.

        ``evidence(fmt)`` is what that output carries (:class:`analysis.bundle.Bundle`): an HTML output
        shows its download link, a PDF embeds its files.
        """
        raise NotImplementedError


def _as_of_suffix(params: Any, default_as_of: dt.date | None) -> list[str]:
    return [f"asof-{params.as_of.isoformat()}"] if params.as_of and params.as_of != default_as_of else []


class BriefEdition(Edition):
    """The brief (analyst and public audiences): ``notebooks/briefing.ipynb`` rendered to HTML and PDF."""

    name = "brief"
    params = BriefParams
    notebook = NOTEBOOKS_DIR / "briefing.ipynb"

    def variants(self, values: dict[str, Any], audience: Audience,
                 level: str | None = None) -> list[CaseParams]:
        return [BriefParams.parse(**self._own(values), audience=audience.name)]

    def output_name(self, case_id: str, params: Any, default_as_of: dt.date | None) -> str:
        """``<case>-<audience>``, plus a suffix for every parameter that differs from the default brief."""
        parts = [case_id, params.audience, *_as_of_suffix(params, default_as_of)]
        if params.since:
            parts.append(f"since-{params.since.isoformat()}")
        if params.issues:
            parts.append("issues-" + "+".join(params.issues))
        if params.title:
            parts.append("title-" + hashlib.sha256(params.title.encode()).hexdigest()[:8])
        return "-".join(parts)

    def settle(self, params: Any, case_reports: Path, name: str) -> Any:
        """"What changed" starts at the previous brief's date when ``since`` is not given.

        Fixed here, it becomes a recorded parameter instead of hidden state.
        """
        if params.since is not None:
            return params
        baseline = previous_as_of(case_reports, name, params.audience, params.as_of)
        return params.model_copy(update={"since": baseline}) if baseline else params

    def render(self, job: Job, nb: Any, formats: tuple[str, ...], epoch: int,
               evidence: Evidence) -> dict[str, bytes]:
        # nbconvert and WeasyPrint load only when something is rendered: the no-op build never imports them
        from analysis.exporter import CasebriefHTMLExporter, html_to_pdf

        resources = {"metadata": {"name": job.name}, "casebrief_evidence": evidence("html").html_link()}
        html, _ = CasebriefHTMLExporter().from_notebook_node(nb, resources=resources)
        out = {"html": html.encode("utf-8")}
        if "pdf" in formats:
            try:
                budget = audience(job.params.audience).print_pages
                out["pdf"] = html_to_pdf(html, attachments=evidence("pdf").pdf_attachments(),
                                         max_pages=budget[1] if budget else None)
            except Exception as exc:
                why = f"{type(exc).__name__}: {exc}"
                raise BuildError(f"{job.name}: printing the PDF failed: {why}") from None
        return out


class ClassroomEdition(Edition):
    """Teaching material from ``notebooks/classroom.ipynb``, one run per level.

    Rendered by :mod:`analysis.classroom.edition` (handout, guide, student notebook and bundle).
    """

    name = "classroom"
    params = ClassroomParams
    notebook = classroom.NOTEBOOK

    def variants(self, values: dict[str, Any], audience: Audience,
                 level: str | None = None) -> list[CaseParams]:
        """One run per level (``level`` None: every level); the brief's own parameters are not passed on."""
        return [ClassroomParams.parse(**self._own(values), level=lv) for lv in ([level] if level else LEVELS)]

    def formats(self, requested: Sequence[str]) -> tuple[str, ...]:
        """Handout and guide in each requested format, plus the student notebook and its bundle."""
        return classroom.products(requested)

    def output_name(self, case_id: str, params: Any, default_as_of: dt.date | None) -> str:
        """``<case>-classroom-<level>``, plus ``-asof-<date>`` when not the case's default date."""
        return "-".join([case_id, self.name, params.level, *_as_of_suffix(params, default_as_of)])

    def render(self, job: Job, nb: Any, formats: tuple[str, ...], epoch: int,
               evidence: Evidence) -> dict[str, bytes]:
        return classroom.render(nb, formats, name=job.name, notebook=job.notebook, params=job.params,
                                case_dir=job.case_dir, epoch=epoch, evidence=evidence)


class EditionRegistry:
    """The editions by name: ``EDITIONS.register(MyEdition())``, then ``EDITIONS["my-edition"]``."""

    def __init__(self) -> None:
        self._editions: dict[str, Edition] = {}

    def register(self, edition: Edition) -> None:
        self._editions[edition.name] = edition

    def __getitem__(self, name: str) -> Edition:
        try:
            return self._editions[name]
        except KeyError:
            raise KeyError(f"unknown edition {name!r}; one of: {', '.join(self._editions)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._editions

    def __iter__(self) -> Iterator[str]:
        return iter(self._editions)


EDITIONS = EditionRegistry()
EDITIONS.register(BriefEdition())
EDITIONS.register(ClassroomEdition())
