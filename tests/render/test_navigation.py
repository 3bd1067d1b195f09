"""The navigation's Dossier section stays bounded: projects by phase, long groups split by id range."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.messages import english, load_messages
from mltrl_docs.render import navigation as nav
from mltrl_docs.render.navigation import NavSection, navigation
from mltrl_docs.render.pages import site_pages


def _entries(section: NavSection | str) -> int:
    """How many entries a pruned navigation shows at most inside ``section``: its own, and the
    largest of its sub-sections' (only one is open at a time)."""
    if isinstance(section, str):
        return 0
    return len(section.children) + max((_entries(child) for child in section.children), default=0)


def _pages(section: NavSection | str) -> list[str]:
    if isinstance(section, str):
        return [section]
    return [uri for child in section.children for uri in _pages(child)]


def test_projects_are_grouped_by_the_phase_of_their_current_level(write_card, write, tmp_path: Path) -> None:
    write_card("src/a/card.md", project="A1", level=1)
    write_card("src/b/card.md", project="B1", level=5, date="2024-03-01")
    write_card("src/c/card.md", project="C1", level=2)
    write("src/d/card.md", "---\nmltrl: 1\nproject: D1\nlevel: 2\ntitle: x\nstatus: aproved\n---\n")
    dossier = build_dossier([tmp_path / "src"])
    entries = navigation(site_pages(dossier, "dossier"), dossier, english())
    assert entries[0] == "dossier/index.md"
    assert all(isinstance(e, str) for e in entries[:-3])
    assert entries[-3:] == (NavSection("Research (2)", ("dossier/A1/index.md", "dossier/C1/index.md")),
                            NavSection("Prototyping (1)", ("dossier/B1/index.md",)),
                            NavSection("No valid card (1)", ("dossier/d/index.md",)))


def test_a_long_group_is_split_by_id_range_and_every_project_stays_listed(monkeypatch) -> None:
    monkeypatch.setattr(nav, "NAV_GROUP", 4)
    listed = [(f"R{n:02d}", f"dossier/R{n:02d}/index.md") for n in range(1, 40)]
    grouped = NavSection("all", nav._grouped(listed, english()))
    assert _pages(grouped) == [uri for _, uri in listed]
    assert len(grouped.children) <= 4
    first = grouped.children[0]
    assert isinstance(first, NavSection) and first.title == "R01 – R16"
    assert _entries(grouped) <= 4 * 3  # three levels of at most four entries


@pytest.mark.parametrize("projects", [10, 100, 1000, 10000])
def test_what_a_page_shows_of_the_navigation_is_bounded(projects: int) -> None:
    listed = [(f"P{n:05d}", f"dossier/P{n:05d}/index.md") for n in range(projects)]
    grouped = NavSection("all", nav._grouped(listed, english()))
    assert _pages(grouped) == [uri for _, uri in listed]
    assert _entries(grouped) <= 3 * nav.NAV_GROUP


def test_group_titles_follow_the_site_language(write_card, tmp_path: Path) -> None:
    write_card("src/a/card.md", project="A1", level=7)
    dossier = build_dossier([tmp_path / "src"])
    german, _ = load_messages("de")
    entries = navigation(site_pages(dossier, "dossier", messages=german), dossier, german)
    assert entries[-1] == NavSection("Produktisierung (1)", ("dossier/A1/index.md",))
