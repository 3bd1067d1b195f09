"""The glossary for tools and the terminal (mltrl_docs/render/terms.py): JSON, CSV, the list
and one entry in full, each with the term's source (glossary format 1.1)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from mltrl_docs.findings import Position
from mltrl_docs.glossary import Entry
from mltrl_docs.model import GlossaryTerm
from mltrl_docs.render.terms import CSV_COLUMNS, describe, record, to_csv, to_json, to_text

SOURCED = Entry(GlossaryTerm("Judged query", "A query raters scored.", Path("g.yml"), Position(3, 5),
                             aliases=("Rated query",), level=7, source="Search relevance team"), "judged-query")
PLAIN = Entry(GlossaryTerm("Portal", "The internal site.", Path("g.yml"), Position(8, 5), project="P1"), "portal")
BUILTIN = Entry(GlossaryTerm("Switchback", "A move back.", Path("mltrl-glossary.yml"), Position(9, 5),
                             source="MLTRL (Lavin et al., 2022)"), "switchback", builtin=True)


def test_a_record_has_every_field_the_source_and_where_it_is_defined() -> None:
    assert record(SOURCED) == {
        "term": "Judged query", "definition": "A query raters scored.", "aliases": ["Rated query"], "teams": {},
        "see_also": [], "level": 7, "source": "Search relevance team", "project": None, "defined_in": "g.yml:3"}
    assert (record(PLAIN)["source"], record(PLAIN)["project"]) == (None, "P1")
    assert (record(BUILTIN)["source"], record(BUILTIN)["defined_in"]) == ("MLTRL (Lavin et al., 2022)", "built-in")
    assert list(record(PLAIN)) == list(CSV_COLUMNS)


def test_json_and_csv_carry_the_source() -> None:
    data = json.loads(to_json([SOURCED, PLAIN, BUILTIN]))
    assert data["mltrl"] == 1.1 and [t["source"] for t in data["terms"]] == [
        "Search relevance team", None, "MLTRL (Lavin et al., 2022)"]
    rows = list(csv.DictReader(io.StringIO(to_csv([SOURCED, PLAIN, BUILTIN]))))
    assert [(r["term"], r["source"], r["project"], r["defined_in"]) for r in rows] == [
        ("Judged query", "Search relevance team", "", "g.yml:3"), ("Portal", "", "P1", "g.yml:8"),
        ("Switchback", "MLTRL (Lavin et al., 2022)", "", "built-in")]


def test_a_source_that_looks_like_a_formula_is_defused() -> None:
    entry = Entry(GlossaryTerm("T", "D.", Path("g.yml"), Position(1, 1), source="=HYPERLINK(\"x\")"), "t")
    [row] = csv.DictReader(io.StringIO(to_csv([entry])))
    assert row["source"] == "'=HYPERLINK(\"x\")"


def test_describe_shows_the_source_above_where_the_term_is_defined() -> None:
    assert describe(SOURCED, "judged query").splitlines()[-3:] == [
        "Level: 7", "Source: Search relevance team", "Defined in: g.yml:3"]
    assert describe(BUILTIN, "Switchback").splitlines()[-2:] == [
        "Source: MLTRL (Lavin et al., 2022)", "Defined in: the built-in MLTRL glossary"]
    assert "Source:" not in describe(PLAIN, "portal")
    assert to_text([PLAIN]) == "Portal [P1]: The internal site.\n"
