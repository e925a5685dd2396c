"""Laying a chart out on paper: sizes in points and inches, text measured from the fonts' glyph
advances, a deterministic placer for labels in tiers, and the frame (title, notes, content, footer)
that sizes each figure to what it holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags

from analysis import wording
from analysis.charts.style import FONT_FAMILY, MUTED, use_style
from analysis.dates import to_date

PT = 1 / 72  # one point in inches
MM = 1 / 25.4  # one millimetre in inches

# Charts are drawn at the size they are printed, so that one point here is one point on paper: the
# text width of an A4 page less the 18 mm side margins of the template's @page rule
# (templates/casebrief/static/brief.css; a test keeps the two equal).
PAGE_WIDTH = 210 * MM
PAGE_SIDE_MARGIN = 18 * MM
TEXT_WIDTH = PAGE_WIDTH - 2 * PAGE_SIDE_MARGIN
PAGE_TEXT_HEIGHT = (297 - 22 - 20) * MM  # A4 less the top and bottom margins of the same rule
MAX_HEIGHT = PAGE_TEXT_HEIGHT - 0.5  # a figure and its caption fit one page
MIN_TEXT = 7.0  # points: the smallest text a chart prints

# Frame sizes: text in points, space in inches.
TITLE_SIZE = 9.5
NOTE_SIZE = 8.0
FOOT_SIZE = 7.0
MARGIN = 0.12


def date_num(value: object) -> float:
    """Matplotlib's date number of a day (midnight)."""
    return float(mdates.date2num(pd.Timestamp(to_date(value))))


def date_nums(values: pd.Series) -> np.ndarray:
    """Matplotlib date numbers of a column of timestamps, in one vectorised call."""
    return np.asarray(
        mdates.date2num(pd.to_datetime(pd.Series(values)).dt.normalize().to_numpy()), dtype=float
    )


class Measurer:
    """Measures text in points from the fonts' glyph advances (font fallback included).

    Summing advances (cached per character) is about a thousand times faster than a renderer layout
    per string, which matters when hundreds of labels are wrapped and placed. Hinting makes rendered
    text up to 5 % wider than the sum of advances at 100 dpi (less at 200 dpi), so widths are padded
    by 6 %: a layout errs on the side of room.
    """

    PAD = 1.06

    def __init__(self):
        self._fonts: dict[str, list] = {}
        self._adv: dict[tuple[str, str], float] = {}

    def _chain(self, weight: str) -> list:
        if weight not in self._fonts:
            fonts = []
            for fam in FONT_FAMILY:
                try:
                    path = findfont(FontProperties(family=[fam], weight=weight), fallback_to_default=False)
                except ValueError:  # a font of the chain is not installed: the next one may have the glyph
                    continue
                if not any(f.fname == path for f in fonts):
                    fonts.append(get_font(path))
            self._fonts[weight] = fonts or [get_font(findfont(FontProperties(weight=weight)))]
        return self._fonts[weight]

    def _advance(self, ch: str, weight: str) -> float:
        """Advance of ``ch`` in points for a 1-point font."""
        key = (ch, weight)
        if key not in self._adv:
            adv = None
            for font in self._chain(weight):
                if font.get_char_index(ord(ch)):
                    font.set_size(100, 72)
                    adv = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / 100
                    break
            self._adv[key] = adv if adv is not None else 1.0  # unknown glyph: a full em
        return self._adv[key]

    def size(
        self, text: str, fontsize: float, weight: str = "normal", style: str = "normal"
    ) -> tuple[float, float]:
        """``(width, height)`` in points of a text (multi-line aware)."""
        lines = str(text).split("\n")
        w = max(sum(self._advance(c, weight) for c in line) for line in lines)
        return w * fontsize * self.PAD, len(lines) * fontsize * 1.2

    def width(self, text: str, fontsize: float, weight: str = "normal", style: str = "normal") -> float:
        return self.size(text, fontsize, weight, style)[0]

    def wrap(
        self,
        text: str,
        width_pt: float,
        fontsize: float,
        weight: str = "normal",
        max_lines: int | None = None,
    ) -> str:
        """Greedy word wrap to ``width_pt``; with ``max_lines``, the last line ends in an ellipsis."""
        words = str(text).split()
        if not words:
            return ""
        lines: list[str] = []
        line = words[0]
        for w in words[1:]:
            trial = f"{line} {w}"
            if self.width(trial, fontsize, weight) <= width_pt:
                line = trial
            else:
                lines.append(line)
                line = w
        lines.append(line)
        lines = [self.truncate(ln, width_pt, fontsize, weight) for ln in lines]
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.truncate(lines[-1] + " \u2026", width_pt, fontsize, weight, force=True)
        return "\n".join(lines)

    def truncate(
        self, text: str, width_pt: float, fontsize: float, weight: str = "normal", force: bool = False
    ) -> str:
        """Shorten ``text`` with an ellipsis until it fits ``width_pt``."""
        if not force and self.width(text, fontsize, weight) <= width_pt:
            return text
        base = text.rstrip(" \u2026")
        while base and self.width(base + "\u2026", fontsize, weight) > width_pt:
            base = base[:-1]
        return base.rstrip() + "\u2026"


