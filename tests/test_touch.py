"""The example site on a touch screen (Chromium with touch events, driven by Playwright): a
glossary term shows its definition on the first tap and follows its link on the second, as
keyboard focus shows it; and the level-history chart as a browser draws it.

Served with the Content Security Policy that `mltrl-docs csp` computes, through
browser_support.open_page, so every visit also checks for outside requests, CSP violations,
console and page errors. Skipped where Chromium or Playwright is missing, unless
MLTRL_REQUIRE_BROWSER=1. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from browser_support import Site, Visit, needs_browser, open_page

pytestmark = needs_browser

Opener = Callable[..., Visit]
CARD = "dossier/P07.1/L6-2025-09-15/"
TERM = ".mltrl-body a.mltrl-term"


@pytest.fixture(scope="module")
def site(served_example: Site) -> Site:
    """The example served under its policy, and the browser: once per session (conftest)."""
    return served_example


@pytest.fixture
def open_(browser, site: Site) -> Iterator[Opener]:
    """open_(path, **options) -> a Visit (a phone with a touch screen unless told otherwise)."""
    visits: list[Visit] = []

    def _open(path: str, **kw: Any) -> Visit:
        visits.append(open_page(browser, site, path, **{"width": 390, "height": 844, "has_touch": True, **kw}))
        return visits[-1]

    yield _open
    for visit in visits:
        visit.close()


def _shown(visit: Visit, term) -> bool:
    """Whether the term's definition (its ::after) is on screen."""
    return visit.page.evaluate("el => getComputedStyle(el, '::after').visibility === 'visible'",
                               term.element_handle())


def _focused(visit: Visit, term) -> bool:
    return visit.page.evaluate("el => document.activeElement === el", term.element_handle())


def test_the_first_tap_on_a_term_shows_its_definition_and_the_second_follows_it(open_: Opener) -> None:
    visit = open_(CARD)
    page = visit.page
    term = page.locator(TERM).first
    term.scroll_into_view_if_needed()
    assert not _shown(visit, term)
    term.tap()
    page.wait_for_timeout(300)  # a navigation, if one had started, would have replaced the page
    assert page.url.endswith(CARD) and _focused(visit, term) and _shown(visit, term)
    visit.screenshot("touch-term-tapped", full_page=False)
    anchor = (term.get_attribute("href") or "").split("#")[1]
    with page.expect_navigation():
        term.tap()
    assert page.url.endswith(f"dossier/glossary/#{anchor}")
    assert visit.problems() == {}


def test_tapping_elsewhere_hides_the_definition_and_the_next_tap_shows_it_again(open_: Opener) -> None:
    visit = open_(CARD)
    page = visit.page
    first, second = page.locator(TERM).nth(0), page.locator(TERM).nth(1)
    first.scroll_into_view_if_needed()
    first.tap()
    assert _shown(visit, first)
    page.locator(".mltrl-body p").first.tap()
    assert not _focused(visit, first) and not _shown(visit, first)
    first.tap()  # shown again, not followed: the first tap since it was hidden
    page.wait_for_timeout(300)
    assert page.url.endswith(CARD) and _shown(visit, first)
    second.scroll_into_view_if_needed()
    second.tap()  # another term: its first tap
    page.wait_for_timeout(300)
    assert page.url.endswith(CARD) and _shown(visit, second) and not _shown(visit, first)
    assert visit.problems() == {}


def test_keyboard_focus_shows_the_definition_and_enter_follows_at_once(open_: Opener) -> None:
    for touch in (True, False):
        visit = open_(CARD, has_touch=touch, width=1300, height=900)
        page = visit.page
        term = page.locator(TERM).first
        if touch:
            page.locator(TERM).nth(1).tap()  # a tap before typing must not hold the keyboard's Enter back
        term.focus()
        assert _shown(visit, term)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "dossier/glossary/" in page.url
        assert visit.problems() == {}


def test_a_mouse_click_on_a_term_follows_it_at_once(open_: Opener) -> None:
    visit = open_(CARD, has_touch=False, width=1300, height=900)
    page = visit.page
    with page.expect_navigation():
        page.locator(TERM).first.click()
    assert "dossier/glossary/" in page.url and visit.problems() == {}


@pytest.mark.parametrize("project", ["R02.1", "P04.3", "P07.1", "P12.2"])
def test_switchback_labels_as_drawn_cover_no_point(open_: Opener, project: str) -> None:
    """The geometry is tested in tests/render/test_timeline.py with the room a label is given;
    here with the text as the browser lays it out (its font, its bounding box)."""
    visit = open_(f"dossier/{project}/", has_touch=False, width=1400, height=1000)
    overlaps = visit.page.evaluate("""() => {
        const svg = document.querySelector('svg.mltrl-timeline');
        const box = el => el.getBBox();
        const meet = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width
                               && a.y < b.y + b.height && b.y < a.y + a.height;
        const labels = [...svg.querySelectorAll('.mltrl-tl-label')];
        const points = [...svg.querySelectorAll('circle.mltrl-point')];
        const found = labels.map(l => [l.textContent, points.filter(p => meet(box(l), box(p))).length]);
        const width = svg.viewBox.baseVal.width;
        return {labels: labels.length, found: found.filter(([, n]) => n > 0),
                outside: labels.filter(l => box(l).x < 0 || box(l).x + box(l).width > width).length};
    }""")
    assert overlaps["labels"] >= 1 and overlaps["found"] == [] and overlaps["outside"] == 0, overlaps
    visit.element_screenshot("svg.mltrl-timeline", f"timeline-{project}")
    assert visit.problems() == {}


def test_escape_hides_a_definition_and_leaves_the_focus_on_the_term(open_: Opener) -> None:
    """WCAG 1.4.13 (dismissible): Escape hides a definition shown by focus, hover or tap, without moving the
    focus or the pointer; it shows again when the focus or the pointer comes back, or on the next tap."""
    visit = open_(CARD, has_touch=False, width=1300, height=900)
    page = visit.page
    term, other = page.locator(TERM).nth(0), page.locator(TERM).nth(1)
    term.focus()  # the keyboard
    assert _shown(visit, term)
    page.keyboard.press("Escape")
    assert not _shown(visit, term) and _focused(visit, term) and page.url.endswith(CARD)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert _focused(visit, term) and _shown(visit, term)
    page.evaluate("document.activeElement.blur()")
    other.hover()  # the mouse
    assert _shown(visit, other)
    page.keyboard.press("Escape")
    assert not _shown(visit, other)
    page.mouse.move(0, 0)
    other.hover()
    assert _shown(visit, other)
    visit.screenshot("touch-term-escape", full_page=False)
    assert visit.problems() == {}

    tapped = open_(CARD)  # a touch screen (and a keyboard)
    page = tapped.page
    term = page.locator(TERM).first
    term.scroll_into_view_if_needed()
    term.tap()
    assert _shown(tapped, term)
    page.keyboard.press("Escape")
    assert not _shown(tapped, term) and _focused(tapped, term)
    term.tap()  # shown again, not followed
    page.wait_for_timeout(300)
    assert page.url.endswith(CARD) and _shown(tapped, term)
    assert tapped.problems() == {}
