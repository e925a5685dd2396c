"""Section renderers: each takes the as-of case and the brief's citation registry and returns HTML.

Every fact, name and number in the output is read or computed from the case; the code contributes only
headings and connecting words. Every value from data is escaped (:func:`analysis.brief.markup.esc`).
Headings carry stable ids so the table of contents, PDF bookmarks and cross-links can point at them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping, Sequence
from urllib.parse import urlsplit

import pandas as pd

from analysis.brief.citations import Citations, anchor
from analysis.brief.evidence import only_weak, ranked, resolve, strongest, weak_source_ids
from analysis.brief.markup import esc, heading, join_words, lang_span, link, plural, slug, table
from analysis.brief.provenance import DataVersion
from analysis.case import Case, Changes
from analysis.dates import PartialDateError, format_partial
from analysis.errors import CaseDataError, Problem
from analysis.judgements import reconstructed_label

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


def day(value: object) -> str:
    """'13 May 2026' from a date-like value."""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{d.day} {d:%b %Y}"


def partial(text: object, end: object = None) -> str:
    """A partial date in words ('Mar 2025', '23–25 May 2025'); the text itself when it is not a date."""
    raw = str(text or "").strip()
    if not raw:
        return "undated"
    try:
        return format_partial(raw, str(end).strip() or None if end else None)
    except PartialDateError:
        return raw


def event_date(row: Mapping) -> str:
    """An event's date with its precision: a range shows both ends."""
    end = row.get("date_end") if row.get("date_precision") == "range" else None
    return partial(row.get("date"), end or None)


def stance_label(case: Case, issue: str | None, stance: object) -> str:
    """'+2 strongly supports transfer': the signed code, then the issue's own words at the ends.

    ``issue`` None gives the scale's generic words ('+2 strongly supports'), for tables under a heading
    that already names the issue.
    """
    if stance is None or stance is pd.NA or (isinstance(stance, float) and stance != stance):
        return "no public position"
    value = int(stance)
    words = case.stance_scale.get(value, "")
    row = case.issues.loc[case.issues["id"] == issue] if issue else case.issues.iloc[0:0]
    if len(row):
        if value == max(case.stance_scale, default=value) and row["positive_label"].iloc[0]:
            words = row["positive_label"].iloc[0]
        elif value == min(case.stance_scale, default=value) and row["negative_label"].iloc[0]:
            words = row["negative_label"].iloc[0]
    return f"{signed(value)} {_lower_first(str(words))}".strip()


def signed(value: int) -> str:
    """'+2', '0', '−2' (a true minus sign, as on the charts)."""
    return f"{value:+d}".replace("-", "\u2212") if value else "0"


