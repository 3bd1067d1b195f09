"""The root mkdocs.yml builds strictly and the site loads nothing from outside itself."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}


class _Resources(HTMLParser):
    """Every URL a page would fetch by itself (not anchors a reader may click)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LOADING.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


def html_as_of(page: Path) -> str:
    """The day a generated page says the site is as of (its "As of" line)."""
    html = page.read_text(encoding="utf-8")
    found = re.search(r'class="mltrl-as-of"><small>[^<]*<time datetime="([0-9-]{10})"', html)
    assert found is not None, f"{page} says no as-of date"
    return found.group(1)


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    """The root mkdocs.yml built strictly, once per session (conftest.example_site)."""
    return example_site


def test_guide_page_is_built(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Writing level cards" in html and "YAML traps" in html


def test_nothing_is_loaded_from_outside_the_site(site: Path) -> None:
    external = []
    for page in site.rglob("*.html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        external += [f"{page.name}: {u}" for u in parser.urls if u.startswith(("http:", "https:", "//"))]
    assert external == []


def test_the_review_board_is_built_only_from_views(site: Path) -> None:
    """The example's Review board page: every table, count and chart on it is a view answered from
    the example's cards (issue 16), and none fails."""
    from htmltext import Page

    source = Path(__file__).parents[1] / "site_example" / "docs" / "review-board.md"
    written = source.read_text(encoding="utf-8")
    page = Page(site / "review-board" / "index.html")
    html = page.path.read_text(encoding="utf-8")
    forms = [part.split('"', 1)[0] for part in html.split('<div class="mltrl mltrl-view mltrl-view-')[1:]]
    assert len(forms) == written.count("```mltrl-view") + written.count("<!-- mltrl-view ") == 9
    assert {"table", "list", "count", "bar", "pie"} == set(forms)
    assert "mltrl-view-error" not in page.classes
    sections = {part.split('"', 2)[1]: part for part in html.split('<h2 id=')[1:]}
    stuck = sections["projects-stuck-at-a-level"]
    # Days count to the day the site was built (the example sets no build_date), as every page says.
    built = dt.date.fromisoformat(html_as_of(site / "dossier" / "index.html"))
    days = (built - dt.date(2025, 9, 15)).days  # neuropath's current card, L6-2025-09-15
    assert "P07.1" in stuck and f"{days:,} days" in stuck and "P04.3" not in stuck  # only neuropath sat a year
    coupled = sections["coupled-systems-limited-by-one-component"]
    assert "P12.2" in coupled and "R02.1" in coupled
    waiting = sections["reviews-waiting"]
    assert waiting.count("<tr") == 4 and waiting.index("Owen Gallagher") < waiting.index("Maria Gonzalez")
    assert "<svg" in sections["where-the-portfolio-stands"] and 'role="img"' in sections["where-the-portfolio-stands"]
    assert "../dossier/P07.1/" in stuck  # rows link to their dossier pages
