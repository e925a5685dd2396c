"""The case validator: each bad input gives a plain-words problem naming file, row, column, value, rule."""

from __future__ import annotations

import json
import time

import pytest

from analysis.case import load_case
from analysis.errors import CaseDataError, Problem
from analysis.validate import check_case, validate_case
from case_edits import (
    BAD_INPUTS,
    add_column,
    drop_column,
    edit_yaml,
    keep_header_only,
    read_rows,
    set_cell,
    spreadsheet_save,
    write_rows,
)


def problems(case) -> list[Problem]:
    return check_case(case).problems


def only(case) -> Problem:
    """The single problem of a case with one fault (the report holds nothing else)."""
    found = problems(case)
    assert len(found) == 1, "\n".join(str(p) for p in found)
    return found[0]


def test_mini_case_is_valid(mini_path):
    result = check_case(mini_path)
    assert result.problems == []
    assert result.counts["events"] == 6 and result.counts["dispute_claims"] == 2
    assert result.summary().startswith("case 'mini' is valid: 6 events, 5 actors, 2 issues, 6 positions")
    validate_case(mini_path)  # does not raise


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_located_problem(name, case_copy):
    bad = BAD_INPUTS[name]
    case = case_copy()
    bad.edit(case)
    with pytest.raises(CaseDataError) as err:
        validate_case(case)
    found = err.value.problems
    assert any(bad.matches(p) for p in found), "\n".join(str(p) for p in found)
    assert err.value.case == "mini"
    assert bad.words in str(err.value)


def test_message_reads_like_the_house_example(case_copy):
    case = case_copy()
    set_cell(case, "events", 14 - 12, "date", "2025-13-01")
    p = only(case)
    assert str(p) == "events.csv row 2, column date: '2025-13-01' is not a real date (month must be 01-12)"


def test_every_problem_is_reported_at_once(case_copy):
    case = case_copy()
    faults = ("malformed date", "stance outside scale", "unknown issue", "duplicate id",
              "extra unknown column", "cp949 file", "missing case.yaml field")
    for bad in faults:
        BAD_INPUTS[bad].edit(case)
    found = problems(case)
    for bad in faults:
        assert any(BAD_INPUTS[bad].matches(p) for p in found), bad
    # case.yaml first, then the tables in the schema's order, each in row order
    files = [p.file for p in found]
    assert sorted(set(files), key=files.index) == ["case.yaml", "sources.csv", "actors.csv", "events.csv",
                                                    "positions.csv"]
    rows = [p.row or 0 for p in found if p.file == "positions.csv"]
    assert rows == sorted(rows)


# -- dates ------------------------------------------------------------------------------------------


def test_impossible_access_date_uses_the_calendar(case_copy):
    case = case_copy()
    set_cell(case, "sources", 3, "accessed", "2026-02-29")
    p = only(case)
    assert (p.file, p.row, p.column, p.value) == ("sources.csv", 3, "accessed", "2026-02-29")
    assert p.rule == "is not a real date (day must be 01-28 in that month)"


def test_date_precision_must_match_the_date(case_copy):
    case = case_copy()
    set_cell(case, "events", 4, "date_precision", "day")  # E3 is 2025-03
    p = only(case)
    assert (p.row, p.column, p.value) == (4, "date_precision", "day")
    assert "does not match the date '2025-03', which is a month" in p.rule


def test_range_needs_an_end_after_its_start(case_copy):
    case = case_copy()
    set_cell(case, "events", 5, "date_end", "")
    assert "date_precision is 'range'" in only(case).rule
    set_cell(case, "events", 5, "date_end", "2025-05-20")
    p = only(case)
    assert (p.column, p.value) == ("date_end", "2025-05-20") and "is not after the date" in p.rule


def test_date_end_without_range(case_copy):
    case = case_copy()
    set_cell(case, "events", 2, "date_end", "2025-01-12")
    p = only(case)
    assert (p.row, p.column) == (2, "date_end") and "use 'range'" in p.rule


def test_source_precision_and_undated_sources(case_copy):
    case = case_copy()
    set_cell(case, "sources", 3, "published_precision", "day")  # S2 is 2025-03
    set_cell(case, "sources", 5, "published_precision", "day")  # S4 is undated
    found = problems(case)
    assert {(p.row, p.column) for p in found} == {(3, "published_precision"), (5, "published_precision")}
    assert any("use 'unknown' for an undated source" in p.rule for p in found)


