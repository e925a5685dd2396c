"""Case-level facts that the brief and the classroom both state, read from a Case."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

from analysis import facts
from analysis.case import load_case

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"


def test_stance_labels_use_the_issue_words_and_a_true_minus(mini_path):
    case = load_case(mini_path, validate=False)
    assert facts.stance_label(case, "transfer", 2) == "+2 strongly supports transfer"
    assert facts.stance_label(case, "transfer", -1) == "\u22121 opposes"
    assert facts.stance_label(case, None, pd.NA) == "no public position"


def test_event_dates_are_as_precise_as_the_data(mini_path):
    case = load_case(mini_path, validate=False)
    ev = case.events.set_index("id")
    when = {i: facts.event_date(ev.loc[i].to_dict()) for i in ("E1", "E3", "E4", "E6")}
    assert when == {"E1": "9 Jan 2025", "E3": "Mar 2025", "E4": "23\u201325 May 2025", "E6": "2025"}


def test_issue_ids_keep_the_case_order(mini_path):
    case = load_case(mini_path, validate=False)
    every = facts.issue_ids(case, None)
    assert every == list(case.issues["id"])
    assert facts.issue_ids(case, list(reversed(every))) == every
    assert facts.issue_ids(case, ["no-such-issue"]) == []


def test_judgement_sources_and_weak_share_read_the_case(mini_path):
    case = load_case(mini_path, validate=False)
    kj = (case.meta.get("key_judgements") or [])[0]
    every = facts.judgement_sources(case, kj)
    assert every and set(every) <= set(case.sources["id"])
    assert len(facts.judgement_sources(case, kj, limit=1)) == 1
    weak, total = facts.weak_share(case)
    assert 0 <= weak <= total == len(case.events)


def test_the_classroom_does_not_reach_into_the_brief_sections():
    for path in (SRC / "classroom").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("analysis.brief.sections"), path
