"""The gate engine: runs every enabled rule over a dossier and says, for every card, the
level its evidence earns and whether its approval holds, and for every project the gap to
its next level and its system's readiness.

Earned level: the highest level ``l`` in ``0..declared`` at which the card passes every
enabled LEVEL rule judged as if it stood at ``l``, and, for every EXIT rule whose level is
below ``l``, the project's latest card at that level that it advanced from (before this
card) passes it. Level 0 is the floor.

Readings the spec leaves open, chosen here:

* Every enabled rule counts towards the earned level, whatever its severity: severity
  is a build policy, the earned level says what the evidence supports. Only ``off``
  takes a rule out of the reckoning.
* CARD and PROJECT rules never lower an earned level; CARD rules on the review decide
  whether an approval is *earned* (status approved, and no review rule falls short).
* A project counts in a coupled system at its current card's earned level, except that
  a draft card never raises it above the latest card that is not a draft.
* A requirement counts as verified when the evidence report says so
  (``EvidenceReport.verified``): declared verified and not contradicted by its acceptance
  evidence, while ``evidence-contradicts`` is on (off, like any rule, takes it out of the
  reckoning). The criteria are judged once, before any rule runs.
* Git's history (the provenance, when the caller read it) is only ever read by project rules:
  ``stale`` (when a card last changed) and ``suspect-evidence`` (evidence committed after the
  approving decision). Without it they judge by the cards alone (dates, ``sha256`` hashes), and
  no earned level depends on it.
* The gap to the next level lists what fails at the current level *and* at the next
  one, plus what leaving takes: an earned approval, an answered stage debrief and every
  EXIT rule of the current level.
* LEVEL, CARD and EXIT rules read only their own project (its cards and pages), the settings,
  the day and the evidence of its cards; only PROJECT rules read the system (other projects'
  standing) and git. So a project's earned levels, approvals, gap and non-PROJECT shortfalls
  (``OwnGates``) can be kept across ``mkdocs serve`` rebuilds (``GateMemo``) while those inputs
  are the same: an edit to one card judges that card's project again, and the PROJECT rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mltrl_docs.evidence import EvidenceReport, evaluate_evidence
from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.gates.catalogue import BY_NAME
from mltrl_docs.gates.history import debrief_shortfall
from mltrl_docs.gates.locate import where
from mltrl_docs.gates.reviews import missing_roles, review_problems
from mltrl_docs.gates.rule import Context, Rule, Scope, Shortfall
from mltrl_docs.gates.settings import GateSettings
from mltrl_docs.memo import Memo
from mltrl_docs.model import Card, CardStatus, Dossier, Project, TransitionKind
from mltrl_docs.provenance import NO_PROVENANCE, ProvenanceReport
from mltrl_docs.readiness import SystemReadiness, system_readiness

_REVIEW_RULES = ("review", "review-roles")


@dataclass(frozen=True, slots=True)
class GapItem:
    """One thing the current card must change to pass the next level's gates."""

    rule: str
    text: str
    field: str | None
    position: Position | None


@dataclass(frozen=True, slots=True)
class ProjectGates:
    """Where a project stands by its own word and by the gates."""

    declared: int
    earned: int
    gap: tuple[GapItem, ...]
    readiness: SystemReadiness
    approved: bool
    """The current card's approval holds: status approved and no review rule falls short."""

    @property
    def unearned(self) -> bool:
        """The current card declares a level its evidence does not earn (the pages flag it)."""
        return self.earned < self.declared


@dataclass(frozen=True, slots=True)
class GateReport:
    """Everything the gate engine says about a dossier."""

    findings: tuple[Finding, ...]
    earned: Mapping[Path, int]
    """The earned level of every valid card, by its path."""
    approved: Mapping[Path, bool]
    """Whether each card's approval is earned (see ``ProjectGates.approved``)."""
    projects: Mapping[str, ProjectGates]


