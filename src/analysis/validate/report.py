"""What the checks produce: the problems (one per cell at most), and the outcome of checking a case.

Every layer adds to one :class:`Report`; a cell that already has a problem gets no second one, so one
mistake is not buried in its echoes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import Problem

DATAPACKAGE = "datapackage.json"
META = "case.yaml"
# The mark of the worked examples that 'casebrief new-case' writes: a case is not done while one remains.
EXAMPLE = re.compile(r"\bEXAMPLE\b")


@dataclass(frozen=True)
class YamlProblem(Problem):
    """A problem in ``case.yaml``: ``column`` holds the field's path and ``row`` its line number."""

    row_word = "line"
    column_word = "field"


@dataclass
class Validation:
    """The outcome of checking a case: its problems, row counts and how long the checks took."""

    case: str
    path: Path
    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: the case is valid, with its counts."""
        order = (
            "events",
            "actors",
            "issues",
            "positions",
            "legal_provisions",
            "sources",
            "quotes",
            "disputes",
        )
        parts = [count(self.counts[t], t) for t in order if t in self.counts]
        return f"case {self.case!r} is valid: {', '.join(parts)} (checked in {self.seconds:.2f} s)"


class Report:
    """Collects problems; a cell that already has a problem gets no second one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._cells: set[tuple[str, int, str]] = set()

    def add(
        self,
        file: str,
        rule: str,
        row: int | None = None,
        column: str | None = None,
        value: object | None = None,
    ) -> None:
        if row is not None and column:
            key = (file, row, column)
            if key in self._cells:
                return
            self._cells.add(key)
        self.problems.append(Problem(file, rule, row, column, value))

    def add_yaml(
        self, rule: str, path: str | None = None, line: int | None = None, value: object | None = None
    ) -> None:
        self.problems.append(YamlProblem(META, rule, line, path, value))

    def flagged(self, file: str, row: int, column: str) -> bool:
        return (file, row, column) in self._cells


def count(n: int, table: str) -> str:
    """'1 event', '3 legal provisions'."""
    words = table.replace("_", " ")
    return f"{n} {words[:-1] if n == 1 and words.endswith('s') else words}"


def shown(value: object) -> str:
    """A value as a problem shows it: text as is, anything else as its repr, nothing as ''."""
    return "" if value is None else (value if isinstance(value, str) else repr(value))
