"""Text from data is inert: hostile values in every text column and in case.yaml reach the brief as text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis.brief.markup import esc, link  # noqa: E402
from brief_html import check_links, check_outline, check_tables, make_brief, soup  # noqa: E402
from test_brief_sections import charts  # noqa: E402

PAYLOAD = ('<script>alert("x")</script><img src=x onerror=alert(1)> **bold** _em_ '
           "[a](javascript:alert(2)) {{ 7*7 }} {% if 1 %}T{% endif %} $x^2$ &amp; ${HOME} <!-- c -->")


def text_columns(package: dict) -> dict[str, list[str]]:
    """Free-text columns per table, from the schema: strings without enum, pattern or key role."""
    out = {}
    for res in package["resources"]:
        schema = res["schema"]
        keys = set(schema.get("primaryKey", []))
        for fk in schema.get("foreignKeys", []):
            keys |= set(fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]])
        keys |= {"about_id", "about_field"}  # structure of a dispute, not prose
        out[res["name"]] = [
            f["name"] for f in schema["fields"]
            if f.get("type") == "string" and f["name"] not in keys
            and not (f.get("constraints") or {}).get("enum")
            and not (f.get("constraints") or {}).get("pattern")
        ]
    return out


@pytest.fixture
def hostile(case_copy) -> Path:
    """A copy of the mini case with the payload (and a unique tag) in every free-text cell and narrative."""
    path = case_copy()
    package = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    columns = text_columns(package)
    assert sum(len(c) for c in columns.values()) >= 30
    for table, cols in columns.items():
        df = pd.read_csv(path / f"{table}.csv", dtype=str, keep_default_na=False)
        for col in cols:
            df[col] = [f"{PAYLOAD} #{table}.{col}.{i}" for i in range(len(df))]
        if table == "sources":
            df.loc[0, "url"] = "javascript:alert(3)"
            df.loc[1, "url"] = 'https://example.org/"><script>alert(4)</script>'
        df.to_csv(path / f"{table}.csv", index=False)
    meta = yaml.safe_load((path / "case.yaml").read_text(encoding="utf-8"))
    for key in ("title", "question", "summary"):
        meta[key] = f"{PAYLOAD} #{key}"
    term = f"{PAYLOAD} #term"
    meta["likelihood_yardstick"]["name"] = f"{PAYLOAD} #yardstick"
    meta["likelihood_yardstick"]["terms"][4]["term"] = term
    meta["confidence_levels"] = {k: f"{PAYLOAD} #level.{k}" for k in meta["confidence_levels"]}
    meta["stance_scale"] = {k: f"{PAYLOAD} #stance.{k}" for k in meta["stance_scale"]}
    kj = meta["key_judgements"][0]
    kj.update(id='KJ1"><script>alert(5)</script>', text=f"{PAYLOAD} #kj.text", likelihood=term,
              rationale=f"{PAYLOAD} #kj.rationale")
    meta["indicators"][0].update(text=f"{PAYLOAD} #indicator", judgements=[kj["id"]])
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    (path / "case.yaml").write_text(text, encoding="utf-8")
    return path


def assert_inert(html: str) -> None:
    doc = soup(html)
    assert doc.find("script") is None
    assert doc.find("img", src="x") is None
    for el in doc.find_all(True):
        for attr, value in el.attrs.items():
            assert not attr.lower().startswith("on"), f"event handler attribute on {el.name}: {attr}"
            if attr in ("href", "src"):
                assert not str(value).lower().startswith("javascript:"), el
    # template syntax cannot survive as such: braces are entities in the source, text in the page
    assert "{{" not in html and "{%" not in html
    assert "<!-- c -->" not in html
    # Markdown was not interpreted
    assert not [s for s in doc.find_all(["strong", "em"]) if s.get_text() in ("bold", "em")]


@pytest.mark.parametrize("audience", ["analyst", "public"])
def test_hostile_text_is_escaped_everywhere(hostile, audience):
    brief = make_brief(hostile, since="2025-02-01", audience=audience)
    html = brief.render(charts(brief.case))
    assert_inert(html)
    doc = soup(html)
    check_outline(doc)
    check_links(doc)
    check_tables(doc)
    text = doc.get_text()
    assert PAYLOAD in text, "the payload should read as literal text"


def test_every_text_column_reaches_the_analyst_brief_as_literal_text(hostile):
    """Each hostile tag that the brief shows is shown whole, after the full literal payload."""
    brief = make_brief(hostile, since="2025-02-01")
    text = soup(brief.render(charts(brief.case))).get_text(" ")
    shown = {tag for tag in text.split(PAYLOAD + " #")[1:]}
    shown = {t.split()[0].rstrip(".,;:)") for t in shown if t}
    # the columns a reader needs: names, titles, descriptions, evidence, law, disputes, narrative
    for needed in ("actors.name.1", "issues.label.0", "issues.question.0", "events.title.0",
                   "events.description.0", "positions.evidence.1", "legal_provisions.instrument.0",
                   "legal_provisions.summary.0", "legal_provisions.relevance.0", "disputes.topic.0",
                   "dispute_claims.statement.0",
                   "sources.publisher.1", "sources.title.1", "sources.original_outlet.1", "title", "question",
                   "kj.text", "kj.rationale", "indicator", "yardstick", "term", "level.moderate",
                   "stance.2"):
        assert needed in shown, f"{needed} not shown as literal text"


def test_bad_urls_are_not_links(hostile):
    doc = soup(make_brief(hostile, since="2025-02-01").render())
    hrefs = [a["href"] for a in doc.find_all("a", href=True)]
    assert not any(h.startswith("javascript:") for h in hrefs)
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert "javascript:alert(3)" in doc.get_text()


def test_escape_helpers():
    assert esc('<a href="x">{{y}}</a>') == "&lt;a href=&quot;x&quot;&gt;&#123;&#123;y&#125;&#125;&lt;/a&gt;"
    assert esc(None) == "" and esc(pd.NA) == ""
    assert link("javascript:alert(1)", "x") == "x"
    assert link("https://e.org/a?b=1&c=2") == (
        '<a class="url" href="https://e.org/a?b=1&amp;c=2">https://e.org/a?b=1&amp;c=2</a>')
