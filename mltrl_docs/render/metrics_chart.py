"""Geometry of the metrics page's chart: requirements verified and listed across the org
over time (``templates/mltrl/metrics.svg`` only draws it).

Both series are step lines: a count holds from one card date until the next, and the
last one runs to ``end`` (the build date, or the newest card if that is later), like
the time at a level does. Time runs along x, the requirement count up y from 0.
``pages`` puts the metrics and the chart together as the metrics page's context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mltrl_docs.messages import Messages, english
from mltrl_docs.metrics import VerifiedPoint

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 64
"""Margins: room for the count labels on the left, the dates and axis title below."""
MAX_X_TICKS = 12
MAX_Y_TICKS = 6


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    """x for a date tick, y for a count tick."""
    label: str


@dataclass(frozen=True, slots=True)
class Vertex:
    """One date of the series: where both lines step."""

    x: float
    verified_y: float
    listed_y: float
    point: VerifiedPoint


@dataclass(frozen=True, slots=True)
class MetricsChart:
    width: int
    height: int
    x0: float
    x1: float
    y0: float
    """The plot area's bottom (count 0)."""
    y1: float
    """The plot area's top (the highest count tick)."""
    vertices: tuple[Vertex, ...]
    verified: str
    """SVG path data of the verified step line ("" without points)."""
    listed: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    start: dt.date | None
    end: dt.date | None

    @property
    def empty(self) -> bool:
        return not self.vertices


def metrics_chart(points: Sequence[VerifiedPoint], today: dt.date, messages: Messages | None = None) -> MetricsChart:
    """The chart of an org series (``metrics.org_series``: dates ascending); its dates in the
    site's ``messages`` (default: English)."""
    x0, x1, y0, y1 = float(LEFT), float(WIDTH - RIGHT), float(HEIGHT - BOTTOM), float(TOP)
    if not points:
        return MetricsChart(WIDTH, HEIGHT, x0, x1, y0, y1, (), "", "", (), _count_ticks(1, y0, y1)[1],
                            None, None)
    start, end = points[0].date, max(today, points[-1].date)
    span = max((end - start).days, 1)
    top, y_ticks = _count_ticks(max(p.listed for p in points), y0, y1)

    def x(date: dt.date) -> float:
        return round(x0 + (date - start).days / span * (x1 - x0), 1)

    def y(count: int) -> float:
        return round(y0 - count / top * (y0 - y1), 1)

    vertices = tuple(Vertex(x(p.date), y(p.verified), y(p.listed), p) for p in points)
    return MetricsChart(WIDTH, HEIGHT, x0, x1, y0, y1, vertices,
                        _steps([(v.x, v.verified_y) for v in vertices], x(end)),
                        _steps([(v.x, v.listed_y) for v in vertices], x(end)),
                        _date_ticks(start, end, x, messages or english()), y_ticks, start, end)


def _steps(corners: Sequence[tuple[float, float]], end_x: float) -> str:
    """A step line: each value holds flat until the next date, then steps to its value."""
    first_x, first_y = corners[0]
    parts = [f"M{first_x} {first_y}"]
    for x, y in corners[1:]:
        parts.append(f"H{x} V{y}")
    parts.append(f"H{end_x}")
    return " ".join(parts)


def _count_ticks(highest: int, y0: float, y1: float) -> tuple[int, tuple[Tick, ...]]:
    """(the axis' top count, its ticks): a 1-2-5 step with at most MAX_Y_TICKS steps, so the
    labels are round numbers and the highest count is on or under the top tick."""
    highest = max(highest, 1)
    step = 1
    while -(-highest // step) > MAX_Y_TICKS - 1:
        step = _next_step(step)
    top = -(-highest // step) * step
    return top, tuple(Tick(round(y0 - count / top * (y0 - y1), 1), str(count)) for count in range(0, top + 1, step))


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, ..."""
    digits = str(step)
    lead, zeros = int(digits[0]), len(digits) - 1
    return {1: 2, 2: 5, 5: 10}[lead] * 10 ** zeros


def _date_ticks(start: dt.date, end: dt.date, x: Callable[[dt.date], float], messages: Messages) -> tuple[Tick, ...]:
    """Year ticks (every year, or every 2nd, 5th... for a long span); for a span with fewer
    than two new years in it, month ticks instead, so a short history still has a scale;
    within one month, its first and last dates."""
    years = list(range(start.year + 1, end.year + 1))
    if len(years) >= 2:
        step = -(-len(years) // MAX_X_TICKS)
        return tuple(Tick(x(dt.date(year, 1, 1)), str(year)) for year in years if year % step == 0)
    months = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        if year > end.year or (year == end.year and month > end.month):
            break
        months.append(dt.date(year, month, 1))
    if not months:
        return tuple(Tick(x(day), messages.date(day)) for day in sorted({start, end}))
    step = -(-len(months) // MAX_X_TICKS)
    return tuple(Tick(x(day), messages.year_month(day)) for index, day in enumerate(months)
                 if index % step == 0)
