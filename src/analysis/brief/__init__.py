"""The content of a brief: citations, section renderers and figures, called cell by cell by the notebook.

>>> from analysis.case import load_case
>>> from analysis.brief import Brief
>>> from analysis.session import Session
>>> session = Session.of(load_case("nk-pows-ukraine"), since="2026-02-18")   # doctest: +SKIP
>>> brief = Brief(session)                                                    # doctest: +SKIP
>>> brief.key_judgements()                                                    # doctest: +SKIP

In a notebook, :func:`analysis.session.start` makes the session from the notebook's parameters.

``brief.css`` (next to this file) styles the fragments for screen and A4 print.
"""

from __future__ import annotations

from pathlib import Path

from analysis.audiences import SECTIONS
from analysis.brief.citations import Citations
from analysis.brief.compose import Brief, Fragment
from analysis.brief.figures import figure_html, png_bytes

CSS_PATH = Path(__file__).resolve().parent / "brief.css"


def css() -> str:
    """The stylesheet for brief fragments (for the nbconvert template to inline)."""
    return CSS_PATH.read_text(encoding="utf-8")


__all__ = [
    "CSS_PATH", "SECTIONS", "Brief", "Citations", "Fragment", "css", "figure_html",
    "png_bytes",
]
