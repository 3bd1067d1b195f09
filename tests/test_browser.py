"""The example site in headless Chromium (Debian's, driven by Playwright), served with the
Content Security Policy that `mltrl-docs csp` computes for it, as a portal would serve it.

Every test opens pages through browser_support.open_page, so each also checks that the
page loads nothing from outside the site and raises no CSP violation, console error,
page error or dialog. Skipped where Chromium or Playwright is missing, unless
MLTRL_REQUIRE_BROWSER=1 (as .ci/run sets it): then a missing browser fails the run.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml

from browser_support import (
    ARTIFACTS,
    ENV,
    REQUIRED,
    STATUS_WORDS,
    Site,
    Visit,
    broken_tokens,
    build_site,
    contrast,
    csp_headers,
    example_with_theme,
    needs_browser,
    open_page,
    outside,
    pdf_pages,
    scrolls_sideways,
    search,
    serve,
    stroke_contrast,
    wait_for_search_index,
)
from conftest import REPO
from mltrl_docs import csp

pytestmark = needs_browser

Opener = Callable[..., Visit]


# The example built, its policy, the example served under it and the browser: once per session (conftest).


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    return example_site


@pytest.fixture(scope="module")
def policy(example_policy: str) -> str:
    return example_policy


@pytest.fixture(scope="module")
def site(served_example: Site) -> Site:
    return served_example


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
    ("changes", "dossier/changes/"),
    ("readiness", "dossier/readiness-changes/"),
    ("requirements", "dossier/requirements/"),
    ("report", "dossier/findings/"),
    ("glossary", "dossier/glossary/"),
    ("glossary-teams", "dossier/glossary/teams/"),
    ("metrics", "dossier/metrics/"),
    ("teams", "dossier/teams/"),
    ("team", "dossier/teams/earth-observation/"),
    ("owner", "dossier/owners/yuki-tanaka/"),
    ("hosting", "hosting/"),
]
FULL_PAGE_SHOTS = {"portfolio", "dossier", "card", "report", "glossary", "metrics", "changes"}
"""Whole-page screenshots (a long page takes seconds); the other kinds get the first screen."""


@pytest.mark.parametrize("name,path", PAGE_KINDS, ids=[name for name, _ in PAGE_KINDS])
def test_page_loads_cleanly_under_the_sites_policy(open_: Opener, name: str, path: str) -> None:
    visit = open_(path, wait=True)  # the search index and worker too
    visit.screenshot(name, full_page=name in FULL_PAGE_SHOTS)
    assert visit.problems() == {}
    assert visit.page.locator("h1").first.inner_text().strip()
    if name in ("portfolio", "dossier", "card", "levels", "requirements", "metrics"):
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


# --- The new views: metrics, production lines, gated reviews, sources, checklist counts ---------
# Each is loaded at 1,400 px (desktop) and 390 px (a phone), in Material's light scheme (the example as
# shipped) and its dark scheme, slate (the example with Material's palette switch, opened by a reader
# whose system is dark), and printed. Screenshots go to test-artifacts/new-*.png and print-*.png.

SCHEMES: dict[str, Literal["light", "dark"]] = {"light": "light", "slate": "dark"}
"""Material's scheme -> the reader's system preference that selects it."""
WIDTHS = [1400, 390]
NEW_TEXT = (".mltrl-role, .mltrl-line, .mltrl-mark-production, .mltrl-source, .mltrl-source *, "
            ".mltrl-reviews th, .mltrl-reviews td, .mltrl-reviews td *, "
            ".mltrl-checklist caption, .mltrl-checklist th, .mltrl-checklist td, "
            ".mltrl-metrics th, .mltrl-metrics th *, .mltrl-metrics td, .mltrl-metrics td > :not(.mltrl-level), "
            ".mltrl-mc-legend, .mltrl-mc-legend *, .mltrl-mchart text, "
            ".mltrl-change-mark, .mltrl-change-baseline, .mltrl-change-counts, .mltrl-change-facts li, "
            ".mltrl-diff > *, .mltrl-diff > * > b, .mltrl-change-section summary, .mltrl-changes-kind, "
            ".mltrl-changes-what p, .mltrl-changes-note em")
"""Text the new views added: on screen and on paper, in either scheme, it contrasts with its ground
by at least 4.5:1 (WCAG AA for text)."""
CHIPS = ".mltrl-role, .mltrl-line, .mltrl-mark-production"


@dataclass(frozen=True)
class NewView:
    path: str
    shots: tuple[str, ...]
    """What the screenshots show (each the first element the selector matches)."""
    blocks: str = ""
    """New blocks that must fit the window (a wide table in its own scrolling frame) and the printed page."""


NEW_VIEWS = {
    "metrics": NewView("dossier/metrics/", ("figure.mltrl-mchart-figure", ".mltrl-metrics > .mltrl-scroll:last-child"),
                       ".mltrl-metrics > *, .mltrl-metrics table, svg.mltrl-mchart"),
    "production": NewView("dossier/P04.3/", (".mltrl-project > table.mltrl-summary", "table.mltrl-reviews"),
                          "table.mltrl-reviews"),
    "levels": NewView("dossier/levels/", (".mltrl-levels table",)),
    "glossary": NewView("dossier/glossary/", ("dl.mltrl-terms",), ".mltrl-source"),
    "checklist": NewView("dossier/P07.1/pages/ethics/", ("table.mltrl-checklist",), "table.mltrl-checklist"),
    "card": NewView("dossier/P07.1/L6-2025-09-15/", (".mltrl-card > table.mltrl-summary",)),
    "changes": NewView("dossier/changes/", (".mltrl-changes > .mltrl-scroll",),
                       ".mltrl-changes > *, .mltrl-changes table"),
    "card-changes": NewView("dossier/P04.3/L5-2026-10-12/", ("section.mltrl-change",),
                            "section.mltrl-change > *, .mltrl-diff-frame"),
}


def _row(page, table: str, header: str):
    return page.locator(f"{table} tr").filter(has=page.locator("th", has_text=re.compile(f"^{re.escape(header)}$")))


def _shows_metrics(page, width: int) -> None:
    svg = page.locator("svg.mltrl-mchart")
    assert svg.get_attribute("role") == "img"
    title_id, desc_id = (svg.get_attribute("aria-labelledby") or "").split()
    assert (svg.locator(f"title#{title_id}").text_content() or "").startswith("Requirements verified over time")
    assert "verified" in (svg.locator(f"desc#{desc_id}").text_content() or "")
    assert svg.locator("text.mltrl-mc-axis-label").all_text_contents() == ["Card date", "Requirements"]
    assert svg.locator("path.mltrl-mc-verified").count() == 1 and svg.locator("path.mltrl-mc-listed").count() == 1
    box, column = svg.bounding_box(), page.locator("article.md-content__inner").bounding_box()
    assert box and column
    if width == 1400:  # the chart sits in the content column, at more than its drawn size
        inside = column["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"] + 0.5
        assert inside, (box, column)
        assert box["width"] >= min(760, column["width"] - 1)  # the column is narrower beside the page's TOC
    # Its text is drawn at a readable size: on a phone the chart keeps its size and scrolls in its frame.
    tick_px = page.evaluate("""s => s.getBoundingClientRect().width / s.viewBox.baseVal.width
        * parseFloat(getComputedStyle(s.querySelector('.mltrl-mc-grid text')).fontSize)""", svg.element_handle())
    assert tick_px >= 9, tick_px
    assert [t.rstrip("¶") for t in page.locator(".mltrl-metrics h2").all_inner_texts()[:3]] == [
        "Time at each level", "Review request to decision", "Switchbacks"]  # less the permalink


def _shows_production_and_reviews(page, width: int) -> None:
    summary = ".mltrl-project > table.mltrl-summary"
    development, production = _row(page, summary, "In development"), _row(page, summary, "In production")
    assert "L5" in development.inner_text() and "since 2026-10-12" in development.inner_text()
    assert "L9" in production.inner_text() and "since 2023-03-06" in production.inner_text()
    roles = _row(page, summary, "Reviewer(s)").locator(".mltrl-role")
    assert roles.all_inner_texts() == ["research-lead", "peer", "product"]
    history = page.locator("table.mltrl-history")
    assert "in production" in history.locator(".mltrl-line-production").first.inner_text()
    assert history.locator(".mltrl-line-development").inner_text() == "in development"
    marks = page.locator("table.mltrl-matrix .mltrl-mark-production")
    assert marks.count() >= 1
    assert (marks.first.get_attribute("title") or "").startswith("Carried by the version in production")
    # Gated reviews: a row group per card, who reviewed it in which role, asked and decided, and whether it holds.
    reviews = page.locator("h2#gated-reviews ~ .mltrl-scroll table.mltrl-reviews")
    assert reviews.is_visible()
    assert reviews.locator("thead th").all_inner_texts() == ["Card", "Reviewer", "Role", "Decision", "Asked", "Decided",
                                                             "Recorded in git", "Approval"]
    assert reviews.locator("tbody").count() == 8  # P04.3's eight cards
    l7 = reviews.locator("tbody", has_text="L7 (2022-05-16)")
    assert l7.locator("tr").first.locator("td").all_inner_texts()[:6] == [
        "L7 (2022-05-16)", "Lukas Brandt", "product", "approved", "2022-11-07", "2022-11-10"]
    assert "holds" in l7.inner_text()
    assert reviews.locator("tbody").last.locator(".mltrl-decision-pending").count() == 2


def _lists_p043_twice(page, width: int) -> None:
    table = page.locator(".mltrl-levels table")
    assert table.locator("a", has_text="P04.3").count() == 2
    at_9, at_5 = table.locator("#level-9"), table.locator("#level-5")
    assert "P04.3" in at_9.inner_text() and at_9.locator(".mltrl-line-production").inner_text() == "in production"
    assert "P04.3" in at_5.inner_text() and at_5.locator(".mltrl-line-development").inner_text() == "in development"


def _shows_sources(page, width: int) -> None:
    sources = page.locator("dl.mltrl-terms .mltrl-source")
    assert sources.count() >= 50 and all(text.startswith("Source: ") for text in sources.all_inner_texts())
    entry = page.locator("dt#application-development + dd")
    assert entry.locator(".mltrl-source").inner_text() == "Source: MLTRL (Lavin et al., 2022)"


def _shows_checklist_counts(page, width: int) -> None:
    table = page.locator("table.mltrl-checklist")
    assert table.locator("caption").inner_text() == "Ethics checklist: questions answered"
    counts = {}
    for row in table.locator("tr").all():
        label, count = row.locator("th").inner_text(), row.locator("td").inner_text()
        match = re.fullmatch(r"(\d+) of (\d+) answered", count)
        assert match and int(match[1]) <= int(match[2]), count
        counts[label] = count
    assert list(counts)[:2] == ["Pre-development", "Post-development"]


def _shows_roles_and_dates(page, width: int) -> None:
    reviewers = _row(page, ".mltrl-card > table.mltrl-summary", "Reviewers")
    assert reviewers.locator(".mltrl-role").all_inner_texts() == ["product", "product", "qa"]
    assert "Grace Mwangi product: approved (asked 2025-09-20, decided 2025-10-06)" in reviewers.inner_text()
    # A tooltip names the term's source too.
    assert page.locator(".mltrl-body a.mltrl-term[data-source*=' Source: ']").count() >= 1


def _lists_changes_and_filters(page, width: int) -> None:
    """The What changed page: a row per card changed since changes.since, newest first; the filter box narrows
    them to a project or a team, and each row links its card page's section diffs."""
    intro = page.locator(".mltrl-changes > p").first.inner_text()
    assert intro.startswith("Every card that changed since 2026-01-01, newest first"), intro
    rows = page.locator("table.mltrl-changes-table tbody tr")
    total = rows.count()
    assert total >= 6
    days = rows.locator("td:first-child").evaluate_all("cells => cells.map(c => c.getAttribute('data-sort'))")
    assert days == sorted(days, reverse=True)
    assert rows.locator("a", has_text="section by section").count() >= 6
    box = page.locator("label.mltrl-filter input")
    box.fill("Physics ML")  # R11.1's team
    shown = [row for row in rows.all() if row.is_visible()]
    assert 1 <= len(shown) < total and all("R11.1" in row.inner_text() for row in shown)
    box.fill("")
    assert sum(row.is_visible() for row in rows.all()) == total


