"""Citations: numbered in order of first citation, every number resolves, every listed source is cited."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis.brief import Citations  # noqa: E402
from analysis.case import load_case  # noqa: E402
from analysis.errors import CaseDataError  # noqa: E402
from brief_html import citation_numbers, cited_numbers, make_brief, soup  # noqa: E402


@pytest.fixture
def mini(mini_path):
    return load_case(mini_path, validate=False)


def test_numbers_follow_first_citation(mini):
    c = Citations(mini.sources)
    assert c.cite("S3") == '<a class="cite" href="#src-S3">[1]</a>'
    assert c.cite(["S1", "S3"]) == (
        '<span class="cites">[<a class="cite" href="#src-S3">1</a>, '
        '<a class="cite" href="#src-S1">2</a>]</span>')
    assert c.cite(["S3", "S3", ""]) == '<a class="cite" href="#src-S3">[1]</a>'
    assert c.cite([]) == ""
    assert c.order == ["S3", "S1"]
    assert list(c.rows()["number"]) == [1, 2]
    assert list(c.rows()["id"]) == ["S3", "S1"]


def test_unknown_source_is_refused(mini):
    with pytest.raises(CaseDataError, match="NOPE"):
        Citations(mini.sources).cite("NOPE")


def test_source_not_yet_published_cannot_be_cited(mini):
    early = mini.as_of("2025-02-01")
    with pytest.raises(CaseDataError, match="S3"):
        Citations(early.sources).cite("S3")


@pytest.mark.parametrize("audience", ["analyst", "public"])
def test_every_citation_resolves_and_every_source_is_cited(mini_path, audience):
    brief = make_brief(mini_path, since="2025-02-01", audience=audience)
    doc = soup(brief.render())
    cites = citation_numbers(doc)
    assert cites, "the brief cites nothing"
    entries = {li["id"]: int(li["value"]) for li in doc.select("ol.source-list > li")}
    for number, target in cites:
        assert target in entries, f"citation [{number}] points at {target}, which Sources does not list"
        assert entries[target] == number, f"[{number}] links to entry {entries[target]}"
    assert sorted(entries.values()) == list(range(1, len(entries) + 1))
    numbers = cited_numbers(doc)
    assert set(numbers) == set(entries.values()), "Sources lists a source that is never cited"
    # numbered in order of first citation: first appearances in the document read 1, 2, 3, ...
    first = list(dict.fromkeys(numbers))
    assert first == list(range(1, len(first) + 1))


def test_runs_of_citations_are_shortened_with_linked_ends(mini):
    c = Citations(mini.sources)
    c.cite("S2"), c.cite("S4")
    doc = soup(c.cite(["S1", "S3", "S5", "S2"]))
    assert doc.get_text() == "[1, 3–5]"
    assert [a["href"] for a in doc.select("a.cite")] == ["#src-S2", "#src-S1", "#src-S5"]


def test_source_entry_carries_publisher_title_date_url_kind_grade(mini_path):
    doc = soup(make_brief(mini_path, since="2025-02-01").render())
    entry = doc.find(id="src-S2")
    text = entry.get_text(" ", strip=True)
    for part in ("Example Wire Mirror", "copy of Example Wire", "[Wire copy on talks]", "Mar 2025",
                 "wire-copy", "grade B"):
        assert part in text, (part, text)
    assert entry.find("a", href="https://example.org/b") is not None
    undated = doc.find(id="src-S4").get_text(" ", strip=True)
    assert "undated" in undated


def test_public_and_analyst_share_the_citation_scheme(mini_path):
    """The public summary cites the same way; its list holds only what it cites."""
    pub = soup(make_brief(mini_path, since="2025-02-01", audience="public").render())
    ana = soup(make_brief(mini_path, since="2025-02-01", audience="analyst").render())
    pub_ids = {li["id"] for li in pub.select("ol.source-list > li")}
    ana_ids = {li["id"] for li in ana.select("ol.source-list > li")}
    assert pub_ids <= ana_ids
    assert "src-S5" in ana_ids and "src-S5" not in pub_ids  # the treaty is cited only in the legal section


def test_a_source_leaves_the_printed_list_only_with_its_last_printed_citation(mini):
    c = Citations(mini.sources)
    c.cite("S1")
    with c.droppable(2):
        c.cite(["S1", "S2", "S3"])
        with c.droppable(1):  # a part inside a droppable one goes with it
            c.cite("S4")
    with c.droppable(1):
        c.cite("S3")
    assert c.dropped_from("S1") == 0  # cited in a part print always keeps
    assert c.dropped_from("S2") == 2 and c.dropped_from("S4") == 2
    assert c.dropped_from("S3") == 2  # its citation at step 1 goes first, the one at step 2 later
    c.cite("S3")
    assert c.dropped_from("S3") == 0


def test_the_public_summary_prints_short_sources_when_it_must_and_says_so(mini_path):
    from analysis.brief.compose import FIT_STEPS

    step = FIT_STEPS["short_sources"]
    doc = soup(make_brief(mini_path, since="2025-02-01", audience="public").render())
    entry = doc.find(id="src-S2")
    long_parts = entry.select(f"span.src-long.fit-drop-{step}")
    assert {p.find(class_=["src-title", "src-grade"])["class"][0] for p in long_parts} == {
        "src-title", "src-grade"}
    note = doc.select_one(f"span.fit-note-{step}").get_text(" ", strip=True)
    assert "publisher, date and site" in note and "HTML edition" in note
    short = entry.get_text("", strip=False)
    for p in long_parts:
        short = short.replace(p.get_text("", strip=False), "")
    assert short.strip() == "[1] Example Wire Mirror (copy of Example Wire). Mar 2025. example.org.", short
