"""nbconvert exporters for briefs: ``--to casebrief_html`` and ``--to casebrief_pdf``.

The HTML exporter renders an executed briefing notebook with the packaged ``casebrief`` template
(inputs hidden, papermill's injected cell dropped, a table of contents built from the headings). The
PDF exporter prints that same HTML with WeasyPrint: fonts embedded and subset, bookmarks from headings,
metadata from the ``<head>``, tagged for accessibility. Neither fetches anything: the only URLs a brief
may load are ``data:`` URIs.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode, default

from analysis import wording as W
from analysis.paths import PACKAGE_DIR

MIME = "application/vnd.casebrief.brief+json"  # same as analysis.session.MIME (kept import-light)
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: Cells a reader never sees: papermill's injected values, the defaults cell, notes for notebook users.
REMOVE_TAGS = {"injected-parameters", "parameters", "remove-cell", "remove_cell"}
TOC_MARK = "<!--casebrief:toc-->"
#: The page's stylesheet, then the content fragments' (read as files: importing analysis.brief would
#: pull in pandas), inlined into the <head>.
STYLESHEETS = (TEMPLATES_DIR / "casebrief" / "static" / "brief.css", PACKAGE_DIR / "brief" / "brief.css")


class BriefPreprocessor(Preprocessor):
    """Drop what a reader should not see and lift the brief's metadata out of the outputs."""

    def preprocess(self, nb, resources):
        meta: dict[str, Any] | None = None
        cells = []
        for cell in nb.cells:
            if REMOVE_TAGS & set(cell.metadata.get("tags", [])):
                continue
            if cell.cell_type == "code":
                kept = []
                for out in cell.get("outputs", []):
                    data = out.get("data", {})
                    if MIME in data:
                        meta = dict(data[MIME])
                        continue
                    if out.get("output_type") == "stream" and out.get("name") == "stderr":
                        continue  # warnings belong in the build log, not in the brief
                    kept.append(out)
                cell.outputs = kept
                if not kept:
                    continue
            cells.append(cell)
        nb.cells = cells
        meta = complete_metadata(meta, nb, resources)
        # content that brings its own title block (an <h1>) gets no second one from the template
        meta["content_has_title"] = any(
            "<h1" in str(out.get("data", {}).get("text/html", ""))
            for cell in cells if cell.cell_type == "code" for out in cell.outputs
        )
        resources["casebrief"] = meta
        resources["casebrief_css"] = [p.read_text(encoding="utf-8") for p in STYLESHEETS if p.is_file()]
        return nb, resources


def complete_metadata(meta: dict[str, Any] | None, nb, resources) -> dict[str, Any]:
    """Fill what a notebook without ``start()`` output lacks, and add the long date forms."""
    name = (resources.get("metadata") or {}).get("name", "brief")
    out: dict[str, Any] = {
        "title": nb.metadata.get("title", name), "question": "", "case": "", "as_of": "", "since": None,
        "audience": "analyst", "audience_label": "Brief", "issues": [], "author": "casebrief",
        "subject": "", "keywords": [], "lang": "en", "updated": "", "data_sha256": "", "data_files": 0,
        "parameters": "", "generator": "casebrief",
    }
    out.update(meta or {})
    for key in ("as_of", "since"):
        if out.get(key):
            out[f"{key}_long"] = long_date(out[key])
    out["page_css"] = running_header_css(out)
    return out


def running_header_css(meta: dict[str, Any]) -> str:
    """``@page`` margin boxes with the title and as-of date (text from data, escaped for CSS)."""
    right = f"As of {meta['as_of_long']}" if meta.get("as_of_long") else ""
    left = css_string(str(meta.get("title", "")))
    return f"@page {{ @top-left {{ content: {left}; }} @top-right {{ content: {css_string(right)}; }} }}"


