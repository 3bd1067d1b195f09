"""Running queries (mltrl_docs/query/evaluate.py): every operator on every kind of field, values that
are none, lists, precedence, sorting, grouping and limits, and the subjects rows are about."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.query import Column, Entity, Tables, ValueType

from .support import ask, column, small_dossier


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return Tables(small_dossier(tmp_path_factory.mktemp("query-evaluate")))


def ids(tables: Tables, text: str) -> list[object]:
    """The first column of the answer's rows."""
    result = ask(tables, text)
    return [row.values[0] for row in result.rows]


@pytest.mark.parametrize(("condition", "expected"), [
    # text: = and != without regard to case; != also where there is no value
    ("team = vision", ["A"]),
    ("team = 'VISION'", ["A"]),
    ("team != Vision", ["B", "c"]),
    ("team = none", ["B", "c"]),
    ("team != none", ["A"]),
    ("team in (vision, other)", ["A"]),
    ("team in (other, none)", ["B", "c"]),
    ("team not in (vision)", ["B", "c"]),
    ("team contains SIO", ["A"]),
    ("team not contains sio", ["B", "c"]),
    ("title contains 'monitor'", ["A"]),
    ("status = in-review", ["A"]),
    ("phase = research and status != draft", ["A"]),
    # numbers
    ("level = 1", ["A"]),
    ("level != 1", ["B", "c"]),
    ("level < 1", ["B"]),
    ("level <= 1", ["A", "B"]),
    ("level > 0", ["A"]),
    ("level >= 0", ["A", "B"]),
    ("level in (0, 5)", ["B"]),
    ("level not in (0, 5)", ["A", "c"]),
    ("level = none", ["c"]),
    ("findings >= 1 and errors = 0", ["A"]),
    # days: durations and bare numbers of days
    ("at_level > 300d", ["A"]),
    ("at_level > 43w", ["A"]),
    ("at_level >= 306", ["A"]),
    ("at_level > 306", []),
    ("at_level < 1y", ["A", "B"]),
    ("at_level <= 8m", ["B"]),
    ("at_level <= 7m", []),
    ("at_level > 10m", ["A"]),
    # dates
    ("date = 2024-03-01", ["A"]),
    ("date > 2024-03-01", ["B"]),
    ("date >= 2024-03-01", ["A", "B"]),
    ("date < 2024-06-01", ["A"]),
    ("date <= 2024-06-01", ["A", "B"]),
    ("date != 2024-03-01", ["B", "c"]),
    # booleans, alone or compared
    ("unearned", ["A"]),
    ("not unearned", ["B", "c"]),
    ("unearned = false", ["B"]),
    ("unearned != true", ["B", "c"]),
    ("approved = true", []),
    # lists: = and in hold when one text matches, contains when one text holds the part
    ("owners = 'ada okafor'", ["A", "B"]),
    ("owners = Bo", []),
    ("owners contains bo", ["B"]),
    ("owners contains OKAFOR", ["A", "B"]),
    ("owners != 'Bo Li'", ["A", "c"]),
    ("owners not contains li", ["A", "c"]),
    ("owners in ('Bo Li', 'Cy')", ["B"]),
    ("owners not in ('Bo Li', 'Cy')", ["A", "c"]),
    ("tags = none", ["B", "c"]),
    ("tags != none", ["A"]),
    ("tags in (none, vision)", ["A", "B", "c"]),
    ("coupled = b", ["A"]),
    ("limited_by contains B", ["A"]),
    ("blockers contains 'gated review'", ["A", "B"]),
    # precedence and parentheses
    ("level = 1 or level = 0 and team = vision", ["A"]),
    ("(level = 1 or level = 0) and team = none", ["B"]),
    ("not (level = 1 or level = 0)", ["c"]),
    ("not not unearned", ["A"]),
])
def test_conditions_on_projects(tables: Tables, condition: str, expected: list[str]) -> None:
    assert ids(tables, f"projects where {condition} show id") == expected