def test_event_outside_the_case_period(case_copy):
    case = case_copy()
    set_cell(case, "events", 2, "date", "2024-12-30")
    p = only(case)
    assert (p.row, p.column, p.value) == (2, "date", "2024-12-30")
    assert p.rule == "is outside the case period (2025-01-01 to 2025-12-31, in case.yaml)"


def test_month_event_overlapping_the_period_start_is_inside(case_copy):
    case = case_copy()
    edit_yaml(case, lambda m: m["period"].update(start="2025-01-05"))
    assert problems(case) == []  # E1 is 2025-01-09 and E6 is the year 2025: both overlap the period


def test_position_dated_after_every_source(case_copy):
    case = case_copy()
    set_cell(case, "positions", 2, "date", "2025-02-01")  # P1 cites only S1, published 2025-01-10
    p = only(case)
    assert (p.file, p.row, p.column, p.value) == ("positions.csv", 2, "date", "2025-02-01")
    assert "is later than every source cited for it (the latest, S1, was published 2025-01-10)" in p.rule


def test_event_dated_after_its_sources_but_one_is_undated(case_copy):
    case = case_copy()
    set_cell(case, "events", 6, "date", "2025-07-01")  # E5 cites S3 (2025-06-02) and S4 (undated)
    assert problems(case) == []
    set_cell(case, "events", 6, "source_ids", "S3")
    assert "is later than every source" in only(case).rule


def test_quote_after_its_source(case_copy):
    case = case_copy()
    set_cell(case, "quotes", 2, "date", "2025-01-11")  # Q1 from S1, 2025-01-10
    p = only(case)
    assert (p.file, p.row, p.column) == ("quotes.csv", 2, "date") and "a quote cannot be reported" in p.rule


# -- positions --------------------------------------------------------------------------------------


def test_stance_must_be_on_the_case_scale(case_copy):
    case = case_copy()
    edit_yaml(case, lambda m: m["stance_scale"].pop(2))
    found = problems(case)
    assert {(p.row, p.value) for p in found} == {(3, "2"), (4, "2")}
    assert all("is not on the stance scale in case.yaml (-2, -1, 0, 1)" in p.rule for p in found)


def test_stance_is_a_whole_number(case_copy):
    case = case_copy()
    set_cell(case, "positions", 2, "stance", "1.5")
    assert only(case).rule == "is not a whole number"


def test_no_public_position_has_no_stance(case_copy):
    case = case_copy()
    set_cell(case, "positions", 5, "stance", "0")  # P4 has basis none
    p = only(case)
    assert (p.row, p.column, p.value) == (5, "stance", "0") and "basis is 'none'" in p.rule


def test_stated_position_has_a_stance(case_copy):
    case = case_copy()
    set_cell(case, "positions", 2, "stance", "")
    p = only(case)
    assert (p.row, p.column) == (2, "stance") and "is empty, but basis is 'quote'" in p.rule


def test_evidence_based_position_has_evidence(case_copy):
    case = case_copy()
    set_cell(case, "positions", 7, "evidence", "")  # P6 is inferred
    p = only(case)
    assert (p.row, p.column) == (7, "evidence") and "basis is 'inferred'" in p.rule


def test_enum_lists_the_allowed_values(case_copy):
    case = case_copy()
    set_cell(case, "positions", 2, "basis", "rumour")
    found = problems(case)
    assert found[0].rule == "is not one of: quote, paraphrase, inferred, none"
    assert len(found) == 1  # the stance and evidence rules that depend on basis stay quiet


# -- keys and references ------------------------------------------------------------------------------


def test_duplicate_id_is_reported_once(case_copy):
    case = case_copy()
    set_cell(case, "events", 3, "id", "E1")  # E2 disappears, so P1's and Q1's event links break too
    found = problems(case)
    dupes = [p for p in found if p.file == "events.csv"]
    assert len(dupes) == 1 and dupes[0].row == 3 and "(also in row 2)" in dupes[0].rule
    assert {(p.file, p.column, p.value) for p in found if p.file != "events.csv"} == {
        ("positions.csv", "event", "E2"), ("quotes.csv", "event", "E2")}


