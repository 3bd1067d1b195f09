"""The example site in headless Chromium (Debian's, driven by Playwright).

Skipped where Chromium or Playwright is missing, unless MLTRL_REQUIRE_BROWSER=1
(as .ci/run sets it): then a missing browser fails the run. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

_missing = sync_playwright is None or not Path(CHROMIUM).exists()
if _missing and os.environ.get("MLTRL_REQUIRE_BROWSER") == "1":
    raise RuntimeError("MLTRL_REQUIRE_BROWSER=1 but Playwright or /usr/bin/chromium is missing")
pytestmark = pytest.mark.skipif(_missing, reason="needs Playwright and Debian's chromium")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(REPO / "mkdocs.yml"),
                    "-d", str(site)], check=True, env=env, timeout=300)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("name,path", [
    ("portfolio", "dossier/"),
    ("dossier", "dossier/P07.1/"),
    ("card", "dossier/P07.1/L6-2025-09-15/"),
    ("report", "dossier/findings/"),
    ("glossary", "dossier/glossary/"),
])
def test_page_loads_cleanly_and_only_from_the_site(browser, base_url: str, name: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(base_url) else outside.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert response is not None and response.status == 200
    assert outside == [] and errors == []
    assert page.locator("h1").first.inner_text().strip()
    assert page.locator(".mltrl .mltrl-level").count() >= 1 or name in ("report", "glossary")
    page.close()


def test_history_links_walk_a_project(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "dossier/R02.1/")
    with page.expect_navigation():
        page.locator("table.mltrl-history a").first.click()
    steps = [page.locator("h1").first.inner_text()]
    while page.locator("a[rel=next]").count():
        with page.expect_navigation():
            page.locator("a[rel=next]").click()
        steps.append(page.locator("h1").first.inner_text())
    assert len(steps) == 6  # R02.1 has six cards; each next link led to the following one
    assert steps[0].startswith("R02.1 level 1") and steps[-1].startswith("R02.1 level 4")
    page.close()


@pytest.mark.parametrize("project,cards,switchbacks", [("P04.3", 8, 1), ("R02.1", 6, 1), ("R11.1", 3, 0)])
def test_timeline_draws_one_point_per_card(browser, base_url: str, project: str, cards: int,
                                           switchbacks: int) -> None:
    page = browser.new_page()
    page.goto(base_url + f"dossier/{project}/")
    svg = page.locator("svg.mltrl-timeline")
    assert svg.is_visible()
    assert svg.locator("circle.mltrl-point").count() == cards
    assert svg.locator("line.mltrl-tl-switchback").count() == switchbacks
    box = svg.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 150
    page.close()


def test_portfolio_sorts_by_level_both_ways_and_filters(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "dossier/")
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
    page.close()


def test_history_feed_filters_by_kind(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "dossier/history/")
    page.get_by_placeholder("project, level, status, word...").fill("switchback")
    visible = [row for row in page.locator("table tbody tr").all() if row.is_visible()]
    assert len(visible) >= 4 and all("switchback" in row.inner_text() for row in visible)
    page.close()


def test_search_works_offline_and_finds_card_text(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(base_url) else outside.append(request.url))
    page.goto(base_url + "dossier/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("cirrus")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=30000)  # Playwright's default; the worker indexes first
    assert results.count() >= 1
    assert "P04.3" in " ".join(results.all_inner_texts()) or "cirrus" in " ".join(results.all_inner_texts()).lower()
    assert outside == []
    page.close()


def _tooltip(page, term) -> dict[str, str]:
    return page.evaluate("""el => { const s = getComputedStyle(el, '::after');
        return {content: s.content, visibility: s.visibility, opacity: s.opacity}; }""", term.element_handle())


def test_glossary_term_tooltip_shows_on_hover_and_on_keyboard_focus(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(base_url + "dossier/P07.1/L6-2025-09-15/")
    term = page.locator(".mltrl-body a.mltrl-term", has_text="model registry").first
    assert _tooltip(page, term)["visibility"] == "hidden"
    term.hover()
    shown = _tooltip(page, term)
    assert shown["visibility"] == "visible" and shown["opacity"] == "1"
    assert shown["content"].startswith('"Model registry: ') and "catalogue" in shown["content"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "term-hover.png"))
    page.mouse.move(0, 0)
    assert _tooltip(page, term)["visibility"] == "hidden"
    term.focus()
    assert _tooltip(page, term)["visibility"] == "visible"
    assert term.get_attribute("aria-description").startswith("A central catalogue")
    page.screenshot(path=str(ARTIFACTS / "term-focus.png"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dossier/glossary/#model-registry")
    assert page.locator("#model-registry").is_visible()
    page.close()


def test_glossary_jump_bar_goes_to_a_letter(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "dossier/glossary/")
    page.locator("nav.mltrl-jump a", has_text="S").click()
    page.wait_for_function("location.hash === '#letter-s'")
    assert page.locator("#letter-s").is_visible()
    page.close()