def _lower_first(text: str) -> str:
    """'Credible but...' -> 'credible but...' for use mid-sentence; acronyms ('UN ...') are left alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _yardstick(case: Case) -> dict[str, tuple[object, object]]:
    terms = (case.meta.get("likelihood_yardstick") or {}).get("terms") or []
    return {str(t["term"]): (t.get("min"), t.get("max")) for t in terms}


# ---------------------------------------------------------------------------------------------------
# 1. Title block
# ---------------------------------------------------------------------------------------------------
def title_block(
    case: Case,
    citations: Citations,
    *,
    as_of: dt.date,
    data: DataVersion,
    audience: str = "analyst",
    title: str | None = None,
    version: str = "",
    summary: bool = True,
) -> str:
    """Case title (h1), the policy question, as-of date, audience, 'prepared with casebrief', data version."""
    kind = {"analyst": "Analyst brief", "public": "Public summary"}.get(audience, f"{audience} brief")
    parts = [heading(1, title or case.title, IDS["title"])]
    if case.question:
        parts.append(f'<p class="brief-question"><span class="label">Policy question:</span> '
                     f"{esc(case.question)}</p>")
    made = f"Prepared with casebrief {esc(version)}".strip()
    parts.append(
        '<p class="brief-meta">'
        f'<span class="as-of">As of {esc(day(as_of))}</span> · '
        f'<span class="audience">{esc(kind)}</span> · '
        f'<span class="made">{made}</span> · '
        f'<span class="data-version">{esc(data.label())}</span></p>'
    )
    text = str(case.meta.get("summary", "") or "").strip()
    if summary and text:
        parts.append(f'<p class="brief-summary">{esc(text)}</p>')
    return f'<header class="brief-titleblock tex2jax_ignore mathjax_ignore">{"".join(parts)}</header>'


# ---------------------------------------------------------------------------------------------------
# 2. Key judgements
# ---------------------------------------------------------------------------------------------------
def check_judgements(case: Case, full: Case | None = None) -> None:
    """Refuse judgements without evidence, with unknown evidence ids, or off-scale terms.

    Raises :class:`~analysis.errors.CaseDataError` listing every problem at once.
    """
    ref = full or case
    terms = _yardstick(case)
    levels = case.meta.get("confidence_levels") or {}
    problems: list[Problem] = []
    for i, kj in enumerate(case.meta.get("key_judgements") or [], start=1):
        ident = str(kj.get("id") or f"#{i}")
        where = f"case.yaml key_judgements {ident}"
        evidence = kj.get("evidence") or []
        if isinstance(evidence, str):
            evidence = [evidence]
        if not evidence:
            problems.append(Problem(where, "has no evidence: list the ids of the events, positions, legal "
                                           "provisions, disputes or sources it rests on"))
        else:
            _, unknown = resolve(ref, [str(e) for e in evidence])
            for u in unknown:
                problems.append(Problem(where, "is listed as evidence but no event, position, legal "
                                               "provision, quote, dispute or source has that id", value=u))
        if not str(kj.get("text") or "").strip():
            problems.append(Problem(where, "has no text"))
        if str(kj.get("likelihood")) not in terms:
            problems.append(Problem(where, f"likelihood is not a term of the yardstick ({', '.join(terms)})",
                                    value=kj.get("likelihood")))
        if levels and str(kj.get("confidence")) not in levels:
            problems.append(Problem(where, f"confidence is not one of {', '.join(map(str, levels))}",
                                    value=kj.get("confidence")))
    if problems:
        raise CaseDataError(case.id, problems)


def judgement_sources(case: Case, kj: Mapping, *, limit: int | None = None) -> list[str]:
    """The sources a judgement rests on, as known on the slice's date.

    ``limit``: the summary form, at most that many sources: the strongest source of each evidence
    item, strongest first (see :func:`analysis.brief.evidence.ranked`).
    """
    evidence = kj.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    found, _ = resolve(case, [str(e) for e in evidence], strongest_only=limit is not None)
    return found if limit is None else ranked(case, found)[:limit]


def likelihood_badge(term: str, case: Case, *, link: bool = True) -> str:
    """The likelihood term with its numeric range, linked to the yardstick in the annex when there is one."""
    lo, hi = _yardstick(case).get(term, (None, None))
    rng = f' <span class="range">({esc(lo)}–{esc(hi)}%)</span>' if lo is not None and hi is not None else ""
    cls = f"likelihood lk-{esc(slug(term))}"
    if link:
        return f'<a class="{cls}" href="#{YARDSTICK_ID}">{esc(term)}</a>{rng}'
    return f'<span class="{cls}">{esc(term)}</span>{rng}'



def key_judgements(
    case: Case,
    citations: Citations,
    *,
    full: Case | None = None,
    annex: bool = True,
    summary: bool = True,
    rationale: bool = True,
) -> str:
    """Bottom line up front: each judgement with likelihood, confidence (a separate sentence), why, citations.

    ``full`` is the whole case: evidence ids are checked against it, and a judgement whose evidence was
    all published after the as-of date is left out with a note rather than shown uncited.
    ``annex``: link the likelihood and confidence terms to their scales in the annex (False when the brief
    has none: the summary brief says what the levels mean in a line instead).
    ``summary``: open with the case summary from case.yaml. ``rationale`` False gives the short form
    of a summary brief: judgement, likelihood, confidence, and its :data:`SUMMARY_SOURCES` strongest
    sources.
    """
    check_judgements(case, full)
    levels = case.meta.get("confidence_levels") or {}
    boxes, held_back = [], []
    for kj in case.meta.get("key_judgements") or []:
        ident = str(kj.get("id", ""))
        src = judgement_sources(case, kj, limit=None if rationale else SUMMARY_SOURCES)
        if not src:
            held_back.append(ident)
            continue
        conf = str(kj.get("confidence", ""))
        conf_word = (f'<a class="confidence" href="#{CONFIDENCE_ID}">{esc(conf)}</a>' if annex
                     else f'<span class="confidence">{esc(conf)}</span>')
        conf_text = f"Confidence: <strong>{conf_word}</strong>."
        why = str(kj.get("rationale", "") or "").strip()
        body = [
            f'<p class="kj-text"><span class="kj-id">{esc(ident)}</span> {esc(kj.get("text", ""))}</p>',
            f'<p class="kj-assess"><span class="kj-likelihood">Likelihood: '
            f'{likelihood_badge(str(kj.get("likelihood")), case, link=annex)}.</span> '
            f'<span class="kj-confidence">{conf_text}</span></p>',
        ]
        if kj.get("reconstructed") and kj.get("date"):  # hook: an earlier set, written later
            body.append(f'<p class="kj-reconstructed note">Assessment of {esc(day(kj["date"]))}, '
                        f'{esc(reconstructed_label(kj["date"]))}.</p>')
        if rationale:
            label, text = ("Why:", esc(why)) if why else ("Evidence:", "")
            body.append(f'<p class="kj-why"><span class="label">{label}</span> {text} '
                        f"{citations.cite(src)}</p>")
        else:
            body[-1] = body[-1].replace("</p>", f" {citations.cite(src)}</p>")
        boxes.append(f'<div class="judgement" id="kj-{esc(ident)}">{"".join(body)}</div>')
    parts = [heading(2, "Key judgements", IDS["judgements"])]
    text = str(case.meta.get("summary", "") or "").strip()
    if summary and text:
        parts.append(f'<p class="brief-summary">{esc(text)}</p>')
    if boxes:
        parts.extend(boxes)
    elif not case.meta.get("key_judgements") and case.as_of_date:  # hook: none made yet on the date
        parts.append(f'<p class="none">No key judgement had been made by {esc(day(case.as_of_date))}.</p>')
    else:
        parts.append('<p class="none">No key judgement rests on evidence known on this date.</p>')
    if boxes and not annex and levels:
        used = list(dict.fromkeys(str(k.get("confidence")) for k in case.meta.get("key_judgements") or []))
        defs = "; ".join(f"<em>{esc(c)}</em>: {esc(_lower_first(str(levels[c]).strip().rstrip('.')))}"
                         for c in used if c in levels)
        parts.append(f'<p class="note">Likelihood ranges follow '
                     f"{esc((case.meta.get('likelihood_yardstick') or {}).get('name', 'the yardstick'))}. "
                     f"Confidence {defs}.</p>")
    if held_back:
        parts.append(
            f'<p class="note">Left out because all their evidence is dated after the as-of date: '
            f"{esc(', '.join(held_back))}.</p>"
        )
    return section("judgements", "".join(parts))


# ---------------------------------------------------------------------------------------------------
# 3. What changed
# ---------------------------------------------------------------------------------------------------
def _position(case: Case, shift: Mapping) -> Mapping:
    """The position row a shift points at (for its basis and language), else the shift itself."""
    row = case.positions.loc[case.positions["id"] == shift.get("position")]
    return row.iloc[0].to_dict() if len(row) else dict(shift)


def what_changed(case: Case, citations: Citations, changes: Changes, *, list_sources: bool = True) -> str:
    """New events, shifted positions and new sources between ``changes.since`` and ``changes.until``.

    ``list_sources`` False is the summary form: lists instead of tables, new sources only counted.
    """
    since, until = changes.since, changes.until
    title = f"What changed since {day(since)}"
    parts = [heading(2, title, IDS["changes"])]
    ev = changes.new_events.sort_values(["start", "id"], kind="stable")
    shifts = changes.shifts
    stated = changes.new_positions[changes.new_positions["basis"] != "none"]
    restated = stated[~stated["id"].isin(set(shifts["position"]) | set(changes.new_stances["position"]))]
    src = changes.new_sources.sort_values(["start", "id"], kind="stable", na_position="first")
    span = f"between {day(since)} and {day(until)}"
    if ev.empty and shifts.empty and src.empty and stated.empty and not changes.judgements:
        parts.append(f'<p class="no-change"><strong>No change</strong> {esc(span)}: no new event, '
                     f"no new or shifted position and no new source.</p>")
        return section("changes", "".join(parts))
    counts = [plural(len(ev), "new event"), plural(len(shifts), "shift in position", "shifts in position"),
              plural(len(changes.new_stances), "first stated position"),  # hook: new stances
              plural(len(src), "new source")]
    lead = f"{esc(span[0].upper() + span[1:])} the case records {join_words(counts)}."
    if len(restated):
        lead += f" {plural(len(restated), 'further statement')} restated an existing position."
    parts.append(f'<p class="lead">{lead}</p>')
    if not ev.empty:
        if list_sources:
            parts.append(label("New events", "what-changed-events"))
            rows = [
                (esc(event_date(r)), f"<strong>{esc(r['title'])}</strong>. {esc(r['description'])} "
                                     f"{citations.cite(r['source_ids'])}")
                for _, r in ev.iterrows()
            ]
            parts.append(table(["Date", "What happened, and sources"], rows, widths=["15%", "85%"]))
        else:
            items = [f"<li>{esc(event_date(r))}: {esc(r['title'])} {citations.cite(r['source_ids'])}</li>"
                     for _, r in ev.iterrows()]
            parts.append(f'<p class="list-label">New events</p><ul class="compact">{"".join(items)}</ul>')
    if not shifts.empty:
        order = shifts.assign(_name=[case.actor_name(a) for a in shifts["actor"]])
        order = order.sort_values(["issue", "_name"], kind="stable")
        if list_sources:
            parts.append(label("Shifts in position", "what-changed-shifts"))
            rows = []
            for _, r in order.iterrows():
                rows.append((
                    esc(r["_name"]),
                    esc(case.issue_label(r["issue"])),
                    f"{esc(stance_label(case, r['issue'], r['from_stance']))} → "
                    f"<strong>{esc(stance_label(case, r['issue'], r['to_stance']))}</strong>"
                    f'<br><span class="date">{esc(partial(r["date"]))}</span>',
                    f'<span class="evidence">{evidence_html(_position(case, r))}</span> '
                    f"{citations.cite(r['source_ids'])}",
                ))
            parts.append(table(["Actor", "Issue", "From → to", "Evidence and sources"], rows,
                               widths=["18%", "16%", "26%", "40%"]))
        else:
            items = [
                f"<li>{esc(r['_name'])} on {esc(case.issue_label(r['issue']))}: "
                f"{esc(stance_label(case, None, r['from_stance']))} → "
                f"<strong>{esc(stance_label(case, None, r['to_stance']))}</strong> "
                f"({esc(partial(r['date']))}) {citations.cite(r['source_ids'])}</li>"
                for _, r in order.iterrows()
            ]
            parts.append('<p class="list-label">Shifts in position</p>'
                         f'<ul class="compact">{"".join(items)}</ul>')
    parts.append(_new_stances_and_judgements(case, citations, changes))  # hook: new stances, judgements
    if not src.empty and list_sources:
        parts.append(label("New sources", "what-changed-sources"))
        items = [
            f"{esc(r['publisher'])}, {esc(partial(r['published']))} {citations.cite(r['id'])}"
            for _, r in src.iterrows()
        ]
        parts.append(f'<p class="source-run">{"; ".join(items)}.</p>')
    return section("changes", "".join(parts))


# -- hook: first stated positions and judgement revisions in "What changed" ---------------------------
def _new_stances_and_judgements(case: Case, citations: Citations, changes: Changes) -> str:
    """First stated positions (new, not shifts) and judgement revisions in the window, as short lists."""
    parts = []
    if not changes.new_stances.empty:
        order = changes.new_stances.assign(_name=[case.actor_name(a) for a in changes.new_stances["actor"]])
        items = [
            f"<li>{esc(r['_name'])} on {esc(case.issue_label(r['issue']))}: "
            f"<strong>{esc(stance_label(case, r['issue'], r['to_stance']))}</strong> "
            f"({esc(partial(r['date']))}) {citations.cite(r['source_ids'])}</li>"
            for _, r in order.sort_values(["issue", "_name"], kind="stable").iterrows()
        ]
        parts.append('<p class="list-label" id="what-changed-new-stances">First stated positions</p>'
                     f'<ul class="compact">{"".join(items)}</ul>')
    if changes.judgements:
        items = []
        for c in changes.judgements:
            r = c.after
            if c.kind == "new":
                what = f"new: {esc(r.text)} (<em>{esc(r.likelihood)}</em>, {esc(r.confidence)} confidence)"
            elif c.kind == "withdrawn":
                what = "withdrawn"
            elif c.kind == "likelihood":
                word = "up" if c.steps > 0 else "down"
                n = abs(c.steps)
                what = (f"likelihood {word} {n} step{'s' if n != 1 else ''}: {esc(c.before.likelihood)} → "
                        f"<strong>{esc(r.likelihood)}</strong>")
            elif c.kind == "confidence":
                what = f"confidence {esc(c.before.confidence)} → <strong>{esc(r.confidence)}</strong>"
            else:
                what = "reworded"
            recon = f" ({esc(reconstructed_label(r.date))})" if r.reconstructed else ""
            found, _ = resolve(case, list(c.evidence_added))
            cite = f" {citations.cite(found)}" if found else ""
            items.append(f"<li>{esc(c.id)}, {esc(day(c.date))}{recon}: {what}{cite}</li>")
        parts.append('<p class="list-label" id="what-changed-judgements">Key judgements revised</p>'
                     f'<ul class="compact">{"".join(items)}</ul>')
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------
# 4. Timeline
# ---------------------------------------------------------------------------------------------------
def date_disputes(case: Case) -> dict[str, list[pd.Series]]:
    """Event id -> the claims of disputes about that event's date."""
    out: dict[str, list[pd.Series]] = {}
    d = case.disputes
    about = d[(d["about_table"] == "events") & d["about_field"].isin(["date", "date_end"])]
    for _, dispute in about.iterrows():
        claims = case.dispute_claims[case.dispute_claims["dispute"] == dispute["id"]]
        out.setdefault(dispute["about_id"], []).extend(c for _, c in claims.sort_values("claim").iterrows())
    return out


