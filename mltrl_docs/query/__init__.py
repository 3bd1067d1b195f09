"""Questions over the portfolio: a small query language over the dossier's model (projects, cards,
requirements, reviews, findings, glossary terms) with filters, sorting, grouping and limits.

``parse`` reads and checks a query (``syntax``, then ``check`` against the catalogue in ``fields``),
``Tables`` holds one dossier's rows (``tables``, read from ``records``), ``answer`` runs a query over
them (``evaluate``) into an ``Answer`` (``answer``: what views and ``mltrl-docs query`` show).
``docs/query.md`` documents the language; its field tables come from ``reference``.
"""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.query.answer import Answer, Column, Entity, Group, Row, Subject, Value, ValueType
from mltrl_docs.query.check import Query, check
from mltrl_docs.query.evaluate import answer
from mltrl_docs.query.syntax import MAX_DEPTH, MAX_LENGTH, Problem, QueryError, parse_statement
from mltrl_docs.query.tables import Tables

__all__ = [
    "MAX_DEPTH", "MAX_LENGTH", "START", "Answer", "Column", "Entity", "Group", "Query", "Row", "Subject", "Tables",
    "Value", "ValueType", "answer", "parse",
]


START = Position(1, 1)
"""Where a query starts when it is the whole input (``mltrl-docs query``)."""


def parse(text: str, path: Path, at: Position = START) -> tuple[Query | None, list[Finding]]:
    """Parse and check one query; findings located in ``path`` at ``at`` plus the offset inside ``text``
    (a query written on lines 12-14 of docs/board.md reports docs/board.md:13:9). None when any error."""
    try:
        statement = parse_statement(text)
    except QueryError as error:
        problems = [error.problem]
    else:
        query, problems = check(statement)
        if query is not None:
            return query, []
    return None, [_finding(problem, path, at) for problem in problems]


def located(position: Position, at: Position) -> Position:
    """A position inside a query's text, as a position in the file the query is written in at ``at``."""
    if position.line == 1:
        return Position(at.line, at.column + position.column - 1)
    return Position(at.line + position.line - 1, position.column)


def _finding(problem: Problem, path: Path, at: Position) -> Finding:
    return Finding(Severity.ERROR, problem.rule, problem.message, path, located(problem.position, at),
                   hint=problem.hint)
