"""``casebrief verify BRIEF``: rebuild a brief from the evidence it carries and compare.

A PDF brief carries its case data package, publisher profile and manifest entry as attachments; an HTML
brief carries them as a zip behind its download link (:mod:`analysis.bundle`). Verification:

1. reads them (a file that is not a casebrief brief, or carries no evidence, gets one sentence, exit 2);
2. checks every data file against the hash the build recorded (a replaced attachment is caught here);
3. says first when this installation differs from the build's (package versions, notebook, code);
4. rebuilds the brief from the extracted files in a temporary folder, with the recorded parameters;
5. compares bytes: ``verified: identical`` (exit 0), else what differs, page by page (exit 1).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.bundle import DATA_DIR, MANIFEST_NAME, PUBLISHER_DIR, read_zip
from analysis.errors import CasebriefError
from analysis.manifest import sha256_bytes

NOT_A_BRIEF = 2
MISMATCH = 1
_ZIP_LINK = re.compile(
    r'<a download="[^"]*-evidence\.zip" href="data:application/zip;base64,([A-Za-z0-9+/=]+)"')


class NotABrief(CasebriefError):
    """The file is not a casebrief brief, or carries no evidence to rebuild it from."""


class Damaged(CasebriefError):
    """The file is a casebrief brief that was cut short or altered so that its evidence cannot be read."""


@dataclass
class Verdict:
    """What verification found: ``code`` 0 identical, 1 not matching, 2 not a brief."""

    code: int
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines)


def verify(path: Path, *, timeout: int = 300) -> Verdict:
    """Verify the brief at ``path`` (see the module docstring). Never raises for a bad file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Verdict(NOT_A_BRIEF, [f"{path}: cannot be read ({exc.strerror or exc})"])
    try:
        kind, files = read_evidence(data)
    except NotABrief as exc:
        return Verdict(NOT_A_BRIEF, [f"{path}: {exc}"])
    except Damaged as exc:
        return Verdict(MISMATCH, [f"{path}: not matching: {exc}"])
    entry = _entry(files)
    if entry is None:
        return Verdict(NOT_A_BRIEF, [f"{path}: not a casebrief brief (its build record cannot be read)"])
    verdict = Verdict(0)
    say = verdict.lines.append
    say(f"{path}: {entry.get('path', '?')}, built with parameters {_describe(entry.get('parameters', {}))}")
    tampered = check_hashes(files, entry)
    installation = compare_installation(entry)
    for line in installation:
        say(line)
    if tampered:
        verdict.code = MISMATCH
        say("not matching: the embedded data differ from what the brief was built from:")
        verdict.lines += [f"  - {t}" for t in tampered]
        return verdict
    try:
        rebuilt = rebuild(files, entry, timeout=timeout)
    except CasebriefError as exc:
        verdict.code = MISMATCH
        say(f"not matching: the brief could not be rebuilt from its evidence: {exc}")
        return verdict
    if rebuilt == data:
        say("verified: identical (rebuilt from the embedded data, byte for byte the same)")
        return verdict
    verdict.code = MISMATCH
    say(f"not matching: the rebuilt {kind.upper()} differs from this file "
        f"({len(data):,} bytes here, {len(rebuilt):,} rebuilt)")
    verdict.lines += [f"  - {d}" for d in (pdf_differences(data, rebuilt) if kind == "pdf"
                                           else html_differences(data, rebuilt))]
    return verdict


