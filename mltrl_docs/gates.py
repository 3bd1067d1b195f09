"""The gate policy (spec/gates.md): does a card show what its level's gated review expects?

MLTRL ends every level with a gated review. The dossier cannot hold that review,
but it can show, card by card, whether the evidence a reviewer expects is there.
Each rule of gates.md is one small function here. A rule finds *shortfalls*
(what is missing, where, and what to do); the engine turns them into located
``Finding`` objects with the rule's configured severity, into the card's
*earned level*, and into the project's *gap to the next level*.

Earned level: the highest level ``l`` in ``0..declared`` such that the card
passes every enabled *level-dependent* rule evaluated as if it stood at ``l``.
The level-dependent rules are research-requirements, product-requirements,
risk-scored, high-risk-open, ethics-pre, ethics-post, versions, sections and the
leave rules (to stand above level 4 having come through level 4, the project's
latest level-4 card before this one that it advanced from must have closed its
research requirements; likewise above level 8 with product requirements).

Readings the spec leaves open, chosen here:

* Every enabled rule counts towards the earned level, whatever its severity:
  severity is a build policy (``info`` is shown and never fails a build,
  ``error`` fails it even without ``--strict``), while the earned level says
  what the evidence supports. Only ``off`` takes a rule out of the reckoning.
* A rule with an upper level (research-requirements: levels 2 to 5) expects
  nothing of a card whose declared level is past it, even when the card is
  evaluated as if it stood lower: a level-6 card that (rightly) carries only
  product requirements is not marked down to level 1 for lacking research ones.
* Level 0 is the floor: a card that fails even level 0's gates earns 0.
* Rules that do not depend on a level (review, waiver-reason, debrief, the two
  switchback rules, stale, coupled-readiness) are reported, and never lower an
  earned level.
* The gap to the next level lists what fails at the current level *and* at the
  next one, plus what leaving the level takes: an approved gated review, an
  answered stage debrief and, when leaving level 4 or 8, closed requirements.

This module is the pure core: no MkDocs, no rendering.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mltrl_docs.body import heading_key
from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.model import (
    Card,
    CardStatus,
    Decision,
    Dossier,
    EthicsStatus,
    Project,
    Requirement,
    RequirementKind,
    RequirementStatus,
    SwitchbackKind,
    TransitionKind,
)
from mltrl_docs.readiness import SystemReadiness, system_readiness

RULES: tuple[str, ...] = (
    "review",
    "research-requirements",
    "product-requirements",
    "leave-research",
    "leave-product",
    "waiver-reason",
    "risk-scored",
    "high-risk-open",
    "ethics-pre",
    "ethics-post",
    "versions",
    "sections",
    "debrief",
    "switchback-known",
    "embedded-switchback",
    "coupled-readiness",
    "stale",
)
"""Every gate rule, by the name gates.md gives it (and the settings file uses)."""

LEVEL_DEPENDENT: frozenset[str] = frozenset({
    "research-requirements", "product-requirements", "leave-research", "leave-product",
    "risk-scored", "high-risk-open", "ethics-pre", "ethics-post", "versions", "sections",
})
"""Rules whose outcome depends on the level a card stands at: they decide the earned level."""

DEFAULT_SEVERITY: Mapping[str, Severity] = MappingProxyType({
    **{rule: Severity.WARNING for rule in RULES},
    "coupled-readiness": Severity.INFO,
})
"""The severity a rule has when it is on (gates.md: a finding is a warning)."""

OFF_BY_DEFAULT: frozenset[str] = frozenset({"stale"})

DEFAULT_SECTIONS: Mapping[int, tuple[str, ...]] = MappingProxyType({
    0: ("TL;DR", "Model / algorithm info"),
    2: ("Data considerations",),
    3: ("Testing status",),
    4: ("Intended use", "Caveats, known edge cases, recommendations"),
})
"""Headings expected from each level on (gates.md); a setting replaces the table."""

DEFAULT_VERSIONS: Mapping[str, int | None] = MappingProxyType({"code": 3, "model": 4, "data": 4})
DEFAULT_EMBEDDED: frozenset[tuple[int, int]] = frozenset({(4, 2), (9, 4)})

SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
"""semver.org's regular expression (with ASCII digits), matched against the whole text."""

