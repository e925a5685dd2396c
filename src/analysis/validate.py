"""Check a case package and report every problem at once, in the words of the person who edits it.

The checks run in layers that add to one list of problems: files (and schema drift), encoding, header,
the Frictionless table checks (types, constraints, primary and foreign keys), domain rules, and
``case.yaml``. A layer that cannot run on a broken table skips that table only, so one mistake neither
hides the others nor buries them in echoes; a cell gets at most one problem (the first layer's).

The checks always use the casebrief schema (``src/analysis/schema/datapackage.json``): a case's own
``datapackage.json`` must match it, and drift is reported rather than obeyed. Column order is free, as in a
spreadsheet. Nothing here imports pandas; Frictionless is imported only when the table checks run.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import difflib
import io
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.dates import PartialDateError, parse_partial
from analysis.errors import CaseDataError, Problem
from analysis.judgements import evidence_index, judgement_problems
from analysis.tableschema import canonical_schema

DATAPACKAGE = "datapackage.json"
META = "case.yaml"
MAX_YAML_BYTES = 1_000_000  # a case.yaml is a few kilobytes; the bound keeps a hostile file cheap to refuse
MAX_JSON_BYTES = 5_000_000
MAX_CSV_BYTES = 100_000_000
# Bounds that keep a hostile table cheap to refuse (a 100,000-row table took 44 s to check and would take
# far longer to draw): the synthetic stress case has 5,000 events; the longest real cell is ~600 characters.
MAX_ROWS = 20_000
MAX_CELL_CHARS = 10_000
# Control characters (but tab, line feed, carriage return) and the noncharacters U+FFFE/U+FFFF are invalid in
# HTML and XML, and in a terminal they can rewrite what the user sees: refused wherever text is read.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# Tables a case cannot do without: a brief with no sources, actors, issues or events says nothing.
NON_EMPTY_TABLES = ("sources", "actors", "issues", "events")
# Partial-date columns (text in the schema, so Frictionless checks only their shape).
DATE_COLUMNS = {
    "sources": ("published",),
    "events": ("date", "date_end"),
    "positions": ("date",),
    "quotes": ("date",),
    "legal_provisions": ("adopted",),
}
# Every reference between tables: (table, column, referenced table, is the cell a ';' list?). The
# Frictionless foreign keys cover the single ids; the lists are checked here only.
REFERENCES = (
    ("actors", "parent", "actors", False),
    ("events", "actors", "actors", True),
    ("events", "source_ids", "sources", True),
    ("positions", "actor", "actors", False),
    ("positions", "issue", "issues", False),
    ("positions", "event", "events", False),
    ("positions", "source_ids", "sources", True),
    ("legal_provisions", "source_ids", "sources", True),
    ("legal_provisions", "adopted_source_ids", "sources", True),
    ("quotes", "speaker", "actors", False),
    ("quotes", "source_id", "sources", False),
    ("quotes", "event", "events", False),
    ("dispute_claims", "dispute", "disputes", False),
    ("dispute_claims", "source_ids", "sources", True),
)
# Tables whose rows may be cited as evidence for a key judgement.
EVIDENCE_TABLES = ("events", "positions", "legal_provisions", "disputes", "sources")
EVIDENCE_BASES = ("quote", "paraphrase", "inferred")

_ID = "[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"
_PATTERN_WORDS = {
    _ID: "is not an id (letters, digits, '_', '.' or '-', starting with a letter or digit, "
    "at most 40 characters)",
    f"{_ID}(;{_ID})*": "is not a list of ids separated by ';' (no spaces, no empty items)",
    "\\d{4}(-\\d{2}(-\\d{2})?)?": "is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
    "https?://\\S+": "is not a web address (it must start with http:// or https:// and have no spaces)",
    "[a-z]{2,3}": "is not a language code (ISO 639-1 in lowercase, e.g. en, ko, uk)",
    "[A-Z]{3}": "is not a country code (ISO 3166-1 alpha-3 in capitals, e.g. KOR, UKR)",
}
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class YamlProblem(Problem):
    """A problem in ``case.yaml``: ``column`` holds the field's path and ``row`` its line number."""

    row_word = "line"
    column_word = "field"


@dataclass
class Table:
    """One CSV as text: its header and its rows keyed by the schema's column names."""

    name: str
    file: str
    header: list[str]
    columns: set[str]  # schema columns present (the first of any duplicates)
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {column: cell})

    def ids(self) -> dict[str, int]:
        """``{id: row}`` for a table with an id column (the first row wins for a duplicate)."""
        out: dict[str, int] = {}
        if "id" in self.columns:
            for row, cells in self.rows:
                out.setdefault(cells.get("id", ""), row)
        return out


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
        parts = [_count(self.counts[t], t) for t in order if t in self.counts]
        return f"case {self.case!r} is valid: {', '.join(parts)} (checked in {self.seconds:.2f} s)"


class _Report:
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


# ------------------------------------------------------------------------------------------------
# public entry points


def validate_case(path: str | Path) -> None:
    """Check the case folder at ``path``; raise :class:`CaseDataError` listing every problem at once."""
    result = check_case(path)
    if result.problems:
        raise CaseDataError(result.case, result.problems)


