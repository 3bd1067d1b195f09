"""The review packet (one page per project, for the gate meeting and for paper), the matrix of its last two
cards, and the "as of" line every generated page carries."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.dossier import CheckedDossier, build_dossier, build_site
from mltrl_docs.findings import Severity
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.matrix import recent_matrix, requirement_matrix
from mltrl_docs.render.pages import OPTIONAL_PAGES, SitePage, packet_uri, site_pages
from mltrl_docs.revision import AsOf, Revision, SourceRevision
from mltrl_docs.settings import load_settings

R1 = {"id": "1", "kind": "research", "text": "Detect drift within a day.", "verification": "test", "status": "verified"}
R2 = {"id": "2", "kind": "research", "text": "Explain each alert.", "verification": "demonstration",
      "status": "in-progress", "risk": {"likelihood": 4, "impact": 3}}
R3 = {"id": "3", "kind": "product", "text": "Page the on-call engineer.", "verification": "test",
      "status": "not-started"}


def write_project(write_card) -> None:
    """Three cards of C1: requirement 1 from the start, 2 new at level 3 and dropped at level 4, 3 new at 4
    (with a link the check rejects, an error on the current card)."""
    write_card("src/c1/L2.md", level=2, date="2024-01-01", requirements=[R1])
    write_card("src/c1/L3.md", level=3, date="2024-06-01", transition={"from": 2, "kind": "advance"},
               requirements=[R1, R2])
    write_card("src/c1/L4.md", level=4, date="2025-01-01", transition={"from": 3, "kind": "advance"},
               requirements=[R1, R3], links={"code": "javascript:alert(1)"},
               body="**TL;DR**: The packet's own words.\n\n## Model / algorithm info\n\nA gradient-boosted detector.\n")


def packet_of(pages: list[SitePage], project: str) -> SitePage:
    [packet] = [page for page in pages if page.uri == f"dossier/{project}/packet.md"]
    return packet


def text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_each_project_has_a_packet_built_from_its_dossier_context(write_card, tmp_path: Path) -> None:
    write_project(write_card)
    dossier = build_dossier([tmp_path / "src"])
    pages = site_pages(dossier, "dossier")
    [dossier_page] = [page for page in pages if page.uri == "dossier/C1/index.md"]
    packet = packet_of(pages, "C1")
    assert (packet.title, packet.template, packet.in_nav, packet.source) == (
        "Review packet: C1", "packet.html", False, None)
    assert packet.link_terms and packet.project == "C1"
    assert packet_uri("dossier", dossier.projects["C1"]) == packet.uri
    # The dossier's own data, reused: the same summary, gates, history, risks and lines.
    same = {"project", "known", "gates", "lines", "approved", "checklist", "timeline", "risks", "graph",
            "requirements", "moves"}
    assert all(getattr(packet.context, key) is getattr(dossier_page.context, key) for key in same)
    assert packet.context.dossier_uri == "dossier/C1/index.md"
    # The requirement matrix of the current and the previous card; open findings only.
    cards = dossier.projects["C1"].cards
    assert {id(card) for card in packet.context.matrix.cards} == {id(cards[-1]), id(cards[-2])}
    assert packet.context.findings == tuple(f for f in dossier_page.context.findings if f.severity is not Severity.INFO)
    assert packet.context.findings and all(f.severity is not Severity.INFO for f in packet.context.findings)


def test_packets_are_a_page_kind_a_site_may_leave_out(write_card, tmp_path: Path) -> None:
    write_project(write_card)
    dossier = build_dossier([tmp_path / "src"])
    assert "packets" in OPTIONAL_PAGES
    without = site_pages(dossier, "dossier", [kind for kind in OPTIONAL_PAGES if kind != "packets"])
    assert not [page for page in without if page.uri.endswith("/packet.md")]
    renderer = Renderer("dossier")
    uris = {page.uri for page in without}
    [dossier_page] = [page for page in without if page.uri == "dossier/C1/index.md"]
    html = renderer.render(dossier_page, lambda uri: uri if uri in uris else None, {})
    assert "Review packet" not in html


def test_the_packet_shows_what_the_gate_meeting_needs(write_card, tmp_path: Path) -> None:
    write_project(write_card)
    dossier = build_dossier([tmp_path / "src"])
    pages = site_pages(dossier, "dossier")
    renderer = Renderer("dossier")
    html = renderer.render(packet_of(pages, "C1"), lambda uri: uri, {})
    shown = text(html)
    assert html.startswith('<h1 class="mltrl-title">Review packet: C1</h1>')
    assert '<table class="mltrl-summary">' in html and "Tech name (project id) Drift monitor (C1)" in shown
    assert "Current card: level 4, 2025-01-01" in shown and "A gradient-boosted detector." in shown
    assert "TL;DR : The packet's own words." in shown and shown.count("The packet's own words.") == 1
    assert "Gates: declared level 4" in shown and "To pass the gates of level 5" in shown
    # The matrix: two card columns (current first), the dropped requirement 2 marked removed at level 4.
    matrix = re.search(r'<table class="mltrl-table mltrl-matrix".*?</table>', html, re.DOTALL)
    assert matrix is not None
    heads = re.findall(r'<th(?: class="mltrl-current")?><a href="dossier/C1/(L\d-[\d-]+)\.md">', matrix.group(0))
    assert heads == ["L4-2025-01-01", "L3-2024-06-01"]
    assert re.search(r"<td class=\"mltrl-nowrap\">2</td>.*?removed", matrix.group(0), re.DOTALL)
    assert "Risk matrix" in shown and '<span class="mltrl-risk-id">2</span>' not in html  # risks: the current card's
    history = re.search(r'<table class="mltrl-table mltrl-history".*?</table>', html, re.DOTALL)
    assert history is not None and history.group(0).count("<tr") == 1 + 3  # a row per card
    assert "Open findings" in shown and "javascript:" in shown
    # Links back to the dossier for what the packet leaves out.
    assert '<a href="dossier/C1/index.md">the dossier</a>' in html


def test_the_dossier_links_its_packet_near_the_top(write_card, tmp_path: Path) -> None:
    write_project(write_card)
    pages = site_pages(build_dossier([tmp_path / "src"]), "dossier")
    [dossier_page] = [page for page in pages if page.uri == "dossier/C1/index.md"]
    html = Renderer("dossier").render(dossier_page, lambda uri: uri, {})
    link = '<a href="dossier/C1/packet.md">Review packet (for printing)</a>'
    assert link in html and html.index(link) < html.index('<table class="mltrl-summary">')


def test_a_project_named_packet_clashes_with_no_page(write_card, tmp_path: Path) -> None:
    """The packet lives in its project's folder, beside card stems (L4-...) and pages/ and files/:
    no project id takes its place, so ids.SITE_NAMES needs no "packet"."""
    write_card("src/p/L2.md", project="packet")
    write_card("src/q/L2.md", project="Q1")
    uris = [page.uri for page in site_pages(build_dossier([tmp_path / "src"]), "dossier")]
    assert len(uris) == len(set(uris))
    assert {"dossier/packet/index.md", "dossier/packet/packet.md", "dossier/Q1/packet.md"} <= set(uris)


# --- the matrix of the last two cards --------------------------------------------------------------


def test_recent_matrix_keeps_the_last_two_cards_and_the_marks_of_the_whole_history(write_card, tmp_path: Path) -> None:
    write_project(write_card)
    write_card("src/c1/L5.md", level=5, date="2025-06-01", transition={"from": 4, "kind": "advance"},
               requirements=[R1, R3])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    full, recent = requirement_matrix(cards), recent_matrix(cards)
    assert [id(card) for card in recent.cards] == [id(card) for card in full.cards if card in cards[-2:]]
    assert len(recent.cards) == 2

    def cells(rows, requirement_id):
        [row] = [row for row in rows if row.id == requirement_id]
        return {card.level.number: (cell.requirement.status.value if cell.requirement else None, cell.mark)
                for card, cell in zip(recent.cards, row.cells, strict=True)}

    # Marks mean what they mean in the whole history: 3 is new at level 4, 2 was dropped there.
    assert cells(recent.product, "3") == {4: ("not-started", "new"), 5: ("not-started", "")}
    assert cells(recent.research, "2") == {4: (None, "removed"), 5: (None, "")}
    assert cells(recent.research, "1") == {4: ("verified", ""), 5: ("verified", "")}


def test_recent_matrix_leaves_out_what_left_before_the_previous_card(write_card, tmp_path: Path) -> None:
    write_project(write_card)
    write_card("src/c1/L5.md", level=5, date="2025-06-01", transition={"from": 4, "kind": "advance"},
               requirements=[R1, R3])
    write_card("src/c1/L6.md", level=6, date="2025-12-01", transition={"from": 5, "kind": "advance"},
               requirements=[R1, R3])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    recent = recent_matrix(cards)
    assert [row.id for row in recent.research] == ["1"] and [row.id for row in recent.product] == ["3"]
    assert {card.level.number for card in recent.cards} == {5, 6}
    assert [len(row.cells) for row in (*recent.research, *recent.product)] == [2, 2]


def test_recent_matrix_of_one_card_and_of_none(write_card, tmp_path: Path) -> None:
    write_card("src/c1/L2.md", level=2, date="2024-01-01", requirements=[R1])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    assert recent_matrix(cards) == requirement_matrix(cards)
    empty = recent_matrix(())
    assert (empty.cards, empty.research, empty.product) == ((), (), ())


# --- as of what --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> CheckedDossier:
    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    return build_site(settings, today=dt.date(2026, 12, 1))


def test_every_generated_page_says_as_of_what(example: CheckedDossier) -> None:
    source = REPO / "site_example" / "dossiers"
    renderer = Renderer("dossier", root=REPO)
    renderer.stamp(AsOf(example.today, (SourceRevision(source, Revision("abc1234", dirty=True)),
                                        SourceRevision(REPO / "elsewhere", None))))
    pages = site_pages(example, "dossier")
    assert {page.template for page in pages} >= {"portfolio.html", "project.html", "packet.html", "card.html",
                                                  "attachment.html", "levels.html", "history.html", "metrics.html",
                                                  "requirements.html", "findings.html", "glossary.html",
                                                  "glossary_teams.html"}
    line = ('<p class="mltrl-as-of"><small>As of <time datetime="2026-12-01">2026-12-01</time> '
            '(build date) · source: <code>site_example/dossiers</code> at commit <code>abc1234</code> + local changes'
            '</small></p>')
    for page in pages:
        html = renderer.render(page, lambda uri: uri, {})
        assert line in html.split("\n", 2)[1], page.uri  # right under the title


def test_as_of_names_every_source_in_git_and_nothing_without_a_stamp(example: CheckedDossier) -> None:
    page = next(page for page in site_pages(example, "dossier") if page.template == "levels.html")
    renderer = Renderer("dossier", root=REPO)
    assert "As of" not in renderer.render(page, lambda uri: uri, {})
    renderer.stamp(AsOf(dt.date(2026, 12, 1), (SourceRevision(REPO / "a", Revision("1111111", False)),
                                               SourceRevision(REPO / "b", Revision("2222222", False)))))
    shown = text(renderer.render(page, lambda uri: uri, {}))
    assert "As of 2026-12-01 (build date) · sources: a at commit 1111111 ; b at commit 2222222" in shown
    # A source git knows nothing of: the build date alone.
    renderer.stamp(AsOf(dt.date(2026, 12, 1), (SourceRevision(REPO / "a", None),)))
    assert text(renderer.render(page, lambda uri: uri, {})).startswith("Levels As of 2026-12-01 (build date) MLTRL")
