"""What each kind of generated page shows: one typed context per page kind.

Counts, dates and choices a page prints (verified requirements, the last review, a
transition, errors and warnings) are computed here once, in Python, so that templates
only present them and two pages never count the same thing two ways. ``pages.py``
builds a context per page; ``html.Renderer`` hands its fields to the page's template
as variables (``variables``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mltrl_docs.body import Body
from mltrl_docs.checklist import Checklist
from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.gates import GateReport, ProjectGates
from mltrl_docs.glossary import Entry, Glossary
from mltrl_docs.messages import Messages
from mltrl_docs.metrics import PortfolioMetrics, Tally
from mltrl_docs.model import Attachment, Card, Project, RequirementKind
from mltrl_docs.production import ProductionLines, Tenure
from mltrl_docs.provenance import Commit, DecisionRecord, FileHistory
from mltrl_docs.render.acceptance import RequirementResults
from mltrl_docs.render.badge import Badge, BadgeEmbed
from mltrl_docs.render.changes import ChangeView, EntryView, SinceShown
from mltrl_docs.render.coupling import CouplingGraph
from mltrl_docs.render.feed import Event
from mltrl_docs.render.matrix import RequirementMatrix, RiskCell
from mltrl_docs.render.metrics_chart import MetricsChart
from mltrl_docs.render.readiness import Comparison, Row
from mltrl_docs.render.timeline import Timeline
from mltrl_docs.render.transitions import Move, move
from mltrl_docs.teams import Holder, Holders


def last_review(card: Card) -> dt.date | None:
    """The day of the card's latest review decision, if any reviewer decided."""
    return max((r.date for r in card.reviewers if r.date is not None), default=None)


def moves(cards: Sequence[Card], messages: Messages | None = None) -> dict[Path, Move]:
    """How the project came to each card's level (``transitions.move``), by card path, said in
    the site's ``messages`` (default: English)."""
    return {card.path: move(card, index == 0, messages) for index, card in enumerate(cards)}


class PageContext:
    """Base of every page kind's context."""

    __slots__ = ()

    def variables(self) -> dict[str, Any]:
        """The context's fields, as the template's variables."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class People:
    """The pages of the teams and owners a page names (page kind ``teams``), by name: a name with
    none (an owner of an old card only, or a site without those pages) is shown as text. Each page
    holds the names it shows only, so that a new team re-renders no other page (``render.reuse``)."""

    teams: Mapping[str, str] = field(default_factory=dict)
    """Team -> its page's URI."""
    owners: Mapping[str, str] = field(default_factory=dict)
    """Owner -> its page's URI."""

    def only(self, teams: Iterable[str | None], owners: Iterable[str]) -> People:
        """The pages of these teams and owners only."""
        return People({t: self.teams[t] for t in teams if t is not None and t in self.teams},
                      {o: self.owners[o] for o in owners if o in self.owners})


NO_PEOPLE = People()


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One project's line in the portfolio table."""

    project: Project
    card: Card | None
    gates: ProjectGates | None
    lines: ProductionLines
    last_review: dt.date | None
    requirements: Tally
    open_findings: int

    @property
    def last_tenure(self) -> Tenure | None:
        """The latest time in production, when nothing runs now (the portfolio says how it ended)."""
        return self.lines.tenures[-1] if self.lines.production is None and self.lines.tenures else None


@dataclass(frozen=True, slots=True)
class PortfolioContext(PageContext):
    rows: tuple[PortfolioRow, ...]
    by_level: Mapping[int, Sequence[Any]]
    """Level number -> ``pages.LevelEntry`` list: the board's columns."""
    gates: GateReport
    csv: str | None = None
    """The portfolio's CSV file in the site (``render.exports``); None: the site exports nothing."""
    readiness: str | None = None
    """The site's bundle, ``readiness.json`` (``mltrl_docs.bundle``); None: the site exports nothing."""
    people: People = NO_PEOPLE
    """The pages of the projects' teams."""