_TLDR = "tldr"


# --- settings -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelRange:
    """The levels a rule applies at: ``start`` and up, to ``end`` when it has one."""

    start: int
    end: int | None = None

    def covers(self, level: int, declared: int) -> bool:
        """Does the rule apply at ``level`` to a card declared at ``declared``?

        A card past the upper end has outgrown the rule, whatever level it is
        evaluated at (see the module docstring)."""
        if self.end is None:
            return self.start <= level
        return self.start <= level <= self.end and declared <= self.end

    @property
    def text(self) -> str:
        if self.end is None:
            return f"from level {self.start}"
        return f"from level {self.start} to level {self.end}"


def _default_severities() -> Mapping[str, Severity | None]:
    return MappingProxyType({
        rule: None if rule in OFF_BY_DEFAULT else severity for rule, severity in DEFAULT_SEVERITY.items()
    })


@dataclass(frozen=True)
class GateSettings:
    """Thresholds and severities of every gate rule; ``GateSettings()`` is gates.md's defaults."""

    severities: Mapping[str, Severity | None] = field(default_factory=_default_severities)
    """Each rule's severity, None when the rule is off."""
    research: LevelRange = LevelRange(2, 5)
    product: LevelRange = LevelRange(5)
    leave_research: int = 4
    leave_product: int = 8
    risk_scored: int = 5
    high_risk: int = 7
    high_risk_score: int = 15
    ethics_pre: int = 4
    ethics_post: int = 8
    versions: Mapping[str, int | None] = field(default_factory=lambda: DEFAULT_VERSIONS)
    """From which level each of code, model and data needs a version (None: never)."""
    sections: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_SECTIONS)
    embedded_pairs: frozenset[tuple[int, int]] = DEFAULT_EMBEDDED
    """(from, to) level pairs of the switchbacks MLTRL builds into the process."""
    stale_days: int = 365

    def severity(self, rule: str) -> Severity | None:
        """The rule's severity, None when it is off."""
        return self.severities.get(rule)

    def blocks(self, rule: str) -> bool:
        """True when the rule is on, at any severity: what holds a card back."""
        return self.severity(rule) is not None

    @classmethod
    def from_data(cls, data: Mapping[str, object] | None) -> GateSettings:
        """Settings from the ``gates:`` mapping of mltrl-docs.yml (already schema-checked)."""
        if not data:
            return cls()
        unknown = sorted(str(name) for name in data if name not in DEFAULT_SEVERITY)
        if unknown:
            raise ValueError(f"unknown gate rule(s): {', '.join(unknown)}; known: {', '.join(RULES)}")
        severities = dict(_default_severities())
        options: dict[str, Mapping[str, object]] = {}
        for rule, value in data.items():
            severities[rule], options[rule] = _rule_value(rule, value)
        return cls(severities=MappingProxyType(severities), **_options(options))


def _rule_value(rule: str, value: object) -> tuple[Severity | None, Mapping[str, object]]:
    """A rule's setting: a severity word, a boolean, or a mapping of severity and options."""
    if isinstance(value, Mapping):
        options = {str(k): v for k, v in value.items() if k != "severity"}
        return _severity(rule, value.get("severity", True)), options
    return _severity(rule, value), {}


def _severity(rule: str, value: object) -> Severity | None:
    if value is None or value is True or value == "on":
        return DEFAULT_SEVERITY[rule]
    if value is False or value == "off":
        return None
    if isinstance(value, str):
        return Severity(value)
    raise ValueError(f"gate rule {rule}: {value!r} is not a severity (info, warning, error, off)")