def _shows_the_cards_changes(page, width: int) -> None:
    """P04.3's newest card against its approved level-4 card: every kind of change in words, and each section's
    diff (opened here, so that the checks that follow see it) marks each line by a sign and its element."""
    section = page.locator("section.mltrl-change")
    assert section.locator("h2#changes-since-approved").count() == 1
    assert "Compared with the level-4 card of 2025-09-08" in section.inner_text()
    marks = section.locator("table.mltrl-change-requirements .mltrl-change-mark").all_inner_texts()
    assert {mark.split()[-1] for mark in marks} == {"added", "changed"} and all(m[0] in "+±" for m in marks)
    page.evaluate("document.querySelectorAll('details.mltrl-change-section').forEach(d => { d.open = true; })")
    lines = section.locator(".mltrl-diff > *")
    signs = lines.evaluate_all("ls => ls.map(l => [l.tagName.toLowerCase() + (l.className ? '.' + l.className : ''),"
                               " l.firstChild.tagName, l.firstChild.textContent])")
    expected = {"ins": "+", "del": "-", "span": " ", "span.mltrl-diff-hunk": "@@"}
    assert signs and all(expected[kind] == sign and first == "B" for kind, first, sign in signs), signs[:5]
    assert {"ins", "del", "span.mltrl-diff-hunk"} <= {kind for kind, _, _ in signs}