def test_duplicate_compound_key(case_copy):
    case = case_copy()
    set_cell(case, "dispute_claims", 3, "claim", "1")
    p = only(case)
    assert (p.file, p.row) == ("dispute_claims.csv", 3)
    assert p.rule.startswith("repeats the key (dispute 'K1', claim '1') of row 2")


def test_unknown_parent_speaker_and_quote_source(case_copy):
    case = case_copy()
    set_cell(case, "actors", 3, "parent", "state-z")
    set_cell(case, "quotes", 3, "speaker", "person-z")
    set_cell(case, "quotes", 2, "source_id", "S9")
    found = {(p.file, p.row, p.column, p.value, p.rule) for p in problems(case)}
    assert found == {
        ("actors.csv", 3, "parent", "state-z", "is not an id in actors.csv"),
        ("quotes.csv", 3, "speaker", "person-z", "is not an id in actors.csv"),
        ("quotes.csv", 2, "source_id", "S9", "is not an id in sources.csv"),
    }


def test_id_lists_must_be_well_formed(case_copy):
    case = case_copy()
    set_cell(case, "events", 2, "actors", "person-c; state-b")
    assert "is not a list of ids separated by ';'" in only(case).rule


def test_dispute_about_an_unknown_row(case_copy):
    case = case_copy()
    set_cell(case, "disputes", 2, "about_id", "E9")
    set_cell(case, "disputes", 2, "about_field", "when")
    found = {(p.column, p.value): p.rule for p in problems(case)}
    assert found == {("about_id", "E9"): "is not an id in events.csv (about_table)",
                     ("about_field", "when"): "is not a column of events.csv"}


def test_dispute_needs_two_sides(case_copy):
    case = case_copy()
    rows = read_rows(case / "dispute_claims.csv")
    write_rows(case / "dispute_claims.csv", rows[:2])
    p = only(case)
    assert (p.file, p.row, p.column, p.value) == ("disputes.csv", 2, "id", "K1")
    assert "has 1 claim in dispute_claims.csv" in p.rule


# -- files, encodings and headers -----------------------------------------------------------------


def test_spreadsheet_bom_and_crlf_load(case_copy, mini_path):
    case = case_copy()
    for table in ("events", "positions", "actors", "sources"):
        spreadsheet_save(case, table)
    assert (case / "events.csv").read_bytes().startswith(b"\xef\xbb\xbfid,date,")
    assert b"\r\n" in (case / "events.csv").read_bytes()
    assert problems(case) == []
    loaded, original = load_case(case), load_case(mini_path)
    assert list(loaded.events.columns) == list(original.events.columns)
    assert loaded.events.equals(original.events) and loaded.positions.equals(original.positions)


def test_other_encoding_names_file_byte_and_line(case_copy):
    case = case_copy()
    BAD_INPUTS["cp949 file"].edit(case)
    raw = (case / "sources.csv").read_bytes()
    offset = next(i for i, b in enumerate(raw) if b >= 0x80)  # the first cp949 byte is not valid UTF-8
    p = only(case)
    line = raw.count(b"\n", 0, offset) + 1
    assert str(p) == (f"sources.csv: is not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset}, "
                      f"line {line}); save it as 'CSV UTF-8'")


def test_utf16_is_named(case_copy):
    case = case_copy()
    text = (case / "issues.csv").read_text(encoding="utf-8")
    (case / "issues.csv").write_bytes(text.encode("utf-16"))
    assert "is UTF-16 text, not UTF-8" in only(case).rule


def test_missing_optional_column_and_duplicate_and_near_miss_columns(case_copy):
    case = case_copy()
    drop_column(case, "events", "note")
    add_column(case, "events", "Title")
    add_column(case, "sources", "url")
    found = [str(p) for p in problems(case)]
    assert "events.csv row 1: missing column 'note' (the column must be there; its cells may be empty)" \
        in found
    assert "events.csv row 1: extra column 'Title' is not in the schema for this table; " \
        "did you mean 'title'?" in found
    assert any(s.startswith("sources.csv row 1: column 'url' appears twice in the header") for s in found)


def test_column_order_is_free(case_copy):
    case = case_copy()
    rows = read_rows(case / "events.csv")
    write_rows(case / "events.csv", [list(reversed(r)) for r in rows])
    assert problems(case) == []