@dataclass(frozen=True, slots=True)
class LevelsContext(PageContext):
    by_level: Mapping[int, Sequence[Any]]
    gates: GateReport


@dataclass(frozen=True, slots=True)
class HistoryContext(PageContext):
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class ChangesContext(PageContext):
    """The 'What changed' page: every card changed since a day (``changes.since``), newest first."""

    since: SinceShown
    entries: tuple[EntryView, ...]
    projects: int
    """How many projects the entries are of."""
    detailed: int
    """How many of the newest entries the page details (``render.changes.DETAILED_ENTRIES`` at most)."""


@dataclass(frozen=True, slots=True)
class ReadinessContext(PageContext):
    """The 'Readiness changes' page: what changed across the portfolio since a previous bundle
    (the setting ``compare.bundle``)."""

    comparison: Comparison
    checked_on: dt.date | None
    """The day the previous bundle's cards were checked as of (None: unknown, or no diff)."""
    rows: tuple[Row, ...]
    """Every change, by project (none when the previous bundle could not be read)."""
    counts: Mapping[str, int]
    """How many of each kind (``ReadinessDiff.counts``; all zero without a diff)."""
    projects: int
    """How many projects the rows are of."""


@dataclass(frozen=True, slots=True)
class RequirementsRow:
    """A project's current requirements of one kind, counted by status."""

    project: Project
    kind: RequirementKind
    requirements: Tally


@dataclass(frozen=True, slots=True)
class RequirementsContext(PageContext):
    rows: tuple[RequirementsRow, ...]
    statuses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingsContext(PageContext):
    findings: tuple[Finding, ...]
    errors: int
    warnings: int
    notes: int
    dossier: CheckedDossier


@dataclass(frozen=True, slots=True)
class MetricsContext(PageContext):
    m: PortfolioMetrics
    chart: MetricsChart
    projects: Mapping[str, Project]


@dataclass(frozen=True, slots=True)
class TeamsContext(PageContext):
    """The 'Teams and owners' page: every team and owner, with their projects counted."""

    holders: Holders
    people: People
    """Every team's and owner's page."""
    scale: str | None
    """The name of the site's MLOps maturity scale (None: it has none)."""


@dataclass(frozen=True, slots=True)
class HolderContext(PageContext):
    """A team's or an owner's page: its projects, what blocks each next level, its open reviews,
    its MLTRL metrics and (a team's) MLOps maturity stage."""

    holder: Holder
    m: PortfolioMetrics
    """The metrics over its projects alone."""
    people: People
    """The pages of the teams and owners it names."""
    teams_uri: str
    """The 'Teams and owners' page."""


@dataclass(frozen=True, slots=True)
class TermUse:
    """A card whose text uses a glossary term, as the glossary lists it. Only what the page shows,
    so that an edit which changes no term's use leaves the page's context the same (under
    ``mkdocs serve`` the glossary, a long page, is then neither rendered nor indexed again)."""

    uri: str
    """The card's page."""
    level: int


@dataclass(frozen=True, slots=True)
class GlossaryContext(PageContext):
    glossary: Glossary
    letters: Mapping[str, Sequence[Entry]]
    usage: Mapping[Entry, Sequence[tuple[str, Sequence[TermUse]]]]
    """Entry -> the ids of the projects whose cards use one of its names, each with those cards."""
    builtin: bool
    """The glossary holds the MLTRL vocabulary shipped with mltrl-docs."""


@dataclass(frozen=True, slots=True)
class GlossaryTeamsContext(PageContext):
    glossary: Glossary
    teams: Mapping[str, Sequence[tuple[str, Entry]]]


