"""The brief's sections: order, outline, judgements, change detection, audiences, facts from data."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis import wording  # noqa: E402
from analysis.brief import Brief  # noqa: E402
from analysis.brief import sections as S  # noqa: E402
from analysis.brief.compose import MAP_IN_HTML, SHIFTS_IN_HTML  # noqa: E402
from analysis.case import load_case  # noqa: E402
from analysis.errors import CaseDataError  # noqa: E402
from analysis.session import Session  # noqa: E402
from brief_html import check_links, check_outline, check_tables, headings, make_brief, soup  # noqa: E402

ANALYST_ORDER = ["brief-title", "key-judgements", "what-changed", "timeline", "stakeholders",
                 "legal-framework", "uncertainties", "indicators", "sources", "annex"]


class Chart:
    """Stands in for a chart object of analysis.charts: a figure and its alt text."""

    def __init__(self, label: str):
        self.figure, ax = plt.subplots(figsize=(6, 2))
        ax.plot([0, 1], [0, 1])
        self.alt_text = f"{label}: a line rising from left to right."


def charts(case) -> dict:
    return {"timeline": Chart("Timeline"), "matrix": Chart("Matrix"), "shifts": Chart("Shifts"),
            "position_maps": {i: Chart(f"Position map {i}") for i in case.issues["id"]}}


def h2_ids(doc) -> list[str]:
    return [i for level, i, _ in headings(doc) if level <= 2]


def test_analyst_sections_in_order_with_a_proper_outline(mini_path):
    brief = make_brief(mini_path, since="2025-02-01")
    doc = soup(brief.render(charts(brief.case)))
    assert h2_ids(doc) == ANALYST_ORDER
    check_outline(doc)
    check_links(doc)
    check_tables(doc)
    imgs = doc.find_all("img")
    assert len(imgs) == 3 + len(brief.case.issues)
    for img in imgs:
        assert len(img["alt"]) > 20 and img["src"].startswith("data:image/png;base64,")
    captions = [f.get_text(" ", strip=True) for f in doc.select("figcaption")]
    assert [c.split(".")[0] for c in captions] == [f"Figure {n}" for n in range(1, len(imgs) + 1)]


def test_since_none_leaves_what_changed_out(mini_path):
    doc = soup(make_brief(mini_path).render())
    assert "what-changed" not in h2_ids(doc)
    check_outline(doc)


def test_public_is_a_short_summary_with_the_same_citations(mini_path):
    case = load_case(mini_path, validate=False)
    pub = Brief(Session.of(case, since="2025-02-01", audience="public"), draw=False)
    doc = soup(pub.render(charts(pub.case)))
    assert h2_ids(doc) == ["brief-title", "key-judgements", "what-changed", "timeline", "stakeholders",
                           "sources"]
    check_outline(doc)
    check_links(doc)
    # figures only: the timeline chart and the main issue's position map, no working tables
    main_map = f"fig-position-map-{case.meta['main_issue']}"
    assert [f["id"] for f in doc.select("figure")] == ["fig-timeline", main_map]
    assert doc.find(id="timeline-key-events") is None
    assert doc.select("#stakeholders ~ table") == []
    assert doc.find(id="annex-yardstick") is None
    # the likelihood still links somewhere: the public brief has no annex, so the badge must not dangle
    check_links(doc)


def test_key_judgement_shows_likelihood_confidence_rationale_and_evidence(mini_path):
    brief = make_brief(mini_path)
    doc = soup(brief.key_judgements())
    box = doc.find(id="kj-KJ1")
    text = box.get_text(" ", strip=True)
    kj = brief.case.meta["key_judgements"][0]
    assert kj["text"] in text and kj["rationale"] in text
    badge = box.select_one("a.likelihood")
    assert badge.get_text() == kj["likelihood"] and badge["href"] == "#annex-yardstick"
    assert "(55–80%)" in text  # the yardstick's range for 'likely' in case.yaml
    assert "Confidence: moderate" in text
    assert box.select_one("a.confidence")["href"] == "#annex-confidence"
    # evidence P2 and E3 both rest on S2 (a position and an event): one citation
    assert [a["href"] for a in box.select("a.cite")] == ["#src-S2"]


def _edit_yaml(path: Path, edit) -> None:
    meta = yaml.safe_load((path / "case.yaml").read_text(encoding="utf-8"))
    edit(meta)
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    (path / "case.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("evidence", [[], None])
def test_judgement_without_evidence_is_refused(case_copy, evidence):
    path = case_copy()
    _edit_yaml(path, lambda m: m["key_judgements"][0].__setitem__("evidence", evidence))
    with pytest.raises(CaseDataError, match=r"KJ1.*has no evidence"):
        make_brief(path)


def test_judgement_with_unknown_evidence_is_refused(case_copy):
    path = case_copy()
    _edit_yaml(path, lambda m: m["key_judgements"][0].__setitem__("evidence", ["P2", "E99"]))
    with pytest.raises(CaseDataError, match="E99"):
        make_brief(path)


def test_judgement_with_off_scale_likelihood_is_refused(case_copy):
    path = case_copy()
    _edit_yaml(path, lambda m: m["key_judgements"][0].__setitem__("likelihood", "probable"))
    with pytest.raises(CaseDataError, match="probable"):
        make_brief(path)


def test_judgement_made_after_as_of_is_absent(mini_path):
    # the mini case's KJ1 has no `made:` date, so it counts as made on default_as_of (31 Dec 2025)
    doc = soup(make_brief(mini_path, as_of="2025-02-01").key_judgements())
    assert doc.find(id="kj-KJ1") is None and "KJ1" not in doc.get_text()
    assert doc.select_one("p.none").get_text() == "No key judgement had been made by 1 Feb 2025."


def test_what_changed_counts_come_from_case_changes(mini_path):
    brief = make_brief(mini_path, since="2025-02-01")
    ch = brief.full.changes("2025-02-01", brief.as_of)
    doc = soup(brief.what_changed())
    lead = doc.select_one("p.lead").get_text(" ", strip=True)
    assert f"{len(ch.new_events)} new events" in lead
    n = len(ch.shifts)
    assert (f"{n} shift in position" if n == 1 else f"{n} shifts in position") in lead
    assert f"{len(ch.new_sources)} new sources" in lead
    assert doc.find("h2").get_text() == "What changed since 1 Feb 2025"
    new_titles = [t.get_text() for t in doc.select("#what-changed-events + table tbody strong")]
    assert new_titles == list(ch.new_events.sort_values("start")["title"])
    # a shift reads actor, from, to, evidence
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in doc.select("#what-changed-shifts + table tbody tr")]
    ministry = [r for r in rows if r[0] == "Ministry of State A" and r[1] == "Transfer to A"][0]
    assert "0 neutral or ambivalent → +2 strongly supports transfer" in ministry[2]
    assert ministry[3].startswith("paraphrase: Pledged to accept C. [")


def test_no_change_is_said_plainly(mini_path):
    doc = soup(make_brief(mini_path, since="2025-12-01").what_changed())
    assert "No change" in doc.get_text()
    assert doc.find("table") is None


def test_timeline_shows_precision_ranges_and_both_disputed_dates(mini_path):
    doc = soup(make_brief(mini_path).timeline())
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in doc.select("tbody tr")]
    dates = [r[0] for r in rows]
    assert dates[1:] == ["Mar 2025", "23\u201325 May 2025"]
    assert dates[0].startswith("9 Jan 2025")
    assert "sources give 9 Jan 2025 [" in dates[0] and "or 11 Jan 2025 [" in dates[0]
    lead = doc.select_one("p.lead").get_text(" ", strip=True)
    assert "6 events" in lead and "3 are marked as key" in lead


def test_stakeholder_tables_and_information_gaps(mini_path):
    brief = make_brief(mini_path)
    doc = soup(brief.stakeholders())
    transfer = doc.select_one("#stakeholders-transfer ~ table")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in transfer.select("tbody tr")]
    assert [r[0] for r in rows] == ["Ministry of State A", "Detainee C"]  # influence 4 before 2 at +2
    assert rows[1][1] == "+2 strongly supports 2 Jun 2025" and rows[1][2] == "high"
    assert "저는 가국에 가고 싶습니다" in rows[1][3]
    assert doc.select_one('span[lang="ko"]') is not None
    gap = doc.select_one("p.gap").get_text(" ", strip=True)
    assert "No public position found: State B" in gap
    gaps = soup(brief.gaps())
    missing = gaps.select_one("#uncertainties-missing + p")
    text = missing.get_text(" ", strip=True)
    assert "No public position was found for 1 actor–issue pair (1 actor)" in text
    assert [a["href"] for a in missing.find_all("a")] == ["#stakeholders-return"]


def test_uncertainties_list_disputes_weak_sources_and_single_sources(mini_path):
    brief = make_brief(mini_path)
    doc = soup(brief.gaps())
    dispute = doc.find(id="dispute-K1").get_text(" ", strip=True)
    assert "Detained on 9 January." in dispute and "Detained on 11 January." in dispute
    assert "Used here" not in dispute  # the version the data uses is a detail the brief leaves out
    with_handling = soup(S.gaps(brief.case, brief.citations, show_handling=True))
    assert "Used here: Uses 9 January." in with_handling.find(id="dispute-K1").get_text(" ", strip=True)
    # only what the brief shows: key events (E1, E3, E4) and the latest positions
    weak = doc.select_one("#uncertainties-weak ~ ul").get_text(" ", strip=True)
    assert "Events (1): Mar 2025: Talks held [" in weak and "Year-only event" not in weak
    assert "Positions (2): Ministry of State A on Transfer to A (Mar 2025) [" in weak
    assert "and Return to B (Mar 2025) [" in weak
    single = doc.select_one("#uncertainties-single + p").get_text(" ", strip=True)
    assert "C detained" in single and "Exchange without C" in single and "Ministry comments" not in single
    # with a since date the new events are shown too, so they are checked as well
    weak_since = soup(make_brief(mini_path, since="2025-02-01").gaps()).select_one("#uncertainties-weak ~ ul")
    assert "Talks held" in weak_since.get_text() and "Year-only event" not in weak_since.get_text()


def test_legal_grouped_by_instrument_with_state_names(mini_path):
    doc = soup(make_brief(mini_path).legal())
    groups = [p.get_text(" ", strip=True) for p in doc.select("p.instrument")]
    assert groups == ["Example Convention (international)", "Constitution of State A (State A)"]
    assert [p.find_next_sibling("p")["class"] for p in doc.select("p.instrument")] == [["provision"]] * 2


def test_annex_has_scales_yardstick_and_hashes(mini_path):
    brief = make_brief(mini_path, since="2025-02-01")
    doc = soup(brief.annex())
    yard = doc.select_one("#annex-yardstick ~ table")
    terms = [th.get_text() for th in yard.select("thead th")]
    ranges = [td.get_text() for td in yard.select("tbody td")]
    assert dict(zip(terms, ranges, strict=True))["roughly even chance"] == "45–55%"
    text = doc.get_text(" ", strip=True)
    assert brief.data.digest in text
    recorded = next(p for p in doc.select("p.hashes") if "Build parameters" in p.get_text()).code.get_text()
    assert {"since=2025-02-01", "as_of=2025-12-31", "audience=analyst"} <= set(recorded.split()), recorded
    assert "events.csv" in text


def test_the_analyst_cover_says_what_the_record_holds(mini_path):
    from analysis.facts import event_date

    brief = make_brief(mini_path)
    case = brief.case
    glance = soup(brief.title_block()).select_one(".brief-glance").get_text(" ", strip=True)
    assert f"The record on {wording.day(brief.as_of)}:" in glance
    ev = case.events.sort_values(["start", "id"], kind="stable")
    span = f"{event_date(ev.iloc[0])} to {event_date(ev.iloc[-1])}"  # as precise as the data
    assert f"{wording.plural(len(case.events), 'event')} ({span})" in glance
    positions = f"{wording.plural(len(case.positions), 'stated position')} of "
    assert positions + wording.plural(case.positions["actor"].nunique(), "actor") in glance
    assert f"{wording.plural(len(case.sources), 'source')} on record" in glance
    assert "published by " + wording.day(brief.as_of) in glance
    # on a day before any position or judgement, the cover says so in words, not with a zero
    early = make_brief(mini_path, as_of="2025-01-09")
    assert early.case.positions.empty and not early.case.meta["key_judgements"]
    text = soup(early.title_block()).select_one(".brief-glance").get_text(" ", strip=True)
    assert "1 event (2025)" in text and "no stated position yet" in text, text  # a year-precision date
    assert "no key judgement yet" in text and " 0 " not in text
    # the plain summary has no cover
    assert soup(make_brief(mini_path, audience="public").title_block()).select_one(".brief-glance") is None


def test_the_analyst_print_starts_its_cover_sources_annex_and_back_page_on_new_pages(mini_path):
    from analysis.brief.compose import FIT_STEPS

    doc = soup(make_brief(mini_path).render(charts(load_case(mini_path, validate=False))))
    starts = [(el.name, el.get("id") or " ".join(el["class"][2:4]), el["class"][1])
              for el in doc.select(".page-start")]
    flow, back = (f"fit-flow-{FIT_STEPS[k]}" for k in ("page_starts", "back_page"))
    assert [(name, step) for name, _, step in starts] == [("section", flow)] * 3 + [("div", back)], starts
    assert [s.find("h2").get("id") for s in doc.select("section.page-start")] == [
        "key-judgements", "sources", "annex"]
    assert doc.select_one("div.page-start").find("h3").get("id") == "annex-provenance"
    public = make_brief(mini_path, audience="public")
    assert not soup(public.render(charts(public.case))).select(".page-start")


def test_changing_one_event_changes_the_brief(case_copy):
    path = case_copy()
    before = make_brief(path, since="2025-02-01").render()
    events = pd.read_csv(path / "events.csv", dtype=str, keep_default_na=False)
    events.loc[events["id"] == "E3", "title"] = "Talks collapsed"
    events.loc[events["id"] == "E3", "description"] = "The talks collapsed without result."
    events.to_csv(path / "events.csv", index=False)
    after = make_brief(path, since="2025-02-01").render()
    assert "Talks held" in before and "Talks held" not in after
    assert "Talks collapsed" in after and "The talks collapsed without result." in after


def test_counts_follow_the_data(case_copy):
    """Drop the key flag of one event: the timeline's count and table change with it."""
    path = case_copy()
    events = pd.read_csv(path / "events.csv", dtype=str, keep_default_na=False)
    events.loc[events["id"] == "E4", "key"] = "false"
    events.to_csv(path / "events.csv", index=False)
    doc = soup(make_brief(path).timeline())
    assert "2 are marked as key" in doc.get_text(" ", strip=True)
    assert len(doc.select("tbody tr")) == 2


