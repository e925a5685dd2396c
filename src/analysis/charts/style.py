"""The one chart style: packaged ``.mplstyle``, colour-blind-safe palettes, and a colour-vision check.

``use_style()`` is a context manager every chart function and save helper runs inside, so a figure
looks the same whatever the caller's matplotlib settings. The palettes are checked by
``min_distance_under_cvd`` (simulated protanopia, deuteranopia and tritanopia, Machado et al. 2009,
distances in CIEDE2000) in the tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import Path

import matplotlib as mpl
import numpy as np

STYLE_PATH = Path(__file__).resolve().parent / "casebrief.mplstyle"
# The font chain of casebrief.mplstyle (a test keeps them equal): Latin, then CJK for Hangul.
FONT_FAMILY = ["DejaVu Sans", "Noto Sans CJK KR", "Noto Sans CJK JP"]

# Okabe & Ito (2008), ordered so that neighbours in a chart differ most for every common deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "vermillion": "#D55E00",
    "black": "#000000",
    "yellow": "#F0E442",
}
CATEGORICAL = list(OKABE_ITO.values())
# Timeline lanes: lanes are told apart by position and label, colour only groups marks; vermillion is
# kept out so that it stays the colour of disputed dates, and yellow (too faint on white) is left out.
LANE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#8C8C8C"]

# Stance -2..+2: ColorBrewer PuOr (orange = opposes, purple = supports); 0 is a light grey, not white,
# so that "neutral" is a coloured cell and "no public position" (white) stays a different thing.
STANCE_COLOURS = {
    -2: "#B35806",
    -1: "#F1A340",
    0: "#DCDCDC",
    1: "#998EC3",
    2: "#542788",
}
NO_POSITION_COLOUR = "#FFFFFF"
NO_POSITION_TEXT = "#6B6B6B"
MUTED = "#6B6B6B"
ASOF_COLOUR = "#222222"
SINCE_COLOUR = "#FFF3C4"
DISPUTE_COLOUR = "#D55E00"

# Actor types: colour and marker shape together, so no reader depends on colour alone. Styles are
# handed out in the order of the case's vocabulary (analysis.vocabulary: the schema's types, then the
# case's own), so no list of types lives here; a type the case gives a colour keeps that colour.
TYPE_COLOURS = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#F0E442", "#000000",
                "#7F7F7F", "#4D4D4D"]
TYPE_MARKERS = ["o", "s", "D", "^", "v", "P", "X", "p", "h", "*"]
OTHER_TYPE_STYLE = ("#9E9E9E", "o")


@contextlib.contextmanager
def use_style() -> Iterator[None]:
    """Apply the packaged style for the duration of the block (creation and saving of a figure)."""
    with mpl.rc_context(fname=str(STYLE_PATH)):
        yield


def stance_colour(stance: int) -> str:
    """Fill colour for a stance on the -2..+2 scale."""
    return STANCE_COLOURS[int(stance)]


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (WCAG relative luminance)."""
    lum = _relative_luminance(fill)
    return "#FFFFFF" if (1.05) / (lum + 0.05) > (lum + 0.05) / 0.05 else "#000000"


def hollow_edge(colour: str) -> str:
    """Edge colour for a hollow (low-confidence) marker: light colours are darkened to stay visible."""
    if _relative_luminance(colour) <= 0.4:
        return colour
    r, g, b = mpl.colors.to_rgb(colour)
    return mpl.colors.to_hex((r * 0.55, g * 0.55, b * 0.55))


