"""Views in a site's own pages, built by MkDocs with the plugin: rendered in place, linked to the
dossier's pages under either URL style, their findings located in the page's file and failing the
build as the dossier's do, answered afresh by each `mkdocs serve` rebuild."""

from __future__ import annotations

import logging
import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import card_text, run_mkdocs
from htmltext import Page
from mltrl_docs.render import views

BOARD = """---
title: Board
---

# Board

```mltrl-view bar title="Projects by phase"
projects group by phase
```

<!-- mltrl-view pie: projects group by team -->

<!-- mltrl-view count: projects -->

```mltrl-view
projects sort by id show id, title, level
```

```mltrl-view list
requirements show project, id, status
```

```mltrl-view
terms where term = "Level card"
```

A view's source, shown as code:

````markdown
```mltrl-view bar
projects group by phase
```
````
"""

REQUIREMENTS = [{"id": "1", "kind": "research", "text": "It shall work.", "verification": "test",
                 "status": "verified", "risk": {"likelihood": 2, "impact": 3}}]


@pytest.fixture
def site(write: Callable[..., Path], tmp_path: Path) -> Callable[..., Path]:
    """site(board=..., mkdocs=...) -> mkdocs.yml of a small site: two projects, an org glossary, the
    home page and ``docs/reports/board.md`` (a page one folder down)."""

    def _site(board: str = BOARD, extra: str = "") -> Path:
        write("mkdocs.yml", "site_name: t\ntheme: {name: material, font: false}\nplugins:\n  - mltrl\n"
                            "markdown_extensions:\n  - toc\n  - tables\n" + extra)
        write("mltrl-docs.yml", "sources: [cards]\nglossary: [org.yml]\n")
        write("org.yml", "mltrl: 1\nterms:\n  - term: Level card\n    definition: A card that says where a "
                         "project stands.\n")
        write("docs/index.md", "# Portal\n")
        write("docs/reports/board.md", board)
        write("cards/a/L2.md", card_text(project="A1", title="Drift <monitor>", team="Vision",
                                         requirements=REQUIREMENTS))
        write("cards/b/L1.md", card_text(project="B2", title="Ranker", level=1, team="Search"))
        return tmp_path / "mkdocs.yml"

    return _site


