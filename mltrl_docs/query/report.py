"""An answer as ``mltrl-docs query`` prints it: an aligned text table for people, JSON for tools
(``schema/query-output.schema.json``), and the plain cells of a CSV table (the command writes them
with ``render.exports.to_csv``, which guards spreadsheet formulas).

Cells hold the data's own values: ids, status values, ISO dates, numbers, days as whole numbers
(``412d`` in the text table), true or false; a list's texts are joined (``, `` in the text table,
``; `` in CSV) or a JSON array; a missing value is ``-`` in text, empty in CSV, null in JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from mltrl_docs.evidence import number_text
from mltrl_docs.findings import cut
from mltrl_docs.query.answer import Answer, Value, ValueType
from mltrl_docs.terminal import line_start, one_line

OUTPUT_VERSION = 1
"""The version of the JSON output (``query-output.schema.json``'s)."""
TEXT_CELL = 60
"""Characters of one cell of the text table at most (requirement texts and messages are cut)."""
NONE_TEXT = "-"
_RIGHT = frozenset({ValueType.NUMBER, ValueType.DAYS})


def cell_text(value: Value, kind: ValueType) -> str:
    """One value as the text table shows it (on one line, cut to ``TEXT_CELL`` characters)."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, tuple):
        text = ", ".join(value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float):
        text = number_text(value)
    elif kind is ValueType.DAYS:
        text = f"{value}d"
    else:
        text = str(value)
    return cut(one_line(text), TEXT_CELL)


def cell_data(value: Value) -> Any:
    """One value as JSON holds it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def cell_csv(value: Value) -> str:
    """One value as a CSV cell holds it (before the formula guard)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _plural(count: int, word: str) -> str:
    return f"{word}" if count == 1 else f"{word}s"


def to_text(answer: Answer) -> str:
    """The answer as an aligned table and an "N of M rows" line; grouped, one line per group
    (the value and how many rows have it) and "N of M groups, R rows"."""
    header: tuple[str, ...]
    lines: list[tuple[str, ...]]
    right: tuple[bool, ...]
    if answer.group_by is not None:
        header = (answer.group_by.name, "count")
        lines = [(cell_text(group.key, answer.group_by.type), str(group.count)) for group in answer.groups]
        right = (answer.group_by.type in _RIGHT, True)
        footer = (f"{len(answer.groups)} of {answer.groups_matched} {_plural(answer.groups_matched, 'group')}, "
                  f"{answer.matched} {_plural(answer.matched, 'row')}")
    else:
        header = tuple(column.name for column in answer.columns)
        lines = [tuple(cell_text(value, column.type) for value, column in zip(row.values, answer.columns, strict=True))
                 for row in answer.rows]
        right = tuple(column.type in _RIGHT for column in answer.columns)
        footer = f"{len(answer.rows)} of {answer.matched} {_plural(answer.matched, 'row')}"
    out = _table(header, lines, right) if lines else []
    return "\n".join([*out, footer]) + "\n"


def _table(header: Sequence[str], lines: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def row(cells: Sequence[str]) -> str:
        padded = [cell.rjust(width) if flush else cell.ljust(width)
                  for cell, width, flush in zip(cells, widths, right, strict=True)]
        return line_start("  ".join(padded).rstrip())

    return [row(header), row(["-" * width for width in widths]), *map(row, lines)]


def to_json(answer: Answer, query: str) -> str:
    """The answer for tools, as ``schema/query-output.schema.json`` describes it."""
    group_by = answer.group_by
    data = {
        "version": OUTPUT_VERSION,
        "query": query,
        "entity": answer.entity.value,
        "columns": [{"name": column.name, "type": column.type.value} for column in answer.columns],
        "matched": answer.matched,
        "rows": [{column.name: cell_data(value) for column, value in zip(answer.columns, row.values, strict=True)}
                 for row in answer.rows],
        "group_by": {"name": group_by.name, "type": group_by.type.value} if group_by is not None else None,
        "groups": [{"key": cell_data(group.key), "count": group.count} for group in answer.groups],
        "groups_matched": answer.groups_matched,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_table(answer: Answer) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the answer's CSV table: its columns and rows; grouped, the grouped
    field and ``count``, one row per group."""
    if answer.group_by is not None:
        return ([answer.group_by.name, "count"],
                [[cell_csv(group.key), str(group.count)] for group in answer.groups])
    return ([column.name for column in answer.columns],
            [[cell_csv(value) for value in row.values] for row in answer.rows])
