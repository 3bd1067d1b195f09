"""README badges and CSV links in Chromium: the example's dossier shows its badge, and under it (folded) the
snippet to paste, readable and inside the window at 1,400 px (light and dark) and 390 px; on paper the
snippet and the download links are gone; every badge's text fits its segment in the font the browser has,
in English, in German and with long labels. Screenshots go to test-artifacts/badge-*.png.
Skipped where Chromium or Playwright is missing, unless MLTRL_REQUIRE_BROWSER=1."""

from __future__ import annotations

from typing import Literal

import pytest

from browser_support import ARTIFACTS, Site, contrast, needs_browser, open_page, outside, scrolls_sideways
from mltrl_docs.levels import LEVELS
from mltrl_docs.messages import load_messages, messages_for
from mltrl_docs.render.badge import badge_svg, project_badge
from mltrl_docs.render.html import Renderer

pytestmark = needs_browser

COLUMN = "article.md-content__inner"
EMBED = "details.mltrl-badge-embed"


@pytest.fixture(scope="module")
def site(served_example: Site) -> Site:
    return served_example


@pytest.mark.parametrize(("width", "scheme"), [(1400, "light"), (1400, "dark"), (390, "light"), (390, "dark")])
def test_the_dossier_shows_its_badge_and_the_snippet_to_paste(browser, site: Site, width: int,
                                                              scheme: Literal["light", "dark"]) -> None:
    visit = open_page(browser, site, "dossier/P07.1/", width=width, height=900, color_scheme=scheme)
    try:
        page = visit.page
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
            "slate" if scheme == "dark" else "default")
        badge = page.locator(f"{EMBED} > summary img.mltrl-badge")
        assert badge.is_visible()
        assert badge.evaluate("img => img.complete && img.naturalWidth > 100 && img.naturalHeight === 20")
        assert not page.locator(f"{EMBED} pre").first.is_visible()  # folded: the dossier stays short
        page.locator(f"{EMBED} > summary").click()
        codes = page.locator(f"{EMBED} pre code").all_inner_texts()
        assert codes[0].startswith("[![MLTRL badge of P07.1](dossier/P07.1/badge.svg)]")
        assert codes[1].startswith('<a href="dossier/P07.1/"><img src="dossier/P07.1/badge.svg"')
        visit.element_screenshot(EMBED, f"badge-dossier-{width}-{scheme}")
        column = page.locator(COLUMN).bounding_box()
        assert column is not None
        assert outside(page, f"{EMBED}, {EMBED} *", column["x"], column["x"] + column["width"]) == []
        assert not scrolls_sideways(page)
        assert [found for found in contrast(page, f"{EMBED} *") if found[1] < 4.5] == []
        assert page.locator(".mltrl-export a").first.inner_text() == "Download as CSV"
        assert visit.problems() == {}
    finally:
        visit.close()


def test_on_paper_the_snippet_and_the_download_links_are_gone(browser, site: Site) -> None:
    for path in ("dossier/P07.1/", "dossier/"):
        visit = open_page(browser, site, path, wait=False)
        try:
            page = visit.page
            assert page.locator(".mltrl-export").first.is_visible()
            page.emulate_media(media="print")
            assert not page.locator(".mltrl-export").first.is_visible()
            if path != "dossier/":
                page.evaluate("document.querySelector('details.mltrl-badge-embed').open = true")
                assert not page.locator(EMBED).is_visible()
        finally:
            visit.close()


_FITS = """() => [...document.querySelectorAll('svg')].flatMap(svg => {
  const paths = [...svg.querySelectorAll('path')].map(p => p.getBBox());
  return [...svg.querySelectorAll('text')].map((text, i) => {
    const fitted = text.getBBox();
    const length = text.getAttribute('textLength');
    text.removeAttribute('textLength');
    const natural = text.getComputedTextLength();
    text.setAttribute('textLength', length);
    return [text.textContent, paths[i].x, paths[i].x + paths[i].width, fitted.x, fitted.x + fitted.width, natural];
  });
})"""


def _badges() -> list[str]:
    env = Renderer("dossier").env
    long, problems = load_messages("de", {"level.5.name": "Maschinelles-Lernen-Fähigkeit mit Übergabe an das "
                                                          "Produktteam (ÄÖÜ äöü ß)", "badge.label": "Reifegrad"})
    assert problems == []
    badges = [project_badge("X", level, 0 if level.number else None, messages)
              for messages in (messages_for("en"), messages_for("de")) for level in LEVELS]
    return [badge_svg(env, badge) for badge in (*badges, project_badge("X", LEVELS[5], 2, long))]


def test_each_badges_text_stays_inside_its_segment(browser) -> None:
    """Drawn side by side in one page (no two badges may clash), in the font this browser has: each text,
    fitted to its measured width, lies inside its segment, and even unfitted it would not reach past it."""
    page = browser.new_page(viewport={"width": 900, "height": 560})
    try:
        page.set_content("<!doctype html><body style='margin:8px'>"
                         + "".join(f"<div>{svg}</div>" for svg in _badges()) + "</body>")
        found = page.evaluate(_FITS)
        assert len(found) == 2 * 3 * 10 - 2 + 3  # label, level and flag; level 0 has no flag
        for text, left, right, text_left, text_right, natural in found:
            assert left + 3 <= text_left and text_right <= right - 3, (text, left, right, text_left, text_right)
            assert natural <= right - left, (text, natural, right - left)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "badge-all-levels.png"), full_page=True)
    finally:
        page.close()
