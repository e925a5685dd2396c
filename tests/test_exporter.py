"""The nbconvert exporters without a kernel: what is dropped, the contents, the head, escaping."""

from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import exporter as X

META = {"title": 'A "quoted" <title>', "question": "Q?", "case": "mini", "as_of": "2025-12-31",
        "audience": "public", "audience_label": "Public brief", "issues": ["Transfer"], "author": "Unit",
        "subject": "Q?", "keywords": ["mini", "public brief"], "lang": "en", "updated": "2026-11-27",
        "data_sha256": "ab" * 32, "data_files": 11, "parameters": "case=mini audience=public",
        "generator": "casebrief test"}


def _notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _html_cell(html: str, **kw):
    cell = new_code_cell("show(x)", **kw)
    cell.outputs = [new_output("display_data", data={"text/html": html})]
    return cell


def _brief_notebook():
    params = new_code_cell('case = "mini"', metadata={"tags": ["parameters"]})
    injected = new_code_cell('case = "other"', metadata={"tags": ["injected-parameters"]})
    note = new_markdown_cell("# For notebook users only", metadata={"tags": ["remove-cell"]})
    start = new_code_cell("ctx = start()")
    start.outputs = [
        new_output("display_data", data={X.MIME: META, "text/html": "<p>lab title</p>"}),
        new_output("stream", name="stderr", text="UserWarning: noisy\n"),
    ]
    return _notebook(note, params, injected, start,
                     _html_cell('<section id="judgements"><h2>Key judgements</h2><p>one</p></section>'),
                     _html_cell("<h2>Timeline</h2><h3>Key events</h3><p>two</p><h2>Sources</h2>"))


def test_exporters_are_registered_for_nbconvert():
    from nbconvert.exporters import get_exporter

    assert get_exporter("casebrief_html") is X.CasebriefHTMLExporter
    assert get_exporter("casebrief_pdf") is X.CasebriefPDFExporter


def test_brief_html_drops_code_injected_cells_and_warnings():
    html, resources = X.CasebriefHTMLExporter().from_notebook_node(_brief_notebook())
    assert "<script" not in html and "jp-InputArea" not in html
    assert 'case = "' not in html and "show(x)" not in html and "For notebook users" not in html
    assert "noisy" not in html and "lab title" not in html
    assert resources["casebrief"]["content_has_title"] is False
    # head: metadata WeasyPrint turns into PDF metadata, title escaped
    assert "<title>A &quot;quoted&quot; &lt;title&gt;</title>" in html or \
        "<title>A \"quoted\" &lt;title&gt;</title>" in html
    assert '<meta name="author" content="Unit">' in html
    assert '<meta name="keywords" content="mini, public brief">' in html
    assert '<meta name="dcterms.created" content="2026-11-27">' in html
    assert '<html lang="en">' in html and 'class="casebrief audience-public"' in html
    # template title block and provenance line
    assert "31 December 2025" in html and "Provenance" in html and "case=mini audience=public" in html


def test_contents_link_to_every_heading():
    html, _ = X.CasebriefHTMLExporter().from_notebook_node(_brief_notebook())
    toc = re.search(r'<nav class="cb-toc".*?</nav>', html, flags=re.S).group(0)
    assert re.findall(r'href="#([^"]+)">([^<]+)<', toc) == [
        ("judgements", "Key judgements"), ("timeline", "Timeline"), ("key-events", "Key events"),
        ("sources", "Sources")]
    for target in ("timeline", "key-events", "sources"):
        assert f'id="{target}"' in html
    assert html.index("cb-toc") < html.index("Key judgements</h2>")


def test_content_with_its_own_title_block_gets_no_second_one():
    nb = _brief_notebook()
    nb.cells.insert(4, _html_cell('<header class="brief-titleblock"><h1>Own title</h1></header>'))
    html, resources = X.CasebriefHTMLExporter().from_notebook_node(nb)
    assert resources["casebrief"]["content_has_title"] is True
    assert 'class="cb-title"' not in html and html.count("<h1") == 1
    assert html.index("</header>") < html.index('class="cb-toc"')  # contents follow the title block


def test_notebook_without_start_output_still_renders():
    html, _ = X.CasebriefHTMLExporter().from_notebook_node(
        _notebook(_html_cell("<h2>Only</h2>")), resources={"metadata": {"name": "plain"}})
    assert "<title>plain</title>" in html and 'href="#only"' in html


def test_finish_html_ids_are_stable_and_unique():
    page = "<head>" + X.TOC_MARK + "</head><main><h2>Same</h2><h2>Same</h2><p id='same-2'></p>" \
           '<h2 id="given">Given <a class="anchor-link" href="#given">¶</a></h2></main>'
    out = X.finish_html(page)
    assert out == X.finish_html(page)
    ids = re.findall(r'<h2 id="([^"]+)"', out)
    assert ids[0] == "same" and ids[1] not in ("same", "same-2") and ids[2] == "given"
    assert "¶" not in out


def test_running_header_text_is_escaped_for_css():
    css = X.running_header_css({"title": 'Brief "A" \\ </style> 한국', "as_of_long": "1 May 2026"})
    assert "</style>" not in css and '\\22 ' in css and "한국" in css
    assert 'content: "As of 1 May 2026"' in css


