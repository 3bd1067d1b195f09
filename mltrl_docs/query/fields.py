"""The one catalogue of what a query can ask about: each entity, its fields (name, type, the values
an enumerated text field takes, a one-line doc, how its value is read from a row's record) and the
columns an answer shows when the query names none.

The checker reads names, types and values from here, the evaluator the readers, and the reference
tables of ``docs/query.md`` are generated from it (``query.reference``), so the three cannot drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from mltrl_docs.findings import Severity
from mltrl_docs.levels import Phase
from mltrl_docs.metrics import days_waiting, pending_since
from mltrl_docs.model import (
    Card,
    CardStatus,
    Decision,
    RequirementKind,
    RequirementStatus,
    SwitchbackKind,
    TransitionKind,
    Verification,
)
from mltrl_docs.query.answer import Entity, Value, ValueType
from mltrl_docs.query.records import (
    FindingRecord,
    ProjectRecord,
    RequirementRecord,
    ReviewRecord,
)

SEVERITY_WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
"""A finding's severity as the CLI and the findings page name it (``report.WORDS``'s words)."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of an entity."""

    name: str
    type: ValueType
    doc: str
    """One line for the reference: what the value is, where it comes from."""
    read: Callable[[Any], Value]
    """The value of one record of the entity (``records``)."""
    values: tuple[str, ...] = ()
    """The values an enumerated text field takes (empty: any text)."""


@dataclass(frozen=True, slots=True)
class EntityFields:
    entity: Entity
    doc: str
    """What one row is, in one line."""
    fields: Mapping[str, Field]
    default: tuple[str, ...]
    """The columns of an answer without ``show``."""


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


PHASES = _values(Phase)
STATUSES = _values(CardStatus)


def _days(since: dt.date | None, today: dt.date) -> int | None:
    return (today - since).days if since is not None else None


# --- projects -------------------------------------------------------------------------------------


def _card_value(read: Callable[[Card], Value]) -> Callable[[ProjectRecord], Value]:
    """A value of the project's current card; none for a project with no valid card."""
    return lambda r: read(r.card) if r.card is not None else None


def _at_level(record: ProjectRecord) -> int | None:
    """Days since the first card of the current unbroken run of cards at the current level."""
    cards = record.project.cards
    if not cards:
        return None
    level = cards[-1].level.number
    start = len(cards) - 1
    while start > 0 and cards[start - 1].level.number == level:
        start -= 1
    return _days(cards[start].date, record.portfolio.today)


def _open(record: ProjectRecord) -> int | None:
    card = record.card
    if card is None:
        return None
    evidence = record.portfolio.dossier.evidence
    return sum(not evidence.closed(card, requirement) for requirement in card.requirements)


def _count(record: ProjectRecord, severity: Severity | None) -> int:
    found = record.portfolio.findings.get(record.project.id, ())
    return sum(severity is None or finding.severity is severity for finding in found)


def _limited_by(record: ProjectRecord) -> tuple[str, ...]:
    if record.gates is None:
        return ()
    return tuple(member for member in record.gates.readiness.limiting if member != record.project.id)


