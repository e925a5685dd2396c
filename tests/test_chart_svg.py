"""Charts for the page: drawn at the printed text width, no text under 7 pt, SVG text kept as text,
a tooltip per mark that stands for a row, ids that stay unique when several charts share a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.text import Text

from analysis.case import load_case
from analysis.charts import CHARTS, TEXT_WIDTH
from analysis.charts.layout import MIN_TEXT, PAGE_SIDE_MARGIN, PAGE_TEXT_HEIGHT, PAGE_WIDTH
from analysis.charts.svg import Mark, add_titles, inline

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "cases" / "mini"
DEFAULT = ROOT / "data" / "cases" / "nk-pows-ukraine"


@pytest.fixture(scope="module")
def cases():
    out = [load_case(MINI)]
    if (DEFAULT / "case.yaml").is_file():
        full = load_case(DEFAULT)
        out.append(full.as_of(full.meta["default_as_of"]))
    return out


def test_text_width_is_the_page_text_width_of_the_template():
    css = (ROOT / "src" / "analysis" / "templates" / "casebrief" / "static" / "brief.css").read_text()
    margins = r"margin:\s*([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm"
    page = re.search(r"@page\s*\{[^}]*?size:\s*A4;\s*" + margins, css)
    assert page, "no A4 @page rule with four margins"
    top, right, bottom, left = (float(page.group(k)) for k in (1, 2, 3, 4))
    assert PAGE_TEXT_HEIGHT == pytest.approx((297 - top - bottom) / 25.4)
    assert PAGE_WIDTH == pytest.approx(210 / 25.4)
    assert PAGE_SIDE_MARGIN == pytest.approx(right / 25.4) == pytest.approx(left / 25.4)
    assert TEXT_WIDTH == pytest.approx((210 - left - right) / 25.4)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts_are_drawn_at_text_width_with_no_text_under_7_points(cases, name):
    for case in cases:
        chart = CHARTS[name](case)
        fig = chart.figure
        assert fig.get_size_inches()[0] <= TEXT_WIDTH + 1e-9
        fig.canvas.draw()
        small = [
            (t.get_text(), t.get_fontsize())
            for t in fig.findobj(Text)
            if t.get_text().strip() and t.get_visible() and t.get_fontsize() < MIN_TEXT - 1e-9
        ]
        assert not small, small


def test_svg_keeps_text_as_text_and_is_deterministic(cases):
    chart = CHARTS["position_map"](cases[0])
    a, b = chart.to_svg(), CHARTS["position_map"](cases[0]).to_svg()
    assert a == b
    assert b"<text" in a and b"font-family: DejaVu Sans, Noto Sans CJK KR" in a  # see plain_families


def test_every_mark_of_every_chart_has_a_tooltip(cases):
    for case in cases:
        for name, fn in CHARTS.items():
            chart = fn(case)
            svg = chart.svg_element("x-")
            n_marks = sum(len(v) for v in chart.marks.values())
            assert svg.count("<title>") == n_marks, name
            if name in ("timeline", "position_map"):
                assert n_marks == len(chart.data), name


def test_titles_go_on_marks_in_order_and_a_mismatch_is_left_alone():
    svg = (
        '<svg>\n <g id="dots">\n  <defs>\n   <path id="m1" d="M 0 0"/>\n  </defs>\n'
        '  <use xlink:href="#m1" x="1"/>\n  <use xlink:href="#m1" x="2"/>\n </g>\n</svg>'
    )
    out = add_titles(svg, {"dots": [Mark("A & B", ("s1",)), Mark("C")]}, cite=lambda ids: "4")
    assert '<use xlink:href="#m1" x="1"><title>A &amp; B [4]</title></use>' in out
    assert '<use xlink:href="#m1" x="2"><title>C</title></use>' in out
    assert '<path id="m1" d="M 0 0"/>' in out  # the marker definition is not a mark
    assert add_titles(svg, {"dots": [Mark("only one")]}) == svg


def test_inline_prefixes_ids_and_references_and_makes_repeated_ids_unique():
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="1pt">'
        '<clipPath id="c1"/><g id="leader"/><g id="leader"/><path clip-path="url(#c1)"/>'
        '<use xlink:href="#c1"/></svg>'
    )
    out = inline(svg, "fig-a-", 'Alt "text" <b>')
    assert out.startswith('<svg role="img" aria-label="Alt &quot;text&quot; &lt;b&gt;" width="1pt">')
    assert 'id="fig-a-c1"' in out and "url(#fig-a-c1)" in out and 'xlink:href="#fig-a-c1"' in out
    assert 'id="fig-a-leader"' in out and 'id="fig-a-leader-2"' in out


def test_the_local_language_font_comes_first_among_the_fallbacks():
    from analysis.charts.svg import prefer_font

    svg = '<text style="font: 7px; font-family: DejaVu Sans, Noto Sans CJK KR, Noto Sans CJK JP">x</text>'
    assert "font-family: DejaVu Sans, Noto Sans CJK JP, Noto Sans CJK KR" in prefer_font(svg, "ja")
    assert prefer_font(svg, "ko") == svg and prefer_font(svg, "") == svg and prefer_font(svg, "fr") == svg
    chart = CHARTS["position_map"](load_case(MINI))
    assert "Noto Sans CJK JP, Noto Sans CJK KR" in chart.svg_element("x-", lang="ja")


def test_a_matrix_of_many_actors_shows_fewer_rather_than_run_off_the_page(tmp_path):
    from analysis.charts.layout import MAX_HEIGHT
    from analysis.synthetic import write_synthetic_case

    case = load_case(write_synthetic_case(tmp_path / "big", 300, 100, 400), validate=False)
    chart = CHARTS["position_matrix"](case)
    assert chart.figure.get_size_inches()[1] <= MAX_HEIGHT
    assert chart.notes and chart.notes[0].startswith("Showing ")
