"""Sections 6 and 8: the legal framework and the indicators to watch."""

from __future__ import annotations

from collections.abc import Sequence

from analysis import wording as W
from analysis.brief.citations import Citations
from analysis.brief.markup import esc, heading, slug
from analysis.brief.sections.base import IDS, section
from analysis.case import Case
from analysis.facts import jurisdiction_name


# 6. Legal framework
# ---------------------------------------------------------------------------------------------------
def legal(case: Case, citations: Citations) -> str:
    """Provisions grouped by instrument (in the order the data first names them), with why they matter."""
    parts = [heading(2, "Legal framework", IDS["legal"])]
    lp = case.legal_provisions
    if lp.empty:
        parts.append('<p class="none">No legal provision is recorded for this case.</p>')
        return section("legal", "".join(parts))
    instruments = list(dict.fromkeys(lp["instrument"]))
    parts.append(f'<p class="lead">{W.plural(len(lp), "provision")} from '
                 f"{W.plural(len(instruments), 'instrument')} bear on the case.</p>")
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
        bears = f' <span class="bears-on">(bears on {W.join(links)})</span>' if links else ""
        lis.append(f'<li id="ind-{esc(ind.get("id", ""))}">{esc(ind.get("text", ""))}{bears}</li>')
    parts.append(f'<ul class="indicators">{"".join(lis)}</ul>')
    return section("indicators", "".join(parts))
