"""Figures inlined into the brief: a PNG with fixed bytes, its alt text and a numbered caption."""

from __future__ import annotations

import base64
import io
import struct
from typing import Any

from analysis.brief.markup import esc

DPI = 170  # sharp enough on paper at A4 width, small enough to keep the HTML light


def png_bytes(fig: Any, dpi: int = DPI) -> bytes:
    """Render a matplotlib Figure to PNG bytes that depend only on what was drawn.

    Uses the charts' own PNG writer when it is there (it saves inside the packaged style); either way
    the 'Software' text chunk is dropped, and matplotlib writes no date into PNGs.
    """
    try:
        from analysis.charts.common import to_png
    except ImportError:
        to_png = None
    if to_png is not None:
        return to_png(fig, dpi=dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


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
) -> str:
    """``<figure>`` with the image inlined as base64, its alt text and a caption (all escaped).

    ``alt`` defaults to the chart's own ``alt_text``; a figure without any alt text is refused, since a
    reader of the PDF with a screen reader would get nothing.
    """
    fig, chart_alt = _unwrap(fig_or_chart)
    alt_text = (alt if alt is not None else chart_alt) or ""
    if not alt_text.strip():
        raise ValueError(f"figure {caption!r} has no alt text")
    if isinstance(fig_or_chart, bytes | bytearray):
        data = bytes(fig_or_chart)
        width_px = png_size(data)[0] * 96 / dpi
    else:
        data = png_bytes(fig, dpi=dpi)
        width_px = png_size(data)[0] * 96 / dpi
        if close:
            import matplotlib.pyplot as plt

            plt.close(fig)
    src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    label = f'<span class="fig-label">Figure {number}.</span> ' if number is not None else ""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return (
        f'<figure class="brief-figure{" " + esc(class_) if class_ else ""}"{ident}>'
        f'<img src="{src}" alt="{esc(alt_text)}" width="{round(width_px)}">'
        f"<figcaption>{label}{esc(caption)}</figcaption></figure>"
    )
