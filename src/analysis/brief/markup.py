"""Small HTML builders for the brief: every value from data goes through :func:`esc`.

The brief is emitted as HTML display outputs (never Markdown), so nbconvert inserts it as-is: escaping
here is the one place that decides what data can do to the page, which is nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

_SLUG = re.compile(r"[^a-z0-9]+")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


def esc(value: object) -> str:
    """Escape a value from data for HTML text or an attribute value (quotes included).

    Curly braces are escaped too: a later templating pass (Jinja in an nbconvert template, say) can then
    never read ``{{ ... }}`` or ``{% ... %}`` from data as template syntax.
    """
    if value is None:
        return ""
    try:
        import pandas as pd

        if value is pd.NA or (isinstance(value, float) and value != value):
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    text = html.escape(str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def slug(text: object) -> str:
    """A lowercase ASCII fragment usable in an HTML id; empty text gives 'x'."""
    return _SLUG.sub("-", str(text).lower()).strip("-") or "x"


def safe_url(url: object) -> str | None:
    """Return the URL when it is a plain http(s) address, else None (no javascript: or data: links)."""
    text = str(url or "").strip()
    return text if _SAFE_URL.match(text) else None


def link(url: object, text: object | None = None) -> str:
    """An external link when the URL is safe, else the escaped text alone."""
    good = safe_url(url)
    label = esc(text if text is not None else url)
    if not good:
        return label
    return f'<a class="url" href="{esc(good)}">{label}</a>'


def tag(name: str, body: str, **attrs: object) -> str:
    """``<name attrs>body</name>``; ``body`` is trusted HTML, attribute values are escaped.

    A trailing underscore is dropped from attribute names (``class_`` -> ``class``); None drops it.
    """
    parts = [name]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{esc(value)}"')
    return f"<{' '.join(parts)}>{body}</{name}>"


def heading(level: int, text: str, anchor: str) -> str:
    """A heading with a stable id (used by the table of contents and PDF bookmarks)."""
    return f'<h{level} id="{esc(anchor)}">{esc(text)}</h{level}>'


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    class_: str = "brief-table",
    caption: str | None = None,
    widths: Sequence[str] | None = None,
) -> str:
    """A table with a header row; header labels are plain text, cells are trusted HTML."""
    cols = ""
    if widths:
        cols = "<colgroup>" + "".join(f'<col style="width:{esc(w)}">' for w in widths) + "</colgroup>"
    head = "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in header) + "</tr></thead>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="{esc(class_)}">{cap}{cols}{head}<tbody>{body}</tbody></table>'


def lang_span(text: object, lang: object) -> str:
    """Escaped text, marked with its language when known (so Hangul gets the right font and voice)."""
    code = str(lang or "").strip()
    body = esc(text)
    if code and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code):  # a BCP 47 tag (ja, zh-Hant)
        return f'<span lang="{code}">{body}</span>'
    return body
