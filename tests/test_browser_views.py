"""Views in a site's own page, in headless Chromium: the example with a page of views (a bar and a pie
chart, a table, a list, a count) and a page with a view that cannot be shown, served under the site's
Content Security Policy. In Material's light and dark (slate) scheme, at 1,400 and 390 px: every chart
label is shown, as text, readable against the page (4.5:1; bars and colour keys 3:1), nothing leaves the
window; printed, the charts are black on white and stay on the page. Screenshots and the PDF go to
test-artifacts/views/. Skipped where Chromium or Playwright is missing, unless MLTRL_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from browser_support import (
    ARTIFACTS,
    Site,
    Visit,
    build_site,
    contrast,
    csp_headers,
    needs_browser,
    open_page,
    outside,
    pdf_pages,
    scrolls_sideways,
    serve,
    stroke_contrast,
)
from conftest import REPO
from mltrl_docs import csp
from mltrl_docs.render.charts import BAR_WIDTH

pytestmark = needs_browser

SHOTS = ARTIFACTS / "views"
BOARD = """# Portfolio board

```mltrl-view bar title="Projects by phase"
projects group by phase
```

<!-- mltrl-view pie: requirements group by status -->

<!-- mltrl-view count: requirements where status != verified -->

```mltrl-view title="Longest at their level"
projects sort by at_level desc show id, title, level, at_level, team
```

```mltrl-view list
reviews where decision = pending show project, reviewer, role, level
```
"""
BROKEN = """# A broken view

```mltrl-view bar
projects where levle > 2
```
"""
SCHEMES = {"light": "light", "slate": "dark"}
"""Material's scheme -> the reader's system preference that shows it (the example's palette follows it)."""
WIDTHS = (1400, 390)
CHART_TEXT = ".mltrl-view-chart text"
MARKS = ".mltrl-view-mark, .mltrl-view-key rect"
"""What carries a group's colour and is not outlined in the page's ground (the pie's slices are)."""


@pytest.fixture(scope="module")
def views_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example with two more pages, built (views that cannot be shown are published: fail_on never),
    served under its own policy."""
    root = tmp_path_factory.mktemp("views-site")
    shutil.copytree(REPO / "site_example", root / "site_example")
    (root / "site_example" / "docs" / "board.md").write_text(BOARD, encoding="utf-8")
    (root / "site_example" / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("settings: site_example/mltrl-docs.yml",
                            "settings: site_example/mltrl-docs.yml\n      fail_on: never")
    config = config.replace("  - Hosting the dossier: hosting.md\n",
                            "  - Hosting the dossier: hosting.md\n  - Board: board.md\n  - Broken: broken.md\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = build_site(root / "site", root / "mkdocs.yml", strict=False)
    with serve(out, csp_headers(csp.policy(out))) as site:
        yield site


def _open(browser, site: Site, path: str, scheme: str, width: int) -> Visit:
    visit = open_page(browser, site, path, width=width, height=900, color_scheme=SCHEMES[scheme])  # type: ignore[arg-type]
    shown = visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == ("slate" if scheme == "slate" else "default"), shown
    return visit


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("width", WIDTHS)
def test_charts_are_labelled_readable_and_fit(browser, views_site: Site, scheme: str, width: int) -> None:
    visit = _open(browser, views_site, "board/", scheme, width)
    try:
        page = visit.page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"board-{width}-{scheme}.png"), full_page=True)
        for form in ("bar", "pie"):
            visit.element_screenshot(f".mltrl-view-{form}", f"views/{form}-{width}-{scheme}")
        # Every group's name and count is drawn as text the reader sees.
        bar = page.locator(".mltrl-view-bar svg")
        assert bar.get_attribute("role") == "img" and bar.get_attribute("aria-label").startswith("Bar chart by Phase:")
        labels = page.locator(f".mltrl-view-bar {CHART_TEXT}").all_text_contents()
        assert labels == ["productization", "2", "prototyping", "2", "research", "1"]
        legend = page.locator(".mltrl-view-pie .mltrl-view-key text").all_text_contents()
        assert legend[0].startswith("verified: ") and len(legend) == 5 and all("%)" in line for line in legend)
        for text in page.locator(CHART_TEXT).all():
            assert text.is_visible()
        assert [found for found in contrast(page, ".mltrl-view, .mltrl-view *") if found[1] < 4.5] == []
        assert [found for found in stroke_contrast(page, MARKS) if found[1] < 3] == []
        # Nothing leaves the window; a chart shrinks with its column, its labels still about 11 px or more.
        assert not scrolls_sideways(page)
        assert outside(page, ".mltrl-view-chart, .mltrl-view") == []
        drawn = page.evaluate("document.querySelector('.mltrl-view-bar svg').getBoundingClientRect().width")
        scale = drawn / BAR_WIDTH
        assert scale >= (1 if width == 1400 else 0.78)
        assert visit.problems() == {}
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_charts_print_black_on_white_within_the_page(browser, views_site: Site, scheme: str) -> None:
    visit = _open(browser, views_site, "board/", scheme, 1400)
    try:
        page = visit.page
        SHOTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(path=str(SHOTS / f"board-{scheme}.pdf"), format="A4")
        assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) >= 1
        page.set_viewport_size({"width": 718, "height": 1000})
        page.emulate_media(media="print")
        fills = set(page.locator(CHART_TEXT).evaluate_all("ts => ts.map(t => getComputedStyle(t).fill)"))
        assert fills == {"rgb(0, 0, 0)"}
        column = page.locator("article.md-content__inner").bounding_box()
        assert column is not None
        assert outside(page, ".mltrl-view-chart, .mltrl-view", column["x"], column["x"] + column["width"],
                       frames=False) == []
        assert [found for found in contrast(page, ".mltrl-view *", "a") if found[1] < 4.5] == []
        visit.element_screenshot(".mltrl-view-pie", f"views/print-pie-{scheme}")
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_a_view_that_cannot_be_shown_says_why_readably(browser, views_site: Site, scheme: str) -> None:
    visit = _open(browser, views_site, "broken/", scheme, 390)
    try:
        page = visit.page
        box = page.locator(".mltrl-view-error")
        assert box.is_visible()
        said = box.inner_text()
        assert "This view cannot be shown" in said and "docs/broken.md:4:16" in said and "levle" in said
        assert [found for found in contrast(page, ".mltrl-view-error, .mltrl-view-error *") if found[1] < 4.5] == []
        assert outside(page, ".mltrl-view-error") == [] and not scrolls_sideways(page)
        visit.element_screenshot(".mltrl-view-error", f"views/error-390-{scheme}")
        assert visit.problems() == {}
    finally:
        visit.close()
