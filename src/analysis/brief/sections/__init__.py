"""Section renderers: each takes the as-of case and the brief's citation registry and returns HTML.

Every fact, name and number in the output is read or computed from the case; the code contributes only
headings and connecting words. Every value from data is escaped (:func:`analysis.brief.markup.esc`).
Headings carry stable ids so the table of contents, PDF bookmarks and cross-links can point at them.

One module per group of sections; this package re-exports them, so ``from analysis.brief import
sections as S`` reads ``S.timeline``, ``S.annex``... Case-level facts (stance labels, date disputes...)
live in :mod:`analysis.facts` and wording in :mod:`analysis.wording`; ``S.day`` and ``S.stance_label``
stay here for the callers that use them.
"""

from __future__ import annotations

from analysis.brief.sections.annex import annex, short_url, sources
from analysis.brief.sections.base import CONFIDENCE_ID, IDS, SUMMARY_SOURCES, YARDSTICK_ID, label, section
from analysis.brief.sections.changes import timeline, what_changed
from analysis.brief.sections.gaps import gaps
from analysis.brief.sections.judgements import check_judgements, key_judgements, likelihood_badge, title_block
from analysis.brief.sections.legal import indicators, legal
from analysis.brief.sections.stakeholders import evidence_html, positions_table, stakeholders
from analysis.facts import stance_label
from analysis.wording import day

__all__ = [
    "CONFIDENCE_ID",
    "IDS",
    "SUMMARY_SOURCES",
    "YARDSTICK_ID",
    "annex",
    "check_judgements",
    "day",
    "evidence_html",
    "gaps",
    "indicators",
    "key_judgements",
    "label",
    "legal",
    "likelihood_badge",
    "positions_table",
    "section",
    "short_url",
    "sources",
    "stakeholders",
    "stance_label",
    "timeline",
    "title_block",
    "what_changed",
]
