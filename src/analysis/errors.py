"""The project's own exceptions: each carries problems a user can act on, without a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as the input allows.

    ``row`` is the spreadsheet row number (the header is row 1, the first data row is row 2).
    """

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: object | None = None

    #: words for the location parts; ``case.yaml`` problems say "line" and "field" instead
    row_word = "row"
    column_word = "column"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" {self.row_word} {self.row}"
        if self.column:
            where += f", {self.column_word} {self.column}"
        if self.value is not None and self.value != "":
            shown = str(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            return f"{where}: {shown!r} {self.rule}"
        return f"{where}: {self.rule}"


class CasebriefError(Exception):
    """Base class: the CLI prints these without a traceback and exits 2."""

    exit_code = 2


class CaseNotFoundError(CasebriefError):
    """The case id or path does not name a case folder."""


class CaseDataError(CasebriefError):
    """A case failed validation; ``problems`` lists every broken rule at once."""

    def __init__(self, case: str, problems: list[Problem]):
        self.case = case
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self, limit: int = 200) -> str:
        n = len(self.problems)
        head = f"case {self.case!r} is not valid: {n} problem{'s' if n != 1 else ''}"
        lines = [head] + [f"  - {p}" for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"  ... and {n - limit} more")
        return "\n".join(lines)


class ParameterError(CasebriefError):
    """Briefing parameters are invalid (checked before any kernel starts)."""


class BuildError(CasebriefError):
    """A build step failed; the message names the notebook, the cell and the original error."""