PROJECT_FIELDS = (
    Field("id", ValueType.TEXT, "The project's id (`P12.2`).", lambda r: r.project.id),
    Field("title", ValueType.TEXT, "The technology's name, from the current card (the id when it has no valid card).",
          lambda r: r.project.title),
    Field("team", ValueType.TEXT, "The team that owns it, as the current card names it.",
          _card_value(lambda c: c.team)),
    Field("owners", ValueType.LIST, "The current card's owners.", lambda r: r.card.owners if r.card else ()),
    Field("level", ValueType.NUMBER, "The level the current card declares (0 to 9).",
          _card_value(lambda c: c.level.number)),
    Field("earned", ValueType.NUMBER, "The level the current card's evidence earns under the site's gates.",
          lambda r: r.gates.earned if r.gates else None),
    Field("unearned", ValueType.BOOLEAN, "true when the declared level is above the earned one (the portfolio "
          "flags it).", lambda r: r.gates.unearned if r.gates else None),
    Field("phase", ValueType.TEXT, "The MLTRL phase of the declared level.", _card_value(lambda c: c.level.phase.value),
          PHASES),
    Field("status", ValueType.TEXT, "The current card's status.", _card_value(lambda c: c.status.value), STATUSES),
    Field("approved", ValueType.BOOLEAN, "true when the current card's approval holds (approved, and its review "
          "backs it).", lambda r: r.gates.approved if r.gates else None),
    Field("date", ValueType.DATE, "The current card's date.", _card_value(lambda c: c.date)),
    Field("at_level", ValueType.DAYS, "Days at the current level: from the first card of the current unbroken run "
          "of cards at this level to the build date.", _at_level),
    Field("tags", ValueType.LIST, "The current card's tags.", lambda r: r.card.tags if r.card else ()),
    Field("coupled", ValueType.LIST, "The projects the current card is coupled with.",
          lambda r: r.card.coupled if r.card else ()),
    Field("system", ValueType.NUMBER, "System readiness: the lowest earned level among the project and every "
          "project it is coupled with, transitively.", lambda r: r.gates.readiness.level if r.gates else None),
    Field("limited_by", ValueType.LIST, "The coupled projects at that lowest level (empty when none is: the "
          "project alone holds its system there, or nothing is coupled).", _limited_by),
    Field("requirements", ValueType.NUMBER, "Requirements on the current card.",
          _card_value(lambda c: len(c.requirements))),
    Field("open", ValueType.NUMBER, "Requirements on the current card not closed (closed: verified, as its "
          "acceptance evidence allows, or waived).", _open),
    Field("findings", ValueType.NUMBER, "Findings on the project's files: errors, warnings and notes.",
          lambda r: _count(r, None)),
    Field("errors", ValueType.NUMBER, "Errors among them.", lambda r: _count(r, Severity.ERROR)),
    Field("warnings", ValueType.NUMBER, "Warnings among them.", lambda r: _count(r, Severity.WARNING)),
    Field("notes", ValueType.NUMBER, "Notes among them.", lambda r: _count(r, Severity.INFO)),
    Field("pending", ValueType.NUMBER, "Reviewers on the current card whose decision is pending.",
          _card_value(lambda c: sum(review.decision is Decision.PENDING for review in c.reviewers))),
    Field("gap", ValueType.NUMBER, "How many items block the next level: the dossier's gap to it (0 at level 9).",
          lambda r: len(r.gates.gap) if r.gates else None),
    Field("blockers", ValueType.LIST, "What blocks the next level, one text per item of the gap.",
          lambda r: tuple(item.text for item in r.gates.gap) if r.gates else ()),
)


# --- cards ----------------------------------------------------------------------------------------


def _transition(card: Card) -> str | None:
    kind = card.transition.kind if card.transition is not None else None
    return kind.value if kind is not None else None


def _switchback(card: Card) -> str | None:
    transition = card.transition
    if transition is None or transition.kind is not TransitionKind.SWITCHBACK or transition.switchback is None:
        return None
    return transition.switchback.value


CARD_FIELDS = (
    Field("project", ValueType.TEXT, "The project's id.", lambda r: r.project.id),
    Field("title", ValueType.TEXT, "The card's title.", lambda r: r.card.title),
    Field("level", ValueType.NUMBER, "The level the card declares.", lambda r: r.card.level.number),
    Field("phase", ValueType.TEXT, "The MLTRL phase of that level.", lambda r: r.card.level.phase.value, PHASES),
    Field("date", ValueType.DATE, "The day the project entered the level, as the card says.", lambda r: r.card.date),
    Field("age", ValueType.DAYS, "Days from the card's date to the build date.",
          lambda r: _days(r.card.date, r.portfolio.today)),
    Field("status", ValueType.TEXT, "The card's status.", lambda r: r.card.status.value, STATUSES),
    Field("team", ValueType.TEXT, "The team the card names.", lambda r: r.card.team),
    Field("owners", ValueType.LIST, "The card's owners.", lambda r: r.card.owners),
    Field("tags", ValueType.LIST, "The card's tags.", lambda r: r.card.tags),
    Field("earned", ValueType.NUMBER, "The level the card's evidence earns under the site's gates.",
          lambda r: r.portfolio.dossier.gates.earned.get(r.card.path)),
    Field("approved", ValueType.BOOLEAN, "true when the card's approval holds (approved, and its review backs it).",
          lambda r: r.portfolio.dossier.gates.approved.get(r.card.path)),
    Field("current", ValueType.BOOLEAN, "true for the project's current card (its newest valid one).",
          lambda r: r.project.current is r.card),
    Field("transition", ValueType.TEXT, "How the project came to the level; none on a project's first card.",
          lambda r: _transition(r.card), _values(TransitionKind)),
    Field("switchback", ValueType.TEXT, "A switchback's kind; none when the card is no switchback.",
          lambda r: _switchback(r.card), _values(SwitchbackKind)),
    Field("reviewers", ValueType.LIST, "The names of the card's reviewers.",
          lambda r: tuple(review.name for review in r.card.reviewers)),
    Field("file", ValueType.TEXT, "The card's file.", lambda r: r.portfolio.shown(r.card.path)),
)