SHOWS = {"metrics": _shows_metrics, "production": _shows_production_and_reviews, "levels": _lists_p043_twice,
         "glossary": _shows_sources, "checklist": _shows_checklist_counts, "card": _shows_roles_and_dates,
         "changes": _lists_changes_and_filters, "card-changes": _shows_the_cards_changes}


@pytest.fixture(scope="module")
def slate_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with Material's palette switch: default for a light system, slate for a dark one."""
    palette = [{"media": "(prefers-color-scheme: light)", "scheme": "default",
                "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
               {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}}]
    return _example_with_theme(tmp_path_factory.mktemp("slate"), lambda theme: {**theme, "palette": palette})


@pytest.fixture(scope="module")
def schemes(site: Site, slate_example: Path) -> Iterator[dict[str, Site]]:
    """Material's scheme -> a served site that shows it."""
    with serve(slate_example, csp_headers(csp.policy(slate_example))) as slate:
        yield {"light": site, "slate": slate}


def _open_in(browser, schemes: dict[str, Site], scheme: str, path: str, width: int) -> Visit:
    visit = open_page(browser, schemes[scheme], path, width=width, height=900, color_scheme=SCHEMES[scheme])
    shown = visit.page.evaluate("""() => { const bg = getComputedStyle(document.body).backgroundColor;
        return [document.body.getAttribute('data-md-color-scheme'), bg]; }""")
    if scheme == "slate":
        assert shown[0] == "slate" and shown[1] != "rgb(255, 255, 255)", shown
    else:
        assert shown[0] in (None, "default") and shown[1] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), shown
    return visit


