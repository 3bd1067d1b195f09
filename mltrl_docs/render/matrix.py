"""Requirement and risk matrices of a project, as data for the templates.

The requirement matrix follows each requirement id across the project's cards
(an id keeps its meaning from card to card): its status at every card, and
whether it appeared, changed its text or disappeared there. Its columns run from
the current card back to the first, so the status a reviewer needs is the first
one shown, however long the history; the marks are worked out in date order.

A requirement the development line no longer lists is not gone while the version
in production still carries it (MLTRL level 9: the deployed version keeps running
while the next one climbs again after 9 -> 4). Where a card leaves out a
requirement that the level-9 card then in production lists, the cell shows that
card's requirement, marked ``production``; it is ``removed`` only once that version
has left production (a later level-9 card, or a card recording its retirement or
replacement) and the card no longer lists it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from mltrl_docs.evidence import EvidenceReport
from mltrl_docs.model import Card, Requirement, RequirementKind
from mltrl_docs.production import ProductionLines, production_lines


@dataclass(frozen=True, slots=True)
class Cell:
    requirement: Requirement | None
    """The requirement as written on this card; for a ``production`` cell, as the card in
    production writes it; None where neither lists it."""
    mark: str = ""
    """``new``, ``changed`` (text differs from the previous card), ``removed``, ``production``
    (this card leaves it out, the version in production carries it) or empty."""
    production: Card | None = None
    """For a ``production`` cell: the level-9 card whose version carries the requirement."""
    contradicts: bool = False
    """The requirement is declared verified, but its evidence misses an acceptance criterion."""


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    latest: Requirement
    """The requirement as last written (its text, kind, V&V method and risk)."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class RequirementMatrix:
    cards: tuple[Card, ...]
    """The columns: the current card first, then the earlier ones, newest first (a row's cells follow them)."""
    research: tuple[Row, ...]
    product: tuple[Row, ...]


def requirement_matrix(cards: Sequence[Card], evidence: EvidenceReport | None = None) -> RequirementMatrix:
    """The matrix of one project's cards (given in date order), its columns newest first; with
    ``evidence``, a cell whose requirement its evidence contradicts says so."""
    lines = production_lines(cards)
    latest: dict[str, Requirement] = {}
    for card in cards:
        for requirement in card.requirements:
            latest[requirement.id] = requirement
    rows = [_row(rid, latest[rid], cards, lines, evidence) for rid in sorted(latest, key=lambda i: latest[i].parts)]
    return RequirementMatrix(
        cards=tuple(reversed(cards)),
        research=tuple(r for r in rows if r.latest.kind is RequirementKind.RESEARCH),
        product=tuple(r for r in rows if r.latest.kind is RequirementKind.PRODUCT),
    )


def _row(requirement_id: str, latest: Requirement, cards: Sequence[Card], lines: ProductionLines,
         evidence: EvidenceReport | None = None) -> Row:
    cells: list[Cell] = []
    previous: Requirement | None = None
    for index, card in enumerate(cards):
        here = _listed(card, requirement_id)
        if here is None:
            tenure = lines.on(card.date)
            carried = _listed(tenure.card, requirement_id) if tenure is not None else None
            if tenure is not None and carried is not None:
                cells.append(Cell(carried, "production", tenure.card))
                here = carried
            else:
                cells.append(Cell(None, "removed" if previous is not None else ""))
        elif index and previous is None:
            cells.append(Cell(here, "new"))
        elif previous is not None and previous.text != here.text:
            cells.append(Cell(here, "changed"))
        else:
            cells.append(Cell(here))
        previous = here
    if evidence is not None:
        cells = [_contradicted(cell, card, evidence) for cell, card in zip(cells, cards, strict=True)]
    return Row(requirement_id, latest, tuple(reversed(cells)))


def _contradicted(cell: Cell, card: Card, evidence: EvidenceReport) -> Cell:
    """The cell, marked when its requirement (on its card, or on the card in production that
    carries it) is declared verified and its evidence misses a criterion."""
    if cell.requirement is None:
        return cell
    found = evidence.of(cell.production or card, cell.requirement)
    return replace(cell, contradicts=True) if found is not None and found.contradicts else cell


def _listed(card: Card, requirement_id: str) -> Requirement | None:
    return next((r for r in card.requirements if r.id == requirement_id), None)


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


_BANDS = {score: risk_band(score) for score in range(1, 26)}


def risk_matrix(card: Card) -> tuple[tuple[RiskCell, ...], ...]:
    """Rows of likelihood 5 down to 1, columns of impact 1 to 5; the card's requirements
    placed in one pass (every dossier page has the matrix of its current card)."""
    placed: dict[tuple[int, int], list[Requirement]] = {}
    for requirement in card.requirements:
        if requirement.risk:
            placed.setdefault((requirement.risk.likelihood, requirement.risk.impact), []).append(requirement)
    return tuple(
        tuple(RiskCell(likelihood, impact, _BANDS[likelihood * impact], tuple(placed.get((likelihood, impact), ())))
              for impact in range(1, 6))
        for likelihood in range(5, 0, -1)
    )


def recent_matrix(cards: Sequence[Card], count: int = 2, evidence: EvidenceReport | None = None) -> RequirementMatrix:
    """The requirement matrix limited to the project's last ``count`` cards (the review packet's:
    the current card and the one before it), its columns in the full matrix's order. Cells keep
    what the whole history says (``new`` is new at that card, not in the excerpt); a row is kept
    when one of these cards lists the requirement, or marks it removed or carried by production."""
    return recent_columns(requirement_matrix(cards, evidence), count)


def recent_columns(full: RequirementMatrix, count: int = 2) -> RequirementMatrix:
    """``recent_matrix`` from the project's full matrix (its columns are newest first), which
    the dossier page has worked out already."""
    columns = list(range(min(max(count, 0), len(full.cards))))

    def limited(rows: tuple[Row, ...]) -> tuple[Row, ...]:
        kept = (Row(row.id, row.latest, tuple(row.cells[i] for i in columns)) for row in rows)
        return tuple(row for row in kept if any(cell.requirement is not None or cell.mark for cell in row.cells))

    return RequirementMatrix(tuple(full.cards[i] for i in columns), limited(full.research), limited(full.product))
