"""Figures in the brief: inline PNG with fixed bytes, alt text, numbered caption; all escaped."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis.brief import figure_html, png_bytes  # noqa: E402
from analysis.brief.figures import png_size  # noqa: E402
from brief_html import soup  # noqa: E402


def _fig():
    fig, ax = plt.subplots(figsize=(5, 2))
    ax.bar(["a", "b"], [1, 2])
    return fig


def test_png_bytes_are_reproducible_and_unstamped():
    a, b = png_bytes(_fig()), png_bytes(_fig())
    assert a == b
    assert b"Software" not in a and b"matplotlib" not in a.lower()
    width, _ = png_size(a)
    assert 5 * 150 <= width <= 5 * 200  # about 170 dpi


def test_figure_html_inlines_png_with_alt_and_caption():
    class Chart:
        figure = _fig()
        alt_text = 'Bars: "a" is 1, b is 2 <b>'

    doc = soup(figure_html(Chart(), "Counts & <things>", number=2, anchor="fig-x"))
    fig = doc.find("figure")
    assert fig["id"] == "fig-x"
    img = fig.find("img")
    assert img["alt"] == 'Bars: "a" is 1, b is 2 <b>'
    assert base64.b64decode(img["src"].split(",", 1)[1])[:4] == b"\x89PNG"
    assert fig.find("figcaption").get_text() == "Figure 2. Counts & <things>"
    assert fig.find("b") is None


def test_explicit_alt_overrides_and_missing_alt_is_refused():
    doc = soup(figure_html(_fig(), "c", alt="A bar chart of two counts."))
    assert doc.find("img")["alt"] == "A bar chart of two counts."
    with pytest.raises(ValueError, match="alt"):
        figure_html(_fig(), "c")


def test_png_bytes_input_is_accepted():
    data = png_bytes(_fig())
    doc = soup(figure_html(data, "c", alt="Two bars."))
    assert doc.find("img")["src"].endswith(base64.b64encode(data).decode()[-20:])


def test_a_chart_sits_inline_as_svg_with_text_titles_and_its_own_ids(tmp_path):
    from analysis.case import load_case
    from analysis.charts import timeline

    case = load_case(Path(__file__).resolve().parent / "fixtures" / "cases" / "mini")
    chart = timeline(case)
    html = figure_html(chart, "Timeline.", number=1, anchor="fig-timeline", cite=lambda ids: "7")
    doc = soup(html)
    svg = doc.find("figure").find("svg")
    assert svg["role"] == "img" and svg["aria-label"] == chart.alt_text
    assert "<?xml" not in html and "DOCTYPE" not in html
    texts = [t.get_text() for t in svg.find_all("text")]
    assert chart.title.split(":")[0] in " ".join(texts)  # text is text, not glyph outlines
    titles = [t.get_text() for t in svg.find_all("title")]
    assert len(titles) == len(chart.data)  # one tooltip per event mark
    assert all(t.endswith("[7]") for t in titles)
    ids = [el["id"] for el in doc.find_all(id=True)]
    assert len(ids) == len(set(ids)) and all(i.startswith("fig-timeline") for i in ids)
    assert figure_html(chart, "Timeline.", anchor="fig-timeline") == figure_html(
        chart, "Timeline.", anchor="fig-timeline"
    )