def test_blank_and_ragged_rows(case_copy):
    case = case_copy()
    rows = read_rows(case / "issues.csv")
    rows.insert(2, [""] * len(rows[0]))
    rows[1] = rows[1] + ["stray"]
    write_rows(case / "issues.csv", rows)
    found = {(p.row, p.rule.split(" (")[0]) for p in problems(case)}
    assert found == {(3, "is blank; delete the row"), (2, "has 7 cells but the header has 6 columns")}


def test_empty_file_and_missing_file(case_copy):
    case = case_copy()
    (case / "actors.csv").write_text("")
    (case / "quotes.csv").unlink()
    found = [str(p) for p in problems(case)]
    assert "actors.csv: is empty: it needs a header row with the column names" in found
    assert any(s.startswith("quotes.csv: is missing") for s in found)


def test_empty_events_table(case_copy):
    case = case_copy()
    keep_header_only(case, "events")
    found = problems(case)
    assert "events.csv: has no rows; a case needs at least one" in [str(p) for p in found]


def test_schema_drift_is_reported(case_copy):
    case = case_copy()
    package = json.loads((case / "datapackage.json").read_text())
    events = next(r for r in package["resources"] if r["name"] == "events")
    next(f for f in events["schema"]["fields"] if f["name"] == "date")["type"] = "date"
    events["schema"]["fields"] = [f for f in events["schema"]["fields"] if f["name"] != "note"]
    package["resources"] = [r for r in package["resources"] if r["name"] != "quotes"]
    (case / "datapackage.json").write_text(json.dumps(package))
    found = [str(p) for p in problems(case)]
    assert ("datapackage.json: table 'events', field 'date': type is \"date\", "
            "the casebrief schema says \"string\"") in found
    assert "datapackage.json: table 'events' has no field 'note' (the casebrief schema has it)" in found
    assert "datapackage.json: table 'quotes' is missing (it is in the casebrief schema)" in found


def test_broken_or_missing_datapackage(case_copy):
    case = case_copy()
    (case / "datapackage.json").write_text('{"resources": [\n  {"name": "sources",}\n]}')
    assert only(case).rule.startswith("is not valid JSON (line 2, column")
    (case / "datapackage.json").unlink()
    assert only(case).rule.startswith("is missing; copy it from src/analysis/schema/datapackage.json")


def test_missing_case_yaml(case_copy):
    case = case_copy()
    (case / "case.yaml").unlink()
    p = only(case)
    assert p.file == "case.yaml" and p.rule.startswith("is missing")


# -- case.yaml --------------------------------------------------------------------------------------

REQUIRED = ["id", "title", "question", "summary", "updated", "period", "default_as_of", "main_issue",
            "stance_scale", "likelihood_yardstick", "confidence_levels", "key_judgements", "indicators"]


@pytest.mark.parametrize("key", REQUIRED)
def test_each_required_case_yaml_field(key, case_copy):
    case = case_copy()
    edit_yaml(case, lambda m: m.pop(key))
    found = problems(case)
    assert [(p.file, p.column) for p in found] == [("case.yaml", key)]
    assert found[0].rule.startswith("is missing")
    assert str(found[0]).startswith(f"case.yaml, field {key}: is missing")


def test_case_yaml_field_types(case_copy):
    case = case_copy()

    def change(m):
        m["title"] = ["a", "list"]
        m["updated"] = "last week"
        m["period"]["end"] = "2024-12-31"
        m["stance_scale"]["x"] = "odd"
        m["confidence_levels"] = "high"

    edit_yaml(case, change)
    found = {p.column: p for p in problems(case)}
    assert found["title"].rule == "must be a non-empty text"
    assert found["updated"].rule == "is not a date (YYYY-MM-DD)" and found["updated"].value == "last week"
    assert found["period.end"].rule == "is before period.start (2025-01-01)"
    assert found["stance_scale x"].rule == "is not a whole number"
    assert found["confidence_levels"].rule == "must map each confidence level to its meaning"


def test_default_as_of_inside_period_and_main_issue_exists(case_copy):
    case = case_copy()
    edit_yaml(case, lambda m: m.update(default_as_of="2026-01-01", main_issue="annexation"))
    found = {p.column: p for p in problems(case)}
    assert found["default_as_of"].rule == "is outside the case period (2025-01-01 to 2025-12-31)"
    assert found["main_issue"].rule == "is not an id in issues.csv"


