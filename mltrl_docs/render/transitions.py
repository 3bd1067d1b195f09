"""How a project came to a card's level, in words: written once here, used by every page that
says it (the dossier's level history, the card page, the history feed).

A project may enter MLTRL at any level, so a project's first card names no ``from``; it may
still say ``kind: advance`` (it advanced into MLTRL, in a way), and must then read "entered
MLTRL at level 6", never "advance from LNone". A later card without ``from`` is reported by
the rules; its move is said without the level it left.
"""

from __future__ import annotations

from dataclasses import dataclass

from mltrl_docs.model import Card, TransitionKind


@dataclass(frozen=True, slots=True)
class Move:
    kind: str
    """``entered`` (a project's first card, unless it names a level it came from), ``advance``,
    ``switchback`` or ``move`` (a later card that names no kind)."""
    text: str
    """``entered MLTRL at level 6``, ``advanced from level 3 to 4``, ``review switchback from
    level 7 to 5`` (without the reason)."""


def move(card: Card, first: bool) -> Move:
    """How the project came to ``card``'s level; ``first``: the card is the project's first."""
    t = card.transition
    to = card.level.number
    if t is None or (t.from_level is None and (first or t.kind is None)):
        return Move("entered", f"entered MLTRL at level {to}") if first else Move("move", f"moved to level {to}")
    came = f"from level {t.from_level} to {to}" if t.from_level is not None else f"to level {to}"
    if t.kind is TransitionKind.SWITCHBACK:
        kind = f"{t.switchback.value} " if t.switchback else ""
        return Move("switchback", f"{kind}switchback {came}")
    if t.kind is TransitionKind.ADVANCE:
        return Move("advance", f"advanced {came}")
    return Move("move", f"moved {came}")


def transition_text(card: Card, first: bool) -> str:
    """``move(card, first).text``: the phrase templates print."""
    return move(card, first).text
