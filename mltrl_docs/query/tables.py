"""One dossier's rows per entity (``records``), built the first time a query asks about the entity
and shared by every later query: a site with twenty views on its pages reads each table once."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from mltrl_docs.dossier import CheckedDossier, findings_by_project
from mltrl_docs.model import Card
from mltrl_docs.paths import display, relative
from mltrl_docs.query.answer import Entity
from mltrl_docs.query.records import (
    CardRecord,
    FindingRecord,
    Portfolio,
    ProjectRecord,
    Record,
    RequirementRecord,
    ReviewRecord,
    TermRecord,
)


class Tables:
    """One dossier's rows per entity, built lazily once and shared by every query of a build."""

    def __init__(self, dossier: CheckedDossier, root: Path | None = None) -> None:
        """``root``: the folder file names are given from (``file`` fields), as published pages name
        files (``paths.relative``: the site's folder); None names them as a command prints them,
        from where it runs (``paths.display``)."""
        self.dossier = dossier
        shown: Callable[[Path], str] = display if root is None else partial(relative, base=root)
        self.portfolio = Portfolio(dossier, findings_by_project(dossier), _once(shown))
        self._built: dict[Entity, tuple[Record, ...]] = {}

    def records(self, entity: Entity) -> tuple[Record, ...]:
        """The entity's rows, in its natural order (see ``docs/query.md``)."""
        found = self._built.get(entity)
        if found is None:
            found = self._built[entity] = tuple(_BUILDERS[entity](self.portfolio))
        return found


def _once(shown: Callable[[Path], str]) -> Callable[[Path], str]:
    """``shown`` asked once per file (naming a file resolves symlinks, which reads the disk; a card
    is named by its card row and by each of its findings, in every query that shows ``file``)."""
    names: dict[Path, str] = {}

    def once(path: Path) -> str:
        name = names.get(path)
        if name is None:
            name = names[path] = shown(path)
        return name

    return once


def _projects(portfolio: Portfolio) -> list[Record]:
    gates = portfolio.dossier.gates.projects
    return [ProjectRecord(portfolio, project, gates.get(project.id))
            for project in portfolio.dossier.projects.values()]


def _cards(portfolio: Portfolio) -> list[Record]:
    return [CardRecord(portfolio, project, card)
            for project in portfolio.dossier.projects.values() for card in project.cards]


def _requirements(portfolio: Portfolio) -> list[Record]:
    found: list[Record] = []
    for project in portfolio.dossier.projects.values():
        card = project.current
        if card is not None:
            found += [RequirementRecord(portfolio, project, card, requirement) for requirement in card.requirements]
    return found


def _reviews(portfolio: Portfolio) -> list[Record]:
    return [ReviewRecord(portfolio, project, card, review)
            for project in portfolio.dossier.projects.values() for card in project.cards
            for review in card.reviewers]


def _findings(portfolio: Portfolio) -> list[Record]:
    dossier = portfolio.dossier
    cards: dict[Path, Card] = {card.path: card for card in dossier.cards}
    owners = {id(finding): project_id for project_id, found in portfolio.findings.items() for finding in found}
    return [FindingRecord(portfolio, finding, owners.get(id(finding), finding.project), cards.get(finding.path))
            for finding in dossier.findings]


def _terms(portfolio: Portfolio) -> list[Record]:
    return [TermRecord(portfolio, entry) for entry in portfolio.dossier.glossary.entries]


_BUILDERS: dict[Entity, Callable[[Portfolio], list[Record]]] = {
    Entity.PROJECTS: _projects,
    Entity.CARDS: _cards,
    Entity.REQUIREMENTS: _requirements,
    Entity.REVIEWS: _reviews,
    Entity.FINDINGS: _findings,
    Entity.TERMS: _terms,
}
