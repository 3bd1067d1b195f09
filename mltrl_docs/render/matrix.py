"""Requirement and risk matrices of a project, as data for the templates.

The requirement matrix follows each requirement id across the project's cards
(an id keeps its meaning from card to card): its status at every card, and
whether it appeared, changed its text or disappeared there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mltrl_docs.model import Card, Requirement, RequirementKind


@dataclass(frozen=True, slots=True)
class Cell:
    requirement: Requirement | None
    """The requirement as written on this card; None where the card does not list it."""
    mark: str = ""
    """``new``, ``changed`` (text differs from the previous card), ``removed`` or empty."""


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    latest: Requirement
    """The requirement as last written (its text, kind, V&V method and risk)."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class RequirementMatrix:
    cards: tuple[Card, ...]
    research: tuple[Row, ...]
    product: tuple[Row, ...]


def requirement_matrix(cards: Sequence[Card]) -> RequirementMatrix:
    latest: dict[str, Requirement] = {}
    for card in cards:
        for requirement in card.requirements:
            latest[requirement.id] = requirement
    rows = [_row(rid, latest[rid], cards) for rid in sorted(latest, key=lambda i: latest[i].parts)]
    return RequirementMatrix(
        cards=tuple(cards),
        research=tuple(r for r in rows if r.latest.kind is RequirementKind.RESEARCH),
        product=tuple(r for r in rows if r.latest.kind is RequirementKind.PRODUCT),
    )


def _row(requirement_id: str, latest: Requirement, cards: Sequence[Card]) -> Row:
    cells: list[Cell] = []
    previous: Requirement | None = None
    for index, card in enumerate(cards):
        here = next((r for r in card.requirements if r.id == requirement_id), None)
        if here is None:
            cells.append(Cell(None, "removed" if previous is not None else ""))
        elif index and previous is None:
            cells.append(Cell(here, "new"))
        elif previous is not None and previous.text != here.text:
            cells.append(Cell(here, "changed"))
        else:
            cells.append(Cell(here))
        previous = here
    return Row(requirement_id, latest, tuple(cells))


RISK_BANDS = ((15, "critical"), (10, "high"), (5, "medium"), (1, "low"))
"""Lowest score of each band (score = likelihood x impact, 1..25)."""


def risk_band(score: int) -> str:
    return next(name for floor, name in RISK_BANDS if score >= floor)


@dataclass(frozen=True, slots=True)
class RiskCell:
    likelihood: int
    impact: int
    band: str
    requirements: tuple[Requirement, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


def risk_matrix(card: Card) -> tuple[tuple[RiskCell, ...], ...]:
    """Rows of likelihood 5 down to 1, columns of impact 1 to 5."""
    return tuple(
        tuple(
            RiskCell(likelihood, impact, risk_band(likelihood * impact), tuple(
                r for r in card.requirements
                if r.risk and r.risk.likelihood == likelihood and r.risk.impact == impact))
            for impact in range(1, 6)
        )
        for likelihood in range(5, 0, -1)
    )