@dataclass(frozen=True, slots=True)
class OwnGates:
    """What a project's own cards say under the gates, whatever the other projects say."""

    earned: Mapping[Path, int]
    approved: Mapping[Path, bool]
    shortfalls: tuple[Shortfall, ...]
    """The LEVEL and CARD rules' on every card, the EXIT rules' on the cards left (not PROJECT rules')."""
    gap: tuple[GapItem, ...]


GateMemo = Memo[str, OwnGates]
"""Each project's ``OwnGates`` by project id, kept across ``mkdocs serve`` rebuilds."""


class _Judge:
    """One evaluation's settings, dossier and day, to build contexts from."""

    def __init__(self, dossier: Dossier, settings: GateSettings, today: dt.date,
                 evidence: EvidenceReport | None = None, provenance: ProvenanceReport = NO_PROVENANCE) -> None:
        self.dossier, self.settings, self.today = dossier, settings, today
        self.evidence = judged(dossier, settings, evidence)
        self.provenance = provenance
        self.rules = settings.enabled()
        self.by_scope = {scope: tuple(rule for rule in self.rules if rule.scope is scope) for scope in Scope}
        self.system: dict[str, Any] = {}
        self._left: dict[tuple[str, Path], tuple[Shortfall, ...]] = {}
        self._advanced: dict[tuple[str, int], list[Card]] = {}
        self._order: dict[str, dict[Path, int]] = {}

    def of(self, scope: Scope) -> tuple[Rule, ...]:
        return self.by_scope[scope]

    def context(self, rule: Rule, card: Card, project: Project, level: int | None = None) -> Context:
        return Context(rule, card, card.level.number if level is None else level, project, self.dossier,
                       self.settings, self.today, self.system, self.evidence, self.provenance)

    def exit_level(self, rule: Rule) -> int:
        assert rule.exit_level is not None
        return int(self.settings.option(rule.name, rule.exit_level))

    def run(self, rule: Rule, card: Card, project: Project, level: int | None = None) -> Iterator[Shortfall]:
        yield from rule.check(self.context(rule, card, project, level))

    def left(self, rule: Rule, card: Card, project: Project) -> tuple[Shortfall, ...]:
        """An exit rule's shortfalls on a card the project left: the same whatever later card
        or level asks, so worked out once (every later card's earned level asks at every level)."""
        key = (rule.name, card.path)
        if key not in self._left:
            self._left[key] = tuple(self.run(rule, card, project))
        return self._left[key]

    def advanced_from(self, project: Project, level: int) -> list[Card]:
        key = (project.id, level)
        if key not in self._advanced:
            self._advanced[key] = advanced_from(project, level)
        return self._advanced[key]

    def before(self, project: Project, card: Card, cards: list[Card]) -> list[Card]:
        """Those of ``cards`` that come before ``card`` in the project's history (its order,
        not the dates: two cards dated alike are an error, and still have an order)."""
        order = self._order.get(project.id)
        if order is None:
            order = self._order[project.id] = {c.path: i for i, c in enumerate(project.cards)}
        return [c for c in cards if order[c.path] < order[card.path]]


def judged(dossier: Dossier, settings: GateSettings, evidence: EvidenceReport | None = None) -> EvidenceReport:
    """The evidence report the gates read: ``evidence`` when the caller judged the criteria
    already (a build does, once), else judged here; applied only while evidence-contradicts is on."""
    report = evidence if evidence is not None else evaluate_evidence(dossier)
    return report.applying(settings.blocks("evidence-contradicts"))


def advanced_from(project: Project, level: int) -> list[Card]:
    """The project's cards at ``level`` that the next card advanced from, in date order."""
    return [
        card for card, after in zip(project.cards, project.cards[1:], strict=False)
        if card.level.number == level and after.level.number == level + 1
        and after.transition is not None and after.transition.kind is TransitionKind.ADVANCE
    ]


