"""Geometry of a view's charts: a bar or pie chart of a grouped answer's group sizes
(``templates/mltrl/view_bar.svg`` and ``view_pie.svg`` only draw it).

Both are drawn at a fixed size in SVG units that the page scales to its column: the
width is small enough that the labels stay readable on a phone (390 px: about 0.8 of
it), and every label is text in the drawing, so a screen reader, search and paper
read the group names and counts as they read the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from mltrl_docs.findings import cut

COLOURS = 8
"""Pie slices take the classes ``mltrl-view-c1`` .. ``c8`` in turn (mltrl.css colours them per scheme)."""

BAR_WIDTH = 420
BAR_ROW = 40
"""A group's height: its label on one line, its bar under it."""
BAR_TOP = 2
BAR_HEIGHT = 14
BAR_ROOM = 56
"""Room right of the longest bar for its count."""
BAR_LABEL = 50
"""Characters of a group's name shown above its bar (the whole name is its tooltip)."""

PIE_WIDTH = 420
PIE_RADIUS = 70
PIE_CENTRE = 4 + PIE_RADIUS
PIE_LEGEND_X = 2 * PIE_CENTRE + 16
PIE_LEGEND_ROW = 24
PIE_LABEL = 22
"""Characters of a group's name in the legend beside the pie."""


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    """The group's name as shown (cut to ``BAR_LABEL`` characters)."""
    name: str
    """The whole name."""
    count: int
    label_y: float
    """The label's baseline."""
    bar_y: float
    width: float
    """The bar's length; the count is written right after it."""


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Slice:
    label: str
    """The group's name as the legend shows it (cut to ``PIE_LABEL`` characters)."""
    name: str
    count: int
    percent: int
    """Its share of the whole, rounded to a whole percent."""
    colour: int
    """1 .. COLOURS: the class ``mltrl-view-c<colour>``."""
    path: str
    """SVG path data of the slice; "" when it is the whole pie (drawn as a circle)."""
    legend_y: float
    """The baseline of its legend line."""


@dataclass(frozen=True, slots=True)
class PieChart:
    width: int
    height: int
    cx: float
    cy: float
    radius: float
    legend_x: float
    slices: tuple[Slice, ...]
    total: int


def bar_chart(groups: Sequence[tuple[str, int]]) -> BarChart:
    """One horizontal bar per (name, count), in the order given (the answer's: largest first),
    scaled so that the largest fills the width left after its count."""
    largest = max((count for _, count in groups), default=1) or 1
    room = BAR_WIDTH - BAR_ROOM
    bars = tuple(Bar(cut(name, BAR_LABEL), name, count, BAR_TOP + index * BAR_ROW + 15,
                     BAR_TOP + index * BAR_ROW + 21, round(max(count / largest * room, 2.0), 1))
                 for index, (name, count) in enumerate(groups))
    return BarChart(BAR_WIDTH, BAR_TOP + len(groups) * BAR_ROW + 2, BAR_HEIGHT, bars)


def pie_chart(groups: Sequence[tuple[str, int]]) -> PieChart:
    """One slice per (name, count), clockwise from twelve o'clock in the order given, and a
    legend line per slice beside the pie: its colour, name, count and share."""
    total = sum(count for _, count in groups)
    height = max(2 * PIE_CENTRE, 8 + len(groups) * PIE_LEGEND_ROW)
    cy = height / 2
    legend_top = cy - len(groups) * PIE_LEGEND_ROW / 2
    slices: list[Slice] = []
    start = 0
    for index, (name, count) in enumerate(groups):
        end = start + count
        path = "" if total == 0 or count == total else _slice(PIE_CENTRE, cy, PIE_RADIUS, start / total, end / total)
        slices.append(Slice(cut(name, PIE_LABEL), name, count, round(100 * count / total) if total else 0,
                            index % COLOURS + 1, path, round(legend_top + index * PIE_LEGEND_ROW + 17, 1)))
        start = end
    return PieChart(PIE_WIDTH, math.ceil(height), PIE_CENTRE, cy, PIE_RADIUS, PIE_LEGEND_X, tuple(slices), total)


def _slice(cx: float, cy: float, radius: float, start: float, end: float) -> str:
    """The wedge from ``start`` to ``end`` (fractions of a turn, clockwise from twelve o'clock)."""
    x0, y0 = _point(cx, cy, radius, start)
    x1, y1 = _point(cx, cy, radius, end)
    large = 1 if end - start > 0.5 else 0
    return f"M{_n(cx)} {_n(cy)} L{x0} {y0} A{_n(radius)} {_n(radius)} 0 {large} 1 {x1} {y1} Z"


def _point(cx: float, cy: float, radius: float, turn: float) -> tuple[str, str]:
    angle = 2 * math.pi * turn
    return _n(cx + radius * math.sin(angle)), _n(cy - radius * math.cos(angle))


def _n(value: float) -> str:
    """A coordinate in SVG path data: two decimals at most, none when whole (``74``, ``130.63``)."""
    return f"{round(value, 2):g}"
