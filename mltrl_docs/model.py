"""The dossier's domain model: plain typed dataclasses built from validated cards.

Nothing here parses or renders. Every object built from a file keeps the file
and, through ``Card.where``, the position of each of its fields, so analyses
far from the loader can still point at ``file:line:col``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from mltrl_docs.body import Body
from mltrl_docs.findings import Finding, Position
from mltrl_docs.levels import Level
from mltrl_docs.yamldata import DataPath


def field_position(positions: Mapping[DataPath, Position], path: tuple[str | int, ...]) -> Position:
    """Where the frontmatter field ``path`` is written, or its nearest written parent (the file's
    first line when none is): a card and an invalid card locate their findings alike."""
    for length in range(len(path), -1, -1):
        found = positions.get(path[:length])
        if found:
            return found
    return Position(1, 1)

class CardStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    REJECTED = "rejected"


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes-requested"
    REJECTED = "rejected"


class TransitionKind(StrEnum):
    ADVANCE = "advance"
    SWITCHBACK = "switchback"


class SwitchbackKind(StrEnum):
    """MLTRL's three kinds: found by chance, ordered by a review, or built into the process."""

    DISCOVERY = "discovery"
    REVIEW = "review"
    EMBEDDED = "embedded"


class RequirementKind(StrEnum):
    RESEARCH = "research"
    PRODUCT = "product"


class Verification(StrEnum):
    """The V&V method."""

    TEST = "test"
    ANALYSIS = "analysis"
    INSPECTION = "inspection"
    DEMONSTRATION = "demonstration"


class RequirementStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    VERIFIED = "verified"
    FAILED = "failed"
    WAIVED = "waived"

    @property
    def closed(self) -> bool:
        """Verified or waived: nothing more to do for a gate."""
        return self in (RequirementStatus.VERIFIED, RequirementStatus.WAIVED)


class EthicsStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLETE = "complete"
    NOT_APPLICABLE = "not-applicable"


class DebtChange(StrEnum):
    GAINED = "gained"
    MITIGATED = "mitigated"


class DatasetRole(StrEnum):
    """What a dataset is used for (format 1.1)."""

    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"
    MONITORING = "monitoring"
    OTHER = "other"


class ProductionChange(StrEnum):
    """What happened to the version in production, as a later card records it (format 1.1)."""

    RETIRED = "retired"
    """Taken out of service with nothing of this project in its place."""
    REPLACED = "replaced"
    """Replaced by something outside this project's cards (a new level-9 card replaces it by itself)."""


class DeploymentTestKind(StrEnum):
    """The deployment-oriented tests MLTRL names for level 8 (format 1.1)."""

    SHADOW = "shadow"
    CANARY = "canary"
    AB = "a-b"
    BLUE_GREEN = "blue-green"


@dataclass(frozen=True, slots=True)
class Review:
    """One reviewer's part in the gated review of a level."""

    name: str
    decision: Decision
    date: dt.date | None = None
    note: str | None = None
    role: str | None = None
    """Research lead, peer, QA, product, ethics, security or a site-defined role (format 1.1)."""
    requested: dt.date | None = None
    """When the review was asked for; with ``date``, how long the decision took (format 1.1)."""


@dataclass(frozen=True, slots=True)
class Transition:
    """How the project arrived at a card's level."""

    from_level: int | None
    kind: TransitionKind | None
    switchback: SwitchbackKind | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Versions:
    """Semantic versions of code, model and data, all three as MLTRL asks."""

    code: str | None = None
    model: str | None = None
    data: str | None = None


@dataclass(frozen=True, slots=True)
class Risk:
    likelihood: int
    impact: int
    mitigation: str | None = None
    """The explicit steps that lower the risk (format 1.1)."""

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True, slots=True)
class Reference:
    """A link, evidence item or checklist: a URL or a path relative to its card."""

    target: str
    is_url: bool
    resolved: Path | None = None
    """For paths: the file it names (whether it exists is a rule's business)."""
    safe: bool = True
    """False for URLs with a scheme other than http, https or mailto: reported, never rendered."""


