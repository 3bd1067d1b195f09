"""What a gate rule is: one record declaring its name, scope, default, levels, options and
check, plus the context a check reads and the shortfall it yields.

Every rule of the gate policy is one ``Rule`` in ``catalogue.RULES``; the settings
parser, the settings schema, the documentation table and the tests all read that list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mltrl_docs.evidence.report import NO_EVIDENCE, EvidenceReport
from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.model import Card, Dossier, Project
from mltrl_docs.provenance import NO_PROVENANCE, ProvenanceReport

if TYPE_CHECKING:
    from mltrl_docs.gates.settings import GateSettings


class Scope(StrEnum):
    """What a rule looks at, which decides how the engine runs it."""

    LEVEL = "level"
    """The card as if it stood at a level: these rules decide a card's earned level."""
    EXIT = "exit"
    """The card a project leaves at one level: checked when the project advances from it,
    listed in the gap while the project stands there, and required of every later card's
    earned level above it."""
    CARD = "card"
    """One card whatever its level (its review, its waivers)."""
    PROJECT = "project"
    """A project's history or system; reported, never lowering an earned level."""


@dataclass(frozen=True, slots=True)
class LevelRange:
    """The levels a rule applies at: ``start`` and up, to ``end`` when it has one."""

    start: int
    end: int | None = None

    def covers(self, level: int, declared: int) -> bool:
        """Does the rule apply at ``level`` to a card declared at ``declared``?

        A card past the upper end has outgrown the rule, whatever level it is evaluated
        at: a level-6 card that rightly carries only product requirements is not marked
        down to level 1 for lacking research ones."""
        if self.end is None:
            return self.start <= level
        return self.start <= level <= self.end and declared <= self.end

    @property
    def text(self) -> str:
        if self.end is None:
            return f"from level {self.start}"
        if self.end == self.start:
            return f"at level {self.start}"
        return f"from level {self.start} to level {self.end}"


@dataclass(frozen=True, slots=True)
class Option:
    """One setting of a rule besides its severity, e.g. ``from`` or ``score``."""

    name: str
    description: str
    """What the option sets; the settings schema and the docs show it."""
    default: object
    schema: Mapping[str, Any]
    """The JSON Schema of the value as written in mltrl-docs.yml."""
    parse: Callable[[object], object] = lambda value: value
    """Turns the schema-valid value into what the check reads (keys of YAML mappings may
    arrive as text)."""


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
class Context:
    """Everything a check may read: the card (for project rules, the current card), the
    level it is judged at, its project and dossier, the policy and the day of the check."""

    rule: Rule
    card: Card
    level: int
    project: Project
    dossier: Dossier
    settings: GateSettings
    today: dt.date
    system: Mapping[str, Any] = field(default_factory=dict)
    """Results of earlier stages the engine shares: ``readiness`` and ``earned`` (the system
    readiness, for project rules) and ``approved`` (card path -> whether its approval holds)."""
    evidence: EvidenceReport = NO_EVIDENCE
    """The acceptance criteria judged against their evidence, computed once before the gates;
    its ``verified`` and ``closed`` are what counts as verified for a gate."""
    provenance: ProvenanceReport = NO_PROVENANCE
    """What git says about the cards and their files (empty when not asked for, or outside git):
    when a card last changed (``stale``) and which files changed after an approval
    (``suspect-evidence``)."""

    def option(self, name: str) -> Any:
        """This rule's option ``name`` as the site set it, or its default."""
        return self.settings.option(self.rule.name, name)

    def shortfall(self, card: Card, message: str, position: Position, field: str | None, hint: str,
                  todo: str, applies_from: int | None = None) -> Shortfall:
        """A shortfall of this context's rule."""
        return Shortfall(self.rule.name, card, message, position, field, hint, todo, applies_from)


Check = Callable[[Context], Iterator[Shortfall]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One gate rule, declared once."""

    name: str
    """The name gates.md, the settings file and every finding use."""
    scope: Scope
    check: Check
    summary: str
    """What the rule checks, one sentence (settings schema, docs, ``check`` output)."""
    mltrl: str
    """What MLTRL says that the rule stands on, in our words."""
    default: str
    """The default in a few words, e.g. 'from level 5' or 'leaving level 4'."""
    severity: Severity | None = Severity.WARNING
    """The default severity; None when the rule is off by default."""
    reading: bool = False
    """True when the default is this tool's reading of MLTRL rather than something the
    paper states (the docs mark it)."""
    options: tuple[Option, ...] = ()
    exit_level: str | None = None
    """For an exit rule, the option that holds the level it checks when left."""

    def option(self, name: str) -> Option:
        return next(option for option in self.options if option.name == name)
