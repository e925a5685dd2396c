"""What a brief carries of its own making: the case data package as read, the publisher profile and the
brief's manifest entry, so that a reader far from the repository can check it (``casebrief verify``).

A PDF brief embeds these files as PDF attachments; an HTML brief offers them as one zip behind a
``data:`` download link, unless the zip would grow the page past :data:`MAX_HTML_BUNDLE` bytes. Every
byte is fixed by the inputs (file order, zip dates, attachment dates), so rebuilds stay identical.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.manifest import data_files
from analysis.publisher import profile_path

#: The attachment that holds the brief's manifest entry; its presence marks a casebrief brief.
MANIFEST_NAME = "casebrief-manifest.json"
#: Folder names inside the bundle.
DATA_DIR = "data"
PUBLISHER_DIR = "publisher"
#: The largest zip an HTML brief carries inline (base64 grows it by a third).
MAX_HTML_BUNDLE = 256 * 1024


@dataclass(frozen=True)
class Bundle:
    """The files a brief carries, as ``(name, bytes)`` in a fixed order, and the date stamped on them."""

    files: tuple[tuple[str, bytes], ...]
    epoch: int
    name: str  # the brief's output name, for the zip's file name

    @property
    def manifest(self) -> dict:
        return json.loads(dict(self.files)[MANIFEST_NAME])

    @property
    def stamp(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(max(self.epoch, 315532800), tz=dt.UTC)

    def pdf_attachments(self) -> list:
        """WeasyPrint attachments, dated with the build's fixed date (WeasyPrint would use the clock)."""
        from weasyprint import Attachment

        return [
            Attachment(string=None, file_obj=io.BytesIO(data), name=name, description=_describe(name),
                       created=self.stamp, modified=self.stamp, relationship="Source"
                       if name != MANIFEST_NAME else "Data")
            for name, data in self.files
        ]

    def zip_bytes(self) -> bytes:
        """The files as one zip with fixed dates and order (the same bytes on every rebuild)."""
        buf = io.BytesIO()
        stamp = self.stamp.timetuple()[:6]
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in self.files:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                zf.writestr(info, data)
        return buf.getvalue()

    def html_link(self) -> str:
        """The download link an HTML brief shows (or where to get the files when they are too large),
        and the sentence its printed form shows instead."""
        data = self.zip_bytes()
        kb = max(1, round(len(data) / 1024))
        n = len(self.files) - 1
        pdf = ('<p class="cb-evidence cb-evidence-print">The case data package this brief was built from '
               f"({n} files) and its build record are attached to this PDF; <code>casebrief verify</code> "
               "rebuilds the brief from them and compares.</p>")
        if len(data) > MAX_HTML_BUNDLE:
            screen = ('<p class="cb-evidence cb-evidence-screen">The case data package and build record '
                      f"({kb} KB) are too large to carry in this page (limit {MAX_HTML_BUNDLE // 1024} KB): "
                      "they are attached to the PDF edition of this brief.</p>")
        else:
            uri = "data:application/zip;base64," + base64.b64encode(data).decode("ascii")
            fname = html.escape(f"{self.name}-evidence.zip")
            screen = (f'<p class="cb-evidence cb-evidence-screen"><a download="{fname}" href="{uri}">'
                      f"Download the case data package and build record</a> ({n} files, {kb} KB zip); "
                      "<code>casebrief verify</code> rebuilds the brief from them and compares.</p>")
        return screen + pdf


def collect(case_dir: Path, entry: dict, epoch: int, name: str) -> Bundle:
    """The evidence of one output: every data file of the case (the set the data hash covers), the
    publisher profile and logo when one applies, and ``entry`` (the output's manifest entry)."""
    files: list[tuple[str, bytes]] = [
        (f"{DATA_DIR}/{p.relative_to(case_dir).as_posix()}", p.read_bytes()) for p in data_files(case_dir)
    ]
    files += [(f"{PUBLISHER_DIR}/{n}", b) for n, b in publisher_files(case_dir)]
    body = json.dumps(entry, sort_keys=True, indent=1, ensure_ascii=False).encode("utf-8")
    files.append((MANIFEST_NAME, body))
    return Bundle(tuple(files), epoch, name)


def publisher_files(case_dir: Path) -> list[tuple[str, bytes]]:
    """A profile beside the cases (not inside the case folder, which the data files already cover) and
    the logo it names."""
    path = profile_path(case_dir)
    if path is None or path.parent == case_dir:
        return []
    out = [(path.name, path.read_bytes())]
    from analysis.publisher import load_publisher  # noqa: F401  (checked already by the build)
    from analysis.validate import read_case_yaml

    data, _ = read_case_yaml(path)
    logo = (data or {}).get("logo") if isinstance(data, dict) else None
    if logo and (path.parent / str(logo)).is_file():
        out.append((Path(str(logo)).name, (path.parent / str(logo)).read_bytes()))
    return out


def publisher_inputs(case_dir: Path) -> dict[str, str]:
    """sha256 of the publisher files outside the case folder, keyed ``publisher/<file>``: build inputs."""
    from analysis.manifest import sha256_bytes

    return {f"{PUBLISHER_DIR}/{n}": sha256_bytes(b) for n, b in publisher_files(case_dir)}


def _describe(name: str) -> str:
    if name == MANIFEST_NAME:
        return "casebrief build record: parameters, input hashes and versions of this brief"
    if name.startswith(PUBLISHER_DIR + "/"):
        return "publisher profile"
    return "case data package file, as read for this brief"


def read_zip(data: bytes) -> dict[str, bytes]:
    """The files of an evidence zip (``casebrief verify`` on an HTML brief)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def names(files: Sequence[tuple[str, bytes]]) -> list[str]:
    return [n for n, _ in files]
