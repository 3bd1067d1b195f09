"""The example site in headless Chromium (Debian's, driven by Playwright), served with the
Content Security Policy that `mltrl-docs csp` computes for it, as a portal would serve it.

Every test opens pages through browser_support.open_page, so each also checks that the
page loads nothing from outside the site and raises no CSP violation, console error,
page error or dialog. Skipped where Chromium or Playwright is missing, unless
MLTRL_REQUIRE_BROWSER=1 (as .ci/run sets it): then a missing browser fails the run.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser_support import (MISSING, Site, Visit, build_site, chromium, csp_headers, open_page, search, serve,
                             wait_for_search_index)
from conftest import REPO
from mltrl_docs import csp

if MISSING and os.environ.get("MLTRL_REQUIRE_BROWSER") == "1":
    raise RuntimeError("MLTRL_REQUIRE_BROWSER=1 but Playwright or /usr/bin/chromium is missing")
pytestmark = pytest.mark.skipif(MISSING, reason="needs Playwright and Debian's chromium")

Opener = Callable[..., Visit]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="module")
def policy(example: Path) -> str:
    return csp.policy(example)


@pytest.fixture(scope="module")
def site(example: Path, policy: str) -> Iterator[Site]:
    with serve(example, csp_headers(policy)) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def open_(browser, site: Site) -> Iterator[Opener]:
    """open_(path, **options) -> a Visit of the example site; its pages close after the test.
    It does not wait for the network to go quiet (the page-kind test does, for every kind):
    tests of what a page does check for problems after doing it."""
    visits: list[Visit] = []

    def _open(path: str, **kw: Any) -> Visit:
        visits.append(open_page(browser, site, path, **{"wait": False, **kw}))
        return visits[-1]

    yield _open
    for visit in visits:
        visit.close()


PAGE_KINDS = [
    ("guide", ""),
    ("portfolio", "dossier/"),
    ("dossier", "dossier/P07.1/"),
    ("card", "dossier/P07.1/L6-2025-09-15/"),
    ("attachment", "dossier/P07.1/pages/ethics/"),
    ("levels", "dossier/levels/"),
    ("history", "dossier/history/"),
    ("requirements", "dossier/requirements/"),
    ("report", "dossier/findings/"),
    ("glossary", "dossier/glossary/"),
    ("glossary-teams", "dossier/glossary/teams/"),
    ("hosting", "hosting/"),
]
FULL_PAGE_SHOTS = {"portfolio", "dossier", "card", "report", "glossary"}
"""Whole-page screenshots (a long page takes seconds); the other kinds get the first screen."""


@pytest.mark.parametrize("name,path", PAGE_KINDS, ids=[name for name, _ in PAGE_KINDS])
def test_page_loads_cleanly_under_the_sites_policy(open_: Opener, name: str, path: str) -> None:
    visit = open_(path, wait=True)  # the search index and worker too
    visit.screenshot(name, full_page=name in FULL_PAGE_SHOTS)
    assert visit.problems() == {}
    assert visit.page.locator("h1").first.inner_text().strip()
    if name in ("portfolio", "dossier", "card", "levels", "requirements"):
        assert visit.page.locator(".mltrl .mltrl-level").count() >= 1
    # The stylesheets applied (a blocked one leaves the page unstyled, which no console shows).
    assert visit.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


def test_policy_allows_no_inline_code_but_the_themes_scripts(policy: str) -> None:
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "blob:"):
        assert loose not in policy


def test_a_policy_without_the_hashes_is_caught(browser, example: Path, policy: str) -> None:
    """The recorders work: Material's inline scripts, refused, show up as violations."""
    bare = "; ".join(part if not part.startswith("script-src") else "script-src 'self'" for part in policy.split("; "))
    with serve(example, csp_headers(bare)) as served:
        visit = open_page(browser, served, "dossier/")
        found = visit.problems().get("CSP violations", [])
        visit.close()
    assert any("script-src" in violation for violation in found)