def css_string(text: str) -> str:
    """A CSS string literal; anything but plain printable characters becomes a CSS escape."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " .,:;-_()/'&?!" or ord(ch) > 127:
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def long_date(iso: str) -> str:
    """'2025-12-31' -> '31 December 2025' (see :func:`analysis.wording.long_day`); other text as it is."""
    try:
        return W.long_day(iso)
    except ValueError:
        return str(iso)


class CasebriefHTMLExporter(HTMLExporter):
    """A self-contained HTML brief: title block, contents, sections, provenance; no code, no scripts."""

    export_from_notebook = "Casebrief HTML"
    toc = Bool(True, help="Insert a table of contents built from the h2/h3 headings.").tag(config=True)
    toc_title = Unicode("Contents").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "casebrief"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_preprocessor(BriefPreprocessor, enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node would re-parse the page with BeautifulSoup to add tabindex to
        # lab's cell wrappers and default alt texts: half a second spent on markup this template does
        # not produce. Its filters are registered here and the soup pass is skipped.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        missing = len(_IMG_NO_ALT.findall(html))
        if missing:
            self.log.warning("%d image(s) in the brief have no alt text", missing)
        html = finish_html(html, toc_title=self.toc_title if self.toc else None)
        return html, resources


class CasebriefPDFExporter(CasebriefHTMLExporter):
    """The same HTML printed by WeasyPrint: A4, running header, page x of y, bookmarks, tags."""

    export_from_notebook = "Casebrief PDF"
    output_mimetype = "application/pdf"
    pdf_tags = Bool(True, help="Tag the PDF (structure tree) for screen readers.").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    @default("template_file")
    def _template_file_default(self):
        return "index.html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        pdf = html_to_pdf(html, tags=self.pdf_tags)
        resources["output_extension"] = ".pdf"
        return pdf, resources


# -- HTML post-processing ------------------------------------------------------------------------------
_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r"""\sid=["']([^"']*)["']""")
_OPENER_WITH_ID = re.compile(r"""<(?:section|div|article)\b[^>]*\sid=["']([^"']*)["'][^>]*>\s*$""")
_IMG_NO_ALT = re.compile(r"<img(?![^>]*\salt=)[^>]*>")


def finish_html(html: str, toc_title: str | None = "Contents") -> str:
    """Give every h2/h3 in ``<main>`` a stable id and put a table of contents where the template marks it."""
    head, sep, rest = html.partition("<main>")
    if not sep:
        return html.replace(TOC_MARK, "")
    body, sep2, tail = rest.partition("</main>")
    body = _ANCHOR_LINK.sub("", body)
    # ids already present (sections, figures, sources) must stay unique when headings get theirs
    taken = set(_ID.findall(body))
    entries: list[tuple[int, str, str]] = []

    def visit(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        text = htmllib.unescape(_TAG.sub("", inner)).strip()
        found = _ID.search(attrs)
        opener = _OPENER_WITH_ID.search(body[max(0, m.start() - 400):m.start()])
        if found:
            hid = found.group(1)
        elif opener:  # <section id="x"><h2>: the section is the target
            hid = opener.group(1)
        else:
            hid = _unique(_slug(text) or "section", taken)
            attrs = f' id="{hid}"' + attrs
        entries.append((level, hid, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING.sub(visit, body)
    toc = render_toc(entries, toc_title) if toc_title and entries else ""
    if TOC_MARK in head:
        head = head.replace(TOC_MARK, toc)
    else:  # the content brought its own title block: the contents follow it
        h1 = body.find("<h1")
        end = body.find("</header>", h1) if h1 >= 0 else -1
        at = end + len("</header>") if end >= 0 else 0
        body = body[:at] + toc + body[at:]
    return head + sep + body + sep2 + tail


def render_toc(entries: list[tuple[int, str, str]], title: str) -> str:
    """A nested ordered list of links to the h2 (and h3) headings."""
    label = htmllib.escape(title)
    out = [f'<nav class="cb-toc" aria-label="{label}"><h2 class="cb-toc-title">{label}</h2><ol>']
    open_sub = False
    for i, (level, hid, text) in enumerate(entries):
        link = f'<a href="#{htmllib.escape(hid)}">{htmllib.escape(text)}</a>'
        if level == 2:
            if open_sub:
                out.append("</ol></li>")
                open_sub = False
            nxt = entries[i + 1][0] if i + 1 < len(entries) else 2
            if nxt == 3:
                out.append(f"<li>{link}<ol>")
                open_sub = True
            else:
                out.append(f"<li>{link}</li>")
        else:
            out.append(f"<li>{link}</li>")
    if open_sub:
        out.append("</ol></li>")
    out.append("</ol></nav>")
    return "".join(out)


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug[:60]


def _unique(base: str, taken: set[str]) -> str:
    hid, n = base, 2
    while hid in taken:
        hid, n = f"{base}-{n}", n + 1
    taken.add(hid)
    return hid


# -- PDF ---------------------------------------------------------------------------------------------
#: The PDF flavour every brief is written as: PDF/A-3 (basic conformance), the part that allows the
#: embedded data package. Which of its rules are checked, and by what, is stated in the README.
PDF_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str, *, tags: bool = True, attachments: list | None = None,
                max_pages: int | None = None) -> bytes:
    """Print a brief's HTML to PDF bytes. Deterministic: same HTML, fonts and attachments, same bytes.

    Only ``data:`` URLs are fetched, so a brief that tries to load anything else fails to show it here
    exactly as it would in a browser without network. ``attachments`` (WeasyPrint ``Attachment`` objects,
    see :mod:`analysis.bundle`) are embedded. The page's ``dcterms.rights`` and ``dcterms.publisher``
    meta elements go into the document information and the XMP metadata, with its language.

    ``max_pages`` is the page budget: when the print runs over it, the page is laid out again at the
    next fitting step (:func:`fit_steps`) until it fits. When no step fits, the first step that prints
    the fewest pages is kept, so nothing is left out of print that does not save a page.
    """
    options = {"pdf_tags": tags, "pdf_variant": PDF_VARIANT, "attachments": attachments or None}
    doc = best = _layout(html, options)
    if max_pages is not None:
        for step in range(1, fit_steps(html) + 1):
            if len(doc.pages) <= max_pages:
                break
            doc = _layout(at_fit_step(html, step), options)
            best = doc if len(doc.pages) < len(best.pages) else best
        doc = doc if len(doc.pages) <= max_pages else best
    return doc.write_pdf(finisher=_finish, **options)


#: Parts a brief lets print leave out when it runs over its page budget carry ``fit-drop-N`` (left out
#: from step N on), and the sentence saying where they are instead ``fit-note-N`` (shown from step N on);
#: a part that starts a new page carries ``fit-flow-N`` (from step N on it runs on after what precedes).
_FIT_MARK = re.compile(r"\bfit-(?:drop|note|flow)-(\d)\b")


def fit_steps(html: str) -> int:
    """How many fitting steps the page's body offers (the highest ``fit-drop-N``, ``fit-note-N`` or
    ``fit-flow-N`` it carries; the style sheet's rules for them do not count)."""
    body = html[html.find("<body"):] if "<body" in html else html
    return max((int(n) for n in _FIT_MARK.findall(body)), default=0)


