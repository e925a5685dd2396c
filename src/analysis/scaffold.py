"""Create a new case folder: the casebrief schema, one worked example row per table, a case.yaml to fill in.

The example rows are marked EXAMPLE and cite each other the way real rows must, so an analyst can see every
rule at work before replacing them; ``casebrief validate`` refuses the case while an EXAMPLE row or text
remains. Dates are today's, so the example sits inside its own period whatever the day.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

from analysis.errors import CasebriefError
from analysis.locate import CASE_ID, CASE_ID_RULE
from analysis.paths import SCHEMA_PATH, cases_dir


def example_rows(today: dt.date) -> dict[str, list[dict[str, str]]]:
    """One worked example row per table (two claims for the one dispute: a dispute has two sides)."""
    day = today.isoformat()
    return {
        "sources": [{
            "id": "SRC001", "publisher": "EXAMPLE Gazette", "original_outlet": "",
            "title": "EXAMPLE: the headline as published", "published": day, "published_precision": "day",
            "date_note": "", "url": "https://example.org/replace-this-row", "language": "en",
            "kind": "original", "reliability": "A", "accessed": day,
            "note": "EXAMPLE row: replace it with a real source. Every fact in the case cites a source id.",
        }],
        "actors": [{
            "id": "example-ministry", "name": "EXAMPLE Ministry of Foreign Affairs", "name_local": "",
            "type": "government-body", "group": "EXAMPLE group", "country": "", "parent": "",
            "description": "EXAMPLE row: replace it with an actor who acts or takes positions in the case.",
        }],
        "issues": [{
            "id": "example-issue", "label": "EXAMPLE issue",
            "question": "EXAMPLE: should X happen? (state the question neutrally)",
            "negative_label": "strongly opposes X", "positive_label": "strongly supports X",
            "description": "EXAMPLE row: why this question matters in the case.",
        }],
        "events": [{
            "id": "E01", "date": day, "date_end": "", "date_precision": "day", "date_note": "",
            "title": "EXAMPLE: ministry comments on X",
            "description": "EXAMPLE row: what happened, in your own words.",
            "actors": "example-ministry", "category": "statement", "source_ids": "SRC001",
            "confidence": "medium", "key": "true", "note": "",
        }],
        "positions": [{
            "id": "P01", "actor": "example-ministry", "issue": "example-issue", "date": day, "stance": "1",
            "basis": "quote", "salience": "3", "influence": "3",
            "evidence": "EXAMPLE: the words quoted from the source", "evidence_language": "en",
            "summary": "EXAMPLE row: supports X.", "source_ids": "SRC001", "confidence": "medium",
            "event": "E01", "coder_note": "EXAMPLE: why the stance was coded +1 and not +2.",
        }],
        "legal_provisions": [{
            "id": "L01", "instrument": "EXAMPLE Convention", "article": "Art. 1", "adopted": "",
            "adopted_source_ids": "",
            "jurisdiction": "international",
            "summary": "EXAMPLE row: what the provision says, in your own words.",
            "relevance": "EXAMPLE: why it matters in this case.", "source_ids": "SRC001", "note": "",
        }],
        "quotes": [{
            "id": "Q01", "speaker": "example-ministry", "text": "EXAMPLE: the words quoted from the source",
            "language": "en", "translated_by_outlet": "false", "date": day, "source_id": "SRC001",
            "context": "EXAMPLE row: where and to whom it was said.", "event": "E01",
        }],
        "disputes": [{
            "id": "K01", "topic": "EXAMPLE: date of the comment", "about_table": "events", "about_id": "E01",
            "about_field": "date", "summary": "EXAMPLE row: where the sources disagree, in your own words.",
            "handling": "EXAMPLE: which version the data uses, and why.",
        }],
        "dispute_claims": [
            {"dispute": "K01", "claim": "1", "statement": "EXAMPLE: one side says this.", "value": day,
             "source_ids": "SRC001"},
            {"dispute": "K01", "claim": "2", "statement": "EXAMPLE: the other side says that.",
             "value": (today - dt.timedelta(days=1)).isoformat(), "source_ids": "SRC001"},
        ],
    }


CASE_YAML = """\
# case.yaml: the narrative of the case. Replace every EXAMPLE text; `casebrief validate {id}` checks it.
id: {id}
title: {title}
question: "EXAMPLE: the policy question the brief answers"
summary: >-
  EXAMPLE: a summary of the case in 80-150 words, in your own words.