def type_styles(terms) -> dict[str, tuple[str, str]]:
    """``{type: (colour, marker)}`` for the actor types ``terms`` (``{id: Term}`` in vocabulary order).

    The i-th type takes the i-th colour and marker; past the palette the marker steps on by one each
    round, so every pair stays distinct for up to 100 types. A type's own ``colour`` wins."""
    n = len(TYPE_COLOURS)
    out = {}
    for i, (t, term) in enumerate(terms.items()):
        marker = TYPE_MARKERS[(i + i // n) % len(TYPE_MARKERS)]
        out[t] = (getattr(term, "colour", None) or TYPE_COLOURS[i % n], marker)
    return out


def actor_type_style(actor_type: str, styles: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """``(colour, marker)`` for an actor type, from ``styles`` (:func:`type_styles`); grey otherwise."""
    return (styles or {}).get(actor_type, OTHER_TYPE_STYLE)


# -- colour-vision deficiency check ----------------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
DEFICIENCIES = ("normal", *_CVD)


def _to_rgb(colours: Sequence[str]) -> np.ndarray:
    return np.array([mpl.colors.to_rgb(c) for c in colours], dtype=float)


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _gamma(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0.0, 1.0)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)


def _relative_luminance(colour: str) -> float:
    lin = _linear(_to_rgb([colour]))[0]
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def simulate(colours: Sequence[str], deficiency: str) -> np.ndarray:
    """sRGB (0..1) of ``colours`` as seen with ``deficiency`` ("normal" returns them unchanged)."""
    rgb = _to_rgb(colours)
    if deficiency == "normal":
        return rgb
    return _gamma(_linear(rgb) @ _CVD[deficiency].T)


def _lab(rgb: np.ndarray) -> np.ndarray:
    lin = _linear(np.clip(rgb, 0, 1))
    m = np.array(
        [
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ]
    )
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def delta_e2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference between two CIELAB colours (Sharma, Wu & Dalal 2005)."""
    L1, a1, b1 = (float(v) for v in lab1)
    L2, a2, b2 = (float(v) for v in lab2)
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    Cm = (C1 + C2) / 2
    G = 0.5 * (1 - np.sqrt(Cm**7 / (Cm**7 + 25**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp, dCp = L2 - L1, C2p - C1p
    if C1p * C2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dhp / 2))
    Lpm, Cpm = (L1 + L2) / 2, (C1p + C2p) / 2
    if C1p * C2p == 0:
        hpm = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hpm = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hpm = (h1p + h2p + 360) / 2
    else:
        hpm = (h1p + h2p - 360) / 2
    T = (
        1
        - 0.17 * np.cos(np.radians(hpm - 30))
        + 0.24 * np.cos(np.radians(2 * hpm))
        + 0.32 * np.cos(np.radians(3 * hpm + 6))
        - 0.20 * np.cos(np.radians(4 * hpm - 63))
    )
    dtheta = 30 * np.exp(-(((hpm - 275) / 25) ** 2))
    Rc = 2 * np.sqrt(Cpm**7 / (Cpm**7 + 25**7))
    Sl = 1 + 0.015 * (Lpm - 50) ** 2 / np.sqrt(20 + (Lpm - 50) ** 2)
    Sc = 1 + 0.045 * Cpm
    Sh = 1 + 0.015 * Cpm * T
    Rt = -np.sin(np.radians(2 * dtheta)) * Rc
    return float(np.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh)))


def pairwise_distances(colours: Sequence[str], deficiency: str = "normal") -> dict[tuple[int, int], float]:
    """CIEDE2000 distance of every pair of ``colours`` as seen with ``deficiency``."""
    lab = _lab(simulate(colours, deficiency))
    return {(i, j): delta_e2000(lab[i], lab[j]) for i, j in combinations(range(len(colours)), 2)}


def min_distance_under_cvd(colours: Sequence[str], pairs: Sequence[tuple[int, int]] | None = None) -> dict:
    """Smallest pairwise distance for normal vision and each simulated deficiency.

    ``pairs`` restricts the check (e.g. to neighbouring steps of an ordered scale).
    """
    out = {}
    for d in DEFICIENCIES:
        dist = pairwise_distances(colours, d)
        if pairs is not None:
            dist = {p: dist[tuple(sorted(p))] for p in pairs}
        out[d] = min(dist.values()) if dist else float("inf")
    return out
