"""The files of a case: every table of the schema and ``case.yaml`` present, and no schema drift.

The checks always use the casebrief schema (``src/analysis/schema/datapackage.json``): a case's own
``datapackage.json`` must match it (descriptions may differ), and drift is reported rather than obeyed.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.validate.report import DATAPACKAGE, META, Report
from analysis.validate.safe_read import MAX_JSON_BYTES, read_bytes


def check_files(folder: Path, canonical: dict, report: Report) -> None:
    """Report missing files, an unreadable datapackage.json, and where it drifts from the schema."""
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
        raw = read_bytes(dp, MAX_JSON_BYTES, DATAPACKAGE, report)
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


def _check_drift(descriptor: object, canonical: dict, report: Report) -> None:
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
