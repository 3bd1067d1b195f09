"""What a query answers: typed columns and rows, optionally grouped.

The contract between the query language (``query.parse``, ``query.evaluate``) and
whatever shows an answer: the views placed in hand-written pages (``render.views``)
and ``mltrl-docs query``. Nothing here knows how an answer is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mltrl_docs.model import Card

Value = str | int | float | bool | dt.date | tuple[str, ...] | None
"""One cell: text, a number, a yes/no, a date, a number of days (``int``), a list of texts, or
nothing (a field the subject does not have: a project with no team)."""


class ValueType(StrEnum):
    """The type of a field, which the checker compares a query's values with."""

    TEXT = "text"
    """Free text, or one of a field's listed values (``status``, ``phase``)."""
    NUMBER = "number"
    """An integer or decimal number (a level, a risk score, a count)."""
    DATE = "date"
    """A calendar day, written ``2026-01-31``."""
    DAYS = "days"
    """A duration in whole days, written ``30d``, ``12w``, ``6m`` or ``2y`` (or a bare number of days)."""
    BOOLEAN = "boolean"
    """``true`` or ``false``."""
    LIST = "list"
    """Several texts (owners, tags): ``=`` and ``contains`` hold when one of them matches."""


class Entity(StrEnum):
    """What a query asks about: the first word of every query."""

    PROJECTS = "projects"
    CARDS = "cards"
    REQUIREMENTS = "requirements"
    REVIEWS = "reviews"
    FINDINGS = "findings"
    TERMS = "terms"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    """The field's name as the query language spells it (``risk``, ``earned``)."""
    type: ValueType


@dataclass(frozen=True, slots=True)
class Subject:
    """What a row is about, so that a view can link it to the page that shows it."""

    entity: Entity
    project: str | None = None
    """The project's id (every entity but a site glossary term or a finding outside a project)."""
    card: Card | None = None
    """The card the row is about or on (cards, requirements, reviews; a finding on a card)."""
    requirement: str | None = None
    """The requirement's id (requirements)."""
    term: str | None = None
    """The glossary term (terms)."""
    path: Path | None = None
    """The file a finding is about (findings)."""


@dataclass(frozen=True, slots=True)
class Row:
    values: tuple[Value, ...]
    """One value per column of the answer, in the answer's column order."""
    subject: Subject


@dataclass(frozen=True, slots=True)
class Group:
    key: Value
    """The grouped field's value shared by the rows (None: the rows that have none)."""
    rows: tuple[Row, ...]

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Answer:
    entity: Entity
    columns: tuple[Column, ...]
    """The ``show`` fields, else the entity's default columns."""
    rows: tuple[Row, ...]
    """The matching rows, sorted, after ``limit``."""
    matched: int
    """How many rows matched before ``limit``."""
    group_by: Column | None = None
    groups: tuple[Group, ...] = ()
    """With ``group by``: the rows grouped by that field's value, largest group first (then by key);
    ``limit`` then counts groups. Empty without ``group by``."""
    groups_matched: int = 0
    """With ``group by``: how many groups the matching rows make, before ``limit``."""
