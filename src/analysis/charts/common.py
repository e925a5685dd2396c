"""The names every chart module shares, in one import: the ``Chart`` and its export
(:mod:`analysis.charts.chart`), layout (:mod:`analysis.charts.layout`) and wording
(:mod:`analysis.charts.captions`). Kept so that ``from analysis.charts.common import ...`` in
notebooks and tests goes on working; new code imports from the module that defines the name."""

from analysis.charts.captions import chart_as_of, flat_ids, fmt_event_date, source_line, source_names
from analysis.charts.chart import Chart, empty_chart, to_png, to_svg
from analysis.charts.layout import (
    MARGIN,
    PT,
    Frame,
    Measurer,
    boxes_overlap,
    date_num,
    date_nums,
    new_frame,
    place_in_tiers,
)

__all__ = [
    "MARGIN",
    "PT",
    "Chart",
    "Frame",
    "Measurer",
    "boxes_overlap",
    "chart_as_of",
    "date_num",
    "date_nums",
    "empty_chart",
    "flat_ids",
    "fmt_event_date",
    "new_frame",
    "place_in_tiers",
    "source_line",
    "source_names",
    "to_png",
    "to_svg",
]