@dataclass(frozen=True, slots=True)
class DossierContext(PageContext):
    """A project's dossier page."""

    project: Project
    known: frozenset[str]
    """The projects that have a dossier page (a coupled or limiting project the page may link to);
    not the whole dossier, so that the page's context holds only what it shows (``render.reuse``)."""
    gates: ProjectGates | None
    """None only for a project with no valid card."""
    lines: ProductionLines
    approved: Mapping[Path, bool]
    """Whose approval holds, by card path (the project's own cards)."""
    checklist: Checklist | None
    graph: CouplingGraph | None
    findings: tuple[Finding, ...]
    timeline: Timeline | None
    matrix: RequirementMatrix
    risks: tuple[tuple[RiskCell, ...], ...] | None
    requirements: Tally
    """The current card's requirements by status."""
    moves: Mapping[Path, Move]
    """How the project came to each card's level."""
    histories: Mapping[Path, FileHistory]
    """Each card's history in git, by card path (a card outside git has none; outside git, empty)."""
    decisions: Mapping[Path, tuple[DecisionRecord | None, ...]]
    """Who recorded each reviewer's decision, by card path, in the card's reviewer order."""
    change: ChangeView | None
    """The current card against the project's previous approved card (None: no valid card)."""
    exports: ProjectExports | None = None
    """The project's files beside its dossier page (None: the site exports nothing, or no valid card)."""
    people: People = NO_PEOPLE
    """The pages of the current card's team and owners."""


@dataclass(frozen=True, slots=True)
class ProjectExports:
    """What a project's dossier page offers as files: its requirement matrix as CSV, and its badge."""

    matrix_csv: str
    """The requirement matrix's CSV file in the site."""
    badge: Badge
    embed: BadgeEmbed
    """The badge's file and how a README shows it."""


@dataclass(frozen=True, slots=True)
class PacketContext(DossierContext):
    """The review packet: the dossier's context with the last two cards' matrix, the open findings
    only, no card histories (who recorded each decision stays), and the dossier page it comes from."""

    dossier_uri: str = ""


@dataclass(frozen=True, slots=True)
class CardContext(PageContext):
    project: Project
    card: Card
    body: Body
    """The card's body, which the page shows; held here as well as on the card, so that comparing
    the page's context (``render.reuse``) can leave out the bodies of the cards it only links to."""
    previous: Card | None
    next: Card | None
    findings: tuple[Finding, ...]
    earned: int | None
    approval_holds: bool
    move: Move
    acceptance: Mapping[int, RequirementResults]
    """The judged acceptance criteria of the card's requirements that have any, by requirement index."""
    history: CardHistory | None
    """The card's file in git; None outside git (or with provenance off)."""
    decisions: tuple[DecisionRecord | None, ...]
    """Who recorded each reviewer's decision, in the card's reviewer order (None: not known)."""
    change: ChangeView
    """The card against its project's previous approved card (its baseline None: there is none)."""
    people: People = NO_PEOPLE
    """The pages of the card's team and owners, where they have one (they hold a project now)."""


MAX_COMMITS_SHOWN = 50
"""Commits a card page lists at most (newest first); the count says how many there are."""


@dataclass(frozen=True, slots=True)
class CardHistory:
    """A card's history in git as its page shows it: created, last changed, its commits."""

    file: FileHistory
    shown: tuple[Commit, ...]
    """The newest commits, at most MAX_COMMITS_SHOWN."""

    @property
    def more(self) -> int:
        """Older commits the list leaves out."""
        return len(self.file.commits) - len(self.shown)

    @classmethod
    def of(cls, history: FileHistory | None) -> CardHistory | None:
        return None if history is None else cls(history, history.commits[:MAX_COMMITS_SHOWN])


@dataclass(frozen=True, slots=True)
class AttachmentContext(PageContext):
    project: Project
    attachment: Attachment
    body: str
    checklist: Checklist | None


def severity_counts(findings: Sequence[Finding]) -> tuple[int, int, int]:
    """Errors, warnings and notes."""
    return (sum(f.severity is Severity.ERROR for f in findings),
            sum(f.severity is Severity.WARNING for f in findings),
            sum(f.severity is Severity.INFO for f in findings))
