"""A query's syntax tree checked against the catalogue (``fields``) and turned into a ``Query`` the
evaluator runs: every name resolved to its field, every value read as the field's type.

Each problem is located at the word it is about and says how to fix it: an unknown entity or field
(``query-field``) or value of an enumerated field (``query-value``) with the closest name
(difflib), an operator or a value the field's type does not take (``query-type``) with what the
field takes and how to write it. One problem never hides the others: the whole query is checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from mltrl_docs.findings import Position
from mltrl_docs.query.answer import Column, Entity, Value, ValueType
from mltrl_docs.query.fields import CATALOGUE, EntityFields, Field
from mltrl_docs.query.syntax import (
    And,
    Compare,
    Expression,
    Literal,
    LiteralKind,
    Name,
    Not,
    Or,
    Problem,
    Statement,
    did_you_mean,
)


class Operator(StrEnum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    NOT_IN = "not in"
    CONTAINS = "contains"
    NOT_CONTAINS = "not contains"


ORDERING = frozenset({Operator.LT, Operator.LE, Operator.GT, Operator.GE})
CONTAINING = frozenset({Operator.CONTAINS, Operator.NOT_CONTAINS})
ORDERED_TYPES = frozenset({ValueType.NUMBER, ValueType.DATE, ValueType.DAYS})
TEXT_TYPES = frozenset({ValueType.TEXT, ValueType.LIST})

TAKES: Mapping[ValueType, str] = {
    ValueType.TEXT: "text",
    ValueType.NUMBER: "a number",
    ValueType.DATE: "a date",
    ValueType.DAYS: "a duration",
    ValueType.BOOLEAN: "true or false",
    ValueType.LIST: "a list of texts",
}
"""What a field of each type takes, as a message says it."""
HOW: Mapping[ValueType, str] = {
    ValueType.TEXT: 'write a word (in-review) or quote the text ("Cloud platform")',
    ValueType.NUMBER: "write a number, such as 12 or 2.5",
    ValueType.DATE: "write a date as year-month-day, such as 2026-01-31",
    ValueType.DAYS: "write a duration as 30d, 12w, 6m or 2y (a month is 30 days, a year 365), or a number of days",
    ValueType.BOOLEAN: "write true or false",
    ValueType.LIST: 'write a word or quote the text ("Ana Ruiz"): = and contains hold when one of the list matches',
}
"""How to write a value a field of each type takes."""
_LITERALS: Mapping[LiteralKind, str] = {
    LiteralKind.TEXT: "text", LiteralKind.NUMBER: "a number", LiteralKind.DATE: "a date",
    LiteralKind.DURATION: "a duration", LiteralKind.BOOLEAN: "true or false", LiteralKind.NONE: "none"}


# --- the checked query ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """A field compared with values read as its type (None: ``none``)."""

    field: Field
    op: Operator
    values: tuple[Value, ...]
    position: Position


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Negation:
    part: Condition


Condition = Comparison | AllOf | AnyOf | Negation


@dataclass(frozen=True, slots=True)
class Order:
    field: Field
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A checked query: what ``answer`` runs, and what a view shows the answer of."""

    entity: Entity
    where: Condition | None = None
    group_by: Field | None = None
    sort: tuple[Order, ...] = ()
    limit: int | None = None
    show: tuple[Field, ...] = ()
    text: str = ""
    """The query as written."""

    @property
    def fields(self) -> tuple[Field, ...]:
        """The answer's columns: ``show``'s fields, else the entity's default ones."""
        if self.show:
            return self.show
        catalogue = CATALOGUE[self.entity]
        return tuple(catalogue.fields[name] for name in catalogue.default)

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(Column(field.name, field.type) for field in self.fields)