def test_fragments_display_as_html(mini_path):
    frag = make_brief(mini_path).key_judgements()
    assert frag._repr_html_() == str(frag)
    assert len(repr(frag)) < 60


def test_stance_labels_use_the_issue_words(mini_path):
    case = load_case(mini_path, validate=False)
    assert S.stance_label(case, "transfer", 2) == "+2 strongly supports transfer"
    assert S.stance_label(case, "transfer", -1) == "\u22121 opposes"  # a true minus sign
    assert S.stance_label(case, "return", -2) == "\u22122 strongly opposes return"
    assert S.stance_label(case, "transfer", 0) == "0 neutral or ambivalent"
    assert S.stance_label(case, "transfer", pd.NA) == "no public position"


@pytest.mark.parametrize("audience", ["analyst", "public"])
def test_real_charts_are_drawn_numbered_and_described(mini_path, audience):
    brief = make_brief(mini_path, since="2025-02-01", audience=audience, draw=True)
    doc = soup(brief.render())
    figs = doc.select("figure")
    # the analyst brief: each issue's map after its table, then the overview charts closing the section
    maps = [f"fig-position-map-{i}" for i in brief.issues]
    expected = (["fig-timeline", *maps, "fig-shifts", "fig-matrix"]
                if audience == "analyst" else ["fig-timeline", f"fig-position-map-{brief.main_issue}"])
    assert [f["id"] for f in figs] == expected
    # on paper the analyst brief keeps the main issue's map and the matrix; the rest say where they are
    html_only = {f["id"] for f in figs if "html-only" in f.get("class", [])}
    others = {f"fig-position-map-{i}" for i in brief.issues if i != brief.main_issue}
    assert html_only == (others | {"fig-shifts"} if audience == "analyst" else set())
    notes = [p.get_text() for p in doc.select("p.print-only")]
    assert notes.count(MAP_IN_HTML) == (len(others) if audience == "analyst" else 0)
    assert notes.count(SHIFTS_IN_HTML) == (audience == "analyst")
    for n, f in enumerate(figs, start=1):
        assert f.find("figcaption").get_text().startswith(f"Figure {n}.")
        svg = f.find("svg")  # a real chart sits inline as SVG, text as text, named by its alt text
        assert svg["role"] == "img" and len(svg["aria-label"]) > 40
        assert svg.find("text") is not None and svg.find("title") is not None
    check_outline(doc)
    check_links(doc)


