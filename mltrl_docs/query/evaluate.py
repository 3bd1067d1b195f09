"""A checked query run over a dossier's tables: filter, group, sort, limit -> an ``Answer``.

The rules ``docs/query.md`` states: text is compared without regard to case (``=`` whole,
``contains`` as a part); a list field holds ``=``, ``in`` and ``contains`` when one of its texts
does; a field with no value holds no comparison but ``!=`` (and ``not in``, ``not contains``;
``= none`` asks for it), and sorts last whichever the direction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from mltrl_docs.query.answer import Answer, Column, Group, Row, Value, ValueType
from mltrl_docs.query.check import (
    CONTAINING,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Operator,
    Query,
)
from mltrl_docs.query.fields import Field
from mltrl_docs.query.records import Record
from mltrl_docs.query.tables import Tables

SortKey = str | int | float | bool | dt.date | tuple[str, ...]


def answer(query: Query, tables: Tables) -> Answer:
    """The rows of ``query``'s entity that its condition holds for, sorted, grouped and limited."""
    records = tables.records(query.entity)
    matched = [record for record in records if query.where is None or holds(query.where, record)]
    ordered = _sorted(matched, query)
    fields = query.fields
    rows: dict[int, Row] = {}

    def row(record: Record) -> Row:
        """The record's row, read once (a record of a list field's groups is in several)."""
        found = rows.get(id(record))
        if found is None:
            found = rows[id(record)] = Row(tuple(field.read(record) for field in fields), record.subject)
        return found

    if query.group_by is None:
        kept = ordered[:query.limit] if query.limit is not None else ordered
        return Answer(query.entity, query.columns, tuple(map(row, kept)), len(matched))
    groups = _groups(ordered, query.group_by)
    kept_groups = groups[:query.limit] if query.limit is not None else groups
    inside = {id(record) for _, members in kept_groups for record in members}
    return Answer(
        query.entity, query.columns, tuple(row(r) for r in ordered if id(r) in inside), len(matched),
        group_by=Column(query.group_by.name, query.group_by.type),
        groups=tuple(Group(key, tuple(map(row, members))) for key, members in kept_groups),
        groups_matched=len(groups),
    )


# --- filter ---------------------------------------------------------------------------------------


def holds(condition: Condition, record: Record) -> bool:
    """Does ``condition`` hold for ``record``? (Conditions nest at most ``syntax.MAX_DEPTH`` deep.)"""
    if isinstance(condition, Comparison):
        return _test(condition, condition.field.read(record))
    if isinstance(condition, AllOf):
        return all(holds(part, record) for part in condition.parts)
    if isinstance(condition, AnyOf):
        return any(holds(part, record) for part in condition.parts)
    return not holds(condition.part, record)


def _fold(value: Value) -> Value:
    return value.casefold() if isinstance(value, str) else value


def _equal(value: Value, wanted: Value) -> bool:
    if value is None or wanted is None:
        return value is None and wanted is None
    return _fold(value) == _fold(wanted)


def _test(test: Comparison, value: Value) -> bool:
    op, wanted = test.op, test.values
    if test.field.type is ValueType.LIST:
        return _list_test(op, value if isinstance(value, tuple) else (), wanted)
    if op in (Operator.EQ, Operator.NE):
        return _equal(value, wanted[0]) is (op is Operator.EQ)
    if op in (Operator.IN, Operator.NOT_IN):
        return any(_equal(value, each) for each in wanted) is (op is Operator.IN)
    if op in CONTAINING:
        inside = isinstance(value, str) and str(wanted[0]).casefold() in value.casefold()
        return inside is (op is Operator.CONTAINS)
    if value is None:
        return False
    limit = wanted[0]
    if op is Operator.LT:
        return value < limit  # type: ignore[operator]
    if op is Operator.LE:
        return value <= limit  # type: ignore[operator]
    if op is Operator.GT:
        return value > limit  # type: ignore[operator]
    return value >= limit  # type: ignore[operator]


def _list_test(op: Operator, items: tuple[str, ...], wanted: Sequence[Value]) -> bool:
    """A list holds ``=`` and ``in`` when one of its texts is a value (``= none``: when it is
    empty), ``contains`` when one of its texts holds the value; ``!=``, ``not in`` and
    ``not contains`` when that is not so."""
    if op in CONTAINING:
        part = str(wanted[0]).casefold()
        found = any(part in item.casefold() for item in items)
    else:
        found = any((not items) if each is None else any(_equal(item, each) for item in items) for each in wanted)
    return found is (op in (Operator.EQ, Operator.IN, Operator.CONTAINS))


# --- sort and group -------------------------------------------------------------------------------


def sort_key(value: Value) -> SortKey:
    """The order of a field's values: text without regard to case, then as written; a list by its texts."""
    if isinstance(value, str):
        return (value.casefold(), value)
    if isinstance(value, tuple):
        return tuple(item.casefold() for item in value)
    assert value is not None
    return value


def _sorted(records: list[Record], query: Query) -> list[Record]:
    """``records`` in the query's order (stable: ties keep the entity's own order); values that
    are none last, whichever the direction."""
    ordered = list(records)
    for order in reversed(query.sort):
        values = {id(record): order.field.read(record) for record in ordered}
        present = [record for record in ordered if values[id(record)] is not None]
        present.sort(key=lambda record: sort_key(values[id(record)]), reverse=order.descending)
        ordered = present + [record for record in ordered if values[id(record)] is None]
    return ordered


def _keys(field: Field, value: Value) -> Iterable[Value]:
    """The groups a value puts its row in: a list's row goes in each of its texts' (none: an empty list)."""
    if field.type is ValueType.LIST:
        items = value if isinstance(value, tuple) else ()
        return dict.fromkeys(items) if items else (None,)
    return (value,)


def _groups(records: list[Record], field: Field) -> list[tuple[Value, list[Record]]]:
    """The rows by the field's value, largest group first, then by value (none last)."""
    groups: dict[object, tuple[Value, list[Record]]] = {}
    for record in records:
        for key in _keys(field, field.read(record)):
            groups.setdefault(key, (key, []))[1].append(record)
    return sorted(groups.values(), key=lambda group: (-len(group[1]), group[0] is None,
                                                     sort_key(group[0]) if group[0] is not None else 0))
