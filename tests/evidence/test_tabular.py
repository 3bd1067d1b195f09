"""CSV results tables (mltrl_docs/evidence/tabular.py): ``ROW/COLUMN`` with the first column as
the row key, comments skipped, numbers read as floats, and a sentence for what names nothing."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from mltrl_docs.evidence import EvidenceError, SelectError
from mltrl_docs.evidence.tabular import CsvReader, parse

METRICS = FIXTURES / "evidence" / "metrics.csv"


@pytest.fixture(scope="module")
def table():
    return CsvReader().read(METRICS.read_bytes(), METRICS)


def test_comments_and_blank_lines_are_skipped_and_the_first_line_left_is_the_header(table) -> None:
    assert table.header == ("slice", "f1", "precision", "p95 ms/tile", "note")
    assert [row[0] for row in table.rows] == ["all", "snow_ice", "water", "2026/09/14", "repeated", "repeated",
                                              "short"]


@pytest.mark.parametrize("select,value", [
    ("all/f1", 0.73),
    ("snow_ice/precision", 0.70),
    ("all/p95 ms/tile", 120.0),
    ("2026/09/14/f1", 0.75),
    ("water/precision", "n/a"),
    ("snow_ice/note", "thin cirrus over snow"),
])
def test_row_and_column_select_a_cell_as_a_number_when_it_reads_as_one(table, select: str, value: object) -> None:
    found = table.value(select)
    assert found == value and type(found) is type(value)


@pytest.mark.parametrize("select,message", [
    ("nowhere/f1", ("there is no row 'nowhere' in the first column (rows: all, snow_ice, water, 2026/09/14, "
                    "repeated, repeated, short)")),
    ("all/recall", "there is no column 'recall' (columns: slice, f1, precision, p95 ms/tile, note)"),
    ("nowhere/recall", "there is no row 'nowhere'"),
    ("all", "'all' is not ROW/COLUMN"),
    ("repeated/f1", "2 rows are named 'repeated': the first column must tell the rows apart"),
    ("all/note", "the cell at row 'all', column 'note' is empty"),
    ("short/precision", "the cell at row 'short', column 'precision' is empty"),
])
def test_a_selector_that_names_no_cell_says_why(table, select: str, message: str) -> None:
    with pytest.raises(SelectError) as raised:
        table.value(select)
    assert message in str(raised.value)


def test_a_selector_that_reads_two_ways_is_ambiguous() -> None:
    ambiguous = parse(b"key,b,a/b\na,1,2\na/a,3,4\n")
    with pytest.raises(SelectError, match="more than one ROW/COLUMN: row 'a' column 'a/b', row 'a/a' column 'b'"):
        ambiguous.value("a/a/b")


def test_a_repeated_column_is_ambiguous() -> None:
    with pytest.raises(SelectError, match="2 columns are named 'f1'"):
        parse(b"slice,f1,f1\nall,0.7,0.8\n").value("all/f1")


@pytest.mark.parametrize("data,message", [
    (b"# only a comment\n\n", "no header row"),
    (b"", "no header row"),
    (b"\xff\xfeslice,f1\n", "not UTF-8"),
    (b'slice,f1\nall,"' + b"9" * 200_000 + b'"\n', "not valid CSV"),
])
def test_what_is_no_table_is_an_evidence_error(data: bytes, message: str) -> None:
    with pytest.raises(EvidenceError, match=message):
        parse(data)


def test_a_csv_file_holds_no_test_results(table) -> None:
    with pytest.raises(EvidenceError, match="write it under 'source:'"):
        table.tests("all")