# --- requirements ---------------------------------------------------------------------------------


def _evidence(record: RequirementRecord) -> str | None:
    judged = record.portfolio.dossier.evidence.of(record.card, record.requirement)
    return judged.verdict.value if judged is not None else None


def _risk(read: Callable[[Any], int]) -> Callable[[RequirementRecord], Value]:
    return lambda r: read(r.requirement.risk) if r.requirement.risk is not None else None


REQUIREMENT_FIELDS = (
    Field("project", ValueType.TEXT, "The project's id.", lambda r: r.project.id),
    Field("id", ValueType.TEXT, "The requirement's id (`1.2`).", lambda r: r.requirement.id),
    Field("kind", ValueType.TEXT, "Research or product requirement.", lambda r: r.requirement.kind.value,
          _values(RequirementKind)),
    Field("text", ValueType.TEXT, "What it requires.", lambda r: r.requirement.text),
    Field("verification", ValueType.TEXT, "How it is verified.", lambda r: r.requirement.verification.value,
          _values(Verification)),
    Field("status", ValueType.TEXT, "Its status as the card declares it.", lambda r: r.requirement.status.value,
          _values(RequirementStatus)),
    Field("verified", ValueType.BOOLEAN, "true when it counts as verified: declared verified, and its acceptance "
          "evidence does not contradict it.",
          lambda r: r.portfolio.dossier.evidence.verified(r.card, r.requirement)),
    Field("closed", ValueType.BOOLEAN, "true when verified (as above) or waived: nothing left for a gate.",
          lambda r: r.portfolio.dossier.evidence.closed(r.card, r.requirement)),
    Field("evidence", ValueType.TEXT, "Its acceptance criteria judged against their evidence files: passed, failed, "
          "or unknown (a file could not be read); none without criteria.", _evidence,
          ("passed", "failed", "unknown")),
    Field("risk", ValueType.NUMBER, "Its risk score, likelihood × impact (1 to 25); none when not scored.",
          _risk(lambda risk: risk.score)),
    Field("likelihood", ValueType.NUMBER, "The risk's likelihood (1 to 5).", _risk(lambda risk: risk.likelihood)),
    Field("impact", ValueType.NUMBER, "The risk's impact (1 to 5).", _risk(lambda risk: risk.impact)),
    Field("level", ValueType.NUMBER, "The level of the card it is on.", lambda r: r.card.level.number),
    Field("team", ValueType.TEXT, "The team the card names.", lambda r: r.card.team),
    Field("owners", ValueType.LIST, "The card's owners.", lambda r: r.card.owners),
)


# --- reviews --------------------------------------------------------------------------------------


def _waiting(record: ReviewRecord) -> int | None:
    review = record.review
    if review.decision is not Decision.PENDING:
        return None
    return days_waiting(pending_since(record.card, review), record.portfolio.today)


REVIEW_FIELDS = (
    Field("project", ValueType.TEXT, "The project's id.", lambda r: r.project.id),
    Field("level", ValueType.NUMBER, "The level of the card the review is on.", lambda r: r.card.level.number),
    Field("card_date", ValueType.DATE, "The date of that card.", lambda r: r.card.date),
    Field("reviewer", ValueType.TEXT, "The reviewer's name.", lambda r: r.review.name),
    Field("role", ValueType.TEXT, "The reviewer's role (research-lead, peer, qa, product, ethics, security or "
          "the site's own); none when not given.", lambda r: r.review.role),
    Field("decision", ValueType.TEXT, "The reviewer's decision.", lambda r: r.review.decision.value,
          _values(Decision)),
    Field("date", ValueType.DATE, "The day of the decision; none when not given.", lambda r: r.review.date),
    Field("requested", ValueType.DATE, "The day the review was asked for; none when not given.",
          lambda r: r.review.requested),
    Field("note", ValueType.TEXT, "The reviewer's note.", lambda r: r.review.note),
    Field("current", ValueType.BOOLEAN, "true for a review on the project's current card.",
          lambda r: r.project.current is r.card),
    Field("waiting", ValueType.DAYS, "For a pending decision, days since the review was requested (else since the "
          "card's date) to the build date, as the team pages count it (0 for a request dated later); none once "
          "decided.", _waiting),
    Field("team", ValueType.TEXT, "The team the card names.", lambda r: r.card.team),
)


