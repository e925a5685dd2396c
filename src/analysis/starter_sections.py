"""Minimal sections the briefing notebook shows until :mod:`analysis.brief` provides the full ones.

Each function returns an HTML fragment; every string from the data is escaped. These exist so the
pipeline (execute, render, print) can be built and tested end to end; they are meant to be replaced.
"""

from __future__ import annotations

import html

from analysis.display import BriefContext, figure_html, section

e = html.escape


def summary(brief: BriefContext) -> str:
    """The case summary and the question the brief answers."""
    meta = brief.case.meta
    body = f'<p class="cb-question">{e(brief.case.question)}</p>\n<p>{e(str(meta.get("summary", "")))}</p>'
    return section("summary", "Summary", body)


def key_judgements(brief: BriefContext) -> str:
    """Key judgements with their likelihood and confidence, as case.yaml states them."""
    items = []
    for kj in brief.case.meta.get("key_judgements", []) or []:
        items.append(
            f'<li id="{e(str(kj.get("id", "")))}"><strong>{e(str(kj.get("text", "")))}</strong> '
            f'<span class="cb-judgement">({e(str(kj.get("likelihood", "")))}; '
            f'{e(str(kj.get("confidence", "")))} confidence)</span></li>'
        )
    body = "<ol>" + "\n".join(items) + "</ol>" if items else "<p>No key judgements recorded.</p>"
    return section("key-judgements", "Key judgements", body)


def timeline(brief: BriefContext) -> str:
    """The timeline chart when the charts module provides it, else a placeholder paragraph."""
    try:
        from analysis.charts.timeline import timeline as draw
    except ImportError:
        draw = None
    if draw is None:
        n = len(brief.case.events)
        return section("timeline", "Timeline", f"<p>{n} events known as of {e(str(brief.params.as_of))}.</p>")
    chart = draw(brief.case, since=brief.params.since)
    fig = getattr(chart, "figure", chart)
    alt = getattr(chart, "alt_text", "Timeline of the case's events.")
    caption = f"Events known as of {brief.params.as_of:%d %B %Y}."
    body = figure_html(brief, "timeline", fig, alt=alt, caption=caption)
    _close(fig)
    return section("timeline", "Timeline", body)


def changes(brief: BriefContext) -> str:
    """Counts of what became known between ``since`` and ``as_of`` (empty when no ``since``)."""
    if not brief.params.since:
        return ""
    ch = brief.full.changes(brief.params.since, brief.params.as_of)
    body = (
        f"<p>Between {brief.params.since:%d %B %Y} and {brief.params.as_of:%d %B %Y}: "
        f"{len(ch.new_events)} new events, {len(ch.new_positions)} new positions, "
        f"{len(ch.shifts)} shifts of stance, {len(ch.new_sources)} new sources.</p>"
    )
    return section("what-changed", "What changed", body)


def sources(brief: BriefContext) -> str:
    """The sources known as of the brief's date, numbered."""
    rows = []
    for _, s in brief.case.sources.sort_values("id").iterrows():
        rows.append(
            f'<li id="src-{e(s["id"])}" lang="{e(s.get("language", "") or "en")}">{e(s["publisher"])}, '
            f'<cite>{e(s["title"])}</cite>, {e(s["published"] or "undated")}. '
            f'<span class="cb-url">{e(s["url"])}</span></li>'
        )
    return section("sources", "Sources", '<ol class="cb-sources">' + "\n".join(rows) + "</ol>")


def _close(fig: object) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # a Figure made without pyplot needs no closing
        pass
