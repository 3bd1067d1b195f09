"""Rules on a project's history and system (scope PROJECT): reported, never lowering an
earned level. ``ctx.card`` is the project's current card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from mltrl_docs.findings import Position
from mltrl_docs.gates.locate import body_start, where
from mltrl_docs.gates.rule import Context, Shortfall
from mltrl_docs.model import Card, Dossier, SwitchbackKind, TransitionKind
from mltrl_docs.provenance import Commit, ProvenanceReport
from mltrl_docs.readiness import SystemReadiness


def debrief(ctx: Context) -> Iterator[Shortfall]:
    """Every card the project has left (all but its current one) has an answered stage debrief."""
    for card in ctx.project.cards[:-1]:
        if not card.body.debrief_answered:
            yield debrief_shortfall(ctx, card, left=True)


def debrief_shortfall(ctx: Context, card: Card, left: bool) -> Shortfall:
    section = card.body.debrief
    state = ("has no Stage debrief" if section is None
             else "has a Stage debrief that only repeats MLTRL's questions")
    lead = f"the project has left this level-{card.level.number} card, but it" if left \
        else f"the level-{card.level.number} card"
    return Shortfall(
        "debrief", card, f"{lead} {state}",
        Position(section.line, 1) if section is not None else body_start(card), "body",
        "answer under '## Stage debrief': what was accomplished and by whom, what was punted, "
        "what was learned, what tech debt was gained or mitigated",
        "Answer the Stage debrief (accomplished, punted, learned, tech debt)",
    )


def switchback_known(ctx: Context) -> Iterator[Shortfall]:
    """A switchback goes to a level the project held before (an earlier card at that level)."""
    held: set[int] = set()
    for card in ctx.project.cards:
        number = card.level.number
        t = card.transition
        if t is not None and t.kind is TransitionKind.SWITCHBACK and number not in held:
            yield ctx.shortfall(
                card, f"the project switches back to level {number}, which it has never held before",
                where(card, "transition", "kind"), "transition.kind",
                "MLTRL switches back only into work the team did: check the level, "
                f"or add the project's earlier level-{number} card",
                f"Check the switchback to level {number}",
            )
        held.add(number)


def embedded_switchback(ctx: Context) -> Iterator[Shortfall]:
    """An embedded switchback is one of the pairs MLTRL predefines (4 to 2, 9 to 4)."""
    previous: Card | None = None
    pairs = ctx.option("pairs")
    allowed = ", ".join(f"{a} to {b}" for a, b in sorted(pairs, reverse=True))
    for card in ctx.project.cards:
        t = card.transition
        if t is not None and t.kind is TransitionKind.SWITCHBACK and t.switchback is SwitchbackKind.EMBEDDED:
            start = t.from_level if t.from_level is not None else (
                previous.level.number if previous is not None else None)
            if start is not None and (start, card.level.number) not in pairs:
                yield ctx.shortfall(
                    card, f"an embedded switchback from level {start} to level {card.level.number} is not one "
                    f"MLTRL predefines (allowed: {allowed or 'none'})",
                    where(card, "transition", "switchback"), "transition.switchback",
                    "use switchback: discovery or review for an unplanned return, "
                    "or add the pair to the embedded-switchback setting",
                    f"Check the embedded switchback from level {start} to level {card.level.number}",
                )
        previous = card


def last_change(card: Card, provenance: ProvenanceReport, today: dt.date) -> tuple[dt.date, Commit | None]:
    """When the card last changed: the later of its ``date`` and, when git knows the file, its
    last commit (a card with changes not committed yet, or not committed at all, changes
    ``today``); with the commit, when it is that commit."""
    history = provenance.file(card.path)
    if history is not None and (history.local_changes or history.untracked):
        return max(today, card.date), None
    commit = history.changed if history is not None else None
    if commit is not None and commit.committed.date() > card.date:
        return commit.committed.date(), commit
    return card.date, None


def stale(ctx: Context) -> Iterator[Shortfall]:
    """The current card has changed within the set number of days: by git when the provenance
    was read, else since its date."""
    card, days = ctx.card, ctx.option("days")
    changed, commit = last_change(card, ctx.provenance, ctx.today)
    age = (ctx.today - changed).days
    if age > days:
        since = (f"last changed in commit {commit.short} on {changed.isoformat()}" if commit is not None
                 else f"entered {card.date.isoformat()}, no later change known")
        yield ctx.shortfall(
            card, f"the current level-{card.level.number} card has been unchanged for {age} days ({since}); "
            f"stale flags a current card unchanged for more than {days} days",
            where(card, "date"), "date",
            "bring the card up to date (requirement statuses, evidence, the debrief so far), or write the next "
            "card if the project has moved on",
            "Bring the current card up to date",
        )


def coupled_readiness(ctx: Context) -> Iterator[Shortfall]:
    """Where the system stands lower than the project, name the system's level and the
    member that limits it."""
    card = ctx.card
    readiness: SystemReadiness = ctx.system["readiness"][ctx.project.id]
    own = ctx.system["earned"].get(ctx.project.id)
    if readiness.level is None or own is None or readiness.level >= own or not readiness.coupled:
        return
    names = ", ".join(project_name(ctx.dossier, other, ctx.system["earned"]) for other in readiness.limiting)
    yield ctx.shortfall(
        card, f"the system this project is coupled with stands at earned level {readiness.level} "
        f"(declared {readiness.declared}), below this project's earned level {own}; limited by {names}",
        where(card, "coupled"), "coupled",
        "a system is as ready as its least ready part: plan the integration with the limiting project",
        f"Bring the coupled system up from level {readiness.level} ({names})",
    )


def project_name(dossier: Dossier, project_id: str, earned: dict[str, int | None]) -> str:
    other = dossier.projects.get(project_id)
    current = other.current if other is not None else None
    if current is None:
        return project_id
    stands = earned.get(project_id)
    shown = f"earns level {stands}" if stands is not None and stands != current.level.number else \
        f"level {current.level.number}"
    return f"{project_id} ({current.title}, {shown})"
