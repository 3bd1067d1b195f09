"""Geometry of a project's level-history timeline (the SVG template draws it).

Levels run up the y axis, time along x. Each card is a point; the time spent at
a level is a horizontal run to the next card; a move between levels is a
vertical step, solid for an advance and dashed for a switchback. The current
level runs to ``as_of`` (the newest card in the dossier), which keeps builds
reproducible: no page depends on the day it was built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from mltrl_docs.model import Card, TransitionKind

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 44, 16, 36
MAX_TICKS = 12
"""Year labels on the time axis at most: a long history labels every second, fifth... year."""


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    card: Card
    days: int
    """Days spent at this level from this card on (to the next card; the current level
    to as_of, the newest card date in the dossier, or 30 days past its own date)."""


@dataclass(frozen=True, slots=True)
class Step:
    """A move between two cards' levels."""

    x: float
    y1: float
    y2: float
    switchback: bool
    label: str


@dataclass(frozen=True, slots=True)
class Run:
    """Time at one level."""

    x1: float
    x2: float
    y: float


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    points: tuple[Point, ...]
    runs: tuple[Run, ...]
    steps: tuple[Step, ...]
    ticks: tuple[Tick, ...]
    levels: tuple[tuple[float, int], ...]
    """(y, level) for the axis labels."""


def timeline(cards: Sequence[Card], as_of: dt.date) -> Timeline:
    """The timeline of one project's valid cards (in date order)."""
    if not cards:
        return Timeline(WIDTH, HEIGHT, (), (), (), (), _levels())
    start = cards[0].date
    end = max(as_of, _later(cards[-1].date, 30))
    span = max((end - start).days, 1)

    def x(date: dt.date) -> float:
        return round(LEFT + (date - start).days / span * (WIDTH - LEFT - RIGHT), 1)

    points, runs, steps = [], [], []
    for index, card in enumerate(cards):
        until = cards[index + 1].date if index + 1 < len(cards) else end
        points.append(Point(x(card.date), _y(card.level.number), card, (until - card.date).days))
        runs.append(Run(x(card.date), x(until), _y(card.level.number)))
        if index:
            before = cards[index - 1].level.number
            back = card.transition is not None and card.transition.kind is TransitionKind.SWITCHBACK
            kind = card.transition.switchback.value if back and card.transition and card.transition.switchback else ""
            steps.append(Step(x(card.date), _y(before), _y(card.level.number), back,
                              f"{kind} switchback" if back else "advance"))
    step = -(-(end.year - start.year) // MAX_TICKS) or 1
    ticks = tuple(Tick(x(dt.date(year, 1, 1)), str(year))
                  for year in range(start.year + 1, end.year + 1) if year % step == 0)
    return Timeline(WIDTH, HEIGHT, tuple(points), tuple(runs), tuple(steps), ticks, _levels())


def _later(date: dt.date, days: int) -> dt.date:
    """``date`` plus ``days``, stopping at the last representable day (a card dated 9999-12-31
    is reported by the rules, and must not crash the drawing)."""
    return date + dt.timedelta(days=min(days, (dt.date.max - date).days))


def _y(level: int) -> float:
    return round(TOP + (9 - level) / 9 * (HEIGHT - TOP - BOTTOM), 1)


def _levels() -> tuple[tuple[float, int], ...]:
    return tuple((_y(n), n) for n in range(10))