def check_case(path: str | Path) -> Validation:
    """Run every check on the case folder at ``path`` and return the problems found (never raises)."""
    started = time.perf_counter()
    folder = Path(path)
    report = _Report()
    timings: dict[str, float] = {}
    tables: dict[str, Table] = {}
    canonical = _canonical_schema()
    try:
        tick = time.perf_counter()
        _check_files(folder, canonical, report)
        for resource in canonical["resources"]:
            table = _read_table(folder, resource, report)
            if table is not None:
                tables[table.name] = table
        timings["read"] = time.perf_counter() - tick
        tick = time.perf_counter()
        meta, lines = _read_meta(folder, report)
        timings["case.yaml"] = time.perf_counter() - tick
        tick = time.perf_counter()
        _frictionless_checks(tables, canonical, report)
        timings["frictionless"] = time.perf_counter() - tick
        tick = time.perf_counter()
        _domain_checks(tables, canonical, meta, report)
        if meta is not None:
            _check_meta(meta, lines, tables, report)
        timings["domain"] = time.perf_counter() - tick
    except Exception as exc:  # a bug or an input nobody foresaw: still a report, never a traceback
        report.add(folder.name, f"could not be checked completely ({type(exc).__name__}: {exc})")
    order = [DATAPACKAGE, META] + [f"{r['name']}.csv" for r in canonical["resources"]]
    rank = {name: i for i, name in enumerate(order)}
    problems = sorted(report.problems, key=lambda p: (rank.get(p.file, len(order)), p.row or 0))
    counts = {name: len(t.rows) for name, t in tables.items()}
    return Validation(folder.name, folder, problems, counts, time.perf_counter() - started, timings)


# ------------------------------------------------------------------------------------------------
# (a) files and schema drift


def _canonical_schema() -> dict:
    return canonical_schema()


def _check_files(folder: Path, canonical: dict, report: _Report) -> None:
    if not folder.is_dir():
        report.add(folder.name, f"is not a folder ({folder})")
        return
    dp = folder / DATAPACKAGE
    if not dp.is_file():
        report.add(
            DATAPACKAGE,
            "is missing; copy it from src/analysis/schema/datapackage.json "
            "(or create the case with 'casebrief new-case')",
        )
    else:
        raw = _read_bytes(dp, MAX_JSON_BYTES, DATAPACKAGE, report)
        if raw is not None:
            try:
                text = raw.decode("utf-8-sig")
                descriptor = json.loads(text)
            except UnicodeDecodeError as exc:
                report.add(
                    DATAPACKAGE, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
                )
            except json.JSONDecodeError as exc:
                report.add(
                    DATAPACKAGE, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                )
            except RecursionError:
                report.add(DATAPACKAGE, "is not valid JSON (nested too deeply)")
            else:
                _check_drift(descriptor, canonical, report)
    if not (folder / META).is_file():
        report.add(META, "is missing; every case needs a case.yaml with its narrative and judgements")
    for resource in canonical["resources"]:
        if not (folder / resource["path"]).is_file():
            report.add(
                resource["path"],
                "is missing (every table of the schema must be present, with at least its header row)",
            )


