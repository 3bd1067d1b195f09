"""MLTRL process metrics of a portfolio: time at each level, review turnaround, switchbacks
and requirements verified over time, per project and across the organisation.

The paper names metrics on the TRL scale (finding operational bottlenecks, tracking
maturity) as one use of MLTRL; these are the ones the cards can support without
guessing. Everything is computed from the model alone, so the numbers can be tested
and shown anywhere. Nothing is estimated: a review with no request date is counted as
"not measured", never given a made-up turnaround. The one input that is not in the cards
is ``today``, where the current level's time runs to (the caller's build date).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from mltrl_docs.evidence.report import EvidenceReport
from mltrl_docs.memo import Memo
from mltrl_docs.model import (
    Card,
    Decision,
    Dossier,
    Project,
    Requirement,
    RequirementStatus,
    Review,
    SwitchbackKind,
    TransitionKind,
)
from mltrl_docs.production import production_lines

UNNAMED = "unnamed"
"""The kind shown for a switchback that names none (the rules report it; it still counts)."""


# --- time at each level ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stay:
    """One card's time at its level: from its date to the next card's date, or, for the
    project's current card, to ``today`` (``ongoing``)."""

    project_id: str
    level: int
    start: dt.date
    end: dt.date
    ongoing: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class LevelTime:
    """Every stay at one level of a group of projects (one project, or the org)."""

    level: int
    days: tuple[int, ...]
    """Each stay's days, in card order (a project that came back to the level has several)."""
    ongoing: int
    """How many of the stays are current levels, still running on ``today``."""

    @property
    def stays(self) -> int:
        return len(self.days)

    @property
    def total_days(self) -> int:
        return sum(self.days)

    @property
    def median_days(self) -> float | None:
        return _median(self.days)


def stays(project: Project, today: dt.date) -> tuple[Stay, ...]:
    """The project's valid cards as stays, in date order. A level-9 card's stay is its
    version's time in production, which runs on past a switchback while that version is
    deployed (level 9: monitor the current version, improve the next). A current card dated
    after ``today`` has a stay of 0 days, never a negative one."""
    cards = project.cards
    lines = production_lines(cards)
    found = []
    for index, card in enumerate(cards):
        ongoing = index + 1 == len(cards)
        until = today if ongoing else cards[index + 1].date
        tenure = lines.tenure_of(card)
        if tenure is not None and tenure.running:
            until, ongoing = today, True
        elif tenure is not None and tenure.until is not None:
            until, ongoing = tenure.until, False
        found.append(Stay(project.id, card.level.number, card.date, max(until, card.date), ongoing))
    return tuple(found)


def level_times(all_stays: Iterable[Stay], levels: Iterable[int] | None = None) -> tuple[LevelTime, ...]:
    """Stays grouped by level: every level of ``levels`` (even with no stay), else the
    levels that have stays, lowest first."""
    by_level: dict[int, list[Stay]] = {}
    for stay in all_stays:
        by_level.setdefault(stay.level, []).append(stay)
    wanted = sorted(by_level) if levels is None else list(levels)
    return tuple(LevelTime(level, tuple(s.days for s in by_level.get(level, ())),
                           sum(s.ongoing for s in by_level.get(level, ())))
                 for level in wanted)


# --- review turnaround -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Turnaround:
    """One reviewer's measured time from the review request to the decision."""

    project_id: str
    level: int
    """The level of the card whose review this is."""
    card_date: dt.date
    reviewer: str
    requested: dt.date
    decided: dt.date

    @property
    def days(self) -> int:
        return (self.decided - self.requested).days


@dataclass(frozen=True, slots=True)
class ReviewTimes:
    """The reviews of a group (a level, a project, the org), each counted exactly once:
    measured, or in one of the three counts that say why not."""

    days: tuple[int, ...] = ()
    """Measured turnarounds: a decision (not pending) with both ``requested`` and ``date``."""
    not_measured: int = 0
    """Decided, but without ``requested`` or without a decision ``date``."""
    pending: int = 0
    """No decision yet (``decision: pending``): nothing to measure."""
    inconsistent: int = 0
    """Decided on a ``date`` before the ``requested`` date: not counted as a turnaround."""

    @property
    def measured(self) -> int:
        return len(self.days)

    @property
    def reviews(self) -> int:
        return self.measured + self.not_measured + self.pending + self.inconsistent

    @property
    def median_days(self) -> float | None:
        return _median(self.days)


