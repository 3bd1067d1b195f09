"""An answer as ``mltrl-docs query`` prints it (mltrl_docs/query/report.py): the text table, JSON
and CSV cells, on hand-made answers with every kind of value."""

from __future__ import annotations

import datetime as dt
import json

from mltrl_docs.query import Answer, Column, Entity, Group, Row, Subject, ValueType
from mltrl_docs.query.report import TEXT_CELL, cell_csv, cell_text, csv_table, to_json, to_text
from mltrl_docs.render.exports import to_csv

SUBJECT = Subject(Entity.PROJECTS, project="A")
COLUMNS = (Column("id", ValueType.TEXT), Column("level", ValueType.NUMBER), Column("at_level", ValueType.DAYS),
           Column("date", ValueType.DATE), Column("owners", ValueType.LIST), Column("unearned", ValueType.BOOLEAN))
ROWS = (Row(("A", 4, 306, dt.date(2024, 3, 1), ("Ada Okafor", "Bo Li"), True), SUBJECT),
        Row(("Bee", 10, None, None, (), False), SUBJECT))


def test_the_text_table_aligns_numbers_right_and_counts_rows() -> None:
    assert to_text(Answer(Entity.PROJECTS, COLUMNS, ROWS, 3)) == (
        "id   level  at_level  date        owners             unearned\n"
        "---  -----  --------  ----------  -----------------  --------\n"
        "A        4      306d  2024-03-01  Ada Okafor, Bo Li  true\n"
        "Bee     10         -  -                              false\n"
        "2 of 3 rows\n")
    assert to_text(Answer(Entity.PROJECTS, COLUMNS, ROWS[:1], 1)).endswith("\n1 of 1 row\n")
    assert to_text(Answer(Entity.PROJECTS, COLUMNS, (), 0)) == "0 of 0 rows\n"


def test_grouped_text_lists_each_value_and_its_count() -> None:
    answer = Answer(Entity.PROJECTS, COLUMNS, ROWS, 2, group_by=Column("level", ValueType.NUMBER),
                    groups=(Group(4, ROWS[:1]), Group(None, ROWS[1:])), groups_matched=5)
    assert to_text(answer) == ("level  count\n"
                               "-----  -----\n"
                               "    4      1\n"
                               "    -      1\n"
                               "2 of 5 groups, 2 rows\n")
    one = Answer(Entity.PROJECTS, COLUMNS, ROWS[:1], 1, group_by=Column("id", ValueType.TEXT),
                 groups=(Group("A", ROWS[:1]),), groups_matched=1)
    assert to_text(one) == "id  count\n--  -----\nA       1\n1 of 1 group, 1 row\n"


def test_a_cell_stays_on_one_line_short_and_cannot_start_a_ci_command() -> None:
    assert cell_text("x" * 100, ValueType.TEXT) == "x" * (TEXT_CELL - 1) + "…"
    assert cell_text("two\nlines", ValueType.TEXT) == "two\\nlines"
    assert cell_text(2.5, ValueType.NUMBER) == "2.5" and cell_text(3.0, ValueType.NUMBER) == "3"
    answer = Answer(Entity.FINDINGS, (Column("message", ValueType.TEXT),),
                    (Row(("::error file=x::forged",), SUBJECT), Row(("##vso[task]",), SUBJECT)), 2)
    assert to_text(answer).splitlines()[2:4] == ["./::error file=x::forged", "./##vso[task]"]


def test_json_keeps_the_data_s_own_values() -> None:
    answer = Answer(Entity.PROJECTS, COLUMNS, ROWS, 3, group_by=Column("owners", ValueType.LIST),
                    groups=(Group("Ada Okafor", ROWS[:1]), Group(None, ROWS[1:])), groups_matched=2)
    data = json.loads(to_json(answer, "projects group by owners"))
    assert data == {
        "version": 1, "query": "projects group by owners", "entity": "projects",
        "columns": [{"name": c.name, "type": c.type.value} for c in COLUMNS], "matched": 3,
        "rows": [{"id": "A", "level": 4, "at_level": 306, "date": "2024-03-01", "owners": ["Ada Okafor", "Bo Li"],
                  "unearned": True},
                 {"id": "Bee", "level": 10, "at_level": None, "date": None, "owners": [], "unearned": False}],
        "group_by": {"name": "owners", "type": "list"},
        "groups": [{"key": "Ada Okafor", "count": 1}, {"key": None, "count": 1}], "groups_matched": 2}


def test_csv_cells_and_the_formula_guard() -> None:
    assert [cell_csv(v) for v in (None, True, False, ("a", "b"), dt.date(2026, 1, 31), 2.5, 12, "x")] == [
        "", "true", "false", "a; b", "2026-01-31", "2.5", "12", "x"]
    header, rows = csv_table(Answer(Entity.PROJECTS, COLUMNS, ROWS, 2))
    assert header == [c.name for c in COLUMNS] and rows[1] == ["Bee", "10", "", "", "", "false"]
    guarded = Answer(Entity.REQUIREMENTS, (Column("text", ValueType.TEXT),), (Row(("=HYPERLINK(x)",), SUBJECT),), 1)
    assert to_csv(*csv_table(guarded)) == "text\r\n'=HYPERLINK(x)\r\n"
    grouped = Answer(Entity.PROJECTS, COLUMNS, ROWS, 2, group_by=Column("unearned", ValueType.BOOLEAN),
                     groups=(Group(True, ROWS[:1]), Group(False, ROWS[1:])), groups_matched=2)
    assert csv_table(grouped) == (["unearned", "count"], [["true", "1"], ["false", "1"]])
