"""The classroom edition in ``casebrief build``: one notebook run, six outputs per level.

From the executed ``notebooks/classroom.ipynb``:

- ``<case>-classroom-<level>-handout.html`` / ``.pdf``: the student handout. nbconvert's
  ``TagRemovePreprocessor`` drops the cells tagged ``solution`` and ``teacher-note`` (and the
  student notebook's own cells) after execution, so nothing of them reaches the page.
- ``...-guide.html`` / ``.pdf``: the instructor guide, with everything.
- ``...-student.ipynb``: the notebook a student runs: the committed notebook with this build's
  parameters written into its parameters cell, outputs cleared, solutions, teacher notes and
  maintainers' cells removed, and exercises this case or level does not have left out.
- ``...-student.zip``: that notebook with the case data shipped next to it (``data/<case>/``) and a
  README, for a lab machine or Binder.

:class:`analysis.editions.ClassroomEdition` plugs this module into the build (:func:`products` and
:func:`render`). Importing it is cheap (no nbconvert, pandas).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis.classroom import SOLUTION, STUDENT_REMOVE, TEACHER_NOTE
from analysis.classroom.params import ClassroomParams
from analysis.manifest import data_files
from analysis.params import case_folder, read_case_yaml
from analysis.paths import NOTEBOOKS_DIR, PACKAGE_DIR

NOTEBOOK = NOTEBOOKS_DIR / "classroom.ipynb"
#: Cells only the student notebook keeps: its introduction and the space for answers.
STUDENT_NOTEBOOK = "student-notebook"
#: Cells for whoever maintains the notebook (they explain the build, not the case).
MAINTAINER = "remove-cell"
CSS_PATH = PACKAGE_DIR / "classroom" / "classroom.css"

#: The two printed editions: what each removes, and how it names itself.
EDITIONS: dict[str, dict[str, Any]] = {
    "handout": {"remove": STUDENT_REMOVE | {STUDENT_NOTEBOOK}, "label": "Student handout"},
    "guide": {"remove": frozenset({STUDENT_NOTEBOOK}), "label": "Instructor guide"},
}
#: Outputs per requested format; the student notebook and its bundle come with any build.
PRODUCTS: dict[str, tuple[str, ...]] = {
    "html": ("handout.html", "guide.html"),
    "pdf": ("handout.pdf", "guide.pdf"),
}
STUDENT_PRODUCTS = ("student.ipynb", "student.zip")


def products(requested: Sequence[str]) -> tuple[str, ...]:
    """The outputs for ``--format`` (html, pdf): handout and guide in each, plus the student notebook."""
    out = [p for f in requested for p in PRODUCTS.get(f, ())]
    return tuple(dict.fromkeys(out)) + STUDENT_PRODUCTS


# -- rendering ------------------------------------------------------------------------------------------
def render(nb: Any, wanted: Sequence[str], *, name: str, notebook: Path, params: ClassroomParams,
           case_dir: Path, epoch: int, evidence: Callable[[str], Any] | None = None) -> dict[str, bytes]:
    """Every output in ``wanted`` of the run ``name`` from the executed notebook ``nb``, as bytes.

    ``evidence(product)`` gives what each handout or guide carries (:mod:`analysis.bundle`).
    """
    out: dict[str, bytes] = {}
    html: dict[str, str] = {}
    for fmt in wanted:
        edition, _, ext = fmt.partition(".")
        if edition in EDITIONS:
            if edition not in html:
                link = evidence(f"{edition}.html").html_link() if evidence else ""
                html[edition] = edition_html(nb, edition, name, link)
            if ext == "html":
                out[fmt] = html[edition].encode("utf-8")
            else:
                from analysis.exporter import html_to_pdf

                attachments = evidence(fmt).pdf_attachments() if evidence else None
                out[fmt] = html_to_pdf(html[edition], attachments=attachments)
    if "student.ipynb" in wanted or "student.zip" in wanted:
        student = student_notebook(notebook, nb, params)
        if "student.ipynb" in wanted:
            out["student.ipynb"] = student
        if "student.zip" in wanted:
            out["student.zip"] = student_bundle(student, name, params, case_dir, epoch)
    return out


def edition_html(nb: Any, edition: str, name: str, evidence_link: str = "") -> str:
    """The handout or the guide as one self-contained HTML page."""
    from traitlets.config import Config

    from analysis.exporter import CasebriefHTMLExporter

    spec = EDITIONS[edition]
    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": set(spec["remove"])}})
    exporter = CasebriefHTMLExporter(config=config)
    exporter.register_preprocessor(_edition_preprocessor(edition), enabled=True)
    html, _ = exporter.from_notebook_node(
        copy.deepcopy(nb), resources={"metadata": {"name": f"{name}-{edition}"},
                                      "casebrief_evidence": evidence_link}
    )
    return html


def _edition_preprocessor(edition: str):
    """Name the edition in the title block, the running header and the metadata; add the classroom CSS.

    Runs after the exporter's own preprocessor, which lifted the edition's metadata into resources.
    """
    from nbconvert.preprocessors import Preprocessor

    from analysis.exporter import css_string

    label = EDITIONS[edition]["label"]

    class EditionPreprocessor(Preprocessor):
        def preprocess(self, nb, resources):
            marker = '<span class="cr-edition">Classroom edition</span>'
            for cell in nb.cells:
                for out in cell.get("outputs", []):
                    data = out.get("data", {})
                    if marker in str(data.get("text/html", "")):
                        data["text/html"] = data["text/html"].replace(
                            marker, f'<span class="cr-edition">{label}</span>'
                        )
            meta = resources.get("casebrief", {})
            meta["audience_label"] = label
            meta["subject"] = f"{label}. {meta.get('subject', '')}".strip()
            meta["keywords"] = [*meta.get("keywords", []), label.lower()]
            right = f"{label} · as of {meta.get('as_of_long') or meta.get('as_of', '')}"
            meta["page_css"] = (
                f"@page {{ @top-left {{ content: {css_string(str(meta.get('title', '')))}; }} "
                f"@top-right {{ content: {css_string(right)}; }} }}"
            )
            css = CSS_PATH.read_text(encoding="utf-8")
            if edition == "guide":
                css += "\n.cr-answer { display: none; }\n"
            resources["casebrief_css"] = [*resources.get("casebrief_css", []), css]
            return nb, resources

    return EditionPreprocessor()


# -- the student notebook -------------------------------------------------------------------------------
_ASSIGN = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<value>.*?)(?P<comment>\s*#\s*type:.*)?$")


def set_parameters(source: str, values: dict[str, Any]) -> str:
    """The parameters cell with ``values`` written in (each line keeps its ``# type:`` comment)."""
    lines = []
    for line in source.splitlines():
        m = _ASSIGN.match(line)
        if m and m.group("name") in values:
            comment = m.group("comment") or ""
            line = f"{m.group('name')} = {_literal(values[m.group('name')])}{comment}"
        lines.append(line)
    return "\n".join(lines)


def _literal(value: Any) -> str:
    return "None" if value is None else json.dumps(value, ensure_ascii=False)


def _shows_nothing(cell: Any) -> bool:
    """A code cell whose outputs are all empty HTML (an exercise this case or level does not have)."""
    outs = cell.get("outputs", [])
    shown = [o for o in outs if o.get("output_type") in ("display_data", "execute_result")]
    return (
        bool(shown)
        and len(shown) == len(outs)
        and all(not str(o.get("data", {}).get("text/html", "x")).strip() for o in shown)
    )


def student_notebook(notebook: Path, executed: Any, params: ClassroomParams) -> bytes:
    """The student notebook as JSON bytes (see the module docstring)."""
    import nbformat

    source = nbformat.read(str(notebook), as_version=4)
    ran = {c.get("id"): c for c in executed.cells if c.get("id")}
    values = params.notebook_values()
    values["case"] = _case_id(params)
    cells = []
    skipping = False
    for cell in source.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & (STUDENT_REMOVE | {MAINTAINER}):
            continue
        if STUDENT_NOTEBOOK in tags:
            if skipping:
                continue
        else:
            skipping = False
        if cell.cell_type == "code":
            if "parameters" in tags:
                cell.source = set_parameters(cell.source, values)
            elif cell.get("id") in ran and _shows_nothing(ran[cell["id"]]):
                skipping = True  # and its answer cells
                continue
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = {"tags": sorted(tags)} if tags else {}
        cells.append(cell)
    source.cells = cells
    source.metadata = {k: v for k, v in source.metadata.items() if k in ("kernelspec", "language_info")}
    source.metadata["casebrief"] = {"edition": "student notebook", "parameters": values}
    nbformat.validate(source)
    return (nbformat.writes(source) + "\n").encode("utf-8")


def _case_id(params: ClassroomParams) -> str:
    """The case as the student notebook names it: its id (its data ships next to it or in the package)."""
    folder = case_folder(params.case)
    return str(read_case_yaml(folder).get("id") or folder.name)


README = """\
{title}
{rule}

Classroom edition, {level} level, as of {as_of}: the student notebook and the case data it reads.

  {notebook}    the exercises; run it top to bottom in JupyterLab
  data/{case}/          the case's data package (CSV tables, datapackage.json, case.yaml)

The notebook needs Python 3.11 or newer with the casebrief package installed (it provides the code
that reads the case and draws the charts). It looks for the case in data/{case}/ next to itself, then
in the package's own data/cases/. Write your answers in the cells marked "Your answer".
"""


def student_bundle(notebook: bytes, name: str, params: ClassroomParams, case_dir: Path, epoch: int) -> bytes:
    """A zip of the student notebook, the case's data package and a README, with fixed dates and order."""
    case_id = _case_id(params)
    meta = read_case_yaml(case_dir)
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), tz=dt.UTC).timetuple()[:6]
    nb_name = f"{name}-student.ipynb"
    title = str(meta.get("title") or case_id)
    readme = README.format(
        title=title,
        rule="=" * min(len(title), 100),
        level=params.level,
        as_of=params.as_of.isoformat() if params.as_of else "",
        notebook=nb_name,
        case=case_id,
    )
    files: list[tuple[str, bytes]] = [("README.txt", readme.encode("utf-8")), (nb_name, notebook)]
    for path in data_files(case_dir):
        files.append((f"data/{case_id}/{path.relative_to(case_dir).as_posix()}", path.read_bytes()))
    buf = io.BytesIO()
    root = name
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files:
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return buf.getvalue()


__all__ = [
    "EDITIONS",
    "NOTEBOOK",
    "SOLUTION",
    "TEACHER_NOTE",
    "products",
    "render",
    "set_parameters",
    "student_bundle",
    "student_notebook",
]
