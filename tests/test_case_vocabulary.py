"""Any case, any field: its own vocabularies, uncoded codings, local names, a safe identity."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from matplotlib.text import Text

from analysis.case import load_case
from analysis.synthetic import write_synthetic_case
from analysis.tableschema import canonical_schema, field_enum
from analysis.validate import check_case
from analysis.vocabulary import case_vocabulary
from case_edits import edit_yaml, read_rows, set_cell, write_rows

COURT = {"id": "court", "label": "Courts", "colour": "#6A3D9A"}
HEALTH = {"id": "health", "label": "Health"}


def rules(case) -> list[str]:
    return [str(p) for p in check_case(case).problems]


def declare(case, **kinds) -> None:
    edit_yaml(case, lambda m: m.__setitem__("vocabulary", kinds))


# -- case vocabularies ---------------------------------------------------------------------------


def test_a_declared_actor_type_and_event_category_validate(case_copy):
    case = case_copy()
    declare(case, actor_types=[COURT], event_categories=[HEALTH])
    set_cell(case, "actors", 6, "type", "court")
    set_cell(case, "events", 3, "category", "health")
    assert rules(case) == []  # the case's datapackage.json is untouched: declaring is not drift
    loaded = load_case(case)
    assert "court" in set(loaded.actors["type"]) and "health" in set(loaded.events["category"])


def test_an_undeclared_value_names_file_row_column_value_and_where_to_declare(case_copy):
    case = case_copy()
    set_cell(case, "events", 3, "category", "health")
    set_cell(case, "actors", 6, "type", "court")
    found = check_case(case).problems
    event = next(p for p in found if p.file == "events.csv")
    assert (event.row, event.column, event.value) == (3, "category", "health")
    assert event.rule.startswith("is not one of: military, capture")
    assert event.rule.endswith("declare a new one in case.yaml under vocabulary: event_categories:")
    actor = next(p for p in found if p.file == "actors.csv")
    assert (actor.row, actor.column, actor.value) == (6, "type", "court")
    assert "vocabulary: actor_types:" in actor.rule
    assert len(found) == 2


def test_a_value_declared_for_the_other_vocabulary_is_still_refused(case_copy):
    case = case_copy()
    declare(case, actor_types=[{"id": "health", "label": "Health bodies"}])
    set_cell(case, "events", 3, "category", "health")
    assert any("events.csv row 3, column category: 'health' is not one of" in r for r in rules(case))


@pytest.mark.parametrize(
    "entries, field, words",
    [
        ([{"id": "court", "label": "Courts", "colour": "purple"}], "vocabulary.actor_types[#1].colour",
         "is not a colour (#RRGGBB"),
        ([{"id": "court", "label": "Courts", "colour": "#12345"}], "vocabulary.actor_types[#1].colour",
         "is not a colour"),
        ([{"id": "Court House", "label": "Courts"}], "vocabulary.actor_types[#1].id",
         "needs an id of lowercase letters"),
        ([{"id": "court"}], "vocabulary.actor_types[#1].label", "is missing or empty"),
        ([COURT, {"id": "court", "label": "Again"}], "vocabulary.actor_types[#2].id", "is declared twice"),
        (["court"], "vocabulary.actor_types[#1]", "must be {id: ..., label: ..., colour: '#RRGGBB'}"),
    ],
)
def test_a_malformed_vocabulary_entry_is_named(case_copy, entries, field, words):
    case = case_copy()
    declare(case, actor_types=entries)
    found = [p for p in check_case(case).problems if p.file == "case.yaml"]
    assert any(p.column == field and words in p.rule and p.row for p in found), [str(p) for p in found]


def test_an_unknown_vocabulary_kind_is_named(case_copy):
    case = case_copy()
    declare(case, court_types=[COURT])
    found = rules(case)
    assert any("vocabulary.court_types" in r and "is not a vocabulary of the schema" in r for r in found)


def test_the_effective_vocabulary_adds_the_case_entries_after_the_defaults():
    vocab = case_vocabulary({"vocabulary": {"actor_types": [COURT, {"id": "state", "label": "Nations"}]}})
    types = vocab.actor_types
    assert list(types)[: len(field_enum("actors", "type"))] == list(field_enum("actors", "type"))
    assert list(types)[-1] == "court" and types["court"].declared_in == "case.yaml"
    assert vocab.label("actor_types", "court") == "Courts"
    assert vocab.colour("actor_types", "court") == "#6A3D9A"
    assert vocab.label("actor_types", "state") == "Nations"  # a default relabelled by the case
    assert vocab.label("actor_types", "ngo") == "NGOs" and vocab.colour("actor_types", "ngo") is None
    assert vocab.label("event_categories", "unheard-of") == "unheard-of"
    assert list(case_vocabulary(None).event_categories) == list(field_enum("events", "category"))
    with pytest.raises(ValueError):
        vocab.terms("actor-types")


def test_the_vocabulary_of_a_loaded_case(case_copy):
    case = case_copy()
    declare(case, event_categories=[HEALTH])
    vocab = case_vocabulary(load_case(case))
    assert vocab.label("event_categories", "health") == "Health"


def test_every_default_has_a_label_in_the_schema():
    for res in canonical_schema()["resources"]:
        for f in res["schema"]["fields"]:
            if "categories" in f:
                assert [c["value"] for c in f["categories"]] == f["constraints"]["enum"], f["name"]
                assert all(c["label"].strip() for c in f["categories"])


# -- optional codings ----------------------------------------------------------------------------


def test_salience_influence_and_key_may_be_left_uncoded(case_copy):
    case = case_copy()
    set_cell(case, "positions", 2, "salience", "")
    set_cell(case, "positions", 2, "influence", "")
    set_cell(case, "events", 2, "key", "")
    assert rules(case) == []
    loaded = load_case(case)
    p1 = loaded.positions.set_index("id").loc["P1"]
    assert pd.isna(p1["salience"]) and pd.isna(p1["influence"])
    assert not loaded.events.set_index("id").loc["E1", "key"]  # an uncoded key is not a key event


def test_a_coding_given_must_still_be_on_its_scale(case_copy):
    case = case_copy()
    set_cell(case, "positions", 2, "influence", "7")
    assert any("positions.csv row 2, column influence: '7' is outside the allowed range 1 to 5" in r
               for r in rules(case))


# -- local names and their language --------------------------------------------------------------


def test_local_names_need_their_language(case_copy):
    case = case_copy()
    edit_yaml(case, lambda m: m.pop("local_language"))
    assert rules(case) == [
        "case.yaml, field local_language: is missing: actors.csv gives local names (name_local); say their "
        "language as a BCP 47 tag, e.g. local_language: ko"
    ]


def test_a_language_must_be_a_bcp47_tag(case_copy):
    case = case_copy()
    edit_yaml(case, lambda m: m.__setitem__("local_language", "Korean language"))
    words = "field local_language: 'Korean language' is not a language tag (BCP 47"
    assert any(words in r for r in rules(case))
    edit_yaml(case, lambda m: m.__setitem__("local_language", "pt-BR"))
    assert rules(case) == []


def test_a_case_with_no_local_names_validates_and_loads(case_copy):
    case = case_copy()
    path = case / "actors.csv"
    rows = read_rows(path)
    i = rows[0].index("name_local")
    write_rows(path, [rows[0]] + [r[:i] + [""] + r[i + 1:] for r in rows[1:]])
    edit_yaml(case, lambda m: m.pop("local_language"))
    assert rules(case) == []
    assert (load_case(case).actors["name_local"] == "").all()


def test_the_local_name_column_is_generic():
    names = [f["name"] for r in canonical_schema()["resources"] for f in r["schema"]["fields"]]
    assert "name_local" in names and not [n for n in names if n.endswith("_ko")]


# -- case identity -------------------------------------------------------------------------------


def test_the_folder_and_the_case_id_must_agree(case_copy):
    case = case_copy(name="mini-copy")
    found = check_case(case).problems
    assert [str(p) for p in found] == [
        "case.yaml line 2, field id: 'mini' is not the name of the case folder ('mini-copy'): the two must "
        "agree, so that reports go to this case; rename the folder or change the id"
    ]
    edit_yaml(case, lambda m: m.__setitem__("id", "mini-copy"))
    assert rules(case) == []


# -- the synthetic generator ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large") / "large"
    return write_synthetic_case(
        folder, 500, 300, 900, n_issues=3, seed=11, case_id="large", n_groups=9, vocabulary=True,
        missing_codings=0.3, local_names=False,
    )


def test_a_large_generated_case_has_what_a_real_one_has(large):
    assert check_case(large).problems == []
    case = load_case(large, validate=False)
    assert len(case.actors) == 300 and case.actors["group"].nunique() == 9
    assert {"court"} <= set(case.actors["type"]) and {"health"} <= set(case.events["category"])
    assert case_vocabulary(case).colour("actor_types", "court") == "#6A3D9A"
    uncoded = case.positions["influence"].isna().mean()
    assert 0.2 < uncoded < 0.4 and case.positions["salience"].isna().sum() > 0
    assert (case.actors["name_local"] == "").all() and "local_language" not in case.meta


def test_the_default_generated_case_is_unchanged_by_the_options(tmp_path):
    plain = write_synthetic_case(tmp_path / "synthetic", 200, 30, 90, n_issues=2, seed=3)
    again = write_synthetic_case(
        tmp_path / "again" / "synthetic", 200, 30, 90, n_issues=2, seed=3, n_groups=6, vocabulary=False,
        missing_codings=0.0, local_names=True,
    )
    for path in plain.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name
    shutil.rmtree(again)


def test_a_case_with_no_local_names_is_briefed_and_drawn(case_copy):
    from analysis.charts import position_map, position_matrix
    from brief_html import make_brief

    case = case_copy()
    path = case / "actors.csv"
    rows = read_rows(path)
    i = rows[0].index("name_local")
    write_rows(path, [rows[0]] + [r[:i] + [""] + r[i + 1:] for r in rows[1:]])
    edit_yaml(case, lambda m: m.pop("local_language"))
    for audience in ("analyst", "public"):
        assert "State A" in make_brief(case, audience=audience).render()
    loaded = load_case(case)
    charts = (position_map(loaded, "transfer", show_korean=True), position_matrix(loaded, show_korean=True))
    for chart in charts:
        texts = {t.get_text().strip() for t in chart.figure.findobj(Text)}
        assert "Ministry of State A" in texts, texts  # the English name alone, nothing appended
