"""The org-wide history feed: every level change and every review decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mltrl_docs.messages import Messages, english
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


def history(dossier: Dossier, messages: Messages | None = None) -> list[Event]:
    """Newest first; on the same day, level changes before reviews, then by project. Summaries
    are said in the site's ``messages`` (default: English)."""
    m = messages or english()
    events: list[Event] = []
    for project in dossier.projects.values():
        for card in project.cards:
            events.append(_move(project, card, m))
            for review in card.reviewers:
                if review.date is not None:
                    said = m.text("history.review." + review.decision.value.replace("-", "_"),
                                  name=review.name, level=card.level.number)
                    if review.note:
                        said = m.text("history.review.with_note", review=said, note=review.note)
                    events.append(Event(review.date, project, card, "review", said))
    order = {"switchback": 0, "advance": 0, "entered": 0, "move": 0, "review": 1}
    return sorted(events, key=lambda e: (-e.date.toordinal(), order[e.kind], e.project.id))


def _move(project: Project, card: Card, messages: Messages) -> Event:
    how = move(card, card is project.cards[0], messages)
    t = card.transition
    said = messages.text("transition.with_reason", move=how.text, reason=t.reason) if t and t.reason else how.text
    return Event(card.date, project, card, how.kind, said)