def _low_contrast(page, printed: bool = False) -> list[tuple[str, float]]:
    """New text under 4.5:1. On paper links are left out: they keep the theme's link colour, which
    from the slate scheme is a light blue (3.8:1 on white) on every page of the site, not only here."""
    return [found for found in contrast(page, NEW_TEXT, "a" if printed else "") if found[1] < 4.5]


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", list(NEW_VIEWS))
def test_new_view_is_readable_fits_and_prints(browser, schemes: dict[str, Site], view: str, width: int,
                                              scheme: str) -> None:
    """On screen: what the view shows, its new text readable, its new blocks inside the window. At
    1,400 px it is then printed (both schemes print, Material prints light)."""
    spec = NEW_VIEWS[view]
    visit = _open_in(browser, schemes, scheme, spec.path, width)
    try:
        page = visit.page
        for index, selector in enumerate(spec.shots):
            visit.element_screenshot(selector, f"new-{view}-{index}-{width}-{scheme}")
        SHOWS[view](page, width)
        assert _low_contrast(page) == []
        if spec.blocks:
            assert outside(page, spec.blocks) == []
        # A chip is one piece: it never breaks over two lines.
        broken = f"[...document.querySelectorAll('{CHIPS}')].filter(c => c.getClientRects().length > 1).length"
        assert page.evaluate(broken) == 0
        assert not scrolls_sideways(page)
        assert outside(page, CHIPS) == []
        if width == 1400:
            _prints(visit, view, scheme)
        assert visit.problems() == {}
    finally:
        visit.close()


def _prints(visit: Visit, view: str, scheme: str) -> None:
    """Printed to PDF; and laid out as print media on an A4 page's width (its text column at
    Chromium's default margins), the new blocks stay on the page and their text stays dark."""
    page, spec = visit.page, NEW_VIEWS[view]
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"print-{view}-{scheme}.pdf"), format="A4")
    assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) >= 1
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    column = page.locator("article.md-content__inner").bounding_box()
    assert column is not None
    if spec.blocks:
        assert outside(page, spec.blocks, column["x"], column["x"] + column["width"], frames=False) == []
    assert _low_contrast(page, printed=True) == []
    visit.element_screenshot(spec.shots[-1], f"print-{view}-{scheme}")


def test_a_term_near_the_edge_keeps_its_definition_on_a_phone(browser, schemes: dict[str, Site]) -> None:
    """On a narrow screen a definition opens at the foot of the window, whole, whatever the term's place."""
    visit = _open_in(browser, schemes, "light", "dossier/P07.1/pages/ethics/", 390)
    try:
        page = visit.page
        assert not scrolls_sideways(page)  # hidden definitions take no room
        term = page.locator(".mltrl-body a.mltrl-term[data-source*=' Source: ']").first
        term.scroll_into_view_if_needed()
        term.hover()
        tip = page.evaluate("""t => { const s = getComputedStyle(t, '::after'); return {visibility: s.visibility,
            position: s.position, left: parseFloat(s.left), right: parseFloat(s.right)}; }""", term.element_handle())
        assert tip == {"visibility": "visible", "position": "fixed", "left": 10.0, "right": 10.0}, tip
        # The tooltip is put together from the term, its definition (written once) and its source.
        said = page.evaluate("t => getComputedStyle(t, '::after').content", term.element_handle())
        parts = [term.get_attribute(name) or "" for name in ("data-term", "aria-description", "data-source")]
        assert all(parts) and said == json.dumps("".join(parts), ensure_ascii=False), (said, parts)
        visit.screenshot("new-term-tooltip-390", full_page=False)
        assert visit.problems() == {}
    finally:
        visit.close()


# --- MkDocs' own theme --------------------------------------------------------------------


