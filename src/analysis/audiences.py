"""Who a brief is written for: one :class:`Audience` record says everything about an audience.

Every other module asks this registry (its label, which sections it gets, whether it reads the plain
summary, which edition renders it) instead of comparing audience names. Light: standard library only,
so the build's up-to-date check can import it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The brief's sections, in reading order (see :mod:`analysis.brief.compose`).
SECTIONS: tuple[str, ...] = ("title", "judgements", "changes", "timeline", "stakeholders", "legal", "gaps",
                             "indicators", "sources", "annex")


@dataclass(frozen=True)
class Audience:
    """An audience: its name, how it is labelled, what it gets and which edition renders it.

    ``plain`` marks the plain-language summary: judgements without rationale, no working tables, the
    main issue's map only, a compact source list. ``edition`` names an entry of
    :data:`analysis.editions.EDITIONS` (the notebook and the outputs).
    """

    name: str
    label: str  # on the cover and in the running header: "Analyst brief"
    description: str  # one line, for --help and parameter errors
    edition: str  # "brief" or "classroom"
    sections: tuple[str, ...] = ()  # brief sections in reading order; empty for other editions
    plain: bool = False
    title_label: str = ""  # the title block's kicker when it differs from ``label``
    #: The printed brief's page budget (fewest, most A4 pages). Over the most, the PDF is printed again
    #: leaving out, step by step, what the brief marks as droppable from print (see
    #: :func:`analysis.exporter.html_to_pdf`); each such part says in print where it is instead.
    print_pages: tuple[int, int] | None = None
    #: The parts whose print starts on a new page: section names, and ``provenance`` (the annex's data
    #: and build record, the back page). With ``judgements``, the title block and the contents make a
    #: cover page. Over the page budget, the first fitting steps let them run on after what precedes
    #: them (the back page first, then the rest; ``FIT_STEPS`` in :mod:`analysis.brief.compose`).
    page_starts: tuple[str, ...] = ()

    @property
    def kicker(self) -> str:
        return self.title_label or self.label

    def wants(self, section: str) -> bool:
        return section in self.sections


AUDIENCES: dict[str, Audience] = {
    a.name: a
    for a in (
        Audience("analyst", "Analyst brief",
                 "full detail: every section, evidence tables, disputes and caveats",
                 edition="brief", sections=SECTIONS, print_pages=(6, 14),
                 page_starts=("judgements", "sources", "annex", "provenance")),
        Audience("public", "Public brief",
                 "plain language: judgements, timeline and sources, without working tables",
                 edition="brief", plain=True, title_label="Public summary", print_pages=(1, 2),
                 sections=("title", "judgements", "changes", "timeline", "stakeholders", "sources")),
        Audience("classroom", "Classroom edition",
                 "teaching material: student handout, instructor guide and a runnable student notebook",
                 edition="classroom"),
    )
}


def audience(name: str) -> Audience:
    """The record of ``name``; ``KeyError`` names the known audiences."""
    try:
        return AUDIENCES[name]
    except KeyError:
        raise KeyError(f"unknown audience {name!r}; one of: {', '.join(AUDIENCES)}") from None
