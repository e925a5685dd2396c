"""Figures in the brief: a chart as inline SVG (text as text, drawn at its printed size, a tooltip on
each mark), its alt text and a numbered caption. A bare Figure or PNG bytes still become an image.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import matplotlib.pyplot as plt

from analysis.brief.markup import esc
from analysis.charts.chart import to_png

DPI = 170  # for figures that are not charts: sharp enough on paper, light enough for the HTML


def png_bytes(fig: Any, dpi: int = DPI) -> bytes:
    """Render a matplotlib Figure to PNG bytes that depend only on what was drawn."""
    return to_png(fig, dpi=dpi)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


def _unwrap(fig_or_chart: Any) -> tuple[Any, str | None]:
    """Accept a Figure, a chart object with ``.figure`` and ``.alt_text``, or PNG bytes."""
    if hasattr(fig_or_chart, "figure") and hasattr(fig_or_chart, "alt_text"):
        return fig_or_chart.figure, str(fig_or_chart.alt_text)
    return fig_or_chart, None


def _image(fig_or_chart: Any, fig: Any, alt_text: str, prefix: str, cite, dpi: int, lang=None) -> str:
    """The figure's picture: inline SVG for a chart, an ``<img>`` with a PNG for anything else."""
    if hasattr(fig_or_chart, "svg_element"):
        return fig_or_chart.svg_element(prefix, cite, lang)
    data = bytes(fig_or_chart) if isinstance(fig_or_chart, bytes | bytearray) else png_bytes(fig, dpi=dpi)
    width_px = png_size(data)[0] * 96 / dpi
    src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return f'<img src="{src}" alt="{esc(alt_text)}" width="{round(width_px)}">'


def figure_html(
    fig_or_chart: Any,
    caption: str,
    alt: str | None = None,
    *,
    number: int | None = None,
    anchor: str | None = None,
    class_: str = "",
    dpi: int = DPI,
    close: bool = True,
    cite: Callable[[Iterable[str]], str] | None = None,
    lang: str | None = None,
) -> str:
    """``<figure>`` with the chart inline (SVG) or the image inlined as base64, its alt text and a
    caption (all escaped).

    ``alt`` defaults to the chart's own ``alt_text``; a figure without any alt text is refused, since a
    reader of the PDF with a screen reader would get nothing. ``cite`` turns a mark's source ids into
    the citation numbers its tooltip shows (see :meth:`analysis.brief.citations.Citations.known`);
    ``lang`` (the case's local language) puts that script's regional font first in the chart.
    """
    fig, chart_alt = _unwrap(fig_or_chart)
    alt_text = (alt if alt is not None else chart_alt) or ""
    if not alt_text.strip():
        raise ValueError(f"figure {caption!r} has no alt text")
    if alt is not None and hasattr(fig_or_chart, "svg_element"):
        fig_or_chart = replace(fig_or_chart, alt_text=alt)
    image = _image(fig_or_chart, fig, alt_text, f"{anchor or 'fig'}-", cite, dpi, lang)
    if close and fig is not None and not isinstance(fig, bytes | bytearray):
        plt.close(fig)
    label = f'<span class="fig-label">Figure {number}.</span> ' if number is not None else ""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return (
        f'<figure class="brief-figure{" " + esc(class_) if class_ else ""}"{ident}>'
        f"{image}<figcaption>{label}{esc(caption)}</figcaption></figure>"
    )

