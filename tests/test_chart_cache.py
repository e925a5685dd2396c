"""The chart cache: a hit gives the same SVG without drawing, an edit to the data a chart reads is a
miss, an edit to a judgement's wording is not, and a damaged or foreign entry is never trusted."""

from __future__ import annotations

import json

import pytest

from analysis.case import load_case
from analysis.charts import cache, position_map, timeline


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "charts"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


@pytest.fixture
def counted(monkeypatch):
    """timeline, counting how often it is really drawn."""
    calls = []

    def drawn(case, *args, **kwargs):
        calls.append(1)
        return timeline(case, *args, **kwargs)

    drawn.__name__ = "timeline"
    return drawn, calls


def test_a_hit_gives_the_same_chart_without_drawing(store, counted, mini_path):
    fn, calls = counted
    case = load_case(mini_path)
    first = cache.draw(fn, case, since="2025-02-01")
    again = cache.draw(fn, case, since="2025-02-01")
    assert len(calls) == 1 and len(list(store.glob("*.json"))) == 1
    assert again.figure is None and again.svg_element("x-") == first.svg_element("x-")
    assert (again.title, again.alt_text, again.notes, again.source_ids, again.marks) == (
        first.title,
        first.alt_text,
        first.notes,
        first.source_ids,
        first.marks,
    )
    assert list(again.data.columns) == list(first.data.columns) and len(again.data) == len(first.data)
    cache.draw(fn, case, since="2025-03-01")  # other parameters: another chart
    assert len(calls) == 2


def test_an_edit_to_the_data_is_a_miss_and_a_judgement_edit_is_not(store, counted, case_copy):
    fn, calls = counted
    path = case_copy()
    cache.draw(fn, load_case(path))
    yaml = path / "case.yaml"
    text = yaml.read_text(encoding="utf-8")
    judgement = next(line for line in text.splitlines() if line.strip().startswith("text:"))
    yaml.write_text(text.replace(judgement, judgement + " (reworded)", 1), encoding="utf-8")
    cache.draw(fn, load_case(path))
    assert len(calls) == 1, "a judgement's wording redrew the timeline"
    case = load_case(path)
    case.events.loc[0, "title"] = case.events.loc[0, "title"] + " (edited)"
    cache.draw(fn, case)
    assert len(calls) == 2, "an edited event title did not redraw the timeline"


@pytest.mark.parametrize("damage", ["garbage", "foreign", "other-key", "missing-field"])
def test_a_damaged_or_foreign_entry_is_ignored_and_replaced(store, counted, mini_path, damage):
    fn, calls = counted
    case = load_case(mini_path)
    cache.draw(fn, case)
    (entry,) = store.glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "garbage":
        entry.write_bytes(b"\x00not json")
    elif damage == "foreign":
        entry.write_text(json.dumps({**data, "format": 999, "svg": "<svg>evil</svg>"}), encoding="utf-8")
    elif damage == "other-key":
        entry.write_text(json.dumps({**data, "key": "0" * 64, "svg": "<svg>evil</svg>"}), encoding="utf-8")
    else:
        del data["alt_text"]
        entry.write_text(json.dumps(data), encoding="utf-8")
    chart = cache.draw(fn, case)
    assert len(calls) == 2 and chart.figure is not None and b"evil" not in chart.to_svg()
    assert cache.load(entry, data["key"]) is not None  # rewritten whole


def test_off_draws_every_time_and_the_cache_is_bounded(tmp_path, monkeypatch, counted, mini_path):
    fn, calls = counted
    case = load_case(mini_path)
    monkeypatch.setenv(cache.ENV, "off")
    cache.draw(fn, case)
    cache.draw(fn, case)
    assert len(calls) == 2 and not (tmp_path / "charts").exists()
    monkeypatch.setenv(cache.ENV, str(tmp_path / "charts"))
    for issue in case.issues["id"]:
        cache.draw(position_map, case, issue)
    assert len(list((tmp_path / "charts").glob("*.json"))) == len(case.issues)
    cache.prune(tmp_path / "charts", keep=1)
    assert len(list((tmp_path / "charts").glob("*.json"))) == 1