@dataclass(frozen=True, slots=True)
class LevelReviews:
    level: int
    times: ReviewTimes


def pending_since(card: Card, review: Review | None) -> dt.date:
    """The day a pending decision has waited since: the day the review was asked for
    (``reviewers[].requested``), else the card's date (also for a card in review that names no one)."""
    return review.requested if review is not None and review.requested is not None else card.date


def days_waiting(since: dt.date, today: dt.date) -> int:
    """Whole days from ``since`` to ``today``; 0 for a day after it (a request dated later)."""
    return max(0, (today - since).days)


def turnaround(card: Card, review: Review) -> Turnaround | None:
    """The review's measured turnaround, or None when it is pending, lacks a date or runs
    backwards (``review_times`` says which)."""
    if (review.decision is Decision.PENDING or review.requested is None or review.date is None
            or review.date < review.requested):
        return None
    return Turnaround(card.project_id, card.level.number, card.date, review.name, review.requested, review.date)


def review_times(reviews: Iterable[tuple[Card, Review]]) -> ReviewTimes:
    """Turnarounds of ``(card, review)`` pairs, with the reviews that could not be measured
    counted by why."""
    days: list[int] = []
    not_measured = pending = inconsistent = 0
    for card, review in reviews:
        measured = turnaround(card, review)
        if measured is not None:
            days.append(measured.days)
        elif review.decision is Decision.PENDING:
            pending += 1
        elif review.requested is not None and review.date is not None:
            inconsistent += 1
        else:
            not_measured += 1
    return ReviewTimes(tuple(days), not_measured, pending, inconsistent)


def _reviews(cards: Iterable[Card]) -> list[tuple[Card, Review]]:
    return [(card, review) for card in cards for review in card.reviewers]


# --- switchbacks -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Switchback:
    """A card that moved its project back to an earlier level."""

    project_id: str
    date: dt.date
    from_level: int | None
    """``transition.from``, else the previous card's level; None when neither is known."""
    to_level: int
    kind: str
    """discovery, review, embedded, or ``UNNAMED``."""


@dataclass(frozen=True, slots=True)
class KindCount:
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class PairCount:
    """Switchbacks from one level to another, with their kinds."""

    from_level: int | None
    to_level: int
    count: int
    kinds: tuple[KindCount, ...]


@dataclass(frozen=True, slots=True)
class SwitchbackCounts:
    total: int
    by_kind: tuple[KindCount, ...]
    """MLTRL's three kinds, always, in the paper's order; then ``UNNAMED`` if any."""
    pairs: tuple[PairCount, ...]
    """Most frequent first, then by (from, to)."""


def switchbacks(project: Project) -> tuple[Switchback, ...]:
    found = []
    for index, card in enumerate(project.cards):
        transition = card.transition
        if transition is None or transition.kind is not TransitionKind.SWITCHBACK:
            continue
        from_level = transition.from_level
        if from_level is None and index:
            from_level = project.cards[index - 1].level.number
        kind = transition.switchback.value if transition.switchback is not None else UNNAMED
        found.append(Switchback(project.id, card.date, from_level, card.level.number, kind))
    return tuple(found)


def advances(project: Project) -> int:
    return sum(card.transition is not None and card.transition.kind is TransitionKind.ADVANCE
               for card in project.cards)


def switchback_counts(found: Sequence[Switchback]) -> SwitchbackCounts:
    kinds = [k.value for k in SwitchbackKind]
    by_kind = [KindCount(kind, sum(s.kind == kind for s in found)) for kind in kinds]
    unnamed = sum(s.kind == UNNAMED for s in found)
    if unnamed:
        by_kind.append(KindCount(UNNAMED, unnamed))
    pairs: dict[tuple[int | None, int], list[Switchback]] = {}
    for switchback in found:
        pairs.setdefault((switchback.from_level, switchback.to_level), []).append(switchback)
    counted = [PairCount(from_level, to_level, len(group),
                         tuple(KindCount(kind, n) for kind in [*kinds, UNNAMED]
                               if (n := sum(s.kind == kind for s in group))))
               for (from_level, to_level), group in pairs.items()]
    counted.sort(key=lambda p: (-p.count, -1 if p.from_level is None else p.from_level, p.to_level))
    return SwitchbackCounts(len(found), tuple(by_kind), tuple(counted))


