"""The org-wide history feed: every level change and every review decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mltrl_docs.model import Card, Dossier, Project, TransitionKind


@dataclass(frozen=True, slots=True)
class Event:
    date: dt.date
    project: Project
    card: Card
    kind: str
    """``entered``, ``advance``, ``switchback`` or ``review``."""
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
    order = {"switchback": 0, "advance": 0, "entered": 0, "review": 1}
    return sorted(events, key=lambda e: (-e.date.toordinal(), order[e.kind], e.project.id))


def _move(project: Project, card: Card) -> Event:
    t = card.transition
    if t is None or t.from_level is None or t.kind is None:
        return Event(card.date, project, card, "entered", f"entered MLTRL at level {card.level.number}")
    if t.kind is TransitionKind.SWITCHBACK:
        kind = f"{t.switchback.value} " if t.switchback else ""
        text = f"{kind}switchback from level {t.from_level} to {card.level.number}"
    else:
        text = f"advanced from level {t.from_level} to {card.level.number}"
    return Event(card.date, project, card, t.kind.value, text + (f": {t.reason}" if t.reason else ""))
