"""A query checked against the catalogue (mltrl_docs/query/check.py) through ``query.parse``: unknown
names and values with did-you-mean, type mismatches saying what the field takes, every problem of a
query at once, located in the file the query is written in."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.findings import Position, Severity
from mltrl_docs.query import Entity, parse
from mltrl_docs.query.check import AllOf, AnyOf, Comparison, Negation, Operator, Query
from mltrl_docs.query.fields import CATALOGUE

from .support import QUERY_FILE, problems

PROJECT_FIELDS = ", ".join(CATALOGUE[Entity.PROJECTS].fields)
REQUIREMENT_FIELDS = ", ".join(CATALOGUE[Entity.REQUIREMENTS].fields)


def good(text: str) -> Query:
    query, findings = parse(text, QUERY_FILE)
    assert findings == [] and query is not None
    return query


@pytest.mark.parametrize(("text", "expected"), [
    ("projets", [(1, 1, "query-field", "there is no 'projets' to ask about", "did you mean 'projects'?")]),
    ("teams where level > 1", [(1, 1, "query-field", "there is no 'teams' to ask about",
                                "did you mean 'terms'?")]),
    ("owners", [(1, 1, "query-field", "there is no 'owners' to ask about",
                 "a query starts with one of: projects, cards, requirements, reviews, findings, terms")]),
    ("requirements where riks >= 12", [(1, 20, "query-field", "requirements have no field 'riks'",
                                        "did you mean 'risk'?")]),
    ("requirements where decision = approved", [(1, 20, "query-field", "requirements have no field 'decision'",
                                                 f"requirements have: {REQUIREMENT_FIELDS}; reviews have a field "
                                                 "'decision'")]),
    ("projects where current", [(1, 16, "query-field", "projects have no field 'current'",
                                 f"projects have: {PROJECT_FIELDS}; cards and reviews have a field 'current'")]),
    ("projects group by phse", [(1, 19, "query-field", "projects have no field 'phse'", "did you mean 'phase'?")]),
    ("projects sort by levle desc", [(1, 18, "query-field", "projects have no field 'levle'",
                                      "did you mean 'level'?")]),
    ("projects show id, titel", [(1, 19, "query-field", "projects have no field 'titel'", "did you mean 'title'?")]),
])
def test_unknown_entities_and_fields_with_did_you_mean(text: str, expected: list[tuple]) -> None:
    assert problems(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("cards where date > 12", (1, 20, "query-type", "date takes a date; 12 is a number",
                               "write a date as year-month-day, such as 2026-01-31")),
    ("requirements where risk = high", (1, 27, "query-type", "risk takes a number; 'high' is text",
                                        "write a number, such as 12 or 2.5")),
    ("requirements where risk = 'twelve'", (1, 27, "query-type", "risk takes a number; 'twelve' is text",
                                            "write a number, such as 12 or 2.5")),
    ("projects where at_level > 2026-01-01", (1, 27, "query-type", "at_level takes a duration; 2026-01-01 is a date",
                                              "write a duration as 30d, 12w, 6m or 2y (a month is 30 days, a year "
                                              "365), or a number of days")),
    ("projects where at_level > 1.5", (1, 27, "query-type",
                                       "at_level takes a duration; 1.5 is not a whole number of days",
                                       "write a duration as 30d, 12w, 6m or 2y (a month is 30 days, a year 365), "
                                       "or a number of days")),
    ("cards where date > 30d", (1, 20, "query-type", "date takes a date; 30d is a duration",
                                "write a date as year-month-day, such as 2026-01-31")),
    ("cards where current = yes", (1, 23, "query-type", "current takes true or false; 'yes' is text",
                                   "write true or false")),
    ("cards where level = true", (1, 21, "query-type", "level takes a number; true is true or false",
                                  "write a number, such as 12 or 2.5")),
    ("projects where system < level", (1, 25, "query-type", "system takes a number; 'level' is text",
                                       "write a number, such as 12 or 2.5 (level is a field: a condition compares a "
                                       "field with a value, not with a field)")),
    ("projects where level", (1, 16, "query-type", "level takes a number, so it cannot stand alone as a condition",
                              "compare it with a value: level >= 3")),
    ("projects where date", (1, 16, "query-type", "date takes a date, so it cannot stand alone as a condition",
                             "compare it with a value: date > 2026-01-01")),
    ("projects where at_level", (1, 16, "query-type",
                                 "at_level takes a duration, so it cannot stand alone as a condition",
                                 "compare it with a value: at_level > 90d")),
    ("projects where team and approved", (1, 16, "query-type",
                                          "team takes text, so it cannot stand alone as a condition",
                                          'compare it with a value: team = "..."')),
    ("projects where title < M", (1, 22, "query-type", "< compares numbers, dates and durations; title takes text",
                                  "title takes =, !=, in (...) and contains")),
    ("projects where owners >= A", (1, 23, "query-type",
                                    ">= compares numbers, dates and durations; owners takes a list of texts",
                                    "owners takes =, !=, in (...) and contains")),
    ("cards where current > false", (1, 21, "query-type",
                                     "> compares numbers, dates and durations; current takes true or false",
                                     "write current or not current (or = true, = false)")),
    ("projects where level contains 3", (1, 22, "query-type",
                                         "contains looks inside text and lists; level takes a number",
                                         "level takes =, !=, <, <=, >, >= and in (...)")),
    ("projects where date not contains 2026", (1, 21, "query-type",
                                               "not contains looks inside text and lists; date takes a date",
                                               "date takes =, !=, <, <=, >, >= and in (...)")),
    ("projects where date > none", (1, 23, "query-type", "none can only be tested with = or != (or listed after in); "
                                                         "> needs a date",
                                    "date = none holds when there is no value; write a date as year-month-day, such "
                                    "as 2026-01-31")),
    ("projects where team contains none", (1, 30, "query-type", "none can only be tested with = or != (or listed "
                                                                "after in); contains needs text",
                                           'team = none holds when there is no value; write a word (in-review) or '
                                           'quote the text ("Cloud platform")')),
])
def test_type_mismatches_say_what_the_field_takes_and_how_to_write_it(text: str, expected: tuple) -> None:
    assert problems(text) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("requirements where status = verifed", (1, 29, "query-value", "'verifed' is not a status of requirements",
                                             "did you mean 'verified'? status takes: not-started, in-progress, "
                                             "verified, failed, waived")),
    ("cards where switchback in (discovery, reveiw)", (1, 39, "query-value", "'reveiw' is not a switchback of cards",
                                                       "did you mean 'review'? switchback takes: discovery, review, "
                                                       "embedded")),
    ("projects where phase != x", (1, 25, "query-value", "'x' is not a phase of projects",
                                   "phase takes: research, prototyping, productization, deployment, or none")),
    ("findings where severity = info", (1, 27, "query-value", "'info' is not a severity of findings",
                                        "severity takes: error, warning, note, or none")),
    ("requirements where evidence = missing", (1, 31, "query-value", "'missing' is not an evidence of requirements",
                                               "evidence takes: passed, failed, unknown, or none")),
    ("projects limit 0", (1, 16, "query-value", "limit takes a whole number of 1 or more, not 0", "write limit 20")),
    ("projects limit 2.5", (1, 16, "query-value", "limit takes a whole number of 1 or more, not 2.5",
                            "write limit 20")),
    ("projects limit -3", (1, 16, "query-value", "limit takes a whole number of 1 or more, not -3", "write limit 20")),
])
def test_values_a_field_does_not_list(text: str, expected: tuple) -> None:
    assert problems(text) == [expected]


def test_every_problem_of_a_query_is_reported_at_once() -> None:
    assert problems("requirements where riks >= 12 and status = verifed and (risk = high or not wat) "
                    "group by knd sort by risk desc, txt show id, statuss limit 0") == [
        (1, 20, "query-field", "requirements have no field 'riks'", "did you mean 'risk'?"),
        (1, 44, "query-value", "'verifed' is not a status of requirements",
         "did you mean 'verified'? status takes: not-started, in-progress, verified, failed, waived"),
        (1, 64, "query-type", "risk takes a number; 'high' is text", "write a number, such as 12 or 2.5"),
        (1, 76, "query-field", "requirements have no field 'wat'",
         f"requirements have: {REQUIREMENT_FIELDS}"),
        (1, 90, "query-field", "requirements have no field 'knd'", "did you mean 'kind'?"),
        (1, 113, "query-field", "requirements have no field 'txt'", "did you mean 'text'?"),
        (1, 126, "query-field", "requirements have no field 'statuss'", "did you mean 'status'?"),
        (1, 140, "query-value", "limit takes a whole number of 1 or more, not 0", "write limit 20"),
    ]


def test_findings_are_located_in_the_file_the_query_is_written_in() -> None:
    """A query written on lines 12-14 of docs/board.md, starting at column 5 of line 12."""
    text = "reviews where decision = pendng and\n    current and\n        wating > 3d"
    query, findings = parse(text, Path("docs/board.md"), Position(12, 5))
    assert query is None
    assert [(f.path, f.position, f.severity, f.rule) for f in findings] == [
        (Path("docs/board.md"), Position(12, 30), Severity.ERROR, "query-value"),
        (Path("docs/board.md"), Position(14, 9), Severity.ERROR, "query-field")]
    _, syntax = parse("projects\n  where level >", Path("docs/board.md"), Position(3, 1))
    assert [(f.position, f.rule) for f in syntax] == [(Position(4, 16), "query-syntax")]


def test_a_good_query_is_resolved_to_fields_and_typed_values() -> None:
    query = good("Requirements WHERE Status = Verified and not (Risk >= 12 or kind in (PRODUCT, none)) "
                 "and owners contains 'ana' group by Kind sort by risk desc, id limit 3 show id, risk, id")
    fields = CATALOGUE[Entity.REQUIREMENTS].fields
    assert query.entity is Entity.REQUIREMENTS
    assert query.where == AllOf((
        Comparison(fields["status"], Operator.EQ, ("verified",), Position(1, 27)),
        Negation(AnyOf((Comparison(fields["risk"], Operator.GE, (12,), Position(1, 52)),
                        Comparison(fields["kind"], Operator.IN, ("product", None), Position(1, 66))))),
        Comparison(fields["owners"], Operator.CONTAINS, ("ana",), Position(1, 97)),
    ))
    assert query.group_by is fields["kind"]
    assert [(o.field.name, o.descending) for o in query.sort] == [("risk", True), ("id", False)]
    assert query.limit == 3
    assert [f.name for f in query.show] == ["id", "risk"]  # a field shown twice is one column
    assert [c.name for c in query.columns] == ["id", "risk"]
    assert query.text.startswith("Requirements WHERE")


def test_values_are_read_as_the_field_takes_them() -> None:
    def values(text: str) -> tuple:
        query = good(text)
        assert isinstance(query.where, Comparison)
        return query.where.values

    assert values("requirements where id in (1.2, 3, 2026-01-01, 30d, true, x)") == (
        "1.2", "3", "2026-01-01", "30d", "true", "x")
    assert values("projects where at_level in (30d, 2w, 400, none)") == (30, 14, 400, None)
    assert values("projects where level in (1, 2.5, -1)") == (1, 2.5, -1)
    assert values("cards where current = FALSE") == (False,)
    assert values("cards where current") == (True,)
    assert values("cards where transition != NONE") == (None,)
    assert values("requirements where text contains Verifed") == ("Verifed",)  # contains: any text, as written


def test_without_show_an_answer_has_the_entity_s_default_columns() -> None:
    for entity, spec in CATALOGUE.items():
        assert [c.name for c in good(entity.value).columns] == list(spec.default)
