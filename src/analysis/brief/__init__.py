"""The content of a brief: citations, section renderers and figures, called cell by cell by the notebook.

>>> from analysis.case import load_case
>>> from analysis.brief import Brief
>>> brief = Brief(load_case("nk-pows-ukraine"), since="2026-02-18")   # doctest: +SKIP
>>> brief.key_judgements()                                           # doctest: +SKIP

``brief.css`` (next to this file) styles the fragments for screen and A4 print.
"""

from __future__ import annotations

from pathlib import Path

from analysis.brief.citations import Citations
from analysis.brief.compose import AUDIENCE_SECTIONS, SECTIONS, Brief, Fragment
from analysis.brief.figures import figure_html, png_bytes

CSS_PATH = Path(__file__).resolve().parent / "brief.css"


def css() -> str:
    """The stylesheet for brief fragments (for the nbconvert template to inline)."""
    return CSS_PATH.read_text(encoding="utf-8")


__all__ = [
    "AUDIENCE_SECTIONS", "CSS_PATH", "SECTIONS", "Brief", "Citations", "Fragment", "css", "figure_html",
    "png_bytes",
]