DEFAULT = Path(__file__).resolve().parents[1] / "data" / "cases" / "nk-pows-ukraine"


@pytest.mark.parametrize("audience", ["analyst", "public"])
@pytest.mark.data
def test_default_case_brief_is_complete(audience):
    brief = make_brief(DEFAULT, since="2026-02-18", audience=audience)
    doc = soup(brief.render(charts(brief.case)))
    check_outline(doc)
    check_links(doc)
    check_tables(doc)
    meta = brief.case.meta
    for kj in meta["key_judgements"]:
        box = doc.find(id=f"kj-{kj['id']}")
        assert box is not None and box.select("a.cite"), kj["id"]
    ch = brief.full.changes("2026-02-18", brief.as_of)
    lead = doc.select_one("#what-changed ~ p.lead").get_text(" ", strip=True)
    assert f"{len(ch.new_events)} new events" in lead and f"{len(ch.new_sources)} new sources" in lead
    if audience == "analyst":
        cells = doc.select("#timeline-key-events + table tbody td:nth-of-type(2)")
        shown = {td.find("strong").get_text() for td in cells}
        key = set(brief.case.events.loc[brief.case.events["key"], "title"])
        assert shown == key
        listed = [i["id"] for i in doc.select("ul.indicators > li")]
        assert listed == [f"ind-{i['id']}" for i in meta["indicators"]]