def at_fit_step(html: str, step: int) -> str:
    """The page with its body marked ``print-fit-1`` to ``print-fit-<step>`` (see ``brief.css``)."""
    marks = " ".join(f"print-fit-{n}" for n in range(1, step + 1))
    return re.sub(r'<body class="', f'<body class="{marks} ', html, count=1)


def _layout(html: str, options: dict):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=None, url_fetcher=fetcher).render(**options)


def _finish(document, pdf) -> None:
    """Complete WeasyPrint's XMP packet (title, creator, dates, PDF/A part) with dc:language, dc:rights
    and dc:publisher from the page's meta elements, and switch off image interpolation (PDF/A)."""
    import pydyf

    custom = document.metadata.custom or {}
    rights, publisher = custom.get("dcterms.rights", ""), custom.get("dcterms.publisher", "")
    lang = document.metadata.lang or ""
    if rights:
        pdf.info["Rights"] = pydyf.String(rights)
    if publisher:
        pdf.info["Publisher"] = pydyf.String(publisher)
    for obj in pdf.objects:
        # PDF/A forbids interpolated images (ISO 19005-2, 6.2.8); WeasyPrint asks for smoothing
        extra = getattr(obj, "extra", None)
        if isinstance(extra, dict) and extra.get("Subtype") == "/Image" and "Interpolate" in extra:
            extra["Interpolate"] = "false"
    ref = pdf.catalog.get("Metadata")
    if not ref:
        return
    stream = pdf.objects[int((ref.decode() if isinstance(ref, bytes) else str(ref)).split()[0])]
    stream.compress = False  # the XMP packet stays readable to tools that do not inflate streams
    extra = b""
    if lang:
        extra += _xmp_description(
            f"<dc:language><rdf:Bag><rdf:li>{_xml(lang)}</rdf:li></rdf:Bag></dc:language>")
    if rights:
        extra += _xmp_description(
            f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{_xml(rights)}</rdf:li></rdf:Alt></dc:rights>')
    if publisher:
        extra += _xmp_description(
            f"<dc:publisher><rdf:Bag><rdf:li>{_xml(publisher)}</rdf:li></rdf:Bag></dc:publisher>")
    # Each description declares the namespaces it uses: XMP readers such as PDFBox's look for the
    # schemas there, not on rdf:RDF, and otherwise miss the PDF/A identification.
    stream.stream = [_declare_namespaces(part.replace(b"</rdf:RDF>", extra + b"</rdf:RDF>", 1))
                     for part in stream.stream]


_XMP_NAMESPACES = (b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
                   b'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"')


def _declare_namespaces(packet: bytes) -> bytes:
    opening = b'<rdf:Description rdf:about=""'
    return packet.replace(opening, opening + b" " + _XMP_NAMESPACES)


def _xmp_description(inner: str) -> bytes:
    return f'<rdf:Description rdf:about="">{inner}</rdf:Description>'.encode()


def _xml(text: str) -> str:
    return htmllib.escape(text, quote=True)