def timeline(case: Case, citations: Citations, *, figure: str = "", table_: bool = True,
             key_only: bool = True) -> str:
    """The timeline figure, then the key events: date (with its precision), what happened, citations.

    A date that sources dispute shows every version with its sources.
    """
    parts = [heading(2, "Timeline", IDS["timeline"])]
    ev = case.events.sort_values(["start", "id"], kind="stable")
    key = ev[ev["key"]] if key_only else ev
    if len(ev):
        first, last = ev.iloc[0], ev.iloc[-1]
        parts.append(
            f'<p class="lead">The case records {plural(len(ev), "event")} from {esc(event_date(first))} '
            f"to {esc(event_date(last))}; {len(key)} {'is' if len(key) == 1 else 'are'} marked as key"
            f"{' and listed below' if table_ and len(key) else ''}.</p>"
        )
    else:
        parts.append('<p class="none">No event is recorded up to this date.</p>')
    if figure:
        parts.append(figure)
    if table_ and len(key):
        disputed = date_disputes(case)
        rows = []
        for _, r in key.iterrows():
            when = esc(event_date(r))
            if r["id"] in disputed:
                versions = [
                    f"{esc(partial(c['value']) if c['value'] else c['statement'])} "
                    f"{citations.cite(c['source_ids'])}"
                    for c in disputed[r["id"]]
                ]
                when += f'<br><span class="disputed">sources give {join_words(versions, "or")}</span>'
            what = (f"<strong>{esc(r['title'])}</strong>. {esc(r['description'])} "
                    f"{citations.cite(r['source_ids'])}")
            rows.append((when, what))
        parts.append(heading(3, "Key events", "timeline-key-events"))
        parts.append(table(["Date", "What happened, and sources"], rows, widths=["16%", "84%"],
                           class_="brief-table events"))
    return section("timeline", "".join(parts))