@dataclass(frozen=True, slots=True)
class Validation:
    """How we know a requirement is the right one ("are we building the right thing?"), and
    who said so (format 1.1); ``verification`` says how it is shown to be met."""

    how: str
    by: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset the card's work uses, named with its version (format 1.1)."""

    name: str
    version: str | None = None
    link: Reference | None = None
    role: DatasetRole | None = None
    slices: tuple[str, ...] = ()
    """Named data slices tests are run on (MLTRL's level 7: tests on use-case data slices)."""


@dataclass(frozen=True, slots=True)
class MonitoredMetric:
    """One metric watched in production, with the threshold that raises an alert."""

    name: str
    threshold: str
    alert: str | None = None
    """Who or what is alerted."""


@dataclass(frozen=True, slots=True)
class Monitoring:
    """How the version in production is watched (format 1.1; MLTRL level 9)."""

    metrics: tuple[MonitoredMetric, ...] = ()
    drift: tuple[str, ...] = ()
    """The drift and shift checks that run."""
    dashboard: Reference | None = None


@dataclass(frozen=True, slots=True)
class DeploymentTest:
    """A deployment-oriented test of level 8: shadow, canary, A/B or blue/green (format 1.1)."""

    kind: DeploymentTestKind
    text: str | None = None
    evidence: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class Production:
    """A card's record that the version in production was retired or replaced (format 1.1)."""

    change: ProductionChange
    reason: str | None = None


class Comparison(StrEnum):
    """How an acceptance criterion's measured value must compare with its threshold (format 1.2)."""

    AT_LEAST = ">="
    ABOVE = ">"
    AT_MOST = "<="
    BELOW = "<"
    EQUAL = "=="
    """Exact equality: meant for counts (a float read from a file rarely equals a written one)."""

    def holds(self, measured: float, threshold: float) -> bool:
        """Does ``measured`` meet ``threshold`` under this comparison?"""
        if self is Comparison.AT_LEAST:
            return measured >= threshold
        if self is Comparison.ABOVE:
            return measured > threshold
        if self is Comparison.AT_MOST:
            return measured <= threshold
        if self is Comparison.BELOW:
            return measured < threshold
        return measured == threshold


@dataclass(frozen=True, slots=True)
class Acceptance:
    """One acceptance criterion of a requirement (format 1.2): a value read from an evidence file
    and compared with a threshold, or (``tests``) a JUnit XML file whose selected tests must all
    pass. Kept as written; ``mltrl_docs.evidence`` reads the files and judges it."""

    source: Reference
    """The evidence file (``source:``, or ``tests:`` for test results), relative to the card."""
    index: int = 0
    """Position in the requirement's ``acceptance`` list, for locating it."""
    tests: bool = False
    """True for a test-results criterion (``tests:``): every selected test must pass."""
    metric: str | None = None
    """The measure's name for people (``cirrus F1``)."""
    op: Comparison | None = None
    value: float | None = None
    """The threshold (set with ``op`` on every value criterion)."""
    select: str | None = None
    """Where in the file: a JSON dotted path, a CSV ``ROW/COLUMN``, a JUnit suite or test-name prefix."""
    slice: str | None = None
    """The data slice the criterion is about (one criterion per slice)."""
    unit: str | None = None
    note: str | None = None
    sha256: str | None = None
    """The SHA-256 of the evidence file when the card was approved (64 lower-case hex digits;
    format 1.2): a file whose content no longer has it is suspect (gate rule suspect-evidence)."""

    @property
    def key(self) -> str:
        """The field the evidence file is written under: ``tests`` or ``source``."""
        return "tests" if self.tests else "source"


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    """Dotted ``requirement.subset.component`` id; keeps its meaning across cards."""
    kind: RequirementKind
    text: str
    verification: Verification
    status: RequirementStatus
    risk: Risk | None = None
    evidence: tuple[Reference, ...] = ()
    reason: str | None = None
    index: int = 0
    """Position in the card's list, for locating it."""
    validation: Validation | None = None
    acceptance: tuple[Acceptance, ...] = ()
    """Criteria checked against evidence files (format 1.2)."""

    @property
    def parts(self) -> tuple[int, ...]:
        """Numeric sort key: 2.10 after 2.9."""
        return tuple(int(p) for p in self.id.split("."))


