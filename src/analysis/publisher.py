"""The publisher profile: who puts their name on a brief, read from an optional ``publisher.yaml``.

``data/cases/publisher.yaml`` (beside the case folders) applies to every case; a ``publisher.yaml``
inside a case folder replaces it for that case. Without either, briefs name no publisher and look as
they always did. Light: standard library, pydantic and the case.yaml reader only (the build checks the
profile before any kernel starts).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import CaseDataError, Problem

FILENAME = "publisher.yaml"
#: WCAG 2 contrast a colour needs against the white page to carry text (AA, normal text).
MIN_CONTRAST = 4.5
MAX_LOGO_BYTES = 512 * 1024
#: Licences named by their SPDX id get their full name and link without the profile spelling them out.
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC-BY-NC-4.0": ("Creative Commons Attribution-NonCommercial 4.0 International",
                     "https://creativecommons.org/licenses/by-nc/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0 Universal (public domain dedication)",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
}
FIELDS = ("name", "short_name", "logo", "colour", "contact", "licence", "licence_url", "marking")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


@dataclass(frozen=True)
class Publisher:
    """A checked profile: every text as given, the logo as a ``data:`` URI, the licence resolved."""

    name: str
    short_name: str = ""
    logo: str = ""  # data: URI
    colour: str = ""
    contact: str = ""
    licence: str = ""  # the licence's name as printed
    licence_url: str = ""
    marking: str = ""
    path: str = ""  # where the profile was read from (for messages)

    def metadata(self) -> dict[str, str]:
        """The profile as plain JSON for the brief's metadata (the exporter and template read it)."""
        return {f: getattr(self, f) for f in FIELDS} | {"rights": self.rights}

    @property
    def rights(self) -> str:
        """The PDF's rights line: ``© <name>. <licence> (<url>)``."""
        parts = [f"© {self.name}."]
        if self.licence:
            parts.append(self.licence + (f" ({self.licence_url})" if self.licence_url else ""))
        return " ".join(parts)


def profile_path(case_dir: Path) -> Path | None:
    """The profile that applies to a case: its own, else the one beside the cases, else None."""
    for path in (case_dir / FILENAME, case_dir.parent / FILENAME):
        if path.is_file():
            return path
    return None


def load_publisher(case_dir: Path) -> Publisher | None:
    """The checked profile of a case (None without one); every problem at once as CaseDataError."""
    path = profile_path(case_dir)
    if path is None:
        return None
    from analysis.validate import read_case_yaml  # the same safe reader as case.yaml (bounded, no aliases)

    data, problems = read_case_yaml(path)
    problems = [_relabel(p, path) for p in problems]
    if not problems and not isinstance(data, dict):
        problems.append(Problem(FILENAME, "must be a set of 'field: value' lines (a YAML mapping)"))
    if problems:
        raise CaseDataError(str(path), problems)
    publisher, problems = check_profile(data, path)
    if problems:
        raise CaseDataError(str(path), problems)
    return publisher


def check_profile(data: dict, path: Path) -> tuple[Publisher | None, list[Problem]]:
    """Check a profile's fields; returns the profile or the list of problems."""
    problems: list[Problem] = []

    def problem(field: str, value: object, rule: str) -> None:
        problems.append(Problem(FILENAME, rule, column=field, value=str(value)))

    unknown = sorted(set(data) - set(FIELDS))
    for key in unknown:
        problem(key, data[key], f"unknown field; fields: {', '.join(FIELDS)}")
    text = {}
    for key in FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str | int | float):
            problem(key, value, "must be text")
            value = None
        text[key] = "" if value is None else str(value).strip()
    if not text["name"]:
        problem("name", "", "the organisation's name is required")
    colour = text["colour"]
    if colour:
        if not _HEX.match(colour):
            problem("colour", colour, "must be a hex colour like #1f4e79")
        else:
            ratio = contrast_ratio(colour, "#ffffff")
            if ratio < MIN_CONTRAST:
                problem("colour", colour, f"contrast against the white page is {ratio:.2f}:1; text needs at "
                                          f"least {MIN_CONTRAST}:1 (WCAG AA): choose a darker colour")
    logo = ""
    if text["logo"]:
        logo, rule = _logo_uri(path.parent, text["logo"])
        if rule:
            problem("logo", text["logo"], rule)
    licence, url = text["licence"], text["licence_url"]
    if licence in LICENCES:
        licence, known_url = LICENCES[licence]
        url = url or known_url
    if url and not url.startswith(("https://", "http://")):
        problem("licence_url", url, "must be an http(s) address")
    if problems:
        return None, problems
    return Publisher(
        name=text["name"], short_name=text["short_name"], logo=logo, colour=colour.lower(),
        contact=text["contact"], licence=licence, licence_url=url, marking=text["marking"], path=str(path),
    ), []


def _logo_uri(folder: Path, name: str) -> tuple[str, str]:
    path = (folder / name)
    kind = _LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        return "", "the logo must be an .svg or .png file"
    if path.is_symlink() or not path.is_file():
        return "", f"no such file next to {FILENAME}"
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        return "", f"the logo is {len(data) // 1024} KB; at most {MAX_LOGO_BYTES // 1024} KB"
    if kind == "image/png" and not _is_png(data):
        return "", "not a PNG image (or a damaged one)"
    if kind == "image/svg+xml" and (b"<svg" not in data[:4096] or b"<script" in data.lower()):
        return "", "not an SVG image without scripts"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}", ""


def _is_png(data: bytes) -> bool:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    import io

    from PIL import Image  # Pillow comes with matplotlib and WeasyPrint

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
    except Exception:
        return False
    return True


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lf, lb = _luminance(fg), _luminance(bg)
    hi, lo = max(lf, lb), min(lf, lb)
    return (hi + 0.05) / (lo + 0.05)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _relabel(problem: Problem, path: Path) -> Problem:
    return problem if problem.file != "case.yaml" else Problem(FILENAME, problem.rule, column=problem.column,
                                                               value=problem.value, row=problem.row)