# -- label placement -------------------------------------------------------------------------------
def place_in_tiers(
    items: Sequence[tuple[float, float]],
    lo: float,
    hi: float,
    tiers: int,
    gap: float = 4.0,
    flag: bool = True,
) -> list[tuple[int, float] | None]:
    """Place labels of width ``w`` anchored at ``x`` into horizontal tiers without overlap.

    ``items`` are ``(anchor, width)`` in one unit (points); tier 0 is nearest the marks, and each
    label hangs on a pole from its anchor. With ``flag`` (the default) a label starts just right of
    its pole or ends just left of it; otherwise it is centred on its anchor where it can be. A few
    greedy strategies are tried (flags pointing right, left, or away from the middle; tiers filled
    from the bottom or from the top, then compacted) and the layout that places the most labels,
    then has the fewest poles crossing other labels, then uses the fewest tiers, wins. Returns
    ``(tier, left)`` per item, or ``None`` where no tier had room. Deterministic.
    """
    if not items:
        return []
    strategies = ("right", "left", "outward") if flag else ("centre",)
    best = None
    for prefer in strategies:
        for top_down in (False, True):
            out = _greedy_tiers(items, lo, hi, tiers, gap, prefer, top_down)
            placed = sum(p is not None for p in out)
            used = max((p[0] + 1 for p in out if p), default=0)
            score = (placed, -pole_crossings(items, out), -used)
            if best is None or score > best[0]:
                best = (score, out)
    return best[1]


def pole_crossings(items: Sequence[tuple[float, float]], placed: Sequence[tuple[int, float] | None]) -> int:
    """How many labels a pole passes behind on its way up from tier 0 to its own label."""
    n = 0
    for (anchor, _), p in zip(items, placed, strict=True):
        if p is None:
            continue
        for (_, w2), q in zip(items, placed, strict=True):
            if q is not None and q[0] < p[0] and q[1] <= anchor <= q[1] + w2:
                n += 1
    return n


def _greedy_tiers(items, lo, hi, tiers, gap, prefer, top_down) -> list[tuple[int, float] | None]:
    mid = (lo + hi) / 2
    reverse = prefer == "left"
    order = sorted(range(len(items)), key=lambda i: (items[i][0], i), reverse=reverse)
    taken: list[list[tuple[float, float]]] = [[] for _ in range(tiers)]
    out: list[tuple[int, float] | None] = [None] * len(items)
    tier_order = range(tiers - 1, -1, -1) if top_down else range(tiers)
    for i in order:
        anchor, w = items[i]
        right, left_hang = anchor + 1.5, anchor - 1.5 - w
        if prefer == "centre":
            candidates = [min(max(anchor - w / 2, lo, anchor + 2 - w), hi - w, anchor - 2), right, left_hang]
        elif prefer == "left" or (prefer == "outward" and anchor > mid):
            candidates = [left_hang, right]
        else:
            candidates = [right, left_hang]
        candidates = [c for c in candidates if lo <= c and c + w <= hi]
        for t in tier_order:
            choice = next(
                (c for c in candidates if all(c + w + gap <= x0 or c >= x1 + gap for x0, x1 in taken[t])),
                None,
            )
            if choice is not None:
                out[i] = (t, choice)
                taken[t].append((choice, choice + w))
                break
    if top_down:  # drop the empty tiers, keeping the order of the others
        used = sorted({p[0] for p in out if p})
        rank = {t: k for k, t in enumerate(used)}
        out = [(rank[p[0]], p[1]) if p else None for p in out]
    return out


