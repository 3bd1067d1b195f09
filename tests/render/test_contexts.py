"""Typed page contexts: what a page counts is counted once in Python, and templates only present it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields
from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.metrics import tally, verified_counts
from mltrl_docs.model import RequirementKind, RequirementStatus
from mltrl_docs.render.contexts import (
    CardContext,
    DossierContext,
    FindingsContext,
    PacketContext,
    PageContext,
    PortfolioContext,
    RequirementsContext,
)
from mltrl_docs.render.pages import site_pages
from mltrl_docs.resources import resource_dir

TEMPLATES = resource_dir("templates") / "mltrl"


def _req(rid: str, status: str, kind: str = "research") -> dict[str, object]:
    return {"id": rid, "kind": kind, "text": f"requirement {rid}", "verification": "test", "status": status,
            **({"reason": "not needed"} if status == "waived" else {})}


@pytest.fixture
def pages(write_card, tmp_path: Path) -> dict[str, object]:
    write_card("src/p/a.md", level=2, date="2020-01-01",
               reviewers=[{"name": "Rev", "decision": "approved", "date": "2020-02-03"}])
    write_card("src/p/b.md", level=3, date="2021-01-01", transition={"from": 2, "kind": "advance"},
               requirements=[_req("1", "verified"), _req("2", "verified"), _req("3", "waived"),
                             _req("4", "in-progress", "product")],
               reviewers=[{"name": "Ann", "decision": "approved", "date": "2021-03-01"},
                          {"name": "Bob", "decision": "pending"},
                          {"name": "Cy", "decision": "changes-requested", "date": "2021-02-01"}])
    dossier = build_dossier([tmp_path / "src"])
    return {page.uri: page for page in site_pages(dossier, "dossier")}


def test_every_page_has_a_typed_context(pages) -> None:
    assert all(isinstance(page.context, PageContext) for page in pages.values())
    kinds = {type(page.context).__name__ for page in pages.values()}
    assert {"PortfolioContext", "DossierContext", "PacketContext", "CardContext", "FindingsContext",
            "RequirementsContext", "LevelsContext", "HistoryContext", "MetricsContext"} <= kinds
    for page in pages.values():
        assert set(page.context.variables()) == {f.name for f in fields(page.context)}


def test_the_portfolio_row_counts_requirements_and_finds_the_last_review(pages) -> None:
    portfolio = pages["dossier/index.md"].context
    assert isinstance(portfolio, PortfolioContext)
    [row] = portfolio.rows
    assert (row.requirements.verified, row.requirements.waived, row.requirements.total) == (2, 1, 4)
    assert row.last_review == dt.date(2021, 3, 1)
    assert row.last_tenure is None and row.open_findings == 0


def test_dossier_packet_and_card_share_one_count_and_one_transition(pages) -> None:
    dossier = pages["dossier/C1/index.md"].context
    packet = pages["dossier/C1/packet.md"].context
    assert isinstance(dossier, DossierContext) and isinstance(packet, PacketContext)
    assert dossier.requirements is packet.requirements and dossier.requirements.verified == 2
    cards = dossier.project.cards
    assert [dossier.moves[c.path].text for c in cards] == ["entered MLTRL at level 2", "advanced from level 2 to 3"]
    card = next(p.context for p in pages.values() if isinstance(p.context, CardContext) and p.context.card is cards[1])
    assert card.move is dossier.moves[cards[1].path]


def test_requirements_page_rows_by_project_and_kind(pages) -> None:
    context = pages["dossier/requirements.md"].context
    assert isinstance(context, RequirementsContext)
    assert [(r.project.id, r.kind) for r in context.rows] == [("C1", RequirementKind.RESEARCH),
                                                               ("C1", RequirementKind.PRODUCT)]
    research, product = context.rows
    assert [research.requirements.of(s) for s in context.statuses] == [
        {"verified": 2, "waived": 1}.get(s, 0) for s in context.statuses]
    assert product.requirements.of("in-progress") == 1 and product.requirements.total == 1


def test_findings_page_counts_each_severity(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", links={"x": "javascript:1"})
    write_card("src/q/a.md", project="Q", date="2030-01-01")
    dossier = build_dossier([tmp_path / "src"])
    [context] = [p.context for p in site_pages(dossier, "dossier") if isinstance(p.context, FindingsContext)]
    by = [f.severity.value for f in context.findings]
    assert (context.errors, context.warnings, context.notes) == (
        by.count("error"), by.count("warning"), by.count("info"))
    assert context.errors + context.warnings + context.notes == len(context.findings) > 0


def test_tally_is_the_one_count_behind_the_metrics_series(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", requirements=[_req("1", "verified"), _req("2", "waived"), _req("3", "failed")])
    [card] = build_dossier([tmp_path / "src"]).cards
    counted = tally(card.requirements)
    assert verified_counts(card) == (counted.verified, counted.total) == (1, 3)
    assert counted.counts[RequirementStatus.FAILED] == 1 and counted.of("not-started") == 0


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_present_and_do_not_count(template: str) -> None:
    """Counting by status or severity in a template (``selectattr(...) | list | length``) is what the
    contexts do once; a template that does it again would drift from the other pages."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert not re.search(r"selectattr\([^)]*\)\s*\|\s*list\s*\|\s*length", text), template
    assert "transition_text(" not in text, template