def _options(options: Mapping[str, Mapping[str, object]]) -> dict[str, Any]:
    """GateSettings keyword arguments for the options that were written."""
    def number(rule: str, key: str) -> int | None:
        value = options.get(rule, {}).get(key)
        return None if value is None else _int(value)

    found: dict[str, Any] = {
        "research": _range(options.get("research-requirements", {}), LevelRange(2, 5)),
        "product": _range(options.get("product-requirements", {}), LevelRange(5)),
        "leave_research": number("leave-research", "level"),
        "leave_product": number("leave-product", "level"),
        "risk_scored": number("risk-scored", "from"),
        "high_risk": number("high-risk-open", "from"),
        "high_risk_score": number("high-risk-open", "score"),
        "ethics_pre": number("ethics-pre", "from"),
        "ethics_post": number("ethics-post", "from"),
        "stale_days": number("stale", "days"),
        "versions": _versions(options.get("versions", {})),
        "sections": _sections(options.get("sections", {}).get("table")),
        "embedded_pairs": _pairs(options.get("embedded-switchback", {}).get("pairs")),
    }
    return {name: value for name, value in found.items() if value is not None}


def _range(given: Mapping[str, object], default: LevelRange) -> LevelRange | None:
    if "from" not in given and "to" not in given:
        return None
    start, end = given.get("from", default.start), given.get("to", default.end)
    return LevelRange(_int(start), None if end is None else _int(end))


def _versions(given: Mapping[str, object]) -> Mapping[str, int | None] | None:
    if not given:
        return None
    merged = dict(DEFAULT_VERSIONS)
    merged.update({key: None if value is None else _int(value) for key, value in given.items()})
    return MappingProxyType(merged)


def _sections(table: object) -> Mapping[int, tuple[str, ...]] | None:
    """The replacement sections table; its level keys may arrive as ints or as text."""
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise TypeError(f"sections table {table!r} is not a mapping")
    return MappingProxyType({
        _int(level): tuple(str(h) for h in _list(headings)) for level, headings in table.items()
    })


def _pairs(pairs: object) -> frozenset[tuple[int, int]] | None:
    return None if pairs is None else frozenset(_pair(pair) for pair in _list(pairs))


def _int(value: object) -> int:
    """An int from YAML (mapping keys may arrive as text)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"{value!r} is not a whole number")
    return int(value)


def _list(value: object) -> list[object]:
    if not isinstance(value, list | tuple):
        raise TypeError(f"{value!r} is not a list")
    return list(value)


def _pair(value: object) -> tuple[int, int]:
    """A (from, to) level pair written as a two-item list."""
    items = _list(value)
    if len(items) != 2:
        raise ValueError(f"{value!r} is not a pair of levels")
    return _int(items[0]), _int(items[1])


# --- shortfalls: what a rule finds missing --------------------------------------


@dataclass(frozen=True, slots=True)
class Shortfall:
    """What one rule finds missing on one card, before it is given a severity."""

    rule: str
    card: Card
    message: str
    position: Position
    field: str | None
    hint: str
    todo: str
    """The imperative sentence the gap to the next level shows."""
    applies_from: int | None = None

    def finding(self, severity: Severity) -> Finding:
        return Finding(severity, self.rule, self.message, self.card.path, self.position,
                       field=self.field, hint=self.hint, project=self.card.project_id,
                       applies_from=self.applies_from)


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
    gap: list[GapItem]
    readiness: SystemReadiness


@dataclass
class GateReport:
    """Everything the gate engine says about a dossier."""

    findings: list[Finding] = field(default_factory=list)
    earned: dict[Path, int] = field(default_factory=dict)
    """The earned level of every valid card, by its path."""
    projects: dict[str, ProjectGates] = field(default_factory=dict)


def _where(card: Card, *path: str | int) -> Position:
    """Position of a frontmatter field or its nearest written parent, else of ``level``."""
    for length in range(len(path), 0, -1):
        found = card.positions.get(tuple(path[:length]))
        if found:
            return found
    return card.where("level")


def _body_start(card: Card) -> Position:
    """The body's first non-blank line: where a missing section is reported."""
    for offset, line in enumerate(card.body.markdown.split("\n")):
        if line.strip():
            return Position(card.body.line + offset, 1)
    return _where(card, "level")