def _target(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on ``page`` (a built HTML file) opens."""
    path = href.split("#")[0]
    joined = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), path))
    target = site / joined
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


@pytest.mark.parametrize("directory_urls", [True, False])
def test_views_render_in_a_site_page_and_link_to_the_dossier(site: Callable[..., Path], tmp_path: Path,
                                                             directory_urls: bool) -> None:
    config = site(extra=f"use_directory_urls: {str(directory_urls).lower()}\n")
    result = run_mkdocs(config, tmp_path / "site")  # the cards' own warnings are not this test's
    assert result.returncode == 0 and "board.md" not in result.stderr, result.stderr[-3000:]
    built = tmp_path / "site" / "reports" / ("board/index.html" if directory_urls else "board.html")
    page = Page(built)
    assert page.classes.count("mltrl-view") == 6 and "mltrl-view-error" not in page.classes
    text = page.text
    assert "Projects by phase" in text and "research 2" in text  # the bar chart's label and count, as text
    assert "A1: 1 (50%)" not in text and "Vision: 1 (50%)" in text and "Search: 1 (50%)" in text
    assert "2 projects" in text
    assert "ID Title Level A1 Drift <monitor> 2 B2 Ranker 1" in text
    assert "A1 — ID 1 · Status verified" in text
    html = built.read_text(encoding="utf-8")
    assert "<monitor>" not in html and "Drift &lt;monitor&gt;" in html
    assert "```mltrl-view bar\nprojects group by phase\n```" in html.replace("&#96;", "`")  # the source stays code
    content = html[html.index('<div class="mltrl mltrl-view'):html.index("</article>")]
    links = set(re.findall(r'<a href="([^"]*)"', content))
    expected = ({"../../dossier/A1/", "../../dossier/B2/", "../../dossier/A1/L2-2024-03-01/#requirement-1",
                 "../../dossier/glossary/#level-card"} if directory_urls else
                {"../dossier/A1/index.html", "../dossier/B2/index.html",
                 "../dossier/A1/L2-2024-03-01.html#requirement-1", "../dossier/glossary/index.html#level-card"})
    assert links == expected
    for href in links:
        target = _target(tmp_path / "site", built, href)
        assert target.is_file(), href
        anchor = href.partition("#")[2]
        assert not anchor or f'id="{anchor}"' in target.read_text(encoding="utf-8")


def test_a_view_that_cannot_be_shown_is_located_in_its_page_and_fails_the_build(site: Callable[..., Path],
                                                                               tmp_path: Path) -> None:
    board = "---\ntitle: Board\n---\n\n# Board\n\n```mltrl-view pie\nprojects\n```\n\n" \
            "<!-- mltrl-view: projects where levle > 2 -->\n"
    config = site(board=board)
    result = run_mkdocs(config, tmp_path / "site")
    assert result.returncode == 1
    assert "docs/reports/board.md:7:15: error: a pie chart needs 'group by FIELD' [view-form]" in result.stderr
    assert "docs/reports/board.md:11:33: error: projects have no field 'levle'" in result.stderr
    assert "the build fails on 2 errors" in result.stderr
    config.write_text(config.read_text(encoding="utf-8").replace("  - mltrl\n", "  - mltrl:\n      fail_on: never\n"),
                      encoding="utf-8")
    result = run_mkdocs(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = Page(tmp_path / "site" / "reports" / "board" / "index.html")
    assert page.classes.count("mltrl-view-error") == 2
    assert "This view cannot be shown docs/reports/board.md:7:15 a pie chart needs 'group by FIELD'" in page.text
    assert "docs/reports/board.md:11:33 projects have no field 'levle'" in page.text


def test_card_text_never_becomes_a_view(site: Callable[..., Path], write: Callable[..., Path],
                                        tmp_path: Path) -> None:
    """Generated pages are the plugin's own rendering: a card that writes a view's syntax shows it as text."""
    config = site(board="# Board\n")
    write("cards/a/L2.md", card_text("\n**TL;DR**: a view: <!-- mltrl-view count: projects -->\n\n"
                                     "```mltrl-view\nprojects\n```\n", project="A1", title="Drift"))
    result = run_mkdocs(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = Page(tmp_path / "site" / "dossier" / "A1" / "L2-2024-03-01" / "index.html")
    assert "mltrl-view" not in page.classes and "mltrl-view count: projects" in page.text


def test_one_tables_per_build_for_every_view_on_every_page(site: Callable[..., Path], write: Callable[..., Path],
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    tables = views.Tables
    monkeypatch.setattr(views, "Tables", lambda *a, **k: built.append(a) or tables(*a, **k))
    config = site()
    write("docs/second.md", "# Second\n\n<!-- mltrl-view count: requirements -->\n")
    result = run_mkdocs(config, tmp_path / "site")
    assert result.returncode == 0 and "docs/" not in result.stderr, result.stderr[-3000:]
    assert len(built) == 1
    assert "1 requirement" in Page(tmp_path / "site" / "second" / "index.html").text


def _serve_build(config: Path, site: Path, *, first: bool = False, dirty: bool = False) -> None:
    """One rebuild as `mkdocs serve` runs it: the config read again, the plugin instance kept."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    loaded = load_config(str(config), site_dir=str(site))
    if first:
        loaded.plugins.on_startup(command="serve", dirty=dirty)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    build(loaded, dirty=dirty)


@pytest.mark.parametrize("dirty", [False, True])
def test_each_serve_rebuild_answers_the_views_again(site: Callable[..., Path], write: Callable[..., Path],
                                                   tmp_path: Path, dirty: bool) -> None:
    """The answers are the build's: a card added while serving shows in the views of the next rebuild,
    also under --dirty, where MkDocs writes only the pages it thinks changed."""
    config = site()
    served = tmp_path / "served"
    board = served / "reports" / "board" / "index.html"
    _serve_build(config, served, first=True, dirty=dirty)
    assert "2 projects" in Page(board).text
    write("cards/c/L3.md", card_text(project="C3", title="Forecaster", level=3, team="Vision"))
    os.utime(config.parent / "docs" / "reports" / "board.md", (1, 1))  # the page itself is older than the site
    _serve_build(config, served, dirty=dirty)
    text = Page(board).text
    assert "3 projects" in text and "C3 Forecaster 3" in text and "Vision: 2 (67%)" in text