def test_history_links_walk_a_project(open_: Opener) -> None:
    page = open_("dossier/R02.1/").page
    with page.expect_navigation():
        page.locator("table.mltrl-history a").first.click()
    steps = [page.locator("h1").first.inner_text()]
    while page.locator("a[rel=next]").count():
        with page.expect_navigation():
            page.locator("a[rel=next]").click()
        steps.append(page.locator("h1").first.inner_text())
    assert len(steps) == 6  # R02.1 has six cards; each next link led to the following one
    assert steps[0].startswith("R02.1 level 1") and steps[-1].startswith("R02.1 level 4")


@pytest.mark.parametrize("project,cards,switchbacks", [("P04.3", 8, 1), ("R02.1", 6, 1), ("R11.1", 3, 0)])
def test_timeline_draws_one_point_per_card(open_: Opener, project: str, cards: int, switchbacks: int) -> None:
    visit = open_(f"dossier/{project}/")
    svg = visit.page.locator("svg.mltrl-timeline")
    assert svg.is_visible()
    assert svg.locator("circle.mltrl-point").count() == cards
    assert svg.locator("line.mltrl-tl-switchback").count() == switchbacks
    box = svg.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 150
    assert visit.problems() == {}


def test_portfolio_sorts_by_level_both_ways_and_filters(open_: Opener) -> None:
    visit = open_("dossier/")
    page = visit.page
    ids = page.locator("table.mltrl-sortable tbody tr td:first-child")
    header = page.get_by_role("button", name="Current level")
    header.click()
    ascending = ids.all_inner_texts()
    assert ascending == ["R11.1", "R02.1", "P04.3", "P07.1", "P12.2"]
    assert page.locator("th[aria-sort=ascending]").count() == 1
    header.click()
    assert ids.all_inner_texts() == list(reversed(ascending))
    page.get_by_placeholder("project, level, status, word...").fill("productization")
    visible = [row for row in page.locator("table.mltrl-sortable tbody tr").all() if row.is_visible()]
    assert sorted(row.locator("td").first.inner_text() for row in visible) == ["P07.1", "P12.2"]
    assert "2 shown" in page.locator(".mltrl-filter-count").inner_text()
    visit.screenshot("portfolio-filtered", full_page=False)
    assert visit.problems() == {}


def test_history_feed_filters_by_kind(open_: Opener) -> None:
    visit = open_("dossier/history/")
    visit.page.get_by_placeholder("project, level, status, word...").fill("switchback")
    visible = [row for row in visit.page.locator("table tbody tr").all() if row.is_visible()]
    assert len(visible) >= 4 and all("switchback" in row.inner_text() for row in visible)
    assert visit.problems() == {}


def test_search_works_offline_and_finds_card_text(open_: Opener) -> None:
    visit = open_("dossier/")
    texts = search(visit.page, "cirrus")
    assert "P04.3" in " ".join(texts) or "cirrus" in " ".join(texts).lower()
    visit.screenshot("search", full_page=False)
    assert visit.problems() == {}


def test_search_waits_for_the_index_before_it_reads_the_box(open_: Opener) -> None:
    """Why search() types key by key: once the index is ready, Material searches on keyup
    only, so text put into the box without key events finds nothing."""
    page = open_("dossier/").page
    page.locator("label.md-search__icon, .md-search__input").first.click()
    wait_for_search_index(page)
    page.locator("input.md-search__input").fill("cirrus")  # an input event, no keyup
    page.wait_for_timeout(300)
    assert page.locator(".md-search-result__item").count() == 0
    page.locator("input.md-search__input").press("End")  # one keyup: Material reads the box
    page.locator(".md-search-result__item").first.wait_for()


def _tooltip(page, term) -> dict[str, str]:
    return page.evaluate("""el => { const s = getComputedStyle(el, '::after');
        return {content: s.content, visibility: s.visibility, opacity: s.opacity}; }""", term.element_handle())