# ---------------------------------------------------------------------------------------------------
# 5. Stakeholders and positions
# ---------------------------------------------------------------------------------------------------
def _issue_ids(case: Case, issues: Sequence[str] | None) -> list[str]:
    known = list(case.issues["id"])
    if not issues:
        return known
    return [i for i in known if i in set(issues)]


def evidence_html(position: Mapping) -> str:
    """A position's evidence: a quote in quotation marks (in its language), else marked as paraphrase
    or inference."""
    ev = lang_span(position.get("evidence", ""), position.get("evidence_language", ""))
    basis = str(position.get("basis", "") or "")
    if basis == "quote":
        return f"“{ev}”"
    return f'<span class="basis">{esc(basis)}:</span> {ev}' if basis else ev


def positions_table(case: Case, citations: Citations, issue: str) -> tuple[str, pd.DataFrame]:
    """(table HTML, rows with no public position) for one issue, from each actor's latest position.

    Each row cites the strongest of the position's sources (the one whose words the evidence gives,
    as a rule); the annex's grades say how the strength is judged.
    """
    latest = case.latest_positions()
    latest = latest[latest["issue"] == issue] if len(latest) else latest
    if latest.empty:
        return "", latest
    stated = latest[latest["basis"] != "none"].copy()
    gaps = latest[latest["basis"] == "none"]
    stated["_name"] = [case.actor_name(a) for a in stated["actor"]]
    stated["_s"] = stated["stance"].astype("float")
    stated = stated.sort_values(["_s", "influence", "_name"], ascending=[False, False, True], kind="stable")
    rows = []
    for _, r in stated.iterrows():
        ev = evidence_html(r)
        rows.append((
            esc(case.actor_name(r["actor"])),
            f'<span class="stance s{int(r["stance"]):+d}">{esc(stance_label(case, None, r["stance"]))}</span>'
            f'<br><span class="date">{esc(partial(r["date"]))}</span>',
            esc(r["confidence"]),
            f'<span class="evidence">{ev}</span> {citations.cite(strongest(case, r["source_ids"]))}',
        ))
    html = table(["Actor", "Stance", "Confidence", "Evidence and source"], rows,
                 widths=["22%", "19%", "9%", "50%"], class_="brief-table positions") if rows else ""
    return html, gaps