@pytest.mark.parametrize(("condition", "expected"), [
    ("risk >= 12", ["1"]),
    ("risk > 12", []),
    ("risk < 12", ["1.1"]),  # the unscored ones hold no comparison
    ("risk != 12", ["2", "1.1", "3"]),  # but != keeps them
    ("not risk = 12", ["2", "1.1", "3"]),
    ("risk = none", ["2", "3"]),
    ("risk in (2, none)", ["2", "1.1", "3"]),
    ("risk not in (2, 12)", ["2", "3"]),
    ("status in (verified, waived)", ["1", "1.1", "3"]),
    ("status = verified and not verified", ["3"]),
    ("verified", ["1"]),
    ("closed = false", ["2", "3"]),
    ("evidence = failed", ["3"]),
    ("evidence = none", ["1", "2", "1.1"]),
    ("text contains 'SHALL REACH'", ["2", "3"]),
    ("text contains '=alerts'", ["2"]),
    ("id = 1.1", ["1.1"]),
    ("id in (1, 3)", ["1", "3"]),
    ("kind = product or status = verified and risk >= 12", ["1", "2"]),
])
def test_conditions_on_requirements(tables: Tables, condition: str, expected: list[str]) -> None:
    assert ids(tables, f"requirements where {condition} show id") == expected


def test_conditions_on_cards_reviews_findings_and_terms(tables: Tables) -> None:
    assert ids(tables, "cards where transition = switchback show switchback") == ["discovery"]
    assert ids(tables, "cards where transition = none show date") == [
        row.values[0] for row in ask(tables, "cards where transition != advance and switchback = none show date").rows]
    assert ids(tables, "cards where switchback not in (review, embedded) and current show project") == ["A", "B"]
    assert ids(tables, "cards where reviewers contains sam show level") == [1]
    assert ids(tables, "cards where age > 2y show level") == [1]
    assert ids(tables, "reviews where decision = pending and current show reviewer") == ["Lin Chen"]
    assert ids(tables, "reviews where waiting > 9m show waiting") == [297]
    assert ids(tables, "reviews where waiting = none and role = none show level") == [2]
    assert ids(tables, "reviews where note contains fine show reviewer") == ["Sam Roe"]
    assert ids(tables, "findings where severity = error show rule") == ["schema"]
    assert ids(tables, "findings where line > 20 and project = a show rule") == [
        "evidence-contradicts", "debrief", "sections", "debrief"]
    assert ids(tables, "terms where aliases = SHIFT or teams contains vis show term") == ["Drift"]


# --- sort, limit, show ----------------------------------------------------------------------------


def test_sort_asc_and_desc_with_none_last_either_way(tables: Tables) -> None:
    assert ids(tables, "requirements sort by risk show id") == ["1.1", "1", "2", "3"]
    assert ids(tables, "requirements sort by risk asc show id") == ["1.1", "1", "2", "3"]
    assert ids(tables, "requirements sort by risk desc show id") == ["1", "1.1", "2", "3"]
    assert ids(tables, "projects sort by team desc show id") == ["A", "B", "c"]


def test_sort_by_several_fields_keeps_the_entity_order_for_ties(tables: Tables) -> None:
    assert ids(tables, "cards sort by project desc, date desc show date") == [
        row.values[0] for row in ask(tables, "cards show date").rows][::-1]
    result = ask(tables, "cards sort by level, date desc show level, date")
    assert [(r.values[0], r.values[1].isoformat()) for r in result.rows] == [
        (0, "2024-06-01"), (1, "2024-03-01"), (1, "2023-01-01"), (2, "2023-06-01")]
    assert ids(tables, "requirements sort by status show id") == ["2", "1", "3", "1.1"]


def test_text_sorts_without_regard_to_case_and_lists_by_their_texts(tables: Tables) -> None:
    assert ids(tables, "projects sort by id show id") == ["A", "B", "c"]
    assert ids(tables, "projects sort by id desc show id") == ["c", "B", "A"]
    assert ids(tables, "projects sort by owners show id") == ["c", "A", "B"]


def test_limit_keeps_the_first_rows_and_matched_counts_them_all(tables: Tables) -> None:
    result = ask(tables, "requirements sort by risk desc limit 2 show id, risk")
    assert [row.values for row in result.rows] == [("1", 12), ("1.1", 2)]
    assert result.matched == 4 and result.groups == () and result.group_by is None
    assert ask(tables, "requirements limit 10").matched == len(ask(tables, "requirements limit 10").rows) == 4