def _level_shortfalls(judge: _Judge, card: Card, project: Project, level: int) -> Iterator[Shortfall]:
    """The blocking shortfalls of ``card`` judged as if it stood at ``level``."""
    for rule in judge.of(Scope.LEVEL):
        yield from judge.run(rule, card, project, level)
    for rule in judge.of(Scope.EXIT):
        left = judge.exit_level(rule)
        # A card judged above its own level (the gap) leaves that level itself: an earlier
        # card left there no longer counts, and ``_leaving`` checks this one.
        if level > left and card.level.number > left:
            passed = judge.before(project, card, judge.advanced_from(project, left))
            if passed:
                yield from judge.left(rule, passed[-1], project)


def _earned(judge: _Judge, card: Card, project: Project) -> int:
    for level in range(card.level.number, 0, -1):
        if next(_level_shortfalls(judge, card, project, level), None) is None:
            return level
    return 0


def earned_level(card: Card, project: Project, settings: GateSettings, dossier: Dossier | None = None,
                 today: dt.date | None = None, evidence: EvidenceReport | None = None) -> int:
    """The highest level up to the declared one whose gates the card passes."""
    judge = _Judge(dossier or Dossier({project.id: project}), settings, today or dt.date.today(), evidence)
    return _earned(judge, card, project)


def _approval_problems(judge: _Judge, card: Card, project: Project) -> Iterator[Shortfall]:
    """What keeps the card's review from counting, whatever its status."""
    if judge.settings.blocks("review"):
        yield from review_problems(judge.context(BY_NAME["review"], card, project))
    if judge.settings.blocks("review-roles"):
        yield from missing_roles(judge.context(BY_NAME["review-roles"], card, project))


def _leaving(judge: _Judge, card: Card, project: Project) -> Iterator[Shortfall]:
    """What leaving the card's level takes beyond the next level's gates."""
    if judge.settings.blocks("review") and card.status is not CardStatus.APPROVED:
        yield Shortfall(
            "review", card, f"the level-{card.level.number} card is {card.status.value}",
            where(card, "status"), "status", "hold the gated review and set status: approved",
            f"Pass the level-{card.level.number} gated review (status is {card.status.value})",
        )
    yield from _approval_problems(judge, card, project)
    if judge.settings.blocks("debrief") and not card.body.debrief_answered:
        yield debrief_shortfall(judge.context(BY_NAME["debrief"], card, project), card, left=False)
    for rule in judge.of(Scope.EXIT):
        if card.level.number == judge.exit_level(rule):
            yield from judge.run(rule, card, project)


def _gap(judge: _Judge, project: Project) -> tuple[GapItem, ...]:
    card = project.current
    if card is None or card.level.number >= 9:
        return ()
    level = card.level.number
    found = [
        *_level_shortfalls(judge, card, project, level),
        *_level_shortfalls(judge, card, project, level + 1),
        *_leaving(judge, card, project),
    ]
    items: dict[tuple[str, str, str | None], GapItem] = {}
    for s in found:
        here = s.card is card
        text = s.todo if here else f"{s.todo} on the level-{s.card.level.number} card {s.card.path.name}"
        items.setdefault((s.rule, text, s.field), GapItem(s.rule, text, s.field, s.position if here else None))
    return tuple(items.values())


def gap_to_next(project: Project, settings: GateSettings, dossier: Dossier | None = None,
                today: dt.date | None = None, evidence: EvidenceReport | None = None) -> list[GapItem]:
    """What the current card must change to pass the gates of the next level."""
    judge = _Judge(dossier or Dossier({project.id: project}), settings, today or dt.date.today(), evidence)
    return list(_gap(judge, project))


def _own_shortfalls(judge: _Judge, project: Project) -> Iterator[Shortfall]:
    """Every shortfall of the enabled LEVEL, CARD and EXIT rules on the project's cards, at
    their declared levels."""
    for card in project.cards:
        for rule in (*judge.of(Scope.LEVEL), *judge.of(Scope.CARD)):
            yield from judge.run(rule, card, project)
    for rule in judge.of(Scope.EXIT):
        for card in advanced_from(project, judge.exit_level(rule)):
            yield from judge.run(rule, card, project)


