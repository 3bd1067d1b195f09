"""Who holds which projects: each team's and each owner's projects, what blocks each project's
next level, the reviews they wait for, their MLTRL metrics, and a team's MLOps maturity stage.

A programme manager asks "what does my team own, and what blocks each next level?". A team is
the ``team:`` of a project's current card, an owner one of its ``owners:``: the current card says
who holds the project now. Each team and owner gets a page under a slug (``slugs``) that is safe
as a file name and in a URL whatever a team called itself, unique among its kind, and the same
build after build for the same names.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.gates import ProjectGates
from mltrl_docs.ids import WINDOWS_DEVICES
from mltrl_docs.metrics import Measure, PortfolioMetrics, days_waiting, pending_since, portfolio_metrics
from mltrl_docs.model import Card, CardStatus, Decision, Dossier, Project, Review
from mltrl_docs.settings import TeamSettings

MAX_SLUG = 60
"""Characters of a slug before a collision's suffix: a team's name may be a sentence."""
RESERVED = frozenset({"index", *WINDOWS_DEVICES})
"""Slugs no team or owner takes: the list of teams is ``teams/index``, and Windows cannot make a
file of a device's name."""


class Kind(StrEnum):
    """Which of a card's fields names the holder."""

    TEAM = "team"
    OWNER = "owner"


@dataclass(frozen=True, slots=True)
class OpenReview:
    """A decision a project's current card waits for: a reviewer's pending decision, or a card in
    review that names no reviewer whose decision is pending."""

    project: Project
    card: Card
    reviewer: Review | None
    """The reviewer whose decision is pending; None: the card is in review, and no one is named."""
    since: dt.date
    asked: bool
    """``since`` is the day the review was asked for (``reviewers[].requested``); else the card's date."""
    days: int
    """Days from ``since`` to the build date (0 for a day after it)."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One project as its team's and owners' pages show it: its current card, where the gates put
    it, and the reviews it waits for."""

    project: Project
    card: Card
    gates: ProjectGates | None
    reviews: tuple[OpenReview, ...]

    @property
    def below(self) -> bool:
        """The card declares a level its evidence does not earn."""
        return self.gates is not None and self.gates.unearned


@dataclass(frozen=True, slots=True)
class MaturityStage:
    """Where a team stands on the site's MLOps maturity scale (``teams:``)."""

    scale: str | None
    """The scale's name; None: the site gave it none."""
    number: int
    """1 for the first stage."""
    count: int
    """How many stages the scale has."""
    name: str


@dataclass(frozen=True, slots=True)
class Holder:
    """A team or an owner, and the projects whose current card names them."""

    kind: Kind
    name: str
    slug: str
    projects: tuple[Standing, ...]
    """By project id."""
    teams: tuple[str, ...]
    """The teams of these projects (for a team: itself), sorted."""
    owners: tuple[str, ...]
    """The owners of these projects, sorted."""
    stage: MaturityStage | None = None
    """A team's MLOps maturity stage, when the site states it; never an owner's."""

    @property
    def reviews(self) -> tuple[OpenReview, ...]:
        """Every open review of the projects, the longest waiting first."""
        return tuple(sorted((r for s in self.projects for r in s.reviews),
                            key=lambda r: (-r.days, r.project.id, r.reviewer.name if r.reviewer else "")))

    @property
    def below(self) -> int:
        """How many of the projects declare a level their evidence does not earn."""
        return sum(standing.below for standing in self.projects)


@dataclass(frozen=True, slots=True)
class Holders:
    """Every team and every owner of a dossier's projects, each sorted by name."""

    teams: tuple[Holder, ...]
    owners: tuple[Holder, ...]

    def of(self, kind: Kind) -> tuple[Holder, ...]:
        return self.teams if kind is Kind.TEAM else self.owners