def _example_with_theme(root: Path, theme: Callable[[dict[str, Any]], dict[str, Any]]) -> Path:
    """The example built into ``root``/site with ``theme(the example's theme)`` as its theme."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    return example_with_theme(root, theme(config["theme"]))


@pytest.fixture(scope="module")
def mkdocs_theme(mkdocs_theme_example: Path) -> Path:
    """The example built with MkDocs' theme (highlight.js off: by default it comes from a CDN), once per
    session (conftest; test_print.py prints it)."""
    return mkdocs_theme_example


@pytest.fixture(scope="module")
def mkdocs_site(mkdocs_theme: Path) -> Iterator[Site]:
    with serve(mkdocs_theme, csp_headers(csp.policy(mkdocs_theme))) as served:
        yield served


@pytest.mark.parametrize("path", ["", "dossier/", "dossier/P07.1/", "dossier/P07.1/L6-2025-09-15/", "dossier/glossary/",
                                  "dossier/P04.3/", "dossier/metrics/"])
def test_mkdocs_theme_pages_load_cleanly_under_their_policy(browser, mkdocs_site: Site, path: str) -> None:
    visit = open_page(browser, mkdocs_site, path)
    try:
        assert visit.problems() == {}
        assert visit.page.locator("h1").first.inner_text().strip()
        # The new views' colours fall back to readable ones where the theme has no Material variables
        # (links keep the theme's own colour, a light blue).
        assert [found for found in contrast(visit.page, NEW_TEXT, "a") if found[1] < 4.5] == []
    finally:
        visit.close()


def test_mkdocs_theme_search_and_sorting_work_under_its_policy(browser, mkdocs_site: Site) -> None:
    """Its search runs in a worker (lunr loaded by importScripts, the index by XHR): under the
    policy both come from the site, and the worker's violations would arrive as reports."""
    searched = open_page(browser, mkdocs_site, "dossier/?q=cirrus")  # the theme opens its search box
    sorted_ = open_page(browser, mkdocs_site, "dossier/")
    try:
        first = searched.page.locator("#mkdocs-search-results article a").first  # a section of a P04.3 card
        assert "/P04.3/" in (first.get_attribute("href") or "")
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


# --- Every page kind fits the window and reads in either scheme ---------------------------------
# Material's light scheme (the example as shipped), its dark scheme (slate: the example with the palette
# switch, opened by a reader whose system is dark) and MkDocs' own theme, at 1,400 px (a laptop) and at
# 390 px (a phone). Screenshots, whole pages: test-artifacts/layout-<kind>-<width>-<theme>.png.

LAYOUT_KINDS = {
    "portfolio": "dossier/", "levels": "dossier/levels/", "history": "dossier/history/",
    "requirements": "dossier/requirements/", "findings": "dossier/findings/", "metrics": "dossier/metrics/",
    "glossary": "dossier/glossary/", "glossary-teams": "dossier/glossary/teams/",
    "dossier": "dossier/P04.3/", "dossier-coupled": "dossier/P12.2/",
    "card": "dossier/P07.1/L6-2025-09-15/", "attachment": "dossier/P07.1/pages/ethics/",
    "packet": "dossier/P04.3/packet/",
    "card-acceptance": "dossier/R02.1/L4-2026-02-16/", "dossier-evidence": "dossier/R02.1/",
    "changes": "dossier/changes/", "card-changes": "dossier/P04.3/L5-2026-10-12/",
    "readiness": "dossier/readiness-changes/",
    "teams": "dossier/teams/", "team": "dossier/teams/computational-pathology/", "owner": "dossier/owners/yuki-tanaka/",
}
"""One page of each kind the plugin generates; P04.3 has the longest requirement matrix, P12.2 a coupling graph,
R02.1 acceptance results under its requirements and a requirement its evidence contradicts (flagged in the matrix);
the What changed page, the Readiness changes page (the example against its earlier bundle), and P04.3's newest
card with every kind of change since its last approved card (its section diffs opened: see OPENED); the Teams and
owners page, the team whose project earns less than it declares, and an owner whose project waits for two reviews."""
OPENED = {"card-changes": "details.mltrl-change-section"}
"""Collapsed blocks opened before a page kind is looked at, so that what they hold is checked too."""
THEMES = ("light", "slate", "mkdocs")
COLUMN = "article.md-content__inner, div[role=main]"
"""The theme's text column (Material's, MkDocs')."""
HAND_WRITTEN = ".mltrl-body"
"""Card and attachment bodies: the author's Markdown, in the theme's own styles. (With them, the theme's
permalinks, shown on hover, and MkDocs' theme's links, a light blue of 2.8:1 on white, keep the theme's colours.)"""
DRAWN = (".mltrl-tl-run, .mltrl-tl-step, .mltrl-point, .mltrl-mc-axes line, .mltrl-mc-verified, .mltrl-mc-listed, "
         ".mltrl-mc-point, .mltrl-coupling rect, .mltrl-edge, .mltrl-arrowhead")
"""Chart strokes and markers that carry meaning (grid lines are decoration): 3:1 against the page (WCAG 1.4.11)."""


@pytest.fixture(scope="module")
def themed(schemes: dict[str, Site], mkdocs_site: Site) -> dict[str, tuple[Site, Literal["light", "dark"]]]:
    """Theme -> the served site that shows it and the reader's system preference that selects it."""
    return {"light": (schemes["light"], "light"), "slate": (schemes["slate"], "dark"), "mkdocs": (mkdocs_site, "light")}


