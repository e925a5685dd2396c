"""Edit a copy of a case the way an analyst (or a spreadsheet) would, for the bad-input tests.

``BAD_INPUTS`` names each bad input the issue lists, with the edit that makes it and what the report must
say: the file, the spreadsheet row, the column, the value and words of the broken rule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml


def read_rows(path: Path) -> list[list[str]]:
    """All records of a CSV (header first)."""
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(case: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row (the header is row 1)."""
    path = case / f"{table}.csv"
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def drop_column(case: Path, table: str, column: str) -> None:
    path = case / f"{table}.csv"
    rows = read_rows(path)
    i = rows[0].index(column)
    write_rows(path, [r[:i] + r[i + 1:] for r in rows])


def add_column(case: Path, table: str, column: str, value: str = "") -> None:
    path = case / f"{table}.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0] + [column]] + [r + [value] for r in rows[1:]])


def keep_header_only(case: Path, table: str) -> None:
    path = case / f"{table}.csv"
    write_rows(path, read_rows(path)[:1])


def reencode(case: Path, table: str, encoding: str, replace: dict[str, str] | None = None) -> None:
    """Save a table in another encoding, as a spreadsheet set to a local code page would."""
    path = case / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    path.write_bytes(text.encode(encoding))


def spreadsheet_save(case: Path, table: str) -> None:
    """Save as Excel's 'CSV UTF-8' does: a byte-order mark and CRLF line endings."""
    path = case / f"{table}.csv"
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def edit_yaml(case: Path, change: Callable[[dict], None]) -> None:
    """Load case.yaml, change the dict, write it back (comments are lost, which tests do not mind)."""
    path = case / "case.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


@dataclass(frozen=True)
class BadInput:
    """One bad input: how to make it from the mini case, and the problem the report must contain."""

    edit: Callable[[Path], None]
    file: str
    row: int | None
    column: str | None
    value: object | None
    words: str  # a phrase the rule must contain

    def matches(self, problem: object) -> bool:
        return (
            problem.file == self.file
            and problem.row == self.row
            and problem.column == self.column
            and (self.value is None or problem.value == self.value)
            and self.words in problem.rule
        )


# Hangul names replaced by Latin-1 ones, so the table can be saved as Latin-1 (longest first)
LATIN_NAMES = {"가국 외무부": "Élan MFA", "가국": "Élan", "씨 씨": "Zoë"}


def _missing_field(meta: dict) -> None:
    del meta["main_issue"]


BAD_INPUTS: dict[str, BadInput] = {
    "malformed date": BadInput(
        lambda c: set_cell(c, "events", 3, "date", "10 Jan 2025"),
        "events.csv", 3, "date", "10 Jan 2025", "is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
    "impossible month": BadInput(
        lambda c: set_cell(c, "events", 3, "date", "2025-13-01"),
        "events.csv", 3, "date", "2025-13-01", "is not a real date (month must be 01-12)"),
    "impossible day": BadInput(
        lambda c: set_cell(c, "positions", 2, "date", "2025-02-30"),
        "positions.csv", 2, "date", "2025-02-30", "is not a real date (day must be 01-28 in that month)"),
    "stance outside scale": BadInput(
        lambda c: set_cell(c, "positions", 3, "stance", "3"),
        "positions.csv", 3, "stance", "3", "outside the allowed range -2 to 2"),
    "unknown actor": BadInput(
        lambda c: set_cell(c, "events", 2, "actors", "person-c;ghost"),
        "events.csv", 2, "actors", "person-c;ghost", "lists 'ghost', which is not an id in actors.csv"),
    "unknown position actor": BadInput(
        lambda c: set_cell(c, "positions", 2, "actor", "nobody"),
        "positions.csv", 2, "actor", "nobody", "is not an id in actors.csv"),
    "unknown issue": BadInput(
        lambda c: set_cell(c, "positions", 4, "issue", "annexation"),
        "positions.csv", 4, "issue", "annexation", "is not an id in issues.csv"),
    "unknown source": BadInput(
        lambda c: set_cell(c, "events", 4, "source_ids", "S2;S99"),
        "events.csv", 4, "source_ids", "S2;S99", "lists 'S99', which is not an id in sources.csv"),
    "duplicate id": BadInput(
        lambda c: set_cell(c, "actors", 4, "id", "state-a"),
        "actors.csv", 4, "id", "state-a",
        "is a duplicate: every id in this table must be different (also in row 2)"),
    "missing required column": BadInput(
        lambda c: drop_column(c, "events", "category"),
        "events.csv", 1, None, None, "missing required column 'category'"),
    "extra unknown column": BadInput(
        lambda c: add_column(c, "actors", "colour", "red"),
        "actors.csv", 1, None, None, "extra column 'colour' is not in the schema for this table"),
    "empty table": BadInput(
        lambda c: keep_header_only(c, "issues"),
        "issues.csv", None, None, None, "has no rows; a case needs at least one"),
    "cp949 file": BadInput(
        lambda c: reencode(c, "sources", "cp949"),
        "sources.csv", None, None, None, "is not UTF-8 text (byte 0x"),
    "latin-1 file": BadInput(
        lambda c: reencode(c, "actors", "latin-1", LATIN_NAMES),
        "actors.csv", None, None, None, "is not UTF-8 text (byte 0xc9 at offset"),
    "missing case.yaml field": BadInput(
        lambda c: edit_yaml(c, _missing_field),
        "case.yaml", None, "main_issue", None, "is missing"),
}
