"""Sections 9 and 10: the numbered source list, and the annex of method and provenance."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from analysis import wording as W
from analysis.brief.citations import Citations, anchor
from analysis.brief.markup import esc, heading, lang_span, link, table
from analysis.brief.provenance import DataVersion
from analysis.brief.sections.base import CONFIDENCE_ID, IDS, YARDSTICK_ID, section
from analysis.case import Case
from analysis.facts import field_descriptions


# 9. Sources
# ---------------------------------------------------------------------------------------------------
def sources(case: Case, citations: Citations, *, annex: bool = True, compact: bool = False,
            short_from: int = 0) -> str:
    """The cited sources, numbered in order of first citation, each the target of its citations.

    Each entry: publisher (and the original outlet of a copy), title, date, URL as a link, kind and
    grade. ``compact`` (the summary brief) prints the link as the site's host name instead of the
    whole address; the link itself still carries the full URL. From fitting step ``short_from`` on
    (0: never), print gives each entry's publisher, date and site only and says so; an entry whose
    every printed citation is in a part print leaves out at some step leaves the printed list with it.
    """
    parts = [heading(2, "Sources", IDS["sources"])]
    rows = citations.rows()
    if rows.empty:
        parts.append('<p class="none">No source is cited.</p>')
        return section("sources", "".join(parts))
    long = f' class="src-long fit-drop-{short_from}"' if short_from else ' class="src-long"'
    items = []
    for _, r in rows.iterrows():
        pub = esc(r["publisher"])
        if r.get("original_outlet"):
            pub += f' <span class="outlet">(copy of {esc(r["original_outlet"])})</span>'
        when = W.partial_or_text(r["published"]) if r["published"] else "undated"
        shown_url = _host(r["url"]) if compact else short_url(r["url"])
        step = citations.dropped_from(r["id"])
        classes = "html-only" if not citations.printed(r["id"]) else f"fit-drop-{step}" if step else ""
        attr = f' class="{classes}"' if classes else ""
        items.append(
            f'<li id="{esc(anchor(r["id"]))}" value="{r["number"]}"{attr}>'
            f'<span class="src-num">[{r["number"]}]</span> {pub}.'
            f'<span{long}> <span class="src-title">{lang_span(r["title"], r["language"])}</span>.</span>'
            f' {esc(when)}. <span class="src-url">{link(r["url"], shown_url)}</span>.'
            f'<span{long}> <span class="src-grade">{esc(r["kind"])}, grade {esc(r["reliability"])}</span>.'
            "</span></li>"
        )
    where = "; kinds and grades are explained in the annex" if annex else ""
    online = sum(1 for s in rows["id"] if not citations.printed(s))
    only = (f' <span class="print-only">{W.count(online)} of them, cited only in parts left to the HTML '
            f"edition, {'is' if online == 1 else 'are'} listed there (their numbers are skipped here).</span>"
            if online else "")
    dropped = {citations.dropped_from(s) for s in rows["id"] if citations.printed(s)} - {0}
    if dropped:  # shown from the first step that takes an entry out of the printed list
        only += (f'<span class="fit-note-{min(dropped)}"> Sources cited only in parts this print leaves to '
                 "the HTML edition are listed there (their numbers are skipped here).</span>")
    if short_from:
        only += (f'<span class="fit-note-{short_from}"> This print gives each source\'s publisher, date and '
                 "site; titles, kinds and grades are in the HTML edition.</span>")
    parts.append(f'<p class="lead">{W.plural(len(rows), "source")} cited, in order of first citation'
                 f"{where}.{only}</p>")
    parts.append(f'<ol class="source-list">{"".join(items)}</ol>')
    return section("sources", "".join(parts))


def short_url(url: object, limit: int = 42) -> str:
    """The address without its scheme, cut to ``limit`` characters with an ellipsis (the link keeps it
    whole): enough to recognise and search for on paper, without pages of wrapped URLs."""
    text = re.sub(r"^https?://(www\.)?", "", str(url))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _host(url: object) -> str:
    """'example.org' from 'https://www.example.org/a/b' (the address itself when it has no host)."""
    host = urlsplit(str(url)).netloc
    return host[4:] if host.startswith("www.") else (host or str(url))


# ---------------------------------------------------------------------------------------------------
# 10. Annex: method and provenance
def annex(
    case: Case,
    citations: Citations,
    *,
    data: DataVersion,
    params: Mapping[str, object] | None = None,
    version: str = "",
) -> str:
    """Coding scales, confidence levels, the likelihood yardstick, data version and hashes, build
    parameters."""
    desc = field_descriptions(case)
    parts = [heading(2, "Annex: method and provenance", IDS["annex"])]

    parts.append(heading(3, "How positions are coded", "annex-coding"))
    if desc.get(("positions", "stance")):
        parts.append(f"<p>{esc(desc[('positions', 'stance')])}</p>")
    scale = sorted(case.stance_scale.items())
    if scale:  # one row: the scale reads left to right, as on the charts
        parts.append(table([W.signed(k) for k, _ in scale], [[esc(v) for _, v in scale]],
                           class_="brief-table scale"))
    defs = [(label, desc.get(("positions", f))) for label, f in (
        ("Basis", "basis"), ("Salience", "salience"), ("Influence", "influence"),
        ("Confidence of a position", "confidence"))]
    defs += [("Source kind", desc.get(("sources", "kind"))),
             ("Source grade", desc.get(("sources", "reliability")))]
    rows = [(f"<strong>{esc(k)}</strong>", esc(v)) for k, v in defs if v]
    if rows:
        parts.append(table(["Term", "Meaning"], rows, widths=["18%", "82%"],
                           class_="brief-table definitions"))

    levels = case.meta.get("confidence_levels") or {}
    parts.append(heading(3, "Confidence in judgements", CONFIDENCE_ID))
    if levels:
        parts.append(table(["Confidence", "Meaning"], [(esc(k), esc(v)) for k, v in levels.items()],
                           class_="brief-table narrow"))

    yard = case.meta.get("likelihood_yardstick") or {}
    parts.append(heading(3, "Likelihood yardstick", YARDSTICK_ID))
    if yard.get("name"):
        parts.append(f"<p>Likelihood terms follow {esc(yard['name'])}; each term stands for a range of "
                     f"probability.</p>")
    terms = yard.get("terms") or []
    if terms:
        parts.append(table([str(t.get("term")) for t in terms],
                           [[f"{esc(t.get('min'))}–{esc(t.get('max'))}%" for t in terms]],
                           class_="brief-table scale"))

    prov = [heading(3, "Data and build", "annex-provenance")]
    updated = f", data of {esc(data.updated)}" if data.updated else ""
    prov.append(
        f"<p>Case <code>{esc(case.id)}</code>{updated}; sha256 over all its files "
        f'<code class="hash">{esc(data.digest)}</code>. Prepared with casebrief {esc(version)}.</p>'
    )
    if params:
        values = " ".join(f"{esc(k)}={esc(_param(v))}" for k, v in params.items() if v not in (None, "", []))
        prov.append(f'<p class="hashes"><span class="label">Build parameters:</span> '
                    f"<code>{values}</code></p>")
    files = "; ".join(f'{esc(f)} <code class="hash">{esc(h[:12])}</code>' for f, h in data.files.items())
    prov.append(f'<p class="hashes"><span class="label">Files (sha256, first 12 digits):</span> '
                f"{files}.</p>")
    parts.append(f'<div class="annex-provenance">{"".join(prov)}</div>')
    return section("annex", "".join(parts))


def _param(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, list | tuple | set):
        return ",".join(map(str, value)) or "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
