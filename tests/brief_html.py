"""Helpers for the brief tests: parse rendered HTML and check its outline, links and tables."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from analysis.brief import Brief
from analysis.case import load_case
from analysis.session import Session


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def make_brief(path, **kw) -> Brief:
    """A brief of the case at ``path``; charts are not drawn unless ``draw=True`` (tests pass stand-ins)."""
    draw = kw.pop("draw", False)
    return Brief(Session.of(load_case(path, validate=False), **kw), draw=draw)


def headings(doc: BeautifulSoup) -> list[tuple[int, str, str]]:
    """(level, id, text) of every h1-h6 in document order."""
    return [(int(h.name[1]), h.get("id", ""), h.get_text(" ", strip=True))
            for h in doc.find_all(re.compile(r"^h[1-6]$"))]


def check_outline(doc: BeautifulSoup) -> None:
    """h1 exactly once and first; no level skipped going down; every heading has a unique id."""
    hs = headings(doc)
    assert hs, "no headings"
    assert [h[0] for h in hs].count(1) == 1, hs
    assert hs[0][0] == 1, hs[0]
    prev = 1
    for level, ident, text in hs:
        assert level <= prev + 1, f"heading {text!r} jumps from h{prev} to h{level}"
        assert ident, f"heading {text!r} has no id"
        prev = level
    ids = [h[1] for h in hs]
    assert len(ids) == len(set(ids)), ids


def check_links(doc: BeautifulSoup) -> None:
    """Every in-page link points at an element id that exists; ids are unique."""
    ids = [el["id"] for el in doc.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for a in doc.find_all("a", href=True):
        if a["href"].startswith("#"):
            assert a["href"][1:] in ids, f"link {a} points nowhere"


def check_tables(doc: BeautifulSoup) -> None:
    for t in doc.find_all("table"):
        head = t.find("thead")
        assert head is not None and head.find("th") is not None, f"table without header row: {str(t)[:200]}"


def citation_numbers(doc: BeautifulSoup) -> list[tuple[int, str]]:
    """(number, target id) of every citation link, in document order.

    A single citation reads ``[n]``; a group reads ``[1, 4–7]``, where each written number is a link.
    """
    out = []
    for a in doc.select("a.cite"):
        m = re.fullmatch(r"\[?(\d+)\]?", a.get_text())
        assert m, a
        out.append((int(m.group(1)), a["href"][1:]))
    return out


def cited_numbers(doc: BeautifulSoup) -> list[int]:
    """Every source number the text cites, ranges expanded, in document order."""
    out: list[int] = []
    for el in doc.select("span.cites, a.cite"):
        if el.name == "a" and el.find_parent("span", class_="cites"):
            continue
        text = el.get_text().strip("[]")
        for part in text.split(","):
            lo, _, hi = part.strip().partition("–")
            out.extend(range(int(lo), int(hi or lo) + 1))
    return out