def _describe(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _check_drift(descriptor: object, canonical: dict, report: _Report) -> None:
    """Report where a case's datapackage.json differs from the casebrief schema (descriptions may differ)."""
    where = DATAPACKAGE
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add(where, "must be an object with a list of 'resources' (one per table)")
        return
    theirs: dict[str, dict] = {}
    for res in descriptor["resources"]:
        if isinstance(res, dict) and isinstance(res.get("name"), str):
            theirs[res["name"]] = res
        else:
            report.add(where, "has a resource without a name")
    known = {r["name"] for r in canonical["resources"]}
    for name in theirs:
        if name not in known:
            report.add(
                where, f"table {name!r} is not in the casebrief schema (tables: {', '.join(sorted(known))})"
            )
    for ours in canonical["resources"]:
        name = ours["name"]
        res = theirs.get(name)
        if res is None:
            report.add(where, f"table {name!r} is missing (it is in the casebrief schema)")
            continue
        if res.get("path") != ours["path"]:
            report.add(
                where,
                f"table {name!r}: path is {_describe(res.get('path'))}, "
                f"the casebrief schema says {_describe(ours['path'])}",
            )
        schema = res.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            report.add(where, f"table {name!r} has no schema with a list of fields")
            continue
        their_fields = {f.get("name"): f for f in schema["fields"] if isinstance(f, dict)}
        our_fields = {f["name"]: f for f in ours["schema"]["fields"]}
        for fname in their_fields:
            if fname not in our_fields:
                report.add(
                    where, f"table {name!r} has a field {fname!r} that the casebrief schema does not have"
                )
        for fname, ours_f in our_fields.items():
            theirs_f = their_fields.get(fname)
            if theirs_f is None:
                report.add(where, f"table {name!r} has no field {fname!r} (the casebrief schema has it)")
                continue
            for key in ("type", "format", "constraints"):
                if theirs_f.get(key) != ours_f.get(key):
                    report.add(
                        where,
                        f"table {name!r}, field {fname!r}: {key} is {_describe(theirs_f.get(key))}, "
                        f"the casebrief schema says {_describe(ours_f.get(key))}",
                    )
        for key in ("primaryKey", "foreignKeys"):
            if schema.get(key) != ours["schema"].get(key):
                report.add(
                    where,
                    f"table {name!r}: {key} is {_describe(schema.get(key))}, "
                    f"the casebrief schema says {_describe(ours['schema'].get(key))}",
                )


def _read_bytes(path: Path, limit: int, file: str, report: _Report) -> bytes | None:
    try:
        if path.is_symlink():
            # a link could make a case read (and a brief print) any file the user can read, e.g. /etc/passwd
            target = os.readlink(path)
            report.add(file, f"is a symbolic link (to {target}); copy the file into the case folder")
            return None
        size = path.stat().st_size
        if size > limit:
            report.add(file, f"is too large ({size:,} bytes; at most {limit:,})")
            return None
        return path.read_bytes()
    except OSError as exc:
        report.add(file, f"cannot be read ({exc.strerror or exc})")
        return None


# ------------------------------------------------------------------------------------------------
# (b) encoding and (c) header


def decode_utf8(raw: bytes, file: str) -> tuple[str | None, str | None]:
    """Decode a file saved as UTF-8 (a BOM is fine); return ``(text, None)`` or ``(None, why not)``."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "is UTF-16 text, not UTF-8; save it as 'CSV UTF-8'"
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[bom:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line = raw.count(b"\n", 0, offset) + 1
        return None, (
            f"is not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset}, line {line}); "
            "save it as 'CSV UTF-8'"
        )


def _read_table(folder: Path, resource: dict, report: _Report) -> Table | None:
    file = resource["path"]
    path = folder / file
    if not path.is_file():
        return None  # reported with the files
    raw = _read_bytes(path, MAX_CSV_BYTES, file, report)
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
    fields = [f["name"] for f in resource["schema"]["fields"]]
    required = {f["name"] for f in resource["schema"]["fields"] if f.get("constraints", {}).get("required")}
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
        _check_cell_text(file, rows, report)
    return Table(resource["name"], file, header, set(position), rows)


def _check_cell_text(file: str, rows: list[tuple[int, dict[str, str]]], report: _Report) -> None:
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


# ------------------------------------------------------------------------------------------------
# (d) Frictionless: types, constraints, primary and foreign keys


def _frictionless_checks(tables: dict[str, Table], canonical: dict, report: _Report) -> None:
    if not tables:
        return
    from frictionless import Package, Resource, Schema  # imported here: it costs half a second

    resources = []
    meta: dict[str, tuple[Table, dict, list[int]]] = {}
    for res in canonical["resources"]:
        table = tables.get(res["name"])
        if table is None:
            continue
        schema = _schema_for(table, res["schema"], tables)
        names = [f["name"] for f in schema["fields"]]
        data = [names] + [[cells[n] for n in names] for _, cells in table.rows]
        rownums = [row for row, _ in table.rows]
        resources.append(Resource(name=res["name"], data=data, schema=Schema.from_descriptor(schema)))
        meta[res["name"]] = (table, schema, rownums)
    result = Package(resources=resources).validate(limit_errors=1_000_000)
    for error in result.errors:  # package-level trouble: a bug in the schema, not the user's data
        report.add(DATAPACKAGE, f"the table checks could not run ({error.note})")
    for task in result.tasks:
        table, schema, rownums = meta[task.name]
        for error in task.errors:
            _map_error(error, table, schema, rownums, report)


def _schema_for(table: Table, schema: dict, tables: dict[str, Table]) -> dict:
    """The schema restricted to the columns present, with only the keys that can be checked."""
    out = {"fields": [copy.deepcopy(f) for f in schema["fields"] if f["name"] in table.columns]}
    pk = schema.get("primaryKey")
    if pk and all(k in table.columns for k in pk):
        out["primaryKey"] = list(pk)
    fks = []
    for fk in schema.get("foreignKeys", []):
        target = tables.get(fk["reference"]["resource"])
        if (
            target is not None
            and target.rows  # an empty table is reported as such; every reference to it would only echo that
            and all(f in table.columns for f in fk["fields"])
            and all(f in target.columns for f in fk["reference"]["fields"])
        ):
            fks.append(copy.deepcopy(fk))
    if fks:
        out["foreignKeys"] = fks
    return out


def _spreadsheet_row(note_or_number: object, rownums: list[int]) -> int | None:
    try:
        n = int(note_or_number)  # Frictionless counts the header as row 1, as a spreadsheet does
    except (TypeError, ValueError):
        return None
    return rownums[n - 2] if 2 <= n < len(rownums) + 2 else n


def _map_error(error: Any, table: Table, schema: dict, rownums: list[int], report: _Report) -> None:
    kind = error.type
    file = table.file
    row = _spreadsheet_row(getattr(error, "row_number", None), rownums)
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    note = str(getattr(error, "note", ""))
    fdef = next((f for f in schema["fields"] if f["name"] == column), {})
    if kind == "type-error":
        report.add(file, _type_rule(fdef, cell), row, column, cell)
    elif kind == "constraint-error":
        report.add(file, _constraint_rule(fdef, cell, note), row, column, cell)
    elif kind in ("unique-error", "primary-key"):
        # both name the earlier row "at position N"; a one-column primary key reads like a unique column
        keys = [column] if kind == "unique-error" else schema.get("primaryKey", [])
        found = re.search(r"position (\d+)", note)
        first = _spreadsheet_row(found.group(1), rownums) if found else None
        if len(keys) == 1:
            also = f" (also in row {first})" if first else ""
            value = cell if kind == "unique-error" else _key_cells(table, row, keys)[0]
            report.add(file, f"is a duplicate: every {keys[0]} in this table must be different{also}",
                       row, keys[0], value)
        else:
            shown = ", ".join(f"{k} {v!r}" for k, v in zip(keys, _key_cells(table, row, keys), strict=True))
            also = f" of row {first}" if first else ""
            report.add(file, f"repeats the key ({shown}){also}; each combination of "
                       f"{' and '.join(keys)} must appear once", row)
    elif kind == "foreign-key":
        names = getattr(error, "field_names", None) or []
        col = names[0] if names else None
        target = re.search(r'lookup table "([^"]+)"', note)
        where = f"{target.group(1)}.csv" if target else "the table it refers to"
        value = _key_cells(table, row, [col])[0] if col else None
        report.add(file, f"is not an id in {where}", row, col, value)
    elif kind in ("blank-row", "extra-cell", "missing-cell"):
        report.add(file, f"{error.title.lower()}: {note}", row)
    else:
        report.add(file, f"{getattr(error, 'title', kind)}: {note}", row, column, cell)


def _key_cells(table: Table, row: int | None, keys: list[str]) -> list[str | None]:
    for number, cells in table.rows:
        if number == row:
            return [cells.get(k) for k in keys]
    return [None for _ in keys]


def _type_rule(fdef: dict, cell: object) -> str:
    kind = fdef.get("type")
    if kind == "integer":
        return "is not a whole number"
    if kind == "number":
        return "is not a number"
    if kind == "boolean":
        return "is not true or false"
    if kind == "date":
        text = str(cell).strip()
        if _FULL_DATE.match(text):
            try:
                parse_partial(text)
            except PartialDateError as exc:
                return str(exc)
        return "is not a date (YYYY-MM-DD)"
    return f"is not a valid {kind}"


def _constraint_rule(fdef: dict, cell: object, note: str) -> str:
    found = re.search(r'constraint "(\w+)"', note)
    which = found.group(1) if found else ""
    cons = fdef.get("constraints", {})
    if which == "required":
        return "is empty, but this column is required"
    if which == "enum":
        return f"is not one of: {', '.join(str(v) for v in cons.get('enum', []))}"
    if which == "pattern":
        return _PATTERN_WORDS.get(
            cons.get("pattern", ""), f"does not match the pattern {cons.get('pattern')}"
        )
    if which in ("minimum", "maximum"):
        lo, hi = cons.get("minimum"), cons.get("maximum")
        if lo is not None and hi is not None:
            return f"is outside the allowed range {lo} to {hi}"
        return f"is below the minimum {lo}" if which == "minimum" else f"is above the maximum {hi}"
    if which in ("maxLength", "minLength"):
        limit = cons.get(which)
        size = len(str(cell))
        return (
            f"is too long ({size} characters; at most {limit})"
            if which == "maxLength"
            else f"is too short ({size} characters; at least {limit})"
        )
    return f"breaks a rule of the schema ({note})"


# ------------------------------------------------------------------------------------------------
# (e) domain rules


def _domain_checks(tables: dict[str, Table], canonical: dict, meta: dict | None, report: _Report) -> None:
    for name in NON_EMPTY_TABLES:
        table = tables.get(name)
        if table is not None and not table.rows:
            report.add(table.file, "has no rows; a case needs at least one")
    ids = {name: t.ids() for name, t in tables.items() if "id" in t.columns}
    _check_references(tables, ids, report)
    spans = _check_dates(tables, report)
    _check_event_dates(tables, spans, report)
    _check_source_dates(tables, spans, report)
    period = _meta_period(meta)
    if period is not None:
        _check_period(tables.get("events"), spans, period, report)
    _check_positions(tables.get("positions"), _meta_scale(meta), report)
    _check_disputes(tables, ids, canonical, report)


def _cells(table: Table | None, column: str, report: _Report) -> Iterable[tuple[int, str]]:
    """``(row, cell)`` of a column, skipping cells that already have a problem."""
    if table is None or column not in table.columns:
        return
    for row, cells in table.rows:
        if not report.flagged(table.file, row, column):
            yield row, cells[column]


def _check_references(tables: dict[str, Table], ids: dict[str, dict[str, int]], report: _Report) -> None:
    for name, column, target, is_list in REFERENCES:
        table, known = tables.get(name), ids.get(target)
        if table is None or not known or column not in table.columns:
            # a missing or empty table or column is reported already; checking against it would only echo that
            continue
        for row, cell in _cells(table, column, report):
            if not cell:
                continue
            items = [x for x in cell.split(";")] if is_list else [cell]
            unknown = [x for x in items if x not in known]
            if unknown:
                listed = ", ".join(repr(x) for x in unknown)
                if is_list and unknown != [cell]:
                    rule = (
                        f"lists {listed}, which {'is not an id' if len(unknown) == 1 else 'are not ids'} "
                        f"in {tables[target].file}"
                    )
                else:
                    rule = f"is not an id in {tables[target].file}"
                report.add(table.file, rule, row, column, cell)


Span = tuple[dt.date, dt.date, str]


def _check_dates(tables: dict[str, Table], report: _Report) -> dict[tuple[str, int, str], Span]:
    """Parse every partial date once; impossible dates (2025-02-30) become problems."""
    spans: dict[tuple[str, int, str], Span] = {}
    for name, columns in DATE_COLUMNS.items():
        table = tables.get(name)
        for column in columns:
            for row, cell in _cells(table, column, report):
                if not cell:
                    continue
                try:
                    spans[(name, row, column)] = parse_partial(cell)
                except PartialDateError as exc:
                    report.add(table.file, str(exc), row, column, cell)
    return spans


def _shape(precision: str) -> str:
    return {"day": "a full date (YYYY-MM-DD)", "month": "a month (YYYY-MM)", "year": "a year (YYYY)"}[
        precision
    ]


def _check_event_dates(tables: dict[str, Table], spans: dict, report: _Report) -> None:
    events = tables.get("events")
    if events is None or not {"date", "date_precision", "date_end"} <= events.columns:
        return
    for row, cells in events.rows:
        precision, start, end = cells["date_precision"], spans.get(("events", row, "date")), cells["date_end"]
        if report.flagged(events.file, row, "date_precision") or start is None:
            continue
        if precision in ("day", "month", "year") and start[2] != precision:
            report.add(
                events.file,
                f"does not match the date {cells['date']!r}, which is {_shape(start[2])}",
                row,
                "date_precision",
                precision,
            )
        if precision == "range":
            if not end:
                report.add(
                    events.file,
                    "is empty, but date_precision is 'range': give the last day of the range",
                    row,
                    "date_end",
                    "",
                )
            elif ("events", row, "date_end") in spans and spans[("events", row, "date_end")][0] <= start[0]:
                report.add(
                    events.file,
                    f"is not after the date {cells['date']!r}; a range ends after it starts",
                    row,
                    "date_end",
                    end,
                )
        elif end and not report.flagged(events.file, row, "date_end"):
            report.add(
                events.file,
                f"is set but date_precision is {precision!r}: use 'range', or leave date_end empty",
                row,
                "date_end",
                end,
            )


def _check_source_dates(tables: dict[str, Table], spans: dict, report: _Report) -> None:
    """Sources: precision matches the date; no row is dated after every source that reports it."""
    sources = tables.get("sources")
    if sources is None or "published" not in sources.columns:
        return
    published: dict[str, Span | None] = {}
    for row, cells in sources.rows:
        sid = cells.get("id", "")
        span = spans.get(("sources", row, "published"))
        published.setdefault(sid, span)
        precision = cells.get("published_precision", "")
        if report.flagged(sources.file, row, "published_precision") or report.flagged(
            sources.file, row, "published"
        ):
            continue
        if not cells["published"]:
            if precision and precision != "unknown":
                report.add(
                    sources.file,
                    f"is {precision!r} but published is empty: use 'unknown' for an undated source",
                    row,
                    "published_precision",
                    precision,
                )
        elif precision == "unknown":
            report.add(
                sources.file,
                f"is 'unknown' but published is {cells['published']!r}: say how precise "
                "the date is (day, month or year)",
                row,
                "published_precision",
                precision,
            )
        elif span is not None and precision in ("day", "month", "year") and span[2] != precision:
            report.add(
                sources.file,
                f"does not match published {cells['published']!r}, which is {_shape(span[2])}",
                row,
                "published_precision",
                precision,
            )
        accessed = cells.get("accessed", "")
        if (
            span is not None
            and _FULL_DATE.match(accessed)
            and not report.flagged(sources.file, row, "accessed")
        ):
            try:
                seen = dt.date.fromisoformat(accessed)
            except ValueError:
                seen = None
            if seen is not None and seen < span[0]:
                report.add(
                    sources.file,
                    f"is before the source was published ({cells['published']})",
                    row,
                    "accessed",
                    accessed,
                )
    for name, column in (("events", "source_ids"), ("positions", "source_ids"), ("quotes", "source_id")):
        table = tables.get(name)
        if table is None or column not in table.columns:
            continue
        for row, cells in table.rows:
            span = spans.get((name, row, "date"))
            cited = [s for s in cells[column].split(";") if s]
            if span is None or not cited or report.flagged(table.file, row, column):
                continue
            dates = [published.get(s) for s in cited]
            if any(d is None for d in dates):
                continue  # an undated or unknown source might be later: nothing to say
            latest_sid, latest = max(zip(cited, dates, strict=True), key=lambda x: x[1][1])
            if span[0] > latest[1]:
                what = {"events": "an event", "positions": "a position", "quotes": "a quote"}[name]
                report.add(
                    table.file,
                    f"is later than every source cited for it (the latest, {latest_sid}, "
                    f"was published {_fmt_span(latest)}); {what} cannot be reported before its date",
                    row,
                    "date",
                    cells["date"],
                )


def _fmt_span(span: Span) -> str:
    first, _, precision = span
    return {"day": first.isoformat(), "month": first.strftime("%Y-%m"), "year": str(first.year)}[precision]


def _check_period(
    events: Table | None, spans: dict, period: tuple[dt.date, dt.date], report: _Report
) -> None:
    """An event must overlap the case period (a month-precision date overlaps if any of its days does)."""
    if events is None:
        return
    start, end = period
    for row, cells in events.rows:
        span = spans.get(("events", row, "date"))
        if span is None or report.flagged(events.file, row, "date"):
            continue
        last = spans.get(("events", row, "date_end"), span)[1]
        if last < start or span[0] > end:
            report.add(
                events.file,
                f"is outside the case period ({start} to {end}, in case.yaml)",
                row,
                "date",
                cells["date"],
            )


def _check_positions(positions: Table | None, scale: set[int] | None, report: _Report) -> None:
    if positions is None or not {"stance", "basis"} <= positions.columns:
        return
    for row, cells in positions.rows:
        stance, basis = cells["stance"].strip(), cells["basis"]
        if report.flagged(positions.file, row, "basis") or report.flagged(positions.file, row, "stance"):
            continue
        if basis == "none" and stance:
            report.add(
                positions.file,
                "is set, but basis is 'none': a row recording no public position has "
                "no stance (leave it empty)",
                row,
                "stance",
                stance,
            )
        elif basis != "none" and not stance:
            report.add(
                positions.file,
                f"is empty, but basis is {basis!r}: code the stance on the scale, "
                "or use basis 'none' for no public position",
                row,
                "stance",
                "",
            )
        elif stance and scale is not None:
            try:
                value = int(stance)
            except ValueError:
                value = None
            if value is not None and value not in scale:
                shown = ", ".join(str(k) for k in sorted(scale))
                report.add(
                    positions.file,
                    f"is not on the stance scale in case.yaml ({shown})",
                    row,
                    "stance",
                    stance,
                )
        if basis in EVIDENCE_BASES and "evidence" in positions.columns and not cells["evidence"].strip():
            report.add(
                positions.file,
                f"is empty, but basis is {basis!r}: quote the words or point to the evidence",
                row,
                "evidence",
                "",
            )


def _check_disputes(
    tables: dict[str, Table], ids: dict[str, dict[str, int]], canonical: dict, report: _Report
) -> None:
    disputes = tables.get("disputes")
    if disputes is None or not {"about_table", "about_id"} <= disputes.columns:
        return
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in canonical["resources"]}
    for row, cells in disputes.rows:
        about_table, about_id = cells["about_table"], cells["about_id"]
        if report.flagged(disputes.file, row, "about_table"):
            continue
        if about_id and not about_table:
            report.add(
                disputes.file,
                "is set, but about_table is empty: say which table the id is in",
                row,
                "about_id",
                about_id,
            )
        elif about_id and about_table in ids and about_id not in ids[about_table]:
            report.add(
                disputes.file,
                f"is not an id in {tables[about_table].file} (about_table)",
                row,
                "about_id",
                about_id,
            )
        about_field = cells.get("about_field", "")
        if about_field and about_table in fields and about_field not in fields[about_table]:
            report.add(
                disputes.file, f"is not a column of {about_table}.csv", row, "about_field", about_field
            )
    claims = tables.get("dispute_claims")
    if claims is not None and "dispute" in claims.columns and "id" in disputes.columns:
        count: dict[str, int] = {}
        for _, cells in claims.rows:
            count[cells["dispute"]] = count.get(cells["dispute"], 0) + 1
        for row, cells in disputes.rows:
            n = count.get(cells["id"], 0)
            if n < 2 and not report.flagged(disputes.file, row, "id"):
                report.add(
                    disputes.file,
                    f"has {n} claim{'s' if n != 1 else ''} in dispute_claims.csv; a dispute "
                    "needs two or more sides",
                    row,
                    "id",
                    cells["id"],
                )


# ------------------------------------------------------------------------------------------------
# (f) case.yaml


class _CaseYamlLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses anchors and aliases, so an alias bomb cannot expand."""

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (& and *) are not allowed in case.yaml; write each value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # e.g. 2025-13-01: keep the text, so the field check reports it with its line
        return str(node.value)


_CaseYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_case_yaml(text: str) -> tuple[object, dict[tuple, int], list[str]]:
    """Parse case.yaml text safely: ``(data, {path: line}, [errors with line numbers])``."""
    loader = _CaseYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: dict[tuple, int] = {}
        dupes: list[str] = []
        _walk(node, (), lines, dupes)
        return loader.construct_document(node), lines, dupes
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, {}, [f"is not valid YAML ({at}{what})"]
    except yaml.YAMLError as exc:
        return None, {}, [f"is not valid YAML ({exc})"]
    except RecursionError:
        return None, {}, ["is not valid YAML (nested too deeply)"]
    finally:
        loader.dispose()


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int], dupes: list[str]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            k = str(key.value) if isinstance(key, yaml.ScalarNode) else repr(key)
            if k in seen:
                dupes.append(f"has the key {k!r} twice (line {key.start_mark.line + 1}); keep one")
            seen.add(k)
            _walk(value, path + (k,), lines, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, dupes)