@pytest.mark.parametrize("kind", list(LAYOUT_KINDS))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_page_kind_fits_the_window_and_reads_in_every_scheme(browser, themed, theme: str, width: int,
                                                             kind: str) -> None:
    """No page is wider than the window: a wide table scrolls in its own frame, inside the text column.
    No date, level or status breaks over two lines. The plugin's text contrasts 4.5:1 with its ground,
    its chart lines and markers 3:1, in Material's light and dark schemes and in MkDocs' theme."""
    site, preference = themed[theme]
    visit = open_page(browser, site, LAYOUT_KINDS[kind], width=width, height=900, wait=False, color_scheme=preference)
    try:
        page = visit.page
        page.wait_for_load_state("load")
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme in {"light": (None, "default"), "slate": ("slate",), "mkdocs": (None,)}[theme], scheme
        if kind in OPENED:
            page.evaluate("selector => document.querySelectorAll(selector).forEach(d => { d.open = true; })",
                          OPENED[kind])
        visit.screenshot(f"layout-{kind}-{width}-{theme}")
        assert not scrolls_sideways(page), page.evaluate("document.documentElement.scrollWidth")
        column = page.locator(COLUMN).first.bounding_box()
        assert column is not None
        assert outside(page, ".mltrl > *, .mltrl table, .mltrl svg", column["x"], column["x"] + column["width"]) == []
        assert broken_tokens(page, ".mltrl", HAND_WRITTEN + ", code") == []  # a file's path breaks where it must
        # A status value in a table cell stays whole; a finding's message is a sentence that may name one.
        assert broken_tokens(page, ".mltrl tbody", HAND_WRITTEN + ", .mltrl-finding-text", STATUS_WORDS) == []
        theirs = HAND_WRITTEN + ", .headerlink" + (", a" if theme == "mkdocs" else "")  # the theme's own colours
        assert [found for found in contrast(page, ".mltrl, .mltrl *", theirs) if found[1] < 4.5] == []
        assert [found for found in stroke_contrast(page, DRAWN) if found[1] < 3] == []
        if kind.startswith("dossier") and width == 1400:
            _shows_the_current_status_first(page)
        if kind == "portfolio":
            _portfolio_and_board_fit(page, width)
    finally:
        visit.close()