# -- reading the evidence ------------------------------------------------------------------------------
def read_evidence(data: bytes) -> tuple[str, dict[str, bytes]]:
    """``("pdf" | "html", {name: bytes})`` of the files a brief carries; NotABrief otherwise."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf", _pdf_files(data)
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        m = _ZIP_LINK.search(data.decode("utf-8", "replace"))
        if not m:
            if b'name="generator" content="casebrief' in data:
                raise NotABrief("a casebrief brief that carries no data package (too large for the page, "
                                "or built before briefs carried one): verify its PDF edition")
            raise NotABrief("not a casebrief brief (no embedded data package)")
        import base64

        try:
            return "html", read_zip(base64.b64decode(m.group(1)))
        except Exception as exc:
            raise NotABrief(f"its embedded data package cannot be read ({type(exc).__name__})") from None
    raise NotABrief("not a casebrief brief (neither a PDF nor an HTML page)")


def _pdf_files(data: bytes) -> dict[str, bytes]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # damaged files are reported, not logged
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        attached = reader.attachments
        files = {name: blobs[0] for name, blobs in attached.items() if blobs}
    except Exception as exc:
        files, why, damaged = {}, f"{type(exc).__name__}: {exc}", True
    else:
        why, damaged = "no end-of-file marker", False
    if MANIFEST_NAME not in files:
        if damaged or b"%%EOF" not in data[-1024:]:
            # a brief cut short loses its attachments with its end: whatever it was, it matches no brief
            raise Damaged(f"a damaged or truncated PDF ({why[:120]}); nothing in it can be read back to "
                          "rebuild from, so it matches no brief")
        raise NotABrief("not a casebrief brief (a PDF without casebrief's embedded data package)")
    return files


def _entry(files: dict[str, bytes]) -> dict | None:
    import json

    try:
        entry = json.loads(files[MANIFEST_NAME].decode("utf-8"))
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    return entry if isinstance(entry, dict) and isinstance(entry.get("inputs"), dict) else None


def check_hashes(files: dict[str, bytes], entry: dict) -> list[str]:
    """Embedded data files that differ from, or are missing from, the hashes the build recorded."""
    recorded = {k.removeprefix("data/"): v for k, v in entry["inputs"].items() if k.startswith("data/")}
    carried = {k.removeprefix(DATA_DIR + "/"): v for k, v in files.items() if k.startswith(DATA_DIR + "/")}
    out = []
    for name in sorted(recorded.keys() | carried.keys()):
        if name not in carried:
            out.append(f"{name}: missing (recorded at build time)")
        elif name not in recorded:
            out.append(f"{name}: not part of the build (added afterwards)")
        elif sha256_bytes(carried[name]) != recorded[name]:
            out.append(f"{name}: changed since the build (sha256 {sha256_bytes(carried[name])[:12]}, "
                       f"recorded {recorded[name][:12]})")
    return out


def compare_installation(entry: dict) -> list[str]:
    """What differs between this installation and the build's: versions first, then notebook and code."""
    from analysis.manifest import input_hashes, versions
    from analysis.paths import NOTEBOOKS_DIR

    out = []
    now = versions()
    then = entry.get("versions", {})
    changed = [f"{k} {then.get(k, '-')} -> {now.get(k, '-')}" for k in sorted(then.keys() | now.keys())
               if then.get(k) != now.get(k)]
    if changed:
        out.append("package versions differ from the build's: " + "; ".join(changed))
    notebook = NOTEBOOKS_DIR / Path(str(entry.get("notebook", "notebooks/briefing.ipynb"))).name
    if notebook.is_file():
        current = input_hashes(notebook.parent, notebook)  # data part is irrelevant here
        code = {k: v for k, v in entry["inputs"].items() if k.startswith(("package/", "notebook/"))}
        differ = sorted(k for k, v in code.items() if current.get(k) != v)
        differ += sorted(k for k in current if k.startswith("package/") and k not in code)
        if differ:
            out.append(f"casebrief's code or notebook differs from the build's ({len(differ)} files, e.g. "
                       f"{', '.join(differ[:3])}): expect differences")
    return out


