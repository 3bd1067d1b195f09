"""Geometry of a project's level-history timeline (the SVG template draws it).

Levels run up the y axis, time along x. Each card is a point; the time spent at
a level is a horizontal run to the next card; a move between levels is a
vertical step, solid for an advance and dashed for a switchback. The current
level runs to ``as_of``, the build date (``CheckedDossier.today``; a site pins it
with ``build_date`` to keep builds reproducible).

A switchback's step is labelled with its kind. The label sits beside its step,
centred in a gap between two levels, where no point can be (points sit on the
levels); of the places beside the step it takes the first that is inside the
chart and clear of every point, other label and step (``_place``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from mltrl_docs.messages import Messages, english
from mltrl_docs.model import Card, TransitionKind
from mltrl_docs.render.transitions import switchback_name

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 44, 16, 36
MAX_TICKS = 12
"""Year labels on the time axis at most: a long history labels every second, fifth... year."""
POINT_RADIUS = 6
"""Radius of a card's point (the template draws it), in the SVG's user units."""
LABEL_FONT = 11
"""Font size of a step's label, in user units; the template sets it on the label, so that the
room kept for the label does not depend on the stylesheet."""
LABEL_CHAR = 0.72 * LABEL_FONT
"""Width kept per character of a label: wider than a bold sans-serif's average (DejaVu Sans Bold,
the widest common default, is about 0.69 em), so a label never runs past the room it was given."""
LABEL_ASCENT, LABEL_DESCENT = 0.8 * LABEL_FONT, 0.25 * LABEL_FONT
"""Height kept for a label above and below its baseline."""
LABEL_GAP = 4
"""Room between a step and its label."""
CLEARANCE = 1.5
"""Room kept around a point (its outline's half width, and a little air) and either side of a step."""


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    card: Card
    days: int
    """Days spent at this level from this card on: to the next card, or for the current
    level to ``as_of`` (the build date; 0 for a card dated after it)."""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle of the chart, in user units (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True, slots=True)
class Label:
    """Where a step's label is drawn: ``x``, ``y`` (the baseline) and ``anchor`` as SVG's
    ``text-anchor`` takes them (start: the text runs right of x; end: it ends at x)."""

    x: float
    y: float
    anchor: str
    text: str

    @property
    def box(self) -> Box:
        """The room kept for the text (LABEL_CHAR per character)."""
        width = len(self.text) * LABEL_CHAR
        x0 = self.x if self.anchor == "start" else self.x - width
        return Box(x0, self.y - LABEL_ASCENT, x0 + width, self.y + LABEL_DESCENT)


@dataclass(frozen=True, slots=True)
class Step:
    """A move between two cards' levels."""

    x: float
    y1: float
    y2: float
    switchback: bool
    label: str
    placed: Label | None = None
    """Where the label is drawn on the chart (switchbacks only; an advance's is its title)."""


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
    label_font: float = LABEL_FONT


def timeline(cards: Sequence[Card], as_of: dt.date, messages: Messages | None = None) -> Timeline:
    """The timeline of one project's valid cards (in date order), as of the build date ``as_of``;
    the steps' labels in the site's ``messages`` (default: English), which the labels' places
    are chosen for (a longer word takes more room)."""
    m = messages or english()
    if not cards:
        return Timeline(WIDTH, HEIGHT, (), (), (), (), _levels())
    start = cards[0].date
    now = max(as_of, cards[-1].date)
    end = max(as_of, _later(cards[-1].date, 30))
    span = max((end - start).days, 1)

    def x(date: dt.date) -> float:
        return round(LEFT + (date - start).days / span * (WIDTH - LEFT - RIGHT), 1)

    points, runs, steps = [], [], []
    for index, card in enumerate(cards):
        current = index + 1 == len(cards)
        until = now if current else cards[index + 1].date
        days = max(((as_of if current else until) - card.date).days, 0)
        points.append(Point(x(card.date), _y(card.level.number), card, days))
        runs.append(Run(x(card.date), x(until), _y(card.level.number)))
        if index:
            before = cards[index - 1].level.number
            back = card.transition is not None and card.transition.kind is TransitionKind.SWITCHBACK
            kind = card.transition.switchback if back and card.transition else None
            steps.append(Step(x(card.date), _y(before), _y(card.level.number), back,
                              switchback_name(kind, m) if back else m.text("timeline.step.advance")))
    step = -(-(end.year - start.year) // MAX_TICKS) or 1
    ticks = tuple(Tick(x(dt.date(year, 1, 1)), str(year))
                  for year in range(start.year + 1, end.year + 1) if year % step == 0)
    return Timeline(WIDTH, HEIGHT, tuple(points), tuple(runs), _labelled(steps, points), ticks, _levels())


def _labelled(steps: Sequence[Step], points: Sequence[Point]) -> tuple[Step, ...]:
    """The steps, each switchback with its label placed, in date order: a later label keeps
    clear of the earlier ones."""
    r = POINT_RADIUS + CLEARANCE
    points_at = [Box(p.x - r, p.y - r, p.x + r, p.y + r) for p in points]
    lines = [Box(s.x - CLEARANCE, min(s.y1, s.y2), s.x + CLEARANCE, max(s.y1, s.y2)) for s in steps]
    placed: list[Box] = []
    result = []
    for index, step in enumerate(steps):
        if not step.switchback:
            result.append(step)
            continue
        others = lines[:index] + lines[index + 1:]
        label = _place(step, [*points_at, *placed], others)
        placed.append(label.box)
        result.append(Step(step.x, step.y1, step.y2, step.switchback, step.label, label))
    return tuple(result)


def _place(step: Step, solid: Sequence[Box], lines: Sequence[Box]) -> Label:
    """The first place beside ``step`` that is inside the chart and clear of the ``solid``
    boxes (points, labels placed before) and of other steps' ``lines``; else the first clear of
    the solid boxes; else the one that meets the fewest. Places are tried right of the step,
    then left, in each gap between two levels the step spans (nearest its middle first), then
    in the gaps just above and below it."""
    top, bottom = sorted((step.y1, step.y2))
    gap = (HEIGHT - TOP - BOTTOM) / 9 / 2
    spanned = [y + gap for y, _ in _levels() if top <= y < bottom]
    middle = (top + bottom) / 2
    spanned.sort(key=lambda y: abs(y - middle))
    beyond = [y for y in (top - gap, bottom + gap) if TOP < y < HEIGHT - BOTTOM]
    baseline = (LABEL_ASCENT - LABEL_DESCENT) / 2
    candidates = [Label(round(step.x + LABEL_GAP * sign, 1), round(y + baseline, 1), side, step.label)
                  for y in (*spanned, *beyond) for side, sign in (("start", 1), ("end", -1))]

    def cost(label: Label) -> tuple[int, int]:
        box = label.box
        outside = box.x0 < LEFT or box.x1 > WIDTH or box.y0 < 0 or box.y1 > HEIGHT - BOTTOM
        hits = sum(box.overlaps(other) for other in solid) + (len(solid) + 1) * outside
        return hits, sum(box.overlaps(line) for line in lines)

    return min(candidates, key=cost)


def _later(date: dt.date, days: int) -> dt.date:
    """``date`` plus ``days``, stopping at the last representable day (a card dated 9999-12-31
    is reported by the rules, and must not crash the drawing)."""
    return date + dt.timedelta(days=min(days, (dt.date.max - date).days))


def _y(level: int) -> float:
    return round(TOP + (9 - level) / 9 * (HEIGHT - TOP - BOTTOM), 1)


def _levels() -> tuple[tuple[float, int], ...]:
    return tuple((_y(n), n) for n in range(10))