def _shows_the_current_status_first(page) -> None:
    """The requirement matrix's first card column is the current card's, and it is in view."""
    heads = page.locator("table.mltrl-matrix thead th")
    assert "current" in heads.nth(4).inner_text() and heads.nth(4).get_attribute("class") == "mltrl-current"
    box = heads.nth(4).bounding_box()
    frame = page.locator(".mltrl-scroll:has(> table.mltrl-matrix)").bounding_box()
    assert box and frame
    right = min(frame["x"] + frame["width"], page.evaluate("document.documentElement.clientWidth"))
    assert frame["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= right + 0.5, (box, frame)


def _portfolio_and_board_fit(page, width: int) -> None:
    """Every column of the portfolio is in view, unscrolled (a table where it fits, else a card per project, as on
    a phone, each field named); the board keeps all ten levels in view."""
    assert page.evaluate("(f => f.scrollWidth <= f.clientWidth)"
                         "(document.querySelector('.mltrl-portfolio .mltrl-scroll'))")
    if width == 390:
        rows = page.locator("table.mltrl-sortable tbody tr")
        assert rows.count() == 5 and rows.first.evaluate("r => getComputedStyle(r).display") == "block"
        labels = rows.first.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert labels[1:4] == ['"Technology"', '"Team"', '"Current level"'], labels
    elif page.locator("body[data-md-color-scheme]").count():  # Material at 1,400 px: a laptop reads a table
        assert page.evaluate("getComputedStyle(document.querySelector('.mltrl-portfolio thead')).display") \
            == "table-header-group"
    board = page.locator(".mltrl-board").bounding_box()
    assert board is not None and page.locator(".mltrl-board-column").count() == 10
    assert outside(page, ".mltrl-board-column", board["x"], board["x"] + board["width"], frames=False) == []



# --- Room, words and frames: the table of contents, a card's title, risk bands, the packet's findings, tags ---------

@pytest.mark.parametrize("path,toc", [("dossier/", False), ("dossier/findings/", False), ("dossier/levels/", False),
                                      ("dossier/history/", False), ("dossier/P04.3/", True),
                                      ("dossier/P04.3/packet/", True), ("dossier/P07.1/L6-2025-09-15/", True)])
def test_only_a_page_with_sections_gives_room_to_a_table_of_contents(open_: Opener, path: str, toc: bool) -> None:
    """Material's outline sidebar narrows the text column (to about 690 px at 1,400): a generated page with
    fewer than two sections hides it (page.meta hide: toc), and its tables take the room."""
    visit = open_(path, width=1400)
    page = visit.page
    assert page.locator(".md-sidebar--secondary").is_visible() == toc
    column = page.locator("article.md-content__inner").bounding_box()
    assert column is not None and (column["width"] < 800) == toc, column
    assert visit.problems() == {}


@pytest.mark.parametrize("theme", ["light", "mkdocs"])
def test_a_cards_title_keeps_its_date_whole_on_a_phone(browser, themed, theme: str) -> None:
    site, preference = themed[theme]
    visit = open_page(browser, site, "dossier/P07.1/L6-2025-09-15/", width=390, height=844, wait=False,
                      color_scheme=preference)
    try:
        page = visit.page
        title = page.locator("h1").first
        assert title.inner_text().rstrip("¶").strip() == "P07.1 level 6 (2025-09-15)"
        assert broken_tokens(page, "h1") == []
        lines = title.evaluate(
            "h => Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight))")
        assert lines <= 2, lines
        assert outside(page, "h1") == [] and not scrolls_sideways(page)
        visit.element_screenshot("h1", f"card-title-390-{theme}")
        assert visit.problems() == {}
    finally:
        visit.close()


def test_risk_bands_are_named_in_words_not_by_colour_alone(open_: Opener) -> None:
    """WCAG 1.4.1: each cell of the risk matrix says its band; its colour only repeats it."""
    visit = open_("dossier/P04.3/")
    cells = visit.page.locator("table.mltrl-risk td").evaluate_all(
        "cells => cells.map(c => [c.className, (c.querySelector('.mltrl-risk-band') || {}).textContent])")
    assert len(cells) == 25
    assert all(band == classes.removeprefix("mltrl-risk-") for classes, band in cells), cells
    assert {band for _, band in cells} == {"low", "medium", "high", "critical"}
    visit.element_screenshot("table.mltrl-risk", "risk-matrix-bands")
    assert visit.problems() == {}


def _example_with(root: Path, change: Callable[[dict[str, Any], dict[str, Any]], None], *, strict: bool = True) -> Path:
    """The example built into ``root``/site after ``change(mkdocs config, mltrl-docs settings)``, both written
    to ``root`` (paths made absolute). Not strict: a build whose cards raise warnings."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    example = REPO / "site_example"
    settings = yaml.safe_load((example / "mltrl-docs.yml").read_text(encoding="utf-8"))
    settings["sources"] = [str(example / source) for source in settings["sources"]]
    settings["glossary"] = [str(example / glossary) for glossary in settings.get("glossary", [])]
    if "compare" in settings:  # the example's previous bundle, for its 'Readiness changes' page
        settings["compare"]["bundle"] = str(example / settings["compare"]["bundle"])
    config["docs_dir"] = str(REPO / config["docs_dir"])
    [mltrl] = [plugin["mltrl"] for plugin in config["plugins"] if isinstance(plugin, dict) and "mltrl" in plugin]
    mltrl["settings"] = str(root / "mltrl-docs.yml")
    change(config, settings)
    (root / "mltrl-docs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build_site(root / "site", root / "mkdocs.yml", strict=strict)


@pytest.fixture(scope="module")
def warned_site(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example with its gate notes raised to warnings: the review packet of P07.1 lists open findings."""
    def warn(config: dict[str, Any], settings: dict[str, Any]) -> None:
        settings["gates"] = dict.fromkeys(settings["gates"], "warning")

    built = _example_with(tmp_path_factory.mktemp("warned"), warn, strict=False)
    with serve(built, csp_headers(csp.policy(built))) as served:
        yield served


def test_the_packets_findings_scroll_in_their_own_frame_on_a_phone(browser, warned_site: Site) -> None:
    visit = open_page(browser, warned_site, "dossier/P07.1/packet/", width=390, height=844, wait=False)
    try:
        page = visit.page
        assert page.locator(".mltrl-packet table.mltrl-findings tbody tr").count() >= 1
        frame = page.locator(".mltrl-packet .mltrl-scroll:has(> table.mltrl-findings)")
        assert frame.count() == 1
        assert [frame.get_attribute(name) for name in ("tabindex", "role", "aria-label")] == [
            "0", "region", "Open findings"]
        assert not scrolls_sideways(page)
        column = page.locator(COLUMN).first.bounding_box()
        assert column is not None
        assert outside(page, ".mltrl > *, .mltrl table", column["x"], column["x"] + column["width"]) == []
        visit.element_screenshot(".mltrl-packet .mltrl-scroll:has(> table.mltrl-findings)", "packet-findings-390")
        assert visit.problems() == {}
    finally:
        visit.close()


@pytest.fixture(scope="module")
def long_line_site(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example with a line of 1,000 characters (no space to break at) added to a body section of R11.1's
    level-2 card, so that the section's diff against the approved level-1 card holds it."""
    root = tmp_path_factory.mktemp("long-line")
    shutil.copytree(REPO / "site_example" / "dossiers", root / "dossiers")
    card = root / "dossiers" / "anomaly" / "L2-2026-06-08.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("## Stage debrief\n", "## Stage debrief\n\n" + LONG_LINE + "\n", 1), encoding="utf-8")

    def sources(config: dict[str, Any], settings: dict[str, Any]) -> None:
        settings["sources"] = [str(root / "dossiers")]

    built = _example_with(root, sources)
    with serve(built, csp_headers(csp.policy(built))) as served:
        yield served


LONG_LINE = "x" * 1000


@pytest.mark.parametrize("width", WIDTHS)
def test_a_diff_line_longer_than_the_screen_stays_inside_its_frame(browser, long_line_site: Site, width: int) -> None:
    """A section's diff keeps its lines whole: the longest scrolls sideways in the diff's own frame, inside the
    text column, and the page never does. The added line is an ins, marked by its sign."""
    visit = open_page(browser, long_line_site, "dossier/R11.1/L2-2026-06-08/", width=width, height=900, wait=False)
    try:
        page = visit.page
        page.evaluate("document.querySelectorAll('details.mltrl-change-section').forEach(d => { d.open = true; })")
        line = page.locator(".mltrl-diff > ins", has_text=LONG_LINE)
        assert line.count() == 1
        assert line.locator("b").inner_text() == "+"
        assert line.evaluate("l => getComputedStyle(l).textDecorationLine") == "none"  # no underline across it
        frame = page.locator(".mltrl-diff-frame", has=line)
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth + 100")  # the line is wider than its frame ...
        column = page.locator(COLUMN).first.bounding_box()
        assert column is not None  # ... and the frame stays in the text column, the page unscrolled
        assert outside(page, ".mltrl-diff-frame, .mltrl-change > *", column["x"], column["x"] + column["width"]) == []
        assert not scrolls_sideways(page)
        frame.scroll_into_view_if_needed()
        visit.element_screenshot("details.mltrl-change-section:last-of-type .mltrl-diff-frame",
                                 f"diff-long-line-{width}")
        assert visit.problems() == {}
    finally:
        visit.close()


@pytest.fixture(scope="module")
def tagged_site(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example with Material's tags plugin on: it lists a page's tags above its content."""
    def tags(config: dict[str, Any], settings: dict[str, Any]) -> None:
        config["plugins"].insert(1, "tags")

    built = _example_with(tmp_path_factory.mktemp("tagged"), tags)
    with serve(built, csp_headers(csp.policy(built))) as served:
        yield served


@pytest.mark.parametrize("path,listed", [("dossier/P07.1/L6-2025-09-15/", True), ("dossier/P07.1/", True),
                                         ("dossier/P07.1/packet/", False)])
def test_a_pages_tags_show_once_with_or_without_materials_tags_plugin(browser, site: Site, tagged_site: Site,
                                                                      path: str, listed: bool) -> None:
    """Without the plugin the page's own chips show the card's tags; with it the theme lists them (where the
    page has them: a packet has none), and the chips are left out."""
    shown: dict[str, tuple[list[str], list[str]]] = {}
    for name, served in (("plain", site), ("tagged", tagged_site)):
        visit = open_page(browser, served, path, wait=False)
        try:
            page = visit.page
            shown[name] = (page.locator(".mltrl .mltrl-tags .mltrl-tag").all_inner_texts(),
                           page.locator("nav.md-tags .md-tag").all_inner_texts())
            assert visit.problems() == {}
        finally:
            visit.close()
    tags, theirs = shown["plain"]
    assert len(tags) >= 2 and theirs == []
    ours, material = shown["tagged"]  # Material sorts them
    assert (ours, sorted(material)) == (([], sorted(tags)) if listed else (tags, [])), shown


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not REQUIRED,
                    reason="needs poppler's pdftoppm (Debian: poppler-utils), which .ci/run installs")
def test_the_readme_screenshots_are_retaken_by_the_script_it_names(example: Path, tmp_path: Path) -> None:
    """``python docs/screenshots.py SITE OUT`` (the README's command) takes the four screenshots the README
    shows, at the sizes it says, and the README's images are the ones the script writes."""
    result = subprocess.run([sys.executable, str(REPO / "docs" / "screenshots.py"), str(example), str(tmp_path)],
                            capture_output=True, text=True, timeout=300, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    taken = {p.name: p for p in tmp_path.glob("*.png")}
    shown = set(re.findall(r"\(docs/images/([\w.-]+\.png)\)", (REPO / "README.md").read_text(encoding="utf-8")))
    assert shown == set(taken) == {"portfolio.png", "dossier-dark.png", "dossier-phone.png", "packet-a4.png"}
    assert all((REPO / "docs" / "images" / name).is_file() for name in shown)
    widths = {name: int.from_bytes(path.read_bytes()[16:20], "big") for name, path in taken.items()}  # PNG IHDR
    assert widths["portfolio.png"] == widths["dossier-dark.png"] == 1400 and widths["dossier-phone.png"] == 390