updated: {today}          # the date the data was last updated
period: {{start: {start}, end: {today}}}   # events must fall inside it
default_as_of: {today}    # the date a brief is written as of unless told otherwise (inside the period)
main_issue: example-issue  # an id in issues.csv: the issue the brief leads with
# local_language: ko       # BCP 47 tag of the local names in actors.csv (name_local), once you give any
# Actor types and event categories of the case's own, beside the schema's (see its enums):
# vocabulary:
#   actor_types:
#     - {{id: court, label: Courts, colour: "#6A3D9A"}}
#   event_categories:
#     - {{id: health, label: health}}
# Stances in positions.csv are coded on this scale; "no public position" is basis 'none', never 0.
stance_scale:
  -2: strongly opposes
  -1: opposes
  0: neutral or ambivalent
  1: supports
  2: strongly supports
likelihood_yardstick:
  name: ICD 203 (US Intelligence Community Directive 203, analytic standards)
  terms:             # term, min %, max %
    - {{term: almost no chance, min: 1, max: 5}}
    - {{term: very unlikely, min: 5, max: 20}}
    - {{term: unlikely, min: 20, max: 45}}
    - {{term: roughly even chance, min: 45, max: 55}}
    - {{term: likely, min: 55, max: 80}}
    - {{term: very likely, min: 80, max: 95}}
    - {{term: almost certain, min: 95, max: 99}}
confidence_levels:
  high: Well-corroborated information from reliable sources.
  moderate: Credible information, but not corroborated enough for high confidence.
  low: Fragmentary or poorly corroborated information.
key_judgements:          # each an analyst judgement
  - id: KJ1
    text: "EXAMPLE: X is likely to happen."
    likelihood: likely     # a term of the yardstick above
    confidence: moderate   # a key of confidence_levels
    rationale: "EXAMPLE: why, in one or two sentences."
    evidence: [E01, P01]   # ids of events, positions, legal provisions, disputes or sources
indicators:              # what would change the judgements
  - id: IW1
    text: "EXAMPLE: a statement that would make X less likely."
    judgements: [KJ1]
"""


def new_case(case_id: str, title: str | None = None, today: dt.date | None = None) -> Path:
    """Create ``data/cases/<case_id>/`` and return its path; refuse a bad id or an existing folder."""
    if not CASE_ID.match(case_id or ""):
        raise CasebriefError(f"cannot create case {case_id!r}: {CASE_ID_RULE}")
    root = cases_dir()
    target = root / case_id
    if target.exists():
        raise CasebriefError(f"cannot create case {case_id!r}: {target} already exists "
                             "(edit that case, or choose another id)")
    today = today or dt.date.today()
    title = (title or "").strip() or f"EXAMPLE title for {case_id}"
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        package = json.load(fh)
    package["name"], package["title"] = case_id, title
    root.mkdir(parents=True, exist_ok=True)
    # write into a hidden sibling folder, then rename: a failure never leaves half a case behind
    tmp = Path(tempfile.mkdtemp(prefix=f".new-{case_id}-", dir=root))
    try:
        with open(tmp / "datapackage.json", "w", encoding="utf-8") as fh:
            json.dump(package, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        rows = example_rows(today)
        for resource in package["resources"]:
            fields = [f["name"] for f in resource["schema"]["fields"]]
            with open(tmp / resource["path"], "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows[resource["name"]])
        start = today.replace(month=1, day=1)
        text = CASE_YAML.format(id=case_id, title=json.dumps(title, ensure_ascii=False), today=today,
                                start=start)
        (tmp / "case.yaml").write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a case folder is ordinary project data
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
