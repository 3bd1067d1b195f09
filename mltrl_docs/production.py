"""A project's two lines at MLTRL's level 9: the version in production and the next one.

Level 9 means "monitor the version in production and improve the next one", and
its predefined 9 -> 4 switchback develops the next version while the current
one stays deployed. So a project's newest card does not say everything about it:
after 9 -> 4 the project climbs again from level 4 (the *development line*)
while the version of its last level-9 card still runs (the *production line*).

The version in production is the one of the project's last level-9 card, from
that card's date until a card ends it:

- a later level-9 card puts its own version in production (it replaces the old one
  by itself);
- a later card at another level that records ``production: {change: retired}``
  (taken out of service) or ``{change: replaced}`` (replaced by something outside
  the project's cards) ends it on that card's date, and then nothing of the project
  is in production;
- a level-9 card is a living document too: a ``production`` change on it is about
  its own version, which left production on a day the card does not record.

A ``production`` change on a card below level 9 while nothing is in production ends
nothing here; whether such a card makes sense is a rule's business, not this analysis'.

Pure analysis: it reads the model and renders nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from mltrl_docs.messages import Messages, english
from mltrl_docs.model import Card, ProductionChange, Versions

DEPLOYMENT = 9
"""The level whose cards put a version in production."""


class Line(StrEnum):
    """Which of a project's two lines a card stands for."""

    PRODUCTION = "production"
    """The version in production: the last level-9 card, while no later card ended it."""
    DEVELOPMENT = "development"
    """The project's newest card when it is below level 9: the next version climbing."""

    def label(self, messages: Messages | None = None) -> str:
        """``in production``, ``in development``: in the site's ``messages`` (default: English)."""
        return (messages or english()).text(f"production.line.{self.value}")


class Ending(StrEnum):
    """How a version's time in production ended, or that it has not."""

    RUNNING = "running"
    """Still in production: no later card ended it."""
    SUPERSEDED = "superseded"
    """A later level-9 card of the project put the next version in production."""
    RETIRED = ProductionChange.RETIRED.value
    """A card records it was retired (see ``ProductionChange.RETIRED``)."""
    REPLACED = ProductionChange.REPLACED.value
    """A card records it was replaced outside the project (see ``ProductionChange.REPLACED``)."""

    def label(self, messages: Messages | None = None) -> str:
        """``still running``, ``replaced by the next version``, ``retired``, ``replaced outside the
        project``: in the site's ``messages`` (default: English)."""
        return (messages or english()).text(f"production.ending.{self.value}")


@dataclass(frozen=True, slots=True)
class Tenure:
    """One version's time in production: from its level-9 card's date until a card ends it."""

    card: Card
    """The level-9 card that put the version in production."""
    ended_by: Card | None = None
    """The card that ended it: the next level-9 card, or a card that records its retirement
    or replacement outside the project (a later one, or ``card`` itself); None while it runs."""

    @property
    def since(self) -> dt.date:
        return self.card.date

    @property
    def until(self) -> dt.date | None:
        """The day it left production (the ending card's date); None while it runs, and when
        its own level-9 card records the end (that card's date is when it entered production)."""
        if self.ended_by is None or self.ended_by is self.card:
            return None
        return self.ended_by.date

    @property
    def versions(self) -> Versions:
        """The code, model and data versions that run."""
        return self.card.versions

    @property
    def running(self) -> bool:
        return self.ended_by is None

    @property
    def ending(self) -> Ending:
        ended_by = self.ended_by
        if ended_by is None:
            return Ending.RUNNING
        if ended_by.production is None or (ended_by is not self.card and ended_by.level.number == DEPLOYMENT):
            return Ending.SUPERSEDED
        return Ending(ended_by.production.change.value)

    @property
    def reason(self) -> str | None:
        """Why it was retired or replaced outside, as the ending card says; None otherwise."""
        if self.ended_by is None or self.ended_by.production is None or self.ending is Ending.SUPERSEDED:
            return None
        return self.ended_by.production.reason

    def covers(self, date: dt.date) -> bool:
        """True when this version was in production on ``date`` (not on the day it left; when
        the day is not recorded, only on the day it entered production)."""
        if date < self.since:
            return False
        if self.ended_by is None:
            return True
        until = self.until
        return date == self.since if until is None else date < until


@dataclass(frozen=True, slots=True)
class ProductionLines:
    """A project's production history and where its two lines stand now."""

    tenures: tuple[Tenure, ...] = ()
    """Every version that was in production, oldest first; only the last one may still run."""
    current: Card | None = None
    """The project's newest card."""

    @property
    def production(self) -> Tenure | None:
        """The version in production now, if any."""
        last = self.tenures[-1] if self.tenures else None
        return last if last is not None and last.running else None

    @property
    def development(self) -> Card | None:
        """The newest card when it is below level 9 (e.g. v2 at level 4 after 9 -> 4); for a
        project never in production, simply its newest card. None when the newest card is a
        level-9 card: that is the production card, running or ended."""
        if self.current is None or self.current.level.number == DEPLOYMENT:
            return None
        return self.current

    @property
    def both(self) -> bool:
        """True while one version runs and the next one climbs: the two lines to show apart."""
        return self.production is not None and self.development is not None

    def tenure_of(self, card: Card) -> Tenure | None:
        """The time in production this level-9 card started; None for any other card."""
        return next((t for t in self.tenures if t.card is card), None)

    def ended_at(self, card: Card) -> Tenure | None:
        """The time in production this card ended, if it ended one."""
        return next((t for t in self.tenures if t.ended_by is card), None)

    def on(self, date: dt.date) -> Tenure | None:
        """The version that was in production on ``date``, if any."""
        return next((t for t in self.tenures if t.covers(date)), None)


def production_lines(cards: Iterable[Card]) -> ProductionLines:
    """Walk one project's cards in date order and follow its versions in and out of production."""
    ordered = sorted(cards, key=lambda c: c.date)
    tenures: list[Tenure] = []
    running: Card | None = None
    for card in ordered:
        if card.level.number == DEPLOYMENT:
            if running is not None:
                tenures.append(Tenure(running, card))
            running = card
            if card.production is not None:
                tenures.append(Tenure(card, card))
                running = None
        elif card.production is not None and running is not None:
            tenures.append(Tenure(running, card))
            running = None
    if running is not None:
        tenures.append(Tenure(running))
    return ProductionLines(tuple(tenures), ordered[-1] if ordered else None)
