"""Reading a case table: a CSV as text cells keyed by the schema's column names, with its header checked.

Encoding, the header (missing, extra, duplicate or unnamed columns), row widths, blank rows, over-long
cells and control characters are reported here; a table that cannot be read at all is left out, so the
later layers skip it rather than echo its problem.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from analysis.validate.report import Report
from analysis.validate.safe_read import (
    CONTROL,
    MAX_CELL_CHARS,
    MAX_CSV_BYTES,
    MAX_ROWS,
    decode_utf8,
    read_bytes,
)


@dataclass
class Table:
    """One CSV as text: the schema columns it has and its rows keyed by their names."""

    name: str
    file: str
    columns: set[str]  # schema columns present (the first of any duplicates)
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {column: cell})

    def ids(self) -> dict[str, int]:
        """``{id: row}`` for a table with an id column (the first row wins for a duplicate)."""
        out: dict[str, int] = {}
        if "id" in self.columns:
            for row, cells in self.rows:
                out.setdefault(cells.get("id", ""), row)
        return out


def read_table(folder: Path, resource: dict, report: Report) -> Table | None:
    """Read the table of ``resource`` from ``folder`` (None when it is missing or unreadable)."""
    file = resource["path"]
    path = folder / file
    if not path.is_file():
        return None  # reported with the files
    raw = read_bytes(path, MAX_CSV_BYTES, file, report)
    if raw is None:
        return None
    text, why = decode_utf8(raw, file)
    if text is None:
        report.add(file, why)
        return None
    if "\x00" in text:
        report.add(
            file,
            f"contains a NUL byte (line {text.count(chr(10), 0, text.index(chr(0))) + 1}); "
            "it is not a plain CSV file",
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        report.add(file, f"is not a readable CSV file (line {reader.line_num}: {exc})")
        return None
    if len(records) - 1 > MAX_ROWS:
        report.add(file, f"has {len(records) - 1:,} rows; a case table holds at most {MAX_ROWS:,}")
        return None
    if not records or not any(c.strip() for c in records[0]):
        report.add(file, "is empty: it needs a header row with the column names")
        return None
    header = records[0]
    position = _check_header(file, header, resource["schema"]["fields"], report)
    rows: list[tuple[int, dict[str, str]]] = []
    width = len(header)
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            report.add(file, "is blank; delete the row", row=number)
            continue
        if len(cells) != width:
            report.add(
                file,
                f"has {len(cells)} cells but the header has {width} columns "
                "(a stray comma, or a cell with an unquoted comma or line break?)",
                row=number,
            )
        rows.append((number, {name: (cells[i] if i < len(cells) else "") for name, i in position.items()}))
    if len(text) > MAX_CELL_CHARS or CONTROL.search(text):
        check_cell_text(file, rows, report)
    return Table(resource["name"], file, set(position), rows)


def _check_header(file: str, header: list[str], schema_fields: list[dict], report: Report) -> dict[str, int]:
    """Report duplicate, unnamed, extra and missing columns; return ``{schema column: its position}``."""
    fields = [f["name"] for f in schema_fields]
    required = {f["name"] for f in schema_fields if f.get("constraints", {}).get("required")}
    position: dict[str, int] = {}
    for i, label in enumerate(header):
        if label in position:
            report.add(
                file,
                f"column {label!r} appears twice in the header (columns {position[label] + 1} "
                f"and {i + 1}); delete one",
                row=1,
            )
        elif label in fields:
            position[label] = i
        elif not label.strip():
            report.add(file, f"column {i + 1} has no name in the header; name it or delete the column", row=1)
        else:
            near = difflib.get_close_matches(label.strip().lower(), fields, n=1, cutoff=0.75)
            hint = f"; did you mean {near[0]!r}?" if near else f" (its columns: {', '.join(fields)})"
            report.add(file, f"extra column {label!r} is not in the schema for this table{hint}", row=1)
    for name in fields:
        if name not in position:
            if name in required:
                report.add(file, f"missing required column {name!r}", row=1)
            else:
                report.add(
                    file, f"missing column {name!r} (the column must be there; its cells may be empty)", row=1
                )
    return position


def check_cell_text(file: str, rows: list[tuple[int, dict[str, str]]], report: Report) -> None:
    """Report over-long cells and control characters; blank those cells so later layers skip them cheaply."""
    for number, cells in rows:
        for name, cell in cells.items():
            if len(cell) > MAX_CELL_CHARS:
                rule = f"is too long ({len(cell):,} characters; a cell holds at most {MAX_CELL_CHARS:,})"
                report.add(file, rule, number, name, cell[:80])
            elif bad := CONTROL.search(cell):
                rule = f"contains the control character U+{ord(bad.group()):04X}; delete it"
                report.add(file, rule, number, name, cell)
            else:
                continue
            cells[name] = ""