def stakeholders(
    case: Case,
    citations: Citations,
    *,
    issues: Sequence[str] | None = None,
    position_maps: Mapping[str, str] | None = None,
    matrix: str = "",
    shifts: str = "",
    tables: bool = True,
) -> str:
    """Figures (matrix, shifts, a position map per issue), then per issue who stands where and on what
    evidence; actors with no public position are named after each table."""
    position_maps = position_maps or {}
    ids = _issue_ids(case, issues)
    latest = case.latest_positions()
    parts = [heading(2, "Stakeholders and positions", IDS["stakeholders"])]
    if len(latest):
        sub = latest[latest["issue"].isin(ids)]
        stated = sub[sub["basis"] != "none"]
        gaps = sub[sub["basis"] == "none"]
        parts.append(
            f'<p class="lead">{plural(stated["actor"].nunique(), "actor")} took a public position on '
            f"{'at least one of ' if len(ids) > 1 else ''}{plural(len(ids), 'issue')}; for "
            f"{plural(len(gaps), 'actor–issue pair')} no public position was found"
            f"{' (listed under uncertainties)' if tables and len(gaps) else ''}.</p>"
        )
    else:
        parts.append('<p class="none">No position is recorded up to this date.</p>')
    parts.extend(f for f in (matrix, shifts) if f)
    for issue in ids:
        row = case.issues.loc[case.issues["id"] == issue].iloc[0]
        fig = position_maps.get(issue, "")
        if not tables and not fig:
            continue
        if tables:  # a summary shows the main issue's map alone: its caption names the issue
            parts.append(heading(3, str(row["label"]), f"stakeholders-{slug(issue)}"))
            parts.append(f'<p class="issue-question">{esc(row["question"])}</p>')
        if fig:
            parts.append(fig)
        if tables:
            html, gaps = positions_table(case, citations, issue)
            parts.append(html or '<p class="none">No position recorded on this issue.</p>')
            if len(gaps):
                names = [f"{esc(case.actor_name(a))}" for a in gaps["actor"]]
                parts.append(
                    f'<p class="gap"><span class="label">No public position found:</span> '
                    f"{join_words(names)} {citations.cite([s for x in gaps['source_ids'] for s in x])}.</p>"
                )
    return section("stakeholders", "".join(parts))


