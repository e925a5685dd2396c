"""The rules of ``case.yaml``: each field's shape, and its references into the tables.

One checker walks the fields in the order an editor reads them (texts, dates, the main issue, the scales,
the judgements and indicators), each problem naming the field's path and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from analysis.judgements import evidence_index, judgement_problems
from analysis.locate import CASE_ID
from analysis.validate.case_yaml import (
    COLOUR,
    LANGUAGE_TAG,
    TERM_ID,
    VOCABULARY_FIELDS,
    as_date,
    date_reason,
)
from analysis.validate.report import EXAMPLE, Report, shown
from analysis.validate.safe_read import yaml_strings
from analysis.validate.tables import Table

# Tables whose rows may be cited as evidence for a key judgement.
EVIDENCE_TABLES = ("events", "positions", "legal_provisions", "disputes", "sources")
TEXT_FIELDS = {
    "id": "the case id, e.g. nk-pows-ukraine",
    "title": "the title of the brief",
    "question": "the policy question",
    "summary": "a summary in your own words",
}


def check_meta(
    meta: dict, lines: dict[tuple, int], tables: dict[str, Table], report: Report, folder: str | None = None
) -> None:
    """Check case.yaml's fields, their types, and its references into the tables.

    ``folder`` is the name of the case folder, which the case id must equal."""
    _MetaChecker(meta, lines, tables, report, folder).run()


class _MetaChecker:
    """Checks one loaded case.yaml; each method checks one field or one group of fields."""

    def __init__(
        self,
        meta: dict,
        lines: dict[tuple, int],
        tables: dict[str, Table],
        report: Report,
        folder: str | None = None,
    ):
        self.meta, self.lines, self.tables, self.report = meta, lines, tables, report
        self.folder = folder

    def run(self) -> None:
        for key in TEXT_FIELDS:
            self.text(key)
        self.case_id()
        self.date(("updated",), self.meta.get("updated"))
        self.dates()
        self.main_issue()
        self.stance_scale()
        terms = self.yardstick()
        levels = self.confidence_levels()
        kj_ids = self.key_judgements(terms, levels)
        self.indicators(kj_ids)
        self.local_language()
        self.vocabulary()
        self.example_texts()

    # -- where and how a problem is reported

    def line(self, *path: object) -> int | None:
        """The line of the field, else of its nearest parent; a missing top-level field has no line."""
        for n in range(len(path), 0, -1):
            key = tuple(str(p) if not isinstance(p, int) else p for p in path[:n])
            if key in self.lines:
                return self.lines[key]
        return None

    def problem(self, rule: str, path: tuple, value: object | None = None, label: str | None = None) -> None:
        self.report.add_yaml(rule, label or ".".join(str(p) for p in path), self.line(*path), value)

    # -- fields

    def text(self, key: str) -> None:
        value = self.meta.get(key)
        if key not in self.meta:
            self.problem(f"is missing (a short text: {TEXT_FIELDS[key]})", (key,))
        elif not isinstance(value, str) or not value.strip():
            self.problem("must be a non-empty text", (key,), shown(value))

    def case_id(self) -> None:
        case_id = self.meta.get("id")
        if isinstance(case_id, str) and case_id and not CASE_ID.match(case_id):
            self.problem("is not a case id (lowercase letters, digits and hyphens)", ("id",), case_id)
        elif isinstance(case_id, str) and case_id and self.folder is not None and case_id != self.folder:
            # reports and the manifest are filed under the id: a copy keeping another case's id would
            # overwrite that case's reports
            self.problem(
                f"is not the name of the case folder ({self.folder!r}): the two must agree, so that "
                "reports go to this case; rename the folder or change the id",
                ("id",),
                case_id,
            )

    def date(self, path: tuple, value: object) -> dt.date | None:
        got = as_date(value)
        if value is None:
            self.problem("is missing (a date, YYYY-MM-DD)", path)
        elif got is None:
            self.problem(date_reason(value), path, shown(value))
        return got

    def dates(self) -> None:
        """The case period, and the default as-of date inside it."""
        period = self.meta.get("period")
        start = end = None
        if not isinstance(period, dict):
            self.problem(
                "is missing: give period: {start: YYYY-MM-DD, end: YYYY-MM-DD}"
                if period is None
                else "must have a start and an end date",
                ("period",),
                None if period is None else shown(period),
            )
        else:
            start = self.date(("period", "start"), period.get("start"))
            end = self.date(("period", "end"), period.get("end"))
            if start and end and end < start:
                self.problem(f"is before period.start ({start})", ("period", "end"), str(end))
        as_of = self.date(("default_as_of",), self.meta.get("default_as_of"))
        if as_of and start and end and not start <= as_of <= end:
            self.problem(f"is outside the case period ({start} to {end})", ("default_as_of",), str(as_of))

    def main_issue(self) -> None:
        issues = self.tables.get("issues")
        main_issue = self.meta.get("main_issue")
        if main_issue is None:
            self.problem("is missing (the id of the issue the brief leads with)", ("main_issue",))
        elif not isinstance(main_issue, str):
            self.problem("must be an issue id", ("main_issue",), shown(main_issue))
        elif issues is not None and issues.rows and "id" in issues.columns and main_issue not in issues.ids():
            self.problem("is not an id in issues.csv", ("main_issue",), main_issue)

    def stance_scale(self) -> None:
        scale = self.meta.get("stance_scale")
        if scale is None:
            self.problem(
                "is missing (e.g. {-2: strongly opposes, ..., 2: strongly supports})", ("stance_scale",)
            )
            return
        if not isinstance(scale, dict) or not scale:
            self.problem(
                "must map each stance (a whole number) to its meaning", ("stance_scale",), shown(scale)
            )
            return
        for k, v in scale.items():
            where, label = ("stance_scale", k), f"stance_scale {k}"
            if not isinstance(k, int) or isinstance(k, bool):
                self.problem("is not a whole number", where, str(k), label=label)
            elif not -2 <= k <= 2:
                self.problem("is outside the schema's stance range -2 to 2", where, str(k), label=label)
            if not isinstance(v, str) or not v.strip():
                self.problem("must say what the stance means", where, label=label)

    def yardstick(self) -> set[str]:
        """The likelihood terms (empty when the yardstick is missing or unusable)."""
        terms: set[str] = set()
        yardstick = self.meta.get("likelihood_yardstick")
        if yardstick is None:
            self.problem(
                "is missing (the yardstick of likelihood terms, e.g. ICD 203)", ("likelihood_yardstick",)
            )
            return terms
        if (
            not isinstance(yardstick, dict)
            or not isinstance(yardstick.get("terms"), list)
            or not yardstick["terms"]
        ):
            self.problem(
                "must have a list of terms, each {term: ..., min: %, max: %}",
                ("likelihood_yardstick", "terms"),
            )
            return terms
        for i, item in enumerate(yardstick["terms"]):
            path = ("likelihood_yardstick", "terms", i)
            label = f"likelihood_yardstick.terms[#{i + 1}]"
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("term"), str)
                or not item["term"].strip()
            ):
                self.problem(
                    "must be {term: ..., min: %, max: %} with a term", path, shown(item), label=label
                )
                continue
            terms.add(item["term"])
            lo, hi = item.get("min"), item.get("max")
            if not all(
                isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 100 for x in (lo, hi)
            ):
                self.problem("needs min and max as percentages (0 to 100)", path, item["term"], label=label)
            elif lo > hi:
                self.problem(f"has min {lo} above max {hi}", path, item["term"], label=label)
        return terms

    def confidence_levels(self) -> dict | None:
        levels = self.meta.get("confidence_levels")
        if levels is None:
            self.problem("is missing (e.g. {high: ..., moderate: ..., low: ...})", ("confidence_levels",))
        elif not isinstance(levels, dict) or not levels or not all(isinstance(k, str) for k in levels):
            self.problem(
                "must map each confidence level to its meaning", ("confidence_levels",), shown(levels)
            )
            return None
        return levels

    def entries(self, key: str, missing: str, plural: str, shape: str) -> Iterator[tuple[tuple, dict, str]]:
        """Each mapping of the list ``meta[key]`` as (path, entry, name); problems for the rest."""
        value = self.meta.get(key)
        if value is None:
            self.problem(f"is missing ({missing})", (key,))
            return
        if not isinstance(value, list) or not value:
            self.problem(f"must be a list of one or more {plural}", (key,), shown(value))
            return
        for i, entry in enumerate(value):
            base = (key, i)
            if not isinstance(entry, dict):
                self.problem(f"must be {shape}", base, shown(entry), label=f"{key}[#{i + 1}]")
                continue
            eid = entry.get("id")
            name = f"{key}[{eid}]" if isinstance(eid, str) and eid else f"{key}[#{i + 1}]"
            yield base, entry, name

    # -- key judgements (flat or dated revisions) and information gaps: analysis.judgements --------
    def key_judgements(self, terms: set[str], levels: dict | None) -> set[str]:
        """Check each judgement and its revisions, and the information gaps (the rules live in
        :mod:`analysis.judgements`, shared with the loader); return the ids of the judgements."""
        judgements = self.meta.get("key_judgements")
        if judgements is None:
            self.problem("is missing (a list of key judgements, each with id and dated revisions)",
                         ("key_judgements",))
        elif not isinstance(judgements, list) or not judgements:
            self.problem(
                "must be a list of one or more key judgements", ("key_judgements",), shown(judgements)
            )
        kj_ids = (
            {str(k.get("id")) for k in judgements if isinstance(k, dict)}
            if isinstance(judgements, list)
            else set()
        )
        all_known = all(t in self.tables and "id" in self.tables[t].columns for t in EVIDENCE_TABLES)
        cells = {name: [c for _, c in t.rows] for name, t in self.tables.items()}
        known = self.evidence_ids() if all_known else None
        for path, p in judgement_problems(self.meta, known, *evidence_index(cells)):
            self.report.add_yaml(p.rule, p.column, self.line(*path), p.value)
        return kj_ids
    # -- end of the judgements hook -----------------------------------------------------------------

    def evidence_ids(self) -> dict[str, list[str]]:
        """``{id: [files it is an id in]}`` over the evidence tables (computed once)."""
        if not hasattr(self, "_evidence_ids"):
            found: dict[str, list[str]] = {}
            for t in EVIDENCE_TABLES:
                if t in self.tables:
                    for i in self.tables[t].ids():
                        found.setdefault(i, []).append(self.tables[t].file)
            self._evidence_ids = found
        return self._evidence_ids

    def indicators(self, kj_ids: set[str]) -> None:
        judgements = self.meta.get("key_judgements")
        for base, ind, name in self.entries(
            "indicators",
            "a list of indicators: what would change the judgements",
            "indicators",
            "an indicator with id, text and judgements",
        ):
            iid = ind.get("id")
            if not isinstance(iid, str) or not iid.strip():
                self.problem("needs an id (e.g. IW1)", base + ("id",), label=f"{name}.id")
            if not isinstance(ind.get("text"), str) or not ind["text"].strip():
                self.problem("is missing or empty (a text)", base + ("text",), label=f"{name}.text")
            named = ind.get("judgements")
            if not isinstance(named, list) or not named:
                self.problem(
                    "must list the ids of the key judgements it bears on",
                    base + ("judgements",),
                    shown(named),
                    label=f"{name}.judgements",
                )
                continue
            for j, ref in enumerate(named):
                if isinstance(judgements, list) and str(ref) not in kj_ids:
                    self.problem(
                        "is not the id of a key judgement",
                        base + ("judgements", j),
                        str(ref),
                        label=f"{name}.judgements",
                    )

    def local_language(self) -> None:
        """``local_language``: the BCP 47 tag of actors.csv ``name_local``, needed once a local name is given.

        Not ``language``: that key is read as the language of the brief's own text (its HTML ``lang``)."""
        value = self.meta.get("local_language")
        if value is not None:
            if not isinstance(value, str) or not LANGUAGE_TAG.match(value):
                self.problem(
                    "is not a language tag (BCP 47, e.g. ko, uk, pt-BR)", ("local_language",), shown(value)
                )
            return
        actors = self.tables.get("actors")
        if actors is not None and "name_local" in actors.columns:
            if any(cells.get("name_local", "").strip() for _, cells in actors.rows):
                self.problem(
                    "is missing: actors.csv gives local names (name_local); say their language "
                    "as a BCP 47 tag, e.g. local_language: ko",
                    ("local_language",),
                )

    def vocabulary(self) -> None:
        """``vocabulary``: the actor types and event categories the case adds to the schema's."""
        value = self.meta.get("vocabulary")
        if value is None:
            return
        if not isinstance(value, dict):
            self.problem(
                "must be a mapping with actor_types: and/or event_categories: lists",
                ("vocabulary",),
                shown(value),
            )
            return
        for kind, entries in value.items():
            if kind not in VOCABULARY_FIELDS:
                self.problem(
                    f"is not a vocabulary of the schema ({', '.join(VOCABULARY_FIELDS)})",
                    ("vocabulary", kind),
                    str(kind),
                    label=f"vocabulary.{kind}",
                )
            elif not isinstance(entries, list):
                self.problem(
                    "must be a list of entries, each {id: ..., label: ..., colour: '#RRGGBB'}",
                    ("vocabulary", kind),
                    shown(entries),
                )
            else:
                self.terms(kind, entries)

    def terms(self, kind: str, entries: list) -> None:
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            base, label = ("vocabulary", kind, i), f"vocabulary.{kind}[#{i + 1}]"
            if not isinstance(entry, dict):
                self.problem(
                    "must be {id: ..., label: ..., colour: '#RRGGBB'}", base, shown(entry), label=label
                )
                continue
            tid = entry.get("id")
            if not isinstance(tid, str) or not TERM_ID.match(tid):
                self.problem(
                    "needs an id of lowercase letters, digits and hyphens (e.g. court)",
                    base + ("id",),
                    shown(tid),
                    label=f"{label}.id",
                )
            elif tid in seen:
                self.problem("is declared twice", base + ("id",), tid, label=f"{label}.id")
            else:
                seen.add(tid)
            if not isinstance(entry.get("label"), str) or not entry["label"].strip():
                self.problem("is missing or empty (a text)", base + ("label",), label=f"{label}.label")
            colour = entry.get("colour")
            if colour is not None and (not isinstance(colour, str) or not COLOUR.match(colour)):
                self.problem(
                    "is not a colour (#RRGGBB, e.g. '#0072B2'; quote it in YAML)",
                    base + ("colour",),
                    shown(colour),
                    label=f"{label}.colour",
                )

    def example_texts(self) -> None:
        """Texts still as ``casebrief new-case`` wrote them."""
        for path, value in yaml_strings(self.meta, ()):
            if EXAMPLE.search(value):
                self.problem(
                    "is still an EXAMPLE text from 'casebrief new-case': write the case's own",
                    path,
                    value,
                    label=".".join(str(p) for p in path),
                )