# --- requirements verified over time ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifiedPoint:
    """Requirements at one date: how many are ``verified`` out of how many are listed."""

    date: dt.date
    verified: int
    listed: int
    projects: int = 1
    """How many projects' cards the counts add up (the org series; 1 for a project's)."""


@dataclass(frozen=True, slots=True)
class Tally:
    """How many requirements stand at each status: counted here once, for every page and
    series that says "n of m verified"."""

    counts: Mapping[RequirementStatus, int]
    """As declared."""
    total: int
    contradicted: int = 0
    """Declared verified, but their acceptance evidence misses a criterion (``EvidenceReport``)."""

    @property
    def verified(self) -> int:
        """Only ``verified`` counts: a waived requirement is closed for the gates, but it was not
        verified; nor is one whose evidence contradicts it."""
        return self.counts.get(RequirementStatus.VERIFIED, 0) - self.contradicted

    @property
    def waived(self) -> int:
        return self.counts.get(RequirementStatus.WAIVED, 0)

    def of(self, status: str) -> int:
        """The count of a status by its value (``"verified"``), for tables with a column per status."""
        return self.counts.get(RequirementStatus(status), 0)


def tally(requirements: Iterable[Requirement], verified: Callable[[Requirement], bool] | None = None) -> Tally:
    """Counts by status; ``verified`` says whether a requirement declared verified counts as such
    (``EvidenceReport.verified_on(card)``; default: as declared)."""
    counts: dict[RequirementStatus, int] = {}
    total = contradicted = 0
    for requirement in requirements:
        counts[requirement.status] = counts.get(requirement.status, 0) + 1
        total += 1
        if verified is not None and requirement.status is RequirementStatus.VERIFIED and not verified(requirement):
            contradicted += 1
    return Tally(counts, total, contradicted)


def verified_counts(card: Card, evidence: EvidenceReport | None = None) -> tuple[int, int]:
    """(verified, listed) on one card, verified as ``evidence`` says (default: as declared)."""
    counted = tally(card.requirements, evidence.verified_on(card) if evidence is not None else None)
    return counted.verified, counted.total


def project_series(project: Project, evidence: EvidenceReport | None = None) -> tuple[VerifiedPoint, ...]:
    """One point per card, at its date."""
    return tuple(VerifiedPoint(card.date, *verified_counts(card, evidence)) for card in project.cards)


def org_series(projects: Iterable[Project], evidence: EvidenceReport | None = None) -> tuple[VerifiedPoint, ...]:
    """One point per date any card has: the sums over every project's latest card on or
    before that date (a project counts from its first card on)."""
    return _org_series((project.id, project_series(project, evidence)) for project in projects)


def _org_series(series: Iterable[tuple[str, tuple[VerifiedPoint, ...]]]) -> tuple[VerifiedPoint, ...]:
    """``org_series`` from each project's own series (one point per card)."""
    events = sorted(((point.date, project_id, (point.verified, point.listed))
                     for project_id, points in series for point in points), key=lambda e: (e[0], e[1]))
    latest: dict[str, tuple[int, int]] = {}
    verified = listed = 0  # the sums over ``latest``, kept as it changes: linear in the cards, not cards x projects
    points: list[VerifiedPoint] = []
    for index, (date, project_id, counts) in enumerate(events):
        before = latest.get(project_id, (0, 0))
        latest[project_id] = counts
        verified += counts[0] - before[0]
        listed += counts[1] - before[1]
        if index + 1 == len(events) or events[index + 1][0] != date:
            points.append(VerifiedPoint(date, verified, listed, len(latest)))
    return tuple(points)


