"""Charts as SVG for the page: text kept as text, a tooltip (``<title>``) on every mark that stands for
a row, and ids made unique so that several charts can sit inline in one HTML document.

Text stays text (``svg.fonttype: none``): the PDF carries it as text (searchable, selectable, read
aloud), it stays sharp at any zoom, and the files are about a tenth of a PNG's size. The renderer must
then find the fonts matplotlib measured with; the font list in the SVG is the style's own chain
(DejaVu Sans for Latin text, then Noto Sans CJK for Hangul), which WeasyPrint resolves through
fontconfig to the same files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

_PROLOGUE = re.compile(r"\A<\?xml[^>]*\?>\s*<!DOCTYPE[^>]*>\s*", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')
_MARK = re.compile(r"<(use|path)\b[^>]*?/>", re.S)
_FAMILY = re.compile(r"font-family: ([^;\"]*)")


#: The regional CJK face for a local language: kanji and kana in the Japanese face, hanja and Hangul in
#: the Korean one (the faces share a design but not every glyph form).
SCRIPT_FONTS = {"ko": "Noto Sans CJK KR", "ja": "Noto Sans CJK JP", "zh": "Noto Sans CJK SC"}


def prefer_font(svg: str, lang: str | None) -> str:
    """Move the face of ``lang`` (a BCP 47 tag: 'ja', 'ko-KR') ahead of the other fallbacks in every
    font list, so a case's local names render in their own regional glyphs. Latin text keeps the
    first family (DejaVu Sans); an unknown or empty language leaves the SVG unchanged."""
    face = SCRIPT_FONTS.get(str(lang or "").split("-")[0].lower())
    if face is None:
        return svg

    def reorder(m: re.Match) -> str:
        fams = [f.strip() for f in m.group(1).split(",")]
        if face not in fams or len(fams) < 2:
            return m.group(0)
        rest = [f for f in fams[1:] if f != face]
        return "font-family: " + ", ".join([fams[0], face, *rest])

    return _FAMILY.sub(reorder, svg)


def plain_families(svg: str) -> str:
    """Font families without quotes ('DejaVu Sans', 'Noto Sans CJK KR' -> DejaVu Sans, Noto Sans CJK KR).

    WeasyPrint reads a quoted list in an SVG style as one unknown family and lets fontconfig choose,
    which gave Hangul in Noto Sans CJK JP (a second copy of the font in the PDF); unquoted, it takes
    the chain as written, the one matplotlib measured with.
    """
    return _FAMILY.sub(lambda m: "font-family: " + m.group(1).replace("'", ""), svg)


@dataclass(frozen=True)
class Mark:
    """What one mark stands for: a line of text (a row's title and date) and the sources behind it."""

    text: str
    source_ids: tuple[str, ...] = ()


def tooltip(mark: Mark, cite: Callable[[Iterable[str]], str] | None = None) -> str:
    """The words shown on hover: the mark's text, then its citation numbers when ``cite`` gives them."""
    if cite is None or not mark.source_ids:
        return mark.text
    numbers = cite(mark.source_ids)
    return f"{mark.text} [{numbers}]" if numbers else mark.text


def add_titles(svg: str, marks: Mapping[str, Sequence[Mark]], cite=None) -> str:
    """Give each mark of the group ``gid`` its ``<title>``, in drawing order.

    matplotlib writes one ``<use>`` or ``<path>`` per mark of a collection, in the order of its
    offsets, inside ``<g id="gid">``. A group whose element count differs from its marks is left
    without tooltips rather than labelled wrongly.
    """
    for gid, rows in marks.items():
        start = svg.find(f'<g id="{gid}">')
        if start < 0 or not rows:
            continue
        indent = svg.rfind("\n", 0, start)
        pad = svg[indent + 1 : start]
        end = svg.find(f"\n{pad}</g>", start)
        if end < 0:
            continue
        block = svg[start:end]
        body = re.sub(r"<defs>.*?</defs>", lambda m: " " * len(m.group(0)), block, flags=re.S)
        found = list(_MARK.finditer(body))
        if len(found) != len(rows):
            continue
        out, last = [], 0
        for m, row in zip(found, rows, strict=True):
            tag = m.group(1)
            out.append(block[last : m.end() - 2])
            out.append(f"><title>{escape(tooltip(row, cite))}</title></{tag}>")
            last = m.end()
        out.append(block[last:])
        svg = svg[:start] + "".join(out) + svg[end:]
    return svg


def inline(svg: str, prefix: str, label: str) -> str:
    """The SVG as an element for an HTML page: no XML prologue, every id (and reference to it)
    prefixed with ``prefix``, and ``role="img"`` with ``label`` (the alt text) as its name."""
    svg = _PROLOGUE.sub("", svg)
    seen: dict[str, int] = {}

    def unique(m: re.Match) -> str:  # a gid given to several artists is written once per artist
        n = seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        return f'id="{prefix}{m.group(1)}"' if n == 1 else f'id="{prefix}{m.group(1)}-{n}"'

    svg = _ID.sub(unique, svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label, {chr(34): "&quot;"})}" ', 1)