@dataclass(frozen=True, slots=True)
class TechDebtItem:
    text: str
    change: DebtChange


@dataclass(frozen=True, slots=True)
class Ethics:
    pre_development: EthicsStatus | None = None
    post_development: EthicsStatus | None = None
    checklist: Reference | None = None


@dataclass(frozen=True, slots=True)
class Cited:
    """A reference as a card cites it: the frontmatter path it is written at, and what it is."""

    reference: Reference
    path: DataPath
    what: str
    """'link 'code'', 'evidence of requirement 2', ...: how messages name it."""


@dataclass(frozen=True, slots=True, eq=False)
class Card:
    """The state of one project at one level, as written in one file."""

    path: Path
    project_id: str
    title: str
    level: Level
    date: dt.date
    status: CardStatus
    owners: tuple[str, ...]
    body: Body
    team: str | None = None
    reviewers: tuple[Review, ...] = ()
    transition: Transition | None = None
    versions: Versions = Versions()
    coupled: tuple[str, ...] = ()
    links: Mapping[str, Reference] = field(default_factory=dict)
    ethics: Ethics = Ethics()
    requirements: tuple[Requirement, ...] = ()
    tech_debt: tuple[TechDebtItem, ...] = ()
    tags: tuple[str, ...] = ()
    datasets: tuple[Dataset, ...] = ()
    monitoring: Monitoring | None = None
    deployment_tests: tuple[DeploymentTest, ...] = ()
    production: Production | None = None
    format: str = "1"
    """The format version the card declares: ``1``, ``1.1`` or ``1.2`` (written as a number or quoted)."""
    extra: Mapping[str, object] = field(default_factory=dict)
    """``x-`` extension fields, kept as written."""
    positions: Mapping[DataPath, Position] = field(default_factory=dict)

    def references(self) -> Iterator[Reference]:
        """Every file and URL the card names (see ``cited``)."""
        for cited in self.cited():
            yield cited.reference

    def cited(self) -> Iterator[Cited]:
        """Every file and URL the card names, with where and as what: links, requirement
        evidence and acceptance-criteria files, the ethics checklist, dataset links, the monitoring dashboard and
        deployment-test evidence. The one list the reference rule and the site both walk."""
        for name, ref in self.links.items():
            yield Cited(ref, ("links", name), f"link '{name}'")
        for requirement in self.requirements:
            for j, ref in enumerate(requirement.evidence):
                yield Cited(ref, ("requirements", requirement.index, "evidence", j),
                            f"evidence of requirement {requirement.id}")
            for criterion in requirement.acceptance:
                yield Cited(criterion.source, ("requirements", requirement.index, "acceptance", criterion.index,
                                               criterion.key), f"acceptance evidence of requirement {requirement.id}")
        if self.ethics.checklist is not None:
            yield Cited(self.ethics.checklist, ("ethics", "checklist"), "ethics checklist")
        for i, dataset in enumerate(self.datasets):
            if dataset.link is not None:
                yield Cited(dataset.link, ("datasets", i, "link"), f"link of dataset '{dataset.name}'")
        if self.monitoring is not None and self.monitoring.dashboard is not None:
            yield Cited(self.monitoring.dashboard, ("monitoring", "dashboard"), "monitoring dashboard")
        for i, test in enumerate(self.deployment_tests):
            for j, ref in enumerate(test.evidence):
                yield Cited(ref, ("deployment_tests", i, "evidence", j), f"evidence of {test.kind.value} test {i + 1}")

    def where(self, *path: str | int) -> Position:
        """Position of a frontmatter field (or its nearest written parent)."""
        return field_position(self.positions, path)