def boxes_overlap(a, b, pad: float = 0.0) -> bool:
    """True when two matplotlib Bboxes overlap (used by the tests and by layout checks)."""
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0)


# -- frame -----------------------------------------------------------------------------------------
class Frame:
    """A figure laid out in inches: title and notes on top, content, then the footer.

    The chart modules compute how tall their content must be (lanes, tiers, rows) and ask the frame
    for a figure of that height, so nothing is squeezed or clipped and no automatic layout pass runs.
    """

    def __init__(self, width: float):
        self.width = width
        self.fig = Figure(figsize=(width, 4))
        FigureCanvasAgg(self.fig)
        self.m = Measurer()

    def text_block(self, title: str, notes: Sequence[str]) -> tuple[str, list[str], float]:
        inner = (self.width - 2 * MARGIN) * 72
        t = self.m.wrap(title, inner, TITLE_SIZE, "bold", max_lines=3)
        ns = [self.m.wrap(n, inner, NOTE_SIZE, max_lines=3) for n in notes if n]
        h = (t.count("\n") + 1) * TITLE_SIZE * 1.25 * PT
        h += sum((n.count("\n") + 1) * NOTE_SIZE * 1.3 * PT for n in ns)
        return t, ns, h + 0.08

    def footer_block(self, source: str, as_of: dt.date) -> tuple[str, str, float]:
        asof = f"As of {wording.day(as_of)}"
        avail = (self.width - 2 * MARGIN) * 72 - self.m.width(asof, FOOT_SIZE) - 18
        s = self.m.wrap(source, avail, FOOT_SIZE, max_lines=2)
        return s, asof, (s.count("\n") + 1) * FOOT_SIZE * 1.3 * PT + 0.06

    def finish(
        self, height: float, title: str, notes: Sequence[str], source: str, as_of: dt.date
    ) -> tuple[Figure, float, float]:
        """Size the figure and draw title, notes and footer; returns ``(fig, top, bottom)`` in inches:
        the content may use the band between ``bottom`` and ``top`` (measured from the figure bottom)."""
        fig = self.fig
        t, ns, head_h = self.text_block(title, notes)
        s, asof, foot_h = self.footer_block(source, as_of)
        total = height + head_h + foot_h + 2 * MARGIN
        fig.set_size_inches(self.width, total)
        y = total - MARGIN
        fig.text(
            MARGIN / self.width,
            y / total,
            t,
            ha="left",
            va="top",
            fontsize=TITLE_SIZE,
            fontweight="bold",
            gid="title",
        )
        y -= (t.count("\n") + 1) * TITLE_SIZE * 1.25 * PT
        for n in ns:
            fig.text(
                MARGIN / self.width,
                y / total,
                n,
                ha="left",
                va="top",
                fontsize=NOTE_SIZE,
                color=MUTED,
                gid="note",
            )
            y -= (n.count("\n") + 1) * NOTE_SIZE * 1.3 * PT
        fig.text(
            MARGIN / self.width,
            MARGIN / total,
            s,
            ha="left",
            va="bottom",
            fontsize=FOOT_SIZE,
            color=MUTED,
            gid="source-line",
        )
        fig.text(
            1 - MARGIN / self.width,
            MARGIN / total,
            asof,
            ha="right",
            va="bottom",
            fontsize=FOOT_SIZE,
            color=MUTED,
            gid="as-of-note",
        )
        top = total - MARGIN - head_h
        bottom = MARGIN + foot_h
        return fig, top, bottom

    def axes(self, left: float, bottom: float, width: float, height: float, **kw):
        """Add axes at a rectangle given in inches."""
        w, h = self.fig.get_size_inches()
        return self.fig.add_axes((left / w, bottom / h, width / w, height / h), **kw)


def new_frame(width: float) -> Frame:
    with use_style():
        return Frame(width)