# ---------------------------------------------------------------------------------------------------
# 6. Legal framework
# ---------------------------------------------------------------------------------------------------
def jurisdiction_name(case: Case, code: str) -> str:
    """'international', or the name of the state actor whose country code it is (else the code)."""
    code = str(code or "").strip()
    states = case.actors[(case.actors["type"] == "state") & (case.actors["country"] == code)]
    return str(states["name"].iloc[0]) if code and len(states) else code


def legal(case: Case, citations: Citations) -> str:
    """Provisions grouped by instrument (in the order the data first names them), with why they matter."""
    parts = [heading(2, "Legal framework", IDS["legal"])]
    lp = case.legal_provisions
    if lp.empty:
        parts.append('<p class="none">No legal provision is recorded for this case.</p>')
        return section("legal", "".join(parts))
    instruments = list(dict.fromkeys(lp["instrument"]))
    parts.append(f'<p class="lead">{plural(len(lp), "provision")} from '
                 f"{plural(len(instruments), 'instrument')} bear on the case.</p>")
    used: set[str] = set()
    for inst in instruments:
        rows = lp[lp["instrument"] == inst]
        anchor_id = f"legal-{slug(inst)}"
        n = 2
        while anchor_id in used:
            anchor_id, n = f"legal-{slug(inst)}-{n}", n + 1
        used.add(anchor_id)
        juris = sorted({jurisdiction_name(case, j) for j in rows["jurisdiction"] if j})
        where = f' <span class="jurisdiction">({esc(", ".join(juris))})</span>' if juris else ""
        parts.append(f'<p class="instrument" id="{esc(anchor_id)}"><strong>{esc(inst)}</strong>{where}</p>')
        for _, r in rows.iterrows():
            article = f'<span class="article">{esc(r["article"])}</span> ' if r["article"] else ""
            why = (f' <span class="label">Why it matters:</span> {esc(r["relevance"])}'
                   if r["relevance"] else "")
            parts.append(f'<p class="provision">{article}{esc(r["summary"])}{why} '
                         f"{citations.cite(r['source_ids'])}</p>")
    return section("legal", "".join(parts))