# --- per project and across the org ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectMetrics:
    project_id: str
    title: str
    level: int
    """The current card's level."""
    first: dt.date
    """The first card's date."""
    stays: tuple[Stay, ...]
    levels: tuple[LevelTime, ...]
    """The levels the project has been at, lowest first."""
    reviews: ReviewTimes
    turnarounds: tuple[Turnaround, ...]
    switchbacks: tuple[Switchback, ...]
    switchback_counts: SwitchbackCounts
    advances: int
    requirements: tuple[VerifiedPoint, ...]

    @property
    def current(self) -> Stay:
        return self.stays[-1]

    @property
    def days(self) -> int:
        """From the first card to ``today`` (or the current card, if that is later)."""
        return (self.current.end - self.first).days


@dataclass(frozen=True, slots=True)
class PortfolioMetrics:
    today: dt.date
    projects: tuple[ProjectMetrics, ...]
    """Projects with at least one valid card, by id; one with none has no history to measure."""
    levels: tuple[LevelTime, ...]
    """All ten levels, 0 to 9, whether or not any project has been there."""
    reviews: ReviewTimes
    reviews_by_level: tuple[LevelReviews, ...]
    """The levels that have reviews, lowest first."""
    switchbacks: SwitchbackCounts
    advances: int
    requirements: tuple[VerifiedPoint, ...]

    @property
    def cards(self) -> int:
        return sum(len(p.stays) for p in self.projects)


def project_metrics(project: Project, today: dt.date,
                    evidence: EvidenceReport | None = None) -> ProjectMetrics | None:
    """None for a project without a valid card; ``evidence``: what counts as verified (default: as declared)."""
    current = project.current
    if current is None:
        return None
    found = switchbacks(project)
    pairs = _reviews(project.cards)
    measured = (turnaround(card, review) for card, review in pairs)
    own = stays(project, today)
    return ProjectMetrics(project.id, project.title, current.level.number, project.cards[0].date, own,
                          level_times(own), review_times(pairs), tuple(t for t in measured if t is not None),
                          found, switchback_counts(found), advances(project), project_series(project, evidence))


Measure = Callable[[Project], ProjectMetrics | None]
"""``project_metrics`` of a project, as of one day and one evidence report (``measurer``)."""


def measurer(today: dt.date, evidence: EvidenceReport | None = None,
             memo: Memo[str, ProjectMetrics | None] | None = None) -> Measure:
    """``project_metrics`` worked out once per project: the org's metrics and every team's and
    owner's measure the same projects. With ``memo`` (``mkdocs serve``), also across rebuilds,
    for the projects whose cards are the very same objects and judged alike."""
    kept: Memo[str, ProjectMetrics | None] = memo if memo is not None else Memo()

    def measure(project: Project) -> ProjectMetrics | None:
        judged = (evidence.applied, tuple(evidence.of_card(card) for card in project.cards)) if evidence else None
        return kept.get(project.id, (project.cards, today, judged), partial(project_metrics, project, today, evidence))

    return measure


def portfolio_metrics(dossier: Dossier, today: dt.date, evidence: EvidenceReport | None = None,
                      measure: Measure | None = None) -> PortfolioMetrics:
    """Every metric of every project with a valid card, and across them all, as of ``today``;
    ``evidence``: what counts as verified (``CheckedDossier.evidence``; default: as declared);
    ``measure``: each project's metrics as of the same day and evidence (``measurer``; default:
    worked out here)."""
    measure = measure or measurer(today, evidence)
    projects = sorted(dossier.projects.values(), key=lambda p: p.id)
    measured = tuple(m for p in projects if (m := measure(p)) is not None)
    cards = [card for p in projects for card in p.cards]
    by_level: dict[int, list[tuple[Card, Review]]] = {}
    for card, review in _reviews(cards):
        by_level.setdefault(card.level.number, []).append((card, review))
    return PortfolioMetrics(
        today=today,
        projects=measured,
        levels=level_times((s for m in measured for s in m.stays), range(10)),
        reviews=review_times(_reviews(cards)),
        reviews_by_level=tuple(LevelReviews(level, review_times(by_level[level])) for level in sorted(by_level)),
        switchbacks=switchback_counts([s for m in measured for s in m.switchbacks]),
        advances=sum(m.advances for m in measured),
        requirements=_org_series((m.project_id, m.requirements) for m in measured),
    )


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None