def _project_shortfalls(judge: _Judge, project: Project) -> Iterator[Shortfall]:
    """The PROJECT rules' shortfalls on the project's current card."""
    current = project.current
    if current is not None:
        for rule in judge.of(Scope.PROJECT):
            yield from judge.run(rule, current, project)


def _own(judge: _Judge, project: Project) -> OwnGates:
    earned = {card.path: _earned(judge, card, project) for card in project.cards}
    approved = {card.path: card.status is CardStatus.APPROVED
                and next(_approval_problems(judge, card, project), None) is None
                for card in project.cards}
    return OwnGates(MappingProxyType(earned), MappingProxyType(approved), tuple(_own_shortfalls(judge, project)),
                    _gap(judge, project))


def _own_inputs(judge: _Judge, project: Project) -> tuple[object, ...]:
    """What ``_own`` reads (see the module's docstring): cards and pages compared as the very
    same objects (``FileCache`` hands back an unchanged file's), the rest by value."""
    return (project.folder, project.cards, project.attachments, judge.settings, judge.today, judge.evidence.applied,
            tuple(judge.evidence.of_card(card) for card in project.cards))


def _standing(project: Project, earned: Mapping[Path, int]) -> int | None:
    """The level a project counts at in a system: its current card's earned level, which a
    draft never raises above the latest card that is not a draft."""
    current = project.current
    if current is None:
        return None
    level = earned[current.path]
    if current.status is CardStatus.DRAFT:
        settled = [card for card in project.cards if card.status is not CardStatus.DRAFT]
        if settled:
            level = min(level, earned[settled[-1].path])
    return level


def evaluate(dossier: Dossier, settings: GateSettings | None = None, today: dt.date | None = None,
             evidence: EvidenceReport | None = None, provenance: ProvenanceReport = NO_PROVENANCE,
             memo: GateMemo | None = None) -> GateReport:
    """Gate findings, earned levels, approvals, gaps and system readiness for every project;
    ``evidence``: the acceptance criteria already judged (default: judged here); ``provenance``:
    what git says about the files (default: nothing, so the rules that read it fall back on the
    cards alone); ``memo``: each project's own judgement from the last build (``mkdocs serve``),
    reused for the projects whose inputs are the same."""
    judge = _Judge(dossier, settings if settings is not None else GateSettings(), today or dt.date.today(),
                   evidence, provenance)
    own = {project_id: memo.get(project_id, _own_inputs(judge, project), partial(_own, judge, project))
           if memo is not None else _own(judge, project)
           for project_id, project in dossier.projects.items()}
    earned = {path: level for gates in own.values() for path, level in gates.earned.items()}
    approved = {path: holds for gates in own.values() for path, holds in gates.approved.items()}
    standing = {project_id: _standing(project, earned) for project_id, project in dossier.projects.items()}
    readiness = system_readiness(dossier, standing)
    judge.system.update(readiness=readiness, earned=standing, approved=approved)
    findings: list[Finding] = []
    projects: dict[str, ProjectGates] = {}
    for project_id, project in dossier.projects.items():
        current = project.current
        if current is None:
            continue
        findings += [s.finding(_severity(judge.settings, s.rule))
                     for s in (*own[project_id].shortfalls, *_project_shortfalls(judge, project))]
        projects[project_id] = ProjectGates(
            declared=current.level.number, earned=earned[current.path], gap=own[project_id].gap,
            readiness=readiness[project_id], approved=approved[current.path],
        )
    return GateReport(tuple(sorted(findings, key=Finding.sort_key)), MappingProxyType(earned),
                      MappingProxyType(approved), MappingProxyType(projects))


def _severity(settings: GateSettings, rule: str) -> Severity:
    severity = settings.severity(rule)
    assert severity is not None, f"rule {rule} ran while off"
    return severity