# ---------------------------------------------------------------------------------------------------
# 7. Uncertainties and information gaps
# ---------------------------------------------------------------------------------------------------
def gaps(
    case: Case,
    citations: Citations,
    *,
    issues: Sequence[str] | None = None,
    shown_events: Collection[str] | None = None,
    show_handling: bool = False,
) -> str:
    """Disputes (each side with its sources, and the version used), missing positions, and the items
    of this brief that rest only on weaker sources or, for events, on a single source.

    ``shown_events``: ids of the events the brief shows (key events, new events); None means all.
    ``show_handling``: say after each dispute which version the data uses (disputes.csv ``handling``).
    Positions checked are the latest stated ones, as the stakeholder tables show them.
    """
    parts = [heading(2, "Uncertainties and information gaps", IDS["gaps"])]
    weak = weak_source_ids(case)
    ids = _issue_ids(case, issues)
    latest = case.latest_positions()
    if len(latest):
        latest = latest[latest["issue"].isin(ids)]
    missing = latest[latest["basis"] == "none"] if len(latest) else latest
    events = case.events if shown_events is None else case.events[case.events["id"].isin(set(shown_events))]
    ev_weak = only_weak(events, weak)
    pos_weak = only_weak(latest[latest["basis"] != "none"], weak) if len(latest) else latest
    legal_weak = only_weak(case.legal_provisions, weak)
    single = events[[len(x) == 1 for x in events["source_ids"]]]
    single = single[~single["id"].isin(set(ev_weak["id"]))]
    counts = [
        plural(len(case.disputes), "point disputed between sources", "points disputed between sources"),
        plural(len(missing), "actor–issue pair without a public position",
               "actor–issue pairs without a public position"),
        plural(len(ev_weak) + len(pos_weak) + len(legal_weak), "item resting only on weaker sources",
               "items resting only on weaker sources"),
        plural(len(single), "further event reported by a single source",
               "further events reported by a single source"),
    ]
    parts.append(f'<p class="lead">The case records {counts[0]}; {counts[1]}. Among the events, positions '
                 f"and provisions this brief shows, {join_words(counts[2:])}.</p>")

    parts.append(heading(3, "Disputed points", "uncertainties-disputes"))
    if case.disputes.empty:
        parts.append('<p class="none">No dispute between sources is recorded.</p>')
    for _, d in case.disputes.iterrows():
        claims = case.dispute_claims[case.dispute_claims["dispute"] == d["id"]].sort_values("claim")
        sides = " ".join(
            f'<span class="claim">({n}) {esc(c["statement"])} {citations.cite(c["source_ids"])}</span>'
            for n, (_, c) in enumerate(claims.iterrows(), start=1)
        )
        handling = (f'<p class="handling"><span class="label">Used here:</span> {esc(d["handling"])}</p>'
                    if d["handling"] and show_handling else "")
        parts.append(
            f'<div class="dispute" id="dispute-{esc(d["id"])}"><p class="topic"><strong>{esc(d["topic"])}'
            f'</strong> {sides}</p>{handling}</div>'
        )

    parts.append(heading(3, "Missing positions", "uncertainties-missing"))
    if missing.empty:
        parts.append('<p class="none">Every actor coded on these issues has a public position.</p>')
    else:  # the names and the sources checked are given with each issue's table; here, where
        per_issue = [
            f'<a href="#stakeholders-{esc(slug(i))}">{esc(case.issue_label(i))}</a> '
            f"({int((missing['issue'] == i).sum())})"
            for i in ids if (missing["issue"] == i).any()
        ]
        actors = missing["actor"].nunique()
        parts.append(
            f"<p>No public position was found for {plural(len(missing), 'actor–issue pair')} "
            f"({plural(actors, 'actor')}) in the sources read: {join_words(per_issue)}. Each issue's table "
            "under Stakeholders and positions names them, with the latest source checked.</p>"
        )

    parts.append(heading(3, "Resting only on weaker sources", "uncertainties-weak"))
    items = []
    if len(ev_weak):
        runs = [f"{esc(event_date(r))}: {esc(r['title'])} {citations.cite(r['source_ids'])}"
                for _, r in ev_weak.sort_values(["start", "id"], kind="stable").iterrows()]
        items.append(f"<li><strong>Events</strong> ({len(ev_weak)}): {'; '.join(runs)}.</li>")
    if len(pos_weak):
        p = pos_weak.assign(_name=[case.actor_name(a) for a in pos_weak["actor"]])
        runs = []
        for name, rows in p.sort_values(["_name", "start", "id"], kind="stable").groupby("_name", sort=False):
            on = [f"{esc(case.issue_label(r['issue']))} ({esc(partial(r['date']))}) "
                  f"{citations.cite(r['source_ids'])}" for _, r in rows.iterrows()]
            runs.append(f"{esc(name)} on {join_words(on)}")
        items.append(f"<li><strong>Positions</strong> ({len(pos_weak)}): {'; '.join(runs)}.</li>")
    if len(legal_weak):
        runs = [f"{esc(r['instrument'])} {esc(r['article'])} {citations.cite(r['source_ids'])}"
                for _, r in legal_weak.iterrows()]
        items.append(f"<li><strong>Legal provisions</strong> ({len(legal_weak)}): {'; '.join(runs)}.</li>")
    if items:
        parts.append('<p class="note">Weaker sources are copies, aggregator rewrites and fragments, and '
                     "sources graded C or D; the Sources list gives each one's kind and grade.</p>")
        parts.append(f'<ul class="compact">{"".join(items)}</ul>')
    else:
        parts.append('<p class="none">Every item rests on at least one original or official source '
                     "graded A or B.</p>")

    if len(single):
        parts.append(heading(3, "Events reported by a single source", "uncertainties-single"))
        items = [
            f"{esc(event_date(r))}: {esc(r['title'])} {citations.cite(r['source_ids'])}"
            for _, r in single.sort_values(["start", "id"], kind="stable").iterrows()
        ]
        parts.append(f'<p class="source-run">{"; ".join(items)}.</p>')
    return section("gaps", "".join(parts))