@dataclass(frozen=True, slots=True, eq=False)
class InvalidCard:
    """A card file that could not be read into a Card; listed so it never disappears."""

    path: Path
    project_id: str
    """The folder's project id (what the card would belong to)."""
    findings: tuple[Finding, ...]
    title: str | None = None
    level: Level | None = None
    date: dt.date | None = None
    citations: tuple[Cited, ...] = ()
    """The files and URLs the card cites where its errors do not touch them: checked all the
    same (``rules.references``), so one check reports every problem it can."""
    coupled: tuple[tuple[int, str], ...] = ()
    """(index, id) of each ``coupled`` entry its errors do not touch (``rules.coupled``)."""
    positions: Mapping[DataPath, Position] = field(default_factory=dict)
    """Where each frontmatter field is written (empty when the YAML could not be read)."""

    def cited(self) -> Iterator[Cited]:
        return iter(self.citations)

    def where(self, *path: str | int) -> Position:
        """Position of a frontmatter field (or its nearest written parent)."""
        return field_position(self.positions, path)

    @classmethod
    def of(cls, card: Card, findings: tuple[Finding, ...], project_id: str | None = None) -> InvalidCard:
        """A valid card made invalid by a finding about the card as a whole (its project id, an
        invisible character): everything it cites and couples is still checked."""
        return cls(card.path, card.project_id if project_id is None else project_id, findings, card.title,
                   card.level, card.date, tuple(card.cited()), tuple(enumerate(card.coupled)), card.positions)


@dataclass(frozen=True, slots=True, eq=False)
class Attachment:
    """Any other Markdown file in a project folder: published as a page of the project."""

    path: Path
    title: str
    body: str = ""
    """The Markdown below the frontmatter (control characters already replaced)."""
    body_line: int = 1
    """File line where the body starts."""
    checklist: str | None = None
    """The frontmatter's ``checklist:`` marker, e.g. ``mltrl-ethics/1``: the page follows a
    shipped checklist template, whose answers ``checklist.read_checklist`` counts."""


@dataclass(frozen=True, slots=True, eq=False)
class GlossaryTerm:
    term: str
    definition: str
    path: Path
    position: Position
    aliases: tuple[str, ...] = ()
    teams: Mapping[str, str] = field(default_factory=dict)
    see_also: tuple[str, ...] = ()
    level: int | None = None
    project: str | None = None
    """Set for terms from a project's own glossary.yml (the project's scope)."""
    source: str | None = None
    """Where the term comes from (a paper, a standard, a team), shown with it (glossary format 1.1)."""


@dataclass(frozen=True, slots=True, eq=False)
class Project:
    """A project's folder and everything found in it, cards in date order."""

    id: str
    folder: Path
    source: Path
    cards: tuple[Card, ...] = ()
    invalid_cards: tuple[InvalidCard, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()

    @property
    def current(self) -> Card | None:
        """The newest valid card: where the project stands now."""
        return self.cards[-1] if self.cards else None

    @property
    def title(self) -> str:
        current = self.current
        return current.title if current else self.id


@dataclass(frozen=True, slots=True, eq=False)
class Dossier:
    """Everything loaded from the sources: projects and the site's glossary terms.

    Loading yields it whole; analyses read it and build their own results
    (``dossier.CheckedDossier`` holds them), so nothing fills it in later."""

    projects: Mapping[str, Project] = field(default_factory=dict)
    glossary: tuple[GlossaryTerm, ...] = ()
    """The site's own glossary files' terms (project terms are on their projects)."""
    sources: tuple[Path, ...] = ()

    @property
    def cards(self) -> list[Card]:
        return [card for project in self.projects.values() for card in project.cards]

    @property
    def invalid_cards(self) -> list[InvalidCard]:
        return [card for project in self.projects.values() for card in project.invalid_cards]
