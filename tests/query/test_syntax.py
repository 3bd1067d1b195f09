"""The query language's tokens and grammar (mltrl_docs/query/syntax.py): every token, quoting and
escapes, dates and durations, precedence, clauses, positions, and the bounds on length and depth."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from mltrl_docs.findings import Position
from mltrl_docs.query.syntax import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Compare,
    Literal,
    LiteralKind,
    Not,
    Or,
    QueryError,
    Statement,
    TokenKind,
    parse_statement,
    tokenize,
)


def kinds(text: str) -> list[tuple[str, str, object]]:
    return [(t.kind.value, t.text, t.value) for t in tokenize(text)][:-1]


def failure(text: str) -> tuple[int, int, str, str, str | None]:
    with pytest.raises(QueryError) as raised:
        parse_statement(text)
    problem = raised.value.problem
    return problem.position.line, problem.position.column, problem.rule, problem.message, problem.hint


# --- tokens ---------------------------------------------------------------------------------------


def test_every_kind_of_token() -> None:
    assert kinds('a >= 2.5 != -3 <= 12 < > = ( x , "y z" ) 2026-01-31 30d in-review P12.2') == [
        ("word", "a", None), ("operator", ">=", None), ("number", "2.5", 2.5), ("operator", "!=", None),
        ("number", "-3", -3), ("operator", "<=", None), ("number", "12", 12), ("operator", "<", None),
        ("operator", ">", None), ("operator", "=", None), ("punctuation", "(", None), ("word", "x", None),
        ("punctuation", ",", None), ("string", "y z", None), ("punctuation", ")", None),
        ("date", "2026-01-31", dt.date(2026, 1, 31)), ("duration", "30d", 30), ("word", "in-review", None),
        ("word", "P12.2", None)]
    assert tokenize("")[-1].kind is TokenKind.END


@pytest.mark.parametrize(("text", "days"), [("30d", 30), ("12w", 84), ("6m", 180), ("2y", 730), ("0d", 0),
                                            ("3D", 3), ("1Y", 365)])
def test_durations_count_days(text: str, days: int) -> None:
    [token] = tokenize(text)[:-1]
    assert (token.kind, token.value) == (TokenKind.DURATION, days)


@pytest.mark.parametrize("text", ["1.2.3", "1.", "d", "30x", "2026-1-31", "P12", "x2y", "-", "1e5"])
def test_words_that_look_like_numbers_dates_or_durations_stay_words(text: str) -> None:
    [token] = tokenize(text)[:-1]
    assert (token.kind, token.text) == (TokenKind.WORD, text)


def test_operators_need_no_spaces() -> None:
    assert [t.text for t in tokenize("risk>=12 and level!=3")][:-1] == ["risk", ">=", "12", "and", "level", "!=",
                                                                       "3"]


@pytest.mark.parametrize(("written", "value"), [
    ('"Cloud platform"', "Cloud platform"),
    ("'Cloud platform'", "Cloud platform"),
    ('"it\'s"', "it's"),
    ("'say \"hi\"'", 'say "hi"'),
    (r'"a \"quoted\" word"', 'a "quoted" word'),
    (r"'it\'s'", "it's"),
    (r'"back\\slash"', "back\\slash"),
    (r'"two\nlines\tand a tab"', "two\nlines\tand a tab"),
    ('""', ""),
    ('"where and or not"', "where and or not"),
])
def test_quoted_text_and_its_escapes(written: str, value: str) -> None:
    [token] = tokenize(written)[:-1]
    assert (token.kind, token.text) == (TokenKind.STRING, value)


def test_positions_are_lines_and_columns_inside_the_query() -> None:
    tokens = tokenize('reviews where\n  decision = "a\nb" and\n\twaiting > 3d')
    assert [(t.text, t.position) for t in tokens] == [
        ("reviews", (1, 1)), ("where", (1, 9)), ("decision", (2, 3)), ("=", (2, 12)), ("a\nb", (2, 14)),
        ("and", (3, 4)), ("waiting", (4, 2)), (">", (4, 10)), ("3d", (4, 12)), ("", (4, 14))]


@pytest.mark.parametrize(("text", "expected"), [
    ('projects where title = "abc', (1, 24, "query-syntax", 'the quoted text starting here has no closing "',
                                     'end it with "; inside it, write \\" for the quote itself')),
    ("projects where title = 'abc", (1, 24, "query-syntax", "the quoted text starting here has no closing '",
                                     "end it with '; inside it, write \\' for the quote itself")),
    (r'projects where title = "a\qb"', (1, 24, "query-syntax", "unknown escape \\q in a quoted text",
                                        "inside quotes write \\\\ for a backslash, \\\" or \\' for a quote, "
                                        "\\n or \\t")),
    ('projects where title = "a\\', (1, 24, "query-syntax", "unknown escape a backslash at the end in a quoted text",
                                     "inside quotes write \\\\ for a backslash, \\\" or \\' for a quote, \\n or \\t")),
    ("projects where level > 3 # why", (1, 26, "query-syntax", "unexpected character '#'",
                                        "quote a value that holds it: \"...\" or '...'")),
    ("projects where level == 3", (1, 22, "query-syntax", "'==' is no operator",
                                   "the operators are =, !=, <, <=, > and >= (one = for 'equals')")),
    ("projects where level <== 3", (1, 22, "query-syntax", "'<==' is no operator",
                                    "the operators are =, !=, <, <=, > and >= (one = for 'equals')")),
    ("projects where level ! 3", (1, 22, "query-syntax", "'!' alone is no operator",
                                  "write != for 'is not', or not before a condition")),
    ("cards where date > 2026-02-30", (1, 20, "query-value", "'2026-02-30' is not a day of the calendar",
                                       "write a date as year-month-day, such as 2026-01-31")),
    ("projects where level > " + "9" * 31, (1, 24, "query-value", "the number 9999999999999999999… has more than "
                                                                  "30 digits", "no field holds a number this long")),
    ("projects where at_level > " + "9" * 31 + "d", (1, 27, "query-value", "the duration 9999999999999999999… has "
                                                                         "more than 30 digits",
                                                     "write a duration as 30d, 12w, 6m or 2y")),
])
def test_token_errors_are_located(text: str, expected: tuple[int, int, str, str, str]) -> None:
    assert failure(text) == expected


# --- the grammar ----------------------------------------------------------------------------------


def _shape(node: object) -> object:
    """A condition as nested tuples of field names and operators, to compare shapes."""
    if isinstance(node, Compare):
        return (node.field.text, node.op, *(v.text for v in node.values))
    if isinstance(node, Not):
        return ("not", _shape(node.operand))
    if isinstance(node, And | Or):
        return ("and" if isinstance(node, And) else "or", *map(_shape, node.operands))
    raise AssertionError(node)


@pytest.mark.parametrize(("condition", "shape"), [
    ("a = 1 or b = 2 and not c", ("or", ("a", "=", "1"), ("and", ("b", "=", "2"), ("not", ("c", None))))),
    ("(a = 1 or b = 2) and c", ("and", ("or", ("a", "=", "1"), ("b", "=", "2")), ("c", None))),
    ("not a = 1 and b", ("and", ("not", ("a", "=", "1")), ("b", None))),
    ("not (a = 1 and b)", ("not", ("and", ("a", "=", "1"), ("b", None)))),
    ("a and b and c or d or e", ("or", ("and", ("a", None), ("b", None), ("c", None)), ("d", None), ("e", None))),
    ("((a))", ("a", None)),
    ("not not a", ("not", ("not", ("a", None)))),
    ("a in (x, 'y', 3) and b not in (z)", ("and", ("a", "in", "x", "y", "3"), ("b", "not in", "z"))),
    ("a contains x or a not contains 'y z'", ("or", ("a", "contains", "x"), ("a", "not contains", "y z"))),
    ("a < 1 and b <= 2 and c > 3 and d >= 4 and e != 5",
     ("and", ("a", "<", "1"), ("b", "<=", "2"), ("c", ">", "3"), ("d", ">=", "4"), ("e", "!=", "5"))),
])
def test_precedence_not_then_and_then_or(condition: str, shape: object) -> None:
    assert _shape(parse_statement(f"projects where {condition}").where) == shape


def test_every_clause_in_any_order() -> None:
    first = parse_statement("cards where level > 2 group by team sort by date desc, project limit 5 show project, "
                            "level")
    second = parse_statement("CARDS SHOW project, level LIMIT 5 SORT BY date DESC, project GROUP BY team "
                             "WHERE level > 2")
    for statement in (first, second):
        assert statement.entity.key == "cards"
        assert _shape(statement.where) == ("level", ">", "2")
        assert statement.group_by is not None and statement.group_by.text == "team"
        assert [(k.field.text, k.descending) for k in statement.sort] == [("date", True), ("project", False)]
        assert statement.limit is not None and statement.limit.value == 5
        assert [n.text for n in statement.show] == ["project", "level"]


def test_a_statement_keeps_its_text_and_every_node_its_position() -> None:
    text = "reviews where\n  decision = pending and current show reviewer"
    statement = parse_statement(text)
    assert statement.text == text
    assert statement == Statement(
        entity=statement.entity, where=statement.where, show=statement.show, text=text)
    assert statement.entity.position == Position(1, 1)
    assert isinstance(statement.where, And) and statement.where.position == Position(2, 3)
    compare, alone = statement.where.operands
    assert isinstance(compare, Compare) and isinstance(alone, Compare)
    assert (compare.field.position, compare.position, compare.values[0]) == (
        Position(2, 3), Position(2, 12), Literal(LiteralKind.TEXT, "pending", "pending", Position(2, 14)))
    assert (alone.op, alone.position) == (None, Position(2, 26))
    assert statement.show[0].position == Position(2, 39)


def test_value_kinds() -> None:
    statement = parse_statement("projects where a in (1, 2.5, 2026-01-31, 30d, true, FALSE, none, word, 'quoted')")
    assert isinstance(statement.where, Compare)
    assert [(v.kind, v.value) for v in statement.where.values] == [
        (LiteralKind.NUMBER, 1), (LiteralKind.NUMBER, 2.5), (LiteralKind.DATE, dt.date(2026, 1, 31)),
        (LiteralKind.DURATION, 30), (LiteralKind.BOOLEAN, True), (LiteralKind.BOOLEAN, False),
        (LiteralKind.NONE, None), (LiteralKind.TEXT, "word"), (LiteralKind.TEXT, "quoted")]
    assert [v.quoted for v in statement.where.values][-2:] == [False, True]


def test_after_an_operator_a_keyword_is_a_value() -> None:
    statement = parse_statement("projects where title = sort and team contains where")
    assert _shape(statement.where) == ("and", ("title", "=", "sort"), ("team", "contains", "where"))


@pytest.mark.parametrize(("text", "expected"), [
    ("", (1, 1, "query-syntax", "the query is empty",
          "start with what it asks about: projects, cards, requirements, reviews, findings or terms")),
    ("  \n ", (2, 2, "query-syntax", "the query is empty",
               "start with what it asks about: projects, cards, requirements, reviews, findings or terms")),
    ("where level > 1", (1, 1, "query-syntax", "expected what the query asks about (projects, cards, requirements, "
                                               "reviews, findings or terms), found the keyword 'where'",
                         "a field's name is a bare word, such as level or team")),
    ("projects wher level > 1", (1, 10, "query-syntax",
                                 "expected where, group by, sort by, limit or show, found 'wher'",
                                 "did you mean 'where'?")),
    ("projects where level > 1 sortby level", (1, 26, "query-syntax",
                                               "expected where, group by, sort by, limit or show, found 'sortby'",
                                               "did you mean 'sort'?")),
    ("projects where level > 1 team = x", (1, 26, "query-syntax",
                                           "expected where, group by, sort by, limit or show, found 'team'",
                                           "join conditions with and or or; quote a value of several words")),
    ("projects where team = Cloud platform", (1, 29, "query-syntax",
                                              "expected where, group by, sort by, limit or show, found 'platform'",
                                              "join conditions with and or or; quote a value of several words")),
    ("projects )", (1, 10, "query-syntax", "expected where, group by, sort by, limit or show, found ')'",
                    "a clause starts with where, group by, sort by, limit or show")),
    ("projects where a = 1 where b = 2", (1, 22, "query-syntax", "a second 'where' clause",
                                          "each clause is written at most once")),
    ("projects group phase", (1, 16, "query-syntax", "expected 'by' after 'group', found 'phase'",
                              "write group by FIELD")),
    ("projects sort bye level", (1, 15, "query-syntax", "expected 'by' after 'sort', found 'bye'",
                                 "did you mean 'by'?")),
    ("projects sort by", (1, 17, "query-syntax", "expected a field to sort by, found the end of the query",
                          "a field's name is a bare word, such as level or team")),
    ("projects show id,", (1, 18, "query-syntax", "expected a field to show, found the end of the query",
                           "a field's name is a bare word, such as level or team")),
    ("projects limit ten", (1, 16, "query-syntax", "expected a number after 'limit', found 'ten'", "write limit 20")),
    ("projects where", (1, 15, "query-syntax", "expected a field to test, found the end of the query",
                        "a field's name is a bare word, such as level or team")),
    ("projects where (level > 1", (1, 26, "query-syntax", "expected ')' to close a '(', found the end of the query",
                                   "close every ( with a )")),
    ("projects where level > ", (1, 24, "query-syntax", "expected a value after '>', found the end of the query",
                                 "a value is a number, a date (2026-01-31), a duration (30d), true, false, none, "
                                 'a word or a quoted text ("Cloud platform")')),
    ("projects where title contians x", (1, 22, "query-syntax", "expected an operator after 'title', found "
                                                                "'contians'", "did you mean 'contains'?")),
    ("projects where level 3", (1, 22, "query-syntax", "expected an operator after 'level', found '3'",
                                "compare with =, !=, <, <=, >, >=, in (...) or contains")),
    ("projects where team not = x", (1, 25, "query-syntax", "expected 'in' or 'contains' after 'team not', found "
                                                            "'='",
                                     "write team not in (a, b), or not before the whole condition")),
    ("projects where team in x", (1, 24, "query-syntax", "expected '(' after 'in', found 'x'", "write in (a, b, c)")),
    ("projects where team in (x y)", (1, 27, "query-syntax",
                                      "expected ',' or ')' in the list after 'in', found 'y'",
                                      "separate the values with commas and close the list with )")),
    ("projects where team in ()", (1, 25, "query-syntax", "expected a value after 'in', found ')'",
                                   "a value is a number, a date (2026-01-31), a duration (30d), true, false, none, "
                                   'a word or a quoted text ("Cloud platform")')),
])
def test_grammar_errors_are_located_with_a_fix(text: str, expected: tuple[int, int, str, str, str]) -> None:
    assert failure(text) == expected


# --- bounds ---------------------------------------------------------------------------------------


def test_a_query_over_the_length_limit_is_a_problem_not_work() -> None:
    text = "projects where " + " or ".join(["level = 1"] * 200)
    assert len(text) > MAX_LENGTH
    assert failure(text) == (1, 1, "query-syntax", f"the query is {len(text):,} characters long, more than 2,000",
                             "ask a shorter question, or split it into several")
    assert parse_statement(text[:MAX_LENGTH].rsplit(" or ", 1)[0]).where is not None


@pytest.mark.parametrize("opening", ["(", "not ", "not (", "( not "])
def test_nesting_deeper_than_the_limit_is_a_problem_not_a_recursion_error(opening: str) -> None:
    def nested(depth: int) -> str:
        levels = opening * depth
        return "projects where " + levels + "current" + ")" * levels.count("(")

    assert parse_statement(nested(MAX_DEPTH // (2 if "not" in opening and "(" in opening else 1))).where
    deep = nested(MAX_DEPTH + 1)
    line, column, rule, message, _ = failure(deep)
    assert (line, rule, message) == (1, "query-syntax", "the condition nests deeper than 32 levels (parentheses and "
                                                        "not)")
    assert column > 15
    filled = "projects where " + opening * ((MAX_LENGTH - 30) // len(opening)) + "current"
    assert failure(filled)[3].startswith("the condition nests deeper than 32")


@pytest.mark.parametrize("text", [
    '"' + "a" * 65_536,  # an unterminated quote: read to the end once
    "a" * 65_536,
    "(" * 65_536,
    "\\" * 65_536,
    "'" + "\\'" * 32_768,
    " " * 65_536,
    "1" * 65_536 + "d",
    "1" * 65_536,
    "a = " * 16_384,
])
def test_the_tokenizer_is_linear(text: str) -> None:
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    try:
        tokenize(text)
    except QueryError:
        pass
    assert time.process_time() - started < 1.5