def test_show_sets_the_columns_and_their_types(tables: Tables) -> None:
    result = ask(tables, "projects show at_level, owners, unearned, date, level, id")
    assert result.columns == (Column("at_level", ValueType.DAYS), Column("owners", ValueType.LIST),
                              Column("unearned", ValueType.BOOLEAN), Column("date", ValueType.DATE),
                              Column("level", ValueType.NUMBER), Column("id", ValueType.TEXT))
    assert result.entity is Entity.PROJECTS
    assert column(ask(tables, "projects"), "id") == ["A", "B", "c"]


# --- group by -------------------------------------------------------------------------------------


def test_groups_largest_first_then_by_value_with_none_last(tables: Tables) -> None:
    result = ask(tables, "requirements group by status show id")
    assert result.group_by == Column("status", ValueType.TEXT)
    assert [(g.key, g.count) for g in result.groups] == [("verified", 2), ("not-started", 1), ("waived", 1)]
    assert [[row.values[0] for row in g.rows] for g in result.groups] == [["1", "3"], ["2"], ["1.1"]]
    assert result.matched == 4 and result.groups_matched == 3
    risk = ask(tables, "requirements group by risk")
    assert [(g.key, g.count) for g in risk.groups] == [(None, 2), (2, 1), (12, 1)]
    teams = ask(tables, "projects group by team")
    assert [(g.key, g.count) for g in teams.groups] == [(None, 2), ("Vision", 1)]
    levels = ask(tables, "projects where level != none group by level")
    assert [(g.key, g.count) for g in levels.groups] == [(0, 1), (1, 1)]


def test_a_list_field_puts_a_row_in_the_group_of_each_of_its_texts(tables: Tables) -> None:
    result = ask(tables, "projects group by owners show id")
    assert [(g.key, [r.values[0] for r in g.rows]) for g in result.groups] == [
        ("Ada Okafor", ["A", "B"]), ("Bo Li", ["B"]), (None, ["c"])]
    assert [row.values[0] for row in result.rows] == ["A", "B", "c"]  # each row once
    assert result.matched == 3 and result.groups_matched == 3


def test_with_group_by_limit_counts_groups_and_rows_follow_them(tables: Tables) -> None:
    result = ask(tables, "requirements group by status sort by risk desc limit 2 show id")
    assert [(g.key, [r.values[0] for r in g.rows]) for g in result.groups] == [
        ("verified", ["1", "3"]), ("not-started", ["2"])]
    assert [row.values[0] for row in result.rows] == ["1", "2", "3"]  # in the sort order
    assert result.matched == 4 and result.groups_matched == 3


def test_no_row_matches(tables: Tables) -> None:
    result = ask(tables, "projects where level > 9 group by team")
    assert (result.rows, result.groups, result.matched, result.groups_matched) == ((), (), 0, 0)


# --- subjects -------------------------------------------------------------------------------------


def test_rows_say_what_they_are_about(tables: Tables) -> None:
    dossier: CheckedDossier = tables.dossier
    project = ask(tables, "projects where id = a").rows[0].subject
    assert (project.entity, project.project, project.card) == (Entity.PROJECTS, "A", dossier.projects["A"].current)
    requirement = ask(tables, "requirements where id = 3").rows[0].subject
    assert (requirement.entity, requirement.requirement, requirement.card) == (
        Entity.REQUIREMENTS, "3", dossier.projects["A"].current)
    review = ask(tables, "reviews where not current").rows[0].subject
    assert review.card is dossier.projects["A"].cards[0]
    card = ask(tables, "cards where project = b").rows[0].subject
    assert (card.entity, card.card) == (Entity.CARDS, dossier.projects["B"].current)
    finding = ask(tables, "findings where rule = schema").rows[0].subject
    assert finding.path is not None and finding.path.name == "L1.md" and finding.card is None
    on_card = ask(tables, "findings where rule = evidence-contradicts").rows[0].subject
    assert on_card.card is dossier.projects["A"].current and on_card.project == "A"
    term = ask(tables, "terms").rows[0].subject
    assert (term.entity, term.term, term.project) == (Entity.TERMS, "Drift", "A")


def test_tables_are_built_once_per_entity_and_only_when_asked(tmp_path: Path) -> None:
    tables = Tables(small_dossier(tmp_path))
    assert ask(tables, "cards").matched == 4
    assert set(tables._built) == {Entity.CARDS}
    first = tables.records(Entity.CARDS)
    ask(tables, "cards where level > 1")
    assert tables.records(Entity.CARDS) is first and set(tables._built) == {Entity.CARDS}
