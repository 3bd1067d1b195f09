"""Fuzzing the query language: any text, and queries put together from its own words, field names,
values and punctuation, are either answered or reported, never a traceback; every finding is located
inside the query."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_strategies import budget
from mltrl_docs.query import Entity, Tables, answer, parse
from mltrl_docs.query.fields import CATALOGUE

from .support import small_dossier

RULES = {"query-syntax", "query-field", "query-type", "query-value"}
WORDS = sorted({
    *(e.value for e in Entity), *(name for spec in CATALOGUE.values() for name in spec.fields),
    *(value for spec in CATALOGUE.values() for f in spec.fields.values() for value in f.values),
    "where", "group", "by", "sort", "asc", "desc", "limit", "show", "and", "or", "not", "in", "contains",
    "true", "false", "none", "=", "!=", "<", "<=", ">", ">=", "==", "!", "(", ")", ",", "12", "2.5", "-1", "0",
    "2026-01-31", "2026-02-30", "30d", "6m", "2y", '"Cloud platform"', "'it\\'s'", '"open', "\\", "#", "\n", "x",
})


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return Tables(small_dossier(tmp_path_factory.mktemp("query-fuzz")))


def check(text: str, tables: Tables) -> None:
    query, findings = parse(text, Path("<query>"))
    if query is None:
        lines = text.split("\n")
        assert findings and {f.rule for f in findings} <= RULES
        for finding in findings:
            assert finding.line is not None and finding.column is not None
            assert 1 <= finding.line <= len(lines) and 1 <= finding.column <= len(lines[finding.line - 1]) + 1
            assert finding.message and finding.hint
        return
    assert findings == []
    result = answer(query, tables)
    assert len(result.rows) <= result.matched and all(len(r.values) == len(result.columns) for r in result.rows)


@budget(0.5)
@given(text=st.text(max_size=200))
def test_any_text(tables: Tables, text: str) -> None:
    check(text, tables)


@budget(1.0)
@given(entity=st.sampled_from([e.value for e in Entity]),
       words=st.lists(st.sampled_from(WORDS), max_size=40), separator=st.sampled_from([" ", "  ", "\n"]))
def test_queries_made_of_the_language_s_own_words(tables: Tables, entity: str, words: list[str],
                                                  separator: str) -> None:
    check(separator.join([entity, *words]), tables)
