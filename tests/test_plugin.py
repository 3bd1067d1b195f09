"""The MkDocs plugin: the example site, escaping, and invalid cards."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Built, card_text, run_mkdocs
from htmltext import Page
from mltrl_docs.dossier import build_dossier
from mltrl_docs.plugin import MltrlConfig
from mltrl_docs.render.pages import card_stem
from mltrl_docs.render.transitions import move
from mltrl_docs.settings import load_settings


def mkdocs_build(config: Path, out: Path, strict: bool = True) -> Built:
    """``mkdocs build -f config -d out`` (``--strict`` when ``strict``; else mkdocs.yml's ``strict:``),
    in this process."""
    return run_mkdocs(config, out, strict=True if strict else None)


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    """The example built once per session (conftest.example_site): read it, never change it."""
    return example_site


@pytest.fixture(scope="module")
def dossier():
    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    return build_dossier(settings.sources, settings.glossary)


def test_portfolio_lists_every_project_with_level_and_phase(example: Path, dossier) -> None:
    page = Page(example / "dossier" / "index.html")
    for project in dossier.projects.values():
        current = project.current
        assert f"{project.id}/" in " ".join(page.links)
        assert f"L{current.level.number} {current.level.name} ({current.level.phase.label})" in page.text
    assert "mltrl-level" in page.classes


def test_project_pages_show_every_card_and_transition(example: Path, dossier) -> None:
    for project in dossier.projects.values():
        page = Page(example / "dossier" / project.id / "index.html")
        assert project.current.title in page.text
        for index, card in enumerate(project.cards):
            assert f"{card_stem(card)}/" in page.links
            assert move(card, first=index == 0).text in page.text


def test_card_pages_show_every_requirement_and_link_through_history(example: Path, dossier) -> None:
    for project in dossier.projects.values():
        for index, card in enumerate(project.cards):
            page = Page(example / "dossier" / project.id / card_stem(card) / "index.html")
            for requirement in card.requirements:
                assert requirement.text in page.text
            rels = [attrs.get("rel") for tag, attrs in page.tags if tag == "a"]
            assert ("prev" in rels) == (index > 0)
            assert ("next" in rels) == (index + 1 < len(project.cards))


def test_attachment_page(example: Path) -> None:
    page = Page(example / "dossier" / "P07.1" / "pages" / "ethics" / "index.html")
    assert "Attachment of P07.1" in page.text


def test_nav_lists_the_projects_of_the_page_s_phase_and_every_phase_not_cards(example: Path, dossier) -> None:
    """The Dossier section groups projects by phase (render/navigation.py); with navigation.prune a
    page's nav lists its own phase's projects and links each other phase; the portfolio, first in
    the section, lists every project: any project is two clicks away."""
    html = (example / "dossier" / "R02.1" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):html.index('class="md-content"')]
    own = dossier.projects["R02.1"].current.level.phase
    assert 'href="../"' in nav  # the portfolio
    for project in dossier.projects.values():
        assert not any(card_stem(card) in nav for card in project.cards)
        if project.current.level.phase is own and project.id != "R02.1":
            assert f'href="../{project.id}/"' in nav
    for phase in {p.current.level.phase for p in dossier.projects.values()} - {own}:
        first = min(p.id for p in dossier.projects.values() if p.current.level.phase is phase)
        assert f'href="../{first}/"' in nav and f"{phase.label} (" in nav
    portfolio = Page(example / "dossier" / "index.html")
    assert all(f"{project.id}/" in " ".join(portfolio.links) for project in dossier.projects.values())


@pytest.fixture
def site_with(tmp_path: Path):
    """A copy of the example site with extra files in one project folder."""

    def _make(files: dict[str, str], fail_on: str | None = "never") -> Path:
        """``fail_on``: the plugin option (None: its default); by default these sites are published
        whatever their findings, so a test can look at how a bad card is shown."""
        shutil.copytree(REPO / "site_example", tmp_path / "site_example")
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("strict: true\n", "")
        if fail_on is not None:
            config = config.replace("settings: site_example/mltrl-docs.yml",
                                    f"settings: site_example/mltrl-docs.yml\n      fail_on: {fail_on}")
        (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
        for name, text in files.items():
            path = tmp_path / "site_example" / "dossiers" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path

    return _make


def _edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) in a copied site's file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_card_text_is_escaped_and_unsafe_links_are_dropped(site_with, tmp_path: Path) -> None:
    body = ("\n**TL;DR**: <script>alert('tldr')</script>\n\n## Model / algorithm info\n\n"
            "<img src=x onerror=alert(1)> [click](javascript:alert(2)) <a href=\"javascript:alert(3)\">a</a>\n")
    card = card_text(body, project="X1", title="<b>bold</b> title", links={"code": "javascript:alert(4)"},
                     owners=["<script>alert(5)</script>"])
    root = site_with({"xss/card.md": card})
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr[-2000:]
    for html_file in [*(root / "site").rglob("*.html"), root / "site" / "search" / "search_index.json"]:
        html = html_file.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert 'href="javascript:' not in html.lower()
    page = Page(root / "site" / "dossier" / "X1" / "index.html")
    assert "<b>bold</b> title" in page.text and "<script>alert(5)</script>" in page.text


def test_invalid_card_is_listed_and_fails_the_build_unless_fail_on_never(site_with, tmp_path: Path) -> None:
    root = site_with({"mvbo/L5-broken.md": "---\nmltrl: 1\nlevel: 5\ntitle: Broken\nstatus: aproved\n---\n"},
                     fail_on=None)
    strict = mkdocs_build(root / "mkdocs.yml", root / "strict")
    assert strict.returncode != 0
    assert "L5-broken.md:5:9: error: 'aproved' is not a valid status" in strict.stderr
    failed = mkdocs_build(root / "mkdocs.yml", root / "failed", strict=False)
    assert failed.returncode != 0
    assert "mltrl: the build fails on 4 errors in the dossier (listed above; plugin option fail_on: error)" \
        in failed.stderr
    assert (root / "failed" / "dossier" / "R02.1" / "index.html").is_file()  # written first, then failed
    _edit(root / "mkdocs.yml", "settings: site_example/mltrl-docs.yml",
          "settings: site_example/mltrl-docs.yml\n      fail_on: never")
    lenient = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert lenient.returncode == 0, lenient.stderr[-2000:]
    project = Page(root / "site" / "dossier" / "R02.1" / "index.html")
    assert "Invalid cards" in project.text and "L5-broken.md" in project.text
    report = Page(root / "site" / "dossier" / "findings" / "index.html")
    assert "L5-broken.md:5:9" in report.text
    portfolio = Page(root / "site" / "dossier" / "index.html")
    assert "P07.1" in portfolio.text


def _plugin_for(config_file: Path, settings: str):
    from mkdocs.config.defaults import MkDocsConfig

    from mltrl_docs.plugin import MltrlPlugin

    plugin = MltrlPlugin()
    plugin.load_config({"settings": settings})
    config = MkDocsConfig(config_file_path=str(config_file))
    config.load_dict({"site_name": "t", "docs_dir": str(config_file.parent / "docs")})
    (config_file.parent / "docs").mkdir(exist_ok=True)
    assert config.validate() == ([], [])
    return plugin, config


def test_serve_watches_sources_glossaries_and_settings(write, tmp_path: Path) -> None:
    write("site/mltrl-docs.yml", "sources: [../cards]\nglossary: [../org.yml]\n")
    write("cards/p/card.md", card_text())
    write("org.yml", "mltrl: 1\nterms: []\n")
    plugin, config = _plugin_for(tmp_path / "mkdocs.yml", "site/mltrl-docs.yml")
    plugin.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str, recursive: bool = True) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=None)
    assert set(server.watched) == {str(tmp_path / "cards"), str(tmp_path / "org.yml"),
                                   str(tmp_path / "site" / "mltrl-docs.yml")}


def test_serve_reports_what_would_fail_a_build_and_keeps_serving(write, tmp_path: Path, caplog) -> None:
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import Files

    write("site/mltrl-docs.yml", "sources: [../cards]\n")
    write("cards/p/card.md", card_text(status="aproved"))
    for command, fails in (("build", True), ("gh-deploy", True), ("serve", False)):
        plugin, config = _plugin_for(tmp_path / "mkdocs.yml", "site/mltrl-docs.yml")
        plugin.on_startup(command=command, dirty=False)
        config.plugins._current_plugin = None  # as MkDocs' event loop sets it, read by File.generated
        plugin.on_config(config)
        plugin.on_files(Files([]), config=config)
        caplog.clear()
        if fails:
            with pytest.raises(PluginError, match=r"the build fails on 1 error in the dossier"):
                plugin._fail(config=config)
        else:
            plugin._fail(config=config)
            assert "serving the site anyway" in caplog.text and "(listed above;" in caplog.text
            plugin.on_files(Files([]), config=config)  # a rebuild: the same error, not said again
            caplog.clear()
            plugin._fail(config=config)
            assert "(listed above or, unchanged, in an earlier build's log;" in caplog.text


def test_missing_or_broken_settings_stop_the_build_with_a_clear_error(write, tmp_path: Path) -> None:
    from mkdocs.exceptions import PluginError

    plugin, config = _plugin_for(tmp_path / "mkdocs.yml", "nope.yml")
    with pytest.raises(PluginError, match=r"nope.yml does not exist"):
        plugin.on_config(config)
    write("bad.yml", "sources: dossiers\n")
    plugin, config = _plugin_for(tmp_path / "mkdocs.yml", "bad.yml")
    with pytest.raises(PluginError, match=r"bad.yml:1:10: error: sources must be a list"):
        plugin.on_config(config)


def test_dossier_page_has_matrix_rows_for_every_requirement(example: Path, dossier) -> None:
    for project in dossier.projects.values():
        html = (example / "dossier" / project.id / "index.html").read_text(encoding="utf-8")
        matrix = html[html.index('id="requirement-matrix"'):html.index('id="risk-matrix"')]
        ids = {r.id for card in project.cards for r in card.requirements}
        for rid in ids:
            assert f'<td class="mltrl-nowrap">{rid}</td>' in matrix


def test_dossier_page_has_versions_ethics_and_debt_per_card(example: Path, dossier) -> None:
    project = dossier.projects["P07.1"]
    page = Page(example / "dossier" / "P07.1" / "index.html")
    for card in project.cards:
        for item in card.tech_debt:
            assert item.text in page.text
        if card.versions.code:
            assert card.versions.code in page.text


def test_org_pages(example: Path, dossier) -> None:
    levels = Page(example / "dossier" / "levels" / "index.html")
    for project in dossier.projects.values():
        assert project.id in levels.text
    assert all(f'id="level-{n}"' in (example / "dossier/levels/index.html").read_text() for n in range(10))
    history = Page(example / "dossier" / "history" / "index.html")
    transitions = [c for c in dossier.cards if c.transition and c.transition.from_level is not None]
    assert history.text.count("advanced from level") + history.text.count("switchback from level") == len(transitions)
    assert history.text.count("entered MLTRL") == len(dossier.projects)
    summary = Page(example / "dossier" / "requirements" / "index.html")
    assert all(p.id in summary.text for p in dossier.projects.values())
    board = (example / "dossier" / "index.html").read_text(encoding="utf-8")
    assert board.count('class="mltrl-board-card"') == len(dossier.projects)


def test_builds_readable_pages_with_the_mkdocs_theme(tmp_path: Path) -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  name: material\n",
                            "  name: mkdocs\n  highlightjs: false  # its default loads from a CDN\n")
    config = config.replace("docs_dir: site_example/docs", f"docs_dir: {REPO / 'site_example' / 'docs'}")
    config = config.replace("settings: site_example/mltrl-docs.yml",
                            f"settings: {REPO / 'site_example' / 'mltrl-docs.yml'}")
    for line in ("  font: false          # no Google Fonts: the site must load nothing from outside itself\n",
                 "  features:\n    - navigation.prune\n    - content.code.copy\n"):
        config = config.replace(line, "")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = Page(tmp_path / "site" / "dossier" / "R02.1" / "index.html")
    assert "L4 Proof of concept development (Prototyping)" in page.text and "Level history" in page.text
    loads = [a.get("src") or a.get("href") for tag, a in page.tags if tag in ("script", "link", "img")]
    assert not [u for u in loads if u and u.startswith(("http:", "https:", "//"))]
    # The theme's TOC box lists the page's sections (it was empty: generated pages had no TOC).
    html = (tmp_path / "site" / "dossier" / "R02.1" / "index.html").read_text(encoding="utf-8")
    toc = html[html.index('id="toc-collapse"'):html.index('role="main"')]
    assert re.findall(r'href="(#[^"]+)"', toc)[:4] == ["#r021-mixed-variable-bayesian-optimisation", "#gates",
                                                       "#level-history", "#gated-reviews"]


def test_history_table_shows_time_at_each_level(example: Path, dossier) -> None:
    project = dossier.projects["R02.1"]
    page = Page(example / "dossier" / "R02.1" / "index.html")
    first, second = project.cards[:2]
    assert f"{(second.date - first.date).days} days" in page.text
    assert "days so far" in page.text


def test_generated_pages_have_a_toc_and_heading_permalinks_like_hand_written_ones(example: Path) -> None:
    hand_written = (example / "gates" / "index.html").read_text(encoding="utf-8")
    assert 'class="headerlink" href="#' in hand_written  # mkdocs.yml: toc: {permalink: true}
    html = (example / "dossier" / "P07.1" / "index.html").read_text(encoding="utf-8")
    toc = html[html.index('class="md-nav md-nav--secondary"'):html.index('class="md-content"')]
    entries = re.findall(r'href="#([^"]+)"', toc)
    assert entries[:5] == ["gates", "gap-to-next-level", "findings", "level-history", "gated-reviews"]
    assert "current-card" in entries and "model-algorithm-info" in entries  # the card's own sections too
    assert '<h2 id="level-history">Level history<a class="headerlink" href="#level-history" ' \
           'title="Permanent link">&para;</a></h2>' in html
    for path in sorted((example / "dossier").rglob("index.html")):
        page = path.read_text(encoding="utf-8")
        content = page[page.index('<article'):page.index('</article>')]
        headings = re.findall(r"<h([1-6])([^>]*)>(.*?)</h\1>", content, re.DOTALL)
        ids = re.findall(r'\sid="([^"]+)"', content)
        assert len(ids) == len(set(ids)), path
        for _level, attributes, inner in headings:
            anchor = re.search(r'id="([^"]+)"', attributes)
            assert anchor and f'<a class="headerlink" href="#{anchor.group(1)}"' in inner, (path, inner)


@pytest.mark.parametrize(("extensions", "expected"), [
    (["toc"], None),  # permalinks off, as on hand-written pages; the TOC is still built
    ([{"toc": {"permalink": True}}], ("&para;", "Permanent link", "headerlink", False)),
    ([{"toc": {"permalink": "#", "permalink_title": "Link", "permalink_class": "anchor"}}],
     ("#", "Link", "anchor", False)),
    ([{"toc": {"permalink": "<§ & &sect;>", "permalink_leading": "true"}}],
     ("&lt;§ &amp; &sect;&gt;", "Permanent link", "headerlink", True)),
    ([{"toc": {"permalink": "off"}}], None),
])
def test_permalinks_follow_the_sites_toc_options(tmp_path: Path, extensions, expected) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    from mltrl_docs.plugin import _permalink

    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    (tmp_path / "docs").mkdir()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs"), "markdown_extensions": extensions})
    assert config.validate() == ([], [])
    found = _permalink(config)
    assert (found and (found.text, found.title, found.css_class, found.leading)) == expected


def test_the_history_says_a_project_entered_at_its_first_level(example: Path) -> None:
    """solar-array's first card is level 6, with kind: advance and no from (it was "advance from LNone")."""
    page = Page(example / "dossier" / "P12.2" / "index.html")
    assert "entered MLTRL at level 6" in page.text and "None" not in page.text
    card = Page(example / "dossier" / "P12.2" / "L6-2024-11-11" / "index.html")
    assert "Entered 2024-11-11, entered MLTRL at level 6: Entered MLTRL at level 6." in card.text


def test_card_tags_are_shown_and_reach_materials_tags_plugin_escaped(site_with, tmp_path: Path) -> None:
    root = site_with({})
    card = root / "site_example" / "dossiers" / "solar-array" / "L8-2026-07-06.md"
    _edit(card, "tags: [energy,", "tags: ['<img src=x onerror=alert(1)>', energy,")
    _edit(root / "mkdocs.yml", "  - search\n", "  - search\n  - tags\n")
    (root / "site_example" / "docs" / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    for path in ("dossier/P12.2/index.html", "dossier/P12.2/L8-2026-07-06/index.html"):
        html = (root / "site" / path).read_text(encoding="utf-8")
        assert "<img src=x" not in html, path
        themes = html[html.index('<nav class="md-tags"'):]
        themes = themes[:themes.index("</nav>")]  # Material's own tag list, linked to the index
        assert "&lt;img src=x onerror=alert(1)&gt;" in themes and ">shadow-testing</a>" in themes
        # The theme lists the page's tags, so the summary does not repeat them as chips of its own.
        assert 'class="mltrl-tag' not in html, path
    packet = (root / "site" / "dossier" / "P12.2" / "packet" / "index.html").read_text(encoding="utf-8")
    assert '<span class="mltrl-tag md-tag">&lt;img src=x onerror=alert(1)&gt;</span>' in packet  # no theme tags there
    older = (root / "site" / "dossier" / "P12.2" / "L6-2024-11-11" / "index.html").read_text(encoding="utf-8")
    assert "onerror" not in older and "shadow-testing" not in older
    index = (root / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in index and "&lt;img src=x onerror=alert(1)&gt;" in index
    assert "P12.2 level 8 (2026-07-06)" in index and "P12.2: Solar-array power controller" in index


def _broken_links(site: Path) -> list[str]:
    broken = []
    for html_file in (site / "dossier").rglob("index.html"):
        for href in Page(html_file).links:
            if href.startswith(("http:", "https:", "mailto:", "#")):
                continue
            target = (html_file.parent / href.split("#")[0]).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{html_file.relative_to(site)} -> {href}")
    return broken


def test_every_link_on_generated_pages_resolves(example: Path) -> None:
    assert _broken_links(example) == []


def test_relative_links_in_card_bodies_point_at_published_pages(site_with, tmp_path: Path) -> None:
    body = ("\n**TL;DR**: See [the checklist](../neuropath/ethics.md) and [raw data](data/run.csv).\n\n"
            "## Model / algorithm info\n\nDetails.\n")
    requirement = {"id": "1", "kind": "research", "text": "t", "verification": "test", "status": "in-progress"}
    root = site_with({"linky/card.md": card_text(body, project="L1", requirements=[requirement],
                                                 ethics={"pre_development": "in-progress"})})
    result = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert result.returncode == 0, result.stderr[-2000:]
    html = (root / "site" / "dossier" / "L1" / "index.html").read_text(encoding="utf-8")
    assert 'href="../P07.1/pages/ethics/"' in html
    assert 'class="mltrl-unpublished" title="data/run.csv' in html
    assert _broken_links(root / "site") == []


def test_card_page_shows_links_and_links_the_checklist_attachment(example: Path, dossier) -> None:
    card = dossier.projects["P07.1"].current
    html = (example / "dossier" / "P07.1" / card_stem(card) / "index.html").read_text(encoding="utf-8")
    assert 'href="../pages/ethics/">checklist</a>' in html
    for ref in card.links.values():
        if ref.is_url:
            assert f'href="{ref.target}"' in html


def test_portfolio_counts_waived_requirements(example: Path, dossier) -> None:
    page = Page(example / "dossier" / "index.html")
    current = dossier.projects["P12.2"].current
    verified = sum(r.status.value == "verified" for r in current.requirements)
    waived = sum(r.status.value == "waived" for r in current.requirements)
    assert waived and f"{verified}/{len(current.requirements)} ({waived} waived)" in page.text


def test_search_index_skips_aggregate_tables_but_keeps_card_text(example: Path, dossier) -> None:
    import json

    index = json.loads((example / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_location: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        by_location[page] = by_location.get(page, "") + " " + doc["text"]
    card = dossier.projects["P12.2"].current
    requirement = card.requirements[0].text.split(",")[0][:40]
    assert requirement in by_location[f"dossier/P12.2/{card_stem(card)}/"]
    assert requirement not in by_location["dossier/P12.2/"]  # the matrix repeats it; search skips it
    # A requirement's acceptance criteria (measured values against thresholds) are on its card page, not in search.
    page = (example / "dossier" / "R02.1" / "L4-2026-02-16" / "index.html").read_text(encoding="utf-8")
    assert "duplicate proposals (pooled)" in page and "mltrl-acceptance" in page
    assert "duplicate proposals (pooled)" not in by_location["dossier/R02.1/L4-2026-02-16/"]
    assert "Mixed-variable" in by_location["dossier/R02.1/L4-2026-02-16/"]


def test_pages_option_leaves_out_page_kinds_and_their_links_become_text(site_with, tmp_path: Path) -> None:
    root = site_with({})
    _edit(root / "mkdocs.yml", "settings: site_example/mltrl-docs.yml",
          "settings: site_example/mltrl-docs.yml\n      pages: [levels, findings, glossary]")
    result = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    site = root / "site" / "dossier"
    assert (site / "levels" / "index.html").is_file() and (site / "findings" / "index.html").is_file()
    assert not (site / "history").exists() and not (site / "requirements").exists()
    assert not list(site.glob("*/L*")) and not list(site.glob("*/pages")) and not list(site.glob("*/files"))
    project = Page(site / "R02.1" / "index.html")
    assert "L4 card" in project.text and "current card" in project.text
    assert _broken_links(root / "site") == []


def test_pages_option_rejects_unknown_page_kinds(site_with, tmp_path: Path) -> None:
    root = site_with({})
    _edit(root / "mkdocs.yml", "settings: site_example/mltrl-docs.yml",
          "settings: site_example/mltrl-docs.yml\n      pages: [levels, cardz]")
    result = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert result.returncode != 0
    assert "cardz" in result.stderr and "pages" in result.stderr


def test_card_and_attachment_pages_have_edit_links_to_their_source_files(site_with, tmp_path: Path) -> None:
    root = site_with({})
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("    - navigation.prune\n", "    - navigation.prune\n    - content.action.edit\n")
    config += "repo_url: https://git.example.internal/ml/dossier\nedit_uri: edit/main/site_example/docs/\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    card = Page(root / "site" / "dossier" / "R02.1" / "L4-2026-02-16" / "index.html")
    assert "https://git.example.internal/ml/dossier/edit/main/site_example/dossiers/mvbo/L4-2026-02-16.md" in card.links
    ethics = Page(root / "site" / "dossier" / "P07.1" / "pages" / "ethics" / "index.html")
    assert "https://git.example.internal/ml/dossier/edit/main/site_example/dossiers/neuropath/ethics.md" in ethics.links
    portfolio = Page(root / "site" / "dossier" / "index.html")
    assert not [link for link in portfolio.links if "/edit/" in link]


def test_evidence_files_are_published_and_linked_from_card_pages(example: Path, dossier) -> None:
    card = next(c for c in dossier.projects["R02.1"].cards if any(r.evidence for r in c.requirements))
    page = Page(example / "dossier" / "R02.1" / card_stem(card) / "index.html")
    evidence = [e for r in card.requirements for e in r.evidence if not e.is_url]
    assert evidence
    for ref in evidence:
        href = f"../files/{ref.resolved.relative_to(dossier.projects['R02.1'].folder).as_posix()}"
        assert href in page.links
        published = (example / "dossier" / "R02.1" / card_stem(card) / href).resolve()
        assert published.read_bytes() == ref.resolved.read_bytes()


def test_declared_above_earned_is_flagged_on_every_page_that_shows_the_project(example: Path, dossier) -> None:
    flagged = {"dossier/index.html", "dossier/levels/index.html", "dossier/P07.1/index.html"}
    for page_file in flagged:
        page = Page(example / page_file)
        assert "earns L3" in page.text, page_file
    portfolio = Page(example / "dossier" / "index.html")
    assert portfolio.text.count("earns L3") == 2  # the table and the board, for P07.1 only
    card = Page(example / "dossier" / "P07.1" / "L6-2025-09-15" / "index.html")
    assert "earned: ⚠ L3, below the declared level" in card.text
    earlier = Page(example / "dossier" / "P07.1" / "L5-2024-11-04" / "index.html")
    assert "earned: L5" in earlier.text


def test_dossier_page_shows_why_and_the_gap_to_the_next_level(example: Path) -> None:
    page = Page(example / "dossier" / "P07.1" / "index.html")
    assert "Gates: declared level 6, earned level 3" in page.text
    assert "Declared above earned" in page.text
    assert "Give product requirement 9 a risk (likelihood and impact, 1 to 5 each) (line 73) risk-scored" in page.text
    assert "Add a '## Intended use' section (line 92) sections" in page.text
    assert "product requirement 9 has no risk (likelihood x impact); risk-scored applies from level 5" in page.text
    mvbo = Page(example / "dossier" / "R02.1" / "index.html")
    assert "To pass the gates of level 5" in mvbo.text and "Verify or waive research requirement 5" in mvbo.text


def test_dossier_shows_who_reviewed_each_level_in_which_role(example: Path) -> None:
    page = Page(example / "dossier" / "P04.3" / "index.html")
    assert "Gated reviews" in page.text
    assert "L7 (2022-05-16) Lukas Brandt product approved 2022-11-07 2022-11-10" in page.text
    assert "Reviewer(s) Olu Bamgbose research-lead: approved (2026-10-23)" in page.text
    neuropath = Page(example / "dossier" / "P07.1" / "index.html")
    assert "Fatima Haddad ethics changes-requested" in neuropath.text and "rejected" in neuropath.text


def test_coupled_components_graph_names_the_limiting_project(example: Path) -> None:
    page = Page(example / "dossier" / "P12.2" / "index.html")
    assert "System readiness L4 Proof of concept development (Prototyping) earned over 2 coupled components, " \
           "limited by R02.1" in page.text
    assert "Coupling cycle: P12.2 → R02.1 → P12.2" in page.text
    svg = (example / "dossier" / "P12.2" / "index.html").read_text(encoding="utf-8")
    graph = svg[svg.index('<svg class="mltrl-coupling"'):]
    graph = graph[:graph.index("</svg>")]
    assert graph.count('<g class="mltrl-node') == 2 and graph.count("mltrl-node-limiting") == 1
    assert "L8 Flight-ready" in graph and "L4 PoC (limiting)" in graph and 'href="../R02.1/"' in graph
    alone = Page(example / "dossier" / "P07.1" / "index.html")
    assert "not coupled: the project's own earned level" in alone.text


def test_a_gate_rule_set_to_error_fails_the_build_without_strict(site_with, tmp_path: Path) -> None:
    root = site_with({}, fail_on=None)
    _edit(root / "site_example" / "mltrl-docs.yml", "risk-scored: info", "risk-scored: error")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode != 0
    assert "L6-2025-09-15.md:73:5: error: product requirement 9 has no risk" in result.stderr
    assert "mltrl: the build fails on 1 error in the dossier" in result.stderr
    assert "lower a gate rule's severity under 'gates:'" in result.stderr
    assert (root / "site" / "dossier" / "P07.1" / "index.html").is_file()  # written first, then failed


def test_a_gate_warning_fails_only_the_strict_build(site_with, tmp_path: Path) -> None:
    root = site_with({})
    _edit(root / "site_example" / "mltrl-docs.yml", "sections: info", "sections: warning")
    assert mkdocs_build(root / "mkdocs.yml", root / "strict").returncode != 0
    assert mkdocs_build(root / "mkdocs.yml", root / "site", strict=False).returncode == 0


def test_glossary_page_has_every_term_with_anchor_names_links_and_usage(example: Path, dossier) -> None:
    html_file = example / "dossier" / "glossary" / "index.html"
    page = Page(html_file)
    ids = {a.get("id") for tag, a in page.tags if tag == "dt"}
    terms = dossier.glossary
    assert len(ids) == len(terms.entries) > 100
    assert {e.anchor for e in terms.entries} == ids
    jump = [a.get("href") for tag, a in page.tags if tag == "a" and (a.get("href") or "").startswith("#letter-")]
    assert "#letter-s" in jump and all(f"#{h[1:]}" in jump for h in jump)
    for entry in terms.entries:
        for name in entry.term.see_also:
            target = terms.lookup(name, entry.project)
            assert target is not None and f"#{target.anchor}" in page.links
    assert "Also called: Readiness portal, Dossier site" in page.text  # org.yml's Portal
    assert 'Research: “revisit”' in page.text
    assert "../levels/#level-4" in page.links  # Proof of concept development is tied to level 4
    assert "project P07.1" in page.text  # neuropath's own terms are marked with their project
    html = html_file.read_text(encoding="utf-8")
    wsi = html[html.index('id="p07-1-wsi"'):]
    wsi = wsi[:wsi.index("</dd>")]
    assert "Used in:" in wsi and 'href="../P07.1/L6-2025-09-15/"' in wsi
    teams = Page(example / "dossier" / "glossary" / "teams" / "index.html")
    assert "Research's word Shared term Definition" in teams.text and "revisit Switchback" in teams.text


def test_card_pages_link_terms_once_and_never_in_headings_code_or_labels(example: Path) -> None:
    html = (example / "dossier" / "P07.1" / "L6-2025-09-15" / "index.html").read_text(encoding="utf-8")
    article = html[html.index('<div class="mltrl mltrl-card">'):]
    links = re.findall(r'<a class="mltrl-term" href="([^"]+)"', article)
    assert links and len(links) == len(set(links))  # first use per page only
    assert all(h.startswith("../../glossary/#") for h in links)
    for heading in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", article, re.DOTALL):
        assert "mltrl-term" not in heading
    for code in re.findall(r"<code>.*?</code>", article, re.DOTALL):
        assert "mltrl-term" not in code
    for label in re.findall(r"<th>.*?</th>", article, re.DOTALL):
        assert "mltrl-term" not in label  # the page's own labels are not prose


def test_link_terms_off_and_every_and_builtin_off(site_with, tmp_path: Path) -> None:
    root = site_with({})
    settings = root / "site_example" / "mltrl-docs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("link_terms: first", "link_terms: 'off'")
                        .replace("builtin_glossary: true", "builtin_glossary: false"), encoding="utf-8")
    result = mkdocs_build(root / "mkdocs.yml", root / "off", strict=False)
    assert result.returncode == 0
    # org.yml's see_also names built-in terms: without them, each is reported
    assert "see_also 'Level card' of term 'Portal' names no term" in result.stderr
    card = (root / "off" / "dossier" / "P07.1" / "L6-2025-09-15" / "index.html").read_text(encoding="utf-8")
    assert "mltrl-term" not in card
    glossary = Page(root / "off" / "dossier" / "glossary" / "index.html")
    assert "16 terms" in glossary.text  # org.yml's 12 and neuropath's 4, no built-in ones
    settings.write_text(text.replace("link_terms: first", "link_terms: every"), encoding="utf-8")
    assert mkdocs_build(root / "mkdocs.yml", root / "every").returncode == 0
    card = (root / "every" / "dossier" / "P07.1" / "L6-2025-09-15" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="mltrl-term" href="([^"]+)"', card)
    assert len(links) > len(set(links))


def test_edit_links_are_percent_encoded_so_a_quote_in_a_name_cannot_break_out(site_with, tmp_path: Path) -> None:
    folder = 'q"><script>alert(1)</script>'
    root = site_with({f"{folder}/L2 x\" onmouseover=\"alert(2).md": card_text(project="Q1")})
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("    - navigation.prune\n", "    - navigation.prune\n    - content.action.edit\n")
    config += "repo_url: https://git.example.internal/ml/dossier\nedit_uri: edit/main/site_example/docs/\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (root / "site" / "dossier" / "Q1" / "L2-2024-03-01" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and 'onmouseover="alert' not in html
    card = Page(root / "site" / "dossier" / "Q1" / "L2-2024-03-01" / "index.html")
    assert ("https://git.example.internal/ml/dossier/edit/main/site_example/dossiers/"
            "q%22%3E%3Cscript%3Ealert%281%29%3C/script%3E/L2%20x%22%20onmouseover%3D%22alert%282%29.md") in card.links


@pytest.mark.parametrize("project", ["..", "glossary", "levels"])
def test_a_project_id_that_names_a_path_or_an_org_page_overwrites_nothing(site_with, tmp_path: Path,
                                                                           project: str) -> None:
    root = site_with({"evil/L2.md": card_text(project=project, title="OVERWRITTEN")})
    strict = mkdocs_build(root / "mkdocs.yml", root / "strict")
    assert strict.returncode != 0 and "L2.md:3:1: error: project id" in strict.stderr
    lenient = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert lenient.returncode == 0, lenient.stderr[-2000:]
    for page in ("index.html", "dossier/index.html", "dossier/glossary/index.html", "dossier/levels/index.html"):
        assert "OVERWRITTEN" not in (root / "site" / page).read_text(encoding="utf-8"), page
    listed = Page(root / "site" / "dossier" / "evil" / "index.html").text  # listed under its folder, as invalid
    assert "evil/L2.md" in listed and f"project id '{project}'" in listed


def test_a_source_inside_docs_dir_is_published_by_the_plugin_only(site_with, tmp_path: Path) -> None:
    root = site_with({})
    shutil.move(root / "site_example" / "dossiers", root / "site_example" / "docs" / "dossiers")
    (root / "site_example" / "docs" / "dossiers" / "mvbo" / "raw.html").write_text("<script>alert(1)</script>")
    _edit(root / "site_example" / "mltrl-docs.yml", "sources: [dossiers]", "sources: [docs/dossiers]")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (root / "site" / "dossiers").exists()
    assert (root / "site" / "dossier" / "R02.1" / "index.html").is_file()


def test_the_findings_page_is_not_called_validation(example: Path) -> None:
    """MLTRL's validation asks whether a requirement is the right one; this page lists what the
    check found, so it is named for that (issue 10, item 9)."""
    page = Page(example / "dossier" / "findings" / "index.html")
    assert page.text.startswith("Findings - ") and "Validation report" not in page.text


def test_the_example_shows_acceptance_results_and_its_deliberate_contradiction(example: Path) -> None:
    """mvbo's requirement 1.2 on R02.1's level-4 card is declared verified, but its evidence measures 2.4%
    duplicate proposals against a threshold of < 2%: the card, the dossier's matrix and the packet say so."""
    card = Page(example / "dossier" / "R02.1" / "L4-2026-02-16" / "index.html")
    assert ("1.2 research Integer and categorical proposals shall be feasible as proposed, with fewer than 2% of "
            "proposals duplicating an already evaluated point. analysis verified ⚠ declared verified; evidence fails"
            in card.text)
    assert ("✗ fail duplicate proposals (pooled): needs < 0.02, measured 0.024 · evidence/duplicate-proposals.json"
            in card.text)
    assert "../files/evidence/duplicate-proposals.json" in card.links
    assert "✓ pass regret vs random search on slice Func2C: needs <= 0.5, measured 0.14" in card.text
    assert "✓ pass batch proposal time at 500 observations (max): needs < 10 s, measured 7.8 s" in card.text
    # JUnit XML is not published: its name is shown.
    assert ("✓ pass ask/tell resume tests: 4 passed, 1 skipped (every selected test must pass) · "
            "evidence/test-results.xml" in card.text)
    assert not [link for link in card.links if link.endswith(".xml")]
    for page in ("index.html", "packet/index.html"):
        matrix = Page(example / "dossier" / "R02.1" / page).text.split("Requirement matrix")[-1]
        assert "1.2 Integer and categorical proposals" in matrix
        assert matrix.count("declared verified; evidence fails") == 1, page


def _in_git(path: Path) -> bool:
    found = subprocess.run(["git", "-C", str(path), "rev-parse", "--is-inside-work-tree"], capture_output=True,
                           text=True, check=False) if shutil.which("git") else None
    return found is not None and found.stdout.strip() == "true"


SHA = r"[0-9a-f]{7}"
DAY = r"\d{4}-\d\d-\d\d"
RECORDED = (rf"(recorded in {SHA} by [^·]+?|⚑ recorded by .+? \( ?{SHA} ?\)|recorded in {SHA} or earlier \(older "
            r"history is not in this clone\)|not committed yet)")


@pytest.mark.skipif(not _in_git(REPO), reason="the example is read from a git checkout")
def test_the_example_says_who_created_and_changed_each_card_and_recorded_each_decision(example: Path,
                                                                                       dossier) -> None:
    """The example lives in this repository. A CI clone may be shallow or have one author, so the
    structure is asserted, not who wrote what."""
    line = re.compile(rf"History in git (created {DAY} by .+? · )?(last changed {DAY} by .+? \( ?{SHA} ?\) · "
                      rf"\d+ commits?|not committed yet)( · changed locally, not committed yet)?"
                      rf"( · history before {DAY} (is not in this clone|was not read))? Commits that changed this card "
                      rf"{SHA} {DAY} ")
    for project in dossier.projects.values():
        for card in project.cards:
            page = Page(example / "dossier" / project.id / card_stem(card) / "index.html")
            assert line.search(page.text), (card.path.name, page.text.split("History in git")[-1][:300])
            reviewers = page.text.split("Reviewers ", 1)[1].split(" Links ")[0]
            assert len(re.findall(RECORDED, reviewers)) == len(card.reviewers), (card.path.name, reviewers)
    mvbo = Page(example / "dossier" / "R02.1" / "index.html").text
    reviews = mvbo[mvbo.rindex("Gated reviews"):].split("Requirement matrix")[0]
    assert "Decided Recorded in git Approval" in reviews
    assert len(re.findall(RECORDED, reviews)) == sum(len(c.reviewers) for c in dossier.projects["R02.1"].cards)
    history = mvbo[mvbo.rindex("Level history"):].split("Gated reviews")[0]
    assert "Review Card Last change" in history
    assert len(re.findall(rf"L\d card {DAY} , ", history)) == len(dossier.projects["R02.1"].cards)
    packet = Page(example / "dossier" / "R02.1" / "packet" / "index.html").text
    summary = packet.split("Reviewer(s)", 1)[1].split("Main project page")[0]
    assert len(re.findall(RECORDED, summary)) == len(dossier.projects["R02.1"].current.reviewers)


@pytest.mark.parametrize("prefix", ["", "/", ".", "..", "../x", "a/../b", "a//b", "x y", "-x", "a/./b"])
def test_a_prefix_that_is_not_a_folder_inside_the_site_is_refused(prefix: str) -> None:
    """'' , '/' or '.' would put the portfolio over the home page; '..' outside the site (issue 13)."""
    config = MltrlConfig()
    config.load_dict({"prefix": prefix})
    errors, _ = config.validate()
    assert [name for name, _ in errors] == ["prefix"]
    assert "is not a folder inside the site" in str(errors[0][1])


@pytest.mark.parametrize(("prefix", "folder"), [("dossier", "dossier"), ("/org/dossier/", "org/dossier"),
                                                ("v1.2_x-y", "v1.2_x-y")])
def test_a_prefix_names_the_folder_of_the_generated_pages(prefix: str, folder: str) -> None:
    config = MltrlConfig()
    config.load_dict({"prefix": prefix})
    errors, _ = config.validate()
    assert errors == [] and config.prefix == folder


def test_a_source_from_another_repository_gets_edit_links_into_that_repository(write, tmp_path: Path) -> None:
    write("mkdocs.yml", "site_name: t\nrepo_url: https://git.example.org/portal\nedit_uri: edit/main/docs/\n"
                        "theme: mkdocs\nplugins:\n  - mltrl\n")
    write("docs/index.md", "# Portal\n")
    write("mltrl-docs.yml", "sources:\n  - cards\n  - path: vendor/vision\n"
                            "    repo_url: https://git.example.org/vision/cards\n    folder: dossiers\n")
    write("cards/p/L2.md", card_text(project="P1"))
    write("vendor/vision/v/L2 'x'.md", card_text(project="V1", title="Vision"))
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    vendor = Page(tmp_path / "site" / "dossier" / "V1" / "L2-2024-03-01" / "index.html")
    own = Page(tmp_path / "site" / "dossier" / "P1" / "L2-2024-03-01" / "index.html")
    assert "https://git.example.org/vision/cards/edit/main/dossiers/v/L2%20%27x%27.md" in vendor.links
    assert "https://git.example.org/portal/edit/main/cards/p/L2.md" in own.links


def _serve_build(config: Path, site: Path, *, dirty: bool = False, first: bool = False) -> None:
    """One rebuild as `mkdocs serve` runs it: the config read again, the plugin instance kept."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    loaded = load_config(str(config), site_dir=str(site))
    if first:
        loaded.plugins.on_startup(command="serve", dirty=dirty)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    build(loaded, dirty=dirty)


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_a_serve_rebuild_renders_again_only_what_changed_and_matches_a_fresh_build(site_with, tmp_path: Path,
                                                                                  caplog) -> None:
    import logging

    root = site_with({})
    config, card = root / "mkdocs.yml", root / "site_example" / "dossiers" / "anomaly" / "L2-2026-06-08.md"
    caplog.set_level(logging.INFO)
    _serve_build(config, root / "served", first=True)
    generated = len(_pages(root / "served" / "dossier"))
    caplog.clear()
    _serve_build(config, root / "served")
    assert f"{generated} of {generated} pages unchanged since the last build" in caplog.text
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("## Model / algorithm info\n", "## Model / algorithm info\n\nA new first line.\n"),
                    encoding="utf-8")
    caplog.clear()
    _serve_build(config, root / "served")
    reused = int(re.search(r"(\d+) of \d+ pages unchanged", caplog.text).group(1))
    # The project's pages (and its team's and owner's), the org pages ('Teams and owners' too), not every project's.
    assert generated - 18 < reused < generated
    assert "A new first line." in (root / "served" / "dossier" / "R11.1" / "L2-2026-06-08" / "index.html").read_text(
        encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(root / "fresh")]
    fresh = subprocess.run(command, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # a new process: nothing reused
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert _pages(root / "served") == _pages(root / "fresh")


def _approve_less(root: Path) -> None:
    card = root / "site_example" / "dossiers" / "mvbo" / "L3-2024-09-09.md"
    card.write_text(card.read_text(encoding="utf-8").replace("decision: approved", "decision: rejected", 1),
                    encoding="utf-8")


def _fail_evidence(root: Path) -> None:
    evidence = root / "site_example" / "dossiers" / "mvbo" / "evidence" / "duplicate-proposals.json"
    evidence.write_text(evidence.read_text(encoding="utf-8").replace('"pooled": 0.024', '"pooled": 0.035'),
                        encoding="utf-8")


def _add_term(root: Path) -> None:
    glossary = root / "site_example" / "glossary" / "org.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "terms:\n", "terms:\n  - term: Observations\n    definition: What the optimiser has evaluated so far.\n", 1),
        encoding="utf-8")


def _in_german(root: Path) -> None:
    settings = root / "site_example" / "mltrl-docs.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "language: de\n", encoding="utf-8")


@pytest.mark.parametrize("edit", [_approve_less, _fail_evidence, _add_term, _in_german],
                         ids=["an approval withdrawn", "evidence that now fails", "a glossary term added",
                              "the site's language changed"])
def test_a_serve_rebuild_reuses_what_still_holds_and_works_out_again_what_an_edit_changed(
        site_with, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None]) -> None:
    """Each card's change and the glossary terms its text uses are kept across rebuilds (render.kept):
    an approval withdrawn (a later card's baseline moves), evidence that now fails a criterion (the
    card file is the same, its results are not), a term added to the glossary, the language changed
    (every change said again in it): the served site is still what a fresh build makes, and the
    cards no edit touched were not compared again, nor their projects judged again by the gates."""
    from mltrl_docs import changes
    from mltrl_docs.gates import engine

    root = site_with({})
    config = root / "mkdocs.yml"
    _serve_build(config, root / "served", first=True)
    edit(root)
    worked_out: list[str] = []
    real = changes.card_change
    monkeypatch.setattr(changes, "card_change", lambda card, *rest: worked_out.append(card.path.parent.name)
                        or real(card, *rest))
    judged: list[str] = []
    own = engine._own
    monkeypatch.setattr(engine, "_own", lambda judge, project: judged.append(project.folder.name)
                        or own(judge, project))
    _serve_build(config, root / "served")
    cards = len(list((root / "site_example" / "dossiers").glob("*/*.md")))
    assert set(worked_out) <= {"mvbo"} and len(worked_out) < cards / 3
    assert set(judged) <= {"mvbo"} and (edit in (_add_term, _in_german)) == (not judged)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(root / "fresh")]
    fresh = subprocess.run(command, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # a new process: nothing reused
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert _pages(root / "served") == _pages(root / "fresh")


def test_a_dirty_rebuild_writes_only_the_generated_pages_that_changed(site_with, tmp_path: Path) -> None:
    root = site_with({})
    config, card = root / "mkdocs.yml", root / "site_example" / "dossiers" / "anomaly" / "L2-2026-06-08.md"
    _serve_build(config, root / "served", dirty=True, first=True)
    site = root / "served" / "dossier"
    before = {path: path.stat().st_mtime_ns for path in (*site.rglob("*"), *(root / "served" / "mltrl").rglob("*"))
              if path.is_file()}
    card.write_text(card.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    _serve_build(config, root / "served", dirty=True)
    written = {path.relative_to(site).as_posix() if site in path.parents else path.name
               for path, stamp in before.items() if path.stat().st_mtime_ns != stamp}
    # Files beside the pages too: the site's readiness.json holds the card; the CSV and badge of
    # another project, and the stylesheets and script, are as they were.
    assert "readiness.json" in written
    assert not {"P12.2/requirements.csv", "P12.2/badge.svg", "mltrl.css", "mltrl-print.css", "mltrl.js"} & written
    assert "R11.1/L2-2026-06-08/index.html" in written and "R11.1/index.html" in written  # the card, its dossier
    # The organisation's pages show no body (render.pages.BODIES_UNSHOWN): an edit to one is not theirs.
    assert not {"index.html", "history/index.html", "levels/index.html", "teams/index.html",
                "requirements/index.html"} & written, written
    assert "P12.2/index.html" not in written and "P12.2/L8-2026-07-06/index.html" not in written
    assert "glossary/index.html" not in written  # it shows which cards use each term, and that did not change
    assert "One more line." in (site / "R11.1" / "L2-2026-06-08" / "index.html").read_text(encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(root / "fresh")]
    fresh = subprocess.run(command, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # a new process: nothing reused
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert _pages(root / "served") == _pages(root / "fresh")  # what was not written again is still right


def test_a_serve_rebuild_says_the_new_findings_and_counts_the_ones_it_said_before(site_with, caplog) -> None:
    """A rebuild logs the findings the last build did not say in the same words (a finding an
    edit moved is said at its new line) and counts the rest in one line, with those gone; with
    --strict (MkDocs counts the warnings it logs), it says them all again, as a fresh build does."""
    import logging

    root = site_with({})
    config, card = root / "mkdocs.yml", root / "site_example" / "dossiers" / "mvbo" / "L4-2026-02-16.md"
    caplog.set_level(logging.INFO)

    def said(rule: str = r"[\w-]+") -> list[str]:
        return [m for r in caplog.records if re.search(rf"\[{rule}\]", m := r.getMessage())]

    _serve_build(config, root / "served", first=True)
    first, everything = said("evidence-contradicts"), said()
    assert first and "not said again" not in caplog.text
    caplog.clear()
    _serve_build(config, root / "served")
    assert said() == []
    summary = [r.getMessage() for r in caplog.records if "not said again" in r.getMessage()]
    assert summary == [f"mltrl_docs: mltrl: {len(everything)} findings as in the last build, not said again ("
                       + re.search(r"\((.*)\)", summary[0]).group(1)
                       + "). `mltrl-docs check` or `mkdocs build` lists them all"]
    assert "gone" not in summary[0]
    card.write_text("\n".join(["---", "# moved", *card.read_text(encoding="utf-8").split("\n")[1:]]),
                    encoding="utf-8")
    caplog.clear()
    _serve_build(config, root / "served")
    assert said("evidence-contradicts") == [line.replace(":69:", ":70:") for line in first]
    assert re.search(rf"; {len(first)} findings? of the last build gone\. ", caplog.text)
    caplog.clear()
    strict = root / "strict.yml"
    strict.write_text(config.read_text(encoding="utf-8") + "strict: true\n", encoding="utf-8")
    _serve_build(strict, root / "served")
    assert len(said()) == len(everything) and "not said again" not in caplog.text


def test_serve_leaves_what_it_keeps_out_of_later_collections_until_it_shuts_down(site_with) -> None:
    """From its first rebuild, `mkdocs serve` freezes what is alive (gcpause.settle): the collector
    no longer walks the readings and renderings kept for the next rebuild at every rebuild. When
    the server shuts down, they are the collector's again."""
    import gc

    from mkdocs.config import load_config

    root = site_with({})
    config = root / "mkdocs.yml"
    gc.unfreeze()
    _serve_build(config, root / "served", first=True)
    assert gc.get_freeze_count() == 0  # the first build's objects are not all kept: not yet
    _serve_build(config, root / "served")
    assert gc.get_freeze_count() > 0
    plugin = load_config(str(config)).plugins["mltrl"]  # the instance serve keeps (it has on_startup)
    plugin.on_shutdown()
    assert gc.get_freeze_count() == 0


def test_serve_gives_what_each_build_freed_back_to_the_system(site_with, monkeypatch: pytest.MonkeyPatch) -> None:
    """After each `mkdocs serve` build, once every plugin is done with it (the host's search index
    is written), the freed heap goes back to the system (``heap``); a `mkdocs build` gives it back
    once, when it lets go of the dossier (on_env), before the pages and the search index are made."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import mltrl_docs.plugin

    root = site_with({})
    config = root / "mkdocs.yml"
    given: list[bool] = []
    site = root / "served"
    monkeypatch.setattr(mltrl_docs.plugin, "give_back",
                        lambda: given.append((site / "search" / "search_index.json").is_file()) or True)
    _serve_build(config, site, first=True)
    _serve_build(config, site, dirty=True)
    assert given == [True, True]
    site = root / "built"
    loaded = load_config(str(config), site_dir=str(site))
    loaded.plugins.on_startup(command="build", dirty=False)
    build(loaded)
    assert given == [True, True, False]


def test_serve_compiles_the_themes_templates_once(site_with, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs makes a new Jinja environment for every rebuild; the plugin keeps the theme's compiled
    templates, checked against their source, so a rebuild compiles only what changed."""
    from jinja2 import Environment

    root = site_with({})
    config = root / "mkdocs.yml"
    compiled: list[str | None] = []
    real = Environment.compile

    def compile_(self: Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", compile_)
    _serve_build(config, root / "served", first=True)  # (compiles them, unless an earlier test's rebuild did)
    compiled.clear()
    _serve_build(config, root / "served")
    # (Material's search plugin reads its language partials through an environment of its own.)
    assert not {"main.html", "base.html", "partials/nav.html", "partials/toc.html"} & set(compiled), compiled
    theme = root / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / "partials" / "copyright.html").write_text("<div>Edited theme</div>\n", encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n",
                                                                  "  name: material\n  custom_dir: theme\n"),
                      encoding="utf-8")
    _serve_build(config, root / "served")
    assert "partials/copyright.html" in compiled and "main.html" not in compiled
    assert "Edited theme" in (root / "served" / "index.html").read_text(encoding="utf-8")


def test_navigation_group_titles_reach_the_theme_as_text(write, tmp_path: Path) -> None:
    """Themes print section titles unescaped; a site's own label for a group stays text."""
    write("mkdocs.yml", "site_name: t\ntheme: mkdocs\nplugins:\n  - mltrl\n")
    write("docs/index.md", "# Portal\n")
    write("mltrl-docs.yml",
          "sources: [cards]\nlabels:\n  nav.group.phase: \"<img src=x onerror=alert(1)>{phase} ({count})\"\n")
    write("cards/p/L2.md", card_text(project="P1"))
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (tmp_path / "site" / "dossier" / "P1" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;Research (1)" in html
    assert "<img src=x" not in html


def test_generated_pages_are_handed_to_mkdocs_narrow(example_site: Path) -> None:
    """MkDocs holds every page's HTML until the site is written: the plugin's pages hold their few
    symbols beyond Latin-1 (arrows, minus signs) as character references (render.narrow), so Python
    holds each at one byte per character; the page reads the same."""
    page = (example_site / "dossier" / "P04.3" / "L5-2026-10-12" / "index.html").read_text(encoding="utf-8")
    content = page[page.index("<!--mltrl-content-->"):page.index("<!--/mltrl-content-->")]
    assert "&#8594;" in content and "→" not in content and max(map(ord, content)) <= 0xFF
    assert "→" in html.unescape(content)


_HELD_PROBE = '''
import os

from mkdocs.plugins import event_priority

from mltrl_docs.changes import _section_diffs
from mltrl_docs.render.markdown import _parsed

seen, generated, written = {}, [], []


def on_config(config):
    if HOLD is False:
        config.plugins["mltrl"].held = None


def on_nav(nav, config, files):
    generated.extend(config.plugins["mltrl"].pages)


def on_env(env, config, files):
    plugin = config.plugins["mltrl"]
    assert generated and all((plugin.held is not None and uri in plugin.held) is HOLD for uri in generated)
    for file in files.documentation_pages():
        if file.src_uri.startswith("dossier/"):
            seen.setdefault(file.src_uri, {})["env"] = file.page.content
    for file in files:
        copied = file.abs_src_path is not None and file.abs_src_path != file.abs_dest_path  # evidence, as it is
        if file.generated_by == "mltrl" and not file.is_documentation_page() and not copied:
            written.append(file.abs_src_path is not None and os.path.isfile(file.abs_dest_path))


@event_priority(150)  # before the search plugin is handed a card page's search view
def on_page_context(context, page, config, nav):
    seen.setdefault(page.file.src_uri, {})["context"] = page.content


def on_post_page(output, page, config):
    seen.setdefault(page.file.src_uri, {})["post_page"] = page.content


@event_priority(-200)
def on_post_build(config):
    pages = [page for page in seen.values() if "context" in page]
    assert pages
    for uri, page in seen.items():
        if not uri.startswith("dossier/"):
            continue
        assert "mltrl-content" in page["context"] and page["context"] == page["post_page"], uri
        assert ("held by the plugin" in page["env"]) is HOLD, uri
    plugin = config.plugins["mltrl"]
    assert plugin.held is None or len(plugin.held) == 0  # its spill file is gone with the build
    # Held, the build lets go of the dossier once every page is rendered, and writes its files at once.
    assert (plugin.pages == {} and plugin.views is None and _section_diffs.cache_info().currsize == 0
            and _parsed.cache_info().currsize == 0) is HOLD
    assert written and set(written) == {HOLD}
'''


def test_generated_pages_wait_for_their_build_on_disk_and_other_plugins_see_them_whole(site_with,
                                                                                       tmp_path: Path) -> None:
    """Between its render and its build a generated page is held in a spill file (mltrl_docs.held),
    not as the HTML MkDocs keeps to the end of a build, and the file goes with the build; every
    event that reads a page's content sees it whole, and the site is the same, byte for byte, as a
    build that holds nothing. A build that holds also lets go of the dossier once every page is
    rendered (on_env), and writes its files (exports, assets) into the site at once rather than
    keep them to the end."""
    root = site_with({})
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    sites = {}
    for hold in (True, False):
        probe = root / f"probe_{hold}.py"
        probe.write_text(f"HOLD = {hold}\n" + _HELD_PROBE, encoding="utf-8")
        (root / f"mkdocs-{hold}.yml").write_text(config + f"hooks: [{probe.name}]\n", encoding="utf-8")
        result = mkdocs_build(root / f"mkdocs-{hold}.yml", root / f"site-{hold}", strict=False)
        assert result.returncode == 0, result.stderr
        sites[hold] = {p.relative_to(root / f"site-{hold}"): p.read_bytes()
                       for p in (root / f"site-{hold}").rglob("*") if p.is_file()}
    assert sites[True].keys() == sites[False].keys()
    assert [path for path in sites[True] if sites[True][path] != sites[False][path]] == []


def test_edit_uris_are_the_cards_paths_from_docs_dir_percent_encoded(tmp_path: Path) -> None:
    """Each folder's part is worked out once per build; every card's edit URI is still its own path."""
    from mltrl_docs.plugin import _edit_uri

    docs = tmp_path / "docs"
    folders: dict[Path, str] = {}
    cases = {docs / "L1.md": "L1.md", docs / "a b" / 'L2 "x".md': "a%20b/L2%20%22x%22.md",
             tmp_path / "cards" / "p#1" / "L3?.md": "../cards/p%231/L3%3F.md",
             tmp_path / "cards" / "p#1" / "L4.md": "../cards/p%231/L4.md"}
    for source, expected in cases.items():
        assert _edit_uri(source, str(docs), folders) == expected
    assert len(folders) == 3


@pytest.mark.parametrize(("theme", "material"), [("material", True), ("mkdocs", False)])
def test_search_views_are_flattened_for_materials_search_only(tmp_path: Path, theme: str, material: bool) -> None:
    """Material's search parser finds the same sections in a flattened view (``render.search``);
    MkDocs' own joins the text between tags with spaces, so its views stay as they are."""
    from mkdocs.config import load_config

    from mltrl_docs.plugin import _material_search

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\ntheme: {theme}\nplugins: [search]\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    assert _material_search(config) is material
