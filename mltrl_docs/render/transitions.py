"""How a project came to a card's level, in words: written once here, used by every page that
says it (the dossier's level history, the card page, the history feed).

A project may enter MLTRL at any level, so a project's first card names no ``from``; it may
still say ``kind: advance`` (it advanced into MLTRL, in a way), and must then read "entered
MLTRL at level 6", never "advance from LNone". A later card without ``from`` is reported by
the rules; its move is said without the level it left.
"""

from __future__ import annotations

from dataclasses import dataclass

from mltrl_docs.messages import Messages, english
from mltrl_docs.model import Card, SwitchbackKind, Transition, TransitionKind


@dataclass(frozen=True, slots=True)
class Move:
    kind: str
    """``entered`` (a project's first card, unless it names a level it came from), ``advance``,
    ``switchback`` or ``move`` (a later card that names no kind)."""
    text: str
    """``entered MLTRL at level 6``, ``advanced from level 3 to 4``, ``review switchback from
    level 7 to 5`` (without the reason), in the language of the messages it was made with."""


def move(card: Card, first: bool, messages: Messages | None = None) -> Move:
    """How the project came to ``card``'s level; ``first``: the card is the project's first.
    Said in the site's ``messages`` (default: English)."""
    return move_to(card.transition, card.level.number, first, messages)


def move_to(t: Transition | None, to: int, first: bool, messages: Messages | None = None) -> Move:
    """``move`` of a card known by its transition and level alone (a bundle's card: ``readiness_diff``)."""
    m = messages or english()
    if t is None or (t.from_level is None and (first or t.kind is None)):
        if first:
            return Move("entered", m.text("transition.entered", to_level=to))
        return Move("move", m.text("transition.moved_to", to_level=to))
    came = "from" if t.from_level is not None else "to"
    levels = {"from_level": t.from_level, "to_level": to}
    if t.kind is TransitionKind.SWITCHBACK:
        return Move("switchback", m.text(f"transition.switchback_{came}",
                                         switchback=switchback_name(t.switchback, m), **levels))
    if t.kind is TransitionKind.ADVANCE:
        return Move("advance", m.text(f"transition.advanced_{came}", **levels))
    return Move("move", m.text(f"transition.moved_{came}", **levels))


def switchback_name(kind: SwitchbackKind | None, messages: Messages | None = None) -> str:
    """``review switchback``; plain ``switchback`` when the card names no kind."""
    return (messages or english()).text(f"switchback.{kind.value if kind else 'none'}")


def transition_text(card: Card, first: bool, messages: Messages | None = None) -> str:
    """``move(card, first, messages).text``: the phrase templates print."""
    return move(card, first, messages).text
