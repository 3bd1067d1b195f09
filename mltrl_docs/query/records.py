"""What each row of a query is read from: the model's own objects, one record per row, and the
dossier-wide facts the fields read beside them (``Portfolio``). ``tables`` builds the records;
``fields`` says how each field's value is read from one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding
from mltrl_docs.gates import ProjectGates
from mltrl_docs.glossary import Entry
from mltrl_docs.model import Card, Project, Requirement, Review
from mltrl_docs.query.answer import Entity, Subject


@dataclass(frozen=True, slots=True, eq=False)
class Portfolio:
    """What every record may need beyond its own objects, worked out once per dossier."""

    dossier: CheckedDossier
    findings: Mapping[str, Sequence[Finding]]
    """Each project's findings: those on a file in its folder (cards, invalid cards, pages, glossary)."""
    shown: Callable[[Path], str]
    """How a file is named in a value (``file``): from the site's root on pages, from where a command runs."""

    @property
    def today(self) -> dt.date:
        return self.dossier.today


@dataclass(frozen=True, slots=True, eq=False)
class ProjectRecord:
    portfolio: Portfolio
    project: Project
    gates: ProjectGates | None
    """None for a project with no valid card."""

    @property
    def card(self) -> Card | None:
        return self.project.current

    @property
    def subject(self) -> Subject:
        return Subject(Entity.PROJECTS, project=self.project.id, card=self.card)


@dataclass(frozen=True, slots=True, eq=False)
class CardRecord:
    portfolio: Portfolio
    project: Project
    card: Card

    @property
    def subject(self) -> Subject:
        return Subject(Entity.CARDS, project=self.project.id, card=self.card)


@dataclass(frozen=True, slots=True, eq=False)
class RequirementRecord:
    portfolio: Portfolio
    project: Project
    card: Card
    """The project's current card: the requirements a query sees are the current ones."""
    requirement: Requirement

    @property
    def subject(self) -> Subject:
        return Subject(Entity.REQUIREMENTS, project=self.project.id, card=self.card, requirement=self.requirement.id)


@dataclass(frozen=True, slots=True, eq=False)
class ReviewRecord:
    portfolio: Portfolio
    project: Project
    card: Card
    review: Review

    @property
    def subject(self) -> Subject:
        return Subject(Entity.REVIEWS, project=self.project.id, card=self.card)


@dataclass(frozen=True, slots=True, eq=False)
class FindingRecord:
    portfolio: Portfolio
    finding: Finding
    project: str | None
    """The project whose folder holds the file (else the project the finding names, if any)."""
    card: Card | None
    """The valid card the finding is on, if it is on one."""

    @property
    def subject(self) -> Subject:
        return Subject(Entity.FINDINGS, project=self.project, card=self.card, path=self.finding.path)


@dataclass(frozen=True, slots=True, eq=False)
class TermRecord:
    portfolio: Portfolio
    entry: Entry

    @property
    def subject(self) -> Subject:
        return Subject(Entity.TERMS, project=self.entry.project, term=self.entry.term.term)


Record = ProjectRecord | CardRecord | RequirementRecord | ReviewRecord | FindingRecord | TermRecord