def test_key_judgement_checks(case_copy):
    case = case_copy()

    def change(m):
        kj = m["key_judgements"][0]
        kj.update(likelihood="probable", confidence="certain", evidence=["P2", "E99"])
        m["key_judgements"].append({"id": "KJ2", "text": "t", "likelihood": "likely", "confidence": "low",
                                    "rationale": "r", "evidence": []})
        m["indicators"][0]["judgements"] = ["KJ1", "KJ9"]

    edit_yaml(case, change)
    found = {(p.column, str(p.value)): p.rule for p in problems(case)}
    assert found[("key_judgements[KJ1].likelihood", "probable")].startswith(
        "is not a term of the likelihood yardstick (almost certain, almost no chance, likely")
    assert found[("key_judgements[KJ1].confidence", "certain")] == (
        "is not a confidence level (high, moderate, low)")
    assert found[("key_judgements[KJ1].evidence", "E99")] == (
        "is not an id in events, positions, legal_provisions, disputes or sources")
    assert found[("key_judgements[KJ2].evidence", "[]")].startswith("must list the ids of the evidence")
    assert found[("indicators[IW1].judgements", "KJ9")] == "is not the id of a key judgement"
    assert len(found) == 5


def test_case_yaml_problems_carry_line_numbers(case_copy):
    case = case_copy()
    path = case / "case.yaml"
    path.write_text(path.read_text().replace("likelihood: likely", "likelihood: probable"))
    p = only(case)
    line = next(i for i, s in enumerate(path.read_text().splitlines(), 1) if "probable" in s)
    assert str(p).startswith(f"case.yaml line {line}, field key_judgements[KJ1].likelihood: 'probable' is")


def test_case_yaml_syntax_error_with_line(case_copy):
    case = case_copy()
    path = case / "case.yaml"
    path.write_text(path.read_text().replace("title: Mini fixture case", "title: [Mini fixture case"))
    p = only(case)
    assert p.file == "case.yaml" and p.rule.startswith("is not valid YAML (line 4, column")


def test_case_yaml_impossible_date_with_line(case_copy):
    case = case_copy()
    path = case / "case.yaml"
    path.write_text(path.read_text().replace("updated: 2026-11-27", "updated: 2026-02-30"))
    assert str(only(case)) == ("case.yaml line 6, field updated: '2026-02-30' is not a real date "
                               "(day must be 01-28 in that month)")


def test_case_yaml_duplicate_key(case_copy):
    case = case_copy()
    path = case / "case.yaml"
    path.write_text(path.read_text() + "title: Another title\n")
    assert "has the key 'title' twice" in only(case).rule


def test_case_yaml_alias_bomb_is_refused_quickly(case_copy):
    case = case_copy()
    bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = case / "case.yaml"
    path.write_text(path.read_text() + "\n".join(bomb) + "\n")
    started = time.perf_counter()
    p = only(case)
    assert time.perf_counter() - started < 5
    assert "anchors and aliases (& and *) are not allowed in case.yaml" in p.rule


def test_case_yaml_size_is_bounded(case_copy):
    case = case_copy()
    with open(case / "case.yaml", "a") as fh:
        fh.write("# " + "x" * 1_100_000 + "\n")
    assert only(case).rule.startswith("is too large")


def test_case_yaml_python_tags_are_not_executed(case_copy, tmp_path):
    case = case_copy()
    marker = tmp_path / "pwned"
    path = case / "case.yaml"
    path.write_text(path.read_text() + f'x: !!python/object/apply:os.system ["touch {marker}"]\n')
    p = only(case)
    assert p.rule.startswith("is not valid YAML") and not marker.exists()


def test_case_yaml_not_a_mapping(case_copy):
    case = case_copy()
    (case / "case.yaml").write_text("- just\n- a list\n")
    assert only(case).rule.startswith("must be a set of 'field: value' lines")


def test_load_case_raises_case_data_error(case_copy):
    case = case_copy()
    BAD_INPUTS["malformed date"].edit(case)
    with pytest.raises(CaseDataError, match=r"events.csv row 3, column date: '10 Jan 2025' is not a date"):
        load_case(case)


def test_validation_of_not_a_folder(tmp_path):
    result = check_case(tmp_path / "nowhere")
    assert result.problems and "is not a folder" in result.problems[0].rule