def read_case_yaml(path: Path) -> tuple[object, list[Problem]]:
    """Read a case.yaml file: ``(data, problems)`` (data is None when it cannot be read)."""
    report = _Report()
    raw = _read_bytes(path, MAX_YAML_BYTES, META, report)
    if raw is None:
        return None, report.problems
    text, why = decode_utf8(raw, META)
    if text is None:
        return None, [YamlProblem(META, why.replace("'CSV UTF-8'", "UTF-8"))]
    data, _, errors = load_case_yaml(text)
    return data, [YamlProblem(META, e) for e in errors]


def _yaml_strings(data: object, path: tuple) -> Iterable[tuple[tuple, str]]:
    """Every text in a loaded case.yaml (keys too), with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _yaml_strings(k, path)
            yield from _yaml_strings(v, path + (str(k),))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _yaml_strings(v, path + (i,))


def _read_meta(folder: Path, report: _Report) -> tuple[dict | None, dict[tuple, int]]:
    path = folder / META
    if not path.is_file():
        return None, {}
    raw = _read_bytes(path, MAX_YAML_BYTES, META, report)
    if raw is None:
        return None, {}
    text, why = decode_utf8(raw, META)
    if text is None:
        report.add_yaml(why.replace("'CSV UTF-8'", "UTF-8"))
        return None, {}
    data, lines, errors = load_case_yaml(text)
    for error in errors:
        report.add_yaml(error)
    if errors and data is None:
        return None, {}
    for where, value in _yaml_strings(data, ()):
        if bad := CONTROL.search(value):
            rule = f"contains the control character U+{ord(bad.group()):04X} (a YAML escape?); delete it"
            report.add_yaml(rule, ".".join(map(str, where)), lines.get(where), value)
    if not isinstance(data, dict):
        report.add_yaml("must be a set of 'field: value' lines (a YAML mapping) with the case's narrative")
        return None, {}
    return data, lines


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _FULL_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _meta_period(meta: dict | None) -> tuple[dt.date, dt.date] | None:
    period = meta.get("period") if isinstance(meta, dict) else None
    if not isinstance(period, dict):
        return None
    start, end = _as_date(period.get("start")), _as_date(period.get("end"))
    return (start, end) if start and end and start <= end else None


def _meta_scale(meta: dict | None) -> set[int] | None:
    scale = meta.get("stance_scale") if isinstance(meta, dict) else None
    if not isinstance(scale, dict) or not scale:
        return None
    if not all(isinstance(k, int) and not isinstance(k, bool) for k in scale):
        return None
    return set(scale)


def _check_meta(meta: dict, lines: dict[tuple, int], tables: dict[str, Table], report: _Report) -> None:
    """Check case.yaml's fields, their types, and its references into the tables."""

    def line(*path: object) -> int | None:
        # the line of the field, else of its nearest parent; a missing top-level field has no line
        for n in range(len(path), 0, -1):
            key = tuple(str(p) if not isinstance(p, int) else p for p in path[:n])
            if key in lines:
                return lines[key]
        return None

    def problem(rule: str, path: tuple, value: object | None = None, label: str | None = None) -> None:
        report.add_yaml(rule, label or ".".join(str(p) for p in path), line(*path), value)

    def text(key: str) -> None:
        value = meta.get(key)
        if key not in meta:
            problem(f"is missing (a short text: {_TEXT_FIELDS[key]})", (key,))
        elif not isinstance(value, str) or not value.strip():
            problem("must be a non-empty text", (key,), _shown(value))

    def date(path: tuple, value: object) -> dt.date | None:
        got = _as_date(value)
        if value is None:
            problem("is missing (a date, YYYY-MM-DD)", path)
        elif got is None:
            problem(_date_reason(value), path, _shown(value))
        return got

    for key in _TEXT_FIELDS:
        text(key)
    case_id = meta.get("id")
    if isinstance(case_id, str) and case_id and not re.match(r"^[a-z0-9][a-z0-9-]{0,63}$", case_id):
        problem("is not a case id (lowercase letters, digits and hyphens)", ("id",), case_id)
    date(("updated",), meta.get("updated"))
    period = meta.get("period")
    start = end = None
    if not isinstance(period, dict):
        problem(
            "is missing: give period: {start: YYYY-MM-DD, end: YYYY-MM-DD}"
            if period is None
            else "must have a start and an end date",
            ("period",),
            None if period is None else _shown(period),
        )
    else:
        start = date(("period", "start"), period.get("start"))
        end = date(("period", "end"), period.get("end"))
        if start and end and end < start:
            problem(f"is before period.start ({start})", ("period", "end"), str(end))
    as_of = date(("default_as_of",), meta.get("default_as_of"))
    if as_of and start and end and not start <= as_of <= end:
        problem(f"is outside the case period ({start} to {end})", ("default_as_of",), str(as_of))

    issues = tables.get("issues")
    main_issue = meta.get("main_issue")
    if main_issue is None:
        problem("is missing (the id of the issue the brief leads with)", ("main_issue",))
    elif not isinstance(main_issue, str):
        problem("must be an issue id", ("main_issue",), _shown(main_issue))
    elif issues is not None and issues.rows and "id" in issues.columns and main_issue not in issues.ids():
        problem("is not an id in issues.csv", ("main_issue",), main_issue)

    scale = meta.get("stance_scale")
    if scale is None:
        problem("is missing (e.g. {-2: strongly opposes, ..., 2: strongly supports})", ("stance_scale",))
    elif not isinstance(scale, dict) or not scale:
        problem("must map each stance (a whole number) to its meaning", ("stance_scale",), _shown(scale))
    else:
        for k, v in scale.items():
            if not isinstance(k, int) or isinstance(k, bool):
                problem("is not a whole number", ("stance_scale", k), str(k), label=f"stance_scale {k}")
            elif not -2 <= k <= 2:
                problem(
                    "is outside the schema's stance range -2 to 2",
                    ("stance_scale", k),
                    str(k),
                    label=f"stance_scale {k}",
                )
            if not isinstance(v, str) or not v.strip():
                problem("must say what the stance means", ("stance_scale", k), label=f"stance_scale {k}")

    terms: set[str] = set()
    yardstick = meta.get("likelihood_yardstick")
    if yardstick is None:
        problem("is missing (the yardstick of likelihood terms, e.g. ICD 203)", ("likelihood_yardstick",))
    elif (
        not isinstance(yardstick, dict)
        or not isinstance(yardstick.get("terms"), list)
        or not yardstick["terms"]
    ):
        problem(
            "must have a list of terms, each {term: ..., min: %, max: %}", ("likelihood_yardstick", "terms")
        )
    else:
        for i, item in enumerate(yardstick["terms"]):
            path = ("likelihood_yardstick", "terms", i)
            label = f"likelihood_yardstick.terms[#{i + 1}]"
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("term"), str)
                or not item["term"].strip()
            ):
                problem("must be {term: ..., min: %, max: %} with a term", path, _shown(item), label=label)
                continue
            terms.add(item["term"])
            lo, hi = item.get("min"), item.get("max")
            if not all(
                isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 100 for x in (lo, hi)
            ):
                problem("needs min and max as percentages (0 to 100)", path, item["term"], label=label)
            elif lo > hi:
                problem(f"has min {lo} above max {hi}", path, item["term"], label=label)

    levels = meta.get("confidence_levels")
    if levels is None:
        problem("is missing (e.g. {high: ..., moderate: ..., low: ...})", ("confidence_levels",))
    elif not isinstance(levels, dict) or not levels or not all(isinstance(k, str) for k in levels):
        problem("must map each confidence level to its meaning", ("confidence_levels",), _shown(levels))
        levels = None

    evidence_ids: dict[str, list[str]] = {}
    all_known = all(t in tables and "id" in tables[t].columns for t in EVIDENCE_TABLES)
    for t in EVIDENCE_TABLES:
        if t in tables:
            for i in tables[t].ids():
                evidence_ids.setdefault(i, []).append(tables[t].file)

    def entries(key: str, missing: str, plural: str, shape: str):
        """Each mapping of the list ``meta[key]`` as (path, entry, name); problems for the rest."""
        value = meta.get(key)
        if value is None:
            problem(f"is missing ({missing})", (key,))
            return
        if not isinstance(value, list) or not value:
            problem(f"must be a list of one or more {plural}", (key,), _shown(value))
            return
        for i, entry in enumerate(value):
            base = (key, i)
            if not isinstance(entry, dict):
                problem(f"must be {shape}", base, _shown(entry), label=f"{key}[#{i + 1}]")
                continue
            eid = entry.get("id")
            name = f"{key}[{eid}]" if isinstance(eid, str) and eid else f"{key}[#{i + 1}]"
            yield base, entry, name

    # -- key judgements (flat or dated revisions) and information gaps: analysis.judgements --------
    judgements = meta.get("key_judgements")
    if judgements is None:
        problem("is missing (a list of key judgements, each with id and dated revisions)",
                ("key_judgements",))
    elif not isinstance(judgements, list) or not judgements:
        problem("must be a list of one or more key judgements", ("key_judgements",), _shown(judgements))
    kj_ids = {str(k.get("id")) for k in judgements if isinstance(k, dict)} if isinstance(
        judgements, list) else set()
    cells = {name: [c for _, c in t.rows] for name, t in tables.items()}
    for path, p in judgement_problems(meta, evidence_ids if all_known else None, *evidence_index(cells)):
        report.add_yaml(p.rule, p.column, line(*path), p.value)
    # -- end of the judgements hook -----------------------------------------------------------------

    for base, ind, name in entries(
        "indicators",
        "a list of indicators: what would change the judgements",
        "indicators",
        "an indicator with id, text and judgements",
    ):
        iid = ind.get("id")
        if not isinstance(iid, str) or not iid.strip():
            problem("needs an id (e.g. IW1)", base + ("id",), label=f"{name}.id")
        if not isinstance(ind.get("text"), str) or not ind["text"].strip():
            problem("is missing or empty (a text)", base + ("text",), label=f"{name}.text")
        named = ind.get("judgements")
        if not isinstance(named, list) or not named:
            problem(
                "must list the ids of the key judgements it bears on",
                base + ("judgements",),
                _shown(named),
                label=f"{name}.judgements",
            )
            continue
        for j, ref in enumerate(named):
            if isinstance(judgements, list) and str(ref) not in kj_ids:
                problem(
                    "is not the id of a key judgement",
                    base + ("judgements", j),
                    str(ref),
                    label=f"{name}.judgements",
                )


_TEXT_FIELDS = {
    "id": "the case id, e.g. nk-pows-ukraine",
    "title": "the title of the brief",
    "question": "the policy question",
    "summary": "a summary in your own words",
}


def _count(n: int, table: str) -> str:
    """'1 event', '3 legal provisions'."""
    words = table.replace("_", " ")
    return f"{n} {words[:-1] if n == 1 and words.endswith('s') else words}"


def _date_reason(value: object) -> str:
    if isinstance(value, str) and _FULL_DATE.match(value.strip()):
        try:
            parse_partial(value.strip())
        except PartialDateError as exc:
            return str(exc)
    return "is not a date (YYYY-MM-DD)"


def _shown(value: object) -> str:
    return "" if value is None else (value if isinstance(value, str) else repr(value))
