"""The publisher profile: fields, the contrast rule, the logo, licences, and where a profile applies."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from analysis.errors import CaseDataError
from analysis.publisher import check_profile, contrast_ratio, load_publisher, profile_path

pytestmark = pytest.mark.unit

def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 24), (31, 78, 121)).save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


def _case(tmp_path: Path) -> Path:
    case = tmp_path / "cases" / "demo"
    case.mkdir(parents=True)
    return case


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_profile_beside_the_cases_applies_and_a_case_profile_replaces_it(tmp_path):
    case = _case(tmp_path)
    assert load_publisher(case) is None
    (case.parent / "publisher.yaml").write_text("name: Shared Org\n", encoding="utf-8")
    assert load_publisher(case).name == "Shared Org"
    (case / "publisher.yaml").write_text("name: Own Org\n", encoding="utf-8")
    assert profile_path(case) == case / "publisher.yaml"
    assert load_publisher(case).name == "Own Org"


def test_full_profile_resolves_licence_and_embeds_logo(tmp_path):
    case = _case(tmp_path)
    (case.parent / "logo.png").write_bytes(PNG)
    (case.parent / "publisher.yaml").write_text(
        "name: Policy Desk\nshort_name: PD\nlogo: logo.png\ncolour: '#1f4e79'\ncontact: desk@example.org\n"
        "licence: CC-BY-4.0\nmarking: For public release\n", encoding="utf-8")
    p = load_publisher(case)
    assert p.licence == "Creative Commons Attribution 4.0 International"
    assert p.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert p.logo.startswith("data:image/png;base64,")
    assert p.rights.startswith("© Policy Desk.") and "by/4.0" in p.rights
    assert p.metadata()["marking"] == "For public release"


def test_every_problem_is_reported_at_once_with_field_value_and_rule(tmp_path):
    case = _case(tmp_path)
    (case.parent / "publisher.yaml").write_text(
        "colour: '#ffff00'\nlogo: logo.gif\nlicence_url: ftp://x\nmotto: hi\n", encoding="utf-8")
    with pytest.raises(CaseDataError) as err:
        load_publisher(case)
    text = str(err.value)
    assert "name: the organisation's name is required" in text
    assert "colour, '#ffff00'" in text or "'#ffff00'" in text
    assert "contrast against the white page is 1.07:1" in text
    assert ".svg or .png" in text
    assert "must be an http(s) address" in text
    assert "motto" in text and "unknown field" in text
    assert len(err.value.problems) == 5


def test_low_contrast_colour_is_refused_and_dark_colour_accepted(tmp_path):
    ok, problems = check_profile({"name": "X", "colour": "#1f4e79"}, tmp_path / "publisher.yaml")
    assert ok is not None and not problems
    bad, problems = check_profile({"name": "X", "colour": "#9ecae1"}, tmp_path / "publisher.yaml")
    assert bad is None and "WCAG" in problems[0].rule


def test_a_logo_that_is_not_what_its_name_says_is_refused(tmp_path):
    case = _case(tmp_path)
    (case.parent / "logo.png").write_bytes(b"GIF89a not a png")
    (case.parent / "logo.svg").write_bytes(b"<svg><script>alert(1)</script></svg>")
    for name, rule in (("logo.png", "not a PNG image"), ("logo.svg", "without scripts")):
        _, problems = check_profile({"name": "X", "logo": name}, case.parent / "publisher.yaml")
        assert rule in problems[0].rule