def _requirement_at(card: Card, requirement: Requirement, *rest: str) -> Position:
    return _where(card, "requirements", requirement.index, *rest)


def _field(requirement: Requirement, name: str) -> str:
    return f"requirements[{requirement.index}].{name}"


# --- level-dependent rules: (card, settings, level) ------------------------------


def research_requirements(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """Levels 2 to 5: the card lists at least one research requirement."""
    yield from _has_kind(card, "research-requirements", RequirementKind.RESEARCH, settings.research, level)


def product_requirements(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """From level 5: the card lists at least one product requirement."""
    yield from _has_kind(card, "product-requirements", RequirementKind.PRODUCT, settings.product, level)


def _has_kind(card: Card, rule: str, kind: RequirementKind, levels: LevelRange,
              level: int) -> Iterator[Shortfall]:
    if not levels.covers(level, card.level.number):
        return
    if any(r.kind is kind for r in card.requirements):
        return
    yield Shortfall(
        rule, card, f"the card lists no {kind.value} requirement; {rule} applies {levels.text}",
        _where(card, "requirements"), "requirements",
        f"add a requirement with kind: {kind.value}, a verification method and a status",
        f"Add at least one {kind.value} requirement", levels.start,
    )


def risk_scored(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """From level 5: every product requirement has a risk (likelihood x impact)."""
    start = settings.risk_scored
    if level < start:
        return
    for r in card.requirements:
        if r.kind is RequirementKind.PRODUCT and r.risk is None:
            yield Shortfall(
                "risk-scored", card,
                f"product requirement {r.id} has no risk (likelihood x impact); "
                f"risk-scored applies from level {start}",
                _requirement_at(card, r), _field(r, "risk"),
                "add risk: {likelihood: 1..5, impact: 1..5}",
                f"Give product requirement {r.id} a risk (likelihood and impact, 1 to 5 each)", start,
            )


def high_risk_open(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """From level 7: no requirement scoring at or above the threshold is not-started or failed."""
    start, threshold = settings.high_risk, settings.high_risk_score
    if level < start:
        return
    for r in card.requirements:
        if r.risk is None or r.risk.score < threshold:
            continue
        if r.status not in (RequirementStatus.NOT_STARTED, RequirementStatus.FAILED):
            continue
        score = f"risk score {r.risk.score} ({r.risk.likelihood} x {r.risk.impact})"
        todo = (f"Start work on requirement {r.id} ({score}, not-started)"
                if r.status is RequirementStatus.NOT_STARTED
                else f"Address failed requirement {r.id} ({score})")
        yield Shortfall(
            "high-risk-open", card,
            f"requirement {r.id} has {score} and is {r.status.value}; high-risk-open applies "
            f"from level {start} to requirements scoring {threshold} or more",
            _requirement_at(card, r, "status"), _field(r, "status"),
            "start the work (or rework what failed), or mitigate the risk and score it again",
            todo, start,
        )


def ethics_pre(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """From level 4: the pre-development ethics checklist is complete or not applicable."""
    yield from _ethics(card, "ethics-pre", "pre_development", card.ethics.pre_development,
                       settings.ethics_pre, level)


def ethics_post(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """From level 8: the post-development ethics checklist is complete or not applicable."""
    yield from _ethics(card, "ethics-post", "post_development", card.ethics.post_development,
                       settings.ethics_post, level)


def _ethics(card: Card, rule: str, key: str, status: EthicsStatus | None, start: int,
            level: int) -> Iterator[Shortfall]:
    if level < start or status in (EthicsStatus.COMPLETE, EthicsStatus.NOT_APPLICABLE):
        return
    said = status.value if status is not None else "not given"
    stage = key.replace("_", "-")
    yield Shortfall(
        rule, card,
        f"ethics.{key} is {said}; {rule} applies from level {start} and needs it complete or not-applicable",
        _where(card, "ethics", key), f"ethics.{key}",
        f"finish the {stage} ethics checklist and set {key}: complete (or not-applicable)",
        f"Complete the {stage} ethics checklist (ethics.{key} is {said})", start,
    )


def versions(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """Code from level 3, model and data from level 4: present, and semantic versions."""
    for key, start in settings.versions.items():
        if start is None or level < start:
            continue
        value = getattr(card.versions, key, None)
        if value is not None and SEMVER.fullmatch(str(value)):
            continue
        what = "is missing" if value is None else f"'{value}' is not a semantic version"
        yield Shortfall(
            "versions", card, f"versions.{key} {what}; versions expects one from level {start}",
            _where(card, "versions", key), f"versions.{key}",
            "write MAJOR.MINOR.PATCH in quotes, e.g. \"1.2.0\" (optionally -rc.1 or +build.5)",
            f"Set versions.{key} to a semantic version (e.g. 1.0.0)", start,
        )


def sections(card: Card, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """The body has every heading the levels up to ``level`` need."""
    present = {_section_key(s.title) for s in card.body.sections}
    if card.body.tldr:
        present.add(_TLDR)
    for start, headings in sorted(settings.sections.items()):
        if start > level:
            continue
        for heading in headings:
            if _section_key(heading) in present:
                continue
            hint = (f"start the body with a bold '**TL;DR**:' paragraph, or add a '## {heading}' heading"
                    if _section_key(heading) == _TLDR else f"add a '## {heading}' heading and its text")
            yield Shortfall(
                "sections", card,
                f"the body has no '{heading}' section; sections expects it from level {start}",
                _body_start(card), "body", hint, f"Add a '## {heading}' section", start,
            )


def _section_key(title: str) -> str:
    """``heading_key`` without spaces, so 'Model/algorithm info' is 'Model / algorithm info'."""
    return heading_key(title).replace(" ", "")


LevelRule = Callable[[Card, GateSettings, int], Iterator[Shortfall]]

LEVEL_RULES: Mapping[str, LevelRule] = MappingProxyType({
    "research-requirements": research_requirements,
    "product-requirements": product_requirements,
    "risk-scored": risk_scored,
    "high-risk-open": high_risk_open,
    "ethics-pre": ethics_pre,
    "ethics-post": ethics_post,
    "versions": versions,
    "sections": sections,
})


# --- card rules ----------------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def review(card: Card, settings: GateSettings) -> Iterator[Shortfall]:
    """An approved card shows its gated review: an approver, no rejection, no owner reviewing."""
    if card.status is CardStatus.APPROVED:
        yield from _review_problems(card)


def _review_problems(card: Card) -> Iterator[Shortfall]:
    """What the reviewers list lacks for a gated review, whatever the card's status."""
    if not any(r.decision is Decision.APPROVED for r in card.reviewers):
        yield Shortfall(
            "review", card,
            f"the level-{card.level.number} card is {card.status.value}, but no reviewer's decision is approved",
            _where(card, "reviewers") if card.reviewers else _where(card, "status"), "reviewers",
            "record the gated review: a reviewer with decision: approved (or set status back to in-review)",
            "Record a reviewer whose decision is approved",
        )
    owners = {_name_key(o) for o in card.owners}
    for index, reviewer in enumerate(card.reviewers):
        if reviewer.decision is Decision.REJECTED:
            yield Shortfall(
                "review", card, f"reviewer {reviewer.name} rejected this level, but the card is {card.status.value}",
                _where(card, "reviewers", index, "decision"), f"reviewers[{index}].decision",
                "settle the rejection first: set status: rejected, or record the reviewer's new decision",
                f"Resolve {reviewer.name}'s rejection of this level",
            )
        if _name_key(reviewer.name) in owners:
            yield Shortfall(
                "review", card,
                f"{reviewer.name} is both an owner and a reviewer of this card; "
                "a gated review needs reviewers who do not own the project",
                _where(card, "reviewers", index, "name"), f"reviewers[{index}].name",
                "ask someone outside the project's owners to review this level",
                f"Have someone who is not an owner review in place of {reviewer.name}",
            )


def waiver_reason(card: Card, settings: GateSettings) -> Iterator[Shortfall]:
    """A waived requirement says why."""
    for r in card.requirements:
        if r.status is RequirementStatus.WAIVED and not (r.reason or "").strip():
            yield Shortfall(
                "waiver-reason", card, f"requirement {r.id} is waived without a reason",
                _requirement_at(card, r, "status"), _field(r, "reason"),
                "add reason: why it no longer needs to be met, and who agreed",
                f"Give the waiver of requirement {r.id} a reason",
            )


CardRule = Callable[[Card, GateSettings], Iterator[Shortfall]]

CARD_RULES: Mapping[str, CardRule] = MappingProxyType({"review": review, "waiver-reason": waiver_reason})


# --- project rules: history ------------------------------------------------------------


_LEAVE_KINDS: Mapping[str, RequirementKind] = MappingProxyType({
    "leave-research": RequirementKind.RESEARCH,
    "leave-product": RequirementKind.PRODUCT,
})


def _leave_level(rule: str, settings: GateSettings) -> int:
    return settings.leave_research if rule == "leave-research" else settings.leave_product


def _advanced_from(project: Project, level: int) -> list[Card]:
    """The project's cards at ``level`` that the next card advanced from, in date order."""
    return [
        card for card, after in zip(project.cards, project.cards[1:], strict=False)
        if card.level.number == level and after.level.number == level + 1
        and after.transition is not None and after.transition.kind is TransitionKind.ADVANCE
    ]


def _open_requirements(card: Card, rule: str, settings: GateSettings) -> Iterator[Shortfall]:
    """The leave rule on one card: each requirement of its kind that is not closed."""
    kind, level = _LEAVE_KINDS[rule], _leave_level(rule, settings)
    for r in card.requirements:
        if r.kind is kind and not r.status.closed:
            yield Shortfall(
                rule, card,
                f"{kind.value} requirement {r.id} is {r.status.value}, but the project leaves this level-{level} "
                f"card for level {level + 1}; {rule} needs every {kind.value} requirement verified or waived",
                _requirement_at(card, r, "status"), _field(r, "status"),
                "verify it (with evidence), or waive it with a reason",
                f"Verify or waive {kind.value} requirement {r.id} ({r.status.value})", level,
            )


def leave_research(project: Project, settings: GateSettings) -> Iterator[Shortfall]:
    """The level-4 card a project advanced from has every research requirement closed."""
    for card in _advanced_from(project, settings.leave_research):
        yield from _open_requirements(card, "leave-research", settings)


def leave_product(project: Project, settings: GateSettings) -> Iterator[Shortfall]:
    """The level-8 card a project advanced from has every product requirement closed."""
    for card in _advanced_from(project, settings.leave_product):
        yield from _open_requirements(card, "leave-product", settings)


def debrief(project: Project, settings: GateSettings) -> Iterator[Shortfall]:
    """Every card the project has left (all but its current one) has an answered stage debrief."""
    for card in project.cards[:-1]:
        if not card.body.debrief_answered:
            yield _debrief_shortfall(card, left=True)


def _debrief_shortfall(card: Card, left: bool) -> Shortfall:
    section = card.body.debrief
    state = ("has no Stage debrief" if section is None
             else "has a Stage debrief that only repeats MLTRL's questions")
    lead = f"the project has left this level-{card.level.number} card, but it" if left \
        else f"the level-{card.level.number} card"
    return Shortfall(
        "debrief", card, f"{lead} {state}",
        Position(section.line, 1) if section is not None else _body_start(card), "body",
        "answer under '## Stage debrief': what was accomplished and by whom, what was punted, "
        "what was learned, what tech debt was gained or mitigated",
        "Answer the Stage debrief (accomplished, punted, learned, tech debt)",
    )


def switchback_known(project: Project, settings: GateSettings) -> Iterator[Shortfall]:
    """A switchback goes to a level the project held before (an earlier card at that level)."""
    held: set[int] = set()
    for card in project.cards:
        number = card.level.number
        t = card.transition
        if t is not None and t.kind is TransitionKind.SWITCHBACK and number not in held:
            yield Shortfall(
                "switchback-known", card,
                f"the project switches back to level {number}, which it has never held before",
                _where(card, "transition", "kind"), "transition.kind",
                "MLTRL switches back only into work the team did: check the level, "
                f"or add the project's earlier level-{number} card",
                f"Check the switchback to level {number}",
            )
        held.add(number)


def embedded_switchback(project: Project, settings: GateSettings) -> Iterator[Shortfall]:
    """An embedded switchback is one of the pairs MLTRL predefines (4 to 2, 9 to 4)."""
    previous: Card | None = None
    allowed = ", ".join(f"{a} to {b}" for a, b in sorted(settings.embedded_pairs, reverse=True))
    for card in project.cards:
        t = card.transition
        if t is not None and t.kind is TransitionKind.SWITCHBACK and t.switchback is SwitchbackKind.EMBEDDED:
            start = t.from_level if t.from_level is not None else (
                previous.level.number if previous is not None else None)
            if start is not None and (start, card.level.number) not in settings.embedded_pairs:
                yield Shortfall(
                    "embedded-switchback", card,
                    f"an embedded switchback from level {start} to level {card.level.number} is not one "
                    f"MLTRL predefines (allowed: {allowed or 'none'})",
                    _where(card, "transition", "switchback"), "transition.switchback",
                    "use switchback: discovery or review for an unplanned return, "
                    "or add the pair to the embedded-switchback setting",
                    f"Check the embedded switchback from level {start} to level {card.level.number}",
                )
        previous = card


def stale(project: Project, settings: GateSettings, today: dt.date) -> Iterator[Shortfall]:
    """The current card is no older than ``stale_days``."""
    card = project.current
    if card is None:
        return
    age = (today - card.date).days
    if age > settings.stale_days:
        yield Shortfall(
            "stale", card,
            f"the current card was entered {age} days ago ({card.date.isoformat()}); "
            f"stale flags current cards older than {settings.stale_days} days",
            _where(card, "date"), "date",
            "bring the card up to date, or write the next card if the project has moved on",
            "Bring the current card up to date",
        )


def coupled_readiness(project: Project, readiness: SystemReadiness, dossier: Dossier) -> Iterator[Shortfall]:
    """Where a coupled project stands lower, name the system's level and what limits it."""
    card = project.current
    if card is None or readiness.level is None or readiness.level >= card.level.number:
        return
    names = ", ".join(_project_name(dossier, other) for other in readiness.limiting)
    yield Shortfall(
        "coupled-readiness", card,
        f"the system this project is coupled with stands at level {readiness.level}, "
        f"below this project's level {card.level.number}; limited by {names}",
        _where(card, "coupled"), "coupled",
        "a system is as ready as its least ready part: plan the integration with the limiting project",
        f"Bring the coupled system up from level {readiness.level} ({names})",
    )


def _project_name(dossier: Dossier, project_id: str) -> str:
    other = dossier.projects.get(project_id)
    current = other.current if other is not None else None
    if current is None:
        return project_id
    return f"{project_id} ({current.title}, level {current.level.number})"


ProjectRule = Callable[[Project, GateSettings], Iterator[Shortfall]]

PROJECT_RULES: Mapping[str, ProjectRule] = MappingProxyType({
    "leave-research": leave_research,
    "leave-product": leave_product,
    "debrief": debrief,
    "switchback-known": switchback_known,
    "embedded-switchback": embedded_switchback,
})


# --- earned level and gap ---------------------------------------------------------------


def _level_shortfalls(card: Card, project: Project, settings: GateSettings, level: int) -> Iterator[Shortfall]:
    """The blocking shortfalls of ``card`` evaluated as if it stood at ``level``."""
    for rule, check in LEVEL_RULES.items():
        if settings.blocks(rule):
            yield from check(card, settings, level)
    for rule in _LEAVE_KINDS:
        left = _leave_level(rule, settings)
        if settings.blocks(rule) and level > left:
            passed = [c for c in _advanced_from(project, left) if c.date < card.date]
            if passed:
                yield from _open_requirements(passed[-1], rule, settings)


def earned_level(card: Card, project: Project, settings: GateSettings) -> int:
    """The highest level up to the declared one whose level-dependent gates the card passes."""
    for level in range(card.level.number, 0, -1):
        if next(_level_shortfalls(card, project, settings, level), None) is None:
            return level
    return 0


def gap_to_next(project: Project, settings: GateSettings) -> list[GapItem]:
    """What the current card must change to pass the gates of the next level."""
    card = project.current
    if card is None or card.level.number >= 9:
        return []
    level = card.level.number
    found = [
        *_level_shortfalls(card, project, settings, level),
        *_level_shortfalls(card, project, settings, level + 1),
        *_leaving(card, settings),
    ]
    items: dict[tuple[str, str, str | None], GapItem] = {}
    for s in found:
        here = s.card is card
        text = s.todo if here else f"{s.todo} on the level-{s.card.level.number} card {s.card.path.name}"
        items.setdefault((s.rule, text, s.field), GapItem(s.rule, text, s.field, s.position if here else None))
    return list(items.values())


def _leaving(card: Card, settings: GateSettings) -> Iterator[Shortfall]:
    """What leaving the card's level takes beyond the next level's gates."""
    if settings.blocks("review"):
        if card.status is not CardStatus.APPROVED:
            yield Shortfall(
                "review", card, f"the level-{card.level.number} card is {card.status.value}",
                _where(card, "status"), "status", "hold the gated review and set status: approved",
                f"Pass the level-{card.level.number} gated review (status is {card.status.value})",
            )
        yield from _review_problems(card)
    if settings.blocks("debrief") and not card.body.debrief_answered:
        yield _debrief_shortfall(card, left=False)
    for rule in _LEAVE_KINDS:
        if settings.blocks(rule) and card.level.number == _leave_level(rule, settings):
            yield from _open_requirements(card, rule, settings)


# --- the engine -------------------------------------------------------------------------


def project_shortfalls(project: Project, settings: GateSettings, readiness: SystemReadiness,
                       dossier: Dossier, today: dt.date) -> Iterator[Shortfall]:
    """Every shortfall of every enabled rule on the project's cards, at their declared levels."""
    for card in project.cards:
        for rule, level_check in LEVEL_RULES.items():
            if settings.severity(rule) is not None:
                yield from level_check(card, settings, card.level.number)
        for rule, card_check in CARD_RULES.items():
            if settings.severity(rule) is not None:
                yield from card_check(card, settings)
    for rule, project_check in PROJECT_RULES.items():
        if settings.severity(rule) is not None:
            yield from project_check(project, settings)
    if settings.severity("stale") is not None:
        yield from stale(project, settings, today)
    if settings.severity("coupled-readiness") is not None:
        yield from coupled_readiness(project, readiness, dossier)


def evaluate(dossier: Dossier, settings: GateSettings | None = None, today: dt.date | None = None) -> GateReport:
    """Gate findings, earned levels and gaps for every project with at least one valid card."""
    settings = settings if settings is not None else GateSettings()
    today = today if today is not None else dt.date.today()
    readiness = system_readiness(dossier)
    report = GateReport()
    for project_id, project in dossier.projects.items():
        current = project.current
        if current is None:
            continue
        for s in project_shortfalls(project, settings, readiness[project_id], dossier, today):
            severity = settings.severity(s.rule)
            assert severity is not None
            report.findings.append(s.finding(severity))
        for card in project.cards:
            report.earned[card.path] = earned_level(card, project, settings)
        report.projects[project_id] = ProjectGates(
            declared=current.level.number,
            earned=report.earned[current.path],
            gap=gap_to_next(project, settings),
            readiness=readiness[project_id],
        )
    report.findings.sort(key=Finding.sort_key)
    return report
