"""Sections 1 and 2: the title block and the key judgements, each with its likelihood and confidence."""

from __future__ import annotations

import datetime as dt

from analysis import wording as W
from analysis.audiences import AUDIENCES
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, heading, slug
from analysis.brief.provenance import DataVersion
from analysis.brief.sections.base import CONFIDENCE_ID, IDS, SUMMARY_SOURCES, YARDSTICK_ID, section
from analysis.case import Case
from analysis.errors import CaseDataError, Problem
from analysis.evidence import resolve
from analysis.facts import (
    event_date,
    judgement_sources,
    lower_first,
    yardstick,
)
from analysis.judgements import reconstructed_label


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
    glance: bool = False,
) -> str:
    """Case title (h1), the policy question, as-of date, audience, 'prepared with casebrief', data version.

    ``glance`` adds what the record holds on the as-of date and how to read the brief (the analyst
    brief's cover)."""
    kind = AUDIENCES[audience].kicker if audience in AUDIENCES else f"{audience} brief"
    parts = [heading(1, title or case.title, IDS["title"])]
    if case.question:
        parts.append(f'<p class="brief-question"><span class="label">Policy question:</span> '
                     f"{esc(case.question)}</p>")
    made = f"Prepared with casebrief {esc(version)}".strip()
    parts.append(
        '<p class="brief-meta">'
        f'<span class="as-of">As of {esc(W.day(as_of))}</span> · '
        f'<span class="audience">{esc(kind)}</span> · '
        f'<span class="made">{made}</span> · '
        f'<span class="data-version">{esc(data.label())}</span></p>'
    )
    text = str(case.meta.get("summary", "") or "").strip()
    if summary and text:
        parts.append(f'<p class="brief-summary">{esc(text)}</p>')
    if glance:
        parts.append(at_a_glance(case, as_of))
    return f'<header class="brief-titleblock tex2jax_ignore mathjax_ignore">{"".join(parts)}</header>'


def at_a_glance(case: Case, as_of: dt.date) -> str:
    """What the record holds on ``as_of`` (counts, in words for zero) and how to read the brief."""
    ev, pos = case.events.sort_values(["start", "id"], kind="stable"), case.positions
    if len(ev):  # each end as precise as the data ('Aug 2015'), as in the timeline's lead
        first, last = event_date(ev.iloc[0]), event_date(ev.iloc[-1])
        when = first if first == last else f"{first} to {last}"
        keys = int(ev["key"].sum())
        events = f"{W.plural(len(ev), 'event')} ({when}){f', {W.count(keys)} of them key' if keys else ''}"
    else:
        events = "no event yet"
    if len(pos):
        issues = pos["issue"].nunique()
        positions = (f"{W.plural(len(pos), 'stated position')} of {W.plural(pos['actor'].nunique(), 'actor')}"
                     f" on {W.plural(issues, 'issue')}")
    else:
        positions = "no stated position yet"
    held = [events, positions]
    if len(case.legal_provisions):
        held.append(f"{W.plural(len(case.legal_provisions), 'legal provision')} in force")
    held.append(f"{W.plural(len(case.sources), 'source')} on record")
    judged = len(case.meta.get("key_judgements") or [])
    held.append(W.plural(judged, "key judgement", zero="no key judgement yet"))
    scale = sorted(case.stance_scale.items())
    undated = case.sources["start"].isna().any()
    read = (f"The brief uses only what was published by {W.day(as_of)}"
            f"{' (and undated sources)' if undated else ''}; numbers in brackets cite the numbered sources.")
    if scale:
        (lo, lo_label), (hi, hi_label) = scale[0], scale[-1]
        read += (f" Stances are the analyst's coding, from {W.signed(lo)} ({esc(lo_label)}) to "
                 f"{W.signed(hi)} ({esc(hi_label)}), each with its evidence")
        read += "; likelihood and confidence terms are defined in the annex." if judged else "."
    return (f'<div class="brief-glance"><p><span class="label">The record on {W.day(as_of)}:</span> '
            f"{esc('; '.join(held[:-1]) + ' and ' + held[-1])}.</p><p>{read}</p></div>")


# ---------------------------------------------------------------------------------------------------
# 2. Key judgements
# ---------------------------------------------------------------------------------------------------
def check_judgements(case: Case, full: Case | None = None) -> None:
    """Refuse judgements without evidence, with unknown evidence ids, or off-scale terms.

    Raises :class:`~analysis.errors.CaseDataError` listing every problem at once.
    """
    ref = full or case
    terms = yardstick(case)
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




def likelihood_badge(term: str, case: Case, *, link: bool = True) -> str:
    """The likelihood term with its numeric range, linked to the yardstick in the annex when there is one."""
    lo, hi = yardstick(case).get(term, (None, None))
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
        if kj.get("reconstructed") and kj.get("date"):  # an earlier set, written later from the sources
            body.append(f'<p class="kj-reconstructed note">Assessment of {esc(W.day(kj["date"]))}, '
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
    elif not case.meta.get("key_judgements") and case.as_of_date:  # none made yet on the as-of date
        parts.append(f'<p class="none">No key judgement had been made by {esc(W.day(case.as_of_date))}.</p>')
    else:
        parts.append('<p class="none">No key judgement rests on evidence known on this date.</p>')
    if boxes and not annex and levels:
        used = list(dict.fromkeys(str(k.get("confidence")) for k in case.meta.get("key_judgements") or []))
        defs = "; ".join(f"<em>{esc(c)}</em>: {esc(lower_first(str(levels[c]).strip().rstrip('.')))}"
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