def test_glossary_term_tooltip_shows_on_hover_and_on_keyboard_focus(open_: Opener) -> None:
    visit = open_("dossier/P07.1/L6-2025-09-15/", width=1300, height=900)
    page = visit.page
    term = page.locator(".mltrl-body a.mltrl-term", has_text="model registry").first
    assert _tooltip(page, term)["visibility"] == "hidden"
    term.hover()
    shown = _tooltip(page, term)
    assert shown["visibility"] == "visible" and shown["opacity"] == "1"
    assert shown["content"].startswith('"Model registry: ') and "catalogue" in shown["content"]
    visit.screenshot("term-hover", full_page=False)
    page.mouse.move(0, 0)
    assert _tooltip(page, term)["visibility"] == "hidden"
    term.focus()
    assert _tooltip(page, term)["visibility"] == "visible"
    assert (term.get_attribute("aria-description") or "").startswith("A central catalogue")
    visit.screenshot("term-focus", full_page=False)
    assert visit.problems() == {}
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dossier/glossary/#model-registry")
    assert page.locator("#model-registry").is_visible()


def test_glossary_jump_bar_goes_to_a_letter(open_: Opener) -> None:
    page = open_("dossier/glossary/").page
    page.locator("nav.mltrl-jump a", has_text="S").click()
    page.wait_for_function("location.hash === '#letter-s'")
    assert page.locator("#letter-s").is_visible()


# --- MkDocs' own theme --------------------------------------------------------------------


@pytest.fixture(scope="module")
def mkdocs_theme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built with MkDocs' theme (highlight.js off: by default it comes from a CDN)."""
    root = tmp_path_factory.mktemp("mkdocs-theme")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"] = {"name": "mkdocs", "highlightjs": False}
    config["docs_dir"] = str(REPO / config["docs_dir"])
    [mltrl] = [plugin["mltrl"] for plugin in config["plugins"] if isinstance(plugin, dict) and "mltrl" in plugin]
    mltrl["settings"] = str(REPO / mltrl["settings"])
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build_site(root / "site", root / "mkdocs.yml")


@pytest.fixture(scope="module")
def mkdocs_site(mkdocs_theme: Path) -> Iterator[Site]:
    with serve(mkdocs_theme, csp_headers(csp.policy(mkdocs_theme))) as served:
        yield served


@pytest.mark.parametrize("path", ["", "dossier/", "dossier/P07.1/", "dossier/P07.1/L6-2025-09-15/", "dossier/glossary/"])
def test_mkdocs_theme_pages_load_cleanly_under_their_policy(browser, mkdocs_site: Site, path: str) -> None:
    visit = open_page(browser, mkdocs_site, path)
    try:
        assert visit.problems() == {}
        assert visit.page.locator("h1").first.inner_text().strip()
    finally:
        visit.close()


def test_mkdocs_theme_search_and_sorting_work_under_its_policy(browser, mkdocs_site: Site) -> None:
    """Its search runs in a worker (lunr loaded by importScripts, the index by XHR): under the
    policy both come from the site, and the worker's violations would arrive as reports."""
    searched = open_page(browser, mkdocs_site, "dossier/?q=cirrus")  # the theme opens its search box
    sorted_ = open_page(browser, mkdocs_site, "dossier/")
    try:
        assert "P04.3" in searched.page.locator("#mkdocs-search-results article").first.inner_text()
        sorted_.page.get_by_role("button", name="Current level").click()
        ids = sorted_.page.locator("table.mltrl-sortable tbody tr td:first-child").all_inner_texts()
        assert ids == ["R11.1", "R02.1", "P04.3", "P07.1", "P12.2"]
        sorted_.screenshot("mkdocs-theme-portfolio", full_page=False)
        assert searched.problems() == {} and sorted_.problems() == {}
    finally:
        searched.close()
        sorted_.close()


def test_a_workers_violation_is_caught(browser, mkdocs_theme: Path) -> None:
    """A violation inside a worker reaches no page listener or console: the report does."""
    policy = csp.policy(mkdocs_theme).replace("connect-src 'self'", "connect-src 'none'")
    with serve(mkdocs_theme, csp_headers(policy)) as served:
        visit = open_page(browser, served, "dossier/?q=cirrus")
        found = visit.problems().get("CSP violations", [])
        visit.close()
    assert any("connect-src" in violation and "worker.js" in violation for violation in found)
