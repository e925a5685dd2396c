"""The chart style: colour-blind-safe palettes (simulated deficiencies), the font chain, label
placement and the text measurer."""

from __future__ import annotations

import io
import warnings
from itertools import combinations

import matplotlib as mpl
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from analysis.charts.common import Measurer, place_in_tiers, source_line
from analysis.charts.style import (
    CATEGORICAL,
    FONT_FAMILY,
    STANCE_COLOURS,
    STYLE_PATH,
    delta_e2000,
    min_distance_under_cvd,
    simulate,
    text_colour_on,
    use_style,
)

# CIEDE2000: about 10 tells categories apart at a glance; neighbouring steps of an ordered scale need
# less, but every pair of the five stance colours here clears 15 for every deficiency.
CATEGORY_MIN = 10.0
STANCE_MIN = 15.0


def test_delta_e2000_matches_the_published_test_data():
    # Sharma, Wu & Dalal (2005), pairs 1 and 17
    assert delta_e2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(
        2.0425, abs=1e-4
    )
    assert delta_e2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)


def test_simulation_removes_red_green_contrast_for_red_green_deficiencies():
    red, green = "#D00000", "#00A000"
    for kind in ("protanopia", "deuteranopia"):
        a, b = simulate([red, green], kind)
        assert (
            np.abs(a - b).max()
            < np.abs(simulate([red, green], "normal")[0] - simulate([red, green], "normal")[1]).max()
        )
    assert min_distance_under_cvd([red, green])["deuteranopia"] < CATEGORY_MIN  # the check can fail


def test_categorical_palette_stays_distinguishable_for_common_deficiencies():
    worst = min_distance_under_cvd(CATEGORICAL)
    assert set(worst) == {"normal", "protanopia", "deuteranopia", "tritanopia"}
    for kind, value in worst.items():
        assert value >= CATEGORY_MIN, f"{kind}: two categorical colours are only {value:.1f} apart"


def test_stance_palette_is_diverging_and_distinguishable():
    colours = [STANCE_COLOURS[s] for s in (-2, -1, 0, 1, 2)]
    for kind, value in min_distance_under_cvd(colours).items():
        assert value >= STANCE_MIN, f"{kind}: two stance colours are only {value:.1f} apart"
    # lightness falls away from neutral on both sides, for every deficiency
    for kind in ("normal", "protanopia", "deuteranopia", "tritanopia"):
        lum = simulate(colours, kind) @ np.array([0.2126, 0.7152, 0.0722])
        assert lum[0] < lum[1] < lum[2] > lum[3] > lum[4], kind


def test_actor_types_differ_by_shape_as_well_as_colour():
    from analysis.charts.style import TYPE_COLOURS, TYPE_MARKERS, type_styles
    from analysis.vocabulary import Term, case_vocabulary

    defaults = type_styles(case_vocabulary(None).actor_types)
    assert len({m for _, m in defaults.values()}) == len(defaults) == len(TYPE_MARKERS)
    assert len({c for c, _ in defaults.values()}) == len(defaults) == len(TYPE_COLOURS)
    many = type_styles({f"t{i}": Term(f"t{i}", f"T{i}") for i in range(60)})  # any number of types
    assert len(set(many.values())) == 60
    own = type_styles({"court": Term("court", "Courts", "#123456")})
    assert own["court"][0] == "#123456"


def test_text_on_cells_has_enough_contrast():
    for fill in STANCE_COLOURS.values():
        ink = text_colour_on(fill)
        assert ink in ("#000000", "#FFFFFF")
    assert text_colour_on(STANCE_COLOURS[2]) == "#FFFFFF"
    assert text_colour_on(STANCE_COLOURS[0]) == "#000000"


def test_style_file_lists_the_font_chain_and_fixes_svg_ids():
    rc = mpl.rc_params_from_file(str(STYLE_PATH), use_default_template=False)
    assert list(rc["font.family"]) == FONT_FAMILY
    assert rc["svg.hashsalt"] == "casebrief"
    before = mpl.rcParams["font.family"]
    with use_style():
        assert list(mpl.rcParams["font.family"]) == FONT_FAMILY
    assert mpl.rcParams["font.family"] == before  # the caller's settings are left alone


