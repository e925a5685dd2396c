"""What every section shares: the stable heading ids and the section and label wrappers."""

from __future__ import annotations

from analysis.brief.markup import esc

# Stable heading ids: the table of contents, bookmarks and cross-links rely on them.
IDS = {
    "title": "brief-title",
    "judgements": "key-judgements",
    "changes": "what-changed",
    "timeline": "timeline",
    "stakeholders": "stakeholders",
    "legal": "legal-framework",
    "gaps": "uncertainties",
    "indicators": "indicators",
    "sources": "sources",
    "annex": "annex",
}
YARDSTICK_ID = "annex-yardstick"
#: Sources cited per judgement in a summary brief (the analyst brief cites every one).
SUMMARY_SOURCES = 3
CONFIDENCE_ID = "annex-confidence"


def section(key: str, body: str, *, class_: str = "") -> str:
    """Wrap a section; MathJax and similar typesetters are told to leave data text alone."""
    extra = f" {class_}" if class_ else ""
    classes = f"brief-section brief-{esc(key)} tex2jax_ignore mathjax_ignore{extra}"
    return f'<section class="{classes}">{body}</section>'


def label(text: str, anchor: str | None = None) -> str:
    """A run-in label over a short list or table: a sub-part too small for the table of contents."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return f'<p class="list-label"{ident}>{esc(text)}</p>'