@pytest.mark.skipif(not (DEFAULT / "case.yaml").is_file(), reason="the default case is not there")
def test_issue_filter_applies_to_what_changed_as_to_stakeholders():
    """A brief on one issue: no shift or new position on another issue in "What changed", none in
    "Stakeholders" (both read the one session)."""
    case = load_case(DEFAULT, validate=False)
    brief = Brief(Session.of(case, issues=["transfer-south"], since="2025-12-31"), draw=False)
    whole = case.changes("2025-12-31", brief.as_of)
    others = {r["label"] for _, r in case.issues.iterrows() if r["id"] != "transfer-south"}
    assert set(whole.shifts["issue"]) - {"transfer-south"}, "the case has shifts on other issues to leave out"
    changes = brief.session.changes
    assert set(changes.shifts["issue"]) == set(changes.new_positions["issue"]) == {"transfer-south"}
    doc = soup(brief.what_changed())
    rows = doc.select("#what-changed-shifts + table tbody tr")
    shown = [tr.select("td")[1].get_text(strip=True) for tr in rows]
    assert shown and set(shown) == {"Transfer to South Korea"}
    n = int((whole.shifts["issue"] == "transfer-south").sum())
    lead = doc.select_one("p.lead").get_text(" ", strip=True)
    assert wording.plural(n, "shift in position", "shifts in position") in lead
    for label in others:
        assert label not in doc.get_text(" "), label
        assert label not in soup(brief.stakeholders()).get_text(" "), label