def holders(checked: CheckedDossier) -> Holders:
    """Each team and owner named by a project's current card (a project with no valid card has
    neither), with their projects; a team with its maturity stage (``CheckedDossier.teams``)."""
    standings: list[Standing] = []
    for project in sorted(checked.projects.values(), key=lambda p: p.id):
        card = project.current
        if card is not None:
            standings.append(Standing(project, card, checked.gates.projects.get(project.id),
                                      open_reviews(project, checked.today)))
    by_team: dict[str, list[Standing]] = {}
    by_owner: dict[str, list[Standing]] = {}
    for standing in standings:
        if standing.card.team:
            by_team.setdefault(standing.card.team, []).append(standing)
        for owner in dict.fromkeys(standing.card.owners):
            by_owner.setdefault(owner, []).append(standing)
    return Holders(_holders(Kind.TEAM, by_team, checked.teams), _holders(Kind.OWNER, by_owner, checked.teams))


def _holders(kind: Kind, grouped: Mapping[str, list[Standing]], settings: TeamSettings) -> tuple[Holder, ...]:
    named = slugs(grouped, kind.value)
    return tuple(
        Holder(kind, name, named[name], tuple(grouped[name]),
               tuple(sorted({s.card.team for s in grouped[name] if s.card.team})),
               tuple(sorted({owner for s in grouped[name] for owner in s.card.owners})),
               maturity_stage(name, settings) if kind is Kind.TEAM else None)
        for name in sorted(grouped, key=lambda n: (n.casefold(), n)))


def open_reviews(project: Project, today: dt.date) -> tuple[OpenReview, ...]:
    """The decisions the project's current card waits for: each reviewer's pending decision, since
    the day it was asked for (else the card's date); a card in review with none, since its date."""
    card = project.current
    if card is None:
        return ()
    found = [_waiting(project, card, reviewer, today)
             for reviewer in card.reviewers if reviewer.decision is Decision.PENDING]
    if not found and card.status is CardStatus.IN_REVIEW:
        found.append(_waiting(project, card, None, today))
    return tuple(found)


def _waiting(project: Project, card: Card, reviewer: Review | None, today: dt.date) -> OpenReview:
    since = pending_since(card, reviewer)
    return OpenReview(project, card, reviewer, since, reviewer is not None and reviewer.requested is not None,
                      days_waiting(since, today))


def maturity_stage(team: str, settings: TeamSettings) -> MaturityStage | None:
    """The team's stage on the site's scale; None when the site states none for it."""
    stage = settings.stages.get(team)
    if stage is None or stage not in settings.maturity.stages:
        return None
    scale = settings.maturity
    return MaturityStage(scale.name, scale.stages.index(stage) + 1, len(scale.stages), stage)


def holder_metrics(holder: Holder, checked: CheckedDossier, measure: Measure | None = None) -> PortfolioMetrics:
    """The MLTRL metrics (``metrics.portfolio_metrics``) over the holder's projects alone;
    ``measure``: each project's metrics, as the org's page measured them (``metrics.measurer``)."""
    own = Dossier({standing.project.id: standing.project for standing in holder.projects}, (),
                  checked.dossier.sources)
    return portfolio_metrics(own, checked.today, checked.evidence, measure)


def slug_base(name: str, fallback: str) -> str:
    """A name as a slug before collisions are settled: its letters and digits in ASCII, lower case
    ("Müller & Søn" -> "muller-sn"), words joined by '-', at most ``MAX_SLUG`` characters;
    ``fallback`` for a name with none (a name in another script)."""
    text = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(char if char.isalnum() else " " for char in text).split()
    return "-".join(words)[:MAX_SLUG].rstrip("-") or fallback


def slugs(names: Iterable[str], fallback: str) -> dict[str, str]:
    """Name -> its slug: ``slug_base``, unique among ``names`` and never one of ``RESERVED``. Where
    names meet on one slug, the first in code point order keeps it and the others get the next free
    "-2", "-3", ...; so the same names always get the same slugs, in any order."""
    ordered = sorted(set(names))
    bases = {name: slug_base(name, fallback) for name in ordered}
    taken = set(RESERVED)
    found: dict[str, str] = {}
    for name in ordered:
        if bases[name] not in taken:
            found[name] = bases[name]
            taken.add(bases[name])
    for name in ordered:
        if name not in found:
            number = 2
            while f"{bases[name]}-{number}" in taken:
                number += 1
            found[name] = f"{bases[name]}-{number}"
            taken.add(found[name])
    return found
