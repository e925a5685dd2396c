"""Fuzz the loader: no cell value, case.yaml value or file content may raise anything but CaseDataError.

A value that passes validation must also load into typed tables, so each example goes through
``load_case`` (validation, then typing) and not just the validator.
"""

from __future__ import annotations

import datetime as dt
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.case import TABLES, load_case
from analysis.errors import CaseDataError
from case_edits import read_rows, write_rows

# Each example validates and loads a whole case (about a third of a second, mostly Frictionless), so the
# default run is kept short; CASEBRIEF_FUZZ_EXAMPLES=500 fuzzes harder.
EXAMPLES = int(os.environ.get("CASEBRIEF_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# values that have broken CSV loaders before: spreadsheet spellings, numbers in disguise, partial and
# impossible dates, list separators, quotes and line breaks, formulas, control characters, real ids
TRICKY = [
    "", " ", "nan", "NaN", "NULL", "None", "N/A", "-0", "+1", "1.0", "1e3", "0x10", "\u0663", "\uff12", "-3",
    "99999999999999999999", "true", "TRUE", "yes", "0", "1", "2025-02-29", "2024-02-29", "2025-00-10",
    "0000-01-01", "9999-12-31", "2025-1-1", "2025-06", "2025", "20250101", ";", "a;;b", "S1;S1", ";S1", "S1 ",
    '"', '""', "'", "\n", "\r", "\r\n", "a,b", "=SUM(A1)", "<script>alert(1)</script>", "\x00", "\x1c",
    "\ufeff", "\u2028", "E1", "E4", "S4", "P4", "K1", "ministry-a", "transfer", "range", "none", "unknown",
    "events", "x" * 400,
]
CELL_VALUES = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30))


def _columns(case) -> list[tuple[str, str]]:
    return [(t, c) for t in TABLES for c in read_rows(case / f"{t}.csv")[0]]


def test_any_cell_value_in_any_column(case_copy):
    case = case_copy()
    originals = {t: (case / f"{t}.csv").read_bytes() for t in TABLES}
    rows = {t: read_rows(case / f"{t}.csv") for t in TABLES}
    columns = _columns(case)

    @FUZZ
    @given(where=st.sampled_from(columns), row=st.integers(min_value=1, max_value=10),
           value=CELL_VALUES, second=st.one_of(st.none(), st.tuples(st.sampled_from(columns), CELL_VALUES)))
    def check(where, row, value, second):
        edited = {t: [list(r) for r in rows[t]] for t in TABLES}
        edits = [(where, value, row)] + ([(second[0], second[1], 1)] if second else [])
        for (table, column), cell, n in edits:
            body = edited[table]
            i = body[0].index(column)
            body[1 + (n - 1) % (len(body) - 1)][i] = cell
        try:
            for table in {where[0]} | ({second[0][0]} if second else set()):
                write_rows(case / f"{table}.csv", edited[table])
            try:
                loaded = load_case(case)
            except CaseDataError as exc:
                assert exc.problems and all(str(p) for p in exc.problems)
            else:
                loaded.as_of(loaded.default_as_of).latest_positions()
        finally:
            for table, raw in originals.items():
                (case / f"{table}.csv").write_bytes(raw)

    check()


YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=20),
    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["likely", "moderate", "P2", "E3", "KJ1"]),
)
YAML_KEYS = st.one_of(st.text(max_size=8), st.integers(-3, 3))
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(YAML_KEYS, inner, max_size=3)),
    max_leaves=8,
)


def test_any_case_yaml_value(case_copy):
    case = case_copy()
    path = case / "case.yaml"
    original = path.read_bytes()
    meta = yaml.safe_load(original)
    keys = list(meta)

    @settings(FUZZ, max_examples=max(EXAMPLES // 2, 5))
    @given(key=st.one_of(st.sampled_from(keys), st.sampled_from(["key_judgements.0", "indicators.0",
                                                                  "period.start", "stance_scale.2"])),
           value=YAML_VALUES)
    def check(key, value):
        edited = yaml.safe_load(original)
        head, _, tail = key.partition(".")
        if tail:
            edited[head][int(tail) if tail.isdigit() and isinstance(edited[head], list) else
                         (int(tail) if head == "stance_scale" else tail)] = value
        else:
            edited[head] = value
        try:
            path.write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")
            try:
                loaded = load_case(case)
            except CaseDataError as exc:
                assert exc.problems
            else:
                assert loaded.default_as_of and loaded.period and loaded.title
        finally:
            path.write_bytes(original)

    check()


def test_any_file_content(case_copy):
    case = case_copy()
    names = [f"{t}.csv" for t in TABLES] + ["case.yaml", "datapackage.json"]
    originals = {n: (case / n).read_bytes() for n in names}

    @settings(FUZZ, max_examples=max(EXAMPLES // 2, 5))
    @given(name=st.sampled_from(names),
           content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda s: s.encode("utf-8"))),
           keep_header=st.booleans())
    def check(name, content, keep_header):
        if keep_header and name.endswith(".csv"):
            content = originals[name].split(b"\n")[0] + b"\n" + content
        try:
            (case / name).write_bytes(content)
            try:
                load_case(case)
            except CaseDataError as exc:
                assert exc.problems
        finally:
            (case / name).write_bytes(originals[name])

    check()