# --- findings and terms ---------------------------------------------------------------------------


def _file(record: FindingRecord) -> str:
    shown = record.portfolio.shown(record.finding.path)
    return f"{shown}: {record.finding.bundled}" if record.finding.bundled is not None else shown


FINDING_FIELDS = (
    Field("severity", ValueType.TEXT, "error, warning or note.", lambda r: SEVERITY_WORDS[r.finding.severity],
          tuple(SEVERITY_WORDS.values())),
    Field("rule", ValueType.TEXT, "The check that found it (`schema`, `review`, a gate rule's name).",
          lambda r: r.finding.rule),
    Field("message", ValueType.TEXT, "What is wrong.", lambda r: r.finding.message),
    Field("hint", ValueType.TEXT, "How to fix it; none when it gives no hint.", lambda r: r.finding.hint),
    Field("file", ValueType.TEXT, "The file it is about (in a bundle: the bundle, then the file inside it).", _file),
    Field("line", ValueType.NUMBER, "The line it is about; none when it is about the whole file.",
          lambda r: r.finding.line),
    Field("project", ValueType.TEXT, "The project whose folder holds the file; none outside every project.",
          lambda r: r.project),
    Field("field", ValueType.TEXT, "The card field it is about (`requirements[1].status`); none when not one.",
          lambda r: r.finding.field),
)

TERM_FIELDS = (
    Field("term", ValueType.TEXT, "The term as it should be written.", lambda r: r.entry.term.term),
    Field("definition", ValueType.TEXT, "What it means.", lambda r: r.entry.term.definition),
    Field("project", ValueType.TEXT, "The project whose own glossary defines it; none for the site's terms.",
          lambda r: r.entry.project),
    Field("source", ValueType.TEXT, "Where it comes from (a paper, a standard, a team); none when not given.",
          lambda r: r.entry.term.source),
    Field("level", ValueType.NUMBER, "The level it is tied to; none when it is tied to none.",
          lambda r: r.entry.term.level),
    Field("aliases", ValueType.LIST, "Other names for it.", lambda r: r.entry.term.aliases),
    Field("teams", ValueType.LIST, "The teams that have their own word for it.",
          lambda r: tuple(r.entry.term.teams)),
    Field("builtin", ValueType.BOOLEAN, "true for a term of the built-in MLTRL glossary.", lambda r: r.entry.builtin),
)


def _entity(entity: Entity, doc: str, fields: tuple[Field, ...], default: tuple[str, ...]) -> EntityFields:
    by_name = {field.name: field for field in fields}
    assert len(by_name) == len(fields) and set(default) <= set(by_name), entity
    return EntityFields(entity, doc, MappingProxyType(by_name), default)


CATALOGUE: Mapping[Entity, EntityFields] = MappingProxyType({
    Entity.PROJECTS: _entity(
        Entity.PROJECTS, "One row per project, read from its current card and what the gates make of it.",
        PROJECT_FIELDS, ("id", "title", "team", "level", "earned", "status", "at_level")),
    Entity.CARDS: _entity(
        Entity.CARDS, "One row per valid level card of every project, in each project's date order.",
        CARD_FIELDS, ("project", "level", "date", "status", "transition")),
    Entity.REQUIREMENTS: _entity(
        Entity.REQUIREMENTS, "One row per requirement of each project's current card (earlier cards' "
        "requirements are history: ask cards about them).", REQUIREMENT_FIELDS,
        ("project", "id", "kind", "status", "risk", "evidence")),
    Entity.REVIEWS: _entity(
        Entity.REVIEWS, "One row per reviewer entry of every card.", REVIEW_FIELDS,
        ("project", "level", "reviewer", "role", "decision", "date")),
    Entity.FINDINGS: _entity(
        Entity.FINDINGS, "One row per finding of the check, in the order check prints them.", FINDING_FIELDS,
        ("severity", "file", "line", "rule", "message")),
    Entity.TERMS: _entity(
        Entity.TERMS, "One row per glossary term: the site's (the built-in MLTRL terms among them), then each "
        "project's own, each alphabetically.",
        TERM_FIELDS, ("term", "project", "definition")),
})
"""Every entity's fields, in the order the reference lists them."""


def fields_of(entity: Entity) -> Mapping[str, Field]:
    return CATALOGUE[entity].fields