# ---------------------------------------------------------------------------------------------------
# 8. Indicators
# ---------------------------------------------------------------------------------------------------
def indicators(case: Case, citations: Citations, *, judgements: Sequence[str] | None = None) -> str:
    """What would change the judgements, each linked to the judgements it bears on."""
    parts = [heading(2, "Indicators to watch", IDS["indicators"])]
    items = case.meta.get("indicators") or []
    shown = set(judgements) if judgements is not None else {
        str(k.get("id")) for k in case.meta.get("key_judgements") or []}
    if not items:
        parts.append('<p class="none">No indicator is recorded for this case.</p>')
        return section("indicators", "".join(parts))
    lis = []
    for ind in items:
        refs = [str(j) for j in ind.get("judgements") or []]
        links = [f'<a href="#kj-{esc(j)}">{esc(j)}</a>' if j in shown else esc(j) for j in refs]
        bears = f' <span class="bears-on">(bears on {join_words(links)})</span>' if links else ""
        lis.append(f'<li id="ind-{esc(ind.get("id", ""))}">{esc(ind.get("text", ""))}{bears}</li>')
    parts.append(f'<ul class="indicators">{"".join(lis)}</ul>')
    return section("indicators", "".join(parts))


# ---------------------------------------------------------------------------------------------------
# 9. Sources
# ---------------------------------------------------------------------------------------------------
def sources(case: Case, citations: Citations, *, annex: bool = True, compact: bool = False) -> str:
    """The cited sources, numbered in order of first citation, each the target of its citations.

    Each entry: publisher (and the original outlet of a copy), title, date, URL as a link, kind and
    grade. ``compact`` (the summary brief) prints the link as the site's host name instead of the
    whole address; the link itself still carries the full URL.
    """
    parts = [heading(2, "Sources", IDS["sources"])]
    rows = citations.rows()
    if rows.empty:
        parts.append('<p class="none">No source is cited.</p>')
        return section("sources", "".join(parts))
    items = []
    for _, r in rows.iterrows():
        pub = esc(r["publisher"])
        if r.get("original_outlet"):
            pub += f' <span class="outlet">(copy of {esc(r["original_outlet"])})</span>'
        when = partial(r["published"]) if r["published"] else "undated"
        shown_url = _host(r["url"]) if compact else short_url(r["url"])
        items.append(
            f'<li id="{esc(anchor(r["id"]))}" value="{r["number"]}">'
            f'<span class="src-num">[{r["number"]}]</span> {pub}. '
            f'<span class="src-title">{lang_span(r["title"], r["language"])}</span>. {esc(when)}. '
            f'<span class="src-url">{link(r["url"], shown_url)}</span>. '
            f'<span class="src-grade">{esc(r["kind"])}, grade {esc(r["reliability"])}</span>.</li>'
        )
    where = "; kinds and grades are explained in the annex" if annex else ""
    parts.append(f'<p class="lead">{plural(len(rows), "source")} cited, in order of first citation'
                 f"{where}.</p>")
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
# ---------------------------------------------------------------------------------------------------
def field_descriptions(case: Case) -> dict[tuple[str, str], str]:
    """(table, field) -> description, from the case's own datapackage.json (the data's documentation)."""
    path = case.path / "datapackage.json"
    try:
        pkg = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        (res.get("name", ""), f.get("name", "")): str(f.get("description", ""))
        for res in pkg.get("resources", [])
        for f in (res.get("schema") or {}).get("fields", [])
    }


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
        parts.append(table([signed(k) for k, _ in scale], [[esc(v) for _, v in scale]],
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

    parts.append(heading(3, "Data and build", "annex-provenance"))
    updated = f", data of {esc(data.updated)}" if data.updated else ""
    parts.append(
        f"<p>Case <code>{esc(case.id)}</code>{updated}; sha256 over all its files "
        f'<code class="hash">{esc(data.digest)}</code>. Prepared with casebrief {esc(version)}.</p>'
    )
    if params:
        values = " ".join(f"{esc(k)}={esc(_param(v))}" for k, v in params.items() if v not in (None, "", []))
        parts.append(f'<p class="hashes"><span class="label">Build parameters:</span> '
                     f"<code>{values}</code></p>")
    files = "; ".join(f'{esc(f)} <code class="hash">{esc(h[:12])}</code>' for f, h in data.files.items())
    parts.append(f'<p class="hashes"><span class="label">Files (sha256, first 12 digits):</span> '
                 f"{files}.</p>")
    return section("annex", "".join(parts))


def _param(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, list | tuple | set):
        return ",".join(map(str, value)) or "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
