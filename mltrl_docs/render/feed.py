"""The org-wide history feed: every level change and every review decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mltrl_docs.model import Card, Dossier, Project
from mltrl_docs.render.transitions import move


@dataclass(frozen=True, slots=True)
class Event:
    date: dt.date
    project: Project
    card: Card
    kind: str
    """``entered``, ``advance``, ``switchback``, ``move`` (a later card naming no kind) or ``review``."""
    summary: str


def history(dossier: Dossier) -> list[Event]:
    """Newest first; on the same day, level changes before reviews, then by project."""
    events: list[Event] = []
    for project in dossier.projects.values():
        for card in project.cards:
            events.append(_move(project, card))
            for review in card.reviewers:
                if review.date is not None:
                    note = f": {review.note}" if review.note else ""
                    events.append(Event(review.date, project, card, "review",
                                        f"{review.name} {review.decision.value} the level-{card.level.number} "
                                        f"card{note}"))
    order = {"switchback": 0, "advance": 0, "entered": 0, "move": 0, "review": 1}
    return sorted(events, key=lambda e: (-e.date.toordinal(), order[e.kind], e.project.id))


def _move(project: Project, card: Card) -> Event:
    how = move(card, first=card is project.cards[0])
    t = card.transition
    reason = f": {t.reason}" if t is not None and t.reason else ""
    return Event(card.date, project, card, how.kind, how.text + reason)