# -- rebuilding ----------------------------------------------------------------------------------------
def rebuild(files: dict[str, bytes], entry: dict, *, timeout: int = 300) -> bytes:
    """Rebuild the output named in ``entry`` from ``files`` in a temporary folder; its bytes."""
    from analysis import build as B

    params = dict(entry.get("parameters", {}))
    case_id = str(entry.get("case") or params.get("case") or "")
    if not case_id or "/" in case_id:
        raise CasebriefError("the build record does not name the case")
    with tempfile.TemporaryDirectory(prefix="casebrief-verify-") as tmp:
        root = Path(tmp)
        cases = root / "cases"
        case_dir = cases / case_id
        for name, data in files.items():
            if name.startswith(DATA_DIR + "/"):
                dest = case_dir / name.removeprefix(DATA_DIR + "/")
            elif name.startswith(PUBLISHER_DIR + "/"):
                dest = cases / name.removeprefix(PUBLISHER_DIR + "/")
            else:
                continue
            if ".." in Path(name).parts:
                raise CasebriefError(f"unsafe file name in the evidence: {name!r}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        with _environment(CASEBRIEF_CASES=str(cases), CASEBRIEF_REPORTS=str(root / "reports")):
            fmt = str(entry.get("format", "pdf"))
            targets = B.plan(**_plan_arguments(params, case_id, fmt))
            targets = [t for t in targets if t.output(fmt).name == entry.get("path")]
            if not targets:
                raise CasebriefError(f"no brief named {entry.get('path')!r} comes out of these parameters")
            report = B.build(targets[:1], force=True, timeout=timeout,
                             progress=B.Progress(stream=io.StringIO(), quiet=True))
            if report.failed:
                raise CasebriefError(report.failed[0].error or "the build failed")
            return targets[0].output(fmt).read_bytes()


def _plan_arguments(params: dict, case_id: str, fmt: str) -> dict:
    """``plan`` keywords for the recorded parameters (the case by its id, in the extracted folder)."""
    base_fmt = fmt.rpartition(".")[2]
    out = {"case": case_id, "audiences": [params.get("audience") or "analyst"], "formats": [base_fmt]}
    for key in ("as_of", "since", "issues", "title", "level"):
        if params.get(key) is not None:
            out[key] = params[key]
    return out


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# -- comparing -----------------------------------------------------------------------------------------
def pdf_differences(here: bytes, rebuilt: bytes, limit: int = 10) -> list[str]:
    """Page by page, where the text of two PDFs differs (or why a page cannot be read)."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    a, b = _pages(here, PdfReader), _pages(rebuilt, PdfReader)
    out = []
    if len(a) != len(b):
        out.append(f"{len(a)} pages here, {len(b)} rebuilt")
    for i, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            out.append(f"page {i}: {_first_difference(x, y)}")
    if not out:
        out.append("every page's text matches; the difference is in layout, fonts, images or attachments")
    return out[:limit] + ([f"... and {len(out) - limit} more"] if len(out) > limit else [])


def _pages(data: bytes, reader_cls) -> list[str]:
    try:
        reader = reader_cls(io.BytesIO(data), strict=False)
        pages = reader.pages
    except Exception as exc:
        return [f"<unreadable: {type(exc).__name__}>"]
    out = []
    for page in pages:
        try:
            out.append(page.extract_text() or "")
        except Exception as exc:
            out.append(f"<page content unreadable: {type(exc).__name__}>")
    return out


def html_differences(here: bytes, rebuilt: bytes) -> list[str]:
    a = here.decode("utf-8", "replace").splitlines()
    b = rebuilt.decode("utf-8", "replace").splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return [f"line {i}: {_first_difference(x, y)}"]
    return [f"{len(a)} lines here, {len(b)} rebuilt"]


def _first_difference(x: str, y: str) -> str:
    for j, (p, q) in enumerate(zip(x, y, strict=False)):
        if p != q:
            return f"here {x[max(0, j - 20):j + 40]!r}, rebuilt {y[max(0, j - 20):j + 40]!r}"
    return f"here {len(x)} characters, rebuilt {len(y)}"


def _describe(params: dict) -> str:
    return " ".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items()
                    if v is not None) or "(none)"
