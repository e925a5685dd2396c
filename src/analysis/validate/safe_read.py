"""Safe reading of a case's files: bounded size, no symbolic links, UTF-8 only, YAML without aliases.

Every file of a case goes through :func:`read_bytes` (a link could make a brief print any file the user
can read; a huge file could exhaust memory) and text through :func:`decode_utf8`. ``case.yaml`` is parsed
by :func:`load_case_yaml`, a safe loader that refuses anchors and aliases (an alias bomb cannot expand)
and records the line of every field, so a problem can name it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from analysis.validate.report import Report

MAX_YAML_BYTES = 1_000_000  # a case.yaml is a few kilobytes; the bound keeps a hostile file cheap to refuse
MAX_JSON_BYTES = 5_000_000
MAX_CSV_BYTES = 100_000_000
# Bounds that keep a hostile table cheap to refuse (a 100,000-row table took 44 s to check and would take
# far longer to draw): the synthetic stress case has 5,000 events; the longest real cell is ~600 characters.
MAX_ROWS = 20_000
MAX_CELL_CHARS = 10_000
# Control characters (but tab, line feed, carriage return) and the noncharacters U+FFFE/U+FFFF are invalid in
# HTML and XML, and in a terminal they can rewrite what the user sees: refused wherever text is read.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def read_bytes(path: Path, limit: int, file: str, report: Report) -> bytes | None:
    """The bytes of a case file, or None with a problem (a link, too large, unreadable)."""
    try:
        if path.is_symlink():
            # a link could make a case read (and a brief print) any file the user can read, e.g. /etc/passwd
            target = os.readlink(path)
            report.add(file, f"is a symbolic link (to {target}); copy the file into the case folder")
            return None
        size = path.stat().st_size
        if size > limit:
            report.add(file, f"is too large ({size:,} bytes; at most {limit:,})")
            return None
        return path.read_bytes()
    except OSError as exc:
        report.add(file, f"cannot be read ({exc.strerror or exc})")
        return None


def decode_utf8(raw: bytes, file: str) -> tuple[str | None, str | None]:
    """Decode a file saved as UTF-8 (a BOM is fine); return ``(text, None)`` or ``(None, why not)``."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "is UTF-16 text, not UTF-8; save it as 'CSV UTF-8'"
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[bom:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line = raw.count(b"\n", 0, offset) + 1
        return None, (
            f"is not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset}, line {line}); "
            "save it as 'CSV UTF-8'"
        )


class _CaseYamlLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses anchors and aliases, so an alias bomb cannot expand."""

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (& and *) are not allowed in case.yaml; write each value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # e.g. 2025-13-01: keep the text, so the field check reports it with its line
        return str(node.value)


_CaseYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_case_yaml(text: str) -> tuple[object, dict[tuple, int], list[str]]:
    """Parse case.yaml text safely: ``(data, {path: line}, [errors with line numbers])``."""
    loader = _CaseYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: dict[tuple, int] = {}
        dupes: list[str] = []
        _walk(node, (), lines, dupes)
        return loader.construct_document(node), lines, dupes
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, {}, [f"is not valid YAML ({at}{what})"]
    except yaml.YAMLError as exc:
        return None, {}, [f"is not valid YAML ({exc})"]
    except RecursionError:
        return None, {}, ["is not valid YAML (nested too deeply)"]
    finally:
        loader.dispose()


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int], dupes: list[str]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            k = str(key.value) if isinstance(key, yaml.ScalarNode) else repr(key)
            if k in seen:
                dupes.append(f"has the key {k!r} twice (line {key.start_mark.line + 1}); keep one")
            seen.add(k)
            _walk(value, path + (k,), lines, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, dupes)


def yaml_strings(data: object, path: tuple) -> Iterable[tuple[tuple, str]]:
    """Every text in a loaded case.yaml (keys too), with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from yaml_strings(k, path)
            yield from yaml_strings(v, path + (str(k),))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from yaml_strings(v, path + (i,))