# --- checking -------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, entity: EntityFields) -> None:
        self.entity = entity
        self.problems: list[Problem] = []

    def problem(self, rule: str, message: str, position: Position, hint: str | None = None) -> None:
        self.problems.append(Problem(rule, message, position, hint))

    def field(self, name: Name) -> Field | None:
        found = self.entity.fields.get(name.key)
        if found is not None:
            return found
        entity = self.entity.entity.value
        names = list(self.entity.fields)
        close = did_you_mean(name.text, names)
        hint = f"did you mean '{close}'?" if close else f"{entity} have: {', '.join(names)}"
        elsewhere = [other.entity.value for other in CATALOGUE.values()
                     if other is not self.entity and name.key in other.fields]
        if elsewhere and not close:
            hint += f"; {' and '.join(elsewhere)} have a field '{name.key}'"
        self.problem("query-field", f"{entity} have no field '{name.text}'", name.position, hint)
        return None

    def condition(self, node: Expression) -> Condition | None:
        if isinstance(node, Not):
            inner = self.condition(node.operand)
            return Negation(inner) if inner is not None else None
        if isinstance(node, And | Or):
            parts = [self.condition(operand) for operand in node.operands]
            if any(part is None for part in parts):
                return None
            kept = tuple(part for part in parts if part is not None)
            return AllOf(kept) if isinstance(node, And) else AnyOf(kept)
        return self.test(node)

    def test(self, node: Compare) -> Comparison | None:
        field = self.field(node.field)
        if field is None:
            return None
        if node.op is None:
            if field.type is not ValueType.BOOLEAN:
                example = {ValueType.NUMBER: f"{field.name} >= 3", ValueType.DATE: f"{field.name} > 2026-01-01",
                           ValueType.DAYS: f"{field.name} > 90d"}.get(field.type, f'{field.name} = "..."')
                self.problem("query-type", f"{field.name} takes {TAKES[field.type]}, so it cannot stand alone as a "
                             "condition", node.position, f"compare it with a value: {example}")
                return None
            return Comparison(field, Operator.EQ, (True,), node.position)
        op = Operator(node.op)
        if op in ORDERING and field.type not in ORDERED_TYPES:
            self.problem("query-type", f"{op.value} compares numbers, dates and durations; {field.name} takes "
                         f"{TAKES[field.type]}", node.position, _operators_hint(field))
            return None
        if op in CONTAINING and field.type not in TEXT_TYPES:
            self.problem("query-type", f"{op.value} looks inside text and lists; {field.name} takes "
                         f"{TAKES[field.type]}", node.position, _operators_hint(field))
            return None
        read = [self.value(field, op, literal) for literal in node.values]
        if not all(ok for ok, _ in read):
            return None
        return Comparison(field, op, tuple(value for _, value in read), node.position)

    def value(self, field: Field, op: Operator, literal: Literal) -> tuple[bool, Value]:
        """``literal`` read as ``field`` takes it; False when it cannot be (the problem noted)."""
        if literal.kind is LiteralKind.NONE:
            if op in ORDERING or op in CONTAINING:
                self.problem("query-type", f"none can only be tested with = or != (or listed after in); "
                             f"{op.value} needs {TAKES[field.type]}", literal.position,
                             f"{field.name} = none holds when there is no value; {HOW[field.type]}")
                return False, None
            return True, None
        kind = field.type
        if kind in TEXT_TYPES:
            if field.values and op not in CONTAINING:
                return self.listed(field, literal)
            return True, literal.text
        wanted = {ValueType.NUMBER: (LiteralKind.NUMBER,), ValueType.DATE: (LiteralKind.DATE,),
                  ValueType.DAYS: (LiteralKind.DURATION, LiteralKind.NUMBER),
                  ValueType.BOOLEAN: (LiteralKind.BOOLEAN,)}[kind]
        if literal.kind not in wanted or (kind is ValueType.DAYS and not isinstance(literal.value, int)):
            shown = repr(literal.text) if literal.kind is LiteralKind.TEXT else literal.text
            what = "not a whole number of days" if kind is ValueType.DAYS and literal.kind is LiteralKind.NUMBER \
                else _LITERALS[literal.kind]
            hint = HOW[kind]
            if (literal.kind is LiteralKind.TEXT and not literal.quoted
                    and literal.text.casefold() in self.entity.fields):
                hint += f" ({literal.text} is a field: a condition compares a field with a value, not with a field)"
            self.problem("query-type", f"{field.name} takes {TAKES[kind]}; {shown} is {what}", literal.position, hint)
            return False, None
        return True, literal.value

    def listed(self, field: Field, literal: Literal) -> tuple[bool, Value]:
        """An enumerated field's value, as the catalogue spells it (case does not matter)."""
        wanted = literal.text.casefold()
        found = next((value for value in field.values if value == wanted), None)
        if found is not None:
            return True, found
        close = did_you_mean(literal.text, field.values)
        listed = ", ".join(field.values)
        hint = f"did you mean '{close}'? {field.name} takes: {listed}" if close else \
            f"{field.name} takes: {listed}, or none"
        article = "an" if field.name[0] in "aeiou" else "a"
        self.problem("query-value", f"'{literal.text}' is not {article} {field.name} of {self.entity.entity.value}",
                     literal.position, hint)
        return False, None


def _operators_hint(field: Field) -> str:
    if field.type in TEXT_TYPES:
        return f"{field.name} takes =, !=, in (...) and contains"
    if field.type is ValueType.BOOLEAN:
        return f"write {field.name} or not {field.name} (or = true, = false)"
    return f"{field.name} takes =, !=, <, <=, >, >= and in (...)"


def check(statement: Statement) -> tuple[Query | None, list[Problem]]:
    """The query ``statement`` says, or None and every problem found in it."""
    entity = next((e for e in Entity if e.value == statement.entity.key), None)
    if entity is None:
        names = [e.value for e in Entity]
        close = did_you_mean(statement.entity.text, names)
        hint = f"did you mean '{close}'?" if close else f"a query starts with one of: {', '.join(names)}"
        return None, [Problem("query-field", f"there is no '{statement.entity.text}' to ask about",
                              statement.entity.position, hint)]
    checker = _Checker(CATALOGUE[entity])
    where = checker.condition(statement.where) if statement.where is not None else None
    group_by = checker.field(statement.group_by) if statement.group_by is not None else None
    sort = [(checker.field(key.field), key.descending) for key in statement.sort]
    show = [checker.field(name) for name in statement.show]
    limit = None
    if statement.limit is not None:
        value = statement.limit.value
        if isinstance(value, int) and value >= 1:
            limit = value
        else:
            checker.problem("query-value", f"limit takes a whole number of 1 or more, not {statement.limit.text}",
                            statement.limit.position, "write limit 20")
    if checker.problems:
        return None, checker.problems
    return Query(
        entity=entity, where=where, group_by=group_by,
        sort=tuple(Order(field, descending) for field, descending in sort if field is not None),
        limit=limit, show=tuple(dict.fromkeys(field for field in show if field is not None)), text=statement.text,
    ), []