def test_long_date_needs_no_locale():
    assert X.long_date("2026-05-13") == "13 May 2026"
    assert X.long_date("2026-05") == "2026-05"


def test_pdf_exporter_uses_the_html_template():
    exp = X.CasebriefPDFExporter()
    assert exp.file_extension == ".pdf" and exp.template_file == "index.html.j2"
    assert nbformat  # (imported for fixtures)


# -- fitting the page budget ----------------------------------------------------------------------------
def _pages_and_text(pdf: bytes) -> tuple[int, str]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(p.extract_text() for p in reader.pages)


def _fitting_page(dropped_paragraphs: int, kept_paragraphs: int) -> str:
    """A brief page whose kept text fills about a page and whose droppable part (with the note saying
    where it is) about ``dropped_paragraphs`` more."""
    filler = "The case records a statement of this kind on the date given, with its sources. " * 6
    kept = "".join(f"<p>Kept paragraph {i}. {filler}</p>" for i in range(kept_paragraphs))
    dropped = "".join(f"<p>Droppable paragraph {i}. {filler}</p>" for i in range(dropped_paragraphs))
    body = (f'<section class="brief-section">{kept}<div class="fit-drop-1">{dropped}</div>'
            '<p class="note fit-note-1">The droppable part is in the HTML edition.</p></section>')
    html, _ = X.CasebriefHTMLExporter().from_notebook_node(
        _notebook(_html_cell(body)), resources={"metadata": {"name": "fit"}})
    return html


def test_a_print_over_budget_leaves_out_its_droppable_parts_and_says_where_they_are():
    html = _fitting_page(dropped_paragraphs=8, kept_paragraphs=6)
    assert X.fit_steps(html) == 1
    full, text = _pages_and_text(X.html_to_pdf(html))
    assert "Droppable paragraph 7" in text and "is in the HTML edition" not in text
    budget = full - 1
    fitted, text = _pages_and_text(X.html_to_pdf(html, max_pages=budget))
    assert fitted <= budget
    assert "Droppable paragraph" not in text and "The droppable part is in the HTML edition." in text
    assert "Kept paragraph 5" in text
    # within its budget, a print leaves nothing out (and is the same bytes as one printed without one)
    assert X.html_to_pdf(html, max_pages=full) == X.html_to_pdf(html)


def test_a_step_that_saves_no_page_leaves_nothing_out():
    # the droppable part is two lines: leaving it out cannot bring a many-page print to one page
    html = _fitting_page(dropped_paragraphs=1, kept_paragraphs=24)
    full, _ = _pages_and_text(X.html_to_pdf(html))
    assert full > 2
    pdf = X.html_to_pdf(html, max_pages=1)
    pages, text = _pages_and_text(pdf)
    assert pages == full and "Droppable paragraph 0" in text and "in the HTML edition" not in text


def test_a_part_that_starts_a_page_runs_on_when_the_print_is_over_budget():
    """``page-start`` parts begin a new printed page; over the budget, from their ``fit-flow`` step on they
    follow what precedes them, and nothing is left out."""
    body = "".join(
        f'<section class="{"page-start fit-flow-1 " if i else ""}brief-section"><p>Part {i} of the brief.</p>'
        "</section>" for i in range(3))
    html, _ = X.CasebriefHTMLExporter().from_notebook_node(
        _notebook(_html_cell(body)), resources={"metadata": {"name": "starts"}})
    assert X.fit_steps(html) == 1
    pages, text = _pages_and_text(X.html_to_pdf(html))
    assert pages == 3 and all(f"Part {i} of the brief." in text for i in range(3))
    pages, text = _pages_and_text(X.html_to_pdf(html, max_pages=1))
    assert pages == 1 and all(f"Part {i} of the brief." in text for i in range(3))


def _fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts a PDF uses, subset prefixes dropped ('Noto-Sans', 'Noto-Sans-CJK-KR')."""
    import io

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def test_latin_text_prints_in_a_latin_face_and_other_scripts_through_fallback():
    """Latin text in Noto Sans (not a CJK face's Latin), Korean and Japanese in their own faces, and a
    script no face in the chain covers (Devanagari) still printed, through fontconfig's fallback."""
    body = ('<section class="brief-section"><p>Plain Latin text only.</p>'
            '<p><span lang="ko">김정은</span></p><p><span lang="ja">福島第一原子力発電所</span></p>'
            '<p><span lang="hi">भारत सरकार</span></p></section>')
    html, _ = X.CasebriefHTMLExporter().from_notebook_node(
        _notebook(_html_cell(body)), resources={"metadata": {"name": "fonts"}})
    pdf = X.html_to_pdf(html)
    fonts = _fonts(pdf)
    assert "Noto-Sans" in fonts, fonts
    assert {"Noto-Sans-CJK-KR", "Noto-Sans-CJK-JP"} <= fonts, fonts
    assert any("Devanagari" in f for f in fonts), fonts
    _, text = _pages_and_text(pdf)
    assert "Plain Latin text only." in text and "김정은" in text and "福島第一原子力発電所" in text
