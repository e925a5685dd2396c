"""Numbered citations: sources are numbered in the order the brief first cites them.

One :class:`Citations` registry lives for one brief. Sections call :meth:`Citations.cite`; the Sources
section (:func:`analysis.brief.sections.sources`) then lists exactly the sources cited, in that order, each
with the anchor every citation links to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd

from analysis.brief.markup import esc
from analysis.errors import CaseDataError, Problem


def anchor(source_id: str) -> str:
    """The HTML id of a source's entry in the Sources section."""
    return f"src-{source_id}"


class Citations:
    """Registry of cited sources for one brief.

    Parameters
    ----------
    sources
        The case's ``sources`` table (the as-of slice: a brief cannot cite what was not yet published).
    """

    def __init__(self, sources: pd.DataFrame):
        self.sources = sources.set_index("id", drop=False)
        self._order: list[str] = []
        self._online = False
        self._step = 0  # the fitting step of the part being cited (0: a part print always keeps)
        # source cited in print -> the fitting step from which print cites it nowhere (0: never)
        self._drop: dict[str, int] = {}

    @contextmanager
    def online(self) -> Iterator[None]:
        """Cite for a part that only the HTML edition shows (print hides it): a source cited only there
        keeps its number, and the Sources list marks its entry for the HTML edition only."""
        before, self._online = self._online, True
        try:
            yield
        finally:
            self._online = before

    @contextmanager
    def droppable(self, step: int) -> Iterator[None]:
        """Cite for a part that print leaves out from fitting step ``step`` on (``fit-drop-<step>``, see
        :func:`analysis.exporter.html_to_pdf`): a source cited in print only in such parts is marked to
        leave the printed Sources list at the step that removes its last printed citation."""
        before, self._step = self._step, max(self._step, step)
        try:
            yield
        finally:
            self._step = before

    def dropped_from(self, source_id: str) -> int:
        """The fitting step from which print no longer cites ``source_id`` (0: print always does)."""
        return self._drop.get(source_id, 0)

    def printed(self, source_id: str) -> bool:
        """Whether a cited source is cited at least once in a part that print shows."""
        return source_id in self._drop

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._order

    @property
    def order(self) -> list[str]:
        """Cited source ids, in citation-number order."""
        return list(self._order)

    def number(self, source_id: str) -> int:
        """The citation number of a source, assigning the next one on first use."""
        if source_id not in self.sources.index:
            raise CaseDataError(
                "brief",
                [Problem("sources.csv", "is cited but is not a known source (as of this brief)",
                         value=source_id)],
            )
        if source_id not in self._order:
            self._order.append(source_id)
        if not self._online and self._drop.get(source_id) != 0:  # 0: already cited where print keeps it
            self._drop[source_id] = max(self._step, self._drop.get(source_id, 0)) if self._step else 0
        return self._order.index(source_id) + 1

    def known(self, source_ids: Iterable[str]) -> str:
        """The numbers of those of ``source_ids`` the brief already cites, as plain text ('3, 5–8'), or
        ''; numbers nothing new, so a chart's tooltips never change the brief's numbering."""
        numbers = sorted({self._order.index(s) + 1 for s in source_ids if s in self._order})
        runs: list[list[int]] = []
        for n in numbers:
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        return ", ".join(f"{r[0]}–{r[-1]}" if len(r) >= 3 else ", ".join(map(str, r)) for r in runs)

    def cite(self, source_ids: str | Iterable[str]) -> str:
        """HTML citation links: one source gives ``<a class="cite" href="#src-SRC001">[1]</a>``.

        Several sources give one bracket, ``[1, 4–7]``, inside ``<span class="cites">``: every number
        written is a link to its entry, and a run of three or more consecutive numbers is shortened to
        its first and last (both links). Duplicates are cited once; an empty list gives ''.
        """
        if isinstance(source_ids, str):
            source_ids = [source_ids]
        ids = list(dict.fromkeys(s for s in source_ids if s))
        numbered = sorted((self.number(s), s) for s in ids)
        if not numbered:
            return ""
        if len(numbered) == 1:
            n, s = numbered[0]
            return f'<a class="cite" href="#{esc(anchor(s))}">[{n}]</a>'
        runs: list[list[tuple[int, str]]] = []
        for item in numbered:
            if runs and item[0] == runs[-1][-1][0] + 1:
                runs[-1].append(item)
            else:
                runs.append([item])
        parts = []
        for run in runs:
            links = [f'<a class="cite" href="#{esc(anchor(s))}">{n}</a>' for n, s in run]
            parts.append(f"{links[0]}–{links[-1]}" if len(run) >= 3 else ", ".join(links))
        return f'<span class="cites">[{", ".join(parts)}]</span>'

    def rows(self) -> pd.DataFrame:
        """The cited sources in citation order, with a ``number`` column."""
        out = self.sources.loc[self._order].reset_index(drop=True).copy()
        out.insert(0, "number", range(1, len(out) + 1))
        return out
