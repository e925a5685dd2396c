"""Run the independent output checkers (Nu Html Checker, axe-core in Chromium, poppler, qpdf) from Python.

Installed by ``make check-tools``: the npm packages live in ``tests/tools/node_modules`` (pinned by the
committed ``package-lock.json``), the rest come from Debian. Each function returns parsed results and
raises :class:`ToolMissing` with the command to run when a tool is absent.

Also a command line: ``python tests/tools/checks.py vnu|axe FILE.html ...`` prints the JSON.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
NODE_MODULES = TOOLS_DIR / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = TOOLS_DIR / "axe.mjs"
CHROMIUM = Path("/usr/bin/chromium")


# The Nu Html Checker's CSS validator predates CSS Generated Content for Paged Media (W3C), which the print
# stylesheet uses for running headers and PDF bookmarks (WeasyPrint implements it). Only these exact
# messages are set aside; every other CSS or HTML error still counts.
PAGED_MEDIA_CSS = re.compile(
    r"^CSS: “(string-set|bookmark-level|bookmark-label|bookmark-state)”: Property “\1” doesn't exist\.$"
    r"|^CSS: “content”: “(string|target-counter|target-text|leader|element)\(.*” is not a “content” value\.$"
    r"|^CSS: “position”: “running\(.*\)” is not a “position” value\.$"
)


class ToolMissing(RuntimeError):
    """A checker is not installed; the message says how to install it."""


def _need(path_or_cmd: str | Path) -> str:
    found = shutil.which(str(path_or_cmd)) if not Path(path_or_cmd).is_absolute() else str(path_or_cmd)
    if not found or not Path(found).exists():
        raise ToolMissing(f"{path_or_cmd} is not installed: run `make check-tools`")
    return found


def vnu(paths: list[Path], *, timeout: float = 300, paged_media: bool = True) -> list[dict]:
    """Validate HTML files with the Nu Html Checker; return its error messages (empty when valid).

    Each message is vnu's own JSON: ``url``, ``type`` (``error`` or ``non-document-error``), ``message``,
    ``extract``, ``lastLine``... ``--errors-only`` drops warnings and info. With ``paged_media`` (the
    default), errors that only say vnu does not know CSS paged-media properties are set aside.
    """
    java = _need("java")
    if not VNU_JAR.is_file():
        raise ToolMissing(f"{VNU_JAR} is missing: run `make check-tools`")
    cmd = [java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    # vnu writes its JSON report on stderr and exits 1 when it found errors.
    try:
        report = json.loads(proc.stderr or "{}")
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"vnu gave no JSON (exit {proc.returncode}): {proc.stderr[-2000:]}") from exc
    messages = [m for m in report.get("messages", []) if m.get("type") != "info"]
    if paged_media:
        messages = [m for m in messages if not PAGED_MEDIA_CSS.match(m.get("message", "").strip())]
    return messages


def axe(paths: list[Path], *, timeout: float = 300) -> dict:
    """Open each HTML file in headless Chromium and run axe-core; return ``axe.mjs``'s JSON report."""
    node = _need("node")
    _need(CHROMIUM)
    if not (NODE_MODULES / "playwright-core").is_dir() or not (NODE_MODULES / "axe-core").is_dir():
        raise ToolMissing(f"playwright-core or axe-core missing from {NODE_MODULES}: run `make check-tools`")
    cmd = [node, str(AXE_SCRIPT), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=TOOLS_DIR)
    if proc.returncode != 0:
        raise RuntimeError(f"axe.mjs failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def run(cmd: list[str], *, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a poppler or qpdf command, raising :class:`ToolMissing` when it is absent."""
    _need(cmd[0])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def pdffonts(path: Path) -> list[dict]:
    """Fonts of a PDF as ``pdffonts`` lists them: name, type, encoding, emb, sub, uni."""
    out = run(["pdffonts", str(path)])
    if out.returncode != 0:
        raise RuntimeError(f"pdffonts {path}: {out.stderr}")
    lines = out.stdout.splitlines()
    # The second line is a ruler of dashes: its gaps give the column boundaries (names may contain spaces).
    ruler = lines[1]
    spans, start = [], 0
    for i, ch in enumerate(ruler + " "):
        if ch == " " and (i == 0 or ruler[i - 1] == "-"):
            spans.append((start, i))
            start = i + 1
    keys = ["name", "type", "encoding", "emb", "sub", "uni", "object", "id"]
    fonts = []
    for line in lines[2:]:
        cells = [line[a:b].strip() for a, b in spans]
        fonts.append(dict(zip(keys, cells, strict=False)))
    return fonts


def pdfinfo(path: Path) -> dict[str, str]:
    """``pdfinfo`` fields (Title, Producer, Pages...) plus the document catalog's /Lang (``Lang``)."""
    out = run(["pdfinfo", str(path)])
    if out.returncode != 0:
        raise RuntimeError(f"pdfinfo {path}: {out.stderr}")
    info = {}
    for line in out.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    # pdfinfo does not print the catalog's /Lang; qpdf's JSON view of the catalog does.
    qp = run(["qpdf", "--json", "--json-key=qpdf", str(path)])
    if qp.returncode in (0, 3):
        data = json.loads(qp.stdout)
        objects = data["qpdf"][1]
        trailer = objects.get("trailer", {}).get("value", {})
        root = objects.get("obj:" + trailer.get("/Root", ""), {}).get("value", {})
        lang = root.get("/Lang")
        if isinstance(lang, str):
            # qpdf's JSON v2 writes text strings as "u:<text>"
            info["Lang"] = lang[2:] if lang.startswith("u:") else lang
    return info


def pdftotext(path: Path, *, raw: bool = False) -> str:
    """The PDF's text in reading order (plain mode: ``-layout`` would split words across columns).

    ``raw`` keeps the content stream's order and every character: the default mode drops a character it
    takes for an overprinted duplicate, which can turn ``<!--`` at a line end into ``<!-``.
    """
    out = run(["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), str(path), "-"])
    if out.returncode != 0:
        raise RuntimeError(f"pdftotext {path}: {out.stderr}")
    return out.stdout


def qpdf_check(path: Path) -> tuple[int, str]:
    """``qpdf --check``: exit code (0 clean, 2 errors, 3 warnings) and its output."""
    out = run(["qpdf", "--check", str(path)])
    return out.returncode, out.stdout + out.stderr


#: Apache PDFBox preflight (Debian's libpdfbox2-java) and what it needs on Java 17.
PDFBOX_JARS = [Path("/usr/share/java") / j for j in (
    "preflight.jar", "pdfbox2.jar", "xmpbox.jar", "fontbox2.jar", "commons-logging.jar",
    "javax.activation.jar", "jaxb-api.jar")]
#: PDFBox 2's preflight checks PDF/A-1b. These of its rules are PDF/A-1 only: PDF/A-2 and PDF/A-3
#: (ISO 19005-2/-3) allow cross-reference streams (1.4), transparency (2.2.1, 2.2.2, and soft masks and
#: constant alpha in graphics states, 4.1.1, 4.1.2), OpenType font
#: programs (3.1.3) and subset fonts without a CIDSet (3.1.11), and PDF/A-3 allows embedded files
#: (1.2.9, 1.4.7). The identification must name part 1 for PDF/A-1 (7.11.2 "part must be 1"): ours names
#: part 3. Every other finding counts against PDF/A-3b.
PDFA1_ONLY_RULES = {"1.4", "1.2.9", "1.4.7", "2.2.1", "2.2.2", "3.1.3", "3.1.11", "4.1.1", "4.1.2"}
PDFA1_ONLY_FINDINGS = {("7.11.2", "Error on MetaData, part must be 1")}


def pdfa3_findings(findings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The preflight findings that count against PDF/A-3b (the PDF/A-1-only ones set aside)."""
    return [(rule, msg) for rule, msg in findings
            if rule not in PDFA1_ONLY_RULES and (rule, msg.strip()) not in PDFA1_ONLY_FINDINGS]


def preflight(path: Path, *, timeout: float = 300) -> list[tuple[str, str]]:
    """Apache PDFBox preflight's findings as ``(rule, message)``; empty when it finds nothing."""
    java = _need("java")
    missing = [str(j) for j in PDFBOX_JARS if not j.is_file()]
    if missing:
        raise ToolMissing(f"{', '.join(missing)} missing: run `make check-tools`")
    cp = ":".join(str(j) for j in PDFBOX_JARS)
    proc = subprocess.run([java, "-cp", cp, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
                          capture_output=True, text=True, timeout=timeout)
    out = []
    for line in (proc.stdout + proc.stderr).splitlines():
        m = re.match(r"^(\d+(?:\.\d+)+) : (.*)$", line.strip())
        if m:
            out.append((m.group(1), m.group(2)))
    if proc.returncode != 0 and not out:
        raise RuntimeError(f"preflight failed on {path}: {proc.stdout}{proc.stderr}")
    return out


def _main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("vnu", "axe"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    files = [Path(a) for a in argv[1:]]
    result = vnu(files) if argv[0] == "vnu" else axe(files)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
