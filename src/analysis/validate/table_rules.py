"""The table rules of the schema, run by Frictionless: types, constraints, primary and foreign keys.

Frictionless reports in its own words and counts; each error is mapped back to the spreadsheet row, the
column and the value, with a rule an editor can act on.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from analysis.validate.case_yaml import VOCABULARY_FIELDS, CaseMeta, date_reason
from analysis.validate.report import DATAPACKAGE, Report
from analysis.validate.tables import Table

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

VOCABULARY_KIND = {where: kind for kind, where in VOCABULARY_FIELDS.items()}


def frictionless_checks(
    tables: dict[str, Table], canonical: dict, report: Report, meta: CaseMeta | None = None
) -> None:
    """Run the schema's table checks; ``meta`` adds the case's own vocabulary to the schema's enums."""
    if not tables:
        return
    from frictionless import Package, Resource, Schema  # imported here: it costs half a second

    resources = []
    checked: dict[str, tuple[Table, dict, list[int]]] = {}
    for res in canonical["resources"]:
        table = tables.get(res["name"])
        if table is None:
            continue
        schema = _schema_for(table, res["schema"], tables, meta or CaseMeta())
        names = [f["name"] for f in schema["fields"]]
        data = [names] + [[cells[n] for n in names] for _, cells in table.rows]
        rownums = [row for row, _ in table.rows]
        resources.append(Resource(name=res["name"], data=data, schema=Schema.from_descriptor(schema)))
        checked[res["name"]] = (table, schema, rownums)
    result = Package(resources=resources).validate(limit_errors=1_000_000)
    for error in result.errors:  # package-level trouble: a bug in the schema, not the user's data
        report.add(DATAPACKAGE, f"the table checks could not run ({error.note})")
    for task in result.tasks:
        table, schema, rownums = checked[task.name]
        for error in task.errors:
            _map_error(error, table, schema, rownums, report)


def _schema_for(table: Table, schema: dict, tables: dict[str, Table], meta: CaseMeta) -> dict:
    """The schema restricted to the columns present, with only the keys that can be checked.

    A column with a case vocabulary accepts the schema's values and the case's own."""
    fields = []
    for f in schema["fields"]:
        if f["name"] in table.columns:
            f = {k: copy.deepcopy(v) for k, v in f.items() if k != "categories"}  # labels: not a check
            kind = VOCABULARY_KIND.get((table.name, f["name"]))
            if kind is not None:
                enum = f["constraints"]["enum"]
                enum += [t.id for t in meta.declared(kind) if t.id not in enum]
            fields.append(f)
    out: dict = {"fields": fields}
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


def _map_error(error: Any, table: Table, schema: dict, rownums: list[int], report: Report) -> None:
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
        report.add(file, _constraint_rule(table.name, fdef, cell, note), row, column, cell)
    elif kind in ("unique-error", "primary-key"):
        # both name the earlier row "at position N"; a one-column primary key reads like a unique column
        keys = [column] if kind == "unique-error" else schema.get("primaryKey", [])
        found = re.search(r"position (\d+)", note)
        first = _spreadsheet_row(found.group(1), rownums) if found else None
        if len(keys) == 1:
            also = f" (also in row {first})" if first else ""
            value = cell if kind == "unique-error" else _key_cells(table, row, keys)[0]
            report.add(
                file,
                f"is a duplicate: every {keys[0]} in this table must be different{also}",
                row,
                keys[0],
                value,
            )
        else:
            shown = ", ".join(f"{k} {v!r}" for k, v in zip(keys, _key_cells(table, row, keys), strict=True))
            also = f" of row {first}" if first else ""
            report.add(
                file,
                f"repeats the key ({shown}){also}; each combination of {' and '.join(keys)} must appear once",
                row,
            )
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
        return date_reason(str(cell))
    return f"is not a valid {kind}"


def _constraint_rule(table: str, fdef: dict, cell: object, note: str) -> str:
    found = re.search(r'constraint "(\w+)"', note)
    which = found.group(1) if found else ""
    cons = fdef.get("constraints", {})
    if which == "required":
        return "is empty, but this column is required"
    if which == "enum":
        allowed = f"is not one of: {', '.join(str(v) for v in cons.get('enum', []))}"
        kind = VOCABULARY_KIND.get((table, fdef.get("name")))
        return f"{allowed}; declare a new one in case.yaml under vocabulary: {kind}:" if kind else allowed
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