def test_a_korean_name_raises_no_missing_glyph_warning():
    with use_style():
        fig = Figure(figsize=(3, 1))
        fig.text(0.1, 0.5, "우크라이나 외교부 (Ministry of Foreign Affairs of Ukraine)")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
            fig.savefig(io.BytesIO(), format="svg")
    assert not [w for w in caught if "missing" in str(w.message).lower()]


def test_measurer_is_close_to_the_renderer_and_never_narrower():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.font_manager import FontProperties

    m = Measurer()
    for dpi in (100, 200):  # the figures' own dpi (layout checks) and the print dpi
        renderer = FigureCanvasAgg(Figure(dpi=dpi)).get_renderer()
        for text in (
            "Two wounded North Korean soldiers captured in Kursk (9 Jan 2025)",
            "국가정보원",
            "WW ii 1,500",
        ):
            for size in (7.2, 8, 10.5):
                for weight in ("normal", "bold"):
                    prop = FontProperties(family=FONT_FAMILY, size=size, weight=weight)
                    real = renderer.get_text_width_height_descent(text, prop, ismath=False)[0] * 72 / dpi
                    est = m.width(text, size, weight)
                    assert real <= est <= real * 1.15, (dpi, text, size, weight, real, est)


def test_wrap_and_truncate_fit_the_width():
    m = Measurer()
    text = "Coordination Headquarters for the Treatment of Prisoners of War (Ukraine)"
    wrapped = m.wrap(text, 100, 8, max_lines=2)
    assert wrapped.count("\n") == 1 and wrapped.endswith("\u2026")
    assert all(m.width(line, 8) <= 100 for line in wrapped.split("\n"))
    assert m.truncate("short", 100, 8) == "short"


items = st.lists(st.tuples(st.floats(0, 500), st.floats(5, 200)), max_size=40)


@settings(max_examples=80, deadline=None)
@given(items=items, tiers=st.integers(1, 6), flag=st.booleans())
def test_tier_placement_never_overlaps_and_keeps_labels_on_their_anchor(items, tiers, flag):
    lo, hi, gap = -50.0, 600.0, 4.0
    placed = place_in_tiers(items, lo, hi, tiers, gap=gap, flag=flag)
    assert len(placed) == len(items)
    boxes = []
    for (anchor, w), p in zip(items, placed, strict=True):
        if p is None:
            continue
        t, left = p
        assert 0 <= t < tiers
        assert lo - 1e-9 <= left and left + w <= hi + 1e-9
        assert left - 2 <= anchor + 1e-9 and anchor <= left + w + 2  # the label touches its pole
        boxes.append((t, left, left + w))
    for (t1, a1, b1), (t2, a2, b2) in combinations(boxes, 2):
        if t1 == t2:
            assert b1 + gap <= a2 + 1e-9 or b2 + gap <= a1 + 1e-9


def test_tier_placement_is_deterministic_and_places_what_fits():
    items = [(float(x), 60.0) for x in range(0, 400, 20)]
    a = place_in_tiers(items, 0, 500, 4)
    assert a == place_in_tiers(items, 0, 500, 4)
    assert sum(p is not None for p in a) >= 12
    assert place_in_tiers([], 0, 100, 3) == []


def test_source_line_names_publishers_most_cited_first(mini_path):
    from analysis.case import load_case

    case = load_case(mini_path, validate=False)
    line = source_line(case, ["S3", "S3", "S1", "S5"])
    assert line == "Sources: 예시 신문, Example Gazette, Treaty Office \u2013 see Sources"
    many = source_line(case, ["S1", "S2", "S3", "S4", "S5"], limit=2)
    assert "and 3 more" in many
    assert source_line(case, []) == "Sources: none behind these marks"
